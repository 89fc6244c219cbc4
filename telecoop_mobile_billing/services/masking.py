# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Masking of called numbers on an itemised bill (arrêté of 31 December 2013)."""


def mask_number(number, hidden=4, mask="X"):
    """Hide the last ``hidden`` digits of a number: 33140000123 -> 3314000XXXX."""
    if not number:
        return ""
    number = str(number)
    if len(number) <= hidden:
        return mask * len(number)
    return number[:-hidden] + mask * hidden
