# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class TelecoopMobilePlanTier(models.Model):
    """A band of the month's data volume and its price."""

    _name = "telecoop.mobile.plan.tier"
    _inherit = ["telecoop.mobile.plan.part"]
    _description = "Data tier of a mobile plan"
    _check_company_auto = True
    _order = "plan_id, upper_units, id"

    plan_id = fields.Many2one(
        "telecoop.mobile.plan", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    upper_units = fields.Float(
        string="Up to (units)",
        digits=(16, 3),
        help="Upper bound of the band in data units, inclusive: exactly 5 GB is in the "
        "band 'up to 5'. 0: no upper bound.",
    )
    price = fields.Monetary(
        help="Step plans: the data charge of the whole month when the volume falls in "
        "this band. Graduated plans: the price of each unit within this band.",
    )

    _upper_positive = models.Constraint(
        "CHECK(upper_units >= 0 AND price >= 0)", "Bounds and prices cannot be negative."
    )
