# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import contextlib
import io
import json
import os
import tempfile
import unittest

from ..services import ballot_chain, urn


def _box(size=4):
    """A valid chain of ``size`` entries and its head."""
    entries, previous = [], ballot_chain.GENESIS
    for sequence in range(1, size + 1):
        entry = {
            "resolution": 7,
            "sequence": sequence,
            "secret": False,
            "choice": 100 + sequence % 2,
            "choice_code": "for" if sequence % 2 else "against",
            "choice_name": "For" if sequence % 2 else "Against",
            "college": 3,
            "voter": 40 + sequence,
            "channel": "online",
            "proxy": None,
            "cast_by_partner": 50 + sequence,
            "cast_by_user": 60 + sequence,
            "cast_at": f"2026-05-01 10:00:0{sequence}",
            "private": ballot_chain.private_digest(
                ballot_chain.voter_key("secret", sequence, 7),
                ballot_chain.receipt_hash(f"receipt-{sequence}"),
            ),
            "prev_hash": previous,
        }
        entry["entry_hash"] = previous = ballot_chain.entry_hash(entry)
        entries.append(entry)
    return entries, previous, size


class TestBallotChain(unittest.TestCase):
    def test_valid_chain_and_empty_box(self):
        self.assertIsNone(ballot_chain.verify(*_box()))
        self.assertIsNone(ballot_chain.verify([], None, 0))
        self.assertIsNone(ballot_chain.verify([], ballot_chain.GENESIS, 0))

    def test_changed_entry_named(self):
        for field in set(ballot_chain.HASHED_FIELDS) - {"sequence", "prev_hash"}:
            entries, head, count = _box()
            entries[2] = dict(entries[2], **{field: "tampered"})
            self.assertEqual(
                ballot_chain.verify(entries, head, count), ballot_chain.Problem(3, "changed"), field
            )

    def test_rehashed_entry_breaks_the_next_one(self):
        entries, head, count = _box()
        forged = dict(entries[1], choice=999)
        forged["entry_hash"] = ballot_chain.entry_hash(forged)
        entries[1] = forged
        self.assertEqual(
            ballot_chain.verify(entries, head, count), ballot_chain.Problem(3, "previous")
        )

    def test_removed_entries(self):
        entries, head, count = _box()
        del entries[1]
        self.assertEqual(ballot_chain.verify(entries, head, count), ballot_chain.Problem(2, "gap"))
        # renumbered after the removal: the chain of hashes still breaks there
        entries = [dict(e, sequence=i + 1) for i, e in enumerate(_box()[0][:1] + _box()[0][2:])]
        self.assertEqual(
            ballot_chain.verify(entries, head, count).sequence,
            2,
        )
        # the last entry removed: shorter than the head
        entries, head, count = _box()
        self.assertEqual(
            ballot_chain.verify(entries[:-1], head, count), ballot_chain.Problem(4, "head")
        )

    def test_keys_and_receipts(self):
        key = ballot_chain.voter_key("s1", 12, 7)
        self.assertEqual(key, ballot_chain.voter_key("s1", 12, 7))
        self.assertNotEqual(key, ballot_chain.voter_key("s2", 12, 7))
        self.assertNotEqual(key, ballot_chain.voter_key("s1", 12, 8))
        self.assertNotEqual(key, ballot_chain.voter_key("s1", 1, 27))
        self.assertEqual(ballot_chain.receipt_hash(" abc \n"), ballot_chain.receipt_hash("abc"))
        self.assertEqual(len(ballot_chain.receipt_hash("abc")), 64)


class TestExportAndUrn(unittest.TestCase):
    def _export(self):
        entries, head, count = _box()
        heads = [{"resolution": 7, "count": count, "head": head}]
        box = {
            "resolution": 7,
            "name": "Accounts",
            "secret": False,
            "count": count,
            "head": head,
            "entries": [ballot_chain.public_entry(entry) for entry in entries],
        }
        anchor = ballot_chain.anchor(3, heads)
        return ballot_chain.dump_export({"assembly": 3, "anchor": anchor, "boxes": [box]}), anchor

    def test_export_verifies_then_any_change_is_seen(self):
        text, anchor = self._export()
        self.assertEqual(ballot_chain.verify_export(text, anchor)[0], True)
        self.assertEqual(ballot_chain.verify_export(text, "f" * 64)[0], False)
        # every single byte of an entry's value matters
        changed = text.replace('"choice_code": "against"', '"choice_code": "agains7"', 1)
        ok, message = ballot_chain.verify_export(changed)
        self.assertEqual((ok, message), (False, "resolution 7, entry 2: changed"))
        self.assertFalse(ballot_chain.verify_export(text[:-5])[0])
        self.assertFalse(ballot_chain.verify_export("[]")[0])
        # the heads of the boxes are tied to the fingerprint
        data = json.loads(text)
        data["boxes"][0]["entries"].pop()
        data["boxes"][0]["count"] -= 1
        data["boxes"][0]["head"] = data["boxes"][0]["entries"][-1]["entry_hash"]
        ok, message = ballot_chain.verify_export(json.dumps(data))
        self.assertFalse(ok)
        self.assertIn("fingerprint", message)

    def test_command_line(self):
        text, anchor = self._export()
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            handle.write(text)
        self.addCleanup(os.unlink, handle.name)
        with contextlib.redirect_stdout(io.StringIO()) as out:
            self.assertEqual(ballot_chain.main([handle.name, "--anchor", anchor]), 0)
            self.assertEqual(ballot_chain.main([]), 2)
        self.assertTrue(out.getvalue().startswith("OK: 4 entries in 1 boxes"))

    def test_sealed_envelope(self):
        key = urn.envelope_key()
        sealed = urn.seal("server secret", key, {"choice": 12, "college": 3, "proxy": None})
        self.assertNotIn("12", base64.b64decode(sealed).decode("latin-1"))
        self.assertEqual(urn.unseal("server secret", key, sealed)["choice"], 12)
        with self.assertRaises(urn.UrnError):
            urn.unseal("another secret", key, sealed)
        with self.assertRaises(urn.UrnError):
            urn.unseal("server secret", urn.envelope_key(), sealed)
        raw = bytearray(base64.b64decode(sealed))
        raw[-1] ^= 1
        with self.assertRaises(urn.UrnError):
            urn.unseal("server secret", key, base64.b64encode(bytes(raw)).decode())
        self.assertNotEqual(urn.envelope_key(), urn.envelope_key())
        self.assertEqual(sorted(urn.shuffled(range(50))), list(range(50)))
