# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

MOVEMENT_TYPES = [
    ("issue", "Issue"),
    ("transfer", "Transfer"),
    ("buyback", "Buy-back"),
]


class TelecoopShareLine(models.Model):
    """An immutable movement of the share register.

    Positive quantities enter a member's holding (issue, transfer received),
    negative ones leave it (buy-back, transfer given). The register at any date
    is the sum of the movements up to that date: nothing else is stored.
    """

    _name = "telecoop.share.line"
    _description = "Share movement"
    _order = "date, id"

    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner", string="Member", required=True, index=True, readonly=True
    )
    share_class_id = fields.Many2one(
        "telecoop.share.class", required=True, readonly=True, ondelete="restrict"
    )
    college_id = fields.Many2one(
        "telecoop.college", required=True, readonly=True, ondelete="restrict"
    )
    date = fields.Date(required=True, index=True, readonly=True)
    movement_type = fields.Selection(MOVEMENT_TYPES, required=True, readonly=True)
    quantity = fields.Integer(required=True, readonly=True)
    amount = fields.Monetary(required=True, readonly=True)
    note = fields.Char(readonly=True)

    _quantity_not_zero = models.Constraint(
        "CHECK(quantity <> 0)", "A share movement moves at least one share."
    )
    _partner_date_index = models.Index("(company_id, partner_id, date)")

    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(self.env._("Share movements are immutable: record a new movement instead."))

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Share movements are immutable: record a new movement instead."))

    @api.model
    def _get_register_rows(self, company, at_date):
        """The register of members at a date, rebuilt from the movements alone.

        :return: list of dicts ``partner_id``, ``college_id``, ``shares`` (int),
            ``amount`` (in the company currency), one per member holding at least
            one share at the end of ``at_date``, ordered by partner.
        """
        self.flush_model()
        self.env.cr.execute(
            """
            SELECT partner_id,
                   (array_agg(college_id ORDER BY date DESC, id DESC))[1] AS college_id,
                   SUM(quantity)::int AS shares,
                   SUM(amount) AS amount
              FROM telecoop_share_line
             WHERE company_id = %s AND date <= %s
          GROUP BY partner_id
            HAVING SUM(quantity) > 0
          ORDER BY partner_id
            """,
            (company.id, at_date),
        )
        return self.env.cr.dictfetchall()
