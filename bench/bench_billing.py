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

``--workers N`` (N > 1) runs the chunks in N processes, as N queue_job workers
would on N cores: the set-up is then committed (a fresh "Bench Coop" company
stays in the database) and each chunk commits its invoices.
"""

import multiprocessing
import resource
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

from odoo import api
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


def run(
    env,
    lines=100,
    records=1000,
    period=date(2026, 10, 1),
    out=sys.stdout,
    workers=1,
    config_path=None,
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
    if workers > 1:
        run_parallel(env, billing_run, workers, config_path)
    else:
        billing_run.action_start()
    env.flush_all()
    billing = time.perf_counter() - t2
    invoices = billing_run.invoiced_count
    print(
        f"billing run: {lines} lines, {invoices} invoices in {billing:.1f} s "
        f"= {billing / 60:.1f} min ({invoices / billing:,.1f} invoices/s, "
        f"{workers} worker{'s' if workers > 1 else ''}; target for 30,000 lines: 10 min)",
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
    }


def main(argv=None):
    parser = bench_parser(__doc__)
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--records", type=int, default=30000)
    parser.add_argument(
        "--workers", type=int, default=1, help="processes invoicing in parallel (commits)"
    )
    args = parser.parse_args(argv)
    with bench_env(args, keep=args.commit or args.workers > 1) as env:
        run(env, args.lines, args.records, workers=args.workers, config_path=args.config)


if __name__ == "__main__":
    main()
