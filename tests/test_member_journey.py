# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The whole member life across the three addons, on two cooperatives.

A person subscribes one share in the portal -> staff validate -> the share
invoice is paid -> the person is a member with a number in the "users" college
-> a line is activated on the tiered plan -> the host operator's CDR file of
the month is imported -> the billing run invoices the base fee plus the data
band -> the member sees consumption and invoice in the portal (another member
does not) -> the assembly is convened, the member votes online (also for the
other member, who gave a proxy) -> tally -> the surplus is allocated as voted
and the entry is booked.

The same code runs on TeleCoop's statutes and on a partner cooperative's: only
the statutes, the plan and the expected figures differ.
"""

import importlib.util
import os

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

_spec = importlib.util.spec_from_file_location(
    "telecoop_journey_common", os.path.join(os.path.dirname(__file__), "journey_common.py")
)
journey_common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(journey_common)
TeleCoopStatutes = journey_common.TeleCoopStatutes
PartnerStatutes = journey_common.PartnerStatutes
MemberJourney = journey_common.MemberJourney


class WalkTheJourney:
    """The journey in one test: each step asserts what a person would check."""

    def test_member_journey(self):
        request = self._subscribe_in_the_portal()
        member = self._validate_and_pay(request)
        self._admit_the_other_member()
        line, other_line = self._activate_lines(member)
        self._import_the_month(line, other_line)
        __, invoice = self._bill_the_month(line)
        self._member_sees_line_and_invoice(line, other_line, invoice)
        assembly = self._convene()
        accounts, allocation = self._vote_online(assembly)
        self._tally(assembly, accounts, allocation)
        self._allocate_the_surplus(allocation)


@tagged("post_install", "-at_install")
class TestTeleCoopMemberJourney(WalkTheJourney, TeleCoopStatutes, MemberJourney, HttpCase):
    """TeleCoop: 100 EUR shares, four colleges, the "ajustable" plan from 14 EUR."""


@tagged("post_install", "-at_install")
class TestPartnerCooperativeMemberJourney(WalkTheJourney, PartnerStatutes, MemberJourney, HttpCase):
    """A partner cooperative: 50 EUR shares, three colleges 50/30/20, 60 % statutory
    reserves, one proxy per member, its own plan. The same code, other figures."""

    def test_proxy_over_the_cap_leaves_nothing(self):
        """A proxy over the statutory cap, given in the portal, shows the refusal and
        is not recorded (the route runs the model method in a savepoint)."""
        self._admit(self.person, self.other, self.third)
        assembly = self._convene()
        holder_number = self.person.partner_id.telecoop_member_number
        for user in (self.other, self.third):
            self._login(user)
            response = self._post(
                f"/my/assemblies/{assembly.id}/proxy", holder_number=holder_number
            )
        self.assertIn("the statutes allow 1", response.text)
        active = self.env["telecoop.assembly.proxy"].search(
            [("assembly_id", "=", assembly.id), ("state", "=", "active")]
        )
        self.assertEqual(active.giver_id.partner_id, self.other.partner_id)


@tagged("post_install", "-at_install")
class TestTwoCooperativesOneDatabase(
    journey_common.TwoCooperatives, TeleCoopStatutes, MemberJourney, HttpCase
):
    """TeleCoop and the partner cooperative hosted as two companies of one database,
    walked at once, step by step in turn; Camille is a member of both, and each
    staff sees its own only."""

    second = PartnerStatutes

    def _staff_search(self, model, domain=()):
        """What the staff of the cooperative in use finds of ``model``."""
        return (
            self.env[model]
            .with_user(self.staff)
            .with_context(allowed_company_ids=self.company.ids)
            .search(list(domain))
        )

    def _both(self, step, *args):
        """Run ``step`` in TeleCoop, then in the partner cooperative: {coop key: result}.

        ``args`` are {coop key: value} given to each its own."""
        results = {}
        for key, coop in (("a", self.coop_a), ("b", self.coop_b)):
            self._use(coop)
            results[key] = step(*(arg[key] for arg in args))
        return results

    def test_both_journeys_at_once_each_staff_sees_its_own(self):
        a, b = self.coop_a, self.coop_b
        camille = a["person"].partner_id
        # 1. Camille subscribes in TeleCoop's portal, then in the partner cooperative's
        requests = self._both(self._subscribe_in_the_portal)
        members = self._both(self._validate_and_pay, requests)
        self._both(self._admit_the_other_member)
        self.assertEqual(members["a"], members["b"], "one person")
        number_a = camille.with_company(a["company"]).telecoop_member_number
        number_b = camille.with_company(b["company"]).telecoop_member_number
        self.assertTrue(number_a.startswith("TCJ-"))
        self.assertTrue(number_b.startswith("CP-"))
        self.assertEqual(len(camille.telecoop_membership_ids), 2)
        # 2. a line each, the month's usage, the billing run and the invoice; the host
        # operators send files with the same record ids: each is its cooperative's
        lines = self._both(self._activate_lines, members)
        self._both(lambda pair: self._import_the_month(*pair), lines)
        bills = self._both(self._bill_the_month, {k: pair[0] for k, pair in lines.items()})
        invoices = {k: bill[1] for k, bill in bills.items()}
        self._both(
            lambda pair, invoice: self._member_sees_line_and_invoice(*pair, invoice),
            lines,
            invoices,
        )
        # the published prices of each plan, on each member's invoice
        self.assertEqual((invoices["a"].amount_untaxed, invoices["a"].amount_total), (16.0, 19.2))
        self.assertEqual((invoices["b"].amount_untaxed, invoices["b"].amount_total), (12.0, 14.4))
        self.assertEqual(invoices["a"].company_id, a["company"])
        self.assertEqual(invoices["b"].company_id, b["company"])
        # 3. an assembly each: Camille votes in both, each tally counts its own
        assemblies = self._both(self._convene)
        votes = self._both(self._vote_online, assemblies)
        self._both(lambda assembly, vote: self._tally(assembly, *vote), assemblies, votes)
        self._both(lambda vote: self._allocate_the_surplus(vote[1]), votes)
        # 4. each staff only ever sees its own
        for key, other_key in (("a", "b"), ("b", "a")):
            with self.subTest(company=key):
                self._use(a if key == "a" else b)
                self._assert_staff_sees_its_own(key, lines, invoices, assemblies, other_key)
                self._assert_portal_shows_its_own(
                    lines[key], invoices[key], assemblies[key],
                    lines[other_key], invoices[other_key], assemblies[other_key],
                )  # fmt: skip
        self._leave_one_keep_the_other(number_a, number_b, assemblies["b"])

    def _assert_staff_sees_its_own(self, key, lines, invoices, assemblies, other_key):
        company = self.company
        people = (self.person | self.other | self.third).partner_id
        expected = self.expected
        found = {
            model: self._staff_search(model)
            for model in (
                "telecoop.membership",
                "telecoop.mobile.line",
                "telecoop.priced.month",
                "telecoop.usage.record",
                "telecoop.usage.import",
                "telecoop.billing.run",
                "telecoop.assembly",
                "telecoop.assembly.voter",
                "telecoop.ballot",
                "telecoop.resolution.result",
            )
        }
        for model, records in found.items():
            with self.subTest(model=model):
                self.assertTrue(records, f"the staff finds its own {model}")
                self.assertEqual(records.company_id, company, f"{model}: its own only")
        self.assertEqual(found["telecoop.membership"].partner_id, people)
        self.assertEqual(
            set(found["telecoop.mobile.line"].mapped("msisdn")),
            {expected["msisdn"], expected["other_msisdn"]},
        )
        self.assertEqual(
            found["telecoop.priced.month"].line_id, found["telecoop.mobile.line"], "a month each"
        )
        # J-1 .. J-5 of its own host operator's file (J-6 rejected), not the other's
        self.assertEqual(
            sorted(found["telecoop.usage.record"].mapped("record_id")),
            ["J-1", "J-2", "J-3", "J-4", "J-5"],
        )
        self.assertEqual(found["telecoop.assembly"], assemblies[key])
        self.assertEqual(len(found["telecoop.ballot"]), 6, "three members, two resolutions")
        self.assertEqual(found["telecoop.assembly.voter"].partner_id, people)
        self.assertEqual(
            found["telecoop.resolution.result"].resolution_id, assemblies[key].resolution_ids
        )
        moves = self._staff_search("account.move", [("move_type", "=", "out_invoice")])
        self.assertEqual(moves.company_id, company)
        self.assertIn(invoices[key], moves)
        self.assertNotIn(invoices[other_key], moves)
        # the other cooperative's records, opened by their id, are refused
        for record in (
            lines[other_key][0],
            invoices[other_key],
            assemblies[other_key],
            assemblies[other_key].resolution_ids[:1],
        ):
            with self.subTest(record=record):
                with self.assertRaises(AccessError):
                    record.with_user(self.staff).with_context(
                        allowed_company_ids=company.ids
                    ).check_access("read")

    def _assert_portal_shows_its_own(
        self, pair, invoice, assembly, other_pair, other_invoice, other_assembly
    ):
        """Camille's portal, whichever cooperative her account works in: her shares,
        numbers and certificates, lines, invoices and assemblies of both cooperatives
        (as Odoo's portal lists the invoices of all the user's companies), each page
        and each section with the figures of its own cooperative."""
        self._login(self.person)
        camille = self.person.partner_id
        other_company = other_invoice.company_id
        other = self.coop_b if other_company == self.coop_b["company"] else self.coop_a
        shares = self.url_open("/my/shares").text
        sections = {
            int(part.split('data-company-id="', 1)[1].split('"', 1)[0]): part
            for part in shares.split('<div class="o_telecoop_cooperative ')[1:]
        }
        self.assertEqual(list(sections), [self.company.id, other_company.id], "hers first")
        for company in (self.company, other_company):
            number = camille.with_company(company).telecoop_member_number
            self.assertIn(f'o_telecoop_member_number">{number}<', sections[company.id])
            membership = self.env["telecoop.membership"]._get_for(camille, company)
            text = self.download_pdf(f"/my/shares/{membership.id}/certificate")
            self.assertIn(company.name, text)
            self.assertIn(number, text)
        # the other cooperative's line, read while her account works in this one
        page = self.url_open(f"/my/lines/{other_pair[0].id}").text
        self.assertIn(self._money(other["expected"]["member_total"]), page)
        detail = self.url_open(f"/my/invoices/{other_invoice.id}?report_type=html").text
        self.assertIn(other_company.name, detail)
        self.assertIn(self._money(other["expected"]["member_total"]), detail)
        self.assertIn(other["expected"]["band_label"], detail)
        self.assertEqual(self.url_open(f"/my/assemblies/{other_assembly.id}").status_code, 200)
        page = self.url_open("/my/lines").text
        phone = self.env["telecoop.format"].phone  # the numbers as a person reads them
        for line, plan in ((pair[0], self.tiered_plan), (other_pair[0], other_pair[0].plan_id)):
            self.assertIn(phone(line.msisdn), page)
            self.assertIn(plan.name, page)
        # her line's tracker and invoice: this cooperative's plan price and VAT
        page = self.url_open(f"/my/lines/{pair[0].id}").text
        self.assertIn(self._money(self.expected["member_total"]), page)
        self.assertIn(self._money(self.tiered_plan.base_fee * 1.2), page)
        page = self.url_open("/my/invoices").text
        self.assertIn(invoice.name, page)
        self.assertIn(other_invoice.name, page)
        detail = self.url_open(f"/my/invoices/{invoice.id}?report_type=html").text
        self.assertIn(self.company.name, detail)
        self.assertIn(self._money(self.expected["member_total"]), detail)
        self.assertIn(self.expected["band_label"], detail)
        self.assertNotIn(phone(other_pair[0].msisdn), detail)
        page = self.url_open("/my/assemblies").text
        self.assertIn(assembly.name, page)
        self.assertIn(other_assembly.name, page)
        # the other members of this cooperative see none of Camille's
        self._login(self.other)
        for url in (f"/my/lines/{pair[0].id}", f"/my/invoices/{invoice.id}"):
            response = self.url_open(url, allow_redirects=False)
            self.assertIn(response.status_code, (302, 303, 403, 404))
        self.assertNotIn(pair[0].msisdn, self.url_open("/my/lines").text)
        self.assertNotIn(other_pair[0].msisdn, self.url_open("/my/lines").text)

    def _leave_one_keep_the_other(self, number_a, number_b, assembly_b):
        a, b = self.coop_a, self.coop_b
        camille = a["person"].partner_id
        # a proxy given by the number Camille has in the other cooperative finds no one
        self._use(b)
        with self.assertRaisesRegex(UserError, "No member of the electorate"):
            assembly_b._portal_give_proxy(b["third"].partner_id, number_a)
        # leaving the partner cooperative (its share bought back) keeps TeleCoop's
        buyback = self._as_staff(self.env["telecoop.share.buyback"]).create(
            {
                "company_id": self.company.id,
                "partner_id": camille.id,
                "share_class_id": self.share_class.id,
                "quantity": 1,
                "decision_date": self.today,
            }
        )
        buyback.action_approve()
        camille_b = camille.with_company(b["company"])
        self.assertFalse(camille_b.telecoop_is_member)
        self.assertEqual(camille_b.telecoop_member_until, self.today)
        self.assertEqual(camille_b.telecoop_member_number, number_b, "a former member's number")
        self.assertEqual(
            self.env["telecoop.membership"]._get_for(camille, b["company"]).state, "former"
        )
        camille_a = camille.with_company(a["company"])
        self.assertTrue(camille_a.telecoop_is_member)
        self.assertEqual(camille_a.telecoop_member_number, number_a)
