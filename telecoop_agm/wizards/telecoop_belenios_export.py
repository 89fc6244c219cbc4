# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..services import belenios


class TelecoopBeleniosExport(models.TransientModel):
    """The frozen electorate of an assembly as a Belenios voter list, with weights."""

    _name = "telecoop.belenios.export"
    _description = "Export the electorate to Belenios"

    assembly_id = fields.Many2one(
        "telecoop.assembly",
        required=True,
        ondelete="cascade",
        domain="[('resolution_ids.result_source', '=', 'belenios')]",
    )
    voter_count = fields.Integer(readonly=True)
    total_weight = fields.Char(
        readonly=True, help="Sum of the weights of the voters, as Belenios will show it."
    )
    weights_summary = fields.Text(string="Weight of one voter per college", readonly=True)
    voters_file = fields.Binary(string="Voter list", readonly=True, attachment=False)
    voters_filename = fields.Char(readonly=True)

    @api.model
    def default_get(self, fields):
        values = super().default_get(fields)
        if values.get("assembly_id"):
            self.env["telecoop.assembly"].browse(values["assembly_id"])._check_voted_in_belenios()
        return values

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards.assembly_id._check_voted_in_belenios()
        return wizards

    def action_export(self):
        self.ensure_one()
        assembly = self.assembly_id
        assembly._check_voted_in_belenios()
        if assembly.state == "draft":
            raise UserError(
                self.env._("Convene the assembly first: the electorate is frozen at convocation.")
            )
        voters = assembly.voter_ids
        # a company member without an address gets its credential at its representative's
        without_email = voters.filtered(lambda voter: not voter.informed_partner_id)
        if without_email:
            raise UserError(
                self.env._(
                    "Belenios sends each voter a credential by e-mail; these members have no "
                    "e-mail address: %(members)s.",
                    members=", ".join(without_email.mapped("partner_id.display_name")),
                )
            )
        college_weights = {line.college_id.id: line.weight for line in assembly.college_ids}
        try:
            text, weights, total = belenios.voters_file(
                (
                    belenios.Voter(
                        address=voter.informed_partner_id.email.strip(),
                        login=voter.member_number or f"V{voter.id}",
                        college=voter.college_id.id,
                    )
                    for voter in voters
                ),
                college_weights,
            )
        except belenios.BeleniosError as error:
            raise UserError(
                self.env._("The electorate cannot be exported: %(error)s", error=error)
            ) from error
        summary = "\n".join(
            self.env._(
                "%(college)s: weight %(weight)s per member (%(members)s members, %(percent)s %%)",
                college=line.college_id.name,
                weight=weights.get(line.college_id.id, 0),
                members=line.voter_count,
                percent=f"{line.weight:g}",
            )
            for line in assembly.college_ids
        )
        self.write(
            {
                "voter_count": len(voters),
                "total_weight": str(total),
                "weights_summary": summary,
                "voters_file": base64.b64encode(text.encode()),
                "voters_filename": f"voters-assembly-{assembly.id}.txt",
            }
        )
        assembly.message_post(
            body=self.env._(
                "Electorate exported to Belenios: %(count)s voters, total weight %(total)s.",
                count=len(voters),
                total=total,
            )
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
