# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the benchmark scripts share: arguments, the Odoo environment, peak
memory, and a month of usage on a step plan built set-based."""

import argparse
import contextlib
import os
import resource
import time
from datetime import date, timedelta

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


def bench_registry(args):
    """The registry of the database of ``args`` (``-c``, ``-d``, ``--addons-path``),
    Odoo configured from the config file and its server-wide modules loaded."""
    if not args.database:
        raise SystemExit("give the database with -d or TELECOOP_BENCH_DB")
    options = ["-c", args.config, "-d", args.database]
    if getattr(args, "addons_path", None):
        options += ["--addons-path", args.addons_path]
    config.parse_config(options)
    server.load_server_wide_modules()
    return Registry(args.database)


@contextlib.contextmanager
def bench_env(args, keep=None):
    """A superuser environment on the database of ``args``; rolled back at the end
    unless ``--commit`` (or ``keep``)."""
    registry = bench_registry(args)
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


#: the colleges of a bench cooperative and their vote weights (code, weight)
COLLEGES = [("users", 40), ("employees", 20), ("founders", 20), ("partners", 20)]


def create_bench_statutes(
    env, company, name, colleges=COLLEGES, quorum_percent=None, share_name="Bench share", **values
):
    """The statute profile ``name`` of ``company`` with ``colleges`` ((code, vote
    weight)), an ordinary assembly's first-call rule when ``quorum_percent`` is
    given, the other ``values``; and a share class of 100 EUR opening the first
    college. Returns the profile, its colleges (by id) and the share class."""
    rules = (
        [
            Command.create(
                {"assembly_type": "ordinary", "call": "first", "quorum_percent": quorum_percent}
            )
        ]
        if quorum_percent is not None
        else []
    )
    profile = env["telecoop.statute.profile"].create(
        {
            "name": name,
            "company_id": company.id,
            "college_ids": [
                Command.create({"name": code.title(), "code": code, "vote_weight": weight})
                for code, weight in colleges
            ],
            **({"assembly_rule_ids": rules} if rules else {}),
            **values,
        }
    )
    college_records = profile.college_ids.sorted("id")
    share_class = env["telecoop.share.class"].create(
        {
            "name": share_name,
            "company_id": company.id,
            "nominal_value": 100,
            "college_id": college_records[0].id,
        }
    )
    return profile, college_records, share_class


def create_register_statutes(env, company, name, journal_code, number_prefix):
    """Statutes for a register import (``create_bench_statutes``): its capital journal
    and paid capital account (1013), and the opening account (1200) it returns."""
    journal = env["account.journal"].create(
        {"name": "Capital", "code": journal_code, "type": "general", "company_id": company.id}
    )
    account = env["account.account"]
    capital = account.create(
        {"code": "1013", "name": "Capital", "account_type": "equity", "company_ids": company.ids}
    )
    opening = account.create(
        {"code": "1200", "name": "Opening", "account_type": "equity", "company_ids": company.ids}
    )
    create_bench_statutes(
        env,
        company,
        name,
        member_number_prefix=number_prefix,
        capital_journal_id=journal.id,
        capital_paid_account_id=capital.id,
    )
    return opening


def issue_one_share_each(env, company, share_class, college, partners, on_date="2026-01-15"):
    """One share issued to each of ``partners`` (through the ORM): members of
    ``college``."""
    env["telecoop.share.line"].create(
        [
            {
                "company_id": company.id,
                "partner_id": partner.id,
                "share_class_id": share_class.id,
                "college_id": college.id,
                "date": on_date,
                "movement_type": "issue",
                "quantity": 1,
                "amount": 100,
            }
            for partner in partners
        ]
    )
    partners.write({"telecoop_is_member": True, "telecoop_college_id": college.id})


def create_voting_members(env, name, partner_values, **statute_values):
    """A fresh company (``create_bench_company``) whose statutes ``statute_values``
    have two colleges of equal weight and no quorum, and one member per
    ``partner_values``, one share each in the first college. Returns the company,
    its environment and the members."""
    company, env = create_bench_company(env, name)
    __, colleges, share_class = create_bench_statutes(
        env,
        company,
        f"{name} statutes",
        colleges=[("users", 50), ("employees", 50)],
        quorum_percent=0,
        **statute_values,
    )
    partners = env["res.partner"].create(partner_values)
    issue_one_share_each(env, company, share_class, colleges[0], partners)
    return company, env, partners


def create_assembly(env, company, name, resolutions, held_in=None, open_since=None):
    """An ordinary assembly of ``company`` (record date 1 February 2026) whose vote is
    open from ``open_since`` ago (a day) to a day from now, held ``held_in`` from now
    (now); ``resolutions``: the values of each resolution."""
    now = env.cr.now().replace(microsecond=0)
    return env["telecoop.assembly"].create(
        {
            "name": name,
            "company_id": company.id,
            "date": now + (held_in or timedelta(0)),
            "record_date": "2026-02-01",
            "vote_start": now - (open_since or timedelta(days=1)),
            "vote_end": now + timedelta(days=1),
            "resolution_ids": [Command.create(values) for values in resolutions],
        }
    )


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
