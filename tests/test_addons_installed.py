# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tests that cross the three addons."""

from odoo.tests import TransactionCase, tagged

ADDONS = ("telecoop_membership", "telecoop_mobile_billing", "telecoop_agm")


@tagged("post_install", "-at_install")
class TestAddonsTogether(TransactionCase):
    def test_each_addon_has_staff_groups_under_cooperative(self):
        category = self.env.ref("telecoop_membership.module_category_cooperative")
        for addon in ADDONS:
            with self.subTest(addon=addon):
                user = self.env.ref(f"{addon}.{addon}_group_user")
                manager = self.env.ref(f"{addon}.{addon}_group_manager")
                self.assertEqual(user.privilege_id.category_id, category)
                self.assertIn(user, manager.all_implied_ids)
                self.assertIn(
                    self.env.ref("telecoop_membership.telecoop_membership_group_user"),
                    user.all_implied_ids,
                )

    def test_each_addon_has_a_top_level_menu_for_its_staff(self):
        for addon in ADDONS:
            with self.subTest(addon=addon):
                menu = self.env.ref(f"{addon}.{addon}_menu_root")
                self.assertFalse(menu.parent_id)
                self.assertIn(self.env.ref(f"{addon}.{addon}_group_user"), menu.group_ids)
