# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The priced month of a line: the one truth of what a line's month costs.

Rating (:meth:`TelecoopPricedMonth._rate_months`, the only caller of the
pricing service) writes one ``telecoop.priced.month`` per line and month with
its charges; the billing run turns each charge into an invoice line
(:meth:`TelecoopPricedCharge._prepare_invoice_line`) and links them; the
tracker, the history, the alerts, the sobriety figures and the itemised bill
read the charges; the tracker, the history and the sobriety figures read what
each holder of the month used from its quantities (``telecoop.priced.quantity``,
written with the charges). Nothing prices a month anywhere else.
"""

import io
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from odoo import api, fields, models
from odoo.tools import SQL

from ..services import pricing
from .telecoop_mobile_line import month_bounds
from .telecoop_usage_record import USAGE_TYPES, ZONES, BigInteger

CHARGE_KINDS = [
    ("plan", "Plan and options"),
    ("usage", "Usage beyond the plan"),
    ("one_off", "One-off services"),
    ("third_party", "Third-party services"),
]
#: order of the invoice sections
KIND_ORDER = [kind for kind, __ in CHARGE_KINDS]
#: zones whose data charges count towards the data roaming cap (Regulation (EU) 2022/612)
ROAMING_ZONES = ("eu", "world")

_MONTH_COLUMNS = (
    "company_id",
    "line_id",
    "period",
    "partner_id",
    "tax_included_display",
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "data_quantity",
    "band_index",
    "band_upper_bytes",
    "allowance_bytes",
    "capped",
    "roaming_data_amount",
    "last_usage_at",
)
_CHARGE_COLUMNS = (
    "month_id",
    "company_id",
    "line_id",
    "period",
    "partner_id",
    "fiscal_position_id",
    "kind",
    "sequence",
    "name",
    "plan_id",
    "usage_type",
    "zone",
    "service",
    "product_id",
    "quantity",
    "unit",
    "unit_price",
    "price_unit",
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "date_from",
    "date_to",
)


def _format_units(value):
    return f"{value:.3f}".rstrip("0").rstrip(".")


class TelecoopPricedMonth(models.Model):
    _name = "telecoop.priced.month"
    _description = "Priced month of a mobile line"
    _order = "period desc, line_id"
    _rec_name = "period"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    line_id = fields.Many2one(
        "telecoop.mobile.line", required=True, ondelete="cascade", readonly=True, check_company=True
    )
    period = fields.Date(required=True, readonly=True, help="First day of the month.")
    partner_id = fields.Many2one(
        "res.partner", string="Holder", readonly=True, help="Holder at the end of the month."
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    charge_ids = fields.One2many("telecoop.priced.charge", "month_id", string="Charges")
    quantity_ids = fields.One2many(
        "telecoop.priced.quantity", "month_id", string="Usage per holder"
    )
    tax_included_display = fields.Boolean(
        readonly=True, help="The holder is a consumer: amounts are shown tax included."
    )
    amount_untaxed = fields.Monetary(readonly=True)
    amount_tax = fields.Monetary(readonly=True)
    amount_total = fields.Monetary(readonly=True)
    data_quantity = BigInteger(readonly=True, help="Data of the tiered zones, bytes.")
    band_index = fields.Integer(readonly=True, help="Data band reached (0 = first), -1: none.")
    band_upper_bytes = BigInteger(readonly=True, help="Upper bound of the band reached.")
    allowance_bytes = BigInteger(readonly=True, help="Data included in the plan; 0: none.")
    capped = fields.Boolean(readonly=True)
    roaming_data_amount = fields.Monetary(
        readonly=True, help="Data roaming charges of the month, tax excluded."
    )
    last_usage_at = fields.Datetime(readonly=True)
    invoiced = fields.Boolean(readonly=True, help="Some charge is on an invoice: frozen.")

    _line_period_unique = models.Constraint(
        "UNIQUE(line_id, period)", "A line's month is priced once."
    )
    _company_period_idx = models.Index("(company_id, period)")

    # ------------------------------------------------------------------
    # reading
    # ------------------------------------------------------------------
    def _get_holder_charges(self, partner=None):
        """The charges of the month that ``partner`` (the holder now) pays."""
        self.ensure_one()
        partner = partner or self.line_id.partner_id
        return self.charge_ids.filtered(lambda c: c.partner_id == partner)

    def _price_again(self):
        """What prices the months of ``self`` changed (a plan's prices, a third
        party's name or prefix): those not invoiced yet are priced again from their
        rated usage, so that every open month is billed as priced now (a month was
        priced again by the next import of its line only, and the run billed the old
        figures to the others). An invoiced month stays. The one owner of pricing
        open months again after such a change."""
        todo = defaultdict(set)
        for month in self.sudo().filtered(lambda m: not m.invoiced):
            todo[month.company_id, month.period].add(month.line_id.id)
        Rated = self.env["telecoop.rated.usage"].sudo()
        for (company, period), line_ids in sorted(todo.items(), key=lambda item: item[0][1]):
            Rated._rate_period(company, period, line_ids=sorted(line_ids))

    def _mark_invoiced(self):
        if self:
            self.env.cr.execute(
                SQL("UPDATE telecoop_priced_month SET invoiced = TRUE WHERE id = ANY(%s)", self.ids)
            )
            self.invalidate_recordset(["invoiced"])

    def _unmark_invoiced(self):
        """The months of ``self`` with no charge on an invoice any more (the invoice
        was cancelled) are open again."""
        if not self:
            return
        self.env["account.move.line"].flush_model(["telecoop_charge_id"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE telecoop_priced_month m SET invoiced = FALSE
                 WHERE m.id = ANY(%s) AND m.invoiced
                   AND NOT EXISTS (SELECT 1 FROM telecoop_priced_charge c
                                     JOIN account_move_line aml ON aml.telecoop_charge_id = c.id
                                    WHERE c.month_id = m.id)
                """,
                self.ids,
            )
        )
        self.invalidate_recordset(["invoiced"])

    @api.model
    def _get_alert_figures(self, lines, period):
        """{line id: figures of the month the alerts need}, in one query; amounts are
        the month's holder's (``partner_id``, who the alerts go to), in the holder's
        convention."""
        self.flush_model()
        self.env["telecoop.priced.charge"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT m.line_id, m.partner_id, m.data_quantity, m.band_index, m.band_upper_bytes,
                       m.allowance_bytes, m.roaming_data_amount, m.tax_included_display,
                       COALESCE(SUM(c.amount_untaxed), 0), COALESCE(SUM(c.amount_total), 0)
                  FROM telecoop_priced_month m
             LEFT JOIN telecoop_priced_charge c ON c.month_id = m.id AND c.partner_id = m.partner_id
                 WHERE m.line_id = ANY(%s) AND m.period = %s
                 GROUP BY m.id
                """,
                lines.ids,
                period,
            )
        )
        figures = {}
        for (
            line_id,
            partner_id,
            data,
            band,
            upper,
            allowance,
            roaming,
            tax_included,
            untaxed,
            total,
        ) in self.env.cr.fetchall():
            data, allowance = int(data or 0), int(allowance or 0)
            band = band if band is not None and band >= 0 else None
            upper = int(upper) if upper else None
            if band is None and allowance and data <= allowance:
                band, upper = 0, allowance  # an included allowance is the first band
            figures[line_id] = {
                "partner_id": partner_id,
                "data_quantity": data,
                "band_index": band,
                "band_upper_bytes": upper,
                "allowance_bytes": allowance,
                "roaming_amount": Decimal(str(roaming or 0)),
                "amount": Decimal(str(total if tax_included else untaxed)),
            }
        return figures

    @api.model
    def _get_unpriced_line_ids(self, company, period):
        """Lines of ``company`` active in the month of ``period`` without a priced month."""
        first, last, __ = month_bounds(period)
        self.flush_model()
        self.env["telecoop.mobile.line"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT l.id FROM telecoop_mobile_line l
                 WHERE l.company_id = %(company)s AND l.activation_date <= %(last)s
                   AND (l.termination_date IS NULL OR l.termination_date >= %(first)s)
                   AND NOT EXISTS (SELECT 1 FROM telecoop_priced_month m
                                    WHERE m.line_id = l.id AND m.period = %(first)s)
                """,
                company=company.id,
                first=first,
                last=last,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _is_invoiced(self, line, date):
        """The month of ``date`` of ``line`` is a fact: a charge of it is on an
        invoice, or a holder of the line in that month is invoiced for the month
        already (once per month: a charge of theirs added now would be billed never)."""
        first = month_bounds(date)[0]
        if self.search_count(
            [("line_id", "=", line.id), ("period", "=", first), ("invoiced", "=", True)],
            limit=1,
        ):
            return True
        holders = self.env["res.partner"].union(
            *(segment[1] for segment in line._get_month_segments(first))
        )
        invoiced = self.env["telecoop.billing.run.line"]._get_invoiced_periods(
            line.company_id, holders, first
        )
        return any(first in periods for periods in invoiced.values())

    # ------------------------------------------------------------------
    # rating: the only caller of the pricing service
    # ------------------------------------------------------------------
    @api.model
    def _rate_months(self, company, period_date, line_ids=None, totals=None, keep_line_ids=()):
        """(Re)price the month of ``period_date`` of the lines (all active lines
        of ``company`` when ``line_ids`` is None). A month with a charge on an
        invoice is a fact and is left alone, as are the months of
        ``keep_line_ids``. Returns the priced months.

        ``totals``: the reader of the month's usage totals, with the signature
        and rows of ``telecoop.usage.record._get_month_totals`` (the default);
        rating by increments passes the rated usage's, which holds the same sums.
        """
        first, last, month_days = month_bounds(period_date)
        Line = self.env["telecoop.mobile.line"]
        domain = [
            ("company_id", "=", company.id),
            ("activation_date", "<=", last),
            "|",
            ("termination_date", "=", False),
            ("termination_date", ">=", first),
        ]
        if line_ids is not None:
            domain.append(("id", "in", list(line_ids)))
        lines = Line.search(domain)
        self.flush_model()
        frozen = set(
            self.search(
                [("line_id", "in", lines.ids), ("period", "=", first), ("invoiced", "=", True)]
            ).line_id.ids
        ) | set(keep_line_ids)
        lines = lines.filtered(lambda ln: ln.id not in frozen)
        touched = set(line_ids) if line_ids is not None else None
        if touched is not None:
            # lines no longer active in the month lose their priced month
            touched -= set(lines.ids) | frozen
        self.env.cr.execute(
            "DELETE FROM telecoop_priced_month WHERE period = %s AND company_id = %s "
            "AND line_id = ANY(%s)",
            [first, company.id, lines.ids + sorted(touched or ())],
        )
        if not lines:
            self.invalidate_model()
            return self
        lines.plan_history_ids.plan_id.tier_ids.mapped("price")
        lines.plan_history_ids.plan_id.rate_ids.mapped("price")
        lines.holder_history_ids.partner_id.mapped("name")
        segments = {line.id: line._get_month_segments(first) for line in lines}
        split = [lid for lid, segs in segments.items() if len({s[0] for s in segs}) > 1]
        usage = defaultdict(lambda: defaultdict(lambda: {"q": {}, "tp": {}, "last": None}))
        for (
            line_id,
            day,
            usage_type,
            zone,
            service,
            quantity,
            __,
            third_party,
            last_at,
        ) in (totals or self.env["telecoop.usage.record"]._get_month_totals)(
            company, first, None if line_ids is None else lines.ids, split
        ):
            if line_id not in segments:
                continue
            holder = 0
            if day is not None:
                holder = Line._get_segment_of_day(segments[line_id], day)[0]
            bucket = usage[line_id][holder]
            key = (usage_type, zone)
            bucket["q"][key] = bucket["q"].get(key, 0) + int(quantity or 0)
            if third_party is not None:
                bucket["tp"][service] = bucket["tp"].get(service, pricing.ZERO) + Decimal(
                    str(third_party)
                )
            if last_at and (not bucket["last"] or last_at > bucket["last"]):
                bucket["last"] = last_at
        one_offs = defaultdict(list)
        for one_off in self.env["telecoop.mobile.line.one.off"].search(
            [("line_id", "in", lines.ids), ("date", ">=", first), ("date", "<=", last)],
            order="date, id",
        ):
            one_offs[one_off.line_id.id].append(one_off)
        context = _RatingContext(self.env, company, month_days)
        months, charges = [], []
        for line in lines:
            month, line_charges = context.price_line(
                line, first, segments[line.id], usage[line.id], one_offs[line.id]
            )
            months.append(month)
            charges.append(line_charges)
        context.add_taxes([c for line_charges in charges for c in line_charges])
        for month, line_charges in zip(months, charges, strict=True):
            holder = month["partner_id"]
            context._holder(self.env["res.partner"].browse(holder))
            month["tax_included_display"] = context.consumers[holder]
            month["roaming_data_amount"] = sum(
                (c["amount_untaxed"] for c in line_charges
                 if c.get("roaming") and c["partner_id"] == holder),
                0.0,
            )  # fmt: skip
        priced = self._write_months(months, charges)
        # what each holder of the month used, from the same totals
        self.env["telecoop.priced.quantity"]._write_quantities(
            company, zip(priced.ids, lines.ids, strict=True), segments, usage
        )
        return priced

    def _write_months(self, months, charges):
        """Insert the months and their charges in SQL (tens of thousands a run).

        The ids are taken from the tables' sequences first, then the months, the
        charges and their taxes go in by ``COPY`` (no parameter of each row
        adapted by the driver: a third of the rating's time with ``INSERT ...
        VALUES``)."""
        cr = self.env.cr
        uid = self.env.uid
        currencies = {}
        for month, line_charges in zip(months, charges, strict=True):
            company_id = month["company_id"]
            if company_id not in currencies:
                currencies[company_id] = self.env["res.company"].browse(company_id).currency_id
            # sums of rounded amounts in floats: rounded again, as the ORM rounds a
            # monetary field it writes (14.000000000000002 is not a price)
            round_ = currencies[company_id].round
            for field in ("amount_untaxed", "amount_tax", "amount_total"):
                month[field] = round_(sum((c[field] for c in line_charges), 0.0))
            month["roaming_data_amount"] = round_(month["roaming_data_amount"])
        cr.execute(SQL("SELECT now() AT TIME ZONE 'UTC'"))
        now = cr.fetchone()[0]
        month_ids = self._next_ids(len(months))
        self._copy_rows(
            _MONTH_COLUMNS + ("invoiced", "create_uid", "write_uid", "create_date", "write_date"),
            (
                (month_id,) + tuple(m[c] for c in _MONTH_COLUMNS) + (False, uid, uid, now, now)
                for month_id, m in zip(month_ids, months, strict=True)
            ),
        )
        Charge = self.env["telecoop.priced.charge"]
        charge_ids = Charge._next_ids(sum(len(line_charges) for line_charges in charges))
        rows, rel = [], []
        ids = iter(charge_ids)
        for month_id, line_charges in zip(month_ids, charges, strict=True):
            for charge in line_charges:
                charge_id = next(ids)
                charge["month_id"] = month_id
                rows.append(
                    (charge_id,) + tuple(charge[c] for c in _CHARGE_COLUMNS) + (uid, uid, now, now)
                )
                rel.extend((charge_id, tax_id) for tax_id in charge["taxes"].ids)
        if rows:
            Charge._copy_rows(
                _CHARGE_COLUMNS + ("create_uid", "write_uid", "create_date", "write_date"), rows
            )
            if rel:
                Charge._copy_tax_rows(rel)
        self.invalidate_model()
        Charge.invalidate_model()
        return self.browse(month_ids)

    @api.model
    def _next_ids(self, count):
        """``count`` new ids of the months' table, from its sequence."""
        return _next_ids(self.env.cr, self._table, count)

    @api.model
    def _copy_rows(self, columns, rows):
        """``COPY`` rows ``(id, *columns)`` into this model's table."""
        _copy_into(self.env.cr, self._table, ("id",) + tuple(columns), rows)


def _next_ids(cr, table, count):
    """``count`` new ids of ``table``, from its sequence."""
    if not count:
        return []
    cr.execute(
        SQL(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            table,
            count,
        )
    )
    return [row[0] for row in cr.fetchall()]


def _copy_str(value):
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


#: the text of a value in ``COPY``'s text format, by its type
_COPY_TEXT = {
    type(None): lambda value: "\\N",
    bool: lambda value: "t" if value else "f",
    int: str,
    float: repr,
    Decimal: str,
    str: _copy_str,
    date: date.isoformat,
    datetime: datetime.isoformat,
}


def _copy_other(value):
    # a subclass of str (Markup) is escaped as text
    return _copy_str(str(value)) if isinstance(value, str) else str(value)


def _copy_text(value):
    """A value in ``COPY``'s text format."""
    return _COPY_TEXT.get(type(value), _copy_other)(value)


def _copy_into(cr, table, columns, rows):
    """``COPY`` ``rows`` (tuples of ``columns``) into ``table``, by pieces."""
    buffer = io.StringIO()
    write = buffer.write
    count = 0
    for row in rows:
        write("\t".join(map(_copy_text, row)))
        write("\n")
        count += 1
        if count % 20000 == 0:
            buffer.seek(0)
            cr._obj.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
            buffer = io.StringIO()
            write = buffer.write
    if buffer.tell():
        buffer.seek(0)
        cr._obj.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


class _RatingContext:
    """What pricing a batch of lines shares: plans' pricing, products, taxes,
    fiscal positions, labels; and the pricing of one line's month."""

    def __init__(self, env, company, month_days):
        self.env = env
        self.company = company
        self.month_days = month_days
        self.plan_pricing = {}
        self.fiscal_positions = {}
        self.consumers = {}
        self.ref = {
            key: env.ref(f"telecoop_mobile_billing.product_mobile_{key}")
            for key in ("plan", "usage", "third_party", "one_off")
        }
        self.third_party_name = env["telecoop.third.party"]._get_names(company)
        self.languages = {}
        self.included_taxes = {}
        self.tax_domain = env["account.tax"]._check_company_domain(company)
        self.product_taxes = {}

    def _language(self, partner):
        """What the labels of ``partner``'s charges are written with, in the holder's
        language: the translation, the labels of the types and zones, the formats."""
        lang = partner.lang or self.env.lang or "en_US"
        if lang not in self.languages:
            env = self.env(context=dict(self.env.context, lang=lang))
            Usage = env["telecoop.usage.record"]
            self.languages[lang] = (
                env._,
                dict(Usage._fields["usage_type"]._description_selection(env)),
                dict(Usage._fields["zone"]._description_selection(env)),
                env["telecoop.format"],
            )
        return self.languages[lang]

    def _pricing(self, plan):
        if plan.id not in self.plan_pricing:
            self.plan_pricing[plan.id] = plan._get_pricing()
        return self.plan_pricing[plan.id]

    def _holder(self, partner):
        if partner.id not in self.fiscal_positions:
            self.fiscal_positions[partner.id] = (
                self.env["account.fiscal.position"]
                .with_company(self.company)
                ._get_fiscal_position(partner)
            )
            self.consumers[partner.id] = not partner.commercial_partner_id.is_company
        return self.fiscal_positions[partner.id]

    def price_line(self, line, first, segments, usage, one_offs):
        """The month (values) and charges (values) of ``line``."""
        _ = self.env._
        month_days = self.month_days
        charges = []
        by_holder = defaultdict(list)
        for segment in segments:
            by_holder[segment[0]].append(segment)
        month = {
            "company_id": self.company.id,
            "line_id": line.id,
            "period": first,
            "partner_id": line.partner_id.id,
            "data_quantity": 0,
            "band_index": -1,
            "band_upper_bytes": 0,
            "allowance_bytes": 0,
            "capped": False,
            "roaming_data_amount": 0.0,
            "last_usage_at": None,
        }

        def charge(partner, kind, name, amount, product, start, end, price_include, **vals):
            values = {
                "company_id": self.company.id,
                "line_id": line.id,
                "period": first,
                "partner_id": partner.id,
                "kind": kind,
                "sequence": len(charges),
                "name": name,
                "plan_id": None,
                "usage_type": None,
                "zone": None,
                "service": None,
                "product_id": product.id,
                "product": product,
                "quantity": 1.0,
                "unit": None,
                "unit_price": float(amount),
                "amount": amount,
                "price_include": price_include,
                "date_from": start,
                "date_to": end,
            }
            values.update(vals)
            charges.append(values)
            return values

        for holder_index, holder_segments in sorted(by_holder.items()):
            partner = holder_segments[0][1]
            # the labels in the holder's language, the number as the holder reads it
            _, type_labels, zone_labels, fmt = self._language(partner)
            msisdn = fmt.phone(line.msisdn)
            start = holder_segments[0][3]
            end = holder_segments[-1][4]
            holder_days = (end - start).days + 1
            bucket = usage.get(holder_index, {"q": {}, "tp": {}, "last": None})
            quantities = bucket["q"]
            usage_amounts = defaultdict(lambda: pricing.ZERO)
            last_plan = None
            for __, __, plan, seg_start, seg_end in holder_segments:
                days = (seg_end - seg_start).days + 1
                plan_pricing = self._pricing(plan)
                base = pricing.prorata_days(plan_pricing.base_fee, [days], month_days)[0]
                label = _("%(plan)s - %(msisdn)s", plan=plan.name, msisdn=msisdn)
                if days != month_days:
                    label = _(
                        "%(label)s (%(days)s of %(month_days)s days)",
                        label=label,
                        days=days,
                        month_days=month_days,
                    )
                charge(
                    partner,
                    "plan",
                    label,
                    base,
                    plan.product_id or self.ref["plan"],
                    seg_start,
                    seg_end,
                    plan.price_tax_included,
                    plan_id=plan.id,
                    quantity=float(days if days != month_days else 1),
                    unit=_("days") if days != month_days else _("month"),
                    unit_price=float(
                        plan_pricing.base_fee / month_days
                        if days != month_days
                        else plan_pricing.base_fee
                    ),
                )
                priced = pricing.price_usage(plan_pricing, quantities)
                parts = dict(priced.rated)
                data_keys = sorted(
                    k for k in quantities if k[0] == "data" and k[1] in pricing.TIERED_DATA_ZONES
                )
                if data_keys:
                    weights = [int(quantities[k]) for k in data_keys]
                    split = (
                        pricing.split_amount(priced.data_amount, weights)
                        if sum(weights)
                        else [priced.data_amount] + [pricing.ZERO] * (len(data_keys) - 1)
                    )
                    parts.update(zip(data_keys, split, strict=True))
                elif priced.data_amount:
                    parts[("data", "national")] = priced.data_amount
                for key, amount in parts.items():
                    if days != holder_days:
                        amount = pricing.prorata_days(amount, [days], holder_days)[0]
                    usage_amounts[key] += amount
                month["capped"] = month["capped"] or priced.capped
                if holder_index == max(by_holder):
                    month["data_quantity"] = priced.data_quantity
                    if priced.band_index is not None:
                        month["band_index"] = priced.band_index
                        if priced.band_upper is not None:
                            month["band_upper_bytes"] = int(
                                priced.band_upper * plan_pricing.data_unit
                            )
                last_plan = plan
            plan_pricing = self._pricing(last_plan)
            if holder_index == max(by_holder):
                month["allowance_bytes"] = _allowance_bytes(plan_pricing)
                month["last_usage_at"] = bucket["last"]
            for (usage_type, zone), amount in sorted(usage_amounts.items()):
                if not amount:
                    continue
                quantity = quantities.get((usage_type, zone), 0)
                rate = plan_pricing.rate_for(usage_type, zone)
                if usage_type == "data":
                    units = Decimal(quantity) / Decimal(plan_pricing.data_unit)
                    unit = _("GB")
                elif usage_type == "voice":
                    units = pricing.billed_units(quantity, 60, pricing.STARTED)
                    unit = _("min")
                else:
                    units = Decimal(quantity)
                    unit = type_labels[usage_type]
                if rate is not None and not rate.included and usage_type != "data":
                    units = pricing.billed_units(quantity, rate.unit, rate.rounding)
                values = charge(
                    partner,
                    "usage",
                    _(
                        "%(type)s, %(zone)s - %(msisdn)s: %(quantity)s",
                        type=type_labels[usage_type],
                        zone=zone_labels[zone],
                        msisdn=msisdn,
                        quantity=fmt.data(quantity)
                        if usage_type == "data"
                        else f"{_format_units(units)} {unit}",
                    ),
                    amount,
                    last_plan.usage_product_id or self.ref["usage"],
                    start,
                    end,
                    last_plan.price_tax_included,
                    plan_id=last_plan.id,
                    usage_type=usage_type,
                    zone=zone,
                    quantity=float(units),
                    unit=unit,
                    unit_price=float(amount / units) if units else float(amount),
                )
                if usage_type == "data" and zone in ROAMING_ZONES:
                    values["roaming"] = True
            for one_off in one_offs:
                if start <= one_off.date <= end:
                    charge(
                        partner,
                        "one_off",
                        _(
                            "%(name)s - %(msisdn)s (%(date)s)",
                            name=one_off.name,
                            msisdn=msisdn,
                            date=fmt.date(one_off.date),
                        ),
                        pricing.round_cent(Decimal(str(one_off.amount))),
                        one_off.product_id,
                        one_off.date,
                        one_off.date,
                        False,
                    )
            for service, amount in sorted(bucket["tp"].items()):
                if not amount:
                    continue
                name = self.third_party_name(service)
                charge(
                    partner,
                    "third_party",
                    _(
                        "%(third_party)s - %(msisdn)s (%(amount)s tax included)",
                        third_party=name,
                        msisdn=msisdn,
                        amount=fmt.amount(amount, self.company.currency_id),
                    ),
                    pricing.round_cent(amount),
                    self.ref["third_party"],
                    start,
                    end,
                    True,
                    service=name,
                )
        return month, charges

    # ------------------------------------------------------------------
    # taxes: Odoo's engine, never by hand
    # ------------------------------------------------------------------
    def _product_taxes(self, product):
        """The sales taxes of ``product`` in the company rated. The products are
        shared by the companies of the database and the cache of a many2many holds
        what its first reader of the transaction could see: it is read again here,
        so that the rating of a second company does not get the first one's taxes."""
        if product.id not in self.product_taxes:
            product.product_tmpl_id.invalidate_recordset(["taxes_id"])
            product.invalidate_recordset(["taxes_id"])
            taxes = product.taxes_id.filtered_domain(self.tax_domain)
            self.product_taxes[product.id] = taxes
        return self.product_taxes[product.id]

    def _included(self, taxes):
        """The tax-included form of ``taxes`` (a sibling created once per tax)."""
        Tax = self.env["account.tax"]
        result = Tax
        for tax in taxes:
            if tax.price_include or tax.amount_type != "percent":
                result |= tax
                continue
            if tax.id not in self.included_taxes:
                self.included_taxes[tax.id] = _tax_included_sibling(tax)
            result |= self.included_taxes[tax.id]
        return result

    def add_taxes(self, charges):
        """Taxes through the holder's fiscal position and the amounts of each charge.

        A price entered tax included (``price_include``) is invoiced with the
        tax-included form of the product's taxes, so that 14.00 stays 14.00 tax
        included; when the holder's fiscal position maps these taxes away (a
        company abroad), the price is the untaxed part and the mapped taxes apply.
        """
        Tax = self.env["account.tax"]
        company = self.company
        currency = company.currency_id
        base_lines = []
        # the holders of the batch read together (a fiscal position reads each one)
        holders = self.env["res.partner"].browse({values["partner_id"] for values in charges})
        for values in charges:
            partner = holders.browse(values["partner_id"]).with_prefetch(holders._prefetch_ids)
            fiscal_position = self._holder(partner)
            values["fiscal_position_id"] = fiscal_position.id or None
            product = values.pop("product")
            product_taxes = self._product_taxes(product)
            amount = float(values.pop("amount"))
            if values.pop("price_include"):
                included = self._included(product_taxes)
                mapped = fiscal_position.map_tax(product_taxes)
                if mapped == product_taxes:
                    taxes = included
                else:
                    untaxed = Tax._prepare_base_line_for_taxes_computation(
                        None, price_unit=amount, quantity=1, tax_ids=included, currency_id=currency
                    )
                    Tax._add_tax_details_in_base_lines([untaxed], company)
                    Tax._round_base_lines_tax_details([untaxed], company)
                    amount = currency.round(untaxed["tax_details"]["total_excluded_currency"])
                    taxes = mapped
            else:
                taxes = fiscal_position.map_tax(product_taxes)
            values["taxes"] = taxes
            values["price_unit"] = amount
            base_lines.append((product, partner))
        done = {}
        for values, base_line in zip(charges, base_lines, strict=True):
            # each charge alone: the invoice rounds per line the same way; the same
            # price with the same taxes gives the same amounts (most base fees)
            key = (values["price_unit"], tuple(sorted(values["taxes"].ids)))
            if key not in done:
                product, partner = base_line
                base_line = Tax._prepare_base_line_for_taxes_computation(
                    None,
                    price_unit=values["price_unit"],
                    quantity=1.0,
                    tax_ids=values["taxes"],
                    product_id=product,
                    partner_id=partner,
                    currency_id=currency,
                    rate=1.0,
                )
                Tax._add_tax_details_in_base_lines([base_line], company)
                Tax._round_base_lines_tax_details([base_line], company)
                details = base_line["tax_details"]
                untaxed = (
                    details["total_excluded_currency"] + details["delta_total_excluded_currency"]
                )
                total = untaxed + sum(t["tax_amount_currency"] for t in details["taxes_data"])
                done[key] = (currency.round(untaxed), currency.round(total))
            untaxed, total = done[key]
            values["amount_untaxed"] = untaxed
            values["amount_total"] = total
            values["amount_tax"] = currency.round(total - untaxed)
        return charges


def _allowance_bytes(plan_pricing):
    """Data included in the base fee: the allowance of an 'included' plan, or the
    first band of a tiered plan when it costs nothing."""
    if plan_pricing.tier_type == pricing.INCLUDED:
        return int(plan_pricing.included_units * plan_pricing.data_unit)
    if plan_pricing.tiers:
        first = plan_pricing.tiers[0]
        if first.upper is not None and not first.price:
            return int(first.upper * plan_pricing.data_unit)
    return 0


def _tax_included_sibling(tax):
    """The same tax with ``price_include_override = 'tax_included'``, created once."""
    Tax = tax.env["account.tax"]
    sibling = Tax.search(
        [
            ("company_id", "=", tax.company_id.id),
            ("type_tax_use", "=", tax.type_tax_use),
            ("amount_type", "=", "percent"),
            ("amount", "=", tax.amount),
            ("tax_group_id", "=", tax.tax_group_id.id),
            ("price_include_override", "=", "tax_included"),
        ],
        limit=1,
    )
    if not sibling:
        sibling = tax.sudo().copy(
            {
                "name": tax.env._("%(tax)s (tax included)", tax=tax.name),
                "price_include_override": "tax_included",
            }
        )
    return sibling


class TelecoopPricedCharge(models.Model):
    _name = "telecoop.priced.charge"
    _description = "Charge of a priced month"
    _order = "period desc, line_id, sequence, id"
    _check_company_auto = True

    month_id = fields.Many2one(
        "telecoop.priced.month",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
        check_company=True,
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    line_id = fields.Many2one(
        "telecoop.mobile.line", required=True, readonly=True, index=True, check_company=True
    )
    period = fields.Date(required=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Holder", required=True, readonly=True, index=True
    )
    fiscal_position_id = fields.Many2one(
        "account.fiscal.position", readonly=True, check_company=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(CHARGE_KINDS, required=True, readonly=True)
    sequence = fields.Integer(readonly=True)
    name = fields.Char(string="Label", required=True, readonly=True)
    plan_id = fields.Many2one("telecoop.mobile.plan", readonly=True, check_company=True)
    usage_type = fields.Selection(USAGE_TYPES, readonly=True)
    zone = fields.Selection(ZONES, readonly=True)
    service = fields.Char(string="Third party", readonly=True)
    product_id = fields.Many2one(
        "product.product", required=True, readonly=True, check_company=True
    )
    quantity = fields.Float(readonly=True, digits=(16, 3))
    unit = fields.Char(readonly=True)
    unit_price = fields.Float(readonly=True, digits=(16, 4))
    price_unit = fields.Float(
        string="Invoiced price",
        readonly=True,
        digits=(16, 2),
        help="The price of the invoice line: tax included when its taxes are price-included.",
    )
    tax_ids = fields.Many2many("account.tax", string="Taxes", readonly=True, check_company=True)
    amount_untaxed = fields.Monetary(readonly=True)
    amount_tax = fields.Monetary(readonly=True)
    amount_total = fields.Monetary(readonly=True)
    date_from = fields.Date(readonly=True, help="First day the holder had the line this month.")
    date_to = fields.Date(readonly=True)
    invoice_line_ids = fields.One2many(
        "account.move.line", "telecoop_charge_id", string="Invoice lines", readonly=True
    )

    _period_partner_idx = models.Index("(company_id, period, partner_id)")

    @api.model
    def _next_ids(self, count):
        """``count`` new ids of the charges' table, from its sequence."""
        return _next_ids(self.env.cr, self._table, count)

    @api.model
    def _copy_rows(self, columns, rows):
        """``COPY`` rows ``(id, *columns)`` into the charges' table."""
        _copy_into(self.env.cr, self._table, ("id",) + tuple(columns), rows)

    @api.model
    def _copy_tax_rows(self, rows):
        """``COPY`` ``(charge id, tax id)`` rows into the charges' taxes."""
        field = self._fields["tax_ids"]
        _copy_into(self.env.cr, field.relation, (field.column1, field.column2), rows)

    def _prepare_invoice_line(self):
        """The values of the invoice line of this charge (a hook: override to add)."""
        self.ensure_one()
        values = {
            "product_id": self.product_id.id,
            "name": self.name,
            "quantity": 1,
            "price_unit": self.price_unit,
            "tax_ids": [fields.Command.set(self.tax_ids.ids)],
            "telecoop_charge_id": self.id,
        }
        # given upfront, computed by the same tax engine: Odoo's invoice sync
        # finds the untaxed amount right and writes nothing line by line
        values["amount_currency"] = -self.amount_untaxed
        values["balance"] = -self.amount_untaxed
        return values

    def _get_display_amount(self, tax_included):
        return sum(self.mapped("amount_total" if tax_included else "amount_untaxed"))
