# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Belenios voter list and result formats (pure Python)."""

import base64
import importlib.util
import json
import unittest
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.telecoop_agm.services.belenios import (
    BeleniosError,
    Voter,
    decide,
    integer_weights,
    parse_result,
    voters_file,
)

from .common import AgmCommon


class TestBeleniosVoters(unittest.TestCase):
    def test_voter_list_format_and_exact_weights(self):
        voters = [
            Voter("a@example.com", "M00001", "users"),
            Voter("b@example.com", "M00002", "users"),
            Voter("c@example.com", "M00003", "users"),
            Voter("d@example.com", "M00004", "staff"),
        ]
        text, weights, total = voters_file(voters, {"users": 60, "staff": 40})
        # users: 60 / 3 = 20 each, staff: 40 / 1 = 40 -> 1 and 2 after the gcd
        self.assertEqual(weights, {"users": 1, "staff": 2})
        self.assertEqual(total, 5)
        self.assertEqual(
            text,
            "a@example.com,M00001,1\nb@example.com,M00002,1\n"
            "c@example.com,M00003,1\nd@example.com,M00004,2\n",
        )

    def test_weights_with_decimals_and_coprime_sizes(self):
        weights = integer_weights(
            {"a": "33.33", "b": "33.33", "c": "33.34"}, {"a": 7, "b": 11, "c": 13}
        )
        self.assertTrue(all(isinstance(w, int) and w > 0 for w in weights.values()))
        total = 7 * weights["a"] + 11 * weights["b"] + 13 * weights["c"]
        self.assertEqual(Fraction(13 * weights["c"], total), Fraction("33.34") / 100)

    def test_college_without_members_carries_no_weight(self):
        weights = integer_weights(
            {"users": 50, "staff": 25, "partners": 25}, {"users": 2, "staff": 1}
        )
        self.assertEqual(weights, {"users": 1, "staff": 1})

    def test_bad_voters_are_refused(self):
        with self.assertRaisesRegex(BeleniosError, "comma"):
            voters_file([Voter("a,b@example.com", "M1", "u")], {"u": 100})
        with self.assertRaisesRegex(BeleniosError, "empty"):
            voters_file([Voter("", "M1", "u")], {"u": 100})
        with self.assertRaisesRegex(BeleniosError, "twice"):
            voters_file([Voter("a@x.org", "M1", "u"), Voter("b@x.org", "M1", "u")], {"u": 100})
        with self.assertRaisesRegex(BeleniosError, "without a weight"):
            voters_file([Voter("a@x.org", "M1", "other")], {"u": 100})
        with self.assertRaisesRegex(BeleniosError, "empty"):
            voters_file([], {"u": 100})


class TestBeleniosWeightProperties(unittest.TestCase):
    @settings(deadline=None)  # the machine is shared: no per-example time limit
    @given(
        st.dictionaries(
            st.sampled_from(["a", "b", "c", "d"]),
            st.tuples(st.integers(min_value=1, max_value=5000), st.integers(1, 500)),
            min_size=1,
        )
    )
    def test_college_shares_are_exact(self, colleges):
        weights = {c: Fraction(w, 100) for c, (w, _n) in colleges.items()}
        counts = {c: n for c, (_w, n) in colleges.items()}
        integers = integer_weights(weights, counts)
        total = sum(counts[c] * integers[c] for c in integers)
        whole = sum(weights.values())
        for college, weight in weights.items():
            self.assertEqual(Fraction(counts[college] * integers[college], total), weight / whole)


class TestBeleniosResult(unittest.TestCase):
    RESULT = {
        "num_tallied": 4,
        "encrypted_tally": "...",
        "partial_decryptions": [],
        "result": [[3, 2, 1], ["7", "0"]],
    }

    def test_parse_first_question_with_blank(self):
        result = parse_result(json.dumps(self.RESULT), question=0, answers=2, blank=True)
        self.assertEqual((result.counts, result.blank, result.num_tallied), ((2, 1), 3, 4))
        shares, adopted, winner = decide(result, ["for", "against"], "simple")
        self.assertEqual(shares["for"], Fraction(200, 3))
        self.assertTrue(adopted)
        self.assertEqual(winner, "for")

    def test_parse_second_question_with_large_totals_as_strings(self):
        result = parse_result(json.dumps(self.RESULT), question=1, answers=2)
        self.assertEqual(result.counts, (7, 0))
        _shares, adopted, winner = decide(result, ["reserves", "interest"], for_against=False)
        self.assertEqual((adopted, winner), (True, "reserves"))

    def test_two_thirds_not_reached(self):
        result = parse_result(json.dumps({"result": [[3, 2]]}), answers=2)
        _shares, adopted, _winner = decide(result, ["for", "against"], "two_thirds")
        self.assertFalse(adopted)

    def test_bad_results_are_refused(self):
        with self.assertRaisesRegex(BeleniosError, "JSON"):
            parse_result("not json")
        with self.assertRaisesRegex(BeleniosError, "result"):
            parse_result(json.dumps({"num_tallied": 3}))
        with self.assertRaisesRegex(BeleniosError, "question 3"):
            parse_result(json.dumps(self.RESULT), question=2)
        with self.assertRaisesRegex(BeleniosError, "3 answers, 2 were expected"):
            parse_result(json.dumps(self.RESULT), answers=2)
        with self.assertRaisesRegex(BeleniosError, "homomorphic"):
            parse_result(json.dumps({"result": [[[1, 2], [2, 1]]]}))
        with self.assertRaisesRegex(BeleniosError, "negative"):
            parse_result(json.dumps({"result": [[-1, 2]]}))


@tagged("post_install", "-at_install")
class TestBeleniosWizards(AgmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agm_manager = new_test_user(
            cls.env,
            login="tc_belenios_manager",
            groups="base.group_user,telecoop_agm.telecoop_agm_group_manager",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )
        # the accounts are voted in Belenios, the surplus in Odoo (decided before the
        # convocation)
        cls.assembly = cls._create_assembly()
        cls.accounts = cls.assembly.resolution_ids.filtered(lambda r: r.name == "Accounts")
        cls.surplus = cls.assembly.resolution_ids.filtered(lambda r: r.name == "Surplus")
        cls.accounts.result_source = "belenios"
        cls.assembly.action_convene()
        cls.assembly.action_open()

    def _export(self, user=None):
        wizard = (
            self.env["telecoop.belenios.export"]
            .with_user(user or self.agm_manager)
            .create({"assembly_id": self.assembly.id})
        )
        wizard.action_export()
        return wizard

    def test_export_of_the_frozen_electorate(self):
        with self.assertRaisesRegex(UserError, "Erin"):
            self._export()
        self.erin.email = "erin@example.com"
        wizard = self._export()
        text = base64.b64decode(wizard.voters_file).decode()
        lines = {line.split(",")[0]: line.split(",")[1:] for line in text.strip().splitlines()}
        # users 40 % over 3 members, the three other colleges 20 % over one member each
        self.assertEqual(lines["alice@example.com"], [self.alice.telecoop_member_number, "2"])
        self.assertEqual(lines["dan@example.com"], [self.dan.telecoop_member_number, "3"])
        self.assertNotIn("late@example.com", lines)  # joined after the record date
        self.assertEqual((wizard.voter_count, wizard.total_weight), (6, "15"))

    def test_a_company_without_address_gets_its_credential_at_its_representative(self):
        """Before: a company member with no address of its own stopped the export ("these
        members have no e-mail address"), though its representative has one. Its line
        carries the representative's address and the company's member number."""
        self.erin.email = "erin@example.com"
        crate = self._create_member("Crate SCOP", is_company=True)
        nina = self.env["res.partner"].create(
            {"name": "Nina Crate", "parent_id": crate.id, "email": "nina@example.com"}
        )
        self.env["telecoop.membership"]._get_for(crate, self.company).with_user(
            self.membership_manager
        )._set_representative(nina)
        assembly = self._create_assembly(name="AGO Crate")
        assembly.resolution_ids[0].result_source = "belenios"
        assembly.action_convene()
        wizard = (
            self.env["telecoop.belenios.export"]
            .with_user(self.agm_manager)
            .create({"assembly_id": assembly.id})
        )
        wizard.action_export()
        lines = base64.b64decode(wizard.voters_file).decode().strip().splitlines()
        crate_lines = [line for line in lines if crate.telecoop_member_number in line]
        self.assertEqual(len(crate_lines), 1)
        self.assertTrue(
            crate_lines[0].startswith(f"nina@example.com,{crate.telecoop_member_number},")
        )
        self.assertEqual(wizard.voter_count, 7)

    def test_no_export_of_an_assembly_voted_in_odoo_only(self):
        """Before: the export wizard opened on an assembly whose resolutions are all voted
        in Odoo, and sent its members to an election in Belenios that decides nothing.
        It refuses, naming the assembly: when opened from the assembly (its defaults), on
        create, and on Export."""
        in_odoo = self._create_assembly(name="AGO Odoo only")
        in_odoo.action_convene()
        in_odoo.action_open()
        self.erin.email = "erin@example.com"
        Export = self.env["telecoop.belenios.export"].with_user(self.agm_manager)
        message = "Assembly AGO Odoo only has no resolution voted in Belenios"
        with self.assertRaisesRegex(UserError, message):
            Export.with_context(default_assembly_id=in_odoo.id).default_get(["assembly_id"])
        with self.assertRaisesRegex(UserError, message):
            Export.create({"assembly_id": in_odoo.id})
        # a wizard made for a draft assembly whose Belenios resolution is then voted in Odoo
        draft = self._create_assembly(name="AGO draft")
        draft.resolution_ids[0].result_source = "belenios"
        wizard = Export.create({"assembly_id": draft.id})
        draft.resolution_ids[0].result_source = "odoo"
        with self.assertRaisesRegex(UserError, "Assembly AGO draft has no resolution"):
            wizard.action_export()
        self.assertFalse(wizard.voters_file)
        # the assembly of the fixtures, with its accounts voted in Belenios, opens
        opened = Export.with_context(default_assembly_id=self.assembly.id)
        self.assertEqual(opened.default_get(["assembly_id"])["assembly_id"], self.assembly.id)

    def _import(self, resolution, result, **vals):
        wizard = (
            self.env["telecoop.belenios.import"]
            .with_user(self.agm_manager)
            .create(
                {
                    "resolution_id": resolution.id,
                    "result_file": base64.b64encode(json.dumps(result).encode()),
                    **vals,
                }
            )
        )
        return wizard.action_import()

    def test_import_records_the_result_on_the_resolution(self):
        assembly = self._create_assembly()
        assembly.resolution_ids.result_source = "belenios"
        assembly.action_convene()
        assembly.action_open()
        accounts, surplus = assembly.resolution_ids.sorted("sequence")
        with self.assertRaisesRegex(UserError, "Close the vote"):
            self._import(accounts, {"num_tallied": 5, "result": [[0, 9, 6]]})
        assembly.action_close()
        self._import(accounts, {"num_tallied": 5, "result": [[0, 9, 6]]})
        self.assertEqual(accounts.result_state, "adopted")
        self.assertEqual(accounts.result_counted, 5)
        weighted = {
            line.choice_id.code: line.percent
            for line in accounts.result_line_ids
            if not line.college_id
        }
        self.assertEqual((weighted["for"], weighted["against"]), (60.0, 40.0))
        self._import(surplus, {"num_tallied": 4, "result": [[1, 2, 7]]})
        self.assertEqual(surplus.winner_choice_id.code, "interest")
        with self.assertRaisesRegex(UserError, "3 answers, 2 were expected"):
            self._import(surplus, {"result": [[1, 2, 7]]}, blank_allowed=False)
        # one ballot out of six: the quorum of 20 % is not reached
        self._import(accounts, {"num_tallied": 1, "result": [[0, 2, 0]]})
        self.assertEqual(accounts.result_state, "no_quorum")

    def test_no_belenios_result_over_a_vote_held_in_odoo(self):
        """Attack as an assembly administrator: the members voted the accounts in Odoo
        (two against, one for), the vote is closed; a result.json made up for the occasion
        (9 for, 0 against) would turn the resolution adopted, and the allocation wizard takes
        an adopted resolution's winning option as the proposal voted. The same on a
        resolution voted in Odoo where nobody voted (an empty box)."""
        assembly = self._open_assembly()
        accounts, surplus = assembly.resolution_ids.sorted("sequence")
        self.assertEqual(assembly.resolution_ids.mapped("result_source"), ["odoo", "odoo"])
        for partner, code in ((self.alice, "against"), (self.bob, "against"), (self.carol, "for")):
            self._vote(assembly, partner, accounts, code)
        assembly.action_close()
        with self.assertRaisesRegex(UserError, "was voted in Odoo"):
            self._import(accounts, {"num_tallied": 9, "result": [[0, 9, 0]]})
        with self.assertRaisesRegex(UserError, "was voted in Odoo"):
            self._import(surplus, {"num_tallied": 4, "result": [[1, 2, 7]]})
        self.assertEqual(accounts.result_state, "pending")
        assembly.action_tally()
        self.assertEqual(accounts.result_state, "rejected")
        self.assertEqual(accounts.result_source, "odoo")

    def test_no_odoo_count_over_a_belenios_result(self):
        """Attack as an assembly administrator: the accounts were voted in Belenios and
        its result recorded (5 ballots, weighted 9 for and 6 against: 60 % for,
        adopted); counting the assembly in Odoo then counted the empty Odoo box of the
        accounts over it (nobody voted in Odoo: quorum not reached). The Belenios result
        stays; the surplus, voted in Odoo, is counted (Alice, Bob and Carol for the
        interest: 3 of 6 members take part, above the quorum of 20 %).

        Then staff pressed Count before the Belenios import: the empty box of the
        accounts was counted (quorum not reached) and the Belenios result refused.
        Where the vote is held is decided before the convocation: no ballot goes into
        the Odoo box of the accounts, the count waits for their Belenios result."""
        for partner in (self.alice, self.bob, self.carol):
            self._vote(self.assembly, partner, self.surplus, "interest")
        with self.assertRaisesRegex(UserError, "is voted in Belenios"):
            self._vote(self.assembly, self.alice, self.accounts, "for")
        self.assertFalse(self.accounts.ballot_count)
        # nor is the way the vote is held rewritten once convened, to let a count in
        for resolution in (self.accounts, self.accounts.with_user(self.agm_manager)):
            with self.assertRaisesRegex(UserError, "cannot change after the convocation"):
                resolution.write({"result_source": "odoo"})
        self.assembly.action_close()
        with self.assertRaisesRegex(UserError, "Accounts wait for their result"):
            self.assembly.with_user(self.agm_manager).action_tally()
        self.assertEqual(self.assembly.state, "closed")
        self._import(self.accounts, {"num_tallied": 5, "result": [[0, 9, 6]]})
        with self.assertRaisesRegex(UserError, "was voted in Belenios"):
            self.accounts._tally()
        self.assembly.action_tally()
        self.assertEqual((self.accounts.result_state, self.accounts.result_counted), ("adopted", 5))
        self.assertEqual(self.accounts.result_source, "belenios")
        self.assertFalse(self.accounts.result_line_ids.college_id)
        weighted = {line.choice_id.code: line.percent for line in self.accounts.result_line_ids}
        self.assertEqual((weighted["for"], weighted["against"]), (60.0, 40.0))
        surplus = self.surplus
        self.assertEqual(
            (surplus.result_source, surplus.winner_choice_id.code, surplus.result_counted),
            ("odoo", "interest", 3),
        )
        # a database of an earlier version (the field empty until a result): the update
        # (migration 19.0.1.3.0) tells the two ways apart by the result lines (a line per
        # college for a count in Odoo); a resolution not counted yet is voted in Odoo
        pending = self._open_assembly().resolution_ids
        self.env.flush_all()
        self.env.cr.execute("ALTER TABLE telecoop_resolution ALTER result_source DROP NOT NULL")
        self.env.cr.execute(
            "UPDATE telecoop_resolution SET result_source = NULL WHERE id IN %s",
            (tuple((self.assembly.resolution_ids | pending).ids),),
        )
        self.env.cr.execute(
            "UPDATE telecoop_resolution SET result_source = 'belenios' WHERE id = %s",
            (self.accounts.id,),
        )
        path = Path(__file__).parents[1] / "migrations" / "19.0.1.3.0" / "pre-migrate.py"
        spec = importlib.util.spec_from_file_location("telecoop_agm_migration_19_0_1_3_0", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "19.0.1.2.0")
        self.env.invalidate_all()
        self.assertEqual(
            (self.accounts.result_source, self.surplus.result_source), ("belenios", "odoo")
        )
        self.assertEqual(pending.mapped("result_source"), ["odoo", "odoo"])
        # the same on a database older than 19.0.1.2.0, which had no value at all
        self.env.cr.execute(
            "UPDATE telecoop_resolution SET result_source = NULL WHERE id IN %s",
            (tuple(self.assembly.resolution_ids.ids),),
        )
        migration.migrate(self.env.cr, "19.0.1.1.0")
        self.env.invalidate_all()
        self.assertEqual(
            (self.accounts.result_source, self.surplus.result_source), ("belenios", "odoo")
        )

    def test_another_cooperative_staff_records_no_result_on_ours(self):
        """Attack as the assembly administrator of a partner cooperative in the same
        database: a Belenios result recorded on our closed resolution, or our electorate
        exported, by its id."""
        other_company = self.env["res.company"].create({"name": "Partner coop"})
        other_staff = new_test_user(
            self.env, login="tc_belenios_partner_staff",
            groups="base.group_user,telecoop_agm.telecoop_agm_group_manager",
            company_id=other_company.id, company_ids=other_company.ids,
        )  # fmt: skip
        self.assembly.action_close()
        result = base64.b64encode(json.dumps({"num_tallied": 5, "result": [[0, 9, 0]]}).encode())
        with self.assertRaises(AccessError):
            self.env["telecoop.belenios.import"].with_user(other_staff).create(
                {"resolution_id": self.accounts.id, "result_file": result}
            ).action_import()
        with self.assertRaises(AccessError):
            self.env["telecoop.belenios.export"].with_user(other_staff).create(
                {"assembly_id": self.assembly.id}
            ).action_export()
        self.assertEqual(self.accounts.result_state, "pending")
        self.assertEqual(self.accounts.result_source, "belenios")

    def test_only_agm_managers_use_belenios(self):
        with self.assertRaises(AccessError):
            self._export(user=self.agm_user)
        with self.assertRaises(AccessError):
            self.env["telecoop.belenios.import"].with_user(self.agm_user).create(
                {"resolution_id": self.accounts.id, "result_file": base64.b64encode(b"{}")}
            )
