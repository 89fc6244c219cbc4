# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import calendar
import datetime

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.telecoop_membership.services.days import latest_today

#: which state a line may go to from each state (a lifecycle table, not nested ifs)
STATE_TRANSITIONS = {
    "active": {"suspended", "terminated"},
    "suspended": {"active", "terminated"},
    "terminated": set(),
}


def month_bounds(period_date):
    """(first day, last day, number of days) of the calendar month of ``period_date``."""
    period_date = fields.Date.to_date(period_date)
    days = calendar.monthrange(period_date.year, period_date.month)[1]
    first = period_date.replace(day=1)
    return first, first.replace(day=days), days


class TelecoopMobileLine(models.Model):
    """A mobile line (MSISDN) held by a contact, on a plan."""

    _name = "telecoop.mobile.line"
    _description = "Mobile line"
    _check_company_auto = True
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "msisdn, id"
    _rec_name = "msisdn"

    msisdn = fields.Char(
        string="Number (MSISDN)",
        required=True,
        index=True,
        tracking=True,
        help="E.164 without +, e.g. 33612345678.",
    )
    msisdn_display = fields.Char(
        string="Number",
        compute="_compute_msisdn_display",
        help="The number as a person reads it: 06 12 34 56 78.",
    )
    iccid = fields.Char(string="SIM (ICCID)", tracking=True, copy=False)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Holder",
        required=True,
        tracking=True,
        index=True,
        check_company=True,
    )
    plan_id = fields.Many2one(
        "telecoop.mobile.plan",
        required=True,
        tracking=True,
        help="The plan of the line today, from its plan history (a later change is shown "
        "apart, from its date).",
        check_company=True,
    )
    upcoming_plan_id = fields.Many2one(
        "telecoop.mobile.plan", compute="_compute_upcoming_plan", string="Next plan"
    )
    upcoming_plan_date = fields.Date(compute="_compute_upcoming_plan", string="Next plan from")
    base_fee = fields.Monetary(related="plan_id.base_fee")
    activation_date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    termination_date = fields.Date(tracking=True)
    state = fields.Selection(
        [("active", "Active"), ("suspended", "Suspended"), ("terminated", "Terminated")],
        default="active",
        required=True,
        tracking=True,
    )
    plan_history_ids = fields.One2many(
        "telecoop.mobile.line.plan", "line_id", string="Plan history", copy=False
    )
    rated_usage_ids = fields.One2many("telecoop.rated.usage", "line_id", string="Rated usage")
    holder_history_ids = fields.One2many(
        "telecoop.mobile.line.holder", "line_id", string="Holder history", copy=False
    )
    priced_month_ids = fields.One2many(
        "telecoop.priced.month", "line_id", string="Priced months", readonly=True
    )
    one_off_ids = fields.One2many("telecoop.mobile.line.one.off", "line_id", string="One-offs")

    _msisdn_active_unique = models.UniqueIndex(
        "(company_id, msisdn) WHERE state != 'terminated'",
        "This number is already used by another line that is not terminated.",
    )
    _dates_ordered = models.Constraint(
        "CHECK(termination_date IS NULL OR termination_date >= activation_date)",
        "A line cannot end before it starts.",
    )

    @api.depends("msisdn")
    def _compute_msisdn_display(self):
        phone = self.env["telecoop.format"].phone
        for line in self:
            line.msisdn_display = phone(line.msisdn)

    @api.constrains("msisdn")
    def _check_msisdn(self):
        for line in self:
            if not (line.msisdn.isdigit() and 8 <= len(line.msisdn) <= 15):
                raise ValidationError(
                    self.env._(
                        "%(msisdn)s is not an E.164 number without +: 8 to 15 digits.",
                        msisdn=line.msisdn,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # the unique index on active numbers sees pending terminations first
        self.flush_model(["state", "msisdn"])
        lines = super().create(vals_list)
        self.env["telecoop.mobile.line.plan"].with_context(telecoop_plan_history=True).create(
            [
                {"line_id": line.id, "plan_id": line.plan_id.id, "date_from": line.activation_date}
                for line in lines
            ]
        )
        self.env["telecoop.mobile.line.holder"].sudo().create(
            [
                {
                    "line_id": line.id,
                    "partner_id": line.partner_id.id,
                    "date_from": line.activation_date,
                }
                for line in lines
            ]
        )
        lines._check_holders_not_invoiced()
        lines._rate_this_month()
        return lines

    def _check_holders_not_invoiced(self):
        """A new line's months must be open for its holder: a holder is invoiced once
        per month (``telecoop.billing.run.line``), so the charges of a line dated
        back into a month its holder was invoiced for would be billed never."""
        if not self:
            return
        invoiced = self.env["telecoop.billing.run.line"]._get_invoiced_periods(
            self.company_id, self.partner_id, min(self.mapped("activation_date"))
        )
        for line in self:
            first = month_bounds(line.activation_date)[0]
            for period in sorted(invoiced.get((line.company_id.id, line.partner_id.id), ())):
                if period >= first and (
                    not line.termination_date or period <= line.termination_date
                ):
                    raise UserError(
                        self.env._(
                            "%(holder)s is invoiced for the month of %(date)s already: line "
                            "%(msisdn)s can start from the next month.",
                            holder=line.partner_id.display_name,
                            date=period,
                            msisdn=line.msisdn,
                        )
                    )

    @api.depends("plan_history_ids.date_from", "plan_history_ids.plan_id")
    def _compute_upcoming_plan(self):
        for line in self:
            today = line._today()
            upcoming = line.plan_history_ids.filtered(lambda h, t=today: h.date_from > t).sorted(
                lambda h: (h.date_from, h.id)
            )[:1]
            line.upcoming_plan_id = upcoming.plan_id
            line.upcoming_plan_date = upcoming.date_from

    def write(self, vals):
        if "state" in vals:
            for line in self:
                if (
                    vals["state"] != line.state
                    and vals["state"] not in STATE_TRANSITIONS[line.state]
                ):
                    raise UserError(
                        self.env._(
                            "Line %(msisdn)s cannot go from %(old)s to %(new)s.",
                            msisdn=line.msisdn,
                            old=line.state,
                            new=vals["state"],
                        )
                    )
        if "company_id" in vals and any(ln.company_id.id != vals["company_id"] for ln in self):
            # its months, charges, usage and invoices are the cooperative's
            raise UserError(
                self.env._(
                    "A line stays in its cooperative: terminate it and create one in the other."
                )
            )
        replanned = self.env["telecoop.mobile.line"]
        if "plan_id" in vals and not self.env.su:
            # a direct edit of the plan (the form) is a change of plan from today: the
            # plan history bills, a plan written beside it was shown and never billed
            replanned = self.filtered(lambda ln: ln.plan_id.id != vals["plan_id"])
        rerate, dated = {}, {}
        if {"activation_date", "termination_date"} & set(vals):
            # the dates of a line decide the days billed: the months between the old
            # and the new date change, so each must be open, and is priced again
            today = self._today()
            for line in self:
                changed = []
                for name in ("activation_date", "termination_date"):
                    new = fields.Date.to_date(vals.get(name, line[name]))
                    if new != line[name]:
                        changed += [line[name] or today, new or today]
                if changed:
                    dated[line] = (min(changed), max(changed))
                    line._check_months_open(*dated[line])
                    rerate[line] = min(changed)
        if "partner_id" in vals and not self.env.context.get("telecoop_holder_change"):
            # a direct edit of the holder is a change of holder from today: refused in
            # a month invoiced already, and the month is priced again for both holders
            today = self._today()
            for line in self.filtered(lambda ln: ln.partner_id.id != vals["partner_id"]):
                date = max(today, line.activation_date)
                line._check_month_open(date)
                line._set_holder_history(vals["partner_id"], date)
                rerate[line] = min(rerate.get(line, date), date)
        result = super().write(vals)
        # and with the new dates: days added in a month its holder is invoiced for
        for line, (date_from, date_to) in dated.items():
            line._check_months_open(date_from, date_to)
        for line, date in rerate.items():
            line._rerate_from(date)
        if replanned:
            today = self._today()
            for line in replanned:
                line.change_plan(line.plan_id, max(today, line.activation_date))
        return result

    # lifecycle ----------------------------------------------------------

    def action_suspend(self):
        self.write({"state": "suspended"})

    def action_reactivate(self):
        self.write({"state": "active"})

    def action_terminate(self, date=None):
        date = fields.Date.to_date(date) or self._today()
        for line in self:
            line.write({"state": "terminated", "termination_date": max(date, line.activation_date)})

    def change_plan(self, plan, date):
        """Move the lines to ``plan`` from ``date``: the month is prorated by days."""
        date = fields.Date.to_date(date)
        history = self.env["telecoop.mobile.line.plan"]
        for line in self:
            if line.state == "terminated":
                raise UserError(self.env._("Line %(msisdn)s is terminated.", msisdn=line.msisdn))
            line._check_month_open(date)
            later = line.plan_history_ids.filtered(lambda h, d=date: h.date_from >= d)
            later.with_context(telecoop_plan_history=True).unlink()
            history.with_context(telecoop_plan_history=True).create(
                {"line_id": line.id, "plan_id": plan.id, "date_from": date}
            )
            line.message_post(
                body=self.env._(
                    "Plan changed to %(plan)s from %(date)s.", plan=plan.name, date=date
                )
            )
        self._apply_plan_history()
        self._rerate_from(date)

    def action_cancel_plan_change(self):
        """Cancel the plan changes still to come: the line keeps its plan of today."""
        today = self._today()
        for line in self:
            future = line.plan_history_ids.filtered(lambda h: h.date_from > today)
            if not future:
                continue
            line.message_post(
                body=self.env._(
                    "Plan change to %(plan)s from %(date)s cancelled.",
                    plan=", ".join(future.plan_id.mapped("name")),
                    date=", ".join(str(d) for d in future.mapped("date_from")),
                )
            )
            dates = future.mapped("date_from")
            future.with_context(telecoop_plan_history=True).unlink()
            line._rerate_from(min(dates))
        self._apply_plan_history()
        return True

    def _today(self):
        """Today where the lines' cooperative bills (the time zone of its usage), not
        the user's: a plan or holder change "from today" entered at 23:30 UTC is of
        the next day in Paris, where its month is billed."""
        company = self[:1].company_id or self.env.company
        return self.env["telecoop.billing.run"]._company_today(company)

    def _get_plan_at(self, date):
        """The plan of the line on ``date``, from its history."""
        self.ensure_one()
        history = self.plan_history_ids.sorted(lambda h: (h.date_from, h.id))
        current = history[:1]
        for entry in history:
            if entry.date_from <= date:
                current = entry
        return current.plan_id or self.plan_id

    def _apply_plan_history(self):
        """Set each line's plan to its plan of today, from its history."""
        for line in self:
            plan = line._get_plan_at(line._today())
            if plan and plan != line.plan_id:
                # the history's, not a change of plan by hand (see write)
                line.sudo().plan_id = plan

    @api.model
    def _cron_apply_plan_changes(self):
        """Scheduled action (daily): planned plan changes that became current."""
        # each line's plan of its cooperative's today (see _apply_plan_history): no
        # change due later than today where the day starts first
        today = latest_today(fields.Datetime.now())
        changed = self.env["telecoop.mobile.line.plan"].search([("date_from", "<=", today)])
        lines = changed.line_id.filtered(lambda ln: ln.state != "terminated")
        lines._apply_plan_history()

    def _rate_this_month(self):
        """Rating prices this month of the lines active in it (set-based, one rating
        per company): a line has its priced month from its creation on, and the
        portal only reads it."""
        first, last, __ = month_bounds(self._today())
        Rated = self.env["telecoop.rated.usage"].sudo()
        for company in self.company_id:
            lines = self.filtered(
                lambda ln, c=company: (
                    ln.company_id == c
                    and ln.activation_date <= last
                    and (not ln.termination_date or ln.termination_date >= first)
                )
            )
            if lines:
                Rated._rate_period(company, first, line_ids=lines.ids)

    @api.model
    def _cron_rate_this_month(self):
        """Scheduled action (daily): rating prices this month of the active lines
        without a priced month (a new month, an activation date reached), in one
        rating per company."""
        PricedMonth = self.env["telecoop.priced.month"].sudo()
        Rated = self.env["telecoop.rated.usage"].sudo()
        for company in self.env["res.company"].sudo().search([]):
            today = self.env["telecoop.billing.run"]._company_today(company)
            line_ids = PricedMonth._get_unpriced_line_ids(company, today)
            if line_ids:
                Rated._rate_period(company, today, line_ids=line_ids)

    def _check_month_open(self, date):
        PricedMonth = self.env["telecoop.priced.month"].sudo()
        for line in self:
            if PricedMonth._is_invoiced(line, date):
                raise UserError(
                    self.env._(
                        "The month of %(date)s of line %(msisdn)s is invoiced already: a "
                        "change can take effect from the next month.",
                        date=date,
                        msisdn=line.msisdn,
                    )
                )

    def _check_months_open(self, date_from, date_to):
        """Each month from the month of ``date_from`` to that of ``date_to`` is open:
        the months that may be invoiced (a priced month invoiced, a holder of the line
        invoiced) are found in two queries, then each is checked."""
        first = month_bounds(date_from)[0]
        PricedMonth = self.env["telecoop.priced.month"].sudo()
        RunLine = self.env["telecoop.billing.run.line"].sudo()
        for line in self:
            candidates = set(
                PricedMonth.search(
                    [
                        ("line_id", "=", line.id),
                        ("period", ">=", first),
                        ("period", "<=", date_to),
                        ("invoiced", "=", True),
                    ]
                ).mapped("period")
            )
            holders = line.holder_history_ids.partner_id | line.partner_id
            for periods in RunLine._get_invoiced_periods(line.company_id, holders, first).values():
                candidates |= {period for period in periods if period <= date_to}
            for period in sorted(candidates):
                line._check_month_open(period)

    def _rerate_from(self, date):
        """Price again the months from ``date`` to this month."""
        first = month_bounds(date)[0]
        this_month = month_bounds(self._today())[0]
        Rated = self.env["telecoop.rated.usage"].sudo()
        for company in self.company_id:
            lines = self.filtered(lambda ln, c=company: ln.company_id == c)
            month = first
            while month <= this_month:
                Rated._rate_period(company, month, line_ids=lines.ids)
                month = month_bounds(month + datetime.timedelta(days=32))[0]

    def change_holder(self, partner, date):
        """The line goes to ``partner`` from ``date``: each holder pays and sees
        their own days of the month."""
        date = fields.Date.to_date(date)
        for line in self:
            if line.state == "terminated":
                raise UserError(self.env._("Line %(msisdn)s is terminated.", msisdn=line.msisdn))
            if date < line.activation_date:
                raise UserError(self.env._("A line changes holder after its activation date."))
            line._check_month_open(date)
            line._set_holder_history(partner.id, date)
            # the new holder's month too: invoiced already for it, the days taken
            # over now would be billed never
            line._check_month_open(date)
            if date <= self._today():
                line.with_context(telecoop_holder_change=True).partner_id = partner
            line.message_post(
                body=self.env._(
                    "Holder changed to %(partner)s from %(date)s.",
                    partner=partner.display_name,
                    date=date,
                )
            )
        self._rerate_from(date)

    def _set_holder_history(self, partner_id, date):
        self.ensure_one()
        # the links shared by the holder before (portal token) end with the change
        if self.access_token:
            self.sudo().access_token = False
        History = self.env["telecoop.mobile.line.holder"].sudo()
        self.holder_history_ids.filtered(lambda h: h.date_from >= date).sudo().unlink()
        History.create({"line_id": self.id, "partner_id": partner_id, "date_from": date})

    # pricing of a month -------------------------------------------------

    @staticmethod
    def _dated_parts(history, field, start, end):
        """[(value, from, to)] of a dated history between ``start`` and ``end``;
        before the first entry the first value applies."""
        history = history.sorted(lambda h: (h.date_from, h.id))
        parts = []
        for index, entry in enumerate(history):
            nxt = history[index + 1].date_from if index + 1 < len(history) else None
            seg_start = start if index == 0 else max(start, entry.date_from)
            seg_end = min(end, nxt - datetime.timedelta(days=1)) if nxt else end
            if seg_end >= seg_start:
                parts.append((entry[field], seg_start, seg_end))
        return parts

    def _get_month_segments(self, period_date):
        """[(holder index, holder, plan, from, to)] of the month of ``period_date``:
        the line's active days cut by its plan and holder histories."""
        self.ensure_one()
        first, last, __ = month_bounds(period_date)
        start = max(first, self.activation_date)
        end = min(last, self.termination_date) if self.termination_date else last
        if end < start:
            return []
        plans = self._dated_parts(self.plan_history_ids, "plan_id", start, end) or [
            (self.plan_id, start, end)
        ]
        holders = self._dated_parts(self.holder_history_ids, "partner_id", start, end) or [
            (self.partner_id, start, end)
        ]
        segments = []
        for index, (partner, h_start, h_end) in enumerate(holders):
            for plan, p_start, p_end in plans:
                seg_start, seg_end = max(h_start, p_start), min(h_end, p_end)
                if seg_start <= seg_end:
                    segments.append((index, partner, plan, seg_start, seg_end))
        return segments

    @staticmethod
    def _get_segment_of_day(segments, day):
        """The segment of ``segments`` (from :meth:`_get_month_segments`) that holds
        the local ``day``: whose holder a day of usage is; a day outside them goes
        to the last segment."""
        return next((s for s in segments if s[3] <= day <= s[4]), segments[-1])

    def _get_plan_periods(self, period_date):
        """[(plan, days)] of the month of ``period_date``, clipped to the active dates."""
        periods = []
        for __, __, plan, start, end in self._get_month_segments(period_date):
            days = (end - start).days + 1
            if periods and periods[-1][0] == plan:
                periods[-1] = (plan, periods[-1][1] + days)
            else:
                periods.append((plan, days))
        return periods
