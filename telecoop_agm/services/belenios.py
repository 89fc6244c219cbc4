# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Exchange with Belenios (https://www.belenios.org), pure Python.

Belenios is a verifiable online voting system: an assembly that needs more
than what Odoo offers (end-to-end verifiability, secrecy that does not depend
on the database administrator) runs the vote of a resolution in Belenios and
records the result back in Odoo.

**Voter list.** Belenios (since 1.14) reads one voter per line,
``address,login,weight`` (or ``address,,weight`` without a login); the weight
is a positive integer. We write the member's e-mail, the member number as the
login, and the weight of the member's college spread over its members.

**Weights, exactly.** A member of college *c* (statutory weight *w_c* %, *n_c*
members in the frozen electorate) weighs ``w_c / n_c``. These fractions are
multiplied by the least common multiple of their denominators and divided by
the greatest common divisor of the results: the smallest integers with
exactly the same ratios, so that ``n_c * weight_c / total weight`` equals
``w_c / (sum of the weights of the colleges with members)`` with no rounding.
A college without any member carries no weight: the other colleges share it
pro rata, as the tally does for a college where nobody expresses a vote.

Belenios adds up the weights of the ballots cast: a college where half of the
members vote weighs half its statutory weight. This differs from the tally of
Odoo, which applies the college weight to the votes expressed in the college
(see ``tally.py``); the statutes decide which reading applies.

**Result.** ``result.json`` (written by ``belenios-tool finalize`` or the
server) is a JSON object whose ``result`` member holds one array per question;
for a homomorphic question (the usual "select one answer" question) that array
holds the weighted total of each answer, in the order of the answers, with
the blank vote first when blank votes are allowed. ``num_tallied`` is the
number of ballots counted. Large totals may be written as strings.
"""

import json
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from math import gcd, lcm

from .tally import HUNDRED, _decide, to_fraction


class BeleniosError(ValueError):
    """The input cannot be exchanged with Belenios."""


@dataclass(frozen=True)
class Voter:
    address: str  # e-mail address where Belenios sends the credential
    login: str  # the member number
    college: Hashable


@dataclass(frozen=True)
class ImportedResult:
    counts: tuple  # weighted total per answer, in the order of the answers
    blank: int  # weighted total of blank votes (0 when blank is not allowed)
    num_tallied: int  # number of ballots counted

    @property
    def expressed(self):
        return sum(self.counts)


def integer_weights(college_weights: Mapping, voter_counts: Mapping):
    """The integer weight of one voter of each college (see the module docstring).

    :param college_weights: {college: statutory weight in %}
    :param voter_counts: {college: number of voters}
    :return: {college: integer weight}, only for colleges with voters
    """
    shares = {}
    for college, weight in college_weights.items():
        count = voter_counts.get(college, 0)
        weight = to_fraction(weight)
        if weight < 0 or count < 0:
            raise BeleniosError(f"college {college!r}: negative weight or count")
        if count and weight:
            shares[college] = weight / count
    if not shares:
        raise BeleniosError("no college has both voters and a weight")
    scale = lcm(*(share.denominator for share in shares.values()))
    integers = {college: int(share * scale) for college, share in shares.items()}
    common = gcd(*integers.values())
    return {college: value // common for college, value in integers.items()}


def _check_field(value, what, voter):
    if not value or any(char in value for char in ",\r\n"):
        raise BeleniosError(
            f"{what} {value!r} of voter {voter.login or voter.address!r} is empty or "
            "contains a comma or a line break"
        )


def voters_file(voters, college_weights: Mapping):
    """The Belenios voter list of ``voters`` (:class:`Voter` items), as text.

    :return: (text, {college: integer weight}, total weight)
    """
    voters = list(voters)
    if not voters:
        raise BeleniosError("the electorate is empty")
    counts = {}
    for voter in voters:
        counts[voter.college] = counts.get(voter.college, 0) + 1
    unknown = set(counts) - set(college_weights)
    if unknown:
        raise BeleniosError(f"voters in colleges without a weight: {sorted(map(str, unknown))}")
    weights = integer_weights(college_weights, counts)
    logins = set()
    lines = []
    for voter in voters:
        _check_field(voter.address, "address", voter)
        _check_field(voter.login, "login", voter)
        if voter.login in logins:
            raise BeleniosError(f"login {voter.login!r} appears twice")
        logins.add(voter.login)
        weight = weights.get(voter.college)
        if not weight:
            raise BeleniosError(f"college {voter.college!r} has no weight")
        lines.append(f"{voter.address},{voter.login},{weight}")
    total = sum(weights[voter.college] for voter in voters)
    return "\n".join(lines) + "\n", weights, total


def _integer(value, where):
    if isinstance(value, bool):
        raise BeleniosError(f"{where}: {value!r} is not a number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        raise BeleniosError(f"{where}: {value!r} is not a whole number")
    if number < 0:
        raise BeleniosError(f"{where}: {number} is negative")
    return number


def parse_result(text, question=0, answers=None, blank=False):
    """Read the totals of one question from a Belenios ``result.json``.

    :param question: index of the question (0 for the first one)
    :param answers: number of answers expected (blank excluded), checked when given
    :param blank: True when the question allows a blank vote (its total comes first)
    """
    try:
        data = json.loads(text)
    except (TypeError, ValueError) as error:
        raise BeleniosError(f"not a JSON document: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("result"), list):
        raise BeleniosError("no 'result' array: is this the result.json of Belenios?")
    questions = data["result"]
    if not 0 <= question < len(questions):
        raise BeleniosError(
            f"question {question + 1} asked, the result has {len(questions)} question(s)"
        )
    totals = questions[question]
    if not isinstance(totals, list) or any(isinstance(item, list | dict) for item in totals):
        raise BeleniosError(
            f"question {question + 1} is not a homomorphic question (one total per answer)"
        )
    totals = [_integer(item, f"question {question + 1}") for item in totals]
    blank_total = 0
    if blank:
        if not totals:
            raise BeleniosError("a blank vote is expected but the result is empty")
        blank_total, totals = totals[0], totals[1:]
    if answers is not None and len(totals) != answers:
        raise BeleniosError(
            f"question {question + 1} has {len(totals)} answers, {answers} were expected"
        )
    num_tallied = _integer(data.get("num_tallied", 0), "num_tallied")
    return ImportedResult(counts=tuple(totals), blank=blank_total, num_tallied=num_tallied)


def decide(result, codes, majority="simple", for_against=True):
    """Weighted shares (%) of the answers and the decision, as the tally decides.

    :param codes: the choice code of each answer, in the order of the answers
    :return: (shares {code: Fraction %}, adopted, winner code or None)
    """
    if len(codes) != len(result.counts):
        raise BeleniosError(f"{len(codes)} choices for {len(result.counts)} answers")
    expressed = result.expressed
    shares = {
        code: (HUNDRED * Fraction(count, expressed) if expressed else Fraction(0))
        for code, count in zip(codes, result.counts, strict=True)
    }
    adopted, winner = _decide(shares, majority, for_against, expressed)
    return shares, adopted, winner
