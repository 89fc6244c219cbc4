# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import unittest
from decimal import Decimal

from ..services import alerts as rules

D = Decimal
GB = 10**9


class TestAlertRules(unittest.TestCase):
    """Pure-Python thresholds: crossing detection and de-duplication."""

    def test_band_alert_at_80_percent_of_the_band_inclusive(self):
        settings = rules.AlertSettings()
        below = rules.MonthUsage(data_quantity=4 * GB - 1, band_index=0, band_upper_bytes=5 * GB)
        exactly = rules.MonthUsage(data_quantity=4 * GB, band_index=0, band_upper_bytes=5 * GB)
        self.assertEqual(rules.due_alerts(settings, below), [])
        (alert,) = rules.due_alerts(settings, exactly)
        self.assertEqual(alert.key, (rules.DATA_BAND, 80, 0))

    def test_each_band_has_its_own_alert(self):
        settings = rules.AlertSettings()
        first = rules.MonthUsage(data_quantity=4 * GB, band_index=0, band_upper_bytes=5 * GB)
        second = rules.MonthUsage(data_quantity=17 * GB, band_index=1, band_upper_bytes=20 * GB)
        crossed = rules.crossed_between(settings, first, second)
        self.assertEqual([a.key for a in crossed], [(rules.DATA_BAND, 80, 1)])

    def test_unlimited_band_or_no_tiers_never_alerts(self):
        usage = rules.MonthUsage(data_quantity=90 * GB, band_index=3, band_upper_bytes=None)
        self.assertEqual(rules.due_alerts(rules.AlertSettings(), usage), [])

    def test_cap_alerts_at_80_and_100_percent(self):
        settings = rules.AlertSettings(cap=D("30"), band_percent=None)
        self.assertEqual(rules.due_alerts(settings, rules.MonthUsage(amount=D("23.99"))), [])
        at80 = rules.due_alerts(settings, rules.MonthUsage(amount=D("24.00")))
        self.assertEqual([a.key for a in at80], [(rules.CAP, 80, 0)])
        at100 = rules.due_alerts(settings, rules.MonthUsage(amount=D("30.00")))
        self.assertEqual([a.key for a in at100], [(rules.CAP, 80, 0), (rules.CAP, 100, 0)])

    def test_no_cap_no_cap_alert(self):
        settings = rules.AlertSettings(cap=None)
        self.assertEqual(rules.due_alerts(settings, rules.MonthUsage(amount=D("999"))), [])

    def test_roaming_warning_at_80_percent_of_50_eur(self):
        settings = rules.AlertSettings(band_percent=None)
        self.assertEqual(
            rules.due_alerts(settings, rules.MonthUsage(roaming_amount=D("39.99"))), []
        )
        (alert,) = rules.due_alerts(settings, rules.MonthUsage(roaming_amount=D("40")))
        self.assertEqual((alert.kind, alert.percent, alert.limit), (rules.ROAMING, 80, D("50")))
        off = rules.AlertSettings(roaming_cap=None)
        self.assertEqual(rules.due_alerts(off, rules.MonthUsage(roaming_amount=D("80"))), [])

    def test_alert_sent_once_per_threshold(self):
        settings = rules.AlertSettings(cap=D("10"))
        usage = rules.MonthUsage(amount=D("9"))
        due = rules.due_alerts(settings, usage)
        self.assertEqual(len(rules.new_alerts(due, set())), 1)
        self.assertEqual(rules.new_alerts(due, {a.key for a in due}), [])
        # the same alert twice in one batch counts once
        self.assertEqual(len(rules.new_alerts(due + due, set())), 1)

    def test_crossing_between_two_imports_is_monotonic(self):
        settings = rules.AlertSettings(cap=D("20"))
        steps = [D(x) for x in ("0", "10", "16", "16.5", "19.99", "20", "35")]
        sent = set()
        sent_order = []
        for before, after in zip(steps, steps[1:], strict=False):
            for alert in rules.crossed_between(
                settings, rules.MonthUsage(amount=before), rules.MonthUsage(amount=after)
            ):
                self.assertNotIn(alert.key, sent)
                sent.add(alert.key)
                sent_order.append(alert.key)
        self.assertEqual(sent_order, [(rules.CAP, 80, 0), (rules.CAP, 100, 0)])
