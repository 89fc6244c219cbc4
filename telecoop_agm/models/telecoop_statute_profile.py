# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from decimal import Decimal

from odoo import fields, models

ACCOUNT_DOMAIN = "[('company_ids', 'in', company_id)]"


class TelecoopStatuteProfile(models.Model):
    """The accounts, journal and TMO rates used to book the surplus allocation."""

    _inherit = "telecoop.statute.profile"

    allocation_journal_id = fields.Many2one(
        "account.journal",
        string="Allocation journal",
        domain="[('type', '=', 'general'), ('company_id', '=', company_id)]",
        check_company=True,
        help="Miscellaneous journal of the entry that allocates the result.",
    )
    result_account_id = fields.Many2one(
        "account.account",
        string="Result account (profit)",
        domain=ACCOUNT_DOMAIN,
        check_company=True,
        help="Debited by the allocation of a profit (French chart: 120 Résultat de "
        "l'exercice - bénéfice). Empty: the company's undistributed profits account.",
    )
    loss_account_id = fields.Many2one(
        "account.account",
        string="Result account (loss)",
        domain=ACCOUNT_DOMAIN,
        check_company=True,
        help="Credited when a loss is carried forward (French chart: 129 Résultat de "
        "l'exercice - perte). Empty: the profit account.",
    )
    legal_reserve_account_id = fields.Many2one(
        "account.account",
        string="Legal reserve account",
        domain=ACCOUNT_DOMAIN,
        check_company=True,
        help="French chart: 1061 Réserve légale.",
    )
    statutory_reserve_account_id = fields.Many2one(
        "account.account",
        string="Statutory reserves account",
        domain=ACCOUNT_DOMAIN,
        check_company=True,
        help="Impartible reserves required by the statutes (French chart: 1063 Réserves "
        "statutaires, or 1068).",
    )
    other_reserves_account_id = fields.Many2one(
        "account.account",
        string="Other reserves account",
        domain=ACCOUNT_DOMAIN,
        check_company=True,
        help="Reserves voted beyond the statutes (French chart: 1068 Autres réserves).",
    )
    retained_earnings_account_id = fields.Many2one(
        "account.account",
        string="Retained earnings account",
        domain=ACCOUNT_DOMAIN,
        check_company=True,
        help="What is carried forward (French chart: 110 Report à nouveau - solde créditeur).",
    )
    retained_losses_account_id = fields.Many2one(
        "account.account",
        string="Retained losses account",
        domain=ACCOUNT_DOMAIN,
        check_company=True,
        help="A loss carried forward (French chart: 119 Report à nouveau - solde débiteur). "
        "Empty: the retained earnings account.",
    )
    interest_payable_account_id = fields.Many2one(
        "account.account",
        string="Interest on shares payable",
        domain=ACCOUNT_DOMAIN,
        check_company=True,
        help="What the cooperative owes its members as interest on shares, one line per "
        "member (French chart: 457 Associés - dividendes à payer).",
    )
    interest_line_per_member = fields.Boolean(
        string="One interest line per member",
        default=True,
        help="Book the interest on shares payable with one line per member, ready to be "
        "paid to each of them. Otherwise one line books the total and the detail per "
        "member stays on the allocation (much faster with thousands of members: Odoo "
        "creates a few hundred entry lines per second).",
    )
    subsidy_account_ids = fields.Many2many(
        "account.account",
        "telecoop_statute_profile_subsidy_account_rel",
        "profile_id",
        "account_id",
        string="Public subsidies accounts",
        domain=ACCOUNT_DOMAIN,
        check_company=True,
        help="Credits of these accounts in the fiscal year are the public subsidies "
        "received, which go to the reserves first (French chart: 74 Subventions "
        "d'exploitation).",
    )
    tmo_rate_ids = fields.One2many(
        "telecoop.tmo.rate", "profile_id", string="Average TMO rates per year"
    )
    interest_payment_mode_id = fields.Many2one(
        "account.payment.mode",
        string="Interest payout mode",
        domain="[('payment_type', '=', 'outbound'), ('payment_order_ok', '=', True), "
        "('company_id', '=', company_id)]",
        check_company=True,
        help="The payment mode of the credit transfer order that pays the net interest to "
        "the members (SEPA credit transfer).",
    )
    interest_withholding_ids = fields.One2many(
        "telecoop.interest.withholding",
        "profile_id",
        string="Taxes withheld on interest per year",
    )

    def _get_average_tmo(self, assembly_year):
        """Average TMO of the three calendar years before ``assembly_year``.

        :return: (Decimal average or None, list of the years without a rate)
        """
        self.ensure_one()
        years = [assembly_year - 3, assembly_year - 2, assembly_year - 1]
        rates = {line.year: line.rate for line in self.tmo_rate_ids if line.year in years}
        missing = [year for year in years if year not in rates]
        if missing:
            return None, missing
        total = sum(Decimal(str(rates[year])) for year in years)
        return (total / 3).quantize(Decimal("0.0001")), []

    def _get_allocation_accounts(self, company):
        """The accounts of the allocation entry, with the fallbacks documented on the fields."""
        self.ensure_one()
        result = self.result_account_id or company.get_unaffected_earnings_account()
        retained = self.retained_earnings_account_id
        return {
            "result": result,
            "loss": self.loss_account_id or result,
            "legal_reserve": self.legal_reserve_account_id,
            "statutory_reserve": self.statutory_reserve_account_id,
            "other_reserves": self.other_reserves_account_id,
            "retained_earnings": retained,
            "retained_losses": self.retained_losses_account_id or retained,
            "interest": self.interest_payable_account_id,
        }
