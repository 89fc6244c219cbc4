# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare


class TelecoopCollege(models.Model):
    """A college of voters (SCIC): users, employees, founders, partners..."""

    _name = "telecoop.college"
    _description = "College of members"
    _check_company_auto = True
    _order = "profile_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short technical code, e.g. users.")
    sequence = fields.Integer(default=10)
    profile_id = fields.Many2one(
        "telecoop.statute.profile",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="profile_id.company_id", store=True, index=True)
    vote_weight = fields.Float(
        string="Vote weight (%)",
        digits=(5, 2),
        required=True,
        help="Share of the result of a vote held by this college.",
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _code_unique = models.Constraint(
        "unique(profile_id, code)", "A college code is unique within a statute profile."
    )

    @api.constrains("vote_weight", "profile_id")
    def _check_vote_weight(self):
        for college in self:
            profile = college.profile_id
            low, high = profile.college_weight_min, profile.college_weight_max
            if (
                float_compare(college.vote_weight, low, precision_digits=2) < 0
                or float_compare(college.vote_weight, high, precision_digits=2) > 0
            ):
                raise ValidationError(
                    self.env._(
                        "College %(college)s: its weight %(weight)s %% is outside the "
                        "%(low)s-%(high)s %% that the statutes of %(profile)s allow.",
                        college=college.name,
                        weight=college.vote_weight,
                        low=low,
                        high=high,
                        profile=profile.name,
                    )
                )
