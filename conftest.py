"""Make a browser test that Odoo skips for want of a browser fail the run.

Odoo's HttpCase.start_tour raises unittest.SkipTest when Chromium or the
websocket-client module is missing, or when the browser cannot be reached: a
portal journey that was never run must not look green.
"""

import pytest

BROWSER_SKIPS = ("chrome", "websocket-client", "devtools")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and call.excinfo is not None:
        reason = str(call.excinfo.value).lower()
        if any(word in reason for word in BROWSER_SKIPS):
            report.outcome = "failed"
            report.longrepr = f"Browser test skipped, which counts as a failure: {reason}"
