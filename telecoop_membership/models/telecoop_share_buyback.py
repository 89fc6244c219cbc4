# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount

from ..services.share_rules import (
    BUYBACK_TRANSITIONS,
    add_months,
    can_move,
    capital_after_buyback,
)

STATES = [
    ("draft", "Requested"),
    ("approved", "Approved by the board"),
    ("paid", "Paid out"),
    ("refused", "Refused"),
    ("cancelled", "Cancelled"),
]


class TelecoopShareBuyback(models.Model):
    """A member asks the cooperative to buy back shares.

    Requested -> the board decides (date, decision): the shares leave the
    register and the cooperative owes their value -> after the statutory delay
    of the profile, the payout. The capital may not fall below its floor.
    """

    _name = "telecoop.share.buyback"
    _description = "Buy-back of shares"
    _check_company_auto = True
    _inherit = ["telecoop.share.document", "portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "request_date desc, id desc"
    # BB/2025/00001 for a buy-back asked for in 2025, whenever it is entered
    _sequence_date_field = "request_date"

    partner_id = fields.Many2one(
        "res.partner", string="Member", required=True, index=True, tracking=True, check_company=True
    )
    request_date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    reason = fields.Text()
    source = fields.Selection(
        [("backoffice", "Back office"), ("portal", "Portal")],
        required=True,
        default="backoffice",
        readonly=True,
    )
    state = fields.Selection(
        STATES, required=True, default="draft", tracking=True, index=True, copy=False
    )
    decision_date = fields.Date(string="Board decision date", tracking=True, copy=False)
    decision = fields.Text(string="Board decision", tracking=True, copy=False)
    payout_due_date = fields.Date(
        compute="_compute_payout_due_date",
        store=True,
        help="The board decision date plus the statutory buy-back delay of the profile.",
    )
    payout_date = fields.Date(tracking=True, copy=False)
    share_line_ids = fields.One2many(
        "telecoop.share.line", "buyback_id", string="Movement", readonly=True
    )
    capital_move_id = fields.Many2one("account.move", readonly=True, copy=False, check_company=True)
    payout_move_id = fields.Many2one("account.move", readonly=True, copy=False, check_company=True)
    mail_received_date = fields.Datetime(
        string="Buy-back acknowledged e-mail", readonly=True, copy=False
    )
    mail_paid_date = fields.Datetime(string="Buy-back paid e-mail", readonly=True, copy=False)

    _lifecycle_mails = {
        "received": ("telecoop_membership.mail_template_buyback_received", "mail_received_date"),
        "paid": ("telecoop_membership.mail_template_buyback_paid", "mail_paid_date"),
    }

    _frozen_fields = (
        "company_id",
        "share_class_id",
        "quantity",
        "amount",
        "partner_id",
        "request_date",
        "decision_date",
    )
    _workflow_fields = (
        "state",
        "capital_move_id",
        "payout_move_id",
        "mail_received_date",
        "mail_paid_date",
    )
    _giver_fields = ("partner_id",)

    _quantity_positive = models.Constraint(
        "CHECK(quantity > 0)", "A buy-back takes back at least one share."
    )

    @api.depends("decision_date", "company_id")
    def _compute_payout_due_date(self):
        for buyback in self:
            months = buyback.company_id.telecoop_statute_profile_id.buyback_delay_months
            buyback.payout_due_date = (
                add_months(buyback.decision_date, months) if buyback.decision_date else False
            )

    @api.constrains("request_date", "decision_date")
    def _check_decision_date(self):
        """The board decides on a request it received: never before its date."""
        for buyback in self:
            buyback._check_decided_after_request(buyback.decision_date)

    def _check_decided_after_request(self, decision_date):
        self.ensure_one()
        if decision_date and self.request_date and decision_date < self.request_date:
            raise ValidationError(
                self.env._(
                    "Buy-back %(name)s: its board decision date, %(decision)s, is before "
                    "the member asked for it on %(request)s: the board decides on a request "
                    "it received.",
                    name=self.name,
                    decision=decision_date,
                    request=self.request_date,
                )
            )

    @api.constrains("payout_date", "decision_date")
    def _check_payout_date(self):
        """The payout records a payment made: not after today, and not before the
        board approved the buy-back (its decision date)."""
        line_model = self.env["telecoop.share.line"]
        for buyback in self.filtered("payout_date"):
            line_model._check_not_after_today(
                buyback, buyback.payout_date, what=self.env._("payout date")
            )
            if not buyback.decision_date:
                raise ValidationError(
                    self.env._(
                        "Buy-back %(name)s has no board decision yet: it gets a payout date "
                        "once the board approved it.",
                        name=buyback.name,
                    )
                )
            if buyback.payout_date < buyback.decision_date:
                raise ValidationError(
                    self.env._(
                        "Buy-back %(name)s: its payout date, %(date)s, is before the board "
                        "approved it on %(decision)s: the shares are paid back after the "
                        "decision.",
                        name=buyback.name,
                        date=buyback.payout_date,
                        decision=buyback.decision_date,
                    )
                )

    def _check_write_vals(self, vals):
        # a payout is booked on its date: once paid, its date is a fact, whoever writes
        if "payout_date" in vals:
            paid = self.filtered(lambda b: b.state == "paid")
            if paid._field_changes("payout_date", fields.Date.to_date(vals["payout_date"])):
                raise UserError(
                    self.env._(
                        "Buy-back %(names)s is paid out: its payout date can no longer change.",
                        names=", ".join(paid.mapped("name")),
                    )
                )
        return super()._check_write_vals(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_before_the_register(self):
        for buyback in self:
            if buyback.state not in ("draft", "refused", "cancelled"):
                raise UserError(
                    self.env._(
                        "Buy-back %(name)s is %(state)s: it cannot be deleted.",
                        name=buyback.name,
                        state=dict(STATES)[buyback.state],
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        buybacks = super().create(vals_list)
        for buyback in buybacks:
            user = buyback.company_id.telecoop_statute_profile_id.membership_officer_id
            if user:
                buyback.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=self.env._("Put the buy-back request to the board"),
                )
        buybacks.filtered(lambda b: b.state == "draft")._send_lifecycle_mail("received")
        return buybacks

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for buyback in self:
            buyback.access_url = f"/my/shares/buybacks/{buyback.id}"

    def _set_state(self, target):
        for buyback in self:
            if not can_move(BUYBACK_TRANSITIONS, buyback.state, target):
                raise UserError(
                    self.env._(
                        "Buy-back %(name)s is %(state)s: it cannot become %(target)s.",
                        name=buyback.name,
                        state=dict(STATES)[buyback.state],
                        target=dict(STATES)[target],
                    )
                )
        self._write_workflow({"state": target})

    def _check_holding(self):
        self.ensure_one()
        self._check_holds_some(self.partner_id, self.company_id)
        held = (
            self.env["telecoop.share.line"]
            .sudo()
            ._get_holdings(self.company_id, self.partner_id, self.share_class_id)[0]
        )
        if held < self.quantity:
            raise UserError(
                self.env._(
                    "%(partner)s holds %(held)s shares of %(share_class)s: %(quantity)s "
                    "cannot be bought back.",
                    partner=self.partner_id.display_name,
                    held=held,
                    share_class=self.share_class_id.name,
                    quantity=self.quantity,
                )
            )

    @api.model
    def _check_holds_some(self, partner, company):
        """A buy-back is asked in a cooperative where the member holds shares."""
        if self.env["telecoop.share.line"].sudo()._get_holdings(company, partner)[1] <= 0:
            raise UserError(
                self.env._(
                    "%(partner)s holds no share of %(company)s: there is nothing to buy back.",
                    partner=partner.display_name,
                    company=company.sudo().name,
                )
            )

    def action_approve(self):
        """The board approves: the shares leave the register on the decision date."""
        self._check_workflow_access()
        line_model = self.env["telecoop.share.line"].sudo()
        for buyback in self:
            company = buyback.company_id
            profile = company.telecoop_statute_profile_id
            if not can_move(BUYBACK_TRANSITIONS, buyback.state, "approved"):
                buyback._set_state("approved")  # raises the clear error
            decision_date = buyback.decision_date or fields.Date.context_today(self)
            buyback._check_decided_after_request(decision_date)
            # Serialise every movement of this register until the transaction ends,
            # then read holdings and capital: a concurrent buy-back waits here.
            line_model._lock_register(company)
            buyback._check_holding()
            line_model._check_out_date(buyback, buyback.partner_id, buyback.quantity, decision_date)
            capital = line_model._get_capital(company)
            floor = profile._get_capital_floor()
            left, allowed = capital_after_buyback(capital, buyback.amount, floor)
            if not allowed:
                raise UserError(
                    self.env._(
                        "Buy-back %(name)s refused: the capital is %(capital)s, paying back "
                        "%(amount)s would leave %(left)s, below the floor of %(floor)s (the "
                        "statutes' floor, or a quarter of the highest capital reached, "
                        "%(highest)s: loi n° 47-1775 art. 13).",
                        name=buyback.name,
                        capital=buyback._format_amount(capital),
                        amount=buyback._format_amount(buyback.amount),
                        left=buyback._format_amount(float(left)),
                        floor=buyback._format_amount(floor),
                        highest=buyback._format_amount(profile.highest_capital),
                    )
                )
            move = buyback._create_move(
                decision_date,
                profile.capital_journal_id,
                profile.capital_paid_account_id,
                profile.buyback_payable_account_id,
                ["capital_journal_id", "capital_paid_account_id", "buyback_payable_account_id"],
            )
            partner = buyback.partner_id.with_company(company)
            line_model.create(
                {
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "share_class_id": buyback.share_class_id.id,
                    "college_id": (
                        partner.telecoop_college_id or buyback.share_class_id.college_id
                    ).id,
                    "date": decision_date,
                    "movement_type": "buyback",
                    "quantity": -buyback.quantity,
                    "amount": -buyback.amount,
                    "buyback_id": buyback.id,
                    "move_id": move.id,
                    "note": buyback.name,
                }
            )
            buyback._write_workflow({"decision_date": decision_date, "capital_move_id": move.id})
            buyback._set_state("approved")
            partner._telecoop_leave_if_no_share(company, decision_date)
            buyback.sudo().activity_ids.action_feedback()
        return True

    def action_refuse(self):
        self._set_state("refused")
        self.sudo().activity_ids.action_feedback()
        return True

    def action_cancel(self):
        self._set_state("cancelled")
        self.sudo().activity_ids.action_feedback()
        return True

    def action_payout(self):
        """Pay the member back once the statutory delay has run."""
        self._check_workflow_access()
        for buyback in self:
            payout_date = buyback.payout_date or fields.Date.context_today(self)
            if buyback.state == "approved" and payout_date < buyback.payout_due_date:
                raise UserError(
                    self.env._(
                        "The statutes delay the payout of %(name)s until %(due)s.",
                        name=buyback.name,
                        due=buyback.payout_due_date,
                    )
                )
            if not can_move(BUYBACK_TRANSITIONS, buyback.state, "paid"):
                buyback._set_state("paid")  # raises the clear error
            profile = buyback.company_id.telecoop_statute_profile_id
            move = buyback._create_move(
                payout_date,
                profile.buyback_payout_journal_id,
                profile.buyback_payable_account_id,
                profile.buyback_payout_journal_id.default_account_id,
                ["buyback_payout_journal_id", "buyback_payable_account_id"],
            )
            buyback._write_workflow({"payout_date": payout_date, "payout_move_id": move.id})
            buyback._set_state("paid")
            buyback._send_lifecycle_mail("paid")
        return True

    def _format_amount(self, amount):
        return format_amount(self.env, amount, self.currency_id)

    def _create_move(self, on_date, journal, debit_account, credit_account, settings):
        self.ensure_one()
        self.company_id.telecoop_statute_profile_id._check_accounting_setup(settings)
        label = self.env._(
            "Buy-back %(name)s, %(partner)s", name=self.name, partner=self.partner_id.display_name
        )
        return self._post_capital_entry(on_date, journal, debit_account, credit_account, label)

    @api.model
    def _portal_request(self, partner, share_class, quantity, reason=False, company=None):
        """A member asks for a buy-back from the portal, in ``company`` (the cooperative
        whose form was sent) when given: a class of another cooperative is refused."""
        self._check_portal_share_class(share_class, company)
        self._check_portal_person(partner, share_class)
        self._check_holds_some(partner, share_class.sudo().company_id)
        return self._create_from_portal(
            {
                "company_id": share_class.company_id.id,
                "partner_id": partner.id,
                "share_class_id": share_class.id,
                "quantity": quantity,
                "reason": reason,
                "source": "portal",
            }
        )

    def _get_giver(self):
        return self.partner_id

    def _check_portal_request(self):
        self._check_holding()
        self._check_pending_out()
