# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError

from ..services import seal


class TelecoopSealedMixin(models.AbstractModel):
    """Rows written by one piece of code only, which carries the seal.

    ``create`` and ``write`` without the seal of ``services/seal.py`` raise the
    model's :meth:`_get_sealed_error` message (a create checks the access rights
    first, so a user without them gets the AccessError). What happens to ``unlink``
    is each model's own rule.
    """

    _name = "telecoop.sealed.mixin"
    _description = "Written with the seal only"

    def _get_sealed_error(self):
        """The sentence a write without the seal raises: says who writes these rows."""
        return self.env._("These records are written by the addon's own code only.")

    def _check_sealed(self):
        if not seal.is_sealed(self.env.context):
            raise UserError(self._get_sealed_error())

    @api.model_create_multi
    def create(self, vals_list):
        self.browse().check_access("create")
        self._check_sealed()
        return super().create(vals_list)

    def write(self, vals):
        self._check_sealed()
        return super().write(vals)
