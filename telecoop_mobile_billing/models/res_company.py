# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    telecoop_usage_retention_months = fields.Integer(
        string="Usage records retention (months)",
        default=12,
        help="Raw usage records older than this are deleted by a scheduled action; "
        "rated usage and invoices stay.",
    )
