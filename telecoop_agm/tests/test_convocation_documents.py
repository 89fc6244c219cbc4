# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Documents sent with the convocation, the bureau in the minutes, ballots in the room."""

import re
from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.telecoop_membership.tests.pdf import PdfRouteMixin

from .common import AgmCommon


@tagged("post_install", "-at_install")
class TestConvocationDocuments(PdfRouteMixin, HttpCase, AgmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_args = {"company_id": cls.company.id, "company_ids": cls.company.ids}
        for partner, login in ((cls.alice, "alice"), (cls.late, "late")):
            new_test_user(
                cls.env,
                login=f"tc_doc_{login}",
                password=f"tc_doc_{login}_pw",
                groups="base.group_portal",
                partner_id=partner.id,
                **company_args,
            )
        # a portal contact of our cooperative who holds no share
        new_test_user(
            cls.env,
            login="tc_doc_outsider",
            password="tc_doc_outsider_pw",
            groups="base.group_portal",
            **company_args,
        )
        # a member of another cooperative of the same database
        cls.other = other = cls.env["res.company"].create({"name": "Other Coop SCIC"})
        olga = cls.env["res.partner"].create({"name": "Olga", "email": "olga@example.com"})
        cls.env["telecoop.membership"].sudo().create(
            {
                "partner_id": olga.id,
                "company_id": other.id,
                "state": "member",
                "member_number": "O000001",
            }
        )
        new_test_user(
            cls.env,
            login="tc_doc_olga",
            password="tc_doc_olga_pw",
            groups="base.group_portal",
            partner_id=olga.id,
            company_id=other.id,
            company_ids=other.ids,
        )
        Attachment = cls.env["ir.attachment"]
        cls.accounts_doc = Attachment.create(
            {"name": "comptes-annuels-2025.pdf", "raw": b"%PDF-1.4 annual accounts 2025"}
        )
        cls.report_doc = Attachment.create(
            {"name": "rapport-de-gestion-2025.txt", "raw": b"Management report 2025"}
        )
        cls.assembly = cls._create_assembly(
            name="AGO with documents",
            document_ids=(cls.accounts_doc | cls.report_doc).ids,
        )
        # an attachment of the chatter, not sent with the convocation
        cls.chatter_doc = Attachment.create(
            {
                "name": "internal-note.txt",
                "raw": b"staff only",
                "res_model": "telecoop.assembly",
                "res_id": cls.assembly.id,
            }
        )
        cls.attachments_before = Attachment.search_count([])
        cls.assembly.action_convene()

    def _login(self, who):
        self.authenticate(f"tc_doc_{who}", f"tc_doc_{who}_pw")

    def _document_url(self, document):
        return f"/my/assemblies/{self.assembly.id}/documents/{document.id}"

    # the e-mail ------------------------------------------------------------
    def test_documents_attached_once_to_each_convocation(self):
        documents = self.accounts_doc | self.report_doc
        # uploaded loose, they now belong to the assembly
        self.assertEqual(set(documents.mapped("res_model")), {"telecoop.assembly"})
        self.assertEqual(set(documents.mapped("res_id")), {self.assembly.id})
        template = self.env.ref("telecoop_agm.mail_template_assembly_convocation")
        voters = self.assembly.voter_ids.filtered(lambda v: v.partner_id.email)
        mails = self.env["mail.mail"].search(
            [("model", "=", "telecoop.assembly.voter"), ("res_id", "in", voters.ids)]
        )
        # one e-mail per member of the electorate with an address: Alice, Bob, Carol,
        # Dan and Frank (Erin has none, Late joined after the record date)
        self.assertEqual(len(mails), 5)
        self.assertEqual(sorted(mails.mapped("res_id")), sorted(voters.ids))
        for mail in mails:
            self.assertEqual(mail.attachment_ids, documents, mail.email_to)
            self.assertIn("comptes-annuels-2025.pdf", mail.body_html)
        # the same two documents are linked, never copied per e-mail
        self.assertEqual(self.env["ir.attachment"].search_count([]), self.attachments_before)
        self.assertTrue(template)

    # frozen at the convocation ---------------------------------------------
    def test_documents_frozen_at_convocation(self):
        with self.assertRaises(UserError):
            self.assembly.document_ids = [(3, self.report_doc.id)]
        with self.assertRaises(UserError):
            self.accounts_doc.unlink()
        with self.assertRaises(UserError):
            self.accounts_doc.raw = b"other accounts"
        with self.assertRaises(UserError):
            self.accounts_doc.write({"res_model": "res.partner", "res_id": self.alice.id})
        # rewriting the same bytes (a move between storages) is no change
        self.accounts_doc.raw = b"%PDF-1.4 annual accounts 2025"
        self.assertEqual(self.accounts_doc.raw, b"%PDF-1.4 annual accounts 2025")
        # a draft assembly's documents are still the staff's to change
        draft_doc = self.env["ir.attachment"].create({"name": "draft.txt", "raw": b"draft"})
        draft = self._create_assembly(name="Draft AGE", document_ids=draft_doc.ids)
        draft_doc.raw = b"draft, second version"
        draft.document_ids = False
        draft_doc.unlink()

    def test_document_of_another_record_refused(self):
        foreign = self.env["ir.attachment"].create(
            {
                "name": "partner.txt",
                "raw": b"x",
                "res_model": "res.partner",
                "res_id": self.alice.id,
            }
        )
        with self.assertRaises(ValidationError):
            self._create_assembly(name="AGE", document_ids=foreign.ids)

    def test_loose_file_of_another_user_refused(self):
        """Attack as an assembly user: take the id of a file another user uploaded and did
        not attach to any record yet (here staff of another cooperative) and list it in the
        documents of a draft assembly, to have it bound to the assembly, mailed to the
        electorate and served on the portal. Refused by Odoo's own check of the linked
        attachments (only its creator reads a loose file): no defect, guarded here."""
        other_staff = new_test_user(
            self.env, login="tc_doc_other_staff", groups="base.group_user",
            company_id=self.other.id, company_ids=self.other.ids,
        )  # fmt: skip
        secret = (
            self.env["ir.attachment"]
            .with_user(other_staff)
            .with_context(allowed_company_ids=self.other.ids)
            .create({"name": "payroll.txt", "raw": b"other coop payroll"})
        )
        vals = {
            "name": "AGE with a stolen file",
            "company_id": self.company.id,
            "date": self.now + timedelta(days=1),
            "record_date": "2026-02-01",
            "vote_start": self.now - timedelta(days=1),
            "vote_end": self.now + timedelta(days=1),
            "document_ids": secret.ids,
        }
        with self.assertRaises(AccessError):
            self.env["telecoop.assembly"].with_user(self.agm_user).create(vals)
        self.assertEqual((secret.sudo().res_model, secret.sudo().res_id), (False, 0))
        # the user's own upload is bound as before
        own = self.env["ir.attachment"].with_user(self.agm_user).create({"name": "own.txt"})
        assembly = (
            self.env["telecoop.assembly"]
            .with_user(self.agm_user)
            .create(dict(vals, document_ids=own.ids))
        )
        self.assertEqual(own.sudo().res_id, assembly.id)

    # the portal -------------------------------------------------------------
    def test_electorate_downloads_the_documents(self):
        self._login("alice")
        page = self.url_open(f"/my/assemblies/{self.assembly.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Documents of the convocation", page.text)
        links = re.findall(rf'href="(/my/assemblies/{self.assembly.id}/documents/\d+)"', page.text)
        self.assertEqual(
            sorted(links),
            sorted([self._document_url(self.accounts_doc), self._document_url(self.report_doc)]),
        )
        self.assertNotIn("internal-note.txt", page.text)
        response = self.url_open(self._document_url(self.accounts_doc))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"%PDF-1.4 annual accounts 2025")
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertIn("comptes-annuels-2025.pdf", response.headers["Content-Disposition"])
        # an attachment of the assembly that was not sent with the convocation
        response = self.url_open(self._document_url(self.chatter_doc))
        self.assertEqual(response.status_code, 404)
        # a document of no convocation, through the convocation's address
        response = self.url_open(f"/my/assemblies/{self.assembly.id}/documents/999999999")
        self.assertEqual(response.status_code, 404)

    def test_outside_the_electorate_gets_404(self):
        url = self._document_url(self.accounts_doc)
        # an anonymous visitor
        self.assertEqual(self.url_open(url, allow_redirects=False).status_code, 404)
        for who in ("late", "outsider", "olga"):
            with self.subTest(who=who):
                self._login(who)
                response = self.url_open(url, allow_redirects=False)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(b"annual accounts", response.content)
        # a member of our cooperative outside the electorate reads the page without them
        self._login("late")
        page = self.url_open(f"/my/assemblies/{self.assembly.id}")
        self.assertNotIn("comptes-annuels-2025.pdf", page.text)

    # the bureau ---------------------------------------------------------------
    def test_bureau_members_only_and_one_role_each(self):
        outsider = self.env["res.partner"].create({"name": "Not A Member"})
        with self.assertRaises(ValidationError):
            self.assembly.president_id = outsider
        with self.assertRaises(ValidationError):
            self.assembly.write({"president_id": self.alice.id, "secretary_id": self.alice.id})
        with self.assertRaises(ValidationError):
            self.assembly.write(
                {"president_id": self.alice.id, "scrutineer_ids": [(6, 0, self.alice.ids)]}
            )

    def test_bureau_printed_in_the_minutes_and_frozen_when_closed(self):
        # set before the meeting, changed while the vote is open
        self.assembly.write(
            {
                "president_id": self.carol.id,
                "secretary_id": self.dan.id,
                "scrutineer_ids": [(6, 0, (self.frank | self.bob).ids)],
            }
        )
        self.assembly.action_open()
        self.assembly.secretary_id = self.erin
        self.assembly.action_close()
        with self.assertRaises(UserError):
            self.assembly.president_id = self.alice
        with self.assertRaises(UserError):
            self.assembly.scrutineer_ids = [(6, 0, self.alice.ids)]
        self.assembly.action_tally()
        self._login("alice")
        text = self.download_pdf(f"/my/assemblies/{self.assembly.id}?report_type=pdf&download=true")
        flat = " ".join(text.split())
        self.assertIn("Bureau of the meeting", flat)
        self.assertIn("President Carol", flat)
        self.assertIn("Secretary Erin", flat)
        self.assertRegex(flat, r"Scrutineers (Bob, Frank|Frank, Bob)")
        self.assertNotIn("Dan", flat.split("Attendance and quorum")[0])


@tagged("post_install", "-at_install")
class TestRoomBallotEntry(AgmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.assembly = cls._open_assembly()
        cls.accounts = cls.assembly.resolution_ids[0]

    def test_member_list_offers_only_who_votes_in_the_room(self):
        Voter = self.env["telecoop.assembly.voter"].with_user(self.agm_user)
        electorate = [("assembly_id", "=", self.assembly.id)]
        offered = Voter.search(electorate + [("room_eligible", "=", True)])
        self.assertFalse(offered, "nobody signed the attendance sheet yet")
        dan = self._voter(self.assembly, self.dan)
        dan.with_user(self.agm_user).present = True
        # Erin gives her proxy to Dan, who is in the room; Bob gives his to Carol, absent
        self.assembly._portal_give_proxy(self.erin, self.dan.telecoop_member_number)
        self.assembly._portal_give_proxy(self.bob, self.carol.telecoop_member_number)
        offered = Voter.search(electorate + [("room_eligible", "=", True)])
        self.assertEqual(offered.partner_id, self.dan | self.erin)
        others = Voter.search(electorate + [("room_eligible", "=", False)])
        self.assertEqual(others.partner_id, self.alice | self.bob | self.carol | self.frank)
        self.assertTrue(dan.room_eligible)
        self.assertFalse(self._voter(self.assembly, self.bob).room_eligible)

    def test_absent_member_refused_before_casting_and_cast_notified(self):
        Entry = self.env["telecoop.ballot.entry"].with_user(self.agm_user)
        alice = self._voter(self.assembly, self.alice)
        vals = {
            "assembly_id": self.assembly.id,
            "resolution_id": self.accounts.id,
            "voter_id": alice.id,
            "choice_id": self._choice(self.accounts, "for").id,
        }
        # refused when the form is saved, before the cast button
        with self.assertRaises(ValidationError):
            Entry.create(vals)
        self.assertFalse(self.accounts.ballot_ids)
        alice.with_user(self.agm_user).present = True
        action = Entry.create(vals).action_cast()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("Alice", action["params"]["message"])
        self.assertIn("Accounts", action["params"]["message"])
        self.assertEqual(action["params"]["next"]["res_model"], "telecoop.ballot.entry")
        self.assertEqual(len(self.accounts.ballot_ids), 1)
