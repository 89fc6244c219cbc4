# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..services import seal

ATTENDANCE_FIELDS = {"present"}


class TelecoopAssemblyVoter(models.Model):
    """A member of the electorate of an assembly, frozen at the record date.

    One row per member: one member, one vote, whatever the number of shares.
    Only the attendance (present in the room) changes after the freeze.
    """

    _name = "telecoop.assembly.voter"
    _description = "Member of the electorate"
    _order = "assembly_id, college_id, partner_id"
    _rec_name = "partner_id"
    _check_company_auto = True

    assembly_id = fields.Many2one(
        "telecoop.assembly", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="assembly_id.company_id", store=True, index=True)
    partner_id = fields.Many2one("res.partner", required=True, ondelete="restrict", index=True)
    member_number = fields.Char(compute="_compute_member_number")
    college_id = fields.Many2one(
        "telecoop.college", required=True, ondelete="restrict", check_company=True
    )
    college_weight = fields.Float(
        string="College weight (%)",
        digits=(5, 2),
        help="Weight of the member's college in the statutes at the convocation.",
    )
    shares = fields.Integer(help="Paid shares at the record date (information only).")
    present = fields.Boolean(help="Signed the attendance sheet in the room.")
    room_eligible = fields.Boolean(
        string="Votes in the room",
        compute="_compute_room_eligible",
        search="_search_room_eligible",
        help="Present in the room, or represented by a proxy holder who is present: staff "
        "enter a ballot in the room for this member.",
    )

    representative_id = fields.Many2one(
        "res.partner",
        compute="_compute_representative_id",
        search="_search_representative_id",
        help="For a member that is a company: its representative now (on the membership), "
        "who votes and gives proxies for it on the portal.",
    )

    informed_partner_id = fields.Many2one(
        "res.partner",
        string="Person informed",
        compute="_compute_informed_partner_id",
        help="Who receives the convocation, the receipts and the results for this member: "
        "its own address, else (a company member) its representative's.",
    )

    _partner_unique = models.Constraint(
        "unique(assembly_id, partner_id)", "A member appears once in an electorate."
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not seal.is_sealed(self.env.context):
            raise UserError(
                self.env._("The electorate is copied from the register at convocation.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) - ATTENDANCE_FIELDS:
            raise UserError(self.env._("The electorate is frozen: only attendance changes."))
        # first: the closing at the same instant either sees this presence in the quorum
        # it fixes, or this change is retried after it and refused below (the lock of the
        # ballot boxes, see TelecoopResolution._lock_heads)
        self.assembly_id.resolution_ids.sudo()._lock_heads()
        closed = self.filtered(lambda voter: voter.assembly_id.state not in ("convened", "open"))
        if closed:
            raise UserError(
                self.env._(
                    "Assembly %(name)s: attendance is taken between the convocation and the "
                    "closing of the vote; once closed, the attendance sheet and the quorum are "
                    "fixed.",
                    name=closed[:1].assembly_id.name,
                )
            )
        if "present" in vals and not vals["present"]:
            self._check_no_room_ballot()
        return super().write(vals)

    def _check_no_room_ballot(self):
        """A member who cast a ballot in the room, for themselves or with a proxy, took
        part: their presence is not taken back (the quorum would lose a member whose
        ballot counts)."""
        cast = (
            self.env["telecoop.ballot.participation"]
            .sudo()
            .search(
                [
                    ("voted", "=", True),
                    "|",
                    ("channel", "=", "room"),
                    ("in_room", "=", True),
                    "|",
                    ("voter_id", "in", self.ids),
                    ("proxy_id.holder_id", "in", self.ids),
                ],
                limit=1,
            )
        )
        if cast:
            member = cast.voter_id if cast.voter_id in self else cast.proxy_id.holder_id
            raise UserError(
                self.env._(
                    "%(member)s cast a ballot in the room on %(resolution)s: they took part "
                    "and stay on the attendance sheet.",
                    member=member.partner_id.name,
                    resolution=cast.resolution_id.name,
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The electorate of an assembly cannot be changed."))

    def action_mark_present(self):
        self.write({"present": True})
        return True

    def action_mark_absent(self):
        self.write({"present": False})
        return True

    @api.model
    def _get_room_eligible_domain(self):
        """Who votes in the room: present, or whose active proxy is held by someone present.

        The one rule of the room: the ballot entry offers these members only and
        refuses any other before casting (:meth:`TelecoopBallotEntry._check_voter_in_room`).
        """
        represented = (
            self.env["telecoop.assembly.proxy"]
            .sudo()
            .search([("state", "=", "active"), ("holder_id.present", "=", True)])
            .giver_id
        )
        return Domain("present", "=", True) | Domain("id", "in", represented.ids)

    @api.depends("present")
    def _compute_room_eligible(self):
        eligible = (
            self.search(Domain("id", "in", self.ids) & self._get_room_eligible_domain())
            if self.ids
            else self.browse()
        )
        for voter in self:
            voter.room_eligible = voter in eligible

    def _search_room_eligible(self, operator, value):
        if operator != "in":
            return NotImplemented
        domain = self._get_room_eligible_domain()
        return domain if True in value else ~domain

    @api.depends("partner_id.telecoop_membership_ids.representative_id", "company_id")
    def _compute_representative_id(self):
        for row in self:
            row.representative_id = (
                self.env["telecoop.membership"]
                ._get_for(row.partner_id, row.company_id)
                ._get_representative()
                if row.partner_id.is_company
                else False
            )

    def _search_representative_id(self, operator, value):
        if operator != "in":
            return NotImplemented
        memberships = (
            self.env["telecoop.membership"]
            .sudo()
            .search([("representative_id", "in", [v for v in value if v])])
            .filtered(lambda m: m._get_representative())
        )
        return Domain.OR(
            Domain("partner_id", "=", m.partner_id.id) & Domain("company_id", "=", m.company_id.id)
            for m in memberships
        )

    @api.model
    def _get_acting_domain(self, partner):
        """The rows ``partner`` acts for on the portal: their own, and the member
        (a company) they represent now. The one rule of who acts for a member."""
        return Domain("partner_id", "=", partner.id) | Domain(
            "representative_id", "in", partner.ids
        )

    def _acts_for(self, partner):
        """True when ``partner`` acts for this member: the member, or its representative."""
        self.ensure_one()
        return bool(partner) and partner in (self.partner_id | self.sudo().representative_id)

    @api.depends("partner_id.email", "representative_id.email")
    def _compute_informed_partner_id(self):
        for row in self:
            row.informed_partner_id = row._get_informed_partner()

    def _get_informed_partner(self):
        """The person of this member who hears of a ballot cast for it: the member's own
        address, else its representative's (a company member without an e-mail address);
        an empty recordset when neither has one. The one rule of who is told."""
        self.ensure_one()
        member = self.partner_id
        if member.email:
            return member
        return self.sudo().representative_id.filtered("email")

    @api.depends("partner_id.telecoop_membership_ids.member_number", "company_id")
    def _compute_member_number(self):
        """The member number in the cooperative of this row, not of the current company."""
        numbers = self.env["telecoop.membership"]._get_member_numbers(
            self.partner_id, self.company_id
        )
        for row in self:
            row.member_number = numbers.get((row.partner_id.id, row.company_id.id), False)
