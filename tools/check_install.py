"""Install the three addons on a fresh database without demo data, then uninstall
each one (dependents first) and check that nothing of it is left installed.

Usage: python tools/check_install.py --config .local/odoo.conf --db telecoop_install
"""

import argparse
import subprocess
import sys

ADDONS = ["telecoop_membership", "telecoop_mobile_billing", "telecoop_agm"]
UNINSTALL_ORDER = ["telecoop_agm", "telecoop_mobile_billing", "telecoop_membership"]


def odoo(*args):
    result = subprocess.run(
        [sys.executable, "-m", "odoo", *args], capture_output=True, text=True, check=False
    )
    errors = [
        line for line in result.stderr.splitlines() if " ERROR " in line or "CRITICAL" in line
    ]
    if result.returncode or errors:
        sys.stderr.write(result.stderr[-6000:])
        raise SystemExit(f"check_install: `odoo {' '.join(args)}` failed")


def installed(db):
    out = subprocess.run(
        ["psql", "-d", db, "-qtAc", "SELECT name FROM ir_module_module WHERE state='installed'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return {name for name in out if name.startswith("telecoop_")}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    subprocess.run(["dropdb", "--if-exists", args.db], check=True)
    odoo(
        "-c",
        args.config,
        "-d",
        args.db,
        "-i",
        ",".join(ADDONS),
        "--stop-after-init",
        "--log-level=warn",
    )
    assert installed(args.db) == set(ADDONS), installed(args.db)
    remaining = set(ADDONS)
    for addon in UNINSTALL_ORDER:
        odoo("module", "uninstall", "-c", args.config, "-d", args.db, addon)
        remaining.discard(addon)
        now = installed(args.db)
        if now != remaining:
            raise SystemExit(f"check_install: after uninstalling {addon}, installed: {sorted(now)}")
        print(f"check_install: {addon} uninstalled cleanly")
    subprocess.run(["dropdb", "--if-exists", args.db], check=True)
    print("check_install: 3 passed, 0 failed")


if __name__ == "__main__":
    main()
