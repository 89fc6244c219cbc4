# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Stored queue jobs run as the job runner and its workers run them, in the test's
transaction: queue_job's own controller methods (perform, mark done, release the
jobs waiting for this one) and the runner's own dead-job requeue query."""

from odoo import fields

from odoo.addons.queue_job.controllers.main import RunJobController
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.jobrunner.runner import Database


def take(env, job_record):
    """A worker takes the job: enqueued, then started (stored)."""
    job = Job.load(env, job_record.uuid)
    job.set_enqueued()
    job.set_started()
    job.store()
    return job


def run(env, job_record):
    """A worker takes the job and runs it to its end."""
    job = take(env, job_record)
    RunJobController._try_perform_job(env, job)
    RunJobController._enqueue_dependent_jobs(env, job)
    return job


def run_ready(env, jobs):
    """Run the jobs of ``jobs()`` ready to run (pending), oldest first, until none is
    ready; returns the names of the methods run, in order."""
    done = []
    while True:
        ready = jobs().filtered(lambda j: j.state == "pending").sorted("id")
        if not ready:
            return done
        done.append(run(env, ready[0]).method_name)


def requeue_dead(env, job_record):
    """The worker of ``job_record`` died a minute ago (its transaction rolled back, its
    lock gone): the runner's requeue query puts it back. Returns the uuids requeued."""
    job_record.sudo().date_enqueued = fields.Datetime.subtract(fields.Datetime.now(), minutes=1)
    env.flush_all()
    env.cr.execute(Database._query_requeue_dead_jobs(None))
    uuids = [uuid for (uuid,) in env.cr.fetchall()]
    env.invalidate_all()
    return uuids
