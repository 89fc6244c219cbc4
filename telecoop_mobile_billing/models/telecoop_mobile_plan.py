# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class TelecoopMobilePlan(models.Model):
    """A mobile plan: monthly base fee, what is included, how usage is priced."""

    _name = "telecoop.mobile.plan"
    _description = "Mobile plan"
    _inherit = ["mail.thread"]
    _order = "company_id, sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    base_fee = fields.Monetary(string="Monthly base fee", tracking=True)
