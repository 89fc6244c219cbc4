# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.base.models.res_partner import _tz_get

from ..services.cdr_parse import CdrError, parse_mapping


class TelecoopUsageSource(models.Model):
    """Where usage records come from: a file format or the host operator's API."""

    _name = "telecoop.usage.source"
    _description = "Usage source"
    _check_company_auto = True
    _inherit = ["mail.thread"]
    _order = "company_id, name, id"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    kind = fields.Selection(
        [("csv", "CSV file"), ("xml", "XML file"), ("http", "HTTP pull")],
        required=True,
        default="csv",
        tracking=True,
    )
    tz = fields.Selection(
        _tz_get,
        string="Time zone",
        required=True,
        default=lambda self: self._default_tz(),
        help="Time zone of the company's billing periods: a record belongs to the "
        "calendar month, in this time zone, in which it started.",
    )
    base_url = fields.Char(string="Base URL", tracking=True)
    api_key = fields.Char(
        string="API key", groups="telecoop_mobile_billing.telecoop_mobile_billing_group_manager"
    )
    page_limit = fields.Integer(default=1000, help="Records asked per page (HTTP pull).")
    timeout = fields.Integer(string="Timeout (s)", default=30)
    last_cursor = fields.Char(
        readonly=True, copy=False, help="Cursor reached by the last HTTP pull."
    )
    column_mapping = fields.Text(
        string="Import profile",
        help="When the host operator names the fields otherwise: one 'host name = field' "
        "a line, e.g. 'cdr_id = record_id'. Fields: record_id, msisdn, started_at, "
        "usage_type, quantity, zone, destination, third_party_amount.",
    )
    import_ids = fields.One2many("telecoop.usage.import", "source_id")
    import_count = fields.Integer(compute="_compute_import_count")

    @api.constrains("column_mapping")
    def _check_column_mapping(self):
        for source in self:
            try:
                parse_mapping(source.column_mapping)
            except CdrError as error:
                raise ValidationError(
                    self.env._(
                        "Import profile of %(name)s, %(where)s: %(reason)s",
                        name=source.name,
                        where=error.field,
                        reason=error.reason,
                    )
                ) from None

    def _get_column_mapping(self):
        self.ensure_one()
        return parse_mapping(self.column_mapping)

    @api.model
    def _default_tz(self):
        return self.env.company.partner_id.tz or "Europe/Paris"

    @api.depends("import_ids")
    def _compute_import_count(self):
        counts = dict(
            self.env["telecoop.usage.import"]._read_group(
                [("source_id", "in", self.ids)], ["source_id"], ["__count"]
            )
        )
        for source in self:
            source.import_count = counts.get(source, 0)

    def unlink(self):
        # the records have no foreign key to their source (see telecoop.usage.record)
        self.env["telecoop.usage.record"].flush_model()
        self.env.cr.execute(
            SQL("DELETE FROM telecoop_usage_record WHERE source_id IN %s", tuple(self.ids))
        )
        self.env["telecoop.usage.record"].invalidate_model()
        return super().unlink()

    def action_pull(self):
        """Pull the records published since the last cursor, in the background."""
        self.ensure_one()
        if self.kind != "http":
            raise UserError(self.env._("Only an HTTP source can be pulled."))
        usage_import = self.env["telecoop.usage.import"].create({"source_id": self.id})
        usage_import.action_start()
        return usage_import._get_form_action()

    def action_upload(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "telecoop_mobile_billing.telecoop_usage_upload_wizard_action"
        )
        action["context"] = {"default_source_id": self.id}
        return action

    def action_view_imports(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "telecoop_mobile_billing.telecoop_usage_import_action"
        )
        action["domain"] = [("source_id", "=", self.id)]
        action["context"] = {"default_source_id": self.id}
        return action

    @api.model
    def _cron_pull(self):
        """Scheduled action: pull every active HTTP source."""
        for source in self.search([("kind", "=", "http"), ("base_url", "!=", False)]):
            self.env["telecoop.usage.import"].create({"source_id": source.id}).action_start()
