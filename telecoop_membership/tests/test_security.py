# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
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
        self.profile.with_user(self.membership_manager).write({"proxy_cap": 3})
        self.assertEqual(self.profile.proxy_cap, 3)

    def test_internal_user_without_group_gets_access_error(self):
        with self.assertRaises(AccessError):
            self.profile.with_user(self.internal_user).read(["name"])

    def test_portal_user_gets_access_error_on_back_office_models(self):
        for model in ("telecoop.statute.profile", "telecoop.college", "telecoop.assembly.rule"):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.portal_user).search([])

    def test_other_company_profile_is_invisible(self):
        other = self.env["res.company"].create({"name": "Stranger Coop"})
        stranger = self.env["telecoop.statute.profile"].create(
            {"name": "Stranger statutes", "company_id": other.id}
        )
        visible = self.env["telecoop.statute.profile"].with_user(self.membership_user).search([])
        self.assertIn(self.profile, visible)
        self.assertNotIn(stranger, visible)
