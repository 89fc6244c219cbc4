# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import datetime
import logging
import re
import zipfile
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..services import register_import as reader
from .telecoop_share_document import MAX_DOCUMENT_AMOUNT

_logger = logging.getLogger(__name__)

CHUNK_SIZE = 5000


class TelecoopRegisterImport(models.Model):
    """An existing cooperative moved in: its members, its share history, its lines.

    ``action_check`` is the dry run: it reads the files and lists every problem
    (file, line, column), changing nothing else. ``action_import`` checks again
    and, only when there is no problem, writes everything: all of it in one
    transaction when run from the form; by chunks committed one after the other
    when run with ``telecoop_import_commit`` in the context (large files, a
    queue job or the shell), so that a run stopped half way resumes where it
    stopped when started again. Members are known by their number and movements
    by their reference in the company: the same files imported twice add nothing.
    The capital brought in is booked once, in one opening entry.
    """

    _name = "telecoop.register.import"
    _description = "Import of an existing cooperative"
    _check_company_auto = True
    _order = "id desc"

    name = fields.Char(required=True, default=lambda self: self.env._("Register import"))
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("checked", "Checked"),
            ("failed", "Problems found"),
            ("running", "Running"),
            ("done", "Done"),
        ],
        required=True,
        default="draft",
        readonly=True,
    )
    members_file = fields.Binary(string="Members (CSV or XLSX)", attachment=True)
    members_filename = fields.Char()
    movements_file = fields.Binary(string="Share movements (CSV or XLSX)", attachment=True)
    movements_filename = fields.Char()
    opening_date = fields.Date(
        default=fields.Date.context_today,
        help="Date of the opening entry of the capital brought in.",
    )
    opening_account_id = fields.Many2one(
        "account.account",
        string="Opening counterpart",
        check_company=True,
        help="Account debited by the opening entry; left empty, the undistributed "
        "profits/losses account of the company (the usual counterpart of opening balances).",
    )
    opening_move_id = fields.Many2one(
        "account.move", string="Opening entry", readonly=True, copy=False, check_company=True
    )
    problem_ids = fields.One2many("telecoop.register.import.problem", "import_id", readonly=True)
    problem_count = fields.Integer(compute="_compute_problem_count")
    report = fields.Text(readonly=True)
    member_count = fields.Integer(string="Members created", readonly=True)
    movement_count = fields.Integer(string="Movements created", readonly=True)

    @api.depends("problem_ids")
    def _compute_problem_count(self):
        for record in self:
            record.problem_count = len(record.problem_ids)

    # ------------------------------------------------------------------
    # reading and checking
    # ------------------------------------------------------------------
    def _read_file(self, kind, content, filename):
        """Canonical records of one file, with the problems of its header."""
        try:
            header, rows = reader.read_table(base64.b64decode(content), filename or kind)
        except (zipfile.BadZipFile, UnicodeDecodeError, ValueError, KeyError, OSError):
            message = self.env._(
                "The file cannot be read: CSV in UTF-8 or XLSX (Excel 2007 and later)."
            )
            return [], "", [reader.Problem(filename or kind, 1, "", message)]
        records, format_name, problems = reader.to_records(
            kind, filename or kind, header, rows, _=self.env._
        )
        return records, format_name, problems

    def _get_context_data(self):
        """What the files are checked against: the cooperative as it is now."""
        self.ensure_one()
        profile = self.company_id.telecoop_statute_profile_id
        if not profile:
            raise UserError(
                self.env._(
                    "%(company)s has no statute profile: create it, with its colleges and "
                    "share classes, before importing its register.",
                    company=self.company_id.name,
                )
            )
        classes = self.env["telecoop.share.class"].search([("company_id", "=", self.company_id.id)])
        return {
            "profile": profile,
            "colleges": {c.code: c for c in profile.college_ids},
            "classes": {c.name: c for c in classes},
        }

    def _check_files(self, data):
        """Read and check every file; ``data`` gets what the import writes.

        :return: list of reader.Problem
        """
        self.ensure_one()
        problems = []
        members, movements = {}, []
        if self.members_file:
            records, data["members_format"], found = self._read_file(
                "members", self.members_file, self.members_filename
            )
            problems += found
            members, found = reader.check_members(
                records, self.members_filename or "members", data["colleges"], _=self.env._
            )
            problems += found
            problems += self._check_members_against_database(members)
        if self.movements_file:
            records, data["movements_format"], found = self._read_file(
                "movements", self.movements_file, self.movements_filename
            )
            problems += found
            known = dict(self._get_existing_members(records))
            known.update(members)
            classes = {name: c.nominal_value for name, c in data["classes"].items()}
            classes = {name: reader.parse_amount(value) for name, value in classes.items()}
            movements, found = reader.check_movements(
                records,
                self.movements_filename or "movements",
                known,
                classes,
                limits=self._get_holding_limits(data),
                holdings=self._get_holdings_before(records, known, data),
                _=self.env._,
            )
            problems += found
            for member in members.values():
                if not member["college"] and not self._member_college(member, movements, data):
                    problems.append(
                        reader.Problem(
                            self.members_filename or "members",
                            member["line"],
                            "college",
                            self.env._(
                                "No college for member %(number)s: give one, or a first issue "
                                "of a share class that opens a college.",
                                number=member["number"],
                            ),
                        )
                    )
        data["members"], data["movements"] = members, movements
        return problems

    def _get_holdings_before(self, records, members, data):
        """What the members of the files already hold in the database when the
        history of the file starts: the register at the end of the day before its
        first date (the file's own movements, already written by an earlier run of
        this import or by the same files imported before, are all dated from that
        day on, so that they are never counted twice). The history is replayed from
        there (rule 5 and 6 of the reader).

        :return: {(member number, share class name): shares}
        """
        dates = [d for d in (reader.parse_date(r.get("date")) for r in records) if d]
        numbers = {m["partner_id"]: n for n, m in members.items() if m.get("partner_id")}
        if not dates or not numbers:
            return {}
        class_names = {c.id: name for name, c in data["classes"].items()}
        rows = (
            self.env["telecoop.share.line"]
            .sudo()
            ._get_register_rows(
                self.company_id, min(dates) - datetime.timedelta(days=1), by_class=True
            )
        )
        return {
            (numbers[row["partner_id"]], class_names[row["share_class_id"]]): row["shares"]
            for row in rows
            if row["partner_id"] in numbers and row["share_class_id"] in class_names
        }

    def _get_holding_limits(self, data):
        """The statutes' limits the history is replayed against: the most shares of
        each class a member may hold (the rule of the share documents) and of all
        classes, and the most one movement may be worth."""
        document = self.env["telecoop.share.transfer"]
        return {
            "class_max": {
                name: document.new(
                    {"company_id": self.company_id.id, "share_class_id": share_class.id}
                )._get_max_shares_per_member()[0]
                for name, share_class in data["classes"].items()
            },
            "profile_max": data["profile"].max_shares_per_member or 0,
            "max_amount": MAX_DOCUMENT_AMOUNT,
        }

    def _get_existing_members(self, records):
        """Members already numbered in the database that the movements name."""
        numbers = {
            reader._text(r.get(c))
            for r in records
            for c in ("member_number", "to_member_number")
            if r.get(c) not in (None, "")
        }
        # the numbers of this cooperative's memberships only: another hosted
        # cooperative may give the same number to someone else
        partners = (
            self.env["res.partner"]
            .sudo()
            .with_company(self.company_id)
            .with_context(active_test=False)
            .search([("telecoop_member_number", "in", list(numbers))])
        )
        for partner in partners:
            yield (
                partner.telecoop_member_number,
                {
                    "number": partner.telecoop_member_number,
                    "name": partner.name,
                    "admission_date": partner.telecoop_member_since,
                    "exit_date": partner.telecoop_member_until,
                    "partner_id": partner.id,
                    "college": partner.telecoop_college_id.code or "",
                    "line": None,
                },
            )

    def _check_members_against_database(self, members):
        problems = []
        existing = dict(self._get_existing_members([{"member_number": n} for n in members]))
        for number, member in members.items():
            if number in existing and existing[number]["name"] != member["name"]:
                problems.append(
                    reader.Problem(
                        self.members_filename or "members",
                        member["line"],
                        "member_number",
                        self.env._(
                            "Member number %(number)s is already given to %(name)s.",
                            number=number,
                            name=existing[number]["name"],
                        ),
                    )
                )
            elif number in existing:
                member["partner_id"] = existing[number]["partner_id"]
        return problems

    def _member_college(self, member, movements, data):
        """The college of an imported member: the one given, or the college of the
        class of their first issue."""
        if member.get("college"):
            return data["colleges"].get(member["college"])
        if member.get("share_class") in data["classes"]:
            return data["classes"][member["share_class"]].college_id
        for movement in movements:
            if movement["type"] == "issue" and movement["member"] == member["number"]:
                return data["classes"][movement["share_class"]].college_id
        return self.env["telecoop.college"]

    def _store_problems(self, problems):
        self.problem_ids.unlink()
        self.env["telecoop.register.import.problem"].create(
            [
                {
                    "import_id": self.id,
                    "file": p.file,
                    "line": p.line or 0,
                    "column": p.column,
                    "message": p.message,
                }
                for p in problems
            ]
        )

    def action_check(self):
        """The dry run: every problem of the files, and nothing written."""
        self.ensure_one()
        data = self._get_context_data()
        problems = self._check_files(data)
        self._store_problems(problems)
        self.write(
            {
                "state": "failed" if problems else "checked",
                "report": self._get_report(data, problems),
            }
        )
        return problems

    def _is_stopped_half_way(self):
        """A run in the committing mode wrote part of the files, then stopped (killed,
        or a problem found when resumed): what it committed stays, and its opening
        entry is posted only when the same import ends."""
        self.ensure_one()
        return self.state != "done" and bool(self.member_count or self.movement_count)

    def _check_no_import_stopped_half_way(self):
        """One import of a cooperative at a time until it ends: another import of the
        same files would skip the movements the stopped one wrote (known by their
        reference) and book none of them, and the stopped one could no longer end."""
        others = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("id", "!=", self.id),
                ("state", "in", ("running", "failed")),
                "|",
                ("member_count", ">", 0),
                ("movement_count", ">", 0),
            ]
        ).filtered(lambda r: r._is_stopped_half_way())
        if others:
            raise UserError(
                self.env._(
                    "Import %(name)s of %(company)s stopped half way (%(members)s members "
                    "and %(movements)s movements committed, no opening entry yet): solve "
                    "its problems and import it again, so that it ends, before another "
                    "import of the register.",
                    name=others[0].display_name,
                    company=self.company_id.name,
                    members=others[0].member_count,
                    movements=others[0].movement_count,
                )
            )

    def _get_report(self, data, problems):
        lines = [
            self.env._(
                "%(members)s members, %(movements)s movements read.",
                members=len(data.get("members", {})),
                movements=len(data.get("movements", [])),
            )
        ]
        for key in ("members_format", "movements_format"):
            if data.get(key):
                lines.append(self.env._("Format of the file: %(format)s.", format=data[key]))
        if problems and self._is_stopped_half_way():
            lines.append(
                self.env._(
                    "%(count)s problems: the import stops here. An earlier run of this import "
                    "committed %(members)s members and %(movements)s movements: they stay, and "
                    "the opening entry is not posted yet. Solve the problems (in the files of "
                    "this import, or in the register) and import again: it goes on from "
                    "there and posts the opening entry for all it wrote.",
                    count=len(problems),
                    members=self.member_count,
                    movements=self.movement_count,
                )
            )
        elif problems:
            lines.append(self.env._("%(count)s problems: nothing imported.", count=len(problems)))
        return "\n".join(lines)

    # ------------------------------------------------------------------
    # writing
    # ------------------------------------------------------------------
    def action_import(self):
        """Check, then write everything or nothing (see the class docstring)."""
        self.ensure_one()
        if self.state == "done":
            raise UserError(self.env._("This import is done: start a new one for other files."))
        # like every movement of the register: two imports of the cooperative (or an
        # import and a buy-back) at the same instant are checked and written one
        # after the other, the second seeing what the first wrote
        self._lock_register()
        self._check_no_import_stopped_half_way()
        data = self._get_context_data()
        problems = self._check_files(data)
        if problems:
            self._store_problems(problems)
            self.write({"state": "failed", "report": self._get_report(data, problems)})
            return problems
        self.problem_ids.unlink()
        self.state = "running"
        self._commit_chunk()
        self._import_files(data)
        self._post_opening_entry()
        self.write({"state": "done", "report": self._get_report(data, [])})
        self._commit_chunk()
        return []

    def _lock_register(self):
        self.env["telecoop.share.line"].sudo()._lock_register(self.company_id)

    def _chunk_size(self, default=CHUNK_SIZE):
        """Rows written (and, in the committing mode, committed) at once; the
        context key ``telecoop_import_chunk_size`` sets it (the resume check)."""
        return self.env.context.get("telecoop_import_chunk_size") or default

    def _commit_chunk(self):
        """Commit the work so far when asked to (large files): a run stopped later
        resumes from here. Never in a test or from the form."""
        if self.env.context.get("telecoop_import_commit"):
            self.env.cr.commit()  # pylint: disable=invalid-commit
            self._lock_register()  # the commit released it: the next chunk holds it again
            _logger.info(
                "Register import %s: committed, %s members, %s movements so far",
                self.id,
                self.member_count,
                self.movement_count,
            )

    def _import_files(self, data):
        """Write what the files bring; extended by the billing addon for lines."""
        self._import_members(data)
        self._import_movements(data)

    def _import_members(self, data):
        members = [m for m in data["members"].values() if not m.get("partner_id")]
        partner_model = (
            self.env["res.partner"]
            .sudo()
            .with_context(tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
        )
        created = 0
        size = self._chunk_size()
        for start in range(0, len(members), size):
            chunk = members[start : start + size]
            partners = partner_model.create(
                [
                    {"name": m["name"], "email": m["email"], "is_company": m["is_company"]}
                    for m in chunk
                ]
            )
            self.env["telecoop.membership"].sudo().with_context(
                tracking_disable=True, mail_create_nolog=True
            ).create(
                [
                    {
                        "partner_id": partner.id,
                        "company_id": self.company_id.id,
                        "member_number": m["number"],
                        "admission_date": m["admission_date"],
                        "exit_date": m["exit_date"],
                        "state": "former" if m["exit_date"] else "member",
                        "college_id": self._member_college(m, data["movements"], data).id,
                    }
                    for m, partner in zip(chunk, partners, strict=True)
                ]
            )
            for member, partner in zip(chunk, partners, strict=True):
                member["partner_id"] = partner.id
            created += len(chunk)
            self.member_count += len(chunk)
            self._commit_chunk()
        self._bump_member_sequence(data)
        return created

    def _bump_member_sequence(self, data):
        """Numbers given from now on come after the imported ones."""
        sequence = data["profile"]._get_member_sequence().sudo()
        prefix = sequence.prefix or ""
        numbers = [
            int(n[len(prefix) :])
            for n in data["members"]
            if n.startswith(prefix) and re.fullmatch(r"\d+", n[len(prefix) :])
        ]
        if numbers and sequence.number_next_actual <= max(numbers):
            sequence.number_next_actual = max(numbers) + 1

    def _import_movements(self, data):
        line_model = self.env["telecoop.share.line"].sudo()
        company = self.company_id
        movements = data["movements"]
        done = line_model._get_imported_refs(company, [m["ref"] for m in movements])
        partners = {number: m["partner_id"] for number, m in data["members"].items()}
        missing = {
            n for m in movements for n in (m["member"], m["to_member"]) if n and n not in partners
        }
        partners.update(
            {
                number: m["partner_id"]
                for number, m in self._get_existing_members([{"member_number": n} for n in missing])
            }
        )
        colleges = {}

        def college_of(number, share_class):
            if number not in colleges:
                partner = (
                    self.env["res.partner"]
                    .sudo()
                    .with_company(self.company_id)
                    .browse(partners[number])
                )
                colleges[number] = partner.telecoop_college_id
            return (colleges[number] or share_class.college_id).id

        rows = []
        for movement in movements:
            if movement["ref"] in done:
                continue
            share_class = data["classes"][movement["share_class"]]
            amount = movement["amount"]
            quantity = movement["quantity"]
            member = movement["member"]
            common = (movement["date"], movement["type"])
            if movement["type"] == "issue":
                sides = [(member, quantity, amount, movement["ref"])]
            elif movement["type"] == "buyback":
                sides = [(member, -quantity, -amount, movement["ref"])]
            else:
                receiver = movement["to_member"]
                sides = [
                    (member, -quantity, -amount, movement["ref"]),
                    (receiver, quantity, amount, movement["ref"] + "/in"),
                ]
            for number, signed_quantity, signed_amount, ref in sides:
                rows.append(
                    (
                        partners[number],
                        share_class.id,
                        college_of(number, share_class),
                        *common,
                        signed_quantity,
                        signed_amount,
                        movement["ref"],
                        ref,
                    )
                )
        size = self._chunk_size()
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            line_model._insert_imported(self, chunk)
            self.movement_count += len(chunk)
            self._commit_chunk()
        self._set_membership_from_history(set(partners.values()))

    def _set_membership_from_history(self, partner_ids):
        """Members holding shares at the end of the history are members; the others
        left on their exit date or on the date of their last movement."""
        if not partner_ids:
            return
        self.env["telecoop.share.line"].flush_model()
        self.env.cr.execute(
            "SELECT partner_id, SUM(quantity), MAX(date) FROM telecoop_share_line "
            "WHERE company_id = %s AND partner_id = ANY(%s) GROUP BY partner_id",
            (self.company_id.id, list(partner_ids)),
        )
        state = {row[0]: (row[1], row[2]) for row in self.env.cr.fetchall()}
        memberships = (
            self.env["telecoop.membership"]
            .sudo()
            .with_context(tracking_disable=True)
            .search(
                [("company_id", "=", self.company_id.id), ("partner_id", "in", list(partner_ids))]
            )
        )
        by_vals = defaultdict(list)
        for membership in memberships:
            shares, last = state.get(membership.partner_id.id, (0, None))
            if shares > 0:
                vals = (("state", "member"), ("exit_date", False))
            else:
                vals = (("state", "former"), ("exit_date", membership.exit_date or last))
            by_vals[vals].append(membership.id)
        for vals, ids in by_vals.items():
            memberships.browse(ids).write(dict(vals))

    def _post_opening_entry(self):
        """One entry for all the capital the import brought: debit the opening
        counterpart, credit the paid-up capital account of the profile."""
        if self.opening_move_id:
            return
        amount = self.env["telecoop.share.line"]._get_import_amount(self)
        if self.company_id.currency_id.is_zero(amount):
            return
        profile = self.company_id.telecoop_statute_profile_id
        profile._check_accounting_setup(["capital_journal_id", "capital_paid_account_id"])
        counterpart = self.opening_account_id or self.company_id.get_unaffected_earnings_account()
        label = self.env._("Opening capital of the register moved in (%(name)s)", name=self.name)
        debit, credit = (amount, 0) if amount > 0 else (0, -amount)
        move = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "entry",
                    "company_id": self.company_id.id,
                    "journal_id": profile.capital_journal_id.id,
                    "date": self.opening_date or fields.Date.context_today(self),
                    "ref": label,
                    "line_ids": [
                        Command.create(
                            {
                                "name": label,
                                "account_id": counterpart.id,
                                "debit": debit,
                                "credit": credit,
                            }
                        ),
                        Command.create(
                            {
                                "name": label,
                                "account_id": profile.capital_paid_account_id.id,
                                "debit": credit,
                                "credit": debit,
                            }
                        ),
                    ],
                }
            )
        )
        move.action_post()
        self.opening_move_id = move


class TelecoopRegisterImportProblem(models.Model):
    """A problem of an imported file: where it is and what is wrong."""

    _name = "telecoop.register.import.problem"
    _description = "Problem of an imported file"
    _check_company_auto = True
    _order = "import_id, id"

    import_id = fields.Many2one(
        "telecoop.register.import",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="import_id.company_id", store=True, index=True)
    file = fields.Char(required=True)
    line = fields.Integer()
    column = fields.Char()
    message = fields.Char(required=True)
