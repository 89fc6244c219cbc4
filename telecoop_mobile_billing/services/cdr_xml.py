# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Stream usage records out of an XML file (namespace ``urn:telecoop:usage:1``).

A usage file has no use for a document type: a file with a DTD (``<!DOCTYPE``,
hence entity declarations) is refused before the parser sees it, and the
parser runs without ``huge_tree``, without loading DTDs, without network and
without resolving entities, so that a hostile file (billion laughs, external
entities) fails fast with a clear error instead of eating the memory.
"""

import codecs
import re

from lxml import etree

from .cdr_parse import CdrError, rename

NAMESPACE = "urn:telecoop:usage:1"
RECORD_TAG = f"{{{NAMESPACE}}}record"
#: bytes read to find the root element (XML declaration, comments...)
PROLOG_LIMIT = 64 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# what may come before the root element: spaces, the declaration, comments,
# processing instructions
_PROLOG_ITEM = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)


def check_prolog(head):
    """Refuse a document type in ``head``, the first bytes of an XML file.

    Raises ``CdrError`` when a ``<!DOCTYPE`` (or anything but a comment or a
    processing instruction) comes before the root element, or when no root
    element starts within the first ``PROLOG_LIMIT`` bytes.
    """
    encoding = "latin-1"  # markup is ASCII: a byte is a character here
    for bom, name in _BOMS:
        if head.startswith(bom):
            encoding, head = name, head[len(bom) :]
            break
    text = head.decode(encoding, errors="replace")
    position = 0
    while True:
        match = _PROLOG_ITEM.match(text, position)
        if not match:
            break
        position = match.end()
    rest = text[position : position + 9]
    if rest.upper().startswith("<!DOCTYPE") or rest.startswith("<!"):
        raise CdrError("file", "a document type (DTD) or entity declaration is refused")
    if rest[:1] != "<":
        if position >= len(text):
            raise CdrError(
                "file", f"no root element in the first {PROLOG_LIMIT // 1024} KB of the file"
            )
        raise CdrError("file", "not an XML document (no root element)")


def iter_xml(stream, skip=0, mapping=None):
    """Yield ``(position, record_dict)`` for each ``record`` element.

    ``position`` is the element's rank (1 for the first record) and its line in
    the file, e.g. ``"3 (line 7)"``. Elements are cleared as soon as they are
    read so that memory stays flat whatever the size of the file. ``skip``
    records are read and dropped (to resume an interrupted import). A file that
    is not well-formed raises ``CdrError`` with the place where it broke; the
    records read before stay good.
    ``mapping`` renames the host's attribute names (see ``cdr_parse.parse_mapping``).
    """
    start = stream.tell()
    check_prolog(stream.read(PROLOG_LIMIT))
    stream.seek(start)
    context = etree.iterparse(
        stream,
        events=("end",),
        tag=RECORD_TAG,
        huge_tree=False,
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        dtd_validation=False,
    )
    rank = 0
    try:
        for _event, element in context:
            rank += 1
            if rank > skip:
                yield f"{rank} (line {element.sourceline})", rename(dict(element.attrib), mapping)
            element.clear(keep_tail=False)
            parent = element.getparent()
            while element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as error:
        raise CdrError("file", f"not well-formed XML after record {rank}: {error}") from None
    finally:
        del context
