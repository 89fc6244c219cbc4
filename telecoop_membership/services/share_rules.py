# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pure-Python rules of cooperative shares: no ORM, no database.

Share counts are integers; money is :class:`decimal.Decimal`.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# Lifecycle of a subscription request: state -> states it may move to.
SUBSCRIPTION_TRANSITIONS = {
    "draft": {"validated", "refused", "cancelled"},
    "validated": {"invoiced", "refused", "cancelled"},
    "invoiced": {"paid", "cancelled"},
    "paid": {"done"},
    "done": set(),
    "refused": {"draft"},
    "cancelled": {"draft"},
}

# Lifecycle of a buy-back: requested -> approved by the board -> paid out.
BUYBACK_TRANSITIONS = {
    "draft": {"approved", "refused", "cancelled"},
    "approved": {"paid"},
    "paid": set(),
    "refused": set(),
    "cancelled": set(),
}


def can_move(transitions, current, target):
    """Whether a document in state ``current`` may move to ``target``."""
    return target in transitions.get(current, set())


@dataclass(frozen=True)
class LimitBreach:
    """A limit a new holding would break: which one, the limit, the holding."""

    rule: str  # class_min, class_max, profile_min, profile_max
    limit: int
    holding: int


def check_holding_limits(
    class_holding, total_holding, quantity, class_min, class_max, profile_min, profile_max
):
    """The limits broken by adding ``quantity`` shares to a holding.

    :param class_holding: shares of this class held now (and already requested)
    :param total_holding: shares of every class held now (and already requested)
    :param quantity: shares added (positive) or removed (negative)
    :param class_min, class_max, profile_min, profile_max: limits, 0 = none
    :return: list of :class:`LimitBreach`, empty when the holding is allowed.
        A holding that falls to zero is always allowed (the member leaves).
    """
    new_class = class_holding + quantity
    new_total = total_holding + quantity
    breaches = []
    if class_max and new_class > class_max:
        breaches.append(LimitBreach("class_max", class_max, new_class))
    if profile_max and new_total > profile_max:
        breaches.append(LimitBreach("profile_max", profile_max, new_total))
    if new_class and class_min and new_class < class_min:
        breaches.append(LimitBreach("class_min", class_min, new_class))
    if new_total and profile_min and new_total < profile_min:
        breaches.append(LimitBreach("profile_min", profile_min, new_total))
    return breaches


def capital_after_buyback(capital, amount, floor):
    """The capital left after paying back ``amount``, and whether it is allowed.

    :return: (capital left, allowed): allowed when it stays at or above ``floor``.
    """
    left = _decimal(capital) - _decimal(amount)
    return left, left >= _decimal(floor)


def _decimal(value):
    """A Decimal from a Decimal, an int or a float (through its shortest repr)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def add_months(day, months):
    """``day`` plus ``months`` calendar months, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))
