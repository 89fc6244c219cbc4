# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.2.0.0: membership per cooperative (telecoop.membership).

The member card of ``res.partner`` (one number, college and dates for all the
companies) becomes one membership per (partner, company). The old columns are
kept under a ``telecoop_legacy_`` name for the post-migration to read, and the
database-wide unique member number is dropped: numbers are unique per company.
"""

LEGACY_COLUMNS = (
    "telecoop_member_number",
    "telecoop_college_id",
    "telecoop_is_member",
    "telecoop_member_since",
    "telecoop_member_until",
)


def migrate(cr, version):
    if not version:
        return
    for constraint in (
        "res_partner_member_number_unique",
        "res_partner_telecoop_member_number_uniq",
    ):
        cr.execute(f'ALTER TABLE res_partner DROP CONSTRAINT IF EXISTS "{constraint}"')
    for column in LEGACY_COLUMNS:
        cr.execute(
            "SELECT 1 FROM information_schema.columns "
            "WHERE table_name = 'res_partner' AND column_name = %s",
            (column,),
        )
        if cr.fetchone():
            legacy = column.replace("telecoop_", "telecoop_legacy_", 1)
            cr.execute(f'ALTER TABLE res_partner RENAME COLUMN "{column}" TO "{legacy}"')
