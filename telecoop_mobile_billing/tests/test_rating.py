# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import random
from decimal import Decimal as D

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

    def _month_records(self, rnd):
        records = []
        for line in (self.line_step, self.line_classic, self.line_grad):
            for _i in range(rnd.randint(5, 25)):
                day = rnd.randint(1, 31)
                kind = rnd.choice(["data", "data", "voice", "sms"])
                zone = rnd.choice(["national", "national", "eu", "international"])
                qty = rnd.randint(0, 3 * GB) if kind == "data" else rnd.randint(1, 600)
                records.append((line, f"2026-10-{day:02d} 12:00:00", kind, qty, zone))
        return records

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
        for seed in range(4):
            with self.subTest(seed=seed), self.cr.savepoint(flush=False) as sp:
                rnd = random.Random(seed)
                records = self._month_records(rnd)
                self._insert_records(records)
                self.env["telecoop.rated.usage"]._rate_period(self.company, "2026-10-01")
                once = self._rated()
                sp.rollback()
                shuffled = list(records)
                rnd.shuffle(shuffled)
                cuts = sorted(rnd.sample(range(1, len(shuffled)), 3))
                files = [
                    shuffled[a:b] for a, b in zip([0, *cuts], [*cuts, len(shuffled)], strict=True)
                ]
                for records_of_file in files:
                    self._insert_records(records_of_file)
                    self.env["telecoop.rated.usage"]._rate_period(self.company, "2026-10-01")
                self.assertEqual(self._rated(), once)
                self.assertTrue(once)
                sp.rollback()

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
