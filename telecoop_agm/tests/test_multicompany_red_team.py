# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Staff of a partner cooperative (company B) against the assemblies of company A.

The record rules already hide A's records (``tests/test_company_rules.py``); these
attacks go through the wizards, whose constraints and stored computes run as
superuser and so see A's records whatever the user.
"""

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import AgmCommon


@tagged("post_install", "-at_install")
class TestMultiCompanyRedTeam(AgmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.assembly = cls._open_assembly()
        cls.resolution = cls.assembly.resolution_ids.sorted("sequence")[:1]
        cls.company_b = cls.env["res.company"].create({"name": "Partner Coop B"})
        cls.env.user.company_ids |= cls.company_b
        groups = "base.group_user,telecoop_agm.telecoop_agm_group_manager"
        # only B allowed, and both allowed with B active
        cls.staff_b = new_test_user(
            cls.env,
            login="xco_agm_b",
            groups=groups,
            company_id=cls.company_b.id,
            company_ids=cls.company_b.ids,
        )
        cls.staff_ab = new_test_user(
            cls.env,
            login="xco_agm_ab",
            groups=groups,
            company_id=cls.company_b.id,
            company_ids=(cls.company | cls.company_b).ids,
        )

    def _as_b(self, user):
        return self.env(user=user, context={"allowed_company_ids": self.company_b.ids})

    def test_room_ballot_of_a_is_refused_without_naming_a_member(self):
        # Bob is in A's electorate but not on its attendance sheet: the check of the
        # room ran as superuser and answered B's staff with Bob's name and presence.
        voter = self._voter(self.assembly, self.bob)
        for user in (self.staff_b, self.staff_ab):
            env = self._as_b(user)
            with self.subTest(user=user.login):
                try:
                    env["telecoop.ballot.entry"].create(
                        {
                            "assembly_id": self.assembly.id,
                            "resolution_id": self.resolution.id,
                            "voter_id": voter.id,
                            "choice_id": self.resolution.choice_ids[:1].id,
                        }
                    )
                except AccessError as error:
                    self.assertNotIn("Bob", str(error))
                else:
                    self.fail("staff of B entered a ballot in an assembly of A")

    def test_allocation_wizard_of_b_refuses_an_assembly_of_a(self):
        # the wizard's assembly date is a stored compute (run as superuser): an
        # assembly of A in B's wizard read A's meeting date
        for user in (self.staff_b, self.staff_ab):
            env = self._as_b(user)
            with self.subTest(user=user.login), self.assertRaises(UserError):
                env["telecoop.surplus.allocation.wizard"].create(
                    {"company_id": self.company_b.id, "assembly_id": self.assembly.id}
                )
