# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TelecoopCommon


@tagged("post_install", "-at_install")
class TestStatuteProfile(TelecoopCommon):
    def test_company_finds_its_profile(self):
        self.assertEqual(self.company.telecoop_statute_profile_id, self.profile)

    @mute_logger("odoo.sql_db")
    def test_one_profile_per_company(self):
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["telecoop.statute.profile"].create(
                {"name": "Second statutes", "company_id": self.company.id}
            )

    def test_college_weight_outside_scic_bounds_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "outside the 10.0-50.0"):
            self.college_users.vote_weight = 55

    def test_college_weights_must_add_up_to_100(self):
        with self.assertRaisesRegex(ValidationError, "add up to 110"):
            self.profile.write(
                {
                    "college_ids": [
                        Command.create({"name": "Friends", "code": "friends", "vote_weight": 10})
                    ]
                }
            )

    def test_other_cooperative_has_other_rules(self):
        """A partner cooperative sets its own colleges and bounds: nothing is hard-coded."""
        other = self.env["res.company"].create({"name": "Other Coop"})
        profile = self.env["telecoop.statute.profile"].create(
            {
                "name": "SCOP statutes",
                "company_id": other.id,
                "legal_form": "scop",
                "share_nominal_value": 25,
                "college_weight_min": 0,
                "college_weight_max": 100,
                "college_ids": [
                    Command.create({"name": "Workers", "code": "workers", "vote_weight": 100})
                ],
            }
        )
        self.assertEqual(profile.college_ids.vote_weight, 100)
        self.assertEqual(other.telecoop_statute_profile_id.share_nominal_value, 25)

    def test_assembly_rule_lookup(self):
        rule = self.profile._get_assembly_rule("extraordinary", "first")
        self.assertEqual(rule.majority, "two_thirds")
        self.assertEqual(rule.quorum_percent, 25)
        self.assertFalse(self.profile._get_assembly_rule("extraordinary", "second"))

    def test_quorum_is_a_percentage(self):
        with self.assertRaises(ValidationError):
            self.profile.assembly_rule_ids[:1].quorum_percent = 120
