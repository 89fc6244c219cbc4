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

    def _rerate(self):
        todo = {}
        for one_off in self:
            todo.setdefault(month_bounds(one_off.date)[0], set()).add(one_off.line_id.id)
        for period, line_ids in todo.items():
            self.env["telecoop.rated.usage"].sudo()._rate_period(
                self.line_id.company_id[:1], period, line_ids=sorted(line_ids)
            )

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._check_month_open()
        records._rerate()
        return records

    def write(self, vals):
        self._check_month_open()
        result = super().write(vals)
        self._check_month_open()
        self._rerate()
        return result

    def unlink(self):
        self._check_month_open()
        lines = [(r.line_id, r.date) for r in self]
        result = super().unlink()
        for line, date in lines:
            self.env["telecoop.rated.usage"].sudo()._rate_period(
                line.company_id, date, line_ids=line.ids
            )
        return result
