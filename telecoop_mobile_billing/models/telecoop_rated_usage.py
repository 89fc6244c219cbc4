# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
from collections import defaultdict

from psycopg2.extras import execute_values

from odoo import api, fields, models
from odoo.tools import SQL

from .telecoop_mobile_line import month_bounds
from .telecoop_usage_record import USAGE_TYPES, ZONES, BigInteger

_NULL = "\\N"
#: lines priced and written at once by a rating by increments
RATING_CHUNK = 5000


class TelecoopRatedUsage(models.Model):
    """Usage of a line in a month, per usage type and zone, with its price.

    Written in bulk by :meth:`_rate_period` from the raw usage records; kept
    when the raw records are purged.
    """

    _name = "telecoop.rated.usage"
    _description = "Rated usage"
    _order = "period desc, line_id, usage_type, zone"

    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    line_id = fields.Many2one(
        "telecoop.mobile.line", required=True, ondelete="cascade", readonly=True
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
        """(Re)compute the rated usage of the month of ``period_date``.

        Aggregates the raw records in SQL per line, type and zone, replaces the
        rows of that month for those lines, then prices each line with its plan
        (pure-Python pricing, as billing does). Rating depends only on the set of
        records of the month, so rating again after a late file gives the same
        result as rating once with all records. Returns the number of rows.
        """
        first, __, __ = month_bounds(period_date)
        self.env["telecoop.usage.record"].flush_model()
        self.flush_model()
        cr = self.env.cr
        line_filter = ""
        params = {"company": company.id, "period": first, "uid": self.env.uid}
        if line_ids is not None:
            line_filter = "AND line_id = ANY(%(lines)s)"
            params["lines"] = list(line_ids)
        cr.execute(
            f"DELETE FROM telecoop_rated_usage WHERE company_id = %(company)s "
            f"AND period = %(period)s {line_filter}",
            params,
        )
        cr.execute(
            f"""
            SELECT line_id, usage_type, zone, SUM(quantity), COUNT(*), SUM(third_party_amount),
                   MAX(started_at)
              FROM telecoop_usage_record
             WHERE company_id = %(company)s AND period = %(period)s
                   AND line_id IS NOT NULL {line_filter}
             GROUP BY line_id, usage_type, zone
            """,
            params,
        )
        by_line = defaultdict(dict)
        for line_id, usage_type, zone, quantity, count, third_party, last_at in cr.fetchall():
            by_line[line_id][(usage_type, zone)] = (int(quantity), count, third_party, last_at)
        lines = self.env["telecoop.mobile.line"].browse(list(by_line))
        lines.plan_history_ids.plan_id.tier_ids.mapped("price")
        lines.plan_history_ids.plan_id.rate_ids.mapped("price")
        rows = []
        pricing_cache = {}
        for line in lines:
            keyed = by_line[line.id]
            priced = line._price_period(
                first, {k: v[0] for k, v in keyed.items()}, pricing_cache=pricing_cache
            )
            for (usage_type, zone), (quantity, count, third_party, last_at) in keyed.items():
                rows.append(
                    (
                        company.id,
                        line.id,
                        first,
                        usage_type,
                        zone,
                        quantity,
                        count,
                        third_party,
                        priced["usage"].get((usage_type, zone), 0),
                        last_at,
                        self.env.uid,
                        self.env.uid,
                    )
                )
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
        month's totals of the lines touched (what was rated plus what came) are
        read in one query, priced, and written once: the work is proportional
        to what the file brought, not to the month so far. The result is the
        one of :meth:`_rate_period` on the same records, since pricing depends
        only on the month's totals. Ratings of one company by increments are
        serialized (a transaction lock), so that two imports ending together
        add up. Returns the lines priced, as ``{period: set of line ids}``.
        """
        self.flush_model()
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT pg_advisory_xact_lock(hashtext('telecoop_rated_usage_increment'), %s)",
                company.id,
            )
        )
        cr.execute(
            SQL(
                """
                CREATE TEMP TABLE IF NOT EXISTS telecoop_rating_increment (
                    line_id integer, period date, usage_type varchar, zone varchar,
                    quantity numeric, record_count bigint, third_party_amount numeric,
                    last_usage_at timestamp
                ) ON COMMIT DROP;
                TRUNCATE telecoop_rating_increment;
                INSERT INTO telecoop_rating_increment %s;
                ANALYZE telecoop_rating_increment;
                """,
                usage_query,
            )
        )
        cr.execute(
            "SELECT period, array_agg(DISTINCT line_id) FROM telecoop_rating_increment "
            "GROUP BY period ORDER BY period"
        )
        touched = {period: set(line_ids) for period, line_ids in cr.fetchall()}
        # by chunks of lines: memory stays bounded whatever the size of the file
        for period, line_ids in touched.items():
            ordered = sorted(line_ids)
            for start in range(0, len(ordered), RATING_CHUNK):
                self._price_increment(company, period, ordered[start : start + RATING_CHUNK])
        self.invalidate_model()
        return touched

    @api.model
    def _price_increment(self, company, period, line_ids):
        """Price and write the month's totals of ``line_ids``: rated plus increment.

        Only the rows that the increment brought, or whose price changed (the
        data tiers of a line price its zones together), are written.
        """
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                WITH rated AS (SELECT line_id, period, usage_type, zone, quantity,
                                      record_count, third_party_amount, last_usage_at, amount
                                 FROM telecoop_rated_usage
                                WHERE company_id = %(company)s AND period = %(period)s
                                      AND line_id = ANY(%(lines)s)),
                     increment AS (SELECT * FROM telecoop_rating_increment
                                    WHERE period = %(period)s AND line_id = ANY(%(lines)s))
                SELECT coalesce(i.line_id, r.line_id), coalesce(i.period, r.period),
                       coalesce(i.usage_type, r.usage_type), coalesce(i.zone, r.zone),
                       coalesce(r.quantity, 0) + coalesce(i.quantity, 0),
                       coalesce(r.record_count, 0) + coalesce(i.record_count, 0),
                       CASE WHEN r.third_party_amount IS NULL THEN i.third_party_amount
                            WHEN i.third_party_amount IS NULL THEN r.third_party_amount
                            ELSE r.third_party_amount + i.third_party_amount END,
                       greatest(r.last_usage_at, i.last_usage_at),
                       i.line_id IS NOT NULL, r.amount
                  FROM rated r
             FULL JOIN increment i
                    ON i.line_id = r.line_id AND i.period = r.period
                   AND i.usage_type = r.usage_type AND i.zone = r.zone
                """,
                company=company.id,
                period=period,
                lines=line_ids,
            )
        )
        totals = defaultdict(dict)
        for (
            line_id,
            __,
            usage_type,
            zone,
            quantity,
            count,
            third,
            last_at,
            new,
            old,
        ) in cr.fetchall():
            totals[line_id][(usage_type, zone)] = (int(quantity), count, third, last_at, new, old)
        lines = self.env["telecoop.mobile.line"].browse(line_ids)
        lines.plan_history_ids.plan_id.tier_ids.mapped("price")
        lines.plan_history_ids.plan_id.rate_ids.mapped("price")
        pricing_cache = {}
        rows = []
        for line in lines:
            keyed = totals[line.id]
            priced = line._price_period(
                period, {key: value[0] for key, value in keyed.items()}, pricing_cache
            )
            for (usage_type, zone), (quantity, count, third, last_at, new, old) in keyed.items():
                amount = priced["usage"].get((usage_type, zone), 0)
                if not new and old is not None and old == amount:
                    continue  # nothing came for it and its price holds: not written again
                rows.append(
                    (company.id, line.id, period, usage_type, zone, quantity, count)
                    + (third, amount, last_at, self.env.uid, self.env.uid)
                )
        if rows:
            # COPY the priced rows, then one upsert: far cheaper than rows of VALUES
            buffer = io.StringIO()
            for row in rows:
                buffer.write("\t".join(_NULL if value is None else str(value) for value in row))
                buffer.write("\n")
            buffer.seek(0)
            cr.execute(
                """
                CREATE TEMP TABLE IF NOT EXISTS telecoop_rating_priced (
                    company_id integer, line_id integer, period date, usage_type varchar,
                    zone varchar, quantity bigint, record_count integer,
                    third_party_amount numeric, amount numeric, last_usage_at timestamp,
                    create_uid integer, write_uid integer
                ) ON COMMIT DROP;
                TRUNCATE telecoop_rating_priced;
                """
            )
            cr._obj.copy_expert("COPY telecoop_rating_priced FROM STDIN", buffer)
            cr.execute(
                """
                INSERT INTO telecoop_rated_usage
                       (company_id, line_id, period, usage_type, zone, quantity, record_count,
                        third_party_amount, amount, last_usage_at, create_uid, write_uid,
                        create_date, write_date)
                SELECT p.*, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                  FROM telecoop_rating_priced p
                ON CONFLICT (line_id, period, usage_type, zone) DO UPDATE
                   SET quantity = EXCLUDED.quantity,
                       record_count = EXCLUDED.record_count,
                       third_party_amount = EXCLUDED.third_party_amount,
                       amount = EXCLUDED.amount,
                       last_usage_at = EXCLUDED.last_usage_at,
                       write_uid = EXCLUDED.write_uid,
                       write_date = EXCLUDED.write_date
                """
            )
