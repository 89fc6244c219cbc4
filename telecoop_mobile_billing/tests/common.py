# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import itertools
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from odoo import Command
from odoo.tests import new_test_user
from odoo.tools import SQL

from odoo.addons.telecoop_membership.tests.common import TelecoopCommon

from ..models.telecoop_usage_record import ensure_partitions

GB = 10**9


class MobileBillingCommon(TelecoopCommon):
    """The test cooperative with its accounting, French VAT, three plans and a source."""

    _record_seq = itertools.count(1)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company, install_demo=False
        )
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company.ids))
        # the priced months round each charge alone, as invoices do per line
        cls.company.tax_calculation_rounding_method = "round_per_line"
        cls.vat20 = cls.env["account.tax"].create(
            {
                "name": "TVA 20 %",
                "amount": 20,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "company_id": cls.company.id,
            }
        )
        for xmlid in ("product_mobile_plan", "product_mobile_usage", "product_mobile_third_party"):
            cls.env.ref(f"telecoop_mobile_billing.{xmlid}").taxes_id = [Command.set(cls.vat20.ids)]
        cls.product_plan = cls.env.ref("telecoop_mobile_billing.product_mobile_plan")
        Plan = cls.env["telecoop.mobile.plan"]
        cls.plan_step = Plan.create(
            {
                "name": "Adjustable",
                "company_id": cls.company.id,
                "base_fee": 14,
                "tier_type": "step",
                "tier_ids": [
                    Command.create({"upper_units": 5, "price": 0}),
                    Command.create({"upper_units": 20, "price": 2}),
                    Command.create({"upper_units": 50, "price": 4}),
                    Command.create({"upper_units": 80, "price": 6}),
                ],
                "rate_ids": [
                    Command.create(
                        {"usage_type": "voice", "zone": "international", "price": 0.30, "unit": 60}
                    ),
                    Command.create({"usage_type": "sms", "zone": "international", "price": 0.10}),
                ],
            }
        )
        cls.plan_classic = Plan.create(
            {
                "name": "Classic 9 GB",
                "company_id": cls.company.id,
                "base_fee": 20,
                "tier_type": "included",
                "included_units": 9,
                "overage_price": 2,
            }
        )
        cls.plan_graduated = Plan.create(
            {
                "name": "Graduated",
                "company_id": cls.company.id,
                "base_fee": 8,
                "tier_type": "graduated",
                "tier_ids": [
                    Command.create({"upper_units": 2, "price": 0}),
                    Command.create({"upper_units": 10, "price": 1.5}),
                    Command.create({"upper_units": 0, "price": 1}),
                ],
            }
        )
        cls.source = cls.env["telecoop.usage.source"].create(
            {"name": "Host operator", "company_id": cls.company.id, "tz": "Europe/Paris"}
        )
        company_args = {"company_id": cls.company.id, "company_ids": cls.company.ids}
        cls.billing_user = new_test_user(
            cls.env,
            login="tc_billing_user",
            groups="base.group_user,telecoop_mobile_billing.telecoop_mobile_billing_group_user",
            **company_args,
        )
        cls.billing_manager = new_test_user(
            cls.env,
            login="tc_billing_manager",
            groups="base.group_user,telecoop_mobile_billing.telecoop_mobile_billing_group_manager,"
            "account.group_account_invoice",
            **company_args,
        )
        cls.env["telecoop.third.party"].create(
            {"name": "Audiotel Services", "number_prefix": "33899", "company_id": cls.company.id}
        )
        cls.holder = cls.env["res.partner"].create({"name": "Alice Holder"})
        cls.holder2 = cls.env["res.partner"].create({"name": "Bob Holder"})

    @classmethod
    def _create_line(cls, msisdn, plan, partner=None, activation="2026-01-01", **vals):
        return cls.env["telecoop.mobile.line"].create(
            {
                "msisdn": msisdn,
                "company_id": cls.company.id,
                "partner_id": (partner or cls.holder).id,
                "plan_id": plan.id,
                "activation_date": activation,
                **vals,
            }
        )

    def _priced(self, line, period):
        """Rate the month of ``period`` of ``line`` and return its priced month."""
        self.env["telecoop.rated.usage"]._rate_period(self.company, period, line_ids=line.ids)
        return self.env["telecoop.priced.month"].search(
            [("line_id", "=", line.id), ("period", "=", period)]
        )

    def _base_amounts(self, line, period):
        """The untaxed base fee charges of the month, in order."""
        month = self._priced(line, period)
        return [
            round(c.amount_untaxed, 2)
            for c in month.charge_ids.filtered(lambda c: c.kind == "plan").sorted("sequence")
        ]

    def _money(self, number):
        """``number`` (as the reader writes it) with the company's currency, where Odoo
        puts it: ``2.40\xa0€``, ``$\xa02.40``."""
        currency = self.company.currency_id
        if currency.position == "before":
            return f"{currency.symbol}\N{NO-BREAK SPACE}{number}"
        return f"{number}\N{NO-BREAK SPACE}{currency.symbol}"

    @classmethod
    def _sql_import_error(cls, usage_import, position="2", field="msisdn", reason="unknown"):
        """A rejected record in the log of ``usage_import``, written in SQL as the
        importer writes its log (by COPY, its only writer)."""
        cls.env.cr.execute(
            SQL(
                "INSERT INTO telecoop_usage_import_error (import_id, position, field, reason) "
                "VALUES (%s, %s, %s, %s) RETURNING id",
                usage_import.id,
                position,
                field,
                reason,
            )
        )
        return cls.env["telecoop.usage.import.error"].browse(cls.env.cr.fetchone()[0])

    @classmethod
    def _sql_usage_record(cls, line, record_id, started_at, quantity=1000):
        """One raw data record of ``line`` (national, ``quantity`` bytes) from the
        source of the tests, written in SQL as the importer writes it, in the
        partition of its month (``started_at``: a UTC "YYYY-MM-DD HH:MM" in the
        first days of a month); not rated."""
        period = date.fromisoformat(started_at[:7] + "-01")
        ensure_partitions(cls.env.cr, [period])
        cls.env.cr.execute(
            SQL(
                """
                INSERT INTO telecoop_usage_record
                       (company_id, source_id, record_id, line_id, msisdn, started_at, period,
                        usage_type, quantity, zone)
                VALUES (%s, %s, %s, %s, %s, %s, %s, 'data', %s, 'national')
                RETURNING id
                """,
                line.company_id.id,
                cls.source.id,
                record_id,
                line.id,
                line.msisdn,
                started_at,
                period,
                quantity,
            )
        )
        return cls.env["telecoop.usage.record"].browse(cls.env.cr.fetchone()[0])

    def _insert_records(self, records):
        """Insert raw usage records as the importer does (plain SQL).

        ``records``: tuples (line, started_at, usage_type, quantity, zone[, destination,
        third_party_amount]); the period is the month of ``started_at``.
        """
        rows = []
        for rec in records:
            line, started_at, usage_type, quantity, zone, *rest = rec
            destination = rest[0] if rest else None
            third_party = rest[1] if len(rest) > 1 else None
            rows.append(
                (
                    self.company.id,
                    self.source.id,
                    f"R{next(self._record_seq):09d}",
                    line.id,
                    line.msisdn,
                    started_at,
                    # the month of the instant where the operator is (the source's time
                    # zone), as the importer files it: not the month of the UTC string
                    datetime.fromisoformat(started_at)
                    .replace(tzinfo=UTC)
                    .astimezone(ZoneInfo(self.source.tz or "Europe/Paris"))
                    .date()
                    .replace(day=1)
                    .isoformat(),
                    usage_type,
                    quantity,
                    zone,
                    destination,
                    third_party,
                )
            )
        # the monthly partitions of the table (the importer creates them as it goes)
        ensure_partitions(self.env.cr, [date.fromisoformat(row[6]) for row in rows])
        self.env.cr.executemany(
            """
            INSERT INTO telecoop_usage_record
                   (company_id, source_id, record_id, line_id, msisdn, started_at, period,
                    usage_type, quantity, zone, destination, third_party_amount)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
            """,
            rows,
        )
        # and, as the importer does after an import, rate the months it touched
        todo = {}
        for row in rows:
            todo.setdefault(row[6], set()).add(row[3])
        self.env["telecoop.usage.record"]._rerate(self.company, todo)
