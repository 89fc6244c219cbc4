# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from urllib.parse import urlencode

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class TelecoopAgmPortal(CustomerPortal):
    """Members' side of the assemblies: thin routes over model methods."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "assembly_count" in counters:
            Assembly = request.env["telecoop.assembly"]
            values["assembly_count"] = (
                Assembly.search_count([("state", "!=", "draft")])
                if Assembly.has_access("read")
                else 0
            )
        return values

    @http.route(
        ["/my/assemblies", "/my/assemblies/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_assemblies(self, page=1, **kw):
        Assembly = request.env["telecoop.assembly"]
        if not Assembly.has_access("read"):
            return request.redirect("/my")
        domain = [("state", "!=", "draft")]
        pager = portal_pager(
            url="/my/assemblies", total=Assembly.search_count(domain), page=page, step=20
        )
        assemblies = Assembly.search(domain, limit=20, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "assemblies": assemblies,
                "pager": pager,
                "page_name": "assembly",
                "default_url": "/my/assemblies",
            }
        )
        return request.render("telecoop_agm.portal_my_assemblies", values)

    def _assembly_redirect(self, assembly_sudo, **params):
        query = f"?{urlencode(params)}" if params else ""
        return request.redirect(f"/my/assemblies/{assembly_sudo.id}{query}")

    @http.route("/my/assemblies/<int:assembly_id>", type="http", auth="user", website=True)
    def portal_assembly_page(
        self,
        assembly_id,
        access_token=None,
        message=None,
        error=None,
        report_type=None,
        download=False,
        **kw,
    ):
        try:
            assembly_sudo = self._document_check_access(
                "telecoop.assembly", assembly_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report_type in ("html", "pdf") and assembly_sudo.tallied_at:
            return self._show_report(
                model=assembly_sudo,
                report_type=report_type,
                report_ref="telecoop_agm.action_report_assembly_minutes",
                download=download,
            )
        # the receipt of the last ballot is shown once, then forgotten
        new_receipt = request.session.pop("telecoop_agm_receipt", None)
        if new_receipt and new_receipt.get("assembly_id") != assembly_sudo.id:
            new_receipt = None
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "assembly": assembly_sudo,
                "situation": assembly_sudo._portal_get_situation(request.env.user.partner_id),
                "page_name": "assembly",
                "message": message,
                "error": error,
                "new_receipt": new_receipt,
                "receipt_status": kw.get("receipt_status"),
            }
        )
        return request.render("telecoop_agm.portal_assembly_page", values)

    @http.route(
        "/my/assemblies/<int:assembly_id>/vote",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_assembly_vote(self, assembly_id, resolution_id=None, choice_id=None, **kw):
        try:
            assembly_sudo = self._document_check_access("telecoop.assembly", assembly_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            # A refusal raised after a write must leave nothing behind: the request commits.
            with request.env.cr.savepoint():
                ballot = assembly_sudo._portal_vote(
                    request.env.user.partner_id,
                    resolution_id or 0,
                    choice_id or 0,
                    kw.get("voter_id"),
                )
        except (UserError, ValueError) as exc:
            return self._assembly_redirect(assembly_sudo, error=str(exc))
        request.session["telecoop_agm_receipt"] = {
            "assembly_id": assembly_sudo.id,
            "resolution_id": ballot.resolution_id.id,
            "voter_id": int(kw.get("voter_id") or 0),
            "receipt": ballot.env.context["telecoop_receipt"],
        }
        return self._assembly_redirect(assembly_sudo, message="voted")

    @http.route(
        "/my/assemblies/<int:assembly_id>/receipt",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_assembly_receipt(self, assembly_id, receipt=None, **kw):
        try:
            assembly_sudo = self._document_check_access("telecoop.assembly", assembly_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        status = assembly_sudo._check_receipt((receipt or "").strip())
        return self._assembly_redirect(assembly_sudo, receipt_status=status)

    @http.route(
        "/my/assemblies/<int:assembly_id>/proxy",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_assembly_proxy(self, assembly_id, holder_number=None, withdraw=None, **kw):
        try:
            assembly_sudo = self._document_check_access("telecoop.assembly", assembly_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        partner = request.env.user.partner_id
        try:
            with request.env.cr.savepoint():
                if withdraw:
                    assembly_sudo._portal_withdraw_proxy(partner)
                else:
                    assembly_sudo._portal_give_proxy(partner, holder_number)
        except (UserError, ValueError) as exc:
            return self._assembly_redirect(assembly_sudo, error=str(exc))
        return self._assembly_redirect(
            assembly_sudo, message="proxy_withdrawn" if withdraw else "proxy_given"
        )
