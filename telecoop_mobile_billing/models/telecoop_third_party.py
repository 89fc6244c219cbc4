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
