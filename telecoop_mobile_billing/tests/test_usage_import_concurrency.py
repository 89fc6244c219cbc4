# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two imports rating the same month, between real PostgreSQL transactions.

The rating lock (``_lock_increments``) orders the ratings of a company, but a job's
REPEATABLE READ snapshot is taken when its worker acquires it: when another import
rated the same rows and committed in the meantime, adding to those rows is a
serialization failure. The job turns it into a ``RetryableJobError``
(``models/job_retry.py``): queue_job runs it again, counting the tries, and past the
job's ``max_retries`` fails the job and the import with the reason (a serialization
failure left to queue_job's controller was retried without end). Each transaction
has its own connection
(``registry.cursor()`` outside the test mode), on the demo data of the test
database; the job's transaction is rolled back, the other one commits an update
that changes nothing.
"""

from uuid import uuid4

from odoo import SUPERUSER_ID, api, fields
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY
from odoo.tests import TransactionCase, tagged

from odoo.addons.queue_job.controllers.main import RunJobController
from odoo.addons.queue_job.exception import FailedJobError, RetryableJobError
from odoo.addons.queue_job.job import Job

HEADER = "record_id,msisdn,started_at,usage_type,quantity,zone,destination,third_party_amount\n"


@tagged("post_install", "-at_install")
class TestUsageImportConcurrency(TransactionCase):
    def _race_import(self, env, record_id):
        """An import queued on a month of demo usage already rated, and the rated
        row it will add to."""
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
        content = f"{HEADER}{record_id},{rated.line_id.msisdn},{started},data,1000,national,,\n"
        attachment = env["ir.attachment"].create({"name": "race.csv", "raw": content.encode()})
        usage_import = env["telecoop.usage.import"].create(
            {"source_id": source.id, "attachment_id": attachment.id}
        )
        usage_import.with_context(queue_job__no_delay=False).action_start()
        self.assertEqual(usage_import.state, "queued")
        return usage_import, rated

    def _commit_beside(self, rated):
        """Another transaction adds to the same rated row and commits."""
        with self.registry.cursor() as other:
            other.execute(
                "UPDATE telecoop_rated_usage SET quantity = quantity + 0 WHERE id = %s",
                [rated.id],
            )

    def test_a_rating_that_lost_a_race_is_retried_not_failed(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            usage_import, rated = self._race_import(env, f"RACE1-{uuid4().hex[:12]}")
            env.flush_all()  # the snapshot of the job's transaction is taken
            # meanwhile the first import adds to the same row and commits
            self._commit_beside(rated)
            with self.assertRaises(RetryableJobError) as caught:
                usage_import._job_import()
            # what queue_job runs again, counting the try
            self.assertIn(
                getattr(caught.exception.__cause__, "pgcode", None), PG_CONCURRENCY_ERRORS_TO_RETRY
            )
            self.assertIn("another transaction wrote the same rows", str(caught.exception))
            # the import waits for its retry: neither failed nor finished
            env.invalidate_all()
            self.assertEqual(usage_import.state, "queued")
            self.assertFalse(usage_import.failure_reason)
            cr.rollback()

    def test_a_race_lost_every_time_fails_after_max_retries(self):
        """Each try of the job loses the race: tried ``max_retries`` times by
        queue_job's own runner code, then the job and the import fail with the
        reason, instead of a job retried every 5 s without end."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            usage_import, rated = self._race_import(env, f"RACE2-{uuid4().hex[:12]}")
            job_record = env["queue.job"].search(
                [("model_name", "=", "telecoop.usage.import"), ("method_name", "=", "_job_import")],
                order="id desc",
                limit=1,
            )
            self.assertIn(f"({usage_import.id},)", job_record.func_string)
            # no job runner of any server on the machine may take the job once it is
            # committed: the test runs each try itself
            job_record.write(
                {"max_retries": 3, "eta": fields.Datetime.add(fields.Datetime.now(), days=1)}
            )
            uuid = job_record.uuid
            ids = {
                "import": usage_import.id,
                "attachment": usage_import.attachment_id.id,
                "job": job_record.id,
            }
            # queue_job writes the job's state from its own cursors: they must see it
            cr.commit()  # pylint: disable=invalid-commit
            try:
                for attempt in range(1, 4):
                    job = Job.load(env, uuid)  # the try's snapshot
                    self._commit_beside(rated)
                    if attempt < 3:
                        RunJobController._runjob(env, job)  # postponed
                        env.invalidate_all()
                        self.assertEqual(job_record.state, "pending")
                        self.assertEqual(job_record.retry, attempt)
                        self.assertEqual(usage_import.state, "queued")
                    else:
                        with self.assertRaises(FailedJobError):
                            RunJobController._runjob(env, job)
                cr.rollback()
                env.invalidate_all()
                self.assertEqual(job_record.state, "failed")
                self.assertEqual(job_record.retry, 3)
                self.assertIn("Max. retries (3) reached", job_record.exc_info)
                self.assertIn("another transaction wrote the same rows", job_record.exc_info)
                self.assertEqual(usage_import.state, "failed")
                self.assertIn("Max. retries (3) reached", usage_import.failure_reason)
            finally:
                cr.rollback()
                cr.execute("DELETE FROM queue_job WHERE id = %s", [ids["job"]])
                cr.execute(
                    "DELETE FROM mail_message WHERE (model, res_id) IN (%s, %s)",
                    [("telecoop.usage.import", ids["import"]), ("queue.job", ids["job"])],
                )
                cr.execute(
                    "DELETE FROM telecoop_usage_record WHERE import_id = %s", [ids["import"]]
                )
                cr.execute("DELETE FROM telecoop_usage_import WHERE id = %s", [ids["import"]])
                cr.execute("DELETE FROM ir_attachment WHERE id = %s", [ids["attachment"]])
                cr.commit()  # pylint: disable=invalid-commit
