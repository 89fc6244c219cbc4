# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools.misc import format_amount, format_date, format_datetime, format_time

from ..services import units


class TelecoopFormat(models.AbstractModel):
    """Numbers, units and times as the reader reads them, in the reader's language.

    The only door to :mod:`..services.units` for pages, reports, e-mails and
    display fields: ``env["telecoop.format"].data(bytes)``. The language is the
    environment's (the member's on the portal, the recipient's in an e-mail
    rendered in their language).
    """

    _name = "telecoop.format"
    _description = "Human formats of TeleCoop"

    @api.model
    def _lang(self):
        return self.env.lang or "en_US"

    @api.model
    def data(self, quantity):
        """Bytes as ``1.54 GB`` / ``1,54 Go``."""
        return units.format_data(quantity, self._lang())

    @api.model
    def duration(self, seconds):
        """Seconds as ``1 min 30 s``."""
        return units.format_duration(seconds, self._lang())

    @api.model
    def phone(self, number):
        """An E.164 number as ``06 12 34 56 78``."""
        return units.format_phone(number)

    @api.model
    def quantity(self, usage_type, quantity):
        """A usage quantity by its type: bytes for data, seconds for voice, else a count."""
        if usage_type == "data":
            return self.data(quantity)
        if usage_type == "voice":
            return self.duration(quantity)
        return units.format_count(quantity, self._lang())

    @api.model
    def datetime(self, value, tz=None, dt_format="medium"):
        """A UTC datetime in ``tz`` (default: the reader's), in the reader's language."""
        if not value:
            return ""
        tz = tz or self.env.context.get("tz") or self.env.user.tz or "UTC"
        return format_datetime(self.env, fields.Datetime.to_datetime(value), tz=tz,
                               dt_format=dt_format)  # fmt: skip

    @api.model
    def date(self, value):
        """A date in the reader's language format: ``31/10/2026`` in French,
        ``10/31/2026`` in English."""
        if not value:
            return ""
        return format_date(self.env, fields.Date.to_date(value), lang_code=self._lang())

    @api.model
    def time(self, value, tz=None, time_format="medium"):
        """The time of a UTC datetime in ``tz`` (default: the reader's), in the
        reader's language format: ``09:00:00`` in French, ``09:00:00`` or ``9:00:00 AM``
        as the English format of the database says."""
        if not value:
            return ""
        tz = tz or self.env.context.get("tz") or self.env.user.tz or "UTC"
        return format_time(self.env, fields.Datetime.to_datetime(value), tz=tz,
                           time_format=time_format, lang_code=self._lang())  # fmt: skip

    @api.model
    def amount(self, value, currency):
        """An amount with its currency: ``1,50 €`` in French, ``€ 1.50`` or ``1.50 €``
        in English (the currency's position)."""
        return format_amount(self.env, float(value), currency, lang_code=self._lang())

    @api.model
    def month(self, value, short=False):
        """The month of a date, as ``November 2026`` / ``novembre 2026`` (short: ``Nov 2026``)."""
        if not value:
            return ""
        return units.format_month(fields.Date.to_date(value), self._lang(), short=short)
