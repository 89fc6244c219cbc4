# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged

from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.telecoop_membership.tests.pdf import PdfRouteMixin
from odoo.addons.telecoop_mobile_billing.models.telecoop_priced_month import (
    _tax_included_sibling,
)
from odoo.addons.telecoop_mobile_billing.services.masking import mask_number

from . import jobs
from .common import GB, MobileBillingCommon


@tagged("post_install", "-at_install")
class TestBillingRun(MobileBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, queue_job__no_delay=True))
        cls.line_a1 = cls._create_line("33644444441", cls.plan_step)
        cls.line_a2 = cls._create_line("33644444442", cls.plan_classic, activation="2025-06-01")
        cls.line_a2.change_plan(cls.plan_step, "2026-10-11")  # October: 10 days classic
        cls.line_b = cls._create_line("33655555551", cls.plan_graduated, partner=cls.holder2)
        cls.line_old = cls._create_line(
            "33666666661", cls.plan_step, partner=cls.holder2, activation="2025-01-01"
        )
        cls.line_old.action_terminate("2026-08-31")
        cls.third = cls.env["res.partner"].create({"name": "Carol Holder"})
        cls.line_c = cls._create_line("33677777771", cls.plan_step, partner=cls.third)

    def _records(self):
        self._insert_records(
            [
                (self.line_a1, "2026-10-02 08:00:00", "data", 6 * GB, "national"),
                (
                    self.line_a1,
                    "2026-10-03 08:00:00",
                    "voice",
                    125,
                    "international",
                    "447946000123",
                ),
                (
                    self.line_a1,
                    "2026-10-04 08:00:00",
                    "voice",
                    60,
                    "premium",
                    "33899000123",
                    "2.40",
                ),
                (self.line_a2, "2026-10-20 08:00:00", "data", GB, "national"),
                (self.line_b, "2026-10-05 08:00:00", "data", 4 * GB, "national"),
            ]
        )

    def _run(self, period="2026-10-01"):
        run = self.env["telecoop.billing.run"].create(
            {"company_id": self.company.id, "period": period, "chunk_size": 1}
        )
        run.action_start()
        return run

    def _invoices(self, period="2026-10-01"):
        return self.env["account.move"].search(
            [("company_id", "=", self.company.id), ("telecoop_billing_period", "=", period)]
        )

    def test_one_posted_invoice_per_holder_with_three_headings(self):
        self._records()
        run = self._run()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.progress, 100)
        invoices = self._invoices()
        self.assertEqual(invoices.partner_id, self.holder | self.holder2 | self.third)
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        inv = invoices.filtered(lambda m: m.partner_id == self.holder)
        sections = inv.invoice_line_ids.filtered(lambda ml: ml.display_type == "line_section")
        self.assertEqual(
            sections.mapped("name"),
            [
                "Plan and options",
                "Usage beyond the plan",
                "One-off services",
                "Third-party services",
            ],
        )
        products = inv.invoice_line_ids.filtered(lambda ml: ml.display_type == "product")
        by_name = {ml.name: ml.price_subtotal for ml in products}
        # line a1: full month on the step plan; 6 GB is in the "up to 20 GB" band (+2)
        self.assertEqual(by_name["Adjustable - 06 44 44 44 41"], 14.0)
        # line a2: 10 days classic (20 EUR) then 21 days step (14 EUR) of 31
        self.assertEqual(by_name["Classic 9 GB - 06 44 44 44 42 (10 of 31 days)"], 6.45)
        self.assertEqual(by_name["Adjustable - 06 44 44 44 42 (21 of 31 days)"], 9.48)
        usage = {n: v for n, v in by_name.items() if "06 44 44 44 41:" in n}
        self.assertEqual(sorted(usage.values()), [0.9, 2.0])  # 3 started minutes, band 2
        audiotel = f"Audiotel Services - 06 44 44 44 41 ({self._money('2.40')} tax included)"
        self.assertEqual(by_name[audiotel], 2.0)
        # VAT 20 % from the products; the third-party amount is invoiced tax included
        third_party = products.filtered(lambda ml: ml.name.startswith("Audiotel"))
        self.assertEqual(third_party.price_total, 2.40)
        self.assertEqual(third_party.tax_ids.amount, 20)
        self.assertEqual(third_party.tax_ids.price_include_override, "tax_included")
        self.assertEqual(inv.amount_untaxed, 14 + 2 + 0.9 + 6.45 + 9.48 + 2.0)
        self.assertEqual((products - third_party).tax_ids, self.vat20)
        self.assertEqual(inv.amount_tax, 6.97)
        # the terminated line is not billed; holder2 pays the graduated plan only
        inv_b = invoices.filtered(lambda m: m.partner_id == self.holder2)
        self.assertNotIn("33666666661", " ".join(inv_b.invoice_line_ids.mapped("name")))
        self.assertEqual(inv_b.amount_untaxed, 8 + 3.0)

    def test_second_run_creates_nothing_new(self):
        self._records()
        self._run()
        invoices = self._invoices()
        second = self._run()
        self.assertEqual(len(second.run_line_ids), 0)
        self.assertEqual(second.state, "done")
        self.assertEqual(self._invoices(), invoices)

    def _start_queued(self, chunk_size):
        """Start a run as staff do, its jobs queued (not run in the request)."""
        run = (
            self.env["telecoop.billing.run"]
            .with_context(queue_job__no_delay=False)
            .create(
                {"company_id": self.company.id, "period": "2026-10-01", "chunk_size": chunk_size}
            )
        )
        run.action_start()
        return run

    def _run_jobs(self, run):
        return jobs.run_ready(self.env, lambda: self._jobs(run))

    def _jobs(self, run):
        return (
            self.env["queue.job"]
            .search([("model_name", "=", "telecoop.billing.run")])
            .filtered(lambda j: j.records == run)
        )

    def test_the_job_graph_invoices_every_holder_then_ends_the_run(self):
        """queue_job's own test helper performs the graph: the chunks, then the end."""
        self._records()
        with trap_jobs() as trap:
            run = self._start_queued(chunk_size=2)
            # three holders in chunks of two: two chunks, and the end waiting for them
            trap.assert_jobs_count(2, only=run._process_chunk)
            trap.assert_jobs_count(1, only=run._finish_run)
            self.assertEqual(run.state, "running")
            self.assertFalse(self._invoices())
            trap.perform_enqueued_jobs()
        invoices = self._invoices()
        self.assertEqual(len(invoices), 3)
        self.assertEqual(len(invoices.partner_id), 3)
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        self.assertEqual(run.state, "done")
        self.assertEqual((run.holder_count, run.invoiced_count, run.progress), (3, 3, 100))

    def test_chunk_whose_worker_died_is_requeued_by_the_runner_and_bills_once(self):
        """A worker is killed in the middle of the second chunk: the runner finds the job
        started but unlocked, puts it back (its own dead-job requeue, which counts a
        retry), and the run ends with each holder invoiced once."""
        self._records()
        run = self._start_queued(chunk_size=1)
        queued = self._jobs(run)
        chunks = queued.filtered(lambda j: j.method_name == "_process_chunk").sorted("id")
        self.assertEqual(len(chunks), 3)
        self.assertEqual(
            queued.filtered(lambda j: j.method_name == "_finish_run").state, "wait_dependencies"
        )
        # the first chunk runs to its end
        jobs.run(self.env, chunks[0])
        self.assertEqual(len(self._invoices()), 1)
        # the second is taken by a worker that dies: started, never done, no lock held;
        # the runner requeues jobs found started for more than ten seconds without a lock
        jobs.take(self.env, chunks[1])
        self.assertEqual(jobs.requeue_dead(self.env, chunks[1]), [chunks[1].uuid])
        self.assertEqual((chunks[1].state, chunks[1].retry), ("pending", 1))
        self.assertEqual(run.state, "running")
        # the workers go on: the requeued chunk, the third, then the end
        done = self._run_jobs(run)
        self.assertEqual(done, ["_process_chunk", "_process_chunk", "_finish_run"])
        invoices = self._invoices()
        self.assertEqual(len(invoices), 3)
        self.assertEqual(len(invoices.partner_id), 3)
        self.assertEqual(set(self._jobs(run).mapped("state")), {"done"})
        self.assertEqual(run.state, "done")
        # a resumed run (staff click Start again) bills nobody twice
        run.action_start()
        self._run_jobs(run)
        self.assertEqual(self._invoices(), invoices)

    def test_itemised_bill_masks_called_numbers(self):
        self.line_a1.itemised_bill = True
        self._records()
        self._run()
        inv = self._invoices().filtered(lambda m: m.partner_id == self.holder)
        records = inv._get_itemised_records()
        self.assertEqual(
            [r["destination"] for r in records if r["destination"]],
            ["44794600XXXX", "3389900XXXX"],
        )
        self.assertTrue(inv.telecoop_itemised_available)

    def test_mask_number(self):
        self.assertEqual(mask_number("33140000000"), "3314000XXXX")
        self.assertEqual(mask_number("123"), "XXX")
        self.assertEqual(mask_number(None), "")

    def _prepared_invoice_values(self):
        """The invoice values of each holder, as a chunk of the run prepares them."""
        run = self.env["telecoop.billing.run"].create(
            {"company_id": self.company.id, "period": "2026-10-01"}
        )
        self.env["telecoop.rated.usage"]._rate_period(self.company, run.period)
        run._prepare_run_lines()
        prefetched = run.run_line_ids._prefetch_billing_data()
        journal = run._get_journal()
        return [rl._prepare_invoice_values(journal, run, prefetched) for rl in run.run_line_ids]

    def test_prepared_untaxed_amounts_are_those_odoo_computes(self):
        """The run gives each invoice line its untaxed amount upfront (so that Odoo's
        invoice sync has nothing to rewrite): it must be the one Odoo computes and
        keeps. Plans are priced tax included here (consumer prices), so the untaxed
        amount depends on the tax, and the second holder's fiscal position exempts."""
        vat20_included = _tax_included_sibling(self.vat20)
        self.plan_step.price_tax_included = True
        self.plan_graduated.price_tax_included = True
        outside_eu = self.env["account.fiscal.position"].create(
            {"name": "Outside the EU", "company_id": self.company.id}
        )
        exempt = self.env["account.tax"].create(
            {
                "name": "Exempt (outside the EU)",
                "amount": 0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "company_id": self.company.id,
                "fiscal_position_ids": [Command.set(outside_eu.ids)],
                "original_tax_ids": [Command.set((self.vat20 | vat20_included).ids)],
            }
        )
        self.holder2.with_company(self.company).property_account_position_id = outside_eu
        self._records()
        self._insert_records(
            [(self.line_b, "2026-10-06 08:00:00", "voice", 60, "premium", "33899000124", "1.20")]
        )
        vals_list = self._prepared_invoice_values()
        prepared = [
            (command[2]["name"], command[2]["amount_currency"])
            for vals in vals_list
            for command in vals["invoice_line_ids"]
            if not command[2].get("display_type")
        ]
        # 14 tax included is 11.67 untaxed, on every line (rounded per line)
        self.assertIn(("Adjustable - 06 77 77 77 71", -11.67), prepared)
        self.assertIn(("Adjustable - 06 44 44 44 41", -11.67), prepared)
        audiotel = f"Audiotel Services - 06 44 44 44 41 ({self._money('2.40')} tax included)"
        self.assertIn((audiotel, -2.0), prepared)
        moves = self.env["account.move"].create(vals_list)
        kept = [
            (ml.name, ml.amount_currency)
            for ml in moves.invoice_line_ids
            if ml.display_type == "product"
        ]
        self.assertEqual(kept, prepared)
        inv_a = moves.filtered(lambda m: m.partner_id == self.holder)
        plan_line = inv_a.invoice_line_ids.filtered(
            lambda ml: ml.name == "Adjustable - 06 44 44 44 41"
        )
        self.assertEqual((plan_line.price_subtotal, plan_line.price_total), (11.67, 14.0))
        # outside the EU: no VAT; a tax-included price loses its VAT (8.00 -> 6.67),
        # as Odoo maps a tax-included product price through a fiscal position
        inv_b = moves.filtered(lambda m: m.partner_id == self.holder2)
        self.assertEqual(inv_b.fiscal_position_id, outside_eu)
        self.assertEqual(inv_b.invoice_line_ids.tax_ids, exempt)
        self.assertEqual((inv_b.amount_untaxed, inv_b.amount_tax), (6.67 + 2.5 + 1.0, 0.0))

    def test_billing_run_needs_rounding_per_line(self):
        """Charges are rounded alone: a company rounding taxes globally would get
        invoices a cent away from their charges, so the run refuses to start."""
        self.company.tax_calculation_rounding_method = "round_globally"
        run = self.env["telecoop.billing.run"].create(
            {"company_id": self.company.id, "period": "2026-10-01"}
        )
        with self.assertRaisesRegex(UserError, "Round per Line"):
            run.action_start()

    def test_a_month_is_billed_once_it_has_ended_in_the_company_time_zone(self):
        """A run freezes its month: usage of a month still running kept coming after
        the run and was never billed. Paris is UTC+1 in winter: at 23:30 on
        30 November in Paris (22:30 UTC) November is still running; at 00:30 on
        1 December in Paris (23:30 UTC, still 30 November in UTC) it has ended."""
        self._records()
        self.assertFalse(self.company.partner_id.tz)  # Paris, the default
        run = self.env["telecoop.billing.run"].create(
            {"company_id": self.company.id, "period": "2026-11-15"}
        )
        with (
            freeze_time("2026-11-30 22:30:00"),
            self.assertRaisesRegex(UserError, "November 2026 has not ended yet"),
        ):
            run.action_start()
        self.assertEqual(run.state, "draft")
        with freeze_time("2026-11-30 22:30:00"):
            # the form proposes the last month that has ended
            self.assertEqual(self.env["telecoop.billing.run"].new({}).period, date(2026, 10, 1))
        with freeze_time("2026-11-30 23:30:00"):
            self.assertEqual(self.env["telecoop.billing.run"].new({}).period, date(2026, 11, 1))
            run.action_start()
        self.assertEqual(run.state, "done")
        self.assertEqual(str(run.period), "2026-11-01")

    def test_billing_run_reserved_to_managers(self):
        with self.assertRaises(AccessError):
            self.env["telecoop.billing.run"].with_user(self.billing_user).create(
                {"company_id": self.company.id, "period": "2026-10-01"}
            )


class HolderInvoiceCommon(PdfRouteMixin, MobileBillingCommon, HttpCase):
    """Alice, a French holder with an itemised line, and Bob, each with a portal login."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, queue_job__no_delay=True))
        cls.line = cls._create_line("33644444441", cls.plan_step, itemised_bill=True)
        cls.plain = cls._create_line("33655555551", cls.plan_step, partner=cls.holder2)
        # Alice reads French, in Paris
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.holder.write({"lang": "fr_FR", "tz": "Europe/Paris"})
        company_args = {"company_id": cls.company.id, "company_ids": cls.company.ids}
        for login, partner in (("tc_itemised_alice", cls.holder), ("tc_itemised_bob", cls.holder2)):
            new_test_user(
                cls.env, login=login, password=login, groups="base.group_portal",
                partner_id=partner.id, **company_args,
            )  # fmt: skip


@tagged("post_install", "-at_install")
class TestItemisedBillPdf(HolderInvoiceCommon):
    """The itemised bill a holder downloads from the portal, as the PDF it is."""

    def test_holder_downloads_the_masked_itemised_bill(self):
        self._insert_records(
            [
                (self.line, "2026-10-03 08:00:00", "voice", 125, "international", "447946000123"),
                (self.plain, "2026-10-04 08:00:00", "voice", 60, "national", "33140000000"),
            ]
        )
        run = self.env["telecoop.billing.run"].create(
            {"company_id": self.company.id, "period": "2026-10-01"}
        )
        run.action_start()
        moves = run.run_line_ids.move_id
        alice = moves.filtered(lambda m: m.partner_id == self.holder)
        bob = moves.filtered(lambda m: m.partner_id == self.holder2)
        self.authenticate("tc_itemised_alice", "tc_itemised_alice")
        # a French reader's pages are under /fr (the portal redirects there)
        text = self.download_pdf(f"/fr/my/invoices/{alice.id}/itemised")
        self.assertIn("44794600XXXX", text)
        # 08:00 UTC on 3 October is 10:00 in Paris, written as French writes it
        self.assertIn("03/10/2026", text)
        self.assertIn("10:00:00", text)
        self.assertIn("2 min 05 s", text)
        self.assertNotIn("447946000123", text)
        self.assertNotIn("3314000", text)
        # Bob asked for no itemised bill: sent back to his invoices, no PDF
        self.authenticate("tc_itemised_bob", "tc_itemised_bob")
        response = self.url_open(f"/my/invoices/{bob.id}/itemised", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertTrue(response.headers["Location"].endswith("/my/invoices"), response.headers)
        # nor may he read Alice's
        response = self.url_open(f"/my/invoices/{alice.id}/itemised", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertTrue(response.headers["Location"].endswith("/my"), response.headers)
        landing = self.url_open(f"/my/invoices/{alice.id}/itemised")
        self.assertNotEqual(landing.headers.get("Content-Type"), "application/pdf")
        self.assertNotIn("44794600XXXX", landing.text)


@tagged("post_install", "-at_install")
class TestBillingSepa(MobileBillingCommon):
    """Holders with a valid SEPA mandate go to the direct debit order of the period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, queue_job__no_delay=True))
        cls.company.write(
            {"sepa_creditor_identifier": "FR78ZZZ424242", "currency_id": cls.env.ref("base.EUR").id}
        )
        bank = cls.env["res.bank"].create({"name": "Banque Coop", "bic": "CCOPFRPPXXX"})
        company_account = cls.env["res.partner.bank"].create(
            {
                "acc_number": "FR76 3000 4000 0312 3456 7890 143",
                "bank_id": bank.id,
                "partner_id": cls.company.partner_id.id,
                "company_id": cls.company.id,
            }
        )
        sdd = cls.env.ref("account_banking_sepa_direct_debit.sepa_direct_debit")
        bank_journal = cls.env["account.journal"].create(
            {
                "name": "Coop bank",
                "type": "bank",
                "code": "BCOOP",
                "company_id": cls.company.id,
                "bank_account_id": company_account.id,
                "inbound_payment_method_line_ids": [Command.create({"payment_method_id": sdd.id})],
            }
        )
        cls.payment_mode = cls.env["account.payment.mode"].create(
            {
                "name": "SEPA direct debit",
                "company_id": cls.company.id,
                "payment_method_id": sdd.id,
                "bank_account_link": "fixed",
                "fixed_journal_id": bank_journal.id,
            }
        )
        holder_account = cls.env["res.partner.bank"].create(
            {
                "acc_number": "FR76 1027 8060 3100 0205 2960 128",
                "bank_id": bank.id,
                "partner_id": cls.holder.id,
                "company_id": cls.company.id,
            }
        )
        cls.mandate = cls.env["account.banking.mandate"].create(
            {
                "format": "sepa",
                "type": "recurrent",
                "recurrent_sequence_type": "first",
                "signature_date": "2026-01-05",
                "partner_bank_id": holder_account.id,
                "company_id": cls.company.id,
                "state": "valid",
                "unique_mandate_reference": "TCMANDATE1",
            }
        )
        cls.line_a = cls._create_line("33688888881", cls.plan_step)
        cls.line_b = cls._create_line("33688888882", cls.plan_classic, partner=cls.holder2)

    def _run(self):
        run = self.env["telecoop.billing.run"].create(
            {
                "company_id": self.company.id,
                "period": "2026-10-01",
                "payment_mode_id": self.payment_mode.id,
            }
        )
        run.action_start()
        return run

    def test_mandate_holders_are_debited_the_others_pay_in_the_portal(self):
        run = self._run()
        order = run.payment_order_id
        self.assertTrue(order)
        self.assertEqual(order.payment_type, "inbound")
        self.assertEqual(order.payment_line_ids.partner_id, self.holder)
        self.assertEqual(order.payment_line_ids.mandate_id, self.mandate)
        self.assertEqual(order.payment_line_ids.amount_currency, 16.8)  # 14 EUR + 20 % VAT
        moves = run.run_line_ids.move_id
        self.assertFalse(moves.filtered(lambda m: m.partner_id == self.holder2).payment_mode_id)
        # a second run adds nothing to the debit order
        self._run()
        self.assertEqual(len(order.payment_line_ids), 1)


@tagged("post_install", "-at_install")
class TestBillingRunInvoiceForTheHolder(HolderInvoiceCommon):
    """What the holder reads of a billing run's invoice: no "Salesperson: OdooBot",
    the labels in the holder's language with the number and the data as read."""

    def _run(self):
        self._insert_records(
            [
                (self.line, "2026-10-02 08:00:00", "data", 6_540_000_000, "national"),
                (self.line, "2026-10-03 08:00:00", "voice", 125, "international", "447946000123"),
            ]
        )
        run = self.env["telecoop.billing.run"].create(
            {"company_id": self.company.id, "period": "2026-10-01"}
        )
        run.action_start()
        return run.run_line_ids.move_id.filtered(lambda m: m.partner_id == self.holder)

    def test_billing_run_invoice_has_no_odoobot_salesperson(self):
        # the run is started by OdooBot here (the superuser of the tests), as by a cron
        self.assertEqual(self.env.user, self.env.ref("base.user_root"))
        invoice = self._run()
        self.assertFalse(invoice.invoice_user_id)
        self.authenticate("tc_itemised_alice", "tc_itemised_alice")
        page = self.url_open(f"/my/invoices/{invoice.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(invoice.name, page.text)
        self.assertNotIn("OdooBot", page.text)

    def test_billing_run_invoice_salesperson_is_the_membership_officer(self):
        officer = new_test_user(
            self.env, login="tc_officer_billing", groups="base.group_user",
            company_id=self.company.id, company_ids=self.company.ids,
        )  # fmt: skip
        self.company.telecoop_statute_profile_id.membership_officer_id = officer
        self.assertEqual(self._run().invoice_user_id, officer)

    def test_invoice_labels_in_the_holders_language(self):
        labels = (
            self._run()
            .invoice_line_ids.filtered(lambda ml: ml.display_type == "product")
            .mapped("name")
        )
        # 6.54 GB in the band "up to 20 GB"; 125 s abroad: 3 started minutes
        self.assertIn("Adjustable - 06 44 44 44 41", labels)
        self.assertIn("Données, National - 06 44 44 44 41 : 6,54 Go", labels)
        self.assertNotIn("33644444441", " ".join(labels))

    def test_one_off_and_third_party_labels_in_the_readers_format(self):
        """The one-off's date and the third-party amount as each holder reads them
        (``telecoop.format``): Alice reads French, Bob English."""
        for line in (self.line, self.plain):
            self.env["telecoop.mobile.line.one.off"].create(
                {"line_id": line.id, "date": "2026-10-05", "name": "New SIM card", "amount": 10}
            )
            self._insert_records(
                [(line, "2026-10-04 08:00:00", "voice", 60, "premium", "33899000123", "1234.50")]
            )
        run = self.env["telecoop.billing.run"].create(
            {"company_id": self.company.id, "period": "2026-10-01"}
        )
        run.action_start()

        def labels(partner):
            invoice = run.run_line_ids.move_id.filtered(lambda m: m.partner_id == partner)
            return invoice.invoice_line_ids.filtered(
                lambda ml: ml.display_type == "product"
            ).mapped("name")

        # 5 October 2026: 05/10/2026 in French, 10/05/2026 in English; 1,234.50 of the
        # company's currency: 1 234,50 in French (no-break spaces), 1,234.50 in English
        french = labels(self.holder)
        self.assertIn("New SIM card - 06 44 44 44 41 (05/10/2026)", french)
        amount = self._money("1\N{NO-BREAK SPACE}234,50")
        self.assertIn(f"Audiotel Services - 06 44 44 44 41 ({amount} TTC)", french)
        english = labels(self.holder2)
        self.assertIn("New SIM card - 06 55 55 55 51 (10/05/2026)", english)
        amount = self._money("1,234.50")
        self.assertIn(f"Audiotel Services - 06 55 55 55 51 ({amount} tax included)", english)
