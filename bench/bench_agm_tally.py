# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of the tally of a general assembly (telecoop_agm).

    python3 bench/bench_agm_tally.py -c .local/odoo.conf -d <db> --members 20000 --resolutions 5

Builds, in a fresh company of a database where telecoop_agm is installed, a
statute profile with four colleges, ``members`` members holding paid shares
(partners and share movements inserted in SQL), an assembly whose electorate is
frozen by the addon's own code, and one ballot per member and resolution
(``--revotes`` of the members vote a second time, so the "last ballot counts"
rule is exercised), inserted in SQL. Then times the tally of each resolution
(read of the ballots, pure-Python weighted tally, result stored) and prints the
seconds per tally and the peak memory of the process. Everything is rolled back
at the end unless ``--commit``.
"""

import sys
import time

from bench_common import (
    COLLEGES,
    bench_env,
    bench_parser,
    create_assembly,
    create_bench_company,
    create_bench_statutes,
    peak_memory_mb,
)


def run(env, members=20000, resolutions=5, revotes=0.1, out=sys.stdout):
    """Run the benchmark in ``env`` (its transaction is left to the caller)."""
    cr = env.cr
    t0 = time.perf_counter()
    company, env = create_bench_company(env, "Bench AGM Coop")
    __, colleges, share_class = create_bench_statutes(
        env, company, "Bench statutes", colleges=COLLEGES, quorum_percent=20
    )
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, active, type, autopost_bills,
                                 create_date, write_date)
        SELECT 'Bench member ' || n, 'Bench member ' || n, true, 'contact', 'ask',
               now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
          FROM generate_series(1, %s) n
     RETURNING id
        """,
        (members,),
    )
    partner_ids = [row[0] for row in cr.fetchall()]
    college_ids = colleges.ids
    # members spread over the colleges 70 / 10 / 5 / 15 %, like a users' cooperative
    cr.execute(
        """
        INSERT INTO telecoop_share_line (company_id, partner_id, share_class_id, college_id,
                                         quantity, movement_type, date, amount)
        SELECT %(company)s, p.id, %(share_class)s,
               CASE WHEN p.rank %% 20 < 14 THEN %(c0)s WHEN p.rank %% 20 < 16 THEN %(c1)s
                    WHEN p.rank %% 20 < 17 THEN %(c2)s ELSE %(c3)s END,
               1 + p.rank %% 5, 'issue', DATE '2026-01-15', 100 * (1 + p.rank %% 5)
          FROM (SELECT id, row_number() OVER (ORDER BY id) AS rank
                  FROM res_partner WHERE id = ANY(%(partners)s)) p
        """,
        {
            "company": company.id,
            "share_class": share_class.id,
            "partners": partner_ids,
            **{f"c{i}": cid for i, cid in enumerate(college_ids)},
        },
    )
    now = cr.now().replace(microsecond=0)
    assembly = create_assembly(
        env,
        company,
        "Bench assembly",
        [{"name": f"Resolution {i + 1}", "sequence": i} for i in range(resolutions)],
    )
    t_setup = time.perf_counter() - t0
    t1 = time.perf_counter()
    assembly._set_state("convened")
    assembly._freeze_electorate()
    t_freeze = time.perf_counter() - t1
    assembly._set_state("open")
    env.flush_all()
    # one ballot per member and resolution, then a second ballot for some members
    for rounds, fraction in ((0, 1.0), (1, revotes)):
        cr.execute(
            """
            INSERT INTO telecoop_ballot (assembly_id, company_id, resolution_id, voter_id,
                                         choice_id, channel, cast_by_partner_id, cast_at,
                                         receipt_hash, sequence, college_id, voter_key, secret,
                                         prev_hash, entry_hash)
            SELECT r.assembly_id, %(company)s, r.id, v.id,
                   (SELECT c.id FROM telecoop_resolution_choice c
                     WHERE c.resolution_id = r.id
                  ORDER BY c.sequence, c.id OFFSET (v.id + r.id + %(round)s) %% 3 LIMIT 1),
                   'online', v.partner_id, %(now)s,
                   md5(random()::text || clock_timestamp()::text || v.id || '-' || r.id),
                   COALESCE((SELECT MAX(b.sequence) FROM telecoop_ballot b
                              WHERE b.resolution_id = r.id), 0)
                       + row_number() OVER (PARTITION BY r.id ORDER BY v.id),
                   v.college_id, md5('key-' || v.id || '-' || r.id), FALSE, '', ''
              FROM telecoop_resolution r
              JOIN telecoop_assembly_voter v ON v.assembly_id = r.assembly_id
             WHERE r.assembly_id = %(assembly)s
               AND abs(hashtext(v.id::text)) %% 1000 < %(per_mille)s
            """,
            {
                "company": company.id,
                "assembly": assembly.id,
                "round": rounds,
                "now": now,
                "per_mille": int(fraction * 1000),
            },
        )
    cr.execute("SELECT COUNT(*) FROM telecoop_ballot WHERE assembly_id = %s", (assembly.id,))
    ballots = cr.fetchone()[0]
    assembly._set_state("closed")
    env.invalidate_all()
    times = []
    for resolution in assembly.resolution_ids:
        t = time.perf_counter()
        resolution._tally()
        env.flush_all()
        times.append(time.perf_counter() - t)
    electorate = len(assembly.voter_ids)
    print(
        f"setup {t_setup:.1f} s, electorate of {electorate} members frozen in {t_freeze:.1f} s, "
        f"{ballots} ballots in the box",
        file=out,
    )
    for resolution, seconds in zip(assembly.resolution_ids, times, strict=True):
        print(
            f"{resolution.name}: tally {seconds:.3f} s, counted {resolution.result_counted}, "
            f"{resolution.result_state}",
            file=out,
        )
    print(
        f"seconds per tally: max {max(times):.3f}, mean {sum(times) / len(times):.3f}; "
        f"peak memory {peak_memory_mb():.0f} MB",
        file=out,
    )
    return {
        "electorate": electorate,
        "ballots": ballots,
        "times": times,
        "counted": assembly.resolution_ids.mapped("result_counted"),
    }


def main(argv=None):
    parser = bench_parser(__doc__)
    parser.add_argument("--members", type=int, default=20000)
    parser.add_argument("--resolutions", type=int, default=5)
    parser.add_argument("--revotes", type=float, default=0.1, help="share of members voting twice")
    args = parser.parse_args(argv)
    with bench_env(args) as env:
        run(env, args.members, args.resolutions, args.revotes)


if __name__ == "__main__":
    main()
