# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The host operator's CDR files of the demo's story (last month, this month so far).

Pure Python, on the dates of ``telecoop_membership/services/demo_story.py``:
last month's file has a record a day, days 1 to 28, for every demo line, and an
international call on the 5th; this month's file has a record a day from the 1st
to today, never after now, for the demo member's two lines.
"""

from odoo.addons.telecoop_membership.services.demo_story import usage_starts

HEADER = "record_id,msisdn,started_at,usage_type,quantity,zone,destination,third_party_amount"

#: (msisdn, usage type, hour, quantity, zone, destination) of each daily record
LAST_MONTH = (
    ("33612345678", "data", 9, 270000000, "national", ""),
    ("33612345678", "voice", 12, 300, "national", "33140000000"),
    ("33612345678", "sms", 18, 3, "national", "33611223344"),
    ("33612345679", "data", 10, 400000000, "national", ""),
    ("33687654321", "data", 11, 100000000, "national", ""),
    ("33687654322", "data", 11, 180000000, "national", ""),
    ("33687654323", "data", 11, 200000000, "national", ""),
    ("33687654324", "data", 11, 450000000, "national", ""),
)
THIS_MONTH = (
    ("33612345678", "data", 9, 250000000, "national", ""),
    ("33612345678", "voice", 12, 240, "national", "33140000000"),
    ("33612345679", "data", 10, 300000000, "national", ""),
)


def cdr_csv(now, month):
    """The CSV text of the story's file of ``month`` ("last" or "this")."""
    rows = [HEADER]
    for msisdn, usage_type, hour, quantity, zone, destination in (
        LAST_MONTH if month == "last" else THIS_MONTH
    ):
        for start in usage_starts(now, month, 28, hour):
            rows.append(
                f"DEMO-{start:%Y%m}-{msisdn}-{usage_type}-{start:%d},{msisdn},"
                f"{start.isoformat()},{usage_type},{quantity},{zone},{destination},"
            )
    if month == "last":
        start = usage_starts(now, "last", 5, 15)[4].replace(minute=0)
        rows.append(
            f"DEMO-{start:%Y%m}-33612345678-intl,33612345678,{start.isoformat()},"
            "voice,125,international,447946000123,"
        )
    return "\n".join(rows)
