# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TelecoopCommon


@tagged("post_install", "-at_install")
class TestRegister(TelecoopCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alice = cls._create_member("Alice", shares=3, date="2025-03-01")
        cls.bob = cls._create_member("Bob", shares=1, date="2025-06-10")
        cls.env["telecoop.share.line"].create(
            {
                "company_id": cls.company.id,
                "partner_id": cls.alice.id,
                "share_class_id": cls.share_class.id,
                "college_id": cls.college_users.id,
                "date": date(2026, 2, 1),
                "movement_type": "buyback",
                "quantity": -2,
                "amount": -200,
            }
        )

    def _register(self, at):
        return {
            row["partner_id"]: (row["shares"], row["amount"])
            for row in self.env["telecoop.share.line"]._get_register_rows(self.company, at)
        }

    def test_register_at_past_dates(self):
        self.assertEqual(self._register(date(2025, 2, 28)), {})
        self.assertEqual(self._register(date(2025, 3, 1)), {self.alice.id: (3, 300)})
        self.assertEqual(
            self._register(date(2025, 12, 31)), {self.alice.id: (3, 300), self.bob.id: (1, 100)}
        )
        self.assertEqual(
            self._register(date(2026, 2, 1)), {self.alice.id: (1, 100), self.bob.id: (1, 100)}
        )

    def test_movements_are_immutable(self):
        line = self.alice.telecoop_share_line_ids[:1]
        with self.assertRaises(UserError):
            line.write({"quantity": 10})
        with self.assertRaises(UserError):
            line.unlink()
