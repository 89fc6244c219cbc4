# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from urllib.parse import urlencode

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class TelecoopAgmPortal(CustomerPortal):
    """Members' side of the assemblies: thin routes over model methods."""

    #: assemblies on a page of /my/assemblies
    _assemblies_per_page = 20

    def _get_assembly_searchbar_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "date desc, id desc"},
            "name": {"label": request.env._("Name"), "order": "name, id"},
            "state": {"label": request.env._("Status"), "order": "state, date desc"},
        }

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
    def portal_my_assemblies(self, page=1, sortby=None, **kw):
        Assembly = request.env["telecoop.assembly"]
        if not Assembly.has_access("read"):
            return request.redirect("/my")
        domain = [("state", "!=", "draft")]
        sortings = self._get_assembly_searchbar_sortings()
        sortby = sortby if sortby in sortings else "date"
        step = self._assemblies_per_page
        pager = portal_pager(
            url="/my/assemblies",
            url_args={"sortby": sortby},
            total=Assembly.search_count(domain),
            page=page,
            step=step,
        )
        assemblies = Assembly.search(
            domain, order=sortings[sortby]["order"], limit=step, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "assemblies": assemblies,
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
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
        return self._render_assembly_page(
            assembly_sudo, message=message, error=error, receipt_status=kw.get("receipt_status")
        )

    def _render_assembly_page(self, assembly_sudo, new_receipt=None, **values):
        """The page of an assembly; ``new_receipt`` only in the answer to the vote itself.

        The receipt is rendered into that one answer and kept nowhere: not in
        the session, not in the database.
        """
        page = self._prepare_portal_layout_values()
        page.update(
            {
                "assembly": assembly_sudo,
                "situation": assembly_sudo._portal_get_situation(request.env.user.partner_id),
                "page_name": "assembly",
                "message": None,
                "error": None,
                "receipt_status": None,
                "new_receipt": new_receipt,
                # the layout (logo, footer) of the assembly's cooperative, which may
                # not be the one the member's account works in
                "res_company": assembly_sudo.company_id,
                **values,
            }
        )
        return request.render("telecoop_agm.portal_assembly_page", page)

    @http.route(
        "/my/assemblies/<int:assembly_id>/documents/<int:attachment_id>",
        type="http",
        auth="public",
    )
    def portal_assembly_document(self, assembly_id, attachment_id, **kw):
        """A document of the convocation, for the electorate only (404 for anyone else)."""
        partner = request.env.user.partner_id
        if request.env.user._is_public():
            raise request.not_found()
        assembly_sudo = request.env["telecoop.assembly"].sudo().browse(assembly_id).exists()
        try:
            if not assembly_sudo:
                raise MissingError(request.env._("No such assembly."))
            document_sudo = assembly_sudo._get_convocation_document(partner, attachment_id)
        except (AccessError, MissingError, ValueError):
            raise request.not_found() from None
        stream = request.env["ir.binary"]._get_stream_from(document_sudo)
        return stream.get_response(as_attachment=True)

    @http.route(
        "/telecoop_agm/assemblies/<int:assembly_id>/ballot-box.json", type="http", auth="user"
    )
    def telecoop_assembly_ballot_box(self, assembly_id, **kw):
        """The exported ballot box, for staff: the model checks the role (403 otherwise)."""
        assembly = request.env["telecoop.assembly"].browse(assembly_id)
        try:
            # an assembly the user cannot read (another cooperative's, or one they are not
            # called to) is not found: never the raw text of the record rule
            assembly.check_access("read")
        except (AccessError, MissingError):
            raise request.not_found() from None
        filename, content = assembly._get_ballot_box_file()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/json; charset=utf-8"),
                ("Content-Disposition", content_disposition(filename)),
                ("Cache-Control", "no-store"),
            ],
        )

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
        response = self._render_assembly_page(
            assembly_sudo,
            message="voted",
            new_receipt={
                "assembly_id": assembly_sudo.id,
                "resolution_id": int(resolution_id),
                "voter_id": int(kw.get("voter_id") or 0),
                "receipt": ballot.env.context["telecoop_receipt"],
            },
        )
        # the answer holds a receipt: never kept by a browser or a proxy cache
        response.headers["Cache-Control"] = "no-store"
        return response

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
                    assembly_sudo._portal_withdraw_proxy(partner, kw.get("voter_id"))
                else:
                    assembly_sudo._portal_give_proxy(partner, holder_number, kw.get("voter_id"))
        except (UserError, ValueError) as exc:
            return self._assembly_redirect(assembly_sudo, error=str(exc))
        return self._assembly_redirect(
            assembly_sudo, message="proxy_withdrawn" if withdraw else "proxy_given"
        )
