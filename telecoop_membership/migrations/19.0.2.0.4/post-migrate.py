# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.2.0.4: memberships, share documents and share movements written before
``check_company`` applied may name another company's contact. They are kept and
reported to the cooperative's staff, each in its chatter with a to-do, and in the
log (:meth:`telecoop.membership._report_other_company_contacts`).
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["telecoop.membership"]._report_other_company_contacts()
