# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.1.0: a source is a host operator's feed, the format belongs to each file.

Before, a source was one format of one host operator (a CSV source, an XML
source, an HTTP source), and a record identity was unique per source: the same
record in a CSV file and in an XML file was counted twice. Each import now
carries the format of its file (taken from its old source), and the sources
of a company are merged into one, the oldest, when they are one host
operator's formats (at most one source per format); a company with two
sources of one format has several operators: its sources are left as they
are, with a warning, for staff to merge. The usage record table itself is
moved into monthly partitions by ``telecoop.usage.record.init``.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "SELECT 1 FROM information_schema.columns "
        "WHERE table_name = 'telecoop_usage_source' AND column_name = 'kind'"
    )
    if not cr.rowcount:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    cr.execute(
        "UPDATE telecoop_usage_import i SET kind = s.kind FROM telecoop_usage_source s "
        "WHERE i.source_id = s.id AND i.kind IS NULL"
    )
    cr.execute(
        "SELECT company_id, array_agg(id ORDER BY id), array_agg(kind ORDER BY id) "
        "FROM telecoop_usage_source WHERE active GROUP BY company_id"
    )
    Source = env["telecoop.usage.source"]
    for company_id, ids, kinds in cr.fetchall():
        if len(ids) < 2:
            continue
        if len(set(kinds)) != len(kinds):
            _logger.warning(
                "Company %s has several usage sources of one format (%s): several host "
                "operators? They are left as they are; merge those of one operator by hand.",
                company_id,
                ", ".join(kinds),
            )
            continue
        sources = Source.browse(ids)
        target = sources[0]
        doubled = sources._merge_into(target)
        _logger.info(
            "Usage sources %s merged into %s (%s records delivered twice removed)",
            sources[1:].ids,
            target.id,
            doubled,
        )
    cr.execute("ALTER TABLE telecoop_usage_source DROP COLUMN kind")
