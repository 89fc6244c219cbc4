# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import csv
import io

from odoo import api, fields, models


class TelecoopRegisterWizard(models.TransientModel):
    """The register of members ("registre des associés") at a date: PDF or CSV."""

    _name = "telecoop.register.wizard"
    _description = "Register of members at a date"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(string="At", required=True, default=fields.Date.context_today)

    @api.model
    def _get_register(self, company, at_date):
        """Rows of the register at a date with names, ready to print or export."""
        rows = self.env["telecoop.share.line"]._get_register_rows(company, at_date)
        partners = self.env["res.partner"].browse([r["partner_id"] for r in rows])
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

    def _get_csv(self):
        self.ensure_one()
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(
            [
                self.env._("Member number"),
                self.env._("Member"),
                self.env._("College"),
                self.env._("Shares"),
                self.env._("Amount"),
            ]
        )
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

    def action_export_csv(self):
        self.ensure_one()
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"register-{self.date}.csv",
                "datas": base64.b64encode(self._get_csv().encode()),
                "mimetype": "text/csv",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
