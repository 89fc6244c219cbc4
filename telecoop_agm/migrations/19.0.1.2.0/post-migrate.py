# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.2.0: the proxy cap of an assembly is frozen at its convocation; a
resolution says where its vote was held.

Assemblies convened before this version read the cap from the statute profile
whenever a proxy was given; they keep the cap their statutes set now, so that a
later change of the profile no longer changes it.

A resolution with a result gets the way its vote was held (``result_source``): the
tally of Odoo writes a line per college of the assembly, a Belenios result none.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute(
        "SELECT id FROM telecoop_assembly WHERE state != 'draft' AND convened_proxy_cap IS NULL"
    )
    assemblies = env["telecoop.assembly"].browse([row[0] for row in cr.fetchall()])
    for assembly in assemblies:
        cr.execute(
            SQL(
                "UPDATE telecoop_assembly SET convened_proxy_cap = %s WHERE id = %s",
                assembly.company_id.telecoop_statute_profile_id.proxy_cap or 0,
                assembly.id,
            )
        )
    assemblies.invalidate_recordset(["convened_proxy_cap"])
    cr.execute(
        """
        UPDATE telecoop_resolution r
           SET result_source = CASE WHEN EXISTS (
                   SELECT 1 FROM telecoop_resolution_result l
                    WHERE l.resolution_id = r.id AND l.college_id IS NOT NULL)
               THEN 'odoo' ELSE 'belenios' END
         WHERE r.result_state != 'pending' AND r.result_source IS NULL
        """
    )
    env["telecoop.resolution"].invalidate_model(["result_source"])
