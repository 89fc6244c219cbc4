# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo.tests import HttpCase, tagged

from .test_usage_import import csv_file


@tagged("post_install", "-at_install")
class TestUsageImportProgress(HttpCase):
    def test_the_import_form_follows_the_job_without_a_reload(self):
        source = self.env["telecoop.usage.source"].create({"name": "Progress host"})
        usage_import = self.env["telecoop.usage.import"].create(
            {"source_id": source.id, "file_name": "progress.csv"}
        )
        usage_import.attachment_id = self.env["ir.attachment"].create(
            {
                "name": "progress.csv",
                "datas": base64.b64encode(
                    csv_file(
                        "G1,33699999991,2026-10-01T08:00:00+02:00,sms,1,national,,",
                        "G2,33699999992,2026-10-01T08:00:00+02:00,sms,1,national,,",
                    )
                ),
                "res_model": usage_import._name,
                "res_id": usage_import.id,
            }
        )
        # as after a click on Start: queued, the job not run yet
        usage_import.write({"state": "queued", "kind": "csv"})
        self.start_tour(
            f"/odoo/action-telecoop_mobile_billing.telecoop_usage_import_action/{usage_import.id}",
            "telecoop_usage_import_progress_tour",
            login="admin",
        )
        self.assertEqual((usage_import.state, usage_import.count_new), ("done", 2))
