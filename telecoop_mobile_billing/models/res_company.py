# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

#: longest retention of traffic data for billing: until the bill can no longer be
#: contested, one year (Code des postes et communications électroniques, L34-1 III
#: and L34-2)
MAX_USAGE_RETENTION_MONTHS = 12


class ResCompany(models.Model):
    _inherit = "res.company"

    telecoop_usage_retention_months = fields.Integer(
        string="Usage records retention (months)",
        default=12,
        help="Raw usage records are erased by a scheduled action this many months after the "
        "due date of the invoice that billed their month (1 to 12: CPCE L34-1 and L34-2); "
        "rated usage and invoices stay.",
    )

    @api.constrains("telecoop_usage_retention_months")
    def _check_telecoop_usage_retention_months(self):
        for company in self:
            months = company.telecoop_usage_retention_months
            if not 1 <= months <= MAX_USAGE_RETENTION_MONTHS:
                raise ValidationError(
                    self.env._(
                        "%(company)s: usage records are kept %(months)s months, but traffic "
                        "data are kept for billing until the bill can no longer be contested, "
                        "one year at most, then erased (CPCE L34-1 and L34-2): 1 to "
                        "%(max)s months.",
                        company=company.name,
                        months=months,
                        max=MAX_USAGE_RETENTION_MONTHS,
                    )
                )
