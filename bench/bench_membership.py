# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of the register of members (telecoop_membership).

    python3 bench/bench_membership.py -c .local/odoo.conf -d <db> --members 50000 --movements 4

Builds, in a fresh company of a database where telecoop_membership is installed,
a statute profile, a share class, ``members`` partners and about ``movements``
share movements each (issues, then buy-backs of part of them), inserted in SQL
over five years. Then times what staff do with the register: rebuild it at
several past dates, the capital at a date, the CSV and XLSX exports, and what a
buy-back approval reads under the register lock (holdings, capital). Prints the
seconds and the peak memory. Everything is rolled back at the end unless
``--commit``.
"""

import sys
import time
from datetime import date

from bench_common import bench_env, bench_parser, create_bench_company, peak_memory_mb

from odoo.fields import Command


def run(env, members=50000, movements=4, out=sys.stdout):
    """Run the benchmark in ``env`` (its transaction is left to the caller)."""
    cr = env.cr
    t0 = time.perf_counter()
    company, env = create_bench_company(env, "Bench Membership Coop")
    profile = env["telecoop.statute.profile"].create(
        {
            "name": "Bench statutes",
            "company_id": company.id,
            "capital_floor": 0,
            "college_ids": [
                Command.create({"name": "Users", "code": "users", "vote_weight": 50}),
                Command.create({"name": "Founders", "code": "founders", "vote_weight": 50}),
            ],
        }
    )
    college = profile.college_ids[0]
    share_class = env["telecoop.share.class"].create(
        {"name": "Bench share", "company_id": company.id, "college_id": college.id}
    )
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, active, type, autopost_bills)
        SELECT 'Bench member ' || n, 'Bench member ' || n, true, 'contact', 'ask'
          FROM generate_series(1, %(members)s) n
        RETURNING id
        """,
        {"members": members},
    )
    partner_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        """
        INSERT INTO telecoop_membership (partner_id, company_id, member_number, college_id,
                                         admission_date, state, is_member)
        SELECT p.id, %(company)s, %(prefix)s || lpad(p.n::text, 7, '0'), %(college)s,
               DATE '2021-01-01' + (p.n %% 1500)::int, 'member', true
          FROM unnest(%(partners)s::int[]) WITH ORDINALITY AS p(id, n)
        """,
        {
            "company": company.id,
            "prefix": f"B{company.id}-",
            "college": college.id,
            "partners": partner_ids,
        },
    )
    # Issues of 1 to 5 shares over five years, then buy-backs of one share for
    # some of them, so that each member has about ``movements`` movements.
    cr.execute(
        """
        INSERT INTO telecoop_share_line (company_id, partner_id, share_class_id, college_id,
                                         date, movement_type, quantity, amount)
        SELECT %(company)s, p.id, %(class)s, %(college)s,
               DATE '2021-01-01' + ((p.id * 7 + k * 97) %% 1800),
               CASE WHEN k = %(movements)s AND p.id %% 3 = 0 THEN 'buyback' ELSE 'issue' END,
               CASE WHEN k = %(movements)s AND p.id %% 3 = 0 THEN -1 ELSE 1 + (p.id + k) %% 5 END,
               CASE WHEN k = %(movements)s AND p.id %% 3 = 0 THEN -100
                    ELSE 100 * (1 + (p.id + k) %% 5) END
          FROM unnest(%(partners)s::int[]) AS p(id), generate_series(1, %(movements)s) k
        """,
        {
            "company": company.id,
            "class": share_class.id,
            "college": college.id,
            "movements": movements,
            "partners": partner_ids,
        },
    )
    cr.execute("ANALYZE telecoop_share_line")
    env.invalidate_all()
    t_setup = time.perf_counter() - t0
    lines = env["telecoop.share.line"]
    timings = {}
    rows_at = {}
    for at_date in (date(2022, 12, 31), date(2024, 6, 30), date(2026, 12, 31)):
        t = time.perf_counter()
        rows_at[at_date] = lines._get_register_rows(company, at_date)
        timings[f"register at {at_date}"] = time.perf_counter() - t
    t = time.perf_counter()
    capital = lines._get_capital(company, date(2026, 12, 31))
    timings["capital at a date"] = time.perf_counter() - t
    wizard = env["telecoop.register.wizard"].create(
        {"company_id": company.id, "date": date(2026, 12, 31)}
    )
    t = time.perf_counter()
    csv_text = wizard._get_csv()
    timings["CSV export"] = time.perf_counter() - t
    t = time.perf_counter()
    xlsx = wizard._get_xlsx()
    timings["XLSX export"] = time.perf_counter() - t
    # What a buy-back approval reads under the register lock: holdings and capital.
    partner = env["res.partner"].browse(partner_ids[0])
    t = time.perf_counter()
    lines._lock_register(company)
    lines._get_holdings(company, partner, share_class)
    lines._get_capital(company)
    timings["buy-back checks (lock, holding, capital)"] = time.perf_counter() - t
    final = rows_at[date(2026, 12, 31)]
    print(
        f"setup {t_setup:.1f} s: {members} members, {members * movements} movements; "
        f"register of {len(final)} members, capital {capital:.2f}, "
        f"CSV {len(csv_text) // 1024} KB, XLSX {len(xlsx) // 1024} KB",
        file=out,
    )
    for name, seconds in timings.items():
        print(f"{name}: {seconds:.3f} s", file=out)
    print(f"peak memory {peak_memory_mb():.0f} MB", file=out)
    return {
        "members": len(final),
        "capital": capital,
        "shares": sum(row["shares"] for row in final),
        "timings": timings,
        "csv_lines": len(csv_text.strip().splitlines()),
    }


def main(argv=None):
    parser = bench_parser(__doc__)
    parser.add_argument("--members", type=int, default=50000)
    parser.add_argument("--movements", type=int, default=4)
    args = parser.parse_args(argv)
    with bench_env(args) as env:
        run(env, args.members, args.movements)


if __name__ == "__main__":
    main()
