# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare

from ..services import statute_law


class TelecoopStatuteProfile(models.Model):
    """What the statutes of one cooperative say, as settings.

    Everything that differs from one cooperative to another (share price,
    colleges, reserve rates, quorum and majority, proxy cap, buy-back delay,
    capital floor) lives here, one profile per company, so that a partner
    cooperative configures itself instead of changing code.
    """

    _name = "telecoop.statute.profile"
    _description = "Cooperative statute profile"
    _check_company_auto = True
    _inherit = ["mail.thread"]
    _order = "company_id, id"

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    legal_form = fields.Selection(
        [
            ("scic", "SCIC (multi-stakeholder cooperative)"),
            ("scop", "SCOP (worker cooperative)"),
            ("coop", "Other cooperative"),
        ],
        required=True,
        default="scic",
        tracking=True,
    )
    # Shares
    share_nominal_value = fields.Monetary(
        string="Share nominal value", required=True, default=100.0, tracking=True
    )
    min_shares_per_member = fields.Integer(default=1, required=True, tracking=True)
    max_shares_per_member = fields.Integer(
        default=0, tracking=True, help="0 means no limit set by the statutes."
    )
    capital_floor = fields.Monetary(
        string="Capital floor in the statutes",
        help="The capital may not fall below this amount through buy-backs. For an SCIC or "
        "a SCOP the law's floor applies too (a quarter of the highest capital reached, loi "
        "n° 47-1775 art. 13), whichever is higher.",
        tracking=True,
    )
    highest_capital = fields.Monetary(
        compute="_compute_highest_capital",
        string="Highest capital reached",
        help="The highest paid-up capital of the register at the end of a day, since the "
        "cooperative began.",
    )
    legal_capital_floor = fields.Monetary(
        compute="_compute_highest_capital",
        string="Capital floor of the law",
        help="A quarter of the highest capital reached (loi n° 47-1775 art. 13), for an SCIC "
        "or a SCOP; 0 for other legal forms.",
    )
    buyback_delay_months = fields.Integer(
        string="Buy-back delay (months)",
        default=12,
        required=True,
        tracking=True,
        help="Months between the board decision and the payout of a buy-back.",
    )
    # Colleges and votes
    college_ids = fields.One2many("telecoop.college", "profile_id", string="Colleges")
    college_weight_min = fields.Float(
        string="Minimum college weight (%)", digits=(5, 2), default=10.0, tracking=True
    )
    college_weight_max = fields.Float(
        string="Maximum college weight (%)", digits=(5, 2), default=50.0, tracking=True
    )
    empty_college_policy = fields.Selection(
        [("redistribute", "Redistribute its weight to the other colleges, pro rata")],
        default="redistribute",
        required=True,
        help="What the statutes say of a college in which nobody voted.",
    )
    proxy_cap = fields.Integer(string="Proxies per holder", default=2, required=True, tracking=True)
    assembly_rule_ids = fields.One2many(
        "telecoop.assembly.rule", "profile_id", string="Quorum and majority rules"
    )
    # Surplus allocation
    legal_reserve_rate = fields.Float(
        string="Legal reserve (%)", digits=(5, 2), default=15.0, tracking=True
    )
    statutory_reserve_rate = fields.Float(
        string="Statutory reserves (% of the rest)",
        digits=(5, 2),
        default=50.0,
        tracking=True,
    )
    subsidies_to_reserves = fields.Boolean(
        string="Public subsidies go to reserves first", default=True
    )
    interest_cap_margin = fields.Float(
        string="Interest on shares: points above the average TMO",
        digits=(5, 2),
        default=2.0,
    )

    # Accounting of the capital (French chart: 4561, 1012, 1013, 4567)
    share_journal_id = fields.Many2one(
        "account.journal",
        string="Share invoices journal",
        domain="[('type', '=', 'sale'), ('company_id', '=', company_id)]",
        help="Sales journal of the invoices for subscribed shares.",
        check_company=True,
    )
    capital_journal_id = fields.Many2one(
        "account.journal",
        string="Capital journal",
        domain="[('type', '=', 'general'), ('company_id', '=', company_id)]",
        help="Miscellaneous journal of the capital entries (paid-up capital, buy-backs).",
        check_company=True,
    )
    member_contribution_account_id = fields.Many2one(
        "account.account",
        string="Members' contributions account",
        domain="[('account_type', '=', 'asset_receivable'), ('company_ids', 'in', company_id)]",
        help="Receivable of the share invoices (French chart: 4561 Associés - comptes d'apport).",
        check_company=True,
    )
    capital_called_unpaid_account_id = fields.Many2one(
        "account.account",
        string="Subscribed capital called, unpaid",
        domain="[('company_ids', 'in', company_id)]",
        help="Credited by the share invoice (French chart: 1012 Capital souscrit appelé "
        "non versé).",
        check_company=True,
    )
    capital_paid_account_id = fields.Many2one(
        "account.account",
        string="Subscribed capital called, paid-up",
        domain="[('company_ids', 'in', company_id)]",
        help="The capital of the register: credited when shares are issued, debited by "
        "buy-backs (French chart: 1013 Capital souscrit appelé versé).",
        check_company=True,
    )
    buyback_payable_account_id = fields.Many2one(
        "account.account",
        string="Capital to pay back",
        domain="[('company_ids', 'in', company_id)]",
        help="What the cooperative owes to members whose buy-back was approved "
        "(French chart: 4567 Associés - capital à rembourser).",
        check_company=True,
    )
    buyback_payout_journal_id = fields.Many2one(
        "account.journal",
        string="Buy-back payout journal",
        domain="[('type', 'in', ('bank', 'cash')), ('company_id', '=', company_id)]",
        check_company=True,
    )
    membership_officer_id = fields.Many2one(
        "res.users",
        string="Membership officer",
        domain="[('share', '=', False)]",
        help="Gets an activity for every subscription and buy-back request to review.",
        check_company=True,
    )
    public_subscription = fields.Boolean(
        string="Public subscription form",
        default=True,
        tracking=True,
        help="People who are not members yet may subscribe shares at /cooperative/subscribe; "
        "the request creates their portal account and a candidate membership.",
    )
    send_lifecycle_emails = fields.Boolean(
        string="E-mails through the share life",
        default=True,
        tracking=True,
        help="Request received, payment instructions, shares issued (with the certificate), "
        "buy-back acknowledged and buy-back paid, each sent once to the person.",
    )
    member_number_prefix = fields.Char(
        help="Prefix of the member numbers, e.g. TC-. Member numbers are unique across the "
        "database: left empty, the prefix is M followed by the company id and a dash.",
    )
    member_sequence_id = fields.Many2one(
        "ir.sequence",
        string="Member numbers",
        copy=False,
        help="Gives the members of this cooperative their numbers; created when needed.",
        check_company=True,
    )

    register_version = fields.Integer(
        readonly=True,
        copy=False,
        help="Counts the movements of the register: written by every document that "
        "locks the register, so that two of them never read it at the same time.",
    )

    _company_unique = models.Constraint("unique(company_id)", "A company has one statute profile.")

    @api.depends("company_id", "legal_form")
    def _compute_highest_capital(self):
        line_model = self.env["telecoop.share.line"].sudo()
        for profile in self:
            company = profile.company_id
            highest = line_model._get_highest_capital(company) if company else 0.0
            profile.highest_capital = highest
            profile.legal_capital_floor = (
                profile.currency_id.round(
                    statute_law.legal_capital_floor(profile.legal_form, highest)
                )
                if profile.currency_id
                else 0.0
            )

    def _get_capital_floor(self):
        """The floor that buy-backs must respect: the statutes' or the law's, the higher."""
        self.ensure_one()
        return max(self.capital_floor, self.legal_capital_floor)

    @api.constrains(
        "legal_form",
        "college_weight_min",
        "college_weight_max",
        "college_ids",
        "legal_reserve_rate",
        "statutory_reserve_rate",
        "interest_cap_margin",
        "buyback_delay_months",
        "capital_floor",
    )
    def _check_legal_guards(self):
        """Refuse statutes outside the law of their legal form, naming the article
        (the table is ``services/statute_law.py``)."""
        forms = dict(self._fields["legal_form"]._description_selection(self.env))
        for profile in self:
            values = {guard.field: profile[guard.field] for guard in statute_law.GUARDS}
            errors = []
            for breach in statute_law.breaches(
                profile.legal_form, values, bool(profile.college_ids)
            ):
                bound = (
                    self.env._("at least %(bound)s", bound=breach.bound)
                    if breach.op == "min"
                    else self.env._("at most %(bound)s", bound=breach.bound)
                )
                errors.append(
                    self.env._(
                        "%(field)s is %(value)s, the law requires %(bound)s (%(article)s).",
                        field=self._fields[breach.field].get_description(self.env)["string"],
                        value=breach.value,
                        bound=bound,
                        article=breach.article,
                    )
                )
            legal_floor = profile.legal_capital_floor
            if (
                profile.legal_form in statute_law.CAPITAL_FLOOR_FORMS
                and profile.currency_id.compare_amounts(profile.capital_floor, legal_floor) < 0
            ):
                errors.append(
                    self.env._(
                        "the capital floor of the statutes is %(floor)s, the law requires at "
                        "least a quarter of the highest capital reached (%(highest)s), so "
                        "%(legal)s (%(article)s).",
                        floor=profile.capital_floor,
                        highest=profile.highest_capital,
                        legal=legal_floor,
                        article=statute_law.CAPITAL_FLOOR_ARTICLE,
                    )
                )
            if errors:
                raise ValidationError(
                    self.env._(
                        "Statute profile %(profile)s (%(form)s) is outside the law:\n%(errors)s",
                        profile=profile.name,
                        form=forms[profile.legal_form],
                        errors="\n".join(f"- {error}" for error in errors),
                    )
                )

    @api.constrains(
        "legal_reserve_rate",
        "statutory_reserve_rate",
        "interest_cap_margin",
        "buyback_delay_months",
        "min_shares_per_member",
        "max_shares_per_member",
        "capital_floor",
        "proxy_cap",
    )
    def _check_plain_bounds(self):
        """Whatever the legal form: rates are percentages, counts and delays not negative."""
        for profile in self:
            if not (
                0 <= profile.legal_reserve_rate <= 100
                and 0 <= profile.statutory_reserve_rate <= 100
                and 0 <= profile.interest_cap_margin <= 100
                and profile.buyback_delay_months >= 0
                and profile.min_shares_per_member >= 0
                and profile.max_shares_per_member >= 0
                and profile.capital_floor >= 0
                and profile.proxy_cap >= 0
            ):
                raise ValidationError(
                    self.env._(
                        "Statute profile %(profile)s: rates are between 0 and 100 %%; share "
                        "counts, delays, the proxy cap and the capital floor cannot be "
                        "negative.",
                        profile=profile.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_integer_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_integer_vals(vals)
        return super().write(vals)

    @api.model
    def _check_integer_vals(self, vals, model=None):
        """Integers the database cannot hold are refused before they reach it
        (the fields of ``model``, by default the profile)."""
        model = self if model is None else model
        for name, value in vals.items():
            field = model._fields.get(name)
            if field and field.type == "integer" and isinstance(value, (int, float)):
                if not -(2**31) <= value < 2**31:
                    raise ValidationError(
                        self.env._(
                            "%(field)s: %(value)s is too large.",
                            field=field.get_description(self.env)["string"],
                            value=value,
                        )
                    )

    @api.constrains("college_weight_min", "college_weight_max")
    def _check_college_weight_bounds(self):
        for profile in self:
            if not 0 <= profile.college_weight_min <= profile.college_weight_max <= 100:
                raise ValidationError(
                    self.env._(
                        "Statute profile %(profile)s: college weights must satisfy "
                        "0 <= minimum <= maximum <= 100.",
                        profile=profile.name,
                    )
                )

    @api.constrains("college_ids")
    def _check_college_weights_total(self):
        for profile in self.filtered("college_ids"):
            total = sum(profile.college_ids.mapped("vote_weight"))
            if float_compare(total, 100.0, precision_digits=2) != 0:
                raise ValidationError(
                    self.env._(
                        "Statute profile %(profile)s: the college weights add up to "
                        "%(total)s %%, they must add up to 100 %%.",
                        profile=profile.name,
                        total=round(total, 2),
                    )
                )

    def _bump_register_version(self):
        """Write the register's version row (see ``telecoop.share.line._lock_register``)."""
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "UPDATE telecoop_statute_profile SET register_version = "
                "COALESCE(register_version, 0) + 1 WHERE id = %s",
                self.id,
            )
        )
        self.invalidate_recordset(["register_version"])

    def _get_assembly_rule(self, assembly_type, call):
        """The quorum and majority rule for a type of assembly and a call."""
        self.ensure_one()
        return self.assembly_rule_ids.filtered(
            lambda r: r.assembly_type == assembly_type and r.call == call
        )[:1]

    def _get_member_sequence(self):
        """The sequence of member numbers of this cooperative, created on first use."""
        self.ensure_one()
        if not self.member_sequence_id:
            self.sudo().member_sequence_id = (
                self.env["ir.sequence"]
                .sudo()
                .create(
                    {
                        "name": self.env._(
                            "Member numbers of %(company)s", company=self.company_id.name
                        ),
                        "code": "telecoop.member.number",
                        "company_id": self.company_id.id,
                        "prefix": self.member_number_prefix or f"M{self.company_id.id}-",
                        "padding": 5,
                        "implementation": "no_gap",
                    }
                )
            )
        return self.member_sequence_id

    def _next_member_number(self):
        self.ensure_one()
        return self._get_member_sequence().sudo().next_by_id()

    def _get_payment_bank_account(self):
        """The bank account a subscriber pays the shares to: the one of the shares'
        sales journal, else the cooperative's first."""
        self.ensure_one()
        return (
            self.share_journal_id.bank_account_id
            or self.company_id.partner_id.bank_ids.filtered(
                lambda bank: bank.company_id in (self.company_id, self.env["res.company"])
            )[:1]
        )

    def _check_accounting_setup(self, fields_needed):
        """Raise a clear error naming the settings still missing on this profile."""
        self.ensure_one()
        missing = [
            self._fields[name].get_description(self.env)["string"]
            for name in fields_needed
            if not self[name]
        ]
        if missing:
            raise UserError(
                self.env._(
                    "Set up the accounting of the capital on the statute profile %(profile)s "
                    "first; missing: %(missing)s.",
                    profile=self.name,
                    missing=", ".join(missing),
                )
            )

    # French chart of accounts: code, name, type, reconcilable, field of the profile.
    FRENCH_CAPITAL_ACCOUNTS = [
        ("4561", "Associés - comptes d'apport", "asset_receivable", True,
         "member_contribution_account_id"),
        ("1012", "Capital souscrit appelé non versé", "equity", False,
         "capital_called_unpaid_account_id"),
        ("1013", "Capital souscrit appelé versé", "equity", False, "capital_paid_account_id"),
        ("4567", "Associés - capital à rembourser", "liability_current", True,
         "buyback_payable_account_id"),
    ]  # fmt: skip

    def action_set_french_accounting(self):
        """Fill the empty accounting settings with the French chart's capital accounts.

        Finds each account by its code in the company (or the code on six digits
        of Odoo's French chart: 101300 for 1013), creates the missing ones,
        and takes the company's first sales, miscellaneous and bank journals.
        Settings already chosen are kept.
        """
        self.ensure_one()
        company = self.company_id
        accounts = self.env["account.account"].with_company(company)
        vals = {}
        for code, name, account_type, reconcile, field in self.FRENCH_CAPITAL_ACCOUNTS:
            if self[field]:
                continue
            # Odoo's French chart writes its codes on six digits (1013 is 101300)
            account = accounts.search(
                [("code", "in", [code, code.ljust(6, "0")]), ("company_ids", "in", company.ids)],
                order="code",
                limit=1,
            )
            if not account:
                account = accounts.create(
                    {
                        "code": code,
                        "name": name,
                        "account_type": account_type,
                        "reconcile": reconcile,
                        "company_ids": company.ids,
                    }
                )
            vals[field] = account.id
        journals = self.env["account.journal"].search([("company_id", "=", company.id)])
        for field, journal_type in (
            ("share_journal_id", "sale"),
            ("capital_journal_id", "general"),
            ("buyback_payout_journal_id", "bank"),
        ):
            if not self[field]:
                journal = journals.filtered(lambda j, t=journal_type: j.type == t)[:1]
                if journal:
                    vals[field] = journal.id
        self.write(vals)
        return True
