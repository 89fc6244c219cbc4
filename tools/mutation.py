#!/usr/bin/env python3
# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Mutation check of the pure services with mutmut (``pip install mutmut``).

The services (``services/*.py`` of each addon) import nothing of Odoo, and their
plain unit tests need no database. This script copies them with those tests into
a sandbox (``.local/mutation`` by default), where the tests import the services
as a plain package, runs ``mutmut run`` there and lists the mutants that no test
kills. Not part of ``make test``: a full run takes longer than a test run.

    python3 tools/mutation.py                  # every service below
    python3 tools/mutation.py pricing tally    # only these
    python3 tools/mutation.py --max-children 2 --fail-above 10

Exit code 1 when more than ``--fail-above`` % of the mutants survive.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: service -> (addon, plain unit test file of the addon)
SERVICES = {
    "pricing": ("telecoop_mobile_billing", "test_pricing.py"),
    "cdr_parse": ("telecoop_mobile_billing", "test_cdr_parse.py"),
    "share_rules": ("telecoop_membership", "test_share_rules.py"),
    "tally": ("telecoop_agm", "test_tally.py"),
    "surplus_allocation": ("telecoop_agm", "test_surplus_allocation.py"),
    "ballot_chain": ("telecoop_agm", "test_ballot_chain.py"),
}
PACKAGE = "tcm"


def rewrite_imports(text, addon):
    """The tests import the services as ``tcm.<addon>.services`` in the sandbox."""
    text = text.replace("from ..services", f"from {PACKAGE}.{addon}.services")
    # a test's own health checks would stop mutmut, which calls it more than once
    text = re.sub(
        r"suppress_health_check=\[[^\]]*\]", "suppress_health_check=list(HealthCheck)", text
    )
    return re.sub(r"odoo\.addons\.(telecoop_\w+)\.services", rf"{PACKAGE}.\1.services", text)


def build_sandbox(work, names):
    if work.exists():
        shutil.rmtree(work)
    src = work / "src" / PACKAGE
    tests = work / "tests"
    tests.mkdir(parents=True)
    src.mkdir(parents=True)
    (src / "__init__.py").write_text("")
    for addon in sorted({SERVICES[name][0] for name in names}):
        package = src / addon
        shutil.copytree(ROOT / addon / "services", package / "services")
        (package / "__init__.py").write_text("")
    for name in names:
        addon, test_file = SERVICES[name]
        text = rewrite_imports((ROOT / addon / "tests" / test_file).read_text("utf-8"), addon)
        if re.search(r"^\s*(from|import) odoo\b", text, re.M):
            raise SystemExit(f"{addon}/tests/{test_file} imports Odoo: not a plain unit test")
        (tests / f"test_{addon}_{test_file[5:]}").write_text(text)
    # mutmut runs a test more than once in a process: no example database, no
    # health check about it, and a profile small enough for hundreds of mutants
    (tests / "conftest.py").write_text(
        "from hypothesis import HealthCheck, settings\n\n"
        'settings.register_profile("mutation", max_examples=50, deadline=None, database=None,\n'
        "                          suppress_health_check=list(HealthCheck))\n"
        'settings.load_profile("mutation")\n'
    )
    sources = [f'"src/{PACKAGE}/{SERVICES[n][0]}/services/{n}.py"' for n in names]
    (work / "pyproject.toml").write_text(
        "[tool.mutmut]\n"
        f"source_paths = [{', '.join(sources)}]\n"
        'pytest_add_cli_args = ["-p", "no:odoo", "-p", "no:cacheprovider", "-q"]\n'
        'pytest_add_cli_args_test_selection = ["tests/"]\n'
        'also_copy = ["src/"]\n'
        "\n[tool.pytest.ini_options]\n"
        'pythonpath = ["src"]\n'
    )


def run(work, max_children):
    env = dict(os.environ, HYPOTHESIS_PROFILE="ci", PYTHONPATH=str(work / "src"))
    # the plain tests pass before anything is mutated
    subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:odoo", "-p", "no:cacheprovider", "-q", "tests/"],
        cwd=work,
        env=env,
        check=True,
    )
    command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(max_children)]
    subprocess.run(command, cwd=work, env=env, check=False)
    results = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return results.stdout


def summarise(listing):
    states = {}
    survivors = []
    for line in listing.splitlines():
        match = re.match(r"\s*(\S+): (.+)$", line)
        if not match:
            continue
        key, state = match.groups()
        states[state] = states.get(state, 0) + 1
        if state == "survived":
            survivors.append(key)
    return states, survivors


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("services", nargs="*", help=f"among {', '.join(SERVICES)} (all)")
    parser.add_argument("--workdir", default=str(ROOT / ".local" / "mutation"))
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument("--fail-above", type=float, default=10.0, help="%% of survivors")
    args = parser.parse_args(argv)
    names = args.services or list(SERVICES)
    unknown = sorted(set(names) - set(SERVICES))
    if unknown:
        parser.error(f"unknown services: {', '.join(unknown)}")
    work = Path(args.workdir)
    build_sandbox(work, names)
    states, survivors = summarise(run(work, args.max_children))
    total = sum(states.values())
    print("\nmutants:", ", ".join(f"{n} {state}" for state, n in sorted(states.items())))
    for key in survivors:
        print(f"survived: {key}")
    (work / "survivors.txt").write_text("".join(f"{key}\n" for key in survivors))
    checked = total - states.get("not checked", 0)
    if not checked:
        print("no mutant was checked: see mutmut's output above")
        return 2
    share = 100 * len(survivors) / total if total else 0
    print(f"{len(survivors)} of {total} mutants survive ({share:.1f} %)")
    print(f"show one: cd {work} && python3 -m mutmut show <name>")
    return 1 if share > args.fail_above else 0


if __name__ == "__main__":
    sys.exit(main())
