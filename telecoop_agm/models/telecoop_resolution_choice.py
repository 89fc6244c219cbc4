# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class TelecoopResolutionChoice(models.Model):
    """One answer a member may give to a resolution (for, against, an option...)."""

    _name = "telecoop.resolution.choice"
    _description = "Choice of a resolution"
    _order = "resolution_id, sequence, id"
    _check_company_auto = True

    resolution_id = fields.Many2one(
        "telecoop.resolution", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="resolution_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    code = fields.Char(required=True, help="Technical key: for, against, abstain, option_1...")
    is_abstention = fields.Boolean(help="Counted as participation, not as an expressed vote.")

    _code_unique = models.Constraint(
        "unique(resolution_id, code)", "A choice code is unique within a resolution."
    )

    def _check_draft(self, resolutions):
        """Choices (codes, names, allocation figures) are set before the convocation."""
        if any(r.assembly_id.state != "draft" for r in resolutions):
            raise UserError(
                self.env._(
                    "Resolution %(name)s: its choices are frozen since the convocation; a "
                    "correction needs a new convocation.",
                    name=resolutions.filtered(lambda r: r.assembly_id.state != "draft")[:1].name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        choices = super().create(vals_list)
        self._check_draft(choices.resolution_id)
        return choices

    def write(self, vals):
        self._check_draft(self.resolution_id)
        result = super().write(vals)
        if "resolution_id" in vals:
            self._check_draft(self.resolution_id)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        self._check_draft(self.resolution_id)
