# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The usage import benchmark keeps working: run at a tiny size (rolled back)."""

import importlib.util
import io
import os

from odoo.tests import TransactionCase, tagged

_spec = importlib.util.spec_from_file_location(
    "bench_usage_import", os.path.join(os.path.dirname(__file__), "bench_usage_import.py")
)
bench_usage_import = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_usage_import)


@tagged("post_install", "-at_install")
class TestBenchUsageImport(TransactionCase):
    def test_bench_at_a_tiny_size(self):
        out = io.StringIO()
        result = bench_usage_import.run(self.env, lines=20, records=500, out=out)
        self.assertEqual(result["records"], 500)
        self.assertEqual(result["read"], 500)
        self.assertEqual(result["new"] + result["duplicates"] + result["rejected"], result["read"])
        # the importer and plain SQL agree on what is new
        self.assertEqual(result["new"], result["reference_inserted"])
        self.assertGreater(result["rated_rows"], 0)
        # the figures printed are the ones measured
        self.assertGreater(result["reference_s"], 0)
        self.assertGreater(result["import_s"] + result["rating_s"], 0)
        text = out.getvalue()
        self.assertIn(
            f"{result['read']} read, {result['new']} new, {result['duplicates']} duplicates, "
            f"{result['rejected']} rejected",
            text,
        )
        self.assertIn(f"({result['reference_inserted']} rows", text)
        self.assertIn(f"ratio importer / reference: {result['ratio']:.2f} (target 1.3)", text)

    def test_bench_xml_at_a_tiny_size(self):
        out = io.StringIO()
        result = bench_usage_import.run(self.env, lines=10, records=200, out=out, kind="xml")
        self.assertEqual(result["read"], 200)
        self.assertEqual(result["new"], result["reference_inserted"])
        self.assertIn("200 records in an XML file", out.getvalue())

    def test_bench_daily_files_at_a_tiny_size(self):
        out = io.StringIO()
        result = bench_usage_import.run(
            self.env, lines=10, out=out, kind="daily", days=3, day_records=50
        )
        self.assertEqual(result["days"], 3)
        self.assertAlmostEqual(result["ratio"], result["last_s"] / result["first_s"])
        self.assertIn(
            f"3 files of 50 records: cost of a file on day 3 / day 1: {result['ratio']:.2f}",
            out.getvalue(),
        )
