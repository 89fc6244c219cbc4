# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class TelecoopMembershipPortal(CustomerPortal):
    """/my/shares: a member's shares, certificate, subscriptions and buy-backs."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "telecoop_share_count" in counters:
            values["telecoop_share_count"] = request.env.user.partner_id.sudo().telecoop_share_count
        return values

    def _telecoop_partner(self):
        return request.env.user.partner_id.commercial_partner_id

    def _telecoop_shares_values(self, **kwargs):
        partner = self._telecoop_partner()
        env = request.env
        return {
            "page_name": "telecoop_shares",
            "partner": partner.sudo(),
            "share_lines": env["telecoop.share.line"].search([("partner_id", "=", partner.id)]),
            "requests": env["telecoop.subscription.request"].search(
                [("partner_id", "=", partner.id)]
            ),
            "buybacks": env["telecoop.share.buyback"].search([("partner_id", "=", partner.id)]),
            "share_classes": env["telecoop.share.class"].search(
                [("company_id", "=", env.company.id)]
            ),
            "error": kwargs.get("error"),
        }

    @http.route("/my/shares", type="http", auth="user", website=True)
    def portal_my_shares(self, **kwargs):
        return request.render(
            "telecoop_membership.portal_my_shares", self._telecoop_shares_values(**kwargs)
        )

    @http.route("/my/shares/certificate", type="http", auth="user", website=True)
    def portal_my_certificate(self, report_type="pdf", download=False, **kwargs):
        partner = self._telecoop_partner().sudo()
        if not partner.telecoop_member_number:
            return request.redirect("/my/shares")
        return self._show_report(
            model=partner,
            report_type=report_type,
            report_ref="telecoop_membership.telecoop_certificate_report",
            download=download,
        )

    def _telecoop_int(self, value):
        try:
            return int(value)
        except (TypeError, ValueError):
            return 0

    def _telecoop_share_class(self, share_class_id):
        share_class = request.env["telecoop.share.class"].browse(self._telecoop_int(share_class_id))
        return share_class.exists()

    @http.route("/my/shares/subscribe", type="http", auth="user", methods=["POST"], website=True)
    def portal_subscribe(self, share_class_id=None, quantity=None, **kwargs):
        share_class = self._telecoop_share_class(share_class_id)
        if not share_class:
            return request.redirect("/my/shares")
        try:
            subscription = request.env["telecoop.subscription.request"]._portal_subscribe(
                self._telecoop_partner(), share_class, self._telecoop_int(quantity)
            )
        except UserError as error:
            return request.render(
                "telecoop_membership.portal_my_shares",
                self._telecoop_shares_values(error=error.args[0]),
            )
        return request.redirect(subscription.access_url)

    @http.route("/my/shares/buyback", type="http", auth="user", methods=["POST"], website=True)
    def portal_buyback(self, share_class_id=None, quantity=None, reason=None, **kwargs):
        share_class = self._telecoop_share_class(share_class_id)
        if not share_class:
            return request.redirect("/my/shares")
        try:
            buyback = request.env["telecoop.share.buyback"]._portal_request(
                self._telecoop_partner(), share_class, self._telecoop_int(quantity), reason
            )
        except UserError as error:
            return request.render(
                "telecoop_membership.portal_my_shares",
                self._telecoop_shares_values(error=error.args[0]),
            )
        return request.redirect(buyback.access_url)

    @http.route("/my/shares/requests/<int:request_id>", type="http", auth="user", website=True)
    def portal_subscription_request(self, request_id, access_token=None, **kwargs):
        try:
            subscription = self._document_check_access(
                "telecoop.subscription.request", request_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            subscription,
            access_token,
            {"page_name": "telecoop_request", "subscription": subscription},
            "my_telecoop_requests_history",
            False,
        )
        return request.render("telecoop_membership.portal_subscription_request", values)

    @http.route("/my/shares/buybacks/<int:buyback_id>", type="http", auth="user", website=True)
    def portal_buyback_page(self, buyback_id, access_token=None, **kwargs):
        try:
            buyback = self._document_check_access(
                "telecoop.share.buyback", buyback_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            buyback,
            access_token,
            {"page_name": "telecoop_buyback", "buyback": buyback},
            "my_telecoop_buybacks_history",
            False,
        )
        return request.render("telecoop_membership.portal_share_buyback", values)
