# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.2.0: a record identity is unique per host operator across months.

Before, the identity was unique per source and month (the month is in the
partitioned table's key): a record re-sent with its start in another month
was counted in both. ``telecoop.usage.record.init`` has created the table of
identities with the month of the oldest record of each; the later copies,
in other months, are removed here and the months they touched rated again
(an invoiced month stays as invoiced).
"""

import logging
from collections import defaultdict

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        DELETE FROM telecoop_usage_record r
         USING telecoop_usage_record_identity i
         WHERE i.source_id = r.source_id AND i.record_id = r.record_id
           AND i.period <> r.period
        RETURNING r.company_id, r.period, r.line_id
        """
    )
    todo = defaultdict(lambda: defaultdict(set))
    removed = 0
    for company_id, period, line_id in cr.fetchall():
        removed += 1
        if line_id:
            todo[company_id][period].add(line_id)
    if not removed:
        return
    _logger.info("Usage records delivered twice in two months: %s copies removed", removed)
    env = api.Environment(cr, SUPERUSER_ID, {})
    Record = env["telecoop.usage.record"]
    for company in env["res.company"].browse(sorted(todo)):
        Record._rerate(company, todo[company.id])
