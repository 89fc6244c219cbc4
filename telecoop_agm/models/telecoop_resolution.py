# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.telecoop_membership.models.telecoop_assembly_rule import MAJORITIES

from ..services import seal
from ..services import tally as tally_service

# written by the tally only (with the seal)
RESULT_FIELDS = {
    "result_state",
    "result_counted",
    "result_expressed",
    "winner_choice_id",
    "result_line_ids",
}
# kept by the casting code in SQL (head of the chain)
HEAD_FIELDS = {"ballot_count", "ballot_head_hash"}


class TelecoopResolution(models.Model):
    """A resolution put to the vote of an assembly."""

    _name = "telecoop.resolution"
    _description = "Resolution"
    _inherit = ["mail.thread"]
    _order = "assembly_id, sequence, id"
    _check_company_auto = True

    assembly_id = fields.Many2one(
        "telecoop.assembly", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="assembly_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Title", required=True, tracking=True)
    text = fields.Html()
    vote_kind = fields.Selection(
        [("for_against", "For / against / abstain"), ("options", "Several options")],
        required=True,
        default="for_against",
    )
    majority = fields.Selection(
        [("profile", "As the statutes say"), *MAJORITIES],
        string="Majority required",
        required=True,
        default="profile",
        tracking=True,
    )
    effective_majority = fields.Selection(MAJORITIES, compute="_compute_effective_majority")
    secret = fields.Boolean(
        string="Secret vote",
        help="The ballot box keeps no link between a member and a choice that back-office "
        "users can read: only who took part. See the README for what a database "
        "administrator can still see.",
    )
    choice_ids = fields.One2many("telecoop.resolution.choice", "resolution_id", copy=True)
    ballot_ids = fields.One2many("telecoop.ballot", "resolution_id")
    participation_ids = fields.One2many("telecoop.ballot.participation", "resolution_id")
    ballot_count = fields.Integer(
        string="Ballot box entries", readonly=True, copy=False, help="Head of the chain."
    )
    ballot_head_hash = fields.Char(
        string="Hash of the last entry", readonly=True, copy=False, help="Head of the chain."
    )
    result_state = fields.Selection(
        [
            ("pending", "Not counted"),
            ("adopted", "Adopted"),
            ("rejected", "Rejected"),
            ("no_quorum", "Quorum not reached"),
        ],
        default="pending",
        required=True,
        copy=False,
        tracking=True,
    )
    result_source = fields.Selection(
        [("odoo", "Ballot box of Odoo"), ("belenios", "Belenios")],
        string="Vote held in",
        required=True,
        default="odoo",
        tracking=True,
        help="Where the vote of this resolution is held, decided before the convocation "
        "and fixed by it, so where its result comes from: the count of its ballot box in "
        "Odoo (members vote on the portal or in the room), or the result of Belenios "
        "recorded by staff (no ballot in Odoo). A resolution has one vote: the result of "
        "the other way is refused.",
    )
    result_counted = fields.Integer(string="Ballots counted", copy=False)
    result_expressed = fields.Integer(string="Votes expressed", copy=False)
    winner_choice_id = fields.Many2one("telecoop.resolution.choice", copy=False, check_company=True)
    result_line_ids = fields.One2many("telecoop.resolution.result", "resolution_id", copy=False)

    @api.depends("majority", "assembly_id.majority_default")
    def _compute_effective_majority(self):
        for resolution in self:
            resolution.effective_majority = (
                resolution.assembly_id.majority_default
                if resolution.majority == "profile"
                else resolution.majority
            )

    @api.model_create_multi
    def create(self, vals_list):
        resolutions = super().create(vals_list)
        for resolution in resolutions:
            if resolution.assembly_id.state != "draft":
                raise UserError(self.env._("Resolutions are set before the convocation."))
            resolution._ensure_choices()
        return resolutions

    def write(self, vals):
        if not seal.is_sealed(self.env.context):
            if set(vals) & (RESULT_FIELDS | HEAD_FIELDS):
                raise UserError(
                    self.env._("The result of a resolution is written by the tally only.")
                )
            business = {f for f in vals if not f.startswith(("message_", "activity_"))}
            if business and any(r.assembly_id.state != "draft" for r in self):
                raise UserError(
                    self.env._(
                        "Resolution %(name)s: resolutions cannot change after the convocation; "
                        "a correction needs a new convocation.",
                        name=self.filtered(lambda r: r.assembly_id.state != "draft")[:1].name,
                    )
                )
        result = super().write(vals)
        if "vote_kind" in vals:
            for resolution in self:
                resolution.choice_ids.unlink()
                resolution._ensure_choices()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(r.assembly_id.state != "draft" for r in self):
            raise UserError(self.env._("A resolution of a convened assembly cannot be deleted."))

    @api.constrains("majority", "assembly_id")
    def _check_extraordinary_majority(self):
        """An extraordinary assembly decides with two thirds at least (C. com. L225-96)."""
        for resolution in self:
            if (
                resolution.assembly_id.assembly_type == "extraordinary"
                and resolution.effective_majority == "simple"
            ):
                raise ValidationError(
                    self.env._(
                        "Resolution %(name)s of the extraordinary assembly %(assembly)s: an "
                        "extraordinary assembly decides with a majority of two thirds at least "
                        "(Code de commerce, art. L225-96 and L227-9 for an SAS).",
                        name=resolution.name,
                        assembly=resolution.assembly_id.name,
                    )
                )

    def _ensure_choices(self):
        """For / against / abstain, or the options given plus an abstention."""
        self.ensure_one()
        if self.vote_kind == "for_against":
            if not self.choice_ids:
                self.choice_ids = [
                    Command.create({"name": self.env._("For"), "code": "for", "sequence": 1}),
                    Command.create(
                        {"name": self.env._("Against"), "code": "against", "sequence": 2}
                    ),
                    Command.create(
                        {
                            "name": self.env._("Abstain"),
                            "code": "abstain",
                            "sequence": 99,
                            "is_abstention": True,
                        }
                    ),
                ]
        elif not self.choice_ids.filtered("is_abstention"):
            self.choice_ids = [
                Command.create(
                    {
                        "name": self.env._("Abstain"),
                        "code": "abstain",
                        "sequence": 99,
                        "is_abstention": True,
                    }
                )
            ]

    def _lock_heads(self):
        """Queue the casting and the closing of these resolutions' boxes.

        The update (of nothing) of the rows that hold the heads of the chains locks
        them until the end of the transaction, as every ballot cast does: a ballot
        and the closing at the same instant are never both committed from snapshots
        that miss each other (the later one fails with a serialization error and is
        retried, then refused or counted in the fingerprint).
        """
        if self:
            self.env.cr.execute(
                SQL(
                    "UPDATE telecoop_resolution SET ballot_count = ballot_count WHERE id IN %s",
                    tuple(self.ids),
                )
            )

    def _get_ballot_rows(self):
        """Every entry of the box, replacements included: (sequence, key, college, choice).

        The voter of an entry is its key (an HMAC of voter and resolution), the
        same for public and secret votes: the last entry of each key counts.
        """
        self.ensure_one()
        box = self.env["telecoop.ballot"]._get_box(self)
        box.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT b.sequence, b.voter_key, b.college_id, c.code
                  FROM %s b
                  JOIN telecoop_resolution_choice c ON c.id = b.choice_id
                 WHERE b.resolution_id = %s
                """,
                SQL.identifier(box._table),
                self.id,
            )
        )
        return self.env.cr.fetchall()

    def _compute_tally(self):
        """Run the pure-Python tally on the stored ballots (no write)."""
        self.ensure_one()
        abstain = self.choice_ids.filtered("is_abstention")[:1].code or "__none__"
        return tally_service.tally(
            (
                tally_service.Ballot(voter=voter, college=college, choice=code, sequence=seq)
                for seq, voter, college, code in self._get_ballot_rows()
            ),
            {line.college_id.id: line.weight for line in self.assembly_id.college_ids},
            self.choice_ids.mapped("code"),
            majority=self.effective_majority,
            abstain=abstain,
            for_against=self.vote_kind == "for_against",
        )

    def _check_result_source(self, source):
        """Refuse a ballot or a result of ``source`` (``odoo`` or ``belenios``) when the
        vote of this resolution is held the other way (``result_source``, fixed at the
        convocation).

        Held in Odoo: members vote in its ballot box; the result is its count, never a
        Belenios result. Held in Belenios: its box in Odoo takes no ballot; the result is
        the one recorded from Belenios, never a count of the empty box.
        """
        self.ensure_one()
        resolution = self.sudo()
        if source == "belenios" and resolution.result_source != "belenios":
            raise UserError(
                self.env._(
                    "Resolution %(resolution)s was voted in Odoo, as decided before its "
                    "convocation (%(count)s entries in its ballot box): its result is the "
                    "count of that box, not a Belenios result.",
                    resolution=resolution.name,
                    count=resolution.ballot_count,
                )
            )
        if source == "odoo" and resolution.result_source == "belenios":
            raise UserError(
                self.env._(
                    "Resolution %(resolution)s was voted in Belenios: its result is the one "
                    "recorded from Belenios, not a count of its empty ballot box in Odoo.",
                    resolution=resolution.name,
                )
            )

    def _tally(self, quorum_reached=True):
        """Count the resolution and store the result lines."""
        self.ensure_one()
        self._check_result_source("odoo")
        result = self._compute_tally()
        choices = {choice.code: choice for choice in self.choice_ids}
        lines = []
        for college in result.colleges:
            lines.append(
                Command.create(
                    {
                        "college_id": college.college,
                        "counted": college.counted,
                        "expressed": college.expressed,
                        "percent": float(tally_service.to_percent(college.effective_weight)),
                    }
                )
            )
            for code, choice in choices.items():
                lines.append(
                    Command.create(
                        {
                            "college_id": college.college,
                            "choice_id": choice.id,
                            "votes": college.counts.get(code, 0),
                            "percent": float(tally_service.to_percent(college.share(code)))
                            if not choice.is_abstention
                            else 0.0,
                        }
                    )
                )
        for code, choice in choices.items():
            lines.append(
                Command.create(
                    {
                        "choice_id": choice.id,
                        "votes": sum(c.counts.get(code, 0) for c in result.colleges),
                        "percent": float(tally_service.to_percent(result.weighted.get(code, 0)))
                        if not choice.is_abstention
                        else 0.0,
                    }
                )
            )
        if not quorum_reached:
            state = "no_quorum"
        else:
            state = "adopted" if result.adopted else "rejected"
        self.sudo().with_context(**seal.sealed_context()).write(
            {
                "result_line_ids": [Command.clear(), *lines],
                "result_counted": result.counted,
                "result_expressed": result.expressed,
                "result_state": state,
                "winner_choice_id": choices[result.winner].id
                if result.winner and self.vote_kind == "options" and quorum_reached
                else False,
            }
        )
        return result

    def _get_result_table(self):
        """The result as rows for the minutes and the portal.

        :return: dict ``choices`` (recordset), ``colleges`` (list of dicts college,
            weight, effective_weight, counted, expressed, votes {choice id: (votes,
            percent)}), ``weighted`` {choice id: (votes, percent)}.
        """
        self.ensure_one()
        lines = self.sudo().result_line_ids
        weights = {line.college_id: line.weight for line in self.assembly_id.sudo().college_ids}
        colleges = []
        for total in lines.filtered(lambda line: line.college_id and not line.choice_id):
            per_choice = lines.filtered(
                lambda line, c=total.college_id: line.college_id == c and line.choice_id
            )
            colleges.append(
                {
                    "college": total.college_id,
                    "weight": weights.get(total.college_id, 0.0),
                    "effective_weight": total.percent,
                    "counted": total.counted,
                    "expressed": total.expressed,
                    "votes": {line.choice_id.id: (line.votes, line.percent) for line in per_choice},
                }
            )
        weighted = {
            line.choice_id.id: (line.votes, line.percent)
            for line in lines.filtered(lambda line: not line.college_id)
        }
        return {"choices": self.choice_ids, "colleges": colleges, "weighted": weighted}
