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


class TestShareRulesEdges(unittest.TestCase):
    """Worked examples at the edges of the limits, the states and the dates."""

    def test_unknown_state_moves_nowhere(self):
        # a state the table does not know (an old database, a typo) allows nothing
        self.assertFalse(can_move(SUBSCRIPTION_TRANSITIONS, "archived", "draft"))
        self.assertFalse(can_move(BUYBACK_TRANSITIONS, "", "paid"))

    def test_limits_reached_exactly_are_allowed(self):
        # 45 shares + 5 = 50, the class maximum: allowed; the profile maximum of 10
        # reached by 8 + 2: allowed
        self.assertEqual(check_holding_limits(45, 45, 5, 1, 50, 1, 0), [])
        self.assertEqual(check_holding_limits(0, 8, 2, 1, 0, 1, 10), [])

    def test_each_breach_names_its_limit_and_the_new_holding(self):
        (breach,) = check_holding_limits(0, 9, 2, 1, 0, 1, 10)
        self.assertEqual((breach.rule, breach.limit, breach.holding), ("profile_max", 10, 11))
        # a first subscription of 1 share in a class asking for 2
        (breach,) = check_holding_limits(0, 0, 1, 2, 0, 1, 0)
        self.assertEqual((breach.rule, breach.limit, breach.holding), ("class_min", 2, 1))
        # a member with 4 shares selling 1 under a profile minimum of 5 (class without one)
        (breach,) = check_holding_limits(4, 4, -1, 0, 0, 5, 0)
        self.assertEqual((breach.rule, breach.limit, breach.holding), ("profile_min", 5, 3))

    def test_every_limit_broken_at_once(self):
        # 12 shares of the class, 30 in all, buying 30 more: 42 > 40 in the class,
        # 60 > 50 for the profile
        rules = [b.rule for b in check_holding_limits(12, 30, 30, 1, 40, 1, 50)]
        self.assertEqual(rules, ["class_max", "profile_max"])
        # selling 9 of 10: 1 share left under both minimums of 3 and 5
        rules = [b.rule for b in check_holding_limits(10, 10, -9, 3, 0, 5, 0)]
        self.assertEqual(rules, ["class_min", "profile_min"])

    def test_capital_from_plain_numbers(self):
        # figures typed as int and float are read as the decimals written:
        # 1000.3 - 0.1 = 1000.2 exactly (a float would give 1000.1999…)
        self.assertEqual(capital_after_buyback(1000.3, 0.1, 1000), (Decimal("1000.2"), True))
        self.assertEqual(capital_after_buyback(1000, 0.01, 1000), (Decimal("999.99"), False))

    def test_add_months_over_a_year_end(self):
        # January + 12 months is January of the next year, December + 1 too
        self.assertEqual(add_months(date(2026, 1, 10), 12), date(2027, 1, 10))
        self.assertEqual(add_months(date(2026, 12, 31), 1), date(2027, 1, 31))
        self.assertEqual(add_months(date(2026, 1, 31), 25), date(2028, 2, 29))
