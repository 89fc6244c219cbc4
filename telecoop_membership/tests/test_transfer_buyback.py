# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import importlib.util
import threading
import time
from datetime import date
from pathlib import Path

from psycopg2.errors import IntegrityError, SerializationFailure

from odoo import SUPERUSER_ID, api, sql_db
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, freeze_time, tagged

from ..models.telecoop_share_line import REGISTER_LOCK_KEY
from .common_accounting import TelecoopAccountingCommon


@tagged("post_install", "-at_install")
class TestTransferBuyback(TelecoopAccountingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.profile.write({"capital_floor": 1000, "buyback_delay_months": 12})
        cls.alice = cls._create_member("Alice", shares=10, date="2025-01-10")
        cls.bob = cls._create_member("Bob", shares=3, date="2025-02-10")
        cls.eve = cls.env["res.partner"].create({"name": "Eve"})

    def _transfer(self, giver, receiver, quantity, on_date="2026-02-01"):
        return self.env["telecoop.share.transfer"].create(
            {
                "company_id": self.company.id,
                "from_partner_id": giver.id,
                "to_partner_id": receiver.id,
                "share_class_id": self.share_class.id,
                "quantity": quantity,
                "date": on_date,
            }
        )

    def _buyback(self, partner, quantity, decision_date="2026-03-01", request_date="2026-02-15"):
        return self.env["telecoop.share.buyback"].create(
            {
                "company_id": self.company.id,
                "partner_id": partner.id,
                "share_class_id": self.share_class.id,
                "quantity": quantity,
                "request_date": request_date,
                "decision_date": decision_date,
            }
        )

    def test_nominal_value_is_frozen_once_shares_are_in_the_register(self):
        """Transfers and buy-backs are valued at the class's nominal value: changing it
        would make them disagree with the register and the capital accounts."""
        value = self.share_class.nominal_value
        with self.assertRaisesRegex(UserError, "cannot change"):
            self.share_class.nominal_value = value * 2
        self.assertEqual(self.currency.compare_amounts(self.share_class.nominal_value, value), 0)
        self.share_class.write({"nominal_value": value, "max_per_member": 0})  # unchanged: fine
        new_class = self.share_class.copy({"name": "Shares 2027"})
        new_class.nominal_value = value * 2  # a class with no shares yet: free
        self.assertEqual(self.currency.compare_amounts(new_class.nominal_value, value * 2), 0)

    # -- transfers ------------------------------------------------------------

    def test_transfer_is_one_document_with_two_movements(self):
        transfer = self._transfer(self.alice, self.eve, 2)
        transfer.action_confirm()
        self.assertEqual(transfer.state, "done")
        lines = transfer.share_line_ids
        self.assertEqual(sorted(lines.mapped("quantity")), [-2, 2])
        self.assertEqual(sum(lines.mapped("quantity")), 0)
        self.assertEqual(self.currency.compare_amounts(sum(lines.mapped("amount")), 0), 0)
        self.assertEqual(self.alice.telecoop_share_count, 8)
        self.assertEqual(self.eve.telecoop_share_count, 2)
        # The receiver becomes a member with a number, in the class's college.
        self.assertTrue(self.eve.telecoop_is_member)
        self.assertTrue(self.eve.telecoop_member_number)
        self.assertEqual(self.eve.telecoop_college_id, self.college_users)
        self.assertEqual(self.eve.telecoop_member_since, date(2026, 2, 1))

    def test_transfer_of_all_shares_ends_the_membership(self):
        self._transfer(self.bob, self.alice, 3).action_confirm()
        self.assertFalse(self.bob.telecoop_is_member)
        self.assertEqual(self.bob.telecoop_member_until, date(2026, 2, 1))
        self.assertEqual(self.alice.telecoop_share_count, 13)

    def test_transfer_of_more_than_held_is_refused(self):
        with self.assertRaisesRegex(UserError, "Bob holds 3 shares .* would take out 4"):
            self._transfer(self.bob, self.eve, 4)
        self.assertFalse(self.eve.telecoop_share_line_ids)

    def test_transfer_over_the_receiver_limit_is_refused(self):
        self.share_class.max_per_member = 11
        with self.assertRaisesRegex(UserError, "Alice would hold 13 shares"):
            self._transfer(self.bob, self.alice, 3).action_confirm()

    def test_transfer_dated_before_the_shares_were_held_is_refused(self):
        """Red team: a membership user dated a draft transfer of Bob's 3 shares (issued
        2025-02-10) on 2025-01-20 and confirmed it: the check read today's holding, so
        the register of 2025-01-31 showed Eve holding 3 shares (a voter at an assembly
        of that record date) while Bob's -3 were hidden and the capital was 0."""
        transfer = self._transfer(self.bob, self.eve, 3, on_date="2025-01-20")
        with self.assertRaisesRegex(UserError, "holds only 0 shares"):
            transfer.action_confirm()
        self.assertEqual(transfer.state, "draft")
        self.assertFalse(transfer.share_line_ids)
        rows = self.env["telecoop.share.line"]._get_register_rows(self.company, date(2025, 1, 31))
        self.assertEqual([(r["partner_id"], r["shares"]) for r in rows], [(self.alice.id, 10)])

    def test_transfer_dated_before_a_later_movement_out_is_refused(self):
        """Bob (3 shares since 2025-02-10) gives 2 on 2026-03-01 and receives 5 on
        2026-04-01: he holds 6 today and held 3 on 2026-02-01, yet 3 given on
        2026-02-01 would leave him at -2 from 2026-03-01 to 2026-04-01."""
        self._transfer(self.bob, self.eve, 2, on_date="2026-03-01").action_confirm()
        self._transfer(self.alice, self.bob, 5, on_date="2026-04-01").action_confirm()
        backdated = self._transfer(self.bob, self.eve, 3, on_date="2026-02-01")
        with self.assertRaisesRegex(UserError, "holds only 1 shares"):
            backdated.action_confirm()
        backdated.action_cancel()
        # one share held all along from that date may go, and the 5 received later
        self._transfer(self.bob, self.eve, 1, on_date="2026-02-01").action_confirm()
        self._transfer(self.bob, self.eve, 5, on_date="2026-04-01").action_confirm()
        self.assertEqual(
            self.env["telecoop.share.line"]._get_holdings(self.company, self.bob)[1], 0
        )

    def test_transfer_dated_after_today_is_refused(self):
        transfer = self._transfer(self.alice, self.eve, 1, on_date="2099-01-01")
        with self.assertRaisesRegex(UserError, "after today"):
            transfer.action_confirm()
        self.assertFalse(transfer.share_line_ids)

    def test_today_in_paris_is_not_after_today_for_a_user_in_utc(self):
        """Found by a cross test run at 23:15 UTC: at 23:30 UTC on 2026-12-01 it is
        00:30 on 2026-12-02 in Paris. A buy-back decided that day by the board of a
        cooperative of Paris, entered by a user whose time zone is not set (UTC for
        Odoo, still 2026-12-01), was refused as "after today". A date that is today
        somewhere is never after today; the day after tomorrow for Paris still is."""
        staff = self.env(user=self.env.user, context={"tz": False})
        self.env.user.tz = False
        with freeze_time("2026-12-01 23:30:00"):
            today_in_paris = self._buyback(
                self.alice, 1, request_date="2026-12-02", decision_date="2026-12-02"
            )
            today_in_paris.with_env(staff).action_approve()
            self.assertEqual(today_in_paris.state, "approved")
            later = self._buyback(
                self.alice, 1, request_date="2026-12-02", decision_date="2026-12-04"
            )
            with self.assertRaisesRegex(UserError, "after today"):
                later.with_env(staff).action_approve()

    def test_buyback_decided_before_the_shares_were_held_is_refused(self):
        """Red team: a buy-back of Bob's shares with a board decision of 2025-01-01,
        before their issue (2025-02-10): the register of January 2025 held -3."""
        buyback = self._buyback(self.bob, 3, decision_date="2025-01-01", request_date="2024-12-15")
        with self.assertRaisesRegex(UserError, "holds only 0 shares"):
            buyback.action_approve()
        self.assertEqual(buyback.state, "draft")
        self.assertFalse(buyback.share_line_ids)
        future = self._buyback(self.alice, 1, decision_date="2099-01-01")
        with self.assertRaisesRegex(UserError, "after today"):
            future.action_approve()

    def test_a_board_decision_before_the_request_is_refused(self):
        """Red team: a buy-back asked for on 2026-02-15 was given a board decision of
        2026-02-14 (the board decided the day before the member asked); a draft
        decided on 2026-03-01 had its request moved to 2026-03-02; a request dated
        2099-01-01 was approved today without a decision date."""
        with self.assertRaisesRegex(
            ValidationError, "board decision date, 2026-02-14, is before the member asked"
        ):
            self._buyback(self.bob, 1, decision_date="2026-02-14", request_date="2026-02-15")
        same_day = self._buyback(self.bob, 1, decision_date="2026-02-15", request_date="2026-02-15")
        self.assertEqual(same_day.decision_date, date(2026, 2, 15))
        same_day.action_cancel()
        draft = self._buyback(self.bob, 1, decision_date="2026-03-01", request_date="2026-02-15")
        # assertRaisesRegex is not Odoo's assertRaises: the savepoint undoes the write
        with (
            self.assertRaisesRegex(ValidationError, "asked for it on 2026-03-02"),
            self.env.cr.savepoint(),
        ):
            draft.write({"request_date": "2026-03-02"})
        with (
            self.assertRaisesRegex(ValidationError, "2026-02-01, is before the member asked"),
            self.env.cr.savepoint(),
        ):
            draft.write({"decision_date": "2026-02-01"})
        self.assertEqual(draft.request_date, date(2026, 2, 15))
        self.assertEqual(draft.decision_date, date(2026, 3, 1))
        draft.action_cancel()
        ahead = self._buyback(self.bob, 1, decision_date=False, request_date="2099-01-01")
        with self.assertRaisesRegex(ValidationError, "asked for it on 2099-01-01"):
            ahead.action_approve()
        self.assertEqual(ahead.state, "draft")
        self.assertFalse(ahead.share_line_ids)

    def test_done_transfer_cannot_be_cancelled(self):
        transfer = self._transfer(self.alice, self.eve, 1)
        transfer.action_confirm()
        with self.assertRaises(UserError):
            transfer.action_cancel()

    def test_register_golden_cases_around_a_transfer_and_a_buyback(self):
        """The register at past dates, rebuilt from the movements alone."""
        founders = self.profile.college_ids.filtered(lambda c: c.code == "founders")
        self.eve.telecoop_college_id = founders
        self.env["telecoop.share.line"].create(
            {
                "company_id": self.company.id,
                "partner_id": self.eve.id,
                "share_class_id": self.share_class.id,
                "college_id": founders.id,
                "date": "2025-06-01",
                "movement_type": "issue",
                "quantity": 2,
                "amount": 200,
            }
        )
        self.eve.telecoop_is_member = True
        self._transfer(self.alice, self.eve, 4, on_date="2026-02-01").action_confirm()
        self._buyback(self.bob, 3, decision_date="2026-03-01").action_approve()
        model = self.env["telecoop.share.line"]

        def register(at_date):
            return {
                row["partner_id"]: (row["shares"], row["college_id"], row["amount"])
                for row in model._get_register_rows(self.company, at_date)
            }

        users = self.college_users.id
        golden = {
            date(2025, 1, 9): {},
            date(2025, 1, 10): {self.alice.id: (10, users, 1000)},
            date(2025, 6, 1): {
                self.alice.id: (10, users, 1000),
                self.bob.id: (3, users, 300),
                self.eve.id: (2, founders.id, 200),
            },
            date(2026, 2, 1): {
                self.alice.id: (6, users, 600),
                self.bob.id: (3, users, 300),
                self.eve.id: (6, founders.id, 600),
            },
            date(2026, 3, 1): {self.alice.id: (6, users, 600), self.eve.id: (6, founders.id, 600)},
        }
        for at_date, expected in golden.items():
            with self.subTest(at_date=at_date):
                self.assertEqual(register(at_date), expected)

    # -- buy-backs ------------------------------------------------------------

    def test_buyback_workflow_with_statutory_delay(self):
        # dates in the past of any run: a payout is recorded once it was made
        buyback = self._buyback(
            self.alice, 2, decision_date="2025-03-31", request_date="2025-03-02"
        )
        buyback.action_approve()
        self.assertEqual(buyback.state, "approved")
        self.assertEqual(buyback.payout_due_date, date(2026, 3, 31))
        line = buyback.share_line_ids
        self.assertEqual((line.quantity, line.date), (-2, date(2025, 3, 31)))
        self.assertEqual(self.currency.compare_amounts(line.amount, -200), 0)
        self.assertEqual(self.alice.telecoop_share_count, 8)
        self.assertTrue(self.alice.telecoop_is_member)
        buyback.payout_date = "2026-03-30"
        with self.assertRaisesRegex(UserError, "until 2026-03-31"):
            buyback.action_payout()
        buyback.payout_date = "2026-03-31"
        buyback.action_payout()
        self.assertEqual(buyback.state, "paid")
        payout_lines = buyback.payout_move_id.line_ids
        self.assertEqual(payout_lines.filtered(lambda ml: ml.debit).account_id, self.account_4567)
        self.assertEqual(
            payout_lines.filtered(lambda ml: ml.credit).account_id,
            self.bank_journal.default_account_id,
        )

    def test_buyback_payout_after_today_or_before_the_decision_is_refused(self):
        """Red team: a buy-back approved by the board on 2025-03-31 was given a payout
        date of 2099-01-01 (a payment booked in the future), then of 2025-03-30 (paid
        back the day before the board decided), and a buy-back not approved yet a
        payout date at all; once paid, its payout date moved away from its entry."""
        self.profile.buyback_delay_months = 0  # the day of the decision is the earliest payout
        buyback = self._buyback(
            self.alice, 1, decision_date="2025-03-31", request_date="2025-03-02"
        )
        buyback.action_approve()
        self.assertEqual(buyback.payout_due_date, date(2025, 3, 31))
        with self.assertRaisesRegex(UserError, "payout date, 2099-01-01, is after today"):
            buyback.write({"payout_date": "2099-01-01"})
        with self.assertRaisesRegex(UserError, "2025-03-30, is before the board approved it on"):
            buyback.write({"payout_date": "2025-03-30"})
        buyback.write({"payout_date": "2025-03-31"})
        buyback.action_payout()
        self.assertEqual(buyback.payout_move_id.date, date(2025, 3, 31))
        with self.assertRaisesRegex(UserError, "paid out: its payout date can no longer"):
            buyback.write({"payout_date": "2025-06-30"})
        self.assertEqual(buyback.payout_date, date(2025, 3, 31))
        draft = self.env["telecoop.share.buyback"].create(
            {
                "company_id": self.company.id,
                "partner_id": self.bob.id,
                "share_class_id": self.share_class.id,
                "quantity": 1,
            }
        )
        with self.assertRaisesRegex(UserError, "no board decision yet"):
            draft.write({"payout_date": "2025-06-30"})
        with self.assertRaisesRegex(UserError, "no board decision yet"):
            self._buyback(self.bob, 1, decision_date=False).copy({"payout_date": "2025-06-30"})

    def test_last_share_bought_back_ends_the_membership(self):
        self._buyback(self.bob, 3, decision_date="2026-04-15").action_approve()
        self.assertFalse(self.bob.telecoop_is_member)
        self.assertEqual(self.bob.telecoop_member_until, date(2026, 4, 15))
        self.assertTrue(self.bob.telecoop_member_number, "the number stays on record")

    def test_buyback_below_the_capital_floor_is_refused_with_the_figures(self):
        # Capital 1300 (13 shares); floor 1000: 4 shares would leave 900.
        buyback = self._buyback(self.alice, 4)
        with self.assertRaises(UserError) as caught:
            buyback.action_approve()
        message = str(caught.exception)
        for figure in ("1,300.00", "400.00", "900.00", "1,000.00"):
            self.assertIn(figure, message)
        self.assertEqual(buyback.state, "draft")
        self.assertEqual(self.alice.telecoop_share_count, 10)
        # Exactly down to the floor is allowed.
        self._buyback(self.alice, 3).action_approve()
        self.assertEqual(
            self.currency.compare_amounts(
                self.env["telecoop.share.line"]._get_capital(self.company), 1000
            ),
            0,
        )

    def test_two_buybacks_of_the_last_shares_cannot_both_pass(self):
        first = self._buyback(self.bob, 3)
        with self.assertRaisesRegex(UserError, "Bob holds 3 shares .* would take out 6"):
            self._buyback(self.bob, 3)
        first.action_approve()
        with self.assertRaisesRegex(UserError, "Bob holds 0 shares .* would take out 3"):
            self._buyback(self.bob, 3)
        self.assertEqual(self.bob.telecoop_share_count, 0)
        self.assertEqual(len(self.bob.telecoop_share_line_ids), 2)

    def test_approval_holds_the_register_lock_against_other_transactions(self):
        """Another database connection cannot move shares of this register meanwhile."""
        self._buyback(self.bob, 1).action_approve()
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            other.execute(
                "SELECT pg_try_advisory_xact_lock(%s, %s)", (REGISTER_LOCK_KEY, self.company.id)
            )
            self.assertFalse(other.fetchone()[0], "the approval must hold the lock")
            other.execute(
                "SELECT pg_try_advisory_xact_lock(%s, %s)", (REGISTER_LOCK_KEY, -self.company.id)
            )
            self.assertTrue(other.fetchone()[0], "another register is not blocked")
        finally:
            other.rollback()
            other.close()

    def test_member_cannot_approve_her_own_buyback(self):
        """Red team: Bob, a portal user who reads his own buy-back, called its board
        approval (a public method, so callable by RPC): his 3 shares left the register,
        the capital entry was posted and the cooperative owed him 300."""
        self.portal_user.partner_id = self.bob
        buyback = self._buyback(self.bob, 3)
        moves = self.env["account.move"].search_count([("company_id", "=", self.company.id)])
        for method in ("action_approve", "action_payout", "action_refuse", "action_cancel"):
            with self.subTest(method=method), self.assertRaises(AccessError):
                getattr(buyback.with_user(self.portal_user), method)()
        self.assertEqual(buyback.state, "draft")
        self.assertFalse(buyback.share_line_ids)
        self.assertEqual(
            self.env["account.move"].search_count([("company_id", "=", self.company.id)]), moves
        )
        self.assertEqual(
            self.env["telecoop.share.line"]._get_holdings(self.company, self.bob)[1], 3
        )

    def test_buyback_of_more_than_held_is_refused(self):
        with self.assertRaisesRegex(UserError, "Bob holds 3 shares"):
            self._buyback(self.bob, 4).action_approve()

    def test_refused_buyback_cannot_be_approved(self):
        buyback = self._buyback(self.bob, 1)
        buyback.action_refuse()
        with self.assertRaisesRegex(UserError, "cannot become"):
            buyback.action_approve()
        self.assertEqual(self.bob.telecoop_share_count, 3)

    def test_payout_before_approval_is_refused(self):
        with self.assertRaisesRegex(UserError, "cannot become"):
            self._buyback(self.bob, 1).action_payout()


@tagged("post_install", "-at_install")
class TestTransferBuybackNumbers(TelecoopAccountingCommon):
    """Transfers and buy-backs are numbered in the year of their date (a transfer's
    date, a buy-back's request date), whenever they are entered."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alice = cls._create_member("Alice", shares=20, date="2024-01-10")
        cls.bob = cls._create_member("Bob", shares=20, date="2024-02-10")

    def _transfer(self, on_date=None):
        vals = {"date": on_date} if on_date else {}
        return self.env["telecoop.share.transfer"].create(
            {
                "company_id": self.company.id,
                "from_partner_id": self.alice.id,
                "to_partner_id": self.bob.id,
                "share_class_id": self.share_class.id,
                "quantity": 1,
                **vals,
            }
        )

    def _buyback(self, on_date=None):
        vals = {"request_date": on_date} if on_date else {}
        return self.env["telecoop.share.buyback"].create(
            {
                "company_id": self.company.id,
                "partner_id": self.bob.id,
                "share_class_id": self.share_class.id,
                "quantity": 1,
                **vals,
            }
        )

    def test_each_transfer_and_buyback_takes_the_year_of_its_date(self):
        year = date.today().year
        for make, prefix in ((self._transfer, "TRF"), (self._buyback, "BB")):
            with self.subTest(prefix=prefix):
                late = make(date(2025, 8, 1))
                older = make(date(2024, 3, 15))
                late_too = make(date(2025, 12, 31))
                self.assertRegex(late.name, rf"^{prefix}/2025/\d{{5}}$")
                self.assertRegex(older.name, rf"^{prefix}/2024/\d{{5}}$")
                # the numbers of a year follow each other
                self.assertEqual(int(late_too.name[-5:]), int(late.name[-5:]) + 1)
                # one of today is numbered in this year
                self.assertRegex(make().name, rf"^{prefix}/{year}/\d{{5}}$")
                (late | older | late_too).action_cancel()

    def test_a_draft_dated_in_another_year_takes_a_number_of_that_year(self):
        """A transfer entered today and then dated 2025 while a draft kept this year's
        number; a draft moved within its year keeps its number."""
        for make, field, prefix in (
            (self._transfer, "date", "TRF"),
            (self._buyback, "request_date", "BB"),
        ):
            with self.subTest(prefix=prefix):
                draft = make(date(2025, 3, 1))
                number = draft.name
                draft.write({field: "2025-06-30"})
                self.assertEqual(draft.name, number)
                draft.write({field: "2024-12-31"})
                self.assertRegex(draft.name, rf"^{prefix}/2024/\d{{5}}$")
                draft.action_cancel()

    def test_the_date_of_the_number_is_fixed_once_out_of_draft(self):
        """Red team: a buy-back asked for in 2025 (BB/2025/...) and approved, then a
        subscription request of 2025 validated, had their request date moved to 2024:
        the number and the register's story no longer told the same year."""
        buyback = self._buyback(date(2025, 8, 1))
        buyback.write({"decision_date": date(2025, 9, 1)})
        buyback.action_approve()
        request = self._request(self.bob, request_date=date(2025, 8, 1))
        request.action_validate()
        for document in (buyback, request):
            with self.subTest(document=document.name):
                self.assertIn("/2025/", document.name)
                with self.assertRaisesRegex(UserError, "can no longer change"):
                    document.write({"request_date": date(2024, 8, 1)})
                document.write({"request_date": date(2025, 8, 1)})  # the same date: fine

    def test_a_reference_is_never_typed(self):
        """Red team: the staff, by RPC, created a transfer with the reference of another
        one (TRF/2025/00001 twice in the register's notes) and renamed a buy-back."""
        first = self._transfer(date(2025, 8, 1))
        staff = self.env(user=self.membership_manager)
        values = {
            "company_id": self.company.id,
            "from_partner_id": self.alice.id,
            "to_partner_id": self.bob.id,
            "share_class_id": self.share_class.id,
            "quantity": 1,
            "date": "2025-08-02",
        }
        with self.assertRaisesRegex(UserError, "is given by its numbering, not typed"):
            staff["telecoop.share.transfer"].create({**values, "name": first.name})
        second = staff["telecoop.share.transfer"].create({**values, "name": "/"})
        self.assertEqual(int(second.name[-5:]), int(first.name[-5:]) + 1)
        buyback = self._buyback().with_env(staff)
        with self.assertRaisesRegex(UserError, "is given by its numbering, not typed"):
            buyback.write({"name": first.name})
        buyback.write({"name": buyback.name, "reason": "unchanged reference: fine"})

    def test_update_keeps_the_numbers_and_gives_none_twice(self):
        """A database of an earlier version: one counter per sequence, numbered in the
        year of entry. The update (migration 19.0.2.0.3) renumbers nothing, and the
        numbers of each year go on above the counter, so no number comes twice."""
        year = date.today().year
        sequences = {
            "TRF": self.env.ref("telecoop_membership.seq_telecoop_share_transfer"),
            "BB": self.env.ref("telecoop_membership.seq_telecoop_share_buyback"),
        }
        for sequence in sequences.values():
            sequence.date_range_ids.unlink()
            sequence.write({"use_date_range": False})
        before = {
            "TRF": self._transfer() | self._transfer(date(2025, 8, 1)),
            "BB": self._buyback() | self._buyback(date(2025, 8, 1)),
        }
        names = {prefix: docs.mapped("name") for prefix, docs in before.items()}
        # the old numbering: the year of entry, one counter
        for prefix, docs_names in names.items():
            for name in docs_names:
                self.assertTrue(name.startswith(f"{prefix}/{year}/"), name)
        for docs in before.values():
            docs.action_cancel()
        path = Path(__file__).parents[1] / "migrations" / "19.0.2.0.3" / "post-migrate.py"
        spec = importlib.util.spec_from_file_location("telecoop_migration_19_0_2_0_3", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "19.0.2.0.2")
        self.env.invalidate_all()
        for prefix, make in (("TRF", self._transfer), ("BB", self._buyback)):
            with self.subTest(prefix=prefix):
                self.assertTrue(sequences[prefix].use_date_range)
                self.assertEqual(before[prefix].mapped("name"), names[prefix])
                after = make()
                self.assertTrue(after.name.startswith(f"{prefix}/{year}/"), after.name)
                self.assertGreater(
                    int(after.name[-5:]), max(int(name[-5:]) for name in names[prefix])
                )
                self.assertRegex(make(date(2025, 9, 1)).name, rf"^{prefix}/2025/")


@tagged("post_install", "-at_install")
class TestFirstNumberOfAYearRace(TransactionCase):
    """Two documents of a year no document was numbered in yet, filed at the same
    instant by two real transactions (each thread its own connection, as the server's
    workers; a serialization failure replayed as the server replays a request)."""

    YEAR = 1991

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["ir.sequence.date_range"].search(
                [
                    (
                        "sequence_id.code",
                        "in",
                        ["telecoop.share.transfer", "telecoop.share.buyback"],
                    ),
                    ("date_from", "=", f"{self.YEAR}-01-01"),
                ]
            ).unlink()

    def _at_the_same_instant(self, model, count=2):
        barrier = threading.Barrier(count)
        names, errors = [], []

        def attempt():
            for tryno in range(10):
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    # the transaction's snapshot is taken before the other one numbers
                    env["ir.sequence.date_range"].search_count([])
                    if tryno == 0:
                        barrier.wait(timeout=60)
                    try:
                        name = env[model]._next_name({"date": f"{self.YEAR}-03-01"})
                        env.flush_all()
                    except SerializationFailure:
                        cr.rollback()
                        time.sleep(0.05 * (tryno + 1))
                        continue
                    except IntegrityError as error:
                        cr.rollback()
                        errors.append(error)
                        return
                names.append(name)
                return

        threads = [threading.Thread(target=attempt) for __ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return names, errors

    def test_two_first_documents_of_a_year_at_once_are_both_numbered(self):
        """Red team: two transfers dated in 1991, the first of that year, filed at once:
        the second failed on the unique index of the sequence's ranges (a database
        error instead of its number). Both are numbered, one after the other."""
        self._cleanup()
        self.addCleanup(self._cleanup)
        names, errors = self._at_the_same_instant("telecoop.share.transfer")
        self.assertFalse(errors)
        self.assertEqual(len(names), 2)
        self.assertEqual(
            sorted(int(name[-5:]) for name in names), [1, 2], f"one range for 1991: {names}"
        )
        for name in names:
            self.assertRegex(name, rf"^TRF/{self.YEAR}/\d{{5}}$")
