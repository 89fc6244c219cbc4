# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import pytz

from odoo import fields, models
from odoo.exceptions import UserError

from ..services.masking import mask_number


class AccountMove(models.Model):
    _inherit = "account.move"

    telecoop_billing_period = fields.Date(
        string="Mobile billing period", readonly=True, copy=False, index="btree_not_null"
    )
    telecoop_itemised_available = fields.Boolean(compute="_compute_telecoop_itemised_available")

    def _compute_telecoop_itemised_available(self):
        for move in self:
            charges = move.invoice_line_ids.telecoop_charge_id
            move.telecoop_itemised_available = bool(
                move.telecoop_billing_period and charges.line_id.sudo().filtered("itemised_bill")
            )

    def _get_itemised_sections(self):
        """Per line of the invoice that asked for it: the communications of the
        holder's days of the month, in the holder's time zone, with their price.

        Read from the charges of the invoice (line, holder, days), so that after a
        change of holder each holder sees only their own days.
        """
        self.ensure_one()
        Usage = self.env["telecoop.usage.record"].sudo()
        type_labels = dict(Usage._fields["usage_type"]._description_selection(self.env))
        zone_labels = dict(Usage._fields["zone"]._description_selection(self.env))
        tz_name = self.partner_id.tz or Usage._get_usage_tz(self.company_id)
        tz = pytz.timezone(tz_name)
        fmt = self.env["telecoop.format"].with_context(lang=self.partner_id.lang or self.env.lang)
        sections = []
        charges = self.invoice_line_ids.telecoop_charge_id.sudo()
        for line in charges.line_id.sorted("msisdn"):
            if not line.itemised_bill:
                continue
            mine = charges.filtered(lambda c, ln=line: c.line_id == ln)
            # the price of one communication: its units at the unit price of its
            # charge (tax included for a consumer), nothing when included
            tax_included = not self.commercial_partner_id.is_company
            unit_prices = {
                (c.usage_type, c.zone): (
                    (c.amount_total if tax_included else c.amount_untaxed) / c.quantity
                )
                for c in mine.filtered(lambda c: c.kind == "usage" and c.quantity)
            }
            data_unit = (mine.plan_id[:1].data_unit or 10**9) if mine.plan_id else 10**9
            rows = []
            for started_at, usage_type, zone, destination, quantity, third_party in (
                Usage._get_itemised_rows(
                    line, self.telecoop_billing_period, min(mine.mapped("date_from")),
                    max(mine.mapped("date_to")),
                )
            ):  # fmt: skip
                local = pytz.utc.localize(started_at).astimezone(tz)
                price = 0.0
                if (usage_type, zone) in unit_prices:
                    if usage_type == "data":
                        units = quantity / data_unit
                    elif usage_type == "voice":
                        units = -(-quantity // 60)
                    else:
                        units = quantity
                    price = self.currency_id.round(units * unit_prices[(usage_type, zone)])
                if third_party:
                    price += third_party
                rows.append(
                    {
                        # the holder's language writes the date, in the holder's time zone
                        "date": fmt.date(local.date()),
                        "time": fmt.time(started_at, tz=tz_name),
                        "type": type_labels.get(usage_type, usage_type),
                        "zone": zone_labels.get(zone, zone),
                        "destination": mask_number(destination),
                        "quantity": fmt.quantity(usage_type, quantity),
                        "price": price,
                    }
                )
            sections.append({"msisdn": fmt.phone(line.msisdn), "rows": rows})
        return sections

    def _get_itemised_records(self):
        """Rows of every itemised section (kept for callers of the former name)."""
        return [
            dict(row, msisdn=section["msisdn"])
            for section in self._get_itemised_sections()
            for row in section["rows"]
        ]

    def button_cancel(self):
        result = super().button_cancel()
        self.filtered("telecoop_billing_period")._telecoop_reopen_months()
        return result

    def _post(self, soft=True):
        posted = super()._post(soft)
        posted.filtered(
            lambda m: m.move_type == "out_refund"
        ).reversed_entry_id._telecoop_reopen_fully_credited()
        return posted

    def _telecoop_reopen_fully_credited(self):
        """The mobile bills of ``self`` that their posted credit notes reverse in
        full are undone as a cancelled bill is: their months open again and their
        holders are billed again by the next run of the month. The bill stays posted
        with its credit notes, as history. A partial credit note is a commercial
        gesture on an invoiced month: the month stays invoiced."""
        full = self.filtered(
            lambda bill: (
                bill.telecoop_billing_period
                and bill.state == "posted"
                and bill.currency_id.compare_amounts(
                    sum(
                        bill.reversal_move_ids.filtered(
                            lambda r: r.state == "posted" and r.move_type == "out_refund"
                        ).mapped("amount_total")
                    ),
                    bill.amount_total,
                )
                >= 0
            )
        )
        full._telecoop_reopen_months()

    def button_draft(self):
        # a cancelled bill of the months is replaced by the next run of the month:
        # posted again, it would bill them twice
        cancelled = self.filtered(lambda m: m.telecoop_billing_period and m.state == "cancel")
        if cancelled:
            raise UserError(
                self.env._(
                    "%(invoice)s is a cancelled mobile bill: its months are billed again by "
                    "the billing run of the month, not by this invoice.",
                    invoice=cancelled[0].display_name,
                )
            )
        # a credit note that reopened the months of its bill (with the others of the
        # bill): back in draft, the bill is owed again beside the next run's invoice
        reopening = self.filtered(
            lambda m: (
                m.move_type == "out_refund"
                and m.state == "posted"
                and m.reversed_entry_id.telecoop_billing_period
                and not m.reversed_entry_id.invoice_line_ids.filtered("telecoop_charge_id")
            )
        )
        if reopening:
            raise UserError(
                self.env._(
                    "%(credit_note)s credits in full the mobile bill %(invoice)s, whose months "
                    "are billed again by the billing run of the month: it stays posted.",
                    credit_note=reopening[0].display_name,
                    invoice=reopening[0].reversed_entry_id.display_name,
                )
            )
        return super().button_draft()

    def _telecoop_reopen_months(self):
        """The bills ``self`` are cancelled or fully credited: their charges are on
        no invoice any more, so their months open again (to be corrected) and their
        holders are billed again by the next run of the month. The one owner of
        undoing a mobile bill (``button_cancel``, ``_telecoop_reopen_fully_credited``)."""
        lines = self.sudo().invoice_line_ids.filtered("telecoop_charge_id")
        months = lines.telecoop_charge_id.month_id
        lines.write({"telecoop_charge_id": False})
        self.env["telecoop.billing.run.line"].sudo()._unlink_invoices(self)
        months._unmark_invoiced()

    def action_print_itemised_bill(self):
        self.ensure_one()
        return self.env.ref("telecoop_mobile_billing.action_report_itemised_bill").report_action(
            self
        )


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    telecoop_charge_id = fields.Many2one(
        "telecoop.priced.charge",
        string="Mobile charge",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
    )

    #: what a line linked to a charge takes from the charge (the priced month)
    _TELECOOP_CHARGE_FIGURES = ("quantity", "price_unit", "discount", "tax_ids", "product_id")

    def _telecoop_figures(self):
        return {
            line.id: (
                line.quantity,
                line.price_unit,
                line.discount,
                line.tax_ids.ids,
                line.product_id.id,
            )
            for line in self
        }

    def write(self, vals):
        if "telecoop_charge_id" in vals and not self.env.su:
            raise UserError(self.env._("The charge of an invoice line is set by the billing run."))
        if not set(self._TELECOOP_CHARGE_FIGURES) & set(vals):
            return super().write(vals)
        charged = self.filtered("telecoop_charge_id")
        if not charged:
            return super().write(vals)
        # the invoice line is the charge of the priced month, which the tracker, the
        # alerts and the itemised bill read: it changes by a cancellation of the
        # invoice and a new run of the month, not by hand in a draft
        before = charged._telecoop_figures()
        result = super().write(vals)
        if charged._telecoop_figures() != before:
            raise UserError(
                self.env._(
                    "%(label)s is a charge of a priced month: cancel the invoice, correct the "
                    "line's month and run the billing of the month again.",
                    label=charged[0].name,
                )
            )
        return result
