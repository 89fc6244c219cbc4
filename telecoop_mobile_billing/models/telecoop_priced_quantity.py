# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The quantities of a priced month, per holder: what each holder of the month used.

Rating writes them with the charges (:meth:`TelecoopPricedQuantity._write_quantities`,
called by ``telecoop.priced.month._rate_months``), from the same totals it priced:
in a month where the line changed holder, each holder's own days. The tracker,
the history and the sobriety figures of a holder read them, so that they stay
what the invoice charged after the raw usage records are purged (the rated usage
keeps the line's month, not its split between holders).
"""

import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from .telecoop_mobile_line import month_bounds
from .telecoop_usage_record import USAGE_TYPES, ZONES, BigInteger

_logger = logging.getLogger(__name__)

#: the unit of the stored quantity of each usage type
UNITS = {"data": "byte", "voice": "second", "sms": "message", "mms": "message"}
UNIT_SELECTION = [("byte", "Bytes"), ("second", "Seconds"), ("message", "Messages")]


class TelecoopPricedQuantity(models.Model):
    _name = "telecoop.priced.quantity"
    _inherit = ["telecoop.usage.quantity.mixin"]
    _description = "Usage of a holder in a priced month"
    _order = "month_id, partner_id, usage_type, zone"
    _check_company_auto = True
    # written by rating only, in bulk with its priced month (a row of the month's
    # truth, as its charges): no author nor dates of its own, fewer keys to check
    _log_access = False

    month_id = fields.Many2one(
        "telecoop.priced.month",
        required=True,
        ondelete="cascade",
        readonly=True,
        check_company=True,
        # no index of its own: the unique index below starts with it
        index=False,
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    line_id = fields.Many2one(related="month_id.line_id")
    period = fields.Date(related="month_id.period")
    partner_id = fields.Many2one(
        "res.partner",
        string="Holder",
        required=True,
        readonly=True,
        help="The holder of the line on the days this usage was made.",
    )
    usage_type = fields.Selection(USAGE_TYPES, required=True, readonly=True)
    zone = fields.Selection(ZONES, required=True, readonly=True)
    quantity = BigInteger(readonly=True, help="In the unit: bytes, seconds or messages.")
    unit = fields.Selection(UNIT_SELECTION, required=True, readonly=True)

    _month_holder_type_zone_unique = models.Constraint(
        "UNIQUE(month_id, partner_id, usage_type, zone)",
        "A holder's usage of a type and zone is stored once per priced month.",
    )

    # ------------------------------------------------------------------
    # writing: by rating, with the charges
    # ------------------------------------------------------------------
    @api.model
    def _write_quantities(self, company, month_lines, segments, usage):
        """Store the quantities of each holder of the months just priced, set-based.

        ``month_lines``: (priced month id, line id) pairs; ``segments``: {line id:
        segments of the month} and ``usage``: {line id: {holder index: {"q":
        {(usage_type, zone): quantity}}}}, as rating priced them
        (``telecoop.priced.month._rate_months``). The rows of a month go with it
        (``ondelete='cascade'``): rating again deletes the month, then writes both
        again. Returns the number of rows.
        """
        rows = []
        for month_id, line_id in month_lines:
            line_segments = segments.get(line_id) or []
            if not line_segments:
                continue
            holders = {}
            for segment in line_segments:
                holders.setdefault(segment[0], segment[1].id)
            summed = defaultdict(int)
            for holder_index, bucket in usage.get(line_id, {}).items():
                # a day outside the segments goes to the last one, as rating does
                partner_id = holders.get(holder_index) or line_segments[-1][1].id
                for (usage_type, zone), quantity in bucket["q"].items():
                    summed[(partner_id, usage_type, zone)] += int(quantity or 0)
            rows.extend(
                (month_id, line_id, partner_id, usage_type, zone, quantity)
                for (partner_id, usage_type, zone), quantity in sorted(summed.items())
            )
        return self._insert_rows(company, rows)

    @api.model
    def _insert_rows(self, company, rows):
        """One ``INSERT ... SELECT FROM unnest`` of ``rows`` (month id, line id,
        partner id, usage type, zone, quantity) of ``company``."""
        if not rows:
            return 0
        months, __, partners, types, zones, quantities = (
            list(col) for col in zip(*rows, strict=True)
        )
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO telecoop_priced_quantity
                       (month_id, company_id, partner_id, usage_type, zone, quantity, unit)
                SELECT u.month_id, %(company)s, u.partner_id, u.usage_type, u.zone, u.quantity,
                       u.unit
                  FROM unnest(%(months)s::int[], %(partners)s::int[], %(types)s::varchar[],
                              %(zones)s::varchar[], %(quantities)s::int8[], %(units)s::varchar[])
                       AS u (month_id, partner_id, usage_type, zone, quantity, unit)
                """,
                company=company.id,
                months=months,
                partners=partners,
                types=types,
                zones=zones,
                quantities=quantities,
                units=[UNITS[usage_type] for usage_type in types],
            )
        )
        self.invalidate_model()
        return len(rows)

    # ------------------------------------------------------------------
    # reading: the holder's figures of the month
    # ------------------------------------------------------------------
    @api.model
    def _get_holder_quantities(self, line, partner, first, last=None):
        """{period: {usage_type: quantity}} of ``partner``'s days on ``line`` in the
        months from ``first`` to ``last``, as the priced months hold them."""
        months = self.env["telecoop.priced.month"].search(
            [("line_id", "=", line.id), ("period", ">=", first), ("period", "<=", last or first)]
        )
        result = {}
        if not months:
            return result
        groups = self._read_group(
            [("month_id", "in", months.ids), ("partner_id", "=", partner.id)],
            ["month_id", "usage_type"],
            ["quantity:sum"],
        )
        for month, usage_type, quantity in groups:
            result.setdefault(month.period, {})[usage_type] = int(quantity or 0)
        return result

    # ------------------------------------------------------------------
    # priced months stored before these rows existed (migration 19.0.1.3.0)
    # ------------------------------------------------------------------
    @api.model
    def _fill_missing(self):
        """Write the quantities of the priced months that have none, without pricing
        anything again (an invoiced month stays as invoiced).

        A month with one holder gets its line's rated usage, which the purge keeps;
        a month whose line changed holder is split by day from its raw records, as
        rating splits it; when those are purged already, the split is lost: the
        month is left without quantities and named in the log. Returns the number
        of months filled.
        """
        PricedMonth = self.env["telecoop.priced.month"]
        PricedMonth.flush_model()
        self.env["telecoop.rated.usage"].flush_model()
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT m.company_id, m.period, array_agg(m.id ORDER BY m.id)
                  FROM telecoop_priced_month m
                 WHERE NOT EXISTS (SELECT 1 FROM telecoop_priced_quantity q
                                    WHERE q.month_id = m.id)
                   AND EXISTS (SELECT 1 FROM telecoop_rated_usage r
                                WHERE r.line_id = m.line_id AND r.period = m.period)
                 GROUP BY m.company_id, m.period
                 ORDER BY m.company_id, m.period
                """
            )
        )
        filled = 0
        Line = self.env["telecoop.mobile.line"]
        Record = self.env["telecoop.usage.record"]
        for company_id, period, month_ids in cr.fetchall():
            company = self.env["res.company"].browse(company_id)
            first = month_bounds(period)[0]
            months = PricedMonth.browse(month_ids)
            segments = {m.line_id.id: m.line_id._get_month_segments(first) for m in months}
            split = sorted(lid for lid, segs in segments.items() if len({s[0] for s in segs}) > 1)
            usage = defaultdict(lambda: defaultdict(lambda: {"q": defaultdict(int)}))
            cr.execute(
                SQL(
                    "SELECT line_id, usage_type, zone, quantity FROM telecoop_rated_usage "
                    "WHERE company_id = %s AND period = %s AND line_id = ANY(%s) "
                    "AND NOT (line_id = ANY(%s))",
                    company_id,
                    first,
                    months.line_id.ids,
                    split,
                )
            )
            for line_id, usage_type, zone, quantity in cr.fetchall():
                usage[line_id][0]["q"][(usage_type, zone)] += int(quantity or 0)
            if split:
                for line_id, day, usage_type, zone, __, quantity, *__ in Record._get_month_totals(
                    company, first, split, split
                ):
                    holder = Line._get_segment_of_day(segments[line_id], day)[0]
                    usage[line_id][holder]["q"][(usage_type, zone)] += int(quantity or 0)
                lost = [lid for lid in split if lid not in usage]
                if lost:
                    _logger.warning(
                        "Priced months of %s: lines %s changed holder in the month and their "
                        "raw usage records are purged: their quantities per holder are not "
                        "known, none is stored.",
                        first.strftime("%Y-%m"),
                        lost,
                    )
            month_lines = [(m.id, m.line_id.id) for m in months if m.line_id.id in usage]
            self._write_quantities(company, month_lines, segments, usage)
            filled += len(month_lines)
        return filled
