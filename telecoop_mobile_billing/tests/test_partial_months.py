# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Partial months: a line activated or terminated in the month pays the base fee of
its plan for the days it was active, the published price times the days over the
days of the month, to the cent."""

import calendar
import itertools
from datetime import date
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import tagged

from .common import MobileBillingCommon


def prorated(fee, days, month_days):
    """The published fee for ``days`` of a month of ``month_days``, to the cent."""
    return float((D(str(fee)) * days / month_days).quantize(D("0.01"), rounding=ROUND_HALF_UP))


@st.composite
def partial_months(draw):
    """A month of 2026 (February's 28 days included), a first active day and a last one
    (the end of the month when the line is not terminated)."""
    month = draw(st.integers(min_value=1, max_value=11))
    month_days = calendar.monthrange(2026, month)[1]
    first = draw(
        st.sampled_from([1, 2, 15, month_days - 1, month_days]) | st.integers(1, month_days)
    )
    terminated = draw(st.booleans())
    last = draw(st.integers(first, month_days)) if terminated else None
    return month, first, last


@tagged("post_install", "-at_install")
class TestPartialMonths(MobileBillingCommon):
    _numbers = itertools.count(1)

    def _line(self, activation, termination=None):
        line = self._create_line(
            f"336{next(self._numbers):08d}", self.plan_step, activation=activation
        )
        if termination:
            line.action_terminate(termination)  # the path staff take
        return line

    def test_worked_example_activated_and_terminated_in_october(self):
        """Activated on 10 October 2026, terminated on the 20th: 11 days of 31, on the
        Adjustable plan published at 14.00 a month: 14 x 11 / 31 = 4.967... -> 4.97."""
        line = self._line(date(2026, 10, 10), date(2026, 10, 20))
        self.assertEqual(self._base_amounts(line, "2026-10-01"), [4.97])
        # the whole of November is out of its life: nothing
        self.assertEqual(self._base_amounts(line, "2026-11-01"), [])

    def test_worked_example_february(self):
        """Activated on 15 February 2026 (28 days): 14 days, 14 x 14 / 28 = 7.00."""
        self.assertEqual(self._base_amounts(self._line(date(2026, 2, 15)), "2026-02-01"), [7.0])

    # one line rated per example: a third of the profile's examples (ci: 50)
    @settings(
        max_examples=max(settings.default.max_examples // 3, 10),
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(case=partial_months())
    def test_base_fee_is_the_published_price_for_the_active_days(self, case):
        month, first, last = case
        month_days = calendar.monthrange(2026, month)[1]
        line = self._line(date(2026, month, first), date(2026, month, last) if last else None)
        days = (last or month_days) - first + 1
        expected = [14.0] if days == month_days else [prorated(14, days, month_days)]
        self.assertEqual(self._base_amounts(line, f"2026-{month:02d}-01"), expected)
