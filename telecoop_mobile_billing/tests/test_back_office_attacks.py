# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Attacks on the back office of billing: what staff can do through the form or
RPC (``/web/dataset/call_kw`` calls the same public methods and ``write``)."""

import base64

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import GB, MobileBillingCommon
from .test_usage_import import csv_file


@tagged("post_install", "-at_install")
class TestUsageImportBookkeeping(MobileBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.line = cls._create_line("33611111111", cls.plan_classic)

    def _upload(self, user, source, content):
        wizard = (
            self.env["telecoop.usage.upload.wizard"]
            .with_user(user)
            .with_context(queue_job__no_delay=True)
            .create(
                {
                    "source_id": source.id,
                    "file": base64.b64encode(content),
                    "file_name": "usage.csv",
                }
            )
        )
        return self.env["telecoop.usage.import"].browse(wizard.action_import()["res_id"])

    def _rated_bytes(self):
        rated = self.env["telecoop.rated.usage"].search([("line_id", "=", self.line.id)])
        return sum(rated.mapped("quantity"))

    def test_a_billing_user_cannot_rewind_what_an_import_rated(self):
        """The importer's bookkeeping (what it rated) is its own: a billing user who
        rewound it over RPC and resumed the import had its records counted twice."""
        usage_import = self._upload(
            self.billing_user,
            self.source,
            csv_file("B1,33611111111,2026-10-01T08:00:00+02:00,data,2000000000,national,,"),
        )
        self.assertEqual(usage_import.state, "done")
        self.assertEqual(self._rated_bytes(), 2 * GB)
        mine = usage_import.with_user(self.billing_user).with_context(queue_job__no_delay=True)
        with self.assertRaises(AccessError):
            mine.write(
                {
                    "state": "failed",
                    "rated_until_id": 0,
                    "rerate_todo": {"2026-10-01": [self.line.id]},
                }
            )
        mine.action_resume()
        self.assertEqual(self._rated_bytes(), 2 * GB)
        with self.assertRaises(AccessError):
            self.env["telecoop.usage.import"].with_user(self.billing_user).create(
                {"source_id": self.source.id, "state": "done", "count_new": 1}
            )
        # what a user may change before the start, the name of the file, stays hers
        draft = (
            self.env["telecoop.usage.import"]
            .with_user(self.billing_user)
            .create({"source_id": self.source.id})
        )
        draft.file_name = "late.csv"
        with self.assertRaises(UserError):
            mine.write({"source_id": self.env["telecoop.usage.source"].create(
                {"name": "Other", "company_id": self.company.id}
            ).id})  # fmt: skip

    def test_an_import_reads_no_file_but_its_own(self):
        """The importer reads its file in superuser mode: an import created with the
        file of an import of company B imported B's records (called numbers in
        clear) into company A, where A's staff read them as unmatched usage."""
        company_b = self.env["res.company"].create({"name": "Partner Coop B"})
        self.env.user.company_ids |= company_b
        source_b = self.env["telecoop.usage.source"].create(
            {"name": "B operator", "company_id": company_b.id}
        )
        import_b = self.env["telecoop.usage.import"].create({"source_id": source_b.id})
        file_b = self.env["ir.attachment"].create(
            {
                "name": "b.csv",
                "raw": csv_file("X1,33699999999,2026-10-01T08:00:00+02:00,sms,1,national,,"),
                "res_model": "telecoop.usage.import",
                "res_id": import_b.id,
            }
        )
        import_b.attachment_id = file_b
        Import = self.env["telecoop.usage.import"].with_user(self.billing_user)
        with self.assertRaises(AccessError):
            Import.create({"source_id": self.source.id, "attachment_id": file_b.id})
        mine = Import.create({"source_id": self.source.id})
        with self.assertRaises(AccessError):
            mine.attachment_id = file_b.id
        # the file of another import of her company: read by that import only
        done = self._upload(
            self.billing_user,
            self.source,
            csv_file("B2,33611111111,2026-10-01T08:00:00+02:00,sms,1,national,,"),
        )
        with self.assertRaises(ValidationError):
            Import.create({"source_id": self.source.id, "attachment_id": done.attachment_id.id})
        # a file of nobody's, uploaded by somebody else, is not hers to import either
        other = new_test_user(
            self.env,
            login="tc_other_billing_user",
            groups="base.group_user,telecoop_mobile_billing.telecoop_mobile_billing_group_user",
            company_id=self.company.id,
            company_ids=self.company.ids,
        )
        loose = (
            self.env["ir.attachment"]
            .with_user(other)
            .create({"name": "loose.csv", "raw": b"record_id\n"})
        )
        with self.assertRaises(AccessError):
            mine.attachment_id = loose.id
