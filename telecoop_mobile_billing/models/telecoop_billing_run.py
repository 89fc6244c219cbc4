# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import UTC
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.queue_job.delay import group

from .job_retry import bounded_retries
from .telecoop_mobile_line import month_bounds


class TelecoopBillingRun(models.Model):
    """The monthly billing of a period: one posted invoice per holder.

    Idempotent: a holder is invoiced at most once per company and period
    (unique run line), so running the period again, or resuming a run killed
    half-way, never invoices anybody twice. Chunks run in the background
    through ``queue_job``; each chunk creates and links its invoices in one
    transaction.
    """

    _name = "telecoop.billing.run"
    _description = "Billing run"
    _check_company_auto = True
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "period desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    period = fields.Date(
        required=True,
        tracking=True,
        default=lambda self: self._default_period(),
        help="Any day of the month billed: a month that has ended (its usage is complete).",
    )
    period_month = fields.Char(
        string="Month",
        compute="_compute_period_month",
        help="The month billed, in words (November 2026).",
    )
    invoice_date = fields.Date(help="Date of the invoices; the last day of the month if empty.")
    journal_id = fields.Many2one(
        "account.journal",
        domain="[('type', '=', 'sale'), ('company_id', '=', company_id)]",
        help="Sale journal of the invoices; the company's first one if empty.",
        check_company=True,
    )
    payment_mode_id = fields.Many2one(
        "account.payment.mode",
        string="Direct debit mode",
        domain="[('payment_order_ok', '=', True), ('payment_type', '=', 'inbound'), "
        "('company_id', '=', company_id)]",
        help="SEPA direct debit mode: the invoices of holders with a valid mandate get it "
        "and go to the debit order of the period; the others pay in the portal.",
        check_company=True,
    )
    payment_order_id = fields.Many2one(
        "account.payment.order", string="Debit order", readonly=True, copy=False, check_company=True
    )
    chunk_size = fields.Integer(default=200, help="Holders invoiced per background job.")
    rate_again = fields.Boolean(
        string="Rate the whole month again",
        help="Price every line's month again before invoicing (e.g. after holders' fiscal "
        "positions changed). Otherwise only the months not priced yet are priced: rating "
        "keeps the others up to date after each import and each change of a line.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("running", "Running"), ("done", "Done")],
        default="draft",
        required=True,
        tracking=True,
    )
    run_line_ids = fields.One2many("telecoop.billing.run.line", "run_id", string="Holders")
    holder_count = fields.Integer(compute="_compute_progress")
    invoiced_count = fields.Integer(compute="_compute_progress")
    progress = fields.Float(compute="_compute_progress", help="Share of the holders invoiced.")

    @api.model
    def _company_today(self, company):
        """Today in the time zone of the company's usage (its partner's, Paris if none)."""
        tz = ZoneInfo(self.env["telecoop.usage.record"]._get_usage_tz(company))
        return fields.Datetime.now().replace(tzinfo=UTC).astimezone(tz).date()

    @api.model
    def _default_period(self):
        """The last month that has ended in the company's time zone."""
        return self._company_today(self.env.company).replace(day=1) - relativedelta(months=1)

    def _check_month_ended(self):
        """A run freezes its month: the holders it invoices are not invoiced for it
        again. Usage of a month still running keeps coming, and what came after the
        run was never billed: a run is only for a month that has ended in the
        company's time zone."""
        for run in self:
            __, last, __ = month_bounds(run.period)
            if run._company_today(run.company_id) <= last:
                raise UserError(
                    self.env._(
                        "%(month)s has not ended yet: its usage is still coming. Bill it "
                        "from %(first)s on.",
                        month=run.period_month,
                        first=self.env["telecoop.format"].date(last + relativedelta(days=1)),
                    )
                )

    @api.depends("period")
    @api.depends_context("lang")
    def _compute_period_month(self):
        fmt = self.env["telecoop.format"]
        for run in self:
            run.period_month = fmt.month(run.period)

    @api.depends("period")
    def _compute_name(self):
        for run in self:
            run.name = (
                self.env._("Billing %(month)s", month=run.period.strftime("%Y-%m"))
                if run.period
                else False
            )

    @api.depends("run_line_ids.move_id")
    def _compute_progress(self):
        for run in self:
            run.holder_count = len(run.run_line_ids)
            run.invoiced_count = len(run.run_line_ids.filtered("move_id"))
            run.progress = 100.0 * run.invoiced_count / run.holder_count if run.holder_count else 0

    #: what a run is started with: fixed once started (the form shows them read-only)
    _DRAFT_FIELDS = frozenset({"company_id", "period", "invoice_date", "journal_id"})

    def write(self, vals):
        if not self.env.su:
            if "state" in vals:
                raise UserError(self.env._("A billing run moves on by itself: Start, Resume."))
            started = self.filtered(lambda run: run.state != "draft")
            if started and self._DRAFT_FIELDS & set(vals):
                raise UserError(
                    self.env._(
                        "%(run)s is started: its company, month, invoice date and journal "
                        "stay as they were.",
                        run=started[0].name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        # its holder lines say who is invoiced for the month: deleted with the run,
        # the next run of the month invoiced them a second time
        invoiced = self.filtered(lambda run: run.run_line_ids.filtered("move_id"))
        if invoiced:
            raise UserError(
                self.env._(
                    "%(run)s invoiced holders: it stays, as their invoices do.",
                    run=invoiced[0].name,
                )
            )

    def _get_journal(self):
        self.ensure_one()
        journal = self.journal_id or self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", self.company_id.id)], limit=1
        )
        if not journal:
            raise UserError(self.env._("The company has no sale journal."))
        return journal

    def _prepare_run_lines(self):
        """One run line per holder with charges in the period, unless one exists already."""
        self.ensure_one()
        first, __, __ = month_bounds(self.period)
        self.env["telecoop.priced.charge"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO telecoop_billing_run_line
                       (run_id, company_id, partner_id, period,
                        create_uid, write_uid, create_date, write_date)
                SELECT DISTINCT %(run)s, c.company_id, c.partner_id, %(first)s,
                       %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                  FROM telecoop_priced_charge c
                 WHERE c.company_id = %(company)s AND c.period = %(first)s
                ON CONFLICT (company_id, partner_id, period) DO NOTHING
                """,
                run=self.id,
                first=first,
                company=self.company_id.id,
                uid=self.env.uid,
            )
        )
        self.env["telecoop.billing.run.line"].invalidate_model()
        self.invalidate_recordset(["run_line_ids"])

    def action_start(self):
        """Rate the period, list the holders, and invoice them in chunks (background)."""
        self.ensure_one()
        if self.company_id.tax_calculation_rounding_method != "round_per_line":
            raise UserError(
                self.env._(
                    "%(company)s rounds taxes globally: set Round per Line in the accounting "
                    "settings, so that each invoice line is the charge of the priced month, "
                    "to the cent.",
                    company=self.company_id.name,
                )
            )
        self._check_month_ended()
        first, __, __ = month_bounds(self.period)
        if self.period != first:
            self.period = first
        self.sudo().state = "running"
        # the months are priced by rating, after each import and each change of a
        # line: the run prices only the months not priced yet (lines without usage),
        # unless staff ask for the whole month again
        Rated = self.env["telecoop.rated.usage"]
        if self.rate_again:
            Rated._rate_period(self.company_id, first)
        else:
            unpriced = self.env["telecoop.priced.month"]._get_unpriced_line_ids(
                self.company_id, first
            )
            if unpriced:
                Rated._rate_period(self.company_id, first, line_ids=unpriced)
        self._prepare_run_lines()
        pending = self.env["telecoop.billing.run.line"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("period", "=", first),
                ("move_id", "=", False),
            ]
        )
        size = max(self.chunk_size, 1)
        chunks = [
            self.delayable(
                description=self.env._(
                    "%(run)s: holders %(start)s to %(end)s",
                    run=self.name,
                    start=start + 1,
                    end=min(start + size, len(pending)),
                )
            )._process_chunk(pending[start : start + size].ids)
            for start in range(0, len(pending), size)
        ]
        finish = self.delayable(
            description=self.env._("%(run)s: debit order and end", run=self.name)
        )._finish_run()
        if chunks:
            # the chunks run in parallel on the workers; the end waits for all of them
            group(*chunks).on_done(finish).delay()
        else:
            finish.delay()
        return True

    @bounded_retries
    def _process_chunk(self, run_line_ids):
        """Invoice the holders of these run lines that are not invoiced yet."""
        self.ensure_one()
        run_lines = (
            self.env["telecoop.billing.run.line"]
            .browse(run_line_ids)
            .exists()
            .filtered(lambda rl: not rl.move_id)
        )
        if run_lines:
            # lock the run lines: a chunk started twice waits, then finds them invoiced
            self.env.cr.execute(
                "SELECT id FROM telecoop_billing_run_line WHERE id = ANY(%s) "
                "AND move_id IS NULL FOR UPDATE",
                [run_lines.ids],
            )
            locked = {row[0] for row in self.env.cr.fetchall()}
            run_lines = run_lines.filtered(lambda rl: rl.id in locked)
        if run_lines:
            journal = self._get_journal()
            prefetched = run_lines._prefetch_billing_data()
            # the official PDF and the e-mail, by Odoo's sending in the background
            # (its cron picks the posted invoices with sending data): given at
            # creation, not written on every invoice afterwards
            sending = {
                "author_user_id": self.env.user.id,
                "author_partner_id": self.env.user.partner_id.id,
            }
            vals_list = []
            for run_line in run_lines:
                values = run_line._prepare_invoice_values(journal, self, prefetched)
                values["sending_data"] = sending
                vals_list.append(values)
            # bulk invoicing: no creation message nor tracking on each new invoice
            moves = (
                self.env["account.move"]
                .with_context(tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
                .create(vals_list)
            )
            run_lines._link_invoices(moves)
            # the months of these charges are facts now
            prefetched["months"]._mark_invoiced()
            # posting numbers the invoices last: the number of the journal is locked
            # from the first invoice numbered until the chunk commits, so a chunk
            # running beside this one waits the shortest time
            moves._post(soft=False)
            self.env.ref("account.ir_cron_account_move_send")._trigger()
            # chunks run one after the other in one transaction when not queued:
            # keep the memory of a run flat
            self.env.flush_all()
            self.env.invalidate_all()
        return len(run_lines)

    @bounded_retries
    def _finish_run(self):
        """Once every chunk ran: the debit order of the period, and the run is done.

        When a chunk failed, holders are left to invoice: the run stays running
        and staff resume it.
        """
        self.ensure_one()
        remaining = self.env["telecoop.billing.run.line"].search_count(
            [
                ("company_id", "=", self.company_id.id),
                ("period", "=", self.period),
                ("move_id", "=", False),
            ]
        )
        if not remaining:
            self._prepare_debit_order()
            self.sudo().state = "done"
        return remaining

    def _prepare_debit_order(self):
        """Put the invoices of holders with a valid SEPA mandate in the debit order.

        Invoices already in a payment order are left alone, so preparing again
        adds nothing twice.
        """
        self.ensure_one()
        if not self.payment_mode_id:
            return
        run_lines = self.env["telecoop.billing.run.line"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("period", "=", self.period),
                ("move_id", "!=", False),
            ]
        )
        moves = run_lines.move_id.filtered(
            lambda m: (
                m.payment_mode_id == self.payment_mode_id
                and m.mandate_id
                and m.state == "posted"
                and m.payment_state in ("not_paid", "partial")
                and not m.line_ids.payment_line_ids
            )
        )
        if moves:
            moves.create_account_payment_line()
        order = moves.line_ids.payment_line_ids.order_id[:1] or self.env[
            "account.payment.order"
        ].search(
            [("payment_mode_id", "=", self.payment_mode_id.id), ("state", "=", "draft")],
            limit=1,
        )
        if order:
            self.payment_order_id = order

    def action_view_debit_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.payment.order",
            "res_id": self.payment_order_id.id,
            "view_mode": "form",
        }

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", self.run_line_ids.move_id.ids)]
        action["context"] = {"create": False}
        return action
