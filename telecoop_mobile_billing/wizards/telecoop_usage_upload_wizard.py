# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class TelecoopUsageUploadWizard(models.TransientModel):
    """Upload a CSV or XML usage file and import it in the background."""

    _name = "telecoop.usage.upload.wizard"
    _description = "Upload a usage file"

    source_id = fields.Many2one("telecoop.usage.source", required=True)
    file = fields.Binary(required=True, attachment=False)
    file_name = fields.Char()

    def action_import(self):
        self.ensure_one()
        usage_import = self.env["telecoop.usage.import"].create(
            {"source_id": self.source_id.id, "file_name": self.file_name}
        )
        usage_import.attachment_id = self.env["ir.attachment"].create(
            {
                "name": self.file_name or usage_import.name,
                "datas": self.file,
                "res_model": usage_import._name,
                "res_id": usage_import.id,
            }
        )
        usage_import.action_start()
        return usage_import._get_form_action()
