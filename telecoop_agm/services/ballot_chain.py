# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Hash chain of a ballot box, in pure Python, and its standalone verifier.

Each entry of the box of a resolution records the hash of the entry before it
(``prev_hash``; the first entry records :data:`GENESIS`) and its own hash, the
SHA-256 of a canonical serialization of its content and of ``prev_hash``. The
resolution keeps the hash and the number of its last entry (the head). Then:

- changing any stored value of an entry changes its recomputed hash;
- removing an entry in the middle breaks the ``prev_hash`` of the next one
  (and leaves a gap in the sequence numbers);
- removing the last entries leaves a box shorter than the head says.

The content covers everything that decides or explains the count
(:data:`HASHED_FIELDS`): what the choice means (its code and its name, not only
its id), the college, secret or not and, for a public vote, the member, the
channel, the proxy, who entered it and when. The voter key and the receipt hash
are covered through :func:`private_digest`, so that an exported box proves the
chain without giving a receipt holder a way to find a secret choice.

At closing, :func:`anchor` fixes one fingerprint of the heads of every box of an
assembly; it is printed in the minutes, sent to the voters and written in the
exported file.

Run as a script on an exported file (no Odoo needed, only this file)::

    python3 ballot_chain.py ballot-box-assembly-7.json [--anchor FINGERPRINT]

It prints ``OK ...`` and exits 0, or ``KO ...`` with the first bad entry and exits 1.
"""

import hashlib
import hmac
import json
import sys
from dataclasses import dataclass

GENESIS = "0" * 64
EXPORT_FORMAT = "telecoop-ballot-box/2"

# the content of an entry that its hash covers
HASHED_FIELDS = (
    "resolution",
    "sequence",
    "secret",
    "choice",
    "choice_code",
    "choice_name",
    "college",
    "voter",
    "channel",
    "proxy",
    "cast_by_partner",
    "cast_by_user",
    "cast_at",
    "private",
    "prev_hash",
)


def canonical(entry):
    """The bytes that are hashed: JSON of :data:`HASHED_FIELDS`, sorted, no spaces."""
    content = {name: entry.get(name) for name in HASHED_FIELDS}
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()


def private_digest(voter_key, receipt_hash):
    """What the chain records of the voter key and the receipt hash: their SHA-256."""
    content = {"receipt_hash": receipt_hash, "voter_key": voter_key}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def entry_hash(entry):
    return hashlib.sha256(canonical(entry)).hexdigest()


def receipt_hash(receipt):
    """What the box stores of a receipt: its SHA-256 (the receipt is random)."""
    return hashlib.sha256((receipt or "").strip().encode()).hexdigest()


def voter_key(secret, voter, resolution):
    """HMAC of (voter, resolution): same key for every ballot of a voter on a resolution.

    Whoever does not hold ``secret`` cannot tell which voter a key belongs to.
    """
    message = f"{voter}:{resolution}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def anchor(assembly, heads):
    """Fingerprint of the heads of an assembly's boxes.

    :param heads: dicts ``resolution``, ``count``, ``head``.
    """
    content = {
        "assembly": assembly,
        "boxes": sorted([h["resolution"], h["count"] or 0, h["head"] or GENESIS] for h in heads),
    }
    return hashlib.sha256(json.dumps(content, separators=(",", ":")).encode()).hexdigest()


@dataclass(frozen=True)
class Problem:
    """The first place where the box does not match: ``sequence`` of the entry."""

    sequence: int
    reason: str  # changed, previous, gap, head


def verify(entries, head_hash, head_count):
    """Check a box: ``entries`` are dicts ordered by sequence, as stored.

    :return: ``None`` when every entry matches, else the first :class:`Problem`.
    """
    previous = GENESIS
    expected = 1
    for entry in entries:
        if entry["sequence"] != expected:
            return Problem(expected, "gap")
        if entry["prev_hash"] != previous:
            return Problem(entry["sequence"], "previous")
        if entry_hash(entry) != entry["entry_hash"]:
            return Problem(entry["sequence"], "changed")
        previous = entry["entry_hash"]
        expected += 1
    if expected - 1 != (head_count or 0) or previous != (head_hash or GENESIS):
        return Problem(expected, "head")
    return None


# Export and standalone check ---------------------------------------------------
def public_entry(entry):
    """An entry as exported: its hashed content and its hash."""
    return {**{name: entry.get(name) for name in HASHED_FIELDS}, "entry_hash": entry["entry_hash"]}


def dump_export(data):
    """The text of an exported box (``data``: assembly, name, anchor, boxes)."""
    return json.dumps({"format": EXPORT_FORMAT, **data}, indent=1, sort_keys=True) + "\n"


def verify_export(text, expected_anchor=None):
    """Check an exported box: every chain, every head, the fingerprint.

    :return: ``(True, summary)`` or ``(False, the first problem found)``.
    """
    try:
        data = json.loads(text)
        if data.get("format") != EXPORT_FORMAT:
            return False, "not an exported ballot box of this format"
        boxes = data["boxes"]
        total = 0
        for box in boxes:
            problem = verify(box["entries"], box["head"], box["count"])
            if problem:
                return False, (
                    f"resolution {box['resolution']}, entry {problem.sequence}: {problem.reason}"
                )
            if any(entry["resolution"] != box["resolution"] for entry in box["entries"]):
                return False, f"resolution {box['resolution']}: an entry of another box"
            total += len(box["entries"])
        computed = anchor(data["assembly"], boxes)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        return False, f"unreadable file ({error.__class__.__name__}: {error})"
    if computed != data.get("anchor"):
        return False, "the heads of the boxes do not match the fingerprint written in the file"
    if expected_anchor and computed != expected_anchor.strip().lower():
        return False, "the fingerprint differs from the one published (minutes, e-mail)"
    return True, f"{total} entries in {len(boxes)} boxes, fingerprint {computed}"


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    expected = None
    if "--anchor" in argv:
        index = argv.index("--anchor")
        expected = argv[index + 1] if index + 1 < len(argv) else None
        del argv[index : index + 2]
        if not expected:
            argv = []  # a fingerprint asked for and not given: never an unchecked OK
    if len(argv) != 1:
        sys.stdout.write("usage: python3 ballot_chain.py BOX.json [--anchor FINGERPRINT]\n")
        return 2
    with open(argv[0], "rb") as handle:
        raw = handle.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        sys.stdout.write("KO: the file is not UTF-8 text\n")
        return 1
    ok, message = verify_export(text, expected)
    sys.stdout.write(("OK: " if ok else "KO: ") + message + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
