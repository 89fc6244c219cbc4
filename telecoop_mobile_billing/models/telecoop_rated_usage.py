# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict

from psycopg2.extras import execute_values

from odoo import api, fields, models
from odoo.tools import SQL, split_every

from .telecoop_mobile_line import month_bounds
from .telecoop_usage_record import USAGE_TYPES, ZONES, BigInteger

_logger = logging.getLogger(__name__)

#: lines priced again at once by rating by increments (system parameter
#: ``telecoop_mobile_billing.rating_reprice_chunk``)
REPRICE_CHUNK = 5000


class TelecoopRatedUsage(models.Model):
    """Usage of a line in a month, per usage type and zone, with its price.

    Written in bulk by :meth:`_rate_period` from the raw usage records; kept
    when the raw records are purged.
    """

    _name = "telecoop.rated.usage"
    _inherit = ["telecoop.usage.quantity.mixin"]
    _description = "Rated usage"
    _check_company_auto = True
    _order = "period desc, line_id, usage_type, zone"
    # rebuilt in bulk by rating (who and when are the import's and the run's):
    # no audit columns, whose foreign keys were checked on each of the
    # hundreds of thousands of rows a month
    _log_access = False

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

        A month whose raw records were purged is rated again from its rated
        usage (:meth:`_rate_purged_period`): what was rated is never lost.
        """
        first, __, __ = month_bounds(period_date)
        # the rating lock of the company, as an import adding to the month takes it:
        # a billing run's rating again waits for an import rating the same month
        self._lock_increments(company)
        self.flush_model()
        cr = self.env.cr
        if line_ids is not None:
            line_ids = list(line_ids)
        if self.env["telecoop.usage.record"]._is_month_purged(company, first):
            return self._rate_purged_period(company, first, line_ids)
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
                        third_party_amount, amount, last_usage_at)
                VALUES %s
                """,
                rows,
                template="(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                page_size=5000,
            )
        self.invalidate_model()
        return len(rows)

    @api.model
    def _rate_purged_period(self, company, first, line_ids=None):
        """Rate again the month ``first`` whose raw records were purged.

        The rated usage stays as it is: it is all that is left of the records.
        The months are priced again from it (:meth:`_reprice_lines`): the base
        fee, the one-offs and a plan change of the month follow, the usage totals
        are those rated. A line whose month needs the raw records to be priced
        (its holder changed in the month: the usage goes to each holder by day;
        premium services: priced per service) keeps its priced month as it was
        priced. Returns the number of rated rows of the month.
        """
        cr = self.env.cr
        line_filter = SQL("AND line_id = ANY(%s)", line_ids) if line_ids is not None else SQL()
        cr.execute(
            SQL(
                "SELECT DISTINCT line_id FROM telecoop_rated_usage WHERE company_id = %s "
                "AND period = %s AND third_party_amount IS NOT NULL %s",
                company.id,
                first,
                line_filter,
            )
        )
        keep = {row[0] for row in cr.fetchall()}
        domain = [("company_id", "=", company.id), ("period", "=", first)]
        if line_ids is not None:
            domain.append(("line_id", "in", line_ids))
        for line in self.env["telecoop.priced.month"].search(domain).line_id:
            if len({segment[0] for segment in line._get_month_segments(first)}) > 1:
                keep.add(line.id)
        if keep:
            _logger.info(
                "Usage of %s purged: the priced months of lines %s are kept as priced "
                "(their holder changed in the month or they used premium services).",
                first.strftime("%Y-%m"),
                sorted(keep),
            )
        self._reprice_lines(company, first, line_ids, keep_line_ids=sorted(keep))
        cr.execute(
            SQL(
                "SELECT count(*) FROM telecoop_rated_usage WHERE company_id = %s "
                "AND period = %s %s",
                company.id,
                first,
                line_filter,
            )
        )
        return cr.fetchone()[0]

    @api.model
    def _rate_increment(self, company, usage_query):
        """Rate new raw usage by increments: count it, then price again what it touched.

        ``usage_query`` (an ``SQL``) gives rows ``(line_id, period, usage_type,
        zone, quantity, count, third_party_amount, last_started_at)`` of records
        not rated yet, grouped by line, month, type and zone (the importer passes
        what one file brought). See :meth:`_add_usage` and :meth:`_reprice`.
        Returns the lines priced again, as ``{period: set of line ids}``.
        """
        touched = self._add_usage(company, usage_query)
        self._reprice(company, touched)
        return touched

    @api.model
    def _lock_increments(self, company):
        # the ratings of one company one after the other, by increments (two imports
        # ending together both count) or again from the raw records (_rate_period)
        self.env.cr.execute(
            SQL(
                "SELECT pg_advisory_xact_lock(hashtext('telecoop_rated_usage_increment'), %s)",
                company.id,
            )
        )

    @api.model
    def _add_usage(self, company, usage_query):
        """Add the totals of ``usage_query`` (see :meth:`_rate_increment`) to the
        rated usage, set-based: one ``INSERT ... SELECT ... ON CONFLICT DO
        UPDATE`` adding to the stored quantities, counts and third-party sums.

        The work is that of the rows given, not of the month so far. Rows of a
        month on an invoice stay as invoiced (as :meth:`_rate_period` leaves
        them). The caller adds records in the transaction that wrote them, once
        each (the importer keeps the last record id counted), so that the rated
        usage stays the sum of the committed records, which :meth:`_rate_period`
        rebuilds from the raw records alike. Returns ``{period: set of line
        ids}`` touched.
        """
        self._lock_increments(company)
        self.flush_model()
        self.env["telecoop.priced.month"].flush_model(["invoiced"])
        self.env.cr.execute(
            SQL(
                """
                WITH added AS (
                    INSERT INTO telecoop_rated_usage AS r
                           (company_id, line_id, period, usage_type, zone, quantity,
                            record_count, third_party_amount, amount, last_usage_at)
                    SELECT %(company)s, u.line_id, u.period, u.usage_type, u.zone, u.quantity,
                           u.count, u.third_party_amount, 0, u.last_started_at
                      FROM (%(query)s) AS u (line_id, period, usage_type, zone, quantity,
                                            count, third_party_amount, last_started_at)
                     WHERE u.line_id IS NOT NULL
                       AND NOT EXISTS (SELECT 1 FROM telecoop_priced_month m
                                        WHERE m.line_id = u.line_id AND m.period = u.period
                                          AND m.invoiced)
                     ORDER BY u.line_id, u.period, u.usage_type, u.zone
                    ON CONFLICT (line_id, period, usage_type, zone) DO UPDATE SET
                           quantity = r.quantity + EXCLUDED.quantity,
                           record_count = r.record_count + EXCLUDED.record_count,
                           third_party_amount = CASE
                               WHEN r.third_party_amount IS NULL THEN EXCLUDED.third_party_amount
                               WHEN EXCLUDED.third_party_amount IS NULL THEN r.third_party_amount
                               ELSE r.third_party_amount + EXCLUDED.third_party_amount END,
                           last_usage_at = GREATEST(r.last_usage_at, EXCLUDED.last_usage_at)
                    RETURNING line_id, period
                )
                SELECT DISTINCT line_id, period FROM added
                """,
                company=company.id,
                query=usage_query,
            )
        )
        touched = defaultdict(set)
        for line_id, period in self.env.cr.fetchall():
            touched[period].add(line_id)
        self.invalidate_model()
        return touched

    @api.model
    def _get_reprice_chunk(self):
        """How many lines rating by increments prices again at once."""
        return self.env["ir.config_parameter"]._get_positive_int(
            "telecoop_mobile_billing.rating_reprice_chunk", REPRICE_CHUNK
        )

    @api.model
    def _reprice(self, company, todo):
        """Price again the months of the lines of ``todo`` ({period: line ids})
        from their rated usage, after :meth:`_add_usage`.

        The priced month (``telecoop.priced.month._rate_months``, the one
        caller of the pricing service) reads the totals of the rated usage
        (:meth:`_get_month_totals`) instead of summing the month's raw records
        again: the work is that of the lines touched, not of the month so far,
        and the result that of rating once with all records. Then the amount of
        each rated row is that of its priced charges, and the alerts follow.
        """
        self._lock_increments(company)
        for period, line_ids in sorted(todo.items(), key=lambda item: str(item[0])):
            first = month_bounds(fields.Date.to_date(period))[0]
            line_ids = sorted(line_ids)
            # by chunks of lines (each line's month is priced on its own): the
            # memory of a file touching every line stays that of one chunk
            for chunk in split_every(self._get_reprice_chunk(), line_ids, list):
                self._reprice_lines(company, first, chunk)
                self.env.flush_all()
                self.env.invalidate_all()
            self._after_rating(company, first, line_ids)

    @api.model
    def _reprice_lines(self, company, first, line_ids, keep_line_ids=()):
        """Price again the month ``first`` of ``line_ids`` (all lines: None), but
        those of ``keep_line_ids``; the amounts of their rows."""
        months = self.env["telecoop.priced.month"]._rate_months(
            company, first, line_ids, totals=self._get_month_totals, keep_line_ids=keep_line_ids
        )
        self.flush_model()
        cr = self.env.cr
        # three plain statements rather than one UPDATE joining the aggregated
        # charges: the rows were written in this transaction, the planner's
        # statistics know none of them and its nested loops took minutes
        cr.execute(
            SQL(
                """
                SELECT c.line_id, c.usage_type, c.zone, SUM(c.amount_untaxed)
                  FROM telecoop_priced_charge c
                 WHERE c.month_id = ANY(%s) AND c.kind = 'usage'
                 GROUP BY 1, 2, 3
                """,
                months.ids,
            )
        )
        charged = {
            (line_id, usage_type, zone): amount
            for line_id, usage_type, zone, amount in cr.fetchall()
        }
        cr.execute(
            SQL(
                "SELECT id, line_id, usage_type, zone, amount FROM telecoop_rated_usage "
                "WHERE line_id = ANY(%s) AND period = %s AND company_id = %s",
                months.line_id.ids,
                first,
                company.id,
            )
        )
        ids, amounts = [], []
        for row_id, line_id, usage_type, zone, amount in cr.fetchall():
            new = charged.get((line_id, usage_type, zone), 0)
            if amount is None or amount != new:
                ids.append(row_id)
                amounts.append(new)
        if ids:
            cr.execute(
                SQL(
                    "UPDATE telecoop_rated_usage r SET amount = v.amount "
                    "FROM unnest(%s::int[], %s::numeric[]) AS v (id, amount) WHERE r.id = v.id",
                    ids,
                    amounts,
                )
            )
        self.invalidate_model()

    @api.model
    def _after_rating(self, company, period_date, line_ids=None):
        """Hook after a rating (the medians and alerts add theirs)."""

    @api.model
    def _get_month_totals(self, company, period, line_ids=None, split_line_ids=()):
        """The month's usage totals, as ``telecoop.usage.record._get_month_totals``
        gives them, read from the rated usage where it holds them.

        A row of the rated usage is the sum of the raw records of its line,
        month, type and zone: it serves the lines priced by their month's totals.
        The lines whose holder changed in the month (their records go to each
        holder by day) and those with third-party services (priced per service)
        are read from their raw records.
        """
        self.flush_model()
        cr = self.env.cr
        line_filter = (
            SQL("AND line_id = ANY(%s)", list(line_ids)) if line_ids is not None else SQL()
        )
        cr.execute(
            SQL(
                "SELECT DISTINCT line_id FROM telecoop_rated_usage WHERE company_id = %s "
                "AND period = %s AND third_party_amount IS NOT NULL %s",
                company.id,
                period,
                line_filter,
            )
        )
        raw_lines = set(split_line_ids) | {row[0] for row in cr.fetchall()}
        if line_ids is not None:
            raw_lines &= set(line_ids)
        cr.execute(
            SQL(
                """
                SELECT line_id, NULL::date, usage_type, zone, NULL::varchar, quantity,
                       record_count, NULL::numeric, last_usage_at
                  FROM telecoop_rated_usage
                 WHERE company_id = %s AND period = %s AND NOT (line_id = ANY(%s)) %s
                """,
                company.id,
                period,
                sorted(raw_lines),
                line_filter,
            )
        )
        rows = cr.fetchall()
        if raw_lines:
            rows += self.env["telecoop.usage.record"]._get_month_totals(
                company, period, sorted(raw_lines), split_line_ids
            )
        return rows
