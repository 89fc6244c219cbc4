# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged

from .common import AgmCommon


@tagged("post_install", "-at_install")
class TestAgmTour(HttpCase, AgmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(
            cls.env,
            login="tc_agm_tour",
            password="tc_agm_tour_pw",
            groups="base.group_portal",
            partner_id=cls.bob.id,
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )
        cls.assembly = cls._open_assembly()

    def test_member_votes_in_the_browser(self):
        self.start_tour("/my/assemblies", "telecoop_agm_portal_vote", login="tc_agm_tour")
        accounts = self.assembly.resolution_ids[0]
        ballots = self.env["telecoop.ballot"].search(
            [("resolution_id", "=", accounts.id)], order="id"
        )
        self.assertEqual(ballots.partner_id, self.bob)
        self.assertEqual(ballots.mapped("choice_id.code"), ["for", "against"])
        accounts.assembly_id.action_close()
        accounts.assembly_id.action_tally()
        self.assertEqual(accounts.result_counted, 1)
        # one member of six takes part: under the 20 % quorum of a first call
        self.assertEqual(accounts.result_state, "no_quorum")
