# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class TelecoopMobileLine(models.Model):
    """A mobile line (MSISDN) held by a contact, on a plan."""

    _name = "telecoop.mobile.line"
    _description = "Mobile line"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "msisdn, id"
    _rec_name = "msisdn"

    msisdn = fields.Char(
        string="Number (MSISDN)",
        required=True,
        index=True,
        tracking=True,
        help="E.164 without +, e.g. 33612345678.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one("res.partner", string="Holder", required=True, tracking=True)
    plan_id = fields.Many2one("telecoop.mobile.plan", required=True, tracking=True)
    activation_date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    termination_date = fields.Date(tracking=True)
    state = fields.Selection(
        [("active", "Active"), ("suspended", "Suspended"), ("terminated", "Terminated")],
        default="active",
        required=True,
        tracking=True,
    )
