# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.telecoop_membership.models.telecoop_assembly_rule import MAJORITIES

from ..services import ballot_chain

# Lifecycle of an assembly: the state it may go to from each state.
TRANSITIONS = {
    "draft": ("convened",),
    "convened": ("open",),
    "open": ("closed",),
    "closed": (),
}


class TelecoopAssembly(models.Model):
    """A general assembly of the members of a cooperative."""

    _name = "telecoop.assembly"
    _description = "General assembly"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

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
        help="Sent with the convocation and shown to the members on the portal.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("convened", "Convened"),
            ("open", "Voting open"),
            ("closed", "Closed"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    convened_at = fields.Datetime(readonly=True, copy=False)
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
    tallied_at = fields.Datetime(readonly=True, copy=False, tracking=True)

    @api.depends("company_id", "assembly_type", "call")
    def _compute_rule_id(self):
        for assembly in self:
            profile = assembly.company_id.telecoop_statute_profile_id
            rule = (
                profile._get_assembly_rule(assembly.assembly_type, assembly.call)
                if profile
                else self.env["telecoop.assembly.rule"]
            )
            assembly.rule_id = rule
            assembly.quorum_required = rule.quorum_percent
            assembly.majority_default = rule.majority or "simple"

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
        self.env.cr.execute(
            """
            SELECT COUNT(*),
                   COUNT(*) FILTER (WHERE v.present IS TRUE),
                   COUNT(*) FILTER (WHERE v.present IS NOT TRUE AND p.id IS NOT NULL),
                   COUNT(*) FILTER (WHERE v.present IS NOT TRUE AND p.id IS NULL AND EXISTS (
                        SELECT 1 FROM telecoop_ballot_participation b
                         WHERE b.voter_id = v.id AND b.voted AND b.channel = 'online'))
              FROM telecoop_assembly_voter v
         LEFT JOIN telecoop_assembly_proxy p
                ON p.giver_id = v.id AND p.state = 'active'
             WHERE v.assembly_id = %s
            """,
            (self.id,),
        )
        electorate, present, represented, online = self.env.cr.fetchone()
        participants = present + represented + online
        required = self.rule_id.quorum_percent or 0.0
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

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(assembly.state != "draft" for assembly in self):
            raise UserError(self.env._("Only a draft assembly can be deleted."))

    def _set_state(self, new_state):
        for assembly in self:
            if new_state not in TRANSITIONS[assembly.state]:
                raise UserError(
                    self.env._(
                        "Assembly %(name)s: it cannot go from %(old)s to %(new)s.",
                        name=assembly.name,
                        old=assembly.state,
                        new=new_state,
                    )
                )
        self.write({"state": new_state})

    # Convocation ------------------------------------------------------------
    def action_convene(self):
        """Freeze the electorate at the record date and send the convocations."""
        self.ensure_one()
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
        self._set_state("convened")
        self._freeze_electorate()
        self.convened_at = fields.Datetime.now()
        self._send_convocations()
        return True

    def _freeze_electorate(self):
        """Copy the register at the record date: one row per member, with its college.

        The rows are stored, so a later share movement changes nothing.
        """
        self.ensure_one()
        profile = self.company_id.telecoop_statute_profile_id
        colleges = profile.college_ids
        self.sudo().college_ids = [
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
        self.env["telecoop.assembly.voter"].sudo().create(
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
        voters = self.voter_ids.filtered(lambda v: v.partner_id.email)
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
    def action_open(self):
        self.ensure_one()
        self._set_state("open")
        return True

    def action_close(self):
        """Close the vote now; a window that has not ended yet ends now."""
        self.ensure_one()
        self._set_state("closed")
        now = self.env.cr.now().replace(microsecond=0)
        if self.vote_end > now:
            self.vote_end = now
        self._post_ballot_heads()
        return True

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
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (
                self.env._("Vote closed. Entries and hash of the last entry of each ballot box:"),
                rows,
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
            box does not verify up to it), ``recorded`` (in the box, the vote is
            not closed yet) or ``counted``.
        """
        self.ensure_one()
        Ballot = self.env["telecoop.ballot"].sudo()
        entry = Ballot._search_all_boxes(
            [
                ("assembly_id", "=", self.id),
                ("receipt_hash", "=", ballot_chain.receipt_hash(receipt)),
            ],
            limit=1,
        )
        if not receipt or not entry:
            return "not_found"
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
        return "counted" if self.state == "closed" else "recorded"

    # Tally ------------------------------------------------------------------
    def action_tally(self):
        """Count every resolution and store the results (idempotent)."""
        self.ensure_one()
        if self.state != "closed":
            raise UserError(self.env._("Close the vote before counting it."))
        quorum_reached = self._get_participation()["quorum_reached"]
        for resolution in self.resolution_ids:
            resolution._tally(quorum_reached)
        self.tallied_at = fields.Datetime.now()
        return True

    # Portal -----------------------------------------------------------------
    def _get_my_voter(self, partner):
        """The electorate row of ``partner`` (sudo), or an empty recordset."""
        self.ensure_one()
        return (
            self.env["telecoop.assembly.voter"]
            .sudo()
            .search([("assembly_id", "=", self.id), ("partner_id", "=", partner.id)], limit=1)
        )

    def _portal_get_situation(self, partner):
        """What the portal shows ``partner`` on this assembly, read with sudo.

        Only the member's own row, own ballots and own proxies, and the ballots
        they cast for the members who gave them a proxy.
        """
        self.ensure_one()
        voter = self._get_my_voter(partner)
        proxies = self.env["telecoop.assembly.proxy"].sudo()
        given = proxies.search([("giver_id", "=", voter.id), ("state", "=", "active")], limit=1)
        held = proxies.search([("holder_id", "=", voter.id), ("state", "=", "active")])
        current = {}
        if voter:
            Ballot = self.env["telecoop.ballot"].sudo()
            keys = {
                Ballot._voter_key(for_voter, resolution): (for_voter.id, resolution.id)
                for for_voter in voter | held.giver_id
                for resolution in self.resolution_ids
            }
            for model in ("telecoop.ballot", "telecoop.ballot.secret"):
                for ballot in (
                    self.env[model]
                    .sudo()
                    .search([("voter_key", "in", list(keys))], order="sequence")
                ):
                    current[keys[ballot.voter_key]] = ballot
        return {
            "voter": voter,
            "proxy_given": given,
            "proxies_held": held,
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
        if voter_id and int(voter_id) != me.id:
            proxy = (
                self.env["telecoop.assembly.proxy"]
                .sudo()
                .search(
                    [
                        ("assembly_id", "=", self.id),
                        ("giver_id", "=", int(voter_id)),
                        ("holder_id", "=", me.id),
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

    def _portal_give_proxy(self, partner, holder_number):
        """Give a proxy to the member whose member number is ``holder_number``."""
        self.ensure_one()
        giver = self._get_my_voter(partner)
        if not giver:
            raise UserError(self.env._("You are not in the electorate of this assembly."))
        holder = (
            self.env["telecoop.assembly.voter"]
            .sudo()
            .search(
                [
                    ("assembly_id", "=", self.id),
                    ("partner_id.telecoop_member_number", "=", (holder_number or "").strip()),
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

    def _portal_withdraw_proxy(self, partner):
        self.ensure_one()
        giver = self._get_my_voter(partner)
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
