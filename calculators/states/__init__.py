"""State rules on deficiencies and wage garnishment: one cited dataset for 50 states and DC.

The data lives in ``data/XX.json``, one file per jurisdiction, in the format ``schema.json``
describes (written once: the tests validate every file against it). It is the single source
of every state rule the site states: the state pages are rendered from it, the calculators
apply it through one engine (:mod:`calculators.states.engine`), and the tests read it.

A rule's conditions are data, in a closed vocabulary of the reader's facts
(:mod:`calculators.states.facts`), and its outcome is data too: barred, allowed, allowed with a
fair-value credit, allowed only if a court confirms the sale, or capped. Every rule says how
it is known (:class:`Source`): ``statute`` (the operative text was read), ``case`` (an opinion
that quotes or applies it was read), ``secondary`` or ``unverified``. Only the first two
change a figure; the engine treats any other rule as a possibility it shows, never as law.

Standard library only, so the same data and code run at build time and in Pyodide. Every
file is read when this module is imported, never later: in the browser the package's files
live in Pyodide's in-memory file system, which a memory snapshot does not carry, so a read
after a snapshot restore would find nothing (a state chosen on a returning visit once failed
with FileNotFoundError). Read at import, the data is part of the snapshot like the code.

>>> jurisdiction("tx").name
'Texas'
>>> len(CODES), CODES[:3]
(51, ('AL', 'AK', 'AZ'))
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

__all__ = [
    "CODES",
    "FIGURE_LEVELS",
    "NAMES",
    "Cap",
    "Deadline",
    "Info",
    "JudgmentLife",
    "Jurisdiction",
    "MinimumWage",
    "Outcome",
    "Rule",
    "SaleType",
    "Source",
    "jurisdiction",
    "today",
]

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

#: The source levels that change a figure: the operative text was read, or a court applying it.
FIGURE_LEVELS = frozenset({"statute", "case"})


class SaleType:
    """How the collateral was sold (the ``sale_type`` field's values)."""

    NON_JUDICIAL = "non_judicial"  # trustee's sale, power of sale, foreclosure by advertisement
    JUDICIAL = "judicial"  # a court-ordered foreclosure sale
    REPOSSESSION = "repossession"  # goods (a car, equipment) repossessed and sold under UCC Article 9


def today() -> dt.date:
    """The date the rules are applied on (minimum wages change on dates): the reader's own day,
    in the browser as at build time, so a page built before a change updates once it is live."""
    return dt.date.today()  # noqa: DTZ011 - a calendar date, read where the reader is


@dataclass(frozen=True)
class Source:
    """How a rule is known: its level, citation, the address of the text read, the date."""

    level: str  # "statute", "case", "secondary" or "unverified"
    citation: str
    url: str
    checked: str
    case: str = ""
    read_in: str = ""

    @property
    def changes_figures(self) -> bool:
        return self.level in FIGURE_LEVELS

    @property
    def cite(self) -> str:
        """The citation as a reader sees it: the statute, then the case if there is one."""
        return f"{self.citation}; {self.case}" if self.case and self.citation else self.citation or self.case

    @property
    def checked_on(self) -> str:
        """``1 Dec 2026``."""
        day = dt.date.fromisoformat(self.checked)
        return f"{day.day} {day.strftime('%b %Y')}"

    @property
    def how(self) -> str:
        """One plain line on how the rule was checked, for readers (never the research notes)."""
        where = f" ({self.read_in})" if self.read_in else ""
        if self.level == "statute":
            return f"Read in {self.citation}{where}, checked {self.checked_on}"
        if self.level == "case":
            return (
                f"Read in {self.case}, which applies {self.citation or 'the rule'}, checked {self.checked_on}"
            )
        if self.level == "secondary":
            return f"From a secondary source{where}, not yet read in the statute; checked {self.checked_on}"
        return f"Not verified: we could not read this rule's text; checked {self.checked_on}"


@dataclass(frozen=True)
class Outcome:
    """What a rule gives: ``barred``, ``allowed``, ``fair_value``, ``confirmation`` or ``cap``."""

    kind: str
    value: str = ""  # fair_value: "market_value", "appraisal" or "court_value"
    on_request: bool = False  # fair_value: only if the borrower asks
    test: str = ""  # confirmation: the test the court applies
    amount: Decimal | None = None  # cap


@dataclass(frozen=True)
class Rule:
    """A deficiency rule: for which sales, under which conditions, with what outcome."""

    id: str
    sales: frozenset[str]  # empty for repossession rules
    when: Mapping[str, Any]
    outcome: Outcome
    summary: str
    source: Source
    applies_to: str = "borrower"  # "guarantor" or "other_claim": stated, never in a figure
    not_used: bool = False
    indexed: Mapping[str, str | None] | None = None
    notes: str = ""


@dataclass(frozen=True)
class Deadline:
    """A clock: whose, how long, what starts it, and what missing it does."""

    id: str
    sales: frozenset[str]
    when: Mapping[str, Any]
    party: str  # "lender" or "borrower"
    period: tuple[int, str]  # (3, "months")
    starts: str
    starts_text: str
    effect: str  # "bars_suit", "ends_judgment" or "loses_protection"
    summary: str
    source: Source

    @property
    def length(self) -> str:
        n, unit = self.period
        return f"{n} {unit[:-1] if n == 1 else unit}"


@dataclass(frozen=True)
class Cap:
    """One state limit on wage garnishment; :mod:`calculators.garnishment` has the formulas."""

    id: str
    kind: str  # "percent", "excess", "floor", "tiers" or "exempt"
    summary: str
    source: Source
    when: Mapping[str, Any]
    base: str = "disposable"  # or "gross"
    percent: Decimal | None = None
    weekly_hours: Decimal | None = None
    wage: str = "federal"  # "federal", "state" (higher of federal and state) or "local" (highest of all)
    share: Decimal = Decimal(100)
    weekly_amount: Decimal | None = None
    period_amounts: Mapping[str, Decimal] | None = None  # the statute's own floor for each pay period
    per: str = "month"  # for tiers: the period the bracket bounds are stated in
    brackets: tuple[tuple[Decimal | None, Decimal], ...] = ()
    dependents_weekly: Decimal | None = None
    dependents_reduce: str = "floor"  # "floor" (raises it) or "amount" (comes off the garnishable amount)
    unmodelled: str = ""


@dataclass(frozen=True)
class MinimumWage:
    """The state's hourly minimum wage by effective date (empty: none above the federal one)."""

    rates: tuple[tuple[dt.date, Decimal], ...]
    next_change: dt.date | None
    summary: str
    source: Source

    def on(self, day: dt.date) -> tuple[dt.date, Decimal] | None:
        """The rate in force on ``day`` and the date it took effect, or ``None``."""
        current = None
        for start, rate in self.rates:
            if start <= day:
                current = (start, rate)
        return current


@dataclass(frozen=True)
class Info:
    """A rule stated in words that changes no figure; ``text`` is None when unknown."""

    text: str | None
    source: Source
    key: str = ""


@dataclass(frozen=True)
class JudgmentLife:
    """How long a money judgment can be enforced, and whether it can be renewed (changes no figure)."""

    period: tuple[int, str] | None  # (10, "years"); None: no fixed limit, or not determined
    starts_text: str
    renewable: bool | None
    summary: str
    source: Source

    @property
    def length(self) -> str:
        if self.period is None:
            return ""
        n, unit = self.period
        return f"{n} {unit[:-1] if n == 1 else unit}"


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    name: str
    foreclosure: tuple[Rule, ...]
    foreclosure_deadlines: tuple[Deadline, ...]
    one_action: Info
    repossession: tuple[Rule, ...]
    repossession_deadlines: tuple[Deadline, ...]
    repossession_notice: Info
    garnishment: Info
    caps: tuple[Cap, ...]
    minimum_wage: MinimumWage
    topics: tuple[Info, ...]
    judgment: JudgmentLife | None = None  # None: not yet in the dataset

    def topic(self, key: str) -> Info:
        """A further rule by its key; ``KeyError`` if the dataset has none."""
        for info in self.topics:
            if info.key == key:
                return info
        raise KeyError(f"{self.code} has no topic {key!r}")

    def rule(self, rule_id: str) -> Rule | Deadline | Cap:
        """A rule, deadline or cap by its id; ``KeyError`` if there is none."""
        items: tuple[Rule | Deadline | Cap, ...] = (
            *self.foreclosure,
            *self.foreclosure_deadlines,
            *self.repossession,
            *self.repossession_deadlines,
            *self.caps,
        )
        for item in items:
            if item.id == rule_id:
                return item
        raise KeyError(f"{self.code} has no rule {rule_id!r}")


# ---- Reading the JSON (its shape is checked against schema.json by the tests) ----------


def _dec(text: Any) -> Decimal | None:
    return None if text is None else Decimal(str(text))


def _source(raw: Mapping[str, Any]) -> Source:
    return Source(
        level=raw["level"],
        citation=raw["citation"],
        url=raw["url"],
        checked=raw["checked"],
        case=raw.get("case", ""),
        read_in=raw.get("read_in", ""),
    )


def _outcome(raw: Mapping[str, Any]) -> Outcome:
    return Outcome(
        kind=raw["kind"],
        value=raw.get("value", ""),
        on_request=bool(raw.get("on_request", False)),
        test=raw.get("test", ""),
        amount=_dec(raw.get("amount")),
    )


def _rule(raw: Mapping[str, Any]) -> Rule:
    return Rule(
        id=raw["id"],
        sales=frozenset(raw.get("sales", ())),
        when=raw["when"],
        outcome=_outcome(raw["outcome"]),
        summary=raw["summary"],
        source=_source(raw["source"]),
        applies_to=raw.get("applies_to", "borrower"),
        not_used=bool(raw.get("not_used", False)),
        indexed=raw.get("indexed"),
        notes=raw.get("notes", ""),
    )


def _deadline(raw: Mapping[str, Any]) -> Deadline:
    ((unit, n),) = raw["period"].items()
    return Deadline(
        id=raw["id"],
        sales=frozenset(raw.get("sales", ())),
        when=raw.get("when", {}),
        party=raw["party"],
        period=(int(n), str(unit)),
        starts=raw["starts"],
        starts_text=raw.get("starts_text", ""),
        effect=raw["effect"],
        summary=raw["summary"],
        source=_source(raw["source"]),
    )


def _cap(raw: Mapping[str, Any]) -> Cap:
    dependents = raw.get("dependents") or {}
    periods = raw.get("period_amounts")
    return Cap(
        id=raw["id"],
        kind=raw["kind"],
        summary=raw["summary"],
        source=_source(raw["source"]),
        when=raw.get("when", {}),
        base=raw.get("base", "disposable"),
        percent=_dec(raw.get("percent")),
        weekly_hours=_dec(raw.get("weekly_hours")),
        wage=raw.get("wage", "federal"),
        share=Decimal(raw.get("share", "100")),
        weekly_amount=_dec(raw.get("weekly_amount")),
        period_amounts=None if periods is None else {k: Decimal(v) for k, v in periods.items()},
        per=raw.get("per", "month"),
        brackets=tuple((_dec(upto), Decimal(p)) for upto, p in raw.get("brackets", ())),
        dependents_weekly=_dec(dependents.get("weekly")),
        dependents_reduce=dependents.get("reduces", "floor"),
        unmodelled=raw.get("unmodelled", ""),
    )


def _wage(raw: Mapping[str, Any]) -> MinimumWage:
    nxt = raw.get("next_change")
    return MinimumWage(
        rates=tuple((dt.date.fromisoformat(r["from"]), Decimal(r["hourly"])) for r in raw["rates"]),
        next_change=None if nxt is None else dt.date.fromisoformat(nxt),
        summary=raw["summary"],
        source=_source(raw["source"]),
    )


def _info(raw: Mapping[str, Any], key: str = "") -> Info:
    return Info(text=raw.get("text"), source=_source(raw["source"]), key=key)


def _judgment(raw: Mapping[str, Any]) -> JudgmentLife:
    period = None
    if raw["period"]:
        ((unit, n),) = raw["period"].items()
        period = (int(n), str(unit))
    return JudgmentLife(
        period=period,
        starts_text=raw["starts_text"],
        renewable=raw["renewable"],
        summary=raw["summary"],
        source=_source(raw["source"]),
    )


def _read_all() -> dict[str, dict[str, Any]]:
    raw = {}
    for code in NAMES:
        with open(os.path.join(_DATA, f"{code}.json"), encoding="utf-8") as fh:
            raw[code] = json.load(fh)
    return raw


#: Every jurisdiction's JSON, read once at import (see the module docstring for why).
RAW: dict[str, dict[str, Any]] = _read_all()


@cache
def jurisdiction(code: str) -> Jurisdiction:
    """The rules of one jurisdiction by postal code (any case); ``KeyError`` for an unknown code."""
    code = code.upper()
    if code not in NAMES:
        raise KeyError(code)
    d = RAW[code]
    f, r, g = d["foreclosure"], d["repossession"], d["garnishment"]
    return Jurisdiction(
        code=code,
        name=NAMES[code],
        foreclosure=tuple(_rule(x) for x in f["rules"]),
        foreclosure_deadlines=tuple(_deadline(x) for x in f["deadlines"]),
        one_action=_info(f["one_action"]),
        repossession=tuple(_rule(x) for x in r["rules"]),
        repossession_deadlines=tuple(_deadline(x) for x in r.get("deadlines", ())),
        repossession_notice=_info(r["notice"]),
        garnishment=_info(g["overview"]),
        caps=tuple(_cap(x) for x in g["caps"]),
        minimum_wage=_wage(d["minimum_wage"]),
        topics=tuple(Info(t["text"], _source(t["source"]), t["key"]) for t in d.get("topics", ())),
        judgment=_judgment(d["judgment"]) if "judgment" in d else None,
    )
