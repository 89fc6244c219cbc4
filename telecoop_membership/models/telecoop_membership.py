# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# The share certificate: a report of the membership, printed in its cooperative; the
# report of the contact prints one per membership of the person (see
# :meth:`TelecoopMembership._get_certificate_memberships`).
CERTIFICATE_REPORT = "telecoop_membership.telecoop_membership_certificate_report"
MEMBERSHIP_STATES = [("candidate", "Candidate"), ("member", "Member"), ("former", "Former member")]


class TelecoopMembership(models.Model):
    """The membership of a person in one cooperative (one company).

    As ``cooperative.membership`` of OCA cooperator 16.0: a person hosted with
    two cooperatives of the same database has two memberships, two member
    numbers, and may leave one while staying in the other. Only the code of
    the register (admission, leaving, import) writes it.
    """

    _name = "telecoop.membership"
    _description = "Membership of a cooperative"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    # staff of the cooperative write notes on a membership they may only read
    _mail_post_access = "read"
    _order = "company_id, member_number, id"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Person",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", string="Cooperative", required=True, index=True, ondelete="cascade"
    )
    profile_id = fields.Many2one(
        related="company_id.telecoop_statute_profile_id", string="Statute profile"
    )
    member_number = fields.Char(copy=False, readonly=True, index=True, tracking=True)
    college_id = fields.Many2one(
        "telecoop.college", check_company=True, ondelete="restrict", tracking=True
    )
    admission_date = fields.Date(string="Member since", readonly=True, tracking=True)
    exit_date = fields.Date(string="Member until", readonly=True, tracking=True)
    state = fields.Selection(
        MEMBERSHIP_STATES, required=True, default="candidate", readonly=True, tracking=True
    )
    is_member = fields.Boolean(compute="_compute_is_member", store=True, index=True)
    email = fields.Char(related="partner_id.email")
    phone = fields.Char(related="partner_id.phone")
    image_128 = fields.Image(related="partner_id.image_128")
    share_count = fields.Integer(string="Shares held", compute="_compute_share_holding")
    share_amount = fields.Monetary(string="Capital held", compute="_compute_share_holding")
    currency_id = fields.Many2one(related="company_id.currency_id")

    _partner_company_unique = models.Constraint(
        "unique(company_id, partner_id)", "A person has one membership per cooperative."
    )
    _member_number_unique = models.Constraint(
        "unique(company_id, member_number)", "A member number is given once per cooperative."
    )

    @api.depends("state")
    def _compute_is_member(self):
        for membership in self:
            membership.is_member = membership.state == "member"

    def _compute_share_holding(self):
        holdings = self.env["telecoop.share.line"]._get_holdings_of(
            self.partner_id, self.company_id
        )
        for membership in self:
            shares, amount = holdings.get(
                (membership.partner_id.id, membership.company_id.id), (0, 0.0)
            )
            membership.share_count = shares
            membership.share_amount = amount

    def _check_code_writes(self):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Memberships are written by the register (admission, leaving, import) only."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_code_writes()
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) - {"message_main_attachment_id"}:
            self._check_code_writes()
        return super().write(vals)

    @api.model
    def _get_for(self, partner, company):
        """The membership of ``partner`` in ``company`` (sudo), or an empty recordset."""
        return self.sudo().search(
            [("partner_id", "=", partner.id), ("company_id", "=", company.id)], limit=1
        )

    @api.model
    def _get_member_numbers(self, partners, companies):
        """``{(partner id, company id): member number}`` of these people in these
        cooperatives, whatever the current company (one query)."""
        memberships = self.sudo().search(
            [("partner_id", "in", partners.ids), ("company_id", "in", companies.ids)]
        )
        return {(m.partner_id.id, m.company_id.id): m.member_number for m in memberships}

    @api.model
    def _ensure(self, partner, company):
        """The membership of ``partner`` in ``company``, created as candidate if missing."""
        membership = self._get_for(partner, company)
        if not membership:
            membership = self.sudo().create({"partner_id": partner.id, "company_id": company.id})
        return membership

    @api.model
    def _apply(self, partner, company):
        """A validated subscription request makes ``partner`` a candidate of ``company``
        (before the shares are paid and issued), as the membership record OCA
        cooperator 16.0 creates when a request is validated. A member stays a
        member; a former member who applies again is a candidate again (the
        number and the dates of the earlier period are kept)."""
        membership = self._ensure(partner, company)
        if membership.state == "former":
            membership.sudo().write({"state": "candidate"})
        return membership

    def _withdraw(self, pending_domain):
        """A candidate whose last pending request is refused or cancelled is no longer
        one: removed when never admitted, former again otherwise.

        :param pending_domain: the pending requests of the person in the company
        """
        self.ensure_one()
        if self.state != "candidate" or self.env["telecoop.subscription.request"].sudo().search(
            pending_domain, limit=1
        ):
            return
        if self.admission_date:
            self.sudo().write({"state": "former"})
        else:
            self.sudo().unlink()

    def _admit(self, college, on_date):
        """Make this membership a member (again) on ``on_date``.

        A first admission gives the next member number of the cooperative's
        statute profile; a former member who comes back keeps the number and
        starts a new period.
        """
        self.ensure_one()
        membership = self.sudo()
        vals = {}
        if not membership.member_number:
            profile = membership.company_id.telecoop_statute_profile_id
            vals["member_number"] = profile._next_member_number()
        if membership.state != "member":
            vals.update(state="member", admission_date=on_date, exit_date=False)
        if not membership.college_id or membership.state != "member":
            vals["college_id"] = college.id
        if vals:
            membership.write(vals)

    def _leave(self, on_date):
        self.ensure_one()
        if self.state == "member":
            self.sudo().write({"state": "former", "exit_date": on_date})

    # -- the share certificate --------------------------------------------------------

    # the register's records naming a contact (``check_company``): written before the
    # check applied on create and write, they may name another company's contact
    _OTHER_COMPANY_CONTACT_FIELDS = (
        ("telecoop.membership", "partner_id"),
        ("telecoop.subscription.request", "partner_id"),
        ("telecoop.share.transfer", "from_partner_id"),
        ("telecoop.share.transfer", "to_partner_id"),
        ("telecoop.share.buyback", "partner_id"),
        ("telecoop.share.line", "partner_id"),
    )

    @api.model
    def _report_other_company_contacts(self):
        """Find the memberships, share documents and share movements of a cooperative
        naming a contact of another company (``check_company`` refuses them since it
        applies, on create and write only), and report each to the cooperative's
        staff: a note in the chatter of the record (of the membership for a share
        movement, which has none) and a to-do for the membership administrators of
        the company, with a log line. Nothing is changed or deleted: the facts of
        the register stay, staff decide (share the contact with the cooperatives, or
        cancel and record again).

        :return: list of (model, record id) found
        """
        found = []
        for model_name, field in self._OTHER_COMPANY_CONTACT_FIELDS:
            model = self.env[model_name].sudo()
            model.flush_model([field, "company_id"])
            self.env.cr.execute(
                SQL(
                    """
                    SELECT record.id
                      FROM %(table)s AS record
                      JOIN res_partner AS partner ON partner.id = record.%(field)s
                     WHERE partner.company_id IS NOT NULL
                       AND partner.company_id <> record.company_id
                  ORDER BY record.id
                    """,
                    table=SQL.identifier(model._table),
                    field=SQL.identifier(field),
                )
            )
            for record in model.browse([row[0] for row in self.env.cr.fetchall()]):
                found.append((model_name, record.id))
                self._report_other_company_contact(record, record[field])
        return found

    @api.model
    def _report_other_company_contact(self, record, partner):
        company = record.company_id
        has_chatter = "message_ids" in record._fields
        what = (
            f"{record._description} {record.display_name}"
            if has_chatter
            else self.env._(
                "%(what)s of %(date)s (%(quantity)s shares)",
                what=record._description,
                date=record.date,
                quantity=record.quantity,
            )
        )
        _logger.warning(
            "%s (%s,%s) of %s names %s (%s), a contact of %s: reported to its staff",
            what,
            record._name,
            record.id,
            company.name,
            partner.display_name,
            partner.id,
            partner.company_id.name,
        )
        if not has_chatter:  # a share movement: the chatter of its membership
            record = self.sudo().search(
                [("company_id", "=", company.id), ("partner_id", "=", partner.id)], limit=1
            )
            if not record:
                return
        message = self.env._(
            "%(what)s names %(partner)s, a contact of %(owner)s only: %(company)s may not "
            "record it. It was written before this check and is kept: share the contact "
            "with %(company)s, or cancel and record it again for a contact of %(company)s.",
            what=what,
            partner=partner.display_name,
            owner=partner.company_id.name,
            company=company.name,
        )
        record.message_post(body=message, message_type="comment", subtype_xmlid="mail.mt_note")
        managers = self.env.ref(
            "telecoop_membership.telecoop_membership_group_manager"
        ).all_user_ids.sorted("id")
        responsible = managers.filtered(lambda u: company in u.company_ids and not u.share)[:1]
        record.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("A contact of another company"),
            note=message,
            user_id=(responsible or self.env.ref("base.user_admin", False) or self.env.user).id,
        )

    def _get_certificate_partner(self):
        """The person of this membership as the certificate reads her: in the
        cooperative of the membership (its number, college, shares), whatever the
        current company of the user."""
        self.ensure_one()
        return self.partner_id.sudo().with_company(self.company_id)

    @api.model
    def _get_certificate_memberships(self, partners):
        """The memberships whose certificates a print of the contacts ``partners``
        gives: each person's memberships with a member number (members and
        former members, as the portal lists them) in the cooperatives the user
        works in (the companies of the context, as the user may read them), one
        certificate each, in its own cooperative. A person with none there is
        refused in a sentence."""
        memberships = self.search(
            [
                ("partner_id", "in", partners.ids),
                ("company_id", "in", self.env.companies.ids),
                ("member_number", "!=", False),
            ]
        )
        for partner in partners:
            if not memberships.filtered(lambda m, p=partner: m.partner_id == p):
                raise UserError(
                    self.env._(
                        "%(person)s has no member number in %(cooperatives)s: there is no share "
                        "certificate to print. Select the cooperative of the membership in "
                        "the company switcher, or print it from the membership.",
                        person=partner.display_name,
                        cooperatives=", ".join(self.env.companies.mapped("name")),
                    )
                )
        order = {partner_id: index for index, partner_id in enumerate(partners.ids)}
        return memberships.sorted(lambda m: (order[m.partner_id.id], m.company_id.id))

    def _check_certificate_access(self):
        """A certificate is printed only by who may read its membership: staff of
        that cooperative (its company among theirs), the member herself."""
        self.check_access("read")

    def action_print_certificate(self):
        """The button of the membership form: its certificate, in its cooperative."""
        self._check_certificate_access()
        return self.env.ref(CERTIFICATE_REPORT).report_action(self)

    def _render_certificate(self, report_type="pdf"):
        """The share certificate of this membership (``pdf`` or ``html``), rendered with
        the company of the membership: its name, number, shares and legal mentions.

        :return: (content, report type)
        """
        self.ensure_one()
        reports = self.env["ir.actions.report"].sudo().with_company(self.company_id)
        render = reports._render_qweb_html if report_type == "html" else reports._render_qweb_pdf
        return render(
            CERTIFICATE_REPORT,
            self.ids,
            data={"report_type": "html" if report_type == "html" else "pdf"},
        )


class ReportTelecoopMembershipCertificate(models.AbstractModel):
    """The share certificate: one page per membership, each in its own cooperative.
    The one owner of what a certificate print renders, whichever documents are
    printed: memberships here (form button, print menu, portal, e-mail), contacts
    below (the print menu of the contact)."""

    _name = "report.telecoop_membership.telecoop_membership_certificate"
    _description = "Share certificate of a membership"
    # the model of the documents printed
    _doc_model = "telecoop.membership"

    @api.model
    def _get_printed_memberships(self, docs):
        """The memberships whose certificates a print of ``docs`` gives."""
        return docs

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env[self._doc_model].browse(docids)
        memberships = self._get_printed_memberships(docs)
        memberships._check_certificate_access()
        return {
            "doc_ids": docids,
            "doc_model": self._doc_model,
            "docs": docs,
            "memberships": memberships,
        }


class ReportTelecoopPartnerCertificate(models.AbstractModel):
    """The certificates of contacts: the certificate above, of each person's
    memberships in the cooperatives the user works in."""

    _name = "report.telecoop_membership.telecoop_certificate_document"
    _inherit = "report.telecoop_membership.telecoop_membership_certificate"
    _description = "Share certificates of a contact"
    _doc_model = "res.partner"

    @api.model
    def _get_printed_memberships(self, docs):
        return self.env["telecoop.membership"]._get_certificate_memberships(docs)
