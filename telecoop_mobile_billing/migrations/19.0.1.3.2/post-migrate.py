# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.3.2: a usage alert greets the holder it is sent to.

The e-mail of an alert greeted the line's holder when it was rendered (a holder
who took the line over after the alert was created), not the holder it goes to.
The update of the template writes its English body; the other languages of the
body (French, and any a cooperative translated) get the same change here.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

OLD = "object.line_id.partner_id.name"
NEW = "object.partner_id.name"


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref("telecoop_mobile_billing.mail_template_line_alert", False)
    if not template:
        return
    cr.execute(
        SQL(
            "UPDATE mail_template SET body_html = replace(body_html::text, %s, %s)::jsonb "
            "WHERE id = %s",
            OLD,
            NEW,
            template.id,
        )
    )
    template.invalidate_recordset(["body_html"])
