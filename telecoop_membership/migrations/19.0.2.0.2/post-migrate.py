# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.2.0.2: subscription requests numbered in the year of their date.

The sequence (a ``noupdate`` record) gets date ranges. The requests keep their
numbers; so that no number comes again, the range of each year a request was
numbered in (the year it was entered) and of this year starts where the one
counter of the sequence stood (:meth:`telecoop.share.document._number_sequence_per_year`).
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["telecoop.subscription.request"]._number_sequence_per_year(
        env.ref("telecoop_membership.seq_telecoop_subscription_request", False)
    )
