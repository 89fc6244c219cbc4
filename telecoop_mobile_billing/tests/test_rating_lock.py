# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Rating the month again (``_rate_period``, as the billing run does) and an import
rating the same company's month at the same time, between real PostgreSQL
transactions (one connection each, ``registry.cursor()``, a thread for the rating
again).

Both take the company's rating lock (``_lock_increments``): the rating again waits
for the import's transaction, then rates the month from the committed records, each
counted once. Its snapshot may predate the import's commit (REPEATABLE READ): then
its writes meet the import's rows and PostgreSQL refuses them as a serialization
failure, which Odoo (a request) or queue_job (a job) runs again; the test does the
same. Everything the test commits is removed at the end and the month rated again.
"""

import threading
import time
import uuid

from psycopg2 import OperationalError

from odoo import SUPERUSER_ID, api
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

HEADER = "record_id,msisdn,started_at,usage_type,quantity,zone,destination,third_party_amount\n"


@tagged("post_install", "-at_install")
class TestRatingLock(TransactionCase):
    def _max_ids(self, cr):
        ids = {}
        for table in ("queue_job", "telecoop_mobile_line_alert", "mail_message"):
            cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM %s", SQL.identifier(table)))
            ids[table] = cr.fetchone()[0]
        return ids

    def _rate_again(self, company_id, period, line_id, state):
        """The billing run's rating again, in its own transaction, tried again on a
        serialization failure as Odoo does."""
        for __ in range(5):
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                cr.execute("SELECT pg_backend_pid()")
                state["pid"] = cr.fetchone()[0]
                try:
                    env["telecoop.rated.usage"]._rate_period(
                        env["res.company"].browse(company_id), period, line_ids=[line_id]
                    )
                    env.flush_all()
                except OperationalError as error:
                    if error.pgcode not in PG_CONCURRENCY_ERRORS_TO_RETRY:
                        raise
                    state["retries"] += 1
                    cr.rollback()
                    continue
                state["done"] = True
                return

    def _waits_for_advisory_lock(self, pid, seconds=20):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with self.registry.cursor() as cr:
                cr.execute(
                    "SELECT 1 FROM pg_locks WHERE pid = %s AND locktype = 'advisory' "
                    "AND NOT granted",
                    [pid],
                )
                if cr.fetchone():
                    return True
            time.sleep(0.1)
        return False

    def test_rating_again_waits_for_an_import_of_the_month(self):
        record_id = f"LOCK-{uuid.uuid4().hex[:12]}"
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            before = self._max_ids(cr)
            # this month's demo usage, not invoiced yet
            rated = env["telecoop.rated.usage"].search(
                [("usage_type", "=", "data"), ("zone", "=", "national")],
                order="period desc",
                limit=1,
            )
            self.assertTrue(rated, "the test database is installed with the demo data")
            company_id, line_id, period = rated.company_id.id, rated.line_id.id, rated.period
            start_quantity, start_count = rated.quantity, rated.record_count
            source = env["telecoop.usage.source"].search([("company_id", "=", company_id)], limit=1)
            started = f"{period:%Y-%m}-01T08:00:00+01:00"
            content = (
                f"{HEADER}{record_id},{rated.line_id.msisdn},{started},data,1000000,national,,\n"
            )
            attachment = env["ir.attachment"].create({"name": "lock.csv", "raw": content.encode()})
            usage_import = env["telecoop.usage.import"].create(
                {"source_id": source.id, "attachment_id": attachment.id}
            )
            usage_import.with_context(queue_job__no_delay=False).action_start()
            ids = {"import": usage_import.id, "attachment": attachment.id}
            # committed when the block ends: the two transactions below see it
        state = {"retries": 0, "done": False, "pid": None}
        try:
            with self.registry.cursor() as cr_import:
                env_import = api.Environment(cr_import, SUPERUSER_ID, {})
                # the import rates the month and holds the lock until it commits
                env_import["telecoop.usage.import"].browse(ids["import"])._job_import()
                env_import.flush_all()
                rating = threading.Thread(
                    target=self._rate_again, args=(company_id, period, line_id, state)
                )
                rating.start()
                while state["pid"] is None:
                    time.sleep(0.05)
                waited = self._waits_for_advisory_lock(state["pid"])
                # the import commits when it leaves the block
            rating.join(60)
            self.assertFalse(rating.is_alive())
            self.assertTrue(waited, "the rating again waits for the import's rating lock")
            self.assertTrue(state["done"])
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                self.assertEqual(env["telecoop.usage.import"].browse(ids["import"]).state, "done")
                rows = env["telecoop.rated.usage"].search(
                    [
                        ("line_id", "=", line_id),
                        ("period", "=", period),
                        ("usage_type", "=", "data"),
                        ("zone", "=", "national"),
                    ]
                )
                # the new megabyte once, on top of what the month had
                self.assertEqual(len(rows), 1)
                self.assertEqual(rows.quantity, start_quantity + 1_000_000)
                self.assertEqual(rows.record_count, start_count + 1)
                cr.execute(
                    "SELECT SUM(quantity), COUNT(*) FROM telecoop_usage_record "
                    "WHERE line_id = %s AND period = %s AND usage_type = 'data' "
                    "AND zone = 'national'",
                    [line_id, period],
                )
                self.assertEqual(cr.fetchone(), (rows.quantity, rows.record_count))
                self.assertEqual(
                    env["telecoop.priced.month"].search_count(
                        [("line_id", "=", line_id), ("period", "=", period)]
                    ),
                    1,
                )
        finally:
            with self.registry.cursor() as cr:
                cr.execute("DELETE FROM telecoop_usage_record WHERE record_id = %s", [record_id])
                cr.execute("DELETE FROM queue_job WHERE id > %s", [before["queue_job"]])
                cr.execute(
                    "DELETE FROM telecoop_mobile_line_alert WHERE id > %s",
                    [before["telecoop_mobile_line_alert"]],
                )
                cr.execute("DELETE FROM mail_message WHERE id > %s", [before["mail_message"]])
                cr.execute("DELETE FROM telecoop_usage_import WHERE id = %s", [ids["import"]])
                cr.execute("DELETE FROM ir_attachment WHERE id = %s", [ids["attachment"]])
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["telecoop.rated.usage"]._rate_period(
                    env["res.company"].browse(company_id), period, line_ids=[line_id]
                )
