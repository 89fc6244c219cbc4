# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

MAJORITIES = [
    ("simple", "Simple majority"),
    ("two_thirds", "Two thirds"),
    ("three_quarters", "Three quarters"),
]


class TelecoopAssemblyRule(models.Model):
    """Quorum and majority of one type of assembly at one call."""

    _name = "telecoop.assembly.rule"
    _description = "Assembly quorum and majority rule"
    _check_company_auto = True
    _order = "profile_id, assembly_type, call"

    profile_id = fields.Many2one(
        "telecoop.statute.profile",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="profile_id.company_id", store=True, index=True)
    assembly_type = fields.Selection(
        [("ordinary", "Ordinary"), ("extraordinary", "Extraordinary")], required=True
    )
    call = fields.Selection([("first", "First call"), ("second", "Second call")], required=True)
    quorum_percent = fields.Float(
        string="Quorum (% of the electorate)",
        digits=(5, 2),
        help="Members present, represented or voting online, as a share of the electorate. "
        "0 means no quorum.",
    )
    majority = fields.Selection(MAJORITIES, required=True, default="simple")

    _rule_unique = models.Constraint(
        "unique(profile_id, assembly_type, call)",
        "One rule per type of assembly and call in a statute profile.",
    )

    @api.constrains("quorum_percent")
    def _check_quorum_percent(self):
        for rule in self:
            if not 0 <= rule.quorum_percent <= 100:
                raise ValidationError(self.env._("A quorum is a percentage between 0 and 100."))
