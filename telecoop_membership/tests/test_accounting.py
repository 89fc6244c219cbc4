# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.tests import tagged

from .common_accounting import TelecoopAccountingCommon


@tagged("post_install", "-at_install")
class TestCapitalAccounting(TelecoopAccountingCommon):
    """Subscription, payment and buy-back entries; the register equals account 1013."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # paid out six months after the board's decision, in the past of any run
        cls.profile.write({"capital_floor": 0, "buyback_delay_months": 6})
        partner = cls.env["res.partner"]
        cls.anna = partner.create({"name": "Anna"})
        cls.ben = partner.create({"name": "Ben"})
        cls.request_anna = cls._subscribe_paid(cls.anna, quantity=4, on_date="2026-01-20")
        cls.request_ben = cls._request(cls.ben, quantity=2)
        cls.request_ben.action_validate()  # invoiced, paid later
        cls._pay(cls.request_ben.invoice_id, on_date="2026-02-15")
        cls.buyback = cls.env["telecoop.share.buyback"].create(
            {
                "company_id": cls.company.id,
                "partner_id": cls.anna.id,
                "share_class_id": cls.share_class.id,
                "quantity": 1,
                "request_date": "2026-03-02",
                "decision_date": "2026-03-05",
            }
        )
        cls.buyback.action_approve()

    def _register_total(self, at_date):
        rows = self.env["telecoop.share.line"]._get_register_rows(self.company, at_date)
        return self.currency.round(sum(row["amount"] for row in rows))

    def test_register_equals_paid_up_capital_at_every_date(self):
        golden = {
            date(2026, 1, 19): 0,
            date(2026, 1, 20): 400,
            date(2026, 2, 14): 400,
            date(2026, 2, 15): 600,
            date(2026, 3, 5): 500,
            date(2026, 12, 31): 500,
        }
        for at_date, expected in golden.items():
            with self.subTest(at_date=at_date):
                register = self._register_total(at_date)
                self.assertEqual(self.currency.compare_amounts(register, expected), 0)
                self.assertEqual(
                    self.currency.compare_amounts(
                        self._balance(self.account_1013, at_date), register
                    ),
                    0,
                )

    def test_subscription_payment_entries(self):
        invoice = self.request_anna.invoice_id
        # Invoice: 4561 debit / 1012 credit.
        self.assertEqual(
            self.currency.compare_amounts(
                sum(
                    invoice.line_ids.filtered(lambda ml: ml.account_id == self.account_4561).mapped(
                        "debit"
                    )
                ),
                400,
            ),
            0,
        )
        # Paid: 4561 settled, 1012 moved to 1013.
        self.assertTrue(self.currency.is_zero(self._balance(self.account_4561, date(2026, 12, 31))))
        self.assertTrue(self.currency.is_zero(self._balance(self.account_1012, date(2026, 12, 31))))
        capital_move = self.request_anna.share_line_ids.move_id
        self.assertEqual(capital_move.state, "posted")
        self.assertEqual(capital_move.date, date(2026, 1, 20))
        self.assertEqual(
            capital_move.line_ids.filtered(lambda ml: ml.credit).account_id, self.account_1013
        )

    def test_buyback_entries(self):
        move = self.buyback.capital_move_id
        self.assertEqual(move.date, date(2026, 3, 5))
        self.assertEqual(move.line_ids.filtered(lambda ml: ml.debit).account_id, self.account_1013)
        self.assertEqual(move.line_ids.filtered(lambda ml: ml.credit).account_id, self.account_4567)
        self.assertEqual(
            self.currency.compare_amounts(self._balance(self.account_4567, date(2026, 3, 5)), 100),
            0,
        )
        self.assertEqual(self.buyback.payout_due_date, date(2026, 9, 5))
        self.buyback.write({"payout_date": "2026-09-07"})
        self.buyback.action_payout()
        self.assertTrue(self.currency.is_zero(self._balance(self.account_4567, date(2026, 9, 7))))


@tagged("post_install", "-at_install")
class TestFrenchAccountingDefaults(TelecoopAccountingCommon):
    def test_french_chart_defaults_fill_only_what_is_empty(self):
        other = self.env["res.company"].create({"name": "French Defaults Coop"})
        self.env.user.company_ids |= other
        self.env["account.chart.template"].try_loading(
            "generic_coa", company=other, install_demo=False
        )
        profile = self.env["telecoop.statute.profile"].create(
            {"name": "Defaults statutes", "company_id": other.id}
        )
        kept = self.env["account.account"].create(
            {
                "code": "1013",
                "name": "Already there",
                "account_type": "equity",
                "company_ids": other.ids,
            }
        )
        profile.action_set_french_accounting()
        profile = profile.with_company(other)  # account codes are read per company
        self.assertEqual(profile.capital_paid_account_id, kept)
        self.assertEqual(profile.member_contribution_account_id.code, "4561")
        self.assertEqual(profile.member_contribution_account_id.account_type, "asset_receivable")
        self.assertTrue(profile.member_contribution_account_id.reconcile)
        self.assertEqual(profile.capital_called_unpaid_account_id.code, "1012")
        self.assertEqual(profile.buyback_payable_account_id.code, "4567")
        self.assertEqual(profile.share_journal_id.type, "sale")
        self.assertEqual(profile.capital_journal_id.type, "general")
        self.assertEqual(profile.buyback_payout_journal_id.type, "bank")
        self.assertEqual(profile.share_journal_id.company_id, other)
        # A second run changes nothing and creates no duplicate.
        profile.action_set_french_accounting()
        self.assertEqual(
            self.env["account.account"]
            .with_company(other)
            .search_count([("code", "=", "4561"), ("company_ids", "in", other.ids)]),
            1,
        )

    def test_french_chart_of_odoo_gives_its_six_digit_accounts(self):
        """On Odoo's French chart (l10n_fr_account) 1012, 1013 and 4567 are 101200,
        101300 and 456700: they are taken, no four-digit twin is created."""
        other = self.env["res.company"].create(
            {"name": "Chart FR Coop", "country_id": self.env.ref("base.fr").id}
        )
        self.env.user.company_ids |= other
        self.env["account.chart.template"].try_loading("fr", company=other, install_demo=False)
        profile = self.env["telecoop.statute.profile"].create(
            {"name": "FR chart statutes", "company_id": other.id}
        )
        profile.action_set_french_accounting()
        profile = profile.with_company(other)
        self.assertEqual(profile.capital_called_unpaid_account_id.code, "101200")
        self.assertEqual(profile.capital_paid_account_id.code, "101300")
        self.assertEqual(profile.buyback_payable_account_id.code, "456700")
        # 4561 (members' contributions) is not in Odoo's French chart: it is opened
        self.assertEqual(profile.member_contribution_account_id.code, "4561")
        self.assertFalse(
            self.env["account.account"]
            .with_company(other)
            .search_count(
                [("code", "in", ["1012", "1013", "4567"]), ("company_ids", "in", other.ids)]
            )
        )
