# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import csv
import io

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import AccessError


class TelecoopRegisterWizard(models.TransientModel):
    """The register of members ("registre des associés") at a date: PDF or CSV."""

    _name = "telecoop.register.wizard"
    _description = "Register of members at a date"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(string="At", required=True, default=fields.Date.context_today)

    @api.constrains("company_id")
    def _check_company_allowed(self):
        # constraints run as superuser: check against the user's own companies
        for wizard in self:
            user = wizard.env.user
            if not user._is_superuser() and wizard.company_id not in user.company_ids:
                raise AccessError(self._register_refused(wizard.company_id))

    @api.model
    def _register_refused(self, company):
        return self.env._(
            "You cannot read the register of %(company)s: it is not one of your companies.",
            company=company.name,
        )

    @api.model
    def _check_register_company(self, company):
        """The register is read by SQL, past the record rules: only the companies
        the user works in right now (the allowed companies) can be read."""
        if not self.env.su and company not in self.env.companies:
            raise AccessError(self._register_refused(company))

    @api.model
    def _get_register(self, company, at_date):
        """Rows of the register at a date with names, ready to print or export."""
        self._check_register_company(company)
        rows = self.env["telecoop.share.line"]._get_register_rows(company, at_date)
        # the member numbers of this cooperative's memberships, not of the current company
        partners = (
            self.env["res.partner"].with_company(company).browse([r["partner_id"] for r in rows])
        )
        colleges = self.env["telecoop.college"].browse([r["college_id"] for r in rows])
        by_partner = {p.id: p for p in partners}
        by_college = {c.id: c for c in colleges}
        result = []
        for row in rows:
            partner = by_partner[row["partner_id"]]
            result.append(
                {
                    "partner": partner,
                    "member_number": partner.telecoop_member_number or "",
                    "college": by_college[row["college_id"]],
                    "shares": row["shares"],
                    "amount": company.currency_id.round(row["amount"]),
                }
            )
        result.sort(key=lambda r: (r["member_number"], r["partner"].display_name))
        return result

    def _get_report_values(self):
        self.ensure_one()
        rows = self._get_register(self.company_id, self.date)
        return {
            "rows": rows,
            "total_shares": sum(r["shares"] for r in rows),
            "total_amount": self.company_id.currency_id.round(sum(r["amount"] for r in rows)),
        }

    def action_print(self):
        self.ensure_one()
        return self.env.ref("telecoop_membership.telecoop_register_report").report_action(self)

    def _get_header(self):
        return [
            self.env._("Member number"),
            self.env._("Member"),
            self.env._("College"),
            self.env._("Shares"),
            self.env._("Amount"),
        ]

    def _get_csv(self):
        self.ensure_one()
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(self._get_header())
        digits = self.company_id.currency_id.decimal_places
        for row in self._get_register(self.company_id, self.date):
            writer.writerow(
                [
                    row["member_number"],
                    row["partner"].display_name,
                    row["college"].name,
                    row["shares"],
                    f"{row['amount']:.{digits}f}",
                ]
            )
        return buffer.getvalue()

    def _get_xlsx(self):
        self.ensure_one()
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Register"))
        bold = workbook.add_format({"bold": True})
        digits = self.company_id.currency_id.decimal_places
        money = workbook.add_format({"num_format": "0." + "0" * digits if digits else "0"})
        sheet.write_row(0, 0, self._get_header(), bold)
        rows = self._get_register(self.company_id, self.date)
        for index, row in enumerate(rows, start=1):
            sheet.write(index, 0, row["member_number"])
            sheet.write(index, 1, row["partner"].display_name)
            sheet.write(index, 2, row["college"].name)
            sheet.write_number(index, 3, row["shares"])
            sheet.write_number(index, 4, row["amount"], money)
        total = len(rows) + 1
        sheet.write(total, 0, self.env._("Total"), bold)
        sheet.write_number(total, 3, sum(r["shares"] for r in rows), bold)
        sheet.write_number(
            total, 4, self.company_id.currency_id.round(sum(r["amount"] for r in rows)), money
        )
        workbook.close()
        return buffer.getvalue()

    def action_export_csv(self):
        self.ensure_one()
        return self._download(f"register-{self.date}.csv", self._get_csv().encode(), "text/csv")

    def action_export_xlsx(self):
        self.ensure_one()
        return self._download(
            f"register-{self.date}.xlsx",
            self._get_xlsx(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    def _download(self, name, content, mimetype):
        attachment = self.env["ir.attachment"].create(
            {
                "name": name,
                "datas": base64.b64encode(content),
                "mimetype": mimetype,
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
