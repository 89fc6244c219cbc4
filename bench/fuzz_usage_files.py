# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fuzz the usage file readers of telecoop_mobile_billing at full count.

    python3 bench/fuzz_usage_files.py -c .local/odoo.conf --files 10000

Runs the property tests of ``telecoop_mobile_billing/tests/test_cdr_fuzz.py``
(good files, files mutated at one offset, any bytes, noise behind a header)
on ``--files`` generated files in all, shared between the four tests: no
crash, no hang (2 s deadline a file), every good record kept. The suite runs
the same tests on a few hundred files. No database is needed.
"""

import argparse
import math
import os
import sys
import time
import unittest


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--config", default=".local/odoo.conf")
    parser.add_argument("--files", type=int, default=10_000)
    args = parser.parse_args(argv)

    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(["-c", args.config])
    from hypothesis import HealthCheck, settings  # noqa: PLC0415

    tests = 4
    settings.register_profile(
        "telecoop-fuzz",
        max_examples=math.ceil(args.files / tests),
        deadline=2000,
        suppress_health_check=list(HealthCheck),
    )
    os.environ["TELECOOP_FUZZ_PROFILE"] = "telecoop-fuzz"
    import odoo.addons  # noqa: PLC0415, F401
    from odoo.addons.telecoop_mobile_billing.tests import test_cdr_fuzz  # noqa: PLC0415

    t0 = time.perf_counter()
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(test_cdr_fuzz.TestUsageFileFuzz)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    elapsed = time.perf_counter() - t0
    files = math.ceil(args.files / tests) * tests
    print(f"fuzz: {files} generated files in {elapsed:.0f} s ({files / elapsed:,.0f} files/s)")
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
