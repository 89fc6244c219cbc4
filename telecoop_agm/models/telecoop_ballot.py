# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError


class TelecoopBallot(models.Model):
    """A ballot in the ballot box: inserted, never updated nor deleted.

    A member who votes again adds a new ballot; the ballot that counts is the
    member's last one (highest id) for the resolution, computed at the tally
    (see ``services/tally.py``). Keeping every ballot lets a later version chain
    them by hash (each entry recording the hash of the previous one).
    """

    _name = "telecoop.ballot"
    _description = "Ballot"
    _order = "id desc"
    _rec_name = "receipt"

    assembly_id = fields.Many2one(
        "telecoop.assembly", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="assembly_id.company_id", store=True, index=True)
    resolution_id = fields.Many2one(
        "telecoop.resolution", required=True, ondelete="cascade", index=True, readonly=True
    )
    voter_id = fields.Many2one(
        "telecoop.assembly.voter", required=True, ondelete="restrict", index=True, readonly=True
    )
    partner_id = fields.Many2one(related="voter_id.partner_id", string="Member")
    college_id = fields.Many2one(related="voter_id.college_id")
    choice_id = fields.Many2one(
        "telecoop.resolution.choice", required=True, ondelete="restrict", readonly=True
    )
    channel = fields.Selection(
        [
            ("online", "Online"),
            ("room", "In the room"),
            ("proxy", "By proxy"),
        ],
        required=True,
        readonly=True,
    )
    proxy_id = fields.Many2one("telecoop.assembly.proxy", ondelete="restrict", readonly=True)
    cast_by_partner_id = fields.Many2one("res.partner", readonly=True, string="Cast by")
    cast_by_user_id = fields.Many2one("res.users", readonly=True, string="Entered by")
    cast_at = fields.Datetime(required=True, readonly=True)
    receipt = fields.Char(readonly=True, index=True, copy=False)

    _receipt_unique = models.Constraint("unique(receipt)", "A receipt is unique.")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("telecoop_cast"):
            raise UserError(self.env._("Ballots are cast through the vote, not created directly."))
        return super().create(vals_list)

    def write(self, vals):
        if vals:
            raise UserError(
                self.env._("A ballot cannot be changed: vote again, the last one counts.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A ballot cannot be deleted."))

    @api.model
    def _cast(self, resolution, voter, choice, channel, cast_by_partner, proxy=None):
        """Put a ballot in the box after checking who may cast it.

        - ``online``: the member votes for themselves (``cast_by_partner`` is the
          voter), and has not given an active proxy;
        - ``proxy``: ``cast_by_partner`` holds an active proxy from the voter;
        - ``room``: staff enter the ballot of a member present in the room who
          has not given a proxy.
        The vote must be open: state open and vote start <= now < vote end, to the
        second, by the database clock.
        """
        assembly = resolution.assembly_id
        if voter.assembly_id != assembly:
            raise UserError(self.env._("This member is not in the electorate of the assembly."))
        if len(choice) != 1 or choice.resolution_id != resolution:
            raise UserError(self.env._("This choice does not belong to the resolution."))
        now = assembly._check_voting_open()
        Proxy = self.env["telecoop.assembly.proxy"]
        active_given = Proxy.sudo().search(
            [("giver_id", "=", voter.id), ("state", "=", "active")], limit=1
        )
        if channel == "proxy":
            if (
                not proxy
                or proxy.state != "active"
                or proxy.giver_id != voter
                or proxy.holder_id.partner_id != cast_by_partner
            ):
                raise UserError(
                    self.env._("Nobody votes for a member who did not give them a proxy.")
                )
        elif active_given:
            raise UserError(
                self.env._(
                    "%(member)s gave a proxy: the proxy holder votes, or the proxy is "
                    "withdrawn first.",
                    member=voter.partner_id.name,
                )
            )
        elif channel == "online":
            if voter.partner_id != cast_by_partner:
                raise UserError(self.env._("A member votes online only for themselves."))
        elif channel == "room":
            if not voter.present:
                raise UserError(
                    self.env._("%(member)s is not on the attendance sheet.",
                               member=voter.partner_id.name)
                )  # fmt: skip
        else:
            raise UserError(self.env._("Unknown channel."))
        return self.with_context(telecoop_cast=True).create(
            {
                "assembly_id": assembly.id,
                "resolution_id": resolution.id,
                "voter_id": voter.id,
                "choice_id": choice.id,
                "channel": channel,
                "proxy_id": proxy.id if proxy else False,
                "cast_by_partner_id": cast_by_partner.id if cast_by_partner else False,
                "cast_by_user_id": self.env.uid,
                "cast_at": now,
                "receipt": secrets.token_urlsafe(12),
            }
        )
