# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The billing benchmark keeps working: run at a tiny size."""

import importlib.util
import io
import os

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
        result = bench_billing.run(self.env, lines=12, records=300, out=out)
        # 12 lines on 12 * 2 // 3 = 8 holders (bench_common.create_usage_month): one
        # posted invoice each
        self.assertEqual(result["holders"], 8)
        self.assertEqual(result["invoices"], 8)
        self.assertEqual(result["state"], "done")
        self.assertGreater(result["rated_rows"], 0)
        # the figures printed are those measured
        text = out.getvalue()
        self.assertIn(f"rating: 300 records -> {result['rated_rows']} rated rows", text)
        self.assertIn("billing run: 12 lines, 8 invoices in", text)
