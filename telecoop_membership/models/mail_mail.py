# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import Command, fields, models

_logger = logging.getLogger(__name__)


class MailMail(models.Model):
    _inherit = "mail.mail"

    telecoop_certificate_pending = fields.Boolean(
        help="The share certificate of the e-mail's document is rendered and joined "
        "when the mail queue sends the e-mail."
    )

    def send(self, auto_commit=False, raise_exception=False, post_send_callback=None):
        self._telecoop_join_certificates()
        return super().send(
            auto_commit=auto_commit,
            raise_exception=raise_exception,
            post_send_callback=post_send_callback,
        )

    def _telecoop_join_certificates(self):
        """Render the share certificates the e-mails wait for and join them, by the
        server that sends the queue (wkhtmltopdf reads the PDF's styles from it). A
        certificate that cannot be rendered leaves its e-mail without it, never the
        queue stuck."""
        for mail in self.filtered("telecoop_certificate_pending"):
            document = mail.model and self.env[mail.model].sudo().browse(mail.res_id).exists()
            if document and hasattr(document, "_create_certificate_attachment"):
                try:
                    with self.env.cr.savepoint():
                        attachment = document._create_certificate_attachment()
                except Exception:  # the e-mail goes all the same
                    _logger.exception("Share certificate of %s not rendered", document)
                    attachment = None
                if attachment:
                    mail.attachment_ids = [Command.link(attachment.id)]
            mail.telecoop_certificate_pending = False
