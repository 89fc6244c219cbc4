# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The sizes of the usage import and of the rating read their system parameters
through the one reader (``ir.config_parameter._get_positive_int``)."""

from odoo.tests import TransactionCase, tagged

from ..models.telecoop_usage_import import BATCH_SIZE, JOB_BATCHES


@tagged("post_install", "-at_install")
class TestSizeParameters(TransactionCase):
    def test_bad_values_keep_the_defaults(self):
        params = self.env["ir.config_parameter"]
        imports = self.env["telecoop.usage.import"]
        rated = self.env["telecoop.rated.usage"]
        for value in ("fifty", "0", "-10", "2.5"):
            with self.subTest(value=value):
                params.set_param("telecoop_mobile_billing.usage_import_batch_size", value)
                params.set_param("telecoop_mobile_billing.usage_import_job_batches", value)
                params.set_param("telecoop_mobile_billing.rating_reprice_chunk", value)
                self.assertEqual(imports._get_size_param("batch_size", BATCH_SIZE), 50_000)
                self.assertEqual(imports._get_size_param("job_batches", JOB_BATCHES), 4)
                self.assertEqual(rated._get_reprice_chunk(), 5000)

    def test_positive_values_are_read(self):
        params = self.env["ir.config_parameter"]
        params.set_param("telecoop_mobile_billing.usage_import_batch_size", "1000")
        params.set_param("telecoop_mobile_billing.rating_reprice_chunk", "2")
        self.assertEqual(
            self.env["telecoop.usage.import"]._get_size_param("batch_size", BATCH_SIZE), 1000
        )
        self.assertEqual(self.env["telecoop.rated.usage"]._get_reprice_chunk(), 2)
