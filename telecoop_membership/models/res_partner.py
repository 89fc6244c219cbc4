# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError


class ResPartner(models.Model):
    _inherit = "res.partner"

    telecoop_membership_ids = fields.One2many(
        "telecoop.membership", "partner_id", string="Memberships", readonly=True
    )
    # The membership of the current company (env.company), as the staff and the
    # portal of that cooperative see it: one person may be a member of several
    # hosted cooperatives, each with its own number, college and dates. Read by the
    # cooperative's staff, and by a portal user on her own contact only (the portal
    # rule of res.partner): not by the other employees of the company.
    telecoop_member_number = fields.Char(
        string="Member number",
        compute="_compute_telecoop_membership",
        inverse="_inverse_telecoop_membership",
        search="_search_telecoop_member_number",
        groups="telecoop_membership.telecoop_membership_group_user,base.group_portal",
    )
    telecoop_share_line_ids = fields.One2many(
        "telecoop.share.line", "partner_id", string="Share movements"
    )
    telecoop_college_id = fields.Many2one(
        "telecoop.college",
        string="College",
        compute="_compute_telecoop_membership",
        inverse="_inverse_telecoop_membership",
        search="_search_telecoop_college_id",
        groups="telecoop_membership.telecoop_membership_group_user,base.group_portal",
    )
    telecoop_is_member = fields.Boolean(
        string="Cooperative member",
        compute="_compute_telecoop_membership",
        inverse="_inverse_telecoop_membership",
        search="_search_telecoop_is_member",
        groups="telecoop_membership.telecoop_membership_group_user,base.group_portal",
    )
    telecoop_member_since = fields.Date(
        string="Member since",
        compute="_compute_telecoop_membership",
        inverse="_inverse_telecoop_membership",
        groups="telecoop_membership.telecoop_membership_group_user,base.group_portal",
    )
    telecoop_member_until = fields.Date(
        string="Member until",
        compute="_compute_telecoop_membership",
        inverse="_inverse_telecoop_membership",
        groups="telecoop_membership.telecoop_membership_group_user,base.group_portal",
    )

    @api.depends(
        "telecoop_membership_ids.member_number",
        "telecoop_membership_ids.college_id",
        "telecoop_membership_ids.state",
        "telecoop_membership_ids.admission_date",
        "telecoop_membership_ids.exit_date",
    )
    @api.depends_context("company")
    def _compute_telecoop_membership(self):
        company = self.env.company
        memberships = self.env["telecoop.membership"].sudo()
        by_partner = {}
        partner_ids = [partner_id for partner_id in self._origin.ids if partner_id]
        if partner_ids:
            for membership in memberships.search(
                [("partner_id", "in", partner_ids), ("company_id", "=", company.id)]
            ):
                by_partner[membership.partner_id.id] = membership
        for partner in self:
            membership = by_partner.get(partner._origin.id, memberships)
            partner.telecoop_member_number = membership.member_number
            partner.telecoop_college_id = membership.college_id.with_env(self.env)
            partner.telecoop_is_member = membership.state == "member"
            partner.telecoop_member_since = membership.admission_date
            partner.telecoop_member_until = membership.exit_date

    def _inverse_telecoop_membership(self):
        """Writing these fields writes the membership of the current company (code only)."""
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Memberships are written by the register (admission, leaving, import) only."
                )
            )
        company = self.env.company
        model = self.env["telecoop.membership"]
        for partner in self:
            membership = model._ensure(partner, company)
            vals = {
                "member_number": partner.telecoop_member_number or False,
                "college_id": partner.telecoop_college_id.id,
                "admission_date": partner.telecoop_member_since,
                "exit_date": partner.telecoop_member_until,
            }
            if partner.telecoop_is_member:
                vals["state"] = "member"
            elif membership.state == "member":
                vals["state"] = "former"
            membership.sudo().write(vals)

    def _membership_domain(self, domain):
        return [
            (
                "telecoop_membership_ids",
                "any",
                [("company_id", "=", self.env.company.id), *domain],
            )
        ]

    def _search_telecoop_member_number(self, operator, value):
        return self._membership_domain([("member_number", operator, value)])

    def _search_telecoop_college_id(self, operator, value):
        return self._membership_domain([("college_id", operator, value)])

    def _search_telecoop_is_member(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        positive = (operator == "=") == value
        domain = self._membership_domain([("state", "=", "member")])
        return domain if positive else ["!", *domain]

    telecoop_share_count = fields.Integer(
        string="Shares held",
        compute="_compute_telecoop_shares",
        compute_sudo=True,
        groups="telecoop_membership.telecoop_membership_group_user,base.group_portal",
    )
    telecoop_share_amount = fields.Monetary(
        string="Capital held",
        compute="_compute_telecoop_shares",
        compute_sudo=True,
        currency_field="telecoop_currency_id",
        groups="telecoop_membership.telecoop_membership_group_user,base.group_portal",
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

        Only the membership of that cooperative changes: a first admission gives
        the next member number of the profile; a former member who comes back
        keeps the number and starts a new period.
        """
        self.ensure_one()
        membership = self.env["telecoop.membership"]._ensure(self, profile.company_id)
        membership._admit(college, on_date)
        self.invalidate_recordset()

    def _telecoop_leave_if_no_share(self, company, on_date):
        """A member whose last share in ``company`` is gone leaves that cooperative only."""
        self.ensure_one()
        total = self.env["telecoop.share.line"].sudo()._get_holdings(company, self)[1]
        membership = self.env["telecoop.membership"]._get_for(self, company)
        if total <= 0 and membership:
            membership._leave(on_date)
            self.invalidate_recordset()

    def action_view_telecoop_share_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "telecoop_membership.telecoop_share_line_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
