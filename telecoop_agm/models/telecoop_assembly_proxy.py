# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..services import seal


class TelecoopAssemblyProxy(models.Model):
    """A member of the electorate (giver) asks another one (holder) to vote for them.

    Rules: both in the electorate of the same assembly; one active proxy per
    giver; at most the statutory cap of active proxies per holder; no chains (a
    holder has not given a proxy and a giver holds none). The giver may withdraw
    the proxy until the holder has voted with it and until the vote closes.
    """

    _name = "telecoop.assembly.proxy"
    _description = "Proxy for a general assembly"
    _inherit = ["mail.thread"]
    _order = "assembly_id, id"
    _rec_name = "giver_id"
    _check_company_auto = True

    assembly_id = fields.Many2one(
        "telecoop.assembly", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="assembly_id.company_id", store=True, index=True)
    giver_id = fields.Many2one(
        "telecoop.assembly.voter",
        required=True,
        ondelete="restrict",
        index=True,
        tracking=True,
        check_company=True,
    )
    holder_id = fields.Many2one(
        "telecoop.assembly.voter",
        required=True,
        ondelete="restrict",
        index=True,
        tracking=True,
        check_company=True,
    )
    giver_partner_id = fields.Many2one(related="giver_id.partner_id", string="Given by")
    holder_partner_id = fields.Many2one(related="holder_id.partner_id", string="Held by")
    state = fields.Selection(
        [("active", "Active"), ("withdrawn", "Withdrawn")],
        default="active",
        required=True,
        tracking=True,
    )
    withdrawn_at = fields.Datetime(readonly=True)
    participation_ids = fields.One2many("telecoop.ballot.participation", "proxy_id")

    _one_active_per_giver = models.UniqueIndex(
        "(giver_id) WHERE state = 'active'", "A member has only one active proxy."
    )

    @api.constrains("giver_id", "holder_id", "state", "assembly_id")
    def _check_proxy(self):
        for proxy in self.filtered(lambda p: p.state == "active"):
            assembly = proxy.assembly_id
            if proxy.giver_id.assembly_id != assembly or proxy.holder_id.assembly_id != assembly:
                raise ValidationError(
                    self.env._("A proxy is given and held by members of the electorate.")
                )
            if proxy.giver_id == proxy.holder_id:
                raise ValidationError(self.env._("A member cannot give a proxy to themselves."))
            active = self.search([("assembly_id", "=", assembly.id), ("state", "=", "active")])
            if proxy.holder_id in active.giver_id or proxy.giver_id in active.holder_id:
                raise ValidationError(
                    self.env._("A member who gave a proxy cannot hold one, and conversely.")
                )
            cap = assembly._get_proxy_cap()
            held = len(active.filtered(lambda p, h=proxy.holder_id: p.holder_id == h))
            if held > cap:
                raise ValidationError(
                    self.env._(
                        "%(holder)s would hold %(held)s proxies; the statutes allow %(cap)s.",
                        holder=proxy.holder_id.partner_id.name,
                        held=held,
                        cap=cap,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # one proxy at a time per assembly: the cap and the no-chain rule are checked
        # against every proxy committed before (a concurrent one is retried)
        assembly_ids = {vals.get("assembly_id") for vals in vals_list} - {None, False}
        self.env["telecoop.assembly"].browse(sorted(assembly_ids))._lock_for_proxies()
        proxies = super().create(vals_list)
        for assembly in proxies.assembly_id:
            if not (assembly.state == "convened" or assembly._is_voting_open()):
                raise UserError(
                    self.env._(
                        "Proxies are given between the convocation and the closing of the vote."
                    )
                )
        return proxies

    def write(self, vals):
        if set(vals) - {"state", "withdrawn_at"} or not seal.is_sealed(self.env.context):
            raise UserError(self.env._("A proxy cannot be changed; withdraw it and give another."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A proxy is kept for the record; withdraw it instead."))

    def _lock_rows(self):
        """Queue what uses these proxies: a vote cast with one and its withdrawal.

        The update (of nothing) locks the rows until the end of the transaction, as
        the withdrawal's own update does; under Odoo's repeatable-read transactions
        the later of two concurrent requests fails with a serialization error and is
        retried by the server, with a snapshot that sees the other one: a proxy is
        never withdrawn while a vote is cast with it.
        """
        if self:
            self.flush_recordset(["state"])
            self.env.cr.execute(
                SQL(
                    "UPDATE telecoop_assembly_proxy SET state = state WHERE id IN %s",
                    tuple(self.ids),
                )
            )

    @api.model
    def _give(self, giver, holder):
        return self.create(
            {"assembly_id": giver.assembly_id.id, "giver_id": giver.id, "holder_id": holder.id}
        )

    def action_withdraw(self):
        # the closing at the same instant writes the assembly row: a withdrawal is either
        # committed before it (in the quorum it fixes) or retried after it and refused
        self.assembly_id._lock_for_proxies()
        self._lock_rows()
        for proxy in self:
            if proxy.state != "active":
                continue
            if proxy.assembly_id.state in ("closed", "tallied"):
                raise UserError(self.env._("The vote is closed: the proxy stays."))
            if proxy.sudo().participation_ids.filtered("voted"):
                raise UserError(
                    self.env._("The holder has already voted with this proxy: it stays.")
                )
        self.filtered(lambda p: p.state == "active").with_context(**seal.sealed_context()).write(
            {"state": "withdrawn", "withdrawn_at": fields.Datetime.now()}
        )
        return True
