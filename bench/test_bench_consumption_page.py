# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The consumption page benchmark keeps working: run at a tiny size."""

import importlib.util
import io
import os

from odoo.tests import TransactionCase, tagged

_spec = importlib.util.spec_from_file_location(
    "bench_consumption_page", os.path.join(os.path.dirname(__file__), "bench_consumption_page.py")
)
bench_page = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_page)


@tagged("post_install", "-at_install")
class TestBenchConsumptionPage(TransactionCase):
    def test_bench_at_a_tiny_size(self):
        out = io.StringIO()
        result = bench_page.run(self.env, lines=12, records=600, repeat=2, out=out)
        values = result["values"]
        self.assertGreater(values["current"]["data"], 0)
        self.assertGreater(values["current"]["amount_untaxed"], 0)
        self.assertEqual(values["sobriety"]["count"], 12)
        self.assertIsNotNone(values["sobriety"]["median"])
        self.assertGreater(result["alerts"], 0)
        self.assertRegex(out.getvalue(), r"consumption page data: median \d+(\.\d+)? ms")
