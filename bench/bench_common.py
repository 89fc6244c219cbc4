# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the benchmark scripts share: arguments, the Odoo environment, peak
memory, and a month of usage on a step plan built set-based."""

import argparse
import contextlib
import os
import resource
import time
from datetime import date

from odoo import api
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.service import server
from odoo.tools import config


def peak_memory_mb():
    """Peak resident memory of this process (MB): since the last
    :func:`reset_peak_memory`, else since it started."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_memory_mb():
    """Resident memory of this process now (MB), or 0 when unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def reset_peak_memory():
    """Start measuring the peak memory from now (Linux: /proc/self/clear_refs).

    Returns the resident memory at that moment (MB): what the process held
    before (the set-up of the benchmark, Odoo's caches)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear_refs:
            clear_refs.write("5")
    except OSError:
        pass
    return current_memory_mb()


def bench_parser(doc):
    """A parser with the options every benchmark takes: config, database, --commit."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("-c", "--config", default=".local/odoo.conf")
    parser.add_argument(
        "-d",
        "--database",
        default=os.environ.get("TELECOOP_BENCH_DB"),
        help="a database with the addons installed (or TELECOOP_BENCH_DB)",
    )
    parser.add_argument("--addons-path", help="instead of the one of the config file")
    parser.add_argument("--commit", action="store_true", help="keep the bench data")
    return parser


@contextlib.contextmanager
def bench_env(args, keep=None):
    """A superuser environment on the database of ``args``; rolled back at the end
    unless ``--commit`` (or ``keep``)."""
    if not args.database:
        raise SystemExit("give the database with -d or TELECOOP_BENCH_DB")
    options = ["-c", args.config, "-d", args.database]
    if args.addons_path:
        options += ["--addons-path", args.addons_path]
    config.parse_config(options)
    server.load_server_wide_modules()
    registry = Registry(args.database)
    with registry.cursor() as cr:
        yield api.Environment(cr, api.SUPERUSER_ID, {})
        if not (args.commit if keep is None else keep):
            cr.rollback()


def create_bench_company(env, name):
    """A fresh company for one benchmark run, and an environment working in it
    without chatter messages or tracking."""
    company = env["res.company"].create({"name": f"{name} {time.time_ns()}"})
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
    return company, env


def create_step_plan(env, company):
    """A step plan like TeleCoop's: 14 EUR, then +2, +4, +6 EUR at 5, 20, 50, 80 GB."""
    return env["telecoop.mobile.plan"].create(
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


def create_usage_month(env, company, lines, records, period, prefix="B", emails=False):
    """``lines`` lines on a step plan (about two lines per three holders) and
    ``records`` usage records of the month of ``period``, inserted in SQL as the
    importer leaves them. Returns (plan, source, holders, mobile lines)."""
    plan = create_step_plan(env, company)
    source = env["telecoop.usage.source"].create(
        {"name": f"Bench {prefix}", "company_id": company.id}
    )
    holders = max(1, lines * 2 // 3)
    partners = env["res.partner"]
    for start in range(0, holders, 2000):
        partners |= env["res.partner"].create(
            [
                {
                    "name": f"Bench holder {i}",
                    **({"email": f"holder{i}@bench.example"} if emails else {}),
                }
                for i in range(start, min(holders, start + 2000))
            ]
        )
    mobile_lines = env["telecoop.mobile.line"]
    msisdn_prefix = f"337{ord(prefix[0]) % 10}"
    for start in range(0, lines, 2000):
        mobile_lines |= env["telecoop.mobile.line"].create(
            [
                {
                    "msisdn": f"{msisdn_prefix}{i:07d}",
                    "company_id": company.id,
                    "partner_id": partners[i % holders].id,
                    "plan_id": plan.id,
                    "activation_date": "2025-01-01",
                }
                for i in range(start, min(lines, start + 2000))
            ]
        )
    env.flush_all()
    # the record table is partitioned by month: the month's partition first
    from odoo.addons.telecoop_mobile_billing.models.telecoop_usage_record import (  # noqa: PLC0415
        ensure_partitions,
    )

    ensure_partitions(env.cr, [period if hasattr(period, "year") else date.fromisoformat(period)])
    env.cr.execute(
        """
        INSERT INTO telecoop_usage_record
               (company_id, source_id, record_id, line_id, msisdn, started_at, period,
                usage_type, quantity, zone, destination)
        SELECT %(company)s, %(source)s, %(prefix)s || g, l.id, l.msisdn,
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
            "prefix": prefix,
            "period": period,
            "records": records,
            "lines": mobile_lines.ids,
            "nlines": len(mobile_lines),
        },
    )
    return plan, source, partners, mobile_lines
