# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


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
