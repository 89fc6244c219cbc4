# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class TelecoopMobileLine(models.Model):
    """Usage records refer to their line without a foreign key (bulk speed):
    the restriction on deleting a line with usage is kept here."""

    _inherit = "telecoop.mobile.line"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_usage_records(self):
        if not self.ids:
            return
        self.env["telecoop.usage.record"].flush_model(["line_id"])
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM telecoop_usage_record WHERE line_id IN %s LIMIT 1",
                tuple(self.ids),
            )
        )
        if self.env.cr.fetchone():
            raise UserError(
                self.env._("A line with usage records cannot be deleted: terminate it instead.")
            )
