# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from urllib.parse import urlsplit

from odoo import Command
from odoo.http import Request
from odoo.tests import HttpCase, new_test_user, tagged

from .common_accounting import TelecoopAccountingCommon
from .pdf import PdfRouteMixin


@tagged("post_install", "-at_install")
class TestMembershipPortal(PdfRouteMixin, TelecoopAccountingCommon, HttpCase):
    """Two portal members: each sees and changes only what is theirs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_args = {"company_id": cls.company.id, "company_ids": cls.company.ids}
        cls.member_one = new_test_user(
            cls.env, login="tc_member_one", groups="base.group_portal", **company_args
        )
        cls.member_two = new_test_user(
            cls.env, login="tc_member_two", groups="base.group_portal", **company_args
        )
        cls.member_one.partner_id.name = "Member One"
        cls.member_two.partner_id.name = "Member Two"
        cls.request_one = cls._subscribe_paid(cls.member_one.partner_id, quantity=2)
        cls.request_two = cls._subscribe_paid(cls.member_two.partner_id, quantity=1)
        cls.pending_one = cls._request(cls.member_one.partner_id, quantity=1)
        cls.pending_one.action_validate()
        cls.buyback_one = cls.env["telecoop.share.buyback"].create(
            {
                "company_id": cls.company.id,
                "partner_id": cls.member_one.partner_id.id,
                "share_class_id": cls.share_class.id,
                "quantity": 1,
            }
        )

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def test_member_sees_own_shares_requests_and_invoice_to_pay(self):
        self.authenticate("tc_member_one", "tc_member_one")
        page = self.url_open("/my/shares")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.member_one.partner_id.telecoop_member_number, page.text)
        self.assertIn(self.request_one.name, page.text)
        self.assertIn(self.buyback_one.name, page.text)
        self.assertNotIn(self.request_two.name, page.text)
        detail = self.url_open(f"/my/shares/requests/{self.pending_one.id}")
        self.assertEqual(detail.status_code, 200)
        self.assertIn(self.pending_one.invoice_id.get_portal_url(), detail.text)
        buyback = self.url_open(f"/my/shares/buybacks/{self.buyback_one.id}")
        self.assertEqual(buyback.status_code, 200)
        self.assertIn(self.buyback_one.name, buyback.text)

    def test_member_downloads_own_certificate(self):
        """The link of /my/shares, as the member clicks it: a PDF with their name on it."""
        self.authenticate("tc_member_one", "tc_member_one")
        page = self.url_open("/my/shares")
        membership = self.member_one.partner_id.telecoop_membership_ids
        self.assertIn(f'href="/my/shares/{membership.id}/certificate', page.text)
        # the link of the cooperative's section, and the older link of the only one
        for url in (f"/my/shares/{membership.id}/certificate", "/my/shares/certificate"):
            with self.subTest(url=url):
                text = self.download_pdf(url)
                self.assertIn("Share certificate", text)
                self.assertIn("Member One", text)
                self.assertIn(self.member_one.partner_id.telecoop_member_number, text)
                self.assertNotIn("Member Two", text)
        response = self.url_open("/my/shares/certificate?download=1")
        self.assertIn("attachment;", response.headers["Content-Disposition"])
        number = self.member_one.partner_id.telecoop_member_number.replace("-", "_")
        self.assertIn(f"Share_certificate_{number}.pdf", response.headers["Content-Disposition"])

    def test_second_member_cannot_reach_the_first_members_documents(self):
        self.authenticate("tc_member_two", "tc_member_two")
        # url: where the second member is sent (the path of the redirect)
        urls = {
            f"/my/shares/requests/{self.request_one.id}": "/my",
            f"/my/shares/requests/{self.pending_one.id}": "/my",
            f"/my/shares/buybacks/{self.buyback_one.id}": "/my",
            f"/my/invoices/{self.pending_one.invoice_id.id}": "/my",
            f"/my/invoices/{self.pending_one.invoice_id.id}?report_type=pdf": "/my",
        }
        for url, landing in urls.items():
            with self.subTest(url=url):
                response = self._get(url)
                self.assertEqual(response.status_code, 303, response.text[:300])
                self.assertEqual(urlsplit(response.headers["Location"]).path, landing)
                # and the page they land on, followed, shows nothing of the first member
                followed = self.url_open(url)
                self.assertEqual(followed.status_code, 200)
                self.assertEqual(urlsplit(followed.url).path, landing)
                self.assertNotIn("Member One", followed.text)
        # The certificate route only ever shows one's own certificate.
        certificate = self.download_pdf("/my/shares/certificate")
        self.assertIn("Member Two", certificate)
        self.assertNotIn("Member One", certificate)
        self.assertNotIn(self.member_one.partner_id.telecoop_member_number, certificate)
        page = self.url_open("/my/shares")
        self.assertNotIn(self.request_one.name, page.text)
        self.assertNotIn(self.buyback_one.name, page.text)

    def test_anonymous_visitor_is_sent_to_login(self):
        for url in (
            "/my/shares",
            "/my/shares/certificate",
            f"/my/shares/requests/{self.request_one.id}",
        ):
            with self.subTest(url=url):
                response = self._get(url)
                self.assertEqual(response.status_code, 303)
                self.assertIn("/web/login", response.headers["Location"])

    def test_portal_subscription_and_buyback_requests(self):
        self.authenticate("tc_member_two", "tc_member_two")
        csrf_token = Request.csrf_token(self)
        response = self.url_open(
            "/my/shares/subscribe",
            data={"share_class_id": self.share_class.id, "quantity": "2", "csrf_token": csrf_token},
        )
        self.assertEqual(response.status_code, 200)
        request = self.env["telecoop.subscription.request"].search(
            [("partner_id", "=", self.member_two.partner_id.id), ("source", "=", "portal")]
        )
        self.assertEqual((request.quantity, request.state), (2, "draft"))
        self.assertIn(request.name, response.text)
        response = self.url_open(
            "/my/shares/buyback",
            data={"share_class_id": self.share_class.id, "quantity": "1", "csrf_token": csrf_token},
        )
        buyback = self.env["telecoop.share.buyback"].search(
            [("partner_id", "=", self.member_two.partner_id.id)]
        )
        self.assertEqual((buyback.quantity, buyback.state, buyback.source), (1, "draft", "portal"))

    def test_portal_refuses_bad_quantities_with_a_message(self):
        self.authenticate("tc_member_two", "tc_member_two")
        csrf_token = Request.csrf_token(self)
        for quantity in ("0", "-3", "abc", "60"):
            with self.subTest(quantity=quantity):
                response = self.url_open(
                    "/my/shares/subscribe",
                    data={
                        "share_class_id": self.share_class.id,
                        "quantity": quantity,
                        "csrf_token": csrf_token,
                    },
                )
                self.assertIn("alert-danger", response.text)
        response = self.url_open(
            "/my/shares/buyback",
            data={"share_class_id": self.share_class.id, "quantity": "5", "csrf_token": csrf_token},
        )
        self.assertIn("alert-danger", response.text)
        self.assertFalse(
            self.env["telecoop.subscription.request"].search(
                [("partner_id", "=", self.member_two.partner_id.id), ("source", "=", "portal")]
            )
        )
        self.assertFalse(
            self.env["telecoop.share.buyback"].search(
                [("partner_id", "=", self.member_two.partner_id.id)]
            )
        )

    def test_portal_members_read_only_their_records(self):
        lines = self.env["telecoop.share.line"].with_user(self.member_two).search([])
        self.assertEqual(lines.partner_id, self.member_two.partner_id)
        requests = self.env["telecoop.subscription.request"].with_user(self.member_two).search([])
        self.assertEqual(requests, self.request_two)

    def test_tour_member_subscribes_one_share(self):
        self.start_tour("/my/shares", "telecoop_membership_subscribe_tour", login="tc_member_two")
        request = self.env["telecoop.subscription.request"].search(
            [("partner_id", "=", self.member_two.partner_id.id), ("source", "=", "portal")]
        )
        self.assertEqual((request.quantity, request.state), (1, "draft"))

    def test_portal_cannot_subscribe_another_cooperatives_class(self):
        other_company = self.env["res.company"].create({"name": "Other Portal Coop"})
        other_profile = self.env["telecoop.statute.profile"].create(
            {
                "name": "Other statutes",
                "company_id": other_company.id,
                "legal_form": "coop",
                "college_weight_min": 0,
                "college_weight_max": 100,
                "college_ids": [Command.create({"name": "All", "code": "all", "vote_weight": 100})],
            }
        )
        other_class = self.env["telecoop.share.class"].create(
            {
                "name": "Other share",
                "company_id": other_company.id,
                "college_id": other_profile.college_ids.id,
                "nominal_value": 10,
            }
        )
        self.authenticate("tc_member_two", "tc_member_two")
        self.url_open(
            "/my/shares/subscribe",
            data={
                "share_class_id": other_class.id,
                "quantity": "1",
                "csrf_token": Request.csrf_token(self),
            },
        )
        self.assertFalse(
            self.env["telecoop.subscription.request"].search(
                [("share_class_id", "=", other_class.id)]
            )
        )

    def test_portal_home_counts_my_shares(self):
        self.authenticate("tc_member_one", "tc_member_one")
        response = self.url_open(
            "/my/counters", json={"params": {"counters": ["telecoop_share_count"]}}
        )
        self.assertEqual(response.json()["result"]["telecoop_share_count"], 2)

    def test_portal_shares_page_breadcrumbs_and_tile_icon(self):
        self.authenticate("tc_member_one", "tc_member_one")
        home = self.url_open("/my/home")
        self.assertIn('src="/telecoop_membership/static/src/img/shares.svg"', home.text)
        page = self.url_open("/my/shares")
        self.assertIn("o_portal_submenu", page.text)
        self.assertRegex(page.text, r'breadcrumb-item active">\s*My shares')

    # -- who may reach the buy-back route and the shared links ---------------------
    def test_buyback_route_by_a_visitor_a_portal_non_member_and_a_member(self):
        Buyback = self.env["telecoop.share.buyback"]
        before = Buyback.search_count([])
        data = {"share_class_id": self.share_class.id, "quantity": "1"}
        # a visitor is sent to log in, nothing is created
        response = self.url_open("/my/shares/buyback", data=data, allow_redirects=False)
        self.assertIn(response.status_code, (302, 303, 400))
        if response.status_code != 400:
            self.assertIn("/web/login", response.headers["Location"])
        self.assertEqual(Buyback.search_count([]), before)
        # a portal user who holds no share is told why, in a sentence
        self.authenticate("tc_portal", "tc_portal")
        response = self.url_open(
            "/my/shares/buyback", data={**data, "csrf_token": Request.csrf_token(self)}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Buyback.search_count([]), before)
        self.assertNotIn("Uh-oh", response.text)
        self.assertNotIn("AccessError", response.text)
        # a member cannot sell back more than they hold (Member Two holds 1)
        self.authenticate("tc_member_two", "tc_member_two")
        response = self.url_open(
            "/my/shares/buyback",
            data={**data, "quantity": "2", "csrf_token": Request.csrf_token(self)},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Buyback.search_count([]), before)
        self.assertNotIn("Uh-oh", response.text)

    def test_access_tokens_of_requests_and_buybacks(self):
        """A forged or another document's token opens nothing; the document's own
        token is the share link Odoo's portal gives (it opens that document only)."""
        request_token = self.request_one._portal_ensure_token()
        buyback_token = self.buyback_one._portal_ensure_token()
        self.authenticate("tc_member_two", "tc_member_two")
        refused = [
            f"/my/shares/requests/{self.request_one.id}?access_token=forged",
            f"/my/shares/requests/{self.request_one.id}?access_token={buyback_token}",
            f"/my/shares/buybacks/{self.buyback_one.id}?access_token={request_token}",
            f"/my/shares/buybacks/{self.buyback_one.id}?access_token=",
        ]
        for url in refused:
            with self.subTest(url=url):
                response = self._get(url)
                self.assertIn(response.status_code, (302, 303))
                self.assertTrue(response.headers["Location"].endswith("/my"), response.headers)
                self.assertNotIn("Member One", self.url_open(url).text)
        shared = self.url_open(
            f"/my/shares/buybacks/{self.buyback_one.id}?access_token={buyback_token}"
        )
        self.assertEqual(shared.status_code, 200)
        self.assertIn(self.buyback_one.name, shared.text)
        # a visitor with the valid token still has to log in (auth="user" routes)
        self.session = None
        self.opener.cookies.clear()
        response = self._get(
            f"/my/shares/requests/{self.request_one.id}?access_token={request_token}"
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])

    def test_another_cooperatives_class_refused_in_a_sentence(self):
        """Another cooperative's class: refused in a sentence, never the raw access
        error ("Uh-oh..."), and nothing is filed."""
        other_company = self.env["res.company"].create({"name": "Other Sentence Coop"})
        profile = self.env["telecoop.statute.profile"].create(
            {
                "name": "Other statutes", "company_id": other_company.id, "legal_form": "coop",
                "college_weight_min": 0, "college_weight_max": 100,
                "college_ids": [Command.create({"name": "All", "code": "all", "vote_weight": 100})],
            }
        )  # fmt: skip
        other_class = self.env["telecoop.share.class"].create(
            {"name": "Other share", "company_id": other_company.id,
             "college_id": profile.college_ids.id, "nominal_value": 10}
        )  # fmt: skip
        self.authenticate("tc_member_two", "tc_member_two")
        for route in ("/my/shares/subscribe", "/my/shares/buyback"):
            response = self.url_open(
                route,
                data={"share_class_id": other_class.id, "quantity": "1",
                      "csrf_token": Request.csrf_token(self)},
            )  # fmt: skip
            self.assertEqual(response.status_code, 200)
            self.assertNotIn("Uh-oh", response.text)
            self.assertNotIn("top-secret", response.text)
            self.assertIn("This share class is not offered by your cooperative.", response.text)
        for model in ("telecoop.subscription.request", "telecoop.share.buyback"):
            self.assertFalse(self.env[model].search([("share_class_id", "=", other_class.id)]))

    def test_a_form_naming_a_cooperative_that_does_not_exist_is_told_in_a_sentence(self):
        """Red team: ``company_id=999999`` (or ``abc``) sent with the class of the
        member's cooperative: the page showed Odoo's raw "Record does not exist or has
        been deleted. (Record: res.company(999999,), User: ...)". Refused in a sentence,
        nothing filed."""
        self.authenticate("tc_member_two", "tc_member_two")
        for route in ("/my/shares/subscribe", "/my/shares/buyback"):
            for company_id in ("999999", "abc"):
                with self.subTest(route=route, company_id=company_id):
                    response = self.url_open(
                        route,
                        data={
                            "share_class_id": self.share_class.id,
                            "quantity": "1",
                            "company_id": company_id,
                            "csrf_token": Request.csrf_token(self),
                        },
                    )
                    self.assertEqual(response.status_code, 200)
                    self.assertNotIn("does not exist", response.text)
                    self.assertNotIn("res.company(", response.text)
                    self.assertIn("is not offered by this cooperative", response.text)
        partner = self.member_two.partner_id
        for model in ("telecoop.subscription.request", "telecoop.share.buyback"):
            self.assertFalse(
                self.env[model].search([("partner_id", "=", partner.id), ("source", "=", "portal")])
            )
