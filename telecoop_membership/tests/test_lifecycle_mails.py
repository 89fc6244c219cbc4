# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common_accounting import TelecoopAccountingCommon
from .pdf import PdfRouteMixin, pdf_text

IBAN = "FR7630006000011234567890189"


@tagged("post_install", "-at_install")
class TestLifecycleMails(PdfRouteMixin, TelecoopAccountingCommon):
    """Each e-mail of the share life goes once, through the queue, to the person."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.email = "bonjour@testcoop.example"
        cls.bank_account = cls.env["res.partner.bank"].create(
            {"acc_number": IBAN, "partner_id": cls.company.partner_id.id, "allow_out_payment": True}
        )
        cls.sale_journal.bank_account_id = cls.bank_account
        cls.person = cls.env["res.partner"].create(
            {"name": "Alice Mailed", "email": "alice@example.org"}
        )
        cls.profile.buyback_delay_months = 0

    def _mails(self, record, subject):
        """The mail.mail queued for ``record`` to the person, with ``subject`` in the subject."""
        return self.env["mail.mail"].search(
            [
                ("model", "=", record._name),
                ("res_id", "=", record.id),
                ("recipient_ids", "in", self.person.ids),
                ("subject", "ilike", subject),
            ]
        )

    def assertSentOnce(self, record, subject):
        mails = self._mails(record, subject)
        self.assertEqual(len(mails), 1, f"{subject}: {mails.mapped('subject')}")
        self.assertEqual(mails.state, "outgoing", "queued, not sent inline")
        return mails

    def test_request_received_then_payment_instructions_then_shares_issued(self):
        request = self._request(self.person, quantity=2)
        received = self.assertSentOnce(request, "we received your subscription request")
        self.assertIn(request.name, received.body_html)
        request._send_lifecycle_mail("received")
        self.assertSentOnce(request, "we received your subscription request")

        request.action_validate()
        payment = self.assertSentOnce(request, "how to pay your shares")
        self.assertIn("FR76 3000 6000 0112 3456 7890 189", payment.body_html)
        self.assertIn(request.invoice_id.payment_reference, payment.body_html)
        self.assertIn("200.00", payment.body_html)
        request._send_lifecycle_mail("payment")
        self.assertSentOnce(request, "how to pay your shares")

        self._pay(request.invoice_id)
        self.assertEqual(request.state, "done")
        issued = self.assertSentOnce(request, "your shares are issued")
        number = self.person.with_company(self.company).telecoop_member_number
        self.assertIn(number, issued.body_html)
        # paying again, or running the hook again, sends nothing more
        request._on_invoice_paid()
        request._issue_shares()
        request._send_lifecycle_mail("issued")
        self.assertSentOnce(request, "your shares are issued")
        self.assertSentOnce(request, "how to pay your shares")
        self.assertSentOnce(request, "we received your subscription request")

    def test_certificate_attached_is_a_pdf(self):
        request = self._request(self.person, quantity=1)
        request.action_validate()
        self.force_pdf_rendering()
        self._pay(request.invoice_id)
        mail = self.assertSentOnce(request, "your shares are issued")
        # rendered by the server that sends the queue, not when the shares are
        # issued (a demo install has no server to serve the PDF's styles)
        self.assertFalse(mail.attachment_ids)
        self.assertTrue(mail.telecoop_certificate_pending)
        self.env["mail.mail"].process_email_queue(email_ids=mail.ids)
        self.assertFalse(mail.telecoop_certificate_pending)
        self.assertEqual(len(mail.attachment_ids), 1)
        attachment = mail.attachment_ids
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertTrue(attachment.raw.startswith(b"%PDF-"))
        self.assertTrue(attachment.name.endswith(".pdf"))
        text = pdf_text(attachment.raw)
        self.assertIn("Alice Mailed", text)
        self.assertIn(self.person.with_company(self.company).telecoop_member_number, text)

    def test_buyback_acknowledged_then_paid(self):
        self._subscribe_paid(self.person, quantity=15)
        buyback = self.env["telecoop.share.buyback"].create(
            {
                "company_id": self.company.id,
                "partner_id": self.person.id,
                "share_class_id": self.share_class.id,
                "quantity": 1,
            }
        )
        self.assertSentOnce(buyback, "we received your buy-back request")
        buyback.action_approve()
        buyback._send_lifecycle_mail("received")
        self.assertSentOnce(buyback, "we received your buy-back request")
        self.assertFalse(self._mails(buyback, "paid back"))
        buyback.action_payout()
        paid = self.assertSentOnce(buyback, "your shares are paid back")
        self.assertIn("100.00", paid.body_html)
        buyback._send_lifecycle_mail("paid")
        self.assertSentOnce(buyback, "your shares are paid back")

    def test_no_mail_without_address_or_when_the_statutes_turn_them_off(self):
        silent = self.env["res.partner"].create({"name": "No Address"})
        request = self._request(silent)
        self.assertFalse(
            self.env["mail.mail"].search(
                [("model", "=", request._name), ("res_id", "=", request.id)]
            )
        )
        self.profile.send_lifecycle_emails = False
        request = self._request(self.person)
        self.assertFalse(self._mails(request, "we received"))
        self.assertFalse(request.mail_received_date)

    def test_french_person_gets_the_french_e_mail(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["telecoop_membership"], ["fr_FR"])
        self.person.lang = "fr_FR"
        request = self._request(self.person)
        mails = self.env["mail.mail"].search(
            [("model", "=", request._name), ("res_id", "=", request.id)]
        )
        self.assertEqual(len(mails), 1)
        self.assertIn("nous avons reçu votre demande de souscription", mails.subject)
        self.assertIn("Bonjour", mails.body_html)
