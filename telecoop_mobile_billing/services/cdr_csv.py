# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Stream usage records out of a CSV file (one header row, any column order)."""

import csv
import io

from .cdr_parse import REQUIRED_FIELDS, CdrError


def iter_csv(stream, skip=0):
    """Yield ``(line_number, record_dict)`` for each data row of a CSV file.

    ``stream`` is a binary or text file object, read lazily (memory stays flat).
    The header is line 1, so the first record is line 2. ``skip`` data rows are
    read and dropped (to resume an interrupted import). Raises ``CdrError`` on
    the header when a required column is missing.
    """
    if not isinstance(stream, io.TextIOBase):
        stream = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.reader(stream)
    header = next(reader, None)
    if header is None:
        return
    header = [name.strip() for name in header]
    for name in REQUIRED_FIELDS:
        if name not in header:
            raise CdrError(name, "missing column in the header")
    width = len(header)
    count = 0
    for row in reader:
        count += 1
        if count <= skip:
            continue
        if not row:
            continue
        if len(row) != width:
            yield reader.line_num, {"__error__": ("row", f"{len(row)} cells, {width} expected")}
            continue
        yield reader.line_num, dict(zip(header, row, strict=True))
