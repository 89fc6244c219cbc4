# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Stream usage records out of a CSV file (one header row, any column order)."""

import csv
import io
from operator import itemgetter

from .cdr_parse import FIELDS, REQUIRED_FIELDS, CdrError


def iter_csv(stream, skip=0, mapping=None):
    """Yield ``(line_number, values)`` for each data row of a CSV file.

    ``values`` is a tuple of strings in the order of ``cdr_parse.FIELDS`` (an
    absent optional column gives ``""``), or a ``CdrError`` for a row of the
    wrong width. ``stream`` is a binary or text file object, read lazily
    (memory stays flat). The header is line 1, so the first record is line 2.
    ``skip`` data rows are read and dropped (to resume an interrupted import).
    ``mapping`` renames the host's column names (see ``cdr_parse.parse_mapping``).
    Raises ``CdrError`` when a required column is missing from the header.
    """
    if not isinstance(stream, io.TextIOBase):
        stream = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.reader(stream)
    header = next(reader, None)
    if header is None:
        return
    mapping = mapping or {}
    header = [mapping.get(name.strip(), name.strip()) for name in header]
    for name in REQUIRED_FIELDS:
        if name not in header:
            raise CdrError(name, "missing column in the header")
    width = len(header)
    # an absent optional column reads the empty cell added at the end of each row
    pad = any(name not in header for name in FIELDS)
    pick = itemgetter(*(header.index(name) if name in header else width for name in FIELDS))
    count = 0
    for row in reader:
        count += 1
        if count <= skip or not row:
            continue
        if len(row) != width:
            yield reader.line_num, CdrError("row", f"{len(row)} cells, {width} expected")
            continue
        if pad:
            row.append("")
        yield reader.line_num, pick(row)
