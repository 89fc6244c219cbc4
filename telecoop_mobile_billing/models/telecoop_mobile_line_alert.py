# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..services import alerts as alert_rules


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
    partner_id = fields.Many2one(related="line_id.partner_id", string="Holder")
    currency_id = fields.Many2one(related="line_id.currency_id")
    period = fields.Date(required=True, readonly=True, help="First day of the month.")
    kind = fields.Selection(
        [
            (alert_rules.DATA_BAND, "Data band"),
            (alert_rules.CAP, "Spending cap"),
            (alert_rules.ROAMING, "Roaming"),
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

    _line_threshold_unique = models.Constraint(
        "UNIQUE(line_id, period, kind, percent, band_index)",
        "An alert is sent once per line, threshold and month.",
    )

    def _compute_message(self):
        for alert in self:
            alert.message = alert._get_message()

    def _get_message(self):
        """The text of the alert, in the language of the environment."""
        self.ensure_one()
        _ = self.env._
        msisdn = self.line_id.sudo().msisdn
        if self.kind == alert_rules.DATA_BAND:
            return _(
                "Line %(msisdn)s: %(used)s GB used, %(percent)s%% of the %(bound)s GB band.",
                msisdn=msisdn,
                used=f"{self.value / 1e9:.2f}",
                percent=self.percent,
                bound=f"{self.limit / 1e9:g}",
            )
        amount = f"{self.value:.2f}"
        limit = f"{self.limit:.2f}"
        symbol = self.currency_id.symbol or ""
        if self.kind == alert_rules.ROAMING:
            return _(
                "Line %(msisdn)s: roaming charges of %(amount)s %(symbol)s this month, "
                "%(percent)s%% of the roaming cap of %(limit)s %(symbol)s.",
                msisdn=msisdn,
                amount=amount,
                limit=limit,
                symbol=symbol,
                percent=self.percent,
            )
        return _(
            "Line %(msisdn)s: %(amount)s %(symbol)s so far this month (tax excluded), "
            "%(percent)s%% of your spending cap of %(limit)s %(symbol)s.",
            msisdn=msisdn,
            amount=amount,
            limit=limit,
            symbol=symbol,
            percent=self.percent,
        )

    def _send(self):
        """Queue the e-mails of the alerts (sent by the mail queue, not now), in batches."""
        template = self.env.ref(
            "telecoop_mobile_billing.mail_template_line_alert", raise_if_not_found=False
        )
        alerts = self.sudo().filtered(lambda a: a.line_id.partner_id.email)
        if not template or not alerts:
            return
        mails = template.sudo().send_mail_batch(alerts.ids, force_send=False)
        by_alert = {mail.res_id: mail for mail in mails}
        for alert in alerts:
            alert.mail_id = by_alert.get(alert.id)
