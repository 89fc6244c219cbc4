# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo's story holds whatever the install day (services/demo_story.py).

The clock is frozen on the 1st and on the 31st of a month (UTC and Paris on both
sides of midnight, winter and summer time), and the dates the demo data files
ask for are read through ``res.company._telecoop_demo_dates``, as the demo does.
"""

from datetime import date, datetime, timedelta

from odoo import fields
from odoo.tests import TransactionCase, freeze_time, tagged

from ..services import demo_story

#: (frozen UTC moment, the day in Paris)
MOMENTS = (
    ("2027-01-01 00:10:00", date(2027, 1, 1)),  # 01:10 in Paris, 1 January
    ("2026-10-31 23:30:00", date(2026, 11, 1)),  # still the 31st in UTC, the 1st in Paris
    ("2026-12-31 22:30:00", date(2026, 12, 31)),  # 23:30 in Paris, 31 December
    ("2026-03-31 21:45:00", date(2026, 3, 31)),  # 23:45 in Paris, summer time
    ("2026-12-01 08:00:00", date(2026, 12, 1)),
)

REGISTER_ORDER = (
    "founder_subscription",
    "portal_subscription",
    "camille_subscription",
    "yanis_subscription",
    "transfer_yanis_lea",
    "camille_buyback_request",
    "camille_buyback_decision",
)


@tagged("post_install", "-at_install")
class TestDemoStoryDates(TransactionCase):
    def dates(self, moment):
        with freeze_time(moment):
            raw = self.env["res.company"]._telecoop_demo_dates()
        return {
            name: fields.Datetime.to_datetime(value)
            if len(value) > 10
            else fields.Date.to_date(value)
            for name, value in raw.items()
        }

    def test_register_movements_follow_the_founding_in_order(self):
        for moment, today in MOMENTS:
            with self.subTest(moment=moment):
                dates = self.dates(moment)
                self.assertEqual(dates["today"], today)
                # founded on 15 January of the year before last (its loss year)
                self.assertEqual(dates["founder_subscription"], date(today.year - 2, 1, 15))
                order = [dates[name] for name in REGISTER_ORDER]
                self.assertEqual(order, sorted(order))
                self.assertEqual(len(set(order)), len(order), "one movement a day")
                self.assertLess(order[-1], today)

    def test_lines_are_activated_after_their_holder_joined(self):
        for moment, today in MOMENTS:
            dates = self.dates(moment)
            for line, _months, holder in demo_story.LINES:
                with self.subTest(moment=moment, line=line):
                    self.assertEqual(dates[line].day, 1)
                    self.assertLess(dates[line], today)
                    if holder:
                        self.assertGreaterEqual(dates[line], dates[holder])

    def test_the_convocation_precedes_the_vote_and_the_meeting(self):
        for moment, today in MOMENTS:
            with self.subTest(moment=moment):
                dates = self.dates(moment)
                now = fields.Datetime.to_datetime(moment)
                self.assertEqual(dates["record_date"], today)
                self.assertEqual(dates["convocation"], now)
                self.assertLess(dates["convocation"], dates["vote_start"])
                # the vote opens half a minute after the convocation
                self.assertEqual(dates["vote_start"], now + timedelta(seconds=30))
                self.assertLess(dates["vote_start"], dates["vote_end"])
                # the statutes ask for 15 days between the convocation and the meeting
                self.assertGreaterEqual(dates["meeting"] - now, timedelta(days=15))
                self.assertEqual(dates["last_month"].day, 1)
                self.assertEqual(dates["this_month"], today.replace(day=1))

    def test_this_month_has_usage_on_the_first_and_never_after_now(self):
        for moment, today in MOMENTS:
            now = datetime.fromisoformat(moment + "+00:00")
            for hour in (0, 9, 23):
                with self.subTest(moment=moment, hour=hour):
                    starts = demo_story.usage_starts(now, "this", 28, hour)
                    self.assertEqual(len(starts), today.day)
                    for start in starts:
                        self.assertEqual(start.astimezone(demo_story.TZ).date().replace(day=1),
                                         today.replace(day=1))  # fmt: skip
                        self.assertLessEqual(start, now)
