# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""How a person reads a quantity of data, a duration and a phone number.

One owner for each rule: the portal pages, the reports, the e-mails and the
back office lists of the three addons call these functions (through the model
``telecoop.format``, which passes the reader's language), never their own copy.

Rules:

1. **Data** is counted in decimal units, as the plans bill it (the plans' data
   unit is 10^9 bytes): 1 kB = 1,000 bytes, 1 MB = 1,000,000 bytes, 1 GB =
   1,000,000,000 bytes.
2. A quantity of data is written in the largest unit it reaches (B, kB, MB,
   GB), and in the next one when it rounds to 1,000 of its unit: GB with two
   decimals at most, MB with one, kB and B whole; trailing zeros are dropped;
   halves round up. Worked examples:
   1,536 MB = 1,536,000,000 B -> ``1.54 GB``; 1,500 MB -> ``1.5 GB``;
   5,000,000,000 B -> ``5 GB``; 999,960 B -> ``1 MB`` (1,000.0 kB reaches the
   next unit); 512,300 B -> ``512 kB``; 999 B -> ``999 B``; 0 -> ``0 B``.
3. Units and separators follow the reader's language: in French ``1,54 Go``,
   ``512 ko``, ``1 536 Go`` (a narrow no-break space between thousands, as
   the language writes them; a plain space between the number and its unit, so
   that the text is found and copied as typed).
4. A **duration** in seconds is written ``S s`` under a minute, ``M min SS s``
   under an hour and ``H h MM min SS s`` from an hour: 45 -> ``45 s``;
   90 -> ``1 min 30 s``; 600 -> ``10 min 00 s``; 3,725 -> ``1 h 02 min 05 s``.
   (The symbols h, min, s are the same in French and English.)
5. A **phone number** stored in E.164 without ``+`` (or with it): a French
   number (33 and nine digits, or ten digits from 0) is written in its national
   form in pairs, ``33612345678`` -> ``06 12 34 56 78``; any other number is
   written ``+`` and its digits: ``447700900123`` -> ``+447700900123``. A text
   that is no number is returned as it is.
"""

from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

#: (bytes in the unit, decimals shown), smallest first
DATA_UNITS = (
    ("B", 1, 0),
    ("kB", 10**3, 0),
    ("MB", 10**6, 1),
    ("GB", 10**9, 2),
)
#: the unit symbols of a language (English when the language is not listed)
DATA_SYMBOLS = {
    "en": {"B": "B", "kB": "kB", "MB": "MB", "GB": "GB"},
    "fr": {"B": "o", "kB": "ko", "MB": "Mo", "GB": "Go"},
}


def _locale(lang):
    return (lang or "en_US").replace("-", "_")


def _symbols(lang):
    return DATA_SYMBOLS.get(_locale(lang).split("_")[0], DATA_SYMBOLS["en"])


def data_parts(quantity):
    """``(value as Decimal, unit code)`` of a quantity of bytes (rules 1 and 2)."""
    quantity = Decimal(int(quantity or 0))
    sign = -1 if quantity < 0 else 1
    quantity = abs(quantity)
    chosen = (Decimal(0), "B")
    for code, size, decimals in DATA_UNITS:
        value = (quantity / size).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        if code == "B" or quantity >= size:
            chosen = (value, code)
    # a value that rounds to 1,000 of a unit is written in the next one
    value, code = chosen
    codes = [unit[0] for unit in DATA_UNITS]
    index = codes.index(code)
    if value >= 1000 and index + 1 < len(DATA_UNITS):
        _next, size, decimals = DATA_UNITS[index + 1]
        value = (quantity / size).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        code = _next
    return sign * value.normalize() if value else Decimal(0), code


def format_data(quantity, lang="en_US"):
    """A quantity of bytes as a person reads it: ``1.54 GB``, ``1,54 Go`` (rules 1 to 3)."""
    value, code = data_parts(quantity)
    number = format_decimal(value, format="#,##0.##", locale=_locale(lang))
    return f"{number} {_symbols(lang)[code]}"


def format_duration(seconds, lang="en_US"):
    """A duration in seconds: ``45 s``, ``1 min 30 s``, ``1 h 02 min 05 s`` (rule 4)."""
    seconds = int(seconds or 0)
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        number = format_decimal(hours, format="#,##0", locale=_locale(lang))
        text = f"{number} h {minutes:02d} min {secs:02d} s"
    elif minutes:
        text = f"{minutes} min {secs:02d} s"
    else:
        text = f"{secs} s"
    return sign + text


def format_phone(number):
    """A phone number as a person reads it: ``06 12 34 56 78`` (rule 5)."""
    if not number:
        return ""
    text = str(number).strip()
    digits = "".join(c for c in text if c.isdigit())
    if not digits or any(not (c.isdigit() or c in " +.-()") for c in text):
        return text
    if text.startswith("+") or text.startswith("00"):
        digits = digits[2:] if text.startswith("00") else digits
    if digits.startswith("33") and len(digits) == 11:
        national = "0" + digits[2:]
    elif digits.startswith("0") and len(digits) == 10:
        national = digits
    else:
        return f"+{digits}"
    return " ".join(national[i : i + 2] for i in range(0, 10, 2))


def format_count(count, lang="en_US"):
    """A count (SMS, records) with the language's thousands separator."""
    return format_decimal(int(count or 0), format="#,##0", locale=_locale(lang))


def format_month(day, lang="en_US", short=False):
    """The month of ``day`` in words: ``November 2026``, ``novembre 2026``; short:
    ``Nov 2026``, ``nov. 2026`` (the labels of a chart)."""
    return format_date(day, format="LLL y" if short else "LLLL y", locale=_locale(lang))
