# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Guards beside the security matrix (``test_security_matrix``, which tries every
record rule and portal route per role): staff without the membership groups, the
write of a request, the append-only register, the member card's fields."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import TelecoopCommon


@tagged("post_install", "-at_install")
class TestMembershipSecurity(TelecoopCommon):
    def test_user_reads_but_does_not_edit_statutes(self):
        profile = self.profile.with_user(self.membership_user)
        self.assertEqual(
            profile.college_ids.mapped("code"), ["users", "employees", "founders", "partners"]
        )
        with self.assertRaises(AccessError):
            profile.write({"proxy_cap": 10})

    def test_manager_edits_statutes(self):
        self.assertNotEqual(self.profile.proxy_cap, 3)
        self.profile.with_user(self.membership_manager).write({"proxy_cap": 3})
        self.env.invalidate_all()
        self.env.cr.execute(
            "SELECT proxy_cap FROM telecoop_statute_profile WHERE id = %s", self.profile.ids
        )
        self.assertEqual(self.env.cr.fetchone()[0], 3)

    def test_internal_user_without_group_gets_access_error(self):
        with self.assertRaises(AccessError):
            self.profile.with_user(self.internal_user).read(["name"])


@tagged("post_install", "-at_install")
class TestShareDocumentsSecurity(TelecoopCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member = cls._create_member("Secured Member", shares=2)
        cls.request = cls.env["telecoop.subscription.request"].create(
            {
                "company_id": cls.company.id,
                "partner_id": cls.member.id,
                "share_class_id": cls.share_class.id,
                "quantity": 1,
            }
        )

    def test_internal_user_without_group_sees_no_share_document(self):
        for model in (
            "telecoop.share.line",
            "telecoop.subscription.request",
            "telecoop.share.transfer",
            "telecoop.share.buyback",
            "telecoop.register.wizard",
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.internal_user).search([])

    def test_user_runs_requests_but_only_manager_deletes(self):
        request = self.request.with_user(self.membership_user)
        self.assertNotEqual(self.request.quantity, 2)
        request.write({"quantity": 2})
        self.env.invalidate_all()
        self.assertEqual(self.request.with_user(self.membership_user).quantity, 2)
        with self.assertRaises(AccessError):
            request.unlink()
        self.request.with_user(self.membership_manager).unlink()
        self.assertFalse(self.request.exists())

    def test_nobody_edits_a_share_movement(self):
        line = self.member.telecoop_share_line_ids
        for user in (self.membership_user, self.membership_manager):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                line.with_user(user).write({"quantity": 5})
            with self.subTest(user=user.login), self.assertRaises(UserError):
                line.with_user(user).unlink()
        self.assertEqual(line.quantity, 2)

    def test_nobody_appends_a_movement_outside_the_documents(self):
        """Red team: a membership administrator created an "issue" movement of 50
        shares by RPC (the list and form hide the create button): 50 shares and a
        vote with no request, no payment, no capital entry. The register is
        appended by the requests, transfers, buy-backs and the import only."""
        vals = {
            "company_id": self.company.id,
            "partner_id": self.member.id,
            "share_class_id": self.share_class.id,
            "college_id": self.college_users.id,
            "date": "2026-02-01",
            "movement_type": "issue",
            "quantity": 50,
            "amount": 5000.0,
        }
        lines = self.env["telecoop.share.line"]
        for user in (self.membership_user, self.membership_manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                lines.with_user(user).create(vals)
        self.assertEqual(lines._get_holdings(self.company, self.member)[1], 2)

    def test_member_card_fields_only_for_cooperative_staff(self):
        """Red team: an employee without the cooperative's groups (sales, support) read
        by RPC the member number, college, shares and capital of any contact: the
        fields are computed as superuser and only the form hid them."""
        fields = [
            "telecoop_member_number",
            "telecoop_college_id",
            "telecoop_is_member",
            "telecoop_member_since",
            "telecoop_member_until",
            "telecoop_share_count",
            "telecoop_share_amount",
        ]
        as_employee = self.member.with_user(self.internal_user)
        self.assertEqual(as_employee.read(["name"])[0]["name"], "Secured Member")
        for name in fields:
            with self.subTest(field=name), self.assertRaises(AccessError):
                as_employee.read([name])
        card = self.member.with_user(self.membership_user).read(fields)[0]
        self.assertEqual(card["telecoop_share_count"], 2)
        self.assertTrue(card["telecoop_is_member"])

    def test_member_card_only_for_cooperative_staff(self):
        def form_arch(user):
            views = self.env["res.partner"].with_user(user).get_views([(False, "form")])
            return views["views"]["form"]["arch"]

        self.assertIn("telecoop_member_number", form_arch(self.membership_user))
        self.assertNotIn("telecoop_member_number", form_arch(self.internal_user))
