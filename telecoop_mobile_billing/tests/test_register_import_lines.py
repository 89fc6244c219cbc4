# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

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
    def _import(self, lines=None):
        lines = example("telecoop_mobile_billing", "lines.csv") if lines is None else lines
        return self.env["telecoop.register.import"].create(
            {
                "company_id": self.company.id,
                "members_file": base64.b64encode(example("telecoop_membership", "members.csv")),
                "members_filename": "members.csv",
                "lines_file": base64.b64encode(lines),
                "lines_filename": "lines.csv",
            }
        )

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
