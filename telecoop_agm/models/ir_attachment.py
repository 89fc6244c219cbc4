# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo import api, models
from odoo.exceptions import UserError

#: what makes an attachment another document: its content or the record it belongs to
_CONTENT_FIELDS = {"raw", "datas"}
_OWNER_FIELDS = {"res_model", "res_id"}


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _get_telecoop_convened_assemblies(self):
        """The convened assemblies (sudo) that sent some of these attachments."""
        candidates = self.sudo().filtered(lambda a: a.res_model == "telecoop.assembly")
        if not candidates:
            return self.env["telecoop.assembly"]
        return (
            self.env["telecoop.assembly"]
            .sudo()
            .search([("document_ids", "in", candidates.ids), ("state", "!=", "draft")])
        )

    def _check_telecoop_convocation_document(self):
        assemblies = self._get_telecoop_convened_assemblies()
        if assemblies:
            document = self & assemblies.document_ids
            raise UserError(
                self.env._(
                    "%(document)s was sent with the convocation of %(assembly)s: it can no "
                    "longer be removed or replaced. A correction needs a new convocation.",
                    document=document[:1].name,
                    assembly=assemblies[:1].name,
                )
            )

    def write(self, vals):
        if set(vals) & _OWNER_FIELDS:
            self._check_telecoop_convocation_document()
        elif set(vals) & _CONTENT_FIELDS and self._get_telecoop_convened_assemblies():
            # moving a file between storages rewrites the same bytes: allowed
            raw = vals.get("raw")
            if raw is None:
                raw = base64.b64decode(vals.get("datas") or b"")
            if isinstance(raw, str):
                raw = raw.encode()
            checksum = self._compute_checksum(raw)
            if any(attachment.sudo().checksum != checksum for attachment in self):
                self._check_telecoop_convocation_document()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_telecoop_convocation(self):
        self._check_telecoop_convocation_document()
