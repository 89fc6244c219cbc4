# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class TelecoopCommon(TransactionCase):
    """A cooperative with its own statutes and staff of each group.

    Shared by the tests of the three addons: they never depend on demo data.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env["res.company"].create({"name": "Test Coop SCIC"})
        cls.env.user.company_ids |= cls.company
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company.ids))
        cls.profile = cls.env["telecoop.statute.profile"].create(
            {
                "name": "Test Coop statutes",
                "company_id": cls.company.id,
                "share_nominal_value": 100,
                "min_shares_per_member": 1,
                "max_shares_per_member": 50,
                "capital_floor": 1000,
                "proxy_cap": 2,
                "college_ids": [
                    Command.create({"name": "Users", "code": "users", "vote_weight": 40}),
                    Command.create({"name": "Employees", "code": "employees", "vote_weight": 20}),
                    Command.create({"name": "Founders", "code": "founders", "vote_weight": 20}),
                    Command.create({"name": "Partners", "code": "partners", "vote_weight": 20}),
                ],
                "assembly_rule_ids": [
                    Command.create(
                        {"assembly_type": "ordinary", "call": "first", "quorum_percent": 20}
                    ),
                    Command.create(
                        {"assembly_type": "ordinary", "call": "second", "quorum_percent": 0}
                    ),
                    Command.create(
                        {
                            "assembly_type": "extraordinary",
                            "call": "first",
                            "quorum_percent": 25,
                            "majority": "two_thirds",
                        }
                    ),
                ],
            }
        )
        cls.college_users = cls.profile.college_ids.filtered(lambda c: c.code == "users")
        company_args = {"company_id": cls.company.id, "company_ids": cls.company.ids}
        cls.membership_user = new_test_user(
            cls.env,
            login="tc_membership_user",
            groups="base.group_user,telecoop_membership.telecoop_membership_group_user",
            **company_args,
        )
        cls.membership_manager = new_test_user(
            cls.env,
            login="tc_membership_manager",
            groups="base.group_user,telecoop_membership.telecoop_membership_group_manager",
            **company_args,
        )
        cls.internal_user = new_test_user(
            cls.env, login="tc_internal", groups="base.group_user", **company_args
        )
        cls.portal_user = new_test_user(
            cls.env, login="tc_portal", groups="base.group_portal", **company_args
        )
