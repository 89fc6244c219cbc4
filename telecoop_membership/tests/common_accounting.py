# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields

from .common import TelecoopCommon


class TelecoopAccountingCommon(TelecoopCommon):
    """The test cooperative with a chart of accounts and its capital accounts set up.

    The capital accounts follow the French chart (4561, 1012, 1013, 4567) and
    are created here, on the company of the tests, whatever chart it has.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company, install_demo=False
        )
        account = cls.env["account.account"]
        company_ids = cls.company.ids

        def make(code, name, account_type, reconcile=False):
            return account.create(
                {
                    "code": code,
                    "name": name,
                    "account_type": account_type,
                    "reconcile": reconcile,
                    "company_ids": company_ids,
                }
            )

        cls.account_4561 = make(
            "4561", "Associés - comptes d'apport", "asset_receivable", reconcile=True
        )
        cls.account_1012 = make("1012", "Capital souscrit appelé non versé", "equity")
        cls.account_1013 = make("1013", "Capital souscrit appelé versé", "equity")
        cls.account_4567 = make(
            "4567", "Associés - capital à rembourser", "liability_current", reconcile=True
        )
        journals = cls.env["account.journal"].search([("company_id", "=", cls.company.id)])
        cls.sale_journal = journals.filtered(lambda j: j.type == "sale")[:1]
        cls.misc_journal = journals.filtered(lambda j: j.type == "general")[:1]
        cls.bank_journal = journals.filtered(lambda j: j.type == "bank")[:1]
        cls.profile.write(
            {
                "share_journal_id": cls.sale_journal.id,
                "capital_journal_id": cls.misc_journal.id,
                "member_contribution_account_id": cls.account_4561.id,
                "capital_called_unpaid_account_id": cls.account_1012.id,
                "capital_paid_account_id": cls.account_1013.id,
                "buyback_payable_account_id": cls.account_4567.id,
                "buyback_payout_journal_id": cls.bank_journal.id,
            }
        )
        cls.currency = cls.company.currency_id

    @classmethod
    def _request(cls, partner, quantity=1, share_class=None, **vals):
        return cls.env["telecoop.subscription.request"].create(
            {
                "company_id": cls.company.id,
                "partner_id": partner.id,
                "share_class_id": (share_class or cls.share_class).id,
                "quantity": quantity,
                **vals,
            }
        )

    @classmethod
    def _pay(cls, invoice, on_date="2026-03-10", amount=None):
        """Register a payment of ``invoice`` in the bank journal: it reconciles."""
        vals = {"payment_date": fields.Date.to_date(on_date), "journal_id": cls.bank_journal.id}
        if amount is not None:
            vals["amount"] = amount
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(vals)
            ._create_payments()
        )

    @classmethod
    def _subscribe_paid(cls, partner, quantity=1, on_date="2026-03-10", share_class=None):
        request = cls._request(partner, quantity, share_class)
        request.action_validate()
        cls._pay(request.invoice_id, on_date)
        return request

    def _balance(self, account, at_date):
        """Balance (credit positive) of an account at the end of a date, posted entries."""
        lines = self.env["account.move.line"].search(
            [
                ("account_id", "=", account.id),
                ("date", "<=", at_date),
                ("parent_state", "=", "posted"),
            ]
        )
        return self.currency.round(-sum(lines.mapped("balance")))
