# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..services import seal


class TelecoopAssemblyCollege(models.Model):
    """The weight of a college for one assembly, copied from the statutes at convocation."""

    _name = "telecoop.assembly.college"
    _description = "College weight frozen for an assembly"
    _order = "assembly_id, sequence, id"
    _check_company_auto = True

    assembly_id = fields.Many2one(
        "telecoop.assembly", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="assembly_id.company_id", store=True, index=True)
    college_id = fields.Many2one(
        "telecoop.college", required=True, ondelete="restrict", check_company=True
    )
    sequence = fields.Integer(related="college_id.sequence")
    weight = fields.Float(string="Weight (%)", digits=(5, 2), required=True)
    voter_count = fields.Integer(compute="_compute_voter_count", string="Members")

    _college_unique = models.Constraint(
        "unique(assembly_id, college_id)", "A college appears once per assembly."
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not seal.is_sealed(self.env.context):
            raise UserError(
                self.env._("College weights are copied from the statutes at convocation.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if not seal.is_sealed(self.env.context):
            raise UserError(self.env._("College weights are frozen at convocation."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("College weights are frozen at convocation."))

    def _compute_voter_count(self):
        groups = self.env["telecoop.assembly.voter"]._read_group(
            [("assembly_id", "in", self.assembly_id.ids)],
            ["assembly_id", "college_id"],
            ["__count"],
        )
        counts = {(a.id, c.id): n for a, c, n in groups}
        for line in self:
            line.voter_count = counts.get((line.assembly_id.id, line.college_id.id), 0)
