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
        "security/telecoop_usage_security.xml",
        "data/telecoop_usage_data.xml",
        "data/telecoop_mobile_billing_product_data.xml",
        "views/telecoop_mobile_plan_views.xml",
        "views/telecoop_mobile_line_views.xml",
        "views/telecoop_mobile_billing_menus.xml",
        "views/telecoop_usage_source_views.xml",
        "views/telecoop_usage_import_views.xml",
        "views/telecoop_usage_record_views.xml",
        "wizards/telecoop_usage_upload_wizard_views.xml",
        "wizards/telecoop_usage_attach_wizard_views.xml",
        "views/telecoop_usage_menus.xml",
    ],
    "demo": [
        "demo/telecoop_mobile_plan_demo.xml",
    ],
    "installable": True,
    "application": True,
}
