# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date as Date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..services import seal
from ..services import surplus_allocation as rules_service

CENT = Decimal("0.01")
PROFIT_AND_LOSS_TYPES = (
    "income",
    "income_other",
    "expense",
    "expense_depreciation",
    "expense_direct_cost",
)
PROPOSAL_FIELDS = (
    "losses_absorbed",
    "legal_reserve",
    "statutory_reserve",
    "interest_on_shares",
    "other_reserves",
    "carried_forward",
)


def interest_amount(base, rate):
    """Interest at ``rate`` % on ``base``, rounded down to the cent (never above the cap)."""
    return (Decimal(str(base)) * Decimal(str(rate)) / 100).quantize(CENT, rounding=ROUND_DOWN)


#: what staff may still change on a draft allocation; every other field (the figures of
#: the year, the proposal, the state, the entries and the payout) is written by the
#: allocation wizard at creation and by the actions only (with the seal)
DRAFT_EDITABLE_FIELDS = {"name", "date", "assembly_id"}


class TelecoopSurplusAllocation(models.Model):
    """The allocation of a closed fiscal year's result, as the assembly voted it.

    The figures of the year are read from accounting and from the share
    register; the proposal is checked against the statutes (floors of the
    reserves, cap of the interest on shares) with the pure-Python rules of
    ``services/surplus_allocation.py``; the entry is generated in draft and
    posted with the document.
    """

    _name = "telecoop.surplus.allocation"
    _description = "Surplus allocation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_to desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, default=lambda s: s.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    profile_id = fields.Many2one(
        "telecoop.statute.profile", related="company_id.telecoop_statute_profile_id"
    )
    date_from = fields.Date(string="Fiscal year start", required=True, readonly=True)
    date_to = fields.Date(string="Fiscal year end", required=True, readonly=True)
    date = fields.Date(
        string="Accounting date",
        required=True,
        tracking=True,
        help="Date of the allocation entry, after the end of the fiscal year (usually the "
        "date of the assembly).",
    )
    assembly_id = fields.Many2one(
        "telecoop.assembly",
        string="Assembly",
        check_company=True,
        help="The assembly that voted the allocation.",
    )
    assembly_date = fields.Date(
        readonly=True,
        help="The date of the assembly: the TMO of the three calendar years before it caps "
        "the interest on shares (loi n° 47-1775 art. 14).",
    )
    resolution_id = fields.Many2one(
        "telecoop.resolution",
        string="Allocation resolution",
        readonly=True,
        check_company=True,
        help="The adopted resolution whose winning option gave the proposal.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("posted", "Posted"), ("cancel", "Cancelled")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    # The fiscal year, read from accounting and from the register
    result = fields.Monetary(string="Result of the year", readonly=True)
    capital = fields.Monetary(string="Capital at year end", readonly=True)
    highest_capital = fields.Monetary(
        string="Highest capital reached",
        readonly=True,
        help="The highest capital of the register up to the end of the year: the legal "
        "reserve is owed until it reaches it (loi n° 47-1775 art. 16).",
    )
    retained_losses = fields.Monetary(
        string="Losses carried forward",
        readonly=True,
        help="The debit balance of the retained losses account at the end of the year: "
        "absorbed first (Code de commerce L232-11).",
    )
    legal_reserve_balance = fields.Monetary(string="Legal reserve before allocation", readonly=True)
    subsidies = fields.Monetary(string="Public subsidies received", readonly=True)
    average_tmo = fields.Float(string="Average TMO (%)", digits=(6, 4), readonly=True)
    tmo_missing_years = fields.Char(
        string="Years without a TMO rate",
        readonly=True,
        help="Interest on shares cannot be allocated until these rates are entered.",
    )
    interest_base = fields.Monetary(
        string="Capital held over the year",
        readonly=True,
        help="Sum over the members of the capital held each day divided by the days of the "
        "year (pro rata temporis).",
    )
    # What the statutes require
    min_losses_absorbed = fields.Monetary(
        compute="_compute_minimums", string="Earlier losses absorbed first"
    )
    allocation_base = fields.Monetary(
        compute="_compute_minimums", string="Base of the reserves (result less earlier losses)"
    )
    interest_cap_by_subsidies = fields.Monetary(
        compute="_compute_minimums", string="Interest at most, subsidies excluded"
    )
    computation = fields.Text(
        compute="_compute_minimums",
        string="How the figures follow from the law",
    )
    min_legal_reserve = fields.Monetary(
        compute="_compute_minimums", string="Legal reserve at least"
    )
    min_statutory_reserve = fields.Monetary(
        compute="_compute_minimums", string="Statutory reserves at least"
    )
    max_free = fields.Monetary(compute="_compute_minimums", string="Left to the assembly at most")
    interest_rate_cap = fields.Float(
        compute="_compute_minimums", string="Interest rate cap (%)", digits=(6, 4)
    )
    interest_cap = fields.Monetary(compute="_compute_minimums", string="Interest on shares at most")
    # The proposal voted
    losses_absorbed = fields.Monetary(
        string="Earlier losses absorbed", readonly=True, tracking=True
    )
    legal_reserve = fields.Monetary(readonly=True, tracking=True)
    statutory_reserve = fields.Monetary(
        string="Statutory reserves", readonly=True, tracking=True, help="Subsidies included."
    )
    other_reserves = fields.Monetary(readonly=True, tracking=True)
    interest_rate = fields.Float(
        string="Interest rate (%)", digits=(6, 4), readonly=True, tracking=True
    )
    interest_on_shares = fields.Monetary(readonly=True, tracking=True)
    carried_forward = fields.Monetary(readonly=True, tracking=True)
    line_ids = fields.One2many(
        "telecoop.surplus.allocation.line", "allocation_id", string="Interest per member"
    )
    move_id = fields.Many2one(
        "account.move", string="Journal entry", readonly=True, copy=False, check_company=True
    )
    withholding_move_id = fields.Many2one(
        "account.move", string="Tax withheld entry", readonly=True, copy=False, check_company=True
    )
    payment_order_id = fields.Many2one(
        "account.payment.order",
        string="Interest payout order",
        readonly=True,
        copy=False,
        check_company=True,
    )

    _year_once = models.UniqueIndex(
        "(company_id, date_to) WHERE state != 'cancel'",
        "The result of a fiscal year is allocated once.",
    )

    @api.depends(
        "result",
        "highest_capital",
        "legal_reserve_balance",
        "subsidies",
        "retained_losses",
        "average_tmo",
        "interest_base",
        "company_id",
    )
    def _compute_minimums(self):
        for allocation in self:
            mins = rules_service.minimums(allocation._get_situation(), allocation._get_rules())
            allocation.min_losses_absorbed = float(mins.losses_absorbed)
            allocation.allocation_base = float(mins.base)
            allocation.interest_cap_by_subsidies = float(mins.interest_cap_by_subsidies)
            allocation.computation = allocation._explain(mins)
            allocation.min_legal_reserve = float(mins.legal_reserve)
            allocation.min_statutory_reserve = float(
                mins.subsidies_reserve + mins.statutory_reserve
            )
            allocation.max_free = float(mins.free)
            allocation.interest_rate_cap = float(mins.interest_rate_cap)
            allocation.interest_cap = float(mins.interest_cap)

    def _explain(self, mins):
        """The lines of the computation, each with the article of law behind it."""
        self.ensure_one()
        _ = self.env._
        if self.result <= 0:
            return _(
                "The result is not a profit: it is carried forward whole, nothing is "
                "allocated (Code de commerce L232-11)."
            )
        rules = self._get_rules()
        lines = [
            _(
                "1. Result %(result)s less the losses carried forward %(losses)s = base "
                "%(base)s (Code de commerce L232-10, L232-11).",
                result=self._dec(self.result),
                losses=mins.losses_absorbed,
                base=mins.base,
            ),
            _(
                "2. Legal reserve: %(rate)s %% of the base, until the reserve (%(balance)s) "
                "reaches the highest capital reached (%(highest)s): at least %(legal)s "
                "(loi n° 47-1775 art. 16).",
                rate=rules.legal_rate,
                balance=self._dec(self.legal_reserve_balance),
                highest=self._dec(self.highest_capital),
                legal=mins.legal_reserve,
            ),
            _(
                "3. Statutory reserves: %(rate)s %% of the base less the legal reserve: at "
                "least %(statutory)s (loi n° 47-1775 art. 19 nonies).",
                rate=rules.statutory_rate,
                statutory=mins.statutory_reserve,
            ),
            _(
                "4. Public subsidies %(subsidies)s are not in the base of the interest: "
                "what is left after the reserves less the subsidies, %(cap)s, caps it "
                "(loi n° 47-1775 art. 19 nonies); to the statutory reserves: %(reserve)s.",
                subsidies=self._dec(self.subsidies),
                cap=mins.interest_cap_by_subsidies,
                reserve=mins.subsidies_reserve,
            ),
            _(
                "5. Interest rate at most the average TMO of the three years before the "
                "assembly (%(tmo)s %%) plus %(margin)s points = %(cap)s %%, on the capital "
                "held over the year: at most %(amount)s (loi n° 47-1775 art. 14).",
                tmo=Decimal(str(self.average_tmo or 0)),
                margin=rules.interest_margin,
                cap=mins.interest_rate_cap,
                amount=mins.interest_cap_by_rate,
            ),
            _(
                "6. Left to the assembly at most %(free)s; interest on shares at most "
                "%(interest)s.",
                free=mins.free,
                interest=mins.interest_cap,
            ),
        ]
        return "\n".join(lines)

    # Reading the fiscal year ------------------------------------------------
    @api.model
    def _check_year_closed(self, company, date_to):
        """The year is closed when the fiscal year lock date covers its last day."""
        lock = max(company.fiscalyear_lock_date or Date.min, company.hard_lock_date or Date.min)
        if lock < date_to:
            raise UserError(
                self.env._(
                    "The fiscal year ending on %(end)s is not closed: lock the fiscal year in "
                    "accounting (lock date on or after %(end)s) before allocating its result.",
                    end=date_to,
                )
            )

    @api.model
    def _balance(self, company, domain):
        """Credit balance (credits - debits) of the posted lines matching ``domain``."""
        groups = self.env["account.move.line"]._read_group(
            [("company_id", "=", company.id), ("parent_state", "=", "posted"), *domain],
            [],
            ["balance:sum"],
        )
        return company.currency_id.round(-(groups[0][0] or 0.0))

    @api.model
    def _get_interest_bases(self, company, date_from, date_to):
        """Capital held by each member over the year, pro rata temporis.

        A movement of date d counts from d to the end of the year, both included
        (shares issued on 1 January count for the whole year; shares bought back
        on a day no longer count that day's end). The base of a member is
        ``sum(amount x days counted) / days of the year``, rounded to the cent.

        :return: list of (partner id, Decimal base), bases above zero, by partner
        """
        self.env["telecoop.share.line"].flush_model()
        self.env.cr.execute(
            """
            SELECT partner_id,
                   SUM(amount * ((%(date_to)s::date - GREATEST(date, %(date_from)s::date)) + 1))
              FROM telecoop_share_line
             WHERE company_id = %(company)s AND date <= %(date_to)s
          GROUP BY partner_id
          ORDER BY partner_id
            """,
            {"company": company.id, "date_from": date_from, "date_to": date_to},
        )
        days = Decimal((date_to - date_from).days + 1)
        bases = []
        for partner_id, amount_days in self.env.cr.fetchall():
            base = (Decimal(amount_days) / days).quantize(CENT, rounding=ROUND_HALF_UP)
            if base > 0:
                bases.append((partner_id, base))
        return bases

    @api.model
    def _check_period(self, date_from, date_to):
        if date_from and date_to and date_from > date_to:
            raise UserError(
                self.env._(
                    "The fiscal year starts on %(start)s, after its end on %(end)s: give a "
                    "start on or before the end.",
                    start=date_from,
                    end=date_to,
                )
            )

    @api.model
    def _read_fiscal_year(self, company, date_from, date_to, assembly_date):
        """The figures of a fiscal year, from the posted entries and the register.

        :param assembly_date: the date of the assembly that allocates the result:
            the TMO of the three calendar years before it caps the interest (art. 14)
        """
        self._check_period(date_from, date_to)
        profile = company.telecoop_statute_profile_id
        legal = profile.legal_reserve_account_id if profile else None
        average_tmo, missing = (
            profile._get_average_tmo((assembly_date or date_to).year) if profile else (None, [])
        )
        retained_losses = 0.0
        if profile:
            losses_account = profile._get_allocation_accounts(company)["retained_losses"]
            if losses_account:
                balance = self._balance(
                    company, [("account_id", "=", losses_account.id), ("date", "<=", date_to)]
                )
                retained_losses = max(-balance, 0.0)
        share_lines = self.env["telecoop.share.line"]
        bases = self._get_interest_bases(company, date_from, date_to)
        period = [("date", ">=", date_from), ("date", "<=", date_to)]
        return {
            "result": self._balance(
                company, [("account_id.account_type", "in", PROFIT_AND_LOSS_TYPES), *period]
            ),
            "capital": share_lines._get_capital(company, date_to),
            "highest_capital": share_lines._get_highest_capital(company, date_to),
            "retained_losses": retained_losses,
            "legal_reserve_balance": self._balance(
                company, [("account_id", "=", legal.id), ("date", "<=", date_to)]
            )
            if legal
            else 0.0,
            "subsidies": self._balance(
                company, [("account_id", "in", profile.subsidy_account_ids.ids), *period]
            )
            if profile and profile.subsidy_account_ids
            else 0.0,
            "average_tmo": float(average_tmo or 0),
            "tmo_missing_years": ", ".join(map(str, missing)),
            "interest_base": float(sum((base for _p, base in bases), Decimal(0))),
            "bases": bases,
        }

    # Rules ------------------------------------------------------------------
    @staticmethod
    def _dec(value):
        return Decimal(str(value or 0)).quantize(CENT, rounding=ROUND_HALF_UP)

    def _get_rules(self):
        profile = self.company_id.telecoop_statute_profile_id
        if not profile:
            return rules_service.AllocationRules()
        return rules_service.AllocationRules(
            legal_rate=Decimal(str(profile.legal_reserve_rate)),
            statutory_rate=Decimal(str(profile.statutory_reserve_rate)),
            subsidies_to_reserves=profile.subsidies_to_reserves,
            interest_margin=Decimal(str(profile.interest_cap_margin)),
        )

    def _get_situation(self):
        return rules_service.Situation(
            result=self._dec(self.result),
            highest_capital=self._dec(self.highest_capital),
            retained_losses=self._dec(self.retained_losses),
            legal_reserve=self._dec(self.legal_reserve_balance),
            subsidies=self._dec(self.subsidies),
            average_tmo=Decimal(str(self.average_tmo or 0)),
            interest_base=self._dec(self.interest_base),
        )

    def _get_proposal(self):
        return rules_service.Proposal(
            losses_absorbed=self._dec(self.losses_absorbed),
            legal_reserve=self._dec(self.legal_reserve),
            statutory_reserve=self._dec(self.statutory_reserve),
            interest_on_shares=self._dec(self.interest_on_shares),
            interest_rate=Decimal(str(self.interest_rate or 0)),
            other_reserves=self._dec(self.other_reserves),
            carried_forward=self._dec(self.carried_forward),
        )

    def _translate_rule_error(self, error):
        """The message of a broken rule (``surplus_allocation.RuleError``) in the
        user's language, from its code and figures."""
        _ = self.env._
        p = error.params
        messages = {
            "total": lambda: _(
                "The proposal allocates %(total)s but the result is %(result)s.",
                total=p["total"],
                result=p["result"],
            ),
            "loss": lambda: _(
                "A loss of %(loss)s is carried forward, nothing is allocated.", loss=p["loss"]
            ),
            "losses": lambda: _(
                "The losses carried forward from earlier years are absorbed first: "
                "%(minimum)s, not %(amount)s (Code de commerce L232-11).",
                amount=p["amount"],
                minimum=p["minimum"],
            ),
            "legal_reserve": lambda: _(
                "The legal reserve gets %(amount)s, the law requires at least %(minimum)s "
                "(loi n° 47-1775 art. 16).",
                amount=p["amount"],
                minimum=p["minimum"],
            ),
            "statutory_reserve": lambda: _(
                "The statutory reserves get %(amount)s, the statutes require at "
                "least %(minimum)s (subsidies %(subsidies)s included; loi n° 47-1775 "
                "art. 19 nonies).",
                amount=p["amount"],
                minimum=p["minimum"],
                subsidies=p["subsidies"],
            ),
            "interest_rate": lambda: _(
                "Interest on shares at %(rate)s %% exceeds the cap of %(cap)s %% "
                "(average TMO + margin, loi n° 47-1775 art. 14).",
                rate=p["rate"],
                cap=p["cap"],
            ),
            "interest_subsidies": lambda: _(
                "Interest on shares of %(amount)s exceeds %(cap)s, what is left after the "
                "reserves once the public subsidies (%(subsidies)s) are excluded from its "
                "base (loi n° 47-1775 art. 19 nonies).",
                amount=p["amount"],
                cap=p["cap"],
                subsidies=p["subsidies"],
            ),
            "interest_amount": lambda: _(
                "Interest on shares of %(amount)s exceeds the cap of %(cap)s for the "
                "capital held over the year.",
                amount=p["amount"],
                cap=p["cap"],
            ),
            "negative": lambda: {
                "legal_reserve": _("The legal reserve cannot be negative."),
                "statutory_reserve": _("The statutory reserves cannot be negative."),
                "interest_on_shares": _("Interest on shares cannot be negative."),
                "other_reserves": _("Other reserves cannot be negative."),
            }[p["field"]],
        }
        return messages[error.code]()

    @api.constrains(*PROPOSAL_FIELDS, "interest_rate", "result")
    def _check_proposal(self):
        for allocation in self:
            errors = [
                allocation._translate_rule_error(error)
                for error in rules_service.check_proposal(
                    allocation._get_situation(), allocation._get_proposal(), allocation._get_rules()
                ).errors
            ]
            proposal = allocation._get_proposal()
            if allocation.result > 0 and proposal.carried_forward < 0:
                errors.append(
                    self.env._(
                        "The proposal allocates %(more)s more than the result of %(result)s.",
                        more=-proposal.carried_forward,
                        result=allocation._dec(allocation.result),
                    )
                )
            if proposal.interest_on_shares > 0 and allocation.tmo_missing_years:
                errors.append(
                    self.env._(
                        "Interest on shares is capped by the average TMO: enter the TMO rate of "
                        "%(years)s in the statute profile first.",
                        years=allocation.tmo_missing_years,
                    )
                )
            if errors:
                raise ValidationError(
                    self.env._(
                        "The allocation of %(name)s breaks the statutes:\n%(errors)s",
                        name=allocation.name,
                        errors="\n".join(f"- {error}" for error in errors),
                    )
                )

    @api.constrains("assembly_id", "assembly_date")
    def _check_assembly_date(self):
        """The TMO years of the interest cap are those before the assembly that voted
        (loi n° 47-1775 art. 14): with an assembly given, its own date, not a date typed."""
        for allocation in self:
            meeting = allocation.assembly_id.date
            if meeting and allocation.assembly_date != meeting.date():
                raise ValidationError(
                    self.env._(
                        "%(name)s: the date of the assembly is that of %(assembly)s, "
                        "%(meeting)s, not %(typed)s (its TMO years cap the interest on shares, "
                        "loi n° 47-1775 art. 14).",
                        name=allocation.name,
                        assembly=allocation.assembly_id.name,
                        meeting=meeting.date(),
                        typed=allocation.assembly_date,
                    )
                )

    @api.constrains("date", "date_to")
    def _check_date(self):
        for allocation in self:
            if allocation.date <= allocation.date_to:
                raise ValidationError(
                    self.env._(
                        "The allocation is booked after the end of the fiscal year (%(end)s).",
                        end=allocation.date_to,
                    )
                )

    # Creation and booking ---------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self.browse().check_access("create")  # without the group: AccessError first
        if not seal.is_sealed(self.env.context):
            raise UserError(
                self.env._(
                    "A surplus allocation is created by the allocation wizard, which reads its "
                    "figures from accounting and checks the proposal."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if not seal.is_sealed(self.env.context):
            business = {f for f in vals if not f.startswith(("message_", "activity_"))}
            locked = business - DRAFT_EDITABLE_FIELDS
            if locked or (business and any(a.state != "draft" for a in self)):
                raise UserError(
                    self.env._(
                        "Allocation %(name)s: %(fields)s cannot be written; the figures, the "
                        "proposal, the interest per member and the entries come from the "
                        "wizard and the actions, and a posted or cancelled allocation is a "
                        "fact (a correction is a reversal and a new allocation).",
                        name=self[:1].name,
                        fields=", ".join(
                            sorted(self._fields[f].string for f in (locked or business))
                        ),
                    )
                )
        return super().write(vals)

    @api.model
    def _create_allocation(self, vals, bases):
        """Create the allocation, its interest lines and its draft journal entry.

        :param bases: list of (partner id, Decimal base) from :meth:`_get_interest_bases`
        """
        existing = self.search(
            [
                ("company_id", "=", vals["company_id"]),
                ("date_to", "=", vals["date_to"]),
                ("state", "!=", "cancel"),
            ],
            limit=1,
        )
        if existing:
            raise UserError(
                self.env._("The result of this fiscal year is already allocated: %(name)s.",
                           name=existing.name)
            )  # fmt: skip
        self.new(vals)._check_proposal()  # refuse before anything is written
        allocation = self.with_context(**seal.sealed_context()).create(vals)
        interest = allocation._dec(allocation.interest_on_shares)
        parts = rules_service.split_pro_rata(interest, bases) if interest else {}
        allocation.line_ids = [
            Command.create(
                {
                    "partner_id": partner_id,
                    "interest_base": float(base),
                    "amount": float(parts.get(partner_id, 0)),
                }
            )
            for partner_id, base in bases
        ]
        allocation._compute_withholdings()
        allocation._check_lines()
        allocation._generate_move()
        return self.browse(allocation.id)

    def _compute_withholdings(self):
        """Tax withheld and net interest of each member, from the taxes of the profile
        for the year the interest is paid (rates and exemptions are data)."""
        for line in self.line_ids:
            taxes = line._get_withholdings()
            amounts, net = rules_service.withhold(self._dec(line.amount), taxes.mapped("rate"))
            line.write(
                {
                    "withholding_amount": float(sum(amounts, Decimal(0))),
                    "net_amount": float(net),
                    "withholding_detail": ", ".join(
                        f"{tax.name} {amount}"
                        for tax, amount in zip(taxes, amounts, strict=True)
                        if amount
                    ),
                }
            )

    def _check_lines(self):
        self.ensure_one()
        total = sum((self._dec(line.amount) for line in self.line_ids), Decimal(0))
        if total != self._dec(self.interest_on_shares):
            raise ValidationError(
                self.env._(
                    "The interest lines add up to %(total)s, not %(interest)s.",
                    total=total,
                    interest=self._dec(self.interest_on_shares),
                )
            )

    def _get_missing_accounts(self, accounts):
        needs = {
            "retained_losses_absorbed": self.losses_absorbed,
            "legal_reserve": self.legal_reserve,
            "statutory_reserve": self.statutory_reserve,
            "other_reserves": self.other_reserves,
            "interest": self.interest_on_shares,
            "retained_earnings": self.carried_forward if self.carried_forward > 0 else 0,
            "retained_losses": self.carried_forward if self.carried_forward < 0 else 0,
        }
        profile_fields = {
            "retained_losses_absorbed": "retained_losses_account_id",
            "legal_reserve": "legal_reserve_account_id",
            "statutory_reserve": "statutory_reserve_account_id",
            "other_reserves": "other_reserves_account_id",
            "interest": "interest_payable_account_id",
            "retained_earnings": "retained_earnings_account_id",
            "retained_losses": "retained_losses_account_id",
        }
        profile = self.profile_id
        return [
            profile._fields[profile_fields[key]].get_description(self.env)["string"]
            for key, amount in needs.items()
            if amount and not accounts[key.removesuffix("_absorbed")]
        ]

    def _prepare_move_values(self):
        """The allocation entry: debit the result, credit where it goes (or the loss)."""
        self.ensure_one()
        profile = self.profile_id
        journal = profile.allocation_journal_id
        accounts = profile._get_allocation_accounts(self.company_id)
        missing = self._get_missing_accounts(accounts)
        if not journal:
            missing.insert(
                0, profile._fields["allocation_journal_id"].get_description(self.env)["string"]
            )
        if missing:
            raise UserError(
                self.env._(
                    "Set up the allocation accounts on the statute profile %(profile)s first; "
                    "missing: %(missing)s.",
                    profile=profile.name,
                    missing=", ".join(missing),
                )
            )
        label = self.name
        lines = []

        def add(account, debit, credit, name, partner=False):
            if debit or credit:
                lines.append(
                    Command.create(
                        {
                            "account_id": account.id,
                            "debit": debit,
                            "credit": credit,
                            "name": name,
                            "partner_id": partner,
                        }
                    )
                )

        if self.result < 0:
            loss = -self.result
            add(accounts["retained_losses"], loss, 0.0, self.env._("Loss carried forward"))
            add(accounts["loss"], 0.0, loss, label)
        else:
            add(accounts["result"], self.result, 0.0, label)
            add(
                accounts["retained_losses"],
                0.0,
                self.losses_absorbed,
                self.env._("Earlier losses absorbed"),
            )
            add(accounts["legal_reserve"], 0.0, self.legal_reserve, self.env._("Legal reserve"))
            add(
                accounts["statutory_reserve"],
                0.0,
                self.statutory_reserve,
                self.env._("Statutory reserves"),
            )
            add(accounts["other_reserves"], 0.0, self.other_reserves, self.env._("Other reserves"))
            if profile.interest_line_per_member:
                for line in self.line_ids.filtered("amount"):
                    add(
                        accounts["interest"],
                        0.0,
                        line.amount,
                        self.env._("Interest on shares"),
                        line.partner_id.id,
                    )
            else:
                add(
                    accounts["interest"],
                    0.0,
                    self.interest_on_shares,
                    self.env._("Interest on shares"),
                )
            add(
                accounts["retained_earnings"],
                0.0,
                self.carried_forward,
                self.env._("Retained earnings"),
            )
        return {
            "move_type": "entry",
            "journal_id": journal.id,
            "company_id": self.company_id.id,
            "date": self.date,
            "ref": label,
            "line_ids": lines,
        }

    def _generate_move(self):
        self.ensure_one()
        if not self.currency_id.is_zero(self.result):
            self.with_context(**seal.sealed_context()).move_id = self.env["account.move"].create(
                self._prepare_move_values()
            )
        return self.move_id

    def action_post(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("Only a draft allocation can be posted."))
        self._check_proposal()
        self._check_lines()
        if self.move_id:
            self.move_id.action_post()
        self.with_context(**seal.sealed_context()).state = "posted"
        return True

    def action_pay_interest(self):
        """Pay the net interest: book the taxes withheld (debit the interest payable of
        each member, credit the tax accounts) and prepare the SEPA credit transfer order,
        one line per member for the net, on the member's bank account."""
        self.ensure_one()
        if self.state != "posted" or self.payment_order_id:
            raise UserError(
                self.env._("Only a posted allocation whose interest is not paid yet is paid.")
            )
        profile = self.profile_id
        mode = profile.interest_payment_mode_id
        lines = self.line_ids.filtered(lambda line: line.net_amount > 0)
        if not lines:
            raise UserError(self.env._("%(name)s pays no interest.", name=self.name))
        if not mode or not profile.interest_payable_account_id:
            raise UserError(
                self.env._(
                    "Set the interest payout mode and the interest payable account on the "
                    "statute profile %(profile)s first.",
                    profile=profile.name,
                )
            )
        banks = {
            line: line.partner_id.bank_ids.filtered("allow_out_payment")[:1]
            or line.partner_id.bank_ids[:1]
            for line in lines
        }
        missing = [line.partner_id.display_name for line, bank in banks.items() if not bank]
        if missing:
            raise UserError(
                self.env._(
                    "These members have no bank account to pay their interest to: %(names)s.",
                    names=", ".join(missing),
                )
            )
        payable = profile.interest_payable_account_id
        tax_lines = []
        for line in lines:
            taxes = line._get_withholdings()
            amounts, _net = rules_service.withhold(self._dec(line.amount), taxes.mapped("rate"))
            if sum(amounts, Decimal(0)) != self._dec(line.withholding_amount):
                # the net paid was fixed with the allocation: the tax booked must be the
                # tax withheld from it, or the books and the transfers disagree
                raise UserError(
                    self.env._(
                        "%(member)s: the taxes of the profile now give %(now)s withheld on "
                        "%(amount)s of interest, but %(withheld)s was withheld when %(name)s "
                        "was made (net %(net)s). Put the rates and exemptions of the year back "
                        "as they were, or cancel and allocate again.",
                        member=line.partner_id.display_name,
                        now=sum(amounts, Decimal(0)),
                        amount=self._dec(line.amount),
                        withheld=self._dec(line.withholding_amount),
                        name=self.name,
                        net=self._dec(line.net_amount),
                    )
                )
            if not line.withholding_amount:
                continue
            for tax, amount in zip(taxes, amounts, strict=True):
                if not amount:
                    continue
                if not tax.account_id:
                    raise UserError(
                        self.env._("Set the tax payable account of %(tax)s first.", tax=tax.name)
                    )
                label = self.env._("%(tax)s on interest on shares", tax=tax.name)
                tax_lines += [
                    Command.create(
                        {"account_id": payable.id, "partner_id": line.partner_id.id,
                         "debit": float(amount), "name": label}
                    ),
                    Command.create(
                        {"account_id": tax.account_id.id, "partner_id": line.partner_id.id,
                         "credit": float(amount), "name": label}
                    ),
                ]  # fmt: skip
        if tax_lines:
            withholding = self.env["account.move"].create(
                {
                    "move_type": "entry",
                    "journal_id": profile.allocation_journal_id.id,
                    "company_id": self.company_id.id,
                    "date": fields.Date.context_today(self),
                    "ref": self.env._("Tax withheld, %(name)s", name=self.name),
                    "line_ids": tax_lines,
                }
            )
            withholding.action_post()
            self.with_context(**seal.sealed_context()).withholding_move_id = withholding
        order = self.env["account.payment.order"].create(
            {"payment_mode_id": mode.id, "payment_type": "outbound"}
        )
        communication = self.env._("Interest on shares %(year)s", year=self.date_to.year)
        self.env["account.payment.line"].create(
            [
                {
                    "order_id": order.id,
                    "partner_id": line.partner_id.id,
                    "partner_bank_id": banks[line].id,
                    "currency_id": self.currency_id.id,
                    "amount_currency": line.net_amount,
                    "communication": communication,
                    "communication_type": "normal",
                }
                for line in lines
            ]
        )
        self.with_context(**seal.sealed_context()).payment_order_id = order
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.payment.order",
            "res_id": order.id,
            "view_mode": "form",
        }

    def action_cancel(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(
                self.env._("A posted allocation is corrected by a reversal entry in accounting.")
            )
        if self.move_id:
            self.move_id.button_cancel()
        self.with_context(**seal.sealed_context()).state = "cancel"
        return True

    def action_view_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if any(allocation.state == "posted" for allocation in self):
            raise UserError(self.env._("A posted allocation cannot be deleted."))
        self.move_id.filtered(lambda move: move.state == "draft").unlink()

    # Demo -------------------------------------------------------------------
    @api.model
    def _demo_prepare_fiscal_year(self, company=None):
        """Demo data: last calendar year closed with a real result to allocate.

        In year Y (the calendar year before today): sales 50,000, purchases
        30,000, a public subsidy of 6,000 (result 26,000), and a loss of 4,000 of
        year Y-1 carried forward on 119 (booked on 30 June of Y). The allocation
        accounts and journal of the profile are filled when empty, the TMO of the
        three years before the assembly (Y-2 to Y) entered when missing, and the
        fiscal year locked once January of Y+1 is over (the demo's billing of last
        month must be able to post before that).
        """
        company = company or self.env.company
        profile = company.telecoop_statute_profile_id
        if not profile:
            return False
        today = fields.Date.context_today(self)
        year = today.year - 1
        accounts = self.env["account.account"].with_company(company)

        def account(code, name, account_type):
            found = accounts.search(
                [("code", "=", code), ("company_ids", "in", company.ids)], limit=1
            )
            return found or accounts.create(
                {"code": code, "name": name, "account_type": account_type,
                 "company_ids": company.ids}
            )  # fmt: skip

        vals = {}
        for field, code, name, account_type in (
            ("legal_reserve_account_id", "106100", "Réserve légale", "equity"),
            ("statutory_reserve_account_id", "106300", "Réserves statutaires", "equity"),
            ("other_reserves_account_id", "106800", "Autres réserves", "equity"),
            ("retained_earnings_account_id", "110000", "Report à nouveau créditeur", "equity"),
            ("retained_losses_account_id", "119000", "Report à nouveau débiteur", "equity"),
            ("interest_payable_account_id", "457000", "Associés - dividendes à payer",
             "liability_current"),
        ):  # fmt: skip
            if not profile[field]:
                vals[field] = account(code, name, account_type).id
        journals = self.env["account.journal"].search([("company_id", "=", company.id)])
        misc = journals.filtered(lambda j: j.type == "general")[:1]
        bank = journals.filtered(lambda j: j.type == "bank")[:1]
        if not profile.allocation_journal_id:
            vals["allocation_journal_id"] = misc.id
        subsidy = profile.subsidy_account_ids[:1] or account(
            "740000", "Subventions d'exploitation", "income_other"
        )
        if not profile.subsidy_account_ids:
            vals["subsidy_account_ids"] = [Command.set(subsidy.ids)]
        known = set(profile.tmo_rate_ids.mapped("year"))
        vals["tmo_rate_ids"] = [
            Command.create({"year": tmo_year, "rate": rate})
            for tmo_year, rate in ((year - 2, 3.5), (year - 1, 3.3), (year, 3.2))
            if tmo_year not in known
        ]
        profile.write(vals)
        income = accounts.search(
            [("account_type", "=", "income"), ("company_ids", "in", company.ids)], limit=1
        )
        expense = accounts.search(
            [("account_type", "=", "expense"), ("company_ids", "in", company.ids)], limit=1
        )
        cash = bank.default_account_id
        result_account = profile._get_allocation_accounts(company)["result"]
        losses = profile._get_allocation_accounts(company)["retained_losses"]
        for on_date, debit, credit, amount, label in (
            (Date(year, 1, 31), cash, income, 50000, "Demo: sales of the year"),
            (Date(year, 2, 28), expense, cash, 30000, "Demo: purchases of the year"),
            (Date(year, 3, 15), cash, subsidy, 6000, "Demo: public operating subsidy"),
            (Date(year, 6, 30), losses, result_account, 4000,
             f"Demo: loss of {year - 1} carried forward"),
        ):  # fmt: skip
            move = self.env["account.move"].create(
                {
                    "move_type": "entry",
                    "company_id": company.id,
                    "journal_id": misc.id,
                    "date": on_date,
                    "ref": label,
                    "line_ids": [
                        Command.create({"name": label, "account_id": debit.id, "debit": amount}),
                        Command.create({"name": label, "account_id": credit.id, "credit": amount}),
                    ],
                }
            )
            move.action_post()
        if today >= Date(year + 1, 2, 1):
            end = Date(year, 12, 31)
            if not company.fiscalyear_lock_date or company.fiscalyear_lock_date < end:
                company.sudo().fiscalyear_lock_date = end
        return True
