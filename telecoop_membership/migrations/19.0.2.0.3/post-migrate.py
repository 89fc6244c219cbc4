# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.2.0.3: transfers and buy-backs numbered in the year of their date.

Their sequences (``noupdate`` records) get date ranges, as the subscription
requests' did in 19.0.2.0.2 (:meth:`telecoop.share.document._number_sequence_per_year`):
the documents keep their numbers, and none is given twice.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for model, xmlid in (
        ("telecoop.share.transfer", "telecoop_membership.seq_telecoop_share_transfer"),
        ("telecoop.share.buyback", "telecoop_membership.seq_telecoop_share_buyback"),
    ):
        env[model]._number_sequence_per_year(env.ref(xmlid, False))
