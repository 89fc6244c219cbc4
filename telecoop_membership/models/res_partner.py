# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    telecoop_member_number = fields.Char(
        string="Member number", copy=False, readonly=True, index=True, tracking=True
    )
    telecoop_share_line_ids = fields.One2many(
        "telecoop.share.line", "partner_id", string="Share movements"
    )
    telecoop_college_id = fields.Many2one(
        "telecoop.college", string="College", tracking=True, copy=False
    )
    telecoop_is_member = fields.Boolean(
        string="Cooperative member", copy=False, readonly=True, index=True, tracking=True
    )
    telecoop_member_since = fields.Date(string="Member since", copy=False, readonly=True)
    telecoop_member_until = fields.Date(string="Member until", copy=False, readonly=True)

    _member_number_unique = models.Constraint(
        "unique(telecoop_member_number)", "A member number is given once."
    )
