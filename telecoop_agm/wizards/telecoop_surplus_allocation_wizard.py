# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.telecoop_surplus_allocation import interest_amount
from ..services import surplus_allocation as rules_service

SITUATION_FIELDS = (
    "result",
    "capital",
    "highest_capital",
    "retained_losses",
    "legal_reserve_balance",
    "subsidies",
    "average_tmo",
    "tmo_missing_years",
    "interest_base",
)


class TelecoopSurplusAllocationWizard(models.TransientModel):
    """Allocate the result of a closed fiscal year: figures from accounting, proposal voted."""

    _name = "telecoop.surplus.allocation.wizard"
    _description = "Allocate the result of a fiscal year"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_to = fields.Date(
        string="Fiscal year end",
        required=True,
        default=lambda self: self._default_date_to(),
        help="Last day of a closed fiscal year (covered by the fiscal year lock date).",
    )
    date_from = fields.Date(
        string="Fiscal year start",
        compute="_compute_date_from",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
    )
    date = fields.Date(
        string="Accounting date",
        required=True,
        default=fields.Date.context_today,
        help="Date of the allocation entry, usually the date of the assembly.",
    )
    assembly_id = fields.Many2one(
        "telecoop.assembly",
        string="Assembly",
        check_company=True,
        domain="[('company_id', '=', company_id)]",
        help="The assembly that voted the allocation.",
    )
    assembly_date = fields.Date(
        compute="_compute_assembly_date",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        help="The date of the assembly (by default the accounting date): the TMO of the "
        "three calendar years before it caps the interest (loi n° 47-1775 art. 14).",
    )
    period_error = fields.Char(compute="_compute_period_error")
    resolution_id = fields.Many2one(
        "telecoop.resolution",
        string="Allocation resolution",
        check_company=True,
        domain="[('assembly_id', '=', assembly_id), ('result_state', '=', 'adopted'), "
        "('winner_choice_id.allocation_proposal', '=', True)]",
        help="The adopted resolution whose winning option proposes the allocation: its "
        "figures fill the proposal.",
    )
    # Read from accounting and from the register
    result = fields.Monetary(compute="_compute_situation", store=True, string="Result of the year")
    capital = fields.Monetary(
        compute="_compute_situation", store=True, string="Capital at year end"
    )
    highest_capital = fields.Monetary(
        compute="_compute_situation", store=True, string="Highest capital reached"
    )
    retained_losses = fields.Monetary(
        compute="_compute_situation", store=True, string="Losses carried forward"
    )
    legal_reserve_balance = fields.Monetary(
        compute="_compute_situation", store=True, string="Legal reserve before allocation"
    )
    subsidies = fields.Monetary(
        compute="_compute_situation", store=True, string="Public subsidies received"
    )
    average_tmo = fields.Float(
        compute="_compute_situation", store=True, string="Average TMO (%)", digits=(6, 4)
    )
    tmo_missing_years = fields.Char(
        compute="_compute_situation", store=True, string="Years without a TMO rate"
    )
    interest_base = fields.Monetary(
        compute="_compute_situation", store=True, string="Capital held over the year"
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
        compute="_compute_minimums", string="How the figures follow from the law"
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
    # The proposal voted (the minimum reserves by default, see create and onchange)
    losses_absorbed = fields.Monetary(
        string="Earlier losses absorbed",
        compute="_compute_losses_absorbed",
        store=True,
        help="Losses carried forward from earlier years come off the result first "
        "(Code de commerce L232-11): not a choice of the assembly.",
    )
    legal_reserve = fields.Monetary()
    statutory_reserve = fields.Monetary(string="Statutory reserves", help="Subsidies included.")
    other_reserves = fields.Monetary()
    interest_rate = fields.Float(string="Interest rate (%)", digits=(6, 4))
    interest_on_shares = fields.Monetary(
        compute="_compute_interest",
        store=True,
        help="The rate applied to the capital held over the year, rounded down to the cent.",
    )
    carried_forward = fields.Monetary(
        compute="_compute_carried_forward",
        store=True,
        help="What is left of the result, carried forward (a loss is carried forward whole).",
    )

    @api.model
    def _default_date_to(self):
        company = self.env.company
        lock = company.fiscalyear_lock_date
        if lock:
            dates = company.compute_fiscalyear_dates(lock)
            if dates["date_to"] == lock:
                return lock
            return dates["date_from"] - timedelta(days=1)
        this_year = company.compute_fiscalyear_dates(fields.Date.context_today(self))
        return this_year["date_from"] - timedelta(days=1)

    @api.depends("date_to", "company_id")
    def _compute_date_from(self):
        for wizard in self:
            if wizard.date_to:
                dates = wizard.company_id.compute_fiscalyear_dates(wizard.date_to)
                wizard.date_from = dates["date_from"]

    @api.depends("assembly_id", "resolution_id", "date")
    def _compute_assembly_date(self):
        for wizard in self:
            meeting = (wizard.assembly_id or wizard.resolution_id.assembly_id).date
            if meeting:
                wizard.assembly_date = meeting.date()
            elif not wizard.assembly_date:
                wizard.assembly_date = wizard.date

    @api.depends("date_from", "date_to")
    def _compute_period_error(self):
        for wizard in self:
            wizard.period_error = (
                self.env._(
                    "The fiscal year starts on %(start)s, after its end on %(end)s: give a "
                    "start on or before the end.",
                    start=wizard.date_from,
                    end=wizard.date_to,
                )
                if wizard.date_from and wizard.date_to and wizard.date_from > wizard.date_to
                else False
            )

    @api.depends("date_from", "date_to", "assembly_date", "company_id")
    def _compute_situation(self):
        allocation = self.env["telecoop.surplus.allocation"]
        for wizard in self:
            if not (wizard.date_from and wizard.date_to) or wizard.date_from > wizard.date_to:
                # nothing to read yet (or a start typed after the end: said on the form)
                for name in SITUATION_FIELDS:
                    wizard[name] = False
                continue
            figures = allocation._read_fiscal_year(
                wizard.company_id, wizard.date_from, wizard.date_to, wizard.assembly_date
            )
            for name in SITUATION_FIELDS:
                wizard[name] = figures[name]

    def _get_allocation(self):
        """An unsaved allocation with the wizard's figures, to apply the rules once."""
        return self.env["telecoop.surplus.allocation"].new(
            {
                "company_id": self.company_id.id,
                **{name: self[name] for name in SITUATION_FIELDS},
            }
        )

    @api.depends(*SITUATION_FIELDS)
    def _compute_minimums(self):
        for wizard in self:
            allocation = wizard._get_allocation()
            for name in (
                "min_losses_absorbed",
                "allocation_base",
                "interest_cap_by_subsidies",
                "computation",
                "min_legal_reserve",
                "min_statutory_reserve",
                "max_free",
                "interest_rate_cap",
                "interest_cap",
            ):
                wizard[name] = allocation[name]

    def _get_default_proposal(self):
        """The minimum reserves of the statutes; the rest is carried forward."""
        self.ensure_one()
        allocation = self._get_allocation()
        proposal = rules_service.default_proposal(
            allocation._get_situation(), allocation._get_rules()
        )
        return {
            "legal_reserve": float(proposal.legal_reserve),
            "statutory_reserve": float(proposal.statutory_reserve),
        }

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        for wizard, vals in zip(wizards, vals_list, strict=True):
            proposal = wizard._get_default_proposal()
            if wizard.resolution_id:
                proposal.update(wizard._get_voted_proposal())
            defaults = {name: value for name, value in proposal.items() if name not in vals}
            if defaults:
                wizard.write(defaults)
        return wizards

    def _get_voted_proposal(self):
        """The figures of the winning option of the allocation resolution."""
        self.ensure_one()
        resolution = self.resolution_id
        winner = resolution.winner_choice_id
        if resolution.result_state != "adopted" or not winner.allocation_proposal:
            raise UserError(
                self.env._(
                    "The resolution %(resolution)s was not adopted with an option that proposes "
                    "an allocation.",
                    resolution=resolution.name,
                )
            )
        return winner._get_allocation_proposal()

    @api.onchange("date_from", "date_to", "assembly_date")
    def _onchange_dates(self):
        if self.date_from and self.date_to and self.date_from <= self.date_to:
            self.update(
                {**self._get_default_proposal(), "other_reserves": 0.0, "interest_rate": 0.0}
            )
            if self.resolution_id:
                self.update(self._get_voted_proposal())

    @api.onchange("resolution_id")
    def _onchange_resolution_id(self):
        if self.resolution_id:
            self.assembly_id = self.resolution_id.assembly_id
            self.update(self._get_voted_proposal())

    @api.depends(*SITUATION_FIELDS)
    def _compute_losses_absorbed(self):
        for wizard in self:
            wizard.losses_absorbed = wizard._get_allocation().min_losses_absorbed

    @api.depends("interest_rate", "interest_base")
    def _compute_interest(self):
        for wizard in self:
            wizard.interest_on_shares = float(
                interest_amount(wizard.interest_base or 0, wizard.interest_rate or 0)
            )

    @api.depends(
        "result",
        "losses_absorbed",
        "legal_reserve",
        "statutory_reserve",
        "other_reserves",
        "interest_on_shares",
    )
    def _compute_carried_forward(self):
        for wizard in self:
            wizard.carried_forward = wizard.currency_id.round(
                wizard.result
                - wizard.losses_absorbed
                - wizard.legal_reserve
                - wizard.statutory_reserve
                - wizard.other_reserves
                - wizard.interest_on_shares
            )

    def action_create_allocation(self):
        """Check the proposal against the statutes and create the allocation with its entry."""
        self.ensure_one()
        allocation_model = self.env["telecoop.surplus.allocation"]
        if not self.company_id.telecoop_statute_profile_id:
            raise UserError(
                self.env._("The company %(company)s has no statute profile.",
                           company=self.company_id.name)
            )  # fmt: skip
        allocation_model._check_period(self.date_from, self.date_to)
        allocation_model._check_year_closed(self.company_id, self.date_to)
        if self.resolution_id:
            voted = self._get_voted_proposal()
            changed = [
                name
                for name, value in voted.items()
                if self.currency_id.compare_amounts(value, self[name])
            ]
            if changed:
                raise UserError(
                    self.env._(
                        "The proposal differs from the option %(option)s voted by the assembly "
                        "(%(fields)s).",
                        option=self.resolution_id.winner_choice_id.name,
                        fields=", ".join(
                            self._fields[name].get_description(self.env)["string"]
                            for name in changed
                        ),
                    )
                )
        # read again: the figures must be those of accounting now, not of the form
        figures = allocation_model._read_fiscal_year(
            self.company_id, self.date_from, self.date_to, self.assembly_date
        )
        bases = figures.pop("bases")
        interest = interest_amount(figures["interest_base"], self.interest_rate or 0)
        result = allocation_model._dec(figures["result"])
        losses_absorbed = allocation_model.new(
            {"company_id": self.company_id.id, **figures}
        ).min_losses_absorbed
        carried = (
            result
            - allocation_model._dec(losses_absorbed)
            - allocation_model._dec(self.legal_reserve)
            - allocation_model._dec(self.statutory_reserve)
            - allocation_model._dec(self.other_reserves)
            - interest
        )
        if self.date_to.year == self.date_from.year:
            name = self.env._("Allocation of the result of %(year)s", year=self.date_to.year)
        else:
            name = self.env._(
                "Allocation of the result from %(start)s to %(end)s",
                start=self.date_from,
                end=self.date_to,
            )
        allocation = allocation_model._create_allocation(
            {
                "name": name,
                "company_id": self.company_id.id,
                "date_from": self.date_from,
                "date_to": self.date_to,
                "date": self.date,
                "assembly_id": self.assembly_id.id or self.resolution_id.assembly_id.id,
                "resolution_id": self.resolution_id.id,
                "assembly_date": self.assembly_date,
                **figures,
                "losses_absorbed": losses_absorbed,
                "legal_reserve": self.legal_reserve,
                "statutory_reserve": self.statutory_reserve,
                "other_reserves": self.other_reserves,
                "interest_rate": self.interest_rate,
                "interest_on_shares": float(interest),
                "carried_forward": float(carried),
            },
            bases,
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "telecoop.surplus.allocation",
            "res_id": allocation.id,
            "view_mode": "form",
        }
