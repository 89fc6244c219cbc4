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

import argparse
import statistics
import sys
import time

from odoo import api, fields
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.service import server
from odoo.tools import config


def run(env, lines=1000, records=30000, repeat=20, out=sys.stdout):
    """Run the benchmark in ``env`` (its transaction is left to the caller)."""
    t0 = time.perf_counter()
    company = env["res.company"].create({"name": f"Bench Portal Coop {time.time_ns()}"})
    env.user.company_ids |= company
    env = env(
        context=dict(
            env.context,
            allowed_company_ids=company.ids,
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
        )
    )
    period = fields.Date.context_today(env.user).replace(day=1)
    plan = env["telecoop.mobile.plan"].create(
        {
            "name": "Bench step plan",
            "company_id": company.id,
            "base_fee": 14,
            "tier_type": "step",
            "tier_ids": [
                Command.create({"upper_units": 5, "price": 0}),
                Command.create({"upper_units": 20, "price": 2}),
                Command.create({"upper_units": 50, "price": 4}),
                Command.create({"upper_units": 80, "price": 6}),
            ],
            "rate_ids": [
                Command.create(
                    {"usage_type": "voice", "zone": "international", "price": 0.3, "unit": 60}
                )
            ],
        }
    )
    source = env["telecoop.usage.source"].create({"name": "Bench", "company_id": company.id})
    holders = max(1, lines * 2 // 3)
    partners = env["res.partner"]
    for start in range(0, holders, 2000):
        partners |= env["res.partner"].create(
            [
                {"name": f"Bench holder {i}", "email": f"holder{i}@bench.example"}
                for i in range(start, min(holders, start + 2000))
            ]
        )
    mobile_lines = env["telecoop.mobile.line"]
    for start in range(0, lines, 2000):
        mobile_lines |= env["telecoop.mobile.line"].create(
            [
                {
                    "msisdn": f"3371{i:07d}",
                    "company_id": company.id,
                    "partner_id": partners[i % holders].id,
                    "plan_id": plan.id,
                    "activation_date": "2025-01-01",
                }
                for i in range(start, min(lines, start + 2000))
            ]
        )
    env.flush_all()
    env.cr.execute(
        """
        INSERT INTO telecoop_usage_record
               (company_id, source_id, record_id, line_id, msisdn, started_at, period,
                usage_type, quantity, zone, destination)
        SELECT %(company)s, %(source)s, 'P' || g, l.id, l.msisdn,
               %(period)s::timestamp + (g %% 86400) * interval '1 second', %(period)s,
               CASE WHEN g %% 3 = 0 THEN 'voice' ELSE 'data' END,
               CASE WHEN g %% 3 = 0 THEN g %% 600 ELSE (g %% 97) * 10000000 END,
               CASE WHEN g %% 11 = 0 THEN 'eu' WHEN g %% 7 = 0 THEN 'international'
                    ELSE 'national' END,
               CASE WHEN g %% 3 = 0 THEN '3314000' || lpad((g %% 10000)::text, 4, '0') END
          FROM generate_series(1, %(records)s) g
          JOIN LATERAL (SELECT id, msisdn FROM telecoop_mobile_line
                         WHERE id = (%(lines)s)[1 + g %% %(nlines)s]) l ON TRUE
        """,
        {
            "company": company.id,
            "source": source.id,
            "period": period,
            "records": records,
            "lines": mobile_lines.ids,
            "nlines": len(mobile_lines),
        },
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
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--config", default=".local/odoo.conf")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--lines", type=int, default=30000)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--commit", action="store_true", help="keep the bench data")
    args = parser.parse_args(argv)

    config.parse_config(["-c", args.config, "-d", args.database])
    server.load_server_wide_modules()
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        run(env, args.lines, args.records, args.repeat)
        if not args.commit:
            cr.rollback()


if __name__ == "__main__":
    main()
