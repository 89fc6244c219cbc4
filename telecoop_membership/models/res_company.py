# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from datetime import datetime

from odoo import api, fields, models
from odoo.tools.misc import file_open

from odoo.addons.base.models.ir_actions_report import _wkhtml
from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from ..services import demo_story


class ResCompany(models.Model):
    _inherit = "res.company"

    telecoop_statute_profile_ids = fields.One2many("telecoop.statute.profile", "company_id")
    telecoop_statute_profile_id = fields.Many2one(
        "telecoop.statute.profile",
        string="Statute profile",
        compute="_compute_telecoop_statute_profile_id",
    )

    def _compute_telecoop_statute_profile_id(self):
        for company in self:
            company.telecoop_statute_profile_id = company.telecoop_statute_profile_ids[:1]

    def _telecoop_get_invoice_user(self):
        """The salesperson of the invoices the cooperative issues by itself (shares,
        billing runs): its membership officer when one is configured, else none,
        never the user who happened to run the job (OdooBot for a cron)."""
        self.ensure_one()
        return self.telecoop_statute_profile_id.membership_officer_id

    def _telecoop_legal_mentions_in_body(self, report_type="pdf"):
        """Whether a legal document (the share certificate) prints the company's
        legal mentions in its body. The layout's footer holds them, but a
        wkhtmltopdf without patched Qt (Debian's) prints no footer in a PDF: they
        are then in the body, else in the footer only, never twice."""
        return report_type == "pdf" and not _wkhtml().is_patched_qt

    # Demo -------------------------------------------------------------------
    @api.model
    def _telecoop_demo_dates(self):
        """The dates of the demo's story (``services/demo_story.py``), as Odoo strings."""
        return {
            name: fields.Datetime.to_string(value)
            if isinstance(value, datetime)
            else fields.Date.to_string(value)
            for name, value in demo_story.story_dates(fields.Datetime.now()).items()
        }

    @api.model
    def _telecoop_demo_setup_french_company(self):
        """Demo data: the main company becomes TeleCoop, a French SCIC.

        Its books start in the French chart of accounts (``l10n_fr_account``, in
        euros): the entries of Odoo's generic demo chart, loaded on the main
        company by ``account``'s demo, are removed first, as Odoo does when it
        replaces a chart on a company. The document layout, A4 paper and the
        logo are set (no layout dialog at the first print); French is loaded and
        the demo users speak it, in the Paris time zone.
        """
        company = self.env.ref("base.main_company")
        if company.chart_template != "fr":
            moves = self.env["account.move"].with_context(active_test=False)
            moves.search([("company_id", "=", company.id)]).with_context(
                **{MODULE_UNINSTALL_FLAG: True}
            ).unlink()
            self.env["account.chart.template"].try_loading("fr", company, install_demo=False)
        with file_open("telecoop_membership/static/img/telecoop_demo_logo.svg", "rb") as logo:
            company.logo = base64.b64encode(logo.read())
        company.write(
            {
                "paperformat_id": self.env.ref("base.paperformat_euro").id,
                "external_report_layout_id": self.env.ref("web.external_layout_standard").id,
            }
        )
        self.env["res.lang"]._activate_and_install_lang("fr_FR")
        self.env["ir.module.module"].search([])._update_translations(["fr_FR"])
        users = (
            self.env.ref("base.user_admin")
            | self.env.ref("base.user_demo")
            | self.env.ref("base.demo_user0")
        )
        users.write({"lang": "fr_FR", "tz": "Europe/Paris"})
        return True
