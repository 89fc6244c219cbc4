# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tests that cross the three addons."""

import base64
import unittest

from odoo.tests import TransactionCase, tagged

ADDONS = ("telecoop_membership", "telecoop_mobile_billing", "telecoop_agm")


@tagged("post_install", "-at_install")
class TestAddonsTogether(TransactionCase):
    def test_each_addon_has_staff_groups_under_cooperative(self):
        category = self.env.ref("telecoop_membership.module_category_cooperative")
        for addon in ADDONS:
            with self.subTest(addon=addon):
                user = self.env.ref(f"{addon}.{addon}_group_user")
                manager = self.env.ref(f"{addon}.{addon}_group_manager")
                self.assertEqual(user.privilege_id.category_id, category)
                self.assertIn(user, manager.all_implied_ids)
                self.assertIn(
                    self.env.ref("telecoop_membership.telecoop_membership_group_user"),
                    user.all_implied_ids,
                )

    def test_each_addon_has_a_top_level_menu_for_its_staff(self):
        for addon in ADDONS:
            with self.subTest(addon=addon):
                menu = self.env.ref(f"{addon}.{addon}_menu_root")
                self.assertFalse(menu.parent_id)
                self.assertIn(self.env.ref(f"{addon}.{addon}_group_user"), menu.group_ids)


@tagged("post_install", "-at_install")
class TestFrenchDemo(TransactionCase):
    """The demo cooperative is a French SCIC (database installed with demo data)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.profile = cls.env.ref(
            "telecoop_membership.telecoop_statute_profile_telecoop", raise_if_not_found=False
        )
        if not cls.profile:
            raise unittest.SkipTest("needs the demo data")
        cls.company = cls.env.ref("base.main_company")
        cls.fr = cls.env.ref("base.fr")

    def test_company_is_french_in_euros_on_a4_with_its_layout_and_logo(self):
        company = self.company
        self.assertEqual(company.name, "TeleCoop SCIC")
        self.assertEqual(company.country_id, self.fr)
        self.assertEqual(company.account_fiscal_country_id, self.fr)
        self.assertEqual(company.currency_id, self.env.ref("base.EUR"))
        self.assertEqual(company.chart_template, "fr")
        self.assertEqual(company.paperformat_id.format, "A4")
        self.assertTrue(company.external_report_layout_id, "no layout dialog at first print")
        self.assertEqual(company.city, "Lyon")
        # SIRET (14 digits: the SIREN and the establishment), VAT number from the SIREN
        self.assertEqual(company.company_registry, "91234567500017")
        self.assertEqual(company.vat, "FR65912345675")
        self.assertIn("loi n° 47-1775", company.report_footer)
        self.assertIn(b"<svg", base64.b64decode(company.logo))
        self.assertEqual(self.profile.legal_form, "scic")

    def test_french_chart_holds_the_capital_and_the_revenue(self):
        accounts = self.env["account.account"].with_company(self.company)

        def account(code):
            return accounts.search([("code", "=", code), ("company_ids", "in", self.company.ids)])

        self.assertEqual(self.profile.capital_paid_account_id, account("101300"))
        self.assertEqual(self.profile.capital_called_unpaid_account_id, account("101200"))
        self.assertEqual(self.profile.buyback_payable_account_id, account("456700"))
        self.assertEqual(account("706000").account_type, "income")
        # the capital paid in the demo is on 101300, 100 EUR a share: the founders' 200,
        # Julien's 2, Yanis's 1 and the one he passed to Léa = 204 shares, 20,400 EUR;
        # Camille's 3 (300 EUR), bought back by a decision not yet paid, wait on 456700
        self.assertEqual(-account("101300").current_balance, 20400)
        self.assertEqual(-account("456700").current_balance, 300)

    def test_plan_products_take_the_french_20_percent_vat_price_included(self):
        for xmlid in ("product_mobile_plan", "product_mobile_usage"):
            with self.subTest(product=xmlid):
                product = self.env.ref(f"telecoop_mobile_billing.{xmlid}")
                taxes = product.taxes_id.filtered(lambda t: t.company_id == self.company)
                self.assertEqual(taxes.mapped("amount"), [20.0])
                self.assertEqual(taxes.price_include_override, "tax_included")
        # the published price of TeleCoop's plan, 14 EUR, is a price with the VAT:
        # 14 / 1.2 = 11.67 without tax, 2.33 of VAT
        tax = self.env.ref("telecoop_mobile_billing.product_mobile_plan").taxes_id.filtered(
            lambda t: t.company_id == self.company
        )
        computed = tax.compute_all(14.0, self.company.currency_id)
        self.assertEqual(computed["total_included"], 14.0)
        self.assertAlmostEqual(computed["total_excluded"], 11.67, places=2)

    def test_holders_invoices_carry_the_vat(self):
        """No fiscal position makes a holder tax-free: last month's invoices carry 20 %."""
        lines = self.env["telecoop.mobile.line"].search([("company_id", "=", self.company.id)])
        plan = self.env.ref("telecoop_mobile_billing.product_mobile_plan")
        invoices = self.env["account.move"].search(
            [("company_id", "=", self.company.id), ("move_type", "=", "out_invoice"),
             ("state", "=", "posted"), ("invoice_line_ids.product_id", "=", plan.id)]
        )  # fmt: skip
        self.assertEqual(invoices.partner_id, lines.partner_id)
        for invoice in invoices:
            with self.subTest(invoice=invoice.name):
                self.assertEqual(invoice.currency_id, self.env.ref("base.EUR"))
                for line in invoice.invoice_line_ids.filtered("product_id"):
                    self.assertEqual(line.tax_ids.mapped("amount"), [20.0])
                # the VAT inside a price with tax: total x 20 / 120, rounded per line
                self.assertAlmostEqual(
                    invoice.amount_tax, invoice.amount_total / 6, delta=0.01 * len(invoice.line_ids)
                )
        # Yanis's adjustable plan, under 5 GB last month: the published 14 EUR
        yanis = self.env.ref("telecoop_membership.telecoop_demo_partner_yanis")
        invoice = invoices.filtered(lambda move: move.partner_id == yanis)
        self.assertEqual(
            (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total), (11.67, 2.33, 14.0)
        )

    def test_people_of_the_demo_are_french_and_not_odoo_furniture_companies(self):
        partners = (
            self.env["telecoop.mobile.line"]
            .search([("company_id", "=", self.company.id)])
            .partner_id
            | self.env["telecoop.share.line"]
            .search([("company_id", "=", self.company.id)])
            .partner_id
        )
        furniture = self.env["ir.model.data"].search(
            [("model", "=", "res.partner"), ("module", "=", "base"), ("res_id", "in", partners.ids),
             ("name", "=like", "res_partner_%")]
        )  # fmt: skip
        self.assertFalse(furniture)
        self.assertEqual(partners.country_id, self.fr)
        self.assertNotIn("Joel Willis", partners.mapped("name"))
        self.assertNotIn("YourCompany", partners.mapped("display_name"))

    def test_users_speak_french_in_paris_and_english_stays(self):
        langs = self.env["res.lang"].search([]).mapped("code")
        self.assertIn("fr_FR", langs)
        self.assertIn("en_US", langs)
        for xmlid in ("base.user_admin", "base.demo_user0"):
            with self.subTest(user=xmlid):
                user = self.env.ref(xmlid)
                self.assertEqual(user.lang, "fr_FR")
                self.assertEqual(user.tz, "Europe/Paris")
        members = (
            self.env["telecoop.share.line"]
            .search([("company_id", "=", self.company.id)])
            .partner_id
        )
        self.assertEqual(set(members.mapped("tz")), {"Europe/Paris"})
        # the French translations of the addons are loaded, the English switch works
        menu = self.env.ref("telecoop_membership.telecoop_membership_menu_root")
        self.assertNotEqual(
            menu.with_context(lang="fr_FR").name, menu.with_context(lang="en_US").name
        )

    def test_colleges_and_share_classes_of_the_demo_read_in_french(self):
        """The demo's colleges and share classes are data records translated in
        telecoop_membership/i18n/fr.po: French for a French reader, English kept."""
        colleges = self.profile.college_ids.sorted("sequence")
        self.assertEqual(
            colleges.with_context(lang="fr_FR").mapped("name"),
            ["Usagers", "Salariés", "Fondateurs", "Partenaires"],
        )
        self.assertEqual(
            colleges.with_context(lang="en_US").mapped("name"),
            ["Users", "Employees", "Founders", "Partners"],
        )
        self.assertEqual(colleges.mapped("vote_weight"), [40, 20, 20, 20])
        energie = self.env.ref("telecoop_membership.telecoop_statute_profile_energie")
        self.assertEqual(
            energie.college_ids.sorted("sequence").with_context(lang="fr_FR").mapped("name"),
            ["Consommateurs", "Producteurs", "Collectivités locales"],
        )
        users_share = self.env.ref("telecoop_membership.telecoop_share_class_users")
        self.assertEqual(users_share.with_context(lang="fr_FR").name, "Part des usagers")
        self.assertEqual(users_share.with_context(lang="en_US").name, "Users share")
        self.assertEqual(users_share.college_id, colleges[0])
