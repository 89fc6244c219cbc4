# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from datetime import date
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo import Command
from odoo.tests import tagged

from .common import GB, MobileBillingCommon


@tagged("post_install", "-at_install")
class TestRating(MobileBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.line_step = cls._create_line("33611111111", cls.plan_step)
        cls.line_classic = cls._create_line("33622222222", cls.plan_classic, partner=cls.holder2)
        cls.line_grad = cls._create_line("33633333333", cls.plan_graduated)

    def _rated(self, period="2026-10-01"):
        rows = self.env["telecoop.rated.usage"].search(
            [("company_id", "=", self.company.id), ("period", "=", period)]
        )
        return {
            (r.line_id.msisdn, r.usage_type, r.zone): (r.quantity, r.record_count, r.amount)
            for r in rows
        }

    # instants (UTC, as stored) that favour the edges of October 2026 in Paris: its first
    # and last local minutes (+02:00 then +01:00), the night the clocks go back (25
    # October, 01:00 UTC) and a plain noon; the last one is November in Paris
    INSTANTS = (
        "2026-09-30 22:00:00",  # 1 October 00:00 Paris: October
        "2026-10-15 12:00:00",
        "2026-10-25 00:30:00",  # 02:30 summer time, before the clocks go back
        "2026-10-25 01:30:00",  # 02:30 winter time, after
        "2026-10-31 22:59:59",  # 31 October 23:59:59 Paris: October
        "2026-10-31 23:00:00",  # 1 November 00:00 Paris: not October
    )
    # quantities at the plans' band and allowance edges, +-1 byte (5, 9, 20, 50, 80 GB)
    EDGE_BYTES = tuple(
        n * GB + delta for n in (0, 5, 9, 20, 50, 80) for delta in (-1, 0, 1) if n or delta >= 0
    )

    @staticmethod
    def _records_strategy(lines):
        record = st.tuples(
            st.sampled_from(lines),
            st.one_of(
                st.sampled_from(TestRating.INSTANTS),
                st.integers(1, 31).map(lambda day: f"2026-10-{day:02d} 09:15:00"),
            ),
            st.sampled_from(["data", "voice", "sms"]),
            st.sampled_from(["national", "eu", "international"]),
            st.one_of(st.sampled_from(TestRating.EDGE_BYTES), st.integers(1, 3 * GB)),
        ).map(lambda r: (r[0], r[1], r[2], r[4] if r[2] == "data" else r[4] % 600 + 1, r[3]))
        return st.lists(record, min_size=2, max_size=30)

    def test_rating_prices_each_line_with_its_plan(self):
        self._insert_records(
            [
                (self.line_step, "2026-10-02 08:00:00", "data", 5 * GB, "national"),
                (self.line_step, "2026-10-03 08:00:00", "voice", 61, "international"),
                (self.line_classic, "2026-10-02 08:00:00", "data", 10 * GB + 1, "national"),
                (self.line_grad, "2026-10-02 08:00:00", "data", 4 * GB, "national"),
                (self.line_grad, "2026-10-02 09:00:00", "sms", 1, "national"),
            ]
        )
        count = self.env["telecoop.rated.usage"]._rate_period(self.company, "2026-10-15")
        self.assertEqual(count, 5)
        rated = self._rated()
        # exactly 5 GB stays in the first band of the step plan: no data charge
        self.assertEqual(rated[("33611111111", "data", "national")], (5 * GB, 1, 0.0))
        self.assertEqual(rated[("33611111111", "voice", "international")][2], 0.60)
        self.assertEqual(rated[("33622222222", "data", "national")][2], 4.00)
        self.assertEqual(rated[("33633333333", "data", "national")][2], 3.00)
        self.assertEqual(rated[("33633333333", "sms", "national")][2], 0.0)

    def test_records_of_another_month_or_unmatched_are_not_rated(self):
        self._insert_records([(self.line_step, "2026-09-30 08:00:00", "data", GB, "national")])
        self._insert_records([(self.line_step, "2026-11-01 08:00:00", "data", GB, "national")])
        # a number of no line of ours, imported as the host operator sends it: kept unmatched
        csv = (
            "record_id,msisdn,started_at,usage_type,quantity,zone,destination,third_party_amount\n"
            "U1,33699999999,2026-10-02T08:00:00+02:00,data,1000000000,national,,\n"
        )
        wizard = (
            self.env["telecoop.usage.upload.wizard"]
            .with_context(queue_job__no_delay=True)
            .create(
                {
                    "source_id": self.source.id,
                    "file": base64.b64encode(csv.encode()),
                    "file_name": "unmatched.csv",
                }
            )
        )
        wizard.action_import()
        unmatched = self.env["telecoop.usage.record"].search([("record_id", "=", "U1")])
        self.assertEqual((str(unmatched.period), unmatched.line_id.id), ("2026-10-01", False))
        self.env["telecoop.rated.usage"]._rate_period(self.company, "2026-10-01")
        self.assertEqual(self._rated(), {})

    def test_any_split_and_order_of_files_gives_the_same_amounts(self):
        """Property: rating after each late file == rating once with all records."""
        lines = [self.line_step, self.line_classic, self.line_grad]

        @settings(max_examples=max(settings.default.max_examples // 5, 10))
        @given(records=self._records_strategy(lines), data=st.data())
        def check(records, data):
            with self.cr.savepoint(flush=False) as sp:
                self._insert_records(records)
                self.env["telecoop.rated.usage"]._rate_period(self.company, "2026-10-01")
                once = self._rated()
                sp.rollback()
            shuffled = data.draw(st.permutations(records))
            cuts = sorted(
                data.draw(st.sets(st.integers(1, len(shuffled) - 1), min_size=1, max_size=3))
            )
            files = [shuffled[a:b] for a, b in zip([0, *cuts], [*cuts, len(shuffled)], strict=True)]
            with self.cr.savepoint(flush=False) as sp:
                for records_of_file in files:
                    self._insert_records(records_of_file)
                    self.env["telecoop.rated.usage"]._rate_period(self.company, "2026-10-01")
                self.assertEqual(self._rated(), once)
                sp.rollback()
            # the records of October in Paris, and only those, are rated in October
            october = sum(1 for r in records if r[1] != "2026-10-31 23:00:00")
            self.assertEqual(sum(count for __, count, __ in once.values()), october)

        check()

    def test_rerating_some_lines_keeps_the_others(self):
        self._insert_records(
            [
                (self.line_step, "2026-10-02 08:00:00", "data", 6 * GB, "national"),
                (self.line_classic, "2026-10-02 08:00:00", "data", GB, "national"),
            ]
        )
        Rated = self.env["telecoop.rated.usage"]
        Rated._rate_period(self.company, "2026-10-01")
        self._insert_records([(self.line_step, "2026-10-05 08:00:00", "data", 15 * GB, "national")])
        Rated._rate_period(self.company, "2026-10-01", line_ids=self.line_step.ids)
        rated = self._rated()
        self.assertEqual(rated[("33611111111", "data", "national")], (21 * GB, 2, 4.0))
        self.assertEqual(rated[("33622222222", "data", "national")], (GB, 1, 0.0))
        self.assertEqual(sum(D(str(v[2])) for v in rated.values()), D("4.00"))


@tagged("post_install", "-at_install")
class TestRatingAfterPurge(MobileBillingCommon):
    """Rating again a month whose raw records were purged keeps what was rated."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.line_step = cls._create_line("33611111119", cls.plan_step)
        cls.line_classic = cls._create_line("33622222229", cls.plan_classic, partner=cls.holder2)
        # Alice holds it until 15 October, Bob from the 16th
        cls.line_split = cls._create_line("33633333339", cls.plan_step)
        cls.line_split.change_holder(cls.holder2, "2026-10-16")

    def _figures(self, period):
        """{msisdn: (month untaxed, tax, total, [(kind, type, zone, quantity, unit
        price, untaxed, tax)])} of the priced months of ``period``, to the cent."""
        months = self.env["telecoop.priced.month"].search(
            [
                ("line_id", "in", (self.line_step | self.line_classic | self.line_split).ids),
                ("period", "=", period),
            ]
        )
        return {
            month.line_id.msisdn: (
                round(month.amount_untaxed, 2),
                round(month.amount_tax, 2),
                round(month.amount_total, 2),
                sorted(
                    (c.kind, c.usage_type or "", c.zone or "", c.quantity, c.unit_price,
                     round(c.amount_untaxed, 2), round(c.amount_tax, 2))
                    for c in month.charge_ids
                ),
            )
            for month in months
        }  # fmt: skip

    def test_a_purged_month_keeps_its_charges_when_rated_again(self):
        Rated = self.env["telecoop.rated.usage"]
        Record = self.env["telecoop.usage.record"]
        self._insert_records(
            [
                # 12 GB: the band up to 20 GB of the step plan, 2.00
                (self.line_step, "2026-10-02 08:00:00", "data", 12 * GB, "national"),
                # 61 s to an international number: 2 started minutes at 0.30
                (self.line_step, "2026-10-03 08:00:00", "voice", 61, "international"),
                # 9 GB included, then 2.00 a started GB: 10 GB + 1 byte is 2 GB more
                (self.line_classic, "2026-10-02 08:00:00", "data", 10 * GB + 1, "national"),
                # Alice's days: 125 s = 3 started minutes at 0.30, 2 SMS abroad at 0.10
                (self.line_split, "2026-10-05 09:00:00", "voice", 125, "international"),
                (self.line_split, "2026-10-06 10:00:00", "sms", 2, "international"),
                # Bob's: 1 minute at 0.30
                (self.line_split, "2026-10-20 12:00:00", "voice", 60, "international"),
            ]
        )
        Rated._rate_period(self.company, "2026-10-01")
        # by hand: base fee 14.00 + 2.00 + 0.60 = 16.60, VAT 20 % per charge 2.80 + 0.40
        # + 0.12 = 3.32; base fee 20.00 + 4.00 = 24.00, VAT 4.80; the split line: 15 of
        # 31 days of 14.00 = 6.77 + 0.90 + 0.20 for Alice, 16 days = 7.23 + 0.30 for Bob,
        # 15.40, VAT 1.35 + 0.18 + 0.04 + 1.45 + 0.06 = 3.08
        expected = {
            "33611111119": (16.6, 3.32, 19.92),
            "33622222229": (24.0, 4.8, 28.8),
            "33633333339": (15.4, 3.08, 18.48),
        }
        before = self._figures("2026-10-01")
        self.assertEqual({k: v[:3] for k, v in before.items()}, expected)
        usage = {k: [c for c in v[3] if c[0] == "usage" and c[5]] for k, v in before.items()}
        self.assertEqual(
            [(c[1], c[2], c[5]) for c in usage["33611111119"]],
            [("data", "national", 2.0), ("voice", "international", 0.6)],
        )
        self.assertEqual([(c[1], c[5]) for c in usage["33622222229"]], [("data", 4.0)])
        rated_before = sorted(
            Rated.search([("line_id", "=", self.line_step.id)]).mapped(
                lambda r: (r.usage_type, r.zone, r.quantity, r.record_count, r.amount)
            )
        )
        # the retention purge, for real: October was never invoiced, its retention of
        # one month ends on 30 November
        self.company.telecoop_usage_retention_months = 1
        self.assertFalse(Record._is_month_purged(self.company, date(2026, 10, 1)))
        self.assertGreaterEqual(Record._purge_expired(today=date(2026, 12, 15)), 3)
        self.env.invalidate_all()
        self.assertFalse(Record.search_count([("line_id", "in", self.line_step.ids)]))
        self.assertTrue(Record._is_month_purged(self.company, date(2026, 10, 1)))
        # rated again, as the billing run or a plan change does: nothing is lost
        Rated._rate_period(self.company, "2026-10-01")
        self.assertEqual(self._figures("2026-10-01"), before)
        Rated._rate_period(self.company, "2026-10-01", line_ids=self.line_classic.ids)
        self.assertEqual(self._figures("2026-10-01"), before)
        # a one-off of the month is priced with the usage rated: 16.60 + 10.00, VAT 20 %
        one_off = self.env.ref("telecoop_mobile_billing.product_mobile_one_off")
        one_off.taxes_id = [Command.set(self.vat20.ids)]
        self.env["telecoop.mobile.line.one.off"].create(
            {"line_id": self.line_step.id, "date": "2026-10-20", "name": "SIM", "amount": 10}
        )
        after = self._figures("2026-10-01")
        self.assertEqual(after["33611111119"][:3], (26.6, 5.32, 31.92))
        self.assertEqual(
            [c for c in after["33611111119"][3] if c[0] == "usage"],
            [c for c in before["33611111119"][3] if c[0] == "usage"],
        )
        self.assertEqual(after["33633333339"], before["33633333339"])
        self.assertEqual(
            sorted(
                Rated.search([("line_id", "=", self.line_step.id)]).mapped(
                    lambda r: (r.usage_type, r.zone, r.quantity, r.record_count, r.amount)
                )
            ),
            rated_before,
        )

    def test_a_month_not_purged_is_rated_again_from_its_raw_records(self):
        Rated = self.env["telecoop.rated.usage"]
        self._insert_records([(self.line_step, "2026-09-02 08:00:00", "data", 3 * GB, "national")])
        Rated._rate_period(self.company, "2026-09-01")
        # 3 GB in the free band: the base fee only
        self.assertEqual(self._figures("2026-09-01")["33611111119"][:3], (14.0, 2.8, 16.8))
        # a record added by SQL after the rating: 8 GB, the band up to 20 GB (2.00)
        self._insert_records([(self.line_step, "2026-09-20 08:00:00", "data", 5 * GB, "national")])
        self.assertFalse(
            self.env["telecoop.usage.record"]._is_month_purged(self.company, date(2026, 9, 1))
        )
        Rated._rate_period(self.company, "2026-09-01")
        self.assertEqual(self._figures("2026-09-01")["33611111119"][:3], (16.0, 3.2, 19.2))
