# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import http
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.telecoop_membership.tests.pdf import PdfRouteMixin

from ..services import ballot_chain
from .common import AgmCommon


@tagged("post_install", "-at_install")
class TestAgmPortal(PdfRouteMixin, HttpCase, AgmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_args = {"company_id": cls.company.id, "company_ids": cls.company.ids}
        for partner, login in ((cls.alice, "alice"), (cls.bob, "bob"), (cls.late, "late")):
            new_test_user(
                cls.env,
                login=f"tc_agm_{login}",
                password=f"tc_agm_{login}_pw",
                groups="base.group_portal",
                partner_id=partner.id,
                **company_args,
            )
        cls.assembly = cls._open_assembly()
        cls.accounts = cls.assembly.resolution_ids[0]
        cls.draft = cls._create_assembly(name="Draft AGE")

    def _login(self, who):
        self.authenticate(f"tc_agm_{who}", f"tc_agm_{who}_pw")

    def _post(self, path, **data):
        data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(f"/my/assemblies/{self.assembly.id}/{path}", data=data)

    def _vote(self, code, voter=None):
        data = {
            "resolution_id": self.accounts.id,
            "choice_id": self._choice(self.accounts, code).id,
        }
        if voter:
            data["voter_id"] = voter.id
        return self._post("vote", **data)

    def test_member_votes_changes_and_sees_receipt(self):
        self._login("alice")
        page = self.url_open("/my/assemblies")
        self.assertEqual(page.status_code, 200)
        self.assertIn("AGO 2026", page.text)
        self.assertNotIn("Draft AGE", page.text)
        response = self._vote("for")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your vote is recorded", response.text)
        response = self._vote("against")
        ballot = self.env["telecoop.ballot"].search(
            [("voter_id", "=", self._voter(self.assembly, self.alice).id)], limit=1
        )
        self.assertEqual(ballot.choice_id.code, "against")
        receipt = self._receipt_on(response)
        self.assertEqual(ballot.receipt_hash, ballot_chain.receipt_hash(receipt))
        # the receipt is in the answer only: not kept in the session store, not cached
        stored = http.root.session_store.get(self.session.sid)
        self.assertNotIn(receipt, str(dict(stored)))
        self.assertEqual(response.headers.get("Cache-Control"), "no-store")
        self.assertEqual(ballot.channel, "online")
        # shown once: not on the next visit
        page = self.url_open(f"/my/assemblies/{self.assembly.id}")
        self.assertNotIn(receipt, page.text)
        self.assertIn("Current vote", page.text)

    @staticmethod
    def _receipt_on(response):
        return re.search(r'class="o_telecoop_receipt">([^<]+)<', response.text).group(1)

    def _check(self, receipt):
        return self._post("receipt", receipt=receipt).text

    def test_receipt_check(self):
        self._login("alice")
        first = self._receipt_on(self._vote("for"))
        second = self._receipt_on(self._vote("against"))
        self.assertNotEqual(first, second)
        # the receipt is kept nowhere in clear: not in a queued e-mail
        self.assertFalse(self.env["mail.mail"].search([("body_html", "like", second)]))
        # before closing: in the box
        self.assertIn("o_telecoop_receipt_recorded", self._check(second))
        self.assembly.action_close()
        self.assembly.action_tally()
        self._login("bob")  # any member may check a receipt: the answer tells no choice
        text = self._check(second)
        self.assertIn("o_telecoop_receipt_counted", text)
        self.assertNotIn("Current vote", text)
        self.assertIn("replaced by a later ballot", self._check(first))
        self.assertIn("No ballot of this assembly has this receipt", self._check("garbage-123"))
        # the box changed behind the ballot: the check says so
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE telecoop_ballot SET college_id = %s WHERE resolution_id = %s AND sequence = 1",
            (self.college_founders.id, self.accounts.id),
        )
        self.assertIn("o_telecoop_receipt_damaged", self._check(second))

    def test_second_member_cannot_see_or_change_first_ballot_or_proxy(self):
        alice_voter = self._voter(self.assembly, self.alice)
        ballot = self.assembly._portal_vote(
            self.alice, self.accounts.id, self._choice(self.accounts, "for").id
        )
        proxy = self.assembly._portal_give_proxy(self.alice, self.carol.telecoop_member_number)
        self._login("bob")
        page = self.url_open(f"/my/assemblies/{self.assembly.id}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn(ballot.env.context["telecoop_receipt"], page.text)
        self.assertNotIn("Carol", page.text)
        # Bob tries to vote in Alice's name
        response = self._vote("against", voter=alice_voter)
        self.assertIn("did not give you a proxy", response.text)
        # Bob tries to withdraw Alice's proxy: he has none, hers stays
        response = self._post("proxy", withdraw="1")
        self.assertIn("no proxy to withdraw", response.text)
        proxy.invalidate_recordset()
        self.assertEqual(proxy.state, "active")
        ballots = self.env["telecoop.ballot"].search([("voter_id", "=", alice_voter.id)])
        self.assertEqual(ballots, ballot)
        # a draft assembly is not shown
        response = self.url_open(f"/my/assemblies/{self.draft.id}")
        self.assertNotIn("Draft AGE", response.text)

    def test_member_outside_electorate_sees_nothing_and_cannot_vote(self):
        # attack: a portal user who joined after the record date reads the assembly
        self._login("late")
        page = self.url_open("/my/assemblies")
        self.assertNotIn("AGO 2026", page.text)
        page = self.url_open(f"/my/assemblies/{self.assembly.id}")
        self.assertNotIn("AGO 2026", page.text)
        self.assertNotIn("o_telecoop_choice_for", page.text)
        response = self._vote("for")
        self.assertNotIn("Your vote is recorded", response.text)
        self.assertFalse(self.accounts.ballot_ids)

    def test_give_and_withdraw_proxy(self):
        self._login("bob")
        response = self._post("proxy", holder_number=self.alice.telecoop_member_number)
        self.assertIn("Your proxy is recorded", response.text)
        proxy = self.assembly.proxy_ids
        self.assertEqual(proxy.holder_id.partner_id, self.alice)
        response = self._post("proxy", withdraw="1")
        self.assertIn("Your proxy is withdrawn", response.text)
        self.assertEqual(proxy.state, "withdrawn")

    def test_results_and_minutes_once_counted(self):
        self.assembly._portal_vote(
            self.alice, self.accounts.id, self._choice(self.accounts, "for").id
        )
        self.assembly._portal_vote(
            self.bob, self.accounts.id, self._choice(self.accounts, "for").id
        )
        self._login("bob")
        page = self.url_open(f"/my/assemblies/{self.assembly.id}")
        self.assertNotIn("Result:", page.text)
        # no minutes before the count: the page is answered, never a PDF
        response = self.url_open(f"/my/assemblies/{self.assembly.id}?report_type=pdf")
        self.assertEqual(response.status_code, 200)
        self.assertNotEqual(response.headers.get("Content-Type"), "application/pdf")
        self.assertNotIn("Minutes of the general assembly", response.text)
        self.assembly.action_close()
        self.assembly.action_tally()
        page = self.url_open(f"/my/assemblies/{self.assembly.id}")
        self.assertIn("Result:", page.text)
        self.assertIn("Adopted", page.text)
        self.assertIn("100.00 % weighted", page.text)
        text = self.download_pdf(f"/my/assemblies/{self.assembly.id}?report_type=pdf")
        self.assertIn("Minutes of the general assembly", text)
        self.assertIn("Adopted", text)
        # a portal user of another cooperative is sent away from the page and the minutes
        other = self.env["res.company"].create({"name": "Other coop"})
        new_test_user(
            self.env,
            login="tc_agm_other",
            password="tc_agm_other_pw",
            groups="base.group_portal",
            company_id=other.id,
            company_ids=other.ids,
        )
        self._login("other")
        for url in (
            f"/my/assemblies/{self.assembly.id}",
            f"/my/assemblies/{self.assembly.id}?report_type=pdf",
        ):
            response = self.url_open(url)
            self.assertNotIn("AGO 2026", response.text)
            self.assertNotEqual(response.headers.get("Content-Type"), "application/pdf")

    def test_resolution_or_choice_of_another_assembly_posted_to_vote(self):
        """Both assemblies open, Alice in both electorates: a resolution or a choice of
        the other one posted to this assembly's /vote is refused in a sentence, and no
        ballot is cast in either."""
        other = self._open_assembly(name="AGE 2026 bis")
        other_resolution = other.resolution_ids[0]
        Ballot = self.env["telecoop.ballot"].sudo()
        self._login("alice")
        for resolution, choice in (
            (self.accounts, self._choice(other_resolution, "for")),
            (other_resolution, self._choice(other_resolution, "for")),
        ):
            with self.subTest(resolution=resolution.assembly_id.name, choice=choice.id):
                data = {
                    "resolution_id": resolution.id,
                    "choice_id": choice.id,
                    "csrf_token": http.Request.csrf_token(self),
                }
                url = f"/my/assemblies/{self.assembly.id}/vote"
                response = self.url_open(url, data=data, allow_redirects=False)
                self.assertIn(response.status_code, (302, 303))
                location = response.headers["Location"]
                self.assertIn(f"/my/assemblies/{self.assembly.id}", location)
                self.assertIn("error=", location)
                page = self.url_open(location)
                self.assertEqual(page.status_code, 200)
                self.assertNotIn("Uh-oh", page.text)
                self.assertNotIn("Your vote is recorded", page.text)
        self.assertFalse(Ballot.search([("assembly_id", "in", (self.assembly | other).ids)]))

    def test_home_counter(self):
        self._login("alice")
        response = self.url_open(
            "/my/counters",
            data='{"jsonrpc": "2.0", "params": {"counters": ["assembly_count"]}}',
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.json()["result"]["assembly_count"], 1)

    def test_convocation_documents_on_the_portal(self):
        document = self.env["ir.attachment"].create(
            {"name": "accounts-2025.txt", "raw": b"Annual accounts 2025"}
        )
        assembly = self._create_assembly(name="AGO with documents", document_ids=document.ids)
        assembly.action_convene()
        # the documents are frozen with the convocation
        with self.assertRaises(UserError):
            assembly.document_ids = False
        self._login("late")
        page = self.url_open(f"/my/assemblies/{assembly.id}")
        self.assertNotIn("accounts-2025.txt", page.text)
        self._login("bob")
        page = self.url_open(f"/my/assemblies/{assembly.id}")
        self.assertIn("accounts-2025.txt", page.text)
        # served by the assembly's own route, checked against the electorate (no
        # shareable access token in the page)
        link = f"/my/assemblies/{assembly.id}/documents/{document.id}"
        self.assertIn(f'href="{link}"', page.text)
        self.assertNotIn("access_token", page.text)
        response = self.url_open(link)
        self.assertEqual(response.content, b"Annual accounts 2025")

    def test_proxy_holder_votes_for_the_giver(self):
        self.assembly._portal_give_proxy(self.bob, self.alice.telecoop_member_number)
        bob_voter = self._voter(self.assembly, self.bob)
        self._login("alice")
        page = self.url_open(f"/my/assemblies/{self.assembly.id}")
        self.assertIn("You hold the proxies of", page.text)
        response = self._vote("against", voter=bob_voter)
        self.assertIn("Your vote is recorded", response.text)
        ballot = self.env["telecoop.ballot"].search([("voter_id", "=", bob_voter.id)])
        self.assertEqual((ballot.channel, ballot.cast_by_partner_id), ("proxy", self.alice))
        self.assertEqual(ballot.choice_id.code, "against")
        # Bob sees the proxy he gave, and cannot vote himself while it is active
        self._login("bob")
        page = self.url_open(f"/my/assemblies/{self.assembly.id}")
        self.assertIn("You gave a proxy to", page.text)
        response = self._vote("for")
        self.assertIn("gave a proxy", response.text)
