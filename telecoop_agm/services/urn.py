# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The sealed urn of a secret vote, in pure Python.

While a secret vote is open, each voter's current choice sits in an envelope:
a random key, the voter key (an HMAC under the server secret), the receipt hash
and the content (choice, college, proxy) sealed with the server secret. The
envelope has no sequence, no serial id and no time. At closing the envelopes
are opened, shuffled with the system's random source and appended to the
hash-chained box in that order.

Sealing: an HMAC-SHA256 keystream (counter mode) keyed by the secret and the
envelope's random key, XORed with the JSON content, and an HMAC-SHA256 tag
over the result. Without the secret (kept in the server configuration, not in
the database), the content of an envelope is unreadable and a changed one is
refused.
"""

import base64
import hashlib
import hmac
import json
import secrets

TAG_SIZE = 32


class UrnError(ValueError):
    """An envelope that does not open with the secret (changed, or another secret)."""


def envelope_key():
    """A fresh random key: nothing in it orders it with anything else."""
    return secrets.token_urlsafe(24)


def _keystream(secret, nonce, size):
    out = bytearray()
    counter = 0
    while len(out) < size:
        block = hmac.new(
            secret.encode(), f"urn:{nonce}:{counter}".encode(), hashlib.sha256
        ).digest()
        out.extend(block)
        counter += 1
    return bytes(out[:size])


def seal(secret, nonce, content):
    """Seal ``content`` (a dict of JSON values) for the envelope ``nonce``."""
    plain = json.dumps(content, sort_keys=True, separators=(",", ":")).encode()
    cipher = bytes(a ^ b for a, b in zip(plain, _keystream(secret, nonce, len(plain)), strict=True))
    tag = hmac.new(secret.encode(), nonce.encode() + cipher, hashlib.sha256).digest()
    return base64.b64encode(tag + cipher).decode()


def unseal(secret, nonce, sealed):
    """Open an envelope sealed by :func:`seal`; :class:`UrnError` when it does not."""
    try:
        raw = base64.b64decode(sealed.encode(), validate=True)
    except (ValueError, AttributeError) as error:
        raise UrnError("not a sealed envelope") from error
    tag, cipher = raw[:TAG_SIZE], raw[TAG_SIZE:]
    expected = hmac.new(secret.encode(), nonce.encode() + cipher, hashlib.sha256).digest()
    if not hmac.compare_digest(tag, expected):
        raise UrnError("the envelope was changed or sealed with another secret")
    stream = _keystream(secret, nonce, len(cipher))
    return json.loads(bytes(a ^ b for a, b in zip(cipher, stream, strict=True)))


def shuffled(items):
    """A uniformly random permutation of ``items`` (the system's random source)."""
    items = list(items)
    secrets.SystemRandom().shuffle(items)
    return items
