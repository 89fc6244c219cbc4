"""Install the three addons with their demo data under a frozen clock, then check the story.

The demo's story follows the day it is installed (telecoop_membership/services/demo_story.py).
This installs it whole (the three addons, demo data) into a fresh database with Python's
clock frozen by freezegun, started before Odoo, once per instant, and checks on the
installed database:

1. this month (of the frozen day, in Europe/Paris) has usage on the demo member's lines,
   rated in a priced month;
2. the assembly is convened before its online vote opens, the vote opens before it
   closes, and the meeting is at least 15 days after the convocation;
3. the subscriptions, the transfer and the buy-back are dated in the story's order, each
   share line on its document's date, each line activated after its holder joined;
4. no business date of the addons' tables, nor of the accounting entries, falls after the
   frozen day, except the dates the story sets in the future on purpose (the meeting,
   the end of the vote, a buy-back's due payout; a priced charge ends at the latest on
   the last day of this month);
5. the story's invoices (last month's billing run) are dated in the past months.

The instants are in the past of any real run, so a builder that reads today's real date
anywhere writes a date after the frozen day and fails check 4 (and usually 1 or 5). The
first instant is the 1st of a month at 00:30 in Paris (still the 28th of the month before
in UTC), the second the 31st of a month at 00:30 in Paris (the 30th in UTC): a builder that
takes the day in UTC instead of the cooperative's day fails too.

PostgreSQL's now() is not frozen: ``create_date`` and ``write_date`` are the real time and
are not checked; every date the demo writes from Python is.

Usage: python tools/check_demo_dates.py --config .local/odoo.conf --db telecoop_demo_dates
       [--at "2026-03-01 00:30"] [--at ...]   (Europe/Paris wall times)
"""

import argparse
import configparser
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg2

ADDONS = "telecoop_membership,telecoop_mobile_billing,telecoop_agm"
TZ = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")
INSTANTS = ("2026-03-01 00:30", "2026-05-31 00:30")

#: freezegun started before Odoo is imported; argv[1] is the frozen UTC instant
FROZEN_ODOO = (
    "import sys\n"
    "from freezegun import freeze_time\n"
    "freeze_time(sys.argv.pop(1), tick=True).start()\n"
    "from odoo.cli.command import main\n"
    "main()\n"
)

#: business dates the story sets after today on purpose: (table, column) -> the latest
#: allowed ("month": the last day of this month; None: no bound)
FUTURE_ON_PURPOSE = {
    ("telecoop_assembly", "date"): None,  # the meeting, 20 days after the convocation
    ("telecoop_assembly", "vote_end"): None,  # on the meeting's day
    ("telecoop_share_buyback", "payout_due_date"): None,  # the statutory delay
    ("telecoop_priced_charge", "date_to"): "month",  # a base fee covers its month
}
#: dates of the accounting entries that are checked (not the due dates)
ACCOUNTING_DATES = (
    ("account_move", "date"),
    ("account_move", "invoice_date"),
    ("account_move_line", "date"),
    ("account_payment", "date"),
)


def start_install(config, db, frozen_utc):
    """Start installing the demo into a fresh ``db`` with the clock frozen at ``frozen_utc``."""
    drop(config, db)
    args = ["-c", config, "-d", db, "-i", ADDONS, "--with-demo", "--stop-after-init"]
    # its log in a file, not a pipe: a full pipe would hold it while the other is waited
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen(
        [sys.executable, "-c", FROZEN_ODOO, frozen_utc.isoformat(), *args, "--log-level=warn"],
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
    )
    process.log = log
    return process


def wait_install(process, frozen_utc):
    """Wait for an install started by ``start_install``; stop on any error it logged."""
    process.wait()
    process.log.seek(0)
    stderr = process.log.read()
    process.log.close()
    errors = [line for line in stderr.splitlines() if " ERROR " in line or "CRITICAL" in line]
    if process.returncode or errors:
        sys.stderr.write(stderr[-6000:])
        raise SystemExit(f"check_demo_dates: the demo install frozen at {frozen_utc} failed")


def drop(config, db):
    """Drop ``db`` and the files Odoo kept for it (attachments, the AGM key)."""
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(config)
    data_dir = parser["options"].get("data_dir") if parser.has_section("options") else None
    if data_dir:
        shutil.rmtree(Path(data_dir, "filestore", db), ignore_errors=True)
        Path(data_dir, "telecoop_agm", f"{db}.key").unlink(missing_ok=True)


class Story:
    """The installed database, read with SQL, against the frozen day."""

    def __init__(self, cr, frozen_utc):
        self.cr = cr
        self.now = frozen_utc.replace(tzinfo=None)
        self.today = frozen_utc.astimezone(TZ).date()
        self.month = self.today.replace(day=1)
        self.failures = []

    def one(self, query, *params):
        self.cr.execute(query, params)
        return self.cr.fetchone()

    def all(self, query, *params):
        self.cr.execute(query, params)
        return self.cr.fetchall()

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        row = self.one(
            "SELECT res_id FROM ir_model_data WHERE module = %s AND name = %s", module, name
        )
        if not row:
            raise SystemExit(f"check_demo_dates: no record {xmlid}")
        return row[0]

    def check(self, condition, message):
        if not condition:
            self.failures.append(message)

    def paris_day(self, value):
        """The cooperative's day of a date or a naive UTC datetime."""
        if isinstance(value, datetime):
            return value.replace(tzinfo=UTC).astimezone(TZ).date()
        return value

    def check_usage_this_month(self):
        lines = [
            self.ref("telecoop_mobile_billing.line_demo_portal"),
            self.ref("telecoop_mobile_billing.line_demo_portal_2"),
        ]
        for line in lines:
            count, last = self.one(
                "SELECT count(*), max(started_at) FROM telecoop_usage_record"
                " WHERE line_id = %s AND period = %s",
                line,
                self.month,
            )
            self.check(count, f"1. line {line}: no usage in {self.month:%Y-%m}")
            self.check(
                last is None or self.paris_day(last) <= self.today,
                f"1. line {line}: usage at {last} after {self.today}",
            )
            (priced,) = self.one(
                "SELECT count(*) FROM telecoop_priced_month"
                " WHERE line_id = %s AND period = %s AND amount_total > 0",
                line,
                self.month,
            )
            self.check(priced, f"1. line {line}: {self.month:%Y-%m} is not priced")

    def check_assembly(self):
        assembly = self.ref("telecoop_agm.telecoop_assembly_demo_ago")
        convened, start, end, meeting, record_date, state = self.one(
            "SELECT convened_at, vote_start, vote_end, date, record_date, state"
            " FROM telecoop_assembly WHERE id = %s",
            assembly,
        )
        self.check(state == "open", f"2. the demo assembly is {state}, not open")
        self.check(
            convened and start and convened < start < end,
            f"2. convened at {convened}, vote from {start} to {end}",
        )
        self.check(
            convened and self.paris_day(convened) == self.today,
            f"2. convened on {convened}, not on {self.today}",
        )
        self.check(
            convened and meeting - convened >= timedelta(days=15),
            f"2. meeting {meeting} less than 15 days after the convocation {convened}",
        )
        self.check(record_date == self.today, f"2. record date {record_date}, not today")

    def check_register_order(self):
        def request(name):
            return self.one(
                "SELECT r.request_date, r.issue_date, m.invoice_date"
                " FROM telecoop_subscription_request r"
                " LEFT JOIN account_move m ON m.id = r.invoice_id WHERE r.id = %s",
                self.ref(f"telecoop_membership.telecoop_demo_subscription_{name}"),
            )

        founder, portal, camille, yanis = (
            request(name) for name in ("founder", "portal", "camille", "yanis")
        )
        transfer = self.one(
            "SELECT date FROM telecoop_share_transfer WHERE id = %s",
            self.ref("telecoop_membership.telecoop_demo_transfer_yanis_lea"),
        )[0]
        buyback = self.one(
            "SELECT request_date, decision_date FROM telecoop_share_buyback WHERE id = %s",
            self.ref("telecoop_membership.telecoop_demo_buyback_camille"),
        )
        self.check(
            founder[0] == self.today.replace(year=self.today.year - 2, month=1, day=15),
            f"3. the founders subscribed on {founder[0]}, not 15 January of year-2",
        )
        story = [
            ("founders", founder[0]),
            ("portal member", portal[0]),
            ("Camille", camille[0]),
            ("Yanis", yanis[0]),
            ("transfer Yanis to Léa", transfer),
            ("Camille's buy-back request", buyback[0]),
            ("Camille's buy-back decision", buyback[1]),
        ]
        for (before, first), (after, second) in zip(story, story[1:], strict=False):
            self.check(first < second, f"3. {before} ({first}) not before {after} ({second})")
        self.check(story[-1][1] < self.today, f"3. the last movement {story[-1][1]} not past")
        for name, row in zip(("founder", "portal", "camille", "yanis"),
                             (founder, portal, camille, yanis), strict=True):  # fmt: skip
            self.check(
                row[0] == row[1] == row[2],
                f"3. {name}: requested {row[0]}, issued {row[1]}, invoiced {row[2]}",
            )
        # the share lines (issues, transfer, buy-back) in the order of their dates
        dates = [d for (d,) in self.all("SELECT date FROM telecoop_share_line ORDER BY id")]
        self.check(dates == sorted(dates), f"3. share lines out of order: {dates}")
        # a line is activated on a 1st, after its holder joined when a member
        for line, activation, joined in self.all(
            "SELECT l.id, l.activation_date, min(m.admission_date)"
            "  FROM telecoop_mobile_line l"
            "  LEFT JOIN telecoop_membership m"
            "    ON m.partner_id = l.partner_id AND m.company_id = l.company_id"
            " GROUP BY l.id, l.activation_date"
        ):
            self.check(activation.day == 1, f"3. line {line} activated on {activation}")
            self.check(
                joined is None or joined <= activation,
                f"3. line {line} activated on {activation}, its holder joined on {joined}",
            )

    def check_nothing_after_today(self):
        columns = self.all(
            "SELECT c.table_name, c.column_name, c.data_type"
            "  FROM information_schema.columns c"
            "  JOIN information_schema.tables t"
            "    ON t.table_name = c.table_name AND t.table_schema = c.table_schema"
            " WHERE c.table_schema = 'public' AND c.table_name LIKE 'telecoop%%'"
            "   AND t.table_type = 'BASE TABLE'"
            "   AND c.data_type IN ('date', 'timestamp without time zone')"
            "   AND c.column_name NOT IN ('create_date', 'write_date')"
        )
        columns += [(table, column, "date") for table, column in ACCOUNTING_DATES]
        # the end of the frozen day in Paris, in naive UTC
        tomorrow = datetime.combine(self.today + timedelta(days=1), datetime.min.time())
        end_utc = tomorrow.replace(tzinfo=TZ).astimezone(UTC).replace(tzinfo=None)
        checked = 0
        last_day = (self.month + timedelta(days=31)).replace(day=1) - timedelta(days=1)
        for table, column, data_type in sorted(set(columns)):
            bound = end_utc if data_type.startswith("timestamp") else self.today
            if (table, column) in FUTURE_ON_PURPOSE:
                if FUTURE_ON_PURPOSE[table, column] is None:
                    continue
                bound = last_day
            op = ">=" if data_type.startswith("timestamp") else ">"
            count, latest = self.one(
                f'SELECT count(*), max("{column}") FROM "{table}" WHERE "{column}" {op} %s',
                bound,
            )
            checked += 1
            self.check(not count, f"4. {table}.{column}: {count} after {self.today} ({latest})")
        self.check(checked > 40, f"4. only {checked} date columns checked")

    def check_invoices_past(self):
        rows = self.all(
            "SELECT r.period, m.invoice_date, m.state FROM telecoop_billing_run_line r"
            "  JOIN account_move m ON m.id = r.move_id"
            " WHERE r.run_id = %s",
            self.ref("telecoop_mobile_billing.telecoop_demo_story_billing_run"),
        )
        self.check(rows, "5. the story's billing run made no invoice")
        last_month = (self.month - timedelta(days=1)).replace(day=1)
        for period, invoice_date, state in rows:
            self.check(period == last_month, f"5. billed period {period}, not {last_month}")
            self.check(
                invoice_date and invoice_date < self.month and state == "posted",
                f"5. invoice of {period} dated {invoice_date} ({state}), not in a past month",
            )

    def run(self):
        self.check_usage_this_month()
        self.check_assembly()
        self.check_register_order()
        self.check_nothing_after_today()
        self.check_invoices_past()
        return self.failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--at", action="append", help="Europe/Paris wall time to freeze")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument(
        "--no-install", action="store_true", help="check databases kept by --keep again"
    )
    args = parser.parse_args()
    instants = []
    for at in args.at or INSTANTS:
        frozen = datetime.fromisoformat(at).replace(tzinfo=TZ).astimezone(UTC)
        instants.append((at, frozen, f"{args.db}_{frozen.astimezone(TZ):%Y%m%d}"))
    began = time.monotonic()
    # the installs run side by side (one process each, one per core): they share nothing
    # but the PostgreSQL cluster
    installs = (
        {}
        if args.no_install
        else {db: start_install(args.config, db, frozen) for __, frozen, db in instants}
    )
    try:
        failed = check_all(args, instants, installs, began)
    finally:
        for process in installs.values():
            if process.poll() is None:  # another install failed: stop this one
                process.kill()
    total = len(instants)
    print(f"check_demo_dates: {total - failed} passed, {failed} failed")
    if failed:
        raise SystemExit(1)


def check_all(args, instants, installs, began):
    """Check the story of each instant's database once its install is done."""
    failed = 0
    for at, frozen, db in instants:
        if db in installs:
            wait_install(installs[db], frozen)
        conn = psycopg2.connect(dbname=db)
        try:
            failures = Story(conn.cursor(), frozen).run()
        finally:
            conn.close()
        seconds = time.monotonic() - began
        where = f"demo installed at {at} Europe/Paris ({frozen:%Y-%m-%d %H:%M} UTC)"
        if failures:
            failed += 1
            print(f"check_demo_dates: FAILED, {where}, {seconds:.0f} s:")
            for failure in failures:
                print(f"  {failure}")
        else:
            print(f"check_demo_dates: {where}: the story holds ({seconds:.0f} s from the start)")
        if not args.keep:
            drop(args.config, db)
    return failed


if __name__ == "__main__":
    main()
