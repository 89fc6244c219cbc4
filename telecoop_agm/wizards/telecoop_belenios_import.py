# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo import Command, fields, models
from odoo.exceptions import UserError

from ..services import belenios, seal
from ..services import tally as tally_service

INT_MAX = 2**31 - 1


class TelecoopBeleniosImport(models.TransientModel):
    """Record on a resolution the result of its vote held in Belenios."""

    _name = "telecoop.belenios.import"
    _description = "Import a Belenios result"

    resolution_id = fields.Many2one(
        "telecoop.resolution",
        required=True,
        ondelete="cascade",
        domain="[('assembly_id.state', '=', 'closed'), ('result_source', '=', 'belenios')]",
    )
    result_file = fields.Binary(
        string="Belenios result (result.json)", required=True, attachment=False
    )
    result_filename = fields.Char()
    question_number = fields.Integer(
        default=1, required=True, help="Position of the question in the Belenios election."
    )
    blank_allowed = fields.Boolean(
        string="Blank vote allowed",
        default=True,
        help="The question allowed a blank vote: Belenios gives its total first. It is "
        "recorded as an abstention.",
    )

    def action_import(self):
        self.ensure_one()
        resolution = self.resolution_id
        assembly = resolution.assembly_id
        if assembly.state != "closed":
            raise UserError(self.env._("Close the vote of the assembly before recording a result."))
        resolution._check_result_source("belenios")
        answers = resolution.choice_ids.filtered(lambda choice: not choice.is_abstention)
        abstention = resolution.choice_ids.filtered("is_abstention")[:1]
        try:
            result = belenios.parse_result(
                base64.b64decode(self.result_file or b""),
                question=self.question_number - 1,
                answers=len(answers),
                blank=self.blank_allowed,
            )
            shares, adopted, winner = belenios.decide(
                result,
                answers.mapped("code"),
                resolution.effective_majority,
                for_against=resolution.vote_kind == "for_against",
            )
        except belenios.BeleniosError as error:
            raise UserError(
                self.env._("This Belenios result cannot be recorded: %(error)s", error=error)
            ) from error
        self._record(resolution, result, shares, adopted, winner, abstention)
        return {
            "type": "ir.actions.act_window",
            "res_model": "telecoop.resolution",
            "res_id": resolution.id,
            "view_mode": "form",
        }

    def _record(self, resolution, result, shares, adopted, winner, abstention):
        """Write the weighted result as the tally would (lines without college)."""
        assembly = resolution.assembly_id
        electorate = assembly.electorate_count
        required = assembly.quorum_required or 0.0
        quorum_reached = bool(electorate) and (
            result.num_tallied * 10000 >= round(required * 100) * electorate
        )
        choices = {choice.code: choice for choice in resolution.choice_ids}
        codes = resolution.choice_ids.filtered(lambda c: not c.is_abstention).mapped("code")
        totals = dict(zip(codes, result.counts, strict=True))
        lines = [
            Command.create(
                {
                    "choice_id": choice.id,
                    "votes": min(totals.get(code, 0), INT_MAX),
                    "percent": float(tally_service.to_percent(shares[code])),
                }
            )
            for code, choice in choices.items()
            if not choice.is_abstention
        ]
        if abstention:
            lines.append(
                Command.create(
                    {
                        "choice_id": abstention.id,
                        "votes": min(result.blank, INT_MAX),
                        "percent": 0.0,
                    }
                )
            )
        if not quorum_reached:
            state = "no_quorum"
        else:
            state = "adopted" if adopted else "rejected"
        # the Belenios tally is the tally of this resolution: it writes with the seal
        resolution.sudo().with_context(**seal.sealed_context()).write(
            {
                "result_line_ids": [Command.clear(), *lines],
                "result_counted": min(result.num_tallied, INT_MAX),
                "result_expressed": 0,
                "result_state": state,
                "winner_choice_id": choices[winner].id
                if winner and resolution.vote_kind == "options" and quorum_reached
                else False,
            }
        )
        details = ", ".join(f"{choices[code].name}: {total}" for code, total in totals.items())
        resolution.message_post(
            body=self.env._(
                "Result recorded from Belenios (%(file)s, question %(question)s): %(ballots)s "
                "ballots counted; weighted totals %(details)s; blank %(blank)s.",
                file=self.result_filename or "result.json",
                question=self.question_number,
                ballots=result.num_tallied,
                details=details,
                blank=result.blank,
            )
        )
