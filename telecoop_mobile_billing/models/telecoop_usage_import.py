# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class TelecoopUsageImport(models.Model):
    """One import of usage records: a file or an HTTP pull, with its log."""

    _name = "telecoop.usage.import"
    _description = "Usage import"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(required=True, default="/", copy=False)
    source_id = fields.Many2one("telecoop.usage.source", required=True, ondelete="restrict")
    company_id = fields.Many2one(related="source_id.company_id", store=True, index=True)
    kind = fields.Selection(related="source_id.kind")
    file_name = fields.Char()
    attachment_id = fields.Many2one("ir.attachment", ondelete="set null", copy=False)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("queued", "Queued"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    count_read = fields.Integer(string="Read", readonly=True, copy=False)
    count_new = fields.Integer(string="New", readonly=True, copy=False)
    count_duplicate = fields.Integer(string="Duplicates", readonly=True, copy=False)
    count_rejected = fields.Integer(string="Rejected", readonly=True, copy=False)
    count_unmatched = fields.Integer(string="Unmatched", readonly=True, copy=False)
    error_ids = fields.One2many("telecoop.usage.import.error", "import_id", readonly=True)
