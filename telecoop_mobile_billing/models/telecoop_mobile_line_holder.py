# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class TelecoopMobileLineHolder(models.Model):
    """The holder of a line from a date: who is billed, and who sees which days."""

    _name = "telecoop.mobile.line.holder"
    _description = "Holder of a mobile line from a date"
    _order = "line_id, date_from, id"
    _check_company_auto = True

    line_id = fields.Many2one(
        "telecoop.mobile.line", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="line_id.company_id", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Holder", required=True, index=True, check_company=True
    )
    date_from = fields.Date(string="From", required=True)

    _line_date_unique = models.Constraint(
        "UNIQUE(line_id, date_from)", "A line changes holder at most once a day."
    )

    # the history is written by the line (its creation, a change of holder: dated,
    # checked against the invoiced months, priced again, the share link reset), in
    # superuser mode; by hand (the form, RPC) an entry moved days of a month, an
    # invoiced one too, to another holder with nothing priced again
    def _check_written_by_the_line(self):
        if not self.env.su:
            raise UserError(
                self.env._(
                    "The holder history of a line changes by a change of holder of the line, "
                    "not by hand."
                )
            )

    # (the access rights and company rules answer first: AccessError before this)
    @api.model_create_multi
    def create(self, vals_list):
        entries = super().create(vals_list)
        self._check_written_by_the_line()
        return entries

    def write(self, vals):
        self.check_access("write")
        self._check_written_by_the_line()
        return super().write(vals)

    def unlink(self):
        self.check_access("unlink")
        self._check_written_by_the_line()
        return super().unlink()
