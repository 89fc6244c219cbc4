# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Cooperative mobile billing",
    "summary": "Mobile lines billed on real consumption: usage import, tiers, billing",
    "version": "19.0.1.0.0",
    "category": "Cooperative",
    "license": "AGPL-3",
    "author": "TeleCoop addons contributors",
    "website": "https://github.com/telecoop-addons/telecoop-addons",
    "depends": ["telecoop_membership", "account", "portal", "mail", "queue_job"],
    "data": [
        "security/telecoop_mobile_billing_security.xml",
        "security/ir.model.access.csv",
        "views/telecoop_mobile_billing_menus.xml",
    ],
    "installable": True,
    "application": True,
}
