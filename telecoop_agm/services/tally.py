# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tally of one resolution of a cooperative general assembly, in pure Python.

One member, one vote, whatever the number of shares; members vote in colleges
and each college holds a statutory weight (a percentage, e.g. 10 to 50 % in a
French SCIC). The rules, exactly:

1. **Which ballot counts.** A member may vote several times: every ballot
   carries a ``sequence`` (the order in which the ballot box received it; the
   database id) and only the member's ballot with the highest sequence counts.
   Two ballots of the same member with the same sequence are ambiguous and
   raise :class:`TallyError`. The result therefore never depends on the order
   of the input (permuting the ballots changes nothing) and a member is never
   counted twice.
2. **Per college.** For each college: ``counted`` is the number of members whose
   ballot counts, ``expressed`` the number of those whose choice is not an
   abstention. Abstentions are counted (they show participation) but are not
   expressed: they weigh neither for nor against.
3. **Empty colleges.** A college in which no ballot is expressed (nobody voted,
   or everybody abstained) cannot say anything: its weight is redistributed to
   the colleges that expressed votes, pro rata of their statutory weights
   (policy ``redistribute`` of the statute profile). The effective weight of an
   expressing college is ``weight * 100 / sum(weights of expressing colleges)``:
   the effective weights always sum to exactly 100 % (when any vote is
   expressed).
4. **Weighted result.** The weighted share of a choice is the sum, over the
   expressing colleges, of ``effective weight * votes for the choice /
   expressed votes of the college``. The shares of the expressed choices sum to
   exactly 100 %. Arithmetic is exact (:class:`fractions.Fraction`); round only
   to display.
5. **Adoption.**

   - For / against resolutions: ``simple`` adopts when the weighted share for
     is strictly greater than the share against (a tie rejects);
     ``two_thirds`` when the share for is at least 2/3 of the expressed weight
     (>= 66.666...%); ``three_quarters`` when it is at least 3/4 (>= 75 %).
   - Resolutions with several options: the winner is the option with the
     largest weighted share. ``simple`` means relative majority: the winner
     needs strictly more than every other option (a tie at the top gives no
     winner); ``two_thirds`` and ``three_quarters`` also require the winner to
     reach that share of the expressed weight.
   - Nothing expressed: nothing is adopted.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

HUNDRED = Fraction(100)
THRESHOLDS = {
    "simple": None,
    "two_thirds": Fraction(2, 3),
    "three_quarters": Fraction(3, 4),
}
FOR, AGAINST, ABSTAIN = "for", "against", "abstain"


class TallyError(ValueError):
    """The input of a tally is inconsistent."""


@dataclass(frozen=True)
class Ballot:
    """One ballot: ``voter`` votes ``choice`` in ``college``; ``sequence`` orders them."""

    voter: Hashable
    college: Hashable
    choice: Hashable
    sequence: int = 0


@dataclass(frozen=True)
class CollegeResult:
    college: Hashable
    weight: Fraction
    effective_weight: Fraction
    counts: Mapping
    counted: int
    expressed: int

    def share(self, choice):
        """Share (%) of ``choice`` among the expressed votes of this college."""
        if not self.expressed:
            return Fraction(0)
        return HUNDRED * self.counts.get(choice, 0) / self.expressed


@dataclass(frozen=True)
class TallyResult:
    colleges: tuple
    weighted: Mapping
    counted: int
    expressed: int
    majority: str
    adopted: bool
    winner: Hashable = None
    choices: tuple = field(default=())

    def college(self, college):
        return next(c for c in self.colleges if c.college == college)


def to_fraction(value):
    """Exact conversion of a weight given as int, str, Decimal, Fraction or float."""
    if isinstance(value, float):
        value = Decimal(str(value))
    return Fraction(value)


def to_percent(value, places=2):
    """Round a Fraction percentage to a Decimal for display (half up)."""
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        quantum, rounding=ROUND_HALF_UP
    )


def current_ballots(ballots: Iterable[Ballot]):
    """The ballot that counts for each voter: the one with the highest sequence."""
    last = {}
    for ballot in ballots:
        previous = last.get(ballot.voter)
        if previous is None or ballot.sequence > previous.sequence:
            last[ballot.voter] = ballot
        elif ballot.sequence == previous.sequence and ballot != previous:
            raise TallyError(
                f"voter {ballot.voter!r} has two different ballots with sequence {ballot.sequence}"
            )
    return last


def effective_weights(weights: Mapping, expressing: Iterable):
    """Statutory weights of ``expressing`` colleges scaled to sum to 100 %."""
    expressing = [c for c in weights if c in set(expressing)]
    total = sum((to_fraction(weights[c]) for c in expressing), Fraction(0))
    result = {c: Fraction(0) for c in weights}
    if not total:
        return result
    for college in expressing:
        result[college] = to_fraction(weights[college]) * HUNDRED / total
    return result


def tally(
    ballots: Iterable[Ballot],
    weights: Mapping,
    choices: Iterable,
    majority="simple",
    abstain=ABSTAIN,
    for_against=True,
):
    """Tally one resolution. See the module docstring for the rules.

    :param ballots: :class:`Ballot` items, in any order, replacements included.
    :param weights: statutory weight (%) of each college; they must sum to 100.
    :param choices: every valid choice (abstention included when allowed).
    :param majority: ``simple``, ``two_thirds`` or ``three_quarters``.
    :param abstain: the choice that means abstention (not expressed).
    :param for_against: True for a for / against resolution (choices ``for``,
        ``against`` and the abstention), False for a vote between options.
    """
    if majority not in THRESHOLDS:
        raise TallyError(f"unknown majority {majority!r}")
    weights = {college: to_fraction(weight) for college, weight in weights.items()}
    if weights and sum(weights.values()) != HUNDRED:
        raise TallyError("the college weights must sum to 100 %")
    if any(weight < 0 for weight in weights.values()):
        raise TallyError("a college weight cannot be negative")
    choices = tuple(choices)
    if for_against and not {FOR, AGAINST} <= set(choices):
        raise TallyError("a for / against resolution needs the choices 'for' and 'against'")

    counts = {college: defaultdict(int) for college in weights}
    for ballot in current_ballots(ballots).values():
        if ballot.college not in counts:
            raise TallyError(f"ballot of {ballot.voter!r} in unknown college {ballot.college!r}")
        if ballot.choice not in choices:
            raise TallyError(f"ballot of {ballot.voter!r} for unknown choice {ballot.choice!r}")
        counts[ballot.college][ballot.choice] += 1

    expressed_by_college = {
        college: sum(n for choice, n in per_choice.items() if choice != abstain)
        for college, per_choice in counts.items()
    }
    effective = effective_weights(weights, [c for c, n in expressed_by_college.items() if n])
    colleges = tuple(
        CollegeResult(
            college=college,
            weight=weights[college],
            effective_weight=effective[college],
            counts=dict(counts[college]),
            counted=sum(counts[college].values()),
            expressed=expressed_by_college[college],
        )
        for college in weights
    )
    expressed_choices = [choice for choice in choices if choice != abstain]
    weighted = {choice: Fraction(0) for choice in expressed_choices}
    for result in colleges:
        if not result.expressed:
            continue
        for choice in expressed_choices:
            weighted[choice] += (
                result.effective_weight * result.counts.get(choice, 0) / (result.expressed)
            )
    expressed = sum(expressed_by_college.values())
    adopted, winner = _decide(weighted, majority, for_against, expressed)
    return TallyResult(
        colleges=colleges,
        weighted=weighted,
        counted=sum(c.counted for c in colleges),
        expressed=expressed,
        majority=majority,
        adopted=adopted,
        winner=winner,
        choices=choices,
    )


def _decide(weighted, majority, for_against, expressed):
    if not expressed:
        return False, None
    threshold = THRESHOLDS[majority]
    if for_against:
        share_for, share_against = weighted[FOR], weighted[AGAINST]
        if threshold is None:
            adopted = share_for > share_against
        else:
            adopted = share_for >= threshold * HUNDRED
        return adopted, FOR if adopted else AGAINST
    ranked = sorted(weighted.items(), key=lambda item: item[1], reverse=True)
    best_choice, best = ranked[0]
    if len(ranked) > 1 and ranked[1][1] == best:
        return False, None
    if threshold is not None and best < threshold * HUNDRED:
        return False, None
    return True, best_choice
