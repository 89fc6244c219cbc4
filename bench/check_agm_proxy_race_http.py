# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Members give proxies to one holder at the same instant, over HTTP, on a real server.

    python3 bench/check_agm_proxy_race_http.py -c .local/odoo.conf -d <scratch db> \\
        --givers 4 --port 8099

The statutes cap the proxies a member may hold at 2. The script commits a new
cooperative (its own company) with ``givers + 1`` members who have a portal
account, convenes and opens an assembly, then starts a real Odoo server on the
database (``python3 -m odoo``, threaded: each request its own transaction) and
lets every giver post the portal's proxy form to the same holder from its own
thread, released by one barrier. It prints how many proxies were accepted and
fails (exit 1) when the holder ends up with more than the cap, or when a giver
got a page other than the assembly's. The data is COMMITTED: run it on a scratch
database (``make test`` runs it on a copy of the test database, then drops it).
"""

import argparse
import os
import re
import subprocess
import sys
import threading
import time
from datetime import timedelta

import requests
from bench_common import bench_registry, create_assembly, create_voting_members

from odoo import api
from odoo.fields import Command

CAP = 2


def setup(env, givers):
    stamp = time.time_ns()
    company, env, partners = create_voting_members(
        env,
        "Proxy race",
        [
            {"name": f"Proxy race member {n}", "email": f"race{n}@example.com"}
            for n in range(givers + 1)
        ],
        proxy_cap=CAP,
    )
    for n, partner in enumerate(partners):
        partner.telecoop_member_number = f"RACE-{stamp}-{n}"
    logins = []
    portal = env.ref("base.group_portal")
    for n, partner in enumerate(partners):
        login = f"race-{stamp}-{n}"
        env["res.users"].with_context(no_reset_password=True).create(
            {
                "login": login,
                "password": login,
                "partner_id": partner.id,
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "group_ids": [Command.set(portal.ids)],
            }
        )
        logins.append(login)
    assembly = create_assembly(
        env,
        company,
        "Proxy race",
        [{"name": "Resolution"}],
        held_in=timedelta(days=1),
        open_since=timedelta(hours=1),
    )
    assembly.action_convene()
    assembly.action_open()
    holder_number = partners[0].telecoop_member_number
    return assembly.id, holder_number, partners[0].id, logins[1:]


def wait_for_server(url, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/web/login", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the Odoo server did not answer at {url} within {seconds} s")


def csrf_token(html):
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    if not match:
        raise SystemExit("no csrf_token in the page")
    return match.group(1)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--config", default=".local/odoo.conf")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--givers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8099)
    args = parser.parse_args(argv)

    registry = bench_registry(args)
    with registry.cursor() as cr:
        assembly_id, holder_number, holder_id, logins = setup(
            api.Environment(cr, api.SUPERUSER_ID, {}), args.givers
        )
    url = f"http://127.0.0.1:{args.port}"
    odoo = subprocess.Popen(
        [sys.executable, "-m", "odoo", "-c", args.config, "-d", args.database,
         f"--db-filter=^{args.database}$", f"--http-port={args.port}", "--workers=0",
         "--max-cron-threads=0", "--log-level=warn"],
        env=dict(os.environ),
    )  # fmt: skip
    try:
        wait_for_server(url)
        sessions = []
        for login in logins:
            session = requests.Session()
            page = session.get(f"{url}/web/login", timeout=30)
            session.post(
                f"{url}/web/login",
                data={"login": login, "password": login, "csrf_token": csrf_token(page.text)},
                timeout=30,
            )
            page = session.get(f"{url}/my/assemblies/{assembly_id}", timeout=30)
            if page.status_code != 200 or "proxy" not in page.text:
                raise SystemExit(f"{login} cannot open the assembly page ({page.status_code})")
            sessions.append((session, csrf_token(page.text)))
        barrier = threading.Barrier(len(sessions))
        answers = []

        def give(session, token):
            barrier.wait(timeout=60)
            response = session.post(
                f"{url}/my/assemblies/{assembly_id}/proxy",
                data={"holder_number": holder_number, "csrf_token": token},
                timeout=120,
            )
            answers.append(response.status_code)

        threads = [threading.Thread(target=give, args=pair) for pair in sessions]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=180)
        seconds = time.perf_counter() - start
    finally:
        odoo.terminate()
        odoo.wait(timeout=60)
    with registry.cursor() as cr:
        cr.execute(
            "SELECT COUNT(*) FROM telecoop_assembly_proxy"
            " WHERE assembly_id = %s AND holder_id IN"
            " (SELECT id FROM telecoop_assembly_voter WHERE partner_id = %s) AND state = 'active'",
            (assembly_id, holder_id),
        )
        accepted = cr.fetchone()[0]
    print(
        f"{len(sessions)} proxies posted at once over HTTP in {seconds:.2f} s to one holder "
        f"(statutory cap {CAP}): {accepted} accepted; answers {sorted(answers)}"
    )
    ok = accepted == min(CAP, len(sessions)) and sorted(answers) == [200] * len(sessions)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
