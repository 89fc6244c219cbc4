# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The proxy race between real, concurrent PostgreSQL transactions.

The HTTP test server runs the requests of a test one at a time inside the test
transaction, so it cannot show a race between transactions. Here each thread has
its own connection and transaction (``registry.cursor()`` outside the test mode),
on the open demo assembly of the test database, as the server's workers would;
a serialization failure is retried as the server retries a request. What the
threads commit (proxies and their messages) is removed at the end.
"""

import threading
import time

from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from ..services import ballot_chain

DEMO = "telecoop_agm.telecoop_assembly_demo_ago"


@tagged("post_install", "-at_install")
class TestProxyLock(TransactionCase):
    def _cleanup(self, assembly_id, before):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT id FROM telecoop_assembly_proxy WHERE assembly_id = %s AND id != ALL(%s)",
                (assembly_id, before),
            )
            new = [row[0] for row in cr.fetchall()] or [0]
            cr.execute(
                "DELETE FROM mail_message WHERE model = 'telecoop.assembly.proxy'"
                " AND res_id = ANY(%s)",
                (new,),
            )
            cr.execute(
                "DELETE FROM mail_followers WHERE res_model = 'telecoop.assembly.proxy'"
                " AND res_id = ANY(%s)",
                (new,),
            )
            cr.execute("DELETE FROM telecoop_assembly_proxy WHERE id = ANY(%s)", (new,))

    def test_cap_holds_between_concurrent_transactions(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            assembly = env.ref(DEMO, raise_if_not_found=False)
            if not assembly or not assembly._is_voting_open() or len(assembly.voter_ids) < 4:
                self.skipTest("needs the open demo assembly (database installed with demo data)")
            cap = assembly._get_proxy_cap()
            voters = assembly.voter_ids.filtered(
                lambda v: (
                    not assembly.proxy_ids.filtered(
                        lambda p, v=v: p.state == "active" and v in (p.giver_id | p.holder_id)
                    )
                )
            ).sorted("id")
            holder, givers = voters[0], voters[1 : cap + 2]
            ids = {"assembly": assembly.id, "holder": holder.id, "givers": givers.ids}
            before = assembly.proxy_ids.ids or [0]
        self.assertEqual(len(ids["givers"]), cap + 1, "one giver more than the cap")
        self.addCleanup(self._cleanup, ids["assembly"], before)
        barrier = threading.Barrier(len(ids["givers"]))
        outcomes = []

        def give(giver_id):
            for attempt in range(10):
                given = False
                # the cursor commits when the block ends without an error
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    # the snapshot of the transaction is taken before the others commit
                    env["telecoop.assembly"].browse(ids["assembly"]).read(["state"])
                    if attempt == 0:
                        barrier.wait(timeout=60)
                    Voter = env["telecoop.assembly.voter"]
                    try:
                        env["telecoop.assembly.proxy"]._give(
                            Voter.browse(giver_id), Voter.browse(ids["holder"])
                        )
                        env.flush_all()
                        given = True
                    except SerializationFailure:
                        cr.rollback()
                        time.sleep(0.05 * (attempt + 1))
                    except ValidationError:
                        cr.rollback()
                        outcomes.append("refused")
                        return
                if given:
                    outcomes.append("given")
                    return
            outcomes.append("gave up")

        threads = [threading.Thread(target=give, args=(giver,)) for giver in ids["givers"]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT COUNT(*) FROM telecoop_assembly_proxy"
                " WHERE assembly_id = %s AND holder_id = %s AND state = 'active'",
                (ids["assembly"], ids["holder"]),
            )
            active = cr.fetchone()[0]
        # without the row lock, all three were accepted (cap 2) when tried on 2026-12-01
        self.assertEqual(active, cap)
        self.assertEqual(sorted(outcomes), ["given"] * cap + ["refused"])

    def test_withdrawal_and_vote_with_the_proxy_at_the_same_instant(self):
        """Attack: the giver withdraws the proxy while the holder votes with it. The
        withdrawal is refused once the holder voted with the proxy, and a ballot needs an
        active proxy, but each request checked the other's row in its own snapshot: both
        committed (a withdrawn proxy with a vote cast by it, tried on 2026-12-01). Now
        exactly one of the two goes through."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            assembly = env.ref(DEMO, raise_if_not_found=False)
            if not assembly or not assembly._is_voting_open():
                self.skipTest("needs the open demo assembly (database installed with demo data)")
            busy = assembly.proxy_ids.filtered(lambda p: p.state == "active")
            resolution = assembly.resolution_ids.filtered(lambda r: not r.secret)[:1]
            voted = resolution.participation_ids.filtered("voted").voter_id
            free = (assembly.voter_ids - busy.giver_id - busy.holder_id - voted).sorted("id")
            if len(free) < 2 or not resolution:
                self.skipTest("needs two members of the demo assembly without proxy or vote")
            giver, holder = free[0], free[1]
            head = (resolution.ballot_count or 0, resolution.ballot_head_hash)
            before = assembly.proxy_ids.ids or [0]
            proxy = env["telecoop.assembly.proxy"]._give(giver, holder)
            ids = {
                "assembly": assembly.id,
                "resolution": resolution.id,
                "giver": giver.id,
                "proxy": proxy.id,
                "choice": resolution.choice_ids[0].id,
            }
        self.addCleanup(self._cleanup, ids["assembly"], before)
        self.addCleanup(self._cleanup_ballots, ids, head)

        def vote(env):
            proxy = env["telecoop.assembly.proxy"].browse(ids["proxy"])
            env["telecoop.ballot"]._cast(
                env["telecoop.resolution"].browse(ids["resolution"]),
                proxy.giver_id,
                env["telecoop.resolution.choice"].browse(ids["choice"]),
                "proxy",
                proxy.holder_id.partner_id,
                proxy,
            )

        def withdraw(env):
            env["telecoop.assembly.proxy"].browse(ids["proxy"]).action_withdraw()

        outcomes = self._at_the_same_instant(ids["assembly"], vote=vote, withdraw=withdraw)
        with self.registry.cursor() as cr:
            cr.execute("SELECT state FROM telecoop_assembly_proxy WHERE id = %s", (ids["proxy"],))
            state = cr.fetchone()[0]
            cr.execute(
                "SELECT COUNT(*) FROM telecoop_ballot_participation WHERE proxy_id = %s AND voted",
                (ids["proxy"],),
            )
            cast = cr.fetchone()[0]
        self.assertEqual(sorted(outcomes.values()), ["done", "refused"], outcomes)
        if outcomes["vote"] == "done":
            self.assertEqual((state, cast), ("active", 1))
        else:
            self.assertEqual((state, cast), ("withdrawn", 0))

    def _at_the_same_instant(self, assembly_id, after=None, **actions):
        """Run each action (``env -> None``) in its own thread and transaction, all
        starting together once each read the assembly; a serialization failure is
        rolled back and tried again, as the server retries a request. Returns
        ``{name: "done" | "refused" | "gave up"}`` ("refused": a UserError).

        ``after`` (``{name: other}``) makes the first try of action ``name`` wait, with
        its snapshot already taken, until ``other`` has committed: the worst order of
        two requests at the same instant, every time."""
        barrier = threading.Barrier(len(actions))
        outcomes = {}
        committed = {name: threading.Event() for name in actions}

        def attempt(name, action):
            for attempt in range(10):
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    env["telecoop.assembly"].browse(assembly_id).read(["state"])
                    if attempt == 0:
                        barrier.wait(timeout=60)
                        if name in (after or {}):
                            committed[after[name]].wait(timeout=60)
                    try:
                        action(env)
                        env.flush_all()
                    except SerializationFailure:
                        cr.rollback()
                        time.sleep(0.05 * (attempt + 1))
                        continue
                    except UserError:
                        cr.rollback()
                        outcomes[name] = "refused"
                        committed[name].set()
                        return
                outcomes[name] = "done"
                committed[name].set()
                return
            outcomes[name] = "gave up"
            committed[name].set()

        threads = [
            threading.Thread(target=attempt, args=(name, action))
            for name, action in actions.items()
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return outcomes

    def _cleanup_ballots(self, ids, head):
        """Remove what the threads cast (tests only): entries after the old head, the
        head itself and the participation row put back."""
        count, head_hash = head
        with self.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM telecoop_ballot WHERE resolution_id = %s AND sequence > %s",
                (ids["resolution"], count),
            )
            cr.execute(
                "UPDATE telecoop_resolution SET ballot_count = %s, ballot_head_hash = %s"
                " WHERE id = %s",
                (count or None, head_hash or None, ids["resolution"]),
            )
            cr.execute(
                "UPDATE telecoop_ballot_participation SET voted = FALSE, channel = NULL,"
                " proxy_id = NULL, cast_by_partner_id = NULL, cast_by_user_id = NULL,"
                " voted_at = NULL WHERE resolution_id = %s AND voter_id = %s",
                (ids["resolution"], ids["giver"]),
            )

    def test_ballot_and_closing_at_the_same_instant(self):
        """Attack: a ballot cast while staff close the vote. The closing fixes the
        fingerprint of the boxes from its snapshot and the ballot checked "open" in its
        own: both committed, a ballot sat in the box after the closing, outside the
        fingerprint printed in the minutes (so the box looked tampered with), tried on
        2026-12-01. Now the ballot is either refused or inside the fingerprint."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            assembly = env.ref(DEMO, raise_if_not_found=False)
            if not assembly or not assembly._is_voting_open():
                self.skipTest("needs the open demo assembly (database installed with demo data)")
            if any(assembly.resolution_ids.mapped("secret")):
                self.skipTest("the demo assembly has a secret resolution: not restored here")
            resolution = assembly.resolution_ids[0]
            voted = resolution.participation_ids.filtered("voted").voter_id
            busy = assembly.proxy_ids.filtered(lambda p: p.state == "active").giver_id
            voter = (assembly.voter_ids - voted - busy)[:1]
            if not voter:
                self.skipTest("needs a member of the demo assembly who did not vote yet")
            cr.execute("SELECT COALESCE(MAX(id), 0) FROM mail_message")
            last_message = cr.fetchone()[0]
            ids = {
                "assembly": assembly.id,
                "resolution": resolution.id,
                "voter": voter.id,
                "choice": resolution.choice_ids[0].id,
                "vote_end": assembly.vote_end,
                "message": last_message,
            }
            head = (resolution.ballot_count or 0, resolution.ballot_head_hash)
        self.addCleanup(self._reopen, ids)
        self.addCleanup(self._cleanup_ballots, dict(ids, giver=ids["voter"]), head)

        def vote(env):
            voter = env["telecoop.assembly.voter"].browse(ids["voter"])
            env["telecoop.ballot"]._cast(
                env["telecoop.resolution"].browse(ids["resolution"]),
                voter,
                env["telecoop.resolution.choice"].browse(ids["choice"]),
                "online",
                voter.partner_id,
            )

        def close(env):
            env["telecoop.assembly"].browse(ids["assembly"]).action_close()

        outcomes = self._at_the_same_instant(ids["assembly"], vote=vote, close=close)
        self.assertEqual(outcomes.get("close"), "done", outcomes)
        self.assertIn(outcomes.get("vote"), ("done", "refused"), outcomes)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            assembly = env["telecoop.assembly"].browse(ids["assembly"])
            self.assertEqual(assembly.state, "closed")
            # the fingerprint fixed at closing covers every entry now in the boxes
            self.assertEqual(
                assembly.box_anchor, ballot_chain.anchor(assembly.id, assembly._get_box_heads())
            )
            self.assertTrue(assembly._verify_ballot_box()["ok"])

    def test_two_ballots_of_one_member_at_the_same_instant(self):
        """Attack: one member posts two ballots (for, then against) from two requests at
        the same instant, the second reading the box before the first committed. Both
        are cast (a member may vote again), one after the other in the chain: the box
        verifies, it grew by two entries, the member took part once, and the ballot
        committed last is the one that counts."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            assembly = env.ref(DEMO, raise_if_not_found=False)
            if not assembly or not assembly._is_voting_open():
                self.skipTest("needs the open demo assembly (database installed with demo data)")
            resolution = assembly.resolution_ids.filtered(lambda r: not r.secret)[:1]
            voted = resolution.participation_ids.filtered("voted").voter_id
            busy = assembly.proxy_ids.filtered(lambda p: p.state == "active").giver_id
            voter = (assembly.voter_ids - voted - busy)[:1]
            if not voter or len(resolution.choice_ids) < 2:
                self.skipTest("needs a member of the demo assembly who did not vote yet")
            ids = {
                "assembly": assembly.id,
                "resolution": resolution.id,
                "voter": voter.id,
                "giver": voter.id,
                "first": resolution.choice_ids[0].id,
                "second": resolution.choice_ids[1].id,
            }
            head = (resolution.ballot_count or 0, resolution.ballot_head_hash)
        self.addCleanup(self._cleanup_ballots, ids, head)

        def vote_with(key):
            def vote(env):
                voter = env["telecoop.assembly.voter"].browse(ids["voter"])
                env["telecoop.ballot"]._cast(
                    env["telecoop.resolution"].browse(ids["resolution"]),
                    voter,
                    env["telecoop.resolution.choice"].browse(ids[key]),
                    "online",
                    voter.partner_id,
                )

            return vote

        outcomes = self._at_the_same_instant(
            ids["assembly"],
            after={"second": "first"},
            first=vote_with("first"),
            second=vote_with("second"),
        )
        self.assertEqual(outcomes, {"first": "done", "second": "done"})
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            resolution = env["telecoop.resolution"].browse(ids["resolution"])
            voter = env["telecoop.assembly.voter"].browse(ids["voter"])
            self.assertEqual(resolution.ballot_count, head[0] + 2)
            self.assertIsNone(env["telecoop.ballot"]._verify_resolution(resolution))
            rows = resolution.participation_ids.filtered(lambda row: row.voter_id == voter)
            self.assertEqual(rows.mapped("voted"), [True])
            self.assertEqual(
                env["telecoop.ballot"]._current_choice(resolution, voter).id, ids["second"]
            )

    def _reopen(self, ids):
        """Put the demo assembly back as it was (tests only): open, its window and no
        fingerprint, the messages of the closing removed."""
        with self.registry.cursor() as cr:
            cr.execute(
                "UPDATE telecoop_assembly SET state = 'open', closed_at = NULL,"
                " box_anchor = NULL, vote_end = %s WHERE id = %s",
                (ids["vote_end"], ids["assembly"]),
            )
            cr.execute(
                "DELETE FROM mail_message WHERE id > %s AND model = 'telecoop.assembly'"
                " AND res_id = %s",
                (ids["message"], ids["assembly"]),
            )

    def test_presence_and_closing_at_the_same_instant(self):
        """Attack: staff mark a member present while the vote is closed. The presence
        was checked against "open" in its own snapshot and the closing never touched the
        attendance sheet: both committed, so a member signed the sheet after the closing
        and the quorum of the closed assembly changed (tried on 2026-12-01, in the order
        forced here: the presence commits last). Now the presence takes the lock of the
        boxes as the closing does: after a closing it is retried and refused."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            assembly = env.ref(DEMO, raise_if_not_found=False)
            if not assembly or not assembly._is_voting_open():
                self.skipTest("needs the open demo assembly (database installed with demo data)")
            voter = assembly.voter_ids.filtered(lambda v: not v.present)[:1]
            if not voter:
                self.skipTest("needs a member of the demo assembly not marked present")
            cr.execute("SELECT COALESCE(MAX(id), 0) FROM mail_message")
            ids = {
                "assembly": assembly.id,
                "voter": voter.id,
                "vote_end": assembly.vote_end,
                "message": cr.fetchone()[0],
            }
            present_before = assembly._get_participation()["present"]
        self.addCleanup(self._reopen, ids)
        self.addCleanup(self._unmark, ids["voter"])

        def mark(env):
            env["telecoop.assembly.voter"].browse(ids["voter"]).action_mark_present()

        def close(env):
            env["telecoop.assembly"].browse(ids["assembly"]).action_close()

        outcomes = self._at_the_same_instant(
            ids["assembly"], after={"mark": "close"}, mark=mark, close=close
        )
        self.assertEqual(outcomes, {"close": "done", "mark": "refused"})
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            assembly = env["telecoop.assembly"].browse(ids["assembly"])
            self.assertEqual(assembly.state, "closed")
            self.assertFalse(env["telecoop.assembly.voter"].browse(ids["voter"]).present)
            self.assertEqual(assembly._get_participation()["present"], present_before)

    def _unmark(self, voter_id):
        with self.registry.cursor() as cr:
            cr.execute(
                "UPDATE telecoop_assembly_voter SET present = FALSE WHERE id = %s", (voter_id,)
            )

    def test_withdrawal_and_closing_at_the_same_instant(self):
        """Attack (second pass): the giver withdraws a proxy while staff close the vote.
        The withdrawal checked "open" in its own snapshot and the closing never touched
        the proxy rows: both committed, a proxy was withdrawn after the closing, and the
        giver, represented by a holder present in the room, left the quorum of the closed
        assembly (tried on 2026-12-01, the withdrawal committing last). Now the
        withdrawal locks the assembly row the closing writes: retried, then refused."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            assembly = env.ref(DEMO, raise_if_not_found=False)
            if not assembly or not assembly._is_voting_open():
                self.skipTest("needs the open demo assembly (database installed with demo data)")
            busy = assembly.proxy_ids.filtered(lambda p: p.state == "active")
            free = (assembly.voter_ids - busy.giver_id - busy.holder_id).sorted("id")
            if len(free) < 2:
                self.skipTest("needs two members of the demo assembly without proxy")
            cr.execute("SELECT COALESCE(MAX(id), 0) FROM mail_message")
            last_message = cr.fetchone()[0]
            before = assembly.proxy_ids.ids or [0]
            proxy = env["telecoop.assembly.proxy"]._give(free[0], free[1])
            ids = {
                "assembly": assembly.id,
                "proxy": proxy.id,
                "vote_end": assembly.vote_end,
                "message": last_message,
            }
        self.addCleanup(self._reopen, ids)
        self.addCleanup(self._cleanup, ids["assembly"], before)

        def withdraw(env):
            env["telecoop.assembly.proxy"].browse(ids["proxy"]).action_withdraw()

        def close(env):
            env["telecoop.assembly"].browse(ids["assembly"]).action_close()

        outcomes = self._at_the_same_instant(
            ids["assembly"], after={"withdraw": "close"}, withdraw=withdraw, close=close
        )
        self.assertEqual(outcomes, {"close": "done", "withdraw": "refused"})
        with self.registry.cursor() as cr:
            cr.execute("SELECT state FROM telecoop_assembly_proxy WHERE id = %s", (ids["proxy"],))
            self.assertEqual(cr.fetchone()[0], "active")
