# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .telecoop_mobile_line import month_bounds


class TelecoopMobileLineOneOff(models.Model):
    """A one-off operator charge of a line (a new SIM, a number port...), billed
    in the month of its date with the line's charges."""

    _name = "telecoop.mobile.line.one.off"
    _description = "One-off charge of a mobile line"
    _order = "date desc, id desc"
    _check_company_auto = True

    line_id = fields.Many2one(
        "telecoop.mobile.line", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="line_id.company_id", store=True)
    currency_id = fields.Many2one(related="line_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    name = fields.Char(string="Description", required=True)
    product_id = fields.Many2one(
        "product.product",
        default=lambda self: self.env.ref(
            "telecoop_mobile_billing.product_mobile_one_off", raise_if_not_found=False
        ),
        required=True,
        check_company=True,
    )
    amount = fields.Monetary(required=True, help="Tax excluded.")

    _amount_positive = models.Constraint("CHECK(amount >= 0)", "A one-off charge is not negative.")

    def _check_month_open(self):
        PricedMonth = self.env["telecoop.priced.month"].sudo()
        for one_off in self:
            if PricedMonth._is_invoiced(one_off.line_id, one_off.date):
                raise UserError(
                    self.env._(
                        "The month of %(date)s of line %(msisdn)s is invoiced: "
                        "its charges cannot change.",
                        date=one_off.date,
                        msisdn=one_off.line_id.msisdn,
                    )
                )

    def _line_months(self):
        return [(one_off.line_id, one_off.date) for one_off in self]

    @api.model
    def _rerate(self, line_months):
        """Price again the months of ``line_months`` ([(line, date)]), per company."""
        todo = {}
        for line, date in line_months:
            key = (line.company_id, month_bounds(date)[0])
            todo.setdefault(key, set()).add(line.id)
        for (company, period), line_ids in todo.items():
            self.env["telecoop.rated.usage"].sudo()._rate_period(
                company, period, line_ids=sorted(line_ids)
            )

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._check_month_open()
        self._rerate(records._line_months())
        return records

    def write(self, vals):
        self._check_month_open()
        # the months the one-offs leave (another date, another line) are priced
        # again too, or they kept the charge and billed it beside the new month
        left = self._line_months()
        result = super().write(vals)
        self._check_month_open()
        self._rerate(left + self._line_months())
        return result

    def unlink(self):
        self._check_month_open()
        left = self._line_months()
        result = super().unlink()
        self._rerate(left)
        return result
