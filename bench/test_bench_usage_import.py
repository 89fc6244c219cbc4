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
        text = out.getvalue()
        for figure in ("records/s", "reference, plain SQL", "peak memory", "ratio"):
            self.assertIn(figure, text)

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
        self.assertIn("cost of a file on day 3 / day 1", out.getvalue())
