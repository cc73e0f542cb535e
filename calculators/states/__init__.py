"""State rules on deficiencies and wage garnishment: one cited dataset for 50 states and DC.

The data lives in ``data/XX.json``, one file per jurisdiction, and is the single source of
every state rule the site states: the state-law page is rendered from it, the calculators
apply it, and the tests read it. Nothing else types a state rule.

Every rule is a :class:`Cell`: its value, the citation (statute section, and the case where
the statute alone misleads), a link to the text that was read, the date it was checked, and
whether it is **verified** (read in the statute or case text) or not. An unverified cell is
kept, with its best-known value, so the page can say plainly that it is unverified; the
calculators never apply an unverified cell as if it were law (they fall back to the general
rule and say so).

Standard library only, so the same data and code run at build time and in Pyodide. Every
file is read when this module is imported, never later: in the browser the package's files
live in Pyodide's in-memory file system, which a memory snapshot does not carry, so a read
after a snapshot restore would find nothing (a state chosen on a returning visit failed with
FileNotFoundError). Read at import, the data is part of the snapshot like the code.

>>> jurisdiction("tx").name
'Texas'
>>> len(CODES), CODES[:3]
(51, ('AL', 'AK', 'AZ'))
"""

from __future__ import annotations

import enum
import json
import os
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, Generic, TypeVar

__all__ = [
    "CODES",
    "NAMES",
    "Bar",
    "Cap",
    "Cell",
    "Deadline",
    "FairValue",
    "Jurisdiction",
    "MinimumWage",
    "SaleType",
    "SmallBalanceBar",
    "Topic",
    "jurisdiction",
]

T_co = TypeVar("T_co", covariant=True)
_DATA = os.path.join(os.path.dirname(__file__), "data")

#: Every jurisdiction, by postal code, in alphabetical order of its name.
NAMES: dict[str, str] = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
}
CODES: tuple[str, ...] = tuple(NAMES)


class SaleType(enum.Enum):
    """How the collateral was sold."""

    NON_JUDICIAL = "non_judicial"  # trustee's sale, power of sale, foreclosure by advertisement
    JUDICIAL = "judicial"  # a court-ordered foreclosure sale
    REPOSSESSION = "repossession"  # goods (a car, equipment) repossessed and sold under UCC Article 9


@dataclass(frozen=True)
class Cell(Generic[T_co]):
    """One cited rule: its value and where it was read."""

    value: T_co
    citation: str
    url: str
    checked: str  # ISO date the text was read
    verified: bool
    note: str
    case: str = ""

    @property
    def cite(self) -> str:
        """The citation as a reader sees it: the statute, then the case if there is one."""
        return f"{self.citation}; {self.case}" if self.case and self.citation else self.citation or self.case


@dataclass(frozen=True)
class Bar:
    """A bar on deficiencies that applies only to some loans (purchase-money, owner-occupied, ...)."""

    sale_types: frozenset[SaleType]
    purchase_money: bool  # True: only loans that paid for the property (or seller financing)
    owner_occupied: bool  # True: only the borrower's own home
    limits: str  # further conditions the calculator cannot check (acres, units, dates)


@dataclass(frozen=True)
class FairValue:
    """A rule measuring the deficiency against fair value rather than only the sale price."""

    sale_types: frozenset[SaleType]
    measure: str
    on_request: bool  # the borrower must ask for it


@dataclass(frozen=True)
class Deadline:
    sale_types: frozenset[SaleType]
    period: str
    days: int | None
    starts: str


@dataclass(frozen=True)
class SmallBalanceBar:
    """No deficiency after repossession when a measure of the transaction is small."""

    threshold: Decimal
    measure: str  # "cash_price", "amount_financed", "unpaid_balance" or "other"
    at_or_below: bool  # True: the bar applies at the threshold too
    applies_to: str
    rule: str


@dataclass(frozen=True)
class Cap:
    """One state limit on wage garnishment; see :mod:`calculators.garnishment` for the formulas."""

    kind: str  # "percent", "excess", "floor", "tiers" or "exempt"
    base: str = "disposable"  # or "gross"
    percent: Decimal | None = None
    weekly_hours: Decimal | None = None
    wage: str = "federal"  # "federal", "state" (higher of federal and state) or "local" (highest of all)
    share: Decimal = Decimal(100)
    weekly_amount: Decimal | None = None
    per: str = "month"  # for tiers: the period the bracket bounds are stated in
    brackets: tuple[tuple[Decimal | None, Decimal], ...] = ()
    head_of_family: bool | None = None  # applies only to heads of family (True) or to others (False)
    gross_weekly_under: Decimal | None = None
    gross_weekly_at_least: Decimal | None = None
    per_dependent_weekly: Decimal | None = None
    unmodelled: str = ""


@dataclass(frozen=True)
class MinimumWage:
    hourly: Decimal | None  # None: no state rate above the federal one
    effective: str | None


@dataclass(frozen=True)
class Topic:
    """A further state rule a page discusses (a short-sale bar, a commercial non-recourse act)."""

    key: str
    text: str


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    name: str
    non_judicial: Cell[str]  # "allowed", "barred" or "not_used"
    judicial: Cell[str]  # "allowed" or "barred"
    bars: tuple[Cell[Bar], ...]
    fair_value: tuple[Cell[FairValue], ...]
    deadlines: tuple[Cell[Deadline], ...]
    one_action: Cell[str | None]
    small_balance_bar: Cell[SmallBalanceBar | None]
    repossession_notice: Cell[str | None]
    garnishment_exempt: Cell[bool]
    caps: tuple[Cell[Cap], ...]
    minimum_wage: Cell[MinimumWage]
    topics: tuple[Cell[Topic], ...]

    def topic(self, key: str) -> Cell[Topic]:
        """A further rule by its key; ``KeyError`` if the dataset has none."""
        for cell in self.topics:
            if cell.value.key == key:
                return cell
        raise KeyError(f"{self.code} has no topic {key!r}")


# ---- Reading the JSON ------------------------------------------------------------------


def _dec(text: Any) -> Decimal | None:
    return None if text is None else Decimal(str(text))


def _sales(value: dict[str, Any]) -> frozenset[SaleType]:
    return frozenset(SaleType(s) for s in value["sale_types"])


def _cell(raw: dict[str, Any], value: Any) -> Cell[Any]:
    return Cell(
        value=value,
        citation=raw.get("citation", ""),
        url=raw.get("url", ""),
        checked=raw["checked"],
        verified=raw["status"] == "verified",
        note=raw.get("note", ""),
        case=raw.get("case", ""),
    )


def _bar(v: dict[str, Any]) -> Bar:
    return Bar(
        _sales(v), v.get("purchase_money") is True, v.get("owner_occupied") is True, v.get("limits", "")
    )


def _fair(v: dict[str, Any]) -> FairValue:
    return FairValue(_sales(v), v["measure"], bool(v.get("on_request")))


def _deadline(v: dict[str, Any]) -> Deadline:
    return Deadline(_sales(v), v["period"], v.get("days"), v.get("starts", ""))


def _small(v: dict[str, Any] | None) -> SmallBalanceBar | None:
    if v is None:
        return None
    return SmallBalanceBar(
        Decimal(v["threshold"]), v["measure"], bool(v["at_or_below"]), v["applies_to"], v["rule"]
    )


def _cap(v: dict[str, Any]) -> Cap:
    when = v.get("when") or {}
    brackets = tuple((_dec(upto), Decimal(p)) for upto, p in v.get("brackets", ()))
    return Cap(
        kind=v["kind"],
        base=v.get("base", "disposable"),
        percent=_dec(v.get("percent")),
        weekly_hours=_dec(v.get("weekly_hours")),
        wage=v.get("wage", "federal"),
        share=Decimal(v.get("share", "100")),
        weekly_amount=_dec(v.get("weekly_amount")),
        per=v.get("per", "month"),
        brackets=brackets,
        head_of_family=when.get("head_of_family"),
        gross_weekly_under=_dec(when.get("gross_weekly_under")),
        gross_weekly_at_least=_dec(when.get("gross_weekly_at_least")),
        per_dependent_weekly=_dec(v.get("per_dependent_weekly")),
        unmodelled=v.get("unmodelled", ""),
    )


def _wage(v: dict[str, Any] | None) -> MinimumWage:
    v = v or {}
    return MinimumWage(_dec(v.get("hourly")), v.get("effective"))


def _value(raw: dict[str, Any], read: Any) -> Any:
    """An unverified cell may hold ``null`` where nothing was known; keep it as ``None``."""
    return None if raw.get("value") is None else read(raw["value"])


def _read_all() -> dict[str, dict[str, Any]]:
    raw = {}
    for code in NAMES:
        with open(os.path.join(_DATA, f"{code}.json"), encoding="utf-8") as fh:
            raw[code] = json.load(fh)
    return raw


#: Every jurisdiction's JSON, read once at import (see the module docstring for why).
_RAW: dict[str, dict[str, Any]] = _read_all()


@cache
def jurisdiction(code: str) -> Jurisdiction:
    """The rules of one jurisdiction by postal code (any case); ``KeyError`` for an unknown code."""
    code = code.upper()
    if code not in NAMES:
        raise KeyError(code)
    d = _RAW[code]
    f, r, g = d["foreclosure"], d["repossession"], d["garnishment"]

    def many(cells: list[dict[str, Any]], read: Any) -> tuple[Cell[Any], ...]:
        return tuple(_cell(c, read(c["value"])) for c in cells if c.get("value") is not None)

    return Jurisdiction(
        code=code,
        name=NAMES[code],
        non_judicial=_cell(f["non_judicial"], f["non_judicial"]["value"]),
        judicial=_cell(f["judicial"], f["judicial"]["value"]),
        bars=many(f["bars"], _bar),
        fair_value=many(f["fair_value"], _fair),
        deadlines=many(f["deadline"], _deadline),
        one_action=_cell(f["one_action"], f["one_action"]["value"]),
        small_balance_bar=_cell(r["small_balance_bar"], _value(r["small_balance_bar"], _small)),
        repossession_notice=_cell(r["notice"], r["notice"]["value"]),
        garnishment_exempt=_cell(g["exempt"], g["exempt"]["value"]),
        caps=many(g["caps"], _cap),
        minimum_wage=_cell(g["minimum_wage"], _wage(g["minimum_wage"].get("value"))),
        topics=many(d.get("topics", []), lambda v: Topic(v["key"], v["text"])),
    )
