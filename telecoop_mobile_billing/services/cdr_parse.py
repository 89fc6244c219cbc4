# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Validate one usage record (a dict of strings) from the host operator.

Pure Python, no ORM: the readers (CSV, XML, HTTP) give dicts, this module
turns each into a normalized tuple ready for COPY, or raises ``CdrError``
naming the field and the reason. See ``shared/formats/usage-records.md``.
"""

import re
from datetime import datetime, timedelta
from decimal import Decimal

FIELDS = (
    "record_id",
    "msisdn",
    "started_at",
    "usage_type",
    "quantity",
    "zone",
    "destination",
    "third_party_amount",
)
REQUIRED_FIELDS = ("record_id", "msisdn", "started_at", "usage_type", "quantity", "zone")
USAGE_TYPES = frozenset(("data", "voice", "sms", "mms"))
ZONES = frozenset(("national", "eu", "international", "world", "premium"))
MAX_QUANTITY = 2**63 - 1
MAX_RECORD_ID = 128
MAX_DESTINATION = 64
#: how far in the future a record may start (the host operator's clock may run ahead)
CLOCK_SKEW = timedelta(minutes=15)

_STARTED_RE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}"
    r"(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})"
)
_QUANTITY_RE = re.compile(r"-?[0-9]+")
_AMOUNT_RE = re.compile(r"-?[0-9]{1,10}(\.[0-9]{1,6})?")


class CdrError(ValueError):
    """A rejected record: the field at fault and a short reason (English)."""

    def __init__(self, field, reason):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def parse_mapping(text):
    """Read an import profile: one ``host name = field`` a line (``#`` comments).

    Returns ``{host name: field}``; raises ``CdrError`` naming the line at fault.
    """
    mapping = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.partition("#")[0].strip()
        if not line:
            continue
        host, sep, field = (part.strip() for part in line.partition("="))
        if not sep or not host or not field:
            raise CdrError(f"line {number}", "not of the form 'host name = field'")
        if field not in FIELDS:
            raise CdrError(f"line {number}", f"unknown field {field!r}")
        if field in mapping.values():
            raise CdrError(f"line {number}", f"field {field!r} mapped twice")
        mapping[host] = field
    return mapping


def rename(raw, mapping):
    """The record dict ``raw`` with the host's names replaced by ours."""
    if not mapping:
        return raw
    return {mapping.get(key, key): value for key, value in raw.items()}


def _as_text(value):
    """A JSON number as its text; a list, an object or a boolean is no field value."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CdrError("record", "a field is neither a string nor a number")
    return str(value)


def parse_record(raw, not_after=None, not_before=None):
    """Return the normalized tuple of one record, in the order of ``FIELDS``.

    ``raw`` maps field names to strings (or None). See ``parse_values``.
    """
    if not all(value is None or isinstance(value, str) for value in raw.values()):
        raw = {key: _as_text(value) for key, value in raw.items()}
    get = raw.get
    return parse_values(
        get("record_id"),
        get("msisdn"),
        get("started_at"),
        get("usage_type"),
        get("quantity"),
        get("zone"),
        get("destination"),
        get("third_party_amount"),
        not_after=not_after,
        not_before=not_before,
    )


def parse_values(
    record_id,
    msisdn,
    started_at,
    usage_type,
    quantity,
    zone,
    destination,
    third_party_amount,
    not_after=None,
    not_before=None,
):
    """Validate the fields of one record (strings or None), in the order of ``FIELDS``.

    Returns a tuple ready for COPY: ``started_at`` an ISO 8601 string with its
    offset, ``quantity`` an int, ``destination`` a string or None,
    ``third_party_amount`` a ``Decimal`` or None. Raises ``CdrError``.

    Strict where the field sets a price (number, start, type, zone, quantity,
    amount), tolerant where it is only shown: the destination is kept as the
    host operator wrote it (``4930000000, ext 2``), as long as it is printable
    and at most ``MAX_DESTINATION`` characters. ``not_after`` (an aware
    datetime, usually now + ``CLOCK_SKEW``) rejects a record that starts later;
    ``not_before`` (an aware datetime: the end of the last month purged) one that
    starts earlier.
    """
    record_id = (record_id or "").strip()
    if not record_id:
        raise CdrError("record_id", "missing")
    if len(record_id) > MAX_RECORD_ID:
        raise CdrError("record_id", f"longer than {MAX_RECORD_ID} characters")
    if not record_id.isprintable():
        raise CdrError("record_id", "control characters")

    msisdn = (msisdn or "").strip()
    if not (msisdn.isascii() and msisdn.isdigit() and 6 <= len(msisdn) <= 15) or msisdn[0] == "0":
        if not msisdn:
            raise CdrError("msisdn", "missing")
        raise CdrError("msisdn", "not an E.164 number without + (6 to 15 digits)")

    started_raw = (started_at or "").strip()
    if not started_raw:
        raise CdrError("started_at", "missing")
    try:
        started = datetime.fromisoformat(started_raw)
    except ValueError:
        raise CdrError("started_at", "not an ISO 8601 date and time") from None
    if started.tzinfo is None:
        raise CdrError("started_at", "no UTC offset")
    if not_after is not None and started > not_after:
        raise CdrError("started_at", "in the future (beyond the allowed clock skew)")
    if not_before is not None and started < not_before:
        raise CdrError(
            "started_at",
            "in a month already purged (past retention, its records were erased)",
        )
    if not _STARTED_RE.fullmatch(started_raw):
        # a form PostgreSQL may not read (basic format, week date...): rewrite it
        started_raw = started.isoformat()

    usage_type = (usage_type or "").strip()
    if usage_type not in USAGE_TYPES:
        if not usage_type:
            raise CdrError("usage_type", "missing")
        raise CdrError("usage_type", f"unknown type {usage_type!r}")

    quantity_raw = (quantity or "").strip()
    if not (quantity_raw.isascii() and quantity_raw.isdigit()):
        if not quantity_raw:
            raise CdrError("quantity", "missing")
        if not _QUANTITY_RE.fullmatch(quantity_raw):
            raise CdrError("quantity", "not an integer")
        raise CdrError("quantity", "negative")
    quantity = int(quantity_raw)
    if quantity > MAX_QUANTITY:
        raise CdrError("quantity", "too large")

    zone = (zone or "").strip()
    if zone not in ZONES:
        if not zone:
            raise CdrError("zone", "missing")
        raise CdrError("zone", f"unknown zone {zone!r}")

    destination = (destination or "").strip() or None
    if destination is not None:
        if len(destination) > MAX_DESTINATION:
            raise CdrError("destination", f"longer than {MAX_DESTINATION} characters")
        if not destination.isprintable():
            raise CdrError("destination", "control characters")

    amount_raw = (third_party_amount or "").strip()
    amount = None
    if amount_raw:
        if not _AMOUNT_RE.fullmatch(amount_raw):
            raise CdrError("third_party_amount", "not a decimal with a dot")
        amount = Decimal(amount_raw)  # the regex leaves nothing Decimal cannot read
        if amount < 0:
            raise CdrError("third_party_amount", "negative")

    return (record_id, msisdn, started_raw, usage_type, quantity, zone, destination, amount)
