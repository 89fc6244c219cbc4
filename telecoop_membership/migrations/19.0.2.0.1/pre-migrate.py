# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.2.0.1: the demo's colleges become data records of their own.

An older demo made the colleges of its two statute profiles inside the profile, with
no id of their own; they get the ids of ``demo/telecoop_statute_profile_demo.xml`` (so
that the update finds them, loads their French names from ``i18n/fr.po`` and does not
try to create twins). A database without the demo has no such profile: nothing done.
"""

COLLEGES = ("users", "employees", "founders", "partners", "consumers", "producers", "authorities")
PROFILES = ("telecoop_statute_profile_telecoop", "telecoop_statute_profile_energie")


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        INSERT INTO ir_model_data (module, name, model, res_id, noupdate)
        SELECT 'telecoop_membership', 'telecoop_college_demo_' || c.code,
               'telecoop.college', c.id, TRUE
          FROM telecoop_college c
          JOIN ir_model_data p
            ON p.module = 'telecoop_membership' AND p.model = 'telecoop.statute.profile'
           AND p.res_id = c.profile_id AND p.name IN %s
         WHERE c.code IN %s
        ON CONFLICT DO NOTHING
        """,
        (PROFILES, COLLEGES),
    )
