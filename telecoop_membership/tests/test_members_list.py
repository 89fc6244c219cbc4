# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import TelecoopCommon


@tagged("post_install", "-at_install")
class TestMembersList(TelecoopCommon):
    """The members list of the staff: state, number, college, shares held; per company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member = cls._create_member("Listed Member", shares=3, email="listed@example.org")
        cls.candidate = cls.env["res.partner"].create({"name": "Listed Candidate"})
        cls.env["telecoop.membership"]._ensure(cls.candidate, cls.company)
        cls.other = cls.env["res.company"].create({"name": "Other Coop"})
        cls.stranger = cls.env["res.partner"].create({"name": "Stranger Member"})
        cls.env["telecoop.membership"]._ensure(cls.stranger, cls.other)

    def test_user_reads_state_number_college_and_shares_held(self):
        memberships = self.env["telecoop.membership"].with_user(self.membership_user)
        rows = memberships.search([("partner_id", "in", (self.member | self.candidate).ids)])
        by_partner = {m.partner_id: m for m in rows}
        member = by_partner[self.member]
        self.assertEqual(member.state, "member")
        self.assertEqual(member.member_number, self.member.telecoop_member_number)
        self.assertEqual(member.college_id, self.college_users)
        self.assertEqual(member.share_count, 3)
        self.assertEqual(member.share_amount, 300)
        self.assertEqual(member.email, "listed@example.org")
        self.assertEqual(by_partner[self.candidate].state, "candidate")
        self.assertEqual(by_partner[self.candidate].share_count, 0)

    def test_search_by_name_or_number_and_filters(self):
        memberships = self.env["telecoop.membership"].with_user(self.membership_user)
        number = self.member.telecoop_member_number
        by_number = memberships.search(
            ["|", ("partner_id", "ilike", number), ("member_number", "ilike", number)]
        )
        self.assertEqual(by_number.partner_id, self.member)
        candidates = memberships.search([("state", "=", "candidate")])
        self.assertIn(self.candidate, candidates.partner_id)
        self.assertNotIn(self.member, candidates.partner_id)
        groups = memberships.formatted_read_group(
            [("company_id", "=", self.company.id)], ["state"], ["__count"]
        )
        counts = {group["state"]: group["__count"] for group in groups}
        self.assertEqual(counts.get("member"), 1)
        self.assertEqual(counts.get("candidate"), 1)

    def test_another_cooperative_members_are_invisible(self):
        rows = self.env["telecoop.membership"].with_user(self.membership_user).search([])
        self.assertNotIn(self.stranger, rows.partner_id)

    def test_staff_read_but_never_write_and_others_get_access_error(self):
        membership = self.env["telecoop.membership"]._get_for(self.member, self.company)
        with self.assertRaises(AccessError):
            membership.with_user(self.membership_manager).write({"state": "former"})
        with self.assertRaises(AccessError):
            membership.with_user(self.internal_user).read(["state"])
        # a note in the chatter is allowed to the staff who read it
        membership.with_user(self.membership_user).message_post(body="Called the member")
        self.assertIn("Called the member", membership.message_ids[0].body)

    def test_views_and_menu(self):
        action = self.env.ref("telecoop_membership.telecoop_membership_action")
        self.assertEqual(action.view_mode, "list,kanban,form")
        menu = self.env.ref("telecoop_membership.telecoop_membership_menu")
        self.assertEqual(
            menu.parent_id, self.env.ref("telecoop_membership.telecoop_membership_menu_members")
        )
        for view in ("list", "kanban", "form", "search"):
            self.env["telecoop.membership"].with_user(self.membership_user).get_view(view_type=view)
