# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two imports rating the same month, between real PostgreSQL transactions.

The rating lock (``_lock_increments``) orders the ratings of a company, but a job's
REPEATABLE READ snapshot is taken when its worker acquires it: when another import
rated the same rows and committed in the meantime, adding to those rows is a
serialization failure. queue_job postpones a job that raises it and runs it again
(``queue_job/controllers/main.py``, ``_runjob``), so the job must let it through,
not turn it into a failed import. Each transaction has its own connection
(``registry.cursor()`` outside the test mode), on the demo data of the test
database; the job's transaction is rolled back, the other one commits an update
that changes nothing.
"""

from odoo import SUPERUSER_ID, api
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY
from odoo.tests import TransactionCase, tagged

HEADER = "record_id,msisdn,started_at,usage_type,quantity,zone,destination,third_party_amount\n"


@tagged("post_install", "-at_install")
class TestUsageImportConcurrency(TransactionCase):
    def test_a_rating_that_lost_a_race_is_retried_not_failed(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            # a month of demo usage already rated (by the first import)
            rated = env["telecoop.rated.usage"].search(
                [("usage_type", "=", "data"), ("zone", "=", "national")],
                order="period desc",
                limit=1,
            )
            self.assertTrue(rated, "the test database is installed with the demo data")
            source = env["telecoop.usage.source"].search(
                [("company_id", "=", rated.company_id.id)], limit=1
            )
            self.assertTrue(source)
            started = f"{rated.period:%Y-%m}-01T08:00:00+01:00"
            content = f"{HEADER}RACE1,{rated.line_id.msisdn},{started},data,1000,national,,\n"
            attachment = env["ir.attachment"].create({"name": "race.csv", "raw": content.encode()})
            usage_import = env["telecoop.usage.import"].create(
                {"source_id": source.id, "attachment_id": attachment.id}
            )
            usage_import.with_context(queue_job__no_delay=False).action_start()
            self.assertEqual(usage_import.state, "queued")
            env.flush_all()  # the snapshot of the job's transaction is taken
            # meanwhile the first import adds to the same row and commits
            with self.registry.cursor() as other:
                other.execute(
                    "UPDATE telecoop_rated_usage SET quantity = quantity + 0 WHERE id = %s",
                    [rated.id],
                )
            with self.assertRaises(Exception) as caught:
                usage_import._job_import()
            # what queue_job postpones and runs again
            self.assertIn(getattr(caught.exception, "pgcode", None), PG_CONCURRENCY_ERRORS_TO_RETRY)
            # the import waits for its retry: neither failed nor finished
            env.invalidate_all()
            self.assertEqual(usage_import.state, "queued")
            self.assertFalse(usage_import.failure_reason)
            cr.rollback()
