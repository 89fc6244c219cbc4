# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A register import that commits per chunk, killed half way, then resumed.

    python3 bench/check_register_import_resume.py -c .local/odoo.conf -d <scratch db> \\
        --members 300 --movements 1200 --lines 150 --chunk 100

Two fresh cooperatives (companies) get the same files: a members file, a share
movements file and a lines file (the generator of bench_register_import.py).

- "One shot": the import runs once, in one transaction (the form's mode).
- "Resumed": the import runs in its own process (``python3 this --child``) with
  ``telecoop_import_commit`` (one commit per chunk of ``--chunk`` rows), and the
  process is killed (SIGKILL) twice: first in the second chunk of members, then
  in the third chunk of movements. To stop it at a known row, this script holds
  an uncommitted row with the member number (then the movement reference) of a
  row of that chunk: the child's INSERT waits on the unique index, the script
  sees it waiting (``pg_blocking_pids``), kills the process and its database
  session, and rolls its row back. Each time the committed state is checked
  (exactly the chunks before), then the same import is started again; the third
  run ends. The same files, imported a fourth time by a new import, add nothing.

It fails (exit 1) unless both cooperatives end with the same members (numbers,
names, colleges, dates, states), the same movements, the same lines, the same
member sequence, and one opening entry each of the same amount. The data is
COMMITTED: run it on a scratch database (``make test`` runs it on a copy of the
test database, then drops it).
"""

import argparse
import base64
import os
import signal
import subprocess
import sys
import tempfile
import time

from bench_common import (
    bench_env,
    bench_parser,
    create_bench_company,
    create_register_statutes,
    create_step_plan,
)
from bench_register_import import make_files

HERE = os.path.dirname(os.path.abspath(__file__))


def make_lines(members_csv, count, plan_name):
    """A lines file: ``count`` lines held by the first members of the file."""
    rows = ["msisdn,iccid,holder,plan,activation_date"]
    for index, row in enumerate(members_csv.decode().splitlines()[1 : count + 1]):
        number, *_rest, admission, _exit = row.split(",")
        rows.append(f"3370{index:07d},89331{index:014d},{number},{plan_name},{admission}")
    return "\n".join(rows).encode()


def setup(env, name, files):
    company, env = create_bench_company(env, name)
    opening = create_register_statutes(
        env, company, f"{name} statutes", journal_code="RCAP", number_prefix="R"
    )
    create_step_plan(env, company)
    return env, new_import(env, company, files, opening)


def new_import(env, company, files, opening=None):
    members_csv, movements_csv, lines_csv = files
    opening = (
        opening
        or env["telecoop.register.import"]
        .search([("company_id", "=", company.id)], limit=1)
        .opening_account_id
    )
    return env["telecoop.register.import"].create(
        {
            "company_id": company.id,
            "members_file": base64.b64encode(members_csv),
            "members_filename": "members.csv",
            "movements_file": base64.b64encode(movements_csv),
            "movements_filename": "movements.csv",
            "lines_file": base64.b64encode(lines_csv),
            "lines_filename": "lines.csv",
            "opening_account_id": opening.id,
        }
    )


def movement_refs(movements_csv):
    """The references of the share lines the import writes, in the order it writes
    them: a transfer is two lines, the receiver's with ``/in``."""
    refs = []
    for row in movements_csv.decode().splitlines()[1:]:
        ref, _date, kind, *_rest = row.split(",")
        refs.append(ref)
        if kind == "transfer":
            refs.append(ref + "/in")
    return refs


def state_of(env, company):
    """What a person checks of a cooperative moved in, without database ids (read
    in a new transaction: what the other processes committed)."""
    env.cr.rollback()
    env.invalidate_all(flush=False)
    memberships = env["telecoop.membership"].search([("company_id", "=", company.id)])
    lines = env["telecoop.share.line"].search([("company_id", "=", company.id)])
    mobile = env["telecoop.mobile.line"].search([("company_id", "=", company.id)])
    numbers = {m.partner_id.id: m.member_number for m in memberships}
    opening = env["account.move"].search(
        [("company_id", "=", company.id), ("ref", "like", "Opening capital%")]
    )
    return {
        "members": sorted(
            (
                m.member_number,
                m.partner_id.name,
                m.partner_id.email or "",
                m.college_id.code,
                str(m.admission_date),
                str(m.exit_date),
                m.state,
            )
            for m in memberships
        ),
        "movements": sorted(
            (
                line.telecoop_import_ref,
                str(line.date),
                line.movement_type,
                numbers.get(line.partner_id.id),
                line.quantity,
                float(line.amount),
                line.college_id.code,
            )
            for line in lines
        ),
        "lines": sorted(
            (
                line.msisdn,
                line.iccid,
                numbers.get(line.partner_id.id),
                line.plan_id.name,
                str(line.activation_date),
            )
            for line in mobile
        ),
        "sequence": company.telecoop_statute_profile_id.member_sequence_id.number_next_actual,
        "opening": sorted(sum(move.line_ids.mapped("credit")) for move in opening),
    }


def run_child(args, import_id, log):
    return subprocess.Popen(
        [
            sys.executable,
            os.path.join(HERE, os.path.basename(__file__)),
            "-c",
            args.config,
            "-d",
            args.database,
            "--chunk",
            str(args.chunk),
            "--child",
            str(import_id),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def kill_when_blocked(registry, args, import_id, block_sql, block_args, log, timeout=300):
    """Hold an uncommitted row that a chunk of the child's import conflicts with;
    when the child's INSERT waits on it, kill the child (SIGKILL) and its session."""
    with registry.cursor() as blocker:
        blocker.execute(block_sql, block_args)
        blocker.execute("SELECT pg_backend_pid()")
        blocker_pid = blocker.fetchone()[0]
        child = run_child(args, import_id, log)
        deadline = time.monotonic() + timeout
        waiting = None
        with registry.cursor() as probe:
            while not waiting:
                if child.poll() is not None:
                    raise SystemExit(f"the import ended (code {child.returncode}) before the row")
                if time.monotonic() > deadline:
                    child.kill()
                    raise SystemExit("the import never reached the row held")
                time.sleep(0.2)
                probe.rollback()  # pg_stat_activity is read once per transaction
                probe.execute(
                    "SELECT pid FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
                    (blocker_pid,),
                )
                waiting = [row[0] for row in probe.fetchall()]
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
            for pid in waiting:
                probe.execute("SELECT pg_terminate_backend(%s)", (pid,))
            while waiting:
                probe.rollback()
                probe.execute("SELECT pid FROM pg_stat_activity WHERE pid = ANY(%s)", (waiting,))
                waiting = [row[0] for row in probe.fetchall()]
                time.sleep(0.1)
        blocker.rollback()
    return child.returncode


def main(argv=None):
    parser = bench_parser(__doc__)
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--movements", type=int, default=1200)
    parser.add_argument("--lines", type=int, default=150)
    parser.add_argument("--chunk", type=int, default=100)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child_main(args)
    chunk = args.chunk
    if args.members <= 2 * chunk or args.movements <= 3 * chunk or args.lines <= chunk:
        raise SystemExit("give at least 2 chunks of members and 3 of movements and lines")
    members_csv, movements_csv = make_files(args.members, args.movements, prefix="R")
    files = (members_csv, movements_csv, make_lines(members_csv, args.lines, "Bench step plan"))
    members = [row.split(",")[0] for row in members_csv.decode().splitlines()[1:]]
    refs = movement_refs(movements_csv)
    with bench_env(args, keep=True) as env:
        registry = env.registry
        env_one, one_shot = setup(env, "Import one shot", files)
        env_res, resumed = setup(env, "Import resumed", files)
        env.cr.commit()
        t0 = time.perf_counter()
        if one_shot.action_import():
            raise SystemExit(
                f"the files have problems: {one_shot.problem_ids[:5].mapped('message')}"
            )
        env.cr.commit()
        print(f"one shot: {time.perf_counter() - t0:.1f} s")
        company = resumed.company_id
        partner = company.partner_id.id
        bench_class = env["telecoop.share.class"].search([("company_id", "=", company.id)])
        college = bench_class.college_id.id
        failures = []

        def check(label, got, expected):
            print(f"{label}: {got}" + ("" if got == expected else f" (expected {expected})"))
            if got != expected:
                failures.append(label)

        with tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False) as log:
            # 1. killed in the second chunk of members
            kill_when_blocked(
                registry,
                args,
                resumed.id,
                "INSERT INTO telecoop_membership (partner_id, company_id, member_number, state,"
                " is_member) VALUES (%s, %s, %s, 'candidate', false)",
                (partner, company.id, members[chunk + chunk // 2]),
                log,
            )
            state = state_of(env_res, company)
            check("killed in the members: members committed", len(state["members"]), chunk)
            check("killed in the members: movements committed", len(state["movements"]), 0)
            # 2. started again, killed in the third chunk of movements
            kill_when_blocked(
                registry,
                args,
                resumed.id,
                "INSERT INTO telecoop_share_line (company_id, partner_id, share_class_id,"
                " college_id, date, movement_type, quantity, amount, telecoop_import_ref)"
                " VALUES (%s, %s, %s, %s, '2020-01-01', 'issue', 1, 100, %s)",
                (company.id, partner, bench_class.id, college, refs[2 * chunk + chunk // 2]),
                log,
            )
            state = state_of(env_res, company)
            check("killed in the movements: members", len(state["members"]), args.members)
            check("killed in the movements: movements", len(state["movements"]), 2 * chunk)
            check("killed in the movements: opening entries", state["opening"], [])
            # 3. started again: it ends
            child = run_child(args, resumed.id, log)
            code = child.wait()
            log.seek(0)
            if code:
                print(log.read()[-3000:])
            check("third run: exit code", code, 0)
        os.unlink(log.name)
        expected = state_of(env_one, one_shot.company_id)
        got = state_of(env_res, company)
        for key in expected:
            check(f"resumed = one shot: {key}", got[key] == expected[key], True)
        check("one opening entry", len(got["opening"]), 1)
        resumed.invalidate_recordset()
        check(
            "counts of the resumed import",
            (resumed.state, resumed.member_count, resumed.movement_count, resumed.line_count),
            (
                "done",
                one_shot.member_count,
                one_shot.movement_count,
                one_shot.line_count,
            ),
        )
        # 4. the same files a fourth time add nothing
        again = new_import(env_res, company, files)
        check("the same files again: problems", again.action_import(), [])
        check(
            "the same files again: created",
            (again.member_count, again.movement_count, again.line_count),
            (0, 0, 0),
        )
        check("the same files again: unchanged", state_of(env_res, company) == got, True)
        env.cr.commit()
        print(
            f"{args.members} members, {len(refs)} share lines, {args.lines} lines, chunks of "
            f"{chunk}: killed twice, resumed, same register as one shot: "
            + ("OK" if not failures else "FAILED: " + ", ".join(failures))
        )
        return 1 if failures else 0


def child_main(args):
    """The import in its own process, committing per chunk."""
    with bench_env(args, keep=True) as env:
        record = env["telecoop.register.import"].browse(args.child)
        env = env(
            context=dict(
                env.context,
                allowed_company_ids=record.company_id.ids,
                tracking_disable=True,
                telecoop_import_commit=True,
                telecoop_import_chunk_size=args.chunk,
            )
        )
        problems = record.with_env(env).action_import()
        if problems:
            print(f"problems: {problems[:5]}")
            return 1
        env.cr.commit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
