# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .telecoop_mobile_line import month_bounds


class TelecoopRatedUsage(models.Model):
    """After each rating: the freshness of the month and the usage alerts."""

    _inherit = "telecoop.rated.usage"

    last_usage_at = fields.Datetime(
        string="Last usage",
        readonly=True,
        help="Start of the line's last usage record of the month when it was rated "
        "(kept on one row of the line and month).",
    )

    @api.model
    def _rate_period(self, company, period_date, line_ids=None):
        count = super()._rate_period(company, period_date, line_ids=line_ids)
        first, __, __ = month_bounds(period_date)
        self._set_last_usage(company, first, line_ids)
        self.env["telecoop.plan.usage.median"].sudo()._refresh(company, first)
        # alerts are for the month under way: a late file of a closed month
        # (or the billing run) does not warn anybody afterwards
        if first == month_bounds(fields.Date.context_today(self))[0]:
            lines = self.env["telecoop.mobile.line"].sudo()
            if line_ids is None:
                self.env.cr.execute(
                    "SELECT DISTINCT line_id FROM telecoop_rated_usage "
                    "WHERE company_id = %s AND period = %s",
                    [company.id, first],
                )
                line_ids = [row[0] for row in self.env.cr.fetchall()]
            lines.browse(line_ids)._check_usage_alerts(first)
        return count

    def _set_last_usage(self, company, first, line_ids):
        """Keep the start of each line's last record of the month, on one of its rows."""
        line_filter = "AND line_id = ANY(%(lines)s)" if line_ids is not None else ""
        self.env.cr.execute(
            f"""
            UPDATE telecoop_rated_usage r SET last_usage_at = m.last_at
              FROM (SELECT line_id, MAX(started_at) AS last_at
                      FROM telecoop_usage_record
                     WHERE company_id = %(company)s AND period = %(period)s
                           AND line_id IS NOT NULL {line_filter}
                     GROUP BY line_id) m,
                   (SELECT DISTINCT ON (line_id) line_id, id
                      FROM telecoop_rated_usage
                     WHERE company_id = %(company)s AND period = %(period)s {line_filter}
                     ORDER BY line_id, id) f
             WHERE f.line_id = m.line_id AND r.id = f.id
            """,
            {"company": company.id, "period": first, "lines": list(line_ids or [])},
        )
        self.invalidate_model(["last_usage_at"])
