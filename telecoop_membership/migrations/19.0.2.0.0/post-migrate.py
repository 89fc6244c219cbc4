# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.2.0.0: one membership per partner and company from the old member card.

The company of the old card is the company of its college, else of the partner's
first share movement. A partner holding shares in another company as well gets a
membership there too (without a number: the old card held one), member while
shares are held, former member otherwise.
"""


def _has_legacy_columns(cr):
    cr.execute(
        "SELECT 1 FROM information_schema.columns "
        "WHERE table_name = 'res_partner' AND column_name = 'telecoop_legacy_member_number'"
    )
    return bool(cr.fetchone())


def migrate(cr, version):
    if not version or not _has_legacy_columns(cr):
        return
    cr.execute(
        """
        INSERT INTO telecoop_membership
               (partner_id, company_id, member_number, college_id,
                admission_date, exit_date, state, is_member,
                create_uid, create_date, write_uid, write_date)
        SELECT p.id, c.company_id,
               p.telecoop_legacy_member_number, c.college_id,
               p.telecoop_legacy_member_since, p.telecoop_legacy_member_until,
               CASE WHEN p.telecoop_legacy_is_member THEN 'member'
                    WHEN p.telecoop_legacy_member_since IS NOT NULL
                      OR p.telecoop_legacy_member_until IS NOT NULL THEN 'former'
                    ELSE 'candidate' END,
               COALESCE(p.telecoop_legacy_is_member, FALSE),
               1, NOW() AT TIME ZONE 'UTC', 1, NOW() AT TIME ZONE 'UTC'
          FROM res_partner p
          CROSS JOIN LATERAL (
                SELECT COALESCE(
                           col.company_id,
                           (SELECT l.company_id FROM telecoop_share_line l
                             WHERE l.partner_id = p.id ORDER BY l.date, l.id LIMIT 1)
                       ) AS company_id,
                       col.id AS college_id
                  FROM (SELECT 1) one
                  LEFT JOIN telecoop_college col ON col.id = p.telecoop_legacy_college_id
          ) c
          JOIN res_company rc ON rc.id = c.company_id
         WHERE (p.telecoop_legacy_member_number IS NOT NULL
                OR p.telecoop_legacy_is_member
                OR p.telecoop_legacy_college_id IS NOT NULL)
        ON CONFLICT DO NOTHING
        """
    )
    cr.execute(
        """
        INSERT INTO telecoop_membership
               (partner_id, company_id, college_id, admission_date, exit_date,
                state, is_member, create_uid, create_date, write_uid, write_date)
        SELECT h.partner_id, h.company_id, h.college_id,
               h.first_date, CASE WHEN h.shares > 0 THEN NULL ELSE h.last_date END,
               CASE WHEN h.shares > 0 THEN 'member' ELSE 'former' END, h.shares > 0,
               1, NOW() AT TIME ZONE 'UTC', 1, NOW() AT TIME ZONE 'UTC'
          FROM (
                SELECT l.partner_id, l.company_id, SUM(l.quantity) AS shares,
                       MIN(l.date) AS first_date, MAX(l.date) AS last_date,
                       (ARRAY_AGG(l.college_id ORDER BY l.date DESC, l.id DESC))[1] AS college_id
                  FROM telecoop_share_line l
              GROUP BY l.partner_id, l.company_id
          ) h
          JOIN res_company rc ON rc.id = h.company_id
         WHERE NOT EXISTS (
                SELECT 1 FROM telecoop_membership m
                 WHERE m.partner_id = h.partner_id AND m.company_id = h.company_id)
        ON CONFLICT DO NOTHING
        """
    )
