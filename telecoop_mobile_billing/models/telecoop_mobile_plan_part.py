# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

#: context key: the plan's own write prices its months once, after its bands and rates
REPRICE_AFTER_PLAN = "telecoop_reprice_after_plan"


class TelecoopMobilePlanPart(models.AbstractModel):
    """A part of a plan that prices its lines' months (a data band, a rate): changed,
    those months are priced again (``telecoop.mobile.plan._reprice_open_months``)."""

    _name = "telecoop.mobile.plan.part"
    _description = "Part of a mobile plan that sets a price"

    def _reprice_plans(self, plans):
        # saved with their plan (its form), the plan prices its months once after all
        if not self.env.context.get(REPRICE_AFTER_PLAN):
            plans._reprice_open_months()

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self._reprice_plans(records.plan_id)
        return records

    def write(self, vals):
        plans = self.plan_id
        result = super().write(vals)
        self._reprice_plans(plans | self.plan_id)
        return result

    def unlink(self):
        plans = self.plan_id
        result = super().unlink()
        self._reprice_plans(plans)
        return result
