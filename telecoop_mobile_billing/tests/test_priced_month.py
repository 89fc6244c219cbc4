# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The priced month is the one truth: invoice lines are its charges, cent for cent."""

import os
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo import Command
from odoo.tests import tagged

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
