# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A member that is a company votes through its representative, over HTTP.

The law and the statutes: a legal-person member takes part in the assembly through
the natural person who represents it; it has one vote, never one per employee.
"""

from urllib.parse import unquote_plus

from odoo import http
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import AgmCommon


@tagged("post_install", "-at_install")
class TestCompanyRepresentative(HttpCase, AgmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.box = cls._create_member("Box SARL", is_company=True, email="box@example.com")
        Partner = cls.env["res.partner"]
        cls.rita = Partner.create({"name": "Rita Box", "parent_id": cls.box.id})
        cls.sam = Partner.create({"name": "Sam Box", "parent_id": cls.box.id})
        for partner in (cls.rita, cls.sam, cls.alice):
            login = f"tc_rep_{partner.name.split()[0].lower()}"
            new_test_user(
                cls.env,
                login=login,
                password=f"{login}_pw",
                name=partner.name,
                groups="base.group_portal",
                partner_id=partner.id,
                company_id=cls.company.id,
                company_ids=cls.company.ids,
            )
        cls.membership = cls.env["telecoop.membership"]._get_for(cls.box, cls.company)
        cls.membership.with_user(cls.membership_manager)._set_representative(cls.rita)
        cls.assembly = cls._open_assembly()
        cls.accounts = cls.assembly.resolution_ids[0]
        cls.box_voter = cls._voter(cls.assembly, cls.box)

    def _login(self, partner):
        login = f"tc_rep_{partner.name.split()[0].lower()}"
        self.authenticate(login, f"{login}_pw")

    def _page(self):
        return self.url_open(f"/my/assemblies/{self.assembly.id}", allow_redirects=False)

    def _post(self, path, **data):
        data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(
            f"/my/assemblies/{self.assembly.id}/{path}", data=data, allow_redirects=False
        )

    def _vote(self, code):
        return self._post(
            "vote", resolution_id=self.accounts.id, choice_id=self._choice(self.accounts, code).id
        )

    def _box_ballots(self):
        return self.env["telecoop.ballot"].search(
            [("resolution_id", "=", self.accounts.id), ("voter_id", "=", self.box_voter.id)]
        )

    def test_the_representative_votes_once_for_the_company(self):
        """Before: the electorate was matched on the exact partner, so the company (no
        portal user) could not vote at all. Rita, its representative, votes for it; Sam,
        another employee with a portal account, neither sees the assembly nor votes; when
        Sam becomes the representative after Rita's vote, he does not vote a second time.
        The company is one member of 7 (the six of the fixtures and itself): one ballot."""
        self.assertEqual(len(self.assembly.voter_ids), 7)
        self.assertEqual(self.box_voter.representative_id, self.rita)
        self._login(self.rita)
        listing = self.url_open("/my/assemblies")
        self.assertIn("AGO 2026", listing.text)
        self.assertEqual(self._page().status_code, 200)
        response = self._vote("for")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your vote is recorded", response.text)
        ballot = self._box_ballots()
        self.assertEqual((ballot.choice_id.code, ballot.cast_by_partner_id), ("for", self.rita))
        self.assertEqual((ballot.channel, ballot.college_id), ("online", self.college_users))
        # another employee of the company: no assembly, no vote
        self._login(self.sam)
        self.assertNotIn("AGO 2026", self.url_open("/my/assemblies").text)
        self.assertEqual(self._page().headers.get("Location", "").split("?")[0][-3:], "/my")
        response = self._vote("against")
        self.assertEqual(response.headers.get("Location", "").split("?")[0][-3:], "/my")
        self.assertEqual(len(self._box_ballots()), 1)
        # Sam becomes the representative: he acts for the company, but its vote is cast
        self.membership.with_user(self.membership_manager)._set_representative(self.sam)
        self.assertEqual(self._page().status_code, 200)
        response = self._vote("against")
        self.assertIn("error=", response.headers["Location"])
        self.assertIn("already voted on Accounts through Rita Box", unquote_plus(
            response.headers["Location"]
        ))  # fmt: skip
        self.assertEqual(self._box_ballots().choice_id.code, "for")
        # Rita no longer acts for the company: not even to change its vote
        self._login(self.rita)
        self.assertEqual(self._page().headers.get("Location", "").split("?")[0][-3:], "/my")
        self.assertEqual(len(self._box_ballots()), 1)
        figures = self.assembly._get_participation()
        self.assertEqual((figures["electorate"], figures["online"]), (7, 1))

    def test_the_representative_gives_the_company_proxy(self):
        self._login(self.rita)
        response = self._post("proxy", holder_number=self.alice.telecoop_member_number)
        self.assertIn("message=proxy_given", response.headers["Location"])
        proxy = self.assembly.proxy_ids.filtered(lambda p: p.state == "active")
        self.assertEqual(
            (proxy.giver_id, proxy.holder_id),
            (self.box_voter, self._voter(self.assembly, self.alice)),
        )
        # Alice votes for the company with the proxy
        self._login(self.alice)
        response = self._post(
            "vote",
            resolution_id=self.accounts.id,
            choice_id=self._choice(self.accounts, "against").id,
            voter_id=self.box_voter.id,
        )
        self.assertIn("Your vote is recorded", response.text)
        self.assertEqual(
            (self._box_ballots().channel, self._box_ballots().cast_by_partner_id),
            ("proxy", self.alice),
        )

    def test_a_representative_who_left_the_company_no_longer_acts_for_it(self):
        """Attack: Rita moved to another company (her contact was moved there) but is
        still named on the membership: she kept voting for Box SARL. The representative
        acts only while a contact person of the company."""
        self.rita.parent_id = self.env["res.partner"].create(
            {"name": "Other Corp", "is_company": True}
        )
        self._login(self.rita)
        self.assertEqual(self._page().headers.get("Location", "").split("?")[0][-3:], "/my")
        self._vote("for")
        self.assertFalse(self._box_ballots())
        self.assertFalse(self.box_voter.representative_id)

    def test_one_representative_a_contact_of_the_company_set_by_membership_staff(self):
        Membership = self.env["telecoop.membership"]
        as_staff = self.membership.with_user(self.membership_manager)
        with self.assertRaisesRegex(ValidationError, "Alice is not"), self.env.cr.savepoint():
            as_staff._set_representative(self.alice)  # not a contact of the company
        with self.assertRaisesRegex(ValidationError, "Rita Box is not"), self.env.cr.savepoint():
            Membership._get_for(self.bob, self.company).with_user(
                self.membership_manager
            )._set_representative(self.rita)  # Bob is a person, not a company
        employee = new_test_user(
            self.env, login="tc_rep_employee", groups="base.group_user",
            company_id=self.company.id, company_ids=self.company.ids,
        )  # fmt: skip
        other_company = self.env["res.company"].create({"name": "Partner coop"})
        other_staff = new_test_user(
            self.env, login="tc_rep_partner_staff",
            groups="base.group_user,telecoop_membership.telecoop_membership_group_manager",
            company_id=other_company.id, company_ids=other_company.ids,
        )  # fmt: skip
        # neither an internal user outside the membership staff, the representative
        # herself, nor the membership staff of another cooperative names another one
        # (through the form of the wizard as well); nor does anyone through write
        wizard = self.env["telecoop.membership.representative"].with_user(other_staff)
        with self.assertRaises(AccessError):
            wizard.create(
                {"membership_id": self.membership.id, "representative_id": self.sam.id}
            ).action_confirm()
        for user in (employee, self.rita.user_ids, other_staff):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.membership.with_user(user)._set_representative(self.sam)
        with self.assertRaises(AccessError):
            self.membership.with_user(self.agm_manager).write({"representative_id": self.sam.id})
        self.assertEqual(self.membership.representative_id, self.rita)
        # the staff of the cooperative, through the button of the membership
        action = self.membership.with_user(self.membership_manager).action_change_representative()
        self.env[action["res_model"]].with_user(self.membership_manager).with_context(
            **action["context"]
        ).create({"representative_id": self.sam.id}).action_confirm()
        self.assertEqual(self.membership.representative_id, self.sam)


@tagged("post_install", "-at_install")
class TestRepresentativeReceipt(MockEmail, AgmCommon):
    """The receipt of a ballot goes to whoever cast it, and the member stays informed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.box = cls._create_member("Box SARL", is_company=True, email="box@example.com")
        cls.rita = cls.env["res.partner"].create(
            {"name": "Rita Box", "parent_id": cls.box.id, "email": "rita@example.com"}
        )
        membership = cls.env["telecoop.membership"]._get_for(cls.box, cls.company)
        membership.with_user(cls.membership_manager)._set_representative(cls.rita)
        # a company member with no e-mail address of its own
        cls.crate = cls._create_member("Crate SCOP", is_company=True)
        cls.nina = cls.env["res.partner"].create(
            {"name": "Nina Crate", "parent_id": cls.crate.id, "email": "nina@example.com"}
        )
        cls.env["telecoop.membership"]._get_for(cls.crate, cls.company).with_user(
            cls.membership_manager
        )._set_representative(cls.nina)
        cls.assembly = cls._open_assembly()
        cls.accounts = cls.assembly.resolution_ids[0]
        cls.box_voter = cls._voter(cls.assembly, cls.box)
        cls.crate_voter = cls._voter(cls.assembly, cls.crate)

    def _sent_to(self, receipt):
        self.env.cr.postcommit.run()
        return sorted(
            address
            for mail in self._mails
            if receipt in mail["body"]
            for address in mail["email_to"]
        )

    def test_the_representative_who_votes_gets_the_receipt(self):
        """Before: only the company's address had the receipt of the vote Rita cast."""
        with self.mock_mail_gateway():
            ballot = self._vote(self.assembly, self.rita, self.accounts, "for")
            receipt = ballot.env.context["telecoop_receipt"]
            self.assertEqual(
                self._sent_to(receipt),
                ['"Box SARL" <box@example.com>', '"Rita Box" <rita@example.com>'],
            )
        to_rita = [mail for mail in self._mails if "rita@example.com" in mail["email_to"][0]]
        self.assertIn("cast by <strong>Rita Box</strong>", to_rita[0]["body"])

    def test_the_representative_who_votes_with_a_proxy_gets_the_receipt(self):
        """Rita votes for Alice with the proxy Alice gave the company: Alice (whose ballot
        it is) and Rita (who cast it) have the receipt; the company's address not."""
        alice = self._voter(self.assembly, self.alice)
        self.env["telecoop.assembly.proxy"]._give(alice, self.box_voter)
        with self.mock_mail_gateway():
            ballot = self._vote(self.assembly, self.rita, self.accounts, "for", voter=alice)
            receipt = ballot.env.context["telecoop_receipt"]
            self.assertEqual(
                self._sent_to(receipt),
                ['"Alice" <alice@example.com>', '"Rita Box" <rita@example.com>'],
            )

    def test_a_company_without_address_hears_of_a_proxy_vote_through_its_representative(self):
        """Before: Crate SCOP has no e-mail address; Alice, who holds its proxy, voted for
        it and only Alice had the receipt: nobody of Crate SCOP heard of the ballot cast
        in its name. A ballot cast for a member reaches a person of that member: its
        address, else its representative's (Nina)."""
        alice = self._voter(self.assembly, self.alice)
        self.env["telecoop.assembly.proxy"]._give(self.crate_voter, alice)
        with self.mock_mail_gateway():
            ballot = self._vote(self.assembly, self.alice, self.accounts, "for", self.crate_voter)
            receipt = ballot.env.context["telecoop_receipt"]
            self.assertEqual(
                self._sent_to(receipt),
                ['"Alice" <alice@example.com>', '"Nina Crate" <nina@example.com>'],
            )
        to_nina = [mail for mail in self._mails if "nina@example.com" in mail["email_to"][0]]
        self.assertIn("recorded for <strong>Crate SCOP</strong>", to_nina[0]["body"])
        self.assertIn("cast by <strong>Alice</strong>", to_nina[0]["body"])

    def test_a_company_without_address_its_representative_votes_one_receipt(self):
        with self.mock_mail_gateway():
            ballot = self._vote(self.assembly, self.nina, self.accounts, "for", self.crate_voter)
            self.assertEqual(
                self._sent_to(ballot.env.context["telecoop_receipt"]),
                ['"Nina Crate" <nina@example.com>'],
            )

    def test_a_company_without_address_is_convened_and_told_the_results(self):
        """Before: the convocation and the results went to the members with an address
        only, so Crate SCOP (no address of its own) was never convened, though its
        representative Nina has one. The same rule as the receipts: Nina is written to."""
        assembly = self._create_assembly(name="AGO Crate")
        assembly.action_convene()
        crate_voter = self._voter(assembly, self.crate)
        self.assertEqual(crate_voter.informed_partner_id, self.nina)
        self.assertEqual(self._voter(assembly, self.box).informed_partner_id, self.box)
        # Erin (a person without an address) has nobody to be told
        self.assertFalse(self._voter(assembly, self.erin).informed_partner_id)

        def mails_to_crate(subject):
            return self.env["mail.mail"].search(
                [
                    ("model", "=", "telecoop.assembly.voter"),
                    ("res_id", "=", crate_voter.id),
                    ("subject", "like", subject),
                ]
            )

        self.assertEqual(mails_to_crate("Convocation").recipient_ids, self.nina)
        assembly.action_open()
        self._vote(assembly, self.nina, assembly.resolution_ids[0], "for", crate_voter)
        assembly.action_close()
        assembly.action_tally()
        self.assertEqual(mails_to_crate("Results").recipient_ids, self.nina)

    def test_a_member_who_votes_gets_one_receipt(self):
        with self.mock_mail_gateway():
            ballot = self._vote(self.assembly, self.alice, self.accounts, "for")
            self.assertEqual(
                self._sent_to(ballot.env.context["telecoop_receipt"]),
                ['"Alice" <alice@example.com>'],
            )


@tagged("post_install", "-at_install")
class TestRepresentativeAlsoMember(HttpCase, AgmCommon):
    """Attack: the representative of a company member is also a member in their own
    name. Before: the portal matched them to their own row only, so the company had
    nobody to vote for it (its one representative saw no ballot for it, and a ballot
    posted for it was refused as a proxy never given)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.box = cls._create_member("Box SARL", is_company=True, email="box@example.com")
        cls.ria = cls._create_member("Ria Box", parent_id=cls.box.id, email="ria@example.com")
        new_test_user(
            cls.env,
            login="tc_rep_ria",
            password="tc_rep_ria_pw",
            name="Ria Box",
            groups="base.group_portal",
            partner_id=cls.ria.id,
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )
        membership = cls.env["telecoop.membership"]._get_for(cls.box, cls.company)
        membership.with_user(cls.membership_manager)._set_representative(cls.ria)
        cls.assembly = cls._open_assembly()
        cls.accounts = cls.assembly.resolution_ids[0]

    def test_a_representative_who_is_a_member_votes_for_both(self):
        box_voter = self._voter(self.assembly, self.box)
        ria_voter = self._voter(self.assembly, self.ria)
        self.assertEqual(len(self.assembly.voter_ids), 8)  # the six, the company and Ria
        self.authenticate("tc_rep_ria", "tc_rep_ria_pw")
        page = self.url_open(f"/my/assemblies/{self.assembly.id}")
        self.assertIn("(you represent it)", page.text)
        # a For button on the accounts for Ria and one for the company
        self.assertEqual(page.text.count("o_telecoop_choice_for"), 2)

        def vote(code, voter):
            return self.url_open(
                f"/my/assemblies/{self.assembly.id}/vote",
                data={
                    "csrf_token": http.Request.csrf_token(self),
                    "resolution_id": self.accounts.id,
                    "choice_id": self._choice(self.accounts, code).id,
                    "voter_id": voter.id,
                },
                allow_redirects=False,
            )

        self.assertEqual(vote("for", ria_voter).status_code, 200)
        self.assertEqual(vote("against", box_voter).status_code, 200)
        ballots = self.env["telecoop.ballot"].search([("resolution_id", "=", self.accounts.id)])
        self.assertEqual(
            {(b.voter_id, b.choice_id.code, b.channel, b.cast_by_partner_id) for b in ballots},
            {(ria_voter, "for", "online", self.ria), (box_voter, "against", "online", self.ria)},
        )
        # one vote each: the tally counts two members, one for and one against
        self.assertEqual(self.assembly._get_participation()["online"], 2)
        # nobody else's row is reached by naming it
        alice_voter = self._voter(self.assembly, self.alice)
        self.assertIn("error=", vote("for", alice_voter).headers.get("Location", ""))
        self.assertEqual(len(ballots.search([("voter_id", "=", alice_voter.id)])), 0)

    def test_a_representative_who_is_a_member_gives_the_company_proxy(self):
        box_voter = self._voter(self.assembly, self.box)
        alice_voter = self._voter(self.assembly, self.alice)
        self.authenticate("tc_rep_ria", "tc_rep_ria_pw")

        def post(**data):
            return self.url_open(
                f"/my/assemblies/{self.assembly.id}/proxy",
                data={"csrf_token": http.Request.csrf_token(self), **data},
                allow_redirects=False,
            )

        self.assertIn("Give the proxy of Box SARL", self.url_open(
            f"/my/assemblies/{self.assembly.id}"
        ).text)  # fmt: skip
        response = post(holder_number=self.alice.telecoop_member_number, voter_id=box_voter.id)
        self.assertIn("message=proxy_given", response.headers["Location"])
        proxy = self.assembly.proxy_ids.filtered(lambda p: p.state == "active")
        self.assertEqual((proxy.giver_id, proxy.holder_id), (box_voter, alice_voter))
        page = self.url_open(f"/my/assemblies/{self.assembly.id}").text
        self.assertIn("Withdraw its proxy", page)
        self.assertIn("Give my proxy", page)  # her own proxy stays hers to give
        self.assertIn("message=proxy_withdrawn", post(withdraw=1, voter_id=box_voter.id).headers[
            "Location"
        ])  # fmt: skip
        self.assertEqual(proxy.state, "withdrawn")
        # nobody else's proxy is given by naming its row
        response = post(holder_number=self.bob.telecoop_member_number, voter_id=alice_voter.id)
        self.assertIn("error=", response.headers["Location"])
        self.assertFalse(self.assembly.proxy_ids.filtered(lambda p: p.state == "active"))
