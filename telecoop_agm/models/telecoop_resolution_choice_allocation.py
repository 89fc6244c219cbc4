# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class TelecoopResolutionChoice(models.Model):
    """An option of the allocation resolution carries the allocation it proposes.

    When the option wins the vote, the surplus allocation wizard takes its
    figures as the proposal voted (they are checked against the statutes there).
    """

    _inherit = "telecoop.resolution.choice"

    currency_id = fields.Many2one(related="resolution_id.company_id.currency_id")
    allocation_proposal = fields.Boolean(
        help="This option proposes an allocation of the result: when it wins, the surplus "
        "allocation wizard takes its figures."
    )
    allocation_legal_reserve = fields.Monetary(string="Proposed legal reserve")
    allocation_statutory_reserve = fields.Monetary(
        string="Proposed statutory reserves", help="Subsidies included."
    )
    allocation_other_reserves = fields.Monetary(string="Proposed other reserves")
    allocation_interest_rate = fields.Float(string="Proposed interest rate (%)", digits=(6, 4))

    def _get_allocation_proposal(self):
        """The proposal of this option, as values of the allocation wizard."""
        self.ensure_one()
        return {
            "legal_reserve": self.allocation_legal_reserve,
            "statutory_reserve": self.allocation_statutory_reserve,
            "other_reserves": self.allocation_other_reserves,
            "interest_rate": self.allocation_interest_rate,
        }
