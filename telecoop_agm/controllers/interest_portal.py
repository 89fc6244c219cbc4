# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.telecoop_membership.controllers.portal import TelecoopMembershipPortal


class TelecoopInterestPortal(TelecoopMembershipPortal):
    def _telecoop_shares_values(self, **kwargs):
        values = super()._telecoop_shares_values(**kwargs)
        # the record rule keeps the member's own lines of posted allocations;
        # read them as superuser, the allocation itself is not a portal document
        # (staff of the cooperative without the assemblies' groups have no interest lines:
        # their page of shares must not answer with the raw access error)
        Line = request.env["telecoop.surplus.allocation.line"]
        values["interest_lines"] = (
            Line.search(
                [("partner_id", "=", self._telecoop_partner().id), ("amount", ">", 0)],
                order="id desc",
            ).sudo()
            if Line.has_access("read")
            else Line.sudo()
        )
        return values

    @http.route("/my/shares/interest/<int:line_id>", type="http", auth="user", website=False)
    def portal_interest_statement(self, line_id, report_type="pdf", **kwargs):
        """The yearly statement of a member's interest on shares (PDF, or HTML with
        ``report_type=html``), for the member only."""
        line = request.env["telecoop.surplus.allocation.line"].browse(line_id)
        try:
            line.check_access("read")
            line.read(["partner_id"])
        except (AccessError, MissingError):
            return request.redirect("/my")
        # rendered in the cooperative of the allocation, whatever the user's current company
        reports = request.env["ir.actions.report"].sudo().with_company(line.sudo().company_id)
        report = "telecoop_agm.action_report_interest_statement"
        if report_type == "html":
            html, _type = reports._render_qweb_html(report, line.ids)
            return request.make_response(html, headers=[("Content-Type", "text/html")])
        pdf, _type = reports._render_qweb_pdf(report, line.ids)
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                (
                    "Content-Disposition",
                    f'inline; filename="interest-{line.year}-{line.member_number or line.id}.pdf"',
                ),
            ],
        )
