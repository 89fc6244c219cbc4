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
