# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

# What a document can hold at all, whatever the statutes say: PostgreSQL's
# integer (2**31 - 1) and amounts that the float of an Odoo Monetary still
# holds to the cent (10**12). Beyond, a clear error, never a database one.
MAX_DOCUMENT_SHARES = 2**31 - 1
MAX_DOCUMENT_AMOUNT = 10**12
# Shares one document may move when neither the statutes nor the class set a
# maximum per member (system parameter, the default when it is not set).
DEFAULT_MAX_SHARES_PARAM = "telecoop_membership.default_max_shares_per_member"
DEFAULT_MAX_SHARES = 100_000


class TelecoopShareDocument(models.AbstractModel):
    """What a document moving shares of one class has: a reference numbered by
    the sequence of the model's name, its company, the class, the number of
    shares and their value at the class's nominal value.

    Subscription requests, transfers and buy-backs inherit it; each names its
    people (subscriber, giver and receiver, member) and its steps itself.

    A document that left draft is a fact: the fields of ``_frozen_fields``
    (what moves, for whom, in which company, for how much) never change after
    draft, whoever writes and by whichever path (form, RPC, import); a
    correction is a cancellation and a new document. The fields of
    ``_workflow_fields`` (state, links to the entries...) are written by the
    workflow methods only (through :meth:`_write_workflow`), never directly by
    a user, and a document is created in draft.
    """

    _name = "telecoop.share.document"
    _description = "Document moving cooperative shares"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    share_class_id = fields.Many2one(
        "telecoop.share.class",
        required=True,
        tracking=True,
        domain="[('company_id', '=', company_id)]",
        check_company=True,
    )
    quantity = fields.Integer(string="Shares", required=True, default=1, tracking=True)
    amount = fields.Monetary(compute="_compute_amount", store=True, precompute=True)

    @api.depends("share_class_id", "quantity")
    def _compute_amount(self):
        for document in self:
            document.amount = document.currency_id.round(
                document.share_class_id.nominal_value * document.quantity
            )

    # Fields fixed once the document leaves draft; each model adds its people.
    _frozen_fields = ("company_id", "share_class_id", "quantity", "amount")
    # Fields only the workflow writes; each model adds its own.
    _workflow_fields = ("state",)
    # Fields naming the member whose shares are taken out, if any.
    _giver_fields = ()
    # The date field whose year numbers the document (its sequence uses date
    # ranges); None: the year of the day the document is created.
    _sequence_date_field = None
    # The value of the document, computed from its class and its shares: never set.
    _computed_value_fields = ("amount",)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_create_vals(vals)
            if vals.get("name", "/") == "/":
                vals["name"] = self._next_name(vals)
        # nothing is left behind when a rule breaks, even if the caller goes on
        with self.env.cr.savepoint():
            documents = super().create(vals_list)
            documents._check_document_bounds()
            documents._check_pending_out()
        return documents

    @api.model
    def _next_name(self, vals):
        """The next reference of the sequence of the model, in the year of the
        document's date (``_sequence_date_field``) when it has one."""
        sequence_date = None
        if self._sequence_date_field:
            sequence_date = fields.Date.to_date(
                vals.get(self._sequence_date_field)
            ) or fields.Date.context_today(self)
        if sequence_date:
            self._serialise_first_number_of_year(sequence_date)
        sequences = self.env["ir.sequence"].sudo()
        return sequences.next_by_code(self._name, sequence_date=sequence_date) or "/"

    @api.model
    def _serialise_first_number_of_year(self, sequence_date):
        """The first document of a year creates the year's range of the sequence. Two
        at the same instant would each create it: the second failed on the unique index
        of the ranges, an error instead of its number. The sequence (the one
        ``next_by_code`` takes) is written first: the second transaction waits for the
        first and fails to serialise, the server replays it, and it then numbers in the
        range the first created."""
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [("code", "=", self._name), ("company_id", "in", [self.env.company.id, False])],
                order="company_id",
                limit=1,
            )
        )
        if not sequence.use_date_range:
            return
        covered = (
            self.env["ir.sequence.date_range"]
            .sudo()
            .search_count(
                [
                    ("sequence_id", "=", sequence.id),
                    ("date_from", "<=", sequence_date),
                    ("date_to", ">=", sequence_date),
                ],
                limit=1,
            )
        )
        if not covered:
            # a real update of the row (the ORM skips a write of the same value): Odoo's
            # own table, written as its no-gap sequences are, in one statement
            self.env.cr.execute(
                SQL(
                    "UPDATE ir_sequence SET write_date = now() AT TIME ZONE 'UTC' WHERE id = %s",
                    sequence.id,
                )
            )
            sequence.invalidate_recordset(["write_date"])

    @api.model
    def _number_sequence_per_year(self, sequence):
        """Give ``sequence`` (one counter, numbered in the year a document was
        entered) date ranges, so each document takes the year of its date
        (``_sequence_date_field``); for the update of an existing database.

        The documents keep their numbers. So that no number comes again, the range
        of each year a document was entered in, and of this year, starts where the
        one counter stood; other years start at 1 (no number of theirs was given).
        """
        if not sequence or sequence.use_date_range:
            return
        self.flush_model(["create_date"])
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT extract(year FROM create_date)::int FROM %s",
                SQL.identifier(self._table),
            )
        )
        years = {row[0] for row in self.env.cr.fetchall() if row[0]}
        years.add(fields.Date.context_today(self).year)
        number_next = sequence.number_next_actual
        sequence.use_date_range = True
        self.env["ir.sequence.date_range"].create(
            [
                {
                    "sequence_id": sequence.id,
                    "date_from": f"{year}-01-01",
                    "date_to": f"{year}-12-31",
                    "number_next_actual": number_next,
                }
                for year in sorted(years)
            ]
        )

    def write(self, vals):
        self._check_write_vals(vals)
        field = self._sequence_date_field
        year = field and vals.get(field) and fields.Date.to_date(vals[field]).year
        # a draft dated in another year takes a number of that year (frozen after draft)
        renumber = self.filtered(
            lambda d: year and d.state == "draft" and d[field] and d[field].year != year
        )
        result = super().write(vals)
        for document in renumber:
            document.sudo().name = document._next_name({field: document[field]})
        if {"quantity", "share_class_id", "company_id"} & set(vals):
            self._check_document_bounds()
        if {"quantity", "share_class_id", "company_id", *self._giver_fields} & set(vals):
            self._check_pending_out()
        return result

    # -- facts after draft ------------------------------------------------------

    def _get_field_label(self, name):
        return self._fields[name].get_description(self.env)["string"]

    @api.model
    def _check_create_vals(self, vals):
        """A user creates a document in draft, with nothing the workflow writes."""
        if "quantity" in vals:
            self._check_quantity_value(vals["quantity"])
        if self.env.su:
            return
        self._check_no_reference_given(vals)
        if vals.get("state", "draft") != "draft":
            raise UserError(
                self.env._(
                    "A %(document)s is created as a draft; its steps are the buttons of "
                    "the document.",
                    document=self._description,
                )
            )
        given = [name for name in self._workflow_fields if name != "state" and vals.get(name)]
        if given:
            raise UserError(
                self.env._(
                    "A new %(document)s cannot be given %(fields)s: its workflow sets them.",
                    document=self._description,
                    fields=", ".join(self._get_field_label(name) for name in given),
                )
            )

    @api.model
    def _check_no_reference_given(self, vals):
        """The reference of a document is its sequence's, never typed: a reference
        given by hand could be another document's, or of another year."""
        if vals.get("name", "/") != "/":
            raise UserError(
                self.env._(
                    "The reference of a %(document)s is given by its numbering, not typed "
                    "(%(name)s).",
                    document=self._description,
                    name=vals["name"],
                )
            )

    def _field_changes(self, name, value):
        """Whether writing ``value`` in field ``name`` changes any of ``self``."""
        field = self._fields[name]
        for document in self:
            if field.type == "many2one":
                new = value.id if isinstance(value, models.BaseModel) else (value or False)
                if document[name].id != new:
                    return True
            elif field.type == "monetary":
                if document.currency_id.compare_amounts(document[name] or 0.0, value or 0.0):
                    return True
            elif document[name] != value:
                return True
        return False

    def _check_write_vals(self, vals):
        """Refuse a change of what a document is once it left draft, and any write of
        the workflow's fields that does not come from the workflow."""
        if "quantity" in vals:
            self._check_quantity_value(vals["quantity"])
        if not self.env.su:
            if "name" in vals and self._field_changes("name", vals["name"]):
                self._check_no_reference_given(vals)
            workflow = [name for name in self._workflow_fields if name in vals]
            if workflow and self._field_changes_any(workflow, vals):
                raise UserError(
                    self.env._(
                        "%(fields)s of a %(document)s change through its buttons only (%(names)s).",
                        fields=", ".join(self._get_field_label(name) for name in workflow),
                        document=self._description,
                        names=", ".join(self.mapped("name")),
                    )
                )
        # a draft's value follows its class and shares (after draft it is a fact, below)
        computed = [name for name in self._computed_value_fields if name in vals]
        drafts = self.filtered(lambda d: d.state == "draft")
        if computed and drafts._field_changes_any(computed, vals):
            raise UserError(
                self.env._(
                    "%(fields)s of a %(document)s are computed from its share class and its "
                    "number of shares: they cannot be set (%(names)s).",
                    fields=", ".join(self._get_field_label(name) for name in computed),
                    document=self._description,
                    names=", ".join(drafts.mapped("name")),
                )
            )
        frozen = [name for name in self._frozen_fields if name in vals]
        if not frozen:
            return
        for document in self.filtered(lambda d: d.state != "draft"):
            changed = [name for name in frozen if document._field_changes(name, vals[name])]
            if changed:
                raise UserError(
                    self.env._(
                        "%(document)s %(name)s is %(state)s: its %(fields)s can no longer "
                        "change. To correct it, cancel it and make a new one.",
                        document=self._description,
                        name=document.name,
                        state=dict(document._fields["state"]._description_selection(self.env))[
                            document.state
                        ],
                        fields=", ".join(self._get_field_label(name) for name in changed),
                    )
                )

    def _field_changes_any(self, names, vals):
        return any(self._field_changes(name, vals[name]) for name in names)

    def _check_workflow_access(self):
        """The steps of a document (its buttons) are run by the staff who may write it,
        or by the code that runs as superuser (a filing from the portal, a payment, an
        e-mail): a member who reads her own document cannot call them by RPC."""
        if not self.env.su and not self.has_access("write"):
            raise AccessError(
                self.env._(
                    "Only the cooperative's staff move a %(document)s through its steps "
                    "(%(names)s).",
                    document=self._description,
                    names=", ".join(self.sudo().mapped("name")),
                )
            )

    def _write_workflow(self, vals):
        """Write the fields of a step of the workflow (state, links to entries)."""
        self._check_workflow_access()
        return self.sudo().write(vals)

    # -- bounds -----------------------------------------------------------------

    def _get_max_shares_per_member(self):
        """The most shares a member may hold, so the most one document may move: the
        statutes' maximum, the class's, or else the configurable default."""
        self.ensure_one()
        profile = self.company_id.telecoop_statute_profile_id
        limits = [
            limit
            for limit in (profile.max_shares_per_member, self.share_class_id.max_per_member)
            if limit
        ]
        if limits:
            return min(limits), "statutes"
        value = self.env["ir.config_parameter"]._get_positive_int(
            DEFAULT_MAX_SHARES_PARAM, DEFAULT_MAX_SHARES
        )
        return min(value, MAX_DOCUMENT_SHARES), "default"

    @api.model
    def _check_quantity_value(self, quantity):
        """Refuse a quantity the database cannot hold, before it reaches it."""
        if isinstance(quantity, float) and quantity.is_integer():
            quantity = int(quantity)
        if not isinstance(quantity, int) or isinstance(quantity, bool):
            raise ValidationError(self.env._("The number of shares must be a whole number."))
        if not 0 < quantity <= MAX_DOCUMENT_SHARES:
            raise ValidationError(
                self.env._(
                    "%(quantity)s shares: a %(document)s moves between 1 and %(max)s shares.",
                    quantity=quantity,
                    document=self._description,
                    max=MAX_DOCUMENT_SHARES,
                )
            )

    def _check_document_bounds(self):
        for document in self:
            maximum, source = document._get_max_shares_per_member()
            if document.quantity > maximum:
                raise ValidationError(
                    self.env._(
                        "%(document)s %(name)s moves %(quantity)s shares; a member may hold "
                        "at most %(max)s (%(origin)s).",
                        document=self._description,
                        name=document.name,
                        quantity=document.quantity,
                        max=maximum,
                        origin=self.env._("statutes and share class")
                        if source == "statutes"
                        else self.env._(
                            "default maximum, system parameter %(param)s",
                            param=DEFAULT_MAX_SHARES_PARAM,
                        ),
                    )
                )
            if abs(document.amount) > MAX_DOCUMENT_AMOUNT:
                raise ValidationError(
                    self.env._(
                        "%(document)s %(name)s is worth %(amount)s, beyond what a document "
                        "may hold (%(max)s).",
                        document=self._description,
                        name=document.name,
                        amount=document.amount,
                        max=MAX_DOCUMENT_AMOUNT,
                    )
                )

    # -- shares promised out of a holding -------------------------------------------

    def _get_giver(self):
        """The member whose shares the document takes out (buy-backs, transfers)."""
        return self.env["res.partner"]

    def _check_pending_out(self):
        """Draft buy-backs and draft transfers of a member together never take out
        more shares of a class than the member holds.

        The register is locked first (:meth:`telecoop.share.line._lock_register`):
        two requests filed at once are checked one after the other.
        """
        line_model = self.env["telecoop.share.line"].sudo()
        for document in self.filtered(lambda d: d.state == "draft"):
            giver = document._get_giver()
            if not giver:
                continue
            company, share_class = document.company_id, document.share_class_id
            line_model._lock_register(company)
            held = line_model._get_holdings(company, giver, share_class)[0]
            pending = line_model._get_pending_out(company, giver, share_class)
            if pending > held:
                raise UserError(
                    self.env._(
                        "%(partner)s holds %(held)s shares of %(share_class)s; with "
                        "%(document)s %(name)s the buy-backs and transfers asked for and "
                        "not done yet would take out %(pending)s. Cancel one of them or "
                        "ask for fewer shares.",
                        partner=giver.display_name,
                        held=held,
                        share_class=share_class.name,
                        document=self._description,
                        name=document.name,
                        pending=pending,
                    )
                )

    @api.model
    def _create_from_portal(self, vals):
        """The document a person asks for in the portal: whole shares only, and
        nothing left behind when it breaks a rule of ``_check_portal_request``."""
        quantity = vals.get("quantity")
        if not isinstance(quantity, int) or quantity <= 0:
            raise UserError(self.env._("Ask for a whole number of shares, at least one."))
        self._check_quantity_value(quantity)
        with self.env.cr.savepoint():
            document = self.sudo().create(vals)
            document._check_portal_request()
        return document

    def _check_portal_request(self):
        """Raise when a document asked for in the portal breaks a rule."""

    def _check_portal_share_class(self, share_class, company=None):
        """A person asks in the portal only for a class their cooperative offers them:
        one they may read (the classes of the cooperatives of their account; another
        company's class is refused in a sentence, never with the raw access error),
        and, when the form names its cooperative (``company``), a class of that
        cooperative only.

        The one owner of "in which cooperatives may this person ask": the portal
        page offers the classes this rule lets through (:meth:`_get_portal_classes`).
        """
        # read as the person asking, whatever environment the record came with
        share_class = share_class.with_env(self.env)
        if not share_class.exists() or not share_class.has_access("read"):
            raise UserError(self.env._("This share class is not offered by your cooperative."))
        if company is not None and share_class.company_id != company:
            raise UserError(
                self.env._(
                    "Share class %(share_class)s is not offered by %(company)s.",
                    share_class=share_class.name,
                    # a form may name a company that does not exist: no raw MissingError
                    company=company.sudo().exists().name or self.env._("this cooperative"),
                )
            )

    @api.model
    def _check_portal_person(self, partner, share_class):
        """A person asks in the portal for shares of a cooperative her contact may
        be recorded in: a contact of that cooperative or one shared by all companies.
        The documents refuse any other (``check_company``); the portal says it in a
        sentence, never with the raw error."""
        owner = partner.sudo().company_id
        company = share_class.sudo().company_id
        if owner and owner != company:
            raise UserError(
                self.env._(
                    "Your contact details belong to %(owner)s only: %(company)s cannot "
                    "record shares for them. Ask %(owner)s to share your contact with the "
                    "cooperatives you belong to.",
                    owner=owner.name,
                    company=company.name,
                )
            )

    @api.model
    def _get_portal_classes(self, companies=None):
        """The share classes the current user may ask for in the portal (those
        :meth:`_check_portal_share_class` lets through), active ones only, of
        ``companies`` when given."""
        domain = [("company_id", "in", companies.ids)] if companies is not None else []
        return self.env["telecoop.share.class"].search(domain)

    # -- e-mails through the share life -------------------------------------------

    # step: (mail template xml id, field holding when its e-mail was queued)
    _lifecycle_mails = {}

    def _send_lifecycle_mail(self, step):
        """Queue the e-mail of ``step`` to the document's person, once per document.

        The e-mail goes through the mail queue (``mail.mail``, sent by Odoo's
        cron), in the person's language; the date it was queued is kept on the
        document, so running a step again never sends it twice. Nothing is sent
        when the statute profile turns these e-mails off or the person has no
        e-mail address.
        """
        template_xmlid, sent_field = self._lifecycle_mails[step]
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        for document in self:
            profile = document.company_id.telecoop_statute_profile_id
            if (
                document[sent_field]
                or not template
                or not profile.send_lifecycle_emails
                or not document.partner_id.email
            ):
                continue
            attachments = document._get_lifecycle_mail_attachments(step)
            email_values = {"attachment_ids": [Command.link(a.id) for a in attachments]}
            if document._lifecycle_mail_joins_certificate(step):
                # rendered when the mail queue sends it (mail_mail.py), by a running
                # server, not now (a demo install has none to serve the PDF's styles)
                email_values["telecoop_certificate_pending"] = True
            template.sudo().with_company(document.company_id).send_mail(
                document.id,
                force_send=False,
                email_values=email_values,
                email_layout_xmlid="mail.mail_notification_light",
            )
            document._write_workflow({sent_field: fields.Datetime.now()})

    def _get_lifecycle_mail_attachments(self, step):
        """The files joined to the e-mail of ``step`` (``ir.attachment``)."""
        return self.env["ir.attachment"]

    def _lifecycle_mail_joins_certificate(self, step):
        """Whether the e-mail of ``step`` joins the person's share certificate,
        rendered when the mail queue sends it (``_create_certificate_attachment``)."""
        return False

    def _post_capital_entry(self, on_date, journal, debit_account, credit_account, label):
        """Post the journal entry of the document's amount, both lines on its ``partner_id``
        (the subscriber or the member: a transfer moves no capital)."""
        self.ensure_one()
        line = {"name": label, "partner_id": self.partner_id.id}
        move = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "entry",
                    "company_id": self.company_id.id,
                    "journal_id": journal.id,
                    "date": on_date,
                    "ref": self.name,
                    "line_ids": [
                        Command.create(
                            {**line, "account_id": debit_account.id, "debit": self.amount}
                        ),
                        Command.create(
                            {**line, "account_id": credit_account.id, "credit": self.amount}
                        ),
                    ],
                }
            )
        )
        move.action_post()
        return move
