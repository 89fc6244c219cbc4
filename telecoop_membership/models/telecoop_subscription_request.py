# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize

from odoo.addons.auth_signup.models.res_partner import SignupError

from ..services.share_rules import SUBSCRIPTION_TRANSITIONS, can_move, check_holding_limits

STATES = [
    ("draft", "Draft"),
    ("validated", "Validated"),
    ("invoiced", "Invoiced"),
    ("paid", "Paid"),
    ("done", "Shares issued"),
    ("refused", "Refused"),
    ("cancelled", "Cancelled"),
]
# Requests of the public form a cooperative takes in an hour (system parameter,
# the default when it is not set): a robot that dodges the honeypot fills no more.
PUBLIC_PER_HOUR_PARAM = "telecoop_membership.public_subscriptions_per_hour"
PUBLIC_PER_HOUR = 30
# States in which a request holds shares that are not issued yet.
PENDING_STATES = ("validated", "invoiced", "paid")


class TelecoopSubscriptionRequest(models.Model):
    """A request to subscribe cooperative shares, from staff or from the portal.

    draft -> validated (limits checked) -> invoiced (customer invoice posted)
    -> paid (the invoice is reconciled with a payment) -> done (shares issued,
    the person is a member). Refused and cancelled are states too.
    """

    _name = "telecoop.subscription.request"
    _description = "Share subscription request"
    _check_company_auto = True
    _inherit = ["telecoop.share.document", "portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "request_date desc, id desc"
    # SUB/2025/00001 for a request dated in 2025, whenever it is entered
    _sequence_date_field = "request_date"

    partner_id = fields.Many2one(
        "res.partner",
        string="Subscriber",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    unit_price = fields.Monetary(
        compute="_compute_unit_price",
        store=True,
        precompute=True,
        help="The nominal value of the class when the request was made.",
    )
    request_date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    source = fields.Selection(
        [("backoffice", "Back office"), ("portal", "Portal"), ("public", "Public form")],
        required=True,
        default="backoffice",
        readonly=True,
    )
    state = fields.Selection(
        STATES, required=True, default="draft", tracking=True, index=True, copy=False
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        tracking=True,
        default=lambda self: self.env.user if self.env.user._is_internal() else False,
        check_company=True,
    )
    invoice_id = fields.Many2one(
        "account.move", readonly=True, copy=False, tracking=True, check_company=True
    )
    invoice_payment_state = fields.Selection(related="invoice_id.payment_state")
    share_line_ids = fields.One2many(
        "telecoop.share.line", "subscription_request_id", string="Shares issued", readonly=True
    )
    issue_date = fields.Date(readonly=True, copy=False, tracking=True)
    refusal_reason = fields.Text(tracking=True)
    mail_received_date = fields.Datetime(
        string="Request received e-mail", readonly=True, copy=False
    )
    mail_payment_date = fields.Datetime(
        string="Payment instructions e-mail", readonly=True, copy=False
    )
    mail_issued_date = fields.Datetime(string="Shares issued e-mail", readonly=True, copy=False)

    _lifecycle_mails = {
        "received": (
            "telecoop_membership.mail_template_subscription_received",
            "mail_received_date",
        ),
        "payment": (
            "telecoop_membership.mail_template_subscription_payment",
            "mail_payment_date",
        ),
        "issued": ("telecoop_membership.mail_template_subscription_issued", "mail_issued_date"),
    }

    _frozen_fields = (
        "company_id",
        "share_class_id",
        "quantity",
        "amount",
        "partner_id",
        "request_date",
        "unit_price",
    )
    _computed_value_fields = ("amount", "unit_price")
    _workflow_fields = (
        "state",
        "invoice_id",
        "issue_date",
        "mail_received_date",
        "mail_payment_date",
        "mail_issued_date",
    )

    _quantity_positive = models.Constraint(
        "CHECK(quantity > 0)", "A subscription request asks for at least one share."
    )
    _invoice_unique = models.Constraint(
        "unique(invoice_id)", "An invoice pays for one subscription request."
    )

    @api.depends("share_class_id")
    def _compute_unit_price(self):
        for request in self:
            request.unit_price = request.share_class_id.nominal_value

    @api.depends("unit_price", "quantity")
    def _compute_amount(self):
        for request in self:
            request.amount = request.currency_id.round(request.unit_price * request.quantity)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_before_the_register(self):
        for request in self:
            if request.state not in ("draft", "refused", "cancelled"):
                raise UserError(
                    self.env._(
                        "Subscription request %(name)s is %(state)s: it cannot be deleted; "
                        "cancel it instead.",
                        name=request.name,
                        state=dict(STATES)[request.state],
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        requests = super().create(vals_list)
        drafts = requests.filtered(lambda r: r.state == "draft")
        drafts._schedule_review_activity()
        drafts._send_lifecycle_mail("received")
        return requests

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for request in self:
            request.access_url = f"/my/shares/requests/{request.id}"

    # -- workflow ---------------------------------------------------------------

    def _set_state(self, target):
        self._check_can_move(target)
        self._write_workflow({"state": target})

    def _check_can_move(self, target):
        for request in self:
            if not can_move(SUBSCRIPTION_TRANSITIONS, request.state, target):
                raise UserError(
                    self.env._(
                        "Subscription request %(name)s is %(state)s: it cannot become %(target)s.",
                        name=request.name,
                        state=dict(STATES)[request.state],
                        target=dict(STATES)[target],
                    )
                )

    def _schedule_review_activity(self):
        for request in self:
            profile = request.company_id.telecoop_statute_profile_id
            user = profile.membership_officer_id or request.user_id
            if user:
                request.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=self.env._("Review the share subscription request"),
                )

    def _close_activities(self):
        self.sudo().activity_ids.action_feedback()

    def _check_limits(self):
        """Refuse a request that would exceed the class or the statute limits."""
        lines = self.env["telecoop.share.line"].sudo()
        for request in self:
            share_class = request.share_class_id
            profile = request.company_id.telecoop_statute_profile_id
            # two validations at once are checked one after the other (the second
            # transaction, replayed, sees the first one's pending request)
            lines._lock_register(request.company_id)
            if share_class.company_id != request.company_id or not share_class.active:
                raise UserError(
                    self.env._(
                        "Share class %(share_class)s cannot be subscribed in %(company)s.",
                        share_class=share_class.name,
                        company=request.company_id.name,
                    )
                )
            class_held, total_held = lines._get_holdings(
                request.company_id, request.partner_id, share_class
            )
            pending = self.sudo().search(
                [
                    ("id", "!=", request.id),
                    ("company_id", "=", request.company_id.id),
                    ("partner_id", "=", request.partner_id.id),
                    ("state", "in", PENDING_STATES),
                ]
            )
            class_held += sum(r.quantity for r in pending if r.share_class_id == share_class)
            total_held += sum(pending.mapped("quantity"))
            breaches = check_holding_limits(
                class_held,
                total_held,
                request.quantity,
                share_class.min_per_member,
                share_class.max_per_member,
                profile.min_shares_per_member,
                profile.max_shares_per_member,
            )
            if breaches:
                messages = {
                    "class_max": self.env._(
                        "at most %(limit)s shares of class %(share_class)s per member",
                        limit=breaches[0].limit,
                        share_class=share_class.name,
                    ),
                    "profile_max": self.env._(
                        "at most %(limit)s shares per member in the statutes",
                        limit=breaches[0].limit,
                    ),
                    "class_min": self.env._(
                        "at least %(limit)s shares of class %(share_class)s per member",
                        limit=breaches[0].limit,
                        share_class=share_class.name,
                    ),
                    "profile_min": self.env._(
                        "at least %(limit)s shares per member in the statutes",
                        limit=breaches[0].limit,
                    ),
                }
                raise UserError(
                    self.env._(
                        "%(partner)s would hold %(holding)s shares with request %(name)s "
                        "(%(already)s held or requested, %(quantity)s asked), but the rule "
                        "is %(rule)s.",
                        partner=request.partner_id.display_name,
                        holding=breaches[0].holding,
                        name=request.name,
                        already=class_held if breaches[0].rule.startswith("class") else total_held,
                        quantity=request.quantity,
                        rule=messages[breaches[0].rule],
                    )
                )

    def action_validate(self):
        """Check the limits, then invoice the shares."""
        self._check_workflow_access()
        for request in self:
            request._check_limits()
            request._set_state("validated")
            # the person is a candidate of this cooperative until the shares are issued
            self.env["telecoop.membership"]._apply(request.partner_id, request.company_id)
            request.message_post(body=self.env._("Request validated."))
            request._close_activities()
            request._create_invoice()
        return True

    def action_refuse(self):
        self._set_state("refused")
        self._close_activities()
        self._withdraw_candidates()
        return True

    def _withdraw_candidates(self):
        """The person of a refused or cancelled request is no longer a candidate,
        unless another request of theirs is pending in the same cooperative."""
        memberships = self.env["telecoop.membership"]
        for request in self:
            membership = memberships._get_for(request.partner_id, request.company_id)
            if membership:
                membership._withdraw(
                    [
                        ("partner_id", "=", request.partner_id.id),
                        ("company_id", "=", request.company_id.id),
                        ("state", "in", PENDING_STATES),
                    ]
                )

    def action_cancel(self):
        self._check_can_move("cancelled")
        for request in self:
            if request.invoice_id and request.invoice_id.state == "posted":
                if request.invoice_id.payment_state not in ("not_paid",):
                    raise UserError(
                        self.env._(
                            "The invoice of %(name)s is already (partly) paid: it cannot be "
                            "cancelled.",
                            name=request.name,
                        )
                    )
                request.invoice_id.button_draft()
            if request.invoice_id:
                request.invoice_id.button_cancel()
            request._set_state("cancelled")
        self._close_activities()
        self._withdraw_candidates()
        return True

    def action_reset_to_draft(self):
        self._set_state("draft")
        self._write_workflow({"invoice_id": False})
        self._schedule_review_activity()
        return True

    def _prepare_invoice_values(self):
        self.ensure_one()
        profile = self.company_id.telecoop_statute_profile_id
        return {
            "move_type": "out_invoice",
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.id,
            "journal_id": profile.share_journal_id.id,
            "invoice_user_id": self.company_id._telecoop_get_invoice_user().id,
            # the demo story dates its invoices on the day they were paid (its past)
            "invoice_date": self.env.context.get("telecoop_demo_invoice_date")
            or fields.Date.context_today(self),
            "invoice_origin": self.name,
            "ref": self.name,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": self.env._(
                            "%(quantity)s share(s) of %(share_class)s, subscription %(name)s",
                            quantity=self.quantity,
                            share_class=self.share_class_id.name,
                            name=self.name,
                        ),
                        "quantity": self.quantity,
                        "price_unit": self.unit_price,
                        "account_id": profile.capital_called_unpaid_account_id.id,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }

    def _create_invoice(self):
        """Post the customer invoice of the shares on the members' contributions account."""
        for request in self:
            profile = request.company_id.telecoop_statute_profile_id
            # Everything the payment will need too: a payment is never blocked later.
            profile._check_accounting_setup(
                [
                    "share_journal_id",
                    "member_contribution_account_id",
                    "capital_called_unpaid_account_id",
                    "capital_journal_id",
                    "capital_paid_account_id",
                ]
            )
            invoice = (
                self.env["account.move"]
                .sudo()
                .with_company(request.company_id)
                .create(request._prepare_invoice_values())
            )
            invoice.line_ids.filtered(
                lambda line: line.display_type == "payment_term"
            ).account_id = profile.member_contribution_account_id
            invoice.action_post()
            request._write_workflow({"invoice_id": invoice.id})
            request._set_state("invoiced")
            if request.invoice_id.payment_state in ("paid", "in_payment"):
                request._on_invoice_paid()
            else:
                request._send_lifecycle_mail("payment")

    def _on_invoice_paid(self):
        """The invoice is reconciled with payments: issue the shares, exactly once."""
        for request in self:
            # Serialise with any other run of this hook for the same request.
            self.env.cr.execute(
                "SELECT state FROM telecoop_subscription_request WHERE id = %s FOR UPDATE",
                (request.id,),
            )
            request.invalidate_recordset(["state"])
            if request.state != "invoiced":
                continue
            request._check_paid_in_full()
            request._set_state("paid")
            request._issue_shares()

    def _check_paid_in_full(self):
        """Shares are issued for money received: an invoice marked as paid with the
        rest written off (to an income or expense account) did not pay them."""
        self.ensure_one()
        receivable = self.invoice_id.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        counterparts = receivable.matched_credit_ids.credit_move_id.move_id.line_ids
        written_off = counterparts.filtered(
            lambda line: line.account_id.internal_group in ("income", "expense")
        )
        if written_off:
            raise UserError(
                self.env._(
                    "The shares of %(request)s are issued when their value, %(amount)s, is "
                    "received: %(written_off)s of it is written off to %(account)s. Register "
                    "the payment without a write-off, or cancel the request and file one for "
                    "the shares paid.",
                    request=self.name,
                    amount=self.amount,
                    written_off=abs(sum(written_off.mapped("balance"))),
                    account=written_off[0].account_id.display_name,
                )
            )

    def _get_payment_date(self):
        self.ensure_one()
        receivable = self.invoice_id.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        dates = receivable.matched_credit_ids.credit_move_id.mapped("date")
        return max(dates) if dates else fields.Date.context_today(self)

    def _issue_shares(self):
        """Write the issue movement, book the paid-up capital, admit the member."""
        line_model = self.env["telecoop.share.line"].sudo()
        for request in self:
            company = request.company_id
            profile = company.telecoop_statute_profile_id
            line_model._lock_register(company)
            if request.share_line_ids:
                continue
            issue_date = request._get_payment_date()
            # the membership of this cooperative, whatever the user's current company
            partner = request.partner_id.with_company(company)
            college = (
                partner.telecoop_college_id
                if partner.telecoop_is_member and partner.telecoop_college_id
                else request.share_class_id.college_id
            )
            move = request._create_capital_move(issue_date)
            line_model.create(
                {
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "share_class_id": request.share_class_id.id,
                    "college_id": college.id,
                    "date": issue_date,
                    "movement_type": "issue",
                    "quantity": request.quantity,
                    "amount": request.amount,
                    "subscription_request_id": request.id,
                    "move_id": move.id,
                    "note": request.name,
                }
            )
            partner._telecoop_admit(profile, college, issue_date)
            request._write_workflow({"issue_date": issue_date})
            request._set_state("done")
            request.message_post(
                body=self.env._(
                    "%(quantity)s share(s) issued to %(partner)s, member number %(number)s.",
                    quantity=request.quantity,
                    partner=partner.display_name,
                    number=partner.telecoop_member_number,
                )
            )
            request._send_lifecycle_mail("issued")

    def _lifecycle_mail_joins_certificate(self, step):
        """The share certificate (PDF) of the new member joins the "shares issued" e-mail."""
        return step == "issued" or super()._lifecycle_mail_joins_certificate(step)

    def _create_certificate_attachment(self):
        """The member's share certificate as a PDF attachment of the request, for its
        "shares issued" e-mail (called when the mail queue sends it)."""
        self.ensure_one()
        partner = self.partner_id.with_company(self.company_id)
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() in ("install", "broken"):
            # no PDF engine on this server: the shares are issued all the same
            self.sudo().message_post(
                body=self.env._(
                    "The share certificate could not be attached to the e-mail: "
                    "wkhtmltopdf is not installed on the server."
                )
            )
            return self.env["ir.attachment"]
        content, report_type = (
            self.env["telecoop.membership"]
            ._get_for(self.partner_id, self.company_id)
            ._render_certificate()
        )
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"{partner._get_report_base_filename()}.{report_type}",
                    "raw": content,
                    "res_model": self._name,
                    "res_id": self.id,
                    "mimetype": "application/pdf" if report_type == "pdf" else "text/html",
                }
            )
        )

    def _get_payment_instructions(self):
        """What the subscriber needs to pay: amount, bank account, payment reference."""
        self.ensure_one()
        profile = self.company_id.telecoop_statute_profile_id
        invoice = self.invoice_id
        bank = invoice.partner_bank_id or profile._get_payment_bank_account()
        return {
            "amount": invoice.amount_residual if invoice else self.amount,
            "currency": self.currency_id,
            "iban": bank.acc_number or "",
            "bic": bank.bank_bic or "",
            "holder": bank.partner_id.name or self.company_id.name,
            "reference": (invoice.payment_reference or invoice.name) if invoice else self.name,
            "due_date": invoice.invoice_date_due,
        }

    def _create_capital_move(self, on_date):
        """Paid shares: the called capital moves from unpaid (1012) to paid-up (1013)."""
        self.ensure_one()
        profile = self.company_id.telecoop_statute_profile_id
        profile._check_accounting_setup(
            ["capital_journal_id", "capital_called_unpaid_account_id", "capital_paid_account_id"]
        )
        label = self.env._(
            "Paid-up capital, %(name)s, %(partner)s",
            name=self.name,
            partner=self.partner_id.display_name,
        )
        return self._post_capital_entry(
            on_date,
            profile.capital_journal_id,
            profile.capital_called_unpaid_account_id,
            profile.capital_paid_account_id,
            label,
        )

    # -- portal -------------------------------------------------------------------

    @api.model
    def _portal_subscribe(self, partner, share_class, quantity, company=None):
        """A member or a visitor with an account asks for shares from the portal, in
        ``company`` (the cooperative whose form was sent) when given: a class of
        another cooperative is refused."""
        self._check_portal_share_class(share_class, company)
        self._check_portal_person(partner, share_class)
        return self._create_from_portal(
            {
                "company_id": share_class.company_id.id,
                "partner_id": partner.id,
                "share_class_id": share_class.id,
                "quantity": quantity,
                "user_id": False,
                "source": "portal",
            }
        )

    def _check_portal_request(self):
        self._check_limits()

    @api.model
    def _check_public_rate(self, company):
        """Refuse the public form once the cooperative took its hourly quota of it."""
        limit = self.env["ir.config_parameter"]._get_positive_int(
            PUBLIC_PER_HOUR_PARAM, PUBLIC_PER_HOUR
        )
        since = fields.Datetime.subtract(fields.Datetime.now(), hours=1)
        recent = self.sudo().search_count(
            [
                ("company_id", "=", company.id),
                ("source", "=", "public"),
                ("create_date", ">=", since),
            ]
        )
        if recent >= limit:
            raise UserError(
                self.env._(
                    "%(company)s received many subscriptions in the last hour: please try "
                    "again later.",
                    company=company.name,
                )
            )

    @api.model
    def _public_subscribe(self, company, values):
        """A person who is not a member yet subscribes shares from the public form.

        ``values`` holds what the form sent, as text: ``name``, ``email``,
        ``phone``, ``street``, ``zip``, ``city``, ``password``,
        ``password_confirm``, ``quantity``, ``accept_statutes``, ``honeypot``
        (a field a person never sees), and ``share_class`` (a record, maybe
        empty or of another cooperative). Everything is checked here: the
        person, their portal account (login: the e-mail), their candidate
        membership and the request are created together, or nothing is.

        :return: (the request, the new portal user)
        """
        env = self.env
        profile = company.telecoop_statute_profile_id
        if values.get("honeypot"):
            raise UserError(env._("Your request could not be filed."))
        if not profile or not profile.public_subscription:
            raise UserError(
                env._("%(company)s takes no share subscription online.", company=company.name)
            )
        name = (values.get("name") or "").strip()
        if not name:
            raise UserError(env._("Give your first and last name."))
        email = email_normalize(values.get("email") or "")
        if not email:
            raise UserError(env._("Give a valid e-mail address: it will be your login."))
        password = values.get("password") or ""
        if len(password) < 8:
            raise UserError(env._("Choose a password of at least 8 characters."))
        if password != values.get("password_confirm"):
            raise UserError(env._("The two passwords differ."))
        if not values.get("accept_statutes"):
            raise UserError(env._("Tick the box to say you accept the statutes."))
        share_class = values.get("share_class") or env["telecoop.share.class"]
        share_class = share_class.sudo().exists()
        if not share_class or share_class.company_id != company or not share_class.active:
            raise UserError(
                env._("This share class is not offered by %(company)s.", company=company.name)
            )
        try:
            quantity = int(str(values.get("quantity") or "").strip())
        except ValueError:
            raise UserError(env._("Ask for a whole number of shares, at least one.")) from None
        self._check_public_rate(company)
        known = env["res.partner"].sudo().search([("email_normalized", "=", email)])
        if (
            env["telecoop.membership"]
            .sudo()
            .search_count([("partner_id", "in", known.ids), ("company_id", "=", company.id)])
        ):
            raise UserError(
                env._(
                    "%(email)s is already a member or a candidate of %(company)s: log in and "
                    "subscribe from My cooperative shares.",
                    email=email,
                    company=company.name,
                )
            )
        users = env["res.users"].sudo().with_context(active_test=False)
        if users.search_count(["|", ("login", "=ilike", email), ("email_normalized", "=", email)]):
            raise UserError(
                env._(
                    "An account already uses %(email)s: log in, then subscribe from My "
                    "cooperative shares.",
                    email=email,
                )
            )
        with env.cr.savepoint():
            partner = (
                env["res.partner"]
                .sudo()
                .create(
                    {
                        "name": name,
                        "email": email,
                        "phone": (values.get("phone") or "").strip() or False,
                        "street": (values.get("street") or "").strip() or False,
                        "zip": (values.get("zip") or "").strip() or False,
                        "city": (values.get("city") or "").strip() or False,
                        "country_id": company.country_id.id,
                        "lang": env.lang
                        if env.lang in dict(env["res.lang"].get_installed())
                        else False,
                    }
                )
            )
            try:
                user = users._create_user_from_template(
                    {
                        "login": email,
                        "partner_id": partner.id,
                        "password": password,
                        "company_id": company.id,
                        "company_ids": [Command.set(company.ids)],
                    }
                )
            except (SignupError, ValueError) as error:
                raise UserError(
                    env._("Your account could not be created: %(error)s", error=error)
                ) from None
            env["telecoop.membership"]._ensure(partner, company)
            request = self._create_from_portal(
                {
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "share_class_id": share_class.id,
                    "quantity": quantity,
                    "user_id": False,
                    "source": "public",
                }
            )
        return request, user

    def _demo_validate_and_pay(self, payment_date):
        """Demo data: validate the request, invoiced and paid in the first bank journal
        on ``payment_date`` (the story's past)."""
        for request in self:
            request.with_context(telecoop_demo_invoice_date=payment_date).action_validate()
            journal = self.env["account.journal"].search(
                [("company_id", "=", request.company_id.id), ("type", "=", "bank")], limit=1
            )
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=request.invoice_id.ids
            ).create({"payment_date": payment_date, "journal_id": journal.id})._create_payments()
