# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import csv
import io
import logging
import os
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

from odoo.addons.queue_job.job import identity_exact

from ..services import demo_story
from ..services.cdr_csv import iter_csv
from ..services.cdr_format import HEAD_SIZE, detect_format
from ..services.cdr_http import CdrHttpError, iter_pages
from ..services.cdr_parse import (
    CLOCK_SKEW,
    FIELDS,
    CdrError,
    parse_record,
    parse_values,
    rename,
)
from ..services.cdr_xml import iter_xml
from .job_retry import bounded_retries
from .telecoop_usage_record import ensure_partitions

_logger = logging.getLogger(__name__)

#: good records written to PostgreSQL per COPY + INSERT ... SELECT (default of the
#: system parameter ``telecoop_mobile_billing.usage_import_batch_size``)
BATCH_SIZE = 50_000
#: records written since the last rating above which the months' statistics are
#: refreshed before counting them (see telecoop.usage.record._analyze_months)
ANALYZE_AFTER = 200_000
#: batches done by one background job before it queues the next one (default of
#: ``telecoop_mobile_billing.usage_import_job_batches``)
JOB_BATCHES = 4
#: rejected records kept in the log of one import (the count stays exact)
ERROR_LOG_LIMIT = 10_000

#: what the importer itself keeps of an import (its progress, counts and what it
#: rated): written by its own code only (in superuser mode), never by a user
#: through the form or RPC, where rewinding ``rated_until_id`` or ``rerate_todo``
#: would count the same records again in the rated usage (billed twice)
IMPORTER_FIELDS = frozenset(
    {
        "state",
        "position",
        "progress",
        "count_read",
        "count_new",
        "count_duplicate",
        "count_rejected",
        "count_unmatched",
        "date_start",
        "date_done",
        "failure_reason",
        "period_first",
        "period_last",
        "raw_purged_date",
        "rerate_todo",
        "rated_until_id",
    }
)

_NULL = "\\N"
_STAGING_COLUMNS = FIELDS  # the staging table takes the fields of the format, in order


class TelecoopUsageImport(models.Model):
    """One import of usage records: a file or an HTTP pull, with its log.

    Records are parsed in a stream and validated in pure Python
    (``services/cdr_parse.py``); good ones go to PostgreSQL by batches: COPY
    into a temporary staging table, then one ``INSERT ... SELECT`` that finds
    the line active at the start of each record and skips the identities
    already known to the host operator, in any month (``ON CONFLICT DO
    NOTHING`` on the table of identities, see ``telecoop.usage.record``).
    The position reached is stored with each batch, in the same transaction,
    so that an import killed half-way starts again where it stopped, and
    never counts or bills a record twice.
    """

    _name = "telecoop.usage.import"
    _description = "Usage import"
    _check_company_auto = True
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(required=True, default="/", copy=False, readonly=True)
    source_id = fields.Many2one(
        "telecoop.usage.source",
        required=True,
        ondelete="restrict",
        tracking=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="source_id.company_id", store=True, index=True)
    kind = fields.Selection(
        [("csv", "CSV file"), ("xml", "XML file"), ("http", "HTTP pull")],
        string="Format",
        readonly=True,
        copy=False,
        help="Told from the content of the file (the name is only a hint), or HTTP pull.",
    )
    file_name = fields.Char()
    attachment_id = fields.Many2one("ir.attachment", ondelete="set null", copy=False)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("queued", "Queued"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    position = fields.Integer(
        string="Records processed",
        readonly=True,
        copy=False,
        help="Records of the file already written: an interrupted import resumes here.",
    )
    progress = fields.Float(readonly=True, copy=False, help="Share of the file read, in %.")
    count_read = fields.Integer(string="Read", readonly=True, copy=False)
    count_new = fields.Integer(string="New", readonly=True, copy=False)
    count_duplicate = fields.Integer(
        string="Duplicates",
        readonly=True,
        copy=False,
        help="Records already known for this source, or twice in this import: not billed again.",
    )
    count_rejected = fields.Integer(string="Rejected", readonly=True, copy=False)
    count_unmatched = fields.Integer(
        string="Unmatched",
        readonly=True,
        copy=False,
        help="Records whose number matches no line active when they started.",
    )
    date_start = fields.Datetime(string="Started", readonly=True, copy=False)
    date_done = fields.Datetime(string="Finished", readonly=True, copy=False)
    failure_reason = fields.Text(readonly=True, copy=False)
    period_first = fields.Date(
        string="First month", readonly=True, copy=False, help="Month of the oldest new record."
    )
    period_last = fields.Date(
        string="Last month", readonly=True, copy=False, help="Month of the latest new record."
    )
    raw_purged_date = fields.Datetime(
        string="Raw data purged on",
        readonly=True,
        copy=False,
        help="The uploaded file and the log of rejected records were erased, past the "
        "retention period; the counts stay.",
    )
    rerate_todo = fields.Json(
        readonly=True, copy=False, help="Periods and lines touched, to rate again at the end."
    )
    rated_until_id = fields.Integer(
        readonly=True, copy=False, help="Records of this import up to this id are rated."
    )
    error_ids = fields.One2many("telecoop.usage.import.error", "import_id", readonly=True)
    record_count = fields.Integer(compute="_compute_record_count")

    def _compute_record_count(self):
        counts = dict(
            self.env["telecoop.usage.record"]._read_group(
                [("import_id", "in", self.ids)], ["import_id"], ["__count"]
            )
        )
        for usage_import in self:
            usage_import.record_count = counts.get(usage_import, 0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_importer_fields(vals)
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("telecoop.usage.import") or "/"
        return super().create(vals_list)

    def write(self, vals):
        self._check_importer_fields(vals)
        if {"source_id", "attachment_id", "kind"} & set(vals) and not self.env.su:
            started = self.filtered(lambda i: i.state != "draft")
            if started:
                raise UserError(
                    self.env._(
                        "Import %(name)s is started: its source, its file and its format "
                        "stay as they were imported.",
                        name=started[0].name,
                    )
                )
        return super().write(vals)

    def _check_importer_fields(self, vals):
        """Refuse a user's values for what only the importer writes (``IMPORTER_FIELDS``),
        and a file the user may not read (constraints run in superuser mode)."""
        if self.env.su:
            return
        if vals.get("attachment_id"):
            self.env["ir.attachment"].browse(vals["attachment_id"]).check_access("read")
        forced = sorted(IMPORTER_FIELDS & set(vals))
        if forced:
            raise AccessError(
                self.env._(
                    "The progress of a usage import (%(fields)s) is written by the import "
                    "itself, not by hand.",
                    fields=", ".join(forced),
                )
            )

    def _write_progress(self, vals):
        """The importer's own bookkeeping (``IMPORTER_FIELDS``), whoever runs it."""
        return self.sudo().write(vals)

    @api.constrains("attachment_id")
    def _check_attachment(self):
        """The file of an import is the import's own: an attachment that belongs to
        no other record (the importer reads it in superuser mode, so another
        import's file, of another company, would be read too; that the user may
        read it is checked on create and write)."""
        for usage_import in self.filtered("attachment_id"):
            attachment = usage_import.attachment_id
            if attachment.res_model not in (False, self._name) or (
                attachment.res_model == self._name and attachment.res_id not in (0, usage_import.id)
            ):
                raise ValidationError(
                    self.env._(
                        "Import %(name)s: the file %(file)s belongs to another record.",
                        name=usage_import.name,
                        file=attachment.name,
                    )
                )

    def unlink(self):
        # what an import wrote (its records, its counts, its rejection log) is the
        # trace of a delivery: the purge alone forgets it, past retention; only a
        # draft or failed import that wrote no record goes
        kept = self.filtered(lambda i: i.state not in ("draft", "failed") or i.record_count)
        if kept:
            raise UserError(
                self.env._(
                    "Import %(name)s wrote usage records: it stays, with its rejection log, "
                    "until the purge of its months.",
                    name=kept[0].name,
                )
            )
        # the records have no foreign key to their import (see telecoop.usage.record)
        self.env["telecoop.usage.record"].flush_model()
        self.env.cr.execute(
            SQL(
                "UPDATE telecoop_usage_record SET import_id = NULL WHERE import_id IN %s",
                tuple(self.ids),
            )
        )
        self.env["telecoop.usage.record"].invalidate_model(["import_id"])
        return super().unlink()

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def action_start(self):
        """Queue the import in the background (OCA queue_job)."""
        for usage_import in self:
            if usage_import.state not in ("draft", "failed"):
                raise UserError(
                    self.env._("Import %(name)s is already queued or done.", name=usage_import.name)
                )
            if usage_import.kind != "http":
                if not usage_import.attachment_id:
                    raise UserError(
                        self.env._("Import %(name)s has no file.", name=usage_import.name)
                    )
                usage_import._detect_kind()
            usage_import._write_progress({"state": "queued", "failure_reason": False})
            usage_import._enqueue()
        return True

    def action_resume(self):
        """Start again a failed or interrupted import from the position reached."""
        for usage_import in self.filtered(lambda i: i.state in ("failed", "running", "queued")):
            usage_import._write_progress({"state": "queued", "failure_reason": False})
            usage_import._enqueue()
        return True

    def action_view_records(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "telecoop_mobile_billing.telecoop_usage_record_action"
        )
        action["domain"] = [("import_id", "=", self.id)]
        action["context"] = {}
        return action

    def _detect_kind(self):
        """Tell the file's format from its head (the file name as a hint)."""
        self.ensure_one()
        with self._open_file() as stream:
            head = stream.read(HEAD_SIZE)
        try:
            kind = detect_format(
                head,
                self.file_name or self.attachment_id.name,
                self.source_id._get_column_mapping(),
            )
        except CdrError as error:
            raise UserError(
                self.env._(
                    "Import %(name)s, file %(file)s: %(reason)s",
                    name=self.name,
                    file=self.file_name or self.attachment_id.name or "",
                    reason=error.reason,
                )
            ) from None
        if kind != self.kind:
            self.sudo().kind = kind
        return kind

    def _get_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _enqueue(self):
        self.ensure_one()
        # a second click while a job waits does not queue another one
        self.with_delay(
            description=self.env._("Usage import %(name)s", name=self.name),
            identity_key=identity_exact,
        )._job_import()

    # ------------------------------------------------------------------
    # background job
    # ------------------------------------------------------------------
    @bounded_retries
    def _job_import(self, max_batches=None):
        """Job: import up to ``max_batches`` batches, then queue the rest.

        Each job commits what it wrote with the position reached; a job that
        dies is retried by queue_job from that position.
        """
        self.ensure_one()
        if self.state in ("done", "draft"):
            return
        failure = None
        try:
            with self.env.cr.savepoint():
                try:
                    finished = self._import_batches(
                        max_batches=max_batches or self._get_size_param("job_batches", JOB_BATCHES)
                    )
                except (CdrError, CdrHttpError, OSError, UserError) as error:
                    # every batch written so far is complete (records, counts,
                    # position or cursor): keep them, rate them, let staff resume
                    failure = self._describe_failure(error)
                    self._rerate_todo()
        except Exception as error:  # an import never stays "running"
            if isinstance(error, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY):
                # another transaction won (e.g. an import of the same month rated
                # first, after this job's snapshot): queue_job runs the job again,
                # up to its max_retries (bounded_retries), then _on_job_failed
                raise
            # anything else (a bug, a database error): this job's batches are
            # rolled back to the savepoint; the import fails where it stood
            _logger.exception("Usage import %s failed", self.name)
            self.env.invalidate_all()
            failure = self.env._("unexpected error: %(error)s", error=repr(error)[:500])
        if failure:
            self._write_progress({"state": "failed", "failure_reason": failure})
            self.message_post(body=self.env._("Import failed: %(reason)s", reason=failure))
            return
        if not finished:
            self._enqueue()

    def _on_job_failed(self, exc_info=None, exc_name=None, exc_message=None):
        """queue_job gave up on the import's job (its tries are spent): the import
        fails with the reason, so that staff see it and resume it."""
        for usage_import in self.filtered(lambda i: i.state not in ("done", "failed")):
            reason = self.env._(
                "background job failed: %(error)s", error=(exc_message or exc_name or "")[:500]
            )
            usage_import._write_progress({"state": "failed", "failure_reason": reason})
            usage_import.message_post(body=self.env._("Import failed: %(reason)s", reason=reason))

    def _get_size_param(self, name, default):
        """A positive size of the import from its system parameter, else ``default``."""
        return self.env["ir.config_parameter"]._get_positive_int(
            f"telecoop_mobile_billing.usage_import_{name}", default
        )

    def _describe_failure(self, error):
        """The reason of a failed import, with the file it read."""
        if isinstance(error, CdrError) and self.kind != "http":
            return self.env._(
                "file %(file)s, %(where)s: %(reason)s",
                file=self.file_name or self.attachment_id.name or "",
                where=error.field,
                reason=error.reason,
            )
        return str(error)

    def _import_batches(self, max_batches=None):
        """Import from the position reached; return True when the import is over."""
        self.ensure_one()
        if self.state != "running":
            self._write_progress(
                {"state": "running", "date_start": self.date_start or fields.Datetime.now()}
            )
        if self.kind == "http":
            finished = self._import_http(max_batches=max_batches)
        else:
            if not self.kind:
                self._detect_kind()
            with self._open_file() as stream:
                finished = self._import_stream(stream, max_batches=max_batches)
        if finished:
            self._finish()
        elif not self.env.context.get("telecoop_usage_no_rerate"):
            # the records this job wrote are counted in the rated usage in the
            # same transaction (never twice, never missing); pricing waits for the end
            self._add_rated_usage()
        return finished

    def _open_file(self):
        attachment = self.attachment_id.sudo()
        if attachment.store_fname:
            return open(attachment._full_path(attachment.store_fname), "rb")
        return io.BytesIO(attachment.raw or b"")

    def _finish(self):
        self._rerate_todo()
        self._write_progress(
            {"state": "done", "progress": 100.0, "date_done": fields.Datetime.now()}
        )
        self.message_post(
            body=self.env._(
                "Import done: %(read)s read, %(new)s new, %(duplicate)s duplicates, "
                "%(rejected)s rejected, %(unmatched)s unmatched.",
                read=self.count_read,
                new=self.count_new,
                duplicate=self.count_duplicate,
                rejected=self.count_rejected,
                unmatched=self.count_unmatched,
            )
        )

    # ------------------------------------------------------------------
    # readers
    # ------------------------------------------------------------------
    def _import_stream(self, stream, max_batches=None):
        """Import a CSV or XML file object from ``self.position``.

        PostgreSQL writes batch N (in a helper thread that only runs the SQL on
        this transaction's connection) while Python parses batch N+1; the ORM
        bookkeeping of a batch runs in this thread once its SQL is done.
        """
        self.ensure_one()
        batch_size = self._get_size_param("batch_size", BATCH_SIZE)
        try:
            size = os.fstat(stream.fileno()).st_size
        except (AttributeError, OSError, io.UnsupportedOperation):
            size = len(stream.getbuffer()) if isinstance(stream, io.BytesIO) else 0
        reader = iter_xml if self.kind == "xml" else iter_csv
        items = reader(stream, skip=self.position, mapping=self.source_id._get_column_mapping())
        params = self._insert_params()
        not_after, not_before = self._not_after(), self._not_before()
        parse = self._parse_into
        batches = 0
        good, errors, read = [], [], 0
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="usage-import") as pool:
            pending = None
            try:
                append = good.append
                for position, raw in items:
                    read += 1
                    # the common case inline (a row of a CSV file): one call a record
                    if type(raw) is tuple:
                        try:
                            append(parse_values(*raw, not_after=not_after, not_before=not_before))
                        except CdrError:
                            parse(position, raw, good, errors, not_after, not_before)
                    else:
                        parse(position, raw, good, errors, not_after, not_before)
                    if len(good) >= batch_size:
                        progress = min(100.0 * stream.tell() / size if size else 0.0, 99.9)
                        buffer = self._copy_buffer(good)
                        if pending:
                            self._apply_batch(pending[0].result(), *pending[1:])
                        future = pool.submit(self._insert_batch_sql, buffer, params)
                        pending = (future, len(good), errors, read, progress)
                        good, errors, read = [], [], 0
                        append = good.append
                        batches += 1
                        if max_batches and batches >= max_batches:
                            self._apply_batch(pending[0].result(), *pending[1:])
                            return False
            except CdrError:
                # a broken file: the good records read before the break are kept
                if pending:
                    self._apply_batch(pending[0].result(), *pending[1:])
                self._write_batch(good, errors, read)
                raise
            if pending:
                self._apply_batch(pending[0].result(), *pending[1:])
        self._write_batch(good, errors, read)
        return True

    def _import_http(self, max_batches=None):
        """Pull pages from the source's last cursor; remember the cursor per batch."""
        self.ensure_one()
        source = self.source_id.sudo()
        if not source.base_url:
            raise UserError(self.env._("Source %(name)s has no base URL.", name=source.name))
        good, errors, read = [], [], 0
        batches = 0
        batch_size = self._get_size_param("batch_size", BATCH_SIZE)
        pages = iter_pages(
            source.base_url,
            source.api_key or "",
            cursor=source.last_cursor or None,
            limit=source.page_limit or 1000,
            timeout=source.timeout or 30,
            retries=self.env.context.get("telecoop_http_retries", 3),
            backoff=self.env.context.get("telecoop_http_backoff", 0.5),
        )
        mapping = source._get_column_mapping()
        not_after, not_before = self._not_after(), self._not_before()
        for cursor, records, next_cursor in pages:
            label = cursor or "-"
            for rank, raw in enumerate(records, start=1):
                read += 1
                if isinstance(raw, dict):
                    raw = rename(raw, mapping)
                else:
                    raw = CdrError("record", "not a JSON object")
                self._parse_into(f"{label} #{rank}", raw, good, errors, not_after, not_before)
            # the page that ended the feed is asked again next time: records
            # delivered later behind it are then not lost (known ones are skipped)
            reached = next_cursor or cursor
            if len(good) >= batch_size or not next_cursor:
                self._write_batch(good, errors, read)
                if reached != source.last_cursor:
                    source.last_cursor = reached
                good, errors, read = [], [], 0
                batches += 1
                if next_cursor and max_batches and batches >= max_batches:
                    return False
        return True

    def _not_after(self):
        """Latest start accepted: now, plus the clock skew allowed to the host operator."""
        now = self.env.context.get("telecoop_usage_now") or datetime.now(UTC)
        return now + CLOCK_SKEW

    def _not_before(self):
        """Earliest start accepted: the end of the last month of the company whose
        raw records were purged, in the source's time zone (None when none was).

        Those months are past retention: their records and identities are erased,
        so a record of them delivered again would no longer be known as a duplicate
        (see ``telecoop.usage.record._purged_until``)."""
        until = self.env["telecoop.usage.record"]._purged_until(self.source_id.company_id)
        if until is None:
            return None
        tz = ZoneInfo(self.source_id.tz or "Europe/Paris")
        return datetime.combine(until, time.min, tzinfo=tz)

    @staticmethod
    def _parse_into(position, raw, good, errors, not_after=None, not_before=None):
        """Validate one record (a dict, a tuple in ``FIELDS`` order or a reader error)."""
        try:
            if isinstance(raw, CdrError):
                raise raw
            if isinstance(raw, tuple):
                good.append(parse_values(*raw, not_after=not_after, not_before=not_before))
            else:
                good.append(parse_record(raw, not_after=not_after, not_before=not_before))
        except CdrError as error:
            record_id = raw[0] if isinstance(raw, tuple) else None
            if isinstance(raw, dict):
                record_id = raw.get("record_id")
            record_id = str(record_id)[:128] if record_id else None
            errors.append((str(position), record_id, error.field, error.reason))

    # ------------------------------------------------------------------
    # set-based writing
    # ------------------------------------------------------------------
    def _write_batch(self, good, errors, read, progress=None):
        """Write one batch: COPY, one INSERT ... SELECT, the log, the counters."""
        self.ensure_one()
        rows = []
        if good:
            rows = self._insert_batch_sql(self._copy_buffer(good), self._insert_params())
        self._apply_batch(rows, len(good), errors, read, progress)

    def _insert_params(self):
        source = self.source_id
        return {
            "company": source.company_id.id,
            "source": source.id,
            "import": self.id,
            "tz": source.tz or "Europe/Paris",
        }

    @staticmethod
    def _copy_buffer(good):
        """The COPY text of validated records (see ``cdr_parse.parse_values``)."""
        buffer = io.StringIO()
        write = buffer.write
        # the parser lets no tab, newline or control character through: only a
        # backslash of a record identity or a destination needs escaping
        for rid, msisdn, started, usage_type, qty, zone, dest, amount in good:
            if "\\" in rid:
                rid = rid.replace("\\", "\\\\")
            if dest is not None and "\\" in dest:
                dest = dest.replace("\\", "\\\\")
            write(
                f"{rid}\t{msisdn}\t{started}\t{usage_type}\t{qty}\t{zone}\t"
                f"{_NULL if dest is None else dest}\t{_NULL if amount is None else amount}\n"
            )
        buffer.seek(0)
        return buffer

    def _insert_batch_sql(self, buffer, params):
        """COPY into the staging table, then one INSERT ... SELECT ... ON CONFLICT.

        Plain SQL on the transaction's connection and nothing else (it may run in
        a helper thread while the ORM waits). Returns rows (line_id, period, count)
        of the records inserted.
        """
        raw = self.env.cr._obj
        raw.execute(
            """
            CREATE TEMP TABLE IF NOT EXISTS telecoop_usage_staging (
                record_id varchar, msisdn varchar, started_at timestamptz,
                usage_type varchar, quantity bigint, zone varchar,
                destination varchar, third_party_amount numeric
            ) ON COMMIT DROP;
            TRUNCATE telecoop_usage_staging;
            """
        )
        # the whole buffer in one read: this runs in a helper thread while the
        # parser holds the GIL, and each read of 8 KB (psycopg2's default) waited for it
        size = buffer.seek(0, io.SEEK_END)
        buffer.seek(0)
        raw.copy_expert(
            f"COPY telecoop_usage_staging ({', '.join(_STAGING_COLUMNS)}) FROM STDIN",
            buffer,
            size=max(size, 8192),
        )
        # the months of the batch get their partition first (see telecoop.usage.record)
        raw.execute(
            "SELECT DISTINCT date_trunc('month', started_at AT TIME ZONE %(tz)s)::date "
            "FROM telecoop_usage_staging",
            params,
        )
        ensure_partitions(raw, [row[0] for row in raw.fetchall()])
        # the identities new to the host operator first (whatever their month),
        # then the records of those only: a record re-sent with its start in
        # another month is a duplicate; the first of a batch's copies wins
        raw.execute(
            """
            WITH batch AS MATERIALIZED (
                SELECT DISTINCT ON (s.record_id) s.*,
                       date_trunc('month', s.started_at AT TIME ZONE %(tz)s)::date AS period
                  FROM telecoop_usage_staging s
                 ORDER BY s.record_id, s.ctid
            ), fresh AS (
                INSERT INTO telecoop_usage_record_identity (source_id, record_id, period)
                SELECT %(source)s, b.record_id, b.period FROM batch b
                    ON CONFLICT (source_id, record_id) DO NOTHING
                RETURNING record_id
            ), inserted AS (
                INSERT INTO telecoop_usage_record (
                    company_id, source_id, import_id, record_id, line_id, msisdn,
                    started_at, period, usage_type, quantity, zone, destination,
                    third_party_amount
                )
                SELECT %(company)s, %(source)s, %(import)s, s.record_id, l.id, s.msisdn,
                       s.started_at AT TIME ZONE 'UTC', s.period,
                       s.usage_type, s.quantity, s.zone, s.destination, s.third_party_amount
                  FROM batch s
                  JOIN fresh f ON f.record_id = s.record_id
             LEFT JOIN telecoop_mobile_line l
                    ON l.msisdn = s.msisdn
                   AND l.company_id = %(company)s
                   AND l.activation_date <= (s.started_at AT TIME ZONE %(tz)s)::date
                   AND (l.termination_date IS NULL
                        OR l.termination_date >= (s.started_at AT TIME ZONE %(tz)s)::date)
                RETURNING line_id, period
            )
            SELECT line_id, period, count(*) FROM inserted GROUP BY line_id, period
            """,
            params,
        )
        return raw.fetchall()

    def _apply_batch(self, rows, good_count, errors, read, progress=None):
        """Book a written batch: rejected records, counters, position, periods to rate."""
        inserted = unmatched = 0
        touched = defaultdict(set)
        periods = {period for __, period, __ in rows}
        for line_id, period, count in rows:
            inserted += count
            if line_id:
                touched[period.isoformat()].add(line_id)
            else:
                unmatched += count
        logged = min(len(errors), max(0, ERROR_LOG_LIMIT - self.count_rejected))
        if logged:
            self._log_errors(errors[:logged])
        self.env["telecoop.usage.record"].invalidate_model()
        todo = dict(self.rerate_todo or {})
        for period, line_ids in touched.items():
            todo[period] = sorted(set(todo.get(period, [])) | line_ids)
        vals = {
            "position": self.position + read,
            "count_read": self.count_read + read,
            "count_new": self.count_new + inserted,
            "count_duplicate": self.count_duplicate + good_count - inserted,
            "count_rejected": self.count_rejected + len(errors),
            "count_unmatched": self.count_unmatched + unmatched,
            "rerate_todo": todo,
        }
        if periods:
            vals["period_first"] = min(periods | {self.period_first or date.max})
            vals["period_last"] = max(periods | {self.period_last or date.min})
        if progress is not None:
            vals["progress"] = progress
        self._write_progress(vals)

    def _log_errors(self, errors):
        cr = self.env.cr
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        uid = self.env.uid
        for position, record_id, field, reason in errors:
            writer.writerow((self.id, position[:64], record_id, field, reason[:256], uid, uid))
        buffer.seek(0)
        cr._obj.copy_expert(
            "COPY telecoop_usage_import_error "
            "(import_id, position, record_id, field, reason, create_uid, write_uid) "
            "FROM STDIN WITH (FORMAT csv)",
            buffer,
        )
        self.env["telecoop.usage.import.error"].invalidate_model()
        self.invalidate_recordset(["error_ids"])

    # ------------------------------------------------------------------
    # rating
    # ------------------------------------------------------------------
    def _rerate_todo(self):
        """Rate what this import brought since it was last rated.

        By increments (``telecoop.rated.usage._rate_increment``): the new
        records of this import (those past ``rated_until_id``, so that a failed
        and resumed import is rated once) are added to the rated usage, grouped
        by line, month, type and zone; then only the lines they touched are
        priced again, from the rated usage, not from the whole month's records.
        The work is proportional to what the file brought.
        """
        self.ensure_one()
        todo = self.rerate_todo or {}
        if todo and not self.env.context.get("telecoop_usage_no_rerate"):
            self._add_rated_usage()
            self.env["telecoop.rated.usage"]._reprice(self.company_id, todo)
        self._write_progress({"rerate_todo": False})

    def _add_rated_usage(self):
        """Add the records of this import not counted yet to the rated usage."""
        self.ensure_one()
        if not self.period_first:
            return
        self.env["telecoop.usage.record"].flush_model()
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT max(id) FROM telecoop_usage_record WHERE import_id = %s "
                "AND period BETWEEN %s AND %s",
                self.id,
                self.period_first,
                self.period_last,
            )
        )
        last_id = cr.fetchone()[0]
        if not last_id or last_id <= self.rated_until_id:
            return
        if min(self.count_new, last_id - self.rated_until_id) >= ANALYZE_AFTER:
            # many records new to the planner: its statistics first (see the method)
            self.env["telecoop.usage.record"]._analyze_months(self.period_first, self.period_last)
        self.env["telecoop.rated.usage"]._add_usage(
            self.company_id,
            SQL(
                """
                SELECT line_id, period, usage_type, zone, sum(quantity), count(*),
                       sum(third_party_amount), max(started_at)
                  FROM telecoop_usage_record
                 WHERE import_id = %s AND id > %s AND id <= %s AND line_id IS NOT NULL
                       AND period BETWEEN %s AND %s
                 GROUP BY line_id, period, usage_type, zone
                """,
                self.id,
                self.rated_until_id,
                last_id,
                self.period_first,
                self.period_last,
            ),
        )
        self._write_progress({"rated_until_id": last_id})

    # ------------------------------------------------------------------
    # retention
    # ------------------------------------------------------------------
    @api.model
    def _purge_raw_files(self, today):
        """Erase the uploaded files and rejection logs of imports past retention.

        An import is past retention when the last month it brought records of
        is (see ``telecoop.usage.record._retention_end``); an import that
        brought none (duplicates, rejected records, a failed file) counts from
        the month it was made. Its counts and chatter stay.
        """
        Record = self.env["telecoop.usage.record"]
        imports = self.sudo().search([("raw_purged_date", "=", False), ("state", "!=", "running")])
        purged = self.browse()
        for usage_import in imports:
            month = usage_import.period_last or usage_import.create_date.date().replace(day=1)
            end = Record._retention_end(usage_import.company_id, month)
            if end is not None and end < today:
                purged |= usage_import
        if not purged:
            return purged
        self.env.cr.execute(
            SQL("DELETE FROM telecoop_usage_import_error WHERE import_id IN %s", tuple(purged.ids))
        )
        self.env["telecoop.usage.import.error"].invalidate_model()
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    "|",
                    ("id", "in", purged.attachment_id.ids),
                    "&",
                    ("res_model", "=", self._name),
                    ("res_id", "in", purged.ids),
                ]
            )
        )
        attachments.unlink()
        purged._write_progress({"raw_purged_date": fields.Datetime.now()})
        return purged

    # Demo -------------------------------------------------------------------
    @api.model
    def _demo_story_cdr(self, month):
        """Demo data: the bytes of the story's CDR file of ``month`` ("last" or "this")."""
        return demo_story.cdr_csv(fields.Datetime.now(), month).encode()
