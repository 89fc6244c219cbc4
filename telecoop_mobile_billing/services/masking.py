# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Masking of called numbers on an itemised bill (arrêté of 31 December 2013)."""

import re

# the number: its leading digits (with the spaces, dots, dashes and brackets
# written between them), then whatever the host operator wrote after it
_NUMBER_RE = re.compile(r"[+(]?[0-9][0-9 ().\-]*")


def mask_number(number, hidden=4, mask="X"):
    """Hide the last ``hidden`` digits of a number: 33140000123 -> 3314000XXXX.

    The destination is kept as the host operator wrote it: the last digits of
    the number are hidden, and every digit written after it (an extension,
    ``4930000000, ext 2`` -> ``493000XXXX, ext X``) as well.
    """
    if not number:
        return ""
    number = str(number)
    match = _NUMBER_RE.match(number)
    head, tail = (number[: match.end()], number[match.end() :]) if match else ("", number)
    chars = list(head)
    left = hidden
    for index in range(len(chars) - 1, -1, -1):
        if left and chars[index].isdigit():
            chars[index] = mask
            left -= 1
    if left and not any(c.isdigit() for c in chars):
        # no number in front (a service code...): hide it all, as before
        return mask * len(number) if len(number) <= hidden else number[:-hidden] + mask * hidden
    tail = "".join(mask if c.isdigit() else c for c in tail)
    return "".join(chars) + tail
