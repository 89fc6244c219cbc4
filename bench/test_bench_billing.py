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
        self.assertEqual(result["rated_rows"] > 0, True)
        self.assertEqual(result["invoices"], result["holders"])
        self.assertEqual(result["state"], "done")
        text = out.getvalue()
        self.assertIn("records/s", text)
        self.assertIn("invoices/s", text)
        self.assertIn("peak memory", text)
