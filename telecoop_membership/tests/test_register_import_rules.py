# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The pure rules of an imported register: reading, replay (no ORM)."""

import datetime
import unittest
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ..services import register_import as reader

DAY0 = datetime.date(2020, 1, 1)
MEMBERS = {
    n: {"number": n, "admission_date": DAY0, "exit_date": None, "line": i + 2}
    for i, n in enumerate(("A", "B", "C"))
}


def movement(line, day, kind, member, quantity, to=None):
    return {
        "line": line,
        "ref": f"R{line}",
        "date": DAY0 + datetime.timedelta(days=day),
        "type": kind,
        "member": member,
        "to_member": to,
        "share_class": "S",
        "quantity": quantity,
        "amount": Decimal(100) * quantity,
    }


class TestRegisterImportReading(unittest.TestCase):
    def test_one_person_under_two_numbers_is_a_problem(self):
        """Red team: Alice Martin, alice@example.org, listed as C0001 and again as
        C0009 (two members, two votes); homonyms with their own e-mail, and the same
        number repeated for one person (an OCA export), stay valid."""
        header = ["member_number", "name", "email", "admission_date"]
        rows = [
            (2, ["C0001", "Alice Martin", "alice@example.org", "2019-03-02"]),
            (3, ["C0002", "Alice Martin", "alice.m@example.org", "2019-03-02"]),
            (4, ["C0001", "Alice Martin", "alice@example.org", "2020-01-01"]),
            (5, ["C0009", "alice martin", "Alice@Example.org", "2021-05-01"]),
            (6, ["C0010", "Bruno Petit", "", "2021-05-01"]),
            (7, ["C0011", "Bruno Petit", "", "2021-05-01"]),
        ]
        records, _format, problems = reader.to_records("members", "m.csv", header, rows)
        members, problems = reader.check_members(records, "m.csv", {})
        self.assertEqual([(p.line, p.column) for p in problems], [(5, "member_number")], problems)
        self.assertIn("already member C0001 on line 2", problems[0].message)
        self.assertEqual(len(members), 5)

    def test_csv_with_semicolons_and_bom(self):
        header, rows = reader.read_table(
            "\ufeffmember_number;name\nC1;Alice\n\nC2;Bruno\n".encode(), "m.csv"
        )
        self.assertEqual(header, ["member_number", "name"])
        # an empty line is skipped, the numbering is the spreadsheet's
        self.assertEqual(rows, [(2, ["C1", "Alice"]), (4, ["C2", "Bruno"])])

    def test_dates_iso_and_french(self):
        self.assertEqual(reader.parse_date("2019-03-02"), datetime.date(2019, 3, 2))
        self.assertEqual(reader.parse_date("02/03/2019"), datetime.date(2019, 3, 2))
        self.assertIsNone(reader.parse_date("2019-13-45"))

    def test_quantities_are_whole_and_positive(self):
        self.assertEqual(reader.parse_quantity("3"), 3)
        self.assertEqual(reader.parse_quantity(3.0), 3)
        for bad in ("0", "-1", "1.5", "three", ""):
            with self.subTest(bad=bad):
                self.assertIsNone(reader.parse_quantity(bad))

    def test_oca_register_is_recognised_and_mapped(self):
        header = [
            "name",
            "register_number_operation",
            "date",
            "type",
            "partner_id/cooperator_register_number",
            "share_product_id",
            "quantity",
        ]
        records, name, problems = reader.to_records(
            "movements", "r.csv", header, [(2, ["7", "7", "2020-01-01", "sell_back", 4, "S", 1])]
        )
        self.assertEqual((name, problems), ("oca_subscription_register", []))
        self.assertEqual(records[0]["type"], "buyback")
        self.assertEqual(records[0]["ref"], "oca-register-7")
        self.assertEqual(records[0]["member_number"], 4)


class TestRegisterImportReplay(unittest.TestCase):
    def test_a_transfer_of_shares_not_held_yet_is_a_problem(self):
        history = [
            movement(2, 0, "issue", "A", 2),
            movement(3, 1, "transfer", "A", 3, to="B"),
        ]
        problems = reader.replay(history, "m.csv", MEMBERS)
        self.assertEqual([(p.line, p.column) for p in problems], [(3, "quantity")])

    def test_replay_is_in_date_order_not_file_order(self):
        # line 2 gives up shares bought on line 3, a day earlier: fine once sorted
        history = sorted(
            [movement(2, 5, "buyback", "A", 1), movement(3, 1, "issue", "A", 1)],
            key=lambda m: (m["date"], m["line"]),
        )
        self.assertEqual(reader.replay(history, "m.csv", MEMBERS), [])

    def test_shares_received_before_admission_are_a_problem(self):
        members = dict(MEMBERS, C={**MEMBERS["C"], "admission_date": DAY0.replace(year=2021)})
        problems = reader.replay([movement(2, 0, "issue", "C", 1)], "m.csv", members)
        self.assertEqual([(p.line, p.column) for p in problems], [(2, "member_number")])

    @settings(max_examples=200, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.integers(0, 30),
                st.sampled_from(["issue", "transfer", "buyback"]),
                st.sampled_from(["A", "B", "C"]),
                st.sampled_from(["A", "B", "C"]),
                st.integers(1, 5),
            ),
            max_size=25,
        )
    )
    def test_a_problem_exactly_when_a_holding_would_go_below_zero(self, steps):
        history = []
        for line, (day, kind, member, to, quantity) in enumerate(steps, start=2):
            if kind == "transfer" and to == member:
                kind = "issue"
            history.append(movement(line, day, kind, member, quantity, to=to))
        history.sort(key=lambda m: (m["date"], m["line"]))
        # independent count: the movements refused are skipped, as the replay does
        held = {"A": 0, "B": 0, "C": 0}
        refused = []
        for m in history:
            if m["type"] != "issue":
                if held[m["member"]] < m["quantity"]:
                    refused.append(m["line"])
                    continue
                held[m["member"]] -= m["quantity"]
            taker = m["to_member"] if m["type"] == "transfer" else m["member"]
            if m["type"] != "buyback":
                held[taker] += m["quantity"]
        problems = reader.replay(history, "m.csv", MEMBERS)
        self.assertEqual([p.line for p in problems], refused)
        self.assertTrue(all(shares >= 0 for shares in held.values()))
