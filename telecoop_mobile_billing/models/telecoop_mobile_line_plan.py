# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class TelecoopMobileLinePlan(models.Model):
    """A plan of a line from a date: the history that prorates the months of change."""

    _name = "telecoop.mobile.line.plan"
    _description = "Plan of a mobile line from a date"
    _check_company_auto = True
    _order = "line_id, date_from, id"

    line_id = fields.Many2one(
        "telecoop.mobile.line", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="line_id.company_id", store=True)
    plan_id = fields.Many2one(
        "telecoop.mobile.plan", required=True, ondelete="restrict", check_company=True
    )
    date_from = fields.Date(string="From", required=True)

    _line_date_unique = models.Constraint(
        "UNIQUE(line_id, date_from)", "A line changes plan at most once a day."
    )
