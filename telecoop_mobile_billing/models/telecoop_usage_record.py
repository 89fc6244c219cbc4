# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

USAGE_TYPES = [("data", "Data"), ("voice", "Voice"), ("sms", "SMS"), ("mms", "MMS")]
ZONES = [
    ("national", "National"),
    ("eu", "EU roaming"),
    ("international", "International"),
    ("world", "World roaming"),
    ("premium", "Premium"),
]


class BigInteger(fields.Integer):
    """An integer stored as PostgreSQL bigint: data volumes in bytes pass 2^31."""

    _column_type = ("int8", "int8")


class Many2oneWithoutForeignKey(fields.Many2one):
    """A many2one with no foreign key in PostgreSQL.

    A foreign key costs a trigger call per inserted row: on a million usage
    records a month, the four references took more time than the insert itself.
    The records are append-only and written by the importer only, whose
    ``INSERT ... SELECT`` takes the line from a join on existing lines and the
    other references from the import; deletions are guarded by the code:
    deleting a source deletes its records, deleting an import unlinks them, a
    line with usage records cannot be deleted.
    """

    def update_db_foreign_key(self, model, column):
        return


class TelecoopUsageRecord(models.Model):
    """One raw usage record (CDR) delivered by the host operator.

    Rows are written in bulk by ``telecoop.usage.import`` (COPY into a staging
    table, then one ``INSERT ... SELECT ... ON CONFLICT DO NOTHING``), never
    one by one through the ORM. They are personal data and are purged after
    the company's retention period; the rated usage stays.
    """

    _name = "telecoop.usage.record"
    _description = "Usage record"
    _check_company_auto = True
    _order = "started_at desc, id desc"
    # written in bulk by SQL; the import says who brought the records and when
    _log_access = False
    _rec_name = "record_id"

    company_id = Many2oneWithoutForeignKey("res.company", required=True, readonly=True)
    source_id = Many2oneWithoutForeignKey(
        "telecoop.usage.source",
        required=True,
        ondelete="cascade",
        readonly=True,
        check_company=True,
    )
    record_id = fields.Char(string="Record identity", required=True, readonly=True)
    line_id = Many2oneWithoutForeignKey(
        "telecoop.mobile.line",
        string="Line",
        ondelete="restrict",
        readonly=True,
        check_company=True,
    )
    msisdn = fields.Char(string="Number (MSISDN)", required=True, readonly=True)
    started_at = fields.Datetime(required=True, readonly=True)
    period = fields.Date(
        required=True,
        readonly=True,
        help="First day of the calendar month, in the company's time zone, in which "
        "the usage started.",
    )
    usage_type = fields.Selection(USAGE_TYPES, required=True, readonly=True)
    quantity = BigInteger(
        required=True, readonly=True, help="Bytes for data, seconds for voice, a count otherwise."
    )
    zone = fields.Selection(ZONES, required=True, readonly=True)
    destination = fields.Char(readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    third_party_amount = fields.Monetary(
        readonly=True, help="What a premium service charges on top, tax included."
    )
    import_id = Many2oneWithoutForeignKey(
        "telecoop.usage.import",
        ondelete="set null",
        index="btree_not_null",
        readonly=True,
        check_company=True,
    )

    _source_record_unique = models.Constraint(
        "UNIQUE(source_id, record_id)",
        "A record identity is imported only once per source.",
    )
    _line_period_idx = models.Index("(line_id, period)")
    _period_idx = models.Index("(period)")
    _unmatched_idx = models.Index("(company_id, msisdn) WHERE line_id IS NULL")

    def init(self):
        # databases created before these references lost their foreign key
        columns = ("company_id", "source_id", "line_id", "import_id", "create_uid", "write_uid")
        for column in columns:
            self.env.cr.execute(
                SQL(
                    "ALTER TABLE telecoop_usage_record DROP CONSTRAINT IF EXISTS %s",
                    SQL.identifier(f"telecoop_usage_record_{column}_fkey"),
                )
            )

    # ------------------------------------------------------------------
    # rating hooks
    # ------------------------------------------------------------------
    @api.model
    def _rerate(self, company, todo):
        """Rate again ``todo`` ({period (date or ISO string): line ids}).

        Rating belongs to ``telecoop.rated.usage``; nothing happens while it
        does not exist.
        """
        if "telecoop.rated.usage" not in self.env:
            return
        rated = self.env["telecoop.rated.usage"]
        if not hasattr(rated, "_rate_period"):
            return
        for period, line_ids in sorted(todo.items(), key=lambda item: str(item[0])):
            rated._rate_period(company, fields.Date.to_date(period), line_ids=sorted(line_ids))

    def _attach_to_line(self, line):
        """Staff: attach unmatched records to ``line`` and rate their periods again."""
        line.ensure_one()
        others = self.filtered(lambda r: r.company_id != line.company_id)
        if others:
            raise UserError(
                self.env._(
                    "Records of another company cannot go to line %(line)s.", line=line.msisdn
                )
            )
        attached = self.filtered(lambda r: not r.line_id)
        if attached != self:
            raise UserError(self.env._("Only unmatched records can be attached to a line."))
        if not attached:
            return
        self.env.cr.execute(
            SQL(
                "UPDATE telecoop_usage_record SET line_id = %s WHERE id IN %s AND line_id IS NULL",
                line.id,
                tuple(attached.ids),
            )
        )
        attached.invalidate_recordset(["line_id"])
        line.message_post(
            body=self.env._(
                "%(count)s usage records of %(msisdn)s attached to this line by hand.",
                count=len(attached),
                msisdn=", ".join(sorted(set(attached.mapped("msisdn")))),
            )
        )
        periods = {period: [line.id] for period in set(attached.mapped("period"))}
        self._rerate(line.company_id, periods)

    # ------------------------------------------------------------------
    # retention
    # ------------------------------------------------------------------
    @api.model
    def _cron_purge_expired(self):
        """Scheduled action: delete raw records past their company's retention."""
        self._purge_expired(commit=lambda done: self.env["ir.cron"]._commit_progress(done))

    @api.model
    def _purge_expired(self, batch_size=50_000, today=None, commit=None):
        """Delete, by batches of SQL, the records of whole months past retention.

        A company keeping 12 months on 25 November 2026 keeps the periods from
        November 2025 on. Rated usage and invoices are not touched. Returns the
        number of records deleted.
        """
        today = today or fields.Date.context_today(self)
        cr = self.env.cr
        total = 0
        for company in self.env["res.company"].sudo().search([]):
            months = company.telecoop_usage_retention_months
            if months <= 0:
                continue
            cutoff = today.replace(day=1) - relativedelta(months=months)
            while True:
                cr.execute(
                    SQL(
                        """
                        DELETE FROM telecoop_usage_record
                         WHERE id IN (SELECT id FROM telecoop_usage_record
                                       WHERE company_id = %s AND period < %s LIMIT %s)
                        """,
                        company.id,
                        cutoff,
                        batch_size,
                    )
                )
                deleted = cr.rowcount
                total += deleted
                if commit:
                    commit(deleted)
                if deleted < batch_size:
                    break
        self.invalidate_model()
        return total
