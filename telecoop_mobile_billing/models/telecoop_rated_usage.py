# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from psycopg2.extras import execute_values

from odoo import api, fields, models
from odoo.tools import SQL

from .telecoop_mobile_line import month_bounds
from .telecoop_usage_record import USAGE_TYPES, ZONES, BigInteger


class TelecoopRatedUsage(models.Model):
    """Usage of a line in a month, per usage type and zone, with its price.

    Written in bulk by :meth:`_rate_period` from the raw usage records; kept
    when the raw records are purged.
    """

    _name = "telecoop.rated.usage"
    _description = "Rated usage"
    _check_company_auto = True
    _order = "period desc, line_id, usage_type, zone"

    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    line_id = fields.Many2one(
        "telecoop.mobile.line", required=True, ondelete="cascade", readonly=True, check_company=True
    )
    partner_id = fields.Many2one(related="line_id.partner_id")
    period = fields.Date(required=True, readonly=True, help="First day of the month.")
    usage_type = fields.Selection(USAGE_TYPES, required=True, readonly=True)
    zone = fields.Selection(ZONES, required=True, readonly=True)
    quantity = BigInteger(readonly=True, help="Bytes, seconds or a count.")
    quantity_display = fields.Char(
        string="Used",
        compute="_compute_quantity_display",
        help="The quantity as a person reads it (GB, minutes); the raw quantity stays in "
        "Quantity for exports.",
    )
    record_count = fields.Integer(readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(readonly=True, help="Price of this usage, tax excluded.")
    third_party_amount = fields.Monetary(
        readonly=True, help="Sum of what premium services charge on top, tax included."
    )
    last_usage_at = fields.Datetime(
        string="Last usage",
        readonly=True,
        help="Start of the last usage record of this line, month, type and zone when it "
        "was rated: how fresh the month's figures are.",
    )

    _line_period_type_zone_unique = models.Constraint(
        "UNIQUE(line_id, period, usage_type, zone)", "Usage is rated once per line and month."
    )
    _company_period_idx = models.Index("(company_id, period)")

    @api.depends("usage_type", "quantity")
    @api.depends_context("lang")
    def _compute_quantity_display(self):
        fmt = self.env["telecoop.format"]
        for row in self:
            row.quantity_display = fmt.quantity(row.usage_type, row.quantity)

    @api.model
    def _rate_period(self, company, period_date, line_ids=None):
        """(Re)rate the month of ``period_date``: usage totals, then the priced month.

        The totals per line, type and zone come from the raw records (through
        their model); the money is the priced month's (``telecoop.priced.month``,
        written here, once): the ``amount`` of a row is the sum of the usage
        charges of its type and zone. Rating depends only on the set of records
        of the month, so rating again after a late file gives the same result as
        rating once with all records. Returns the number of rows.
        """
        first, __, __ = month_bounds(period_date)
        self.flush_model()
        cr = self.env.cr
        if line_ids is not None:
            line_ids = list(line_ids)
        totals = defaultdict(lambda: [0, 0, None, None])
        for (
            line_id,
            __,
            usage_type,
            zone,
            __,
            quantity,
            count,
            third_party,
            last_at,
        ) in self.env["telecoop.usage.record"]._get_month_totals(company, first, line_ids):
            row = totals[(line_id, usage_type, zone)]
            row[0] += int(quantity or 0)
            row[1] += count
            if third_party is not None:
                row[2] = (row[2] or 0) + third_party
            if last_at and (not row[3] or last_at > row[3]):
                row[3] = last_at
        months = self.env["telecoop.priced.month"]._rate_months(company, first, line_ids)
        amounts = defaultdict(float)
        self.env.cr.execute(
            SQL(
                "SELECT line_id, usage_type, zone, SUM(amount_untaxed) FROM telecoop_priced_charge "
                "WHERE month_id = ANY(%s) AND kind = 'usage' GROUP BY 1, 2, 3",
                months.ids,
            )
        )
        for line_id, usage_type, zone, amount in cr.fetchall():
            amounts[(line_id, usage_type, zone)] = amount
        frozen = set()
        if line_ids is None or line_ids:
            # rows of invoiced months stay as invoiced
            cr.execute(
                SQL(
                    "SELECT line_id FROM telecoop_priced_month WHERE company_id = %s "
                    "AND period = %s AND invoiced",
                    company.id,
                    first,
                )
            )
            frozen = {row[0] for row in cr.fetchall()}
        line_filter = SQL("AND line_id = ANY(%s)", line_ids) if line_ids is not None else SQL()
        cr.execute(
            SQL(
                "DELETE FROM telecoop_rated_usage WHERE company_id = %s AND period = %s "
                "AND NOT (line_id = ANY(%s)) %s",
                company.id,
                first,
                sorted(frozen),
                line_filter,
            )
        )
        rows = [
            (
                company.id,
                line_id,
                first,
                usage_type,
                zone,
                quantity,
                count,
                third_party,
                amounts.get((line_id, usage_type, zone), 0.0),
                last_at,
                self.env.uid,
                self.env.uid,
            )
            for (line_id, usage_type, zone), (quantity, count, third_party, last_at) in sorted(
                totals.items()
            )
            if line_id not in frozen
        ]
        if rows:
            execute_values(
                cr,
                """
                INSERT INTO telecoop_rated_usage
                       (company_id, line_id, period, usage_type, zone, quantity, record_count,
                        third_party_amount, amount, last_usage_at, create_uid, write_uid,
                        create_date, write_date)
                VALUES %s
                """,
                rows,
                template="(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
                "now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')",
                page_size=5000,
            )
        self.invalidate_model()
        return len(rows)

    @api.model
    def _rate_increment(self, company, usage_query):
        """Rate again the lines and months that new raw usage touched.

        ``usage_query`` (an ``SQL``) gives rows ``(line_id, period, ...)`` of
        records not rated yet (the importer passes what one file brought). Only
        the lines it touches are rated again, through :meth:`_rate_period`, the
        one path from usage to the priced month (so an invoiced month stays as
        invoiced, a holder change splits the month, and the result is the one of
        rating once with all records). Returns the lines rated, as
        ``{period: set of line ids}``.
        """
        # ratings of one company by increments one after the other: two imports
        # ending together both count
        self.env.cr.execute(
            SQL(
                "SELECT pg_advisory_xact_lock(hashtext('telecoop_rated_usage_increment'), %s)",
                company.id,
            )
        )
        self.env.cr.execute(SQL("SELECT DISTINCT u.line_id, u.period FROM (%s) AS u", usage_query))
        touched = defaultdict(set)
        for line_id, period in self.env.cr.fetchall():
            touched[period].add(line_id)
        for period, line_ids in sorted(touched.items()):
            self._rate_period(company, period, line_ids=sorted(line_ids))
        return touched
