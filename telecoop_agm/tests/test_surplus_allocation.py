# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Golden cases and properties of the surplus allocation rules (pure Python)."""

import unittest
from decimal import Decimal as D

from hypothesis import given
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
        mins = minimums(Situation(result=D("10000"), capital=D("50000")))
        self.assertEqual(mins.legal_reserve, D("1500.00"))
        self.assertEqual(mins.statutory_reserve, D("4250.00"))
        self.assertEqual(mins.reserves, D("5750.00"))
        self.assertEqual(mins.free, D("4250.00"))

    def test_year_when_the_legal_reserve_becomes_full(self):
        """Only what the legal reserve lacks to equal the capital goes to it."""
        mins = minimums(Situation(result=D("10000"), capital=D("20000"), legal_reserve=D("19000")))
        self.assertEqual(mins.legal_reserve, D("1000.00"))
        self.assertEqual(mins.statutory_reserve, D("4500.00"))
        self.assertEqual(mins.free, D("4500.00"))

    def test_full_legal_reserve_takes_nothing(self):
        mins = minimums(Situation(result=D("10000"), capital=D("20000"), legal_reserve=D("25000")))
        self.assertEqual(mins.legal_reserve, D("0.00"))
        self.assertEqual(mins.statutory_reserve, D("5000.00"))

    def test_loss_is_carried_forward(self):
        situation = Situation(result=D("-3200.50"), capital=D("50000"))
        mins = minimums(situation)
        self.assertEqual((mins.reserves, mins.free), (D("0.00"), D("0.00")))
        proposal = default_proposal(situation)
        self.assertEqual(proposal.carried_forward, D("-3200.50"))
        self.assertTrue(check_proposal(situation, proposal).ok)
        bad = Proposal(interest_on_shares=D("100"), carried_forward=D("-3300.50"))
        self.assertFalse(check_proposal(situation, bad).ok)

    def test_subsidies_go_to_reserves_first(self):
        mins = minimums(Situation(result=D("10000"), capital=D("50000"), subsidies=D("2000")))
        self.assertEqual(mins.subsidies_reserve, D("2000.00"))
        self.assertEqual(mins.legal_reserve, D("1200.00"))
        self.assertEqual(mins.statutory_reserve, D("3400.00"))
        self.assertEqual(mins.free, D("3400.00"))

    def test_subsidies_beyond_the_result_take_all_of_it(self):
        mins = minimums(Situation(result=D("1000"), capital=D("50000"), subsidies=D("5000")))
        self.assertEqual(mins.subsidies_reserve, D("1000.00"))
        self.assertEqual(mins.free, D("0.00"))

    def test_other_statutes_other_rates(self):
        rules = AllocationRules(legal_rate=D(15), statutory_rate=D(60), interest_margin=D("1.5"))
        mins = minimums(
            Situation(result=D("10000"), capital=D("50000"), average_tmo=D("3.1")), rules
        )
        self.assertEqual(mins.statutory_reserve, D("5100.00"))
        self.assertEqual(mins.interest_rate_cap, D("4.6"))

    def test_minimums_round_up_to_the_cent(self):
        mins = minimums(Situation(result=D("100.01"), capital=D("50000")))
        self.assertEqual(mins.legal_reserve, D("15.01"))  # 15.0015 rounded up
        self.assertEqual(mins.statutory_reserve, D("42.50"))  # 42.5000 exactly
        self.assertEqual(mins.free, D("42.50"))

    def test_proposal_breaking_floors_and_caps_is_refused_with_figures(self):
        situation = Situation(
            result=D("10000"),
            capital=D("50000"),
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
        self.assertIn("at least 1500.00", errors[0])
        self.assertIn("cap of 5", errors[1])
        self.assertIn("cap of 2000.00", errors[2])

    def test_voted_proposal_within_the_rules_passes(self):
        situation = Situation(
            result=D("10000"), capital=D("50000"), average_tmo=D("3"), interest_base=D("40000")
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
        situation = Situation(result=D("10000"), capital=D("50000"))
        proposal = default_proposal(situation)
        self.assertTrue(check_proposal(situation, proposal).ok)
        short = Proposal(legal_reserve=D("1500"), statutory_reserve=D("4250"))
        self.assertIn("allocates 5750", check_proposal(situation, short).errors[0])

    def test_split_pro_rata_golden(self):
        parts = split_pro_rata(D("100.00"), [("a", 1), ("b", 1), ("c", 1)])
        self.assertEqual(parts, {"a": D("33.34"), "b": D("33.33"), "c": D("33.33")})


amounts = st.decimals(min_value=D("-100000"), max_value=D("1000000"), places=2)


class TestSurplusAllocationProperties(unittest.TestCase):
    @given(
        result=amounts,
        capital=st.decimals(min_value=0, max_value=D("1000000"), places=2),
        legal=st.decimals(min_value=0, max_value=D("1000000"), places=2),
        subsidies=st.decimals(min_value=0, max_value=D("100000"), places=2),
    )
    def test_default_proposal_is_always_valid_and_exact(self, result, capital, legal, subsidies):
        situation = Situation(
            result=result, capital=capital, legal_reserve=legal, subsidies=subsidies
        )
        proposal = default_proposal(situation)
        self.assertEqual(proposal.total, result)
        self.assertTrue(check_proposal(situation, proposal).ok)
        mins = minimums(situation)
        self.assertGreaterEqual(mins.free, 0)
        if result > 0 and legal == 0 and subsidies == 0 and capital >= result:
            # the floor of a first year: at least 57.5 % kept
            self.assertGreaterEqual(mins.reserves * 1000, result * 575)

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
