# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class TelecoopBallotEntry(models.TransientModel):
    """Staff enter the ballot of a member present in the room, or of a proxy holder."""

    _name = "telecoop.ballot.entry"
    _description = "Enter a ballot in the room"

    assembly_id = fields.Many2one("telecoop.assembly", required=True)
    resolution_id = fields.Many2one(
        "telecoop.resolution", required=True, domain="[('assembly_id', '=', assembly_id)]"
    )
    voter_id = fields.Many2one(
        "telecoop.assembly.voter",
        string="Member",
        required=True,
        domain="[('assembly_id', '=', assembly_id), ('room_eligible', '=', True)]",
        help="Members present in the room, and members represented by a proxy holder who is "
        "present.",
    )
    proxy_id = fields.Many2one(
        "telecoop.assembly.proxy",
        compute="_compute_proxy_id",
        help="When the member gave a proxy, the holder present in the room votes.",
    )
    choice_id = fields.Many2one(
        "telecoop.resolution.choice",
        required=True,
        domain="[('resolution_id', '=', resolution_id)]",
    )

    @api.depends("voter_id")
    def _compute_proxy_id(self):
        for entry in self:
            entry.proxy_id = self.env["telecoop.assembly.proxy"].search(
                [("giver_id", "=", entry.voter_id.id), ("state", "=", "active")], limit=1
            )

    @api.constrains("voter_id", "assembly_id", "resolution_id", "choice_id")
    def _check_voter_in_room(self):
        """Refuse a member who is neither present nor represented by someone present."""
        # constraints run as superuser: the user must read the records first, or the
        # messages below name the members of another cooperative
        entries = self.sudo(False)
        for field in ("assembly_id", "resolution_id", "voter_id", "choice_id"):
            entries[field].check_access("read")
        for entry in self:
            if entry.voter_id.assembly_id != entry.assembly_id:
                raise ValidationError(
                    self.env._("%(member)s is not in the electorate of %(assembly)s.",
                               member=entry.voter_id.partner_id.name,
                               assembly=entry.assembly_id.name)
                )  # fmt: skip
            if not entry.voter_id.room_eligible:
                raise ValidationError(
                    self.env._(
                        "%(member)s is not on the attendance sheet and no member present holds "
                        "their proxy: no ballot is entered in the room for them.",
                        member=entry.voter_id.partner_id.name,
                    )
                )

    def action_cast(self):
        self.ensure_one()
        self._check_voter_in_room()
        if self.proxy_id:
            holder = self.proxy_id.holder_id
            if not holder.present:
                raise UserError(
                    self.env._("The proxy holder %(holder)s is not on the attendance sheet.",
                               holder=holder.partner_id.name)
                )  # fmt: skip
            self.env["telecoop.ballot"]._cast(
                self.resolution_id,
                self.voter_id,
                self.choice_id,
                "proxy",
                holder.partner_id,
                self.proxy_id,
                in_room=True,
            )
        else:
            self.env["telecoop.ballot"]._cast(
                self.resolution_id, self.voter_id, self.choice_id, "room", self.voter_id.partner_id
            )
        message = self.env._(
            "%(member)s: %(choice)s on %(resolution)s is in the ballot box.",
            member=self.voter_id.partner_id.name,
            choice=self.choice_id.name,
            resolution=self.resolution_id.name,
        )
        assembly, resolution = self.assembly_id, self.resolution_id
        # the form held the member and the choice: nothing of it stays once cast
        self.unlink()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Ballot entered"),
                "message": message,
                "type": "success",
                # then the form opens again for the next ballot
                "next": {
                    "type": "ir.actions.act_window",
                    "res_model": self._name,
                    "view_mode": "form",
                    "views": [(False, "form")],
                    "target": "new",
                    "context": {
                        "default_assembly_id": assembly.id,
                        "default_resolution_id": resolution.id,
                    },
                },
            },
        }
