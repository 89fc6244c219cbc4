# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .telecoop_mobile_line import month_bounds

#: the median of a plan's lines' data in a month, in SQL from the rated usage
_MEDIAN_SQL = """
    WITH per_line AS (
        SELECT l.plan_id, l.id, COALESCE(SUM(r.quantity), 0) AS quantity
          FROM telecoop_mobile_line l
     LEFT JOIN telecoop_rated_usage r
            ON r.line_id = l.id AND r.period = %(first)s AND r.usage_type = 'data'
         WHERE l.company_id = %(company)s {plan_filter}
           AND l.activation_date <= %(last)s
           AND (l.termination_date IS NULL OR l.termination_date >= %(first)s)
         GROUP BY l.plan_id, l.id
    )
    SELECT plan_id, count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY quantity)
      FROM per_line
     GROUP BY plan_id
"""


class TelecoopPlanUsageMedian(models.Model):
    """Median data usage of the lines of a plan in a month (sobriety comparison).

    Refreshed in one SQL statement after each rating, so that a member's page
    reads one row; it holds no figure of any single line.
    """

    _name = "telecoop.plan.usage.median"
    _description = "Median usage of a plan in a month"
    _check_company_auto = True
    _order = "period desc, plan_id"

    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    plan_id = fields.Many2one(
        "telecoop.mobile.plan", required=True, ondelete="cascade", readonly=True, check_company=True
    )
    period = fields.Date(required=True, readonly=True)
    line_count = fields.Integer(readonly=True)
    median_data = fields.Float(string="Median data (bytes)", readonly=True, digits=(20, 0))

    _plan_period_unique = models.Constraint(
        "UNIQUE(company_id, plan_id, period)", "One median per plan and month."
    )

    @api.model
    def _compute_medians(self, company, period_date, plan=None):
        """{plan_id: (line count, median bytes)} of the month, straight from SQL."""
        first, last, __ = month_bounds(period_date)
        self.env["telecoop.rated.usage"].flush_model()
        self.env["telecoop.mobile.line"].flush_model()
        self.env.cr.execute(
            _MEDIAN_SQL.format(plan_filter="AND l.plan_id = %(plan)s" if plan else ""),
            {"first": first, "last": last, "company": company.id, "plan": plan and plan.id},
        )
        return {plan_id: (count, median) for plan_id, count, median in self.env.cr.fetchall()}

    @api.model
    def _refresh(self, company, period_date):
        """Store the medians of every plan of ``company`` for the month."""
        first, __, __ = month_bounds(period_date)
        medians = self._compute_medians(company, first)
        self.env.cr.execute(
            "DELETE FROM telecoop_plan_usage_median WHERE company_id = %s AND period = %s",
            [company.id, first],
        )
        if medians:
            rows = [
                (company.id, plan_id, first, count, median, self.env.uid, self.env.uid)
                for plan_id, (count, median) in medians.items()
            ]
            self.env.cr.execute(
                "INSERT INTO telecoop_plan_usage_median "
                "(company_id, plan_id, period, line_count, median_data, create_uid, write_uid, "
                " create_date, write_date) VALUES "
                + ", ".join(
                    ["(%s, %s, %s, %s, %s, %s, %s, now() AT TIME ZONE 'UTC', "
                     "now() AT TIME ZONE 'UTC')"] * len(rows)
                ),
                [item for row in rows for item in row],
            )  # fmt: skip
        self.invalidate_model()

    @api.model
    def _get_median(self, company, plan, period_date):
        """(line count, median bytes) of ``plan`` in the month: stored, else computed."""
        first, __, __ = month_bounds(period_date)
        self.env.cr.execute(
            "SELECT line_count, median_data FROM telecoop_plan_usage_median "
            "WHERE company_id = %s AND plan_id = %s AND period = %s",
            [company.id, plan.id, first],
        )
        row = self.env.cr.fetchone()
        if row:
            return row
        return self._compute_medians(company, first, plan=plan).get(plan.id, (0, None))
