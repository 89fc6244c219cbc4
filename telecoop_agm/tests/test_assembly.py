# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import AgmCommon


@tagged("post_install", "-at_install")
class TestAssembly(AgmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.assembly = cls._open_assembly()
        cls.accounts, cls.surplus = cls.assembly.resolution_ids

    def test_electorate_frozen_at_record_date(self):
        voters = self.assembly.voter_ids
        self.assertEqual(
            voters.partner_id,
            self.alice | self.bob | self.carol | self.dan | self.erin | self.frank,
        )
        dan = self._voter(self.assembly, self.dan)
        self.assertEqual((dan.college_id, dan.college_weight), (self.college_employees, 20))
        # one member one vote: Alice's 10 shares give one row
        self.assertEqual(len(self._voter(self.assembly, self.alice)), 1)
        # later movements: Bob sells all his shares, a newcomer joins
        self.env["telecoop.share.line"].create(
            {
                "company_id": self.company.id,
                "partner_id": self.bob.id,
                "share_class_id": self.share_class.id,
                "college_id": self.college_users.id,
                "date": fields.Date.to_date("2026-02-10"),
                "movement_type": "buyback",
                "quantity": -1,
                "amount": -100,
            }
        )
        self._create_member("Newcomer", date="2026-02-15")
        self.assembly.invalidate_recordset()
        self.assertEqual(self.assembly.voter_ids, voters)
        with self.assertRaises(UserError):
            self._voter(self.assembly, self.bob).college_id = self.college_founders

    def test_no_convocation_before_the_record_date(self):
        """Attack as the assembly administrator: a record date after today. Before, the
        electorate was frozen from the register as it stood at the convocation, not at the
        end of the record date: a member admitted before the record date was left out, one
        who left before it kept in. Now the convocation waits for the record date."""
        later = fields.Date.context_today(self.env.user) + timedelta(days=10)
        assembly = self._create_assembly(record_date=later)
        with self.assertRaisesRegex(UserError, "AGO 2026: its record date, .*, has not come"):
            assembly.action_convene()
        self.assertEqual((assembly.state, len(assembly.voter_ids)), ("draft", 0))
        assembly.record_date = fields.Date.context_today(self.env.user)
        assembly.action_convene()
        self.assertEqual(assembly.state, "convened")

    def test_convocation_queued_and_logged(self):
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "telecoop.assembly.voter"),
                ("res_id", "in", self.assembly.voter_ids.ids),
            ]
        )
        # Erin has no e-mail address
        self.assertEqual(mails.recipient_ids, self.assembly.voter_ids.partner_id - self.erin)
        self.assertTrue(all("Accounts" in mail.body_html for mail in mails))
        self.assertEqual(mails.mapped("state"), ["outgoing"] * 5)
        self.assertIn("5 of the 6", self.assembly.message_ids[0].body)

    def test_last_ballot_counts(self):
        first = self._vote(self.assembly, self.alice, self.accounts, "for")
        second = self._vote(self.assembly, self.alice, self.accounts, "against")
        self.assertNotEqual(first.receipt_hash, second.receipt_hash)
        self._vote(self.assembly, self.bob, self.accounts, "against")
        self.assembly.action_close()
        self.assembly.action_tally()
        self.assertEqual(self.accounts.result_counted, 2)
        self.assertEqual(self.accounts.result_state, "rejected")
        # every ballot is kept in the box, untouched
        self.assertEqual(len(self.accounts.ballot_ids), 3)
        self.assertEqual(first.choice_id.code, "for")

    def test_ballots_are_insert_only(self):
        ballot = self._vote(self.assembly, self.alice, self.accounts, "for")
        with self.assertRaises(UserError):
            ballot.choice_id = self._choice(self.accounts, "against")
        with self.assertRaises(UserError):
            ballot.unlink()
        with self.assertRaises(UserError):
            self.env["telecoop.ballot"].create(
                {
                    "assembly_id": self.assembly.id,
                    "resolution_id": self.accounts.id,
                    "voter_id": self._voter(self.assembly, self.bob).id,
                    "choice_id": self._choice(self.accounts, "for").id,
                    "channel": "online",
                    "cast_at": self.now,
                }
            )

    def test_nothing_cast_at_or_after_closing_second(self):
        now = self.assembly._voting_now()
        # the closing instant is now, to the second: refused
        self._move_window(self.assembly, vote_end=now)
        with self.assertRaises(UserError):
            self._vote(self.assembly, self.alice, self.accounts, "for")
        # one second later: the last accepted second
        self._move_window(self.assembly, vote_end=now + timedelta(seconds=1))
        ballot = self._vote(self.assembly, self.alice, self.accounts, "for")
        self.assertEqual(ballot.cast_at, now)
        # not yet open
        self._move_window(
            self.assembly, vote_start=now + timedelta(seconds=1), vote_end=now + timedelta(days=1)
        )
        with self.assertRaises(UserError):
            self._vote(self.assembly, self.alice, self.accounts, "for")
        self._move_window(self.assembly, vote_start=now - timedelta(hours=1))
        self.assembly.action_close()
        self.assertEqual(self.assembly.vote_end, now)
        with self.assertRaises(UserError):
            self._vote(self.assembly, self.bob, self.accounts, "for")

    def test_votes_close_by_themselves_at_the_end_of_the_window(self):
        now = self.assembly._voting_now()
        later = self._open_assembly()
        self._move_window(self.assembly, vote_end=now)
        closed = self.env["telecoop.assembly"]._cron_close_ended_votes()
        self.assertIn(self.assembly, closed)
        self.assertNotIn(later, closed)
        self.assertEqual((self.assembly.state, later.state), ("closed", "open"))
        self.assertEqual(self.assembly.vote_end, now)
        self.assertIn("Vote closed", self.assembly.message_ids[0].body)
        self.assertTrue(self.env.ref("telecoop_agm.ir_cron_telecoop_assembly_close").active)

    def test_proxy_rules(self):
        giver, holder = (self._voter(self.assembly, p) for p in (self.bob, self.alice))
        self.assembly._portal_give_proxy(self.bob, self.alice.telecoop_member_number)
        # nobody votes for someone who did not give them a proxy
        with self.assertRaises(UserError):
            self._vote(self.assembly, self.carol, self.accounts, "for", voter=giver)
        # the giver does not vote while the proxy is active
        with self.assertRaises(UserError):
            self._vote(self.assembly, self.bob, self.accounts, "for")
        ballot = self._vote(self.assembly, self.alice, self.accounts, "against", voter=giver)
        self.assertEqual((ballot.voter_id, ballot.channel), (giver, "proxy"))
        self.assertEqual(ballot.cast_by_partner_id, self.alice)
        # the holder has voted with it: it cannot be withdrawn any more
        with self.assertRaises(UserError):
            self.assembly._portal_withdraw_proxy(self.bob)
        # cap of 2 per holder
        self.assembly._portal_give_proxy(self.carol, self.alice.telecoop_member_number)
        with self.assertRaises(ValidationError):
            self.assembly._portal_give_proxy(self.dan, self.alice.telecoop_member_number)
        # no chain: Alice holds proxies, she cannot give one
        with self.assertRaises(ValidationError):
            self.assembly._portal_give_proxy(self.alice, self.frank.telecoop_member_number)
        # a member outside the electorate can neither hold nor give a proxy
        with self.assertRaises(UserError):
            self.assembly._portal_give_proxy(self.frank, self.late.telecoop_member_number)
        with self.assertRaises(UserError):
            self.assembly._portal_give_proxy(self.late, self.frank.telecoop_member_number)
        other = self._open_assembly()
        with self.assertRaises(ValidationError):
            self.env["telecoop.assembly.proxy"].create(
                {
                    "assembly_id": self.assembly.id,
                    "giver_id": self._voter(self.assembly, self.frank).id,
                    "holder_id": self._voter(other, self.dan).id,
                }
            )
        self.assertEqual(holder.assembly_id, self.assembly)

    def test_proxy_withdrawn_before_the_vote(self):
        proxy = self.assembly._portal_give_proxy(self.bob, self.alice.telecoop_member_number)
        self.assembly._portal_withdraw_proxy(self.bob)
        self.assertEqual(proxy.state, "withdrawn")
        with self.assertRaises(UserError):
            self._vote(
                self.assembly,
                self.alice,
                self.accounts,
                "for",
                voter=self._voter(self.assembly, self.bob),
            )
        # Bob votes himself again
        self.assertEqual(
            self._vote(self.assembly, self.bob, self.accounts, "for").channel, "online"
        )

    def test_room_ballots_need_attendance(self):
        dan = self._voter(self.assembly, self.dan)
        Entry = self.env["telecoop.ballot.entry"].with_user(self.agm_user)
        vals = {
            "assembly_id": self.assembly.id,
            "resolution_id": self.accounts.id,
            "voter_id": dan.id,
            "choice_id": self._choice(self.accounts, "for").id,
        }
        with self.assertRaises(UserError):
            Entry.create(vals).action_cast()
        dan.with_user(self.agm_user).present = True
        Entry.create(vals).action_cast()
        ballot = self.accounts.ballot_ids
        self.assertEqual((ballot.channel, ballot.cast_by_user_id), ("room", self.agm_user))
        # a proxy given to a member present in the room is used by staff for the giver
        self.assembly._portal_give_proxy(self.erin, self.dan.telecoop_member_number)
        erin = self._voter(self.assembly, self.erin)
        Entry.create(dict(vals, voter_id=erin.id)).action_cast()
        last = self.env["telecoop.ballot"].search([("voter_id", "=", erin.id)])
        self.assertEqual((last.channel, last.cast_by_partner_id), ("proxy", self.dan))

    def test_quorum_and_weighted_tally(self):
        # users: Alice for, Bob against, Carol abstains ; employees: Dan for ;
        # founders: nobody ; partners: Frank against
        self._vote(self.assembly, self.alice, self.accounts, "for")
        self._vote(self.assembly, self.bob, self.accounts, "against")
        self._vote(self.assembly, self.carol, self.accounts, "abstain")
        self._vote(self.assembly, self.dan, self.accounts, "for")
        self._vote(self.assembly, self.frank, self.accounts, "against")
        self._vote(self.assembly, self.alice, self.surplus, "interest")
        self._vote(self.assembly, self.dan, self.surplus, "reserves")
        self._vote(self.assembly, self.frank, self.surplus, "reserves")
        self.assembly.action_close()
        self.assembly.action_tally()
        self.assembly.invalidate_recordset()
        self.assertEqual(self.assembly.participant_count, 5)
        self.assertTrue(self.assembly.quorum_reached)
        # founders' 20 % go pro rata to the others: users 50, employees 25, partners 25
        # for = 50 * 1/2 + 25 = 50 ; against = 25 + 25 = 50 -> tie, rejected
        table = self.accounts._get_result_table()
        weighted = {code: table["weighted"][self._choice(self.accounts, code).id][1]
                    for code in ("for", "against")}  # fmt: skip
        self.assertEqual(weighted, {"for": 50.0, "against": 50.0})
        self.assertEqual(self.accounts.result_state, "rejected")
        self.assertEqual((self.accounts.result_counted, self.accounts.result_expressed), (5, 4))
        users = next(row for row in table["colleges"] if row["college"] == self.college_users)
        self.assertEqual(
            (users["counted"], users["expressed"], users["effective_weight"]), (3, 2, 50)
        )
        founders = next(row for row in table["colleges"] if row["college"] == self.college_founders)
        self.assertEqual(founders["effective_weight"], 0)
        # surplus: reserves = 25 + 25 = 50, interest = 50 -> tie, no winner
        self.assertEqual(self.surplus.result_state, "rejected")
        self.assertFalse(self.surplus.winner_choice_id)
        self.assertEqual(len(self.accounts.result_line_ids), 4 + 4 * 3 + 3)
        # counted once: the results stand
        with self.assertRaises(UserError):
            self.assembly.action_tally()

    def test_quorum_not_reached_and_profile_majority(self):
        assembly = self._open_assembly(assembly_type="extraordinary")
        accounts = assembly.resolution_ids[0]
        self.assertEqual(accounts.effective_majority, "two_thirds")
        self._vote(assembly, self.alice, accounts, "for")
        assembly.action_close()
        assembly.action_tally()
        # 1 of 6 = 16.7 % < 25 %
        self.assertFalse(assembly.quorum_reached)
        self.assertEqual(accounts.result_state, "no_quorum")

    def test_outside_electorate_cannot_vote(self):
        with self.assertRaises(UserError):
            self._vote(self.assembly, self.late, self.accounts, "for")

    def test_state_machine(self):
        draft = self._create_assembly()
        with self.assertRaises(UserError):
            draft.action_open()
        with self.assertRaises(UserError):
            draft.action_tally()
        with self.assertRaises(UserError):
            self.assembly.unlink()
        with self.assertRaises(UserError):
            self.accounts.name = "Changed after convocation"

    def test_member_in_no_active_college_stops_the_convocation(self):
        self.college_partners.active = False
        with self.assertRaisesRegex(UserError, "no active college"):
            self._create_assembly().action_convene()

    def test_college_weight_outside_bounds_refused(self):
        with self.assertRaises(ValidationError):
            self.profile.write(
                {
                    "college_ids": [
                        Command.update(self.college_users.id, {"vote_weight": 55}),
                        Command.update(self.college_employees.id, {"vote_weight": 5}),
                    ]
                }
            )

    def test_access_rights(self):
        with self.assertRaises(AccessError):
            self.env["telecoop.assembly"].with_user(self.internal_user).search([])
        with self.assertRaises(AccessError):
            self.env["telecoop.ballot"].with_user(self.portal_user).search([])
        with self.assertRaises(AccessError):
            self.env["telecoop.assembly.voter"].with_user(self.portal_user).search([])
        # a portal user outside the electorate of the record date sees no assembly
        self.assertFalse(self.env["telecoop.assembly"].with_user(self.portal_user).search([]))
        other_company = self.env["res.company"].create({"name": "Other coop"})
        stranger = self.agm_user.copy(
            {
                "login": "tc_agm_other",
                "company_id": other_company.id,
                "company_ids": other_company.ids,
            }
        )
        Assembly = self.env["telecoop.assembly"].with_user(stranger)
        self.assertFalse(Assembly.with_context(allowed_company_ids=other_company.ids).search([]))

    def test_staff_user_runs_the_assembly(self):
        Assembly = self.env["telecoop.assembly"].with_user(self.agm_user)
        assembly = Assembly.browse(self._create_assembly().id)
        # an assembly user prepares; the administrator convenes, opens, closes and counts
        with self.assertRaises(AccessError):
            assembly.action_convene()
        manager = assembly.with_user(self.agm_manager)
        manager.action_convene()
        manager.action_open()
        self._voter(assembly, self.alice).present = True
        Entry = self.env["telecoop.ballot.entry"].with_user(self.agm_user)
        accounts = assembly.resolution_ids[0]
        Entry.create(
            {
                "assembly_id": assembly.id,
                "resolution_id": accounts.id,
                "voter_id": self._voter(assembly, self.alice).id,
                "choice_id": self._choice(accounts, "for").id,
            }
        ).action_cast()
        self._vote(assembly.sudo(), self.dan, accounts.sudo(), "against")
        with self.assertRaises(AccessError):
            assembly.action_close()
        manager.action_close()
        manager.action_tally()
        self.assertEqual(accounts.result_counted, 2)
        # users 40 and employees 20 expressed: 40/60 for
        self.assertEqual(accounts.result_state, "adopted")
        # the weighted share of "for", as the assembly user reads it (colleges 40 / 20)
        weighted = accounts.with_user(self.agm_user).result_line_ids.filtered(
            lambda r: not r.college_id and r.choice_id.code == "for"
        )
        self.assertEqual(weighted.percent, 66.67)
        # a user of the membership group only cannot run assemblies
        with self.assertRaises(AccessError):
            self.env["telecoop.assembly"].with_user(self.membership_user).browse(
                assembly.id
            ).action_convene()
