# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from decimal import Decimal as D

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import GB, MobileBillingCommon


@tagged("post_install", "-at_install")
class TestMobileLines(MobileBillingCommon):
    def test_msisdn_unique_among_lines_not_terminated(self):
        line = self._create_line("33600000001", self.plan_step)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self._create_line("33600000001", self.plan_classic, partner=self.holder2)
        line.action_terminate("2026-03-31")
        again = self._create_line(
            "33600000001", self.plan_classic, partner=self.holder2, activation="2026-04-01"
        )
        self.assertEqual(again.state, "active")

    def test_msisdn_must_be_e164_digits(self):
        with self.assertRaises(ValidationError):
            self._create_line("+33 6 12", self.plan_step)

    def test_state_transitions_table(self):
        line = self._create_line("33600000002", self.plan_step)
        line.action_suspend()
        self.assertEqual(line.state, "suspended")
        line.action_reactivate()
        line.action_terminate("2026-05-31")
        self.assertEqual(line.termination_date.isoformat(), "2026-05-31")
        with self.assertRaises(UserError):
            line.action_reactivate()

    def test_plan_change_prorates_the_month_by_days(self):
        line = self._create_line("33600000003", self.plan_classic)
        line.change_plan(self.plan_step, "2026-04-11")  # April: 10 days classic, 20 step
        self.assertEqual(line.plan_id, self.plan_step)
        periods = line._get_plan_periods("2026-04-01")
        self.assertEqual(
            [(p, d) for p, d in periods], [(self.plan_classic, 10), (self.plan_step, 20)]
        )
        self._insert_records([(line, "2026-04-15 10:00:00", "data", 3 * GB, "national")])
        self.assertEqual(self._base_amounts(line, "2026-04-01"), [6.67, 9.33])
        # March and May are priced by one plan each
        self.assertEqual(self._base_amounts(line, "2026-03-01"), [20.0])
        self.assertEqual(self._base_amounts(line, "2026-05-01"), [14.0])

    def test_plan_change_wizard(self):
        line = self._create_line("33600000007", self.plan_classic)
        wizard = (
            self.env["telecoop.plan.change.wizard"]
            .with_user(self.billing_user)
            .with_context(active_model="telecoop.mobile.line", active_ids=line.ids)
            .create({"plan_id": self.plan_graduated.id, "date": "2026-09-16"})
        )
        self.assertEqual(wizard.line_ids, line)
        wizard.action_confirm()
        self.assertEqual(line.plan_id, self.plan_graduated)
        self.assertEqual(self._base_amounts(line, "2026-09-01"), [10.0, 4.0])

    def test_line_activated_mid_month_pays_its_days(self):
        line = self._create_line("33600000004", self.plan_step, activation="2026-06-16")
        self.assertEqual(self._base_amounts(line, "2026-06-01"), [7.0])
        self.assertFalse(self._priced(line, "2026-05-01"))

    def test_consumption_summary_band_and_price_so_far(self):
        self.holder.is_company = True  # a company reads amounts tax excluded
        line = self._create_line("33600000005", self.plan_step)
        self._insert_records(
            [
                (line, "2026-07-03 10:00:00", "data", 4 * GB, "national"),
                (line, "2026-07-04 10:00:00", "data", 2 * GB, "eu"),
                (line, "2026-07-05 10:00:00", "voice", 120, "international", "447946000000"),
            ]
        )
        summary = line._get_portal_consumption("2026-07-15")
        self.assertEqual(summary["data_quantity"], 6 * GB)
        self.assertEqual(summary["band_upper"], 20)
        self.assertEqual(summary["usage_amount"], D("2.60"))
        self.assertEqual(summary["amount"], D("16.60"))
        self.assertFalse(summary["tax_included"])

    def test_access_rights(self):
        line = self._create_line("33600000006", self.plan_step)
        self.assertEqual(line.with_user(self.billing_user).msisdn, "33600000006")
        with self.assertRaises(AccessError):
            self.plan_step.with_user(self.billing_user).write({"base_fee": 1})
        with self.assertRaises(AccessError):
            line.with_user(self.internal_user).read(["msisdn"])
        with self.assertRaises(AccessError):
            self.env["telecoop.rated.usage"].with_user(self.portal_user).search([])
