# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The share certificate printed in the back office, with two cooperatives hosted in one
database: each certificate is printed in the cooperative of its membership, whatever
the current company of the staff, and only by staff of that cooperative."""

import lxml.html

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import TelecoopCommon
from .pdf import pdf_text

FOOTER_A = "Test Coop SCIC, SCIC SAS à capital variable, RCS Lyon 111 111 111"
FOOTER_B = "Partner Coop SCOP, SCOP SA à capital variable, RCS Nantes 222 222 222"
CONTACT_REPORT = "telecoop_membership.telecoop_certificate_report"
MEMBERSHIP_REPORT = "telecoop_membership.telecoop_membership_certificate_report"


@tagged("post_install", "-at_install")
class TestCertificateCompanies(TelecoopCommon):
    """Camille holds 3 shares of Test Coop (A) and 7 of Partner Coop (B, number
    B-0042); Dora holds 5 shares of B only. Sam works in A and B (A current),
    Alex in A only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.report_footer = f"<p>{FOOTER_A}</p>"
        cls.company_b = cls.env["res.company"].create({"name": "Partner Coop SCOP"})
        cls.company_b.report_footer = f"<p>{FOOTER_B}</p>"
        cls.env.user.company_ids |= cls.company_b
        profile_b = cls.env["telecoop.statute.profile"].create(
            {
                "name": "Partner Coop statutes",
                "company_id": cls.company_b.id,
                "legal_form": "coop",
                "share_nominal_value": 50,
                "college_weight_min": 0,
                "college_weight_max": 100,
                "college_ids": [
                    Command.create({"name": "Workers", "code": "all", "vote_weight": 100})
                ],
            }
        )
        cls.class_b = cls.env["telecoop.share.class"].create(
            {
                "name": "Workers share",
                "company_id": cls.company_b.id,
                "nominal_value": 50,
                "college_id": profile_b.college_ids.id,
            }
        )
        cls.camille = cls._create_member("Camille Durand", shares=3, date="2025-03-01")
        cls.number_a = cls.camille.telecoop_member_number
        cls._join(cls.camille, 7, "B-0042")
        cls.dora = cls.env["res.partner"].create({"name": "Dora Martin"})
        cls._join(cls.dora, 5, "B-0043")
        Membership = cls.env["telecoop.membership"]
        cls.membership_a = Membership._get_for(cls.camille, cls.company)
        cls.membership_b = Membership._get_for(cls.camille, cls.company_b)
        groups = "base.group_user,telecoop_membership.telecoop_membership_group_user"
        cls.sam = new_test_user(
            cls.env, login="tc_sam_ab", groups=groups, company_id=cls.company.id,
            company_ids=(cls.company | cls.company_b).ids,
        )  # fmt: skip
        cls.alex = new_test_user(
            cls.env, login="tc_alex_a", groups=groups, company_id=cls.company.id,
            company_ids=cls.company.ids,
        )  # fmt: skip

    @classmethod
    def _join(cls, partner, shares, number):
        cls.env["telecoop.share.line"].create(
            {
                "company_id": cls.company_b.id,
                "partner_id": partner.id,
                "share_class_id": cls.class_b.id,
                "college_id": cls.class_b.college_id.id,
                "date": fields.Date.to_date("2024-06-01"),
                "movement_type": "issue",
                "quantity": shares,
                "amount": shares * 50,
            }
        )
        cls.env["telecoop.membership"].sudo().create(
            {
                "partner_id": partner.id,
                "company_id": cls.company_b.id,
                "state": "member",
                "college_id": cls.class_b.college_id.id,
                "admission_date": fields.Date.to_date("2024-06-01"),
                "member_number": number,
            }
        )

    def _env_of(self, user, companies):
        """The environment of ``user`` in the back office, current company first."""
        context = dict(self.env.context, allowed_company_ids=companies.ids)
        return self.env(user=user, context=context)

    def _print(self, env, report, res_ids):
        """The words of the PDF the back office prints (wkhtmltopdf, pdftotext)."""
        pdf, report_type = (
            env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, res_ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF-"))
        return " ".join(pdf_text(pdf).split())

    def assert_certificate_b(self, text, number="B-0042", shares=7):
        self.assertIn("Partner Coop SCOP", text)
        self.assertIn(FOOTER_B, text)
        self.assertIn(f"member number {number}", text)
        self.assertIn(f"holds {shares} share(s)", text)
        self.assertIn("of the college Workers", text)

    def test_contact_member_of_b_prints_in_b_from_a(self):
        # Sam works in A (current) and B: Dora's certificate is B's, with B's figures
        env = self._env_of(self.sam, self.company | self.company_b)
        self.assertEqual(env.company, self.company)
        text = self._print(env, CONTACT_REPORT, self.dora.ids)
        self.assert_certificate_b(text, "B-0043", 5)
        self.assertNotIn("Test Coop SCIC", text)
        self.assertNotIn(FOOTER_A, text)
        self.assertNotIn("holds 0 share(s)", text)

    def test_contact_member_of_both_prints_one_certificate_per_cooperative(self):
        """Two certificates, each in its own cooperative. Two documents in one PDF need
        the wkhtmltopdf "with patched Qt" (Debian's build refuses them, Odoo's tests
        are skipped there): their text is read from the HTML of the same report."""
        env = self._env_of(self.sam, self.company | self.company_b)
        html, __ = env["ir.actions.report"]._render_qweb_html(CONTACT_REPORT, self.camille.ids)
        # each certificate: its body and its footer (in HTML the layout's footer holds
        # the legal mentions, which the body leaves out so as to print them once)
        tree = lxml.html.fromstring(html)
        articles = tree.xpath("//div[contains(@class, 'article')]")
        footers = tree.xpath("//div[contains(concat(' ', @class, ' '), ' footer ')]")
        self.assertEqual(len(footers), len(articles))
        first, second = (
            " ".join((article.text_content() + " " + footer.text_content()).split())
            for article, footer in zip(articles, footers, strict=True)
        )
        # A's first (her certificate in A: A's number, 3 shares), then B's
        for text in (first, second):
            self.assertIn("This certifies that Camille Durand", text)
        self.assertIn("Test Coop SCIC", first)
        self.assertIn(f"member number {self.number_a}", first)
        self.assertIn("holds 3 share(s)", first)
        self.assertEqual(first.count(FOOTER_A), 1, first)
        self.assertNotIn("B-0042", first)
        self.assert_certificate_b(second)
        self.assertNotIn("Test Coop SCIC", second)
        self.assertNotIn(FOOTER_A, second)
        self.assertNotIn("holds 3 share(s)", second)

    def test_membership_button_prints_in_its_cooperative(self):
        env = self._env_of(self.sam, self.company | self.company_b)
        action = self.membership_b.with_env(env).action_print_certificate()
        self.assertEqual(action["type"], "ir.actions.report")
        text = self._print(env, action["report_name"], action["context"]["active_ids"])
        self.assert_certificate_b(text)
        self.assertNotIn("Test Coop SCIC", text)
        self.assertNotIn(self.number_a, text)
        self.assertNotIn("holds 3 share(s)", text)

    def test_staff_of_a_only_cannot_print_b(self):
        env = self._env_of(self.alex, self.company)
        # the button of B's membership, its report (print menu, URL), or B in the context
        with self.assertRaises(AccessError):
            self.membership_b.with_env(env).action_print_certificate()
        with self.assertRaises(AccessError):
            self._print(env, MEMBERSHIP_REPORT, self.membership_b.ids)
        with self.assertRaises(AccessError):
            self._print(
                self._env_of(self.alex, self.company | self.company_b),
                CONTACT_REPORT,
                self.dora.ids,
            )
        # the contact of a member of B only: nothing of B, a sentence
        with self.assertRaisesRegex(UserError, "Dora Martin has no member number in Test Coop"):
            self._print(env, CONTACT_REPORT, self.dora.ids)
        # Camille's contact from A: her certificate in A only
        text = self._print(env, CONTACT_REPORT, self.camille.ids)
        self.assertEqual(text.count("This certifies that"), 1)
        self.assertIn("holds 3 share(s)", text)
        self.assertNotIn("B-0042", text)
        self.assertNotIn("Partner Coop SCOP", text)
