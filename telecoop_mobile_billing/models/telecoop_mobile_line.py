# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import calendar
import datetime
from collections import defaultdict
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..services import pricing

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
    iccid = fields.Char(string="SIM (ICCID)", tracking=True, copy=False)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner", string="Holder", required=True, tracking=True, index=True
    )
    plan_id = fields.Many2one(
        "telecoop.mobile.plan",
        required=True,
        tracking=True,
        help="The plan of the line now or from its last planned change.",
        check_company=True,
    )
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

    _msisdn_active_unique = models.UniqueIndex(
        "(company_id, msisdn) WHERE state != 'terminated'",
        "This number is already used by another line that is not terminated.",
    )
    _dates_ordered = models.Constraint(
        "CHECK(termination_date IS NULL OR termination_date >= activation_date)",
        "A line cannot end before it starts.",
    )

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
        self.env["telecoop.mobile.line.plan"].create(
            [
                {"line_id": line.id, "plan_id": line.plan_id.id, "date_from": line.activation_date}
                for line in lines
            ]
        )
        return lines

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
        return super().write(vals)

    # lifecycle ----------------------------------------------------------

    def action_suspend(self):
        self.write({"state": "suspended"})

    def action_reactivate(self):
        self.write({"state": "active"})

    def action_terminate(self, date=None):
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        for line in self:
            line.write({"state": "terminated", "termination_date": max(date, line.activation_date)})

    def change_plan(self, plan, date):
        """Move the lines to ``plan`` from ``date``: the month is prorated by days."""
        date = fields.Date.to_date(date)
        history = self.env["telecoop.mobile.line.plan"]
        for line in self:
            if line.state == "terminated":
                raise UserError(self.env._("Line %(msisdn)s is terminated.", msisdn=line.msisdn))
            later = line.plan_history_ids.filtered(lambda h, d=date: h.date_from >= d)
            later.unlink()
            history.create({"line_id": line.id, "plan_id": plan.id, "date_from": date})
            line.plan_id = plan
            line.message_post(
                body=self.env._(
                    "Plan changed to %(plan)s from %(date)s.", plan=plan.name, date=date
                )
            )

    # pricing of a month -------------------------------------------------

    def _get_plan_periods(self, period_date):
        """[(plan, days)] of the month of ``period_date``, clipped to the active dates."""
        self.ensure_one()
        first, last, __ = month_bounds(period_date)
        start = max(first, self.activation_date)
        end = min(last, self.termination_date) if self.termination_date else last
        if end < start:
            return []
        history = self.plan_history_ids.sorted(lambda h: (h.date_from, h.id))
        if not history:
            return [(self.plan_id, (end - start).days + 1)]
        periods = []
        for index, entry in enumerate(history):
            nxt = history[index + 1].date_from if index + 1 < len(history) else None
            seg_start = max(start, entry.date_from)
            seg_end = min(end, nxt - datetime.timedelta(days=1)) if nxt else end
            if index == 0:
                seg_start = start  # before the first entry the first plan applies
            if seg_end >= seg_start:
                periods.append((entry.plan_id, (seg_end - seg_start).days + 1))
        return periods

    def _price_period(self, period_date, quantities, pricing_cache=None):
        """Price a month of the line from its usage ``quantities``.

        ``quantities`` maps (usage_type, zone) to the raw quantity of the month.
        Returns a dict with the base fee parts per plan (prorated by days of the
        month), the usage amount per (usage_type, zone) (each plan's usage charge
        prorated by its days among the line's days), the data volume, the band
        reached and whether the cap applied. Billing, rating and the consumption
        summary all price through here. ``pricing_cache`` (a dict) keeps each
        plan's pricing between calls of one batch.
        """
        if pricing_cache is None:
            pricing_cache = {}
        self.ensure_one()
        __, __, month_days = month_bounds(period_date)
        periods = self._get_plan_periods(period_date)
        covered = sum(days for __, days in periods)
        result = {
            "plans": [],
            "usage": defaultdict(Decimal),
            "data_quantity": 0,
            "band_upper": None,
            "band_index": None,
            "capped": False,
        }
        for plan, days in periods:
            if plan.id not in pricing_cache:
                pricing_cache[plan.id] = plan._get_pricing()
            plan_pricing = pricing_cache[plan.id]
            base = pricing.prorata_days(plan_pricing.base_fee, [days], month_days)[0]
            result["plans"].append({"plan": plan, "days": days, "amount": base})
            priced = pricing.price_usage(plan_pricing, quantities)
            data_keys = sorted(
                k for k in quantities if k[0] == "data" and k[1] in pricing.TIERED_DATA_ZONES
            )
            charges = dict(priced.rated)
            if data_keys:
                weights = [int(quantities[k]) for k in data_keys]
                parts = (
                    pricing.split_amount(priced.data_amount, weights)
                    if sum(weights)
                    else [priced.data_amount] + [pricing.ZERO] * (len(data_keys) - 1)
                )
                charges.update(zip(data_keys, parts, strict=True))
            for key, amount in charges.items():
                if days != covered:
                    amount = pricing.prorata_days(amount, [days], covered)[0]
                result["usage"][key] += amount
            result["data_quantity"] = priced.data_quantity
            result["band_upper"] = priced.band_upper
            result["band_index"] = priced.band_index
            result["capped"] = result["capped"] or priced.capped
        result["usage"] = dict(result["usage"])
        result["base_amount"] = sum((p["amount"] for p in result["plans"]), pricing.ZERO)
        result["usage_amount"] = sum(result["usage"].values(), pricing.ZERO)
        return result

    def _get_consumption_summary(self, period_date):
        """Per line: the quantities of the month so far, the band reached, the price so far.

        Reads the raw usage records (not yet rated) and prices them with the same
        code as the billing run. Returns ``{line_id: {...}}``.
        """
        first, __, __ = month_bounds(period_date)
        quantities = defaultdict(dict)
        third_party = defaultdict(Decimal)
        if self.ids:
            self.env["telecoop.usage.record"].flush_model()
            self.env.cr.execute(
                """
                SELECT line_id, usage_type, zone, SUM(quantity), SUM(third_party_amount)
                  FROM telecoop_usage_record
                 WHERE line_id = ANY(%s) AND period = %s
                 GROUP BY line_id, usage_type, zone
                """,
                [self.ids, first],
            )
            for line_id, usage_type, zone, qty, tp in self.env.cr.fetchall():
                quantities[line_id][(usage_type, zone)] = int(qty)
                third_party[line_id] += Decimal(tp or 0)
        summary = {}
        for line in self:
            priced = line._price_period(first, quantities[line.id])
            summary[line.id] = {
                "period": first,
                "quantities": quantities[line.id],
                "data_quantity": priced["data_quantity"],
                "band_upper": priced["band_upper"],
                "band_index": priced["band_index"],
                "capped": priced["capped"],
                "base_amount": priced["base_amount"],
                "usage_amount": priced["usage_amount"],
                "third_party_amount": third_party[line.id],
                "total": priced["base_amount"] + priced["usage_amount"] + third_party[line.id],
            }
        return summary
