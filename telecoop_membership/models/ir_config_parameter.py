# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class IrConfigParameter(models.Model):
    _inherit = "ir.config_parameter"

    @api.model
    def _get_positive_int(self, key, default):
        """The positive whole number held by the system parameter ``key``, else
        ``default``: the one reader of the addons' numeric parameters (a missing
        parameter, text, a decimal, zero or a negative number keep the default)."""
        value = self.sudo().get_param(key)
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            return default
        return number if number > 0 else default
