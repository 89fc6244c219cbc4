# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Through the running test server: concurrent proxies and the minutes PDF."""

import re
import threading

import requests

from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.telecoop_membership.tests.pdf import PdfRouteMixin

from ..services import ballot_chain
from .common import AgmCommon


@tagged("post_install", "-at_install")
class TestAgmPortalHttp(PdfRouteMixin, HttpCase, AgmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_args = {"company_id": cls.company.id, "company_ids": cls.company.ids}
        cls.logins = {}
        for partner in (cls.alice, cls.bob, cls.carol, cls.dan, cls.erin, cls.frank, cls.late):
            login = f"tc_http_{partner.name.lower()}"
            new_test_user(
                cls.env,
                login=login,
                password=f"{login}_pw",
                groups="base.group_portal",
                partner_id=partner.id,
                **company_args,
            )
            cls.logins[partner] = login
        cls.assembly = cls._open_assembly()

    def _session_of(self, partner):
        """A logged-in HTTP session of ``partner`` and its CSRF token, for a thread."""
        login = self.logins[partner]
        # authenticate() deletes the session before it: keep each one, remove it at the end
        self.session = None
        self.authenticate(login, f"{login}_pw")
        self.addCleanup(http.root.session_store.delete, self.session)
        session = requests.Session()
        session.cookies.update(self.opener.cookies)
        return session, http.Request.csrf_token(self)

    def _post_at_once(self, posts):
        """POST every (session, token, data) from its own thread, all released together."""
        barrier = threading.Barrier(len(posts))
        answers = [None] * len(posts)
        url = f"{self.base_url()}/my/assemblies/{self.assembly.id}/proxy"

        def post(index, session, token, data):
            barrier.wait(timeout=60)
            answers[index] = session.post(url, data={**data, "csrf_token": token}, timeout=120)

        threads = [
            threading.Thread(target=post, args=(index, *item)) for index, item in enumerate(posts)
        ]
        self.env.flush_all()
        # the requests of the threads go to the test server like those of self.opener
        with self.allow_requests(all_requests=True):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=180)
        self.env.invalidate_all()
        self.assertFalse(any(thread.is_alive() for thread in threads))
        return answers

    def test_proxy_cap_holds_under_concurrent_requests(self):
        # four members give their proxy to Alice at the same instant; the statutes cap is 2
        holder = self.alice.telecoop_member_number
        posts = [
            (*self._session_of(partner), {"holder_number": holder})
            for partner in (self.bob, self.carol, self.dan, self.erin)
        ]
        answers = self._post_at_once(posts)
        self.assertEqual([answer.status_code for answer in answers], [200] * 4)
        self.env.invalidate_all()
        active = self.env["telecoop.assembly.proxy"].search(
            [("assembly_id", "=", self.assembly.id), ("state", "=", "active")]
        )
        errors = [
            re.findall(r"alert alert-(?:danger|success)[^>]*>([^<]*)<", answer.text)
            for answer in answers
        ]
        self.assertEqual(len(active), 2, errors)
        self.assertEqual(active.holder_id.partner_id, self.alice)
        refused = [answer for answer in answers if "the statutes allow 2" in answer.text]
        self.assertEqual(len(refused), 2)

    def test_no_chain_nor_cycle_under_concurrent_requests(self):
        # Bob -> Carol and Carol -> Bob at once (a cycle), Dan -> Bob at the same time (a chain)
        posts = [
            (*self._session_of(self.bob), {"holder_number": self.carol.telecoop_member_number}),
            (*self._session_of(self.carol), {"holder_number": self.bob.telecoop_member_number}),
            (*self._session_of(self.dan), {"holder_number": self.bob.telecoop_member_number}),
        ]
        self._post_at_once(posts)
        self.env.invalidate_all()
        active = self.env["telecoop.assembly.proxy"].search(
            [("assembly_id", "=", self.assembly.id), ("state", "=", "active")]
        )
        self.assertTrue(active)
        # nobody both gives and holds
        self.assertFalse(active.giver_id & active.holder_id)

    def test_minutes_pdf_through_the_portal_route(self):
        self._voter(self.assembly, self.dan).present = True
        self.assembly._portal_give_proxy(self.erin, self.dan.telecoop_member_number)
        self.assembly._portal_vote(
            self.alice, self.assembly.resolution_ids[0].id,
            self._choice(self.assembly.resolution_ids[0], "for").id,
        )  # fmt: skip
        self.assembly.action_close()
        self.assembly.action_tally()
        url = f"/my/assemblies/{self.assembly.id}?report_type=pdf&download=true"
        login = self.logins[self.bob]
        self.authenticate(login, f"{login}_pw")
        text = self.download_pdf(url)
        self.assertIn("Minutes of the general assembly", text)
        self.assertIn("AGO 2026", text)
        self.assertIn("Fingerprint of the ballot boxes", text)
        self.assertIn(self.assembly.box_anchor[:16], text.replace(" ", "").replace("\n", ""))
        # the attendance sheet (names, member numbers, proxies) is for staff only
        self.assertNotIn("Attendance sheet", text)
        self.assertNotIn(self.dan.telecoop_member_number, text)
        self.assertNotIn(self.erin.telecoop_member_number, text)
        self.assertNotIn("Erin", text)
        # a member who joined after the record date gets no minutes
        login = self.logins[self.late]
        self.authenticate(login, f"{login}_pw")
        response = self.url_open(url, allow_redirects=False)
        self.assertNotEqual(response.headers.get("Content-Type"), "application/pdf")
        self.assertFalse(response.content.startswith(b"%PDF"))

    def test_no_shareable_token_opens_an_assembly_outside_its_electorate(self):
        """Attack: the list of a member's assemblies linked each one with
        ``?access_token=...``; a member who passes the link on (or a token read by RPC on the
        assembly) let a portal user outside the electorate, or anyone logged in, read the
        page and download the minutes. The electorate reads its assemblies under its own
        login: no token is made, and one stored before is never read."""
        self.assembly.action_close()
        self.assembly.action_tally()
        login = self.logins[self.bob]
        self.authenticate(login, f"{login}_pw")
        listing = self.url_open("/my/assemblies")
        self.assertIn(f"/my/assemblies/{self.assembly.id}", listing.text)
        shared = re.search(r"access_token=([\w-]+)", listing.text)
        # the token of the member's link, else one made up
        token = shared.group(1) if shared else "0b6c9e4e-5ac4-4d9d-9a39-1f0e8d1d3c11"
        login = self.logins[self.late]
        self.authenticate(login, f"{login}_pw")
        for url in (
            f"/my/assemblies/{self.assembly.id}?access_token={token}",
            f"/my/assemblies/{self.assembly.id}?access_token={token}&report_type=pdf",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 303, url)
            self.assertTrue(response.headers["Location"].endswith("/my"), url)
        self.assertIsNone(shared)
        self.assertFalse(self.assembly.sudo().access_token)

    def test_minutes_pdf_printed_by_staff_with_the_attendance_sheet(self):
        """Alice votes for, Dan is present: one entry in the box, 100 % for, and the
        staff's minutes (the report route the web client downloads) list who attended."""
        accounts = self.assembly.resolution_ids[0]
        self._voter(self.assembly, self.dan).present = True
        self.assembly._portal_give_proxy(self.erin, self.dan.telecoop_member_number)
        ballot = self._vote(self.assembly, self.alice, accounts, "for")
        self.assembly.action_close()
        self.assembly.action_tally()
        self.authenticate("tc_agm_user", "tc_agm_user")
        report = self.env.ref("telecoop_agm.action_report_assembly_minutes")
        text = self.download_pdf(f"/report/pdf/{report.report_name}/{self.assembly.id}")
        self.assertIn("Minutes of the general assembly", text)
        self.assertIn("Attendance sheet", text)
        self.assertIn(self.dan.telecoop_member_number, text)
        self.assertIn(self.erin.telecoop_member_number, text)  # represented by Dan
        self.assertIn("100.00 %", text)  # the weighted result
        self.assertIn("Employees", text)  # the colleges
        self.assertIn("Entries in the ballot box: 1;", text)
        flat = text.replace(" ", "").replace("\n", "")
        self.assertIn(ballot.entry_hash, flat)

    def test_exported_box_downloaded_by_staff_only(self):
        self.assembly._portal_vote(
            self.alice, self.assembly.resolution_ids[0].id,
            self._choice(self.assembly.resolution_ids[0], "for").id,
        )  # fmt: skip
        self.assembly.action_close()
        url = f"/telecoop_agm/assemblies/{self.assembly.id}/ballot-box.json"
        login = self.logins[self.bob]
        self.authenticate(login, f"{login}_pw")
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("entry_hash", response.text)
        self.authenticate("tc_agm_user", "tc_agm_user")
        action = self.assembly.with_user(self.agm_user).action_export_ballot_box()
        self.assertEqual(action["url"], url)
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        self.assertIn("application/json", response.headers["Content-Type"])
        ok, message = ballot_chain.verify_export(response.text, self.assembly.box_anchor)
        self.assertTrue(ok, message)
        self.assertIn("1 entries in 2 boxes", message)

    def test_proxy_holder_page_hides_the_givers_earlier_choice(self):
        accounts = self.assembly.resolution_ids[0]
        self.assembly._portal_vote(self.bob, accounts.id, self._choice(accounts, "against").id)
        self.assembly._portal_give_proxy(self.bob, self.alice.telecoop_member_number)
        login = self.logins[self.alice]
        self.authenticate(login, f"{login}_pw")
        page = self.url_open(f"/my/assemblies/{self.assembly.id}")
        self.assertIn("You hold the proxies of", page.text)
        self.assertNotIn("Current vote", page.text)
        self.assertNotIn("btn-primary o_telecoop_choice_against", page.text)

    def test_no_online_ballot_on_a_resolution_voted_in_belenios(self):
        """The accounts are voted in Belenios (decided before the convocation): the page
        offers Alice no button for them, only for the surplus voted in Odoo, and a ballot
        posted by hand on the accounts is refused, nothing in their box."""
        assembly = self._create_assembly()
        accounts, surplus = assembly.resolution_ids.sorted("sequence")
        accounts.result_source = "belenios"
        assembly.action_convene()
        assembly.action_open()
        login = self.logins[self.alice]
        self.authenticate(login, f"{login}_pw")
        page = self.url_open(f"/my/assemblies/{assembly.id}")
        self.assertIn("o_telecoop_belenios", page.text)
        self.assertNotIn("o_telecoop_choice_for", page.text)
        self.assertIn("o_telecoop_choice_interest", page.text)
        response = self.url_open(
            f"/my/assemblies/{assembly.id}/vote",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "resolution_id": accounts.id,
                "choice_id": self._choice(accounts, "for").id,
            },
            allow_redirects=False,
        )
        self.assertIn("error=", response.headers.get("Location", ""))
        self.assertFalse(accounts.ballot_count)
        self.assertFalse(surplus.ballot_count)

    def test_my_shares_page_in_french(self):
        """The interest section finds its place on /my/shares in French too (its anchor
        is a class of each cooperative's section, not the English text of a title)."""
        self.env["res.lang"]._activate_and_install_lang("fr_FR")  # with the translations
        self.bob.lang = "fr_FR"
        login = self.logins[self.bob]
        self.authenticate(login, f"{login}_pw")
        response = self.url_open("/my/shares")
        self.assertEqual(response.status_code, 200)
        self.assertIn('class="mt-3 o_telecoop_my_requests"', response.text)
