# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class TelecoopResolutionResult(models.Model):
    """One figure of the result of a resolution, stored by the tally.

    - college and choice: votes of the college for the choice, ``percent`` = share
      of the college's expressed votes;
    - college, no choice: the college's totals (``counted``, ``expressed``) and its
      effective weight after redistribution in ``percent``;
    - no college, a choice: all votes for the choice and its weighted share.
    """

    _name = "telecoop.resolution.result"
    _inherit = ["telecoop.sealed.mixin"]
    _description = "Result of a resolution"
    _order = "resolution_id, college_id, choice_id"
    _check_company_auto = True

    resolution_id = fields.Many2one(
        "telecoop.resolution", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="resolution_id.company_id", store=True)
    college_id = fields.Many2one("telecoop.college", ondelete="restrict", check_company=True)
    choice_id = fields.Many2one(
        "telecoop.resolution.choice", ondelete="cascade", check_company=True
    )
    votes = fields.Integer()
    counted = fields.Integer()
    expressed = fields.Integer()
    percent = fields.Float(digits=(6, 2))

    def _get_sealed_error(self):
        return self.env._("The result of a resolution is written by the tally only.")

    @api.ondelete(at_uninstall=False)
    def _unlink_by_the_tally_only(self):
        self._check_sealed()
