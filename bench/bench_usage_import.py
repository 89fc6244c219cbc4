# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of the usage import (CSV, XML, daily files) and rating of telecoop_mobile_billing.

    python3 bench/bench_usage_import.py -c .local/odoo.conf -d <db> --lines 30000 --records 1000000
    python3 bench/bench_usage_import.py -d <db> --format csv|xml|daily   (one part only)

Builds, in a fresh company of a database where the addon is installed, ``lines``
lines on a step plan, then, each in its own month:

* ``csv``: a CSV file of ``records`` usage records (with a few duplicates, bad
  rows and unknown numbers, as real files have), imported and rated end to end
  by the real importer (streaming parse, COPY into staging, the new record
  identities then their records in one statement per batch, rating by
  increments); as a
  reference measured in the same run, plain SQL on the same file: COPY into a
  staging table, one deduplicating INSERT ... SELECT into a plain copy of the
  record table, one GROUP BY. Target: at most 1.3 times the reference.
* ``xml``: the same records as an XML file. Target: at most 1.5 times the
  reference of the CSV file.
* ``daily``: ``--days`` daily files of ``--day-records`` records through a
  month, each imported and rated as it comes. Target: the cost of a file on
  the last day about that of the first (rating proportional to what the file
  brought, not to the month so far).

Prints records/s, seconds, the ratios and the peak memory of the process
during each import (target under 300 MB). Everything is rolled back at the
end unless ``--commit``.
"""

import csv
import os
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone

from bench_common import (
    bench_env,
    bench_parser,
    create_bench_company,
    create_step_plan,
    peak_memory_mb,
    reset_peak_memory,
)
from dateutil.relativedelta import relativedelta


def write_csv(path, msisdns, records, period, seed=42, day=None, prefix="BR"):
    """Write ``records`` rows of the month of ``period``: ~0.1 % duplicates,
    ~0.1 % bad rows, ~0.5 % numbers of no line. Returns the number of rows.
    ``day``: the records of that day of the month only."""
    # the addon's columns (importable once Odoo knows the addons path)
    from odoo.addons.telecoop_mobile_billing.services.cdr_parse import FIELDS  # noqa: PLC0415

    rnd = random.Random(seed)
    paris = timezone(timedelta(hours=2))
    start = datetime(period.year, period.month, day or 1, tzinfo=paris)
    seconds = 86400 if day else 28 * 86400
    kinds = ["data", "data", "data", "voice", "voice", "sms"]
    zones = ["national"] * 12 + ["eu", "international", "world"]
    rows = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(FIELDS)
        chunk = []
        for i in range(records):
            kind = kinds[i % 6]
            if rnd.random() < 0.005:
                msisdn = f"3379{rnd.randrange(10**7):07d}"
            else:
                msisdn = msisdns[rnd.randrange(len(msisdns))]
            started = (start + timedelta(seconds=rnd.randrange(seconds))).isoformat()
            if kind == "data":
                quantity, destination = rnd.randrange(50 * 10**6), ""
            elif kind == "voice":
                quantity, destination = rnd.randrange(1, 900), f"3314{rnd.randrange(10**7):07d}"
            else:
                quantity, destination = 1, f"336{rnd.randrange(10**8):08d}"
            record_id = f"{prefix}{i:09d}"
            if i and rnd.random() < 0.001:
                record_id = f"{prefix}{i - 1:09d}"  # delivered twice
            if rnd.random() < 0.001:
                quantity = -1  # rejected
            chunk.append(
                (record_id, msisdn, started, kind, quantity, zones[i % 15], destination, "")
            )
            if len(chunk) >= 10000:
                writer.writerows(chunk)
                rows += len(chunk)
                chunk = []
        writer.writerows(chunk)
        rows += len(chunk)
    return rows


def csv_to_xml(csv_path, xml_path):
    """The same records as an XML file (namespace urn:telecoop:usage:1), streamed."""
    with (
        open(csv_path, encoding="utf-8", newline="") as source,
        open(xml_path, "w", encoding="utf-8") as target,
    ):
        reader = csv.reader(source)
        header = next(reader)
        target.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        target.write('<usage xmlns="urn:telecoop:usage:1" source="bench">\n')
        for row in reader:
            attributes = " ".join(
                f'{name}="{value}"' for name, value in zip(header, row, strict=True) if value
            )
            target.write(f"  <record {attributes}/>\n")
        target.write("</usage>\n")


def setup(env, lines):
    company, env = create_bench_company(env, "Bench Coop")
    plan = create_step_plan(env, company)
    holders = max(1, lines * 2 // 3)
    partner_ids = []
    for start in range(0, holders, 2000):
        partner_ids += (
            env["res.partner"]
            .create(
                [{"name": f"Bench holder {i}"} for i in range(start, min(holders, start + 2000))]
            )
            .ids
        )
        env.invalidate_all()
    msisdns = []
    for start in range(0, lines, 2000):
        batch = [
            {
                "msisdn": f"3370{i:07d}",
                "company_id": company.id,
                "partner_id": partner_ids[i % holders],
                "plan_id": plan.id,
                "activation_date": "2025-01-01",
            }
            for i in range(start, min(lines, start + 2000))
        ]
        env["telecoop.mobile.line"].create(batch)
        msisdns += [vals["msisdn"] for vals in batch]
        env.flush_all()
        env.invalidate_all()
    return env, company, msisdns


def new_source(env, company, name):
    return env["telecoop.usage.source"].create(
        {"name": name, "company_id": company.id, "tz": "Europe/Paris"}
    )


def import_file(env, source, path):
    """Import and rate one file end to end, as the background job does.

    Returns (usage import, seconds importing, seconds rating, peak MB, MB at the start)."""
    usage_import = env["telecoop.usage.import"].create(
        {"source_id": source.id, "file_name": os.path.basename(path)}
    )
    env.invalidate_all()
    start_mb = reset_peak_memory()
    t0 = time.perf_counter()
    usage_import.state = "running"
    with open(path, "rb") as stream:
        usage_import.kind = "xml" if path.endswith(".xml") else "csv"
        usage_import._import_stream(stream)
    env.flush_all()
    t1 = time.perf_counter()
    usage_import._finish()
    env.flush_all()
    t2 = time.perf_counter()
    return usage_import, t1 - t0, t2 - t1, peak_memory_mb(), start_mb


def plain_sql_reference(cr, path, company, source, tz):
    """COPY + one deduplicating INSERT ... SELECT + one GROUP BY, nothing else."""
    t0 = time.perf_counter()
    cr.execute(
        # a plain table with the columns and indexes of the (partitioned) record
        # table, the record identity unique per host operator whatever the month
        "CREATE TABLE bench_ref_usage (LIKE telecoop_usage_record INCLUDING ALL, "
        "UNIQUE (source_id, record_id));"
        "CREATE TEMP TABLE bench_ref_staging (record_id varchar, msisdn varchar, "
        "started_at timestamptz, usage_type varchar, quantity bigint, zone varchar, "
        "destination varchar, third_party_amount numeric) ON COMMIT DROP"
    )
    with open(path, encoding="utf-8") as handle:
        cr._obj.copy_expert(
            "COPY bench_ref_staging FROM STDIN WITH (FORMAT csv, HEADER true)", handle
        )
    cr.execute(
        """
        INSERT INTO bench_ref_usage (company_id, source_id, record_id, line_id, msisdn,
               started_at, period, usage_type, quantity, zone, destination, third_party_amount)
        SELECT %(company)s, %(source)s, s.record_id, l.id, s.msisdn,
               s.started_at AT TIME ZONE 'UTC',
               date_trunc('month', s.started_at AT TIME ZONE %(tz)s)::date,
               s.usage_type, s.quantity, s.zone, s.destination, s.third_party_amount
          FROM bench_ref_staging s
     LEFT JOIN telecoop_mobile_line l
            ON l.msisdn = s.msisdn AND l.company_id = %(company)s
           AND l.activation_date <= (s.started_at AT TIME ZONE %(tz)s)::date
           AND (l.termination_date IS NULL
                OR l.termination_date >= (s.started_at AT TIME ZONE %(tz)s)::date)
         WHERE s.quantity >= 0
        ON CONFLICT (source_id, record_id) DO NOTHING
        """,
        {"company": company.id, "source": source.id, "tz": tz},
    )
    inserted = cr.rowcount
    cr.execute(
        "CREATE TEMP TABLE bench_ref_rated ON COMMIT DROP AS "
        "SELECT line_id, period, usage_type, zone, SUM(quantity) AS quantity, COUNT(*) AS n "
        "FROM bench_ref_usage WHERE line_id IS NOT NULL "
        "GROUP BY line_id, period, usage_type, zone"
    )
    groups = cr.rowcount
    cr.execute("DROP TABLE bench_ref_usage, bench_ref_staging, bench_ref_rated")
    return time.perf_counter() - t0, inserted, groups


def run_file(env, company, msisdns, lines, records, period, out, kind="csv"):
    """One file of ``records`` records (CSV or XML) against the plain SQL reference."""
    source = new_source(env, company, f"Bench {kind}")
    handle, path = tempfile.mkstemp(prefix="bench_usage_", suffix=".csv")
    os.close(handle)
    import_path = path
    try:
        t0 = time.perf_counter()
        rows = write_csv(path, msisdns, records, period)
        if kind == "xml":
            import_path = path[:-4] + ".xml"
            csv_to_xml(path, import_path)
        size_mb = os.path.getsize(import_path) / 10**6
        print(
            f"{kind}: {lines} lines, {rows} records in {'an' if kind == 'xml' else 'a'} "
            f"{kind.upper()} file ({size_mb:,.0f} MB) written in {time.perf_counter() - t0:.1f} s",
            file=out,
        )
        usage_import, t_import, t_rating, peak, start_mb = import_file(env, source, import_path)
        total = t_import + t_rating
        print(
            f"  import: {usage_import.count_read} read, {usage_import.count_new} new, "
            f"{usage_import.count_duplicate} duplicates, {usage_import.count_rejected} rejected, "
            f"{usage_import.count_unmatched} unmatched in {t_import:.2f} s "
            f"({rows / t_import:,.0f} records/s); rating {t_rating:.2f} s",
            file=out,
        )
        print(
            f"  importer end to end (import + rating): {total:.2f} s, "
            f"{rows / total:,.0f} records/s; peak memory {peak:,.0f} MB "
            f"({start_mb:,.0f} MB held when the import started)",
            file=out,
        )
        rated_rows = env["telecoop.rated.usage"].search_count(
            [("company_id", "=", company.id), ("period", "=", period)]
        )
        ref_source = new_source(env, company, f"Bench {kind} reference")
        t_ref, ref_inserted, ref_groups = plain_sql_reference(
            env.cr, path, company, ref_source, ref_source.tz
        )
        print(
            f"  reference, plain SQL (COPY + INSERT ... SELECT ON CONFLICT + GROUP BY): "
            f"{t_ref:.2f} s, {rows / t_ref:,.0f} records/s ({ref_inserted} rows, "
            f"{ref_groups} groups)",
            file=out,
        )
        print(
            f"  ratio importer / reference: {total / t_ref:.2f} "
            f"(target {1.5 if kind == 'xml' else 1.3})",
            file=out,
        )
        return {
            "records": rows,
            "read": usage_import.count_read,
            "new": usage_import.count_new,
            "duplicates": usage_import.count_duplicate,
            "rejected": usage_import.count_rejected,
            "unmatched": usage_import.count_unmatched,
            "rated_rows": rated_rows,
            "import_s": t_import,
            "rating_s": t_rating,
            "reference_s": t_ref,
            "reference_inserted": ref_inserted,
            "ratio": total / t_ref,
            "peak_mb": peak,
            "start_mb": start_mb,
        }
    finally:
        os.unlink(path)
        if import_path != path and os.path.exists(import_path):
            os.unlink(import_path)


def run_daily(env, company, msisdns, days, day_records, period, out):
    """``days`` daily files through the month of ``period``, each imported and rated."""
    source = new_source(env, company, "Bench daily")
    costs = []
    peak = 0.0
    with tempfile.TemporaryDirectory(prefix="bench_usage_daily_") as folder:
        for day in range(1, days + 1):
            path = os.path.join(folder, f"cdr-{period:%Y%m}{day:02d}.csv")
            write_csv(path, msisdns, day_records, period, seed=day, day=day, prefix=f"D{day:02d}-")
            usage_import, t_import, t_rating, day_peak, __ = import_file(env, source, path)
            os.unlink(path)
            peak = max(peak, day_peak)
            costs.append((t_import, t_rating, usage_import.count_new))
            if day in (1, 2, days // 2, days - 1, days):
                print(
                    f"  day {day:2d}: {usage_import.count_new} new records, import "
                    f"{t_import:.2f} s + rating {t_rating:.2f} s = {t_import + t_rating:.2f} s",
                    file=out,
                )
    first = sum(costs[0][:2])
    last = sum(costs[-1][:2])
    # day 1 also pays for the first records of the month (its partition, its rated rows)
    print(
        f"daily: {days} files of {day_records} records: cost of a file on day {days} / day 1: "
        f"{last / first:.2f} (day 1 {first:.2f} s, day {days} {last:.2f} s, "
        f"mean {sum(a + b for a, b, __ in costs) / days:.2f} s); peak memory {peak:,.0f} MB",
        file=out,
    )
    return {"days": days, "first_s": first, "last_s": last, "ratio": last / first, "peak_mb": peak}


def run(
    env,
    lines=30000,
    records=1000000,
    period=date(2026, 10, 1),
    out=sys.stdout,
    kind="csv",
    days=30,
    day_records=33000,
):
    """Run the benchmark in ``env`` (its transaction is left to the caller).

    ``kind``: "csv", "xml" (the plain SQL reference still reads the CSV file),
    "daily", or "all" (the three, each in its own month). Returns the figures
    of the last part run.
    """
    t0 = time.perf_counter()
    env, company, msisdns = setup(env, lines)
    print(f"set-up: {lines} lines in {time.perf_counter() - t0:.1f} s", file=out)
    result = {}
    kinds = ("csv", "xml", "daily") if kind == "all" else (kind,)
    for rank, part in enumerate(kinds):
        month = date(period.year, period.month, 1) - relativedelta(months=rank)
        if part == "daily":
            result = run_daily(env, company, msisdns, days, day_records, month, out)
        else:
            result = run_file(env, company, msisdns, lines, records, month, out, kind=part)
    return result


def main(argv=None):
    parser = bench_parser(__doc__)
    parser.add_argument("--lines", type=int, default=30000)
    parser.add_argument("--records", type=int, default=1000000)
    parser.add_argument("--format", choices=("all", "csv", "xml", "daily"), default="all")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--day-records", type=int, default=33000)
    args = parser.parse_args(argv)
    with bench_env(args) as env:
        run(
            env,
            args.lines,
            args.records,
            kind=args.format,
            days=args.days,
            day_records=args.day_records,
        )


if __name__ == "__main__":
    main()
