# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A bounded number of tries for the addon's background jobs.

queue_job runs a job again when it raises ``RetryableJobError`` and, past the job's
``max_retries`` (5 by default), fails it ("Max. retries (5) reached: ..."). A
serialization failure or a deadlock that escapes a job is postponed too, but by
queue_job's controller (``controllers/main.py``, ``_runjob``), outside the count:
such a job is retried without end. :func:`bounded_retries` turns them into
``RetryableJobError`` inside the job, flushing first, so that every try counts.
A decorator for model methods run as jobs, not a model (``services/`` hold no
ORM code, and this one flushes).
"""

import functools

from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from odoo.addons.queue_job.exception import RetryableJobError

#: seconds before the next try, as queue_job waits after a serialization failure
RETRY_SECONDS = 5


def bounded_retries(method):
    """Run the job ``method``; a concurrency failure (its own writes flushed
    inside) becomes a ``RetryableJobError`` counted against ``max_retries``."""

    @functools.wraps(method)
    def job(records, *args, **kwargs):
        try:
            result = method(records, *args, **kwargs)
            records.env.flush_all()
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY as error:
            # the transaction may be aborted here: a message built without SQL (no
            # display name, no translation read from the database)
            raise RetryableJobError(
                f"{method.__name__} on {records._name}{records.ids}: another transaction "
                "wrote the same rows at the same time "
                f"({(getattr(error, 'pgerror', None) or str(error)).strip()}); "
                "tried again up to the job's max_retries",
                seconds=RETRY_SECONDS,
            ) from error
        return result

    return job
