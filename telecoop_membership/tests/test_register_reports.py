# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
import re
import zipfile

from odoo.tests import HttpCase, tagged

from .common import TelecoopCommon
from .pdf import PdfRouteMixin


@tagged("post_install", "-at_install")
class TestRegisterReports(TelecoopCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alice = cls._create_member("Alice Register", shares=3, date="2025-03-01")
        cls.bob = cls._create_member("Bob Register", shares=1, date="2025-06-10")

    def _wizard(self, at):
        return self.env["telecoop.register.wizard"].create(
            {"company_id": self.company.id, "date": at}
        )

    def test_csv_export_at_a_past_date(self):
        csv_text = self._wizard("2025-04-01")._get_csv()
        lines = csv_text.strip().splitlines()
        self.assertEqual(len(lines), 2)
        self.assertIn("Alice Register", lines[1])
        self.assertIn(",3,300.00", lines[1])
        later = self._wizard("2025-12-31")._get_csv().strip().splitlines()
        self.assertEqual(len(later), 3)

    def test_csv_action_returns_a_download(self):
        action = self._wizard("2025-12-31").action_export_csv()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn("download=true", action["url"])

    def test_xlsx_export_holds_the_rows(self):
        content = self._wizard("2025-12-31")._get_xlsx()
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            strings = archive.read("xl/sharedStrings.xml").decode()
        self.assertIn("Alice Register", strings)
        self.assertIn("Bob Register", strings)
        self.assertIn(self.bob.telecoop_member_number, strings)


@tagged("post_install", "-at_install")
class TestRegisterReportPdf(PdfRouteMixin, TelecoopCommon, HttpCase):
    """The register and the certificate as staff print them: the PDF of the report route
    the web client downloads, rendered by wkhtmltopdf, its words read back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alice = cls._create_member("Alice Register", shares=3, date="2025-03-01")
        cls.bob = cls._create_member("Bob Register", shares=1, date="2025-06-10")

    def _register_pdf(self, at):
        wizard = self.env["telecoop.register.wizard"].create(
            {"company_id": self.company.id, "date": at}
        )
        report = self.env.ref("telecoop_membership.telecoop_register_report")
        return self.download_pdf(f"/report/pdf/{report.report_name}/{wizard.id}")

    def test_register_pdf_lists_the_members_of_the_date_and_the_total(self):
        self.authenticate("tc_membership_user", "tc_membership_user")
        text = self._register_pdf("2025-12-31")
        self.assertIn("Register of members at", text)
        # one row per member: number, name, college, shares, amount (100.00 a share)
        for partner, shares, amount in ((self.alice, 3, "300.00"), (self.bob, 1, "100.00")):
            number = re.escape(partner.telecoop_member_number)
            row = rf"{number}\s+{partner.name}\s+.*\s{shares}\s+\D*{amount}"
            self.assertRegex(text, row)
        self.assertRegex(text, r"Total\s+4\s+\D*400\.00")
        # in April Bob was not a member yet
        text = self._register_pdf("2025-04-01")
        self.assertIn("Alice Register", text)
        self.assertNotIn("Bob Register", text)
        self.assertRegex(text, r"Total\s+3\s+\D*300\.00")

    def test_certificate_printed_by_staff(self):
        self.authenticate("tc_membership_user", "tc_membership_user")
        report = self.env.ref("telecoop_membership.telecoop_certificate_report")
        text = self.download_pdf(f"/report/pdf/{report.report_name}/{self.alice.id}")
        self.assertIn("Share certificate", text)
        self.assertIn("Alice Register", text)
        self.assertIn(self.alice.telecoop_member_number, text)
        self.assertNotIn("Bob Register", text)
