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

from odoo.exceptions import UserError
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
    walked at once; Camille is a member of both, and each staff sees its own only."""

    second = PartnerStatutes

    def _memberships_as(self, staff, company):
        model = self.env["telecoop.membership"].with_user(staff)
        return model.with_context(allowed_company_ids=company.ids).search([])

    def test_one_person_member_of_both_each_staff_sees_its_own(self):
        a, b = self.coop_a, self.coop_b
        camille = a["person"].partner_id
        # Camille subscribes in TeleCoop's portal, then in the partner cooperative's
        self._use(a)
        self._validate_and_pay(self._subscribe_in_the_portal())
        self._admit_the_other_member()
        self._use(b)
        self._validate_and_pay(self._subscribe_in_the_portal())
        self._admit_the_other_member()
        number_a = camille.with_company(a["company"]).telecoop_member_number
        number_b = camille.with_company(b["company"]).telecoop_member_number
        self.assertTrue(number_a.startswith("TCJ-"))
        self.assertTrue(number_b.startswith("CP-"))
        self.assertEqual(len(camille.telecoop_membership_ids), 2)
        # each staff only ever sees its own members, numbers and register
        for coop, other in ((a, b), (b, a)):
            with self.subTest(company=coop["company_name"]):
                self._use(coop)
                memberships = self._memberships_as(self.staff, self.company)
                self.assertEqual(memberships.company_id, self.company)
                self.assertEqual(
                    memberships.partner_id, (self.person | self.other | self.third).partner_id
                )
                self.assertFalse(
                    self._as_staff(self.env["res.partner"]).search(
                        [
                            (
                                "telecoop_member_number",
                                "like",
                                other["statutes"]["member_number_prefix"],
                            )
                        ]
                    )
                )
                register = self._as_staff(self.env["telecoop.register.wizard"])._get_register(
                    self.company, self.today
                )
                self.assertEqual(
                    {row["member_number"] for row in register},
                    set(memberships.mapped("member_number")),
                )
                # the portal shows the membership of the cooperative Camille works in
                self._login(self.person)
                page = self.url_open("/my/shares").text
                own = camille.with_company(self.company).telecoop_member_number
                self.assertIn(own, page)
                self.assertNotIn(
                    camille.with_company(other["company"]).telecoop_member_number, page
                )
                # the electorate is the cooperative's own, with its numbers
                assembly = self._convene()
                voter = assembly.voter_ids.filtered(lambda v: v.partner_id == camille)
                self.assertEqual(voter.member_number, own)
                self.assertEqual(
                    self._as_staff(self.env["telecoop.assembly.voter"]).search([]).company_id,
                    self.company,
                )
        # a proxy given by the number Camille has in the other cooperative finds no one
        self._use(b)
        assembly = self.env["telecoop.assembly"].search([("company_id", "=", b["company"].id)])
        with self.assertRaisesRegex(UserError, "No member of the electorate"):
            assembly._portal_give_proxy(b["other"].partner_id, number_a)
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
        camille_a = camille.with_company(a["company"])
        self.assertTrue(camille_a.telecoop_is_member)
        self.assertEqual(camille_a.telecoop_member_number, number_a)
