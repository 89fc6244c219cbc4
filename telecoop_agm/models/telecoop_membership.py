# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

MEMBERSHIP_USER_GROUP = "telecoop_membership.telecoop_membership_group_user"


class TelecoopMembership(models.Model):
    """The representative of a legal-person member, who acts for it at the assemblies.

    A company votes through one natural person (Code de commerce L225-106 for a
    represented shareholder, the statutes of an SCIC for its legal-person
    members): one vote for the member, never one per employee.
    """

    _inherit = "telecoop.membership"

    representative_id = fields.Many2one(
        "res.partner",
        string="Representative",
        readonly=True,
        tracking=True,
        ondelete="set null",
        help="For a member that is a company: the contact person of that company who "
        "votes, gives proxies and reads the assemblies on the portal for it. One at a "
        "time; set by the membership staff (Change the representative).",
    )

    partner_is_company = fields.Boolean(related="partner_id.is_company")

    @api.constrains("representative_id", "partner_id")
    def _check_representative(self):
        for membership in self.filtered("representative_id"):
            person = membership.representative_id
            if (
                not membership.partner_id.is_company
                or person.is_company
                or person.parent_id != membership.partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(member)s: a representative is a contact person of a member that "
                        "is a company (a person whose company is that member); %(person)s is "
                        "not.",
                        member=membership.partner_id.display_name,
                        person=person.display_name,
                    )
                )

    def _get_representative(self):
        """The representative who acts for this member now: the one named, while they are
        still a contact person of the company (a contact who moved to another company,
        or a member no longer a company, has none)."""
        self.ensure_one()
        person = self.sudo().representative_id
        if person and self.partner_id.is_company and person.parent_id == self.partner_id:
            return person
        return self.env["res.partner"]

    def _set_representative(self, person):
        """Make ``person`` (a contact of the company, or nobody) the one representative
        of this membership. Membership staff of the member's cooperative only."""
        self.ensure_one()
        if not self.env.su:
            self.check_access("read")
            if not self.env.user.has_group(MEMBERSHIP_USER_GROUP):
                raise AccessError(
                    self.env._(
                        "%(user)s may not change the representative of a member: it takes "
                        "the group %(group)s.",
                        user=self.env.user.name,
                        group=self.env.ref(MEMBERSHIP_USER_GROUP).display_name,
                    )
                )
        # the register's guard lets the code write; the rule above is the check
        self.sudo().write({"representative_id": person.id or False})
        return True

    def action_change_representative(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change the representative"),
            "res_model": "telecoop.membership.representative",
            "view_mode": "form",
            "target": "new",
            "context": {"default_membership_id": self.id},
        }
