# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.1.0: the voter-key secret leaves the database, the chain covers more fields.

An open vote with ballots cannot cross this upgrade: its voter keys and the chain
of its boxes would change in the middle of the vote. The old secret is removed from
the database.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        SELECT a.id, a.name FROM telecoop_assembly a
         WHERE a.state = 'open'
           AND (EXISTS (SELECT 1 FROM telecoop_ballot b WHERE b.assembly_id = a.id)
                OR EXISTS (SELECT 1 FROM telecoop_ballot_secret s WHERE s.assembly_id = a.id))
      ORDER BY a.id
        """
    )
    open_votes = cr.fetchall()
    if open_votes:
        names = ", ".join(f"{name} (id {assembly_id})" for assembly_id, name in open_votes)
        raise RuntimeError(
            "telecoop_agm 19.0.1.1.0: close these votes before upgrading, their voter keys "
            f"and ballot chains change with this version: {names}"
        )
    cr.execute("DELETE FROM ir_config_parameter WHERE key = 'telecoop_agm.ballot_key_secret'")
    cr.execute(
        "DELETE FROM ir_model_data WHERE module = 'telecoop_agm' AND name = 'ballot_key_secret'"
    )
