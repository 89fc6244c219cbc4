# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.3.0: where the vote of a resolution is held (``result_source``) is decided
before the vote, Odoo by default, instead of being written by the first result.

Run before the update makes the column required (and before the post-migration of
19.0.1.2.0, for a database older than it): a resolution with a Belenios result
recorded (a result without a line per college, which only the tally of Odoo
writes) was voted in Belenios; every other one, counted in Odoo or not counted yet,
is voted in Odoo.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE telecoop_resolution r
           SET result_source = CASE WHEN r.result_state != 'pending' AND NOT EXISTS (
                   SELECT 1 FROM telecoop_resolution_result l
                    WHERE l.resolution_id = r.id AND l.college_id IS NOT NULL)
               THEN 'belenios' ELSE 'odoo' END
         WHERE r.result_source IS NULL
        """
    )
