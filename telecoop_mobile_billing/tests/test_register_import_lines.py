# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io
from datetime import date, datetime

import openpyxl

from odoo import fields
from odoo.tests import tagged
from odoo.tools.misc import file_path

from .common import MobileBillingCommon

BAD_LINES = """msisdn,iccid,holder,plan,activation_date
33612000001,,C0001,Adjustable,2021-04-01
33612000001,,C0001,Adjustable,2021-04-01
12AB,,C0001,Adjustable,2021-04-01
33612000009,,NOBODY,Gold plan,someday
"""


def example(addon, name):
    with open(file_path(f"{addon}/data/examples/{name}"), "rb") as handle:
        return handle.read()


@tagged("post_install", "-at_install")
class TestRegisterImportLines(MobileBillingCommon):
    def _import(self, lines=None, filename="lines.csv"):
        lines = example("telecoop_mobile_billing", "lines.csv") if lines is None else lines
        return self.env["telecoop.register.import"].create(
            {
                "company_id": self.company.id,
                "members_file": base64.b64encode(example("telecoop_membership", "members.csv")),
                "members_filename": "members.csv",
                "lines_file": base64.b64encode(lines),
                "lines_filename": filename,
            }
        )

    @staticmethod
    def _xlsx(rows):
        """An XLSX workbook of ``rows``, cells typed as a spreadsheet keeps them."""
        workbook = openpyxl.Workbook()
        for row in rows:
            workbook.active.append(row)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()

    def _lines(self):
        return self.env["telecoop.mobile.line"].search([("company_id", "=", self.company.id)])

    def test_lines_come_with_number_sim_holder_plan_and_activation(self):
        record = self._import()
        self.assertEqual(record.action_import(), [])
        self.assertEqual(record.line_count, 3)
        lines = self._lines()
        self.assertEqual(
            sorted(lines.mapped("msisdn")), ["33612000001", "33612000002", "33612000003"]
        )
        second = lines.filtered(lambda line: line.msisdn == "33612000002")
        self.assertEqual(second.iccid, "8933150000000000002")
        self.assertEqual(second.partner_id.telecoop_member_number, "C0002")
        self.assertEqual(second.plan_id, self.plan_classic)
        self.assertEqual(second.activation_date, fields.Date.to_date("2022-09-15"))
        self.assertEqual(second.plan_history_ids.plan_id, self.plan_classic)
        third = lines.filtered(lambda line: line.msisdn == "33612000003")
        self.assertEqual(third.activation_date, fields.Date.to_date("2023-02-01"))

    def test_the_same_lines_twice_add_nothing(self):
        self._import().action_import()
        again = self._import()
        self.assertEqual(again.action_import(), [])
        self.assertEqual(again.line_count, 0)
        self.assertEqual(len(self._lines()), 3)

    def test_dry_run_reports_every_problem_of_the_lines(self):
        record = self._import(BAD_LINES.encode())
        record.action_check()
        self.assertEqual(
            {(p.file, p.line, p.column) for p in record.problem_ids},
            {
                ("lines.csv", 3, "msisdn"),
                ("lines.csv", 4, "msisdn"),
                ("lines.csv", 5, "holder"),
                ("lines.csv", 5, "plan"),
                ("lines.csv", 5, "activation_date"),
            },
        )
        self.assertFalse(self._lines())
        self.assertFalse(self.env["res.partner"].search([("telecoop_member_number", "=", "C0001")]))

    def test_a_holder_reference_of_another_company_is_not_found(self):
        """Red team: the lines file named its holder by contact reference, EXT-42, the
        reference of a contact that belongs to another hosted cooperative only: the
        line of this cooperative was given to that company's contact. A reference
        finds the contacts this cooperative may use (its own and the shared ones)."""
        other_company = self.env["res.company"].create({"name": "Other Lines Coop"})
        self.env["res.partner"].create(
            {"name": "Their Contact", "ref": "EXT-42", "company_id": other_company.id}
        )
        lines = (
            b"msisdn,iccid,holder,plan,activation_date\n33612000042,,EXT-42,Adjustable,2021-04-01\n"
        )
        record = self._import(lines)
        record.action_check()
        self.assertIn(
            ("lines.csv", 2, "holder"), {(p.file, p.line, p.column) for p in record.problem_ids}
        )
        self.assertFalse(self._lines())
        # a shared contact (no company) with that reference is found
        shared = self.env["res.partner"].create({"name": "Shared Contact", "ref": "EXT-43"})
        record = self._import(lines.replace(b"EXT-42", b"EXT-43").replace(b"042", b"043"))
        self.assertEqual(record.action_import(), [])
        self.assertEqual(self._lines().partner_id, shared)

    def test_lines_from_xlsx_with_typed_cells(self):
        """A spreadsheet keeps numbers as numbers and dates as dates: the same lines."""
        content = self._xlsx(
            [
                ("msisdn", "iccid", "holder", "plan", "activation_date"),
                (33612000001, "8933150000000000001", "C0001", "Adjustable", date(2021, 4, 1)),
                ("+33 6 12 00 00 02", None, "C0002", "Classic 9 GB", datetime(2022, 9, 15)),
            ]
        )
        record = self._import(content, "lines.xlsx")
        self.assertEqual(record.action_import(), [])
        lines = self._lines()
        self.assertEqual(
            sorted((line.msisdn, line.iccid or "", line.activation_date) for line in lines),
            [
                ("33612000001", "8933150000000000001", date(2021, 4, 1)),
                ("33612000002", "", date(2022, 9, 15)),
            ],
        )
        self.assertEqual(lines.partner_id.mapped("telecoop_member_number"), ["C0001", "C0002"])

    def test_xlsx_dry_run_names_the_cell(self):
        content = self._xlsx(
            [
                ("msisdn", "iccid", "holder", "plan", "activation_date"),
                (33612000001, None, "C0001", "Adjustable", date(2021, 4, 1)),
                (33612000005, None, "C0001", "No such plan", date(2021, 4, 1)),
            ]
        )
        record = self._import(content, "lines.xlsx")
        record.action_check()
        self.assertEqual(
            [(p.file, p.line, p.column) for p in record.problem_ids], [("lines.xlsx", 3, "plan")]
        )

    def test_a_bad_line_imports_nothing_at_all(self):
        """All or nothing: one bad line and the real run writes no member, no line."""
        record = self._import(BAD_LINES.encode())
        problems = record.action_import()
        self.assertTrue(problems)
        self.assertEqual(record.state, "failed")
        self.assertFalse(self._lines())
        self.assertFalse(self.env["res.partner"].search([("telecoop_member_number", "=", "C0001")]))
        self.assertEqual((record.member_count, record.line_count), (0, 0))
