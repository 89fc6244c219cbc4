# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from decimal import Decimal

from odoo import Command, fields, models

from .telecoop_mobile_line import month_bounds


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

    def _get_billed_lines_domain(self):
        first, last, __ = month_bounds(self[:1].period)
        return [
            ("company_id", "in", self.company_id.ids),
            ("partner_id", "in", self.partner_id.ids),
            ("activation_date", "<=", last),
            "|",
            ("termination_date", "=", False),
            ("termination_date", ">=", first),
        ]

    def _prefetch_billing_data(self):
        """Lines, rated usage and plan pricing of these holders, read in a few queries."""
        first, __, __ = month_bounds(self[:1].period)
        lines = self.env["telecoop.mobile.line"].search(self._get_billed_lines_domain())
        lines.plan_history_ids.plan_id.tier_ids.mapped("price")
        lines.plan_history_ids.plan_id.rate_ids.mapped("price")
        rated = self.env["telecoop.rated.usage"].search(
            [("line_id", "in", lines.ids), ("period", "=", first)]
        )
        lines_by_partner = defaultdict(lambda: self.env["telecoop.mobile.line"])
        for line in lines:
            lines_by_partner[line.partner_id.id] |= line
        rated_by_line = defaultdict(lambda: self.env["telecoop.rated.usage"])
        for row in rated:
            rated_by_line[row.line_id.id] |= row
        third_party_product = self.env.ref("telecoop_mobile_billing.product_mobile_third_party")
        company = self.company_id[:1]
        return {
            "lines": lines_by_partner,
            "rated": rated_by_line,
            "pricing": {},
            "third_party_product": third_party_product,
            "third_party_taxes": _tax_included_taxes(third_party_product, company),
        }

    def _prepare_invoice_values(self, journal, run, prefetched=None):
        """The invoice of the holder: three headings, a line per mobile line and charge."""
        self.ensure_one()
        _ = self.env._
        first, last, month_days = month_bounds(self.period)
        prefetched = prefetched or self._prefetch_billing_data()
        lines = prefetched["lines"][self.partner_id.id]
        rated_by_line = prefetched["rated"]
        Rated = self.env["telecoop.rated.usage"]
        type_labels = dict(Rated._fields["usage_type"]._description_selection(self.env))
        zone_labels = dict(Rated._fields["zone"]._description_selection(self.env))
        third_party_product = prefetched["third_party_product"]
        # the holder's fiscal position, set on the invoice: the one its taxes are mapped by
        fiscal_position = (
            self.env["account.fiscal.position"]
            .with_company(self.company_id)
            ._get_fiscal_position(self.partner_id)
        )
        third_party_taxes = fiscal_position.map_tax(prefetched["third_party_taxes"])
        plan_lines, usage_lines, other_lines = [], [], []
        for line in lines:
            priced = line._price_period(first, {}, pricing_cache=prefetched["pricing"])
            for part in priced["plans"]:
                plan = part["plan"]
                label = _("%(plan)s - %(msisdn)s", plan=plan.name, msisdn=line.msisdn)
                if part["days"] != month_days:
                    label = _(
                        "%(label)s (%(days)s of %(month_days)s days)",
                        label=label,
                        days=part["days"],
                        month_days=month_days,
                    )
                plan_lines.append(
                    {
                        "product_id": (
                            plan.product_id
                            or self.env.ref("telecoop_mobile_billing.product_mobile_plan")
                        ).id,
                        "name": label,
                        "quantity": 1,
                        "price_unit": float(part["amount"]),
                    }
                )
            usage_product = line.plan_id.usage_product_id or self.env.ref(
                "telecoop_mobile_billing.product_mobile_usage"
            )
            third_party = Decimal(0)
            for row in rated_by_line[line.id]:
                third_party += Decimal(str(row.third_party_amount or 0))
                if self.company_id.currency_id.is_zero(row.amount):
                    continue
                usage_lines.append(
                    {
                        "product_id": usage_product.id,
                        "name": _(
                            "%(type)s, %(zone)s - %(msisdn)s: %(quantity)s",
                            type=type_labels[row.usage_type],
                            zone=zone_labels[row.zone],
                            msisdn=line.msisdn,
                            quantity=_format_quantity(row.usage_type, row.quantity),
                        ),
                        "quantity": 1,
                        "price_unit": row.amount,
                    }
                )
            if third_party:
                other_lines.append(
                    {
                        "product_id": third_party_product.id,
                        "name": _(
                            "Third-party services - %(msisdn)s (%(amount)s tax included)",
                            msisdn=line.msisdn,
                            amount=f"{third_party:.2f}",
                        ),
                        "quantity": 1,
                        "price_unit": float(third_party),
                        "tax_ids": [Command.set(third_party_taxes.ids)],
                    }
                )
        self._add_untaxed_amounts(plan_lines + usage_lines + other_lines, journal, fiscal_position)
        invoice_lines = []
        for title, section in (
            (_("Plan and options"), plan_lines),
            (_("Usage beyond the plan"), usage_lines),
            (_("One-off and third parties"), other_lines),
        ):
            invoice_lines.append(Command.create({"display_type": "line_section", "name": title}))
            invoice_lines.extend(Command.create(vals) for vals in section)
        values = {
            "move_type": "out_invoice",
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.id,
            "journal_id": journal.id,
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

    def _add_untaxed_amounts(self, product_lines, journal, fiscal_position):
        """Give each invoice line the untaxed amount Odoo's tax engine computes for it.

        Created without it, an invoice line gets it from Odoo's invoice sync after
        the creation, written line by line: most of the cost of invoicing in bulk.
        Given upfront, computed by the same engine (``account.tax``), the sync finds
        it right and writes nothing. Odoo still checks it: an amount that does not
        match (e.g. a tax set otherwise) is computed again, never kept.
        """
        company = self.company_id
        currency = journal.currency_id or company.currency_id
        if currency != company.currency_id:
            return  # a foreign-currency journal: amounts depend on the rate, left to Odoo
        Tax = self.env["account.tax"]
        company_domain = Tax._check_company_domain(company)
        base_lines = []
        for vals in product_lines:
            product = self.env["product.product"].browse(vals["product_id"])
            if "tax_ids" in vals:
                taxes = Tax.browse(vals["tax_ids"][0][2])
            else:  # as account.move.line._get_computed_taxes for a sale
                taxes = fiscal_position.map_tax(product.taxes_id.filtered_domain(company_domain))
            base_lines.append(
                Tax._prepare_base_line_for_taxes_computation(
                    None,
                    price_unit=vals["price_unit"],
                    quantity=vals["quantity"],
                    tax_ids=taxes,
                    product_id=product,
                    partner_id=self.partner_id,
                    currency_id=currency,
                    rate=1.0,
                    sign=-1,  # a customer invoice credits its income lines
                )
            )
        Tax._add_tax_details_in_base_lines(base_lines, company)
        Tax._round_base_lines_tax_details(base_lines, company)
        for vals, base_line in zip(product_lines, base_lines, strict=True):
            details = base_line["tax_details"]
            vals["amount_currency"] = base_line["sign"] * (
                details["total_excluded_currency"] + details["delta_total_excluded_currency"]
            )
            vals["balance"] = base_line["sign"] * (
                details["total_excluded"] + details["delta_total_excluded"]
            )


def _tax_included_taxes(product, company):
    """The product's taxes in their tax-included form, so that a tax-included amount
    is invoiced exactly (third-party amounts are delivered tax included).

    A percent tax that is not price-included gets a sibling (same rate, group and
    accounts) with ``price_include_override = 'tax_included'``, created once.
    """
    Tax = product.env["account.tax"]
    result = Tax
    for tax in product.taxes_id.filtered(lambda t: t.company_id == company):
        if tax.price_include or tax.amount_type != "percent":
            result |= tax
            continue
        sibling = Tax.search(
            [
                ("company_id", "=", company.id),
                ("type_tax_use", "=", tax.type_tax_use),
                ("amount_type", "=", "percent"),
                ("amount", "=", tax.amount),
                ("tax_group_id", "=", tax.tax_group_id.id),
                ("price_include_override", "=", "tax_included"),
            ],
            limit=1,
        )
        if not sibling:
            sibling = tax.copy(
                {
                    "name": product.env._("%(tax)s (tax included)", tax=tax.name),
                    "price_include_override": "tax_included",
                }
            )
        result |= sibling
    return result


def _format_quantity(usage_type, quantity):
    if usage_type == "data":
        return f"{Decimal(quantity) / Decimal(10**9):.2f} GB"
    if usage_type == "voice":
        return f"{quantity // 60} min {quantity % 60:02d} s"
    return str(quantity)
