# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.tools import SQL

from .telecoop_mobile_line import month_bounds
from .telecoop_priced_month import KIND_ORDER


class TelecoopBillingRunLine(models.Model):
    """A holder to invoice for a period; unique per company, holder and period."""

    _name = "telecoop.billing.run.line"
    _description = "Holder of a billing run"
    _check_company_auto = True
    _order = "run_id, partner_id"

    run_id = fields.Many2one(
        "telecoop.billing.run", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Holder", required=True, index=True)
    period = fields.Date(required=True)
    move_id = fields.Many2one(
        "account.move", string="Invoice", readonly=True, copy=False, check_company=True
    )
    currency_id = fields.Many2one(related="move_id.currency_id")
    amount_total = fields.Monetary(related="move_id.amount_total")

    _partner_period_unique = models.Constraint(
        "UNIQUE(company_id, partner_id, period)",
        "A holder is invoiced once per period.",
    )

    @api.model
    def _get_invoiced_periods(self, companies, partners, since):
        """{(company id, partner id): {periods}} of the holders ``partners`` of
        ``companies`` invoiced for a month from the month of ``since`` on."""
        if not companies or not partners:
            return {}
        self.flush_model(["company_id", "partner_id", "period", "move_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT company_id, partner_id, period FROM telecoop_billing_run_line
                 WHERE company_id = ANY(%s) AND partner_id = ANY(%s) AND period >= %s
                   AND move_id IS NOT NULL
                """,
                companies.ids,
                partners.ids,
                month_bounds(since)[0],
            )
        )
        invoiced = defaultdict(set)
        for company_id, partner_id, period in self.env.cr.fetchall():
            invoiced[company_id, partner_id].add(period)
        return invoiced

    def _prefetch_billing_data(self):
        """The charges of these holders in the period, read in a few queries."""
        first, __, __ = month_bounds(self[:1].period)
        charges = self.env["telecoop.priced.charge"].search(
            [
                ("company_id", "in", self.company_id.ids),
                ("partner_id", "in", self.partner_id.ids),
                ("period", "=", first),
            ],
            order="partner_id, line_id, sequence, id",
        )
        charges.mapped("tax_ids")
        charges.product_id.mapped("name")
        by_partner = defaultdict(list)
        for charge in charges:
            by_partner[charge.partner_id.id].append(charge.id)
        Charge = self.env["telecoop.priced.charge"]
        return {
            "charges": {
                partner_id: Charge.browse(ids).with_prefetch(charges._prefetch_ids)
                for partner_id, ids in by_partner.items()
            },
            "months": charges.month_id,
        }

    def _link_invoices(self, moves):
        """Each run line gets its invoice (``moves`` in the order of ``self``), in one
        statement."""
        self.env.cr.execute(
            SQL(
                """
                UPDATE telecoop_billing_run_line rl
                   SET move_id = m.move_id, write_date = now() AT TIME ZONE 'UTC',
                       write_uid = %(uid)s
                  FROM unnest(%(lines)s, %(moves)s) AS m(line_id, move_id)
                 WHERE rl.id = m.line_id
                """,
                uid=self.env.uid,
                lines=self.ids,
                moves=moves.ids,
            )
        )
        self.invalidate_recordset(["move_id", "write_date", "write_uid"])
        self.run_id.invalidate_recordset(["run_line_ids"])

    @api.model
    def _unlink_invoices(self, moves):
        """The invoices ``moves`` are cancelled: their holders are to invoice again."""
        self.flush_model(["move_id"])
        self.env.cr.execute(
            SQL(
                "UPDATE telecoop_billing_run_line SET move_id = NULL, "
                "write_date = now() AT TIME ZONE 'UTC', write_uid = %s WHERE move_id = ANY(%s)",
                self.env.uid,
                moves.ids,
            )
        )
        self.invalidate_model(["move_id", "write_date", "write_uid"])
        self.env["telecoop.billing.run"].invalidate_model(["run_line_ids"])

    def _prepare_invoice_values(self, journal, run, prefetched=None):
        """The invoice of the holder: four sections, a line per charge of its months."""
        self.ensure_one()
        _ = self.env._
        first, last, __ = month_bounds(self.period)
        prefetched = prefetched or self._prefetch_billing_data()
        charges = prefetched["charges"].get(self.partner_id.id, self.env["telecoop.priced.charge"])
        fiscal_position = charges[:1].fiscal_position_id
        titles = {
            "plan": _("Plan and options"),
            "usage": _("Usage beyond the plan"),
            "one_off": _("One-off services"),
            "third_party": _("Third-party services"),
        }
        invoice_lines = []
        same_currency = (journal.currency_id or self.company_id.currency_id) == (
            self.company_id.currency_id
        )
        for kind in KIND_ORDER:
            invoice_lines.append(
                Command.create({"display_type": "line_section", "name": titles[kind]})
            )
            for charge in charges.filtered(lambda c, k=kind: c.kind == k):
                values = charge._prepare_invoice_line()
                if not same_currency:
                    values.pop("amount_currency", None)
                    values.pop("balance", None)
                invoice_lines.append(Command.create(values))
        values = {
            "move_type": "out_invoice",
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.id,
            "journal_id": journal.id,
            "invoice_user_id": self.company_id._telecoop_get_invoice_user().id,
            "fiscal_position_id": fiscal_position.id,
            "invoice_date": run.invoice_date or last,
            "telecoop_billing_period": first,
            "invoice_origin": run.name,
            "invoice_line_ids": invoice_lines,
        }
        holder = self.partner_id.commercial_partner_id.with_company(self.company_id)
        if run.payment_mode_id and holder.valid_mandate_id:
            values["payment_mode_id"] = run.payment_mode_id.id
        return values
