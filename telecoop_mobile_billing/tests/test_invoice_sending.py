# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The invoice a member receives: the official PDF, sent by e-mail in the background,
downloaded from the portal with its four sections, and the itemised bill on request."""

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.telecoop_membership.tests.pdf import PdfRouteMixin

from .common import GB, MobileBillingCommon

SECTIONS = ("Plan and options", "Usage beyond the plan", "One-off services", "Third-party services")


@tagged("post_install", "-at_install")
class TestInvoicePdfAndSending(PdfRouteMixin, MobileBillingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, queue_job__no_delay=True))
        cls.user = new_test_user(
            cls.env,
            login="tc_invoice_member",
            groups="base.group_portal",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )
        cls.user.partner_id.write(
            {"name": "Invoice Member", "email": "member@example.org", "tz": "Europe/Paris"}
        )
        cls.line = cls._create_line(
            "33670000001", cls.plan_step, partner=cls.user.partner_id, itemised_bill=True
        )
        cls.env["telecoop.mobile.line.one.off"].create(
            {"line_id": cls.line.id, "date": "2026-10-10", "name": "New SIM card", "amount": 10}
        )

    def test_official_pdf_sent_by_email_and_downloaded_from_the_portal(self):
        self._insert_records(
            [
                (self.line, "2026-10-02 08:00:00", "data", 6 * GB, "national"),
                (self.line, "2026-10-03 08:00:00", "voice", 125, "international", "447946000123"),
                (self.line, "2026-10-04 08:00:00", "voice", 60, "premium", "33899000123", "2.40"),
            ]
        )
        run = self.env["telecoop.billing.run"].create(
            {"company_id": self.company.id, "period": "2026-10-01"}
        )
        run.action_start()
        invoice = run.run_line_ids.move_id
        self.assertEqual(invoice.state, "posted")
        # queued for Odoo's sending in the background (the cron of account.move.send)
        self.assertTrue(invoice.sending_data)
        # what the cron does, rendering the PDF for real (not the test-mode HTML)
        self.env["account.move.send"].with_context(
            force_report_rendering=True
        )._generate_and_send_invoices(invoice, from_cron=True)
        self.assertFalse(invoice.sending_data)
        self.assertTrue(invoice.invoice_pdf_report_id, "the official PDF is attached")
        sent = invoice.message_ids.filtered(
            lambda m: self.user.partner_id in m.partner_ids and m.attachment_ids
        )
        self.assertTrue(sent, "the invoice e-mail went to the holder, PDF attached")
        self.assertIn(invoice.invoice_pdf_report_id.name, sent.attachment_ids.mapped("name"))
        mails = self.env["mail.mail"].search([("mail_message_id", "in", sent.ids)])
        self.assertIn(self.user.partner_id, mails.recipient_ids)
        self.authenticate("tc_invoice_member", "tc_invoice_member")
        text = self.download_pdf(f"/my/invoices/{invoice.id}?report_type=pdf&download=true")
        for title in SECTIONS:
            self.assertIn(title, text)
        self.assertIn("Audiotel Services", text)
        self.assertNotIn("Proforma", text)
        itemised = self.download_pdf(f"/my/invoices/{invoice.id}/itemised")
        self.assertIn("Itemised bill", itemised)
        self.assertIn("44794600XXXX", itemised)
        self.assertNotIn("447946000123", itemised)
        # 08:00 UTC, in Paris, as the holder's language (English) writes it
        self.assertIn("10/03/2026", itemised)
        self.assertIn("10:00:00 AM", itemised)
