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
