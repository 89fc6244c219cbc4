# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The register benchmark keeps working: run at a tiny size."""

import importlib.util
import io
import os

from odoo.tests import TransactionCase, tagged

_spec = importlib.util.spec_from_file_location(
    "bench_membership", os.path.join(os.path.dirname(__file__), "bench_membership.py")
)
bench_membership = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_membership)


@tagged("post_install", "-at_install")
class TestBenchMembership(TransactionCase):
    def test_bench_at_a_tiny_size(self):
        out = io.StringIO()
        result = bench_membership.run(self.env, members=30, movements=3, out=out)
        self.assertEqual(result["members"], 30)
        # a header and a row per member
        self.assertEqual(result["csv_lines"], 31)
        # The capital is the sum of the shares at their nominal value.
        self.assertEqual(
            self.env.company.currency_id.compare_amounts(result["capital"], result["shares"] * 100),
            0,
        )
        # every step is timed, and what is printed is what was measured
        self.assertEqual(len(result["timings"]), 7)  # three registers, capital, CSV, XLSX, checks
        self.assertTrue(all(seconds > 0 for seconds in result["timings"].values()))
        text = out.getvalue()
        self.assertIn(f"30 members, 90 movements; register of {result['members']} members", text)
        self.assertIn(f"capital {result['capital']:.2f}", text)
        for name, seconds in result["timings"].items():
            self.assertIn(f"{name}: {seconds:.3f} s", text)
