# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The member's side of a mobile line: consumption tracker, cap and alerts, sobriety.

Every amount the portal shows is read from the line's priced months (the
charges rating stored once, that the invoice is made of), never priced again:
tax included for a consumer, tax excluded for a company.
"""

from decimal import Decimal

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..services import alerts as alert_rules
from .telecoop_mobile_line import month_bounds

#: fewer lines than this on a plan: no median shown (it would reveal the others' usage)
SOBRIETY_MIN_LINES = 5
#: months of history in the portal
HISTORY_MONTHS = 12


def _round_cent(value):
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


class TelecoopMobileLine(models.Model):
    _name = "telecoop.mobile.line"
    _inherit = ["telecoop.mobile.line", "portal.mixin"]

    spending_cap = fields.Monetary(
        tracking=True,
        help="Budget of the month set by the holder, as the tracker shows amounts (tax "
        "included for a consumer): alerts at the chosen share of it and when it is reached; "
        "0: no cap. Usage is not cut off.",
    )
    alert_cap_percent = fields.Integer(
        string="Cap alert (%)",
        default=alert_rules.DEFAULT_CAP_PERCENTS[0],
        help="An alert when the month's amount reaches this share of the cap (and at 100 %).",
    )
    alert_band_percent = fields.Integer(
        string="Data band alert (%)",
        default=alert_rules.DEFAULT_BAND_PERCENT,
        help="An alert when the data volume reaches this share of its band; 0: off.",
    )
    roaming_cap = fields.Monetary(
        string="Data roaming cap",
        default=float(alert_rules.DEFAULT_ROAMING_CAP),
        help="Data roaming charges of a month, tax excluded (Regulation (EU) 2022/612: "
        "50 EUR by default): notices at 80 % and 100 %, and roaming data barred at 100 % "
        "unless the holder chose to go on.",
    )
    alert_roaming = fields.Boolean(
        string="Roaming warning", default=True, help="Kept for compatibility: always on."
    )
    roaming_continue = fields.Boolean(
        string="Go on past the roaming cap",
        tracking=True,
        help="The holder chose to keep roaming data past the data roaming cap.",
    )
    roaming_continue_date = fields.Datetime(
        string="Chosen on", readonly=True, help="When the holder chose to go on."
    )
    roaming_barred_period = fields.Date(
        string="Roaming data barred in",
        readonly=True,
        help="Month in which roaming data was barred at the cap.",
    )
    itemised_bill = fields.Boolean(
        tracking=True,
        help="The holder asked for a free itemised bill with each invoice of this line.",
    )
    alert_ids = fields.One2many("telecoop.mobile.line.alert", "line_id", string="Alerts")

    _alert_percents = models.Constraint(
        "CHECK(alert_cap_percent BETWEEN 0 AND 100 AND alert_band_percent BETWEEN 0 AND 100 "
        "AND spending_cap >= 0 AND roaming_cap >= 0)",
        "Alert thresholds are between 0 and 100 % and caps cannot be negative.",
    )

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for line in self:
            line.access_url = f"/my/lines/{line.id}"
        return result

    # ------------------------------------------------------------------
    # consumption of a month: read from the priced months
    # ------------------------------------------------------------------
    def _get_priced_months(self, first, last=None):
        """{period: priced month} of the line, as rating stored them: a page view
        only reads (rating prices a line's month when it is created, when its plan
        or holder changes, at each import and by the daily cron); a month not
        priced yet is missing from the result."""
        self.ensure_one()
        domain = [
            ("line_id", "=", self.id),
            ("period", ">=", first),
            ("period", "<=", last or first),
        ]
        months = self.env["telecoop.priced.month"].sudo().search(domain)
        return {m.period: m for m in months}

    def _read_quantities(self, first, last=None, partner=None):
        """{period: {usage_type: quantity}} of the days of the months from ``first``
        to ``last`` the line was held by ``partner`` (its holder now by default),
        as the priced months store them: in a month where the line changed holder,
        only that holder's usage, also after the raw records are purged."""
        self.ensure_one()
        return (
            self.env["telecoop.priced.quantity"]
            .sudo()
            ._get_holder_quantities(self, partner or self.partner_id, first, last)
        )

    def _summarise_month(self, first, month, quantities, partner=None):
        """The tracker of a month of the holder (``partner``, the holder now by
        default) from its priced month: every figure in the holder's convention (tax
        included for a consumer), adding up."""
        charges = (
            month._get_holder_charges(partner or self.partner_id)
            if month
            else self.env["telecoop.priced.charge"]
        )
        tax_included = month.tax_included_display if month else True

        def total(kind=None):
            selected = charges.filtered(lambda c: c.kind == kind) if kind else charges
            return (
                _round_cent(selected._get_display_amount(tax_included))
                if selected
                else (_round_cent(0))
            )

        return {
            "period": first,
            "rated": bool(month),
            "tax_included": tax_included,
            "data": quantities.get("data", 0),
            "voice": quantities.get("voice", 0),
            "sms": quantities.get("sms", 0) + quantities.get("mms", 0),
            "data_quantity": month.data_quantity if month else 0,
            "band_index": month.band_index if month and month.band_index >= 0 else None,
            "band_upper": (month.band_upper_bytes / 1e9)
            if month and month.band_upper_bytes
            else None,
            "capped": bool(month and month.capped),
            "base_amount": total("plan"),
            "usage_amount": total("usage"),
            "one_off_amount": total("one_off"),
            "third_party_amount": total("third_party"),
            "amount": total(),
            "amount_untaxed": _round_cent(sum(charges.mapped("amount_untaxed"))),
            "amount_total": _round_cent(sum(charges.mapped("amount_total"))),
            "roaming_amount": _round_cent(month.roaming_data_amount if month else 0),
            "last_usage_at": (month.last_usage_at if month else False) or False,
        }

    def _get_portal_consumption(self, period_date=None, partner=None):
        """The current month of the line so far: usage, band, price, freshness (of
        ``partner``'s days, the holder now by default)."""
        self.ensure_one()
        first, __, __ = month_bounds(period_date or fields.Date.context_today(self))
        month = self._get_priced_months(first).get(first)
        quantities = self._read_quantities(first, partner=partner).get(first, {})
        return self._summarise_month(first, month, quantities, partner=partner)

    def _get_portal_history(self, period_date=None, months=HISTORY_MONTHS, partner=None):
        """Month by month (oldest first): usage and amount, as the invoice has them (of
        ``partner``'s days, the holder now by default)."""
        self.ensure_one()
        partner = partner or self.partner_id
        last, __, __ = month_bounds(period_date or fields.Date.context_today(self))
        first = max(last - relativedelta(months=months - 1), self.activation_date.replace(day=1))
        priced = self._get_priced_months(first, last)
        quantities = self._read_quantities(first, last, partner=partner)
        history = []
        month = first
        while month <= last:
            if month in priced and priced[month]._get_holder_charges(partner):
                history.append(
                    self._summarise_month(
                        month, priced[month], quantities.get(month, {}), partner=partner
                    )
                )
            month += relativedelta(months=1)
        return history

    def _get_portal_alerts(self, partner=None, limit=20):
        """The latest alerts of the line sent to ``partner`` (the holder now by
        default): a holder never reads the alerts of the one before."""
        self.ensure_one()
        partner = partner or self.partner_id
        return (
            self.env["telecoop.mobile.line.alert"]
            .sudo()
            .search([("line_id", "=", self.id), ("partner_id", "=", partner.id)], limit=limit)
        )

    def _get_sobriety(self, period_date=None, partner=None):
        """My data this month (``partner``'s days, the holder now by default) against
        the median of the lines on the same plan.

        The median is computed in SQL over the rated usage after each rating
        (``telecoop.plan.usage.median``); no other line's figure leaves the
        database, and no median is given on a plan with fewer than
        ``SOBRIETY_MIN_LINES`` lines.
        """
        self.ensure_one()
        first, __, __ = month_bounds(period_date or fields.Date.context_today(self))
        count, median = (
            self.env["telecoop.plan.usage.median"]
            .sudo()
            ._get_median(self.company_id, self.plan_id, first)
        )
        mine = int(self._read_quantities(first, partner=partner).get(first, {}).get("data", 0) or 0)
        if count < SOBRIETY_MIN_LINES:
            return {"mine": mine, "median": None, "count": count, "ratio": None, "level": None}
        median = int(median or 0)
        ratio = round(100 * mine / median) if median else None
        if mine <= median:
            level = "below"
        elif mine <= 2 * median:
            level = "above"
        else:
            level = "far_above"
        return {"mine": mine, "median": median, "count": count, "ratio": ratio, "level": level}

    # ------------------------------------------------------------------
    # member's settings and plan change
    # ------------------------------------------------------------------
    def _portal_set_alerts(
        self,
        spending_cap,
        alert_cap_percent,
        alert_band_percent,
        alert_roaming=True,
        roaming_continue=None,
        itemised_bill=None,
    ):
        """The holder sets the cap and alerts of the line (already access-checked)."""
        self.ensure_one()
        try:
            cap = _round_cent(Decimal(str(spending_cap or "0").replace(",", ".").strip()))
            if not cap.is_finite():  # "NaN" parses, and then compares with nothing
                raise ValueError(spending_cap)
            cap_percent = int(alert_cap_percent or 0)
            band_percent = int(alert_band_percent or 0)
        except (ArithmeticError, ValueError) as error:
            raise ValidationError(self.env._("The cap and thresholds must be numbers.")) from error
        if cap < 0:
            raise ValidationError(self.env._("The spending cap cannot be negative."))
        if not (0 <= cap_percent <= 100 and 0 <= band_percent <= 100):
            raise ValidationError(self.env._("Alert thresholds are between 0 and 100 %."))
        values = {
            "spending_cap": float(cap),
            "alert_cap_percent": cap_percent,
            "alert_band_percent": band_percent,
            "alert_roaming": True,
        }
        if itemised_bill is not None:
            values["itemised_bill"] = bool(itemised_bill)
        self.sudo().write(values)
        if roaming_continue is not None:
            self.sudo()._set_roaming_continue(bool(roaming_continue))
        # the month so far may already be past a new threshold
        self.sudo()._check_usage_alerts(fields.Date.context_today(self))
        return True

    def _set_roaming_continue(self, go_on):
        """The holder chooses to go on (or not) past the data roaming cap: recorded with
        the date; going on lifts a barring of this month through the connector."""
        for line in self.filtered(lambda ln: ln.roaming_continue != go_on):
            line.write({"roaming_continue": go_on, "roaming_continue_date": fields.Datetime.now()})
            if go_on and line.roaming_barred_period:
                line._lift_roaming_barring()

    def _lift_roaming_barring(self):
        """Roaming data allowed again on the network (the connector's hook, queued)."""
        for line in self.filtered("roaming_barred_period"):
            line.roaming_barred_period = False
            line.with_delay(
                description=self.env._(
                    "Host operator: allow roaming data again on %(msisdn)s",
                    msisdn=line.msisdn,
                )
            )._host_operator_set_roaming_data(True)

    @api.model
    def _cron_lift_roaming_barring(self):
        """Scheduled action (daily): a barring at the data roaming cap lasts its month;
        from the next month roaming data is allowed again."""
        this_month = month_bounds(fields.Date.context_today(self))[0]
        self.search(
            [("roaming_barred_period", "!=", False), ("roaming_barred_period", "<", this_month)]
        )._lift_roaming_barring()

    def _bar_roaming_data(self, period):
        """At 100 % of the data roaming cap: bar roaming data on the network, through
        the host operator connector (a queued job staff see and can retry)."""
        for line in self:
            line.roaming_barred_period = period
            line.message_post(
                body=self.env._(
                    "Data roaming cap reached: roaming data barred for the month "
                    "(the holder did not choose to go on)."
                )
            )
            line.with_delay(
                description=self.env._(
                    "Host operator: bar roaming data on %(msisdn)s", msisdn=line.msisdn
                )
            )._host_operator_set_roaming_data(False)

    def _host_operator_set_roaming_data(self, allowed):
        """Hook of the host operator connector: allow or bar roaming data on the
        network. Without a connector, staff do it by hand from the queued job."""
        self.ensure_one()
        return {"msisdn": self.msisdn, "roaming_data": allowed}

    def _get_portal_plans(self):
        """Plans the holder may move the line to."""
        self.ensure_one()
        return (
            self.env["telecoop.mobile.plan"]
            .sudo()
            .search([("company_id", "=", self.company_id.id), ("active", "=", True)])
        )

    def _get_upcoming_plan(self):
        """The plan change still to come (an entry of the plan history), if any."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        return self.plan_history_ids.filtered(lambda h: h.date_from > today)[-1:]

    def _get_default_plan_change_date(self):
        return month_bounds(fields.Date.context_today(self))[0] + relativedelta(months=1)

    def _portal_change_plan(self, plan_id, date=None):
        """The holder moves the line to another plan from ``date`` (1st of next month)."""
        self.ensure_one()
        try:
            plan_id = int(plan_id)
        except (TypeError, ValueError) as error:
            raise ValidationError(self.env._("Choose a plan.")) from error
        plan = self._get_portal_plans().filtered(lambda p: p.id == plan_id)
        if not plan:
            raise ValidationError(self.env._("This plan cannot be chosen."))
        date = fields.Date.to_date(date) if date else self._get_default_plan_change_date()
        if date < fields.Date.context_today(self):
            raise ValidationError(self.env._("A plan change cannot take effect in the past."))
        if self.state == "terminated":
            raise UserError(self.env._("This line is terminated."))
        self.sudo().change_plan(plan, date)
        return True

    # ------------------------------------------------------------------
    # alerts
    # ------------------------------------------------------------------
    def _portal_cancel_plan_change(self):
        """The holder cancels the plan change still to come."""
        self.ensure_one()
        if not self._get_upcoming_plan():
            raise UserError(self.env._("No plan change is planned on this line."))
        return self.sudo().action_cancel_plan_change()

    def _check_usage_alerts(self, period_date):
        """Create and e-mail (queued) the alerts due on these lines for the month.

        Read from the priced months. Safe to call after every import: an alert
        already sent this month for the same threshold is skipped by the unique
        index (``ON CONFLICT DO NOTHING``). Returns the new alerts.
        """
        Alert = self.env["telecoop.mobile.line.alert"].sudo()
        if not self:
            return Alert
        first, __, __ = month_bounds(period_date)
        lines = self.filtered(lambda ln: ln.state != "terminated")
        figures = self.env["telecoop.priced.month"].sudo()._get_alert_figures(lines, first)
        values = []
        for line in lines:
            month = figures.get(line.id)
            if not month:
                continue
            usage = alert_rules.MonthUsage(
                data_quantity=month["data_quantity"],
                band_index=month["band_index"],
                band_upper_bytes=month["band_upper_bytes"],
                amount=month["amount"],
                roaming_amount=month["roaming_amount"],
                allowance_bytes=month["allowance_bytes"],
            )
            settings = alert_rules.AlertSettings(
                band_percent=line.alert_band_percent or None,
                cap=Decimal(str(line.spending_cap)) if line.spending_cap else None,
                cap_percents=tuple(sorted({p for p in (line.alert_cap_percent, 100) if p})),
                roaming_cap=Decimal(str(line.roaming_cap)) if line.roaming_cap else None,
            )
            for alert in alert_rules.due_alerts(settings, usage):
                values.append(
                    (
                        line.id,
                        first,
                        alert.kind,
                        alert.percent,
                        alert.band_index,
                        float(alert.value),
                        float(alert.limit),
                        self.env.uid,
                        # the month's holder: the figures are theirs, so is the alert
                        month["partner_id"],
                    )
                )
        alerts = Alert._insert_new(values)
        barred = alerts.filtered(
            lambda a: (
                a.kind == alert_rules.ROAMING
                and a.percent >= 100
                and not a.line_id.roaming_continue
            )
        ).line_id
        if barred:
            barred._bar_roaming_data(first)
        if alerts:
            # rendering e-mails is slow: in the background, after the import
            alerts.with_delay(
                description=self.env._("Usage alerts: %(count)s e-mails", count=len(alerts))
            )._send()
        return alerts
