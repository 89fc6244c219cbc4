# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pure-Python pricing of mobile usage: tiers, per-unit rates, cap, prorata.

No ORM here: the models turn a plan into a :class:`PlanPricing` and call
:func:`price_usage`. Every amount is a :class:`~decimal.Decimal`; results are
rounded to the cent (half up) once, at the end of each charge.

Conventions
-----------
* Quantities are raw integers: bytes for data, seconds for voice, a count for
  SMS and MMS. A *unit* turns them into billed units (data: 10^9 bytes = 1 GB).
* Rounding rule of a plan (``rounding``):

  - ``started``: every started unit is billed whole (5 GB + 1 byte = 6 GB);
  - ``prorata``: the exact fraction of a unit is billed, to the byte, and the
    amount is rounded to the cent.

* Tier bounds are in units and **inclusive**: exactly 5 GB is in the band
  "up to 5 GB". A band without an upper bound is unlimited; a volume above the
  highest bound falls in the last band.
* Tier kinds (``tier_type``):

  - ``step`` (volume): the month's volume falls in one band and the band's
    price is the data charge for the whole volume;
  - ``graduated``: each band prices its own part of the volume, per unit;
  - ``included``: ``included_units`` are in the plan, each further unit costs
    ``overage_price``.

* The monthly cap, when set, bounds what the usage of the month costs on top
  of the base fee (data tiers plus per-unit rates, not third-party amounts).
"""

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")
DATA_UNIT = 10**9

STEP = "step"
GRADUATED = "graduated"
INCLUDED = "included"
STARTED = "started"
PRORATA = "prorata"

#: zones where data is priced by the plan's tiers (EU roaming is "roam like at home")
TIERED_DATA_ZONES = ("national", "eu")


def to_decimal(value):
    """A Decimal from an int, str, Decimal or float (floats through their repr)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def round_cent(amount):
    """Round half up to the cent."""
    return to_decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Tier:
    """A band of data volume: ``upper`` units inclusive (None: unlimited)."""

    upper: Decimal | None
    price: Decimal


@dataclass(frozen=True)
class Rate:
    """How a usage type in a zone is priced when not in the tiers."""

    usage_type: str
    zone: str
    price: Decimal = ZERO
    unit: int = 1
    included: bool = False
    rounding: str = STARTED


@dataclass(frozen=True)
class PlanPricing:
    """What pricing needs of a plan."""

    base_fee: Decimal = ZERO
    tier_type: str = STEP
    tiers: tuple = ()
    data_unit: int = DATA_UNIT
    rounding: str = STARTED
    included_units: Decimal = ZERO
    overage_price: Decimal = ZERO
    rates: tuple = ()
    cap: Decimal | None = None

    def rate_for(self, usage_type, zone):
        for rate in self.rates:
            if rate.usage_type == usage_type and rate.zone == zone:
                return rate
        return None


@dataclass
class UsagePrice:
    """The price of a month of usage of a line (without base fee or prorata)."""

    data_quantity: int = 0
    data_units: Decimal = ZERO
    band_index: int | None = None
    band_upper: Decimal | None = None
    data_amount: Decimal = ZERO
    rated: dict = field(default_factory=dict)
    capped: bool = False

    @property
    def rated_amount(self):
        return sum(self.rated.values(), ZERO)

    @property
    def usage_amount(self):
        """Data tiers plus per-unit rates, after the cap."""
        return self.data_amount + self.rated_amount


def billed_units(quantity, unit, rounding):
    """Units billed for a raw quantity under a rounding rule."""
    if quantity < 0:
        raise ValueError("quantity must not be negative")
    quantity = int(quantity)
    if rounding == STARTED:
        return Decimal(-(-quantity // unit))
    if rounding == PRORATA:
        return Decimal(quantity) / Decimal(unit)
    raise ValueError(f"unknown rounding rule {rounding!r}")


def step_band(units, tiers):
    """Index of the band where ``units`` falls (bounds inclusive)."""
    if not tiers:
        return None
    for index, tier in enumerate(tiers):
        if tier.upper is None or units <= tier.upper:
            return index
    return len(tiers) - 1


def step_price(units, tiers):
    index = step_band(units, tiers)
    return ZERO if index is None else to_decimal(tiers[index].price)


def graduated_price(units, tiers):
    """Each band prices its own part, per unit; the last band takes the rest."""
    total = ZERO
    lower = ZERO
    for index, tier in enumerate(tiers):
        last = index == len(tiers) - 1
        upper = None if (last or tier.upper is None) else to_decimal(tier.upper)
        if units <= lower:
            break
        part = units - lower if upper is None else min(units, upper) - lower
        total += part * to_decimal(tier.price)
        if upper is None:
            break
        lower = upper
    return total


def included_price(units, included_units, overage_price):
    extra = units - to_decimal(included_units)
    return extra * to_decimal(overage_price) if extra > 0 else ZERO


def data_price(quantity, plan):
    """(billed units, band index, amount) of a month's data volume in bytes."""
    units = billed_units(quantity, plan.data_unit, plan.rounding)
    band = None
    if plan.tier_type == STEP:
        band = step_band(units, plan.tiers)
        amount = step_price(units, plan.tiers)
    elif plan.tier_type == GRADUATED:
        band = step_band(units, plan.tiers)
        amount = graduated_price(units, plan.tiers)
    elif plan.tier_type == INCLUDED:
        amount = included_price(units, plan.included_units, plan.overage_price)
    else:
        raise ValueError(f"unknown tier type {plan.tier_type!r}")
    return units, band, round_cent(amount)


def rate_price(quantity, rate):
    """Amount of ``quantity`` raw units at a per-unit rate (0 when included)."""
    if rate is None or rate.included:
        return ZERO
    units = billed_units(quantity, rate.unit, rate.rounding)
    return round_cent(units * to_decimal(rate.price))


def price_usage(plan, quantities):
    """Price a month of usage of one line.

    ``quantities`` maps ``(usage_type, zone)`` to the raw quantity of the month.
    Data in the tiered zones is summed and priced by the tiers; every other pair
    by its rate (a missing rate means included: calls and SMS unlimited). The
    cap then bounds the usage amount: the excess is taken off the per-unit
    charges first, then off the data charge, so that each part stays >= 0.
    """
    result = UsagePrice()
    data_quantity = sum(
        int(qty)
        for (usage_type, zone), qty in quantities.items()
        if usage_type == "data" and zone in TIERED_DATA_ZONES
    )
    result.data_quantity = data_quantity
    units, band, amount = data_price(data_quantity, plan)
    result.data_units = units
    result.band_index = band
    if band is not None:
        result.band_upper = plan.tiers[band].upper
    result.data_amount = amount
    for (usage_type, zone), qty in sorted(quantities.items()):
        if usage_type == "data" and zone in TIERED_DATA_ZONES:
            continue
        result.rated[(usage_type, zone)] = rate_price(qty, plan.rate_for(usage_type, zone))
    if plan.cap is not None:
        apply_cap(result, to_decimal(plan.cap))
    return result


def apply_cap(result, cap):
    """Lower the charges of ``result`` in place so that they sum to at most ``cap``."""
    excess = result.usage_amount - cap
    if excess <= 0:
        return
    result.capped = True
    for key in sorted(result.rated, key=lambda k: result.rated[k], reverse=True):
        cut = min(excess, result.rated[key])
        result.rated[key] -= cut
        excess -= cut
        if excess <= 0:
            return
    result.data_amount -= min(excess, result.data_amount)


def split_amount(amount, weights):
    """Split ``amount`` (to the cent) in parts proportional to integer ``weights``.

    Largest remainder method: the parts are exact cents and sum to ``amount``.
    """
    amount = round_cent(amount)
    total_weight = sum(weights)
    if total_weight <= 0:
        raise ValueError("weights must sum to a positive number")
    if len(weights) == 1:
        return [amount]
    cents = int(amount / CENT)
    raw = [Decimal(cents) * w / total_weight for w in weights]
    floors = [int(r.to_integral_value(rounding=ROUND_DOWN)) for r in raw]
    left = cents - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (raw[i] - floors[i], -i), reverse=True)
    for i in order[:left]:
        floors[i] += 1
    return [Decimal(c) * CENT for c in floors]


def prorata_days(amount, days, month_days):
    """Day-based prorata of a monthly amount: the parts of ``days`` in the month.

    Returns one amount per entry of ``days`` (plus nothing for days not
    covered); when ``days`` covers the whole month the parts sum to ``amount``.
    """
    covered = sum(days)
    if covered > month_days:
        raise ValueError("more days than in the month")
    if covered == month_days and len(days) == 1:
        return [round_cent(amount)]
    weights = list(days)
    if covered < month_days:
        weights.append(month_days - covered)
    parts = split_amount(amount, weights)
    return parts[: len(days)]


def ceil_units(quantity, unit):
    """Whole units started by a raw quantity (used for display)."""
    return (Decimal(quantity) / Decimal(unit)).to_integral_value(rounding=ROUND_CEILING)
