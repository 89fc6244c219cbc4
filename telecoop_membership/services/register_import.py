# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Reading and checking the files of a cooperative moved in (no ORM).

Conventions:

1. A file is CSV (UTF-8, with or without BOM, comma or semicolon) or XLSX (first
   sheet); its first row names the columns, in any order; names are compared
   lower-case and stripped. Line numbers are those a spreadsheet shows: the
   header is line 1.
2. Each kind of file has a format of its own (``FORMATS``) and may come as an
   export of OCA ``cooperator`` 16.0 (``OCA_FORMATS``): the format is recognised
   from the header, then every row becomes a dict of the canonical columns.
3. Every problem is a ``Problem(file, line, column, message)``; a check never
   stops at the first problem. A file with a problem imports nothing.
4. Dates are ISO (``2019-03-31``) or French (``31/03/2019``); an XLSX date cell
   is a date. Quantities are whole positive numbers; amounts use ``.`` or ``,``.
5. History is replayed in date order (then file order): a member never holds
   fewer than zero shares of a class, a transfer's giver and a buy-back's member
   hold the shares they give up on that date, and a member holds shares only
   between their admission and exit dates.
6. No movement brings a member beyond the holding limits of the statutes and the
   share class (``share_rules.check_holding_limits``, maxima only: minima of the
   past may have differed); a cell holds at most ``MAX_CELL`` characters.
"""

import csv
import datetime
import io
import re
import zipfile
from collections import defaultdict, namedtuple
from decimal import Decimal, InvalidOperation

from .share_rules import check_holding_limits

Problem = namedtuple("Problem", "file line column message")

#: the longest cell read (characters): a longer one is a problem of its line
MAX_CELL = 1000
#: control characters a cell may not hold (NUL cannot even be stored)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _identity(text, **kwargs):
    return text % kwargs if kwargs else text


#: canonical columns of each kind of file: (column, required)
FORMATS = {
    "members": [
        ("member_number", True),
        ("name", True),
        ("email", False),
        ("is_company", False),
        ("college", False),
        ("admission_date", True),
        ("exit_date", False),
    ],
    "movements": [
        ("ref", True),
        ("date", True),
        ("type", True),
        ("member_number", True),
        ("to_member_number", False),
        ("share_class", True),
        ("quantity", True),
        ("unit_price", False),
    ],
    "lines": [
        ("msisdn", True),
        ("iccid", False),
        ("holder", True),
        ("plan", True),
        ("activation_date", True),
    ],
}

MOVEMENT_TYPES = {"issue": "issue", "transfer": "transfer", "buyback": "buyback"}

#: exports of OCA cooperator 16.0 (list view "Export", field names as headers):
#: name, kind, the header that recognises it, its columns -> canonical, value maps
OCA_FORMATS = [
    {
        "name": "oca_subscription_request",
        "kind": "members",
        "marker": "ordered_parts",
        "columns": {
            "partner_id/cooperator_register_number": "member_number",
            "name": "name",
            "email": "email",
            "is_company": "is_company",
            "date": "admission_date",
            "share_product_id": "share_class",
            "state": "state",
        },
        "keep": {"state": {"done"}},
    },
    {
        "name": "oca_cooperative_membership",
        "kind": "members",
        "marker": "cooperator_register_number",
        "columns": {
            "cooperator_register_number": "member_number",
            "name": "name",
            "email": "email",
            "is_company": "is_company",
            "effective_date": "admission_date",
            "cooperator_type": "share_class",
            "cooperator": "cooperator",
        },
        "keep": {"cooperator": {"True", "true", "1"}},
    },
    {
        "name": "oca_share_line",
        "kind": "movements",
        "marker": "share_number",
        "columns": {
            "id": "ref",
            "effective_date": "date",
            "partner_id/cooperator_register_number": "member_number",
            "share_product_id": "share_class",
            "share_number": "quantity",
            "share_unit_price": "unit_price",
        },
        "constant": {"type": "issue"},
        "ref_prefix": "oca-share-line-",
    },
    {
        "name": "oca_subscription_register",
        "kind": "movements",
        "marker": "register_number_operation",
        "columns": {
            "name": "ref",
            "date": "date",
            "type": "type",
            "partner_id/cooperator_register_number": "member_number",
            "partner_id_to/cooperator_register_number": "to_member_number",
            "share_product_id": "share_class",
            "quantity": "quantity",
            "share_unit_price": "unit_price",
        },
        "values": {
            "type": {"subscription": "issue", "transfer": "transfer", "sell_back": "buyback"}
        },
        "ref_prefix": "oca-register-",
    },
]


def read_table(content, filename):
    """``(header, rows)`` of a CSV or XLSX file: rows are ``(line, [cells])``."""
    if content[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    text = content.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, [])
    rows = [(number, row) for number, row in enumerate(reader, start=2) if any(row)]
    return header, rows


#: what openpyxl raises on a file that is a ZIP archive but no workbook (a document
#: of another format, a broken part: lxml's XMLSyntaxError is a SyntaxError)
XLSX_ERRORS = (zipfile.BadZipFile, KeyError, OSError, SyntaxError, TypeError, IndexError)


def _read_xlsx(content):
    import openpyxl  # noqa: PLC0415 - an Odoo dependency, needed for XLSX only

    rows = []
    header = []
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # read only: the sheet's XML is parsed row by row, its errors come here
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = ["" if v is None else v for v in values]
            if number == 1:
                header = [str(c) for c in cells]
            elif any(c != "" for c in cells):
                rows.append((number, cells))
        workbook.close()
    except XLSX_ERRORS as error:
        raise ValueError("not an XLSX workbook") from error
    return header, rows


def to_records(kind, filename, header, rows, _=_identity):
    """Rows as dicts of canonical columns, the name of the format, and problems."""
    names = [str(h).strip().lower() for h in header]
    problems = []
    oca = next((f for f in OCA_FORMATS if f["kind"] == kind and f["marker"] in names), None)
    if oca:
        mapping = {src: dst for src, dst in oca["columns"].items() if src in names}
        format_name = oca["name"]
    else:
        mapping = {name: name for name in names if name in dict(FORMATS[kind])}
        format_name = "telecoop"
    present = set(mapping.values()) | set((oca or {}).get("constant", {}))
    for column, required in FORMATS[kind]:
        if required and column not in present and not (oca and column == "college"):
            problems.append(
                Problem(filename, 1, column, _("Column %(column)s is missing.", column=column))
            )
    records = []
    for line, cells in rows:
        record = {"_line": line}
        for index, name in enumerate(names):
            if name in mapping and index < len(cells):
                value = cells[index]
                if isinstance(value, str) and len(value) > MAX_CELL:
                    problems.append(
                        Problem(
                            filename,
                            line,
                            mapping[name],
                            _(
                                "The cell has %(length)s characters: at most %(max)s.",
                                length=len(value),
                                max=MAX_CELL,
                            ),
                        )
                    )
                    value = value[:MAX_CELL]
                if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
                    problems.append(
                        Problem(
                            filename,
                            line,
                            mapping[name],
                            _("The cell holds control characters (such as NUL)."),
                        )
                    )
                    value = CONTROL_CHARACTERS.sub("", value)
                record[mapping[name]] = value.strip() if isinstance(value, str) else value
        if oca:
            record.update(oca.get("constant", {}))
            keep = oca.get("keep", {})
            if any(str(record.get(col, "")) not in allowed for col, allowed in keep.items()):
                continue
            for column, values in oca.get("values", {}).items():
                if column in record:
                    record[column] = values.get(record[column], record[column])
            if oca.get("ref_prefix") and record.get("ref") not in (None, ""):
                record["ref"] = oca["ref_prefix"] + str(record["ref"])
        records.append(record)
    return records, format_name, problems


def parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    value = str(value or "").strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value[:10], pattern).date()
        except ValueError:
            continue
    return None


def parse_quantity(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value or "").strip()
    return int(text) if re.fullmatch(r"\d+", text) and int(text) > 0 else None


def parse_amount(value):
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def _text(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value if value is not None else "").strip()


def check_members(records, filename, colleges, _=_identity):
    """Members by number and problems.

    :param colleges: college codes of the cooperative
    :return: ({number: member dict}, [Problem])
    """
    problems = []
    members = {}
    people = {}  # (name, e-mail) -> the member of the first line with them
    for record in records:
        line = record["_line"]
        number = _text(record.get("member_number"))
        if not number:
            problems.append(Problem(filename, line, "member_number", _("No member number.")))
            continue
        member = {
            "line": line,
            "number": number,
            "name": _text(record.get("name")),
            "email": _text(record.get("email")) or False,
            "is_company": _text(record.get("is_company")).lower() in ("1", "true", "yes", "oui"),
            "college": _text(record.get("college")),
            "share_class": _text(record.get("share_class")),
            "admission_date": parse_date(record.get("admission_date")),
            "exit_date": parse_date(record.get("exit_date")) if record.get("exit_date") else None,
        }
        if not member["name"]:
            problems.append(Problem(filename, line, "name", _("No name.")))
        if member["college"] and member["college"] not in colleges:
            problems.append(
                Problem(
                    filename,
                    line,
                    "college",
                    _("Unknown college %(college)s.", college=member["college"]),
                )
            )
        if not member["admission_date"]:
            problems.append(
                Problem(
                    filename,
                    line,
                    "admission_date",
                    _("%(value)s is not a date.", value=_text(record.get("admission_date"))),
                )
            )
        if record.get("exit_date") and not member["exit_date"]:
            problems.append(
                Problem(
                    filename,
                    line,
                    "exit_date",
                    _("%(value)s is not a date.", value=_text(record.get("exit_date"))),
                )
            )
        if (
            member["admission_date"]
            and member["exit_date"]
            and member["exit_date"] < member["admission_date"]
        ):
            problems.append(
                Problem(filename, line, "exit_date", _("The exit is before the admission."))
            )
        if number in members:
            first = members[number]
            if first["name"] != member["name"]:
                problems.append(
                    Problem(
                        filename,
                        line,
                        "member_number",
                        _(
                            "Member number %(number)s is given to %(first)s on line "
                            "%(line)s and to %(second)s.",
                            number=number,
                            first=first["name"],
                            line=first["line"],
                            second=member["name"],
                        ),
                    )
                )
            elif member["admission_date"] and first["admission_date"]:
                # an OCA export has one request per subscription: the first admits
                first["admission_date"] = min(first["admission_date"], member["admission_date"])
            continue
        # one person, one member (and one vote): the same name and e-mail under a
        # second number is the same person twice (homonyms have their own e-mail)
        person = (member["name"].casefold(), (member["email"] or "").strip().casefold())
        if person[0] and person[1]:
            first = people.setdefault(person, member)
            if first is not member:
                problems.append(
                    Problem(
                        filename,
                        line,
                        "member_number",
                        _(
                            "%(name)s (%(email)s) is already member %(number)s on line "
                            "%(line)s: one person has one member number.",
                            name=member["name"],
                            email=member["email"],
                            number=first["number"],
                            line=first["line"],
                        ),
                    )
                )
        members[number] = member
    return members, problems


def check_movements(records, filename, members, classes, limits=None, holdings=None, _=_identity):
    """Movements in replay order and problems.

    :param members: {number: member dict} of the file and of the register already there
    :param classes: {name: nominal value (Decimal)} of the cooperative's share classes
    :param holdings: see :func:`replay` (the register already there, before the file)
    :param limits: see :func:`replay`, with ``max_amount``: the most one movement is worth
    :return: ([movement dict], [Problem])
    """
    limits = limits or {}
    problems = []
    movements = []
    refs = {}
    for record in records:
        line = record["_line"]
        problem_count = len(problems)

        def problem(column, message, line=line):
            problems.append(Problem(filename, line, column, message))

        ref = _text(record.get("ref"))
        if not ref:
            problem("ref", _("No reference."))
        elif ref in refs:
            problem(
                "ref", _("Reference %(ref)s is already on line %(line)s.", ref=ref, line=refs[ref])
            )
        else:
            refs[ref] = line
        on_date = parse_date(record.get("date"))
        if not on_date:
            problem("date", _("%(value)s is not a date.", value=_text(record.get("date"))))
        kind = MOVEMENT_TYPES.get(_text(record.get("type")).lower())
        if not kind:
            problem(
                "type",
                _(
                    "%(value)s is not a movement type (issue, transfer, buyback).",
                    value=_text(record.get("type")),
                ),
            )
        number = _text(record.get("member_number"))
        if number not in members:
            problem("member_number", _("No member has number %(number)s.", number=number))
        to_number = _text(record.get("to_member_number"))
        if kind == "transfer":
            if to_number not in members:
                problem("to_member_number", _("No member has number %(number)s.", number=to_number))
            elif to_number == number:
                problem("to_member_number", _("A member cannot transfer shares to themself."))
        elif to_number:
            problem("to_member_number", _("Only a transfer has a receiving member."))
        share_class = _text(record.get("share_class"))
        if share_class not in classes:
            problem(
                "share_class", _("Unknown share class %(share_class)s.", share_class=share_class)
            )
        quantity = parse_quantity(record.get("quantity"))
        if not quantity:
            problem(
                "quantity",
                _(
                    "%(value)s is not a whole number of shares above zero.",
                    value=_text(record.get("quantity")),
                ),
            )
        unit_price = parse_amount(record.get("unit_price"))
        if record.get("unit_price") not in (None, "") and (unit_price is None or unit_price <= 0):
            problem(
                "unit_price",
                _("%(value)s is not a price.", value=_text(record.get("unit_price"))),
            )
        if len(problems) > problem_count:
            continue
        if unit_price is None:
            unit_price = classes[share_class]
        if limits.get("max_amount") and unit_price * quantity > limits["max_amount"]:
            problem(
                "quantity",
                _(
                    "%(quantity)s shares at %(price)s are worth more than a movement may "
                    "(%(max)s).",
                    quantity=quantity,
                    price=unit_price,
                    max=limits["max_amount"],
                ),
            )
            continue
        movements.append(
            {
                "line": line,
                "ref": ref,
                "date": on_date,
                "type": kind,
                "member": number,
                "to_member": to_number if kind == "transfer" else None,
                "share_class": share_class,
                "quantity": quantity,
                "amount": unit_price * quantity,
            }
        )
    movements.sort(key=lambda m: (m["date"], m["line"]))
    problems.extend(replay(movements, filename, members, holdings=holdings, limits=limits, _=_))
    return movements, problems


def replay(movements, filename, members, holdings=None, limits=None, _=_identity):
    """Problems of the history replayed in date order (rule 5), and the holdings
    beyond the statutes (rule 6).

    :param holdings: {(member number, class): shares} held before the first movement
    :param limits: ``class_max`` {class: the most shares of it a member holds} and
        ``profile_max`` (shares of all classes, 0 = none), as ``check_holding_limits``
    """
    held = defaultdict(int, holdings or {})
    total = defaultdict(int)
    for (number, _share_class), shares in held.items():
        total[number] += shares
    limits = limits or {}
    problems = []
    for movement in movements:
        line, number, share_class = movement["line"], movement["member"], movement["share_class"]
        takers = [number] if movement["type"] == "issue" else []
        if movement["type"] in ("transfer", "buyback"):
            key = (number, share_class)
            if held[key] < movement["quantity"]:
                problems.append(
                    Problem(
                        filename,
                        line,
                        "quantity",
                        _(
                            "On %(date)s member %(number)s holds %(held)s shares of "
                            "%(share_class)s and cannot give up %(quantity)s.",
                            date=movement["date"],
                            number=number,
                            held=held[key],
                            share_class=share_class,
                            quantity=movement["quantity"],
                        ),
                    )
                )
                continue
            held[key] -= movement["quantity"]
            total[number] -= movement["quantity"]
        if movement["type"] == "transfer":
            takers = [movement["to_member"]]
        for taker in takers:
            member = members[taker]
            admitted, left = member["admission_date"], member["exit_date"]
            if (admitted and movement["date"] < admitted) or (left and movement["date"] > left):
                column = "member_number" if taker == number else "to_member_number"
                problems.append(
                    Problem(
                        filename,
                        line,
                        column,
                        _(
                            "Member %(number)s receives shares on %(date)s, outside their "
                            "membership (%(admitted)s to %(left)s).",
                            number=taker,
                            date=movement["date"],
                            admitted=admitted,
                            left=left or "",
                        ),
                    )
                )
            breaches = check_holding_limits(
                held[(taker, share_class)],
                total[taker],
                movement["quantity"],
                0,
                limits.get("class_max", {}).get(share_class, 0),
                0,
                limits.get("profile_max", 0),
            )
            for breach in breaches[:1]:  # the class's limit first: one problem a line
                problems.append(
                    Problem(
                        filename,
                        line,
                        "quantity",
                        _(
                            "On %(date)s member %(number)s would hold %(holding)s shares of "
                            "%(share_class)s: at most %(limit)s per member.",
                            date=movement["date"],
                            number=taker,
                            holding=breach.holding,
                            share_class=share_class,
                            limit=breach.limit,
                        )
                        if breach.rule == "class_max"
                        else _(
                            "On %(date)s member %(number)s would hold %(holding)s shares in "
                            "all: the statutes allow at most %(limit)s per member.",
                            date=movement["date"],
                            number=taker,
                            holding=breach.holding,
                            limit=breach.limit,
                        ),
                    )
                )
            held[(taker, share_class)] += movement["quantity"]
            total[taker] += movement["quantity"]
    end = defaultdict(int)
    for (number, _share_class), shares in held.items():
        end[number] += shares
    for number, member in members.items():
        if member.get("exit_date") and end[number] > 0 and member.get("line"):
            problems.append(
                Problem(
                    filename,
                    member["line"],
                    "exit_date",
                    _(
                        "Member %(number)s left on %(date)s but still holds %(shares)s shares.",
                        number=number,
                        date=member["exit_date"],
                        shares=end[number],
                    ),
                )
            )
    return problems


def check_lines(records, filename, holders, plans, _=_identity):
    """Mobile lines and problems.

    :param holders: set of member numbers and contact references that can hold a line
    :param plans: set of plan names of the cooperative
    """
    problems = []
    lines = []
    seen = {}
    for record in records:
        line = record["_line"]
        count = len(problems)
        msisdn = _text(record.get("msisdn")).lstrip("+").replace(" ", "")
        if not (msisdn.isdigit() and 8 <= len(msisdn) <= 15):
            problems.append(
                Problem(
                    filename,
                    line,
                    "msisdn",
                    _("%(value)s is not an E.164 number without +: 8 to 15 digits.", value=msisdn),
                )
            )
        elif msisdn in seen:
            problems.append(
                Problem(
                    filename,
                    line,
                    "msisdn",
                    _(
                        "Number %(msisdn)s is already on line %(line)s.",
                        msisdn=msisdn,
                        line=seen[msisdn],
                    ),
                )
            )
        else:
            seen[msisdn] = line
        holder = _text(record.get("holder"))
        if holder not in holders:
            problems.append(
                Problem(
                    filename,
                    line,
                    "holder",
                    _("No member or contact has number or reference %(holder)s.", holder=holder),
                )
            )
        plan = _text(record.get("plan"))
        if plan not in plans:
            problems.append(Problem(filename, line, "plan", _("Unknown plan %(plan)s.", plan=plan)))
        activation = parse_date(record.get("activation_date"))
        if not activation:
            problems.append(
                Problem(
                    filename,
                    line,
                    "activation_date",
                    _("%(value)s is not a date.", value=_text(record.get("activation_date"))),
                )
            )
        if len(problems) > count:
            continue
        lines.append(
            {
                "line": line,
                "msisdn": msisdn,
                "iccid": _text(record.get("iccid")) or False,
                "holder": holder,
                "plan": plan,
                "activation_date": activation,
            }
        )
    return lines, problems
