# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class TelecoopResolutionChoice(models.Model):
    """One answer a member may give to a resolution (for, against, an option...)."""

    _name = "telecoop.resolution.choice"
    _description = "Choice of a resolution"
    _order = "resolution_id, sequence, id"

    resolution_id = fields.Many2one(
        "telecoop.resolution", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    code = fields.Char(required=True, help="Technical key: for, against, abstain, option_1...")
    is_abstention = fields.Boolean(help="Counted as participation, not as an expressed vote.")

    _code_unique = models.Constraint(
        "unique(resolution_id, code)", "A choice code is unique within a resolution."
    )
