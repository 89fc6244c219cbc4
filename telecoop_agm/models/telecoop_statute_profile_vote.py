# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class TelecoopStatuteProfile(models.Model):
    """What the statutes say about the ballots of an assembly."""

    _inherit = "telecoop.statute.profile"

    room_ballot_over_online = fields.Selection(
        [
            ("refuse", "The online vote stands: a room ballot is refused"),
            ("replace", "A ballot in the room replaces the online vote"),
        ],
        string="Room ballot after an online vote",
        default="refuse",
        required=True,
        help="What happens when staff enter in the room the ballot of a member who already "
        "voted online on the resolution.",
    )
