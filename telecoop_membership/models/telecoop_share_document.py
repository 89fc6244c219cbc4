# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class TelecoopShareDocument(models.AbstractModel):
    """What a document moving shares of one class has: a reference numbered by
    the sequence of the model's name, its company, the class, the number of
    shares and their value at the class's nominal value.

    Subscription requests, transfers and buy-backs inherit it; each names its
    people (subscriber, giver and receiver, member) and its steps itself.
    """

    _name = "telecoop.share.document"
    _description = "Document moving cooperative shares"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    share_class_id = fields.Many2one(
        "telecoop.share.class",
        required=True,
        tracking=True,
        domain="[('company_id', '=', company_id)]",
    )
    quantity = fields.Integer(string="Shares", required=True, default=1, tracking=True)
    amount = fields.Monetary(compute="_compute_amount", store=True, precompute=True)

    @api.depends("share_class_id", "quantity")
    def _compute_amount(self):
        for document in self:
            document.amount = document.currency_id.round(
                document.share_class_id.nominal_value * document.quantity
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code(self._name) or "/"
        return super().create(vals_list)
