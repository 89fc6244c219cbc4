# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Stream usage records out of an XML file (namespace ``urn:telecoop:usage:1``)."""

from lxml import etree

from .cdr_parse import CdrError, rename

NAMESPACE = "urn:telecoop:usage:1"
RECORD_TAG = f"{{{NAMESPACE}}}record"


def iter_xml(stream, skip=0, mapping=None):
    """Yield ``(position, record_dict)`` for each ``record`` element.

    ``position`` is the element's rank (1 for the first record) and its line in
    the file, e.g. ``"3 (line 7)"``. Elements are cleared as soon as they are
    read so that memory stays flat whatever the size of the file. ``skip``
    records are read and dropped (to resume an interrupted import). A file that
    is not well-formed raises ``CdrError`` with the place where it broke.
    ``mapping`` renames the host's attribute names (see ``cdr_parse.parse_mapping``).
    """
    context = etree.iterparse(
        stream, events=("end",), tag=RECORD_TAG, huge_tree=True, resolve_entities=False
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
