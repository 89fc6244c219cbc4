# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Camille, member of two hosted cooperatives, in an assembly of the second one.

Her portal account works in TeleCoop (cooperative A, her user's company); the
partner cooperative (B) convenes its assembly. Through the portal, over HTTP,
she votes in B and gives a proxy in B: everything follows the assembly's
company, never the company her account works in.
"""

import importlib.util
import os
from datetime import timedelta
from urllib.parse import urlsplit

from odoo import Command, http
from odoo.tests import HttpCase, tagged

_spec = importlib.util.spec_from_file_location(
    "telecoop_journey_common", os.path.join(os.path.dirname(__file__), "journey_common.py")
)
journey_common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(journey_common)


@tagged("post_install", "-at_install")
class TestAssemblyOfTheOtherCooperative(
    journey_common.TwoCooperatives,
    journey_common.TeleCoopStatutes,
    journey_common.MemberJourney,
    HttpCase,
):
    second = journey_common.PartnerStatutes

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        a, b = cls.coop_a, cls.coop_b
        # B: Camille and Eden in the users college (50), Dominique in the workers one (30)
        workers = b["profile"].college_ids.filtered(lambda c: c.code == "workers")
        b_workers_class = cls.env["telecoop.share.class"].create(
            {
                "name": "Partner workers share",
                "company_id": b["company"].id,
                "nominal_value": 50,
                "min_per_member": 1,
                "max_per_member": 20,
                "college_id": workers.id,
            }
        )
        cls._admit_in(a, a["person"], a["share_class"])
        cls._admit_in(a, a["other"], a["share_class"])
        cls._admit_in(b, a["person"], b["share_class"])
        cls._admit_in(b, b["other"], b_workers_class)
        cls._admit_in(b, b["third"], b["share_class"])
        cls.camille = a["person"]
        # her account works in A, as when she signed up there
        cls.camille.company_id = a["company"]
        cls.assembly_a = cls._open_assembly_in(a)
        cls.assembly_b = cls._open_assembly_in(b)

    @classmethod
    def _admit_in(cls, coop, user, share_class):
        """A member of ``coop`` through the staff's path: request validated, invoice paid."""
        staff_env = cls.env(user=coop["staff"], context=dict(cls.env.context,
                            allowed_company_ids=coop["company"].ids))  # fmt: skip
        request = staff_env["telecoop.subscription.request"].create(
            {
                "company_id": coop["company"].id,
                "partner_id": user.partner_id.id,
                "share_class_id": share_class.id,
                "quantity": 1,
            }
        )
        request.action_validate()
        staff_env["account.payment.register"].with_context(
            active_model="account.move", active_ids=request.invoice_id.ids
        ).create(
            {"payment_date": cls.today, "journal_id": coop["bank_journal"].id}
        )._create_payments()
        assert request.state == "done", request.state

    @classmethod
    def _open_assembly_in(cls, coop):
        staff_env = cls.env(user=coop["staff"], context=dict(cls.env.context,
                            allowed_company_ids=coop["company"].ids))  # fmt: skip
        assembly = staff_env["telecoop.assembly"].create(
            {
                "name": f"AGO {coop['company_name']}",
                "company_id": coop["company"].id,
                "assembly_type": "ordinary",
                "call": "first",
                "date": cls.now + timedelta(days=1),
                "record_date": cls.today,
                "vote_start": cls.now - timedelta(hours=1),
                "vote_end": cls.now + timedelta(days=1),
                "resolution_ids": [
                    Command.create({"name": "Approval of the accounts", "sequence": 1})
                ],
            }
        )
        assembly.action_convene()
        assembly.action_open()
        return assembly

    def _voter(self, assembly, user):
        return assembly.sudo().voter_ids.filtered(lambda v: v.partner_id == user.partner_id)

    def _choice(self, assembly, code):
        return assembly.resolution_ids.choice_ids.filtered(lambda c: c.code == code)

    def _vote(self, assembly, code):
        resolution = assembly.resolution_ids
        return self._post(
            f"/my/assemblies/{assembly.id}/vote",
            resolution_id=resolution.id,
            choice_id=self._choice(assembly, code).id,
        )

    def test_vote_in_the_other_cooperative_counted_once_there(self):
        a, b = self.coop_a, self.coop_b
        assembly_a, assembly_b = self.assembly_a, self.assembly_b
        self.assertEqual(self.camille.company_id, a["company"], "her account works in A")
        self.assertEqual(
            self._voter(assembly_b, self.camille).college_id.code, "users", "B's users college"
        )
        self._login(self.camille)
        listing = self.url_open("/my/assemblies").text
        self.assertIn(assembly_b.name, listing)
        page = self.url_open(f"/my/assemblies/{assembly_b.id}")
        self.assertEqual(page.status_code, 200)
        self.assertEqual(urlsplit(page.url).path, f"/my/assemblies/{assembly_b.id}")
        # the page wears B's logo, not that of A where her account works
        self.assertIn(f"/logo.png?company={b['company'].id}", page.text)
        self.assertNotIn(f"/logo.png?company={a['company'].id}", page.text)
        response = self._vote(assembly_b, "for")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your vote is recorded", response.text)
        # Dominique, a member of B only (workers college), votes against
        self._login(b["other"])
        self.assertIn("Your vote is recorded", self._vote(assembly_b, "against").text)
        Ballot = self.env["telecoop.ballot"].sudo()
        ballots_b = Ballot.search([("assembly_id", "=", assembly_b.id)])
        self.assertEqual(len(ballots_b), 2)
        mine = ballots_b.filtered(lambda x: x.voter_id == self._voter(assembly_b, self.camille))
        self.assertEqual(len(mine), 1, "her vote, once")
        self.assertEqual(mine.channel, "online")
        self.assertEqual(mine.company_id, b["company"])
        # nothing in A: neither a ballot nor a vote of hers in A's assembly
        self.assertFalse(Ballot.search([("assembly_id", "=", assembly_a.id)]))
        self.assertFalse(
            Ballot.search(
                [
                    ("company_id", "=", a["company"].id),
                    ("voter_id.partner_id", "=", self.camille.partner_id.id),
                ]
            )
        )
        # B's staff tally with B's colleges: users 50, workers 30, supporters 20 (empty).
        # Rule 3: supporters' 20 redistributed pro rata: users 50/80 = 62.5 %, workers
        # 30/80 = 37.5 %. Users: 1 for of 1; workers: 1 against of 1.
        # For = 62.5 %, against = 37.5 %: adopted (simple majority).
        staff_b = assembly_b.with_user(b["staff"]).with_context(
            allowed_company_ids=b["company"].ids
        )
        staff_b.action_close()
        staff_b.action_tally()
        resolution = assembly_b.resolution_ids
        self.assertEqual((resolution.result_counted, resolution.result_expressed), (2, 2))
        self.assertEqual(resolution.result_state, "adopted")
        table = resolution._get_result_table()
        colleges = {row["college"].code: row for row in table["colleges"]}
        self.assertEqual(colleges["users"]["weight"], 50)
        self.assertEqual(colleges["workers"]["weight"], 30)
        self.assertAlmostEqual(colleges["users"]["effective_weight"], 62.5)
        self.assertAlmostEqual(colleges["workers"]["effective_weight"], 37.5)
        self.assertEqual(colleges["users"]["counted"], 1, "Camille counted once in users")
        weighted = table["weighted"]
        self.assertAlmostEqual(weighted[self._choice(assembly_b, "for").id][1], 62.5)
        self.assertAlmostEqual(weighted[self._choice(assembly_b, "against").id][1], 37.5)
        # A's assembly, still open, has received nothing
        self.assertEqual(assembly_a.state, "open")
        self.assertFalse(assembly_a.resolution_ids.result_counted)

    def test_proxy_in_the_other_cooperative(self):
        a, b = self.coop_a, self.coop_b
        assembly_b = self.assembly_b
        Proxy = self.env["telecoop.assembly.proxy"].sudo()
        self._login(self.camille)
        # to a member of A only (Dominique of TeleCoop, with TeleCoop's number): refused
        a_only = a["other"].partner_id.with_company(a["company"]).telecoop_member_number
        self.assertTrue(a_only)
        response = self._post(f"/my/assemblies/{assembly_b.id}/proxy", holder_number=a_only)
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"No member of the electorate has the member number {a_only}.", response.text)
        self.assertFalse(Proxy.search([("assembly_id", "=", assembly_b.id)]))
        # her own number in A is no number in B either
        number_a = self.camille.partner_id.with_company(a["company"]).telecoop_member_number
        response = self._post(f"/my/assemblies/{assembly_b.id}/proxy", holder_number=number_a)
        self.assertIn(
            f"No member of the electorate has the member number {number_a}.", response.text
        )
        self.assertFalse(Proxy.search([("assembly_id", "=", assembly_b.id)]))
        # to Eden, a member of B, by B's number: accepted
        eden_number = b["third"].partner_id.with_company(b["company"]).telecoop_member_number
        self.assertTrue(eden_number.startswith("CP-"))
        response = self._post(f"/my/assemblies/{assembly_b.id}/proxy", holder_number=eden_number)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(urlsplit(response.url).path, f"/my/assemblies/{assembly_b.id}")
        self.assertIn(
            f"You gave a proxy to <strong>{b['third'].partner_id.name}</strong>", response.text
        )
        proxy = Proxy.search([("assembly_id", "=", assembly_b.id)])
        self.assertEqual(proxy.state, "active")
        self.assertEqual(proxy.giver_id, self._voter(assembly_b, self.camille))
        self.assertEqual(proxy.holder_id, self._voter(assembly_b, b["third"]))
        self.assertEqual(proxy.company_id, b["company"])
        self.assertFalse(Proxy.search([("assembly_id", "=", self.assembly_a.id)]))

    def test_member_of_a_only_refused_on_the_other_assembly(self):
        a = self.coop_a
        assembly_b = self.assembly_b
        # Dominique of TeleCoop: a member of A, not of B
        self._login(a["other"])
        listing = self.url_open("/my/assemblies").text
        self.assertIn(self.assembly_a.name, listing, "her own cooperative's assembly")
        self.assertNotIn(assembly_b.name, listing)
        page = self.url_open(f"/my/assemblies/{assembly_b.id}", allow_redirects=False)
        self.assertEqual(page.status_code, 303)
        self.assertEqual(urlsplit(page.headers["Location"]).path, "/my")
        # her vote on B's assembly: sent to /my (the portal's answer to a document one
        # may not read, as for the invoices), not a 500 and not a ballot
        url = f"/my/assemblies/{assembly_b.id}/vote"
        data = {
            "resolution_id": assembly_b.resolution_ids.id,
            "choice_id": self._choice(assembly_b, "for").id,
            "csrf_token": http.Request.csrf_token(self),
        }
        response = self.url_open(url, data=data, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(urlsplit(response.headers["Location"]).path, "/my")
        followed = self.url_open(url, data=data)
        self.assertEqual(urlsplit(followed.url).path, "/my")
        self.assertNotIn(assembly_b.name, followed.text)
        self.assertFalse(
            self.env["telecoop.ballot"].sudo().search([("assembly_id", "=", assembly_b.id)])
        )
        # nor a proxy: B's proxy route sends her to /my as well
        eden_number = (
            self.coop_b["third"]
            .partner_id.with_company(self.coop_b["company"])
            .telecoop_member_number
        )
        response = self.url_open(
            f"/my/assemblies/{assembly_b.id}/proxy",
            data={"holder_number": eden_number, "csrf_token": data["csrf_token"]},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(urlsplit(response.headers["Location"]).path, "/my")
        self.assertFalse(
            self.env["telecoop.assembly.proxy"].sudo().search([("assembly_id", "=", assembly_b.id)])
        )
