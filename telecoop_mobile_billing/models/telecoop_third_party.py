# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class TelecoopThirdParty(models.Model):
    """A third party billed through the operator (premium numbers, SMS+ services):
    its name on the invoice, found by the longest prefix of the number used."""

    _name = "telecoop.third.party"
    _description = "Third-party service provider"
    _order = "number_prefix"

    name = fields.Char(required=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    number_prefix = fields.Char(required=True, help="Numbers starting with this are theirs.")

    _prefix_unique = models.Constraint(
        "UNIQUE(company_id, number_prefix)", "One third party per number prefix."
    )

    @api.model_create_multi
    def create(self, vals_list):
        third_parties = super().create(vals_list)
        third_parties._price_their_months_again()
        return third_parties

    def write(self, vals):
        moved = self.company_id if "company_id" in vals else self.env["res.company"]
        result = super().write(vals)
        if {"name", "number_prefix", "company_id"} & set(vals):
            self._price_their_months_again(moved)
        return result

    def unlink(self):
        companies = self.company_id
        result = super().unlink()
        self._price_their_months_again(companies)
        return result

    def _price_their_months_again(self, companies=None):
        """The names of the third parties (their prefixes) changed: the charges of
        third-party services of the months not invoiced yet are named again, as a
        plan's new price prices them again (``telecoop.priced.month._price_again``);
        an invoiced month keeps the name it was billed with."""
        companies = (companies or self.env["res.company"]) | self.exists().company_id
        if not companies:
            return
        charges = (
            self.env["telecoop.priced.charge"]
            .sudo()
            .search(
                [
                    ("company_id", "in", companies.ids),
                    ("kind", "=", "third_party"),
                    ("month_id.invoiced", "=", False),
                ]
            )
        )
        charges.month_id._price_again()

    @api.model
    def _get_names(self, company):
        """A function number -> name of its third party (the number when unknown)."""
        prefixes = sorted(
            ((tp.number_prefix, tp.name) for tp in self.search([("company_id", "=", company.id)])),
            key=lambda item: -len(item[0]),
        )

        def name_of(number):
            for prefix, name in prefixes:
                if number and number.startswith(prefix):
                    return name
            return number or self.env._("Unknown service")

        return name_of
