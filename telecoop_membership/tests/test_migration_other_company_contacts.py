# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Migration 19.0.2.0.4: rows written before ``check_company`` applied that name
another company's contact are reported to the cooperative's staff, and kept."""

import importlib.util

from odoo.tests import tagged
from odoo.tools import SQL
from odoo.tools.misc import file_path

from .common import TelecoopCommon


def load_migration():
    path = file_path("telecoop_membership/migrations/19.0.2.0.4/post-migrate.py")
    spec = importlib.util.spec_from_file_location("telecoop_membership_19_0_2_0_4", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestMigrationOtherCompanyContacts(TelecoopCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Other Coop"})
        cls.stranger = cls.env["res.partner"].create(
            {"name": "Sam Ailleurs", "company_id": cls.other_company.id}
        )
        cls.alice = cls._create_member("Alice Shared")  # a contact of every company
        cls.bruno = cls._create_member("Bruno Own", company_id=cls.company.id)
        cls.membership = cls.env["telecoop.membership"]._get_for(cls.alice, cls.company)
        cls.line = cls.env["telecoop.share.line"].search([("partner_id", "=", cls.alice.id)])
        cls.request = cls.env["telecoop.subscription.request"].create(
            {
                "company_id": cls.company.id,
                "partner_id": cls.bruno.id,
                "share_class_id": cls.share_class.id,
                "quantity": 1,
            }
        )
        # what an older version let through, written as it was: in SQL
        for table, record in (
            ("telecoop_membership", cls.membership),
            ("telecoop_share_line", cls.line),
            ("telecoop_subscription_request", cls.request),
        ):
            cls.env.cr.execute(
                SQL(
                    "UPDATE %s SET partner_id = %s WHERE id = %s",
                    SQL.identifier(table),
                    cls.stranger.id,
                    record.id,
                )
            )
        cls.env.invalidate_all()

    def test_the_migration_reports_each_row_to_staff_and_keeps_it(self):
        shares = self.env["telecoop.share.line"].search_count([])
        load_migration().migrate(self.env.cr, "19.0.2.0.3")
        self.env.invalidate_all()
        for record, what in (
            (self.membership, "Membership of a cooperative"),
            (self.request, "Share subscription request"),
        ):
            with self.subTest(record=record._name):
                self.assertEqual(record.partner_id, self.stranger, "kept as it is")
                notes = record.message_ids.filtered(lambda m: "Other Coop only" in str(m.body))
                self.assertEqual(len(notes), 1 + (record == self.membership), notes.mapped("body"))
                text = " ".join(str(body) for body in notes.mapped("body"))
                self.assertIn(f"{what} ", text)
                self.assertIn("names Sam Ailleurs", text)
                activities = record.activity_ids.filtered(
                    lambda a: a.summary == "A contact of another company"
                )
                self.assertEqual(activities.user_id, self.membership_manager)
        # the share movement (no chatter) is reported on its membership: two notes there
        self.assertIn(
            "Share movement of 2026-01-15 (1 shares) names Sam Ailleurs",
            " ".join(str(m.body) for m in self.membership.message_ids),
        )
        self.assertEqual(self.line.partner_id, self.stranger)
        self.assertEqual(self.env["telecoop.share.line"].search_count([]), shares)
        # rows naming a shared contact or one of their own company are left alone
        found = self.env["telecoop.membership"]._report_other_company_contacts()
        self.assertEqual(
            sorted(found),
            sorted(
                [
                    ("telecoop.membership", self.membership.id),
                    ("telecoop.subscription.request", self.request.id),
                    ("telecoop.share.line", self.line.id),
                ]
            ),
        )
