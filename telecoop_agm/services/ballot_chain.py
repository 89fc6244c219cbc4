# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Hash chain of a ballot box, in pure Python.

Each entry of the box of a resolution records the hash of the entry before it
(``prev_hash``; the first entry records :data:`GENESIS`) and its own hash, the
SHA-256 of a canonical serialization of its content and of ``prev_hash``. The
resolution keeps the hash and the number of its last entry (the head). Then:

- changing any stored value of an entry changes its recomputed hash;
- removing an entry in the middle breaks the ``prev_hash`` of the next one
  (and leaves a gap in the sequence numbers);
- removing the last entries leaves a box shorter than the head says.

:func:`verify` names the first entry that does not match.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass

GENESIS = "0" * 64

# the content of an entry that its hash covers, in this order
HASHED_FIELDS = (
    "resolution",
    "sequence",
    "choice",
    "college",
    "voter",
    "voter_key",
    "receipt_hash",
    "sealed_at",
    "prev_hash",
)


def canonical(entry):
    """The bytes that are hashed: JSON of :data:`HASHED_FIELDS`, sorted, no spaces."""
    content = {name: entry.get(name) for name in HASHED_FIELDS}
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()


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
