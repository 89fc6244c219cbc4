# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class TelecoopSurplusAllocationLine(models.Model):
    """The interest on shares of one member for the fiscal year."""

    _name = "telecoop.surplus.allocation.line"
    _description = "Interest on shares of a member"
    _order = "allocation_id, partner_id"

    allocation_id = fields.Many2one(
        "telecoop.surplus.allocation", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="allocation_id.company_id", store=True)
    currency_id = fields.Many2one(related="allocation_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Member", required=True, index=True)
    member_number = fields.Char(related="partner_id.telecoop_member_number")
    interest_base = fields.Monetary(
        string="Capital held over the year", help="Capital x days held / days of the year."
    )
    amount = fields.Monetary(string="Interest")
