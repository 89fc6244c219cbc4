# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The priced month is the one truth: invoice lines are its charges, cent for cent."""

import importlib.util
import os
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import GB, MobileBillingCommon

PERIOD = date(2026, 10, 1)  # a closed month: no alert goes out

cents = st.integers(min_value=0, max_value=3000).map(lambda c: c / 100)


@st.composite
def plans(draw):
    """A random plan: its kind, bounds (GB), prices, and whether prices include tax."""
    kind = draw(st.sampled_from(["step", "graduated", "included"]))
    bounds = sorted(draw(st.sets(st.integers(min_value=1, max_value=60), min_size=1, max_size=4)))
    return {
        "tier_type": kind,
        "base_fee": draw(cents),
        "bounds": bounds,
        "prices": [draw(cents) for __ in bounds] + [draw(cents)],
        "rounding": draw(st.sampled_from(["started", "prorata"])),
        "price_tax_included": draw(st.booleans()),
        "included_units": bounds[0],
        "overage_price": draw(cents),
        "voice_price": draw(cents),
    }


@st.composite
def months(draw):
    """A month of a line: two plans, maybe a plan change and a holder change (day of the
    month), and usage whose data volume sits on a band boundary, one byte off or on."""
    first, second = draw(plans()), draw(plans())
    bound = draw(st.sampled_from(first["bounds"] + second["bounds"]))
    data = max(bound * GB + draw(st.sampled_from([-1, 0, 1])), 0)
    split = draw(st.integers(min_value=0, max_value=data))
    return {
        "plans": (first, second),
        "plan_change_day": draw(st.one_of(st.none(), st.integers(min_value=2, max_value=31))),
        "holder_change_day": draw(st.one_of(st.none(), st.integers(min_value=2, max_value=31))),
        "new_holder_is_company": draw(st.booleans()),
        "data": (split, data - split),
        "data_days": (
            draw(st.integers(min_value=1, max_value=31)),
            draw(st.integers(min_value=1, max_value=31)),
        ),
        "eu_data": draw(st.sampled_from([0, 1, GB // 3])),
        "voice": draw(st.integers(min_value=0, max_value=3600)),
        "third_party": draw(st.sampled_from([None, "0.99", "2.40", "7.77"])),
        "one_off": draw(st.one_of(st.none(), cents)),
    }


@tagged("post_install", "-at_install")
class TestPricedMonthProperty(MobileBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, queue_job__no_delay=True))
        cls.one_off_product = cls.env.ref("telecoop_mobile_billing.product_mobile_one_off")
        cls.one_off_product.taxes_id = [Command.set(cls.vat20.ids)]
        cls.journal = cls.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", cls.company.id)], limit=1
        )

    def _plan(self, values):
        tiers = []
        if values["tier_type"] != "included":
            tiers = [
                Command.create({"upper_units": bound, "price": price})
                for bound, price in zip(values["bounds"], values["prices"], strict=False)
            ] + [Command.create({"upper_units": 0, "price": values["prices"][-1]})]
        return self.env["telecoop.mobile.plan"].create(
            {
                "name": "Random",
                "company_id": self.company.id,
                "base_fee": values["base_fee"],
                "tier_type": values["tier_type"],
                "rounding": values["rounding"],
                "price_tax_included": values["price_tax_included"],
                "included_units": values["included_units"],
                "overage_price": values["overage_price"],
                "tier_ids": tiers,
                "rate_ids": [
                    Command.create(
                        {
                            "usage_type": "voice",
                            "zone": "international",
                            "price": values["voice_price"],
                            "unit": 60,
                        }
                    )
                ],
            }
        )

    def _day(self, day):
        return PERIOD + timedelta(days=day - 1)

    def _check_month(self, month):
        first_plan, second_plan = (self._plan(p) for p in month["plans"])
        holder = self.env["res.partner"].create({"name": "Consumer"})
        line = self._create_line("33611111111", first_plan, partner=holder)
        if month["plan_change_day"]:
            line.change_plan(second_plan, self._day(month["plan_change_day"]))
        new_holder = None
        if month["holder_change_day"]:
            new_holder = self.env["res.partner"].create(
                {"name": "Next holder", "is_company": month["new_holder_is_company"]}
            )
            line.change_holder(new_holder, self._day(month["holder_change_day"]))
        records = [
            (line, f"{self._day(day)} 10:00:00", "data", quantity, "national")
            for quantity, day in zip(month["data"], month["data_days"], strict=True)
        ]
        if month["eu_data"]:
            records.append((line, f"{self._day(15)} 10:00:00", "data", month["eu_data"], "eu"))
        if month["voice"]:
            records.append(
                (line, f"{self._day(20)} 10:00:00", "voice", month["voice"], "international")
            )
        if month["third_party"]:
            records.append(
                (
                    line,
                    f"{self._day(25)} 10:00:00",
                    "voice",
                    60,
                    "premium",
                    "33899000123",
                    month["third_party"],
                )
            )
        self._insert_records(records)
        if month["one_off"] is not None:
            self.env["telecoop.mobile.line.one.off"].create(
                {
                    "line_id": line.id,
                    "date": self._day(5),
                    "name": "SIM",
                    "amount": month["one_off"],
                }
            )
        priced = self._priced(line, PERIOD)
        self.assertEqual(len(priced), 1)
        self._check_holder_quantities(line, priced, month, records, holder, new_holder)
        run = self.env["telecoop.billing.run"].create(
            {"company_id": self.company.id, "period": PERIOD, "chunk_size": 10}
        )
        run.action_start()
        self.assertEqual(run.state, "done")
        invoices = run.run_line_ids.move_id
        # the run rated the month again (same data, same result) before invoicing it
        priced = self.env["telecoop.priced.month"].search(
            [("line_id", "=", line.id), ("period", "=", PERIOD)]
        )
        self.assertTrue(priced.invoiced)
        charges = priced.charge_ids
        self.assertEqual(invoices.partner_id, charges.partner_id)
        invoiced = invoices.invoice_line_ids.filtered(lambda ml: ml.display_type == "product")
        # every invoice line is a charge, every charge is on its holder's invoice
        self.assertEqual(invoiced.telecoop_charge_id, charges)
        self.assertEqual(len(invoiced), len(charges))
        currency = self.company.currency_id
        for invoice_line in invoiced:
            charge = invoice_line.telecoop_charge_id
            self.assertEqual(invoice_line.move_id.partner_id, charge.partner_id)
            self.assertFalse(
                currency.compare_amounts(invoice_line.price_subtotal, charge.amount_untaxed),
                (charge.name, invoice_line.price_subtotal, charge.amount_untaxed),
            )
            self.assertFalse(
                currency.compare_amounts(invoice_line.price_total, charge.amount_total),
                (charge.name, invoice_line.price_total, charge.amount_total),
            )
        for invoice in invoices:
            mine = charges.filtered(lambda c, p=invoice.partner_id: c.partner_id == p)
            untaxed = sum(mine.mapped("amount_untaxed"))
            total = sum(mine.mapped("amount_total"))
            self.assertFalse(currency.compare_amounts(invoice.amount_untaxed, untaxed))
            self.assertFalse(currency.compare_amounts(invoice.amount_total, total))
        # each holder pays their own days, and every day of the month once
        days = sorted(
            (c.date_from, c.date_to, c.partner_id.id) for c in charges if c.kind == "plan"
        )
        self.assertEqual(days[0][0], PERIOD)
        self.assertEqual(days[-1][1], date(2026, 10, 31))
        for (__, end, __), (start, __, __) in zip(days, days[1:], strict=False):
            self.assertEqual(start, end + timedelta(days=1))
        # the tracker of the holder at the end of the month is their invoice
        tracker = line._get_portal_consumption(PERIOD)
        last_invoice = invoices.filtered(lambda m: m.partner_id == line.partner_id)
        shown = last_invoice.amount_untaxed
        if tracker["tax_included"]:
            shown = last_invoice.amount_total
        self.assertFalse(currency.compare_amounts(float(tracker["amount"]), shown))
        self.assertEqual(
            tracker["tax_included"], not line.partner_id.commercial_partner_id.is_company
        )

    def _check_holder_quantities(self, line, priced, month, records, old_holder, new_holder):
        """The stored quantities of each holder are their own days' records (each
        record at 10:00 UTC is on its local day), and add up to the rated usage of
        the line, type by type and zone by zone."""
        expected = defaultdict(int)
        for __, started_at, usage_type, quantity, zone, *__ in records:
            day = date.fromisoformat(started_at[:10]).day
            changed = month["holder_change_day"] and day >= month["holder_change_day"]
            partner = new_holder if changed else old_holder
            expected[(partner.id, usage_type, zone)] += quantity
        stored = defaultdict(int)
        for row in priced.quantity_ids:
            stored[(row.partner_id.id, row.usage_type, row.zone)] += row.quantity
            self.assertEqual(row.unit, {"data": "byte", "voice": "second"}[row.usage_type])
        self.assertEqual(
            {k: v for k, v in stored.items() if v}, {k: v for k, v in expected.items() if v}
        )
        added = defaultdict(int)
        for (__, usage_type, zone), quantity in stored.items():
            added[(usage_type, zone)] += quantity
        rated = self.env["telecoop.rated.usage"].search(
            [("line_id", "=", line.id), ("period", "=", PERIOD)]
        )
        self.assertEqual(
            {k: v for k, v in added.items() if v},
            {(r.usage_type, r.zone): r.quantity for r in rated if r.quantity},
        )
        # each holder's tracker reads its own days
        for partner in {old_holder, new_holder or old_holder}:
            data = sum(v for (p, t, __), v in expected.items() if p == partner.id and t == "data")
            tracker = line._get_portal_consumption(PERIOD, partner=partner)
            self.assertEqual(tracker["data"], data)

    @settings(
        max_examples=int(os.environ.get("TELECOOP_HYPOTHESIS_EXAMPLES", 20)),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(months())
    def test_invoice_lines_are_the_charges_cent_for_cent(self, month):
        self.env.cr.execute("SAVEPOINT priced_month_example")
        try:
            self._check_month(month)
        finally:
            self.env.cr.execute("ROLLBACK TO SAVEPOINT priced_month_example")
            self.env.invalidate_all()
            self.env.registry.clear_cache()


@tagged("post_install", "-at_install")
class TestPricedMonthFacts(MobileBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, queue_job__no_delay=True))
        cls.holder.write({"tz": "Europe/Paris", "email": "alice@example.org"})
        cls.holder2.write({"tz": "Europe/Paris", "email": "bob@example.org"})

    def _run(self, period=PERIOD):
        run = self.env["telecoop.billing.run"].create(
            {"company_id": self.company.id, "period": period}
        )
        run.action_start()
        return run

    def test_plan_priced_tax_included_is_that_price_on_the_invoice(self):
        """TeleCoop's 14 EUR plan is a consumer price with VAT: 14.00 on the invoice,
        11.67 + 2.33 VAT, whether the holder is a consumer or a company."""
        self.plan_step.price_tax_included = True
        company = self.env["res.partner"].create({"name": "Coop SARL", "is_company": True})
        consumer_line = self._create_line("33620000001", self.plan_step)
        company_line = self._create_line("33620000002", self.plan_step, partner=company)
        invoices = self._run().run_line_ids.move_id
        for partner in (self.holder, company):
            invoice = invoices.filtered(lambda m, p=partner: m.partner_id == p)
            self.assertEqual((invoice.amount_untaxed, invoice.amount_total), (11.67, 14.0))
        # the tracker: 14.00 for the consumer, 11.67 for the company
        self.assertEqual(str(consumer_line._get_portal_consumption(PERIOD)["amount"]), "14.00")
        self.assertEqual(str(company_line._get_portal_consumption(PERIOD)["amount"]), "11.67")

    def test_a_month_of_two_holders_is_read_by_rpc_by_neither(self):
        """Red team: Alice held the line until 15 October, Bob from the 16th. Bob, in
        the portal, read by RPC the priced month of October, whose total is Alice's
        charges and his; Alice read in it Bob's data volume and band. Each holder reads
        their own charges and quantities; the month itself only when it is all theirs
        (the portal page reads it for the holder's own figures)."""
        company_args = {"company_id": self.company.id, "company_ids": self.company.ids}
        alice = new_test_user(
            self.env, login="tc_pm_alice", groups="base.group_portal", **company_args
        )
        bob = new_test_user(self.env, login="tc_pm_bob", groups="base.group_portal", **company_args)
        alice.partner_id = self.holder
        bob.partner_id = self.holder2
        line = self._create_line("33630000009", self.plan_step)
        alone = self._create_line("33630000010", self.plan_step, partner=self.holder2)
        line.change_holder(self.holder2, "2026-10-16")
        self._insert_records(
            [
                (line, "2026-10-05 08:00:00", "data", 3 * GB, "national"),
                (line, "2026-10-20 12:00:00", "data", 2 * GB, "national"),
                (alone, "2026-10-20 12:00:00", "data", 1 * GB, "national"),
            ]
        )
        self._priced(line, PERIOD)
        self._priced(alone, PERIOD)
        Month = self.env["telecoop.priced.month"]
        month = Month.search([("line_id", "=", line.id), ("period", "=", PERIOD)])
        # the month's figures are the line's: its total is both holders' charges, its
        # data and band Bob's (the holder at the end of the month), read by Alice too
        self.assertEqual(month.charge_ids.partner_id, self.holder | self.holder2)
        self.assertAlmostEqual(month.amount_total, sum(month.charge_ids.mapped("amount_total")), 2)
        self.assertEqual(month.data_quantity, 2 * GB)
        for user, partner in ((alice, self.holder), (bob, self.holder2)):
            with self.subTest(user=user.login):
                self.assertFalse(
                    Month.with_user(user).search(
                        [("line_id", "=", line.id), ("period", "=", PERIOD)]
                    )
                )
                with self.assertRaises(AccessError):
                    month.with_user(user).read(["data_quantity", "amount_total"])
                # their own part of it stays theirs to read
                charges = (
                    self.env["telecoop.priced.charge"]
                    .with_user(user)
                    .search([("line_id", "=", line.id)])
                )
                self.assertTrue(charges)
                self.assertEqual(charges.partner_id, partner)
        # a month of one holder is read by that holder
        self.assertEqual(
            Month.with_user(bob)
            .search([("line_id", "=", alone.id), ("period", "=", PERIOD)])
            .data_quantity,
            GB,
        )

    def test_tracker_and_sobriety_of_a_line_that_changed_holder_count_own_days(self):
        """Alice holds the line until 15 October, Bob from the 16th: Bob's tracker,
        history and sobriety count Bob's usage only."""
        line = self._create_line("33630000002", self.plan_step)
        line.change_holder(self.holder2, "2026-10-16")
        self._insert_records(
            [
                (line, "2026-10-05 08:00:00", "data", 3 * GB, "national"),
                (line, "2026-10-05 09:00:00", "voice", 125, "international", "447946000123"),
                (line, "2026-10-05 10:00:00", "sms", 4, "national", "33611111111"),
                # 23:30 UTC on the 15th is 01:30 on the 16th in Paris: Bob's
                (line, "2026-10-15 23:30:00", "voice", 60, "international", "447946000456"),
                (line, "2026-10-20 12:00:00", "data", 2 * GB, "national"),
            ]
        )
        self._priced(line, PERIOD)
        tracker = line._get_portal_consumption(PERIOD)
        self.assertEqual((tracker["data"], tracker["voice"], tracker["sms"]), (2 * GB, 60, 0))
        history = {m["period"]: m for m in line._get_portal_history(PERIOD)}
        self.assertEqual((history[PERIOD]["data"], history[PERIOD]["voice"]), (2 * GB, 60))
        self.assertEqual(line._get_sobriety(PERIOD)["mine"], 2 * GB)

    def _split_month_line(self, msisdn):
        """Alice holds the line until 15 October, Bob from the 16th; usage on both sides."""
        line = self._create_line(msisdn, self.plan_step)
        line.change_holder(self.holder2, "2026-10-16")
        self._insert_records(
            [
                (line, "2026-10-05 08:00:00", "data", 3 * GB, "national"),
                (line, "2026-10-05 09:00:00", "voice", 125, "international", "447946000123"),
                (line, "2026-10-06 10:00:00", "sms", 2, "international", "447946000124"),
                # 23:30 UTC on the 15th is 01:30 on the 16th in Paris: Bob's
                (line, "2026-10-15 23:30:00", "voice", 60, "international", "447946000456"),
                (line, "2026-10-20 12:00:00", "data", 2 * GB, "national"),
                (line, "2026-10-21 12:00:00", "sms", 4, "national", "33611111111"),
            ]
        )
        return line

    def _holder_figures(self, line, partner):
        return {
            "tracker": line._get_portal_consumption(PERIOD, partner=partner),
            "history": line._get_portal_history(PERIOD, partner=partner),
            "sobriety": line._get_sobriety(PERIOD, partner=partner),
        }

    def test_each_holder_of_a_split_month_keeps_its_figures_after_the_purge(self):
        """Each holder's tracker, history and sobriety count their own days, as their
        invoice charged them; the raw records purged, the figures stay the same."""
        line = self._split_month_line("33630000003")
        alice, bob = self.holder, self.holder2
        invoices = self._run().run_line_ids.move_id
        expected = {
            # 3 GB in the free band; 125 s = 3 started minutes at 0.30, 2 SMS at 0.10;
            # 15 of 31 days of 14.00: 6.77; VAT 20 % per line: 8.12 + 1.08 + 0.24
            alice: ((3 * GB, 125, 2), Decimal("9.44"), {"voice": 3, "sms": 2}),
            # 16 of 31 days: 7.23; 1 minute at 0.30; national SMS included: 8.68 + 0.36
            bob: ((2 * GB, 60, 4), Decimal("9.04"), {"voice": 1}),
        }
        before = {}
        for partner, (used, amount, billed) in expected.items():
            invoice = invoices.filtered(lambda m, p=partner: m.partner_id == p)
            tracker = line._get_portal_consumption(PERIOD, partner=partner)
            self.assertEqual((tracker["data"], tracker["voice"], tracker["sms"]), used)
            self.assertEqual(tracker["amount"], amount)
            self.assertEqual(float(amount), invoice.amount_total)
            usage_lines = invoice.invoice_line_ids.filtered(
                lambda ml: ml.telecoop_charge_id.kind == "usage"
            )
            self.assertEqual(
                {ml.telecoop_charge_id.usage_type: ml.telecoop_charge_id.quantity
                 for ml in usage_lines},
                billed,
            )  # fmt: skip
            self.assertEqual(
                round(sum(usage_lines.mapped("price_total")), 2), float(tracker["usage_amount"])
            )
            before[partner] = self._holder_figures(line, partner)
        self.assertEqual(before[bob]["sobriety"]["mine"], 2 * GB)
        self.assertEqual(before[alice]["sobriety"]["mine"], 3 * GB)
        self.assertEqual([m["data"] for m in before[alice]["history"]], [3 * GB])
        # the holder now is Bob: his figures by default
        self.assertEqual(line._get_portal_consumption(PERIOD)["voice"], 60)
        # the retention purge of the raw usage, past the invoices' retention
        self.company.telecoop_usage_retention_months = 1
        Record = self.env["telecoop.usage.record"]
        self.assertTrue(Record.search_count([("line_id", "=", line.id)]))
        self.assertTrue(Record._purge_expired(today=date(2028, 1, 1)))
        self.env.invalidate_all()
        self.assertFalse(Record.search_count([("line_id", "=", line.id)]))
        for partner in (alice, bob):
            self.assertEqual(self._holder_figures(line, partner), before[partner])

    def test_a_holder_reads_only_their_own_quantities(self):
        line = self._split_month_line("33630000004")
        self._priced(line, PERIOD)
        company_args = {"company_id": self.company.id, "company_ids": self.company.ids}
        alice = new_test_user(
            self.env,
            login="tc_alice_quantities",
            groups="base.group_portal",
            partner_id=self.holder.id,
            **company_args,
        )
        Quantity = self.env["telecoop.priced.quantity"]
        rows = Quantity.search([("line_id", "=", line.id)])
        self.assertEqual(rows.partner_id, self.holder | self.holder2)
        mine = Quantity.with_user(alice).search([("line_id", "=", line.id)])
        self.assertEqual(mine, rows.filtered(lambda r: r.partner_id == self.holder))
        bobs = rows.filtered(lambda r: r.partner_id == self.holder2)
        with self.assertRaises(AccessError):
            bobs.with_user(alice).read(["quantity"])

    def test_migration_stores_the_quantities_of_the_months_priced_before(self):
        """19.0.1.3.0: priced months without quantities get them, nothing priced again;
        a split month whose raw records are purged cannot be split: left without."""
        split = self._split_month_line("33630000005")
        single = self._create_line("33630000006", self.plan_classic)
        self._insert_records([(single, "2026-10-07 10:00:00", "data", 10 * GB, "national")])
        self._run()
        months = self.env["telecoop.priced.month"].search(
            [("line_id", "in", (split | single).ids), ("period", "=", PERIOD)]
        )
        charges = months.charge_ids.read(["amount_total"])

        def stored():
            return sorted(
                (r.line_id.id, r.partner_id.id, r.usage_type, r.zone, r.quantity, r.unit)
                for r in months.quantity_ids
            )

        before = stored()
        self.assertEqual(len({row[1] for row in before if row[0] == split.id}), 2)

        def migrate():
            self.env.cr.execute(
                "DELETE FROM telecoop_priced_quantity WHERE month_id = ANY(%s)", [months.ids]
            )
            self.env.invalidate_all()
            path = os.path.join(
                os.path.dirname(os.path.dirname(__file__)),
                "migrations/19.0.1.3.0/post-migrate.py",
            )
            spec = importlib.util.spec_from_file_location("telecoop_migration_19_0_1_3_0", path)
            migration = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(migration)
            migration.migrate(self.env.cr, "19.0.1.2.0")
            self.env.invalidate_all()

        migrate()
        self.assertEqual(stored(), before)
        self.assertEqual(months.charge_ids.read(["amount_total"]), charges)
        # the raw records purged (as the purge does, the rows of the month deleted)
        self.env.cr.execute(
            "DELETE FROM telecoop_usage_record WHERE line_id = ANY(%s)", [(split | single).ids]
        )
        with self.assertLogs(
            "odoo.addons.telecoop_mobile_billing.models.telecoop_priced_quantity", "WARNING"
        ) as logs:
            migrate()
        self.assertIn(str(split.id), logs.output[0])
        self.assertEqual(stored(), [row for row in before if row[0] == single.id])

    def test_itemised_bill_of_a_line_that_changed_holder_mid_month(self):
        """Alice holds the line until 15 October, Bob from the 16th: each one's invoice
        and itemised bill hold their own days only, in local time."""
        line = self._create_line("33630000001", self.plan_step, itemised_bill=True)
        line.change_holder(self.holder2, "2026-10-16")
        self.assertEqual(line.partner_id, self.holder2)
        self._insert_records(
            [
                (line, "2026-10-05 08:00:00", "voice", 125, "international", "447946000123"),
                # 23:30 UTC on the 15th is 01:30 on the 16th in Paris: Bob's
                (line, "2026-10-15 23:30:00", "voice", 60, "international", "447946000456"),
                (line, "2026-10-20 12:00:00", "data", 2_500_000, "national"),
            ]
        )
        invoices = self._run().run_line_ids.move_id
        alice = invoices.filtered(lambda m: m.partner_id == self.holder)
        bob = invoices.filtered(lambda m: m.partner_id == self.holder2)
        plan_lines = {
            m.partner_id.name: m.invoice_line_ids.filtered(
                lambda ml: ml.telecoop_charge_id.kind == "plan"
            ).name
            for m in alice | bob
        }
        self.assertEqual(
            plan_lines,
            {
                "Alice Holder": "Adjustable - 06 30 00 00 01 (15 of 31 days)",
                "Bob Holder": "Adjustable - 06 30 00 00 01 (16 of 31 days)",
            },
        )
        alice_rows = alice._get_itemised_records()
        bob_rows = bob._get_itemised_records()
        self.assertEqual([r["destination"] for r in alice_rows], ["44794600XXXX"])
        # in the holders' language (English here: month first, AM/PM), in Paris time
        self.assertEqual(
            [(r["date"], r["time"]) for r in alice_rows], [("10/05/2026", "10:00:00 AM")]
        )
        self.assertEqual(alice_rows[0]["type"], "Voice")
        self.assertEqual(alice_rows[0]["quantity"], "2 min 05 s")
        # 3 started minutes at 0.30, VAT 20 % included for a consumer
        self.assertEqual(alice_rows[0]["price"], 1.08)
        self.assertEqual(
            [(r["date"], r["time"], r["destination"], r["quantity"]) for r in bob_rows],
            [
                ("10/16/2026", "01:30:00 AM", "44794600XXXX", "1 min 00 s"),
                ("10/20/2026", "02:00:00 PM", "", "2.5 MB"),
            ],
        )
        # the PDF of these rows, downloaded by its holder: test_billing.TestItemisedBillPdf

    def test_future_plan_change_is_shown_as_future_and_can_be_cancelled(self):
        today = date.today()
        this_month = today.replace(day=1)
        next_month = (this_month + timedelta(days=32)).replace(day=1)
        line = self._create_line("33640000001", self.plan_step, activation="2026-01-01")
        line.change_plan(self.plan_classic, next_month)
        # the plan of today stays; the change is a fact to come
        self.assertEqual(line.plan_id, self.plan_step)
        self.assertEqual(
            (line.upcoming_plan_id, line.upcoming_plan_date), (self.plan_classic, next_month)
        )
        self.assertEqual(line._get_plan_at(next_month), self.plan_classic)
        month = self._priced(line, this_month)
        self.assertEqual(
            month.charge_ids.filtered(lambda c: c.kind == "plan").plan_id, self.plan_step
        )
        line._cron_apply_plan_changes()
        self.assertEqual(line.plan_id, self.plan_step, "not before its date")
        line.action_cancel_plan_change()
        self.assertFalse(line.upcoming_plan_id)
        self.assertEqual(line.plan_history_ids.plan_id, self.plan_step)
        # a change in the past becomes the plan of today at once
        line.change_plan(self.plan_graduated, today)
        self.assertEqual(line.plan_id, self.plan_graduated)

    def test_a_change_in_an_invoiced_month_is_refused(self):
        line = self._create_line("33640000002", self.plan_step)
        self._run()
        with self.assertRaisesRegex(UserError, "invoiced"):
            line.change_plan(self.plan_classic, "2026-10-20")
        with self.assertRaisesRegex(UserError, "invoiced"):
            line.change_holder(self.holder2, "2026-10-20")
        with self.assertRaisesRegex(UserError, "invoiced"):
            self.env["telecoop.mobile.line.one.off"].create(
                {"line_id": line.id, "date": "2026-10-10", "name": "SIM", "amount": 10}
            )

    def _stored_month(self, line, period):
        """The priced month as stored (read, not priced again)."""
        return self.env["telecoop.priced.month"].search(
            [("line_id", "=", line.id), ("period", "=", period)]
        )

    def test_labels_and_amounts_written_by_copy_are_read_back_as_priced(self):
        """The months and charges go in by COPY: a backslash, a tab or a line break in a
        label is kept as it is, and the amounts and taxes are those of the engine."""
        self.plan_step.name = "Plan \\ sobre\tdouble\nligne"
        line = self._create_line("33620000009", self.plan_step)
        self.env["telecoop.priced.month"]._rate_months(self.company, PERIOD, [line.id])
        self.env.invalidate_all()
        month = self._stored_month(line, PERIOD)
        plan_charge = month.charge_ids.filtered(lambda c: c.kind == "plan")
        self.assertEqual(len(plan_charge), 1)
        self.assertTrue(plan_charge.name.startswith("Plan \\ sobre\tdouble\nligne - "))
        # 14.00 without tax and 20 % VAT, worked by hand: 2.80 of tax, 16.80
        self.assertEqual(plan_charge.tax_ids, self.vat20)
        self.assertEqual(
            (plan_charge.amount_untaxed, plan_charge.amount_tax, plan_charge.amount_total),
            (14.0, 2.8, 16.8),
        )
        self.assertEqual((month.amount_untaxed, month.amount_total), (14.0, 16.8))
        self.assertFalse(month.invoiced)
        self.assertEqual(month.create_uid, self.env.user)

    def test_month_amounts_are_stored_to_the_cent(self):
        """14.00 + 0.10 + 0.20 is 14.299999999999999 in floats: the month written by
        COPY stores 14.30, as the ORM would round a monetary field it writes."""
        line = self._create_line("33620000019", self.plan_step)
        for amount in (0.10, 0.20):
            self.env["telecoop.mobile.line.one.off"].create(
                {"line_id": line.id, "date": "2026-10-05", "name": "Frais", "amount": amount}
            )
        self.env["telecoop.priced.month"]._rate_months(self.company, PERIOD, [line.id])
        # as text: the digits PostgreSQL keeps (Odoo's cursor reads numeric as float)
        self.env.cr.execute(
            "SELECT amount_untaxed::text, amount_tax::text, amount_total::text, "
            "roaming_data_amount::text "
            "FROM telecoop_priced_month WHERE line_id = %s AND period = %s",
            [line.id, PERIOD],
        )
        untaxed, tax, total, roaming = (Decimal(v) for v in self.env.cr.fetchone())
        self.assertEqual(untaxed, Decimal("14.30"))
        for amount in (untaxed, tax, total, roaming):
            self.assertGreaterEqual(amount.as_tuple().exponent, -2, amount)
        self.assertEqual(total, untaxed + tax)

    def test_plan_history_edited_by_hand_prices_the_month_again(self):
        line = self._create_line("33640000003", self.plan_step)
        self._priced(line, PERIOD)
        History = self.env["telecoop.mobile.line.plan"]
        # October, 31 days: 10 days at 14 EUR, 21 days at 20 EUR
        entry = History.create(
            {"line_id": line.id, "plan_id": self.plan_classic.id, "date_from": "2026-10-11"}
        )
        plan_charges = self._stored_month(line, PERIOD).charge_ids.filtered(
            lambda c: c.kind == "plan"
        )
        self.assertEqual(
            [(c.plan_id, round(c.amount_untaxed, 2)) for c in plan_charges.sorted("sequence")],
            [(self.plan_step, 4.52), (self.plan_classic, 13.55)],
        )
        # moved to the 21st by hand: 20 days at 14 EUR, 11 days at 20 EUR
        entry.date_from = "2026-10-21"
        plan_charges = self._stored_month(line, PERIOD).charge_ids.filtered(
            lambda c: c.kind == "plan"
        )
        self.assertEqual(
            [round(c.amount_untaxed, 2) for c in plan_charges.sorted("sequence")], [9.03, 7.10]
        )
        # removed by hand: the whole month at 14 EUR again
        entry.unlink()
        plan_charges = self._stored_month(line, PERIOD).charge_ids.filtered(
            lambda c: c.kind == "plan"
        )
        self.assertEqual([round(c.amount_untaxed, 2) for c in plan_charges], [14.0])

    def test_plan_history_edited_by_hand_in_an_invoiced_month_is_refused(self):
        line = self._create_line("33640000004", self.plan_step)
        History = self.env["telecoop.mobile.line.plan"]
        entry = History.create(
            {"line_id": line.id, "plan_id": self.plan_classic.id, "date_from": "2026-10-15"}
        )
        self._run()
        with self.assertRaisesRegex(UserError, "invoiced"):
            History.create(
                {"line_id": line.id, "plan_id": self.plan_graduated.id, "date_from": "2026-10-20"}
            )
        with self.assertRaisesRegex(UserError, "invoiced"):
            entry.date_from = "2026-11-05"  # October would change
        with self.assertRaisesRegex(UserError, "invoiced"):
            entry.unlink()
        self.env.invalidate_all()  # the history as stored: nothing of it changed
        self.assertEqual(
            line.plan_history_ids.mapped("date_from"), [date(2026, 1, 1), date(2026, 10, 15)]
        )
        self.assertEqual(line._get_plan_at(date(2026, 10, 20)), self.plan_classic)

    def test_direct_edit_of_the_holder_is_a_change_of_holder(self):
        this_month = date.today().replace(day=1)
        line = self._create_line("33640000005", self.plan_step)
        self._priced(line, this_month)
        self.assertEqual(self._stored_month(line, this_month).charge_ids.partner_id, self.holder)
        # edited on the form: from today, the month priced again with the new holder
        line.partner_id = self.holder2
        self.assertIn(self.holder2, self._stored_month(line, this_month).charge_ids.partner_id)
        self.assertEqual(line.holder_history_ids.sorted("date_from")[-1:].partner_id, self.holder2)
        # once this month is invoiced (billed after its end: noon UTC on the 1st of
        # the next month), the holder cannot change silently
        next_month = (this_month + timedelta(days=31)).replace(day=1)
        with freeze_time(f"{next_month} 12:00:00"):
            self._run(this_month)
        with self.assertRaisesRegex(UserError, "invoiced"):
            line.partner_id = self.holder
        self.assertEqual(line.partner_id, self.holder2)

    def test_one_off_and_third_party_services_have_their_own_sections(self):
        line = self._create_line("33650000001", self.plan_step)
        self.env["telecoop.mobile.line.one.off"].create(
            {"line_id": line.id, "date": "2026-10-10", "name": "New SIM card", "amount": 10}
        )
        self._insert_records(
            [(line, "2026-10-04 08:00:00", "voice", 60, "premium", "33899000123", "2.40")]
        )
        invoice = self._run().run_line_ids.move_id
        lines = invoice.invoice_line_ids.sorted("sequence")
        layout = []
        for ml in lines:
            if ml.display_type == "line_section":
                layout.append([ml.name])
            else:
                layout[-1].append(ml.name)
        self.assertEqual(
            layout,
            [
                ["Plan and options", "Adjustable - 06 50 00 00 01"],
                ["Usage beyond the plan"],
                ["One-off services", "New SIM card - 06 50 00 00 01 (10/10/2026)"],
                [
                    "Third-party services",
                    f"Audiotel Services - 06 50 00 00 01 ({self._money('2.40')} tax included)",
                ],
            ],
        )

    def test_a_third_party_renamed_names_the_open_months_again(self):
        """A third party renamed (or a new prefix) named the open months' charges
        again only at the next import of each line: the run billed the old name to the
        others. Like a plan's new price, the open months are priced again at once; an
        invoiced month keeps the name it was billed with."""
        line = self._create_line("33650000002", self.plan_step)
        self._insert_records(
            [(line, "2026-10-04 08:00:00", "voice", 60, "premium", "33899000123", "2.40")]
        )
        self.env["telecoop.rated.usage"]._rate_period(self.company, PERIOD)

        def names():
            charges = self._stored_month(line, PERIOD).charge_ids
            return charges.filtered(lambda c: c.kind == "third_party").mapped("name")

        amount = f"({self._money('2.40')} tax included)"
        self.assertEqual(names(), [f"Audiotel Services - 06 50 00 00 02 {amount}"])
        audiotel = self.env["telecoop.third.party"].search(
            [("company_id", "=", self.company.id), ("number_prefix", "=", "33899")]
        )
        audiotel.name = "Audiotel Premium"
        self.assertEqual(names(), [f"Audiotel Premium - 06 50 00 00 02 {amount}"])
        # a longer prefix takes the number
        quiz = self.env["telecoop.third.party"].create(
            {"name": "Quiz Line", "number_prefix": "338990", "company_id": self.company.id}
        )
        self.assertEqual(names(), [f"Quiz Line - 06 50 00 00 02 {amount}"])
        quiz.number_prefix = "338991"
        self.assertEqual(names(), [f"Audiotel Premium - 06 50 00 00 02 {amount}"])
        invoice = self._run().run_line_ids.filtered(lambda rl: rl.partner_id == self.holder).move_id
        billed = f"Audiotel Premium - 06 50 00 00 02 {amount}"
        self.assertIn(billed, invoice.invoice_line_ids.mapped("name"))
        audiotel.name = "Audiotel Gold"
        self.assertEqual(names(), [billed])


@tagged("post_install", "-at_install")
class TestConsumptionNotices(MobileBillingCommon):
    """L224-30 II: allowance used up; Regulation (EU) 2022/612: data roaming cap."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, queue_job__no_delay=False))
        cls.this_month = date.today().replace(day=1)
        cls.plan_classic.rate_ids = [
            Command.create({"usage_type": "data", "zone": "world", "price": 10, "unit": 10**8}),
            Command.create({"usage_type": "voice", "zone": "world", "price": 1, "unit": 60}),
        ]

    def _at(self, day):
        return f"{self.this_month.replace(day=day)} 10:00:00"

    def _rate(self, line):
        self.env["telecoop.rated.usage"]._rate_period(self.company, self.this_month, line.ids)
        line.invalidate_recordset()
        return line.alert_ids

    def _jobs(self, line):
        return (
            self.env["queue.job"]
            .search([("method_name", "=", "_host_operator_set_roaming_data")])
            .filtered(lambda j: j.records == line)
        )

    def test_allowance_used_up_notice_cannot_be_switched_off(self):
        line = self._create_line("33660000001", self.plan_classic, alert_band_percent=0)
        self._insert_records([(line, self._at(1), "data", 9 * GB - 1, "national")])
        self.assertFalse(self._rate(line), "one byte short of the 9 GB included")
        self._insert_records([(line, self._at(1), "data", 1, "national")])
        alerts = self._rate(line)
        self.assertEqual(
            [(a.kind, a.percent) for a in alerts], [("allowance", 100)], "9 GB exactly"
        )
        self.assertIn("the 9 GB of data included in your plan are used up", alerts.message)
        # switching the band alert off on the portal does not switch this one off
        line._portal_set_alerts(0, 80, 0)
        self.assertEqual(line.alert_band_percent, 0)
        self.assertTrue(line.alert_ids.filtered(lambda a: a.kind == "allowance"))

    def test_a_late_alert_goes_to_and_greets_the_holder_of_its_month(self):
        """Red team: Bob's line used up its 9 GB this month; the alert's e-mail went out
        late, from the queue, after the line went over to Carol within the month: it was
        sent to Bob and began "Hello Carol Holder" (the line's holder when rendered). The
        alert, its recipient and its greeting are the holder of the priced month it is
        about."""
        self.holder2.email = "bob.holder@example.com"
        carol = self.env["res.partner"].create(
            {"name": "Carol Holder", "email": "carol.holder@example.com"}
        )
        line = self._create_line(
            "33660000009", self.plan_classic, partner=self.holder2, alert_band_percent=0
        )
        self._insert_records([(line, self._at(1), "data", 9 * GB, "national")])
        alert = self._rate(line)
        self.assertEqual([(a.kind, a.percent) for a in alert], [("allowance", 100)])
        month = self._priced(line, self.this_month)
        self.assertEqual((alert.partner_id, month.partner_id), (self.holder2, self.holder2))
        # the line goes over to Carol today, before the queue sends Bob's e-mail
        line.change_holder(carol, date.today())
        self.assertEqual(line.partner_id, carol)
        line.invalidate_recordset()
        self.assertEqual(line.alert_ids, alert, "no second alert for the same threshold")
        alert._send()  # what the queued job runs
        mail = alert.mail_id
        self.assertEqual(mail.recipient_ids, self.holder2)
        self.assertIn("Hello Bob Holder,", mail.body_html)
        self.assertNotIn("Carol", mail.body_html)
        self.assertIn("the 9 GB of data included in your plan are used up", mail.body_html)

    def test_update_greets_the_holder_of_the_alert_in_every_language(self):
        """Migration 19.0.1.3.2: the bodies of the alert's e-mail in every language (a
        translation the template's update does not write) greet the alert's holder."""
        template = self.env.ref("telecoop_mobile_billing.mail_template_line_alert")
        self.env.cr.execute(
            "UPDATE mail_template SET body_html = jsonb_build_object("
            "'en_US', '<p>Hello <t t-out=\"object.line_id.partner_id.name\"/>,</p>', "
            "'fr_FR', '<p>Bonjour <t t-out=\"object.line_id.partner_id.name\"/>,</p>') "
            "WHERE id = %s",
            template.ids,
        )
        path = Path(__file__).parents[1] / "migrations" / "19.0.1.3.2" / "post-migrate.py"
        spec = importlib.util.spec_from_file_location("telecoop_billing_migration_19_0_1_3_2", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "19.0.1.3.1")
        self.env.cr.execute("SELECT body_html FROM mail_template WHERE id = %s", template.ids)
        self.assertEqual(
            self.env.cr.fetchone()[0],
            {
                "en_US": '<p>Hello <t t-out="object.partner_id.name"/>,</p>',
                "fr_FR": '<p>Bonjour <t t-out="object.partner_id.name"/>,</p>',
            },
        )

    def test_data_roaming_notices_at_80_and_100_percent_then_barring(self):
        line = self._create_line("33660000002", self.plan_classic)
        self.assertEqual(line.roaming_cap, 50)
        # 30 minutes of calls abroad (30 EUR) do not count; 400 MB of data (40 EUR) do
        self._insert_records(
            [
                (line, self._at(1), "voice", 1800, "world", "12125550100"),
                (line, self._at(1), "data", 4 * 10**8, "world"),
            ]
        )
        alerts = self._rate(line)
        self.assertEqual([(a.kind, a.percent) for a in alerts], [("roaming", 80)])
        self.assertEqual(alerts.value, 40.0)
        self.assertFalse(self._jobs(line))
        self._insert_records([(line, self._at(2), "data", 10**8, "world")])
        alerts = self._rate(line)
        self.assertEqual(
            sorted((a.kind, a.percent) for a in alerts), [("roaming", 80), ("roaming", 100)]
        )
        self.assertIn("roaming data is barred", alerts.filtered(lambda a: a.percent == 100).message)
        # barred through the host operator connector: a queued job staff see
        self.assertEqual(line.roaming_barred_period, self.this_month)
        job = self._jobs(line)
        self.assertEqual(len(job), 1)
        self.assertEqual(job.args, [False])
        self.assertEqual(job.state, "pending")
        # the member chooses to go on: recorded with the date, roaming data allowed again
        line._portal_set_alerts(0, 80, 80, roaming_continue=True)
        self.assertTrue(line.roaming_continue)
        self.assertTrue(line.roaming_continue_date)
        self.assertFalse(line.roaming_barred_period)
        self.assertEqual(sorted(self._jobs(line).mapped("args")), [[False], [True]])

    def test_a_barring_at_the_roaming_cap_lasts_its_month(self):
        last_month = (self.this_month - timedelta(days=1)).replace(day=1)
        old = self._create_line("33660000004", self.plan_classic)
        now = self._create_line("33660000005", self.plan_classic)
        old._bar_roaming_data(last_month)
        now._bar_roaming_data(self.this_month)
        # the daily scheduled action: a new month allows roaming data again
        self.env["telecoop.mobile.line"]._cron_lift_roaming_barring()
        self.assertFalse(old.roaming_barred_period)
        self.assertEqual(sorted(self._jobs(old).mapped("args")), [[False], [True]])
        self.assertEqual(now.roaming_barred_period, self.this_month)
        self.assertEqual(self._jobs(now).mapped("args"), [[False]])
        # a member going on lifts a barring whatever month it was set in
        late = self._create_line("33660000006", self.plan_classic)
        late._bar_roaming_data(last_month)
        late._set_roaming_continue(True)
        self.assertFalse(late.roaming_barred_period)
        self.assertEqual(sorted(self._jobs(late).mapped("args")), [[False], [True]])

    def test_a_member_who_chose_to_go_on_is_warned_not_barred(self):
        line = self._create_line("33660000003", self.plan_classic)
        line._set_roaming_continue(True)
        self._insert_records([(line, self._at(1), "data", 6 * 10**8, "world")])
        alerts = self._rate(line)
        self.assertEqual(
            sorted((a.kind, a.percent) for a in alerts), [("roaming", 80), ("roaming", 100)]
        )
        self.assertFalse(line.roaming_barred_period)
        self.assertFalse(self._jobs(line))
