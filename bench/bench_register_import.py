# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of moving an existing cooperative in (telecoop_membership).

    python3 bench/bench_register_import.py -c .local/odoo.conf -d <db> --members 10000 \\
        --movements 40000

Builds, in a fresh company, a statute profile with four colleges, a share class
and its capital accounts, then the two CSV files of an existing register:
``members`` members and ``movements`` historic movements over ten years (one
first issue per member, then further issues, transfers and buy-backs, always
consistent). Times the dry run and the real run of ``telecoop.register.import``
(read, check, replay, write, one opening entry) and prints the seconds and the
peak memory. Everything is rolled back at the end unless ``--commit``.
"""

import base64
import datetime
import random
import sys
import time

from bench_common import (
    COLLEGES,
    bench_env,
    bench_parser,
    create_bench_company,
    create_register_statutes,
    peak_memory_mb,
)


def make_files(members, movements, prefix="B", seed=7):
    """CSV members and movements files of a consistent ten-year history."""
    rng = random.Random(seed)
    start = datetime.date(2015, 1, 1)
    member_rows = ["member_number,name,email,college,admission_date,exit_date"]
    admitted = {}
    for i in range(members):
        number = f"{prefix}{i:06d}"
        admitted[number] = start + datetime.timedelta(days=i * 3000 // max(members, 1))
        college = COLLEGES[i % len(COLLEGES)][0]
        member_rows.append(
            f"{number},Bench member {i},m{i}@bench.example,{college},{admitted[number]},"
        )
    events = []
    for number, day in admitted.items():
        events.append((day, "issue", number, "", rng.randint(1, 5)))
    numbers = list(admitted)
    for _i in range(max(0, movements - members)):
        number = rng.choice(numbers)
        day = admitted[number] + datetime.timedelta(days=rng.randint(1, 600))
        events.append((day, rng.choice(("issue", "issue", "transfer", "buyback")), number, "", 0))
    events.sort()
    held = dict.fromkeys(numbers, 0)
    movement_rows = ["ref,date,type,member_number,to_member_number,share_class,quantity"]
    for index, (day, kind, number, _to, quantity) in enumerate(events):
        if kind == "issue":
            quantity = quantity or rng.randint(1, 3)
            held[number] += quantity
            to = ""
        elif held[number] <= 1:
            kind, quantity, to = "issue", 1, ""
            held[number] += 1
        else:
            quantity = rng.randint(1, held[number] - 1)
            held[number] -= quantity
            to = ""
            if kind == "transfer":
                to = rng.choice(numbers)
                if to == number or admitted[to] > day:
                    kind, to = "buyback", ""
                else:
                    held[to] += quantity
        movement_rows.append(f"H{index:07d},{day},{kind},{number},{to},Bench share,{quantity}")
    return "\n".join(member_rows).encode(), "\n".join(movement_rows).encode()


def run(env, members=10000, movements=40000, out=sys.stdout):
    """Run the benchmark in ``env`` (its transaction is left to the caller)."""
    company, env = create_bench_company(env, "Bench Import Coop")
    opening = create_register_statutes(
        env, company, "Bench statutes", journal_code="BCAP", number_prefix=f"BENCH{company.id}-"
    )
    # member numbers are unique in the database: one prefix per run
    members_csv, movements_csv = make_files(members, movements, prefix=f"R{company.id}-")
    record = env["telecoop.register.import"].create(
        {
            "company_id": company.id,
            "members_file": base64.b64encode(members_csv),
            "members_filename": "members.csv",
            "movements_file": base64.b64encode(movements_csv),
            "movements_filename": "movements.csv",
            "opening_account_id": opening.id,
        }
    )
    movement_count = movements_csv.count(b"\n")
    t0 = time.perf_counter()
    problems = record.action_check()
    dry = time.perf_counter() - t0
    if problems:
        raise SystemExit(f"the bench files have problems: {problems[:5]}")
    t0 = time.perf_counter()
    problems = record.action_import()
    env.flush_all()
    real = time.perf_counter() - t0
    result = {
        "members": record.member_count,
        "movements": movement_count,
        "share_lines": record.movement_count,
        "dry_run": dry,
        "import": real,
        "capital": env["telecoop.share.line"]._get_capital(company),
        "opening": sum(record.opening_move_id.line_ids.mapped("credit")),
    }
    print(
        f"{record.member_count} members, {movement_count} historic movements "
        f"({record.movement_count} share lines): dry run {dry:.1f} s, "
        f"import {real:.1f} s (limit 120 s), capital {result['capital']:.2f}, "
        f"opening entry {result['opening']:.2f}; peak memory {peak_memory_mb():.0f} MB",
        file=out,
    )
    return result


def main(argv=None):
    parser = bench_parser(__doc__)
    parser.add_argument("--members", type=int, default=10000)
    parser.add_argument("--movements", type=int, default=40000)
    args = parser.parse_args(argv)
    with bench_env(args) as env:
        run(env, args.members, args.movements)


if __name__ == "__main__":
    main()
