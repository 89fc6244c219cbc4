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
        """Add new raw usage to the rated usage, then price again the lines touched.

        ``usage_query`` (an ``SQL``) gives rows ``(line_id, period, usage_type,
        zone, quantity, record_count, third_party_amount, last_usage_at)`` of
        records not rated yet (the importer passes what one file brought). The
        sums are added to the rated rows in one upsert, and only the lines
        touched are priced again, from their rated rows: the work is
        proportional to what the file brought, not to the month so far. The
        result is the one of :meth:`_rate_period` on the same records, since
        pricing depends only on the month's totals. Returns the lines priced,
        as ``{period: set of line ids}``.
        """
        self.flush_model()
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                INSERT INTO telecoop_rated_usage AS r
                       (company_id, line_id, period, usage_type, zone, quantity, record_count,
                        third_party_amount, amount, last_usage_at, create_uid, write_uid,
                        create_date, write_date)
                SELECT %(company)s, u.line_id, u.period, u.usage_type, u.zone, u.quantity,
                       u.record_count, u.third_party_amount, 0, u.last_usage_at,
                       %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                  FROM (%(usage)s) AS u (line_id, period, usage_type, zone, quantity,
                                         record_count, third_party_amount, last_usage_at)
                ON CONFLICT (line_id, period, usage_type, zone) DO UPDATE
                   SET quantity = r.quantity + EXCLUDED.quantity,
                       record_count = r.record_count + EXCLUDED.record_count,
                       third_party_amount = CASE
                           WHEN r.third_party_amount IS NULL THEN EXCLUDED.third_party_amount
                           WHEN EXCLUDED.third_party_amount IS NULL THEN r.third_party_amount
                           ELSE r.third_party_amount + EXCLUDED.third_party_amount END,
                       last_usage_at = greatest(r.last_usage_at, EXCLUDED.last_usage_at),
                       write_date = EXCLUDED.write_date
                RETURNING r.line_id, r.period
                """,
                company=company.id,
                uid=self.env.uid,
                usage=usage_query,
            )
        )
        touched = defaultdict(set)
        for line_id, period in cr.fetchall():
            touched[period].add(line_id)
        for period, line_ids in sorted(touched.items()):
            self._price_lines(company, period, sorted(line_ids))
        self.invalidate_model()
        return touched

    @api.model
    def _price_lines(self, company, period, line_ids):
        """Price again the rated rows of ``line_ids`` in the month ``period``."""
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT id, line_id, usage_type, zone, quantity FROM telecoop_rated_usage "
                "WHERE company_id = %s AND period = %s AND line_id = ANY(%s)",
                company.id,
                period,
                line_ids,
            )
        )
        by_line = defaultdict(dict)
        for row_id, line_id, usage_type, zone, quantity in cr.fetchall():
            by_line[line_id][(usage_type, zone)] = (row_id, int(quantity))
        lines = self.env["telecoop.mobile.line"].browse(list(by_line))
        lines.plan_history_ids.plan_id.tier_ids.mapped("price")
        lines.plan_history_ids.plan_id.rate_ids.mapped("price")
        amounts = []
        pricing_cache = {}
        for line in lines:
            keyed = by_line[line.id]
            priced = line._price_period(
                period, {key: value[1] for key, value in keyed.items()}, pricing_cache=pricing_cache
            )
            for key, (row_id, __) in keyed.items():
                amounts.append((row_id, priced["usage"].get(key, 0)))
        if amounts:
            execute_values(
                cr,
                "UPDATE telecoop_rated_usage r SET amount = v.amount::numeric "
                "FROM (VALUES %s) AS v (id, amount) WHERE r.id = v.id",
                amounts,
                page_size=5000,
            )
