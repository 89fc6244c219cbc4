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
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

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
            cls.env.ref(f"telecoop_mobile_billing.{xmlid}").taxes_id = [Command.set(cls.vat.ids)]
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
        for record_id, line, day, usage_type, quantity, zone in rows:
            started = self.month.replace(day=day)
            lines.append(
                f"{record_id},{line.msisdn},{started}T10:00:00+01:00,{usage_type},"
                f"{quantity},{zone},,"
            )
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
