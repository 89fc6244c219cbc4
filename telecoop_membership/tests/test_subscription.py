# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import importlib.util
from datetime import date
from pathlib import Path

from psycopg2 import IntegrityError

from odoo import Command, sql_db
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from ..models.telecoop_share_line import REGISTER_LOCK_KEY
from .common_accounting import TelecoopAccountingCommon


@tagged("post_install", "-at_install")
class TestSubscription(TelecoopAccountingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.carla = cls.env["res.partner"].create({"name": "Carla Dupont"})
        cls.david = cls.env["res.partner"].create({"name": "David Martin"})

    def test_validation_invoices_the_shares_on_the_contribution_account(self):
        request = self._request(self.carla, quantity=3)
        self.assertEqual(request.state, "draft")
        self.assertEqual(request.currency_id.compare_amounts(request.amount, 300), 0)
        request.action_validate()
        self.assertEqual(request.state, "invoiced")
        invoice = request.invoice_id
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(self.currency.compare_amounts(invoice.amount_total, 300), 0)
        receivable = invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")
        self.assertEqual(receivable.account_id, self.account_4561)
        product = invoice.invoice_line_ids
        self.assertEqual(product.account_id, self.account_1012)
        self.assertFalse(product.tax_ids)
        # Not paid: no share, not a member.
        self.assertFalse(self.carla.telecoop_share_line_ids)
        self.assertFalse(self.carla.telecoop_is_member)

    def test_share_invoice_salesperson_is_nobody_or_the_membership_officer(self):
        # validated by OdooBot (the superuser of the tests, as a cron or the public form)
        self.assertEqual(self.env.user, self.env.ref("base.user_root"))
        request = self._request(self.carla, quantity=1)
        request.action_validate()
        self.assertFalse(request.invoice_id.invoice_user_id, "no Salesperson: OdooBot")
        officer = new_test_user(
            self.env, login="tc_officer_shares", groups="base.group_user",
            company_id=self.company.id, company_ids=self.company.ids,
        )  # fmt: skip
        self.profile.membership_officer_id = officer
        request = self._request(self.david, quantity=1)
        request.action_validate()
        self.assertEqual(request.invoice_id.invoice_user_id, officer)

    def test_done_request_cannot_be_deleted(self):
        """A paid request (done through its invoice's payment) stays, even for a manager."""
        request = self._subscribe_paid(self.carla)
        self.assertEqual(request.state, "done")
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            request.with_user(self.membership_manager).unlink()
        self.assertTrue(request.exists())

    def test_paid_invoice_issues_shares_and_admits_the_member(self):
        request = self._subscribe_paid(self.carla, quantity=2, on_date="2026-03-10")
        self.assertIn(request.invoice_id.payment_state, ("paid", "in_payment"))
        self.assertEqual(request.state, "done")
        line = request.share_line_ids
        self.assertEqual(line.movement_type, "issue")
        self.assertEqual(line.quantity, 2)
        self.assertEqual(self.currency.compare_amounts(line.amount, 200), 0)
        self.assertEqual(line.date, date(2026, 3, 10))
        self.assertTrue(self.carla.telecoop_is_member)
        self.assertEqual(self.carla.telecoop_college_id, self.college_users)
        self.assertEqual(self.carla.telecoop_member_since, date(2026, 3, 10))
        self.assertTrue(self.carla.telecoop_member_number)
        self.assertEqual(self.carla.telecoop_share_count, 2)

    def test_member_numbers_are_sequential_and_kept(self):
        self._subscribe_paid(self.carla)
        self._subscribe_paid(self.david)
        first, second = self.carla.telecoop_member_number, self.david.telecoop_member_number
        self.assertNotEqual(first, second)
        self.assertTrue(first.startswith(f"M{self.company.id}-"))
        self.assertEqual(int(second.split("-")[-1]), int(first.split("-")[-1]) + 1)
        # More shares later: the number stays.
        self._subscribe_paid(self.carla, quantity=2)
        self.assertEqual(self.carla.telecoop_member_number, first)
        self.assertEqual(self.carla.telecoop_share_count, 3)

    def test_paid_hook_twice_issues_the_shares_once(self):
        request = self._subscribe_paid(self.carla, quantity=2)
        request.invoice_id._invoice_paid_hook()
        request._on_invoice_paid()
        request._issue_shares()
        self.assertEqual(len(request.share_line_ids), 1)
        self.assertEqual(self.carla.telecoop_share_count, 2)

    def test_second_payment_does_not_issue_again(self):
        request = self._subscribe_paid(self.carla, quantity=1)
        with self.assertRaises(UserError):
            # Nothing left to pay: Odoo refuses a second registration.
            self._pay(request.invoice_id)
        self.assertEqual(self.carla.telecoop_share_count, 1)

    @mute_logger("odoo.sql_db")
    def test_database_refuses_a_second_issue_for_one_request(self):
        request = self._subscribe_paid(self.carla, quantity=1)
        line = request.share_line_ids
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["telecoop.share.line"].create(
                {
                    "company_id": self.company.id,
                    "partner_id": self.carla.id,
                    "share_class_id": self.share_class.id,
                    "college_id": self.college_users.id,
                    "date": line.date,
                    "movement_type": "issue",
                    "quantity": 1,
                    "amount": 100,
                    "subscription_request_id": request.id,
                }
            )

    def test_payment_of_issued_shares_cannot_be_removed(self):
        request = self._subscribe_paid(self.carla, quantity=1)
        with self.assertRaisesRegex(UserError, "were issued on this payment"):
            request.invoice_id.line_ids.remove_move_reconcile()
        with self.assertRaisesRegex(UserError, "were issued on this invoice"):
            request.invoice_id.button_draft()
        self.assertEqual(request.invoice_id.state, "posted")
        self.assertIn(request.invoice_id.payment_state, ("paid", "in_payment"))

    def test_manual_reconciliation_with_a_bank_entry_issues_the_shares(self):
        """Any reconciliation in accounting counts, not only the payment wizard."""
        request = self._request(self.carla, quantity=2)
        request.action_validate()
        bank_entry = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": self.misc_journal.id,
                "date": "2026-04-02",
                "line_ids": [
                    Command.create(
                        {
                            "account_id": self.bank_journal.default_account_id.id,
                            "debit": 200,
                            "partner_id": self.carla.id,
                        }
                    ),
                    Command.create(
                        {
                            "account_id": self.account_4561.id,
                            "credit": 200,
                            "partner_id": self.carla.id,
                        }
                    ),
                ],
            }
        )
        bank_entry.action_post()
        self.assertEqual(request.state, "invoiced")
        receivable = (request.invoice_id.line_ids | bank_entry.line_ids).filtered(
            lambda line: line.account_id == self.account_4561
        )
        receivable.reconcile()
        self.assertEqual(request.state, "done")
        self.assertEqual(request.issue_date, date(2026, 4, 2))
        self.assertEqual(self.carla.telecoop_share_count, 2)

    def test_partial_payment_issues_nothing(self):
        request = self._request(self.carla, quantity=2)
        request.action_validate()
        self._pay(request.invoice_id, amount=100)
        self.assertEqual(request.invoice_id.payment_state, "partial")
        self.assertEqual(request.state, "invoiced")
        self.assertFalse(request.share_line_ids)
        self._pay(request.invoice_id, amount=100)
        self.assertEqual(request.state, "done")
        self.assertEqual(self.carla.telecoop_share_count, 2)

    def test_an_edited_share_invoice_issues_no_share_for_what_was_not_paid(self):
        """Red team: the invoice of 2 shares at 100 reset to draft, its price set to 1,
        posted again and paid 2: the 2 shares (200 of capital) were issued for 2."""
        request = self._request(self.carla, quantity=2)
        request.action_validate()
        invoice = request.invoice_id
        invoice.button_draft()
        invoice.invoice_line_ids.price_unit = 1
        with self.assertRaisesRegex(UserError, "its total must be their value, 200"):
            invoice.action_post()
        self.assertEqual(invoice.state, "draft")
        self.assertFalse(request.share_line_ids)
        invoice.invoice_line_ids.price_unit = 100
        invoice.action_post()
        self._pay(invoice, amount=200)
        self.assertEqual(request.state, "done")
        self.assertEqual(self.carla.telecoop_share_count, 2)

    def test_a_payment_with_the_rest_written_off_issues_no_share(self):
        """Red team: the invoice of 2 shares at 100 marked as paid with 1 received and
        199 written off to an expense account: the 2 shares (200 of capital) were
        issued for 1."""
        request = self._request(self.carla, quantity=2)
        request.action_validate()
        expense = self.env["account.account"].search(
            [("account_type", "=", "expense"), ("company_ids", "in", self.company.id)], limit=1
        )
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=request.invoice_id.ids)
            .create(
                {
                    "journal_id": self.bank_journal.id,
                    "amount": 1,
                    "payment_difference_handling": "reconcile",
                    "writeoff_account_id": expense.id,
                    "writeoff_label": "Gift",
                }
            )
        )
        with self.assertRaisesRegex(UserError, "200.0, is received: 199.0 of it is written off"):
            wizard._create_payments()
        self.assertEqual(request.state, "invoiced")
        self.assertFalse(request.share_line_ids)

    def test_class_maximum_is_refused_with_the_figures(self):
        self._subscribe_paid(self.carla, quantity=45)
        request = self._request(self.carla, quantity=6)
        with self.assertRaisesRegex(UserError, r"would hold 51 shares.*at most 50 shares of class"):
            request.action_validate()
        self.assertEqual(request.state, "draft")

    def test_pending_requests_count_towards_the_limits(self):
        self._request(self.carla, quantity=30).action_validate()
        with self.assertRaisesRegex(UserError, "at most 50 shares"):
            self._request(self.carla, quantity=21).action_validate()

    def test_validation_holds_the_register_lock_against_other_transactions(self):
        """Red team: two staff validate, at the same instant, two requests of Carla of 30
        shares each (class maximum 50). Each transaction read the other request as a
        draft (not pending) and both were invoiced: 60 shares promised. The validation
        now takes the register's lock (and writes its version row, so that the second
        transaction is replayed and sees the first), as transfers and buy-backs do."""
        self._request(self.carla, quantity=30).action_validate()
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            other.execute(
                "SELECT pg_try_advisory_xact_lock(%s, %s)", (REGISTER_LOCK_KEY, self.company.id)
            )
            self.assertFalse(other.fetchone()[0], "the validation must hold the lock")
        finally:
            other.rollback()
            other.close()

    def test_statute_maximum_is_refused_across_classes(self):
        other_class = self.share_class.copy({"name": "Founders share", "max_per_member": 0})
        self.profile.max_shares_per_member = 10
        self._subscribe_paid(self.carla, quantity=8)
        request = self._request(self.carla, quantity=3, share_class=other_class)
        with self.assertRaisesRegex(UserError, "at most 10 shares per member in the statutes"):
            request.action_validate()

    def test_class_minimum_for_a_first_subscription(self):
        self.share_class.min_per_member = 2
        with self.assertRaisesRegex(UserError, "at least 2 shares of class"):
            self._request(self.carla, quantity=1).action_validate()

    def test_refused_and_cancelled_are_states(self):
        refused = self._request(self.carla)
        refused.write({"refusal_reason": "Not a user of the service"})
        refused.action_refuse()
        self.assertEqual(refused.state, "refused")
        with self.assertRaisesRegex(UserError, "cannot become"):
            refused.action_validate()
        invoiced = self._request(self.david)
        invoiced.action_validate()
        invoiced.action_cancel()
        self.assertEqual(invoiced.state, "cancelled")
        self.assertEqual(invoiced.invoice_id.state, "cancel")

    def test_paid_request_cannot_be_cancelled(self):
        request = self._subscribe_paid(self.carla)
        with self.assertRaisesRegex(UserError, "cannot become"):
            request.action_cancel()

    def test_missing_accounting_setup_is_named(self):
        self.profile.share_journal_id = False
        with self.assertRaisesRegex(UserError, "missing: Share invoices journal"):
            self._request(self.carla).action_validate()

    def test_setup_needed_by_the_payment_is_checked_at_validation(self):
        self.profile.capital_paid_account_id = False
        request = self._request(self.carla)
        with self.assertRaisesRegex(UserError, "Subscribed capital called, paid-up"):
            request.action_validate()
        self.assertFalse(request.invoice_id)

    def test_officer_gets_an_activity_closed_on_validation(self):
        self.profile.membership_officer_id = self.membership_user
        request = self._request(self.carla)
        self.assertEqual(request.activity_ids.user_id, self.membership_user)
        request.action_validate()
        self.assertFalse(request.activity_ids)

    def test_former_member_comes_back_with_the_same_number(self):
        self._subscribe_paid(self.carla, quantity=1, on_date="2026-01-05")
        number = self.carla.telecoop_member_number
        self.carla.write({"telecoop_is_member": False, "telecoop_member_until": "2026-02-01"})
        self._subscribe_paid(self.carla, quantity=1, on_date="2026-04-01")
        self.assertTrue(self.carla.telecoop_is_member)
        self.assertEqual(self.carla.telecoop_member_number, number)
        self.assertEqual(self.carla.telecoop_member_since, date(2026, 4, 1))
        self.assertFalse(self.carla.telecoop_member_until)

    def _membership(self, partner, company=None):
        company = company or self.company
        return self.env["telecoop.membership"]._get_for(partner, company)

    def test_validated_request_makes_a_candidate_then_a_member_then_a_former(self):
        """As OCA cooperator 16.0's ``cooperative.membership``: the record exists from
        the validation of the request (candidate), the member is effective when the
        shares are issued, and a former member when the last share is gone."""
        other_company = self.env["res.company"].create({"name": "Another hosted coop"})
        request = self._request(self.carla, quantity=2)
        self.assertFalse(self._membership(self.carla), "a draft request makes no candidate")
        request.action_validate()
        membership = self._membership(self.carla)
        self.assertEqual(
            (membership.state, membership.member_number, membership.is_member),
            ("candidate", False, False),
        )
        self.assertFalse(self.carla.telecoop_is_member)
        self.assertFalse(self._membership(self.carla, other_company), "this cooperative only")
        self._pay(request.invoice_id, "2026-03-10")
        self.assertEqual(membership.state, "member")
        self.assertEqual(membership.admission_date, date(2026, 3, 10))
        self.assertTrue(membership.member_number)
        # David's share keeps the capital at the floor once Carla's are bought back
        self._subscribe_paid(self.david, quantity=1)
        self.profile.write({"capital_floor": 100, "buyback_delay_months": 0})
        self.env["telecoop.share.buyback"].create(
            {
                "company_id": self.company.id,
                "partner_id": self.carla.id,
                "share_class_id": self.share_class.id,
                "quantity": 2,
                "request_date": "2026-06-15",
                "decision_date": "2026-06-30",
            }
        ).action_approve()
        self.assertEqual((membership.state, membership.exit_date), ("former", date(2026, 6, 30)))
        # a former member who applies again is a candidate again, with the same number
        number = membership.member_number
        self._request(self.carla).action_validate()
        self.assertEqual((membership.state, membership.member_number), ("candidate", number))
        self.assertFalse(self.carla.telecoop_is_member)

    def test_refused_or_cancelled_candidate_is_no_longer_one(self):
        first = self._request(self.carla)
        second = self._request(self.carla)
        (first | second).action_validate()
        first.action_cancel()
        self.assertEqual(self._membership(self.carla).state, "candidate", "one is still pending")
        second.action_cancel()
        self.assertFalse(self._membership(self.carla), "never admitted: no membership left")
        # a member's cancelled request leaves the member a member
        self._subscribe_paid(self.david)
        more = self._request(self.david)
        more.action_validate()
        more.action_cancel()
        self.assertEqual(self._membership(self.david).state, "member")


@tagged("post_install", "-at_install")
class TestSubscriptionNumbers(TelecoopAccountingCommon):
    """A request is numbered in the year of its date, whenever it is entered."""

    def test_each_request_takes_the_year_of_its_date(self):
        partner = self.env["res.partner"].create({"name": "Nadia Year"})
        late = self._request(partner, request_date=date(2025, 8, 1))
        older = self._request(partner, request_date=date(2024, 3, 15))
        late_too = self._request(partner, request_date=date(2025, 12, 31))
        self.assertRegex(late.name, r"^SUB/2025/\d{5}$")
        self.assertRegex(older.name, r"^SUB/2024/\d{5}$")
        # the numbers of a year follow each other
        self.assertEqual(int(late_too.name[-5:]), int(late.name[-5:]) + 1)
        # a request of today is numbered in this year
        today = self._request(partner)
        self.assertTrue(today.name.startswith(f"SUB/{date.today().year}/"), today.name)

    def test_update_keeps_the_numbers_and_gives_none_twice(self):
        """A database of an earlier version: one counter, numbered in the year of
        entry. The update (migration 19.0.2.0.2) renumbers nothing, and the numbers of
        each year go on above the counter, so no number comes twice."""
        sequence = self.env.ref("telecoop_membership.seq_telecoop_subscription_request")
        sequence.date_range_ids.unlink()
        sequence.write({"use_date_range": False})
        partner = self.env["res.partner"].create({"name": "Omar Before"})
        year = date.today().year
        before = self._request(partner) | self._request(partner, request_date=date(2025, 8, 1))
        names = before.mapped("name")
        # the old numbering: the year of entry, one counter
        for name in names:
            self.assertTrue(name.startswith(f"SUB/{year}/"), name)
        path = Path(__file__).parents[1] / "migrations" / "19.0.2.0.2" / "post-migrate.py"
        spec = importlib.util.spec_from_file_location("telecoop_migration_19_0_2_0_2", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "19.0.2.0.1")
        self.env.invalidate_all()
        self.assertTrue(sequence.use_date_range)
        self.assertEqual(before.mapped("name"), names)
        after = self._request(partner)
        self.assertTrue(after.name.startswith(f"SUB/{year}/"), after.name)
        self.assertGreater(int(after.name[-5:]), max(int(name[-5:]) for name in names))
        self.assertRegex(self._request(partner, request_date=date(2025, 9, 1)).name, r"^SUB/2025/")
