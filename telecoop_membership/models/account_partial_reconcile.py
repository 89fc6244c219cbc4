# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_issued_shares(self):
        """The payment of issued shares stays: the register and the books agree."""
        moves = (self.debit_move_id.move_id | self.credit_move_id.move_id).sudo()
        issued = moves.telecoop_subscription_request_ids.filtered(lambda r: r.state == "done")
        if issued:
            raise UserError(
                self.env._(
                    "The shares of %(requests)s were issued on this payment: it cannot be "
                    "removed. Record a buy-back of the shares instead.",
                    requests=", ".join(issued.mapped("name")),
                )
            )
