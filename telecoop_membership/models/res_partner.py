# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    telecoop_member_number = fields.Char(
        string="Member number", copy=False, readonly=True, index=True, tracking=True
    )
    telecoop_share_line_ids = fields.One2many(
        "telecoop.share.line", "partner_id", string="Share movements"
    )
    telecoop_college_id = fields.Many2one(
        "telecoop.college", string="College", tracking=True, copy=False
    )
    telecoop_is_member = fields.Boolean(
        string="Cooperative member", copy=False, readonly=True, index=True, tracking=True
    )
    telecoop_member_since = fields.Date(string="Member since", copy=False, readonly=True)
    telecoop_member_until = fields.Date(string="Member until", copy=False, readonly=True)

    _member_number_unique = models.Constraint(
        "unique(telecoop_member_number)", "A member number is given once."
    )

    telecoop_share_count = fields.Integer(
        string="Shares held", compute="_compute_telecoop_shares", compute_sudo=True
    )
    telecoop_share_amount = fields.Monetary(
        string="Capital held",
        compute="_compute_telecoop_shares",
        compute_sudo=True,
        currency_field="telecoop_currency_id",
    )
    telecoop_currency_id = fields.Many2one(
        "res.currency", compute="_compute_telecoop_shares", compute_sudo=True
    )
    telecoop_subscription_request_ids = fields.One2many(
        "telecoop.subscription.request", "partner_id", string="Subscription requests"
    )

    def _get_report_base_filename(self):
        """The file name of the share certificate downloaded from the portal."""
        self.ensure_one()
        return self.env._("Share certificate %s", self.telecoop_member_number or self.display_name)

    @api.depends("telecoop_share_line_ids")
    @api.depends_context("company")
    def _compute_telecoop_shares(self):
        company = self.env.company
        lines = self.env["telecoop.share.line"].sudo()
        for partner in self:
            partner.telecoop_currency_id = company.currency_id
            if not partner.id:
                partner.telecoop_share_count = 0
                partner.telecoop_share_amount = 0
                continue
            partner.telecoop_share_count = lines._get_holdings(company, partner)[1]
            partner.telecoop_share_amount = sum(
                lines.search(
                    [("company_id", "=", company.id), ("partner_id", "=", partner.id)]
                ).mapped("amount")
            )

    def _telecoop_admit(self, profile, college, on_date):
        """Make this partner a member (again) of ``profile``'s cooperative on ``on_date``.

        A first admission gives the next member number of the cooperative; a
        former member who comes back keeps the number and starts a new period.
        """
        self.ensure_one()
        partner = self.sudo()
        vals = {}
        if not partner.telecoop_member_number:
            vals["telecoop_member_number"] = profile._next_member_number()
        if not partner.telecoop_is_member:
            vals.update(
                telecoop_is_member=True,
                telecoop_member_since=on_date,
                telecoop_member_until=False,
            )
        if not partner.telecoop_college_id or not partner.telecoop_is_member:
            vals["telecoop_college_id"] = college.id
        if vals:
            partner.write(vals)

    def _telecoop_leave_if_no_share(self, company, on_date):
        """A member whose last share is gone stops being a member on ``on_date``."""
        self.ensure_one()
        total = self.env["telecoop.share.line"].sudo()._get_holdings(company, self)[1]
        if total <= 0 and self.telecoop_is_member:
            self.sudo().write({"telecoop_is_member": False, "telecoop_member_until": on_date})

    def action_view_telecoop_share_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "telecoop_membership.telecoop_share_line_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
