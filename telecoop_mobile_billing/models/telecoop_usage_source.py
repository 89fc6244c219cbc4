# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.base.models.res_partner import _tz_get

from ..services.cdr_parse import CdrError, parse_mapping


class TelecoopUsageSource(models.Model):
    """A host operator's usage feed: its files and its HTTP endpoint.

    The format is a property of each file (told from its content, see
    ``services/cdr_format.py``), not of the source: the CSV files, the XML
    files and the HTTP pages of one host operator are one source, and a record
    identity is known once per source (and month) whatever brought it.
    """

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
    tz = fields.Selection(
        _tz_get,
        string="Time zone",
        required=True,
        default=lambda self: self._default_tz(),
        help="Time zone of the company's billing periods: a record belongs to the "
        "calendar month, in this time zone, in which it started.",
    )
    base_url = fields.Char(
        string="Base URL",
        tracking=True,
        help="The host operator's usage endpoint, pulled by HTTP; empty when it sends files only.",
    )
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

    def write(self, vals):
        if "company_id" in vals:
            moved = self.filtered(lambda source: source.company_id.id != vals["company_id"])
            if moved and self.env["telecoop.usage.import"].sudo().search_count(
                [("source_id", "in", moved.ids)], limit=1
            ):
                # its imports (files with called numbers) would follow it, its records
                # and their identities stay: the other cooperative's records of the
                # same identities would be duplicates, billed never
                raise UserError(
                    self.env._(
                        "Source %(name)s has imports: it stays in its cooperative.",
                        name=moved[0].name,
                    )
                )
        return super().write(vals)

    def unlink(self):
        # the records have no foreign key to their source (see telecoop.usage.record)
        self.env["telecoop.usage.record"].flush_model()
        self.env.cr.execute(
            SQL("DELETE FROM telecoop_usage_record WHERE source_id IN %s", tuple(self.ids))
        )
        self.env["telecoop.usage.record"]._forget_identities(self.ids)
        self.env["telecoop.usage.record"].invalidate_model()
        return super().unlink()

    def action_pull(self):
        """Pull the records published since the last cursor, in the background."""
        self.ensure_one()
        if not self.base_url:
            raise UserError(self.env._("Source %(name)s has no base URL to pull.", name=self.name))
        usage_import = self.env["telecoop.usage.import"].create(
            {"source_id": self.id, "kind": "http"}
        )
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
        for source in self.search([("base_url", "!=", False)]):
            self.env["telecoop.usage.import"].create(
                {"source_id": source.id, "kind": "http"}
            ).action_start()

    def _merge_into(self, target):
        """Merge the sources ``self`` into ``target``: one host operator, one feed.

        Their imports and records move to ``target``; a record identity that
        ``target`` knows already (the same record delivered in two formats,
        counted twice before) is removed, and the months it touched are rated
        again. The HTTP settings and the import profile are taken from a
        merged source when ``target`` has none. The merged sources are
        archived. Returns the number of doubled records removed.
        """
        target.ensure_one()
        sources = self - target
        if not sources:
            return 0
        if sources.company_id != target.company_id:
            raise UserError(self.env._("Only sources of one company can be merged."))
        vals = {}
        for source in sources.sudo():
            for name in ("base_url", "api_key", "last_cursor", "column_mapping"):
                if source[name] and not target.sudo()[name] and name not in vals:
                    vals[name] = source[name]
        # the copies of records already known to the target (or to an older
        # merged source), in any month, go; the rest move to the target
        doubled = self.env["telecoop.usage.record"]._merge_sources(sources, target)
        sources.import_ids.write({"source_id": target.id})
        if vals:
            target.sudo().write(vals)
        todo = {}
        for period, line_id in doubled:
            if line_id:
                todo.setdefault(period, set()).add(line_id)
        if todo:
            self.env["telecoop.usage.record"]._rerate(target.company_id, todo)
        body = self.env._(
            "Sources %(names)s merged into this one; %(count)s records delivered twice removed.",
            names=", ".join(sources.mapped("name")),
            count=len(doubled),
        )
        target.message_post(body=body)
        sources.write({"active": False, "base_url": False})
        return len(doubled)
