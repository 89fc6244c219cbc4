# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Allocation of a fiscal year's result (affectation du résultat), pure Python.

The order of the law, with every rate taken from the statute profile:

1. A loss (or a nil result) allocates nothing: it is carried forward.
2. Losses carried forward from earlier years are absorbed first: the result
   less these losses is the *base* of the reserves and of what may be
   distributed (Code de commerce L232-10 and L232-11).
3. The legal reserve takes ``legal_rate`` (15 %) of the base until it reaches
   the highest capital reached since the cooperative began: never more than
   what is missing (loi n° 47-1775 art. 16; L232-10).
4. At least ``statutory_rate`` (50 %) of the base less the legal reserve goes
   to the statutory reserves (loi n° 47-1775 art. 19 nonies for an SCIC).
5. Public subsidies are not counted in the base of the interest on shares
   (art. 19 nonies): the interest is at most what is left after the reserves
   *less the subsidies*, and when the profile says so (``subsidies_to_reserves``)
   that part of the rest goes to the statutory reserves.
6. The rest is for the assembly: interest on shares (the rate capped at the
   average TMO of the three calendar years before the assembly + the margin,
   art. 14, the amount capped by that rate on the capital held pro rata
   temporis and by 5.), more reserves, or carried forward.

With no earlier loss, an empty legal reserve and no subsidy that is 15 % +
50 % x 85 % = 57.5 % kept at least, 42.5 % at most left to allocate: the
"57 % / 43 %" of TeleCoop's founder.

Minimums are rounded up to the cent and caps down, so that rounding never
breaks a floor.
"""

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def _d(value):
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _cents(value, rounding=ROUND_HALF_UP):
    return _d(value).quantize(CENT, rounding=rounding)


@dataclass(frozen=True)
class AllocationRules:
    legal_rate: Decimal = Decimal(15)  # percent of the base
    statutory_rate: Decimal = Decimal(50)  # percent of the base less the legal reserve
    subsidies_to_reserves: bool = True
    interest_margin: Decimal = Decimal(2)  # points above the average TMO


@dataclass(frozen=True)
class Situation:
    result: Decimal  # the fiscal year's profit (negative: a loss)
    highest_capital: Decimal  # highest share capital reached, up to the end of the year
    legal_reserve: Decimal = Decimal(0)  # balance of the legal reserve before allocation
    subsidies: Decimal = Decimal(0)  # public subsidies received in the year
    retained_losses: Decimal = Decimal(0)  # losses carried forward from earlier years (>= 0)
    average_tmo: Decimal = Decimal(0)  # percent, average TMO of the three years before the AGM
    interest_base: Decimal = Decimal(0)  # capital x days held / days of the year, summed


@dataclass(frozen=True)
class Minimums:
    losses_absorbed: Decimal  # earlier losses taken off the result first
    subsidies_reserve: Decimal  # the subsidies' part of the rest, to the statutory reserves
    legal_reserve: Decimal
    statutory_reserve: Decimal  # besides the subsidies
    free: Decimal  # at most this much is left to the assembly
    interest_rate_cap: Decimal  # percent
    interest_cap: Decimal  # amount
    base: Decimal = Decimal(0)  # result less the losses absorbed
    interest_cap_by_rate: Decimal = Decimal(0)  # the rate cap on the capital held
    interest_cap_by_subsidies: Decimal = Decimal(0)  # the rest after reserves, less subsidies

    @property
    def reserves(self):
        return self.subsidies_reserve + self.legal_reserve + self.statutory_reserve


@dataclass(frozen=True)
class Proposal:
    losses_absorbed: Decimal = Decimal(0)
    legal_reserve: Decimal = Decimal(0)
    statutory_reserve: Decimal = Decimal(0)  # subsidies included
    interest_on_shares: Decimal = Decimal(0)
    interest_rate: Decimal = Decimal(0)  # percent
    other_reserves: Decimal = Decimal(0)
    carried_forward: Decimal = Decimal(0)

    @property
    def total(self):
        return (
            self.losses_absorbed
            + self.legal_reserve
            + self.statutory_reserve
            + self.interest_on_shares
            + self.other_reserves
            + self.carried_forward
        )


@dataclass
class Check:
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def minimums(situation, rules=AllocationRules()):
    """What the law and the statutes keep at least, and what is left to the assembly."""
    result = _d(situation.result)
    rate_cap = _d(situation.average_tmo) + _d(rules.interest_margin)
    zero = Decimal("0.00")
    if result <= 0:
        return Minimums(zero, zero, zero, zero, zero, rate_cap, zero, base=zero)
    # 2. earlier losses first
    losses = _cents(min(max(_d(situation.retained_losses), Decimal(0)), result))
    base = result - losses
    # 3. legal reserve until the highest capital reached
    room = max(_d(situation.highest_capital) - _d(situation.legal_reserve), Decimal(0))
    legal = min(_cents(base * _d(rules.legal_rate) / HUNDRED, ROUND_UP), _cents(room))
    # 4. statutory reserves on what is left
    statutory = _cents((base - legal) * _d(rules.statutory_rate) / HUNDRED, ROUND_UP)
    rest = base - legal - statutory
    # 5. subsidies are not in the base of the interest
    subsidies = max(_d(situation.subsidies), Decimal(0))
    by_subsidies = _cents(max(rest - subsidies, Decimal(0)), ROUND_DOWN)
    subsidies_reserve = (
        _cents(min(subsidies, rest), ROUND_UP) if rules.subsidies_to_reserves else zero
    )
    free = _cents(rest - subsidies_reserve)
    # 6. the interest cap
    by_rate = _cents(_d(situation.interest_base) * rate_cap / HUNDRED, ROUND_DOWN)
    return Minimums(
        losses,
        subsidies_reserve,
        legal,
        statutory,
        free,
        rate_cap,
        min(by_rate, by_subsidies, free),
        base=_cents(base),
        interest_cap_by_rate=by_rate,
        interest_cap_by_subsidies=by_subsidies,
    )


def default_proposal(situation, rules=AllocationRules()):
    """The earlier losses absorbed, the minimum reserves, and the rest carried
    forward (or the loss)."""
    mins = minimums(situation, rules)
    if _d(situation.result) <= 0:
        return Proposal(carried_forward=_cents(situation.result))
    return Proposal(
        losses_absorbed=mins.losses_absorbed,
        legal_reserve=mins.legal_reserve,
        statutory_reserve=mins.subsidies_reserve + mins.statutory_reserve,
        carried_forward=mins.free,
    )


class RuleError(str):
    """A broken rule: the English sentence, with its ``code`` and figures
    (``params``) kept apart so that Odoo can say it again in the user's language."""

    def __new__(cls, code, template, **params):
        error = super().__new__(cls, template % params)
        error.code = code
        error.params = params
        return error


def check_proposal(situation, proposal, rules=AllocationRules()):
    """Every floor and cap that the proposal breaks, with the figures."""
    mins = minimums(situation, rules)
    check = Check()
    error = check.errors.append
    result = _cents(situation.result)
    if proposal.total != result:
        error(
            RuleError(
                "total",
                "The proposal allocates %(total)s but the result is %(result)s.",
                total=proposal.total,
                result=result,
            )
        )
    if result <= 0:
        if proposal.carried_forward != result:
            error(
                RuleError(
                    "loss",
                    "A loss of %(loss)s is carried forward, nothing is allocated.",
                    loss=-result,
                )
            )
        return check
    if proposal.losses_absorbed != mins.losses_absorbed:
        error(
            RuleError(
                "losses",
                "The losses carried forward from earlier years are absorbed first: "
                "%(minimum)s, not %(amount)s (Code de commerce L232-11).",
                amount=proposal.losses_absorbed,
                minimum=mins.losses_absorbed,
            )
        )
    if proposal.legal_reserve < mins.legal_reserve:
        error(
            RuleError(
                "legal_reserve",
                "The legal reserve gets %(amount)s, the law requires at least %(minimum)s "
                "(loi n° 47-1775 art. 16).",
                amount=proposal.legal_reserve,
                minimum=mins.legal_reserve,
            )
        )
    statutory_min = mins.subsidies_reserve + mins.statutory_reserve
    if proposal.statutory_reserve < statutory_min:
        error(
            RuleError(
                "statutory_reserve",
                "The statutory reserves get %(amount)s, the statutes require at "
                "least %(minimum)s (subsidies %(subsidies)s included; loi n° 47-1775 "
                "art. 19 nonies).",
                amount=proposal.statutory_reserve,
                minimum=statutory_min,
                subsidies=mins.subsidies_reserve,
            )
        )
    if _d(proposal.interest_rate) > mins.interest_rate_cap:
        error(
            RuleError(
                "interest_rate",
                "Interest on shares at %(rate)s %% exceeds the cap of %(cap)s %% "
                "(average TMO + margin, loi n° 47-1775 art. 14).",
                rate=proposal.interest_rate,
                cap=mins.interest_rate_cap,
            )
        )
    if proposal.interest_on_shares > mins.interest_cap_by_rate:
        error(
            RuleError(
                "interest_amount",
                "Interest on shares of %(amount)s exceeds the cap of %(cap)s for the "
                "capital held over the year.",
                amount=proposal.interest_on_shares,
                cap=mins.interest_cap_by_rate,
            )
        )
    if proposal.interest_on_shares > mins.interest_cap_by_subsidies:
        error(
            RuleError(
                "interest_subsidies",
                "Interest on shares of %(amount)s exceeds %(cap)s, what is left after the "
                "reserves once the public subsidies (%(subsidies)s) are excluded from its "
                "base (loi n° 47-1775 art. 19 nonies).",
                amount=proposal.interest_on_shares,
                cap=mins.interest_cap_by_subsidies,
                subsidies=_cents(situation.subsidies),
            )
        )
    for name in ("legal_reserve", "statutory_reserve", "interest_on_shares", "other_reserves"):
        if getattr(proposal, name) < 0:
            error(
                RuleError(
                    "negative",
                    "%(label)s cannot be negative.",
                    label=name.replace("_", " ").capitalize(),
                    field=name,
                )
            )
    return check


def split_pro_rata(total, weights):
    """Split ``total`` (cents) pro rata of ``weights``, exact to the cent.

    Largest remainder: the parts sum to ``total`` exactly, each part is within a
    cent of its exact share, ties go to the earlier weight. ``weights`` is a
    list of (key, weight) pairs; returns {key: amount}.
    """
    total = _cents(total)
    weights = [(key, _d(weight)) for key, weight in weights]
    whole = sum(weight for _key, weight in weights)
    if not weights or whole <= 0:
        return {key: Decimal("0.00") for key, _weight in weights}
    units = int(total / CENT)
    exact = [(key, units * weight / whole) for key, weight in weights]
    floors = {key: int(share) for key, share in exact}
    left = units - sum(floors.values())
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i][1] - floors[exact[i][0]]), i))
    for i in order[:left]:
        floors[exact[i][0]] += 1
    return {key: Decimal(cents) * CENT for key, cents in floors.items()}


def withhold(gross, rates):
    """The tax withheld at each rate (percent) on ``gross``, each rounded half up
    to the cent, and the net paid: ``(list of amounts, net)``."""
    gross = _cents(gross)
    taxes = [_cents(gross * _d(rate) / HUNDRED) for rate in rates]
    return taxes, gross - sum(taxes, Decimal(0))
