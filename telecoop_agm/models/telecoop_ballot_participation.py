# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..services import seal

CAST_FIELDS = {
    *("voted", "channel", "proxy_id", "cast_by_partner_id", "cast_by_user_id", "voted_at"),
    "in_room",
}


class TelecoopBallotParticipation(models.Model):
    """Who took part in the vote of a resolution: never what they chose.

    One row per member of the electorate and resolution, all created at the
    convocation, so that the order of the rows says nothing about the order of
    the votes (and therefore nothing about the entries of a secret ballot box).
    The time of the vote is kept for system administrators only, and never for
    a secret resolution. Written by the vote only (with the seal).
    """

    _name = "telecoop.ballot.participation"
    _description = "Participation in a vote"
    _order = "resolution_id, voter_id"
    _rec_name = "voter_id"
    _log_access = False
    _check_company_auto = True

    assembly_id = fields.Many2one(
        "telecoop.assembly",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="assembly_id.company_id", store=True, index=True)
    resolution_id = fields.Many2one(
        "telecoop.resolution",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
        check_company=True,
    )
    voter_id = fields.Many2one(
        "telecoop.assembly.voter",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
        check_company=True,
    )
    partner_id = fields.Many2one(related="voter_id.partner_id", string="Member")
    college_id = fields.Many2one(related="voter_id.college_id")
    voted = fields.Boolean(readonly=True)
    channel = fields.Selection(
        [
            ("online", "Online"),
            ("room", "In the room"),
            ("proxy", "By proxy"),
        ],
        readonly=True,
        help="How the last ballot was cast.",
    )
    proxy_id = fields.Many2one(
        "telecoop.assembly.proxy",
        ondelete="restrict",
        readonly=True,
        index=True,
        check_company=True,
    )
    cast_by_partner_id = fields.Many2one("res.partner", readonly=True, string="Cast by")
    cast_by_user_id = fields.Many2one("res.users", readonly=True, string="Entered by")
    in_room = fields.Boolean(
        string="Entered in the room",
        readonly=True,
        help="The last ballot was entered by staff in the room (for the member present or "
        "for their proxy holder present), not cast on the portal.",
    )
    voted_at = fields.Datetime(
        readonly=True, groups="base.group_system", help="Time of the last ballot."
    )

    _voter_unique = models.Constraint(
        "unique(resolution_id, voter_id)", "A member takes part once in the vote of a resolution."
    )

    def write(self, vals):
        if not seal.is_sealed(self.env.context) or set(vals) - CAST_FIELDS:
            raise UserError(self.env._("Participation is recorded by the vote only."))
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        self.browse().check_access("create")
        if not seal.is_sealed(self.env.context):
            raise UserError(self.env._("Participation is recorded by the vote only."))
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Participation in a vote cannot be deleted."))

    @api.model
    def _check_room_over_online(self, resolution, voter):
        """A ballot entered in the room does not replace an online vote, unless the
        statutes say it does (``room_ballot_over_online``)."""
        row = self.sudo().search(
            [("resolution_id", "=", resolution.id), ("voter_id", "=", voter.id)], limit=1
        )
        rule = resolution.assembly_id.sudo()._get_room_ballot_over_online()
        # online: cast on the portal by the member, or by their proxy holder
        online = row.voted and row.channel != "room" and not row.in_room
        if online and rule != "replace":
            raise UserError(
                self.env._(
                    "%(member)s already voted online on %(resolution)s: under the statutes "
                    "the online vote stands and a ballot in the room does not replace it.",
                    member=voter.partner_id.name,
                    resolution=resolution.name,
                )
            )

    @api.model
    def _create_for_assembly(self, assembly):
        """One row per member of the electorate and resolution (set-based)."""
        self.env["telecoop.assembly.voter"].flush_model()
        self.env["telecoop.resolution"].flush_model()
        self.env.cr.execute(
            """
            INSERT INTO telecoop_ballot_participation
                   (assembly_id, company_id, resolution_id, voter_id, voted)
            SELECT r.assembly_id, a.company_id, r.id, v.id, FALSE
              FROM telecoop_resolution r
              JOIN telecoop_assembly a ON a.id = r.assembly_id
              JOIN telecoop_assembly_voter v ON v.assembly_id = r.assembly_id
             WHERE r.assembly_id = %s
          ORDER BY r.id, v.id
            ON CONFLICT (resolution_id, voter_id) DO NOTHING
            """,
            (assembly.id,),
        )
        self.invalidate_model()

    @api.model
    @api.model
    def _check_same_caster(self, resolution, voter, channel, cast_by_partner):
        """One member, one vote: a ballot cast on the portal for a member (``online``, or
        ``proxy`` by its holder) is replaced on the same channel only by the person who
        cast it. A company member votes through its representative: after a change of
        representative, the new one (or any other contact) does not vote again for it.
        A member's own ballot replaced by the holder of a proxy given later stays
        allowed (another channel)."""
        row = self.sudo().search(
            [("resolution_id", "=", resolution.id), ("voter_id", "=", voter.id)], limit=1
        )
        if (
            row.voted
            and row.channel == channel
            and not row.in_room
            and row.cast_by_partner_id
            and row.cast_by_partner_id != cast_by_partner
        ):
            raise UserError(
                self.env._(
                    "%(member)s already voted on %(resolution)s through %(person)s: a member "
                    "votes once, and only the one who cast its ballot may change it.",
                    member=voter.partner_id.name,
                    resolution=resolution.name,
                    person=row.cast_by_partner_id.name,
                )
            )

    def _record(self, resolution, voter, channel, cast_by_partner, proxy, now, in_room=False):
        row = self.sudo().search(
            [("resolution_id", "=", resolution.id), ("voter_id", "=", voter.id)], limit=1
        )
        if not row:
            # an assembly convened before participation rows existed
            self._create_for_assembly(resolution.assembly_id)
            row = self.sudo().search(
                [("resolution_id", "=", resolution.id), ("voter_id", "=", voter.id)], limit=1
            )
        row.with_context(**seal.sealed_context()).write(
            {
                "voted": True,
                "channel": channel,
                "proxy_id": proxy.id if proxy else False,
                "cast_by_partner_id": cast_by_partner.id if cast_by_partner else False,
                "cast_by_user_id": self.env.uid,
                "in_room": bool(in_room),
                # no time for a secret vote: nothing to order with its choices
                "voted_at": False if resolution.secret else now,
            }
        )
        return row
