# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The assembly tally benchmark keeps working: run at a tiny size."""

import importlib.util
import io
import os

from odoo.tests import TransactionCase, tagged

_spec = importlib.util.spec_from_file_location(
    "bench_agm_tally", os.path.join(os.path.dirname(__file__), "bench_agm_tally.py")
)
bench_agm_tally = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_agm_tally)


@tagged("post_install", "-at_install")
class TestBenchAgmTally(TransactionCase):
    def test_bench_at_a_tiny_size(self):
        out = io.StringIO()
        result = bench_agm_tally.run(self.env, members=60, resolutions=2, revotes=0.5, out=out)
        self.assertEqual(result["electorate"], 60)
        # one ballot each, and a second one for about half of them
        self.assertGreater(result["ballots"], 120)
        # a member counts once whatever the number of ballots
        self.assertEqual(result["counted"], [60, 60])
        # the figures printed are those counted
        text = out.getvalue()
        self.assertIn("electorate of 60 members frozen", text)
        self.assertIn(f"{result['ballots']} ballots in the box", text)
        self.assertEqual(text.count(", counted 60, "), 2)
