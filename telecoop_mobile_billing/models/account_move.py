# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..services.masking import mask_number


class AccountMove(models.Model):
    _inherit = "account.move"

    telecoop_billing_period = fields.Date(
        string="Mobile billing period", readonly=True, copy=False, index="btree_not_null"
    )

    def _get_itemised_records(self):
        """Usage records of the invoice's lines and period, called numbers masked."""
        self.ensure_one()
        if not self.telecoop_billing_period:
            return []
        self.env["telecoop.usage.record"].flush_model()
        self.env.cr.execute(
            """
            SELECT l.msisdn, r.started_at, r.usage_type, r.zone, r.destination, r.quantity,
                   r.third_party_amount
              FROM telecoop_usage_record r
              JOIN telecoop_mobile_line l ON l.id = r.line_id
             WHERE l.partner_id = %s AND l.company_id = %s AND r.period = %s
             ORDER BY l.msisdn, r.started_at, r.id
            """,
            [self.partner_id.id, self.company_id.id, self.telecoop_billing_period],
        )
        return [
            {
                "msisdn": msisdn,
                "started_at": started_at,
                "usage_type": usage_type,
                "zone": zone,
                "destination": mask_number(destination),
                "quantity": quantity,
                "third_party_amount": third_party,
            }
            for msisdn, started_at, usage_type, zone, destination, quantity, third_party in (
                self.env.cr.fetchall()
            )
        ]

    def action_print_itemised_bill(self):
        self.ensure_one()
        return self.env.ref("telecoop_mobile_billing.action_report_itemised_bill").report_action(
            self
        )
