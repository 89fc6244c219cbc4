# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, fields
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
        cls.share_class = cls.env["telecoop.share.class"].create(
            {
                "name": "Users share",
                "company_id": cls.company.id,
                "nominal_value": 100,
                "min_per_member": 1,
                "max_per_member": 50,
                "college_id": cls.college_users.id,
            }
        )
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

    @classmethod
    def _create_member(cls, name, shares=1, college=None, date="2026-01-15", **partner_vals):
        """A member holding ``shares`` paid shares since ``date``, in ``college``.

        A fixture shortcut for the tests of the other addons: it writes the issue
        movement directly, as the paid subscription workflow would.
        """
        college = college or cls.college_users
        partner = cls.env["res.partner"].create({"name": name, **partner_vals})
        cls.env["telecoop.share.line"].create(
            {
                "company_id": cls.company.id,
                "partner_id": partner.id,
                "share_class_id": cls.share_class.id,
                "college_id": college.id,
                "date": fields.Date.to_date(date),
                "movement_type": "issue",
                "quantity": shares,
                "amount": shares * cls.share_class.nominal_value,
            }
        )
        cls.env["telecoop.membership"].sudo().create(
            {
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "state": "member",
                "college_id": college.id,
                "admission_date": fields.Date.to_date(date),
                "member_number": f"T{partner.id:06d}",
            }
        )
        return partner
