# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Golden cases and properties of the surplus allocation rules (pure Python)."""

import unittest
from dataclasses import replace
from decimal import ROUND_DOWN, ROUND_UP
from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.addons.telecoop_agm.services.surplus_allocation import (
    AllocationRules,
    Proposal,
    Situation,
    check_proposal,
    default_proposal,
    minimums,
    split_pro_rata,
    withhold,
)


class TestSurplusAllocationGolden(unittest.TestCase):
    def test_first_year_keeps_57_5_percent(self):
        """Legal reserve empty: 15 % + 50 % of 85 % = 57.5 % kept, 42.5 % free."""
        mins = minimums(Situation(result=D("10000"), highest_capital=D("50000")))
        self.assertEqual(mins.legal_reserve, D("1500.00"))
        self.assertEqual(mins.statutory_reserve, D("4250.00"))
        self.assertEqual(mins.reserves, D("5750.00"))
        self.assertEqual(mins.free, D("4250.00"))

    def test_year_when_the_legal_reserve_becomes_full(self):
        """Only what the legal reserve lacks to reach the highest capital goes to it
        (loi 47-1775 art. 16): 20,000 - 19,000 = 1,000 instead of 1,500; statutory
        50 % of 9,000 = 4,500."""
        mins = minimums(
            Situation(result=D("10000"), highest_capital=D("20000"), legal_reserve=D("19000"))
        )
        self.assertEqual(mins.legal_reserve, D("1000.00"))
        self.assertEqual(mins.statutory_reserve, D("4500.00"))
        self.assertEqual(mins.free, D("4500.00"))

    def test_reserves_already_at_the_highest_capital_take_nothing(self):
        """Legal reserve 20,000 = highest capital 20,000: the 15 % is no longer owed
        (art. 16), statutory 50 % of the whole 10,000 (art. 19 nonies)."""
        mins = minimums(
            Situation(result=D("10000"), highest_capital=D("20000"), legal_reserve=D("20000"))
        )
        self.assertEqual(mins.legal_reserve, D("0.00"))
        self.assertEqual(mins.statutory_reserve, D("5000.00"))
        self.assertEqual(mins.free, D("5000.00"))

    def test_legal_reserve_runs_to_the_highest_capital_not_the_year_end_capital(self):
        """Capital 20,000 at its highest, 15,000 at year end after buy-backs, legal
        reserve 18,000: 2,000 are still missing, so the full 15 % of 10,000 = 1,500 is
        owed (art. 16 says "le capital le plus élevé atteint"; the year-end capital
        would have given 0)."""
        mins = minimums(
            Situation(result=D("10000"), highest_capital=D("20000"), legal_reserve=D("18000"))
        )
        self.assertEqual(mins.legal_reserve, D("1500.00"))
        self.assertEqual(mins.statutory_reserve, D("4250.00"))

    def test_loss_is_carried_forward(self):
        situation = Situation(result=D("-3200.50"), highest_capital=D("50000"))
        mins = minimums(situation)
        self.assertEqual((mins.reserves, mins.free), (D("0.00"), D("0.00")))
        proposal = default_proposal(situation)
        self.assertEqual(proposal.carried_forward, D("-3200.50"))
        self.assertTrue(check_proposal(situation, proposal).ok)
        bad = Proposal(interest_on_shares=D("100"), carried_forward=D("-3300.50"))
        self.assertFalse(check_proposal(situation, bad).ok)

    def test_subsidies_are_excluded_from_the_base_of_the_interest(self):
        """Loi 47-1775 art. 19 nonies: subsidies are not counted in the base of the
        interest. Result 10,000, subsidies 2,000: reserves on the whole result (1,500 +
        4,250), rest 4,250; interest at most 4,250 - 2,000 = 2,250; with the profile's
        "subsidies go to reserves first" the 2,000 go to the statutory reserves."""
        situation = Situation(result=D("10000"), highest_capital=D("50000"), subsidies=D("2000"))
        mins = minimums(situation)
        self.assertEqual(mins.legal_reserve, D("1500.00"))
        self.assertEqual(mins.statutory_reserve, D("4250.00"))
        self.assertEqual(mins.subsidies_reserve, D("2000.00"))
        self.assertEqual(mins.free, D("2250.00"))
        self.assertEqual(mins.interest_cap_by_subsidies, D("2250.00"))
        kept = minimums(situation, AllocationRules(subsidies_to_reserves=False))
        self.assertEqual((kept.subsidies_reserve, kept.free), (D("0.00"), D("4250.00")))
        self.assertEqual(kept.interest_cap_by_subsidies, D("2250.00"))

    def test_subsidies_larger_than_the_free_part_leave_no_interest(self):
        """The issue's case: result 10,000 with 9,000 of subsidies. 42.5 % of 10,000 =
        4,250 is left after the reserves, less 9,000 of subsidies: 0 of interest (the
        old code took the subsidies off first and allowed 425)."""
        situation = Situation(
            result=D("10000"),
            highest_capital=D("50000"),
            subsidies=D("9000"),
            average_tmo=D("3"),
            interest_base=D("50000"),
        )
        mins = minimums(situation)
        self.assertEqual(mins.legal_reserve, D("1500.00"))
        self.assertEqual(mins.statutory_reserve, D("4250.00"))
        self.assertEqual(mins.subsidies_reserve, D("4250.00"))
        self.assertEqual((mins.free, mins.interest_cap), (D("0.00"), D("0.00")))
        self.assertEqual(mins.interest_cap_by_rate, D("2500.00"))  # 5 % of 50,000
        proposal = Proposal(
            legal_reserve=D("1500"),
            statutory_reserve=D("4250"),
            interest_on_shares=D("425"),
            interest_rate=D("0.85"),
            carried_forward=D("3825"),
        )
        errors = check_proposal(situation, proposal, AllocationRules(subsidies_to_reserves=False))
        self.assertEqual([error.code for error in errors.errors], ["interest_subsidies"])
        self.assertIn("art. 19 nonies", errors.errors[0])

    def test_subsidies_beyond_the_result_take_all_of_the_rest(self):
        """Result 1,000, subsidies 5,000: 150 + 425 of reserves, the 425 left go to the
        statutory reserves, nothing is free."""
        mins = minimums(
            Situation(result=D("1000"), highest_capital=D("50000"), subsidies=D("5000"))
        )
        self.assertEqual(mins.subsidies_reserve, D("425.00"))
        self.assertEqual(mins.reserves, D("1000.00"))
        self.assertEqual(mins.free, D("0.00"))

    def test_retained_losses_are_absorbed_first(self):
        """Code de commerce L232-11: result 10,000 with 4,000 of losses carried forward:
        base 6,000, legal 15 % = 900, statutory 50 % of 5,100 = 2,550, free 2,550."""
        situation = Situation(
            result=D("10000"), highest_capital=D("50000"), retained_losses=D("4000")
        )
        mins = minimums(situation)
        self.assertEqual((mins.losses_absorbed, mins.base), (D("4000.00"), D("6000.00")))
        self.assertEqual(mins.legal_reserve, D("900.00"))
        self.assertEqual(mins.statutory_reserve, D("2550.00"))
        self.assertEqual(mins.free, D("2550.00"))
        proposal = default_proposal(situation)
        self.assertEqual(proposal.losses_absorbed, D("4000.00"))
        self.assertTrue(check_proposal(situation, proposal).ok)
        skipped = Proposal(
            legal_reserve=D("1500"), statutory_reserve=D("4250"), carried_forward=D("4250")
        )
        self.assertIn("L232-11", check_proposal(situation, skipped).errors[0])

    def test_retained_losses_larger_than_the_result_take_all_of_it(self):
        """Losses of 12,000 carried forward, result 10,000: all of it absorbs them."""
        mins = minimums(
            Situation(result=D("10000"), highest_capital=D("50000"), retained_losses=D("12000"))
        )
        self.assertEqual(mins.losses_absorbed, D("10000.00"))
        self.assertEqual((mins.reserves, mins.free, mins.interest_cap), (0, 0, 0))

    def test_other_statutes_other_rates(self):
        rules = AllocationRules(legal_rate=D(15), statutory_rate=D(60), interest_margin=D("1.5"))
        mins = minimums(
            Situation(result=D("10000"), highest_capital=D("50000"), average_tmo=D("3.1")), rules
        )
        self.assertEqual(mins.statutory_reserve, D("5100.00"))
        self.assertEqual(mins.interest_rate_cap, D("4.6"))

    def test_minimums_round_up_to_the_cent(self):
        mins = minimums(Situation(result=D("100.01"), highest_capital=D("50000")))
        self.assertEqual(mins.legal_reserve, D("15.01"))  # 15.0015 rounded up
        self.assertEqual(mins.statutory_reserve, D("42.50"))  # 42.5000 exactly
        self.assertEqual(mins.free, D("42.50"))

    def test_proposal_breaking_floors_and_caps_is_refused_with_figures(self):
        situation = Situation(
            result=D("10000"),
            highest_capital=D("50000"),
            average_tmo=D("3"),
            interest_base=D("40000"),
        )
        proposal = Proposal(
            legal_reserve=D("1000"),
            statutory_reserve=D("4250"),
            interest_on_shares=D("2400"),
            interest_rate=D("6"),
            carried_forward=D("2350"),
        )
        errors = check_proposal(situation, proposal).errors
        self.assertEqual(len(errors), 3, errors)
        self.assertIn("art. 16", errors[0])
        self.assertIn("art. 14", errors[1])
        self.assertIn("at least 1500.00", errors[0])
        self.assertIn("cap of 5", errors[1])
        self.assertIn("cap of 2000.00", errors[2])

    def test_voted_proposal_within_the_rules_passes(self):
        situation = Situation(
            result=D("10000"),
            highest_capital=D("50000"),
            average_tmo=D("3"),
            interest_base=D("40000"),
        )
        proposal = Proposal(
            legal_reserve=D("1500"),
            statutory_reserve=D("4250"),
            interest_on_shares=D("2000"),
            interest_rate=D("5"),
            carried_forward=D("2250"),
        )
        self.assertTrue(check_proposal(situation, proposal).ok)

    def test_proposal_must_allocate_exactly_the_result(self):
        situation = Situation(result=D("10000"), highest_capital=D("50000"))
        proposal = default_proposal(situation)
        self.assertTrue(check_proposal(situation, proposal).ok)
        short = Proposal(legal_reserve=D("1500"), statutory_reserve=D("4250"))
        self.assertIn("allocates 5750", check_proposal(situation, short).errors[0])

    def test_split_pro_rata_golden(self):
        parts = split_pro_rata(D("100.00"), [("a", 1), ("b", 1), ("c", 1)])
        self.assertEqual(parts, {"a": D("33.34"), "b": D("33.33"), "c": D("33.33")})


def up(value):
    return D(value).quantize(D("0.01"), rounding=ROUND_UP)


def down(value):
    return D(value).quantize(D("0.01"), rounding=ROUND_DOWN)


amounts = st.decimals(min_value=D("-100000"), max_value=D("1000000"), places=2)


class TestSurplusAllocationProperties(unittest.TestCase):
    @settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(
        result=amounts,
        capital=st.decimals(min_value=0, max_value=D("1000000"), places=2),
        legal=st.decimals(min_value=0, max_value=D("1000000"), places=2),
        subsidies=st.decimals(min_value=0, max_value=D("100000"), places=2),
        losses=st.decimals(min_value=0, max_value=D("100000"), places=2),
        flag=st.booleans(),
    )
    def test_default_proposal_is_always_valid_and_exact(
        self, result, capital, legal, subsidies, losses, flag
    ):
        situation = Situation(
            result=result,
            highest_capital=capital,
            legal_reserve=legal,
            subsidies=subsidies,
            retained_losses=losses,
            average_tmo=D("3"),
            interest_base=capital,
        )
        rules = AllocationRules(subsidies_to_reserves=flag)
        proposal = default_proposal(situation, rules)
        self.assertEqual(proposal.total, result)
        self.assertTrue(check_proposal(situation, proposal, rules).ok)
        if result <= 0:
            # a loss (or nothing) is carried forward, nothing is put in reserve
            self.assertEqual(proposal.carried_forward, result)
            self.assertEqual(proposal.legal_reserve + proposal.statutory_reserve, 0)
            return
        # The floors of the law, worked here from its text (not from minimums()):
        # earlier losses first (Code de commerce L232-11); the legal reserve takes 15 % of
        # what is left until it reaches the highest capital (loi 47-1775 art. 16); an SCIC
        # puts at least 50 % of what is left after it in its statutory reserves (art. 19
        # nonies), 15 + 50 x 85 % = 57.5 % in all; floors rounded up to the cent.
        absorbed = min(losses, result)
        base = result - absorbed
        legal_floor = min(up(base * 15 / 100), max(capital - legal, 0))
        statutory_floor = up((base - legal_floor) * 50 / 100)
        rest = base - legal_floor - statutory_floor
        if flag:  # the subsidies' part of the rest goes to the reserves too
            statutory_floor += up(min(subsidies, rest))
        self.assertEqual(proposal.losses_absorbed, absorbed)
        self.assertGreaterEqual(proposal.legal_reserve, legal_floor)
        self.assertLessEqual(proposal.legal_reserve, max(capital - legal, 0))
        self.assertGreaterEqual(proposal.statutory_reserve, statutory_floor)
        if legal == 0 and losses == 0 and capital >= result:
            # the floor of a year with room in the legal reserve: at least 57.5 % kept
            kept = proposal.legal_reserve + proposal.statutory_reserve
            self.assertGreaterEqual(kept * 1000, result * 575)
        # one cent under a floor, the difference carried forward, is refused
        cent = D("0.01")
        if legal_floor > 0:
            short = replace(
                proposal,
                legal_reserve=legal_floor - cent,
                carried_forward=proposal.carried_forward
                + proposal.legal_reserve
                - legal_floor
                + cent,
            )
            self.assertEqual(short.total, result)
            self.assertFalse(check_proposal(situation, short, rules).ok)
        if statutory_floor > 0:
            short = replace(
                proposal,
                statutory_reserve=statutory_floor - cent,
                carried_forward=proposal.carried_forward
                + proposal.statutory_reserve
                - statutory_floor
                + cent,
            )
            self.assertEqual(short.total, result)
            self.assertFalse(check_proposal(situation, short, rules).ok)
        # interest on shares: at most TMO + 2 points (3 + 2 = 5 %) of the capital held, and
        # never out of the subsidies (art. 19 nonies): what is left after the floors less them
        free = base - legal_floor - statutory_floor
        cap = max(min(down(capital * 5 / 100), down(rest - subsidies), free), D(0))
        paid = Proposal(
            losses_absorbed=absorbed,
            legal_reserve=legal_floor,
            statutory_reserve=statutory_floor,
            interest_on_shares=cap,
            interest_rate=D(5),
            carried_forward=free - cap,
        )
        self.assertEqual(check_proposal(situation, paid, rules).errors, [])
        if free - cap >= cent:
            over = replace(paid, interest_on_shares=cap + cent, carried_forward=free - cap - cent)
            self.assertFalse(check_proposal(situation, over, rules).ok)

    @settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(
        total=st.decimals(min_value=0, max_value=D("100000"), places=2),
        weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=50),
    )
    def test_split_pro_rata_sums_exactly_and_stays_within_a_cent(self, total, weights):
        pairs = list(enumerate(weights))
        parts = split_pro_rata(total, pairs)
        whole = sum(weights)
        if whole == 0:
            self.assertTrue(all(amount == 0 for amount in parts.values()))
            return
        self.assertEqual(sum(parts.values()), total)
        for key, weight in pairs:
            self.assertLess(abs(parts[key] - total * weight / whole), D("0.01"))


def _errors(situation, proposal, rules=None):
    """(code, English sentence, figures) of each broken rule, in order."""
    return [
        (error.code, str(error), error.params)
        for error in check_proposal(situation, proposal, rules or AllocationRules()).errors
    ]


class TestSurplusAllocationRefusals(unittest.TestCase):
    """Each rule broken alone by a cent, with the sentence and the figures that
    the assembly user reads (Odoo translates it from its code and figures).

    The situation, by hand: result 10,000, subsidies 1,000, TMO 3 %, capital held
    40,000. Legal 15 % = 1,500; statutory 50 % of 8,500 = 4,250, plus the 1,000 of
    subsidies = 5,250; rest 4,250 - 1,000 = 3,250; rate cap 3 + 2 = 5 %, interest
    at most 5 % of 40,000 = 2,000. The valid proposal: 1,500 + 5,250 + 2,000 of
    interest + 1,250 carried forward = 10,000."""

    situation = Situation(
        result=D("10000"),
        highest_capital=D("50000"),
        subsidies=D("1000"),
        average_tmo=D("3"),
        interest_base=D("40000"),
    )
    valid = Proposal(
        legal_reserve=D("1500"),
        statutory_reserve=D("5250"),
        interest_on_shares=D("2000"),
        interest_rate=D("5"),
        carried_forward=D("1250"),
    )

    def test_the_proposal_at_every_limit_passes(self):
        self.assertEqual(_errors(self.situation, self.valid), [])

    def test_total_short_of_the_result(self):
        proposal = replace(self.valid, carried_forward=D("250"))
        self.assertEqual(
            _errors(self.situation, proposal),
            [
                (
                    "total",
                    "The proposal allocates 9000 but the result is 10000.00.",
                    {"total": D("9000"), "result": D("10000.00")},
                )
            ],
        )

    def test_legal_reserve_a_cent_short(self):
        proposal = replace(self.valid, legal_reserve=D("1499.99"), carried_forward=D("1250.01"))
        self.assertEqual(
            _errors(self.situation, proposal),
            [
                (
                    "legal_reserve",
                    "The legal reserve gets 1499.99, the law requires at least 1500.00 "
                    "(loi n° 47-1775 art. 16).",
                    {"amount": D("1499.99"), "minimum": D("1500.00")},
                )
            ],
        )

    def test_statutory_reserves_a_cent_short_subsidies_included(self):
        proposal = replace(self.valid, statutory_reserve=D("5249.99"), carried_forward=D("1250.01"))
        self.assertEqual(
            _errors(self.situation, proposal),
            [
                (
                    "statutory_reserve",
                    "The statutory reserves get 5249.99, the statutes require at least "
                    "5250.00 (subsidies 1000.00 included; loi n° 47-1775 art. 19 nonies).",
                    {
                        "amount": D("5249.99"),
                        "minimum": D("5250.00"),
                        "subsidies": D("1000.00"),
                    },
                )
            ],
        )

    def test_rate_above_the_tmo_plus_margin(self):
        proposal = replace(self.valid, interest_rate=D("5.01"))
        self.assertEqual(
            _errors(self.situation, proposal),
            [
                (
                    "interest_rate",
                    "Interest on shares at 5.01 % exceeds the cap of 5 % "
                    "(average TMO + margin, loi n° 47-1775 art. 14).",
                    {"rate": D("5.01"), "cap": D("5")},
                )
            ],
        )

    def test_interest_a_cent_above_the_capital_held(self):
        proposal = replace(
            self.valid, interest_on_shares=D("2000.01"), carried_forward=D("1249.99")
        )
        self.assertEqual(
            _errors(self.situation, proposal),
            [
                (
                    "interest_amount",
                    "Interest on shares of 2000.01 exceeds the cap of 2000.00 for the "
                    "capital held over the year.",
                    {"amount": D("2000.01"), "cap": D("2000.00")},
                )
            ],
        )

    def test_interest_a_cent_into_the_subsidies(self):
        """Subsidies 3,000 kept out of the reserves by the profile: statutory 4,250,
        interest at most 4,250 - 3,000 = 1,250 (below the 2,000 of the capital)."""
        situation = replace(self.situation, subsidies=D("3000"))
        proposal = Proposal(
            legal_reserve=D("1500"),
            statutory_reserve=D("4250"),
            interest_on_shares=D("1250.01"),
            interest_rate=D("5"),
            carried_forward=D("2999.99"),
        )
        rules = AllocationRules(subsidies_to_reserves=False)
        self.assertEqual(
            _errors(situation, proposal, rules),
            [
                (
                    "interest_subsidies",
                    "Interest on shares of 1250.01 exceeds 1250.00, what is left after the "
                    "reserves once the public subsidies (3000.00) are excluded from its base "
                    "(loi n° 47-1775 art. 19 nonies).",
                    {"amount": D("1250.01"), "cap": D("1250.00"), "subsidies": D("3000.00")},
                )
            ],
        )
        self.assertEqual(
            _errors(
                situation,
                replace(proposal, interest_on_shares=D("1250"), carried_forward=D("3000")),
                rules,
            ),
            [],
        )

    def test_losses_absorbed_beyond_what_was_carried(self):
        """Losses of 4,000 carried forward: base 6,000, legal 900, statutory 2,550;
        absorbing 5,000 is refused as surely as absorbing nothing."""
        situation = Situation(
            result=D("10000"), highest_capital=D("50000"), retained_losses=D("4000")
        )
        proposal = Proposal(
            losses_absorbed=D("5000"),
            legal_reserve=D("900"),
            statutory_reserve=D("2550"),
            carried_forward=D("1550"),
        )
        self.assertEqual(
            _errors(situation, proposal),
            [
                (
                    "losses",
                    "The losses carried forward from earlier years are absorbed first: "
                    "4000.00, not 5000 (Code de commerce L232-11).",
                    {"amount": D("5000"), "minimum": D("4000.00")},
                )
            ],
        )

    def test_negative_amounts_are_named(self):
        """Statutes with no reserve rate: every floor is 0, only the signs are wrong."""
        rules = AllocationRules(legal_rate=D(0), statutory_rate=D(0))
        situation = Situation(result=D("1000"), highest_capital=D("50000"), average_tmo=D(3))
        proposal = Proposal(
            legal_reserve=D("-1"),
            statutory_reserve=D("-2"),
            interest_on_shares=D("-3"),
            other_reserves=D("-4"),
            carried_forward=D("1010"),
        )
        # the reserves under their floor of 0 are also refused as such
        errors = _errors(situation, proposal, rules)
        self.assertEqual(
            [code for code, _text, _p in errors[:2]], ["legal_reserve", "statutory_reserve"]
        )
        self.assertEqual(
            errors[2:],
            [
                ("negative", f"{label} cannot be negative.", {"label": label, "field": name})
                for label, name in (
                    ("Legal reserve", "legal_reserve"),
                    ("Statutory reserve", "statutory_reserve"),
                    ("Interest on shares", "interest_on_shares"),
                    ("Other reserves", "other_reserves"),
                )
            ],
        )

    def test_a_loss_allocated_to_reserves(self):
        situation = Situation(result=D("-3200.50"), highest_capital=D("50000"))
        proposal = Proposal(other_reserves=D("-200.50"), carried_forward=D("-3000"))
        self.assertEqual(
            _errors(situation, proposal),
            [
                (
                    "loss",
                    "A loss of 3200.50 is carried forward, nothing is allocated.",
                    {"loss": D("3200.50")},
                )
            ],
        )

    def test_a_nil_result_allocates_nothing_either(self):
        # rule 1: a nil result is carried forward like a loss, not shared out
        situation = Situation(result=D("0"), highest_capital=D("50000"))
        proposal = Proposal(other_reserves=D("100"), carried_forward=D("-100"))
        self.assertEqual([code for code, _text, _p in _errors(situation, proposal)], ["loss"])


class TestSurplusAllocationRounding(unittest.TestCase):
    """ "Minimums are rounded up to the cent and caps down": worked examples."""

    def test_loss_year_minimums(self):
        mins = minimums(Situation(result=D("-500"), highest_capital=D("50000"), average_tmo=D(3)))
        self.assertEqual(
            (mins.losses_absorbed, mins.base, mins.interest_cap, mins.interest_rate_cap),
            (D("0.00"), D("0.00"), D("0.00"), D("5")),
        )

    def test_statutory_reserve_rounds_up(self):
        """Legal reserve full, statutes at 60 %: 60 % of 10.02 = 6.012 -> 6.02, 4.00 free."""
        mins = minimums(
            Situation(result=D("10.02"), highest_capital=D("1000"), legal_reserve=D("1000")),
            AllocationRules(statutory_rate=D(60)),
        )
        self.assertEqual((mins.statutory_reserve, mins.free), (D("6.02"), D("4.00")))

    def test_a_fraction_of_a_cent_of_subsidies(self):
        """Subsidies of 1,000.001 (a grant shared pro rata): 1,000.01 to the reserves
        (up), and the interest stops at 4,250 - 1,000.001 = 3,249.999 -> 3,249.99 (down)."""
        mins = minimums(
            Situation(result=D("10000"), highest_capital=D("50000"), subsidies=D("1000.001"))
        )
        self.assertEqual(mins.subsidies_reserve, D("1000.01"))
        self.assertEqual(mins.interest_cap_by_subsidies, D("3249.99"))
        self.assertEqual(mins.free, D("3249.99"))

    def test_interest_cap_on_capital_held_part_of_the_year_rounds_down(self):
        """10,000 of shares held 100 days of 365 at 3 % + 2: 10,000 x 100 / 365 x 5 %
        = 136.986... -> 136.98."""
        mins = minimums(
            Situation(
                result=D("10000"),
                highest_capital=D("50000"),
                average_tmo=D(3),
                interest_base=D(10000) * 100 / D(365),
            )
        )
        self.assertEqual(mins.interest_cap_by_rate, D("136.98"))
        self.assertEqual(mins.interest_cap, D("136.98"))

    def test_plain_numbers_are_read_as_written(self):
        # a TMO typed as 3.1 is 3.1 exactly: cap 5.1 %, not 5.0999…
        mins = minimums(Situation(result=10000, highest_capital=50000, average_tmo=3.1))
        self.assertEqual((mins.legal_reserve, mins.interest_rate_cap), (D("1500.00"), D("5.1")))

    def test_default_proposal_follows_the_statutes_rates(self):
        """Statutes at 60 %, subsidies (1,000) kept out of the reserves: legal 1,500,
        statutory 60 % of 8,500 = 5,100, the 3,400 left carried forward."""
        situation = Situation(result=D("10000"), highest_capital=D("50000"), subsidies=D("1000"))
        rules = AllocationRules(statutory_rate=D(60), subsidies_to_reserves=False)
        proposal = default_proposal(situation, rules)
        self.assertEqual(
            (proposal.legal_reserve, proposal.statutory_reserve, proposal.carried_forward),
            (D("1500.00"), D("5100.00"), D("3400.00")),
        )

    def test_split_by_weights_below_one(self):
        # shares held as fractions of the whole: a quarter and three quarters of 100
        parts = split_pro_rata(D("100"), [("a", D("0.25")), ("b", D("0.75"))])
        self.assertEqual(parts, {"a": D("25.00"), "b": D("75.00")})

    def test_split_leftover_cent_goes_to_the_largest_remainder(self):
        # 10 cents by 5 and 2: 7.14 and 2.86 cents; the last cent goes to the .86
        parts = split_pro_rata(D("0.10"), [("a", 5), ("b", 2)])
        self.assertEqual(parts, {"a": D("0.07"), "b": D("0.03")})


class TestSurplusAllocationSmallAndKept(unittest.TestCase):
    def test_a_result_under_one_euro_feeds_the_reserves(self):
        """Result 0.80: legal 15 % = 0.12, statutory 50 % of 0.68 = 0.34, 0.34 free;
        carrying it all forward breaks both floors."""
        situation = Situation(result=D("0.80"), highest_capital=D("50000"))
        mins = minimums(situation)
        self.assertEqual(
            (mins.legal_reserve, mins.statutory_reserve, mins.free),
            (D("0.12"), D("0.34"), D("0.34")),
        )
        proposal = default_proposal(situation)
        self.assertEqual(
            (proposal.legal_reserve, proposal.statutory_reserve, proposal.carried_forward),
            (D("0.12"), D("0.34"), D("0.34")),
        )
        codes = [code for code, _t, _p in _errors(situation, Proposal(carried_forward=D("0.80")))]
        self.assertEqual(codes, ["legal_reserve", "statutory_reserve"])

    def test_subsidies_kept_out_of_the_reserves_still_bound_the_interest(self):
        """Profile without "subsidies to reserves": the rest after the reserves
        (4,250) stays free, but the interest stops at 4,250 - subsidies: 1,250 for
        3,000 of subsidies, 0 (never negative, never a euro) for 9,000."""
        rules = AllocationRules(subsidies_to_reserves=False)
        situation = Situation(
            result=D("10000"),
            highest_capital=D("50000"),
            subsidies=D("3000"),
            average_tmo=D(3),
            interest_base=D("40000"),
        )
        mins = minimums(situation, rules)
        self.assertEqual((mins.free, mins.interest_cap), (D("4250.00"), D("1250.00")))
        mins = minimums(replace(situation, subsidies=D("9000")), rules)
        self.assertEqual(mins.interest_cap_by_subsidies, D("0.00"))
        self.assertEqual((mins.free, mins.interest_cap), (D("4250.00"), D("0.00")))

    def test_withholding_on_interest(self):
        """French flat tax on 123.45 of interest: 12.8 % = 15.8016 -> 15.80 of income
        tax, 17.2 % = 21.2334 -> 21.23 of social contributions, 86.42 paid. The rates
        come from Odoo as floats."""
        self.assertEqual(
            withhold(D("123.45"), [12.8, 17.2]), ([D("15.80"), D("21.23")], D("86.42"))
        )
        # 10 % of 0.25 = 0.025: half a cent rounds up
        self.assertEqual(withhold(D("0.25"), [D(10)]), ([D("0.03")], D("0.22")))
        # an exempt member (no rate): everything is paid
        self.assertEqual(withhold(D("50"), []), ([], D("50.00")))
