# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The surplus allocation wizard on a company with a chart of accounts."""

from datetime import timedelta
from decimal import Decimal as D

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.telecoop_membership.tests.common_accounting import TelecoopAccountingCommon


@tagged("post_install", "-at_install")
class TestSurplusAllocationWizard(TelecoopAccountingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_args = {"company_id": cls.company.id, "company_ids": cls.company.ids}
        cls.agm_manager = new_test_user(
            cls.env,
            login="tc_alloc_manager",
            groups="base.group_user,account.group_account_manager,"
            "telecoop_agm.telecoop_agm_group_manager",
            **company_args,
        )
        cls.agm_user = new_test_user(
            cls.env,
            login="tc_alloc_user",
            groups="base.group_user,telecoop_agm.telecoop_agm_group_user",
            **company_args,
        )
        account = cls.env["account.account"]

        def make(code, name, account_type):
            return account.create(
                {"code": code, "name": name, "account_type": account_type,
                 "company_ids": cls.company.ids}
            )  # fmt: skip

        cls.account_1061 = make("1061", "Réserve légale", "equity")
        cls.account_1063 = make("1063", "Réserves statutaires", "equity")
        cls.account_1068 = make("1068", "Autres réserves", "equity")
        cls.account_110 = make("110", "Report à nouveau créditeur", "equity")
        cls.account_119 = make("119", "Report à nouveau débiteur", "equity")
        cls.account_457 = make("457", "Associés - dividendes à payer", "liability_current")
        cls.account_74 = make("74", "Subventions d'exploitation", "income_other")
        cls.income = make("706", "Prestations de services", "income")
        cls.expense = make("604", "Achats de prestations", "expense")
        cls.result_account = cls.company.get_unaffected_earnings_account()
        cls.profile.write(
            {
                "allocation_journal_id": cls.misc_journal.id,
                "legal_reserve_account_id": cls.account_1061.id,
                "statutory_reserve_account_id": cls.account_1063.id,
                "other_reserves_account_id": cls.account_1068.id,
                "retained_earnings_account_id": cls.account_110.id,
                "retained_losses_account_id": cls.account_119.id,
                "interest_payable_account_id": cls.account_457.id,
                "subsidy_account_ids": [Command.set(cls.account_74.ids)],
                "tmo_rate_ids": [
                    Command.create({"year": 2023, "rate": 3.0}),
                    Command.create({"year": 2024, "rate": 3.2}),
                    Command.create({"year": 2025, "rate": 3.4}),
                ],
            }
        )
        # The register: a full year, a half year, and a buy-back on 1 October
        cls.alice = cls._create_member("Alice", shares=10, date="2024-01-01")
        cls.bob = cls._create_member("Bob", shares=5, date="2025-07-01")
        cls.carol = cls._create_member("Carol", shares=3, date="2024-03-01")
        cls.env["telecoop.share.line"].create(
            {
                "company_id": cls.company.id,
                "partner_id": cls.carol.id,
                "share_class_id": cls.share_class.id,
                "college_id": cls.college_users.id,
                "date": fields.Date.to_date("2025-10-01"),
                "movement_type": "buyback",
                "quantity": -1,
                "amount": -100,
            }
        )
        customer = cls.env["res.partner"].create({"name": "Customer"})
        # 2024: a loss of 3,000; 2025: a profit of 11,000 (1,000 of subsidies)
        cls._post_invoice("in_invoice", customer, "2024-05-10", cls.expense, 3000)
        cls._post_invoice("out_invoice", customer, "2025-06-15", cls.income, 12000)
        cls._post_invoice("in_invoice", customer, "2025-09-01", cls.expense, 2000)
        subsidy = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": cls.misc_journal.id,
                "date": "2025-03-01",
                "line_ids": [
                    Command.create(
                        {"account_id": cls.bank_journal.default_account_id.id, "debit": 1000}
                    ),
                    Command.create({"account_id": cls.account_74.id, "credit": 1000}),
                ],
            }
        )
        subsidy.action_post()
        # outside the year (2026) and not posted: never read
        cls._post_invoice("out_invoice", customer, "2026-01-10", cls.income, 500)
        cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": "2025-11-10",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Draft",
                            "price_unit": 999,
                            "account_id": cls.income.id,
                            "tax_ids": [Command.clear()],
                        }
                    )  # fmt: skip
                ],
            }
        )
        cls.company.fiscalyear_lock_date = fields.Date.to_date("2025-12-31")

    @classmethod
    def _post_invoice(cls, move_type, partner, on_date, account, amount):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": on_date,
                "date": on_date,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Service",
                            "quantity": 1,
                            "price_unit": amount,
                            "account_id": account.id,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    def _wizard(self, date_to="2025-12-31", **vals):
        return (
            self.env["telecoop.surplus.allocation.wizard"]
            .with_user(self.agm_manager)
            .create({"date_to": date_to, "date": "2026-06-15", **vals})
        )

    def _lines(self, move, account):
        lines = move.line_ids.filtered(lambda line: line.account_id == account)
        return D(str(self.currency.round(sum(lines.mapped("credit")) - sum(lines.mapped("debit")))))

    def test_wizard_reads_the_year_from_accounting(self):
        wizard = self._wizard()
        self.assertEqual(wizard.date_from, fields.Date.to_date("2025-01-01"))
        self.assertEqual(D(str(wizard.result)), D("11000"))
        self.assertEqual(D(str(wizard.capital)), D("1700"))
        self.assertEqual(D(str(wizard.subsidies)), D("1000"))
        self.assertEqual(wizard.legal_reserve_balance, 0)
        # 1000 + 500 x 184 / 365 + (300 x 365 - 100 x 92) / 365
        self.assertEqual(D(str(wizard.interest_base)), D("1526.84"))
        self.assertAlmostEqual(wizard.average_tmo, 3.2, places=4)
        self.assertAlmostEqual(wizard.interest_rate_cap, 5.2, places=4)
        # subsidies first, then 15 % of 10,000 and 50 % of the rest
        self.assertEqual(D(str(wizard.min_legal_reserve)), D("1500"))
        self.assertEqual(D(str(wizard.min_statutory_reserve)), D("5250"))
        self.assertEqual(D(str(wizard.max_free)), D("4250"))
        self.assertEqual(D(str(wizard.interest_cap)), D("79.39"))
        # the default proposal keeps the minimum reserves and carries forward the rest
        self.assertEqual(D(str(wizard.legal_reserve)), D("1500"))
        self.assertEqual(D(str(wizard.statutory_reserve)), D("5250"))
        self.assertEqual(D(str(wizard.carried_forward)), D("4250"))
        loss_year = self._wizard(date_to="2024-12-31")
        self.assertEqual(D(str(loss_year.result)), D("-3000"))

    def test_legal_reserve_read_from_its_account_becomes_full(self):
        """1,600 already in the legal reserve, capital 1,700: only 100 more are required."""
        self.company.fiscalyear_lock_date = False
        reserve = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": self.misc_journal.id,
                "date": "2025-05-20",
                "line_ids": [
                    Command.create({"account_id": self.account_110.id, "debit": 1600}),
                    Command.create({"account_id": self.account_1061.id, "credit": 1600}),
                ],
            }
        )
        reserve.action_post()
        self.company.fiscalyear_lock_date = fields.Date.to_date("2025-12-31")
        wizard = self._wizard()
        self.assertEqual(D(str(wizard.legal_reserve_balance)), D("1600"))
        self.assertEqual(D(str(wizard.min_legal_reserve)), D("100"))
        # 50 % of what is left after subsidies and the legal reserve: (10,000 - 100) / 2
        self.assertEqual(D(str(wizard.min_statutory_reserve)), D("5950"))
        self.assertEqual(D(str(wizard.carried_forward)), D("4950"))

    def test_proposal_below_the_floor_is_refused_with_the_figures(self):
        wizard = self._wizard(legal_reserve=1000, interest_rate=6)
        with self.assertRaises(ValidationError) as caught:
            wizard.action_create_allocation()
        message = str(caught.exception)
        self.assertIn("1000.00", message)
        self.assertIn("at least 1500.00", message)
        self.assertIn("cap of 5.2", message)
        self.assertFalse(self.env["telecoop.surplus.allocation"].search([]))

    def test_reasons_are_given_in_the_language_of_the_user(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["telecoop_agm"], ["fr_FR"])
        self.agm_manager.lang = "fr_FR"
        wizard = self._wizard(legal_reserve=1000, interest_rate=6)
        with self.assertRaises(ValidationError) as caught:
            wizard.with_context(lang="fr_FR").action_create_allocation()
        message = str(caught.exception)
        self.assertIn("enfreint les statuts", message)
        self.assertIn(
            "La réserve légale reçoit 1000.00, les statuts exigent au moins 1500.00", message
        )
        self.assertIn("dépassent le plafond de 5.2", message)

    def test_allocating_more_than_the_result_is_refused(self):
        wizard = self._wizard(other_reserves=5000)
        with self.assertRaisesRegex(ValidationError, "750.00 more than the result"):
            wizard.action_create_allocation()

    def test_valid_proposal_posts_the_entry_with_interest_per_member(self):
        wizard = self._wizard(other_reserves=1000, interest_rate=5)
        self.assertEqual(D(str(wizard.interest_on_shares)), D("76.34"))
        action = wizard.action_create_allocation()
        allocation = self.env["telecoop.surplus.allocation"].browse(action["res_id"])
        self.assertEqual(allocation.state, "draft")
        move = allocation.move_id
        self.assertEqual(move.state, "draft")
        self.assertEqual(self._lines(move, self.result_account), D("-11000"))
        self.assertEqual(self._lines(move, self.account_1061), D("1500"))
        self.assertEqual(self._lines(move, self.account_1063), D("5250"))
        self.assertEqual(self._lines(move, self.account_1068), D("1000"))
        self.assertEqual(self._lines(move, self.account_457), D("76.34"))
        self.assertEqual(self._lines(move, self.account_110), D("3173.66"))
        # interest per member, pro rata temporis, exact to the cent
        amounts = {line.partner_id: D(str(line.amount)) for line in allocation.line_ids}
        self.assertEqual(
            amounts, {self.alice: D("50.00"), self.bob: D("12.60"), self.carol: D("13.74")}
        )
        self.assertEqual(sum(amounts.values()), D("76.34"))
        interest_lines = move.line_ids.filtered(lambda line: line.account_id == self.account_457)
        self.assertEqual({line.partner_id: D(str(line.credit)) for line in interest_lines}, amounts)
        allocation.with_user(self.agm_manager).action_post()
        self.assertEqual((allocation.state, move.state), ("posted", "posted"))
        # the year is allocated once
        with self.assertRaisesRegex(UserError, "already allocated"):
            self._wizard().action_create_allocation()

    def test_interest_booked_as_one_total_line(self):
        self.profile.interest_line_per_member = False
        action = self._wizard(interest_rate=5).action_create_allocation()
        allocation = self.env["telecoop.surplus.allocation"].browse(action["res_id"])
        interest = allocation.move_id.line_ids.filtered(
            lambda line: line.account_id == self.account_457
        )
        self.assertEqual((len(interest), D(str(interest.credit))), (1, D("76.34")))
        self.assertEqual(len(allocation.line_ids), 3)  # the detail stays on the allocation

    def test_loss_is_carried_forward(self):
        wizard = self._wizard(date_to="2024-12-31")
        self.assertEqual(D(str(wizard.carried_forward)), D("-3000"))
        self.assertEqual(wizard.min_legal_reserve, 0)
        refused = self._wizard(date_to="2024-12-31", interest_rate=1)
        with self.assertRaisesRegex(ValidationError, "carried forward"):
            refused.action_create_allocation()
        action = wizard.action_create_allocation()
        allocation = self.env["telecoop.surplus.allocation"].browse(action["res_id"])
        allocation.action_post()
        move = allocation.move_id
        self.assertEqual(self._lines(move, self.account_119), D("-3000"))
        self.assertEqual(self._lines(move, self.result_account), D("3000"))
        self.assertEqual(move.state, "posted")
        self.assertFalse(allocation.line_ids.filtered("amount"))

    def test_open_year_is_refused(self):
        wizard = self._wizard(date_to="2026-12-31")
        wizard.date = fields.Date.to_date("2027-06-15")
        with self.assertRaisesRegex(UserError, "not closed"):
            wizard.action_create_allocation()

    def test_interest_needs_the_tmo_of_three_years(self):
        self.profile.tmo_rate_ids.filtered(lambda line: line.year == 2023).unlink()
        wizard = self._wizard(interest_rate=1)
        self.assertEqual(wizard.tmo_missing_years, "2023")
        with self.assertRaisesRegex(ValidationError, "TMO rate of 2023"):
            wizard.action_create_allocation()

    def test_proposal_taken_from_the_winning_option_of_the_assembly(self):
        now = self.env.cr.now().replace(microsecond=0)
        proposal = {"allocation_proposal": True, "allocation_legal_reserve": 1500,
                    "allocation_statutory_reserve": 5250}  # fmt: skip
        assembly = self.env["telecoop.assembly"].create(
            {
                "name": "AGO 2026",
                "company_id": self.company.id,
                "date": now + timedelta(days=1),
                "record_date": "2026-02-01",
                "vote_start": now - timedelta(days=1),
                "vote_end": now + timedelta(days=1),
                "resolution_ids": [
                    Command.create(
                        {
                            "name": "Allocation of the result of 2025",
                            "vote_kind": "options",
                            "choice_ids": [
                                Command.create(
                                    {"name": "Reserves", "code": "reserves", **proposal}
                                ),
                                Command.create(
                                    {
                                        "name": "Interest at 5 %",
                                        "code": "interest",
                                        **proposal,
                                        "allocation_interest_rate": 5,
                                    }
                                ),  # fmt: skip
                            ],
                        }
                    )
                ],
            }
        )
        resolution = assembly.resolution_ids
        interest = resolution.choice_ids.filtered(lambda c: c.code == "interest")
        assembly.action_convene()
        assembly.action_open()
        for partner in (self.alice, self.bob):
            assembly._portal_vote(partner, resolution.id, interest.id)
        assembly.action_close()
        assembly.action_tally()
        self.assertEqual(resolution.winner_choice_id, interest)
        wizard = self._wizard(resolution_id=resolution.id)
        self.assertEqual((wizard.interest_rate, D(str(wizard.legal_reserve))), (5, D("1500")))
        self.assertEqual(D(str(wizard.carried_forward)), D("4173.66"))
        changed = self._wizard(resolution_id=resolution.id, interest_rate=4)
        with self.assertRaisesRegex(UserError, "differs from the option Interest at 5 %"):
            changed.action_create_allocation()
        action = wizard.action_create_allocation()
        allocation = self.env["telecoop.surplus.allocation"].browse(action["res_id"])
        self.assertEqual((allocation.resolution_id, allocation.assembly_id), (resolution, assembly))
        self.assertEqual(D(str(allocation.interest_on_shares)), D("76.34"))

    def test_only_agm_managers_allocate(self):
        for user in (self.agm_user, self.internal_user):
            with self.assertRaises(AccessError):
                self.env["telecoop.surplus.allocation.wizard"].with_user(user).create(
                    {"date_to": "2025-12-31", "date": "2026-06-15"}
                )
            with self.assertRaises(AccessError):
                self.env["telecoop.surplus.allocation"].with_user(user).create(
                    {
                        "name": "x",
                        "company_id": self.company.id,
                        "date_from": "2025-01-01",
                        "date_to": "2025-12-31",
                        "date": "2026-06-15",
                    }
                )
