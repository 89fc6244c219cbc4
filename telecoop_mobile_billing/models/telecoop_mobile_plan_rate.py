# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .telecoop_usage_record import USAGE_TYPES, ZONES


class TelecoopMobilePlanRate(models.Model):
    """Per-unit price of a usage type in a zone (what the tiers do not price)."""

    _name = "telecoop.mobile.plan.rate"
    _inherit = ["telecoop.mobile.plan.part"]
    _description = "Per-unit rate of a mobile plan"
    _check_company_auto = True
    _order = "plan_id, usage_type, zone, id"

    plan_id = fields.Many2one(
        "telecoop.mobile.plan", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    usage_type = fields.Selection(USAGE_TYPES, required=True)
    zone = fields.Selection(ZONES, required=True)
    included = fields.Boolean(help="Included in the plan: not charged.")
    price = fields.Float(string="Price per unit", digits="Product Price")
    unit = fields.Integer(
        default=1,
        required=True,
        help="Raw quantity in one billed unit: 60 for a price per minute of voice, "
        "1 for a price per SMS, 1,000,000 for a price per MB.",
    )
    rounding = fields.Selection(
        [("started", "Per started unit"), ("prorata", "Prorata")],
        required=True,
        default="started",
    )

    _plan_type_zone_unique = models.Constraint(
        "UNIQUE(plan_id, usage_type, zone)", "One rate per usage type and zone in a plan."
    )
    _unit_positive = models.Constraint(
        "CHECK(unit > 0 AND price >= 0)", "The unit must be positive and the price not negative."
    )
