# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Moving an existing cooperative in: the example files of the readme, imported.

The golden register is worked out by hand from ``data/examples/movements.csv``
(100 per share):

=========== ===== ===== ===== ===== ====== ========
at          C0001 C0002 C0003 C0004 shares capital
=========== ===== ===== ===== ===== ====== ========
2019-12-31  5     10    -     -     15     1500
2021-12-31  5     10    2     3     20     2000
2022-12-31  5     6     6     3     20     2000
2023-12-31  5     6     6     -     17     1700
2024-12-31  4     6     6     -     16     1600
=========== ===== ===== ===== ===== ====== ========
"""

import base64
import csv
import io
import zipfile

import openpyxl

from odoo import fields, sql_db
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools.misc import file_path

from ..models.telecoop_share_line import REGISTER_LOCK_KEY
from .common_accounting import TelecoopAccountingCommon

GOLDEN = {
    "2019-12-31": {"C0001": 5, "C0002": 10},
    "2021-12-31": {"C0001": 5, "C0002": 10, "C0003": 2, "C0004": 3},
    "2022-12-31": {"C0001": 5, "C0002": 6, "C0003": 6, "C0004": 3},
    "2023-12-31": {"C0001": 5, "C0002": 6, "C0003": 6},
    "2024-12-31": {"C0001": 4, "C0002": 6, "C0003": 6},
}
BAD_MEMBERS = """member_number,name,email,college,admission_date,exit_date
C0001,Alice Martin,,users,2019-03-02,
,No Number,,users,2019-01-01,
C0003,Chloé Roux,,astronauts,2020-13-45,
"""
BAD_MOVEMENTS = """ref,date,type,member_number,to_member_number,share_class,quantity
R001,2019-03-02,issue,C0001,,Users share,5
R001,2019-03-03,issue,C0001,,Users share,1
R003,2019-04-01,gift,C0001,,Users share,1
R004,2019-05-01,buyback,C0001,,Users share,9
R005,2019-05-02,issue,C9999,,Gold share,0
"""


def example(name):
    with open(file_path(f"telecoop_membership/data/examples/{name}"), "rb") as handle:
        return handle.read()


def to_xlsx(content):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in csv.reader(io.StringIO(content.decode())):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class TestRegisterImport(TelecoopAccountingCommon):
    def _import(self, members=None, movements=None, ext="csv", **vals):
        members = example("members.csv") if members is None else members
        movements = example("movements.csv") if movements is None else movements
        return self.env["telecoop.register.import"].create(
            {
                "company_id": self.company.id,
                "members_file": base64.b64encode(members),
                "members_filename": f"members.{ext}",
                "movements_file": base64.b64encode(movements),
                "movements_filename": f"movements.{ext}",
                "opening_date": "2024-12-31",
                **vals,
            }
        )

    def _register(self, at):
        rows = self.env["telecoop.share.line"]._get_register_rows(
            self.company, fields.Date.to_date(at)
        )
        partners = self.env["res.partner"].browse([r["partner_id"] for r in rows])
        numbers = dict(zip(partners.ids, partners.mapped("telecoop_member_number"), strict=True))
        return {numbers[r["partner_id"]]: r["shares"] for r in rows}

    def _snapshot(self):
        return (
            self.env["res.partner"].with_context(active_test=False).search_count([]),
            self.env["telecoop.share.line"].search_count([]),
            self.env["account.move"].search_count([]),
        )

    def _member(self, number):
        return self.env["res.partner"].search([("telecoop_member_number", "=", number)])

    def test_dry_run_of_the_examples_finds_nothing_and_writes_nothing(self):
        record = self._import()
        before = self._snapshot()
        self.assertEqual(record.action_check(), [])
        self.assertEqual(record.state, "checked")
        self.assertEqual(self._snapshot(), before)
        self.assertIn("4 members, 7 movements read.", record.report)

    def test_dry_run_reports_every_problem_with_file_line_and_column(self):
        record = self._import(BAD_MEMBERS.encode(), BAD_MOVEMENTS.encode())
        before = self._snapshot()
        record.action_check()
        self.assertEqual(self._snapshot(), before)
        self.assertEqual(record.state, "failed")
        found = {(p.file, p.line, p.column) for p in record.problem_ids}
        self.assertEqual(
            found,
            {
                ("members.csv", 3, "member_number"),
                ("members.csv", 4, "college"),
                ("members.csv", 4, "admission_date"),
                ("movements.csv", 3, "ref"),
                ("movements.csv", 4, "type"),
                ("movements.csv", 5, "quantity"),
                ("movements.csv", 6, "member_number"),
                ("movements.csv", 6, "share_class"),
                ("movements.csv", 6, "quantity"),
            },
        )
        held = record.problem_ids.filtered(lambda p: p.line == 5 and p.file == "movements.csv")
        self.assertIn("holds 5 shares", held.message)

    def test_a_file_that_is_neither_csv_nor_xlsx_is_a_problem(self):
        record = self._import(movements="é".encode("latin-1"))
        record.action_check()
        self.assertEqual(
            [(p.file, p.line) for p in record.problem_ids if "cannot be read" in p.message],
            [("movements.csv", 1)],
        )
        record = self._import(members=b"not a zip", ext="xlsx")
        record.action_check()
        self.assertIn(("members.xlsx", 1), [(p.file, p.line) for p in record.problem_ids])

    def test_a_missing_column_is_a_problem_of_line_one(self):
        record = self._import(movements=b"ref,date,member_number\nR1,2019-01-01,C0001\n")
        record.action_check()
        missing = {p.column for p in record.problem_ids if p.line == 1}
        self.assertEqual(missing, {"type", "share_class", "quantity"})

    def test_a_real_run_with_a_problem_writes_nothing(self):
        record = self._import(movements=BAD_MOVEMENTS.encode())
        before = self._snapshot()
        problems = record.action_import()
        self.assertTrue(problems)
        self.assertEqual(record.state, "failed")
        self.assertEqual(self._snapshot(), before)
        self.assertFalse(self._member("C0001"))

    def test_import_rebuilds_the_register_at_every_past_date(self):
        record = self._import()
        self.assertEqual(record.action_import(), [])
        self.assertEqual(record.state, "done")
        self.assertEqual((record.member_count, record.movement_count), (4, 8))
        for at, expected in GOLDEN.items():
            with self.subTest(at=at):
                self.assertEqual(self._register(at), expected)
        self.assertEqual(self.env["telecoop.share.line"]._get_capital(self.company), 1600)

    def test_members_come_with_their_number_college_and_dates(self):
        self._import().action_import()
        alice, bruno, chloe, david = (self._member(f"C000{i}") for i in range(1, 5))
        self.assertEqual(alice.name, "Alice Martin")
        self.assertEqual(bruno.telecoop_college_id.code, "founders")
        self.assertEqual(chloe.telecoop_member_since, fields.Date.to_date("2020-06-15"))
        self.assertTrue(alice.telecoop_is_member and chloe.telecoop_is_member)
        self.assertFalse(david.telecoop_is_member)
        self.assertEqual(david.telecoop_member_until, fields.Date.to_date("2023-12-31"))
        # Chloé received Bruno's shares in her own college
        received = chloe.telecoop_share_line_ids.filtered(lambda m: m.movement_type == "transfer")
        self.assertEqual(received.college_id.code, "users")
        self.assertEqual(received.quantity, 4)

    def test_opening_capital_is_booked_once_against_the_profile_accounts(self):
        record = self._import()
        record.action_import()
        move = record.opening_move_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.journal_id, self.misc_journal)
        capital = move.line_ids.filtered(lambda m: m.account_id == self.account_1013)
        self.assertEqual((capital.debit, capital.credit), (0, 1600))
        self.assertEqual(len(move.line_ids), 2)
        imported = self.env["telecoop.share.line"].search([("telecoop_import_id", "=", record.id)])
        self.assertEqual(len(imported), 8)
        # register and ledger agree from day one
        balance = sum(
            self.env["account.move.line"]
            .search([("account_id", "=", self.account_1013.id), ("parent_state", "=", "posted")])
            .mapped("balance")
        )
        self.assertEqual(-balance, self.env["telecoop.share.line"]._get_capital(self.company))

    def test_the_same_files_twice_add_nothing(self):
        self._import().action_import()
        before = self._snapshot()
        again = self._import()
        self.assertEqual(again.action_import(), [])
        self.assertEqual((again.member_count, again.movement_count), (0, 0))
        self.assertFalse(again.opening_move_id)
        self.assertEqual(self._snapshot(), before)
        self.assertEqual(self._register("2024-12-31"), GOLDEN["2024-12-31"])

    def test_a_stopped_run_resumes_where_it_stopped(self):
        """What a run killed after its first chunks leaves (members written, part of
        the movements), then the same import started again."""
        record = self._import()
        data = record._get_context_data()
        self.assertEqual(record._check_files(data), [])
        record.state = "running"
        record._import_members(data)
        data["movements"] = data["movements"][:3]
        record._import_movements(data)
        self.assertEqual(record.movement_count, 3)
        self.assertEqual(record.action_import(), [])
        self.assertEqual(record.movement_count, 8)
        self.assertEqual(record.member_count, 4)
        self.assertEqual(self._register("2024-12-31"), GOLDEN["2024-12-31"])
        credit = record.opening_move_id.line_ids.filtered(
            lambda m: m.account_id == self.account_1013
        )
        self.assertEqual(credit.credit, 1600)

    def test_xlsx_files_import_like_csv(self):
        record = self._import(
            to_xlsx(example("members.csv")), to_xlsx(example("movements.csv")), ext="xlsx"
        )
        self.assertEqual(record.action_import(), [])
        for at, expected in GOLDEN.items():
            with self.subTest(at=at):
                self.assertEqual(self._register(at), expected)

    def test_xlsx_problem_names_its_line(self):
        record = self._import(
            to_xlsx(example("members.csv")), to_xlsx(BAD_MOVEMENTS.encode()), ext="xlsx"
        )
        record.action_check()
        self.assertIn(
            ("movements.xlsx", 4, "type"),
            {(p.file, p.line, p.column) for p in record.problem_ids},
        )

    def test_export_of_oca_cooperator_imports_the_same_register(self):
        record = self._import(
            example("oca_subscription_request.csv"), example("oca_subscription_register.csv")
        )
        self.assertEqual(record.action_import(), [])
        self.assertIn("oca_subscription_request", record.report)
        self.assertIn("oca_subscription_register", record.report)
        renumber = {"C0001": "1", "C0002": "2", "C0003": "3", "C0004": "4"}
        for at, expected in GOLDEN.items():
            with self.subTest(at=at):
                self.assertEqual(self._register(at), {renumber[k]: v for k, v in expected.items()})
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Eve Cancelled")]))
        # no college in OCA: the college of the share class
        self.assertEqual(self._member("1").telecoop_college_id, self.share_class.college_id)

    def test_oca_memberships_are_members_too(self):
        record = self._import(
            example("oca_cooperative_membership.csv"), example("oca_subscription_register.csv")
        )
        self.assertEqual(record.action_import(), [])
        self.assertIn("oca_cooperative_membership", record.report)
        self.assertEqual(self._register("2022-12-31"), {"1": 5, "2": 6, "3": 6, "4": 3})
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Eve Prospect")]))
        self.assertEqual(self._member("3").telecoop_member_since, fields.Date.to_date("2020-06-15"))

    def test_oca_share_lines_import_the_holdings(self):
        record = self._import(
            example("oca_subscription_request.csv"), example("oca_share_line.csv")
        )
        self.assertEqual(record.action_import(), [])
        self.assertEqual(self._register("2024-12-31"), {"1": 4, "2": 6, "3": 6})

    def test_new_members_after_the_import_get_the_next_number(self):
        sequence = self.profile._get_member_sequence()
        prefix = sequence.prefix
        members = (
            "member_number,name,college,admission_date\n"
            f"{prefix}00041,Old Member,users,2018-01-01\n"
        ).encode()
        movements = (
            "ref,date,type,member_number,share_class,quantity\n"
            f"X1,2018-01-01,issue,{prefix}00041,Users share,1\n"
        ).encode()
        self._import(members, movements).action_import()
        self.assertEqual(self.profile._next_member_number(), f"{prefix}00042")

    def test_a_membership_user_cannot_import(self):
        with self.assertRaises(AccessError):
            self.env["telecoop.register.import"].with_user(self.membership_user).create(
                {"company_id": self.company.id}
            )

    # -- red team: hostile files ----------------------------------------------------

    def _problems(self, members, movements):
        record = self._import(members, movements)
        before = self._snapshot()
        self.assertTrue(record.action_import())
        self.assertEqual((record.state, self._snapshot()), ("failed", before))
        return {(p.file, p.line, p.column): p.message for p in record.problem_ids}

    def test_shares_beyond_the_statutes_are_a_problem_of_their_line(self):
        """Red team: a history giving Alice 51 shares of a class the statutes cap at 50
        per member (in two issues), and Bruno 10,000,000,000 shares (beyond what the
        database holds: the import failed with a server error)."""
        movements = (
            b"ref,date,type,member_number,to_member_number,share_class,quantity\n"
            b"R1,2019-03-02,issue,C0001,,Users share,50\n"
            b"R2,2019-04-02,issue,C0001,,Users share,1\n"
            b"R3,2019-03-02,issue,C0002,,Users share,10000000000\n"
        )
        problems = self._problems(example("members.csv"), movements)
        self.assertEqual(
            set(problems),
            {("movements.csv", 3, "quantity"), ("movements.csv", 4, "quantity")},
        )
        self.assertIn(
            "member C0001 would hold 51 shares of Users share: at most 50",
            problems[("movements.csv", 3, "quantity")],
        )
        self.assertIn("would hold 10000000000 shares", problems[("movements.csv", 4, "quantity")])

    def test_huge_cells_and_odd_prices_are_problems_of_their_line(self):
        """Red team: a member's name of 5,000 characters, one of 200,000 with a NUL
        character (which the database refuses: a server error), a unit price of NaN (a
        server error when compared) and a formula cell of an XLSX file (read as its
        value: none)."""
        members = example("members.csv") + b"C0005," + b"x" * 5000 + b",,0,users,2020-01-01,\n"
        movements = example("movements.csv") + b"R008,2024-03-01,issue,C0002,,Users share,1,NaN\n"
        problems = self._problems(members, movements)
        self.assertEqual(
            set(problems), {("members.csv", 6, "name"), ("movements.csv", 9, "unit_price")}
        )
        self.assertIn("5000 characters: at most 1000", problems[("members.csv", 6, "name")])
        members = example("members.csv").replace(b"Alice Martin", b"Alice\x00" + b"y" * 200_000)
        record = self._import(members, example("movements.csv"))
        record.action_check()
        self.assertEqual(
            sorted((p.file, p.line, p.column, p.message[:24]) for p in record.problem_ids),
            [
                ("members.csv", 2, "name", "The cell has 200006 char"),
                ("members.csv", 2, "name", "The cell holds control c"),
            ],
        )
        formula = example("movements.csv").replace(b"Users share,2,", b"Users share,=2+3,")
        record = self._import(to_xlsx(example("members.csv")), to_xlsx(formula), ext="xlsx")
        record.action_check()
        self.assertEqual(
            [(p.file, p.line, p.column) for p in record.problem_ids],
            [("movements.xlsx", 4, "quantity")],
        )

    def test_an_import_holds_the_register_lock_against_other_transactions(self):
        """Red team: two imports of the same files at the same instant (or an import
        and a buy-back) each checked the register as it was before the other: both
        wrote, the second failing on a member number with a server error, or a
        buy-back passing on holdings the import was changing. The import takes the
        register's lock, as every movement does."""
        self.assertEqual(self._import().action_import(), [])
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            other.execute(
                "SELECT pg_try_advisory_xact_lock(%s, %s)", (REGISTER_LOCK_KEY, self.company.id)
            )
            self.assertFalse(other.fetchone()[0], "the import must hold the lock")
        finally:
            other.rollback()
            other.close()

    def test_a_zip_that_is_no_workbook_is_a_problem(self):
        """Red team: members.xlsx, a ZIP archive whose content types part is not XML
        (a broken or forged workbook): the XML parser's error was a server error."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", "not xml <")
        record = self._import(members=buffer.getvalue(), members_filename="members.xlsx")
        record.action_check()
        self.assertEqual(
            [(p.file, p.line) for p in record.problem_ids if "cannot be read" in p.message],
            [("members.xlsx", 1)],
        )

    # -- a register that already has movements ----------------------------------

    def _register_with_ten_shares(self):
        """Bruno (C0002) holds 10 shares of Users share in the database: the example
        members and its first three issues (R001 to R003), imported before."""
        first = example("movements.csv").decode().splitlines()[:4]
        self.assertEqual(self._import(movements="\n".join(first).encode()).action_import(), [])
        self.assertEqual(self._register("2022-04-30"), {"C0001": 5, "C0002": 10, "C0003": 2})

    def _movements_only(self, row):
        movements = f"ref,date,type,member_number,to_member_number,share_class,quantity\n{row}\n"
        return self._import(members=b"", movements=movements.encode())

    def test_a_transfer_out_of_shares_held_in_the_database_is_imported(self):
        """Moving in a second file: Bruno gives 4 of the 10 shares he holds in the
        database to Chloé. The replay started from nothing ("holds 0")."""
        self._register_with_ten_shares()
        record = self._movements_only("M1,2022-05-01,transfer,C0002,C0003,Users share,4")
        self.assertEqual(record.action_import(), [])
        self.assertEqual(record.movement_count, 2)
        self.assertEqual(self._register("2022-05-01"), {"C0001": 5, "C0002": 6, "C0003": 6})

    def test_a_transfer_beyond_the_shares_held_in_the_database_is_a_problem(self):
        self._register_with_ten_shares()
        record = self._movements_only("M1,2022-05-01,transfer,C0002,C0003,Users share,12")
        before = self._snapshot()
        self.assertTrue(record.action_import())
        self.assertEqual((record.state, self._snapshot()), ("failed", before))
        problems = {(p.file, p.line, p.column): p.message for p in record.problem_ids}
        self.assertEqual(list(problems), [("movements.csv", 2, "quantity")])
        self.assertIn(
            "member C0002 holds 10 shares of Users share and cannot give up 12",
            problems[("movements.csv", 2, "quantity")],
        )

    def test_the_statutes_maximum_counts_the_shares_held_in_the_database(self):
        """The statutes cap Users share at 50 per member: Bruno holds 10, an issue of
        41 would give him 51."""
        self._register_with_ten_shares()
        record = self._movements_only("M1,2022-05-01,issue,C0002,,Users share,41")
        self.assertTrue(record.action_import())
        problems = {(p.file, p.line, p.column): p.message for p in record.problem_ids}
        self.assertEqual(list(problems), [("movements.csv", 2, "quantity")])
        self.assertIn(
            "member C0002 would hold 51 shares of Users share: at most 50",
            problems[("movements.csv", 2, "quantity")],
        )
        self.assertEqual(
            self._movements_only("M1,2022-05-01,issue,C0002,,Users share,40").action_import(), []
        )

    # -- a chunked import resumed after the register changed ---------------------

    def test_a_resumed_import_stopped_by_a_new_conflict_ends_once_it_is_solved(self):
        """A chunked run killed after its members C0001 and C0002; meanwhile C0003 is
        given to someone else (a subscription numbered by the sequence, which the
        import bumps at its end). Resumed, the import stops on that number: what it
        committed stays and is reported, no opening entry; another import is refused
        (it would skip the committed movements and book none); once Chloé is
        renumbered C0005 in its files, the same import ends and books the capital of
        the whole history: 4 + 6 + 6 shares at 100 = 1,600."""
        record = self._import()
        data = record._get_context_data()
        self.assertEqual(record._check_files(data), [])
        record.state = "running"
        data["members"] = {n: data["members"][n] for n in ("C0001", "C0002")}
        record._import_members(data)
        self.assertEqual(record.member_count, 2)
        self.env["telecoop.membership"].create(
            {
                "partner_id": self.env["res.partner"].create({"name": "Zoé Autre"}).id,
                "company_id": self.company.id,
                "member_number": "C0003",
                "admission_date": "2025-01-01",
            }
        )
        problems = record.action_import()
        self.assertEqual(
            [(p.file, p.line, p.column) for p in problems], [("members.csv", 4, "member_number")]
        )
        self.assertEqual(record.state, "failed")
        self.assertFalse(record.opening_move_id)
        self.assertIn("committed 2 members and 0 movements: they stay", record.report)
        self.assertIn("import again", record.report)
        with self.assertRaisesRegex(UserError, "stopped half way .2 members and 0 movements"):
            self._import().action_import()
        record.write(
            {
                "members_file": base64.b64encode(
                    example("members.csv").replace(b"C0003", b"C0005")
                ),
                "movements_file": base64.b64encode(
                    example("movements.csv").replace(b"C0003", b"C0005")
                ),
            }
        )
        self.assertEqual(record.action_import(), [])
        self.assertEqual((record.state, record.member_count), ("done", 4))
        self.assertEqual(self._register("2024-12-31"), {"C0001": 4, "C0002": 6, "C0005": 6})
        credit = record.opening_move_id.line_ids.filtered(
            lambda m: m.account_id == self.account_1013
        )
        self.assertEqual(credit.credit, 1600)
