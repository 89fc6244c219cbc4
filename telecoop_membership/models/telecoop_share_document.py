# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError


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
        check_company=True,
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

    @api.model
    def _create_from_portal(self, vals):
        """The document a person asks for in the portal: whole shares only, and
        nothing left behind when it breaks a rule of ``_check_portal_request``."""
        quantity = vals.get("quantity")
        if not isinstance(quantity, int) or quantity <= 0:
            raise UserError(self.env._("Ask for a whole number of shares, at least one."))
        with self.env.cr.savepoint():
            document = self.sudo().create(vals)
            document._check_portal_request()
        return document

    def _check_portal_request(self):
        """Raise when a document asked for in the portal breaks a rule."""

    def _post_capital_entry(self, on_date, journal, debit_account, credit_account, label):
        """Post the journal entry of the document's amount, both lines on its ``partner_id``
        (the subscriber or the member: a transfer moves no capital)."""
        self.ensure_one()
        line = {"name": label, "partner_id": self.partner_id.id}
        move = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "entry",
                    "company_id": self.company_id.id,
                    "journal_id": journal.id,
                    "date": on_date,
                    "ref": self.name,
                    "line_ids": [
                        Command.create(
                            {**line, "account_id": debit_account.id, "debit": self.amount}
                        ),
                        Command.create(
                            {**line, "account_id": credit_account.id, "credit": self.amount}
                        ),
                    ],
                }
            )
        )
        move.action_post()
        return move
