# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The register import benchmark keeps working: run at a tiny size."""

import importlib.util
import io
import os

from odoo.tests import TransactionCase, tagged

_spec = importlib.util.spec_from_file_location(
    "bench_register_import", os.path.join(os.path.dirname(__file__), "bench_register_import.py")
)
bench_register_import = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_register_import)


@tagged("post_install", "-at_install")
class TestBenchRegisterImport(TransactionCase):
    def test_bench_at_a_tiny_size(self):
        out = io.StringIO()
        result = bench_register_import.run(self.env, members=40, movements=160, out=out)
        self.assertEqual(result["members"], 40)
        self.assertEqual(result["movements"], 160)
        # the opening entry books the capital of the register, once
        self.assertEqual(result["opening"], result["capital"])
        self.assertIn("limit 120 s", out.getvalue())
