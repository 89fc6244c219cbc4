# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The billing benchmark keeps working: run at a tiny size."""

import importlib.util
import io
import os
import tempfile

from odoo.tests import TransactionCase, tagged

_spec = importlib.util.spec_from_file_location(
    "bench_billing", os.path.join(os.path.dirname(__file__), "bench_billing.py")
)
bench_billing = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_billing)


@tagged("post_install", "-at_install")
class TestBenchBilling(TransactionCase):
    def test_bench_at_a_tiny_size(self):
        out = io.StringIO()
        with tempfile.TemporaryDirectory() as folder:
            profile = os.path.join(folder, "billing.prof")
            result = bench_billing.run(self.env, lines=12, records=300, out=out, profile=profile)
            self.assertTrue(os.path.getsize(profile))
        run = result["run"]
        # 12 lines on 12 * 2 // 3 = 8 holders (bench_common.create_usage_month): one
        # posted invoice each, every one to be sent
        moves = run.run_line_ids.move_id
        self.assertEqual(result["holders"], 8)
        self.assertEqual(len(moves), 8)
        self.assertEqual(len(moves.partner_id), 8)
        self.assertEqual(set(moves.mapped("state")), {"posted"})
        self.assertTrue(all(moves.mapped("sending_data")))
        self.assertEqual(run.state, "done")
        # every charge of the month is billed once, on its holder's invoice, to the cent
        charges = self.env["telecoop.priced.charge"].search(
            [("company_id", "=", run.company_id.id), ("period", "=", run.period)]
        )
        self.assertEqual(len(charges.line_id), 12)
        billed = moves.invoice_line_ids.filtered("telecoop_charge_id")
        self.assertEqual(billed.telecoop_charge_id, charges)
        self.assertEqual(len(billed), len(charges))
        for line in billed:
            self.assertEqual(line.move_id.partner_id, line.telecoop_charge_id.partner_id)
            self.assertAlmostEqual(line.price_subtotal, line.telecoop_charge_id.amount_untaxed)
            self.assertAlmostEqual(line.price_total, line.telecoop_charge_id.amount_total)
        self.assertAlmostEqual(
            sum(moves.mapped("amount_total")), sum(charges.mapped("amount_total"))
        )
        self.assertGreater(sum(moves.mapped("amount_total")), 0)
        # the figures printed are those measured
        text = out.getvalue()
        self.assertIn(f"rating: 300 records -> {result['rated_rows']} rated rows", text)
        self.assertIn(f"billing run: 12 lines, {len(moves)} invoices in", text)
        # beside Odoo's own batch of the same shape, in every mode
        self.assertIn(f"Odoo plain batch create + post: {len(moves)} invoices", text)
        self.assertIn("ratio to Odoo's plain batch: ", text)
        self.assertRegex(
            text, r"account\.move\.create \d+%, _post \d+% \(numbering \d+%\), the rest \d+%"
        )
