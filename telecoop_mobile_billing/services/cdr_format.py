# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tell a CSV usage file from an XML one by its content, the name as a hint.

The host operator's files do not always carry the right extension: what the
file holds decides (an XML declaration or a root element, a CSV header naming
the record identity); the name decides only when the content says nothing
(an empty or unreadable head).
"""

import codecs

from .cdr_parse import CdrError

#: bytes of the head of a file looked at
HEAD_SIZE = 4096

_BOMS = (
    codecs.BOM_UTF32_LE,
    codecs.BOM_UTF32_BE,
    codecs.BOM_UTF8,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
)
_UTF16_XML = ("<\x00", "\x00<")


def detect_format(head, file_name=None, mapping=None):
    """Return ``"csv"`` or ``"xml"`` for a file starting with ``head`` (bytes).

    ``mapping`` is the source's import profile: a CSV header may name the
    record identity as the host operator does. Raises ``CdrError`` when neither
    the content nor the name tells.
    """
    text = head
    for bom in _BOMS:
        if text.startswith(bom):
            if bom != codecs.BOM_UTF8:
                return "xml"  # a usage CSV is UTF-8; UTF-16/32 here is XML
            text = text[len(bom) :]
            break
    stripped = text.lstrip(b" \t\r\n")
    if stripped.startswith(b"<") or stripped[:2].decode("latin-1") in _UTF16_XML:
        return "xml"
    first_line = stripped.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    names = {cell.strip().strip('"') for cell in first_line.split(",")}
    identity = {"record_id"} | {
        host for host, field in (mapping or {}).items() if field == "record_id"
    }
    if names & identity:
        return "csv"
    name = (file_name or "").lower()
    if name.endswith(".xml"):
        return "xml"
    if name.endswith((".csv", ".txt")):
        return "csv"
    raise CdrError(
        "file",
        "neither an XML usage file (no root element) nor a CSV one (no header naming "
        "the record identity)",
    )
