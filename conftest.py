"""A skipped browser test fails the run.

Odoo's HttpCase raises unittest.SkipTest from its browser code whenever Chromium
or the websocket-client module is missing or the browser cannot be started or
reached, each time with another message ("chromium not found", "Cannot connect
to chrome dev tools", ...), and pytest's unittest bridge keeps only that message.
A portal journey that was never run must not look green, so any skip of an
HttpCase test counts as a failure, whatever its reason. Other tests may skip.

Hypothesis profiles, chosen by ``HYPOTHESIS_PROFILE``: ``ci`` (the default, sized
for two shared cores) and ``nightly`` (many more examples, for a scheduled run).
A test's own ``@settings(max_examples=...)`` wins over the profile; the
property tests that aim at edges leave the number of examples to the profile.
"""

import os

import pytest
from hypothesis import HealthCheck, settings

from odoo.tests import HttpCase

settings.register_profile(
    "ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "nightly", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    test_class = getattr(item, "cls", None)
    # an expected failure (unittest.expectedFailure, a known gap written as a test) is
    # reported by pytest as skipped with ``wasxfail``: not a skip; its unexpected
    # success fails the run
    expected_failure = hasattr(report, "wasxfail")
    if (
        report.skipped
        and not expected_failure
        and test_class is not None
        and issubclass(test_class, HttpCase)
    ):
        reason = call.excinfo.value if call.excinfo is not None else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"HttpCase test skipped, which counts as a failure: {reason}"
