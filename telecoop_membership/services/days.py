# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Which day it is, for rules that refuse a date "after today"."""

from datetime import datetime, timedelta

#: the offset of the time zone where each day starts first (Line Islands, UTC+14)
EARLIEST_DAY_START = timedelta(hours=14)


def latest_today(now: datetime):
    """The latest date that is today somewhere on Earth at ``now`` (naive UTC).

    A date after it has come for nobody yet. Compared with it, "not after today"
    refuses no date that is already today in the time zone of the cooperative or
    of its staff (a user without a time zone reads UTC, a day behind Paris
    between 23:00 and midnight UTC), and lets through at most a day ahead.
    """
    return (now + EARLIEST_DAY_START).date()
