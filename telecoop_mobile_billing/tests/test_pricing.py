# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Golden cases and properties of the pure-Python pricing service."""

import dataclasses
import unittest
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.addons.telecoop_mobile_billing.services import pricing as p

GB = 10**9

#: TeleCoop 2025 "forfait dégressif": 14 EUR up to 5 GB, 16 up to 20, 18 up to 50,
#: 20 up to 80 GB (base fee 14 EUR, data band surcharges 0 / 2 / 4 / 6 EUR).
DEGRESSIF = p.PlanPricing(
    base_fee=D("14"),
    tier_type=p.STEP,
    tiers=(
        p.Tier(D(5), D("0")),
        p.Tier(D(20), D("2")),
        p.Tier(D(50), D("4")),
        p.Tier(D(80), D("6")),
    ),
)
#: The older plan: 20 EUR, 9 GB included, 2 EUR per started extra GB.
CLASSIC = p.PlanPricing(
    base_fee=D("20"),
    tier_type=p.INCLUDED,
    included_units=D(9),
    overage_price=D("2"),
    rates=(
        p.Rate("voice", "international", D("0.30"), unit=60),
        p.Rate("sms", "international", D("0.10")),
        p.Rate("voice", "premium", D("0.50"), unit=60, rounding=p.PRORATA),
    ),
)
#: Graduated: 2 GB free, then 1.50 EUR per GB up to 10 GB, then 1 EUR per GB.
GRADUATED = p.PlanPricing(
    base_fee=D("8"),
    tier_type=p.GRADUATED,
    tiers=(p.Tier(D(2), D("0")), p.Tier(D(10), D("1.50")), p.Tier(None, D("1.00"))),
)


def total(plan, quantities):
    return plan.base_fee + p.price_usage(plan, quantities).usage_amount


class TestGoldenCases(unittest.TestCase):
    def test_step_bands_upper_bound_inclusive(self):
        cases = [
            (0, "14.00", 0),
            (5 * GB, "14.00", 0),
            (5 * GB + 1, "16.00", 1),
            (20 * GB, "16.00", 1),
            (20 * GB + 1, "18.00", 2),
            (50 * GB, "18.00", 2),
            (80 * GB, "20.00", 3),
            (200 * GB, "20.00", 3),
        ]
        for volume, expected, band in cases:
            with self.subTest(volume=volume):
                price = p.price_usage(DEGRESSIF, {("data", "national"): volume})
                self.assertEqual(DEGRESSIF.base_fee + price.usage_amount, D(expected))
                self.assertEqual(price.band_index, band)

    def test_eu_roaming_data_counts_in_the_same_tiers(self):
        price = p.price_usage(DEGRESSIF, {("data", "national"): 3 * GB, ("data", "eu"): 3 * GB})
        self.assertEqual(price.data_quantity, 6 * GB)
        self.assertEqual(price.band_index, 1)

    def test_included_allowance_per_started_gb(self):
        cases = [
            (9 * GB, "20.00"),
            (9 * GB + 1, "22.00"),
            (10 * GB, "22.00"),
            (12 * GB + 5, "28.00"),
        ]
        for volume, expected in cases:
            with self.subTest(volume=volume):
                self.assertEqual(total(CLASSIC, {("data", "national"): volume}), D(expected))

    def test_included_allowance_prorata_to_the_byte(self):
        plan = p.PlanPricing(
            base_fee=D("20"),
            tier_type=p.INCLUDED,
            included_units=D(9),
            overage_price=D("2"),
            rounding=p.PRORATA,
        )
        self.assertEqual(total(plan, {("data", "national"): 9 * GB + GB // 2}), D("21.00"))
        # 0.0025 GB * 2 EUR = 0.005 EUR -> half up to 0.01
        self.assertEqual(total(plan, {("data", "national"): 9 * GB + 2_500_000}), D("20.01"))

    def test_graduated_each_band_on_its_own_part(self):
        cases = [(2 * GB, "8.00"), (4 * GB, "11.00"), (10 * GB, "20.00"), (13 * GB, "23.00")]
        for volume, expected in cases:
            with self.subTest(volume=volume):
                self.assertEqual(total(GRADUATED, {("data", "national"): volume}), D(expected))

    def test_per_unit_rates_and_unlimited_calls(self):
        price = p.price_usage(
            CLASSIC,
            {
                ("voice", "national"): 36000,
                ("sms", "national"): 500,
                ("voice", "international"): 61,  # 2 started minutes
                ("sms", "international"): 3,
                ("voice", "premium"): 90,  # 1.5 minute prorata
            },
        )
        self.assertEqual(price.rated[("voice", "national")], D("0"))
        self.assertEqual(price.rated[("voice", "international")], D("0.60"))
        self.assertEqual(price.rated[("sms", "international")], D("0.30"))
        self.assertEqual(price.rated[("voice", "premium")], D("0.75"))
        self.assertEqual(price.usage_amount, D("1.65"))

    def test_monthly_cap(self):
        plan = p.PlanPricing(
            base_fee=D("20"),
            tier_type=p.INCLUDED,
            included_units=D(9),
            overage_price=D("2"),
            rates=(p.Rate("voice", "world", D("1"), unit=60),),
            cap=D("10"),
        )
        under = p.price_usage(plan, {("data", "national"): 11 * GB})
        self.assertEqual(under.usage_amount, D("4.00"))
        self.assertFalse(under.capped)
        exactly = p.price_usage(plan, {("data", "national"): 14 * GB})
        self.assertEqual(exactly.usage_amount, D("10.00"))
        self.assertFalse(exactly.capped)
        over = p.price_usage(plan, {("data", "national"): 14 * GB, ("voice", "world"): 600})
        self.assertEqual(over.usage_amount, D("10.00"))
        self.assertTrue(over.capped)
        self.assertEqual(over.rated[("voice", "world")], D("0"))
        self.assertEqual(over.data_amount, D("10.00"))

    def test_prorata_of_a_plan_change(self):
        # 20 EUR plan for 10 days of a 30-day month, then 14 EUR for 20 days
        self.assertEqual(p.prorata_days(D("20"), [10], 30), [D("6.67")])
        self.assertEqual(p.prorata_days(D("14"), [20], 30), [D("9.33")])
        self.assertEqual(sum(p.prorata_days(D("10"), [1, 1, 1], 3)), D("10.00"))
        self.assertEqual(p.prorata_days(D("10"), [1, 1, 1], 3), [D("3.34"), D("3.33"), D("3.33")])

    def test_negative_quantity_refused(self):
        with self.assertRaises(ValueError):
            p.billed_units(-1, GB, p.STARTED)


volumes = st.integers(min_value=0, max_value=120 * GB)
plans = st.sampled_from([DEGRESSIF, CLASSIC, GRADUATED])


class TestPricingProperties(unittest.TestCase):
    @settings(max_examples=200, deadline=None)
    @given(plans, volumes, volumes)
    def test_monotonic_in_volume(self, plan, a, b):
        low, high = sorted((a, b))
        self.assertLessEqual(
            p.price_usage(plan, {("data", "national"): low}).usage_amount,
            p.price_usage(plan, {("data", "national"): high}).usage_amount,
        )

    @settings(max_examples=300, deadline=None)
    @given(
        st.decimals(min_value=0, max_value=10000, places=2),
        st.lists(st.integers(min_value=0, max_value=31), min_size=1, max_size=5),
    )
    def test_prorata_parts_sum_to_whole(self, amount, days):
        if sum(days) == 0:
            days = [1]
        month_days = sum(days)
        parts = p.prorata_days(amount, days, month_days)
        self.assertEqual(sum(parts), amount)
        for part, day in zip(parts, days, strict=True):
            exact = amount * day / month_days
            self.assertLess(abs(part - exact), D("0.01"))


# -- properties against the published price table, at the edges ---------------------
#: every byte count where a price changes (band bounds, allowance, graduated steps)
EDGES = (0, 2 * GB, 5 * GB, 9 * GB, 10 * GB, 20 * GB, 50 * GB, 80 * GB)
#: a volume at an edge, one byte either side of it, or anywhere up to 120 GB
edge_volumes = st.one_of(
    st.sampled_from(EDGES).flatmap(lambda e: st.integers(max(0, e - 1), e + 1)),
    st.integers(min_value=0, max_value=120 * GB),
)
#: CLASSIC with a 10 EUR cap on usage and calls to the world at 1 EUR a started minute
CAPPED = dataclasses.replace(
    CLASSIC, rates=(*CLASSIC.rates, p.Rate("voice", "world", D("1"), unit=60)), cap=D("10")
)
PAIRS = (
    ("data", "national"), ("data", "eu"), ("data", "international"),
    ("voice", "national"), ("sms", "national"), ("voice", "international"),
    ("sms", "international"), ("voice", "premium"), ("voice", "world"),
)  # fmt: skip
usages = st.dictionaries(
    st.sampled_from(PAIRS),
    st.one_of(edge_volumes, st.integers(min_value=0, max_value=7200)),
    max_size=len(PAIRS),
)


def started(quantity, unit):
    return -(-quantity // unit)


def published_data_price(plan, volume):
    """The data charge in EUR as the plan sheets publish it, per started GB."""
    gb = started(volume, GB)
    if plan is DEGRESSIF:
        return D(0 if gb <= 5 else 2 if gb <= 20 else 4 if gb <= 50 else 6)
    if plan is GRADUATED:
        return D("1.50") * max(0, min(gb, 10) - 2) + D(1) * max(0, gb - 10)
    return D(2) * max(0, gb - 9)  # CLASSIC and CAPPED: 9 GB included, 2 EUR a GB


def published_rates(plan, quantities):
    """Calls and SMS on CLASSIC: national unlimited; 0.30 a started minute and 0.10 an SMS abroad,
    premium 0.50 a minute to the second (half up to the cent), world 1 EUR a started
    minute on the capped plan; data roaming outside the EU is not sold (nothing)."""
    if plan not in (CLASSIC, CAPPED):
        return D(0)  # the tiered plans include every call and SMS
    get = quantities.get
    amount = (
        D("0.30") * started(get(("voice", "international"), 0), 60)
        + D("0.10") * get(("sms", "international"), 0)
        + (D("0.50") * get(("voice", "premium"), 0) / 60).quantize(D("0.01"), ROUND_HALF_UP)
    )
    if plan is CAPPED:
        amount += D(1) * started(get(("voice", "world"), 0), 60)
    return amount


class TestPricingAgainstThePriceTable(unittest.TestCase):
    """The expected amount is computed from the plan sheets written above, not by the
    service: a band edge one byte off, a cap forgotten or a zone mixed up fails."""

    @settings(deadline=None)
    @given(st.sampled_from([DEGRESSIF, CLASSIC, GRADUATED]), edge_volumes, edge_volumes)
    def test_data_at_the_band_edges_national_and_eu_together(self, plan, national, eu):
        price = p.price_usage(plan, {("data", "national"): national, ("data", "eu"): eu})
        self.assertEqual(price.data_amount, published_data_price(plan, national + eu))

    @settings(deadline=None)
    @given(st.sampled_from([DEGRESSIF, CLASSIC, GRADUATED, CAPPED]), usages)
    def test_every_zone_and_usage_type_and_the_cap(self, plan, quantities):
        data = quantities.get(("data", "national"), 0) + quantities.get(("data", "eu"), 0)
        expected = published_data_price(plan, data) + published_rates(plan, quantities)
        uncapped = expected
        if plan.cap is not None:
            expected = min(expected, plan.cap)
        price = p.price_usage(plan, quantities)
        self.assertEqual(price.usage_amount, expected)
        self.assertEqual(price.capped, uncapped > expected)
        self.assertTrue(all(amount >= 0 for amount in price.rated.values()))
        self.assertGreaterEqual(price.data_amount, 0)


class TestPricingEdgesByHand(unittest.TestCase):
    """Worked examples for the cap, the last band, the detail of a bill and the
    refusals: every figure computed by hand in the comment."""

    def test_cap_takes_the_largest_charge_first(self):
        # CLASSIC with a cap of 1.10: 10 international SMS = 1.00, 2 international
        # minutes = 0.60, 4 premium minutes = 2.00: 3.60, 2.50 too much. Premium
        # goes to 0 (2.00), then the SMS lose the 0.50 left: 0.50; the calls stay.
        plan = dataclasses.replace(CLASSIC, cap=D("1.10"))
        price = p.price_usage(
            plan,
            {
                ("data", "national"): 9 * GB,
                ("sms", "international"): 10,
                ("voice", "international"): 120,
                ("voice", "premium"): 240,
            },
        )
        self.assertTrue(price.capped)
        self.assertEqual(
            price.rated,
            {
                ("sms", "international"): D("0.50"),
                ("voice", "international"): D("0.60"),
                ("voice", "premium"): D("0.00"),
            },
        )
        self.assertEqual(price.usage_amount, D("1.10"))

    def test_cap_a_few_cents_over(self):
        # 5 premium minutes = 2.50 against a cap of 2: 0.50 over, 2.00 billed
        plan = dataclasses.replace(CLASSIC, cap=D("2"))
        price = p.price_usage(plan, {("voice", "premium"): 300})
        self.assertEqual((price.capped, price.usage_amount), (True, D("2.00")))

    def test_cap_reaches_the_data_charge_when_the_rates_are_not_enough(self):
        # DEGRESSIF at 30 GB: band "up to 50 GB", 4.00 on top of the base fee; 2
        # international minutes at 0.30 = 0.60; cap 3: 1.60 too much, the calls go
        # to 0 and the data charge loses the 1.00 left: 3.00
        plan = dataclasses.replace(
            DEGRESSIF, cap=D("3"), rates=(p.Rate("voice", "international", D("0.30"), unit=60),)
        )
        price = p.price_usage(
            plan, {("data", "national"): 30 * GB, ("voice", "international"): 120}
        )
        self.assertEqual(price.rated, {("voice", "international"): D("0.00")})
        self.assertEqual((price.data_amount, price.usage_amount), (D("3.00"), D("3.00")))
        # a cap of 0: nothing of the usage is billed, nothing goes negative
        price = p.price_usage(
            dataclasses.replace(plan, cap=D("0")), {("data", "national"): 30 * GB}
        )
        self.assertEqual(price.data_amount, D("0.00"))

    def test_last_graduated_band_takes_the_rest_even_with_a_bound(self):
        # bands 0-2 GB free, 2-10 GB at 1.50: 12 GB = 10 GB at 1.50 = 15.00, the
        # last band going on beyond its 10 GB
        plan = p.PlanPricing(
            tier_type=p.GRADUATED, tiers=(p.Tier(D(2), D("0")), p.Tier(D(10), D("1.50")))
        )
        price = p.price_usage(plan, {("data", "national"): 12 * GB})
        self.assertEqual((price.data_amount, price.band_index), (D("15.00"), 1))

    def test_bill_detail_units_and_band(self):
        # 5 GB + 1 byte is 6 started GB, in the band "up to 20 GB" (band 2 of 4)
        price = p.price_usage(DEGRESSIF, {("data", "national"): 5 * GB + 1})
        self.assertEqual((price.data_units, price.band_index, price.band_upper), (D(6), 1, D(20)))
        # the graduated plan says which band the volume reached: 4 GB, "up to 10 GB"
        price = p.price_usage(GRADUATED, {("data", "national"): 4 * GB})
        self.assertEqual((price.band_index, price.band_upper), (1, D(10)))
        # a plan without tiers: no band, no data charge
        price = p.price_usage(p.PlanPricing(), {("data", "national"): 3 * GB})
        self.assertEqual((price.band_index, price.data_amount), (None, D("0.00")))

    def test_data_outside_the_eu_is_rated_per_started_gb(self):
        # 1.5 GB at home in the tiers (14 EUR band), 0.5 GB in Switzerland at 10 EUR
        # a started GB: 10.00 on its own line
        plan = dataclasses.replace(DEGRESSIF, rates=(p.Rate("data", "world", D("10"), unit=GB),))
        price = p.price_usage(plan, {("data", "national"): 3 * GB // 2, ("data", "world"): GB // 2})
        self.assertEqual(price.data_quantity, 3 * GB // 2)
        self.assertEqual(price.rated, {("data", "world"): D("10.00")})

    def test_prices_typed_as_plain_numbers(self):
        # 3 SMS at 0.1 (a float) = 0.30; 11 GB with 9 included at 2 (an int) = 4.00
        plan = p.PlanPricing(
            tier_type=p.INCLUDED,
            included_units=9,
            overage_price=2,
            rates=(p.Rate("sms", "international", 0.1),),
        )
        price = p.price_usage(plan, {("data", "national"): 11 * GB, ("sms", "international"): 3})
        self.assertEqual((price.data_amount, price.rated_amount), (D("4.00"), D("0.30")))

    def test_refusals_say_why(self):
        cases = [
            (lambda: p.billed_units(-1, GB, p.STARTED), "quantity must not be negative"),
            (lambda: p.billed_units(1, GB, "ceil"), "unknown rounding rule 'ceil'"),
            (
                lambda: p.data_price(GB, p.PlanPricing(tier_type="flat")),
                "unknown tier type 'flat'",
            ),
            (lambda: p.split_amount(D("10"), [0, 0]), "weights must sum to a positive number"),
            (lambda: p.prorata_days(D("10"), [20, 11], 30), "more days than in the month"),
        ]
        for call, message in cases:
            with self.subTest(message=message):
                with self.assertRaises(ValueError) as caught:
                    call()
                self.assertEqual(str(caught.exception), message)

    def test_split_with_one_weight_of_one(self):
        # a weight of 1 and one of 0: everything to the first
        self.assertEqual(p.split_amount(D("9.99"), [1, 0]), [D("9.99"), D("0.00")])

    def test_started_units_shown(self):
        # 5 GB and one byte show as 6 GB started; exactly 5 GB as 5; nothing as 0
        self.assertEqual(p.ceil_units(5 * GB + 1, GB), 6)
        self.assertEqual(p.ceil_units(5 * GB, GB), 5)
        self.assertEqual(p.ceil_units(0, GB), 0)
        self.assertEqual(p.ceil_units(61, 60), 2)
