# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A cooperative built from its statutes only, for the journeys across the three addons.

Everything that differs between two cooperatives is a class attribute: the
statutes (share price, colleges and weights, reserve rates, proxy cap), the
mobile plan, and the figures a person checks at each step. The code that walks
the journey is the same for every cooperative: nothing in the addons is
specific to TeleCoop.
"""

import base64
import re
from datetime import UTC, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from odoo import Command, fields, http
from odoo.models import BaseModel
from odoo.tests import freeze_time, new_test_user

from odoo.addons.telecoop_membership.tests.pdf import PdfRouteMixin

GB = 10**9
CSV_HEADER = "record_id,msisdn,started_at,usage_type,quantity,zone,destination,third_party_amount"


class JourneyCooperative:
    """Set-up of one cooperative: company, chart of accounts, statutes, plan, staff.

    Mixed into an ``HttpCase``; the subclasses give the statutes and figures.
    """

    #: name of the cooperative (the company)
    company_name = "TeleCoop Journey"
    #: login prefix of the users of this cooperative (logins are unique per database)
    login = "tcj"
    #: the statute profile, without its colleges and accounts
    statutes = {}
    #: (code, name, weight) of the colleges; the share class opens the "users" one
    colleges = ()
    #: the tiered plan the member's line is activated on
    plan = {}
    #: data used by the member and by the second member in the month, in bytes
    member_data = 0
    other_data = 0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, queue_job__no_delay=True)
        )
        cls.company = cls.env["res.company"].create({"name": cls.company_name})
        cls.env.user.company_ids |= cls.company
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company.ids))
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company, install_demo=False
        )
        cls.currency = cls.company.currency_id
        # mobile billing invoices each priced charge as it is: taxes rounded per line
        cls.company.tax_calculation_rounding_method = "round_per_line"
        cls._setup_accounts()
        cls._setup_statutes()
        cls._setup_billing()
        cls._setup_users()
        today = fields.Date.context_today(cls.env["res.partner"])
        cls.today = today
        cls.month = today.replace(day=1)
        cls.year = cls.company.compute_fiscalyear_dates(today)
        cls.now = cls.env.cr.now().replace(microsecond=0)

    @classmethod
    def _setup_accounts(cls):
        def make(code, name, account_type, reconcile=False):
            return cls.env["account.account"].create(
                {
                    "code": code,
                    "name": name,
                    "account_type": account_type,
                    "reconcile": reconcile,
                    "company_ids": cls.company.ids,
                }
            )

        cls.account = {
            "4561": make("4561", "Associés - comptes d'apport", "asset_receivable", True),
            "1012": make("1012", "Capital souscrit appelé non versé", "equity"),
            "1013": make("1013", "Capital souscrit appelé versé", "equity"),
            "4567": make("4567", "Associés - capital à rembourser", "liability_current", True),
            "1061": make("1061", "Réserve légale", "equity"),
            "1063": make("1063", "Réserves statutaires", "equity"),
            "1068": make("1068", "Autres réserves", "equity"),
            "110": make("110", "Report à nouveau créditeur", "equity"),
            "119": make("119", "Report à nouveau débiteur", "equity"),
            "457": make("457", "Associés - dividendes à payer", "liability_current"),
        }
        journals = cls.env["account.journal"].search([("company_id", "=", cls.company.id)])
        cls.sale_journal = journals.filtered(lambda j: j.type == "sale")[:1]
        cls.misc_journal = journals.filtered(lambda j: j.type == "general")[:1]
        cls.bank_journal = journals.filtered(lambda j: j.type == "bank")[:1]

    @classmethod
    def _setup_statutes(cls):
        acc = cls.account
        cls.profile = cls.env["telecoop.statute.profile"].create(
            {
                "company_id": cls.company.id,
                **cls.statutes,
                "college_ids": [
                    Command.create({"code": code, "name": name, "vote_weight": weight})
                    for code, name, weight in cls.colleges
                ],
                "assembly_rule_ids": [
                    Command.create(
                        {"assembly_type": "ordinary", "call": "first", "quorum_percent": 20}
                    ),
                ],
                "share_journal_id": cls.sale_journal.id,
                "capital_journal_id": cls.misc_journal.id,
                "member_contribution_account_id": acc["4561"].id,
                "capital_called_unpaid_account_id": acc["1012"].id,
                "capital_paid_account_id": acc["1013"].id,
                "buyback_payable_account_id": acc["4567"].id,
                "buyback_payout_journal_id": cls.bank_journal.id,
                "allocation_journal_id": cls.misc_journal.id,
                "legal_reserve_account_id": acc["1061"].id,
                "statutory_reserve_account_id": acc["1063"].id,
                "other_reserves_account_id": acc["1068"].id,
                "retained_earnings_account_id": acc["110"].id,
                "retained_losses_account_id": acc["119"].id,
                "interest_payable_account_id": acc["457"].id,
            }
        )
        cls.college_users = cls.profile.college_ids.filtered(lambda c: c.code == "users")
        cls.share_class = cls.env["telecoop.share.class"].create(
            {
                "name": f"{cls.company_name} users share",
                "company_id": cls.company.id,
                "nominal_value": cls.statutes["share_nominal_value"],
                "min_per_member": 1,
                "max_per_member": cls.statutes["max_shares_per_member"],
                "college_id": cls.college_users.id,
            }
        )

    @classmethod
    def _setup_billing(cls):
        cls.vat = cls.env["account.tax"].create(
            {
                "name": f"VAT 20 % {cls.company_name}",
                "amount": 20,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "company_id": cls.company.id,
            }
        )
        # the VAT collected goes to its own account, out of the result of the year
        vat_account = cls.env["account.account"].create(
            {
                "code": "44571",
                "name": "TVA collectée",
                "account_type": "liability_current",
                "company_ids": cls.company.ids,
            }
        )
        (cls.vat.invoice_repartition_line_ids | cls.vat.refund_repartition_line_ids).filtered(
            lambda rep: rep.repartition_type == "tax"
        ).account_id = vat_account
        for xmlid in ("product_mobile_plan", "product_mobile_usage", "product_mobile_third_party"):
            # the products are shared: this company's VAT replaces the default tax its
            # chart of accounts gave them, the other companies keep theirs
            product = cls.env.ref(f"telecoop_mobile_billing.{xmlid}")
            product.taxes_id = (
                product.taxes_id.filtered(lambda tax: tax.company_id != cls.company) | cls.vat
            )
        cls.tiered_plan = cls.env["telecoop.mobile.plan"].create(
            {
                "company_id": cls.company.id,
                "tier_type": "step",
                **{k: v for k, v in cls.plan.items() if k != "tiers"},
                "tier_ids": [
                    Command.create({"upper_units": upper, "price": price})
                    for upper, price in cls.plan["tiers"]
                ],
            }
        )
        cls.source = cls.env["telecoop.usage.source"].create(
            {"name": "Host operator", "company_id": cls.company.id, "tz": "Europe/Paris"}
        )

    @classmethod
    def _setup_users(cls):
        company_args = {"company_id": cls.company.id, "company_ids": cls.company.ids}
        cls.staff = new_test_user(
            cls.env,
            login=f"{cls.login}_staff",
            groups="base.group_user,account.group_account_manager,"
            "telecoop_membership.telecoop_membership_group_manager,"
            "telecoop_mobile_billing.telecoop_mobile_billing_group_manager,"
            "telecoop_agm.telecoop_agm_group_manager",
            **company_args,
        )
        # a person with a portal account, not a member yet
        cls.person = new_test_user(
            cls.env,
            login=f"{cls.login}_person",
            groups="base.group_portal",
            name=f"Camille {cls.company_name}",
            email=f"camille@{cls.login}.example.org",
            **company_args,
        )
        cls.other = new_test_user(
            cls.env,
            login=f"{cls.login}_other",
            groups="base.group_portal",
            name=f"Dominique {cls.company_name}",
            email=f"dominique@{cls.login}.example.org",
            **company_args,
        )
        # a third member, without a line, who also wants to give a proxy
        cls.third = new_test_user(
            cls.env,
            login=f"{cls.login}_third",
            groups="base.group_portal",
            name=f"Eden {cls.company_name}",
            email=f"eden@{cls.login}.example.org",
            **company_args,
        )

    # -- helpers a test of the journey uses ------------------------------------------

    def _as_staff(self, records):
        return records.with_user(self.staff)

    def _pay(self, invoice):
        """A real payment of the invoice in the bank journal, registered by staff."""
        return (
            self.env["account.payment.register"]
            .with_user(self.staff)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"payment_date": self.today, "journal_id": self.bank_journal.id})
            ._create_payments()
        )

    def _cdr_file(self, rows):
        """The host operator's CSV file: rows (record_id, line, day, type, quantity, zone)."""
        lines = [CSV_HEADER]
        # the month under way, in the past whatever the day and hour the test runs
        # (the importer refuses records from the future): ``day`` orders the
        # records between the first midnight of the month in Paris and now
        month_start = datetime.combine(self.month, time.min, tzinfo=ZoneInfo("Europe/Paris"))
        now = datetime.now(UTC) - timedelta(minutes=1)
        last_day = max(row[2] for row in rows)
        for record_id, line, day, usage_type, quantity, zone in rows:
            started = month_start + (now - month_start) * day / (last_day + 1)
            started = started.replace(microsecond=0).isoformat()
            lines.append(f"{record_id},{line.msisdn},{started},{usage_type},{quantity},{zone},,")
        return ("\n".join(lines) + "\n").encode()

    def _import_file(self, content, name):
        """Upload the file through the staff's wizard; the background job runs at once."""
        wizard = self._as_staff(self.env["telecoop.usage.upload.wizard"]).create(
            {"source_id": self.source.id, "file": base64.b64encode(content), "file_name": name}
        )
        action = wizard.action_import()
        return self.env["telecoop.usage.import"].browse(action["res_id"])

    def _allocation_options(self, free):
        """The allocation resolution: keep the minimum reserves, the rest either to other
        reserves or carried forward."""
        keep = {
            "allocation_proposal": True,
            "allocation_legal_reserve": self.expected["legal_reserve"],
            "allocation_statutory_reserve": self.expected["statutory_reserve"],
        }
        return [
            Command.create(
                {
                    "name": "Other reserves",
                    "code": "reserves",
                    **keep,
                    "allocation_other_reserves": free,
                }
            ),  # fmt: skip
            Command.create({"name": "Carry forward", "code": "carry", **keep}),
        ]

    def _create_assembly(self):
        return self._as_staff(self.env["telecoop.assembly"]).create(
            {
                "name": f"AGO {self.company_name}",
                "company_id": self.company.id,
                "assembly_type": "ordinary",
                "call": "first",
                "date": self.now + timedelta(days=1),
                "record_date": self.today,
                "vote_start": self.now - timedelta(hours=1),
                "vote_end": self.now + timedelta(days=1),
                "resolution_ids": [
                    Command.create({"name": "Approval of the accounts", "sequence": 1}),
                    Command.create(
                        {
                            "name": "Allocation of the result",
                            "sequence": 2,
                            "vote_kind": "options",
                            "choice_ids": self._allocation_options(self.expected["free"]),
                        }
                    ),
                ],
            }
        )

    def _credit(self, move, account_code):
        """Credit minus debit of the lines of ``move`` on an account, rounded to the cent."""
        lines = move.line_ids.filtered(lambda ml: ml.account_id == self.account[account_code])
        return self.currency.round(sum(lines.mapped("credit")) - sum(lines.mapped("debit")))


class MemberJourney(PdfRouteMixin, JourneyCooperative):
    """The journey, step by step; subclasses give the cooperative and its figures."""

    #: figures a person checks, per cooperative
    expected = {}

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _post(self, url, **data):
        data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(url, data=data)

    def _money(self, amount):
        """An amount as the portal prints it, without the currency symbol."""
        return f"{amount:,.2f}"

    # -- 1. membership ---------------------------------------------------------------

    def _subscribe_in_the_portal(self):
        self._login(self.person)
        page = self.url_open("/my/shares")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.share_class.name, page.text)
        response = self._post(
            "/my/shares/subscribe", share_class_id=self.share_class.id, quantity="1"
        )
        self.assertEqual(response.status_code, 200)
        request = self.env["telecoop.subscription.request"].search(
            [("partner_id", "=", self.person.partner_id.id), ("company_id", "=", self.company.id)]
        )
        self.assertEqual((request.quantity, request.state, request.source), (1, "draft", "portal"))
        self.assertEqual(request.amount, self.statutes["share_nominal_value"])
        self.assertIn(request.name, response.text)
        self.assertFalse(self.person.partner_id.telecoop_is_member)
        return request

    def _validate_and_pay(self, request):
        self._as_staff(request).action_validate()
        invoice = request.invoice_id
        self.assertEqual(request.state, "invoiced")
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.partner_id, self.person.partner_id)
        self.assertEqual(invoice.amount_total, self.statutes["share_nominal_value"])
        self.assertEqual(invoice.payment_state, "not_paid")
        self._pay(invoice)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(request.state, "done")
        member = self.person.partner_id
        self.assertTrue(member.telecoop_is_member)
        self.assertTrue(
            member.telecoop_member_number.startswith(self.statutes["member_number_prefix"])
        )
        self.assertEqual(member.telecoop_college_id.code, "users")
        self.assertEqual(member.telecoop_member_since, self.today)
        issue = request.share_line_ids
        self.assertEqual((issue.movement_type, issue.quantity), ("issue", 1))
        self.assertEqual(issue.amount, self.statutes["share_nominal_value"])
        # the paid-up capital is booked: 1012 -> 1013
        self.assertEqual(self._credit(issue.move_id, "1013"), self.statutes["share_nominal_value"])
        self.assertEqual(issue.move_id.state, "posted")
        # the member sees the share and the number in the portal
        page = self.url_open("/my/shares")
        self.assertIn(member.telecoop_member_number, page.text)
        return member

    def _admit_the_other_member(self):
        """Two more members, through the same back-office path (no portal needed)."""
        self._admit(self.other, self.third)
        numbers = (self.person | self.other | self.third).partner_id.mapped(
            "telecoop_member_number"
        )
        self.assertEqual(len(set(numbers)), 3, "a number each")

    def _admit(self, *users):
        for user in users:
            request = self._as_staff(self.env["telecoop.subscription.request"]).create(
                {
                    "company_id": self.company.id,
                    "partner_id": user.partner_id.id,
                    "share_class_id": self.share_class.id,
                    "quantity": 1,
                }
            )
            request.action_validate()
            self._pay(request.invoice_id)
            self.assertTrue(user.partner_id.telecoop_is_member)

    # -- 2. mobile line, usage and billing -------------------------------------------

    def _activate_lines(self, member):
        Line = self._as_staff(self.env["telecoop.mobile.line"])
        line = Line.create(
            {
                "msisdn": self.expected["msisdn"],
                "company_id": self.company.id,
                "partner_id": member.id,
                "plan_id": self.tiered_plan.id,
                "activation_date": self.month,
            }
        )
        other_line = Line.create(
            {
                "msisdn": self.expected["other_msisdn"],
                "company_id": self.company.id,
                "partner_id": self.other.partner_id.id,
                "plan_id": self.tiered_plan.id,
                "activation_date": self.month,
            }
        )
        self.assertEqual(line.state, "active")
        return line, other_line

    def _import_the_month(self, line, other_line):
        half = self.member_data // 2
        rows = [
            ("J-1", line, 1, "data", half, "national"),
            ("J-2", line, 2, "data", self.member_data - half, "national"),
            ("J-3", line, 2, "voice", 300, "national"),
            ("J-4", line, 3, "sms", 4, "national"),
            ("J-5", other_line, 1, "data", self.other_data, "national"),
            ("J-6", line, 4, "data", 1000, "bogus-zone"),
        ]
        content = self._cdr_file(rows)
        usage_import = self._import_file(content, "cdr-month.csv")
        self.assertEqual(usage_import.state, "done", usage_import.failure_reason)
        self.assertEqual(
            (usage_import.count_read, usage_import.count_new, usage_import.count_rejected),
            (6, 5, 1),
        )
        self.assertEqual(usage_import.error_ids.position, "7")  # the bad row, by its line number
        # the host operator sends the same file again: nothing counts twice
        again = self._import_file(content, "cdr-month-again.csv")
        self.assertEqual((again.count_new, again.count_duplicate), (0, 5))
        consumption = line.sudo()._get_portal_consumption(self.month)
        self.assertEqual(consumption["data"], self.member_data)
        self.assertEqual(
            self.currency.compare_amounts(
                float(consumption["amount_untaxed"]), self.expected["member_untaxed"]
            ),
            0,
        )

    def _bill_the_month(self, line):
        run = self._as_staff(self.env["telecoop.billing.run"]).create(
            {"company_id": self.company.id, "period": self.month}
        )
        # the month is billed once it has ended: noon UTC on the 1st of the next one
        after_the_month = f"{self.month + relativedelta(months=1)} 12:00:00"
        with freeze_time(after_the_month):
            run.action_start()
        self.assertEqual(run.state, "done")
        self.assertEqual(len(run.run_line_ids), 2)
        invoice = run.run_line_ids.filtered(
            lambda rl: rl.partner_id == self.person.partner_id
        ).move_id
        self.assertEqual(invoice.state, "posted")
        products = invoice.invoice_line_ids.filtered(lambda ml: ml.display_type == "product")
        amounts = {ml.name: ml.price_subtotal for ml in products}
        phone = self.env["telecoop.format"].phone
        self.assertEqual(
            amounts,
            {
                f"{self.tiered_plan.name} - {phone(line.msisdn)}": self.tiered_plan.base_fee,
                self.expected["band_label"]: self.expected["band_price"],
            },
        )
        self.assertEqual(invoice.amount_untaxed, self.expected["member_untaxed"])
        self.assertEqual(invoice.amount_total, self.expected["member_total"])
        # running the month again invoices nobody twice
        second = self._as_staff(self.env["telecoop.billing.run"]).create(
            {"company_id": self.company.id, "period": self.month}
        )
        with freeze_time(after_the_month):
            second.action_start()
        self.assertFalse(second.run_line_ids)
        return run, invoice

    def _member_sees_line_and_invoice(self, line, other_line, invoice):
        self._login(self.person)
        lines = self.url_open("/my/lines")
        # the numbers as a person reads them (06 12 34 56 71)
        phone = self.env["telecoop.format"].phone
        self.assertIn(phone(line.msisdn), lines.text)
        self.assertNotIn(phone(other_line.msisdn), lines.text)
        page = self.url_open(f"/my/lines/{line.id}")
        self.assertEqual(page.status_code, 200)
        # a consumer reads the tracker tax included: the total of the invoice to come
        self.assertIn(self._money(self.expected["member_total"]), page.text)
        self.assertIn(self._money(self.tiered_plan.base_fee * 1.2), page.text)
        invoices = self.url_open("/my/invoices")
        self.assertIn(invoice.name, invoices.text)
        detail = self.url_open(f"/my/invoices/{invoice.id}")
        self.assertEqual(detail.status_code, 200)
        self.assertIn(self._money(self.expected["member_total"]), detail.text)
        # the invoice as the member downloads it: a PDF, with the band reached
        printed = self.download_pdf(f"/my/invoices/{invoice.id}?report_type=pdf&download=true")
        self.assertIn(self.expected["band_label"], " ".join(printed.split()))
        self.assertIn(invoice.name, printed)
        # the other member sees neither: sent to /my, where nothing of the first is shown
        self._login(self.other)
        for url in (
            f"/my/lines/{line.id}",
            f"/my/invoices/{invoice.id}",
            f"/my/invoices/{invoice.id}?report_type=pdf",
        ):
            with self.subTest(url=url):
                response = self.url_open(url, allow_redirects=False)
                self.assertEqual(response.status_code, 303)
                self.assertEqual(urlsplit(response.headers["Location"]).path, "/my")
                followed = self.url_open(url)
                self.assertEqual(urlsplit(followed.url).path, "/my")
                self.assertNotIn(self.person.partner_id.name, followed.text)
        self.assertNotIn(phone(line.msisdn), self.url_open("/my/lines").text)
        self.assertNotIn(invoice.name, self.url_open("/my/invoices").text)

    # -- 3. the assembly and the surplus ---------------------------------------------

    def _convene(self):
        assembly = self._create_assembly()
        assembly.action_convene()
        assembly.action_open()
        self.assertEqual(assembly.state, "open")
        voters = assembly.voter_ids
        self.assertEqual(voters.partner_id, (self.person | self.other | self.third).partner_id)
        self.assertEqual(set(voters.mapped("college_id.code")), {"users"})
        # the colleges and weights of the statutes, frozen with the electorate
        self.assertEqual(
            sorted((c.college_id.code, c.weight) for c in assembly.college_ids),
            sorted((code, weight) for code, __, weight in self.colleges),
        )
        return assembly

    def _vote_online(self, assembly):
        allocation = assembly.resolution_ids.filtered(lambda r: r.vote_kind == "options")
        accounts = assembly.resolution_ids - allocation
        member_number = self.person.partner_id.telecoop_member_number
        # the other member gives a proxy to the member, in the portal
        self._login(self.other)
        base = f"/my/assemblies/{assembly.id}"
        response = self._post(f"{base}/proxy", holder_number=member_number)
        self.assertEqual(response.status_code, 200)
        proxy = self.env["telecoop.assembly.proxy"].search([("assembly_id", "=", assembly.id)])
        self.assertEqual(proxy.state, "active")
        # the third member asks for the same: the proxy cap of the statutes decides
        self._login(self.third)
        response = self._post(f"{base}/proxy", holder_number=member_number)
        third_proxy = self.env["telecoop.assembly.proxy"].search(
            [
                ("assembly_id", "=", assembly.id),
                ("giver_id.partner_id", "=", self.third.partner_id.id),
            ]
        )
        cap = self.statutes["proxy_cap"]
        if cap >= 2:
            self.assertEqual(third_proxy.state, "active")
            represented = (self.other, self.third)
        else:
            # the member is told, and the refused proxy leaves nothing behind
            self.assertIn(f"the statutes allow {cap}", response.text)
            self.assertFalse(third_proxy)
            represented = (self.other,)
        reserves = allocation.choice_ids.filtered(lambda c: c.code == "reserves")
        approve = accounts.choice_ids.filtered(lambda c: c.code == "for")

        def vote(voter=None):
            for resolution, choice in ((accounts, approve), (allocation, reserves)):
                data = {"resolution_id": resolution.id, "choice_id": choice.id}
                if voter:
                    data["voter_id"] = voter.id
                response = self._post(f"{base}/vote", **data)
                self.assertEqual(response.status_code, 200)
                self.assertIn("Your vote is recorded", response.text)
                receipt = re.search(r'class="o_telecoop_receipt">([^<]+)<', response.text)
                self.assertTrue(receipt, "a receipt for each ballot")

        if len(represented) == 1:
            vote()  # the third member, still in the portal, votes themself
        # the member votes for themself and for those who gave a proxy
        self._login(self.person)
        page = self.url_open("/my/assemblies")
        self.assertIn(assembly.name, page.text)
        vote()
        for user in represented:
            vote(assembly.voter_ids.filtered(lambda v, p=user.partner_id: v.partner_id == p))
        ballots = self.env["telecoop.ballot"].sudo().search([("assembly_id", "=", assembly.id)])
        self.assertEqual(len(ballots), 6)
        proxies = 2 * len(represented)
        self.assertEqual(
            sorted(ballots.mapped("channel")), ["online"] * (6 - proxies) + ["proxy"] * proxies
        )
        return accounts, allocation

    def _tally(self, assembly, accounts, allocation):
        assembly = self._as_staff(assembly)
        assembly.action_close()
        assembly.action_tally()
        self.assertTrue(assembly.quorum_reached)
        self.assertEqual(
            (accounts.result_state, accounts.result_counted), ("adopted", 3), "three members"
        )
        self.assertEqual(allocation.result_state, "adopted")
        self.assertEqual(allocation.winner_choice_id.code, "reserves")
        # the minutes as a member downloads them from the assembly's page
        self._login(self.person)
        minutes = self.download_pdf(f"/my/assemblies/{assembly.id}?report_type=pdf&download=1")
        self.assertIn("Allocation of the result", " ".join(minutes.split()))

    def _allocate_the_surplus(self, allocation_resolution):
        # the year is closed in accounting before its result is allocated
        year_end = self.year["date_to"]
        self.company.fiscalyear_lock_date = year_end
        wizard = self._as_staff(self.env["telecoop.surplus.allocation.wizard"]).create(
            {
                "date_to": year_end,
                "date": year_end + timedelta(days=1),
                "resolution_id": allocation_resolution.id,
            }
        )
        exp = self.expected
        self.assertEqual(wizard.result, exp["result"])
        self.assertEqual(wizard.capital, exp["capital"])
        self.assertEqual(wizard.min_legal_reserve, exp["legal_reserve"])
        self.assertEqual(wizard.min_statutory_reserve, exp["statutory_reserve"])
        self.assertEqual(wizard.max_free, exp["free"])
        # the option voted is "reserves": all that is free goes to other reserves, so the
        # wizard carries nothing forward (the "carry" option would carry exp["free"])
        self.assertEqual(wizard.carried_forward, 0)
        action = wizard.action_create_allocation()
        allocation = self.env["telecoop.surplus.allocation"].browse(action["res_id"])
        self.assertEqual(allocation.resolution_id, allocation_resolution)
        self._as_staff(allocation).action_post()
        move = allocation.move_id
        self.assertEqual((allocation.state, move.state), ("posted", "posted"))
        result_account = self.company.get_unaffected_earnings_account()
        result_lines = move.line_ids.filtered(lambda ml: ml.account_id == result_account)
        self.assertEqual(self.currency.round(sum(result_lines.mapped("debit"))), exp["result"])
        self.assertEqual(self._credit(move, "1061"), exp["legal_reserve"])
        self.assertEqual(self._credit(move, "1063"), exp["statutory_reserve"])
        self.assertEqual(self._credit(move, "1068"), exp["free"])
        self.assertFalse(move.line_ids.filtered(lambda ml: ml.account_id == self.account["110"]))


class TeleCoopStatutes:
    """TeleCoop: 100 EUR shares, four colleges, the "ajustable" plan from 14 EUR."""

    company_name = "TeleCoop Journey SCIC"
    login = "tcj_telecoop"
    statutes = {
        "name": "TeleCoop statutes",
        "share_nominal_value": 100,
        "min_shares_per_member": 1,
        "max_shares_per_member": 50,
        "capital_floor": 100,
        "proxy_cap": 2,
        "legal_reserve_rate": 15,
        "statutory_reserve_rate": 50,
        "member_number_prefix": "TCJ-",
    }
    colleges = (
        ("users", "Users", 40),
        ("employees", "Employees", 20),
        ("founders", "Founders", 20),
        ("partners", "Partners", 20),
    )
    plan = {
        "name": "Ajustable",
        "base_fee": 14,
        "tiers": ((5, 0), (20, 2), (50, 4), (80, 6)),
    }
    member_data = 7 * GB + GB // 2
    other_data = GB
    expected = {
        "msisdn": "33612345671",
        "other_msisdn": "33612345672",
        # 7.5 GB falls in the band "up to 20 GB": 14 + 2
        "band_label": "Data, National - 06 12 34 56 71: 7.5 GB",
        "band_price": 2.0,
        "member_untaxed": 16.0,
        "member_total": 19.2,
        # the year: 16 + 14 of mobile plans; capital 3 x 100
        "result": 30.0,
        "capital": 300.0,
        # 15 % legal reserve, then 50 % of the rest to statutory reserves
        "legal_reserve": 4.5,
        "statutory_reserve": 12.75,
        "free": 12.75,
    }


class PartnerStatutes:
    """A partner cooperative: 50 EUR shares, three colleges 50/30/20, 60 % statutory
    reserves, one proxy per member, its own plan. The same code, other figures."""

    company_name = "Coop Partenaire SCIC"
    login = "tcj_partner"
    statutes = {
        "name": "Partner statutes",
        "share_nominal_value": 50,
        "min_shares_per_member": 1,
        "max_shares_per_member": 20,
        "capital_floor": 50,
        "proxy_cap": 1,
        "legal_reserve_rate": 15,
        "statutory_reserve_rate": 60,
        "member_number_prefix": "CP-",
    }
    colleges = (
        ("users", "Usagers", 50),
        ("workers", "Salariés", 30),
        ("supporters", "Soutiens", 20),
    )
    plan = {
        "name": "Sobre",
        "base_fee": 9,
        "tiers": ((3, 0), (10, 3), (30, 5)),
    }
    member_data = 4 * GB + GB // 2
    other_data = 2 * GB
    expected = {
        "msisdn": "33698765431",
        "other_msisdn": "33698765432",
        # 4.5 GB falls in the band "up to 10 GB": 9 + 3
        "band_label": "Data, National - 06 98 76 54 31: 4.5 GB",
        "band_price": 3.0,
        "member_untaxed": 12.0,
        "member_total": 14.4,
        # the year: 12 + 9; capital 3 x 50
        "result": 21.0,
        "capital": 150.0,
        # 15 % legal reserve (3.15), then 60 % of the rest (17.85) to statutory reserves
        "legal_reserve": 3.15,
        "statutory_reserve": 10.71,
        "free": 7.14,
    }


#: what differs between two cooperatives set up by JourneyCooperative
COOPERATIVE_ATTRS = (
    "company_name", "login", "statutes", "colleges", "plan", "member_data", "other_data",
    "expected", "company", "currency", "account", "sale_journal", "misc_journal",
    "bank_journal", "profile", "college_users", "share_class", "staff", "person", "other",
    "third", "vat", "tiered_plan", "source",
)  # fmt: skip


class TwoCooperatives:
    """TeleCoop and a partner cooperative as two companies of the same database, at once.

    The first cooperative is set up by ``JourneyCooperative``, the second by the same
    code with the partner cooperative's statutes, plan, VAT and host operator;
    ``_use(coop)`` makes a test walk the journey of one of them. Camille, the person
    of the first, also joins the second: one person, member of two cooperatives, with
    a number in each.
    """

    second = None  # the statutes class of the second cooperative

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coop_a = {name: getattr(cls, name) for name in COOPERATIVE_ATTRS}
        for name in ("company_name", "login", "statutes", "colleges", "plan", "expected"):
            setattr(cls, name, getattr(cls.second, name))
        cls.company = cls.env["res.company"].create({"name": cls.company_name})
        cls.env.user.company_ids |= cls.company
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company, install_demo=False
        )
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company.ids))
        cls.currency = cls.company.currency_id
        cls.company.tax_calculation_rounding_method = "round_per_line"
        cls._setup_accounts()
        cls._setup_statutes()
        cls._setup_billing()
        cls._setup_users()
        # the same person in both cooperatives: Camille's portal account works in both
        camille = cls.coop_a["person"]
        camille.company_ids |= cls.company
        cls.person = camille
        cls.coop_b = {name: getattr(cls, name) for name in COOPERATIVE_ATTRS}
        cls.coop_b["member_data"], cls.coop_b["other_data"] = (
            cls.second.member_data,
            cls.second.other_data,
        )
        for name, value in cls.coop_a.items():
            setattr(cls, name, value)
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.coop_a["company"].ids)
        )

    def _use(self, coop):
        """Walk the journey of ``coop`` from now on (the test's env works in its company)."""
        self.env = self.env(context=dict(self.env.context, allowed_company_ids=coop["company"].ids))
        for name, value in coop.items():
            if isinstance(value, BaseModel):
                value = value.with_env(self.env)
            setattr(self, name, value)
        # the portal shows the cooperative the person works in right now
        self.person.company_id = self.company
