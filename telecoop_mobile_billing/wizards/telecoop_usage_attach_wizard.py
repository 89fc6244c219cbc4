# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class TelecoopUsageAttachWizard(models.TransientModel):
    """Attach unmatched usage records to a line; their periods are rated again."""

    _name = "telecoop.usage.attach.wizard"
    _description = "Attach usage records to a line"

    # the ids as text: a stored many2many would put a foreign key on the
    # (big) record table, checked on each purge
    record_ids_text = fields.Char(default=lambda self: self._default_record_ids_text())
    record_ids = fields.Many2many("telecoop.usage.record", compute="_compute_record_ids")
    record_count = fields.Integer(compute="_compute_record_ids")
    line_id = fields.Many2one(
        "telecoop.mobile.line", required=True, default=lambda self: self._default_line_id()
    )

    @api.model
    def _default_record_ids_text(self):
        return ",".join(str(record_id) for record_id in self._default_record_ids())

    @api.model
    def _default_record_ids(self):
        if self.env.context.get("active_model") != "telecoop.usage.record":
            return []
        records = self.env["telecoop.usage.record"].browse(self.env.context.get("active_ids"))
        return records.filtered(lambda r: not r.line_id).ids

    @api.model
    def _default_line_id(self):
        records = self.env["telecoop.usage.record"].browse(self._default_record_ids())
        numbers = set(records.mapped("msisdn"))
        if len(numbers) != 1:
            return False
        return self.env["telecoop.mobile.line"].search(
            [("msisdn", "=", numbers.pop()), ("company_id", "in", records.company_id.ids)],
            order="activation_date desc",
            limit=1,
        )

    @api.depends("record_ids_text")
    def _compute_record_ids(self):
        for wizard in self:
            ids = [int(i) for i in (wizard.record_ids_text or "").split(",") if i.isdigit()]
            wizard.record_ids = self.env["telecoop.usage.record"].browse(ids).exists()
            wizard.record_count = len(wizard.record_ids)

    def action_attach(self):
        self.ensure_one()
        self.record_ids._attach_to_line(self.line_id)
        return {"type": "ir.actions.act_window_close"}
