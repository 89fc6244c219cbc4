# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Attacks on the back office of billing: what staff can do through the form or
RPC (``/web/dataset/call_kw`` calls the same public methods and ``write``)."""

import base64
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import GB, MobileBillingCommon
from .test_usage_import import csv_file


@tagged("post_install", "-at_install")
class TestUsageImportBookkeeping(MobileBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.line = cls._create_line("33611111111", cls.plan_classic)

    def _upload(self, user, source, content):
        wizard = (
            self.env["telecoop.usage.upload.wizard"]
            .with_user(user)
            .with_context(queue_job__no_delay=True)
            .create(
                {
                    "source_id": source.id,
                    "file": base64.b64encode(content),
                    "file_name": "usage.csv",
                }
            )
        )
        return self.env["telecoop.usage.import"].browse(wizard.action_import()["res_id"])

    def _rated_bytes(self):
        rated = self.env["telecoop.rated.usage"].search([("line_id", "=", self.line.id)])
        return sum(rated.mapped("quantity"))

    def test_a_billing_user_cannot_rewind_what_an_import_rated(self):
        """The importer's bookkeeping (what it rated) is its own: a billing user who
        rewound it over RPC and resumed the import had its records counted twice."""
        usage_import = self._upload(
            self.billing_user,
            self.source,
            csv_file("B1,33611111111,2026-10-01T08:00:00+02:00,data,2000000000,national,,"),
        )
        self.assertEqual(usage_import.state, "done")
        self.assertEqual(self._rated_bytes(), 2 * GB)
        mine = usage_import.with_user(self.billing_user).with_context(queue_job__no_delay=True)
        with self.assertRaises(AccessError):
            mine.write(
                {
                    "state": "failed",
                    "rated_until_id": 0,
                    "rerate_todo": {"2026-10-01": [self.line.id]},
                }
            )
        mine.action_resume()
        self.assertEqual(self._rated_bytes(), 2 * GB)
        with self.assertRaises(AccessError):
            self.env["telecoop.usage.import"].with_user(self.billing_user).create(
                {"source_id": self.source.id, "state": "done", "count_new": 1}
            )
        # what a user may change before the start, the name of the file, stays hers
        draft = (
            self.env["telecoop.usage.import"]
            .with_user(self.billing_user)
            .create({"source_id": self.source.id})
        )
        draft.file_name = "late.csv"
        with self.assertRaises(UserError):
            mine.source_id = self.env["telecoop.usage.source"].create(
                {"name": "Other", "company_id": self.company.id}
            )

    def test_an_import_that_wrote_records_is_not_deleted(self):
        """A billing administrator deleted a whole import, and its rejection log went
        with it; an import that wrote records stays until the purge of its months."""
        usage_import = self._upload(
            self.billing_user,
            self.source,
            csv_file("D1,33611111111,2026-10-01T08:00:00+02:00,data,1000,national,,"),
        )
        self.assertEqual(usage_import.state, "done")
        with self.assertRaises(UserError):
            usage_import.with_user(self.billing_user).unlink()
        with self.assertRaises(UserError):
            usage_import.with_user(self.billing_manager).unlink()
        self.assertTrue(usage_import.exists())
        # a draft that wrote nothing goes
        draft = self.env["telecoop.usage.import"].create({"source_id": self.source.id})
        with self.assertRaises(AccessError):
            draft.with_user(self.billing_user).unlink()
        draft.with_user(self.billing_manager).unlink()
        self.assertFalse(draft.exists())

    def test_nobody_rewrites_the_rejection_log_by_hand(self):
        """The rejection log is the importer's record of what it refused (file, line,
        reason): a billing administrator rewrote a reason, deleted a rejected row or
        added one, and the log no longer said what the host operator had sent."""
        usage_import = self._upload(
            self.billing_manager,
            self.source,
            csv_file(
                "R1,33611111111,2026-10-01T08:00:00+02:00,data,1000,national,,",
                "R2,33611111111,2026-10-01T09:00:00+02:00,data,1000,nowhere,,",
            ),
        )
        error = usage_import.error_ids
        self.assertEqual((error.position, error.record_id, error.field), ("3", "R2", "zone"))
        manager_error = error.with_user(self.billing_manager)
        with self.assertRaises(AccessError):
            manager_error.write({"reason": "fine"})
        with self.assertRaises(AccessError):
            manager_error.unlink()
        with self.assertRaises(AccessError):
            self.env["telecoop.usage.import.error"].with_user(self.billing_manager).create(
                {"import_id": usage_import.id, "position": "9", "field": "x", "reason": "y"}
            )
        self.assertEqual(usage_import.error_ids, error)
        self.assertEqual(error.field, "zone")

    def test_an_import_reads_no_file_but_its_own(self):
        """The importer reads its file in superuser mode: an import created with the
        file of an import of company B imported B's records (called numbers in
        clear) into company A, where A's staff read them as unmatched usage."""
        company_b = self.env["res.company"].create({"name": "Partner Coop B"})
        self.env.user.company_ids |= company_b
        source_b = self.env["telecoop.usage.source"].create(
            {"name": "B operator", "company_id": company_b.id}
        )
        import_b = self.env["telecoop.usage.import"].create({"source_id": source_b.id})
        file_b = self.env["ir.attachment"].create(
            {
                "name": "b.csv",
                "raw": csv_file("X1,33699999999,2026-10-01T08:00:00+02:00,sms,1,national,,"),
                "res_model": "telecoop.usage.import",
                "res_id": import_b.id,
            }
        )
        import_b.attachment_id = file_b
        Import = self.env["telecoop.usage.import"].with_user(self.billing_user)
        with self.assertRaises(AccessError):
            Import.create({"source_id": self.source.id, "attachment_id": file_b.id})
        mine = Import.create({"source_id": self.source.id})
        with self.assertRaises(AccessError):
            mine.attachment_id = file_b.id
        # the file of another import of her company: read by that import only
        done = self._upload(
            self.billing_user,
            self.source,
            csv_file("B2,33611111111,2026-10-01T08:00:00+02:00,sms,1,national,,"),
        )
        with self.assertRaises(ValidationError):
            Import.create({"source_id": self.source.id, "attachment_id": done.attachment_id.id})
        # a file of nobody's, uploaded by somebody else, is not hers to import either
        other = new_test_user(
            self.env,
            login="tc_other_billing_user",
            groups="base.group_user,telecoop_mobile_billing.telecoop_mobile_billing_group_user",
            company_id=self.company.id,
            company_ids=self.company.ids,
        )
        loose = (
            self.env["ir.attachment"]
            .with_user(other)
            .create({"name": "loose.csv", "raw": b"record_id\n"})
        )
        with self.assertRaises(AccessError):
            mine.attachment_id = loose.id

    def test_records_go_to_a_line_active_when_they_started(self):
        """Attached by hand to a line activated after they started, records were
        rated in a month the line was not active in (billed never) or for days
        before its activation."""
        late = self._create_line("33633333333", self.plan_classic, activation="2026-10-20")
        self._upload(
            self.billing_user,
            self.source,
            csv_file(
                "U1,33699999999,2026-10-05T08:00:00+02:00,data,2000000000,national,,",
                "U2,33699999999,2026-09-30T23:30:00+02:00,data,1000,national,,",
            ),
        )
        unmatched = self.env["telecoop.usage.record"].search([("msisdn", "=", "33699999999")])
        self.assertEqual(len(unmatched), 2)
        self.assertFalse(unmatched.line_id)
        Wizard = self.env["telecoop.usage.attach.wizard"].with_user(self.billing_user)

        def attach(records, line):
            wizard = Wizard.with_context(
                active_model="telecoop.usage.record", active_ids=records.ids
            ).create({"line_id": line.id})
            wizard.action_attach()

        with self.assertRaises(UserError):
            attach(unmatched.filtered(lambda r: r.record_id == "U1"), late)
        # the line active since January takes both, of September and of October
        attach(unmatched, self.line)
        self.assertEqual(unmatched.line_id, self.line)
        self.assertEqual(self._rated_bytes(), 2 * GB + 1000)


@tagged("post_install", "-at_install")
class TestInvoicedMonthsStay(MobileBillingCommon):
    """A holder is invoiced once a month: what was invoiced stays, and nothing is
    added to a month behind an invoice, where it would be billed never."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, queue_job__no_delay=True))
        cls.plan_free = cls.env["telecoop.mobile.plan"].create(
            {"name": "Free SIM", "company_id": cls.company.id, "base_fee": 0}
        )
        cls.line = cls._create_line("33644444441", cls.plan_step)
        cls.line_free = cls._create_line("33644444442", cls.plan_free)
        cls.holder3 = cls.env["res.partner"].create({"name": "Carol Holder"})

    def _run(self, period="2026-10-01"):
        run = self.env["telecoop.billing.run"].create(
            {"company_id": self.company.id, "period": period}
        )
        run.action_start()
        return run

    def _invoice(self, partner, period="2026-10-01"):
        return self.env["account.move"].search(
            [("partner_id", "=", partner.id), ("telecoop_billing_period", "=", period)]
        )

    def _plan_charges(self, line, period):
        month = self.env["telecoop.priced.month"].search(
            [("line_id", "=", line.id), ("period", "=", period)]
        )
        return month.charge_ids.filtered(lambda c: c.kind == "plan").mapped("amount_untaxed")

    def test_a_line_terminated_pays_its_days_only(self):
        """Terminating a line priced no month again: the month of the end kept its
        whole base fee (and the months after it theirs) until a run rated again."""
        self.env["telecoop.rated.usage"]._rate_period(self.company, "2026-10-01")
        self.env["telecoop.rated.usage"]._rate_period(self.company, "2026-11-01")
        self.assertEqual(self._plan_charges(self.line, "2026-10-01"), [14.0])
        self.line.action_terminate("2026-10-10")
        # 10 days of 31 of a 14.00 plan: 14 x 10 / 31 = 4.516... -> 4.52
        self.assertEqual(self._plan_charges(self.line, "2026-10-01"), [4.52])
        self.assertEqual(self._plan_charges(self.line, "2026-11-01"), [])

    def test_an_invoiced_month_keeps_the_dates_it_was_invoiced_for(self):
        self._run()
        self.assertEqual(self._invoice(self.holder).amount_untaxed, 14.0)
        with self.assertRaises(UserError):
            self.line.action_terminate("2026-10-10")
        with self.assertRaises(UserError):
            self.line.activation_date = "2026-10-20"
        self.assertFalse(self.line.termination_date)
        # a line of the holder from November moved back into the invoiced October
        later = self._create_line("33644444447", self.plan_step, activation="2026-11-05")
        with self.assertRaises(UserError):
            later.activation_date = "2026-10-20"
        # from the next month the line may end
        self.line.action_terminate("2026-11-15")
        self.assertEqual(self.line.termination_date.isoformat(), "2026-11-15")

    def test_no_line_is_dated_back_into_a_month_its_holder_was_invoiced_for(self):
        """The run invoices a holder once a month: a second line of the holder dated
        back into an invoiced month was priced by the next run of the month and
        invoiced never."""
        self._run()
        with self.assertRaises(UserError):
            self._create_line("33644444443", self.plan_step, activation="2026-10-15")
        # a holder not invoiced yet for the month is, by the run of the month again:
        # 17 days of 31 of 14.00: 14 x 17 / 31 = 7.677... -> 7.68
        self._create_line(
            "33644444444", self.plan_step, partner=self.holder3, activation="2026-10-15"
        )
        self._run()
        self.assertEqual(self._invoice(self.holder3).amount_untaxed, 7.68)

    def test_nothing_is_added_behind_the_invoice_of_a_holder(self):
        """A month without charges (a free SIM without usage) is not marked invoiced,
        but its holder is: a one-off, a change of plan or usage attached to it
        afterwards was priced and invoiced never."""
        self._run()
        self.assertTrue(self._invoice(self.holder))
        with self.assertRaises(UserError):
            self.env["telecoop.mobile.line.one.off"].create(
                {
                    "line_id": self.line_free.id,
                    "date": "2026-10-20",
                    "name": "New SIM",
                    "amount": 10,
                }
            )
        with self.assertRaises(UserError):
            self.line_free.change_plan(self.plan_step, "2026-10-20")
        # the holder of a line of another holder, not invoiced, cannot take it over
        # within a month invoiced for him either
        line3 = self._create_line("33644444445", self.plan_free, partner=self.holder3)
        with self.assertRaises(UserError):
            line3.change_holder(self.holder, "2026-10-20")
        charges = self.env["telecoop.priced.charge"].search(
            [("partner_id", "=", self.holder.id), ("period", "=", "2026-10-01")]
        )
        invoiced = self._invoice(self.holder).invoice_line_ids.telecoop_charge_id
        self.assertEqual(charges, invoiced)

    def _one_off_charges(self, line, period):
        month = self.env["telecoop.priced.month"].search(
            [("line_id", "=", line.id), ("period", "=", period)]
        )
        return month.charge_ids.filtered(lambda c: c.kind == "one_off").mapped("amount_untaxed")

    def test_a_one_off_moved_leaves_nothing_behind(self):
        """A one-off moved to another month or line rated only where it went: the
        month it left kept its charge, and both months billed it."""
        line2 = self._create_line("33644444446", self.plan_step)
        one_off = self.env["telecoop.mobile.line.one.off"].create(
            {"line_id": self.line.id, "date": "2026-10-05", "name": "New SIM", "amount": 10}
        )
        self.assertEqual(self._one_off_charges(self.line, "2026-10-01"), [10.0])
        one_off.date = "2026-11-05"
        self.assertEqual(self._one_off_charges(self.line, "2026-10-01"), [])
        self.assertEqual(self._one_off_charges(self.line, "2026-11-01"), [10.0])
        one_off.line_id = line2
        self.assertEqual(self._one_off_charges(self.line, "2026-11-01"), [])
        self.assertEqual(self._one_off_charges(line2, "2026-11-01"), [10.0])
        one_off.unlink()
        self.assertEqual(self._one_off_charges(line2, "2026-11-01"), [])

    def test_a_cancelled_bill_reopens_its_month_and_is_billed_again(self):
        """A bill reset to draft took any figure by hand (the priced month, which the
        tracker shows, said 14.00, the invoice 1.00); a cancelled bill left its
        month frozen and its holder invoiced: the month was billed never."""
        self._run()
        bill = self._invoice(self.holder)
        bill.button_draft()
        charged = bill.invoice_line_ids.filtered("telecoop_charge_id")
        with self.assertRaises(UserError):
            charged[0].price_unit = 1
        section = bill.invoice_line_ids.filtered(lambda ml: not ml.telecoop_charge_id)[:1]
        with self.assertRaises(UserError):
            section.with_user(self.billing_manager).telecoop_charge_id = charged[
                0
            ].telecoop_charge_id
        bill.button_cancel()
        with self.assertRaises(UserError):
            bill.button_draft()
        # the month is open again: corrected (the classic plan from 16 October)
        self.line.change_plan(self.plan_classic, "2026-10-16")
        self._run()
        new = self._invoice(self.holder) - bill
        self.assertEqual(new.state, "posted")
        # 15 days of 31 of 14.00: 6.774... -> 6.77; 16 days of 31 of 20.00: 10.322... -> 10.32
        self.assertEqual(new.amount_untaxed, 17.09)
        month = self.env["telecoop.priced.month"].search(
            [("line_id", "=", self.line.id), ("period", "=", "2026-10-01")]
        )
        self.assertTrue(month.invoiced)
        self.assertEqual(
            new.invoice_line_ids.telecoop_charge_id.month_id,
            month
            | self.env["telecoop.priced.month"].search(
                [("line_id", "=", self.line_free.id), ("period", "=", "2026-10-01")]
            ),
        )
        # a third run bills nothing more
        self._run()
        self.assertEqual(self._invoice(self.holder), bill | new)

    def _credit(self, bill, price_unit):
        """A credit note of ``bill`` (the reversal wizard), its 14.00 plan line
        credited at ``price_unit``, posted."""
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=bill.ids)
            .create({"journal_id": bill.journal_id.id, "date": "2026-11-05", "reason": "Gesture"})
        )
        refund = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        refund.invoice_line_ids.filtered(lambda ml: ml.price_unit == 14.0).price_unit = price_unit
        refund.action_post()
        return refund

    def test_a_bill_credited_in_full_reopens_its_month_and_is_billed_again(self):
        """A credit note reversing the whole bill left its month invoiced and its
        holder never billed again, where a cancellation reopened them. A partial
        credit note (a gesture of 4.00 on the 14.00 plan) leaves the month invoiced;
        the credit notes adding up to the whole bill (4.00, then the other 10.00)
        reopen it as a cancellation does, the bill and its credit notes staying."""
        self._run()
        bill = self._invoice(self.holder)
        self.assertEqual(bill.amount_untaxed, 14.0)
        month = self.env["telecoop.priced.month"].search(
            [("line_id", "=", self.line.id), ("period", "=", "2026-10-01")]
        )
        gesture = self._credit(bill, 4.0)
        self.assertEqual(gesture.amount_untaxed, 4.0)
        self.assertTrue(month.invoiced)
        self._run()
        self.assertEqual(self._invoice(self.holder), bill)
        rest = self._credit(bill, 10.0)
        self.assertEqual(gesture.amount_total + rest.amount_total, bill.amount_total)
        self.assertFalse(month.invoiced)
        # the credited bill stays, posted, with its month and its credit notes
        self.assertEqual(bill.state, "posted")
        self.assertEqual(str(bill.telecoop_billing_period), "2026-10-01")
        self.assertEqual(bill.reversal_move_ids, gesture | rest)
        # back in draft, a credit note would leave the bill owed beside the next one
        with self.assertRaisesRegex(UserError, "stays posted"):
            rest.button_draft()
        self._run()
        new = self._invoice(self.holder) - bill
        self.assertEqual(new.state, "posted")
        self.assertEqual(new.amount_untaxed, 14.0)
        self.assertEqual(
            new.invoice_line_ids.telecoop_charge_id.month_id.line_id, self.line | self.line_free
        )
        self.assertTrue(month.invoiced)
        # a third run bills nothing more
        self._run()
        self.assertEqual(self._invoice(self.holder), bill | new)

    def test_the_holder_history_changes_by_a_change_of_holder_only(self):
        """Written by hand (RPC), an entry of the holder history gave days of an
        invoiced month, or of an open one, to another holder with nothing checked
        nor priced again: the invoice of the month and the history disagreed."""
        self._run()
        History = self.env["telecoop.mobile.line.holder"].with_user(self.billing_user)
        with self.assertRaises(UserError):
            History.create(
                {"line_id": self.line.id, "partner_id": self.holder3.id, "date_from": "2026-10-15"}
            )
        entry = self.line.holder_history_ids.with_user(self.billing_manager)
        with self.assertRaises(UserError):
            entry.partner_id = self.holder3
        with self.assertRaises(UserError):
            entry.unlink()
        # a change of holder from the next month, as the line does it, is priced
        self.line.change_holder(self.holder3, "2026-11-01")
        self.assertEqual(
            self.line.holder_history_ids.sorted("date_from").partner_id,
            self.holder | self.holder3,
        )

    def test_nobody_deletes_the_rated_usage_by_hand(self):
        """The rated usage is what rating prices the months from (and all that is left
        of a purged month): a billing administrator deleted it, and the next import
        priced the line's month without that usage, billed never."""
        self._insert_records([(self.line, "2026-10-02 08:00:00", "data", 6 * GB, "national")])
        self.env["telecoop.rated.usage"]._rate_period(self.company, "2026-10-01")
        rated = self.env["telecoop.rated.usage"].search([("line_id", "=", self.line.id)])
        self.assertEqual(rated.mapped("quantity"), [6 * GB])
        with self.assertRaises(AccessError):
            rated.with_user(self.billing_manager).unlink()

    def test_nobody_rewrites_the_host_operators_records_by_hand(self):
        """A billing administrator rewrote the quantity of a raw record (1,000 bytes
        became 5) or deleted it (its identity stays known: delivered again, it is a
        duplicate): the month rated again billed what the operator never sent."""
        record = self._sql_usage_record(self.line, "P-1", "2026-10-03 10:00", quantity=1000)
        with self.assertRaises(AccessError):
            record.with_user(self.billing_manager).write({"quantity": 5})
        with self.assertRaises(AccessError):
            record.with_user(self.billing_manager).unlink()
        self.assertEqual(record.quantity, 1000)

    def test_who_was_invoiced_for_a_month_stays(self):
        """A billing administrator cleared the invoice of a holder's run line, or
        deleted the run (its lines with it): the next run of the month invoiced the
        holder a second time, with the same charges."""
        run = self._run()
        bill = self._invoice(self.holder)
        run_line = run.run_line_ids.filtered(lambda rl: rl.partner_id == self.holder)
        with self.assertRaises(AccessError):
            run_line.with_user(self.billing_manager).write({"move_id": False})
        with self.assertRaises(UserError):
            run.with_user(self.billing_manager).unlink()
        self._run()
        self.assertEqual(self._invoice(self.holder), bill)
        # a run that invoiced nobody goes
        self.env["telecoop.billing.run"].create(
            {"company_id": self.company.id, "period": "2026-11-01"}
        ).with_user(self.billing_manager).unlink()

    def test_a_new_price_of_a_plan_prices_its_open_months_an_invoiced_one_stays(self):
        """A plan's price changed: only the months of lines an import touched after
        were priced again, so the run billed two prices of one plan; an invoiced
        month keeps the price it was invoiced at."""
        self._run()
        self.env["telecoop.rated.usage"]._rate_period(self.company, "2026-11-01")
        self.assertEqual(self._plan_charges(self.line, "2026-11-01"), [14.0])
        self.plan_step.base_fee = 16
        self.assertEqual(self._plan_charges(self.line, "2026-11-01"), [16.0])
        self.assertEqual(self._plan_charges(self.line, "2026-10-01"), [14.0])
        # 6 GB is in the band "up to 20 GB": 2.00, then 3.00 when that band's price does
        self._insert_records([(self.line, "2026-11-02 08:00:00", "data", 6 * GB, "national")])
        self.env["telecoop.rated.usage"]._rate_period(self.company, "2026-11-01")
        usage = self.env["telecoop.priced.charge"].search(
            [("line_id", "=", self.line.id), ("period", "=", "2026-11-01"), ("kind", "=", "usage")]
        )
        self.assertEqual(usage.amount_untaxed, 2.0)
        self.plan_step.tier_ids.filtered(lambda t: t.upper_units == 20).price = 3
        usage = self.env["telecoop.priced.charge"].search(
            [("line_id", "=", self.line.id), ("period", "=", "2026-11-01"), ("kind", "=", "usage")]
        )
        self.assertEqual(usage.amount_untaxed, 3.0)

    def test_a_plan_saved_with_its_bands_prices_its_open_months(self):
        """The plan's form saves the plan and its bands in one write: the months are
        priced once, after the bands are written (their own write leaves it to the
        plan), with the new fee and the new band's price."""
        self._run()
        self._insert_records([(self.line, "2026-11-02 08:00:00", "data", 6 * GB, "national")])
        self.env["telecoop.rated.usage"]._rate_period(self.company, "2026-11-01")
        band = self.plan_step.tier_ids.filtered(lambda t: t.upper_units == 20)
        self.plan_step.write({"base_fee": 15, "tier_ids": [Command.update(band.id, {"price": 3})]})
        self.assertEqual(self._plan_charges(self.line, "2026-11-01"), [15.0])
        usage = self.env["telecoop.priced.charge"].search(
            [("line_id", "=", self.line.id), ("period", "=", "2026-11-01"), ("kind", "=", "usage")]
        )
        self.assertEqual(usage.amount_untaxed, 3.0)
        # a band alone, added by its own form: priced again too (6 GB now up to 10 GB)
        self.env["telecoop.mobile.plan.tier"].create(
            {"plan_id": self.plan_step.id, "upper_units": 10, "price": 1}
        )
        usage = self.env["telecoop.priced.charge"].search(
            [("line_id", "=", self.line.id), ("period", "=", "2026-11-01"), ("kind", "=", "usage")]
        )
        self.assertEqual(usage.amount_untaxed, 1.0)
        self.assertEqual(self._plan_charges(self.line, "2026-10-01"), [14.0])

    def test_a_started_run_keeps_what_it_was_started_with(self):
        """The form hides the month of a started run; over RPC a billing
        administrator moved a done run to another month (its name and invoices said
        another month than its holders) or set it back to draft. Started again, a
        done run invoices only what is left (nothing here)."""
        self._run()
        run = (
            self.env["telecoop.billing.run"]
            .with_user(self.billing_manager)
            .create({"company_id": self.company.id, "period": "2026-10-01"})
        )
        run.action_start()
        self.assertEqual(run.state, "done")
        with self.assertRaises(UserError):
            run.period = "2026-11-01"
        with self.assertRaises(UserError):
            run.state = "draft"
        invoices = self._invoice(self.holder)
        run.action_start()
        self.assertEqual(self._invoice(self.holder), invoices)
        self.assertEqual(run.period.isoformat(), "2026-10-01")


@tagged("post_install", "-at_install")
class TestUsageRetentionWithinTheLaw(MobileBillingCommon):
    def test_usage_is_kept_one_year_at_most(self):
        """A retention of 0 months kept every called number for ever (the purge skips
        it), 24 months twice what the law allows: traffic data are kept for billing
        until the bill can no longer be contested (one year, CPCE L34-2), then
        erased (L34-1)."""
        for months in (0, -1, 13, 24):
            with self.subTest(months=months), self.assertRaises(ValidationError):
                self.company.telecoop_usage_retention_months = months
        self.company.telecoop_usage_retention_months = 12
        self.company.telecoop_usage_retention_months = 1


@tagged("post_install", "-at_install")
class TestALineOfItsCooperative(MobileBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.line = cls._create_line("33644444441", cls.plan_step)

    def test_the_plan_written_on_a_line_is_a_change_of_plan_from_today(self):
        """The line form edits the plan: written beside the plan history, it showed
        the new plan while rating billed the old one (and the daily action put the
        old one back). From today in the cooperative's time zone (Paris), whatever
        the user's: at 23:30 UTC the change is of the next day, where it is billed."""
        self.assertFalse(self.company.partner_id.tz)  # the usage of Paris, by default
        self.billing_user.tz = False  # UTC for Odoo: a day behind Paris from 23:00 UTC
        today = date(2026, 12, 2)  # 00:30 in Paris
        with freeze_time("2026-12-01 23:30:00"):
            self.line.with_user(self.billing_user).plan_id = self.plan_classic
        self.assertEqual(self.line.plan_id, self.plan_classic)
        self.assertEqual(self.line._get_plan_at(today), self.plan_classic)
        entry = self.line.plan_history_ids.sorted("date_from")[-1:]
        self.assertEqual((entry.plan_id, entry.date_from), (self.plan_classic, today))
        self.assertEqual(self.line._get_month_segments(today)[-1][2], self.plan_classic)

    def test_a_line_stays_in_its_cooperative(self):
        """Staff of two cooperatives moved a line of A to B (with a plan of B): its
        priced months, usage and invoices stayed A's while the line billed in B."""
        company_b = self.env["res.company"].create({"name": "Partner Coop B"})
        self.env.user.company_ids |= company_b
        plan_b = self.env["telecoop.mobile.plan"].create(
            {"name": "B plan", "company_id": company_b.id, "base_fee": 5}
        )
        both = self.env(
            context=dict(self.env.context, allowed_company_ids=(self.company | company_b).ids)
        )
        with self.assertRaises(UserError):
            self.line.with_env(both).write({"company_id": company_b.id, "plan_id": plan_b.id})
        self.assertEqual(self.line.company_id, self.company)

    def test_a_plan_and_a_source_in_use_stay_in_their_cooperative(self):
        """Staff of two cooperatives moved a plan that prices lines of A to B (B's
        staff then edit what A bills), or a source with imports (its files, called
        numbers in clear, went to B; its records and their identities stayed: B's
        records of the same identities were duplicates, billed never)."""
        company_b = self.env["res.company"].create({"name": "Partner Coop B"})
        self.env.user.company_ids |= company_b
        both = self.env(
            context=dict(self.env.context, allowed_company_ids=(self.company | company_b).ids)
        )
        with self.assertRaises(UserError):
            self.plan_step.with_env(both).company_id = company_b
        self.env["telecoop.usage.import"].create({"source_id": self.source.id})
        with self.assertRaises(UserError):
            self.source.with_env(both).company_id = company_b
        # unused, they may move
        self.plan_graduated.with_env(both).company_id = company_b
        unused = self.env["telecoop.usage.source"].create(
            {"name": "Unused", "company_id": self.company.id}
        )
        unused.with_env(both).company_id = company_b
