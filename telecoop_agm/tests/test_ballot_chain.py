# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import contextlib
import hashlib
import hmac
import io
import json
import os
import sys
import tempfile
import unittest
from datetime import datetime

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


class TestBallotChainSpecification(unittest.TestCase):
    """The hashes as the module's docstring specifies them, computed here from the
    bytes written by hand: an independent verifier must find the same."""

    def test_an_entry_hashes_its_canonical_json(self):
        entry = {
            "resolution": 7,
            "sequence": 1,
            "secret": True,
            "choice": 101,
            "choice_code": "for",
            "choice_name": "Pour",
            "college": 3,
            "voter": None,
            "channel": "online",
            "proxy": None,
            "cast_by_partner": None,
            "cast_by_user": 2,
            "cast_at": datetime(2026, 5, 1, 10, 0, 1),
            "private": "ab",
            "prev_hash": ballot_chain.GENESIS,
            # not hashed: the stored hash itself and anything else
            "entry_hash": "ff",
            "receipt": "not in the chain",
        }
        # the fifteen hashed fields, keys sorted, no spaces, the date as text
        expected = (
            b'{"cast_at":"2026-05-01 10:00:01","cast_by_partner":null,"cast_by_user":2,'
            b'"channel":"online","choice":101,"choice_code":"for","choice_name":"Pour",'
            b'"college":3,"prev_hash":"' + b"0" * 64 + b'","private":"ab","proxy":null,'
            b'"resolution":7,"secret":true,"sequence":1,"voter":null}'
        )
        self.assertEqual(ballot_chain.canonical(entry), expected)
        self.assertEqual(ballot_chain.entry_hash(entry), hashlib.sha256(expected).hexdigest())
        # a field missing from a stored entry is hashed as null
        del entry["proxy"]
        self.assertEqual(ballot_chain.canonical(entry), expected)

    def test_keys_receipts_and_private_digest(self):
        self.assertEqual(
            ballot_chain.voter_key("s1", 12, 7),
            hmac.new(b"s1", b"12:7", hashlib.sha256).hexdigest(),
        )
        self.assertEqual(ballot_chain.receipt_hash(" abc \n"), hashlib.sha256(b"abc").hexdigest())
        # no receipt: the SHA-256 of nothing
        self.assertEqual(
            ballot_chain.receipt_hash(None),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        )
        self.assertEqual(
            ballot_chain.private_digest("k", "r"),
            hashlib.sha256(b'{"receipt_hash": "r", "voter_key": "k"}').hexdigest(),
        )

    def test_anchor_of_the_heads_sorted_by_resolution(self):
        heads = [
            {"resolution": 8, "count": 2, "head": "bb"},
            {"resolution": 7, "count": None, "head": None},  # an empty box
        ]
        expected = b'{"assembly":3,"boxes":[[7,0,"' + b"0" * 64 + b'"],[8,2,"bb"]]}'
        self.assertEqual(ballot_chain.anchor(3, heads), hashlib.sha256(expected).hexdigest())
        self.assertEqual(ballot_chain.anchor(3, heads[::-1]), ballot_chain.anchor(3, heads))

    def test_head_that_does_not_match(self):
        entries, head, count = _box()
        # the right number of entries but another head hash, and the reverse
        self.assertEqual(
            ballot_chain.verify(entries, "ab" * 32, count), ballot_chain.Problem(5, "head")
        )
        self.assertEqual(ballot_chain.verify(entries, head, 5), ballot_chain.Problem(5, "head"))
        self.assertEqual(ballot_chain.verify(entries, head, None), ballot_chain.Problem(5, "head"))
        # an empty box whose resolution claims a head
        self.assertEqual(ballot_chain.verify([], head, 0), ballot_chain.Problem(1, "head"))
        self.assertEqual(ballot_chain.verify([], None, 1), ballot_chain.Problem(1, "head"))

    def test_first_entry_must_start_from_genesis(self):
        entries, head, count = _box(1)
        forged = dict(entries[0], prev_hash="1" * 64)
        forged["entry_hash"] = ballot_chain.entry_hash(forged)
        self.assertEqual(
            ballot_chain.verify([forged], forged["entry_hash"], 1),
            ballot_chain.Problem(1, "previous"),
        )
        renumbered = dict(entries[0], sequence=2)
        self.assertEqual(ballot_chain.verify([renumbered], head, 1), ballot_chain.Problem(1, "gap"))


def _export_of(*boxes, assembly=3):
    """The exported text of ``boxes`` ((resolution, size) pairs) and its fingerprint."""
    heads, exported = [], []
    for resolution, size in boxes:
        entries, previous = [], ballot_chain.GENESIS
        for entry in _box(size)[0]:
            entry = dict(entry, resolution=resolution, prev_hash=previous)
            entry["entry_hash"] = previous = ballot_chain.entry_hash(entry)
            entries.append(entry)
        head = previous if entries else None
        heads.append({"resolution": resolution, "count": size, "head": head})
        exported.append(
            {
                "resolution": resolution,
                "count": size,
                "head": head,
                "entries": [ballot_chain.public_entry(entry) for entry in entries],
            }
        )
    fingerprint = ballot_chain.anchor(assembly, heads)
    data = {"assembly": assembly, "anchor": fingerprint, "boxes": exported}
    return ballot_chain.dump_export(data), fingerprint


class TestExportMessages(unittest.TestCase):
    """What the verifier tells whoever checks an exported box."""

    def test_summary_counts_every_box(self):
        text, fingerprint = _export_of((7, 4), (8, 2), (9, 0))
        self.assertEqual(
            ballot_chain.verify_export(text),
            (True, f"6 entries in 3 boxes, fingerprint {fingerprint}"),
        )
        # the fingerprint as printed in the minutes, upper case and with a new line
        self.assertTrue(ballot_chain.verify_export(text, f" {fingerprint.upper()}\n")[0])

    def test_the_published_fingerprint_differs(self):
        text, _fingerprint = _export_of((7, 2))
        self.assertEqual(
            ballot_chain.verify_export(text, "0" * 64),
            (False, "the fingerprint differs from the one published (minutes, e-mail)"),
        )

    def test_the_written_fingerprint_differs(self):
        text, _fingerprint = _export_of((7, 2))
        data = json.loads(text)
        data["anchor"] = "0" * 64
        self.assertEqual(
            ballot_chain.verify_export(json.dumps(data)),
            (False, "the heads of the boxes do not match the fingerprint written in the file"),
        )

    def test_an_entry_moved_from_another_box(self):
        text, _fingerprint = _export_of((7, 2))
        data = json.loads(text)
        # a valid chain of resolution 8 presented as the box of resolution 7
        data["boxes"][0]["entries"] = json.loads(_export_of((8, 2))[0])["boxes"][0]["entries"]
        data["boxes"][0]["head"] = data["boxes"][0]["entries"][-1]["entry_hash"]
        self.assertEqual(
            ballot_chain.verify_export(json.dumps(data)),
            (False, "resolution 7: an entry of another box"),
        )

    def test_exported_text_is_stable_and_readable(self):
        # keys sorted and one space of indent: two exports of the same box are the
        # same file, line by line
        self.assertEqual(
            ballot_chain.dump_export({"boxes": [], "assembly": 3, "anchor": "ab"}),
            '{\n "anchor": "ab",\n "assembly": 3,\n "boxes": [],\n'
            ' "format": "telecoop-ballot-box/2"\n}\n',
        )

    def test_other_files_are_refused_with_a_reason(self):
        text, _fingerprint = _export_of((7, 2))
        data = json.loads(text)
        self.assertEqual(
            ballot_chain.verify_export(json.dumps(dict(data, format="telecoop-ballot-box/1"))),
            (False, "not an exported ballot box of this format"),
        )
        del data["boxes"]
        self.assertEqual(
            ballot_chain.verify_export(json.dumps(data)),
            (False, "unreadable file (KeyError: 'boxes')"),
        )
        self.assertEqual(ballot_chain.verify_export("[]")[1][:16], "unreadable file ")


class TestCommandLine(unittest.TestCase):
    def _file(self, content):
        with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as handle:
            handle.write(content)
        self.addCleanup(os.unlink, handle.name)
        return handle.name

    def _main(self, argv):
        with contextlib.redirect_stdout(io.StringIO()) as out:
            code = ballot_chain.main(argv)
        return code, out.getvalue()

    def test_ok_and_ko(self):
        text, fingerprint = _export_of((7, 4))
        name = self._file(text.encode())
        self.assertEqual(
            self._main(["--anchor", fingerprint, name]),
            (0, f"OK: 4 entries in 1 boxes, fingerprint {fingerprint}\n"),
        )
        self.assertEqual(
            self._main([name, "--anchor", "1" * 64]),
            (1, "KO: the fingerprint differs from the one published (minutes, e-mail)\n"),
        )
        broken = self._file(
            text.replace('"choice_code": "against"', '"choice_code": "for"', 1).encode()
        )
        self.assertEqual(self._main([broken]), (1, "KO: resolution 7, entry 2: changed\n"))

    def test_usage_and_unreadable_files(self):
        usage = "usage: python3 ballot_chain.py BOX.json [--anchor FINGERPRINT]\n"
        name = self._file(_export_of((7, 1))[0].encode())
        self.assertEqual(self._main([]), (2, usage))
        self.assertEqual(self._main([name, name]), (2, usage))
        # "--anchor" with no fingerprint after it checks nothing: a usage error, never OK
        self.assertEqual(self._main([name, "--anchor"]), (2, usage))
        self.assertEqual(self._main(["--anchor", "", name]), (2, usage))
        self.assertEqual(
            self._main([self._file(b'{"format": "\xe9"}')]),
            (1, "KO: the file is not UTF-8 text\n"),
        )

    def test_arguments_of_the_command_line(self):
        """``python3 ballot_chain.py BOX.json --anchor FINGERPRINT``: main() reads them."""
        text, fingerprint = _export_of((7, 3))
        name = self._file(text.encode())
        self.addCleanup(setattr, sys, "argv", sys.argv)
        sys.argv = ["ballot_chain.py", name, "--anchor", fingerprint]
        self.assertEqual(
            self._main(None), (0, f"OK: 3 entries in 1 boxes, fingerprint {fingerprint}\n")
        )
