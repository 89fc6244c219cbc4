# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Stream usage records out of a CSV file (one header row, any column order).

A file that breaks (a byte that is not UTF-8, a quote that is never closed,
a line longer than ``MAX_LINE`` bytes) raises ``CdrError`` naming the line:
every record yielded before stays good, nothing after is guessed.
"""

import csv
import io
from operator import itemgetter

from .cdr_parse import FIELDS, REQUIRED_FIELDS, CdrError

#: longest physical line read (a usage record is about a hundred bytes)
MAX_LINE = 64 * 1024
_BOM = b"\xef\xbb\xbf"
# no field of a usage record holds a line break: a quote opened on a line and
# not closed on it is a broken quote, whatever the reader would make of it
_RUNS_OVER = "a quoted field runs over the end of the line (broken quote)"


class _Lines:
    """Iterate the decoded lines of a binary stream, decoded by chunks.

    A chunk of whole lines is decoded at once (fast); when it holds a byte
    that is not UTF-8, the lines before that byte are given first, then the
    error names the line of the byte: nothing good before it is lost.
    """

    CHUNK = 1 << 20

    def __init__(self, stream):
        self.stream = stream
        self.number = 0  # lines handed out so far
        self.lines = iter(())
        self.carry = b""
        self.error = None
        self.first = True

    def __iter__(self):
        return self

    def __next__(self):
        while True:
            line = next(self.lines, None)
            if line is not None:
                return line
            if self.error:
                error, self.error = self.error, None
                raise error
            if not self._read_chunk():
                raise StopIteration

    def _read_chunk(self):
        data = self.carry + self.stream.read(self.CHUNK)
        if not data:
            return False
        if self.first:
            self.first = False
            if data.startswith(_BOM):
                data = data[len(_BOM) :]
        end = data.rfind(b"\n") + 1
        if end and len(data) > end:
            data, self.carry = data[:end], data[end:]
        else:
            self.carry = b""  # the end of the file, or no line end at all in the chunk
        # a line longer than MAX_LINE: refused (what comes before it is given first)
        if len(self.carry) > MAX_LINE or max(map(len, data.split(b"\n"))) > MAX_LINE:
            lines = data.split(b"\n")
            if self.carry:
                lines.append(self.carry)
            index = next(i for i, raw in enumerate(lines) if len(raw) > MAX_LINE)
            data = b"".join(raw + b"\n" for raw in lines[:index])
            self.carry = b""
            self.stream.seek(0, 2)  # nothing more is read
            number = self.number + index + 1
            self.error = CdrError("file", f"line {number}: longer than {MAX_LINE} bytes")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            bad_line = data.rfind(b"\n", 0, error.start) + 1
            number = self.number + data.count(b"\n", 0, bad_line) + 1
            column = error.start - bad_line + 1
            self.error = CdrError(
                "file",
                f"line {number}: not UTF-8 (byte 0x{data[error.start]:02x} at column {column})",
            )
            text = data[:bad_line].decode("utf-8")
            self.carry = b""
            self.stream.seek(0, 2)
        self.number += text.count("\n")
        self.lines = iter(io.StringIO(text, newline=""))
        return bool(text) or self.error is not None


def iter_csv(stream, skip=0, mapping=None):
    """Yield ``(line_number, values)`` for each data row of a CSV file.

    ``values`` is a tuple of strings in the order of ``cdr_parse.FIELDS`` (an
    absent optional column gives ``""``), or a ``CdrError`` for a row of the
    wrong width. ``stream`` is a binary or text file object, read lazily
    (memory stays flat). The header is line 1, so the first record is line 2.
    ``skip`` data rows are read and dropped (to resume an interrupted import).
    ``mapping`` renames the host's column names (see ``cdr_parse.parse_mapping``).
    Raises ``CdrError`` when a required column is missing from the header, or
    when the file breaks (see the module's docstring).
    """
    lines = iter(stream) if isinstance(stream, io.TextIOBase) else _Lines(stream)
    # strict: a quote in the wrong place is an error, not a guess
    reader = csv.reader(lines, strict=True)
    rows = _rows(reader)
    header = next(rows, None)
    if header is None:
        return
    header = header[1]
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
    for line, row in rows:
        count += 1
        if count <= skip or not row:
            continue
        if len(row) != width:
            yield line, CdrError("row", f"{len(row)} cells, {width} expected")
            continue
        if pad:
            row.append("")
        yield line, pick(row)


def _rows(reader):
    """Yield ``(line, row)``; a row over several lines is a broken quote."""
    line = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if reader.line_num > line + 1:
                raise CdrError("file", f"line {line + 1}: {_RUNS_OVER}") from None
            raise CdrError("file", f"line {line + 1}: {error}") from None
        start, line = line + 1, reader.line_num
        if line != start:
            raise CdrError("file", f"line {start}: {_RUNS_OVER}")
        yield start, row
