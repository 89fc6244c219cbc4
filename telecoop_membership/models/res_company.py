# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    telecoop_statute_profile_ids = fields.One2many("telecoop.statute.profile", "company_id")
    telecoop_statute_profile_id = fields.Many2one(
        "telecoop.statute.profile",
        string="Statute profile",
        compute="_compute_telecoop_statute_profile_id",
    )

    def _compute_telecoop_statute_profile_id(self):
        for company in self:
            company.telecoop_statute_profile_id = company.telecoop_statute_profile_ids[:1]
