# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.2.0.2: subscription requests numbered in the year of their date.

The sequence (a ``noupdate`` record) gets date ranges. The requests keep their
numbers; so that no number comes again, the range of each year a request was
numbered in (the year it was entered) and of this year starts where the one
counter of the sequence stood.
"""

from odoo import SUPERUSER_ID, api, fields


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    sequence = env.ref("telecoop_membership.seq_telecoop_subscription_request", False)
    if not sequence or sequence.use_date_range:
        return
    number_next = sequence.number_next_actual
    cr.execute(
        "SELECT DISTINCT extract(year FROM create_date)::int FROM telecoop_subscription_request"
    )
    years = {row[0] for row in cr.fetchall() if row[0]} | {fields.Date.today().year}
    sequence.use_date_range = True
    env["ir.sequence.date_range"].create(
        [
            {
                "sequence_id": sequence.id,
                "date_from": f"{year}-01-01",
                "date_to": f"{year}-12-31",
                "number_next_actual": number_next,
            }
            for year in sorted(years)
        ]
    )
