# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo's CDR files (services/demo_story.py) on the 1st and on the 31st of a month.

The importer's own parser reads them with the clock frozen: this month's file
always has usage of this month (in Paris), none of it in the future, and last
month's file covers its days 1 to 28.
"""

import csv
import io
from datetime import date, datetime

from odoo.tests import TransactionCase, freeze_time, tagged

from odoo.addons.telecoop_membership.services.demo_story import TZ

from ..services.cdr_parse import CLOCK_SKEW, parse_record
from ..services.demo_story import LAST_MONTH, THIS_MONTH

MOMENTS = (
    ("2027-01-01 00:10:00", date(2027, 1, 1)),
    ("2026-10-31 23:30:00", date(2026, 11, 1)),
    ("2026-12-31 22:30:00", date(2026, 12, 31)),
    ("2026-03-31 21:45:00", date(2026, 3, 31)),
)


@tagged("post_install", "-at_install")
class TestDemoStoryCdr(TransactionCase):
    def records(self, moment, month):
        with freeze_time(moment):
            raw = self.env["telecoop.usage.import"]._demo_story_cdr(month)
        now = datetime.fromisoformat(moment + "+00:00")
        rows = list(csv.DictReader(io.StringIO(raw.decode())))
        parsed = [parse_record(row, not_after=now + CLOCK_SKEW) for row in rows]
        return rows, [datetime.fromisoformat(record[2]) for record in parsed], now

    def test_this_month_has_usage_whatever_the_day(self):
        for moment, today in MOMENTS:
            with self.subTest(moment=moment):
                rows, starts, now = self.records(moment, "this")
                self.assertEqual(len(rows), len(THIS_MONTH) * today.day)
                self.assertTrue(all(start <= now for start in starts))
                self.assertEqual(
                    {start.astimezone(TZ).date().replace(day=1) for start in starts},
                    {today.replace(day=1)},
                )
                self.assertEqual(len({row["record_id"] for row in rows}), len(rows))

    def test_last_month_covers_its_days_1_to_28(self):
        for moment, today in MOMENTS:
            with self.subTest(moment=moment):
                rows, starts, _now = self.records(moment, "last")
                self.assertEqual(len(rows), len(LAST_MONTH) * 28 + 1)
                first = date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)
                days = {start.astimezone(TZ).date() for start in starts}
                self.assertEqual(min(days), first)
                self.assertEqual(max(days), first.replace(day=28))
                self.assertEqual(len({row["record_id"] for row in rows}), len(rows))
