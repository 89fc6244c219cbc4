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
            # the shares held in every cooperative of the account
            lines = request.env["telecoop.share.line"]
            values["telecoop_share_count"] = (
                sum(
                    lines.search([("partner_id", "=", self._telecoop_partner().id)]).mapped(
                        "quantity"
                    )
                )
                if lines.has_access("read")
                else 0
            )
        return values

    def _telecoop_partner(self):
        return request.env.user.partner_id.commercial_partner_id

    def _telecoop_sections(self):
        """One section per cooperative of the person: those she has a membership,
        shares, requests or buy-backs in, and those whose classes she may subscribe
        (:meth:`telecoop.share.document._check_portal_share_class` decides which);
        the cooperative of her account first."""
        partner = self._telecoop_partner()
        env = request.env
        mine = [("partner_id", "=", partner.id)]
        memberships = env["telecoop.membership"].search(mine)
        share_lines = env["telecoop.share.line"].search(mine)
        requests = env["telecoop.subscription.request"].search(mine)
        buybacks = env["telecoop.share.buyback"].search(mine)
        classes = env["telecoop.subscription.request"]._get_portal_classes()
        companies = (
            memberships.company_id
            | share_lines.company_id
            | requests.company_id
            | buybacks.company_id
            | classes.company_id
        ).sorted(lambda c: (c != env.company, c.name or "", c.id))
        sections = []
        for company in companies:
            lines = share_lines.filtered(lambda line, c=company: line.company_id == c)
            held = {}
            for line in lines:
                held[line.share_class_id] = held.get(line.share_class_id, 0) + line.quantity
            membership = memberships.filtered(lambda m, c=company: m.company_id == c)[:1]
            sections.append(
                {
                    "company": company.sudo(),
                    # read as superuser for its college and state (the person's own)
                    "membership": membership.sudo(),
                    "card": partner.sudo().with_company(company),
                    "share_lines": lines,
                    "requests": requests.filtered(lambda r, c=company: r.company_id == c),
                    "buybacks": buybacks.filtered(lambda b, c=company: b.company_id == c),
                    "share_classes": classes.filtered(lambda k, c=company: k.company_id == c),
                    "held_classes": [share_class for share_class, n in held.items() if n > 0],
                    "certificate_url": (
                        f"/my/shares/{membership.id}/certificate"
                        if membership.member_number
                        else False
                    ),
                }
            )
        return sections

    def _telecoop_shares_values(self, **kwargs):
        return {
            "page_name": "telecoop_shares",
            "partner": self._telecoop_partner().sudo(),
            "sections": self._telecoop_sections(),
            "error": kwargs.get("error"),
        }

    @http.route("/my/shares", type="http", auth="user", website=True)
    def portal_my_shares(self, **kwargs):
        return request.render(
            "telecoop_membership.portal_my_shares", self._telecoop_shares_values(**kwargs)
        )

    def _telecoop_show_certificate(self, membership, report_type="pdf", download=False):
        """The certificate of ``membership`` (one of the person's own), as Odoo's
        portal answers a report (``_show_report``), rendered in its cooperative."""
        if report_type not in ("html", "pdf"):
            report_type = "pdf"
        content, report_type = membership._render_certificate(report_type)
        headers = self._get_http_headers(
            membership._get_certificate_partner(), report_type, content, download
        )
        return request.make_response(content, headers=list(headers.items()))

    @http.route("/my/shares/certificate", type="http", auth="user", website=True)
    def portal_my_certificate(self, report_type="pdf", download=False, **kwargs):
        """The certificate of the cooperative of the account, or else of the first
        cooperative the person has a member number in."""
        memberships = (
            request.env["telecoop.membership"]
            .search([("partner_id", "=", self._telecoop_partner().id)])
            .filtered("member_number")
            .sorted(lambda m: m.company_id != request.env.company)
        )
        if not memberships:
            return request.redirect("/my/shares")
        return self._telecoop_show_certificate(memberships[0], report_type, download)

    @http.route(
        "/my/shares/<int:membership_id>/certificate", type="http", auth="user", website=True
    )
    def portal_membership_certificate(
        self, membership_id, report_type="pdf", download=False, **kwargs
    ):
        """The certificate of one cooperative of the person: a membership that is not
        hers is not found."""
        membership = request.env["telecoop.membership"].browse(membership_id)
        try:
            membership.check_access("read")
            is_mine = membership.partner_id == self._telecoop_partner()
        except (AccessError, MissingError):
            is_mine = False
        if not is_mine:
            raise request.not_found()
        if not membership.member_number:
            return request.redirect("/my/shares")
        return self._telecoop_show_certificate(membership, report_type, download)

    def _telecoop_int(self, value):
        try:
            return int(value)
        except (TypeError, ValueError):
            return 0

    def _telecoop_share_class(self, share_class_id):
        share_class = request.env["telecoop.share.class"].browse(self._telecoop_int(share_class_id))
        return share_class.exists()

    def _telecoop_company(self, company_id):
        """The cooperative a form of /my/shares names (``None`` when it names none:
        the share class's own cooperative is taken)."""
        if company_id in (None, ""):
            return None
        return request.env["res.company"].sudo().browse(self._telecoop_int(company_id))

    @http.route("/my/shares/subscribe", type="http", auth="user", methods=["POST"], website=True)
    def portal_subscribe(self, share_class_id=None, quantity=None, company_id=None, **kwargs):
        share_class = self._telecoop_share_class(share_class_id)
        if not share_class:
            return request.redirect("/my/shares")
        try:
            subscription = request.env["telecoop.subscription.request"]._portal_subscribe(
                self._telecoop_partner(),
                share_class,
                self._telecoop_int(quantity),
                self._telecoop_company(company_id),
            )
        except UserError as error:
            return request.render(
                "telecoop_membership.portal_my_shares",
                self._telecoop_shares_values(error=error.args[0]),
            )
        return request.redirect(subscription.access_url)

    @http.route("/my/shares/buyback", type="http", auth="user", methods=["POST"], website=True)
    def portal_buyback(
        self, share_class_id=None, quantity=None, reason=None, company_id=None, **kwargs
    ):
        share_class = self._telecoop_share_class(share_class_id)
        if not share_class:
            return request.redirect("/my/shares")
        try:
            buyback = request.env["telecoop.share.buyback"]._portal_request(
                self._telecoop_partner(),
                share_class,
                self._telecoop_int(quantity),
                reason,
                self._telecoop_company(company_id),
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
