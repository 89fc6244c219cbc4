# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from odoo.addons.telecoop_membership.services import register_import as reader

CHUNK_SIZE = 2000


class TelecoopRegisterImport(models.Model):
    """The lines of the cooperative moved in: number, SIM, holder, plan, activation.

    A holder is a member number (of the members file or of the register) or the
    reference of a contact; a plan is the name of a plan of the company. A
    number already on a line of the company that is not terminated is skipped:
    the same file twice adds nothing.
    """

    _inherit = "telecoop.register.import"

    lines_file = fields.Binary(string="Mobile lines (CSV or XLSX)", attachment=True)
    lines_filename = fields.Char()
    line_count = fields.Integer(string="Lines created", readonly=True)

    def _get_holders(self, numbers):
        """{member number or contact reference: partner id} for ``numbers``."""
        # member numbers of this cooperative's memberships only
        partners = (
            self.env["res.partner"]
            .sudo()
            .with_company(self.company_id)
            .with_context(active_test=False)
        )
        holders = {}
        # a contact reference finds the contacts this cooperative may use (its own and
        # the shared ones), never a contact of another hosted company
        for partner in partners.search(
            [("ref", "in", list(numbers)), *partners._check_company_domain(self.company_id)]
        ):
            holders[partner.ref] = partner.id
        for partner in partners.search([("telecoop_member_number", "in", list(numbers))]):
            holders[partner.telecoop_member_number] = partner.id
        return holders

    def _check_files(self, data):
        problems = super()._check_files(data)
        data["lines"] = []
        if not self.lines_file:
            return problems
        filename = self.lines_filename or "lines"
        records, data["lines_format"], found = self._read_file("lines", self.lines_file, filename)
        problems += found
        wanted = {reader._text(r.get("holder")) for r in records}
        holders = set(self._get_holders(wanted)) | set(data.get("members", {}))
        plans = self.env["telecoop.mobile.plan"].search([("company_id", "=", self.company_id.id)])
        data["plans"] = {plan.name: plan for plan in plans}
        data["lines"], found = reader.check_lines(
            records, filename, holders, set(data["plans"]), _=self.env._
        )
        return problems + found

    def _import_files(self, data):
        super()._import_files(data)
        lines = data.get("lines") or []
        if not lines:
            return
        line_model = self.env["telecoop.mobile.line"].sudo().with_context(tracking_disable=True)
        existing = set(
            line_model.search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("msisdn", "in", [line["msisdn"] for line in lines]),
                    ("state", "!=", "terminated"),
                ]
            ).mapped("msisdn")
        )
        holders = self._get_holders({line["holder"] for line in lines})
        todo = [line for line in lines if line["msisdn"] not in existing]
        size = self._chunk_size(CHUNK_SIZE)
        for start in range(0, len(todo), size):
            chunk = todo[start : start + size]
            line_model.create(
                [
                    {
                        "company_id": self.company_id.id,
                        "msisdn": line["msisdn"],
                        "iccid": line["iccid"],
                        "partner_id": holders[line["holder"]],
                        "plan_id": data["plans"][line["plan"]].id,
                        "activation_date": line["activation_date"],
                    }
                    for line in chunk
                ]
            )
            self.line_count += len(chunk)
            self._commit_chunk()

    def _get_report(self, data, problems):
        report = super()._get_report(data, problems)
        if data.get("lines"):
            report += "\n" + self.env._("%(count)s lines read.", count=len(data["lines"]))
        return report
