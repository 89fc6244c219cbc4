# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..services import alerts as alert_rules
from .job_retry import bounded_retries


class TelecoopMobileLineAlert(models.Model):
    """A usage alert sent to the holder of a line: once per threshold and month.

    Created in SQL with ``ON CONFLICT DO NOTHING`` on the unique (line, month,
    kind, threshold, band), so that a second import of the same month, or two
    imports at once, never send the same alert twice.
    """

    _name = "telecoop.mobile.line.alert"
    _description = "Usage alert of a mobile line"
    _check_company_auto = True
    _order = "period desc, create_date desc, id desc"

    line_id = fields.Many2one(
        "telecoop.mobile.line",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="line_id.company_id", store=True)
    # the holder the alert was sent to, kept when the line changes holder: each holder
    # reads their own alerts only (portal rule), never those of the one before
    partner_id = fields.Many2one(
        "res.partner",
        string="Holder",
        compute="_compute_partner_id",
        store=True,
        readonly=True,
        index=True,
    )
    currency_id = fields.Many2one(related="line_id.currency_id")
    period = fields.Date(required=True, readonly=True, help="First day of the month.")
    kind = fields.Selection(
        [
            (alert_rules.DATA_BAND, "Data band"),
            (alert_rules.CAP, "Spending cap"),
            (alert_rules.ROAMING, "Data roaming cap"),
            (alert_rules.ALLOWANCE, "Allowance used up"),
        ],
        required=True,
        readonly=True,
    )
    percent = fields.Integer(
        string="Threshold (%)", required=True, readonly=True, help="Share of the limit reached."
    )
    band_index = fields.Integer(
        readonly=True, default=0, help="Data band (0 = first) of a data band alert."
    )
    value = fields.Float(readonly=True, help="Bytes (data band) or amount when sent.")
    limit = fields.Float(readonly=True, help="Band bound in bytes, or the cap.")
    mail_id = fields.Many2one("mail.mail", string="E-mail", readonly=True, ondelete="set null")
    message = fields.Char(compute="_compute_message")
    value_display = fields.Char(
        string="Reached",
        compute="_compute_value_display",
        help="The value when sent as a person reads it (GB for a data band, the amount for a "
        "cap); the raw value stays in Value for exports.",
    )
    limit_display = fields.Char(string="Of the limit", compute="_compute_value_display")

    _line_threshold_unique = models.Constraint(
        "UNIQUE(line_id, period, kind, percent, band_index)",
        "An alert is sent once per line, threshold and month.",
    )

    @api.depends("line_id")
    def _compute_partner_id(self):
        """The holder of the line when the alert was created (from the holder history
        for the alerts stored before this field; the holder now for a new one)."""
        for alert in self:
            line = alert.line_id.sudo()
            day = alert.create_date and alert.create_date.date()
            holders = line.holder_history_ids.filtered(
                lambda h, d=day: d and h.date_from <= d
            ).sorted(lambda h: (h.date_from, h.id))
            alert.partner_id = holders[-1:].partner_id or line.partner_id

    @api.depends("kind", "value", "limit")
    @api.depends_context("lang")
    def _compute_value_display(self):
        fmt = self.env["telecoop.format"]
        for alert in self:
            if alert.kind in (alert_rules.DATA_BAND, alert_rules.ALLOWANCE):
                alert.value_display = fmt.data(alert.value)
                alert.limit_display = fmt.data(alert.limit)
            else:
                symbol = alert.currency_id.symbol or ""
                alert.value_display = f"{alert.value:.2f} {symbol}".strip()
                alert.limit_display = f"{alert.limit:.2f} {symbol}".strip()

    def _compute_message(self):
        for alert in self:
            alert.message = alert._get_message()

    def _get_message(self):
        """The text of the alert, in the language of the environment."""
        self.ensure_one()
        _ = self.env._
        fmt = self.env["telecoop.format"]
        msisdn = fmt.phone(self.line_id.sudo().msisdn)
        if self.kind == alert_rules.DATA_BAND:
            return _(
                "Line %(msisdn)s: %(used)s used, %(percent)s%% of the %(bound)s band.",
                msisdn=msisdn,
                used=fmt.data(self.value),
                percent=self.percent,
                bound=fmt.data(self.limit),
            )
        if self.kind == alert_rules.ALLOWANCE:
            return _(
                "Line %(msisdn)s: the %(bound)s of data included in your plan are used up "
                "(%(used)s); further data is billed as your plan says.",
                msisdn=msisdn,
                used=fmt.data(self.value),
                bound=fmt.data(self.limit),
            )
        amount = f"{self.value:.2f}"
        limit = f"{self.limit:.2f}"
        symbol = self.currency_id.symbol or ""
        if self.kind == alert_rules.ROAMING:
            if self.percent >= 100:
                return _(
                    "Line %(msisdn)s: data roaming charges of %(amount)s %(symbol)s this month "
                    "(tax excluded) reached the data roaming cap of %(limit)s %(symbol)s: "
                    "roaming data is barred unless you chose to go on in your account.",
                    msisdn=msisdn,
                    amount=amount,
                    limit=limit,
                    symbol=symbol,
                )
            return _(
                "Line %(msisdn)s: data roaming charges of %(amount)s %(symbol)s this month "
                "(tax excluded), %(percent)s%% of the data roaming cap of %(limit)s %(symbol)s.",
                msisdn=msisdn,
                amount=amount,
                limit=limit,
                symbol=symbol,
                percent=self.percent,
            )
        return _(
            "Line %(msisdn)s: %(amount)s %(symbol)s so far this month, "
            "%(percent)s%% of your spending cap of %(limit)s %(symbol)s.",
            msisdn=msisdn,
            amount=amount,
            limit=limit,
            symbol=symbol,
            percent=self.percent,
        )

    def _insert_new(self, values):
        """Insert the alerts of ``values`` not sent yet (``ON CONFLICT DO NOTHING``):
        tuples (line, period, kind, percent, band, value, limit, uid[, holder]), each
        sent to ``holder``, the holder of the month the alert is about (the priced
        month's), or else to the line's holder now. Returns them."""
        if not values:
            return self.browse()
        values = [tuple(row) + (None,) * (9 - len(row)) for row in values]
        self.flush_model()
        self.env["telecoop.mobile.line"].flush_model(["company_id", "partner_id"])
        new_ids = []
        for start in range(0, len(values), 1000):
            chunk = values[start : start + 1000]
            self.env.cr.execute(
                "INSERT INTO telecoop_mobile_line_alert "
                '(line_id, period, kind, percent, band_index, value, "limit", company_id, '
                " partner_id, create_uid, write_uid, create_date, write_date) "
                "SELECT v.line_id, v.period, v.kind, v.percent, v.band_index, v.value, v.lim, "
                "       l.company_id, COALESCE(v.partner_id, l.partner_id), v.uid, v.uid, "
                "       now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' "
                "  FROM (VALUES "
                + ", ".join(
                    ["(%s, %s::date, %s, %s, %s, %s::float, %s::float, %s, %s::int)"] * len(chunk)
                )
                + ") AS v(line_id, period, kind, percent, band_index, value, lim, uid, partner_id) "
                "  JOIN telecoop_mobile_line l ON l.id = v.line_id "
                "ON CONFLICT (line_id, period, kind, percent, band_index) DO NOTHING "
                "RETURNING id",
                [item for row in chunk for item in row],
            )
            new_ids.extend(row[0] for row in self.env.cr.fetchall())
        self.env["telecoop.mobile.line"].invalidate_model(["alert_ids"])
        return self.browse(new_ids)

    @bounded_retries
    def _send(self):
        """Queue the e-mails of the alerts (sent by the mail queue, not now), in batches."""
        template = self.env.ref(
            "telecoop_mobile_billing.mail_template_line_alert", raise_if_not_found=False
        )
        alerts = self.sudo().filtered(lambda a: a.partner_id.email)
        if not template or not alerts:
            return
        mails = template.sudo().send_mail_batch(alerts.ids, force_send=False)
        by_alert = {mail.res_id: mail for mail in mails}
        for alert in alerts:
            alert.mail_id = by_alert.get(alert.id)
