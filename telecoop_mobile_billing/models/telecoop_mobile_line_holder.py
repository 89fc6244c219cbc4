# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class TelecoopMobileLineHolder(models.Model):
    """The holder of a line from a date: who is billed, and who sees which days."""

    _name = "telecoop.mobile.line.holder"
    _description = "Holder of a mobile line from a date"
    _order = "line_id, date_from, id"
    _check_company_auto = True

    line_id = fields.Many2one(
        "telecoop.mobile.line", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="line_id.company_id", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Holder", required=True, index=True, check_company=True
    )
    date_from = fields.Date(string="From", required=True)

    _line_date_unique = models.Constraint(
        "UNIQUE(line_id, date_from)", "A line changes holder at most once a day."
    )
