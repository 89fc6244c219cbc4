# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import UTC, date
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

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


PARTITION_PREFIX = "telecoop_usage_record_"
#: one row per record identity a host operator delivered, whatever its month
IDENTITY_TABLE = "telecoop_usage_record_identity"
#: one row per company and month whose raw records the retention purge forgot
PURGED_TABLE = "telecoop_usage_record_purged_month"
_PARTITION_LOCK = "telecoop_usage_record_partitions"


def partition_name(period):
    """Name of the partition of the month of ``period``: telecoop_usage_record_y2026m10."""
    return f"{PARTITION_PREFIX}y{period.year:04d}m{period.month:02d}"


def ensure_partitions(cr, periods):
    """Create the monthly partitions of ``periods`` (dates) that do not exist yet.

    Plain SQL on ``cr`` (an Odoo cursor or a raw psycopg2 cursor: the importer
    calls it from its writing thread). Partitions are created under a
    transaction-level advisory lock, so that two imports bringing the first
    records of a month do not race on its creation.
    """
    months = {date(period.year, period.month, 1) for period in periods}
    if not months:
        return []
    cr.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = 'telecoop_usage_record'::regclass"
    )
    existing = {row[0] for row in cr.fetchall()}
    missing = sorted(month for month in months if partition_name(month) not in existing)
    if not missing:
        return []
    cr.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [_PARTITION_LOCK])
    for month in missing:
        query = SQL(
            "CREATE TABLE IF NOT EXISTS %s PARTITION OF telecoop_usage_record "
            "FOR VALUES FROM (%s) TO (%s)",
            SQL.identifier(partition_name(month)),
            month,
            month + relativedelta(months=1),
        )
        cr.execute(query.code, query.params)
    return missing


class TelecoopUsageQuantityMixin(models.AbstractModel):
    """The quantity of a usage type as a person reads it (MB, GB, minutes), for
    the models holding a usage type and a raw quantity: the raw records, the
    rated usage and what each holder used in a priced month."""

    _name = "telecoop.usage.quantity.mixin"
    _description = "Usage quantity as read"

    usage_type = fields.Selection(USAGE_TYPES, required=True, readonly=True)
    quantity = BigInteger(readonly=True)
    quantity_display = fields.Char(
        string="Used",
        compute="_compute_quantity_display",
        help="The quantity as a person reads it (MB, GB, minutes); the raw quantity stays in "
        "Quantity for exports.",
    )

    @api.depends("usage_type", "quantity")
    @api.depends_context("lang")
    def _compute_quantity_display(self):
        fmt = self.env["telecoop.format"]
        for row in self:
            row.quantity_display = fmt.quantity(row.usage_type, row.quantity)


class TelecoopUsageRecord(models.Model):
    """One raw usage record (CDR) delivered by the host operator.

    Rows are written in bulk by ``telecoop.usage.import`` (COPY into a staging
    table, then one ``INSERT ... SELECT ... ON CONFLICT DO NOTHING``), never
    one by one through the ORM. They are personal data and are purged after
    the company's retention period; the rated usage stays.

    The table is partitioned by month (PostgreSQL declarative partitioning on
    ``period``): a month's queries read one partition, and the purge drops or
    empties whole months instead of deleting millions of rows one by one. Odoo
    does not manage a partitioned table, so :meth:`init` builds it (and turns
    the plain table of a database created before into partitions); the model
    reads it through ``_table_query``, and the importer creates each month's
    partition when its first records come (:func:`ensure_partitions`). The
    primary key includes the partition key, as PostgreSQL asks, so a unique
    index of the partitioned table could only make a record known once per
    host operator *and month*: a record re-sent with its start in another
    month would count in both. The record identity is therefore kept in a
    plain table, ``telecoop_usage_record_identity`` (source, record identity,
    month), unique per host operator across months, its formats and its HTTP
    pull: the importer inserts each batch's identities there first
    (``ON CONFLICT DO NOTHING``) and writes only the records whose identity
    was new. The purge forgets the identities with their month.
    """

    _name = "telecoop.usage.record"
    _inherit = ["telecoop.usage.quantity.mixin"]
    _description = "Usage record"
    _check_company_auto = True
    _order = "started_at desc, id desc"
    # the table is built by init(), not by the ORM (partitioned, see above)
    _auto = False
    _table_query = "SELECT * FROM telecoop_usage_record"
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
        "telecoop.usage.import", ondelete="set null", readonly=True, check_company=True
    )

    #: indexes of the partitioned table (each partition gets its own)
    _INDEXES = {
        "telecoop_usage_record_month_line_idx": ("INDEX", "(line_id, period)"),
        "telecoop_usage_record_month_import_idx": (
            "INDEX",
            "(import_id) WHERE import_id IS NOT NULL",
        ),
        "telecoop_usage_record_month_unmatched_idx": (
            "INDEX",
            "(company_id, msisdn) WHERE line_id IS NULL",
        ),
    }

    def init(self):
        cr = self.env.cr
        cr.execute(
            "SELECT relkind FROM pg_class WHERE relname = 'telecoop_usage_record' "
            "AND relnamespace = current_schema::regnamespace"
        )
        row = cr.fetchone()
        kind = row and row[0]
        if kind == "p":
            self._init_columns()
        elif kind == "r":
            self._init_from_plain_table()
        else:
            self._init_partitioned_table()
        self._init_indexes()
        self._init_identity_table()
        self._init_purged_table()
        today = fields.Date.context_today(self)
        ensure_partitions(cr, [today, today + relativedelta(months=1)])

    def _column_definitions(self):
        for name, field in sorted(self._fields.items(), key=lambda item: item[1].column_order):
            if name == "id" or not field.store or not field.column_type:
                continue
            yield name, field.column_type[1] + (" NOT NULL" if field.required else "")

    def _init_partitioned_table(self):
        columns = [
            SQL("%s %s", SQL.identifier(name), SQL(definition))
            for name, definition in self._column_definitions()
        ]
        self.env.cr.execute(
            SQL(
                """
                CREATE SEQUENCE IF NOT EXISTS telecoop_usage_record_id_seq;
                CREATE TABLE telecoop_usage_record (
                    id integer NOT NULL DEFAULT nextval('telecoop_usage_record_id_seq'),
                    %s,
                    PRIMARY KEY (id, period)
                ) PARTITION BY RANGE (period);
                ALTER SEQUENCE telecoop_usage_record_id_seq OWNED BY telecoop_usage_record.id;
                COMMENT ON TABLE telecoop_usage_record IS %s
                """,
                SQL(", ").join(columns),
                self._description,
            )
        )

    def _init_columns(self):
        for name, definition in self._column_definitions():
            # a new column of a table with rows cannot start NOT NULL
            self.env.cr.execute(
                SQL(
                    "ALTER TABLE telecoop_usage_record ADD COLUMN IF NOT EXISTS %s %s",
                    SQL.identifier(name),
                    SQL(definition.replace(" NOT NULL", "")),
                )
            )

    def _init_indexes(self):
        for name, (kind, definition) in self._INDEXES.items():
            self.env.cr.execute(
                SQL(
                    "CREATE %s IF NOT EXISTS %s ON telecoop_usage_record %s",
                    SQL(kind),
                    SQL.identifier(name),
                    SQL(definition),
                )
            )

    def _init_identity_table(self):
        """The table of record identities (see the class docstring).

        Created with the identities of the records already there (the oldest
        record of an identity gives its month); the unique index per month it
        replaces is dropped. The records delivered twice in two months before
        are removed by the migration to 19.0.1.2.0.
        """
        cr = self.env.cr
        cr.execute(SQL("SELECT to_regclass(%s)", IDENTITY_TABLE))
        if cr.fetchone()[0]:
            return
        cr.execute(
            SQL(
                """
                CREATE TABLE %(table)s (
                    source_id integer NOT NULL,
                    record_id varchar NOT NULL,
                    period date NOT NULL,
                    PRIMARY KEY (source_id, record_id)
                );
                COMMENT ON TABLE %(table)s IS 'Usage record identities, one per host operator';
                INSERT INTO %(table)s (source_id, record_id, period)
                SELECT DISTINCT ON (source_id, record_id) source_id, record_id, period
                  FROM telecoop_usage_record
                 ORDER BY source_id, record_id, id;
                DROP INDEX IF EXISTS telecoop_usage_record_month_identity_uniq
                """,
                table=SQL.identifier(IDENTITY_TABLE),
            )
        )

    def _init_purged_table(self):
        """The months purged per company (see :meth:`_is_month_purged`)."""
        self.env.cr.execute(
            SQL(
                """
                CREATE TABLE IF NOT EXISTS %(table)s (
                    company_id integer NOT NULL REFERENCES res_company (id) ON DELETE CASCADE,
                    period date NOT NULL,
                    purge_date date NOT NULL,
                    record_count bigint NOT NULL DEFAULT 0,
                    PRIMARY KEY (company_id, period)
                );
                COMMENT ON TABLE %(table)s IS
                    'Months whose raw usage records were purged, per company'
                """,
                table=SQL.identifier(PURGED_TABLE),
            )
        )

    @api.model
    def _purged_until(self, company):
        """The first day after the last month of ``company`` whose raw records were
        purged, or None: the months before it are past retention (the importer
        refuses their records, whose identities were forgotten with them)."""
        self.env.cr.execute(
            SQL(
                "SELECT max(period) FROM %s WHERE company_id = %s",
                SQL.identifier(PURGED_TABLE),
                company.id,
            )
        )
        last = self.env.cr.fetchone()[0]
        return last + relativedelta(months=1) if last else None

    @api.model
    def _is_month_purged(self, company, period):
        """Whether the raw records of ``company`` for the month of ``period`` were
        purged (:meth:`_purge_expired`): the rated usage is then all that is left
        of them, and rating the month again must start from it."""
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM %s WHERE company_id = %s AND period = %s",
                SQL.identifier(PURGED_TABLE),
                company.id,
                fields.Date.to_date(period).replace(day=1),
            )
        )
        return bool(self.env.cr.fetchone())

    @api.model
    def _forget_identities(self, source_ids):
        """Forget the record identities of the sources ``source_ids`` (deleted)."""
        if source_ids:
            self.env.cr.execute(
                SQL(
                    "DELETE FROM %s WHERE source_id = ANY(%s)",
                    SQL.identifier(IDENTITY_TABLE),
                    list(source_ids),
                )
            )

    @api.model
    def _merge_sources(self, sources, target):
        """Records and identities of ``sources`` go to ``target`` (one host operator).

        A record identity known to several of them is one record: the copy of
        ``target`` stays (else the oldest), whatever its month; the others are
        deleted. Returns ``(period, line_id)`` of the deleted copies.
        """
        cr = self.env.cr
        self.flush_model()
        identity = SQL.identifier(IDENTITY_TABLE)
        cr.execute(
            SQL(
                """
                DELETE FROM telecoop_usage_record r
                 USING (SELECT id, period, line_id,
                               row_number() OVER (PARTITION BY record_id
                                                  ORDER BY source_id <> %(target)s, id) AS rank
                          FROM telecoop_usage_record
                         WHERE source_id IN %(all)s) d
                 WHERE r.id = d.id AND r.period = d.period AND d.rank > 1
                RETURNING d.period, d.line_id
                """,
                target=target.id,
                all=tuple((sources | target).ids),
            )
        )
        doubled = cr.fetchall()
        cr.execute(
            SQL(
                """
                UPDATE telecoop_usage_record SET source_id = %(target)s
                 WHERE source_id IN %(sources)s;
                INSERT INTO %(identity)s (source_id, record_id, period)
                SELECT DISTINCT ON (record_id) %(target)s, record_id, period
                  FROM %(identity)s WHERE source_id IN %(sources)s
                 ORDER BY record_id, period
                    ON CONFLICT (source_id, record_id) DO NOTHING;
                DELETE FROM %(identity)s WHERE source_id IN %(sources)s;
                UPDATE %(identity)s i SET period = r.period
                  FROM telecoop_usage_record r
                 WHERE i.source_id = %(target)s AND r.source_id = %(target)s
                   AND r.record_id = i.record_id AND i.period <> r.period
                """,
                target=target.id,
                sources=tuple(sources.ids),
                identity=identity,
            )
        )
        self.invalidate_model()
        return doubled

    def _init_from_plain_table(self):
        """A database created before partitioning: move the rows into months."""
        cr = self.env.cr
        old = "telecoop_usage_record_unpartitioned"
        cr.execute(
            SQL(
                "ALTER TABLE telecoop_usage_record RENAME TO %(old)s; "
                "ALTER TABLE %(old)s ALTER COLUMN id DROP DEFAULT; "
                "ALTER SEQUENCE telecoop_usage_record_id_seq OWNED BY NONE",
                old=SQL.identifier(old),
            )
        )
        # names of indexes and constraints are per schema: free them
        cr.execute(SQL("SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass", old))
        for (name,) in cr.fetchall():
            cr.execute(
                SQL("ALTER TABLE %s DROP CONSTRAINT %s", SQL.identifier(old), SQL.identifier(name))
            )
        cr.execute(SQL("SELECT indexname FROM pg_indexes WHERE tablename = %s", old))
        for (name,) in cr.fetchall():
            cr.execute(SQL("DROP INDEX %s", SQL.identifier(name)))
        self._init_partitioned_table()
        cr.execute(SQL("SELECT DISTINCT period FROM %s", SQL.identifier(old)))
        ensure_partitions(cr, [row[0] for row in cr.fetchall()])
        cr.execute(
            SQL("SELECT column_name FROM information_schema.columns WHERE table_name = %s", old)
        )
        old_columns = {row[0] for row in cr.fetchall()}
        names = ["id"] + [name for name, __ in self._column_definitions() if name in old_columns]
        columns = SQL(", ").join(SQL.identifier(name) for name in names)
        cr.execute(
            SQL(
                "INSERT INTO telecoop_usage_record (%s) SELECT %s FROM %s",
                columns,
                columns,
                SQL.identifier(old),
            )
        )
        _logger.info("Usage records: %s rows moved into monthly partitions", cr.rowcount)
        cr.execute(SQL("DROP TABLE %s", SQL.identifier(old)))

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
        # a record started when the line was not active is billed never (its month
        # is not the line's) or for a day the line did not exist: the line's dates
        # are corrected first
        for record in attached:
            day = (
                record.started_at.replace(tzinfo=UTC)
                .astimezone(ZoneInfo(record.source_id.tz or "UTC"))
                .date()
            )
            if day < line.activation_date or (
                line.termination_date and day > line.termination_date
            ):
                raise UserError(
                    self.env._(
                        "Record %(record)s started on %(day)s, when line %(line)s was not "
                        "active: correct the line's dates first.",
                        record=record.record_id,
                        day=day,
                        line=line.msisdn,
                    )
                )
        # an invoiced month is a fact: its records would be rated for nothing
        for period in sorted(set(attached.mapped("period"))):
            line._check_month_open(period)
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
        """Scheduled action: forget the raw usage past retention; prepare next month."""
        today = fields.Date.context_today(self)
        ensure_partitions(self.env.cr, [today, today + relativedelta(months=1)])
        self._purge_expired(commit=lambda done: self.env["ir.cron"]._commit_progress(done))

    @api.model
    def _get_partitions(self):
        """``{first day of the month: partition name}`` of the partitions that exist."""
        self.env.cr.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'telecoop_usage_record'::regclass"
        )
        partitions = {}
        for (name,) in self.env.cr.fetchall():
            suffix = name[len(PARTITION_PREFIX) :]
            if name.startswith(PARTITION_PREFIX) and len(suffix) == 8 and suffix[0] == "y":
                partitions[date(int(suffix[1:5]), int(suffix[6:8]), 1)] = name
        return partitions

    @api.model
    def _retention_end(self, company, period):
        """Last day on which the raw usage of ``company`` for the month ``period`` is kept.

        Traffic data are kept for billing until the bill can no longer be
        contested (CPCE L34-1), then erased: the retention period of the
        company (months) counts from the latest due date of the invoices that
        billed the month; from the last day of the month when none did (usage
        never billed, e.g. numbers of no line). None: kept (no retention set).
        """
        months = company.telecoop_usage_retention_months
        if months <= 0:
            return None
        self.env["account.move"].flush_model(["telecoop_billing_period", "invoice_date_due"])
        self.env.cr.execute(
            SQL(
                """
                SELECT max(coalesce(invoice_date_due, invoice_date))
                  FROM account_move
                 WHERE company_id = %s AND telecoop_billing_period = %s AND state = 'posted'
                """,
                company.id,
                period,
            )
        )
        due = self.env.cr.fetchone()[0]
        start = due or period + relativedelta(months=1, days=-1)
        return start + relativedelta(months=months)

    @api.model
    def _purge_expired(self, batch_size=None, today=None, commit=None):
        """Forget the raw usage of the months past their retention end.

        Per month and company (see :meth:`_retention_end`): a partition whose
        companies are all past it is dropped whole; otherwise the rows of the
        companies past it are deleted from that partition only. The imports of
        those months then lose their uploaded file and their log of rejected
        records (with every called number in clear); their counts stay. Rated
        usage, invoices and printed documents are not touched. Returns the
        number of records forgotten. ``batch_size`` is kept for callers of the
        row-by-row purge; partitions need no batches. The months purged are
        noted per company (:meth:`_is_month_purged`).
        """
        today = today or fields.Date.context_today(self)
        cr = self.env.cr
        self.flush_model()
        total = 0
        for period, partition in sorted(self._get_partitions().items()):
            table = SQL.identifier(partition)
            cr.execute(SQL("SELECT company_id, count(*) FROM %s GROUP BY company_id", table))
            counts = dict(cr.fetchall())
            expired = []
            for company in self.env["res.company"].sudo().browse(list(counts)).exists():
                end = self._retention_end(company, period)
                if end is not None and end < today:
                    expired.append(company.id)
            if not expired and counts:
                continue
            if set(expired) >= set(counts):
                if period >= today.replace(day=1):
                    continue  # an empty partition of this month or the next: kept
                cr.execute(SQL("DROP TABLE %s", table))
            else:
                cr.execute(SQL("DELETE FROM %s WHERE company_id IN %s", table, tuple(expired)))
            if expired:
                # the month is known as purged: rating it again starts from its rated usage
                cr.execute(
                    SQL(
                        """
                        INSERT INTO %(table)s (company_id, period, purge_date, record_count)
                        SELECT company_id, %(period)s, %(today)s, n
                          FROM unnest(%(companies)s::int[], %(counts)s::bigint[])
                               AS e (company_id, n)
                        ON CONFLICT (company_id, period) DO UPDATE
                           SET purge_date = EXCLUDED.purge_date,
                               record_count = %(table)s.record_count + EXCLUDED.record_count
                        """,
                        table=SQL.identifier(PURGED_TABLE),
                        period=period,
                        today=today,
                        companies=expired,
                        counts=[counts.get(company_id, 0) for company_id in expired],
                    )
                )
                # the identities of the month go with its records
                cr.execute(
                    SQL(
                        "DELETE FROM %s i USING telecoop_usage_source s WHERE i.period = %s "
                        "AND s.id = i.source_id AND s.company_id IN %s",
                        SQL.identifier(IDENTITY_TABLE),
                        period,
                        tuple(expired),
                    )
                )
            forgotten = sum(counts.get(company_id, 0) for company_id in expired)
            total += forgotten
            _logger.info(
                "Usage records of %s: %s rows of companies %s forgotten",
                period.strftime("%Y-%m"),
                forgotten,
                expired,
            )
            if commit:
                commit(forgotten)
        self.invalidate_model()
        self.env["telecoop.usage.import"]._purge_raw_files(today)
        return total
