# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..services.share_rules import check_holding_limits


class TelecoopShareTransfer(models.Model):
    """Shares passed from one member to another: one document, two movements."""

    _name = "telecoop.share.transfer"
    _description = "Transfer of shares between members"
    _check_company_auto = True
    _inherit = ["telecoop.share.document", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    # TRF/2025/00001 for a transfer dated in 2025, whenever it is entered
    _sequence_date_field = "date"

    from_partner_id = fields.Many2one(
        "res.partner",
        string="From member",
        required=True,
        tracking=True,
        index=True,
        check_company=True,
    )
    to_partner_id = fields.Many2one(
        "res.partner", string="To", required=True, tracking=True, index=True, check_company=True
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done"), ("cancelled", "Cancelled")],
        required=True,
        default="draft",
        tracking=True,
        copy=False,
    )
    share_line_ids = fields.One2many(
        "telecoop.share.line", "transfer_id", string="Movements", readonly=True
    )

    _frozen_fields = (
        "company_id",
        "share_class_id",
        "quantity",
        "amount",
        "from_partner_id",
        "to_partner_id",
        "date",
    )
    _workflow_fields = ("state",)
    _giver_fields = ("from_partner_id",)

    _quantity_positive = models.Constraint(
        "CHECK(quantity > 0)", "A transfer moves at least one share."
    )
    _two_people = models.Constraint(
        "CHECK(from_partner_id <> to_partner_id)", "A member cannot transfer shares to themself."
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_before_the_register(self):
        for transfer in self:
            if transfer.state not in ("draft", "cancelled"):
                raise UserError(
                    self.env._(
                        "Transfer %(name)s is done: it cannot be deleted.",
                        name=transfer.name,
                    )
                )

    def _get_giver(self):
        return self.from_partner_id

    def action_confirm(self):
        """Move the shares: one movement out of the giver, one into the receiver."""
        self._check_workflow_access()
        line_model = self.env["telecoop.share.line"].sudo()
        for transfer in self:
            if transfer.state != "draft":
                raise UserError(self.env._("Only a draft transfer can be confirmed."))
            company = transfer.company_id
            profile = company.telecoop_statute_profile_id
            share_class = transfer.share_class_id
            line_model._lock_register(company)
            held = line_model._get_holdings(company, transfer.from_partner_id, share_class)[0]
            if held < transfer.quantity:
                raise UserError(
                    self.env._(
                        "%(partner)s holds %(held)s shares of %(share_class)s and cannot "
                        "transfer %(quantity)s.",
                        partner=transfer.from_partner_id.display_name,
                        held=held,
                        share_class=share_class.name,
                        quantity=transfer.quantity,
                    )
                )
            # held on its date and after it too: the register at every date adds up
            line_model._check_out_date(
                transfer, transfer.from_partner_id, transfer.quantity, transfer.date
            )
            to_class, to_total = line_model._get_holdings(
                company, transfer.to_partner_id, share_class
            )
            breaches = check_holding_limits(
                to_class,
                to_total,
                transfer.quantity,
                share_class.min_per_member,
                share_class.max_per_member,
                profile.min_shares_per_member,
                profile.max_shares_per_member,
            )
            if breaches:
                raise UserError(
                    self.env._(
                        "%(partner)s would hold %(holding)s shares, outside the limit of "
                        "%(limit)s shares of the statutes or of class %(share_class)s.",
                        partner=transfer.to_partner_id.display_name,
                        holding=breaches[0].holding,
                        limit=breaches[0].limit,
                        share_class=share_class.name,
                    )
                )
            # the memberships of this cooperative, whatever the user's current company
            giver = transfer.from_partner_id.with_company(company)
            receiver = transfer.to_partner_id.with_company(company)
            college_out = giver.telecoop_college_id or share_class.college_id
            college_in = (
                receiver.telecoop_college_id
                if receiver.telecoop_is_member and receiver.telecoop_college_id
                else share_class.college_id
            )
            common = {
                "company_id": company.id,
                "share_class_id": share_class.id,
                "date": transfer.date,
                "movement_type": "transfer",
                "transfer_id": transfer.id,
                "note": transfer.name,
            }
            line_model.create(
                [
                    {
                        **common,
                        "partner_id": giver.id,
                        "college_id": college_out.id,
                        "quantity": -transfer.quantity,
                        "amount": -transfer.amount,
                    },
                    {
                        **common,
                        "partner_id": receiver.id,
                        "college_id": college_in.id,
                        "quantity": transfer.quantity,
                        "amount": transfer.amount,
                    },
                ]
            )
            receiver._telecoop_admit(profile, college_in, transfer.date)
            giver._telecoop_leave_if_no_share(company, transfer.date)
            transfer._write_workflow({"state": "done"})
        return True

    def action_cancel(self):
        if self.filtered(lambda t: t.state == "done"):
            raise UserError(
                self.env._("A done transfer is in the register: record a transfer back instead.")
            )
        self._write_workflow({"state": "cancelled"})
        return True
