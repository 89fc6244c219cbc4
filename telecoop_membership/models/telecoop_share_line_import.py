# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL


class TelecoopShareLine(models.Model):
    """The historic movements of a register moved in: their import and their
    reference in the file, unique in the company (the same file twice adds nothing)."""

    _inherit = "telecoop.share.line"

    telecoop_import_id = fields.Many2one(
        "telecoop.register.import",
        string="Imported by",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
    )
    telecoop_import_ref = fields.Char(string="Reference in the imported file", readonly=True)

    _import_ref_unique = models.UniqueIndex(
        "(company_id, telecoop_import_ref) WHERE telecoop_import_ref IS NOT NULL",
        "A movement of an imported file is imported once.",
    )

    @api.model
    def _get_imported_refs(self, company, refs):
        """The references among ``refs`` already in the register of ``company``."""
        self.flush_model(["company_id", "telecoop_import_ref"])
        found = set()
        refs = list(refs)
        for start in range(0, len(refs), 10000):
            self.env.cr.execute(
                SQL(
                    "SELECT telecoop_import_ref FROM telecoop_share_line "
                    "WHERE company_id = %s AND telecoop_import_ref = ANY(%s)",
                    company.id,
                    refs[start : start + 10000],
                )
            )
            found.update(row[0] for row in self.env.cr.fetchall())
        return found

    @api.model
    def _insert_imported(self, import_record, rows):
        """Write historic movements in bulk (movements are immutable: no write follows).

        :param rows: tuples (partner_id, share_class_id, college_id, date, movement_type,
            quantity, amount, note, ref)
        """
        if not rows:
            return
        columns = list(zip(*rows, strict=True))
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO telecoop_share_line
                       (company_id, telecoop_import_id, partner_id, share_class_id, college_id,
                        date, movement_type, quantity, amount, note, telecoop_import_ref,
                        create_uid, write_uid, create_date, write_date)
                SELECT %(company)s, %(imp)s, p, s, c, d, t, q, a, n, r,
                       %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                  FROM unnest(%(p)s::int[], %(s)s::int[], %(c)s::int[], %(d)s::date[],
                              %(t)s::varchar[], %(q)s::int[], %(a)s::numeric[],
                              %(n)s::varchar[], %(r)s::varchar[])
                       AS v(p, s, c, d, t, q, a, n, r)
                """,
                company=import_record.company_id.id,
                imp=import_record.id,
                uid=self.env.uid,
                p=list(columns[0]),
                s=list(columns[1]),
                c=list(columns[2]),
                d=list(columns[3]),
                t=list(columns[4]),
                q=list(columns[5]),
                a=list(columns[6]),
                n=list(columns[7]),
                r=list(columns[8]),
            )
        )
        self.invalidate_model()

    @api.model
    def _get_import_amount(self, import_record):
        """The capital brought in by an import: the sum of its movements."""
        self.flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT COALESCE(SUM(amount), 0) FROM telecoop_share_line "
                "WHERE telecoop_import_id = %s",
                import_record.id,
            )
        )
        # fetched before the company is read: after a commit (the chunked mode) that
        # read queries the same cursor and the sum would be lost
        amount = float(self.env.cr.fetchone()[0])
        return import_record.company_id.currency_id.round(amount)
