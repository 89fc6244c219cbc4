# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import unittest
from datetime import date
from decimal import Decimal

from ..services.share_rules import (
    BUYBACK_TRANSITIONS,
    SUBSCRIPTION_TRANSITIONS,
    add_months,
    can_move,
    capital_after_buyback,
    check_holding_limits,
)


class TestShareRules(unittest.TestCase):
    def test_subscription_lifecycle(self):
        path = ["draft", "validated", "invoiced", "paid", "done"]
        for current, target in zip(path, path[1:], strict=False):
            self.assertTrue(can_move(SUBSCRIPTION_TRANSITIONS, current, target))
        self.assertFalse(can_move(SUBSCRIPTION_TRANSITIONS, "draft", "done"))
        self.assertFalse(can_move(SUBSCRIPTION_TRANSITIONS, "paid", "cancelled"))
        self.assertFalse(can_move(SUBSCRIPTION_TRANSITIONS, "done", "draft"))

    def test_buyback_lifecycle(self):
        self.assertTrue(can_move(BUYBACK_TRANSITIONS, "draft", "approved"))
        self.assertTrue(can_move(BUYBACK_TRANSITIONS, "approved", "paid"))
        self.assertFalse(can_move(BUYBACK_TRANSITIONS, "draft", "paid"))
        self.assertFalse(can_move(BUYBACK_TRANSITIONS, "approved", "cancelled"))

    def test_limits(self):
        self.assertEqual(check_holding_limits(0, 0, 1, 1, 50, 1, 0), [])
        (breach,) = check_holding_limits(45, 45, 6, 1, 50, 1, 0)
        self.assertEqual((breach.rule, breach.limit, breach.holding), ("class_max", 50, 51))
        (breach,) = check_holding_limits(0, 9, 2, 1, 0, 1, 10)
        self.assertEqual((breach.rule, breach.holding), ("profile_max", 11))
        (breach,) = check_holding_limits(0, 0, 1, 2, 0, 1, 0)
        self.assertEqual(breach.rule, "class_min")
        # Leaving entirely is always allowed; falling under the minimum is not.
        self.assertEqual(check_holding_limits(3, 3, -3, 2, 0, 2, 0), [])
        self.assertEqual(check_holding_limits(3, 3, -2, 2, 0, 1, 0)[0].rule, "class_min")

    def test_capital_floor(self):
        self.assertEqual(
            capital_after_buyback(Decimal("1200.00"), Decimal("200.00"), Decimal("1000")),
            (Decimal("1000.00"), True),
        )
        self.assertEqual(
            capital_after_buyback(Decimal("1200.00"), Decimal("200.01"), Decimal("1000")),
            (Decimal("999.99"), False),
        )

    def test_add_months(self):
        self.assertEqual(add_months(date(2026, 1, 31), 1), date(2026, 2, 28))
        self.assertEqual(add_months(date(2026, 3, 15), 12), date(2027, 3, 15))
        self.assertEqual(add_months(date(2026, 11, 30), 3), date(2027, 2, 28))
        self.assertEqual(add_months(date(2028, 1, 31), 1), date(2028, 2, 29))
        self.assertEqual(add_months(date(2026, 5, 2), 0), date(2026, 5, 2))
