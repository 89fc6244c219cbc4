# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""/my/shares of a person who is a member of two cooperatives hosted in one database."""

import re

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.http import Request
from odoo.tests import HttpCase, new_test_user, tagged

from .common_accounting import TelecoopAccountingCommon
from .pdf import PdfRouteMixin

FOOTER_A = "Test Coop SCIC, SCIC SAS à capital variable, RCS Lyon 111 111 111"
FOOTER_B = "Partner Coop SCOP, SCOP SA à capital variable, RCS Nantes 222 222 222"


@tagged("post_install", "-at_install")
class TestPortalTwoCooperatives(PdfRouteMixin, TelecoopAccountingCommon, HttpCase):
    """Camille is a member of Test Coop (A, 2 shares) and of Partner Coop (B, 4 shares,
    number B-0042); her account also reaches a third cooperative (C) where she holds
    nothing. Member Two is a member of A only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.report_footer = f"<p>{FOOTER_A}</p>"
        cls.company_b = cls._make_cooperative("Partner Coop SCOP", "Workers share", 50)
        cls.company_b.report_footer = f"<p>{FOOTER_B}</p>"
        cls.class_b = cls.env["telecoop.share.class"].search(
            [("company_id", "=", cls.company_b.id)]
        )
        cls.company_c = cls._make_cooperative("Third Coop", "Third share", 20)
        cls.class_c = cls.env["telecoop.share.class"].search(
            [("company_id", "=", cls.company_c.id)]
        )
        # a cooperative outside Camille's account
        cls.company_d = cls._make_cooperative("Outside Coop", "Outside share", 10)
        cls.class_d = cls.env["telecoop.share.class"].search(
            [("company_id", "=", cls.company_d.id)]
        )
        cls.camille_user = new_test_user(
            cls.env,
            login="tc_camille",
            groups="base.group_portal",
            company_id=cls.company.id,
            company_ids=(cls.company | cls.company_b | cls.company_c).ids,
        )
        cls.camille = cls.camille_user.partner_id
        cls.camille.name = "Camille Durand"
        cls.two_user = new_test_user(
            cls.env,
            login="tc_two",
            groups="base.group_portal",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )
        cls.two = cls.two_user.partner_id
        cls.two.name = "Member Two"
        cls._subscribe_paid(cls.camille, quantity=2)
        cls._subscribe_paid(cls.two, quantity=10)
        cls._join(cls.camille, cls.company_b, cls.class_b, 4, "B-0042", "2024-06-01")
        cls.membership_a = cls.env["telecoop.membership"]._get_for(cls.camille, cls.company)
        cls.membership_b = cls.env["telecoop.membership"]._get_for(cls.camille, cls.company_b)
        cls.membership_two = cls.env["telecoop.membership"]._get_for(cls.two, cls.company)
        cls.number_a = cls.membership_a.member_number

    @classmethod
    def _make_cooperative(cls, name, class_name, nominal_value):
        company = cls.env["res.company"].create({"name": name})
        cls.env.user.company_ids |= company
        profile = cls.env["telecoop.statute.profile"].create(
            {
                "name": f"{name} statutes",
                "company_id": company.id,
                "legal_form": "coop",
                "share_nominal_value": nominal_value,
                "college_weight_min": 0,
                "college_weight_max": 100,
                "college_ids": [Command.create({"name": "All", "code": "all", "vote_weight": 100})],
            }
        )
        cls.env["telecoop.share.class"].create(
            {
                "name": class_name,
                "company_id": company.id,
                "nominal_value": nominal_value,
                "college_id": profile.college_ids.id,
            }
        )
        return company

    @classmethod
    def _join(cls, partner, company, share_class, shares, number, on_date):
        cls.env["telecoop.share.line"].create(
            {
                "company_id": company.id,
                "partner_id": partner.id,
                "share_class_id": share_class.id,
                "college_id": share_class.college_id.id,
                "date": fields.Date.to_date(on_date),
                "movement_type": "issue",
                "quantity": shares,
                "amount": shares * share_class.nominal_value,
            }
        )
        cls.env["telecoop.membership"].sudo().create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "state": "member",
                "college_id": share_class.college_id.id,
                "admission_date": fields.Date.to_date(on_date),
                "member_number": number,
            }
        )

    # -- helpers ---------------------------------------------------------------------

    def _sections(self, html):
        """{company id: the HTML of its section of /my/shares}"""
        parts = re.split(r'(?=<div class="o_telecoop_cooperative )', html)
        sections = {}
        for part in parts[1:]:
            company_id = int(re.search(r'data-company-id="(\d+)"', part).group(1))
            sections[company_id] = part
        return sections

    def _as(self, user, model):
        """``model`` as ``user`` works in the portal: in every cooperative of the account."""
        return (
            self.env[model].with_user(user).with_context(allowed_company_ids=user.company_ids.ids)
        )

    def _post(self, url, **data):
        return self.url_open(url, data={**data, "csrf_token": Request.csrf_token(self)})

    def _requests(self, **domain):
        return self.env["telecoop.subscription.request"].search(
            [("partner_id", "=", self.camille.id), ("source", "=", "portal")]
            + [(name, "=", value) for name, value in domain.items()]
        )

    # -- the page ---------------------------------------------------------------------

    def test_member_of_two_sees_both_sections_with_both_numbers(self):
        self.authenticate("tc_camille", "tc_camille")
        page = self.url_open("/my/shares")
        self.assertEqual(page.status_code, 200)
        self.assertRegex(page.text, r'breadcrumb-item active">\s*My shares')
        sections = self._sections(page.text)
        # her account's cooperative first, then the others
        self.assertEqual(list(sections), [self.company.id, self.company_b.id, self.company_c.id])
        self.assertNotIn(self.company_d.id, sections)
        a, b, c = (sections[k.id] for k in (self.company, self.company_b, self.company_c))
        self.assertIn("Test Coop SCIC", a)
        self.assertIn(f'o_telecoop_member_number">{self.number_a}<', a)
        self.assertIn('o_telecoop_share_count">2<', a)
        self.assertNotIn("B-0042", a)
        self.assertIn("Partner Coop SCOP", b)
        self.assertIn('o_telecoop_member_number">B-0042<', b)
        self.assertIn('o_telecoop_share_count">4<', b)
        self.assertIn(">All<", b, "the college of B")
        self.assertNotIn(self.number_a, b)
        self.assertIn(f'href="/my/shares/{self.membership_a.id}/certificate"', a)
        self.assertIn(f'href="/my/shares/{self.membership_b.id}/certificate"', b)
        # each form carries its cooperative and offers its classes only
        for html, company, share_class in (
            (a, self.company, self.share_class),
            (b, self.company_b, self.class_b),
            (c, self.company_c, self.class_c),
        ):
            with self.subTest(company=company.name):
                self.assertIn(f'name="company_id" value="{company.id}"', html)
                offered = set(re.findall(r'<option value="(\d+)"', html))
                self.assertEqual(offered, {str(share_class.id)})
        # C: nothing held there, so a subscription form and no buy-back form
        self.assertIn("You hold no share yet.", c)
        self.assertIn("o_telecoop_subscribe_form", c)
        self.assertNotIn("o_telecoop_buyback_form", c)
        self.assertIn("o_telecoop_buyback_form", b)

    def test_home_counter_counts_across_her_cooperatives(self):
        self.authenticate("tc_camille", "tc_camille")
        response = self.url_open(
            "/my/counters", json={"params": {"counters": ["telecoop_share_count"]}}
        )
        self.assertEqual(response.json()["result"]["telecoop_share_count"], 6, "2 in A + 4 in B")

    # -- the certificates ----------------------------------------------------------------

    def test_each_certificate_is_of_its_cooperative(self):
        self.authenticate("tc_camille", "tc_camille")
        text_a = self.download_pdf(f"/my/shares/{self.membership_a.id}/certificate")
        text_b = self.download_pdf(f"/my/shares/{self.membership_b.id}/certificate")
        flat_a, flat_b = (" ".join(text.split()) for text in (text_a, text_b))
        self.assertIn("Camille Durand", flat_a)
        self.assertIn("Test Coop SCIC", flat_a)
        self.assertIn(f"member number {self.number_a}", flat_a)
        self.assertIn("holds 2 share(s)", flat_a)
        # the legal mentions once (in the footer, or in the body where no footer prints)
        self.assertEqual(flat_a.count(FOOTER_A), 1, flat_a)
        self.assertNotIn("B-0042", flat_a)
        self.assertNotIn("Partner Coop", flat_a)
        self.assertIn("Camille Durand", flat_b)
        self.assertIn("Partner Coop SCOP", flat_b)
        self.assertIn("member number B-0042", flat_b)
        self.assertIn("holds 4 share(s)", flat_b)
        self.assertIn("Workers share", flat_b)
        self.assertEqual(flat_b.count(FOOTER_B), 1, flat_b)
        self.assertNotIn(self.number_a, flat_b)
        self.assertNotIn("Test Coop", flat_b)
        # the file is named after the number of that cooperative
        response = self.url_open(f"/my/shares/{self.membership_b.id}/certificate?download=1")
        self.assertIn("Share_certificate_B_0042.pdf", response.headers["Content-Disposition"])
        # the older link: the cooperative of her account
        text = " ".join(self.download_pdf("/my/shares/certificate").split())
        self.assertIn(f"member number {self.number_a}", text)

    def test_second_member_is_refused_her_certificates(self):
        self.authenticate("tc_two", "tc_two")
        for membership in (self.membership_a, self.membership_b):
            with self.subTest(membership=membership.company_id.name):
                response = self.url_open(
                    f"/my/shares/{membership.id}/certificate", allow_redirects=False
                )
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("Camille", response.text)
        missing = self.env["telecoop.membership"].search([], order="id desc", limit=1).id + 1000
        response = self.url_open(f"/my/shares/{missing}/certificate", allow_redirects=False)
        self.assertEqual(response.status_code, 404)
        # her own, of course
        text = self.download_pdf(f"/my/shares/{self.membership_two.id}/certificate")
        self.assertIn("Member Two", text)
        self.assertNotIn("Camille", text)

    # -- the forms -------------------------------------------------------------------

    def test_subscription_through_the_form_of_b_lands_in_b(self):
        self.authenticate("tc_camille", "tc_camille")
        response = self._post(
            "/my/shares/subscribe",
            company_id=self.company_b.id,
            share_class_id=self.class_b.id,
            quantity="3",
        )
        self.assertEqual(response.status_code, 200)
        request = self._requests()
        self.assertEqual(len(request), 1)
        self.assertEqual(
            (request.company_id, request.share_class_id, request.quantity, request.amount),
            (self.company_b, self.class_b, 3, 150.0),
        )
        self.assertFalse(self._requests(company_id=self.company.id), "nothing in A")
        self.assertIn(request.name, response.text)
        # listed in B's section of the page, not in A's
        sections = self._sections(self.url_open("/my/shares").text)
        self.assertIn(request.name, sections[self.company_b.id])
        self.assertNotIn(request.name, sections[self.company.id])

    def test_a_class_of_another_cooperative_posted_by_hand_is_refused(self):
        self.authenticate("tc_camille", "tc_camille")
        cases = [
            # A's class in B's form: a class of the cooperative she may subscribe in,
            # but not the cooperative the form names
            (self.company_b.id, self.share_class.id, "is not offered by Partner Coop SCOP"),
            (self.company.id, self.class_b.id, "is not offered by Test Coop SCIC"),
            # a cooperative outside her account, with or without its name
            (self.company_d.id, self.class_d.id, "This share class is not offered by your"),
            ("", self.class_d.id, "This share class is not offered by your"),
            (self.company_b.id, self.class_d.id, "This share class is not offered by your"),
        ]
        for company_id, class_id, sentence in cases:
            with self.subTest(company_id=company_id, class_id=class_id):
                response = self._post(
                    "/my/shares/subscribe",
                    company_id=company_id,
                    share_class_id=class_id,
                    quantity="1",
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn("alert-danger", response.text)
                self.assertIn(sentence, response.text)
                self.assertNotIn("Uh-oh", response.text)
        self.assertFalse(self._requests())
        # the model refuses it too, whoever calls it
        requests = self._as(self.camille_user, "telecoop.subscription.request")
        with self.assertRaisesRegex(UserError, "not offered by Partner Coop SCOP"):
            requests._portal_subscribe(self.camille, self.share_class, 1, self.company_b)
        with self.assertRaisesRegex(UserError, "not offered by your cooperative"):
            requests._portal_subscribe(self.camille, self.class_d, 1)
        # Member Two's account reaches A only: B's class is not hers to subscribe
        with self.assertRaisesRegex(UserError, "not offered by your cooperative"):
            self._as(self.two_user, "telecoop.subscription.request")._portal_subscribe(
                self.two, self.class_b, 1, self.company_b
            )
        self.assertFalse(
            self.env["telecoop.subscription.request"].search(
                [("share_class_id", "in", (self.class_b | self.class_d).ids)]
            )
        )

    def test_a_contact_of_a_asking_for_shares_of_b_is_refused_in_a_sentence(self):
        """Red team: Dana's contact belongs to A (staff of A recorded it), her account
        reaches A and B; she posted B's subscription form and got Odoo's raw "company
        inconsistencies" error. Refused in a sentence, nothing filed; in A she may."""
        dana_user = new_test_user(
            self.env,
            login="tc_dana",
            groups="base.group_portal",
            company_id=self.company.id,
            company_ids=(self.company | self.company_b).ids,
        )
        dana = dana_user.partner_id
        dana.company_id = self.company
        self.authenticate("tc_dana", "tc_dana")
        response = self._post(
            "/my/shares/subscribe",
            company_id=self.company_b.id,
            share_class_id=self.class_b.id,
            quantity="1",
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("alert-danger", response.text)
        self.assertIn("Your contact details belong to Test Coop SCIC only", response.text)
        self.assertNotIn("Uh-oh", response.text)
        requests = self.env["telecoop.subscription.request"]
        self.assertFalse(requests.search([("partner_id", "=", dana.id)]))
        response = self._post(
            "/my/shares/subscribe",
            company_id=self.company.id,
            share_class_id=self.share_class.id,
            quantity="1",
        )
        self.assertEqual(response.status_code, 200)
        request = requests.search([("partner_id", "=", dana.id)])
        self.assertEqual((request.company_id, request.quantity), (self.company, 1))

    def test_buyback_where_she_holds_nothing_is_refused(self):
        self.authenticate("tc_camille", "tc_camille")
        Buyback = self.env["telecoop.share.buyback"]
        cases = [
            (self.company_c.id, self.class_c.id, "holds no share of Third Coop"),
            (self.company.id, self.class_b.id, "is not offered by Test Coop SCIC"),
            (self.company_d.id, self.class_d.id, "This share class is not offered by your"),
        ]
        for company_id, class_id, sentence in cases:
            with self.subTest(company_id=company_id):
                response = self._post(
                    "/my/shares/buyback",
                    company_id=company_id,
                    share_class_id=class_id,
                    quantity="1",
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn(sentence, response.text)
        self.assertFalse(Buyback.search([("partner_id", "=", self.camille.id)]))
        with self.assertRaisesRegex(UserError, "holds no share of Third Coop"):
            self._as(self.camille_user, "telecoop.share.buyback")._portal_request(
                self.camille, self.class_c, 1, False, self.company_c
            )
        # in B, where she holds 4: filed in B
        response = self._post(
            "/my/shares/buyback",
            company_id=self.company_b.id,
            share_class_id=self.class_b.id,
            quantity="1",
        )
        buyback = Buyback.search([("partner_id", "=", self.camille.id)])
        self.assertEqual((buyback.company_id, buyback.quantity), (self.company_b, 1))

    def test_leaving_one_cooperative_leaves_the_other_section_intact(self):
        self.profile.write({"capital_floor": 300, "buyback_delay_months": 0})
        self.env["telecoop.share.buyback"].create(
            {
                "company_id": self.company.id,
                "partner_id": self.camille.id,
                "share_class_id": self.share_class.id,
                "quantity": 2,
                "request_date": "2026-03-15",
                "decision_date": "2026-04-01",
            }
        ).action_approve()
        self.authenticate("tc_camille", "tc_camille")
        sections = self._sections(self.url_open("/my/shares").text)
        a, b = sections[self.company.id], sections[self.company_b.id]
        self.assertIn("Former member", a)
        self.assertIn('o_telecoop_share_count">0<', a)
        self.assertNotIn("o_telecoop_buyback_form", a)
        self.assertIn('o_telecoop_member_number">B-0042<', b)
        self.assertIn('o_telecoop_share_count">4<', b)
        self.assertIn("o_telecoop_buyback_form", b)
        self.assertNotIn("Former member", b)
        text = " ".join(self.download_pdf(f"/my/shares/{self.membership_b.id}/certificate").split())
        self.assertIn("holds 4 share(s)", text)
