# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .telecoop_mobile_line import month_bounds


class TelecoopRatedUsage(models.Model):
    """After each rating: the plans' medians and the usage alerts."""

    _inherit = "telecoop.rated.usage"

    @api.model
    def _rate_period(self, company, period_date, line_ids=None):
        count = super()._rate_period(company, period_date, line_ids=line_ids)
        self._after_rating(company, period_date, line_ids)
        return count

    @api.model
    def _after_rating(self, company, period_date, line_ids=None):
        first, __, __ = month_bounds(period_date)
        self.env["telecoop.plan.usage.median"].sudo()._refresh(company, first)
        # alerts are for the month under way: a late file of a closed month
        # (or the billing run) does not warn anybody afterwards
        if first == month_bounds(fields.Date.context_today(self))[0]:
            domain = [("company_id", "=", company.id), ("period", "=", first)]
            if line_ids is not None:
                domain.append(("line_id", "in", list(line_ids)))
            months = self.env["telecoop.priced.month"].sudo().search(domain)
            months.line_id._check_usage_alerts(first)
