# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..services import pricing
from .telecoop_mobile_plan_part import REPRICE_AFTER_PLAN

#: what a plan prices a month with (its tiers and rates price too, see their models)
PRICING_FIELDS = frozenset(
    {
        "base_fee",
        "price_tax_included",
        "tier_type",
        "data_unit",
        "rounding",
        "included_units",
        "overage_price",
        "cap",
        "product_id",
        "usage_product_id",
    }
)


class TelecoopMobilePlan(models.Model):
    """A mobile plan: monthly base fee, what is included, how usage is priced."""

    _name = "telecoop.mobile.plan"
    _description = "Mobile plan"
    _check_company_auto = True
    _inherit = ["mail.thread"]
    _order = "company_id, sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    base_fee = fields.Monetary(string="Monthly base fee", tracking=True)
    price_tax_included = fields.Boolean(
        string="Prices tax included",
        tracking=True,
        help="The base fee and the usage prices of the plan are entered tax included, as "
        "published to consumers (14.00 is 14.00 on a consumer's invoice, VAT inside).",
    )
    tier_type = fields.Selection(
        [
            ("step", "Step (volume): the band sets the price of the whole volume"),
            ("graduated", "Graduated: each band priced on its own part"),
            ("included", "Included allowance, then a price per unit"),
        ],
        string="Data pricing",
        required=True,
        default="step",
        tracking=True,
    )
    data_unit = fields.Integer(
        string="Data unit (bytes)",
        required=True,
        default=pricing.DATA_UNIT,
        help="Bytes in one billed data unit: 1 GB = 1,000,000,000 bytes.",
    )
    rounding = fields.Selection(
        [
            ("started", "Per started unit"),
            ("prorata", "Prorata to the byte, rounded to the cent"),
        ],
        string="Data rounding",
        required=True,
        default="started",
        tracking=True,
    )
    included_units = fields.Float(string="Included data (units)", digits=(16, 3), tracking=True)
    overage_price = fields.Monetary(string="Price per extra unit", tracking=True)
    tier_ids = fields.One2many(
        "telecoop.mobile.plan.tier", "plan_id", string="Data tiers", copy=True
    )
    rate_ids = fields.One2many("telecoop.mobile.plan.rate", "plan_id", string="Rates", copy=True)
    cap = fields.Monetary(
        string="Monthly cap",
        tracking=True,
        help="Most that the usage of a month costs on top of the base fee; 0: no cap.",
    )
    product_id = fields.Many2one(
        "product.product",
        string="Plan product",
        default=lambda self: self.env.ref(
            "telecoop_mobile_billing.product_mobile_plan", raise_if_not_found=False
        ),
        help="Product (and so taxes and income account) of the base fee on invoices.",
        check_company=True,
    )
    usage_product_id = fields.Many2one(
        "product.product",
        string="Usage product",
        default=lambda self: self.env.ref(
            "telecoop_mobile_billing.product_mobile_usage", raise_if_not_found=False
        ),
        check_company=True,
    )
    line_ids = fields.One2many("telecoop.mobile.line", "plan_id", string="Lines")
    line_count = fields.Integer(compute="_compute_line_count")

    _data_unit_positive = models.Constraint(
        "CHECK(data_unit > 0)", "The data unit must be a positive number of bytes."
    )
    _amounts_positive = models.Constraint(
        "CHECK(base_fee >= 0 AND overage_price >= 0 AND cap >= 0 AND included_units >= 0)",
        "Fees, prices, allowance and cap cannot be negative.",
    )

    @api.depends("line_ids")
    def _compute_line_count(self):
        counts = dict(
            self.env["telecoop.mobile.line"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.line_count = counts.get(plan, 0)

    def write(self, vals):
        if "company_id" in vals:
            moved = self.filtered(lambda plan: plan.company_id.id != vals["company_id"])
            if moved and self.env["telecoop.mobile.line.plan"].sudo().search_count(
                [("plan_id", "in", moved.ids)], limit=1
            ):
                # its lines would be priced by another cooperative's plan, which
                # that cooperative's staff edit
                raise UserError(
                    self.env._(
                        "Plan %(name)s prices lines: it stays in its cooperative.",
                        name=moved[0].name,
                    )
                )
        # its bands and rates written with it (its form) price the months once, here
        result = super(TelecoopMobilePlan, self.with_context(**{REPRICE_AFTER_PLAN: True})).write(
            vals
        )
        if PRICING_FIELDS & set(vals) or {"tier_ids", "rate_ids"} & set(vals):
            self._reprice_open_months()
        return result

    def _reprice_open_months(self):
        """The prices of the plans changed: the months of their lines not invoiced
        yet are priced again (``telecoop.priced.month._price_again``)."""
        lines = (
            self.env["telecoop.mobile.line.plan"].sudo().search([("plan_id", "in", self.ids)])
        ).line_id
        if not lines:
            return
        self.env["telecoop.priced.month"].sudo().search(
            [("line_id", "in", lines.ids), ("invoiced", "=", False)]
        )._price_again()

    def _get_pricing(self):
        """The plan as the pure-Python pricing service sees it."""
        self.ensure_one()
        dec = pricing.to_decimal
        return pricing.PlanPricing(
            base_fee=dec(str(self.base_fee)),
            tier_type=self.tier_type,
            tiers=tuple(
                pricing.Tier(dec(str(t.upper_units)) if t.upper_units else None, dec(str(t.price)))
                for t in self.tier_ids.sorted(lambda t: (t.upper_units or float("inf"), t.id))
            ),
            data_unit=self.data_unit,
            rounding=self.rounding,
            included_units=dec(str(self.included_units)),
            overage_price=dec(str(self.overage_price)),
            rates=tuple(
                pricing.Rate(
                    usage_type=r.usage_type,
                    zone=r.zone,
                    price=dec(str(r.price)),
                    unit=r.unit,
                    included=r.included,
                    rounding=r.rounding,
                )
                for r in self.rate_ids
            ),
            cap=dec(str(self.cap)) if self.cap else None,
        )

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "telecoop_mobile_billing.telecoop_mobile_line_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id}
        return action
