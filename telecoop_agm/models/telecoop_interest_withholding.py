# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class TelecoopInterestWithholding(models.Model):
    """A tax withheld on the interest on shares paid in one calendar year.

    Rates and exemptions are data of the statute profile, one line per tax and
    year: in France in 2026, the prélèvement forfaitaire non libératoire of
    12.8 % (CGI art. 117 quater; members whose reference income is below the
    threshold are exempted on their attestation) and the social levies of
    17.2 %, on members who are individuals.
    """

    _name = "telecoop.interest.withholding"
    _description = "Tax withheld on interest on shares"
    _order = "profile_id, year desc, sequence, id"
    _check_company_auto = True

    profile_id = fields.Many2one(
        "telecoop.statute.profile",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="profile_id.company_id", store=True)
    year = fields.Integer(required=True, help="Calendar year in which the interest is paid.")
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, help="e.g. Prélèvement forfaitaire non libératoire.")
    rate = fields.Float(string="Rate (%)", digits=(6, 3), required=True)
    individuals_only = fields.Boolean(
        default=True, help="Members that are companies receive their interest gross."
    )
    account_id = fields.Many2one(
        "account.account",
        string="Tax payable account",
        domain="[('company_ids', 'in', company_id)]",
        check_company=True,
        help="Credited by what is withheld when the interest is paid (French chart: 442).",
    )
    exempt_partner_ids = fields.Many2many(
        "res.partner",
        "telecoop_interest_withholding_exempt_rel",
        "withholding_id",
        "partner_id",
        string="Members exempted this year",
        help="Members exempted from this tax for this year (e.g. who filed the attestation "
        "of a reference income below the threshold).",
    )

    _name_year_unique = models.Constraint(
        "unique(profile_id, year, name)", "A tax is listed once per year on a statute profile."
    )

    @api.constrains("year", "rate")
    def _check_year_rate(self):
        for line in self:
            if not 1900 <= line.year <= 2999 or not 0 <= line.rate <= 100:
                raise ValidationError(
                    self.env._(
                        "Tax %(name)s of %(year)s: give a year and a rate between 0 and 100 %%.",
                        name=line.name,
                        year=line.year,
                    )
                )

    def _applies_to(self, partner):
        self.ensure_one()
        if self.individuals_only and partner.commercial_partner_id.is_company:
            return False
        return partner not in self.exempt_partner_ids
