# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
from decimal import Decimal

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


def _plain(summary):
    """Decimals as floats for the QWeb monetary widget."""
    return {k: float(v) if isinstance(v, Decimal) else v for k, v in summary.items()}


class TelecoopMobileLinePortal(CustomerPortal):
    """/my/lines: a holder's lines, their consumption, cap, alerts and plan."""

    #: lines on a page of /my/lines (a family or an association holds many)
    _telecoop_lines_per_page = 20

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "telecoop_line_count" in counters:
            Line = request.env["telecoop.mobile.line"]
            values["telecoop_line_count"] = Line.search_count([]) if Line.has_access("read") else 0
        return values

    def _telecoop_line(self, line_id, access_token=None):
        return self._document_check_access("telecoop.mobile.line", line_id, access_token)

    def _get_telecoop_lines_searchbar_sortings(self):
        return {
            "msisdn": {"label": request.env._("Number"), "order": "msisdn"},
            "activation": {
                "label": request.env._("Since"),
                "order": "activation_date desc, id desc",
            },
            "plan": {"label": request.env._("Plan"), "order": "plan_id, msisdn"},
            "state": {"label": request.env._("State"), "order": "state, msisdn"},
        }

    @http.route(["/my/lines", "/my/lines/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_lines(self, page=1, sortby=None, **kwargs):
        Line = request.env["telecoop.mobile.line"]
        sortings = self._get_telecoop_lines_searchbar_sortings()
        sortby = sortby if sortby in sortings else "msisdn"
        total = Line.search_count([])
        pager = portal_pager(
            url="/my/lines",
            url_args={"sortby": sortby},
            total=total,
            page=page,
            step=self._telecoop_lines_per_page,
        )
        lines = Line.search(
            [],
            order=sortings[sortby]["order"],
            limit=self._telecoop_lines_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "telecoop_lines",
                "lines": lines.sudo(),
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "default_url": "/my/lines",
                "fmt": request.env["telecoop.format"],
            }
        )
        return request.render("telecoop_mobile_billing.portal_my_lines", values)

    def _telecoop_line_values(self, line_sudo, error=None, message=None):
        history = line_sudo._get_portal_history()
        env = line_sudo.env
        fmt = env["telecoop.format"]
        currency = line_sudo.currency_id
        # every word and number of the chart in the reader's language, from here: the
        # script draws, it formats nothing (axis titles, scale, each month's tooltip)
        top_gb = max([round(month["data"] / 1e9, 3) for month in history] + [1])
        top_amount = max([float(month["amount"]) for month in history] + [1])
        chart = {
            "title": env._("Data and amount per month"),
            "axes": {"data": env._("GB"), "amount": env._("Amount")},
            "scale": {
                "data": top_gb,
                "data_label": fmt.data(int(top_gb * 1e9)),
                "amount": top_amount,
                "amount_label": fmt.amount(top_amount, currency),
            },
            "months": [
                {
                    "month": month["period"].strftime("%Y-%m"),
                    "label": fmt.month(month["period"], short=True),
                    "data_gb": round(month["data"] / 1e9, 3),
                    "amount": float(month["amount"]),
                    "title": env._(
                        "%(month)s: %(data)s, %(amount)s",
                        month=fmt.month(month["period"]),
                        data=fmt.data(month["data"]),
                        amount=fmt.amount(month["amount"], currency),
                    ),
                }
                for month in history
            ],
        }
        return {
            "page_name": "telecoop_line",
            "fmt": fmt,
            "line": line_sudo,
            "current": _plain(line_sudo._get_portal_consumption()),
            "history": [_plain(month) for month in reversed(history)],
            "chart_data": json.dumps(chart),
            "sobriety": line_sudo._get_sobriety(),
            "alerts": line_sudo._get_portal_alerts(),
            "plans": line_sudo._get_portal_plans() - line_sudo.plan_id,
            "upcoming_plan": line_sudo._get_upcoming_plan(),
            "default_change_date": line_sudo._get_default_plan_change_date(),
            "error": error,
            "message": message,
        }

    @http.route("/my/lines/<int:line_id>", type="http", auth="public", website=True)
    def portal_my_line(self, line_id, access_token=None, message=None, **kwargs):
        try:
            line_sudo = self._telecoop_line(line_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        messages = {
            "alerts": request.env._("Your cap and alerts are saved."),
            "plan": request.env._("Your plan change is recorded."),
            "plan_cancelled": request.env._("Your plan change is cancelled."),
        }
        return request.render(
            "telecoop_mobile_billing.portal_my_line",
            self._telecoop_line_values(line_sudo, message=messages.get(message)),
        )

    @http.route(
        "/my/lines/<int:line_id>/alerts", type="http", auth="user", methods=["POST"], website=True
    )
    def portal_line_alerts(self, line_id, **post):
        try:
            line_sudo = self._telecoop_line(line_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            line_sudo._portal_set_alerts(
                post.get("spending_cap"),
                post.get("alert_cap_percent"),
                post.get("alert_band_percent"),
                True,
                roaming_continue=bool(post.get("roaming_continue")),
                itemised_bill=bool(post.get("itemised_bill")),
            )
        except (UserError, ValidationError) as error:
            return request.render(
                "telecoop_mobile_billing.portal_my_line",
                self._telecoop_line_values(line_sudo, error=error.args[0]),
            )
        return request.redirect(f"/my/lines/{line_sudo.id}?message=alerts")

    @http.route(
        "/my/lines/<int:line_id>/plan", type="http", auth="user", methods=["POST"], website=True
    )
    def portal_line_plan(self, line_id, plan_id=None, date=None, **post):
        try:
            line_sudo = self._telecoop_line(line_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            line_sudo._portal_change_plan(plan_id, date or None)
        except (UserError, ValidationError, ValueError) as error:
            return request.render(
                "telecoop_mobile_billing.portal_my_line",
                self._telecoop_line_values(line_sudo, error=str(error.args[0])),
            )
        return request.redirect(f"/my/lines/{line_sudo.id}?message=plan")

    @http.route(
        "/my/lines/<int:line_id>/plan/cancel",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_line_plan_cancel(self, line_id, **post):
        try:
            line_sudo = self._telecoop_line(line_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            line_sudo._portal_cancel_plan_change()
        except (UserError, ValidationError) as error:
            return request.render(
                "telecoop_mobile_billing.portal_my_line",
                self._telecoop_line_values(line_sudo, error=str(error.args[0])),
            )
        return request.redirect(f"/my/lines/{line_sudo.id}?message=plan_cancelled")

    @http.route("/my/invoices/<int:invoice_id>/itemised", type="http", auth="public", website=True)
    def portal_invoice_itemised(self, invoice_id, access_token=None, **kwargs):
        """The free itemised bill of an invoice, for lines whose holder asked for it."""
        try:
            invoice_sudo = self._document_check_access("account.move", invoice_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if not invoice_sudo.telecoop_itemised_available:
            return request.redirect("/my/invoices")
        return self._show_report(
            model=invoice_sudo,
            report_type="pdf",
            report_ref="telecoop_mobile_billing.action_report_itemised_bill",
            download=True,
        )
