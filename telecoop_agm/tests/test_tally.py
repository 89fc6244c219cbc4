# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Golden cases and properties of the pure-Python tally (no database)."""

import random
import unittest
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.addons.telecoop_agm.services.tally import (
    ABSTAIN,
    AGAINST,
    FOR,
    Ballot,
    TallyError,
    tally,
    to_percent,
)

WEIGHTS = {"users": 40, "employees": 20, "founders": 20, "partners": 20}
FAA = (FOR, AGAINST, ABSTAIN)


def ballots(spec):
    """spec: list of (college, choice, count) -> ballots with distinct voters."""
    result, voter = [], 0
    for college, choice, count in spec:
        for _i in range(count):
            voter += 1
            result.append(Ballot(voter=voter, college=college, choice=choice, sequence=voter))
    return result


class TestTallyGolden(unittest.TestCase):
    def test_weighted_by_college_not_by_head(self):
        # 90 users for against 10 founders: the users' college holds 40 %, but
        # employees and partners are empty: users 40/60, founders 20/60.
        result = tally(ballots([("users", AGAINST, 90), ("founders", FOR, 10)]), WEIGHTS, FAA)
        self.assertEqual(result.weighted[AGAINST], Fraction(200, 3))
        self.assertEqual(result.weighted[FOR], Fraction(100, 3))
        self.assertFalse(result.adopted)
        self.assertEqual(result.college("employees").effective_weight, 0)
        self.assertEqual(result.college("users").effective_weight, Fraction(200, 3))

    def test_small_college_outweighs_big_one(self):
        spec = [
            ("users", AGAINST, 60),
            ("users", FOR, 40),
            ("employees", FOR, 3),
            ("founders", FOR, 2),
            ("partners", AGAINST, 1),
            ("partners", FOR, 1),
        ]
        result = tally(ballots(spec), WEIGHTS, FAA)
        # for = 40*0.4 + 20 + 20 + 20*0.5 = 66 ; against = 40*0.6 + 10 = 34
        self.assertEqual(result.weighted[FOR], 66)
        self.assertEqual(result.weighted[AGAINST], 34)
        self.assertTrue(result.adopted)
        self.assertEqual(result.counted, 107)
        self.assertEqual(result.expressed, 107)
        # 66 % is short of two thirds
        self.assertFalse(tally(ballots(spec), WEIGHTS, FAA, majority="two_thirds").adopted)

    def test_abstentions_counted_not_expressed(self):
        spec = [("users", FOR, 2), ("users", AGAINST, 1), ("users", ABSTAIN, 7)]
        result = tally(ballots(spec), WEIGHTS, FAA)
        users = result.college("users")
        self.assertEqual((users.counted, users.expressed), (10, 3))
        self.assertEqual(users.effective_weight, 100)
        self.assertEqual(result.weighted[FOR], Fraction(200, 3))
        self.assertTrue(result.adopted)

    def test_college_of_abstainers_is_redistributed(self):
        spec = [("users", ABSTAIN, 5), ("employees", FOR, 1), ("founders", AGAINST, 1)]
        result = tally(ballots(spec), WEIGHTS, FAA)
        self.assertEqual(result.college("users").effective_weight, 0)
        self.assertEqual(result.weighted[FOR], 50)
        self.assertFalse(result.adopted, "a tie rejects under simple majority")

    def test_thresholds_exact(self):
        # exactly two thirds in one college: adopted at 2/3, not at 3/4
        spec = [("users", FOR, 2), ("users", AGAINST, 1)]
        self.assertTrue(tally(ballots(spec), WEIGHTS, FAA, majority="two_thirds").adopted)
        self.assertFalse(tally(ballots(spec), WEIGHTS, FAA, majority="three_quarters").adopted)
        spec = [("users", FOR, 3), ("users", AGAINST, 1)]
        self.assertTrue(tally(ballots(spec), WEIGHTS, FAA, majority="three_quarters").adopted)

    def test_nothing_expressed(self):
        result = tally(ballots([("users", ABSTAIN, 3)]), WEIGHTS, FAA)
        self.assertFalse(result.adopted)
        self.assertEqual(sum(result.weighted.values()), 0)
        self.assertFalse(tally([], WEIGHTS, FAA).adopted)

    def test_options_relative_majority(self):
        options = ("reserves", "interest", "solidarity", ABSTAIN)
        spec = [
            ("users", "reserves", 5),
            ("users", "interest", 3),
            ("users", "solidarity", 2),
            ("employees", "interest", 4),
            ("founders", "solidarity", 1),
            ("partners", "reserves", 1),
        ]
        result = tally(ballots(spec), WEIGHTS, options, for_against=False)
        # reserves = 40*.5 + 20 = 40 ; interest = 40*.3 + 20 = 32 ; solidarity = 8 + 20 = 28
        self.assertEqual(result.weighted["reserves"], 40)
        self.assertEqual(result.weighted["interest"], 32)
        self.assertEqual(result.weighted["solidarity"], 28)
        self.assertTrue(result.adopted)
        self.assertEqual(result.winner, "reserves")
        result = tally(ballots(spec), WEIGHTS, options, majority="two_thirds", for_against=False)
        self.assertFalse(result.adopted)
        self.assertIsNone(result.winner)

    def test_options_tie_has_no_winner(self):
        spec = [("users", "a", 1), ("employees", "b", 1)]
        result = tally(ballots(spec), {"users": 50, "employees": 50}, ("a", "b"), for_against=False)
        self.assertEqual((result.adopted, result.winner), (False, None))

    def test_last_ballot_counts(self):
        data = [
            Ballot("alice", "users", FOR, sequence=1),
            Ballot("bob", "users", AGAINST, sequence=2),
            Ballot("alice", "users", AGAINST, sequence=3),
        ]
        result = tally(data, WEIGHTS, FAA)
        self.assertEqual(result.college("users").counts, {AGAINST: 2})
        self.assertEqual(result.counted, 2)

    def test_ambiguous_duplicate_is_an_error(self):
        data = [Ballot("alice", "users", FOR, 1), Ballot("alice", "users", AGAINST, 1)]
        with self.assertRaises(TallyError):
            tally(data, WEIGHTS, FAA)

    def test_bad_input(self):
        with self.assertRaises(TallyError):
            tally([], {"users": 60, "employees": 30}, FAA)
        with self.assertRaises(TallyError):
            tally([Ballot(1, "unknown", FOR)], WEIGHTS, FAA)
        with self.assertRaises(TallyError):
            tally([Ballot(1, "users", "maybe")], WEIGHTS, FAA)
        with self.assertRaises(TallyError):
            tally([], WEIGHTS, FAA, majority="unanimity")

    def test_decimal_and_float_weights_are_exact(self):
        weights = {"a": 33.33, "b": "33.33", "c": 33.34}
        result = tally([Ballot(1, "a", FOR), Ballot(2, "b", AGAINST)], weights, FAA)
        self.assertEqual(result.weighted[FOR], 50)
        self.assertEqual(to_percent(Fraction(200, 3)), to_percent(Fraction(6667, 100)))


colleges = st.sampled_from(list(WEIGHTS))
choice_st = st.sampled_from(FAA)
ballot_lists = st.lists(
    st.tuples(st.integers(0, 30), colleges, choice_st), min_size=0, max_size=80
).map(
    lambda rows: [
        # a voter always stays in one college (the electorate is frozen)
        Ballot(voter, sorted(WEIGHTS)[voter % 4], choice, sequence=index)
        for index, (voter, _college, choice) in enumerate(rows)
    ]
)


class TestTallyProperties(unittest.TestCase):
    @settings(max_examples=150, deadline=None)
    @given(
        ballot_lists, st.randoms(use_true_random=False), st.sampled_from(["simple", "two_thirds"])
    )
    def test_permutation_invariant(self, data, rnd, majority):
        shuffled = list(data)
        rnd.shuffle(shuffled)
        self.assertEqual(
            tally(data, WEIGHTS, FAA, majority=majority),
            tally(shuffled, WEIGHTS, FAA, majority=majority),
        )

    @settings(max_examples=150, deadline=None)
    @given(ballot_lists)
    def test_one_member_counts_once(self, data):
        result = tally(data, WEIGHTS, FAA)
        voters = {b.voter for b in data}
        self.assertEqual(result.counted, len(voters))
        # voting again with the same choice changes nothing
        last = max(data, key=lambda b: b.sequence) if data else None
        if last:
            again = [*data, Ballot(last.voter, last.college, last.choice, last.sequence + 1)]
            self.assertEqual(tally(again, WEIGHTS, FAA), result)

    @settings(max_examples=150, deadline=None)
    @given(
        ballot_lists,
        st.tuples(st.integers(17, 30), st.integers(17, 30), st.integers(17, 30)).map(
            lambda w: [*w, 100 - sum(w)]
        ),
    )
    def test_weights_sum_to_100(self, data, raw_weights):
        weights = dict(zip(sorted(WEIGHTS), raw_weights, strict=True))
        result = tally(data, weights, FAA)
        effective = sum(c.effective_weight for c in result.colleges)
        if result.expressed:
            self.assertEqual(effective, 100)
            self.assertEqual(sum(result.weighted.values()), 100)
        else:
            self.assertEqual(effective, 0)

    def test_large_random_against_the_statutes_formula(self):
        rnd = random.Random(7)
        data = [Ballot(v, sorted(WEIGHTS)[v % 4], rnd.choice(FAA), sequence=v) for v in range(2000)]
        result = tally(data, WEIGHTS, FAA)
        self.assertEqual(result.counted, 2000)
        self.assertEqual(
            (result.weighted[FOR], result.weighted[AGAINST]),
            tuple(statutes_weighted(data, WEIGHTS).values()),
        )

    @settings(deadline=None)
    @given(ballot_lists)
    def test_weighted_result_is_the_statutes_formula(self, data):
        """Each college's share of "for" / "against" among its expressed votes, times
        its weight; the weight of a college that expressed nothing goes to the others
        in proportion; a member counts by their last ballot (worked by hand here)."""
        result = tally(data, WEIGHTS, FAA)
        expected = statutes_weighted(data, WEIGHTS)
        self.assertEqual({k: v for k, v in result.weighted.items() if v}, {
            k: v for k, v in expected.items() if v
        })  # fmt: skip
        self.assertEqual(result.adopted, expected[FOR] > expected[AGAINST])


def statutes_weighted(data, weights):
    """{FOR: %, AGAINST: %} as the statutes define them, from the ballots."""
    last = {}
    for ballot in sorted(data, key=lambda b: b.sequence):
        last[ballot.voter] = ballot
    per_college = {}
    for ballot in last.values():
        counts = per_college.setdefault(ballot.college, {FOR: 0, AGAINST: 0})
        if ballot.choice != ABSTAIN:
            counts[ballot.choice] += 1
    expressing = {c: n for c, n in per_college.items() if n[FOR] + n[AGAINST]}
    total_weight = sum(weights[c] for c in expressing)
    weighted = {FOR: Fraction(0), AGAINST: Fraction(0)}
    for college, counts in expressing.items():
        share = Fraction(100 * weights[college], total_weight)
        for choice in (FOR, AGAINST):
            weighted[choice] += share * Fraction(counts[choice], counts[FOR] + counts[AGAINST])
    return weighted


class TestTallyEdges(unittest.TestCase):
    """Worked examples at the edges of the rules, with what the minutes show."""

    def test_result_carries_the_statutes_and_the_winner(self):
        # users 2 for, 1 against: 66.67 % for, adopted at two thirds
        spec = [("users", FOR, 2), ("users", AGAINST, 1)]
        result = tally(ballots(spec), WEIGHTS, FAA, majority="two_thirds")
        self.assertEqual((result.majority, result.choices), ("two_thirds", FAA))
        self.assertEqual((result.adopted, result.winner), (True, FOR))
        self.assertEqual(result.college("users").weight, 40)
        self.assertEqual(result.college("users").effective_weight, 100)
        # the same votes at three quarters: rejected, "against" carries the day
        result = tally(ballots(spec), WEIGHTS, FAA, majority="three_quarters")
        self.assertEqual((result.adopted, result.winner), (False, AGAINST))

    def test_percent_shown_rounds_half_up(self):
        self.assertEqual(to_percent(Fraction(200, 3)), Decimal("66.67"))
        self.assertEqual(to_percent(Fraction(1, 8)), Decimal("0.13"))  # 0.125
        self.assertEqual(to_percent(Fraction(1234567, 10000)), Decimal("123.46"))
        self.assertEqual(to_percent(Fraction(1, 3), places=1), Decimal("0.3"))

    def test_a_college_weighted_zero_or_under_one_percent(self):
        # observers hold no weight: they are counted, they decide nothing
        result = tally(
            ballots([("users", FOR, 1), ("observers", AGAINST, 5)]),
            {"users": 100, "observers": 0},
            FAA,
        )
        self.assertEqual((result.counted, result.expressed), (6, 6))
        self.assertEqual((result.weighted[FOR], result.adopted), (100, True))
        # half a percent for the partners: 99.5 % for, 0.5 % against
        result = tally(
            ballots([("users", FOR, 1), ("partners", AGAINST, 1)]),
            {"users": "99.5", "partners": "0.5"},
            FAA,
        )
        self.assertEqual(result.weighted[AGAINST], Fraction(1, 2))

    def test_for_against_without_abstention(self):
        result = tally(ballots([("users", AGAINST, 1)]), WEIGHTS, (FOR, AGAINST))
        self.assertEqual((result.adopted, result.winner), (False, AGAINST))

    def test_options_with_a_single_candidate(self):
        result = tally(
            ballots([("users", "alice", 3), ("users", ABSTAIN, 2)]),
            WEIGHTS,
            ("alice", ABSTAIN),
            for_against=False,
        )
        self.assertEqual((result.adopted, result.winner), (True, "alice"))

    def test_options_winner_at_exactly_two_thirds(self):
        # 2 of 3 users for "a": 66.666… % = 2/3 exactly, enough at two thirds
        result = tally(
            ballots([("users", "a", 2), ("users", "b", 1)]),
            WEIGHTS,
            ("a", "b"),
            majority="two_thirds",
            for_against=False,
        )
        self.assertEqual((result.adopted, result.winner), (True, "a"))

    def test_errors_say_what_is_wrong(self):
        cases = [
            (([], WEIGHTS, FAA), {"majority": "unanimity"}, "unknown majority 'unanimity'"),
            (
                ([], {"users": 60, "employees": 30}, FAA),
                {},
                "the college weights must sum to 100 %",
            ),
            (
                ([], {"users": 120, "employees": -20}, FAA),
                {},
                "a college weight cannot be negative",
            ),
            (
                ([], WEIGHTS, ("yes", "no")),
                {},
                "a for / against resolution needs the choices 'for' and 'against'",
            ),
            (
                ([Ballot(1, "unknown", FOR)], WEIGHTS, FAA),
                {},
                "ballot of 1 in unknown college 'unknown'",
            ),
            (
                ([Ballot(1, "users", "maybe")], WEIGHTS, FAA),
                {},
                "ballot of 1 for unknown choice 'maybe'",
            ),
            (
                ([Ballot("alice", "users", FOR, 1), Ballot("alice", "users", AGAINST, 1)],),
                {"weights": WEIGHTS, "choices": FAA},
                "voter 'alice' has two different ballots with sequence 1",
            ),
        ]
        for args, kwargs, message in cases:
            with self.subTest(message=message):
                with self.assertRaises(TallyError) as caught:
                    tally(*args, **kwargs)
                self.assertEqual(str(caught.exception), message)

    def test_share_within_a_college(self):
        # users: 3 for, 1 against, 1 abstention: 75 % for among the 4 expressed
        result = tally(
            ballots([("users", FOR, 3), ("users", AGAINST, 1), ("users", ABSTAIN, 1)]),
            WEIGHTS,
            FAA,
        )
        self.assertEqual(result.college("users").share(FOR), 75)
        self.assertEqual(result.college("users").share(AGAINST), 25)
        # nobody of the employees voted: 0 %, not a division by zero
        self.assertEqual(result.college("employees").share(FOR), 0)
        # founders all for: nobody against is 0 % against
        result = tally(ballots([("founders", FOR, 2)]), WEIGHTS, FAA)
        self.assertEqual(result.college("founders").share(AGAINST), 0)
