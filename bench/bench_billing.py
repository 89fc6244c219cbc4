# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of rating and of the monthly billing run of telecoop_mobile_billing.

    python3 bench/bench_billing.py -c .local/odoo.conf -d <db> --lines 30000 --records 1000000

Builds, in a fresh company of a database where the addon is installed, ``lines``
lines on a step plan (about two lines per three holders) and ``records`` usage
records of one month (inserted in SQL, as the importer leaves them), then times
the rating of the month and the billing run (chunks run in this process, as a
queue_job worker would). Prints records rated/s, invoices/s and the peak memory
of the process. Everything is rolled back at the end unless ``--commit``.

``--profile FILE`` (in-process only) runs the chunks under cProfile, writes the
stats to FILE and prints the split: Odoo's ``account.move`` create, ``_post`` (and
its numbering), the rest.

``--workers N`` (N > 1) runs the chunks in N processes, as N queue_job workers
would on N cores: the set-up is then committed (a fresh "Bench Coop" company
stays in the database) and each chunk commits its invoices.

``--server-workers N`` is the real thing: the set-up and the rating are
committed, an Odoo server is started on the database (``--workers N``, its
queue_job runner with N channels), the billing run is started as staff start it
(its chunks queued as jobs), and the time is taken until the run is done. In the
same run, Odoo's own plain batch ``account.move`` create + post of invoices of the
same shape (``--plain`` of them, default 2,000) is timed and printed beside it,
with the ratio of the two speeds (in every mode: ``--plain 0`` leaves it out).
The invoices' PDF and e-mail (Odoo's sending cron) are left out: no cron runs.
"""

import cProfile
import multiprocessing
import os
import pstats
import resource
import shutil
import socket
import subprocess
import sys
import time
from datetime import date

from bench_common import (
    bench_env,
    bench_parser,
    create_bench_company,
    create_usage_month,
    peak_memory_mb,
)

from odoo import Command, api
from odoo.modules.registry import Registry
from odoo.tools import config


def _worker(config_path, database, run_id, index, workers, chunk_size):
    """A process that invoices its share of the pending holders, chunk by chunk."""
    from psycopg2 import errors  # noqa: PLC0415 (child process)

    config.parse_config(["-c", config_path, "-d", database])
    registry = Registry(database)
    done = 0
    while True:
        with registry.cursor() as cr:
            env = api.Environment(
                cr, api.SUPERUSER_ID, {"queue_job__no_delay": True, "tracking_disable": True}
            )
            billing_run = env["telecoop.billing.run"].browse(run_id)
            cr.execute(
                "SELECT id FROM telecoop_billing_run_line WHERE run_id = %s AND move_id IS NULL "
                "AND id %% %s = %s ORDER BY id LIMIT %s",
                [run_id, workers, index, chunk_size],
            )
            ids = [row[0] for row in cr.fetchall()]
            if not ids:
                return done
            try:
                done += billing_run._process_chunk(ids)
                cr.commit()
            except (errors.SerializationFailure, errors.LockNotAvailable):
                cr.rollback()  # as queue_job retries a job: the chunk is idempotent


def run_parallel(env, billing_run, workers, config_path):
    """Rate and list the holders here, commit, then invoice in ``workers`` processes,
    by chunks of the run's size."""
    env["telecoop.rated.usage"]._rate_period(billing_run.company_id, billing_run.period)
    billing_run.state = "running"
    billing_run._prepare_run_lines()
    run_id, chunk_size = billing_run.id, billing_run.chunk_size
    env.cr.commit()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(workers) as pool:
        pool.starmap(
            _worker,
            [(config_path, env.cr.dbname, run_id, i, workers, chunk_size) for i in range(workers)],
        )
    env.cr.commit()  # a new transaction: it sees what the workers committed
    env.invalidate_all()
    billing_run._finish_run()  # the job queued on_done of the chunks


def _free_port():
    """A TCP port of 127.0.0.1 nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_with_server(env, billing_run, workers, config_path, port, out, timeout=1800):
    """Start an Odoo server with ``workers`` workers and its queue_job runner, start
    the billing run (its chunks queued), and wait until the run is done."""
    env.cr.commit()
    # the odoo script (not "python -m odoo"): the server re-executes its own command
    # line for its websocket worker
    command = [
        shutil.which("odoo") or "odoo",
        "-c",
        os.path.abspath(config_path),
        "-d",
        env.cr.dbname,
        f"--workers={workers}",
        "--max-cron-threads=0",
        f"--http-port={port}",
        # a free port for the websocket worker: on the default 8072, taken by any other
        # server of the machine, it fails to start and is respawned every 2 s, which
        # costs the workers CPU
        f"--gevent-port={_free_port()}",
        "--log-level=warn",
        "--limit-time-real=3600",
        "--limit-time-cpu=3600",
        "--limit-memory-soft=4294967296",
        "--limit-memory-hard=5368709120",
    ]
    environ = dict(
        os.environ, ODOO_QUEUE_JOB_CHANNELS=f"root:{workers}", ODOO_QUEUE_JOB_HOST="127.0.0.1"
    )
    server = subprocess.Popen(command, env=environ)
    try:
        time.sleep(8)  # the server and its job runner start
        started = time.perf_counter()
        billing_run.with_context(queue_job__no_delay=False).action_start()
        env.cr.commit()
        while time.perf_counter() - started < timeout:
            time.sleep(2)
            env.cr.commit()  # a new snapshot: what the workers committed
            env.invalidate_all()
            if billing_run.state == "done":
                break
            failed = env["queue.job"].search_count(
                [("model_name", "=", "telecoop.billing.run"), ("state", "=", "failed")]
            )
            if failed:
                print(f"{failed} chunk jobs failed", file=out)
                break
        return time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=60)


def plain_batch(env, moves, count, out, batch=200):
    """Odoo's own create + post of ``count`` invoices shaped as ``moves`` (same
    partners, sections and lines, without the link to the charges); rolled back."""
    sample = moves[:count]
    vals_list = [
        {
            "move_type": "out_invoice",
            "company_id": move.company_id.id,
            "partner_id": move.partner_id.id,
            "journal_id": move.journal_id.id,
            "invoice_date": move.invoice_date,
            "fiscal_position_id": move.fiscal_position_id.id,
            "invoice_line_ids": [
                Command.create(
                    {"display_type": "line_section", "name": ml.name}
                    if ml.display_type == "line_section"
                    else {
                        "product_id": ml.product_id.id,
                        "name": ml.name,
                        "quantity": ml.quantity,
                        "price_unit": ml.price_unit,
                        "tax_ids": [Command.set(ml.tax_ids.ids)],
                    }
                )
                for ml in move.invoice_line_ids
            ],
        }
        for move in sample
    ]
    env.cr.execute("SAVEPOINT plain_batch")
    Move = env["account.move"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_notrack=True
    )
    started = time.perf_counter()
    for start in range(0, len(vals_list), batch):
        Move.create(vals_list[start : start + batch]).action_post()
    env.flush_all()
    elapsed = time.perf_counter() - started
    env.cr.execute("ROLLBACK TO SAVEPOINT plain_batch")
    env.invalidate_all()
    print(
        f"Odoo plain batch create + post: {len(vals_list)} invoices of the same shape in "
        f"{elapsed:.1f} s ({len(vals_list) / elapsed:,.1f} invoices/s, one process, "
        f"batches of {batch})",
        file=out,
    )
    return elapsed


def print_profile_split(stats, out):
    """Where the time of the chunks went: Odoo's ``account.move`` create and ``_post``
    (its numbering apart), and the rest (our code: charges read, values, links)."""

    def cumulative(path, name):
        return sum(
            value[3]
            for (filename, __, function), value in stats.stats.items()
            if filename.endswith(path) and function == name
        )

    chunks = cumulative("models/telecoop_billing_run.py", "_process_chunk")
    if not chunks:
        return
    create = cumulative("account/models/account_move.py", "create")
    post = cumulative("account/models/account_move.py", "_post")
    numbering = cumulative("account/models/account_move.py", "_compute_name")
    print(
        f"profile of the chunks ({chunks:.1f} s under cProfile): account.move.create "
        f"{create / chunks:.0%}, _post {post / chunks:.0%} (numbering {numbering / chunks:.0%}), "
        f"the rest {(chunks - create - post) / chunks:.0%}",
        file=out,
    )


def run(
    env,
    lines=100,
    records=1000,
    period=date(2026, 10, 1),
    out=sys.stdout,
    workers=1,
    config_path=None,
    server_workers=0,
    port=8176,
    plain=2000,
    timeout=1800,
    profile=None,
):
    """Run the benchmark in ``env`` (its transaction is left to the caller)."""
    t0 = time.perf_counter()
    company, env = create_bench_company(env, "Bench Coop")
    env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
    company.tax_calculation_rounding_method = "round_per_line"
    env = env(context=dict(env.context, queue_job__no_delay=True))
    __, __, partners, __ = create_usage_month(env, company, lines, records, period, prefix="B")
    holders = len(partners)
    setup = time.perf_counter() - t0
    print(f"set-up: {lines} lines, {holders} holders, {records} records in {setup:.1f} s", file=out)

    t1 = time.perf_counter()
    rated = env["telecoop.rated.usage"]._rate_period(company, period)
    rating = time.perf_counter() - t1
    print(
        f"rating: {records} records -> {rated} rated rows in {rating:.2f} s "
        f"({records / rating:,.0f} records/s)",
        file=out,
    )

    t2 = time.perf_counter()
    billing_run = env["telecoop.billing.run"].create(
        {"company_id": company.id, "period": period}  # the default chunk size
    )
    if server_workers:
        billing = run_with_server(
            env, billing_run, server_workers, config_path, port, out, timeout=timeout
        )
        workers = server_workers
    elif workers > 1:
        run_parallel(env, billing_run, workers, config_path)
    elif profile:
        profiler = cProfile.Profile()
        profiler.enable()
        billing_run.action_start()
        env.flush_all()
        profiler.disable()
        profiler.dump_stats(profile)
        print_profile_split(pstats.Stats(profiler), out)
    else:
        billing_run.action_start()
    env.flush_all()
    if not server_workers:
        billing = time.perf_counter() - t2
    invoices = billing_run.invoiced_count
    print(
        f"billing run: {lines} lines, {invoices} invoices in {billing:.1f} s "
        f"= {billing / 60:.1f} min ({invoices / billing:,.1f} invoices/s, "
        f"{workers} worker{'s' if workers > 1 else ''}"
        f"{' of a running Odoo server (queue_job)' if server_workers else ''}; "
        f"target for 30,000 lines: 4 min)",
        file=out,
    )
    if billing_run.state != "done":
        print(
            f"stopped before the end: {invoices} of {holders} holders invoiced, run "
            f"{billing_run.state}",
            file=out,
        )
    if plain and invoices:
        # Odoo's own batch of the same shape, in the same run: the ratio says how far
        # the run is from Odoo's speed, whatever the load of the machine
        plain_s = plain_batch(env, billing_run.run_line_ids.move_id, plain, out)
        plain_rate = min(plain, invoices) / plain_s
        print(
            f"ratio to Odoo's plain batch: {invoices / billing / plain_rate:.2f} "
            f"({workers} worker{'s' if workers > 1 else ''} against one process"
            f"{'; the run under cProfile, the batch not: not comparable' if profile else ''})",
            file=out,
        )
    print(f"peak memory: {peak_memory_mb():,.0f} MB", file=out)
    if workers > 1:
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak memory of a worker: {children:,.0f} MB ({workers} workers)", file=out)
    return {
        "rated_rows": rated,
        "invoices": invoices,
        "holders": holders,
        "rating_s": rating,
        "billing_s": billing,
        "state": billing_run.state,
        "run": billing_run,
    }


def main(argv=None):
    parser = bench_parser(__doc__)
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--records", type=int, default=30000)
    parser.add_argument(
        "--workers", type=int, default=1, help="processes invoicing in parallel (commits)"
    )
    parser.add_argument(
        "--server-workers",
        type=int,
        default=0,
        help="start an Odoo server with this many workers and its queue_job runner (commits)",
    )
    parser.add_argument("--port", type=int, default=8176, help="http port of that server")
    parser.add_argument(
        "--profile", metavar="FILE", help="in-process: cProfile the chunks, stats written to FILE"
    )
    parser.add_argument("--plain", type=int, default=2000, help="invoices of Odoo's plain batch")
    parser.add_argument(
        "--timeout", type=int, default=1800, help="seconds the server run is waited for"
    )
    args = parser.parse_args(argv)
    keep = args.commit or args.workers > 1 or args.server_workers > 0
    with bench_env(args, keep=keep) as env:
        run(
            env,
            args.lines,
            args.records,
            workers=args.workers,
            config_path=args.config,
            server_workers=args.server_workers,
            port=args.port,
            plain=args.plain,
            timeout=args.timeout,
            profile=args.profile,
        )


if __name__ == "__main__":
    main()
