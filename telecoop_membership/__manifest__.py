# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Cooperative membership and shares",
    "summary": "Statute profiles, colleges, cooperative shares and the register of members",
    "version": "19.0.2.0.4",
    "category": "Cooperative",
    "license": "AGPL-3",
    "author": "TeleCoop addons contributors",
    "website": "https://github.com/telecoop-addons/telecoop-addons",
    "depends": [
        "contacts",
        "account",
        "portal",
        "auth_signup",
        "mail",
        # French cooperative law (loi 47-1775, SCIC): the French chart of accounts
        "l10n_fr_account",
    ],
    "data": [
        "security/telecoop_membership_security.xml",
        "security/ir.model.access.csv",
        "security/telecoop_membership_rules.xml",
        "data/ir_sequence_data.xml",
        "data/mail_template_data.xml",
        "views/telecoop_statute_profile_views.xml",
        "views/telecoop_share_class_views.xml",
        "views/telecoop_subscription_request_views.xml",
        "views/telecoop_share_line_views.xml",
        "views/telecoop_share_transfer_views.xml",
        "views/telecoop_share_buyback_views.xml",
        "views/telecoop_membership_views.xml",
        "views/res_partner_views.xml",
        "wizards/telecoop_register_wizard_views.xml",
        "report/telecoop_membership_reports.xml",
        "views/telecoop_membership_menus.xml",
        "views/telecoop_register_import_views.xml",
        "views/telecoop_membership_portal_templates.xml",
        "views/telecoop_public_subscription_templates.xml",
    ],
    "assets": {
        "web.report_assets_pdf": [
            "telecoop_membership/static/src/css/report_pdf_fonts.css",
        ],
        "web.assets_tests": [
            "telecoop_membership/static/tests/tours/*.js",
        ],
    },
    "demo": [
        "demo/telecoop_demo_company.xml",
        "demo/telecoop_statute_profile_demo.xml",
        "demo/telecoop_membership_demo.xml",
    ],
    "uninstall_hook": "uninstall_hook",
    "installable": True,
    "application": True,
}
