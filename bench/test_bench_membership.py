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
        text = out.getvalue()
        self.assertIn("register at 2026-12-31", text)
        self.assertIn("peak memory", text)
