# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.3.1: a holder reads their own alerts and months only.

The alert stores its holder (``partner_id``, computed at the upgrade from the
line's holder history on the day the alert was created), and the portal rule,
a ``noupdate`` record, reads it: after a change of holder the new holder no
longer reads the alerts of the one before. The portal rule of the priced month
(``noupdate`` too) lets a holder read a month they held all month only: a month
of two holders has the line's figures (its total is both holders' charges).
"""

from odoo import SUPERUSER_ID, api

DOMAIN = "[('partner_id', 'child_of', [user.commercial_partner_id.id])]"
MONTH_DOMAIN = (
    "[('charge_ids.partner_id', 'child_of', [user.commercial_partner_id.id]), '!', "
    "('charge_ids', 'any', [('partner_id.commercial_partner_id', '!=', "
    "user.commercial_partner_id.id)])]"
)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    rule = env.ref(
        "telecoop_mobile_billing.telecoop_mobile_line_alert_rule_portal", raise_if_not_found=False
    )
    if rule:
        rule.write(
            {"domain_force": DOMAIN, "name": "Usage alert: the holder's own alerts (portal)"}
        )
    month_rule = env.ref(
        "telecoop_mobile_billing.telecoop_priced_month_rule_portal", raise_if_not_found=False
    )
    if month_rule:
        month_rule.write(
            {
                "domain_force": MONTH_DOMAIN,
                "name": "Priced month: the holder's own, held all month (portal)",
            }
        )
