# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of the member's consumption page (/my/lines/<id>) of telecoop_mobile_billing.

    python3 bench/bench_consumption_page.py -c .local/odoo.conf -d <db> --records 1000000

Builds, in a fresh company of a database where the addon is installed, ``lines``
lines on one step plan and ``records`` usage records of the current month
(inserted in SQL, as the importer leaves them), rates the month (with the usage
alerts that follow each rating), then times the data of the consumption page:
the very method the portal controller calls (current month priced like the
billing run, twelve months of history, the sobriety median over every line of
the plan, the alerts). The page reads the rated usage, not the raw records.
Prints the median and the slowest of ``repeat`` runs in ms (target: 200 ms with
1,000,000 records). Everything is rolled back at the end unless ``--commit``.
"""

import statistics
import sys
import time

from bench_common import bench_env, bench_parser, create_bench_company, create_usage_month

from odoo import fields


def run(env, lines=1000, records=30000, repeat=20, out=sys.stdout):
    """Run the benchmark in ``env`` (its transaction is left to the caller)."""
    t0 = time.perf_counter()
    company, env = create_bench_company(env, "Bench Portal Coop")
    period = fields.Date.context_today(env.user).replace(day=1)
    __, __, __, mobile_lines = create_usage_month(
        env, company, lines, records, period, prefix="P", emails=True
    )
    env.cr.execute("ANALYZE telecoop_usage_record")
    setup = time.perf_counter() - t0
    print(f"set-up: {lines} lines, {records} records of {period:%Y-%m} in {setup:.1f} s", file=out)

    t1 = time.perf_counter()
    env["telecoop.rated.usage"]._rate_period(company, period)
    env.flush_all()
    rating = time.perf_counter() - t1
    alerts = env["telecoop.mobile.line.alert"].search_count([("company_id", "=", company.id)])
    print(f"rating with alerts: {rating:.2f} s, {alerts} alerts created and queued", file=out)
    env.cr.execute("ANALYZE telecoop_rated_usage")

    # imported here: the addons path is known once the configuration is read
    from odoo.addons.telecoop_mobile_billing.controllers.portal import (  # noqa: PLC0415
        TelecoopMobileLinePortal,
    )

    controller = TelecoopMobileLinePortal()
    line = mobile_lines[1].sudo()  # a line with data (the first one gets calls only)
    timings = []
    values = None
    for __ in range(repeat):
        env.invalidate_all()
        start = time.perf_counter()
        values = controller._telecoop_line_values(line)
        timings.append((time.perf_counter() - start) * 1000)
    median = statistics.median(timings)
    print(
        f"consumption page data: median {median:.1f} ms, slowest {max(timings):.1f} ms "
        f"over {repeat} runs (target 200 ms)",
        file=out,
    )
    return {"median_ms": median, "max_ms": max(timings), "values": values, "alerts": alerts}


def main(argv=None):
    parser = bench_parser(__doc__)
    parser.add_argument("--lines", type=int, default=30000)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    with bench_env(args) as env:
        run(env, args.lines, args.records, args.repeat)


if __name__ == "__main__":
    main()
