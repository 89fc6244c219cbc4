# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common_accounting import TelecoopAccountingCommon

IBAN = "FR7630006000011234567890189"


@tagged("post_install", "-at_install")
class TestPublicSubscription(TelecoopAccountingCommon, HttpCase):
    """/cooperative/subscribe: a visitor becomes a candidate with an account and a request."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bank_account = cls.env["res.partner.bank"].create(
            {"acc_number": IBAN, "partner_id": cls.company.partner_id.id}
        )
        cls.sale_journal.bank_account_id = cls.bank_account
        cls.member = cls._create_member("Already Member", email="member@example.org")
        cls.account_holder = new_test_user(
            cls.env,
            login="taken@example.org",
            email="taken@example.org",
            groups="base.group_portal",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )
        cls.other = cls.env["res.company"].create({"name": "Other Coop"})
        other_profile = cls.env["telecoop.statute.profile"].create(
            {
                "name": "Other statutes",
                "company_id": cls.other.id,
                "college_ids": [
                    Command.create({"name": "Workers", "code": "workers", "vote_weight": 50}),
                    Command.create({"name": "Clients", "code": "clients", "vote_weight": 50}),
                ],
            }
        )
        cls.other_class = cls.env["telecoop.share.class"].create(
            {
                "name": "Other share",
                "company_id": cls.other.id,
                "nominal_value": 10,
                "college_id": other_profile.college_ids[0].id,
            }
        )
        cls.url = f"/cooperative/subscribe?company_id={cls.company.id}"

    def _form(self, **overrides):
        return {
            "company_id": str(self.company.id),
            "name": "Camille Visitor",
            "email": "camille@example.org",
            "city": "Lyon",
            "share_class_id": str(self.share_class.id),
            "quantity": "2",
            "password": "camille-password",
            "password_confirm": "camille-password",
            "accept_statutes": "1",
            "website_url": "",
            **overrides,
        }

    def _post(self, **overrides):
        page = self.url_open(self.url)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.url_open(
            "/cooperative/subscribe",
            data={"csrf_token": token, **self._form(**overrides)},
            allow_redirects=False,
        )

    def _created(self, email="camille@example.org"):
        return self.env["res.partner"].search([("email_normalized", "=", email)])

    def test_form_shows_the_statutes_conditions_and_how_to_pay(self):
        page = self.url_open(self.url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Users share", page.text)
        self.assertIn("at most 50", page.text)
        self.assertIn("FR76 3000 6000 0112 3456 7890 189", page.text)
        self.assertIn('name="csrf_token"', page.text)
        self.assertIn("<title>Become a member of Test Coop SCIC</title>", page.text)

    def test_visitor_subscribes_in_the_browser_and_becomes_a_candidate(self):
        self.start_tour(self.url, "telecoop_membership_public_subscribe_tour", login=None)
        partner = self._created("camille.tour@example.org")
        self.assertEqual(partner.name, "Camille Tour")
        membership = self.env["telecoop.membership"]._get_for(partner, self.company)
        self.assertEqual(membership.state, "candidate")
        self.assertFalse(membership.member_number)
        request = self.env["telecoop.subscription.request"].search(
            [("partner_id", "=", partner.id)]
        )
        self.assertEqual((request.state, request.source, request.quantity), ("draft", "public", 3))
        self.assertEqual(request.company_id, self.company)
        user = partner.user_ids
        self.assertEqual(user.login, "camille.tour@example.org")
        self.assertTrue(user._is_portal())
        self.assertEqual(user.company_ids, self.company)
        self.assertEqual(
            self.env["mail.mail"].search_count(
                [("model", "=", request._name), ("res_id", "=", request.id)]
            ),
            1,
        )

    def test_success_logs_in_and_redirects_to_the_request(self):
        response = self._post()
        self.assertEqual(response.status_code, 303)
        request = self.env["telecoop.subscription.request"].search(
            [("partner_id", "=", self._created().id)]
        )
        self.assertTrue(response.headers["Location"].endswith(request.access_url))
        page = self.url_open(request.access_url)
        self.assertEqual(page.status_code, 200)
        self.assertIn(request.name, page.text)

    def test_refusals_say_why_and_file_nothing(self):
        cases = [
            ({"email": "member@example.org"}, "already a member or a candidate"),
            ({"email": "taken@example.org"}, "An account already uses"),
            ({"quantity": "51"}, "at most 50"),
            ({"quantity": "0"}, "at least one"),
            ({"quantity": "many"}, "whole number of shares"),
            ({"quantity": "99999999999999"}, "between 1 and"),
            ({"share_class_id": str(self.other_class.id)}, "not offered by Test Coop SCIC"),
            ({"share_class_id": "nope"}, "not offered by Test Coop SCIC"),
            ({"accept_statutes": ""}, "accept the statutes"),
            ({"password_confirm": "something-else"}, "passwords differ"),
            ({"password": "short", "password_confirm": "short"}, "at least 8 characters"),
            ({"email": "not-an-address"}, "valid e-mail"),
            ({"name": "  "}, "first and last name"),
            ({"website_url": "http://spam.example"}, "could not be filed"),
        ]
        before = self.env["telecoop.subscription.request"].search_count([])
        for overrides, message in cases:
            with self.subTest(overrides=overrides):
                response = self._post(**overrides)
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
                self.assertIn("o_telecoop_error", response.text)
        self.assertFalse(self._created())
        self.assertEqual(self.env["telecoop.subscription.request"].search_count([]), before)
        self.assertFalse(self.env["res.users"].search([("login", "=", "camille@example.org")]))

    def test_hourly_quota_of_the_public_form(self):
        self.env["ir.config_parameter"].set_param(
            "telecoop_membership.public_subscriptions_per_hour", "1"
        )
        self.assertEqual(self._post().status_code, 303)
        self.url_open("/web/session/logout", allow_redirects=False)
        response = self._post(email="robot@example.org", name="Robot")
        self.assertEqual(response.status_code, 200)
        self.assertIn("many subscriptions in the last hour", response.text)
        self.assertFalse(self._created("robot@example.org"))

    def test_post_without_csrf_token_is_refused(self):
        response = self.url_open("/cooperative/subscribe", data=self._form(), allow_redirects=False)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._created())

    def test_logged_in_person_is_sent_to_my_shares(self):
        self.authenticate("taken@example.org", "taken@example.org")
        response = self.url_open(self.url, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my/shares"))

    def test_model_refuses_the_same_and_leaves_nothing_behind(self):
        requests = self.env["telecoop.subscription.request"].with_user(
            self.env.ref("base.public_user")
        )
        values = {
            **self._form(quantity="51"),
            "share_class": self.share_class,
            "honeypot": "",
        }
        with self.assertRaisesRegex(ValidationError, "at most 50"):
            requests._public_subscribe(self.company, values)
        self.assertFalse(self._created())
        self.profile.public_subscription = False
        with self.assertRaisesRegex(UserError, "takes no share subscription online"):
            requests._public_subscribe(self.company, {**values, "quantity": "1"})
        self.assertFalse(self._created())
