# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class TelecoopShareClass(models.Model):
    """A class of cooperative shares: its nominal value, limits and the college it opens."""

    _name = "telecoop.share.class"
    _description = "Class of cooperative shares"
    _check_company_auto = True
    _inherit = ["mail.thread"]
    _order = "company_id, sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    nominal_value = fields.Monetary(
        required=True,
        tracking=True,
        default=lambda self: self.env.company.telecoop_statute_profile_id.share_nominal_value,
    )
    min_per_member = fields.Integer(string="Minimum per member", default=1, tracking=True)
    max_per_member = fields.Integer(
        string="Maximum per member", default=0, tracking=True, help="0 means no limit."
    )
    college_id = fields.Many2one(
        "telecoop.college",
        string="College opened",
        required=True,
        tracking=True,
        domain="[('company_id', '=', company_id)]",
        help="The college a member joins when first subscribing shares of this class.",
        check_company=True,
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_integer_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_integer_vals(vals)
        if "nominal_value" in vals:
            self._check_nominal_value_unused(vals["nominal_value"])
        return super().write(vals)

    @api.model
    def _check_integer_vals(self, vals):
        """Limits the database cannot hold are refused before they reach it."""
        self.env["telecoop.statute.profile"]._check_integer_vals(vals, model=self)

    def _check_nominal_value_unused(self, new_value):
        """A class's nominal value is frozen once shares of it were moved: the
        register, the capital accounts and transfers and buy-backs (valued at the
        nominal value) must keep agreeing. A new value needs a new class."""
        for share_class in self:
            if share_class.currency_id.compare_amounts(
                share_class.nominal_value, new_value
            ) and self.env["telecoop.share.line"].sudo().search_count(
                [("share_class_id", "=", share_class.id)], limit=1
            ):
                raise UserError(
                    self.env._(
                        "Share class %(name)s: shares of it are in the register, so its "
                        "nominal value (%(value)s) cannot change. Create a new class with "
                        "the new value, and archive this one if it is no longer offered.",
                        name=share_class.name,
                        value=share_class.nominal_value,
                    )
                )

    @api.constrains("min_per_member", "max_per_member")
    def _check_limits(self):
        for share_class in self:
            if (
                share_class.min_per_member < 0
                or share_class.max_per_member < 0
                or (
                    share_class.max_per_member
                    and share_class.max_per_member < share_class.min_per_member
                )
            ):
                raise ValidationError(
                    self.env._(
                        "Share class %(name)s: the maximum per member (%(max)s) must be 0 "
                        "(no limit) or at least the minimum (%(min)s).",
                        name=share_class.name,
                        max=share_class.max_per_member,
                        min=share_class.min_per_member,
                    )
                )
