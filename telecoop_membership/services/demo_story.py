# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The dates of the demo's story, from the moment the demo is installed.

Pure Python: the demo data files of the three addons ask these functions (through
``res.company._telecoop_demo_dates`` and the usage importer's demo builder), so
the story holds whatever the install day, and the tests freeze the clock on the
1st and on the 31st of a month and read them.

Rules of the story (``now`` is an aware datetime; days are the cooperative's,
in ``Europe/Paris``):

1. The cooperative is founded on 15 January of the year before last: the
   founders' subscription is its first movement (the year before last closed
   with a loss, last year with a surplus: ``telecoop_agm``'s demo).
2. Every later movement of the register follows, in this order, before today:
   the demo member's subscription, Camille's, Yanis's, Yanis's transfer to
   Léa, Camille's buy-back request, then its decision.
3. A mobile line is activated on the first day of a month, after its holder
   joined when the holder is a member.
4. Last month's usage covers its days 1 to 28; this month's usage covers every
   day from the 1st to today, never after ``now`` (a record of today at an hour
   still to come is moved to the middle of the time elapsed this month): on the
   1st of a month, this month has usage too.
5. The assembly: its record date is today, it is convened now, its online vote
   opens half a minute after ``now`` (after the convocation, which takes more
   than a second on a busy database), closes on the day
   of the meeting at 18:00, and the meeting is 20 days later at 17:00 (the
   statutes ask for 15 days at least).
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

TZ = ZoneInfo("Europe/Paris")

#: the demo's online vote opens this long after its convocation
VOTE_OPENS_AFTER_CONVOCATION = timedelta(seconds=30)

#: months before today of the register's movements (rule 2)
MOVEMENTS = (
    ("portal_subscription", 16),
    ("camille_subscription", 10),
    ("yanis_subscription", 8),
    ("transfer_yanis_lea", 4),
    ("camille_buyback_request", 3),
    ("camille_buyback_decision", 2),
)

#: months before today of the activation of each demo line, and whose line it is
LINES = (
    ("line_demo_gemini", 20, "founder_subscription"),
    ("line_demo_portal_2", 14, "portal_subscription"),
    ("line_demo_portal", 6, "portal_subscription"),
    ("line_demo_ready_mat", 5, None),
    ("line_demo_azure", 3, "yanis_subscription"),
    ("line_demo_deco", 2, "transfer_yanis_lea"),
)


def local_now(now):
    """``now`` (aware, or naive UTC as Odoo stores it) in the cooperative's time zone."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=ZoneInfo("UTC"))
    return now.astimezone(TZ)


def story_dates(now):
    """Every date of the story, by name (``date`` or naive UTC ``datetime``)."""
    here = local_now(now)
    today = here.date()
    dates = {"today": today, "founder_subscription": date(today.year - 2, 1, 15)}
    for name, months in MOVEMENTS:
        dates[name] = today - relativedelta(months=months)
    for name, months, _holder in LINES:
        dates[name] = (today - relativedelta(months=months)).replace(day=1)
    dates["last_month"] = today.replace(day=1) - relativedelta(months=1)
    dates["this_month"] = today.replace(day=1)
    utc_now = here.astimezone(ZoneInfo("UTC")).replace(tzinfo=None, microsecond=0)
    meeting = datetime.combine(today + timedelta(days=20), datetime.min.time())

    def utc(local):
        return local.replace(tzinfo=TZ).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)

    dates.update(
        record_date=today,
        convocation=utc_now,
        vote_start=utc_now + VOTE_OPENS_AFTER_CONVOCATION,
        vote_end=utc(meeting.replace(hour=18)),
        meeting=utc(meeting.replace(hour=17)),
    )
    return dates


def usage_starts(now, month, days, hour):
    """Start times (aware, Europe/Paris) of one record a day of ``month`` at ``hour``.

    ``month`` is "last" (days 1 to ``days``) or "this" (days 1 to today, never
    after ``now``: rule 4).
    """
    here = local_now(now).replace(microsecond=0)
    first = datetime(here.year, here.month, 1, tzinfo=TZ)
    if month == "last":
        first = (first - relativedelta(months=1)).replace(tzinfo=TZ)
        return [first.replace(day=day, hour=hour) for day in range(1, days + 1)]
    starts = []
    for day in range(1, here.day + 1):
        start = first.replace(day=day, hour=hour)
        if start > here:
            elapsed = here - first
            start = first + timedelta(seconds=int(elapsed.total_seconds()) // 2)
        starts.append(start)
    return starts
