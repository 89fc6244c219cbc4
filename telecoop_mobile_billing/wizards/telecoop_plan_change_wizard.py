# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class TelecoopPlanChangeWizard(models.TransientModel):
    """Move lines to another plan from a date; the month of change is prorated."""

    _name = "telecoop.plan.change.wizard"
    _description = "Change the plan of mobile lines"

    line_ids = fields.Many2many("telecoop.mobile.line", string="Lines", required=True)
    plan_id = fields.Many2one("telecoop.mobile.plan", string="New plan", required=True)
    date = fields.Date(string="From", required=True, default=fields.Date.context_today)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "telecoop.mobile.line":
            values["line_ids"] = [fields.Command.set(self.env.context.get("active_ids", []))]
        return values

    def action_confirm(self):
        self.ensure_one()
        if (
            self.plan_id.company_id not in self.line_ids.company_id
            or len(self.line_ids.company_id) > 1
        ):
            raise UserError(self.env._("The new plan must belong to the company of the lines."))
        self.line_ids.change_plan(self.plan_id, self.date)
        return {"type": "ir.actions.act_window_close"}
