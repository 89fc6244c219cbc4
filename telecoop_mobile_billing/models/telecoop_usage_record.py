# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

USAGE_TYPES = [("data", "Data"), ("voice", "Voice"), ("sms", "SMS"), ("mms", "MMS")]
ZONES = [
    ("national", "National"),
    ("eu", "EU roaming"),
    ("international", "International"),
    ("world", "World roaming"),
    ("premium", "Premium"),
]


class BigInteger(fields.Integer):
    """An integer stored as PostgreSQL bigint: data volumes in bytes pass 2^31."""

    _column_type = ("int8", "int8")


class TelecoopUsageRecord(models.Model):
    """One raw usage record (CDR) delivered by the host operator.

    Rows are written in bulk by ``telecoop.usage.import`` (COPY into a staging
    table, then one ``INSERT ... SELECT ... ON CONFLICT DO NOTHING``), never
    one by one through the ORM. They are personal data and are purged after
    the company's retention period; the rated usage stays.
    """

    _name = "telecoop.usage.record"
    _description = "Usage record"
    _order = "started_at desc, id desc"
    _rec_name = "record_id"

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    source_id = fields.Many2one(
        "telecoop.usage.source", required=True, ondelete="cascade", readonly=True
    )
    record_id = fields.Char(string="Record identity", required=True, readonly=True)
    line_id = fields.Many2one(
        "telecoop.mobile.line", string="Line", ondelete="restrict", readonly=True
    )
    msisdn = fields.Char(string="Number (MSISDN)", required=True, readonly=True)
    started_at = fields.Datetime(required=True, readonly=True)
    period = fields.Date(
        required=True,
        readonly=True,
        help="First day of the calendar month, in the company's time zone, in which "
        "the usage started.",
    )
    usage_type = fields.Selection(USAGE_TYPES, required=True, readonly=True)
    quantity = BigInteger(
        required=True, readonly=True, help="Bytes for data, seconds for voice, a count otherwise."
    )
    zone = fields.Selection(ZONES, required=True, readonly=True)
    destination = fields.Char(readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    third_party_amount = fields.Monetary(
        readonly=True, help="What a premium service charges on top, tax included."
    )
    import_id = fields.Many2one(
        "telecoop.usage.import", ondelete="set null", index="btree_not_null", readonly=True
    )

    _source_record_unique = models.Constraint(
        "UNIQUE(source_id, record_id)",
        "A record identity is imported only once per source.",
    )
    _line_period_idx = models.Index("(line_id, period)")
    _period_idx = models.Index("(period)")
    _unmatched_idx = models.Index("(company_id, msisdn) WHERE line_id IS NULL")
