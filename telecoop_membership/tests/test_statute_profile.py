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
        # the company finds its own profile; ours is untouched
        self.assertEqual(other.telecoop_statute_profile_id, profile)
        self.assertNotEqual(self.company.telecoop_statute_profile_id, profile)
        # the bounds checked are this profile's, 0-100: 100 passed, 101 does not
        with self.assertRaises(ValidationError):
            profile.college_ids.vote_weight = 101

    def test_assembly_rule_lookup(self):
        rule = self.profile._get_assembly_rule("extraordinary", "first")
        self.assertEqual(rule.majority, "two_thirds")
        self.assertEqual(rule.quorum_percent, 25)
        self.assertFalse(self.profile._get_assembly_rule("extraordinary", "second"))

    def test_quorum_is_a_percentage(self):
        with self.assertRaises(ValidationError):
            self.profile.assembly_rule_ids[:1].quorum_percent = 120


@tagged("post_install", "-at_install")
class TestStatuteLegalGuards(TelecoopCommon):
    """Each value the law forbids, refused with its article (services/statute_law.py)."""

    def _other_profile(self, legal_form, **vals):
        company = self.env["res.company"].create({"name": f"{legal_form} Coop"})
        return self.env["telecoop.statute.profile"].create(
            {"name": f"{legal_form} statutes", "company_id": company.id,
             "legal_form": legal_form, **vals}
        )  # fmt: skip

    def test_scic_illegal_values_are_refused_with_their_article(self):
        cases = [
            ("college_weight_min", 5, "art. 19 octies"),
            ("college_weight_max", 60, "art. 19 octies"),
            ("legal_reserve_rate", 10, "47-1775 du 10 septembre 1947, art. 16"),
            ("statutory_reserve_rate", 40, "art. 19 nonies"),
            ("interest_cap_margin", 2.5, "art. 14"),
            ("buyback_delay_months", 61, "art. 18"),
        ]
        for name, value, article in cases:
            with (
                self.subTest(field=name),
                self.assertRaisesRegex(ValidationError, f"outside the law:\n- .*{article}"),
                self.env.cr.savepoint(),
            ):
                self.profile.write({name: value})
        # the limits themselves are legal
        self.profile.write(
            {
                "college_weight_min": 10,
                "college_weight_max": 50,
                "legal_reserve_rate": 15,
                "statutory_reserve_rate": 50,
                "interest_cap_margin": 2,
                "buyback_delay_months": 60,
            }
        )

    def test_scic_without_colleges_has_no_college_bounds(self):
        profile = self._other_profile("scic", college_weight_min=0, college_weight_max=100)
        self.assertFalse(profile.college_ids)

    def test_scop_has_its_own_rules(self):
        profile = self._other_profile(
            "scop",
            college_weight_min=0,
            college_weight_max=100,
            statutory_reserve_rate=0,
            college_ids=[Command.create({"name": "Workers", "code": "w", "vote_weight": 100})],
        )
        with self.assertRaisesRegex(ValidationError, "78-763 du 19 juillet 1978, art. 33"):
            profile.legal_reserve_rate = 10
        with self.assertRaisesRegex(ValidationError, "art. 14"):
            profile.interest_cap_margin = 3
        with self.assertRaisesRegex(ValidationError, "art. 18"):
            profile.buyback_delay_months = 120

    def test_other_cooperatives_keep_free_values(self):
        profile = self._other_profile(
            "coop",
            college_weight_min=0,
            college_weight_max=100,
            legal_reserve_rate=5,
            statutory_reserve_rate=0,
            interest_cap_margin=4,
            buyback_delay_months=120,
        )
        self.assertEqual(profile.buyback_delay_months, 120)
        # plain bounds still hold for everyone
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"), self.env.cr.savepoint():
            profile.legal_reserve_rate = 120
        with self.assertRaisesRegex(ValidationError, "too large"):
            profile.max_shares_per_member = 10**12
        share_class = self.share_class
        with self.assertRaisesRegex(ValidationError, "too large"):
            share_class.max_per_member = 10**12

    def test_capital_floor_is_a_quarter_of_the_highest_capital_reached(self):
        """Highest capital 2,000 (20 shares), then 1,500 after a buy-back: the law's
        floor stays a quarter of 2,000 = 500 (loi 47-1775 art. 13)."""
        member = self._create_member("Big", shares=20, date="2025-01-10")
        self.env["telecoop.share.line"].create(
            {
                "company_id": self.company.id,
                "partner_id": member.id,
                "share_class_id": self.share_class.id,
                "college_id": self.college_users.id,
                "date": "2025-06-01",
                "movement_type": "buyback",
                "quantity": -5,
                "amount": -500,
            }
        )
        self.profile.invalidate_recordset(["highest_capital", "legal_capital_floor"])
        self.assertEqual(self.profile.highest_capital, 2000)
        self.assertEqual(self.profile.legal_capital_floor, 500)
        with self.assertRaisesRegex(
            ValidationError, r"highest capital reached \(2000.0\).*art\. 13"
        ):
            self.profile.capital_floor = 499
        self.profile.capital_floor = 500
        self.assertEqual(self.profile._get_capital_floor(), 500)
        # an ordinary cooperative: no floor of the law
        self.profile.write({"legal_form": "coop", "capital_floor": 0})
        self.assertEqual(self.profile._get_capital_floor(), 0)
