# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class TelecoopTmoRate(models.Model):
    """The average TMO rate of one calendar year (taux moyen de rendement des obligations).

    Interest on shares is capped at the average of the TMO of the three calendar
    years before the assembly, plus the margin of the statute profile (French
    law of 10 September 1947, article 14).
    """

    _name = "telecoop.tmo.rate"
    _description = "Average TMO rate of a year"
    _order = "profile_id, year desc"
    _check_company_auto = True

    profile_id = fields.Many2one(
        "telecoop.statute.profile",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="profile_id.company_id", store=True)
    year = fields.Integer(required=True)
    rate = fields.Float(string="Rate (%)", digits=(6, 3), required=True)

    _year_unique = models.Constraint(
        "unique(profile_id, year)", "A statute profile has one TMO rate per year."
    )

    @api.constrains("year", "rate")
    def _check_year_rate(self):
        for line in self:
            if not 1900 <= line.year <= 2999 or line.rate < 0:
                raise ValidationError(
                    self.env._("TMO rate of %(year)s: give a year and a rate that is not "
                               "negative.", year=line.year)
                )  # fmt: skip
