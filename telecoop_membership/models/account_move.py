# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    telecoop_subscription_request_ids = fields.One2many(
        "telecoop.subscription.request", "invoice_id", string="Share subscription"
    )

    def _invoice_paid_hook(self):
        """A share invoice reconciled with its payment issues the shares (once)."""
        res = super()._invoice_paid_hook()
        requests = (
            self.sudo()
            .filtered(lambda move: move.payment_state in ("paid", "in_payment"))
            .telecoop_subscription_request_ids
        )
        requests._on_invoice_paid()
        return res

    def _post(self, soft=True):
        """A share invoice bills the shares of its requests at their value: an invoice
        reset to draft and edited (a price of 1 instead of 100) would, once paid,
        issue the shares for what was not paid."""
        for move in self.sudo().filtered("telecoop_subscription_request_ids"):
            requests = move.telecoop_subscription_request_ids
            expected = sum(requests.mapped("amount"))
            currency = move.company_id.currency_id
            if currency.compare_amounts(abs(move.amount_total_signed), expected):
                raise UserError(
                    self.env._(
                        "Invoice %(invoice)s bills the shares of %(requests)s: its total must "
                        "be their value, %(expected)s, not %(total)s. Cancel the request and "
                        "file a new one to change the shares.",
                        invoice=move.name or move.display_name,
                        requests=", ".join(requests.mapped("name")),
                        expected=expected,
                        total=abs(move.amount_total_signed),
                    )
                )
        return super()._post(soft=soft)

    def button_draft(self):
        """The invoice of issued shares stays posted: the register and the books agree."""
        issued = self.sudo().telecoop_subscription_request_ids.filtered(lambda r: r.state == "done")
        if issued:
            raise UserError(
                self.env._(
                    "The shares of %(requests)s were issued on this invoice: it cannot be reset "
                    "to draft. Record a buy-back of the shares instead.",
                    requests=", ".join(issued.mapped("name")),
                )
            )
        return super().button_draft()
