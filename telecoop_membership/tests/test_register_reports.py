# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
import zipfile

from odoo.tests import tagged

from .common import TelecoopCommon


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

    def test_register_pdf_renders_members_and_total(self):
        wizard = self._wizard("2025-12-31")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("telecoop_membership.telecoop_register_report", wizard.ids)[0]
            .decode()
        )
        self.assertIn("Alice Register", html)
        self.assertIn("Bob Register", html)
        self.assertIn(self.alice.telecoop_member_number, html)

    def test_certificate_renders_the_holding(self):
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("telecoop_membership.telecoop_certificate_report", self.alice.ids)[0]
            .decode()
        )
        self.assertIn(self.alice.telecoop_member_number, html)
        self.assertIn("Alice Register", html)

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
