# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The surplus allocation wizard on a company with a chart of accounts."""

from datetime import timedelta
from decimal import Decimal as D

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from odoo.addons.telecoop_membership.tests.common_accounting import TelecoopAccountingCommon
from odoo.addons.telecoop_membership.tests.pdf import PdfRouteMixin


class SurplusAllocationCommon(TelecoopAccountingCommon):
    """A closed fiscal year 2025 with a result, subsidies and a register, and 2024's loss."""

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


@tagged("post_install", "-at_install")
class TestSurplusAllocationWizard(SurplusAllocationCommon):
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
        """Worked figures of 2025 (loi 47-1775 art. 16, 19 nonies, 14):
        result 12,000 - 2,000 + 1,000 of subsidies = 11,000, no earlier loss;
        highest capital 1,800 (1 July to 1 October), 1,700 at year end;
        legal reserve 15 % x 11,000 = 1,650 (under the 1,800 it runs to);
        statutory 50 % x (11,000 - 1,650) = 4,675; rest 4,675;
        subsidies 1,000 out of the interest's base and to the statutory reserves:
        statutory at least 5,675, left to the assembly 3,675;
        interest at most 5.2 % (average TMO 2023-2025 3.2 + 2) of 1,526.84 = 79.39."""
        wizard = self._wizard()
        self.assertEqual(wizard.date_from, fields.Date.to_date("2025-01-01"))
        self.assertEqual(D(str(wizard.result)), D("11000"))
        self.assertEqual(D(str(wizard.capital)), D("1700"))
        self.assertEqual(D(str(wizard.highest_capital)), D("1800"))
        self.assertEqual(D(str(wizard.subsidies)), D("1000"))
        self.assertEqual((wizard.legal_reserve_balance, wizard.retained_losses), (0, 0))
        # 1000 + 500 x 184 / 365 + (300 x 365 - 100 x 92) / 365
        self.assertEqual(D(str(wizard.interest_base)), D("1526.84"))
        self.assertAlmostEqual(wizard.average_tmo, 3.2, places=4)
        self.assertAlmostEqual(wizard.interest_rate_cap, 5.2, places=4)
        self.assertEqual(D(str(wizard.min_legal_reserve)), D("1650"))
        self.assertEqual(D(str(wizard.min_statutory_reserve)), D("5675"))
        self.assertEqual(D(str(wizard.max_free)), D("3675"))
        self.assertEqual(D(str(wizard.interest_cap_by_subsidies)), D("3675"))
        self.assertEqual(D(str(wizard.interest_cap)), D("79.39"))
        # the default proposal keeps the minimum reserves and carries forward the rest
        self.assertEqual(D(str(wizard.legal_reserve)), D("1650"))
        self.assertEqual(D(str(wizard.statutory_reserve)), D("5675"))
        self.assertEqual(D(str(wizard.carried_forward)), D("3675"))
        for article in ("L232-11", "art. 16", "art. 19 nonies", "art. 14"):
            self.assertIn(article, wizard.computation)
        loss_year = self._wizard(date_to="2024-12-31")
        self.assertEqual(D(str(loss_year.result)), D("-3000"))

    def _post_entry(self, on_date, debit_account, credit_account, amount):
        """An entry inside the locked year: unlock it, post, lock it again."""
        lock = self.company.fiscalyear_lock_date
        self.company.fiscalyear_lock_date = False
        move = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": self.misc_journal.id,
                "date": on_date,
                "line_ids": [
                    Command.create({"account_id": debit_account.id, "debit": amount}),
                    Command.create({"account_id": credit_account.id, "credit": amount}),
                ],
            }
        )
        move.action_post()
        self.company.fiscalyear_lock_date = lock
        return move

    def test_legal_reserve_read_from_its_account_becomes_full(self):
        """1,600 already in the legal reserve, highest capital 1,800: only 200 more are
        required (art. 16); statutory 50 % x (11,000 - 200) = 5,400, plus the 1,000 of
        subsidies = 6,400; carried forward 4,400."""
        self._post_entry("2025-05-20", self.account_110, self.account_1061, 1600)
        wizard = self._wizard()
        self.assertEqual(D(str(wizard.legal_reserve_balance)), D("1600"))
        self.assertEqual(D(str(wizard.min_legal_reserve)), D("200"))
        self.assertEqual(D(str(wizard.min_statutory_reserve)), D("6400"))
        self.assertEqual(D(str(wizard.carried_forward)), D("4400"))

    def test_legal_reserve_runs_to_the_highest_capital_not_the_year_end_capital(self):
        """Legal reserve 1,750: above the 1,700 of capital at year end, below the 1,800
        reached in the year: 50 more are owed (art. 16, "capital le plus élevé atteint")."""
        self._post_entry("2025-05-20", self.account_110, self.account_1061, 1750)
        self.assertEqual(D(str(self._wizard().min_legal_reserve)), D("50"))

    def test_reserves_already_at_the_highest_capital(self):
        """Legal reserve 1,800 = highest capital: nothing more to it; statutory 50 % of
        11,000 = 5,500 + 1,000 of subsidies = 6,500; free 4,500."""
        self._post_entry("2025-05-20", self.account_110, self.account_1061, 1800)
        wizard = self._wizard()
        self.assertEqual(wizard.min_legal_reserve, 0)
        self.assertEqual(D(str(wizard.min_statutory_reserve)), D("6500"))
        self.assertEqual(D(str(wizard.max_free)), D("4500"))

    def test_subsidies_larger_than_the_free_part(self):
        """10,000 more of subsidies in 2025: result 21,000, subsidies 11,000. Legal
        reserve up to the highest capital, 1,800; statutory 50 % x 19,200 = 9,600; the
        9,600 left are less than the subsidies: no interest at all (art. 19 nonies)."""
        self._post_entry("2025-04-01", self.bank_journal.default_account_id, self.account_74, 10000)
        wizard = self._wizard()
        self.assertEqual(D(str(wizard.result)), D("21000"))
        self.assertEqual(D(str(wizard.min_legal_reserve)), D("1800"))
        self.assertEqual(D(str(wizard.min_statutory_reserve)), D("19200"))
        self.assertEqual((wizard.max_free, wizard.interest_cap), (0, 0))
        refused = self._wizard(interest_rate=1)
        self.assertEqual(D(str(refused.interest_on_shares)), D("15.26"))
        with self.assertRaisesRegex(ValidationError, "subsidies .* art. 19 nonies"):
            refused.action_create_allocation()
        action = wizard.action_create_allocation()  # the default proposal is valid
        allocation = self.env["telecoop.surplus.allocation"].browse(action["res_id"])
        self.assertEqual(self._lines(allocation.move_id, self.account_1063), D("19200"))

    def test_retained_losses_are_absorbed_first(self):
        """2024's loss of 3,000 is carried forward (booked on 15 June 2025 on 119); the
        2025 result absorbs it first (Code de commerce L232-11): base 8,000, legal
        1,200, statutory 50 % x 6,800 = 3,400 + 1,000 of subsidies, free 2,400."""
        self.company.fiscalyear_lock_date = fields.Date.to_date("2024-12-31")
        loss = self._wizard(date_to="2024-12-31", date="2025-06-15")
        allocation_2024 = self.env["telecoop.surplus.allocation"].browse(
            loss.action_create_allocation()["res_id"]
        )
        allocation_2024.action_post()
        self.company.fiscalyear_lock_date = fields.Date.to_date("2025-12-31")
        wizard = self._wizard()
        self.assertEqual(D(str(wizard.retained_losses)), D("3000"))
        self.assertEqual(D(str(wizard.losses_absorbed)), D("3000"))
        self.assertEqual(D(str(wizard.allocation_base)), D("8000"))
        self.assertEqual(D(str(wizard.min_legal_reserve)), D("1200"))
        self.assertEqual(D(str(wizard.min_statutory_reserve)), D("4400"))
        self.assertEqual(D(str(wizard.carried_forward)), D("2400"))
        action = wizard.action_create_allocation()
        move = self.env["telecoop.surplus.allocation"].browse(action["res_id"]).move_id
        self.assertEqual(self._lines(move, self.account_119), D("3000"))
        self.assertEqual(self._lines(move, self.account_1061), D("1200"))
        self.assertEqual(self._lines(move, self.account_110), D("2400"))
        self.assertEqual(self._lines(move, self.result_account), D("-11000"))

    def test_tmo_years_are_those_before_the_assembly(self):
        """Art. 14: the three calendar years before the assembly, whatever the date of
        the entry. TMO 2023 3.0, 2024 3.2, 2025 3.4, 2026 4.0: an assembly in 2026
        caps at 3.2 + 2 = 5.2 %, one in 2027 at (3.2 + 3.4 + 4.0) / 3 + 2 = 5.5333 %."""
        self.profile.tmo_rate_ids = [Command.create({"year": 2026, "rate": 4.0})]
        in_2026 = self._wizard(date="2027-02-01", assembly_date="2026-06-15")
        self.assertAlmostEqual(in_2026.interest_rate_cap, 5.2, places=4)
        in_2027 = self._wizard(date="2027-02-01", assembly_date="2027-01-15")
        self.assertAlmostEqual(in_2027.average_tmo, 3.5333, places=4)
        self.assertAlmostEqual(in_2027.interest_rate_cap, 5.5333, places=4)
        action = in_2026.action_create_allocation()
        allocation = self.env["telecoop.surplus.allocation"].browse(action["res_id"])
        self.assertEqual(allocation.assembly_date, fields.Date.to_date("2026-06-15"))
        self.assertAlmostEqual(allocation.interest_rate_cap, 5.2, places=4)

    def test_assembly_date_is_the_date_of_the_assembly_chosen(self):
        """Attack over RPC as an assembly administrator: choose the assembly of 2026 and
        type 2027 as its date, so that the TMO years are 2024-2026 (average 3.5333, cap
        5.5333 %) instead of 2023-2025 (3.2, cap 5.2 %): 5.5 % of interest passed."""
        self.profile.tmo_rate_ids = [Command.create({"year": 2026, "rate": 4.0})]
        now = self.env.cr.now().replace(microsecond=0)
        assembly = self.env["telecoop.assembly"].create(
            {"name": "AGO 2026", "company_id": self.company.id,
             "date": fields.Datetime.to_datetime("2026-06-15 14:00:00"),
             "record_date": "2026-02-01", "vote_start": now - timedelta(days=1),
             "vote_end": now + timedelta(days=1)}
        )  # fmt: skip
        typed = self._wizard(
            date="2027-02-01", assembly_id=assembly.id, assembly_date="2027-01-15",
            interest_rate=5.5,
        )  # fmt: skip
        with (
            self.assertRaisesRegex(ValidationError, "2026-06-15, not 2027-01-15"),
            self.env.cr.savepoint(),
        ):
            typed.action_create_allocation()
        wizard = self._wizard(date="2027-02-01", assembly_id=assembly.id, interest_rate=5.2)
        self.assertEqual(wizard.assembly_date, fields.Date.to_date("2026-06-15"))
        action = wizard.action_create_allocation()
        allocation = self.env["telecoop.surplus.allocation"].browse(action["res_id"])
        self.assertAlmostEqual(allocation.interest_rate_cap, 5.2, places=4)

    def test_start_typed_after_the_end_is_a_clear_error(self):
        form = Form(self.env["telecoop.surplus.allocation.wizard"].with_user(self.agm_manager))
        form.date_to = "2025-12-31"
        form.date_from = "2026-01-01"  # typed after the end: no crash
        self.assertIn("after its end", form.period_error)
        self.assertFalse(form.result)
        wizard = form.save()
        with self.assertRaisesRegex(UserError, "starts on 2026-01-01, after its end"):
            wizard.action_create_allocation()
        with self.assertRaisesRegex(UserError, "after its end"):
            self.env["telecoop.surplus.allocation"]._read_fiscal_year(
                self.company,
                fields.Date.to_date("2026-01-01"),
                fields.Date.to_date("2025-12-31"),
                None,
            )

    def test_resolution_and_assembly_offer_no_create(self):
        arch = self.env["telecoop.surplus.allocation.wizard"].get_view()["arch"]
        for name in ("resolution_id", "assembly_id"):
            self.assertRegex(arch, rf'name="{name}"[^>]*no_create[^>]*True')

    def test_proposal_below_the_floor_is_refused_with_the_figures(self):
        wizard = self._wizard(legal_reserve=1000, interest_rate=6)
        with self.assertRaises(ValidationError) as caught:
            wizard.action_create_allocation()
        message = str(caught.exception)
        self.assertIn("1000.00", message)
        self.assertIn("at least 1650.00 (loi n° 47-1775 art. 16)", message)
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
        self.assertIn("La réserve légale reçoit 1000.00, la loi exige au moins 1650.00", message)
        self.assertIn("dépassent le plafond de 5.2", message)

    def test_allocating_more_than_the_result_is_refused(self):
        wizard = self._wizard(other_reserves=5000)
        # 11,000 - 1,650 - 5,675 - 5,000
        with self.assertRaisesRegex(ValidationError, "1325.00 more than the result"):
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
        self.assertEqual(self._lines(move, self.account_1061), D("1650"))
        self.assertEqual(self._lines(move, self.account_1063), D("5675"))
        self.assertEqual(self._lines(move, self.account_1068), D("1000"))
        self.assertEqual(self._lines(move, self.account_457), D("76.34"))
        # 11,000 - 1,650 - 5,675 - 1,000 - 76.34
        self.assertEqual(self._lines(move, self.account_110), D("2598.66"))
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
        proposal = {"allocation_proposal": True, "allocation_legal_reserve": 1650,
                    "allocation_statutory_reserve": 5675}  # fmt: skip
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
        # what the wizard makes of the option voted: 11,000 - 1,650 - 5,675 - 76.34 of
        # interest at 5 % (the option "Reserves" would carry 3,675.00 forward)
        self.assertEqual(D(str(wizard.carried_forward)), D("3598.66"))
        changed = self._wizard(resolution_id=resolution.id, interest_rate=4)
        with self.assertRaisesRegex(UserError, "differs from the option Interest at 5 %"):
            changed.action_create_allocation()
        action = wizard.action_create_allocation()
        allocation = self.env["telecoop.surplus.allocation"].browse(action["res_id"])
        self.assertEqual((allocation.resolution_id, allocation.assembly_id), (resolution, assembly))
        self.assertEqual(D(str(allocation.interest_on_shares)), D("76.34"))

    def test_allocation_is_made_by_the_wizard_only(self):
        """Attack over RPC as an assembly administrator: create an allocation with figures
        of one's own, or rewrite on a draft the figures read from accounting (no subsidies,
        a larger result) and the proposal, so that the legal floors checked at posting
        are computed on false figures. Only the name, the date and the assembly change."""
        Allocation = self.env["telecoop.surplus.allocation"].with_user(self.agm_manager)
        with self.assertRaisesRegex(UserError, "created by the allocation wizard"):
            Allocation.create(
                {
                    "name": "Made up",
                    "company_id": self.company.id,
                    "date_from": "2024-01-01",
                    "date_to": "2024-12-31",
                    "date": "2025-06-15",
                    "result": 100000,
                    "interest_rate": 5,
                }
            )
        action = self._wizard(interest_rate=5).action_create_allocation()
        allocation = Allocation.browse(action["res_id"])
        for vals in (
            {"subsidies": 0},
            {"result": 50000},
            {"legal_reserve": 0, "carried_forward": 5325},
            {"interest_on_shares": 500},
            {"state": "posted"},
            {"move_id": False},
            {"company_id": self.env.company.id},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "cannot be written"):
                allocation.write(vals)
        allocation.write({"name": "Allocation 2025, as voted"})
        self.assertEqual(
            (D(str(allocation.subsidies)), D(str(allocation.interest_on_shares))),
            (D("1000"), D("76.34")),
        )
        allocation.action_post()
        with self.assertRaisesRegex(UserError, "cannot be written"):
            allocation.write({"name": "Renamed after posting"})

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


@tagged("post_install", "-at_install")
class TestSurplusAllocationWizardTour(HttpCase, SurplusAllocationCommon):
    def test_wizard_typed_field_by_field(self):
        self.start_tour(
            "/odoo/action-telecoop_agm.telecoop_surplus_allocation_wizard_action",
            "telecoop_surplus_allocation_wizard",
            login="tc_alloc_manager",
        )
        allocation = self.env["telecoop.surplus.allocation"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(allocation.date_to, fields.Date.to_date("2025-12-31"))
        self.assertEqual(D(str(allocation.legal_reserve)), D("1650"))
        self.assertEqual(D(str(allocation.statutory_reserve)), D("5675"))
        self.assertEqual(allocation.move_id.state, "draft")


@tagged("post_install", "-at_install")
class TestSurplusAllocationDemo(TelecoopAccountingCommon):
    """The demo's fiscal year (demo/telecoop_surplus_allocation_demo.xml) can be allocated."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.year = fields.Date.context_today(cls.env["res.partner"]).year - 1
        cls._create_member("Demo Member", shares=10, date=f"{cls.year}-01-01")
        cls.env["telecoop.surplus.allocation"]._demo_prepare_fiscal_year(cls.company)
        cls.company.fiscalyear_lock_date = fields.Date.to_date(f"{cls.year}-12-31")
        cls.manager = new_test_user(
            cls.env,
            login="tc_demo_alloc",
            groups="base.group_user,account.group_account_manager,"
            "telecoop_agm.telecoop_agm_group_manager",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )

    def _wizard(self, **vals):
        return (
            self.env["telecoop.surplus.allocation.wizard"]
            .with_user(self.manager)
            .create(
                {
                    "date_to": f"{self.year}-12-31",
                    "date": f"{self.year + 1}-06-15",
                    **vals,
                }
            )
        )

    def test_demo_year_refuses_a_proposal_breaking_the_floor_and_books_a_valid_one(self):
        """Result 50,000 - 30,000 + 6,000 = 26,000; loss of 4,000 carried forward: base
        22,000; legal reserve up to the highest capital, 1,000; statutory 50 % x 21,000
        = 10,500, plus the 6,000 of subsidies; left 4,500."""
        wizard = self._wizard()
        self.assertEqual(D(str(wizard.result)), D("26000"))
        self.assertEqual(D(str(wizard.retained_losses)), D("4000"))
        self.assertEqual(D(str(wizard.subsidies)), D("6000"))
        self.assertEqual(D(str(wizard.min_legal_reserve)), D("1000"))
        self.assertEqual(D(str(wizard.min_statutory_reserve)), D("16500"))
        self.assertEqual(D(str(wizard.carried_forward)), D("4500"))
        with self.assertRaisesRegex(ValidationError, "art. 16"):
            self._wizard(legal_reserve=500).action_create_allocation()
        action = wizard.action_create_allocation()
        allocation = self.env["telecoop.surplus.allocation"].browse(action["res_id"])
        allocation.with_user(self.manager).action_post()
        self.assertEqual(allocation.move_id.state, "posted")


@tagged("post_install", "-at_install")
class TestInterestOfAMemberWhoSoldBack(SurplusAllocationCommon):
    def test_member_bought_back_in_june_earns_until_the_buyback(self):
        """Dave holds 10 shares (1,000) from 1 January 2025 and the board buys them all
        back on 15 June 2025: he held them 165 days of 365 (1 January to 14 June), so
        his base is 1,000 x 165 / 365 = 452.05, and of the 98.99 paid at 5 % on the
        1,979.89 held over the year he earns 98.99 x 452.05 / 1,979.89 = 22.60
        (easy_my_coop's old dividend module gave him nothing)."""
        dave = self._create_member("Dave", shares=10, date="2025-01-01")
        self.env["telecoop.share.line"].create(
            {
                "company_id": self.company.id,
                "partner_id": dave.id,
                "share_class_id": self.share_class.id,
                "college_id": self.college_users.id,
                "date": fields.Date.to_date("2025-06-15"),
                "movement_type": "buyback",
                "quantity": -10,
                "amount": -1000,
            }
        )
        wizard = (
            self.env["telecoop.surplus.allocation.wizard"]
            .with_user(self.agm_manager)
            .create({"date_to": "2025-12-31", "date": "2026-06-15", "interest_rate": 5})
        )
        self.assertEqual(D(str(wizard.interest_base)), D("1526.84") + D("452.05"))
        action = wizard.action_create_allocation()
        allocation = self.env["telecoop.surplus.allocation"].browse(action["res_id"])
        line = allocation.line_ids.filtered(lambda line: line.partner_id == dave)
        self.assertEqual(D(str(line.interest_base)), D("452.05"))
        self.assertEqual(D(str(line.amount)), D("22.60"))


@tagged("post_install", "-at_install")
class TestInterestWithholdingAndStatement(PdfRouteMixin, HttpCase, SurplusAllocationCommon):
    """Taxes withheld per profile and year (data), and the member's yearly statement."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.carol.is_company = True
        cls.account_442 = cls.env["account.account"].create(
            {
                "code": "442",
                "name": "Prélèvements à la source",
                "account_type": "liability_current",
                "company_ids": cls.company.ids,
            }
        )
        tax = {"year": 2026, "account_id": cls.account_442.id}
        cls.profile.interest_withholding_ids = [
            Command.create(
                {
                    **tax,
                    "name": "PFNL",
                    "rate": 12.8,
                    "exempt_partner_ids": [Command.set(cls.bob.ids)],
                }
            ),  # fmt: skip
            Command.create({**tax, "name": "Social levies", "rate": 17.2}),
            # another year's rate never applies to interest paid in 2026
            Command.create({"year": 2025, "name": "PFNL", "rate": 50}),
        ]
        wizard = (
            cls.env["telecoop.surplus.allocation.wizard"]
            .with_user(cls.agm_manager)
            .create({"date_to": "2025-12-31", "date": "2026-06-15", "interest_rate": 5})
        )
        cls.allocation = cls.env["telecoop.surplus.allocation"].browse(
            wizard.action_create_allocation()["res_id"]
        )
        cls.allocation.action_post()
        cls.lines = {line.partner_id: line for line in cls.allocation.line_ids}
        new_test_user(
            cls.env,
            login="tc_alice_portal",
            name="Alice",
            groups="base.group_portal",
            partner_id=cls.alice.id,
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )

    def test_taxes_of_the_year_of_payment_with_exemptions(self):
        """Alice 50.00: PFNL 12.8 % = 6.40 and social levies 17.2 % = 8.60, net 35.00.
        Bob, exempted from the PFNL: 17.2 % of 12.60 = 2.1672 -> 2.17, net 10.43.
        Carol is a company: paid gross, 13.74."""
        figures = {
            partner: (D(str(line.amount)), D(str(line.withholding_amount)), D(str(line.net_amount)))
            for partner, line in self.lines.items()
        }
        self.assertEqual(
            figures,
            {
                self.alice: (D("50.00"), D("15.00"), D("35.00")),
                self.bob: (D("12.60"), D("2.17"), D("10.43")),
                self.carol: (D("13.74"), D("0.00"), D("13.74")),
            },
        )
        self.assertEqual(self.lines[self.alice].withholding_detail, "PFNL 6.40, Social levies 8.60")

    def test_member_downloads_their_statement_and_no_one_elses(self):
        self.authenticate("tc_alice_portal", "tc_alice_portal")
        page = self.url_open("/my/shares")
        self.assertIn("Interest on my shares", page.text)
        self.assertIn(f"/my/shares/interest/{self.lines[self.alice].id}", page.text)
        self.assertNotIn(f"/my/shares/interest/{self.lines[self.bob].id}", page.text)
        for report_type in ("html", "pdf"):
            url = f"/my/shares/interest/{self.lines[self.bob].id}?report_type={report_type}"
            other = self.url_open(url, allow_redirects=False)
            self.assertIn(other.status_code, (302, 303))
            self.assertTrue(other.headers["Location"].endswith("/my"), other.headers)
            landing = self.url_open(url)
            self.assertEqual(landing.status_code, 200)
            self.assertNotEqual(landing.headers.get("Content-Type"), "application/pdf")
            self.assertNotIn("Statement of interest on shares", landing.text)
        text = self.download_pdf(f"/my/shares/interest/{self.lines[self.alice].id}")
        # Alice 50.00 gross: PFNL 12.8 % = 6.40, social levies 17.2 % = 8.60, net 35.00
        for figure in (
            "Statement of interest on shares", "Alice", "50.00", "15.00", "35.00",
            "PFNL 6.40, Social levies 8.60",
        ):  # fmt: skip
            self.assertIn(figure, text)
        self.assertNotIn("Bob", text)

    def test_interest_listed_in_the_section_of_its_cooperative(self):
        """Alice also a member of a second hosted cooperative: her interest of this one
        is in this cooperative's section of /my/shares only."""
        company_b = self.env["res.company"].create({"name": "Second Interest Coop"})
        self.env.user.company_ids |= company_b
        profile_b = self.env["telecoop.statute.profile"].create(
            {
                "name": "Second statutes", "company_id": company_b.id, "legal_form": "coop",
                "college_weight_min": 0, "college_weight_max": 100,
                "college_ids": [Command.create({"name": "All", "code": "all", "vote_weight": 100})],
            }
        )  # fmt: skip
        class_b = self.env["telecoop.share.class"].create(
            {"name": "Second share", "company_id": company_b.id, "nominal_value": 10,
             "college_id": profile_b.college_ids.id}
        )  # fmt: skip
        self.env["telecoop.share.line"].create(
            {"company_id": company_b.id, "partner_id": self.alice.id,
             "share_class_id": class_b.id, "college_id": profile_b.college_ids.id,
             "date": "2025-02-01", "movement_type": "issue", "quantity": 3, "amount": 30}
        )  # fmt: skip
        self.env["telecoop.membership"].sudo().create(
            {"partner_id": self.alice.id, "company_id": company_b.id, "state": "member",
             "college_id": profile_b.college_ids.id, "member_number": "S-0001"}
        )  # fmt: skip
        user = self.env["res.users"].search([("login", "=", "tc_alice_portal")])
        user.company_ids |= company_b
        self.authenticate("tc_alice_portal", "tc_alice_portal")
        page = self.url_open("/my/shares").text
        sections = {
            int(part.split('data-company-id="', 1)[1].split('"', 1)[0]): part
            for part in page.split('<div class="o_telecoop_cooperative ')[1:]
        }
        self.assertEqual(set(sections), {self.company.id, company_b.id})
        link = f"/my/shares/interest/{self.lines[self.alice].id}"
        self.assertIn(link, sections[self.company.id])
        self.assertIn("Interest on my shares", sections[self.company.id])
        self.assertNotIn(link, sections[company_b.id])
        self.assertNotIn("Interest on my shares", sections[company_b.id])
        self.assertIn("S-0001", sections[company_b.id])

    def test_net_interest_paid_by_sepa_credit_transfer(self):
        """Taxes withheld booked (457 debited, 442 credited: 15.00 + 2.17), then one
        credit transfer line per member for the net, and the SEPA file generated."""
        bank = self._setup_sepa()
        with self.assertRaisesRegex(UserError, "no bank account"):
            self.allocation.action_pay_interest()
        self._add_member_banks(bank)
        self.allocation.action_pay_interest()
        withheld = self.allocation.withholding_move_id
        self.assertEqual(withheld.state, "posted")
        self.assertEqual(self._credit(withheld, self.account_442), D("17.17"))
        order = self.allocation.payment_order_id
        self.assertEqual(order.payment_type, "outbound")
        self.assertEqual(
            {line.partner_id: D(str(line.amount_currency)) for line in order.payment_line_ids},
            {self.alice: D("35.00"), self.bob: D("10.43"), self.carol: D("13.74")},
        )
        order.draft2open()
        order.open2generated()
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "account.payment.order"), ("res_id", "=", order.id)], limit=1
        )
        xml = attachment.raw.decode()
        self.assertIn("<CtrlSum>59.17</CtrlSum>", xml)
        with self.assertRaisesRegex(UserError, "not paid yet"):
            self.allocation.action_pay_interest()

    def test_taxes_changed_after_posting_are_not_booked_against_the_net_fixed(self):
        """Attack as an assembly administrator between posting and payout: the PFNL of
        2026 set to 0 % (or a member exempted afterwards). The nets were fixed at posting
        (Alice 35.00 of 50.00: 6.40 PFNL + 8.60 social levies); the payout would have
        booked 8.60 of tax for her and still paid 35.00, leaving 6.40 owed on 457 and never
        paid to the tax office. Refused, nothing booked nor paid."""
        self._add_member_banks(self._setup_sepa())
        pfnl = self.profile.interest_withholding_ids.filtered(
            lambda tax: (tax.name, tax.year) == ("PFNL", 2026)
        )
        pfnl.with_user(self.agm_manager).rate = 0
        with self.assertRaisesRegex(UserError, r"Alice: the taxes of the profile now give 8\.60"):
            self.allocation.action_pay_interest()
        self.assertFalse(self.allocation.withholding_move_id or self.allocation.payment_order_id)
        pfnl.rate = 12.8
        pfnl.exempt_partner_ids = [Command.link(self.alice.id)]
        with self.assertRaisesRegex(UserError, "Alice"):
            self.allocation.action_pay_interest()
        pfnl.exempt_partner_ids = [Command.unlink(self.alice.id)]
        self.allocation.action_pay_interest()
        self.assertEqual(self._credit(self.allocation.withholding_move_id, self.account_442),
                         D("17.17"))  # fmt: skip

    def _setup_sepa(self):
        """The payout mode by SEPA credit transfer on the profile; returns the bank."""
        sct = self.env.ref("account_banking_sepa_credit_transfer.sepa_credit_transfer")
        bank = self.env["res.bank"].create({"name": "La Banque Postale", "bic": "PSSTFRPPXXX"})
        company_bank = self.env["res.partner.bank"].create(
            {"acc_number": "FR76 3000 6000 0112 3456 7890 189", "bank_id": bank.id,
             "partner_id": self.company.partner_id.id, "company_id": self.company.id}
        )  # fmt: skip
        self.bank_journal.write(
            {
                "bank_account_id": company_bank.id,
                "outbound_payment_method_line_ids": [Command.create({"payment_method_id": sct.id})],
            }
        )
        self.profile.interest_payment_mode_id = self.env["account.payment.mode"].create(
            {"name": "Interest by SEPA credit transfer", "company_id": self.company.id,
             "payment_method_id": sct.id, "bank_account_link": "fixed",
             "fixed_journal_id": self.bank_journal.id}
        )  # fmt: skip
        return bank

    def _add_member_banks(self, bank):
        for partner, iban in (
            (self.alice, "FR76 3000 4000 0312 3456 7890 143"),
            (self.bob, "FR76 1027 8060 4100 0200 0000 146"),
            (self.carol, "FR76 1820 6000 1234 5678 9012 345"),
        ):
            self.env["res.partner.bank"].create(
                {"acc_number": iban, "bank_id": bank.id, "partner_id": partner.id,
                 "allow_out_payment": True}
            )  # fmt: skip

    def test_interest_per_member_is_never_written_by_hand(self):
        """Attack over RPC as an assembly administrator on a posted allocation, before the
        payout: raise one member's net interest, give a line to someone else, add a line,
        delete one. The credit transfer pays ``net_amount`` to the line's partner, so each
        of these would pay money that the posted entry never booked."""
        Line = self.env["telecoop.surplus.allocation.line"].with_user(self.agm_manager)
        alice_line = self.lines[self.alice].with_user(self.agm_manager)
        stranger = self.env["res.partner"].create({"name": "Not a member"})
        for vals in (
            {"net_amount": 10000},
            {"amount": 10000, "net_amount": 10000},
            {"withholding_amount": 0},
            {"partner_id": stranger.id},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "not entered nor"):
                alice_line.write(vals)
        with self.assertRaisesRegex(UserError, "not entered nor"):
            Line.create(
                {"allocation_id": self.allocation.id, "partner_id": stranger.id, "amount": 100,
                 "net_amount": 100}
            )  # fmt: skip
        with self.assertRaisesRegex(UserError, "posted allocation cannot be deleted"):
            alice_line.unlink()
        with self.assertRaisesRegex(UserError, "cannot be written"):
            self.allocation.with_user(self.agm_manager).write({"state": "draft"})
        self.assertEqual(
            (D(str(self.lines[self.alice].net_amount)), self.lines[self.alice].partner_id),
            (D("35.00"), self.alice),
        )
        self.assertEqual(len(self.allocation.line_ids), 3)

    def _credit(self, move, account):
        lines = move.line_ids.filtered(lambda line: line.account_id == account)
        return D(str(self.currency.round(sum(lines.mapped("credit")) - sum(lines.mapped("debit")))))

    def test_another_cooperatives_staff_reaches_none_of_it(self):
        """The record rules of the allocation, its lines, the TMO rates and the taxes
        withheld, exercised: a manager of the assemblies of another company finds
        none of these records and cannot read them by id; ours sees them."""
        other = self.env["res.company"].create({"name": "Other Surplus Coop"})
        stranger = self.agm_manager.copy(
            {"login": "tc_surplus_other", "company_id": other.id, "company_ids": other.ids}
        )
        records = {
            "telecoop.surplus.allocation": self.allocation,
            "telecoop.surplus.allocation.line": self.allocation.line_ids,
            "telecoop.tmo.rate": self.profile.tmo_rate_ids,
            "telecoop.interest.withholding": self.profile.interest_withholding_ids,
        }
        for model, ours in records.items():
            with self.subTest(model=model):
                self.assertTrue(ours, "the fixture holds records of the model")
                mine = self.env[model].with_user(self.agm_manager)
                self.assertEqual(
                    mine.search([("id", "in", ours.ids)]), ours.with_user(self.agm_manager)
                )
                theirs = (
                    self.env[model].with_user(stranger).with_context(allowed_company_ids=other.ids)
                )
                self.assertFalse(theirs.search([("id", "in", ours.ids)]))
                with self.assertRaises(AccessError):
                    theirs.browse(ours.ids).read(["display_name"])
