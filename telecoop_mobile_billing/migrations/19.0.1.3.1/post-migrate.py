# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.3.1: a usage alert belongs to the holder it was sent to.

The alert stores its holder (``partner_id``, computed at the upgrade from the
line's holder history on the day the alert was created), and the portal rule,
a ``noupdate`` record, reads it: after a change of holder the new holder no
longer reads the alerts of the one before.
"""

from odoo import SUPERUSER_ID, api

DOMAIN = "[('partner_id', 'child_of', [user.commercial_partner_id.id])]"


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    rule = env.ref(
        "telecoop_mobile_billing.telecoop_mobile_line_alert_rule_portal", raise_if_not_found=False
    )
    if rule:
        rule.write({"domain_force": DOMAIN, "name": "Usage alert: the holder's own alerts (portal)"})
