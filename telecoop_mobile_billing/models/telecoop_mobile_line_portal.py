# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The member's side of a mobile line: consumption tracker, cap and alerts, sobriety.

Everything the portal shows is read from the rated usage (aggregates per line,
month, type and zone), never from the raw records, and priced by the same
``_price_period`` as the rating and the billing run.
"""

from collections import defaultdict
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import UserError, ValidationError

from ..services import alerts as alert_rules
from ..services import pricing
from .telecoop_mobile_line import month_bounds

#: fewer lines than this on a plan: no median shown (it would reveal the others' usage)
SOBRIETY_MIN_LINES = 5
#: months of history in the portal
HISTORY_MONTHS = 12


def _alert_settings(cap, cap_percent, band_percent, roaming_cap, roaming_on):
    """The :class:`~..services.alerts.AlertSettings` of a line from its columns."""
    return alert_rules.AlertSettings(
        band_percent=band_percent or None,
        cap=Decimal(str(cap)) if cap else None,
        cap_percents=tuple(sorted({p for p in (cap_percent, 100) if p})),
        roaming_cap=Decimal(str(roaming_cap)) if roaming_on and roaming_cap else None,
    )


def _month_usage(data, roaming, plan_pricing, amount):
    """A :class:`~..services.alerts.MonthUsage` from a line's month: data bytes in the
    tiered zones, roaming charges, the amount so far."""
    units, band, __ = pricing.data_price(data, plan_pricing)
    upper = None
    if band is not None and plan_pricing.tiers[band].upper is not None:
        upper = int(plan_pricing.tiers[band].upper * plan_pricing.data_unit)
    elif plan_pricing.tier_type == pricing.INCLUDED and plan_pricing.included_units:
        if units <= plan_pricing.included_units:
            band = 0
            upper = int(plan_pricing.included_units * plan_pricing.data_unit)
    return alert_rules.MonthUsage(
        data_quantity=data,
        band_index=band,
        band_upper_bytes=upper,
        amount=amount,
        roaming_amount=Decimal(str(roaming)),
    )


class TelecoopMobileLine(models.Model):
    _name = "telecoop.mobile.line"
    _inherit = ["telecoop.mobile.line", "portal.mixin"]

    spending_cap = fields.Monetary(
        tracking=True,
        help="Budget of the month set by the holder, tax excluded: alerts at the chosen "
        "share of it and when it is reached; 0: no cap. Usage is not cut off.",
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
        default=float(alert_rules.DEFAULT_ROAMING_CAP),
        help="Roaming charges of a month that get a warning at 80 % (EU rules: 50 EUR).",
    )
    alert_roaming = fields.Boolean(string="Roaming warning", default=True)
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
    # consumption of a month (aggregates only)
    # ------------------------------------------------------------------
    def _read_rated(self, first, last=None):
        """{period: {(usage_type, zone): (quantity, amount, third party, last usage)}}."""
        self.ensure_one()
        self.env["telecoop.rated.usage"].flush_model()
        self.env.cr.execute(
            """
            SELECT period, usage_type, zone, quantity, amount, third_party_amount, last_usage_at
              FROM telecoop_rated_usage
             WHERE line_id = %s AND period BETWEEN %s AND %s
            """,
            [self.id, first, last or first],
        )
        months = defaultdict(dict)
        for period, usage_type, zone, qty, amount, third, last_at in self.env.cr.fetchall():
            months[period][(usage_type, zone)] = (
                int(qty or 0),
                Decimal(str(amount or 0)),
                Decimal(str(third or 0)),
                last_at,
            )
        return months

    def _third_party_untaxed(self, amount):
        """Tax-excluded part of third-party amounts (delivered tax included), as invoiced."""
        if not amount:
            return pricing.ZERO
        product = self.env.ref("telecoop_mobile_billing.product_mobile_third_party").sudo()
        taxes = product.taxes_id.filtered(lambda t: t.company_id == self.company_id)
        rate = sum(
            (Decimal(str(t.amount)) for t in taxes if t.amount_type == "percent"), pricing.ZERO
        )
        return pricing.round_cent(amount / (1 + rate / 100))

    def _summarise_month(self, first, rows, pricing_cache=None):
        """The tracker of a month from its rated rows, priced as the billing run does."""
        quantities = {key: row[0] for key, row in rows.items()}
        priced = self._price_period(first, quantities, pricing_cache=pricing_cache)
        by_type = defaultdict(int)
        for (usage_type, __), qty in quantities.items():
            by_type[usage_type] += qty
        third_party = sum((row[2] for row in rows.values()), pricing.ZERO)
        third_untaxed = self._third_party_untaxed(third_party)
        last_usage = [row[3] for row in rows.values() if row[3]]
        return {
            "period": first,
            "data": by_type["data"],
            "voice": by_type["voice"],
            "sms": by_type["sms"] + by_type["mms"],
            "data_quantity": priced["data_quantity"],
            "band_index": priced["band_index"],
            "band_upper": priced["band_upper"],
            "capped": priced["capped"],
            "base_amount": priced["base_amount"],
            "usage_amount": priced["usage_amount"],
            "roaming_amount": sum(
                (a for (__, zone), a in priced["usage"].items() if zone in ("eu", "world")),
                pricing.ZERO,
            ),
            "third_party_amount": third_party,
            "amount_untaxed": priced["base_amount"] + priced["usage_amount"] + third_untaxed,
            "last_usage_at": max(last_usage) if last_usage else False,
        }

    def _get_portal_consumption(self, period_date=None):
        """The current month of the line so far: usage, band, price, freshness."""
        self.ensure_one()
        first, __, __ = month_bounds(period_date or fields.Date.context_today(self))
        return self._summarise_month(first, self._read_rated(first).get(first, {}))

    def _get_portal_history(self, period_date=None, months=HISTORY_MONTHS):
        """Month by month (oldest first): usage and amount, tax excluded."""
        self.ensure_one()
        last, __, __ = month_bounds(period_date or fields.Date.context_today(self))
        first = max(last - relativedelta(months=months - 1), self.activation_date.replace(day=1))
        rated = self._read_rated(first, last)
        history = []
        cache = {}
        month = first
        while month <= last:
            if self._get_plan_periods(month):
                summary = self._summarise_month(month, rated.get(month, {}), pricing_cache=cache)
                history.append(summary)
            month += relativedelta(months=1)
        return history

    def _get_sobriety(self, period_date=None):
        """My data this month against the median of the lines on the same plan.

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
        self.env["telecoop.rated.usage"].flush_model()
        self.env.cr.execute(
            "SELECT SUM(quantity) FROM telecoop_rated_usage "
            "WHERE line_id = %s AND period = %s AND usage_type = 'data'",
            [self.id, first],
        )
        (mine,) = self.env.cr.fetchone()
        mine = int(mine or 0)
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
        self, spending_cap, alert_cap_percent, alert_band_percent, alert_roaming
    ):
        """The holder sets the cap and alerts of the line (already access-checked)."""
        self.ensure_one()
        try:
            cap = pricing.round_cent(Decimal(str(spending_cap or "0").replace(",", ".").strip()))
            cap_percent = int(alert_cap_percent or 0)
            band_percent = int(alert_band_percent or 0)
        except (ArithmeticError, ValueError) as error:
            raise ValidationError(self.env._("The cap and thresholds must be numbers.")) from error
        if cap < 0:
            raise ValidationError(self.env._("The spending cap cannot be negative."))
        if not (0 <= cap_percent <= 100 and 0 <= band_percent <= 100):
            raise ValidationError(self.env._("Alert thresholds are between 0 and 100 %."))
        self.sudo().write(
            {
                "spending_cap": float(cap),
                "alert_cap_percent": cap_percent,
                "alert_band_percent": band_percent,
                "alert_roaming": bool(alert_roaming),
            }
        )
        # the month so far may already be past a new threshold
        self.sudo()._check_usage_alerts(fields.Date.context_today(self))
        return True

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
    def _check_usage_alerts(self, period_date):
        """Create and e-mail (queued) the alerts due on these lines for the month.

        Safe to call after every import: an alert already sent this month for
        the same threshold is skipped by the unique index (``ON CONFLICT DO
        NOTHING``). Returns the new alerts.
        """
        Alert = self.env["telecoop.mobile.line.alert"].sudo()
        if not self:
            return Alert
        first, __, __ = month_bounds(period_date)
        self.env["telecoop.rated.usage"].flush_model()
        self.flush_recordset()
        # per line in one query: its settings and the sums the alerts need
        self.env.cr.execute(
            """
            SELECT l.id, l.plan_id, l.spending_cap, l.alert_cap_percent, l.alert_band_percent,
                   l.roaming_cap, l.alert_roaming,
                   COALESCE(SUM(r.quantity) FILTER (
                       WHERE r.usage_type = 'data' AND r.zone = ANY(%(tiered)s)), 0),
                   COALESCE(SUM(r.amount) FILTER (WHERE r.zone IN ('eu', 'world')), 0),
                   COUNT(r.id)
              FROM telecoop_mobile_line l
         LEFT JOIN telecoop_rated_usage r ON r.line_id = l.id AND r.period = %(period)s
             WHERE l.id = ANY(%(lines)s) AND l.state != 'terminated'
             GROUP BY l.id
            """,
            {"lines": self.ids, "period": first, "tiered": list(pricing.TIERED_DATA_ZONES)},
        )
        values = []
        cache = {}
        Plan = self.env["telecoop.mobile.plan"]
        for (
            line_id,
            plan_id,
            cap,
            cap_pct,
            band_pct,
            roaming_cap,
            roaming_on,
            data,
            roaming,
            rows,
        ) in self.env.cr.fetchall():
            if not rows and not cap:
                continue
            if plan_id not in cache:
                cache[plan_id] = Plan.browse(plan_id)._get_pricing()
            amount = pricing.ZERO
            if cap:
                line = self.browse(line_id)
                month = line._read_rated(first).get(first, {})
                amount = line._summarise_month(first, month, cache)["amount_untaxed"]
            usage = _month_usage(int(data), roaming, cache[plan_id], amount)
            settings = _alert_settings(cap, cap_pct, band_pct, roaming_cap, roaming_on)
            for alert in alert_rules.due_alerts(settings, usage):
                values.append(
                    (
                        line_id,
                        first,
                        alert.kind,
                        alert.percent,
                        alert.band_index,
                        float(alert.value),
                        float(alert.limit),
                        self.env.uid,
                    )
                )
        if not values:
            return Alert
        Alert.flush_model()
        new_ids = []
        for start in range(0, len(values), 1000):
            chunk = values[start : start + 1000]
            self.env.cr.execute(
                "INSERT INTO telecoop_mobile_line_alert "
                '(line_id, period, kind, percent, band_index, value, "limit", company_id, '
                " create_uid, write_uid, create_date, write_date) "
                "SELECT v.line_id, v.period, v.kind, v.percent, v.band_index, v.value, v.lim, "
                "       l.company_id, v.uid, v.uid, now() AT TIME ZONE 'UTC', "
                "       now() AT TIME ZONE 'UTC' "
                "  FROM (VALUES "
                + ", ".join(["(%s, %s::date, %s, %s, %s, %s::float, %s::float, %s)"] * len(chunk))
                + ") AS v(line_id, period, kind, percent, band_index, value, lim, uid) "
                "  JOIN telecoop_mobile_line l ON l.id = v.line_id "
                "ON CONFLICT (line_id, period, kind, percent, band_index) DO NOTHING "
                "RETURNING id",
                [item for row in chunk for item in row],
            )
            new_ids.extend(row[0] for row in self.env.cr.fetchall())
        self.invalidate_recordset(["alert_ids"])
        alerts = Alert.browse(new_ids)
        if alerts:
            # rendering e-mails is slow: in the background, after the import
            alerts.with_delay(
                description=self.env._("Usage alerts: %(count)s e-mails", count=len(alerts))
            )._send()
        return alerts
