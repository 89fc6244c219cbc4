# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Cast ballots from several threads at once and verify the chain of the ballot box.

    python3 bench/check_agm_concurrent_ballots.py -c .local/odoo.conf -d <scratch db> \\
        --members 40 --threads 8

Each thread has its own database cursor and casts, through the addon's code
(``_portal_vote``) inside Odoo's retry loop for concurrency errors, the ballots
of its share of the members on one secret resolution, every member voting twice
(the last ballot counts). Then the vote is closed, which shuffles each voter's
last sealed envelope into the chained box, and the chain is verified: one entry
per voter, the chain whole. The data is
COMMITTED (several transactions are needed): run it on a scratch database.
"""

import argparse
import sys
import threading
import time

from bench_common import bench_registry, create_assembly, create_voting_members

from odoo import api
from odoo.service.model import retrying


def setup(env, members):
    company, env, partners = create_voting_members(
        env, "Concurrent ballots", [{"name": f"Voter {n}"} for n in range(members)]
    )
    assembly = create_assembly(
        env, company, "Concurrent ballots", [{"name": "Resolution", "secret": True}]
    )
    assembly._set_state("convened")
    assembly._freeze_electorate()
    assembly._set_state("open")
    return assembly.id, partners.ids


def cast_all(registry, assembly_id, partner_ids, errors):
    for partner_id in partner_ids:
        for code in ("for", "against"):
            with registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                assembly = env["telecoop.assembly"].browse(assembly_id)
                resolution = assembly.resolution_ids[0]
                choice = resolution.choice_ids.filtered(lambda c, code=code: c.code == code)
                partner = env["res.partner"].browse(partner_id)
                try:
                    retrying(
                        lambda a=assembly, p=partner, r=resolution, c=choice: a._portal_vote(
                            p, r.id, c.id
                        ),
                        env,
                    )
                except Exception as exc:  # reported at the end
                    errors.append(repr(exc))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--config", default=".local/odoo.conf")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--members", type=int, default=40)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args(argv)

    registry = bench_registry(args)
    with registry.cursor() as cr:
        assembly_id, partner_ids = setup(api.Environment(cr, api.SUPERUSER_ID, {}), args.members)
    errors = []
    threads = [
        threading.Thread(
            target=cast_all, args=(registry, assembly_id, partner_ids[n :: args.threads], errors)
        )
        for n in range(args.threads)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        assembly = env["telecoop.assembly"].browse(assembly_id)
        # a secret vote sits in the sealed urn until the close shuffles the last
        # envelope of each voter into the chained box
        assembly.action_close()
        result = assembly._verify_ballot_box()
        resolution = assembly.resolution_ids[0]
        counted = len({row[1] for row in resolution._get_ballot_rows()})
    print(
        f"{len(partner_ids) * 2} ballots from {args.threads} threads in {seconds:.1f} s; "
        f"entries in the box: {result['entries']}; voters: {counted}; "
        f"chain: {'OK' if result['ok'] else result['problem']}; errors: {len(errors)}"
    )
    for error in errors[:5]:
        print(error)
    ok = result["ok"] and not errors
    return 0 if ok and result["entries"] == counted == len(partner_ids) else 1


if __name__ == "__main__":
    sys.exit(main())
