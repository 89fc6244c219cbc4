# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Cooperative general assemblies",
    "summary": "General assemblies: one member one vote, colleges, proxies, tally, minutes",
    "version": "19.0.1.0.0",
    "category": "Cooperative",
    "license": "AGPL-3",
    "author": "TeleCoop addons contributors",
    "website": "https://github.com/telecoop-addons/telecoop-addons",
    "depends": [
        "telecoop_membership",
        "account",
        "portal",
        "mail",
        # OCA: pays the interest on shares by SEPA credit transfer
        "account_banking_sepa_credit_transfer",
    ],
    "data": [
        "security/telecoop_agm_security.xml",
        "security/ir.model.access.csv",
        "security/telecoop_agm_rules.xml",
        "security/telecoop_surplus_allocation_rules.xml",
        "data/mail_template_data.xml",
        "data/telecoop_ballot_receipt_mail.xml",
        "data/telecoop_ballot_data.xml",
        "data/telecoop_assembly_cron.xml",
        "report/telecoop_assembly_reports.xml",
        "report/telecoop_interest_statement_report.xml",
        "views/telecoop_ballot_views.xml",
        "views/telecoop_assembly_views.xml",
        "views/telecoop_resolution_views.xml",
        "views/telecoop_agm_portal_templates.xml",
        "views/telecoop_surplus_allocation_views.xml",
        "views/telecoop_statute_profile_views.xml",
        "views/telecoop_interest_portal_templates.xml",
        "wizards/telecoop_surplus_allocation_wizard_views.xml",
        "wizards/telecoop_belenios_views.xml",
        "views/telecoop_agm_menus.xml",
    ],
    "demo": [
        "demo/telecoop_assembly_demo.xml",
        "demo/telecoop_tmo_rate_demo.xml",
        "demo/telecoop_surplus_allocation_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "telecoop_agm/static/src/js/tours/*.js",
        ],
    },
    "installable": True,
    "application": True,
}
