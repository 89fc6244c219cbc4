# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What French law lets the statutes of a cooperative say, by legal form.

Pure Python: one table of guards, read by the statute profile's constraint.
Each guard names the field, the bound, the legal forms it binds and the
article of law behind it. Other legal forms (``coop``) keep free values.

Sources (Légifrance):

1. Loi n° 47-1775 du 10 septembre 1947 portant statut de la coopération,
   art. 19 octies: in an SCIC with colleges, no college holds more than 50 %
   of the votes nor less than 10 %.
2. Same law, art. 16: at least 15 % of the surplus to the legal reserve until
   it reaches the highest capital reached; loi n° 78-763 du 19 juillet 1978
   (SCOP), art. 33: the same 15 % for a SCOP.
3. Same law (1947), art. 19 nonies: in an SCIC, at least 50 % of what is left
   after the legal reserve goes to the statutory reserves.
4. Same law, art. 14: interest on shares at most the average TMO of the last
   three calendar years plus 2 points.
5. Same law, art. 13: buy-backs cannot bring the capital below a quarter of
   the highest capital reached since the cooperative began.
6. Same law, art. 18: the statutes set the delay of the buy-back, within five
   years.
"""

from dataclasses import dataclass

LAW_1947 = "loi n° 47-1775 du 10 septembre 1947"
LAW_SCOP = "loi n° 78-763 du 19 juillet 1978"
MAX_BUYBACK_DELAY_MONTHS = 60


@dataclass(frozen=True)
class Guard:
    field: str
    op: str  # "min": value >= bound; "max": value <= bound
    bound: float
    forms: tuple
    article: str
    needs_colleges: bool = False


GUARDS = (
    Guard("college_weight_min", "min", 10, ("scic",), f"{LAW_1947}, art. 19 octies", True),
    Guard("college_weight_max", "max", 50, ("scic",), f"{LAW_1947}, art. 19 octies", True),
    Guard("legal_reserve_rate", "min", 15, ("scic",), f"{LAW_1947}, art. 16"),
    Guard("legal_reserve_rate", "min", 15, ("scop",), f"{LAW_SCOP}, art. 33"),
    Guard("statutory_reserve_rate", "min", 50, ("scic",), f"{LAW_1947}, art. 19 nonies"),
    Guard("interest_cap_margin", "max", 2, ("scic", "scop"), f"{LAW_1947}, art. 14"),
    Guard(
        "buyback_delay_months",
        "max",
        MAX_BUYBACK_DELAY_MONTHS,
        ("scic", "scop"),
        f"{LAW_1947}, art. 18",
    ),
)
CAPITAL_FLOOR_ARTICLE = f"{LAW_1947}, art. 13"
CAPITAL_FLOOR_FORMS = ("scic", "scop")


@dataclass(frozen=True)
class Breach:
    field: str
    op: str
    bound: float
    value: float
    article: str


def legal_capital_floor(legal_form, highest_capital):
    """The floor the law sets: a quarter of the highest capital reached (art. 13),
    for the legal forms it binds; 0 for the others."""
    if legal_form not in CAPITAL_FLOOR_FORMS:
        return 0
    return highest_capital / 4


def breaches(legal_form, values, has_colleges):
    """The guards of ``legal_form`` that ``values`` (field -> number) break."""
    found = []
    for guard in GUARDS:
        if legal_form not in guard.forms or (guard.needs_colleges and not has_colleges):
            continue
        value = values[guard.field]
        broken = value < guard.bound if guard.op == "min" else value > guard.bound
        if broken:
            found.append(Breach(guard.field, guard.op, guard.bound, value, guard.article))
    return found
