# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.telecoop_membership.models.telecoop_assembly_rule import MAJORITIES
from odoo.addons.telecoop_membership.services import demo_story
from odoo.addons.telecoop_membership.services.days import latest_today

from ..services import ballot_chain, seal

# Lifecycle of an assembly: the states it may go to from each state, and the
# action that takes it there. Nothing else changes the state (see ``write``).
TRANSITIONS = {
    "draft": {"convened": "action_convene"},
    "convened": {"open": "action_open"},
    "open": {"closed": "action_close"},
    "closed": {"tallied": "action_tally"},
    "tallied": {},
}

# Written by the actions of the state machine only (with the seal).
STATE_FIELDS = {
    "state",
    "convened_at",
    "closed_at",
    "tallied_at",
    "box_anchor",
    "proxy_lock",
    *("convened_quorum_percent", "convened_majority", "convened_room_ballot_over_online"),
    "convened_proxy_cap",
}
# Facts of the convocation: frozen once the assembly left draft.
FROZEN_FIELDS = {
    "name",
    "company_id",
    "assembly_type",
    "call",
    "first_call_id",
    "date",
    "place",
    "record_date",
    "vote_start",
    "vote_end",
    "agenda",
    "document_ids",
    "resolution_ids",
    "college_ids",
    "voter_ids",
}
# The bureau of the meeting: set until the closing, then frozen with the minutes.
BUREAU_FIELDS = {"president_id", "secretary_id", "scrutineer_ids"}
MANAGER_GROUP = "telecoop_agm.telecoop_agm_group_manager"
USER_GROUP = "telecoop_agm.telecoop_agm_group_user"


class TelecoopAssembly(models.Model):
    """A general assembly of the members of a cooperative."""

    _name = "telecoop.assembly"
    _description = "General assembly"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    profile_id = fields.Many2one(
        "telecoop.statute.profile", related="company_id.telecoop_statute_profile_id"
    )
    assembly_type = fields.Selection(
        [("ordinary", "Ordinary"), ("extraordinary", "Extraordinary")],
        required=True,
        default="ordinary",
        tracking=True,
    )
    call = fields.Selection(
        [("first", "First call"), ("second", "Second call")],
        required=True,
        default="first",
        tracking=True,
    )
    first_call_id = fields.Many2one(
        "telecoop.assembly",
        string="First call",
        check_company=True,
        index="btree_not_null",
        tracking=True,
        domain="[('call', '=', 'first'), ('assembly_type', '=', assembly_type), "
        "('state', 'in', ('closed', 'tallied'))]",
        help="A second call exists only after a first call of the same type that did not "
        "reach its quorum.",
    )
    date = fields.Datetime(string="Meeting date", required=True, tracking=True)
    place = fields.Char(tracking=True)
    record_date = fields.Date(
        required=True,
        tracking=True,
        help="Members holding paid shares at the end of this day form the electorate.",
    )
    vote_start = fields.Datetime(string="Voting opens", required=True, tracking=True)
    vote_end = fields.Datetime(
        string="Voting closes",
        required=True,
        tracking=True,
        help="A ballot is accepted while the current time, to the second, is before this "
        "instant: nothing is cast during the closing second or after it.",
    )
    agenda = fields.Html()
    document_ids = fields.Many2many(
        "ir.attachment",
        string="Documents",
        help="Attachments of the assembly sent with the convocation (the accounts the members "
        "approve, the reports): attached to every convocation e-mail and downloadable by the "
        "electorate on the portal. Frozen at the convocation.",
    )
    president_id = fields.Many2one(
        "res.partner",
        string="President of the meeting",
        tracking=True,
        help="A member of the cooperative; set before the meeting, frozen once the vote is "
        "closed. Signs the minutes.",
    )
    secretary_id = fields.Many2one(
        "res.partner",
        string="Secretary of the meeting",
        tracking=True,
        help="A member of the cooperative; set before the meeting, frozen once the vote is "
        "closed. Signs the minutes.",
    )
    scrutineer_ids = fields.Many2many(
        "res.partner",
        "telecoop_assembly_scrutineer_rel",
        "assembly_id",
        "partner_id",
        string="Scrutineers",
        help="Members of the cooperative who check the attendance sheet and the count; set "
        "before the meeting, frozen once the vote is closed.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("convened", "Convened"),
            ("open", "Voting open"),
            ("closed", "Closed"),
            ("tallied", "Counted"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    convened_at = fields.Datetime(readonly=True, copy=False)
    # the statutes' rules of the vote as they stood at the convocation: a later change of
    # the statute profile applies to the next assembly, never to this one's count
    convened_quorum_percent = fields.Float(
        string="Quorum at the convocation (%)", readonly=True, copy=False, digits=(5, 2)
    )
    convened_majority = fields.Selection(
        MAJORITIES, string="Majority at the convocation", readonly=True, copy=False
    )
    convened_room_ballot_over_online = fields.Selection(
        [("refuse", "Refused"), ("replace", "Replaces the online vote")],
        string="Room ballot after an online vote, at the convocation",
        readonly=True,
        copy=False,
    )
    convened_proxy_cap = fields.Integer(
        string="Proxies per holder at the convocation",
        readonly=True,
        copy=False,
        help="The statutes' cap of proxies one member may hold, as it stood at the convocation.",
    )
    resolution_ids = fields.One2many("telecoop.resolution", "assembly_id", copy=True)
    college_ids = fields.One2many(
        "telecoop.assembly.college", "assembly_id", string="College weights", readonly=True
    )
    voter_ids = fields.One2many(
        "telecoop.assembly.voter", "assembly_id", string="Electorate", readonly=True
    )
    proxy_ids = fields.One2many("telecoop.assembly.proxy", "assembly_id", string="Proxies")
    ballot_ids = fields.One2many("telecoop.ballot", "assembly_id", string="Ballots")
    rule_id = fields.Many2one(
        "telecoop.assembly.rule", compute="_compute_rule_id", string="Statutory rule"
    )
    quorum_required = fields.Float(
        string="Quorum required (%)", compute="_compute_rule_id", digits=(5, 2)
    )
    majority_default = fields.Selection(MAJORITIES, compute="_compute_rule_id")
    electorate_count = fields.Integer(compute="_compute_participation")
    present_count = fields.Integer(compute="_compute_participation")
    represented_count = fields.Integer(compute="_compute_participation")
    online_count = fields.Integer(compute="_compute_participation", string="Voted online only")
    participant_count = fields.Integer(compute="_compute_participation")
    participation_percent = fields.Float(compute="_compute_participation", digits=(5, 2))
    quorum_reached = fields.Boolean(compute="_compute_participation")
    closed_at = fields.Datetime(string="Closed at", readonly=True, copy=False)
    tallied_at = fields.Datetime(readonly=True, copy=False, tracking=True)
    box_anchor = fields.Char(
        string="Ballot box fingerprint",
        readonly=True,
        copy=False,
        help="SHA-256 of the heads of every ballot box, fixed at closing: printed in the "
        "minutes, sent to the voters with the result and written in the exported box.",
    )
    # never a shareable token, not even one stored before (see _portal_ensure_token)
    access_token = fields.Char(compute="_compute_access_token", store=False)
    proxy_lock = fields.Integer(
        string="Proxy lock",
        readonly=True,
        copy=False,
        help="Bumped by every proxy given or withdrawn: the row lock that queues the proxies "
        "of an assembly, and them with its closing.",
    )

    @api.depends(
        "company_id", "assembly_type", "call", "convened_majority", "convened_quorum_percent"
    )
    def _compute_rule_id(self):
        """The rule of the statutes; once convened, its quorum and majority as frozen then."""
        for assembly in self:
            profile = assembly.company_id.telecoop_statute_profile_id
            rule = (
                profile._get_assembly_rule(assembly.assembly_type, assembly.call)
                if profile
                else self.env["telecoop.assembly.rule"]
            )
            assembly.rule_id = rule
            if assembly.convened_majority:
                assembly.quorum_required = assembly.convened_quorum_percent
                assembly.majority_default = assembly.convened_majority
            else:  # draft (or convened before the rules were frozen)
                assembly.quorum_required = rule.quorum_percent
                assembly.majority_default = rule.majority or "simple"

    def _get_room_ballot_over_online(self):
        """What the statutes said at the convocation of a room ballot after an online vote."""
        self.ensure_one()
        return (
            self.convened_room_ballot_over_online
            or self.company_id.telecoop_statute_profile_id.room_ballot_over_online
        )

    def _get_proxy_cap(self):
        """How many active proxies one member may hold in this assembly: the statutes'
        cap as it stood at the convocation (the profile's own while in draft)."""
        self.ensure_one()
        if self.state == "draft":
            return self.company_id.telecoop_statute_profile_id.proxy_cap
        return self.convened_proxy_cap

    def _compute_participation(self):
        for assembly in self:
            figures = assembly._get_participation()
            assembly.electorate_count = figures["electorate"]
            assembly.present_count = figures["present"]
            assembly.represented_count = figures["represented"]
            assembly.online_count = figures["online"]
            assembly.participant_count = figures["participants"]
            assembly.participation_percent = figures["percent"]
            assembly.quorum_reached = figures["quorum_reached"]

    def _get_participation(self):
        """Who takes part: present in the room, represented by a proxy, or voting online.

        A member counts once, in the first of these that applies. The quorum is
        reached when participants * 100 >= quorum required * electorate.
        """
        self.ensure_one()
        empty = {
            "electorate": 0,
            "present": 0,
            "represented": 0,
            "online": 0,
            "participants": 0,
            "percent": 0.0,
            "quorum_reached": False,
        }
        if not self.id:
            return empty
        self.env["telecoop.ballot.participation"].flush_model()
        self.env["telecoop.assembly.proxy"].flush_model()
        self.env["telecoop.assembly.voter"].flush_model()
        # a holder takes part when present in the room or when they cast a ballot
        # (for themselves or with a proxy); only then do the givers count
        self.env.cr.execute(
            SQL(
                """
                WITH holder_takes_part AS (
                    SELECT h.id
                      FROM telecoop_assembly_voter h
                     WHERE h.assembly_id = %(assembly)s
                       AND (h.present IS TRUE OR EXISTS (
                            SELECT 1
                              FROM telecoop_ballot_participation b
                         LEFT JOIN telecoop_assembly_proxy bp ON bp.id = b.proxy_id
                             WHERE b.assembly_id = %(assembly)s AND b.voted
                               AND (b.voter_id = h.id OR bp.holder_id = h.id)))
                )
                SELECT COUNT(*),
                       COUNT(*) FILTER (WHERE v.present IS TRUE),
                       COUNT(*) FILTER (WHERE v.present IS NOT TRUE AND t.id IS NOT NULL),
                       COUNT(*) FILTER (WHERE v.present IS NOT TRUE AND t.id IS NULL AND EXISTS (
                            SELECT 1 FROM telecoop_ballot_participation b
                             WHERE b.voter_id = v.id AND b.voted AND b.channel = 'online'))
                  FROM telecoop_assembly_voter v
             LEFT JOIN telecoop_assembly_proxy p
                    ON p.giver_id = v.id AND p.state = 'active'
             LEFT JOIN holder_takes_part t ON t.id = p.holder_id
                 WHERE v.assembly_id = %(assembly)s
                """,
                assembly=self.id,
            )
        )
        electorate, present, represented, online = self.env.cr.fetchone()
        participants = present + represented + online
        required = self.quorum_required or 0.0
        return dict(
            empty,
            electorate=electorate,
            present=present,
            represented=represented,
            online=online,
            participants=participants,
            percent=round(100.0 * participants / electorate, 2) if electorate else 0.0,
            # integer comparison: participants / electorate >= required %
            quorum_reached=bool(electorate)
            and participants * 10000 >= round(required * 100) * electorate,
        )

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Minutes - %(name)s", name=self.name)

    def _compute_access_token(self):
        self.access_token = False

    def _portal_ensure_token(self):
        """Never a token: the electorate reads its assemblies (page, documents, minutes)
        under its own login, by the record rules; a shareable link would let anyone who
        gets it past them."""
        return False

    def get_portal_url(self, suffix=None, report_type=None, download=None, query_string=None,
                       anchor=None):  # fmt: skip
        """The portal address without ``access_token`` (see :meth:`_portal_ensure_token`)."""
        self.ensure_one()
        params = [
            f"report_type={report_type}" if report_type else "",
            "download=true" if download else "",
            (query_string or "").lstrip("&"),
        ]
        query = "&".join(param for param in params if param)
        return "".join(
            (
                self.access_url,
                suffix or "",
                f"?{query}" if query else "",
                f"#{anchor}" if anchor else "",
            )
        )

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for assembly in self:
            assembly.access_url = f"/my/assemblies/{assembly.id}"
        return result

    @api.constrains("vote_start", "vote_end")
    def _check_vote_window(self):
        for assembly in self:
            if assembly.vote_start >= assembly.vote_end:
                raise ValidationError(
                    self.env._("The voting window of %(name)s must open before it closes.",
                               name=assembly.name)
                )  # fmt: skip

    @api.constrains("call", "first_call_id", "assembly_type", "company_id")
    def _check_second_call(self):
        """A second call follows a first call of the same type that missed its quorum."""
        for assembly in self:
            first = assembly.first_call_id
            if assembly.call == "first":
                if first:
                    raise ValidationError(
                        self.env._("Assembly %(name)s is a first call: it follows no other "
                                   "call.", name=assembly.name)
                    )  # fmt: skip
                continue
            if not first:
                raise ValidationError(
                    self.env._(
                        "Assembly %(name)s is a second call: say which first call did not "
                        "reach its quorum.",
                        name=assembly.name,
                    )
                )
            if (
                first.call != "first"
                or first.assembly_type != assembly.assembly_type
                or first.company_id != assembly.company_id
                or first.state not in ("closed", "tallied")
                or first._get_participation()["quorum_reached"]
            ):
                raise ValidationError(
                    self.env._(
                        "Assembly %(name)s: %(first)s is not a closed first call of the same "
                        "type and cooperative that missed its quorum, so there is no second "
                        "call after it.",
                        name=assembly.name,
                        first=first.name,
                    )
                )

    @api.constrains("assembly_type")
    def _check_extraordinary_majority(self):
        self.resolution_ids._check_extraordinary_majority()

    @api.constrains("president_id", "secretary_id", "scrutineer_ids", "company_id")
    def _check_bureau(self):
        """The bureau is made of members of the cooperative, each in one role."""
        for assembly in self:
            people = assembly.president_id | assembly.secretary_id | assembly.scrutineer_ids
            if not people:
                continue
            members = (
                self.env["telecoop.membership"]
                .sudo()
                .search(
                    [
                        ("partner_id", "in", people.ids),
                        ("company_id", "=", assembly.company_id.id),
                        ("is_member", "=", True),
                    ]
                )
                .partner_id
            )
            outside = people - members
            if outside:
                raise ValidationError(
                    self.env._(
                        "Assembly %(name)s: the bureau is made of members of %(company)s; "
                        "%(names)s is not a member.",
                        name=assembly.name,
                        company=assembly.company_id.name,
                        names=", ".join(outside.mapped("name")),
                    )
                )
            roles = [assembly.president_id, assembly.secretary_id, *assembly.scrutineer_ids]
            roles = [partner for partner in roles if partner]
            if len(roles) != len(set(roles)):
                raise ValidationError(
                    self.env._(
                        "Assembly %(name)s: a member holds one role in the bureau (president, "
                        "secretary or scrutineer).",
                        name=assembly.name,
                    )
                )

    @api.constrains("document_ids")
    def _check_documents(self):
        """A document sent with the convocation is an attachment of this assembly."""
        for assembly in self:
            foreign = assembly.document_ids.sudo().filtered(
                lambda a, assembly=assembly: not assembly._is_own_document(a)
            )
            if foreign:
                raise ValidationError(
                    self.env._(
                        "Assembly %(name)s: %(document)s is attached to another record; "
                        "upload the documents of the convocation on the assembly itself.",
                        name=assembly.name,
                        document=foreign[0].name,
                    )
                )

    def _is_own_document(self, attachment):
        """Attached to this assembly, or uploaded loose and bound by :meth:`_attach_documents`."""
        if not attachment.res_id:
            return attachment.res_model in (False, self._name)
        return (attachment.res_model, attachment.res_id) == (self._name, self.id)

    def _attach_documents(self):
        """Bind freshly uploaded documents (no record yet) to their assembly."""
        for assembly in self:
            loose = assembly.document_ids.sudo().filtered(
                lambda a: not a.res_id and a.res_model in (False, self._name)
            )
            if loose:
                loose.write({"res_model": assembly._name, "res_id": assembly.id})

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(assembly.state != "draft" for assembly in self):
            raise UserError(self.env._("Only a draft assembly can be deleted."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if set(vals) & STATE_FIELDS and not seal.is_sealed(self.env.context):
                raise UserError(self.env._("An assembly is created in draft."))
        assemblies = super().create(vals_list)
        assemblies._attach_documents()
        return assemblies

    def write(self, vals):
        if not seal.is_sealed(self.env.context):
            if set(vals) & STATE_FIELDS:
                raise UserError(
                    self.env._(
                        "The status of an assembly changes through its actions only "
                        "(convene, open, close, count)."
                    )
                )
            frozen = set(vals) & FROZEN_FIELDS
            if frozen and any(assembly.state != "draft" for assembly in self):
                raise UserError(
                    self.env._(
                        "Assembly %(name)s is convened: %(fields)s can no longer change. A "
                        "correction needs a new convocation.",
                        name=self.filtered(lambda a: a.state != "draft")[:1].name,
                        fields=", ".join(sorted(self._fields[f].string for f in frozen)),
                    )
                )
            bureau = set(vals) & BUREAU_FIELDS
            if bureau and any(assembly.state in ("closed", "tallied") for assembly in self):
                raise UserError(
                    self.env._(
                        "Assembly %(name)s is closed: its bureau (%(fields)s) signed the "
                        "minutes and can no longer change.",
                        name=self.filtered(lambda a: a.state in ("closed", "tallied"))[:1].name,
                        fields=", ".join(sorted(self._fields[f].string for f in bureau)),
                    )
                )
        result = super().write(vals)
        if "document_ids" in vals:
            self._attach_documents()
        return result

    def _check_role(self, group, action, mode="write"):
        """Raise AccessError unless the user has ``group`` (the superuser always has) and
        may ``mode`` these assemblies (their company)."""
        if self.env.su:
            return
        self.check_access(mode)
        if self.env.user.has_group(group):
            return
        raise AccessError(
            self.env._(
                "%(user)s may not carry out %(action)s of an assembly: it takes the group "
                "%(group)s.",
                user=self.env.user.name,
                action=action,
                group=self.env.ref(group).display_name,
            )
        )

    def _set_state(self, new_state, **values):
        """Move along :data:`TRANSITIONS`: the only writer of the state fields."""
        for assembly in self:
            if new_state not in TRANSITIONS[assembly.state]:
                raise UserError(
                    self.env._(
                        "Assembly %(name)s: it cannot go from %(old)s to %(new)s.",
                        name=assembly.name,
                        old=dict(self._fields["state"].selection)[assembly.state],
                        new=dict(self._fields["state"].selection)[new_state],
                    )
                )
        self.with_context(**seal.sealed_context()).write({"state": new_state, **values})

    # Convocation ------------------------------------------------------------
    def action_convene(self):
        """Freeze the electorate at the record date and send the convocations."""
        self.ensure_one()
        self._check_role(MANAGER_GROUP, self.env._("the convocation"))
        profile = self.company_id.telecoop_statute_profile_id
        if not profile:
            raise UserError(
                self.env._("The company %(company)s has no statute profile.",
                           company=self.company_id.name)
            )  # fmt: skip
        if not self.rule_id:
            raise UserError(
                self.env._(
                    "The statute profile %(profile)s has no quorum and majority rule for "
                    "this type of assembly and call.",
                    profile=profile.name,
                )
            )
        if not self.resolution_ids:
            raise UserError(self.env._("Add at least one resolution before convening."))
        # the electorate is the register at the end of the record date: not known before
        # it. Measured where the day starts first, so that no time zone of the company
        # or of its staff refuses a record date that is already today for them.
        if self.record_date > latest_today(fields.Datetime.now()):
            raise UserError(
                self.env._(
                    "Assembly %(name)s: its record date, %(date)s, has not come yet. The "
                    "electorate is the register at the end of that day, which is not known "
                    "yet: convene on or after the record date.",
                    name=self.name,
                    date=self.record_date,
                )
            )
        self._check_second_call()
        self.resolution_ids._check_extraordinary_majority()
        self._set_state(
            "convened",
            convened_at=fields.Datetime.now(),
            convened_quorum_percent=self.rule_id.quorum_percent,
            convened_majority=self.rule_id.majority or "simple",
            convened_room_ballot_over_online=profile.room_ballot_over_online,
            convened_proxy_cap=profile.proxy_cap,
        )
        self._freeze_electorate()
        self._send_convocations()
        return True

    def _freeze_electorate(self):
        """Copy the register at the record date: one row per member, with its college.

        The rows are stored, so a later share movement changes nothing.
        """
        self.ensure_one()
        profile = self.company_id.telecoop_statute_profile_id
        colleges = profile.college_ids
        self.sudo().with_context(**seal.sealed_context()).college_ids = [
            Command.create({"college_id": college.id, "weight": college.vote_weight})
            for college in colleges
        ]
        rows = self.env["telecoop.share.line"]._get_register_rows(self.company_id, self.record_date)
        weights = {college.id: college.vote_weight for college in colleges}
        outside = [row for row in rows if row["college_id"] not in weights]
        if outside:
            names = self.env["res.partner"].browse([row["partner_id"] for row in outside[:5]])
            raise UserError(
                self.env._(
                    "%(count)s members of the register at %(date)s are in no active college of "
                    "the statutes (%(names)s...): fix their college before convening.",
                    count=len(outside),
                    date=self.record_date,
                    names=", ".join(names.mapped("name")),
                )
            )
        self.env["telecoop.assembly.voter"].sudo().with_context(**seal.sealed_context()).create(
            [
                {
                    "assembly_id": self.id,
                    "partner_id": row["partner_id"],
                    "college_id": row["college_id"],
                    "college_weight": weights[row["college_id"]],
                    "shares": row["shares"],
                }
                for row in rows
            ]
        )
        self.env["telecoop.ballot.participation"]._create_for_assembly(self)

    def _send_convocations(self):
        template = self.env.ref("telecoop_agm.mail_template_assembly_convocation")
        # a company member without an address through its representative's
        voters = self.voter_ids.filtered("informed_partner_id")
        if voters:
            template.send_mail_batch(
                voters.ids,
                email_values={"attachment_ids": [Command.link(a.id) for a in self.document_ids]},
            )
        self.message_post(
            body=self.env._(
                "Convocation queued by e-mail to %(sent)s of the %(total)s members of the "
                "electorate (the others have no e-mail address).",
                sent=len(voters),
                total=len(self.voter_ids),
            )
        )

    # Voting -----------------------------------------------------------------
    def _demo_convene_and_open(self):
        """Demo data: convene now, the online vote opening as the demo story says
        (after the convocation)."""
        for assembly in self:
            assembly.vote_start = demo_story.story_dates(fields.Datetime.now())["vote_start"]
            assembly.action_convene()
            assembly.action_open()
        return True

    def action_open(self):
        self.ensure_one()
        self._check_role(MANAGER_GROUP, self.env._("the opening of the vote"))
        self._set_state("open")
        return True

    def action_close(self):
        """Close the vote now; a window that has not ended yet ends now.

        The sealed urns of the secret resolutions are shuffled into their boxes,
        then the heads of every box are fixed in :attr:`box_anchor` and logged.
        """
        self.ensure_one()
        self._check_role(MANAGER_GROUP, self.env._("the closing of the vote"))
        # first: a ballot cast at the same instant is either in the boxes closed here or
        # refused (see TelecoopResolution._lock_heads)
        self.resolution_ids.sudo()._lock_heads()
        now = self.env.cr.now().replace(microsecond=0)
        values = {"closed_at": now}
        if self.vote_end > now:
            values["vote_end"] = now
        self._set_state("closed", **values)
        Secret = self.env["telecoop.ballot.secret"].sudo()
        for resolution in self.resolution_ids.sudo().filtered("secret"):
            Secret._seal_urn(resolution)
        self._set_anchor()
        self._post_ballot_heads()
        return True

    def _get_box_heads(self):
        """The head of each box: list of dicts resolution id, count, head hash."""
        self.ensure_one()
        self.env["telecoop.resolution"].flush_model(["ballot_count", "ballot_head_hash"])
        return [
            {
                "resolution": resolution.id,
                "count": resolution.ballot_count or 0,
                "head": resolution.ballot_head_hash or ballot_chain.GENESIS,
            }
            for resolution in self.resolution_ids.sudo().sorted("id")
        ]

    def _set_anchor(self):
        self.ensure_one()
        self.with_context(**seal.sealed_context()).write(
            {"box_anchor": ballot_chain.anchor(self.id, self._get_box_heads())}
        )

    @api.model
    def _cron_close_ended_votes(self):
        """Close the votes whose window has ended, as staff would click Close: the
        heads of the ballot boxes are logged and counting can start."""
        ended = self.search([("state", "=", "open"), ("vote_end", "<=", self._voting_now())])
        for assembly in ended:
            assembly.action_close()
        return ended

    def _post_ballot_heads(self):
        """Log the head of each chain at closing: a later change shows against it."""
        self.ensure_one()
        rows = Markup("").join(
            Markup("<li>%s: %s, <code>%s</code></li>")
            % (
                resolution.name,
                resolution.ballot_count or 0,
                resolution.ballot_head_hash or ballot_chain.GENESIS,
            )
            for resolution in self.resolution_ids.sudo()
        )
        self.message_post(
            body=Markup("<p>%s</p><ul>%s</ul><p>%s <code>%s</code></p>")
            % (
                self.env._("Vote closed. Entries and hash of the last entry of each ballot box:"),
                rows,
                self.env._("Fingerprint of the ballot boxes:"),
                self.box_anchor or "",
            )
        )

    def _lock_for_proxies(self):
        """Queue the proxies of these assemblies: bump ``proxy_lock`` on their rows.

        The update locks the rows until the end of the transaction; under
        Odoo's repeatable-read transactions a concurrent request that gives a
        proxy then fails with a serialization error and is retried by the
        server, with a snapshot that sees the proxy committed before it.
        """
        if not self:
            return
        self.env.cr.execute(
            SQL(
                "UPDATE telecoop_assembly SET proxy_lock = COALESCE(proxy_lock, 0) + 1"
                " WHERE id IN %s",
                tuple(self.ids),
            )
        )

    def _voting_now(self):
        """The instant of a ballot: the database clock, to the second."""
        return self.env.cr.now().replace(microsecond=0)

    def _check_voting_open(self):
        """Raise unless a ballot may be cast now: state open and start <= now < end."""
        self.ensure_one()
        now = self._voting_now()
        if self.state != "open" or not self.vote_start <= now < self.vote_end:
            raise UserError(
                self.env._("The vote of %(name)s is not open at this time.", name=self.name)
            )
        return now

    def _is_voting_open(self):
        self.ensure_one()
        return self.state == "open" and self.vote_start <= self._voting_now() < self.vote_end

    # Ballot box -------------------------------------------------------------
    def _verify_ballot_box(self):
        """Check the hash chain of every resolution of the assembly.

        :return: dict ``ok``, ``entries`` (number checked), ``problem`` (the
            first entry that does not match, as a sentence, or ``False``) and
            ``resolution`` (its resolution).
        """
        self.ensure_one()
        Ballot = self.env["telecoop.ballot"].sudo()
        total = 0
        for resolution in self.resolution_ids.sudo():
            problem = Ballot._verify_resolution(resolution)
            if problem:
                return {
                    "ok": False,
                    "entries": total,
                    "problem": Ballot._describe_problem(resolution, problem),
                    "resolution": resolution,
                    "sequence": problem.sequence,
                }
            total += resolution.ballot_count
        return {"ok": True, "entries": total, "problem": False, "resolution": False}

    def action_verify_ballot_box(self):
        """Button: verify the chain and say the result (logged in the chatter)."""
        self.ensure_one()
        self._check_role(USER_GROUP, self.env._("the verification of the ballot box"), "read")
        result = self._verify_ballot_box()
        if result["ok"]:
            message = self.env._(
                "Ballot box verified (entries: %(count)s): every entry matches its hash chain.",
                count=result["entries"],
            )
        else:
            message = self.env._("Ballot box damaged. %(problem)s", problem=result["problem"])
        self.message_post(body=message)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Ballot box"),
                "message": message,
                "type": "success" if result["ok"] else "danger",
                "sticky": not result["ok"],
            },
        }

    def action_verify_ballot_boxes(self):
        """Server action on several assemblies: verify each, log it, sum up."""
        lines = []
        ok = True
        for assembly in self:
            params = assembly.action_verify_ballot_box()["params"]
            ok = ok and params["type"] == "success"
            lines.append(f"{assembly.name}: {params['message']}")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Ballot box"),
                "message": "\n".join(lines),
                "type": "success" if ok else "danger",
                "sticky": not ok,
            },
        }

    @api.model
    def verify_ballot_boxes(self, assembly_ids=None):
        """Verify the boxes of the given (default: all) assemblies, for ``odoo shell``.

        :return: list of lines ``assembly id, name: OK (n entries)`` or the problem.
        """
        self._check_role(USER_GROUP, self.env._("the verification of the ballot box"), "read")
        assemblies = self.browse(assembly_ids) if assembly_ids else self.search([])
        lines = []
        for assembly in assemblies:
            result = assembly._verify_ballot_box()
            status = f"OK ({result['entries']} entries)" if result["ok"] else result["problem"]
            lines.append(f"{assembly.id}, {assembly.name}: {status}")
        return lines

    def _check_receipt(self, receipt):
        """What a receipt says about its ballot, without revealing the choice.

        :return: ``not_found`` (no entry of this assembly has it), ``replaced``
            (a later ballot of the same member counts instead), ``damaged`` (the
            box does not verify up to it), ``recorded`` (in the box or the sealed
            urn, the vote is not closed yet) or ``counted``.
        """
        self.ensure_one()
        if not (receipt or "").strip():
            return "not_found"
        digest = ballot_chain.receipt_hash(receipt)
        Ballot = self.env["telecoop.ballot"].sudo()
        entry = Ballot._search_all_boxes(
            [("assembly_id", "=", self.id), ("receipt_hash", "=", digest)], limit=1
        )
        if not entry:
            return self.env["telecoop.ballot.secret"].sudo()._urn_receipt_status(self, digest)
        later = entry.search_count(
            [
                ("resolution_id", "=", entry.resolution_id.id),
                ("voter_key", "=", entry.voter_key),
                ("sequence", ">", entry.sequence),
            ]
        )
        if later:
            return "replaced"
        if Ballot._verify_resolution(entry.resolution_id):
            return "damaged"
        return "counted" if self.state in ("closed", "tallied") else "recorded"

    # Tally ------------------------------------------------------------------
    def action_tally(self):
        """Verify every box, count every resolution, store the results, tell the voters.

        A box that does not verify is not counted: the tally stops and names its
        first bad entry.
        """
        self.ensure_one()
        self._check_role(MANAGER_GROUP, self.env._("the count"))
        if self.state != "closed":
            raise UserError(self.env._("Close the vote before counting it."))
        check = self._verify_ballot_box()
        if not check["ok"]:
            raise UserError(
                self.env._(
                    "Nothing is counted: the ballot box is damaged. %(problem)s",
                    problem=check["problem"],
                )
            )
        # a resolution voted in Belenios keeps the result recorded from Belenios
        belenios = self.resolution_ids.filtered(lambda r: r.result_source == "belenios")
        waiting = belenios.filtered(lambda r: r.result_state == "pending")
        if waiting:
            raise UserError(
                self.env._(
                    "Nothing is counted yet: voted in Belenios, %(resolutions)s wait for "
                    "their result; record it first (Import a Belenios result).",
                    resolutions=", ".join(waiting.mapped("name")),
                )
            )
        quorum_reached = self._get_participation()["quorum_reached"]
        for resolution in self.resolution_ids - belenios:
            resolution._tally(quorum_reached)
        if belenios:
            self.message_post(
                body=self.env._(
                    "Voted in Belenios, not counted in Odoo: %(resolutions)s keep the result "
                    "recorded from Belenios.",
                    resolutions=", ".join(belenios.mapped("name")),
                )
            )
        self._set_state("tallied", tallied_at=fields.Datetime.now())
        self._send_results()
        return True

    def _send_results(self):
        """E-mail the result and the fingerprint of the boxes to every member who voted."""
        self.ensure_one()
        voters = (
            self.env["telecoop.ballot.participation"]
            .sudo()
            .search([("assembly_id", "=", self.id), ("voted", "=", True)])
            .voter_id.filtered("informed_partner_id")
        )
        if voters:
            template = self.env.ref("telecoop_agm.mail_template_assembly_result")
            template.send_mail_batch(voters.ids)
        self.message_post(
            body=self.env._(
                "Results and fingerprint of the ballot boxes queued by e-mail to the %(count)s "
                "members who voted and have an e-mail address.",
                count=len(voters),
            )
        )

    # Export -----------------------------------------------------------------
    def _check_voted_in_belenios(self):
        """Refuse an electorate export to Belenios for an assembly with no resolution
        voted in Belenios (``result_source``): its members would get credentials for an
        election that decides nothing."""
        for assembly in self:
            if not assembly.resolution_ids.filtered(lambda r: r.result_source == "belenios"):
                raise UserError(
                    self.env._(
                        "Assembly %(assembly)s has no resolution voted in Belenios: its "
                        "electorate is not exported to Belenios. Set Vote held in to Belenios "
                        "on a resolution before the convocation.",
                        assembly=assembly.display_name,
                    )
                )

    def _export_ballot_box(self):
        """The boxes of the assembly as JSON text for ``services/ballot_chain.py``.

        Every entry with what its hash covers, the head of each box and the
        fingerprint fixed at closing: whoever holds the file checks it with
        ``python3 ballot_chain.py FILE``, without Odoo.
        """
        self.ensure_one()
        self._check_role(USER_GROUP, self.env._("the export of the ballot box"), "read")
        if self.state not in ("closed", "tallied"):
            raise UserError(self.env._("The ballot box is exported once the vote is closed."))
        Ballot = self.env["telecoop.ballot"].sudo()
        boxes = []
        for resolution in self.resolution_ids.sudo().sorted("id"):
            entries = Ballot._read_chain(resolution)
            boxes.append(
                {
                    "resolution": resolution.id,
                    "name": resolution.name,
                    "secret": resolution.secret,
                    "count": resolution.ballot_count or 0,
                    "head": resolution.ballot_head_hash or ballot_chain.GENESIS,
                    # what a voter must not learn from the file stays out of it
                    "entries": [ballot_chain.public_entry(entry) for entry in entries],
                }
            )
        return ballot_chain.dump_export(
            {"assembly": self.id, "name": self.name, "anchor": self.box_anchor, "boxes": boxes}
        )

    def action_export_ballot_box(self):
        """Button: download the exported box (built on each download, stored nowhere)."""
        self.ensure_one()
        self._check_role(USER_GROUP, self.env._("the export of the ballot box"), "read")
        return {
            "type": "ir.actions.act_url",
            "url": f"/telecoop_agm/assemblies/{self.id}/ballot-box.json",
            "target": "self",
        }

    def _get_ballot_box_file(self):
        """The exported box as (file name, bytes), logged in the chatter."""
        self.ensure_one()
        text = self._export_ballot_box()
        self.message_post(
            body=self.env._("Ballot box exported (fingerprint %(anchor)s).", anchor=self.box_anchor)
        )
        return f"ballot-box-assembly-{self.id}.json", text.encode()

    # Portal -----------------------------------------------------------------
    def _get_convocation_document(self, partner, attachment_id):
        """A document of the convocation for ``partner`` (sudo), or AccessError.

        Only the electorate of a convened assembly downloads its documents: a
        member of another cooperative, a contact outside the electorate or a
        document that was not sent with the convocation get nothing.
        """
        self.ensure_one()
        document = self.sudo().document_ids.filtered(lambda a: a.id == int(attachment_id))
        if self.state == "draft" or not document or not self._get_my_voter(partner):
            raise AccessError(self.env._("This document is not one of your convocation."))
        return document

    def _get_my_voter(self, partner):
        """The electorate row ``partner`` acts for (sudo), or an empty recordset: their
        own, else the company member they represent (its one representative)."""
        return self._get_my_voters(partner)[:1]

    def _get_my_voters(self, partner):
        """Every electorate row ``partner`` acts for (sudo), their own first: a member
        in their own name who also represents a company member votes for both."""
        self.ensure_one()
        Voter = self.env["telecoop.assembly.voter"].sudo()
        rows = Voter.search(Domain("assembly_id", "=", self.id) & Voter._get_acting_domain(partner))
        return rows.filtered(lambda row: row.partner_id == partner) | rows.filtered(
            lambda row: row.partner_id != partner
        )

    def _portal_get_situation(self, partner):
        """What the portal shows ``partner`` on this assembly, read with sudo.

        Only the member's own row, own choices and own proxies, and the choices
        they cast themselves with a proxy: never a choice the giver made before
        giving the proxy.

        ``current_ballots`` maps (voter id, resolution id) to the choice that
        counts now.
        """
        self.ensure_one()
        rows = self._get_my_voters(partner)
        voter = rows[:1]
        proxies = self.env["telecoop.assembly.proxy"].sudo()
        given = proxies.search([("giver_id", "=", voter.id), ("state", "=", "active")], limit=1)
        held = proxies.search([("holder_id", "in", rows.ids), ("state", "=", "active")])
        # the company members they represent besides their own row, unless it gave a proxy
        given_by_represented = proxies.search(
            [("giver_id", "in", (rows - voter).ids), ("state", "=", "active")]
        )
        represented = (rows - voter) - given_by_represented.giver_id
        current = {}
        if voter:
            Ballot = self.env["telecoop.ballot"].sudo()
            for resolution in self.resolution_ids.sudo():
                acting = [(voter, None)] + [(row, None) for row in represented]
                for for_voter, proxy in acting + [(p.giver_id, p) for p in held]:
                    choice = Ballot._current_choice(resolution, for_voter, proxy)
                    if choice:
                        current[(for_voter.id, resolution.id)] = choice
        return {
            "voter": voter,
            "proxy_given": given,
            "proxies_held": held,
            "represented": represented,
            "represented_all": rows - voter,
            "represented_given": {p.giver_id.id: p for p in given_by_represented},
            "current_ballots": current,
            "voting_open": self._is_voting_open(),
            "can_vote": bool(voter) and not given,
        }

    def _portal_vote(self, partner, resolution_id, choice_id, voter_id=None):
        """Cast a ballot from the portal for ``partner`` or for a member they represent.

        :return: the entry of the box, with its receipt in the context key
            ``telecoop_receipt``.
        """
        self.ensure_one()
        me = self._get_my_voter(partner)
        if not me:
            raise UserError(self.env._("You are not in the electorate of this assembly."))
        resolution = self.resolution_ids.sudo().filtered(lambda r: r.id == int(resolution_id))
        if not resolution:
            raise UserError(self.env._("This resolution is not on the agenda."))
        choice = resolution.choice_ids.filtered(lambda c: c.id == int(choice_id))
        voter, proxy = me, self.env["telecoop.assembly.proxy"]
        mine = self._get_my_voters(partner)
        if voter_id and int(voter_id) in mine.ids:
            voter = mine.filtered(lambda row: row.id == int(voter_id))
        elif voter_id:
            proxy = (
                self.env["telecoop.assembly.proxy"]
                .sudo()
                .search(
                    [
                        ("assembly_id", "=", self.id),
                        ("giver_id", "=", int(voter_id)),
                        ("holder_id", "in", mine.ids),
                        ("state", "=", "active"),
                    ],
                    limit=1,
                )
            )
            if not proxy:
                raise UserError(self.env._("This member did not give you a proxy."))
            voter = proxy.giver_id
        return (
            self.env["telecoop.ballot"]
            .sudo()
            ._cast(resolution, voter, choice, "proxy" if proxy else "online", partner, proxy)
        )

    def _get_my_voter_for(self, partner, voter_id=None):
        """The row ``partner`` acts for named by ``voter_id`` (their own by default, or
        a company member they represent), or an empty recordset."""
        mine = self._get_my_voters(partner)
        if voter_id:
            return mine.filtered(lambda row: row.id == int(voter_id))
        return mine[:1]

    def _portal_give_proxy(self, partner, holder_number, voter_id=None):
        """Give a proxy, for ``partner`` or a company member they represent
        (``voter_id``), to the member whose member number is ``holder_number``."""
        self.ensure_one()
        giver = self._get_my_voter_for(partner, voter_id)
        if not giver:
            raise UserError(self.env._("You are not in the electorate of this assembly."))
        holder = (
            self.env["telecoop.assembly.voter"]
            .sudo()
            .search(
                [
                    ("assembly_id", "=", self.id),
                    (
                        "partner_id.telecoop_membership_ids",
                        "any",
                        [
                            ("company_id", "=", self.company_id.id),
                            ("member_number", "=", (holder_number or "").strip()),
                        ],
                    ),
                ],
                limit=1,
            )
        )
        if not holder:
            raise UserError(
                self.env._("No member of the electorate has the member number %(number)s.",
                           number=holder_number)
            )  # fmt: skip
        return self.env["telecoop.assembly.proxy"].sudo()._give(giver, holder)

    def _portal_withdraw_proxy(self, partner, voter_id=None):
        self.ensure_one()
        giver = self._get_my_voter_for(partner, voter_id)
        proxy = (
            self.env["telecoop.assembly.proxy"]
            .sudo()
            .search([("giver_id", "=", giver.id), ("state", "=", "active")], limit=1)
            if giver
            else None
        )
        if not proxy:
            raise UserError(self.env._("You have no proxy to withdraw."))
        proxy.action_withdraw()
        return proxy
