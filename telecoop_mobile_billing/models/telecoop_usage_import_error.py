# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class TelecoopUsageImportError(models.Model):
    """A rejected record of an import: where it is, which field, why."""

    _name = "telecoop.usage.import.error"
    _description = "Rejected usage record"
    _order = "import_id, id"

    import_id = fields.Many2one(
        "telecoop.usage.import", required=True, ondelete="cascade", index=True
    )
    position = fields.Char(
        required=True, help="Line number (CSV), record position (XML) or cursor (HTTP)."
    )
    record_id = fields.Char(string="Record identity")
    field = fields.Char(required=True)
    reason = fields.Char(required=True)
