# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.mail.tests.common import MockEmail

from ..services import ballot_chain
from .common import AgmCommon

# fields of a box entry / a participation row that would tie a member to a ballot
VOTER_FIELDS = {"voter_id", "partner_id", "cast_by_partner_id", "cast_by_user_id", "proxy_id"}
STRUCTURE_FIELDS = {"assembly_id", "resolution_id", "company_id", "college_id", "choice_id"}


@tagged("post_install", "-at_install")
class TestBallotBox(MockEmail, AgmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.assembly = cls._open_assembly()
        cls.accounts, cls.surplus = cls.assembly.resolution_ids

    def _tamper(self, query, *params):
        self.env.flush_all()
        self.env.cr.execute(query, params)
        self.env.invalidate_all()

    def test_chain_verifies_then_sql_change_is_named(self):
        first = self._vote(self.assembly, self.alice, self.accounts, "for")
        second = self._vote(self.assembly, self.bob, self.accounts, "for")
        third = self._vote(self.assembly, self.alice, self.accounts, "against")
        self._vote(self.assembly, self.dan, self.surplus, "reserves")
        self.assertEqual((first.sequence, second.sequence, third.sequence), (1, 2, 3))
        self.assertEqual(second.prev_hash, first.entry_hash)
        self.assertEqual(self.accounts.ballot_head_hash, third.entry_hash)
        result = self.assembly._verify_ballot_box()
        self.assertEqual((result["ok"], result["entries"]), (True, 4))
        # someone with database access turns Bob's ballot into a vote against
        self._tamper(
            "UPDATE telecoop_ballot SET choice_id = %s WHERE id = %s",
            self._choice(self.accounts, "against").id,
            second.id,
        )
        result = self.assembly._verify_ballot_box()
        self.assertFalse(result["ok"])
        self.assertEqual((result["resolution"], result["sequence"]), (self.accounts, 2))
        self.assertIn("Accounts, entry 2", result["problem"])
        action = self.assembly.action_verify_ballot_box()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("entry 2", self.assembly.message_ids[0].body)
        lines = self.env["telecoop.assembly"].verify_ballot_boxes(self.assembly.ids)
        self.assertIn("entry 2", lines[0])
        # the server action of the list, as a staff user, on two assemblies
        other = self._open_assembly()
        self._vote(other, self.alice, other.resolution_ids[0], "for")
        action = self.env.ref("telecoop_agm.telecoop_assembly_action_verify_ballot_boxes")
        result = (
            action.with_user(self.agm_user)
            .with_context(active_model="telecoop.assembly", active_ids=(self.assembly | other).ids)
            .run()
        )
        self.assertEqual(result["params"]["type"], "danger")
        self.assertIn("verified (entries: 1)", result["params"]["message"])
        self.assertIn("Accounts, entry 2", result["params"]["message"])

    def test_sql_delete_is_detected(self):
        ballots = [
            self._vote(self.assembly, partner, self.accounts, "for")
            for partner in (self.alice, self.bob, self.carol)
        ]
        self.assertTrue(self.assembly.action_verify_ballot_box()["params"]["type"] == "success")
        self._tamper("DELETE FROM telecoop_ballot WHERE id = %s", ballots[1].id)
        result = self.assembly._verify_ballot_box()
        self.assertEqual((result["ok"], result["sequence"]), (False, 2))
        self.assertIn("missing", result["problem"])
        # the last entry removed too, and the others renumbered: still seen
        self._tamper("DELETE FROM telecoop_ballot WHERE id = %s", ballots[2].id)
        self._tamper("UPDATE telecoop_ballot SET sequence = 1 WHERE id = %s", ballots[0].id)
        result = self.assembly._verify_ballot_box()
        self.assertFalse(result["ok"])
        self.assertIn("removed", result["problem"])

    def test_head_logged_at_closing(self):
        ballot = self._vote(self.assembly, self.alice, self.accounts, "for")
        self.assembly.action_close()
        self.assertIn(ballot.entry_hash, self.assembly.message_ids[0].body)
        self.assembly.action_tally()
        # the count and the head in the minutes' PDF:
        # test_portal_http.test_minutes_pdf_printed_by_staff_with_the_attendance_sheet

    def test_receipt_stored_as_hash_and_mailed(self):
        with self.mock_mail_gateway():
            first = self._vote(self.assembly, self.alice, self.accounts, "for")
            receipt = first.env.context["telecoop_receipt"]
            stored = str(first.sudo().read()[0])
            self.assertNotIn(receipt, stored)
            # attack: the receipt is neither stored nor queued in clear, in any table
            self.env.flush_all()
            self.assertFalse(self.env["mail.mail"].sudo().search([("body_html", "like", receipt)]))
            self.assertFalse(self.env["mail.message"].sudo().search([("body", "like", receipt)]))
            # the message is built in memory and handed to the mail server after the commit
            self.assertEqual(self.send_email_mocked.call_count, 0)
            self.env.cr.postcommit.run()
            self.assertEqual(self.send_email_mocked.call_count, 1)
            sent = [mail for mail in self._mails if receipt in mail["body"]]
            self.assertEqual(len(sent), 1)
            self.assertEqual(sent[0]["email_to"], [self.alice.email_formatted])
            self.assertNotIn(">For<", sent[0]["body"])
        self.assertEqual(self.assembly._check_receipt(receipt), "recorded")
        second = self._vote(self.assembly, self.alice, self.accounts, "against")
        self.assertEqual(self.assembly._check_receipt(receipt), "replaced")
        self.assembly.action_close()
        self.assertEqual(
            self.assembly._check_receipt(second.env.context["telecoop_receipt"]), "counted"
        )
        self.assertEqual(self.assembly._check_receipt("not-a-receipt"), "not_found")
        self.assertEqual(self.assembly._check_receipt(""), "not_found")
        # a receipt of another assembly is not found in this one
        other = self._open_assembly()
        other_ballot = self._vote(other, self.bob, other.resolution_ids[0], "for")
        self.assertEqual(
            self.assembly._check_receipt(other_ballot.env.context["telecoop_receipt"]),
            "not_found",
        )


@tagged("post_install", "-at_install")
class TestSecretVote(AgmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.assembly = cls._create_assembly(
            resolution_ids=[
                Command.create({"name": "Public", "sequence": 1}),
                Command.create({"name": "Board election", "sequence": 2, "secret": True}),
            ]
        )
        cls.assembly.action_convene()
        cls.assembly.action_open()
        cls.public, cls.secret = cls.assembly.resolution_ids.sorted("sequence")
        # every role of the addon and of its dependencies that could open the boxes,
        # with whether it may read them: staff of the assemblies read the boxes (and
        # must still not link a member to a secret choice), any other staff is
        # refused. Each user is created here: a missing group fails the set-up.
        # (telecoop_agm does not depend on the billing addon; its groups imply the
        # membership user, tried here.)
        company_args = {"company_id": cls.company.id, "company_ids": cls.company.ids}
        cls.users = {
            "agm_user": (cls.agm_user, True),
            "agm_manager": (cls.agm_manager, True),
            "membership_user": (cls.membership_user, False),
            "membership_manager": (cls.membership_manager, False),
        }
        for name, group in (
            ("internal", "base.group_user"),
            ("accountant", "account.group_account_manager"),
        ):
            cls.env.ref(group)  # raises if the group is missing
            cls.users[name] = (
                new_test_user(
                    cls.env,
                    login=f"tc_secret_{name}",
                    groups=f"base.group_user,{group}",
                    **company_args,
                ),
                False,
            )

    def _cast_all(self):
        """Alice for, Bob against then for, Dan against in the room, Erin by proxy."""
        receipt = self._vote(self.assembly, self.alice, self.secret, "for").env.context[
            "telecoop_receipt"
        ]
        self._vote(self.assembly, self.bob, self.secret, "against")
        self._vote(self.assembly, self.bob, self.secret, "for")
        self._vote(self.assembly, self.alice, self.public, "for")
        dan = self._voter(self.assembly, self.dan)
        dan.present = True
        self.env["telecoop.ballot.entry"].with_user(self.agm_user).create(
            {
                "assembly_id": self.assembly.id,
                "resolution_id": self.secret.id,
                "voter_id": dan.id,
                "choice_id": self._choice(self.secret, "against").id,
            }
        ).action_cast()
        self.assembly._portal_give_proxy(self.erin, self.frank.telecoop_member_number)
        self._vote(
            self.assembly,
            self.frank,
            self.secret,
            "for",
            voter=self._voter(self.assembly, self.erin),
        )
        return receipt

    def test_staff_cannot_look_up_a_receipt_or_a_key(self):
        """Attack: a member shows staff their receipt (or staff read it over their
        shoulder); staff search the secret box by its hash, or sort the entries by voter
        key or receipt hash to line them up with the participation. Odoo refuses a search,
        an order or a grouping on a field of a group the user lacks (system only here)."""
        digest = ballot_chain.receipt_hash(self._cast_all())
        self.assembly.action_close()
        for name in ("agm_user", "agm_manager"):
            user = self.users[name][0]
            for model in ("telecoop.ballot.secret", "telecoop.ballot.participation"):
                Box = self.env[model].with_user(user)
                fields = ("receipt_hash", "voter_key") if "secret" in model else ("voted_at",)
                for field in fields:
                    with self.subTest(user=name, model=model, field=field):
                        with self.assertRaises(AccessError):
                            Box.search_count([(field, "!=", False)])
                        with self.assertRaises(AccessError):
                            Box.search([], order=field)
                        with self.assertRaises(AccessError):
                            Box.read_group([], [field], [field])
        # the system administrator finds it: the one role that can link (readme)
        self.assertEqual(
            self.env["telecoop.ballot.secret"].search_count([("receipt_hash", "=", digest)]), 1
        )

    def test_staff_cannot_link_voter_and_choice(self):
        receipt = self._cast_all()
        self.env.flush_all()
        # while the vote is open, the secret choices are in the sealed urn, not in a table
        # any user reads
        self.assertFalse(
            self.env["telecoop.ballot.secret"].search([("resolution_id", "=", self.secret.id)])
        )
        self.assembly.action_close()
        self.env.flush_all()
        voters = self.assembly.voter_ids
        # ids compared per model: a college id may equal a choice id by chance
        linked_ids = {
            "telecoop.assembly.voter": set(voters.ids),
            "res.partner": set(voters.partner_id.ids),
            "res.users": set(voters.partner_id.user_ids.ids),
        }
        Secret = self.env["telecoop.ballot.secret"]
        Participation = self.env["telecoop.ballot.participation"]
        choice_ids = set(self.secret.choice_ids.ids)
        checked = 0
        for name, (user, allowed) in self.users.items():
            rows = {}
            for model in (
                "telecoop.ballot",
                "telecoop.ballot.secret",
                "telecoop.ballot.participation",
            ):
                records = self.env[model].with_user(user)
                domain = [("resolution_id", "=", self.secret.id)]
                if not allowed:
                    with self.assertRaises(AccessError, msg=f"{name}: {model}"):
                        records.search_read(domain)
                    rows[model] = []
                    continue
                rows[model] = records.search_read(domain)
                # the boxes are not empty for the staff who read them: what follows checks rows
                if model != "telecoop.ballot":
                    self.assertTrue(rows[model], f"{name}: {model}")
            # a secret vote writes nothing in the public box
            self.assertFalse(rows["telecoop.ballot"], name)
            entries = rows["telecoop.ballot.secret"]
            for entry in entries:
                checked += 1
                self.assertTrue(entry["choice_id"], name)
                # nothing of a member on a secret entry, nor a time or key to match
                for field in VOTER_FIELDS | {"channel", "cast_at"}:
                    self.assertFalse(entry.get(field), f"{name}: {field}")
                self.assertNotIn("voter_key", entry)
                # with a member's receipt, staff cannot look up its entry
                self.assertNotIn("receipt_hash", entry)
                self.assertNotIn("sealed_at", entry)
                # no other relation of the entry points to a member or a member's user
                for field, value in entry.items():
                    if field in STRUCTURE_FIELDS or not isinstance(value, (list, tuple)):
                        continue
                    linked = linked_ids.get(Secret._fields[field].comodel_name, set())
                    self.assertFalse(value and value[0] in linked, f"{name}: {field}")
            for row in rows["telecoop.ballot.participation"]:
                checked += 1
                self.assertNotIn("voted_at", row)
                for field, value in row.items():
                    if field in ("id", "assembly_id", "resolution_id", "company_id", "voted"):
                        continue
                    comodel = Participation._fields[field].comodel_name
                    if comodel == "telecoop.resolution.choice" and value:
                        self.assertNotIn(value[0], choice_ids, f"{name}: {field}")
            # the only values shared by an entry and a participation row are the
            # assembly, the resolution and the college
            for entry in entries:
                for row in rows["telecoop.ballot.participation"]:
                    shared = {
                        field
                        for field in set(entry) & set(row)
                        if entry[field] and entry[field] == row[field]
                    }
                    self.assertLessEqual(
                        shared,
                        {"assembly_id", "resolution_id", "company_id", "college_id"},
                        name,
                    )
            # the receipt e-mails are not readable by staff either
            messages = self.env["mail.message"].with_user(user).search([("body", "ilike", receipt)])
            self.assertFalse(messages, name)
        self.assertGreater(checked, 0)
        # the back-office views of the boxes open for staff (restricted fields left out)
        for model in ("telecoop.ballot", "telecoop.ballot.secret", "telecoop.ballot.participation"):
            views = self.env[model].with_user(self.agm_user).get_views([(False, "list")])
            self.assertNotIn("receipt_hash", views["views"]["list"]["arch"])
            self.assertNotIn("voter_key", views["views"]["list"]["arch"])
        # participation is visible: who voted, not what
        Participation = self.env["telecoop.ballot.participation"].with_user(self.agm_user)
        voted = Participation.search([("resolution_id", "=", self.secret.id), ("voted", "=", True)])
        self.assertEqual(voted.partner_id, self.alice | self.bob | self.dan | self.erin)
        # a public resolution keeps the member on the ballot for staff
        public = (
            self.env["telecoop.ballot"]
            .with_user(self.agm_user)
            .search([("resolution_id", "=", self.public.id)])
        )
        self.assertEqual(public.partner_id, self.alice)
        # the secret box holds the last choice of each voter, shuffled in at closing
        secret = self.env["telecoop.ballot.secret"].search([("resolution_id", "=", self.secret.id)])
        self.assertEqual(len(secret), 4)
        self.assertEqual(secret.sorted("sequence").mapped("sequence"), [1, 2, 3, 4])

    def test_the_room_entry_form_keeps_no_secret_choice(self):
        """Attack as an assembly user over RPC: the form that enters a room ballot is a
        stored record (member, resolution, choice), readable by every assembly user and
        kept until the vacuum. Before: after the agm user entered Dan's secret ballot, the
        agm manager read "Dan: against" with one search_read of telecoop.ballot.entry.
        Now a form is readable by the user who fills it only, and it is gone once cast."""
        dan = self._voter(self.assembly, self.dan)
        dan.present = True
        Entry = self.env["telecoop.ballot.entry"]
        entry = Entry.with_user(self.agm_user).create(
            {
                "assembly_id": self.assembly.id,
                "resolution_id": self.secret.id,
                "voter_id": dan.id,
                "choice_id": self._choice(self.secret, "against").id,
            }
        )
        # filled, not yet cast: another assembly user reads nothing of it
        for user in (self.agm_manager, self.users["internal"][0]):
            with self.subTest(user=user.login):
                try:
                    rows = Entry.with_user(user).search_read([], ["voter_id", "choice_id"])
                except AccessError:
                    rows = []
                self.assertFalse(rows)
                with self.assertRaises(AccessError):
                    entry.with_user(user).read(["choice_id"])
        entry.action_cast()
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT count(*) FROM telecoop_ballot_entry WHERE voter_id = %s", [dan.id]
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.assertEqual(self.env["telecoop.ballot.participation"].search(
            [("resolution_id", "=", self.secret.id), ("voter_id", "=", dan.id)]
        ).mapped("voted"), [True])  # fmt: skip

    def test_secret_tally_and_portal(self):
        receipt = self._cast_all()
        # the member sees their own current choice on the portal
        situation = self.assembly._portal_get_situation(self.bob)
        bob = self._voter(self.assembly, self.bob)
        self.assertEqual(situation["current_ballots"][(bob.id, self.secret.id)].code, "for")
        self.assembly.action_close()
        self.assembly.action_tally()
        # users (40): Alice for, Bob for (his last ballot); employees (20): Dan against;
        # founders (20): Erin for by proxy -> for 40 + 20 = 60 of 80 expressed weight
        self.assertEqual((self.secret.result_counted, self.secret.result_expressed), (4, 4))
        self.assertEqual(self.secret.result_state, "adopted")
        table = self.secret._get_result_table()
        self.assertEqual(table["weighted"][self._choice(self.secret, "for").id][1], 75.0)
        self.assertTrue(self.assembly._verify_ballot_box()["ok"])
        # the quorum counts the secret participation
        self.assertEqual(self.assembly.participant_count, 4)
        self.assertEqual(self.assembly._check_receipt(receipt), "counted")
        # the secret box is chained too: a choice changed in SQL is named
        self.env.flush_all()
        for_, against = (self._choice(self.secret, code).id for code in ("for", "against"))
        self.env.cr.execute(
            "UPDATE telecoop_ballot_secret"
            "   SET choice_id = CASE WHEN choice_id = %s THEN %s ELSE %s END"
            " WHERE resolution_id = %s AND sequence = 4",
            (for_, against, for_, self.secret.id),
        )
        result = self.assembly._verify_ballot_box()
        self.assertEqual((result["ok"], result["resolution"], result["sequence"]),
                         (False, self.secret, 4))  # fmt: skip
        self.assertEqual(self.assembly._check_receipt(receipt), "damaged")
