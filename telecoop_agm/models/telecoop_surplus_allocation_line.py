# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class TelecoopSurplusAllocationLine(models.Model):
    """The interest on shares of one member for the fiscal year."""

    _name = "telecoop.surplus.allocation.line"
    _inherit = ["telecoop.sealed.mixin"]
    _description = "Interest on shares of a member"
    _order = "allocation_id, partner_id"
    _check_company_auto = True

    allocation_id = fields.Many2one(
        "telecoop.surplus.allocation",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="allocation_id.company_id", store=True)
    currency_id = fields.Many2one(related="allocation_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Member", required=True, index=True)
    member_number = fields.Char(compute="_compute_member_number")
    interest_base = fields.Monetary(
        string="Capital held over the year", help="Capital x days held / days of the year."
    )
    amount = fields.Monetary(string="Interest")
    withholding_amount = fields.Monetary(
        string="Tax withheld",
        help="The taxes of the statute profile for the year the interest is paid, each "
        "rounded to the cent.",
    )
    withholding_detail = fields.Char(string="Taxes withheld")
    net_amount = fields.Monetary(string="Net interest")
    year = fields.Integer(string="Fiscal year", compute="_compute_year")

    def _get_sealed_error(self):
        return self.env._(
            "The interest of each member is computed by the allocation (pro rata "
            "temporis, taxes of the profile): it is not entered nor changed by hand."
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if any(line.allocation_id.state == "posted" for line in self):
            raise UserError(self.env._("The interest of a posted allocation cannot be deleted."))

    @api.depends("allocation_id.date_to")
    def _compute_year(self):
        for line in self:
            line.year = line.allocation_id.date_to.year if line.allocation_id.date_to else 0

    def _get_withholdings(self):
        """The taxes of the profile that apply to this member, for the year the
        interest is paid (the year of the assembly)."""
        self.ensure_one()
        allocation = self.allocation_id
        year = (allocation.assembly_date or allocation.date).year
        return allocation.profile_id.interest_withholding_ids.filtered(
            lambda tax: tax.year == year and tax._applies_to(self.partner_id)
        )

    @api.depends("partner_id.telecoop_membership_ids.member_number", "company_id")
    def _compute_member_number(self):
        """The member number in the cooperative of this row, not of the current company."""
        numbers = self.env["telecoop.membership"]._get_member_numbers(
            self.partner_id, self.company_id
        )
        for row in self:
            row.member_number = numbers.get((row.partner_id.id, row.company_id.id), False)
