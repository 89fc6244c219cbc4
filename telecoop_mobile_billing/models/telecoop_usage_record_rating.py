# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.tools import SQL

from .telecoop_usage_record import partition_name

#: time zone of a company's usage when none is set on its partner
DEFAULT_USAGE_TZ = "Europe/Paris"


class TelecoopUsageRecord(models.Model):
    """What rating and the itemised bill read of the raw usage records.

    The rating side's reads of ``telecoop_usage_record``, kept in the model
    that owns the table (the import side owns its writes).
    """

    _inherit = "telecoop.usage.record"

    @api.model
    def _get_usage_tz(self, company):
        return company.partner_id.tz or DEFAULT_USAGE_TZ

    @api.model
    def _analyze_months(self, first, last):
        """Refresh the planner's statistics of the partitions of the months from
        ``first`` to ``last`` (dates), after an import wrote many records in them.

        The records of an import are counted in the transaction that wrote them,
        before any autovacuum saw them: without statistics the planner takes a
        month of a million records for a few rows and sorts them on disk.
        ``ANALYZE`` counts the rows of this transaction too.
        """
        self.flush_model()
        month = first.replace(day=1)
        while month <= last:
            name = partition_name(month)
            self.env.cr.execute(SQL("SELECT to_regclass(%s)", name))
            if self.env.cr.fetchone()[0]:
                self.env.cr.execute(SQL("ANALYZE %s", SQL.identifier(name)))
            month += relativedelta(months=1)

    @api.model
    def _get_month_totals(self, company, period, line_ids=None, split_line_ids=()):
        """Sums of the month's records per line, type, zone and third-party service.

        Returns rows ``(line_id, local_day, usage_type, zone, service, quantity,
        count, third_party_amount, last_started_at)``; ``service`` is the
        destination of records with a third-party amount (else None);
        ``local_day`` (the day in the company's time zone) is given for the lines
        of ``split_line_ids`` only (lines whose holder changed in the month),
        None for the others.
        """
        self.flush_model()
        tz = self._get_usage_tz(company)
        split = list(split_line_ids)
        service = SQL("CASE WHEN third_party_amount IS NOT NULL THEN COALESCE(destination, '') END")
        day = SQL(
            "CASE WHEN line_id = ANY(%s) THEN ((started_at AT TIME ZONE 'UTC') AT TIME ZONE %s)"
            "::date END",
            split,
            tz,
        )
        line_filter = (
            SQL("AND line_id = ANY(%s)", list(line_ids)) if line_ids is not None else SQL()
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT line_id, %(day)s, usage_type, zone, %(service)s, SUM(quantity), COUNT(*),
                       SUM(third_party_amount), MAX(started_at)
                  FROM telecoop_usage_record
                 WHERE company_id = %(company)s AND period = %(period)s
                       AND line_id IS NOT NULL %(line_filter)s
                 GROUP BY 1, 2, 3, 4, 5
                """,
                day=day,
                service=service,
                company=company.id,
                period=period,
                line_filter=line_filter,
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _get_itemised_rows(self, line, period, date_from, date_to):
        """The records of ``line`` in the month ``period`` from ``date_from`` to
        ``date_to`` (local days, inclusive) in start order: ``(started_at,
        usage_type, zone, destination, quantity, third_party_amount)``."""
        self.flush_model()
        tz = self._get_usage_tz(line.company_id)
        self.env.cr.execute(
            SQL(
                """
                SELECT started_at, usage_type, zone, destination, quantity, third_party_amount
                  FROM telecoop_usage_record
                 WHERE line_id = %(line)s AND period = %(period)s
                   AND ((started_at AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s)::date
                       BETWEEN %(start)s AND %(end)s
                 ORDER BY started_at, id
                """,
                line=line.id,
                period=period,
                tz=tz,
                start=date_from,
                end=date_to,
            )
        )
        return self.env.cr.fetchall()
