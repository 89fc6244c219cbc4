# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class TelecoopMembershipRepresentative(models.TransientModel):
    """Name the contact person who represents a legal-person member."""

    _name = "telecoop.membership.representative"
    _description = "Change the representative of a member"

    membership_id = fields.Many2one("telecoop.membership", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="membership_id.partner_id")
    representative_id = fields.Many2one(
        "res.partner",
        string="Representative",
        domain="[('parent_id', '=', partner_id), ('is_company', '=', False)]",
        help="Leave empty: the member has no representative.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.membership_id._set_representative(self.representative_id)
        return {"type": "ir.actions.act_window_close"}
