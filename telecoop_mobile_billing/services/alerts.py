# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pure-Python usage alerts of a line: which thresholds a month of usage has crossed.

No ORM here. The models read the month's usage (from the rated usage) into a
:class:`MonthUsage`, the line's settings into :class:`AlertSettings`, and ask
:func:`due_alerts` which alerts are due. An alert is identified by its
:attr:`Alert.key` ``(kind, percent, band_index)``: with the line and the month
it is unique in the database, so a threshold crossed again by a second import
of the same month is never sent twice (:func:`new_alerts`).

Kinds
-----
* ``data_band``: the data volume reached ``percent`` % of the upper bound of
  the band it is in (the next gigabyte may move the line to a dearer band).
  Each band has its own alert.
* ``cap``: the amount of the month so far (tax excluded) reached ``percent`` %
  of the member's spending cap (80 % and 100 % by default).
* ``allowance``: the data included in the plan is used up (Code de la
  consommation L224-30 II); always on, the member cannot switch it off.
* ``roaming``: the data roaming charges of the month (tax excluded; not voice
  nor SMS) reached 80 % and 100 % of the data roaming cap (Regulation (EU)
  2022/612: 50 EUR excluding VAT by default); always on. At 100 % roaming data
  is barred unless the member chose to go on.
"""

from dataclasses import dataclass
from decimal import Decimal

DATA_BAND = "data_band"
CAP = "cap"
ROAMING = "roaming"
ALLOWANCE = "allowance"
KINDS = (DATA_BAND, CAP, ROAMING, ALLOWANCE)

DEFAULT_BAND_PERCENT = 80
DEFAULT_CAP_PERCENTS = (80, 100)
DEFAULT_ROAMING_CAP = Decimal("50")
DEFAULT_ROAMING_PERCENT = 80
#: the notices of the data roaming cap (Regulation (EU) 2022/612)
ROAMING_PERCENTS = (80, 100)


@dataclass(frozen=True)
class AlertSettings:
    """What the member asked for on a line (None or 0: that alert is off)."""

    band_percent: int | None = DEFAULT_BAND_PERCENT
    cap: Decimal | None = None
    cap_percents: tuple = DEFAULT_CAP_PERCENTS
    roaming_cap: Decimal | None = DEFAULT_ROAMING_CAP
    roaming_percents: tuple = ROAMING_PERCENTS


@dataclass(frozen=True)
class MonthUsage:
    """A line's month so far: data volume, its band, the amounts."""

    data_quantity: int = 0
    band_index: int | None = None
    band_upper_bytes: int | None = None
    amount: Decimal = Decimal(0)
    roaming_amount: Decimal = Decimal(0)
    allowance_bytes: int = 0


@dataclass(frozen=True)
class Alert:
    kind: str
    percent: int
    band_index: int
    value: Decimal
    limit: Decimal

    @property
    def key(self):
        return (self.kind, self.percent, self.band_index)


def _reached(value, limit, percent):
    """True when ``value`` is at least ``percent`` % of ``limit`` (exact, no float)."""
    return Decimal(value) * 100 >= Decimal(limit) * Decimal(percent)


def due_alerts(settings, usage):
    """Every alert whose threshold the month's usage has reached, in a stable order."""
    alerts = []
    if (
        settings.band_percent
        and usage.band_index is not None
        and usage.band_upper_bytes
        and _reached(usage.data_quantity, usage.band_upper_bytes, settings.band_percent)
    ):
        alerts.append(
            Alert(
                DATA_BAND,
                int(settings.band_percent),
                int(usage.band_index),
                Decimal(usage.data_quantity),
                Decimal(usage.band_upper_bytes),
            )
        )
    if settings.cap and settings.cap > 0:
        for percent in sorted(set(settings.cap_percents)):
            if percent and _reached(usage.amount, settings.cap, percent):
                alerts.append(
                    Alert(CAP, int(percent), 0, Decimal(usage.amount), Decimal(settings.cap))
                )
    if settings.roaming_cap and settings.roaming_cap > 0:
        for percent in sorted(set(settings.roaming_percents)):
            if _reached(usage.roaming_amount, settings.roaming_cap, percent):
                alerts.append(
                    Alert(
                        ROAMING,
                        int(percent),
                        0,
                        Decimal(usage.roaming_amount),
                        Decimal(settings.roaming_cap),
                    )
                )
    if usage.allowance_bytes and usage.data_quantity >= usage.allowance_bytes:
        alerts.append(
            Alert(
                ALLOWANCE,
                100,
                0,
                Decimal(usage.data_quantity),
                Decimal(usage.allowance_bytes),
            )
        )
    return alerts


def new_alerts(due, sent_keys):
    """The alerts of ``due`` not sent yet this month (``sent_keys``: keys already sent)."""
    seen = set(sent_keys)
    fresh = []
    for alert in due:
        if alert.key not in seen:
            seen.add(alert.key)
            fresh.append(alert)
    return fresh


def crossed_between(settings, before, after):
    """Alerts crossed by going from usage ``before`` to usage ``after`` in one month."""
    already = {alert.key for alert in due_alerts(settings, before)}
    return new_alerts(due_alerts(settings, after), already)
