"""The reader's facts, as what could still be true: the ground the state-law engine reasons on.

A reader answers some questions and leaves others "not sure". :class:`Facts` holds, for every
fact the state rules may ask about, the values still possible: one value when the reader
answered, all of them when not. A rule's conditions (the closed vocabulary of
``schema.json``'s ``conditions``) are :class:`Atom` s, each true, false or undecided
(:class:`Truth`) on those facts. The engine (:mod:`calculators.states.engine`) splits the
facts on every undecided atom, so each possible case is worked out on its own and none is
ever assumed.

* **Choice facts** (``property_type``, ``owner_occupied`` ...) are sets of the vocabulary's
  values. ``purchase_money="yes"``, from old share links, is ``{"lender", "seller"}``.
* **Numbers** (``acres``, the purchase's ``cash_price`` ...) are intervals: a known number is
  a point, an unknown one the whole line. Dates are days (``date.toordinal()``), and a loan
  month is the interval of its days.
* **Opaque atoms** are what no reader fact can say: a condition written in words
  (``requires``), and whether a rule read only in a secondary source (or not at all) is the
  law. They are always undecided until a split assumes them.

>>> f = Facts.of(property_type="not_sure", acres=None)
>>> f.truth(Atom.choice("property_type", ("home",)))
<Truth.MAYBE: 'maybe'>
>>> holds, fails = f.split(Atom.choice("property_type", ("home",)))
>>> [n.words() for n in holds[0].narrowed(f)], [n.words() for n in fails[0].narrowed(f)]
(['the property is a home (1 to 4 units)'], ['the property is farm land or commercial or other real property'])
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from calckit.money import dollars

__all__ = [
    "CHOICES",
    "NOT_SURE",
    "RANGES",
    "Atom",
    "Facts",
    "Interval",
    "Truth",
    "atoms_of",
    "choice_words",
    "replace_range",
]

#: The answer every question offers: "I don't know". It never narrows anything.
NOT_SURE = "not_sure"

#: Every choice fact and its values (schema.json's vocabulary; CONTRACT-level names).
CHOICES: dict[str, tuple[str, ...]] = {
    "property_type": ("home", "farm", "commercial"),
    "owner_occupied": ("yes", "no"),
    "purchase_money": ("lender", "seller", "no"),
    "lender_waived_deficiency": ("yes", "no"),
    "loan_purpose": ("personal", "business"),
    "dwelling_units": ("1", "2", "3-4"),
    "home_equity_loan": ("yes", "no"),
    "lender_bought": ("yes", "no"),
    "appraised": ("yes", "no"),
    "sale_confirmed": ("yes", "no"),
    "sold_by": ("this_lender", "senior_lender"),
    "goods": ("vehicle", "other"),
    "head_of_family": ("yes", "no"),
}

#: Every numeric fact: how it reads in a sentence, and how its bounds are written.
RANGES: dict[str, str] = {
    "acres": "acres",
    "loan_date": "date",
    "cash_price": "money",
    "amount_financed": "money",
    "unpaid_balance": "money",
    "gross_weekly": "weekly",
    "owed_share": "share",
}

#: The plain words of each choice fact's values, as the condition of a sentence ("If ..."):
#: a subject, then a predicate per value, so that "a home or farm land" reads as one phrase.
_SAY: dict[str, tuple[str, dict[str, str]]] = {
    "property_type": (
        "the property is ",
        {
            "home": "a home (1 to 4 units)",
            "farm": "farm land",
            "commercial": "commercial or other real property",
        },
    ),
    "owner_occupied": ("", {"yes": "you live in the property", "no": "you do not live in the property"}),
    "purchase_money": (
        "the loan was ",
        {
            "lender": "a lender's loan used to buy the property",
            "seller": "seller financing of your purchase",
            "no": "not used to buy the property (a refinance or a home-equity loan, say)",
        },
    ),
    "lender_waived_deficiency": (
        "",
        {
            "yes": "the lender gave up the deficiency in the foreclosure case",
            "no": "the lender did not give up the deficiency",
        },
    ),
    "loan_purpose": (
        "the loan was for ",
        {"personal": "personal, family or household use", "business": "a business"},
    ),
    "dwelling_units": ("the home has ", {"1": "1 unit", "2": "2 units", "3-4": "3 or 4 units"}),
    "home_equity_loan": (
        "",
        {
            "yes": "the loan was a home-equity loan or line of credit on your homestead",
            "no": "the loan was not a home-equity loan",
        },
    ),
    "lender_bought": (
        "",
        {
            "yes": "the lender bought the property at the sale",
            "no": "someone other than the lender bought the property at the sale",
        },
    ),
    "appraised": (
        "",
        {
            "yes": "the property was appraised before the sale",
            "no": "the property was sold without an appraisal",
        },
    ),
    "sale_confirmed": ("", {"yes": "a court confirmed the sale", "no": "no court confirmed the sale"}),
    "sold_by": (
        "",
        {
            "this_lender": "this loan's own lender sold the property",
            "senior_lender": "another lender, with a loan ahead of this one, sold the property and wiped this loan out",
        },
    ),
    "goods": ("the goods were ", {"vehicle": "a motor vehicle", "other": "not a motor vehicle"}),
    "head_of_family": ("", {"yes": "you are the head of a family", "no": "you are not the head of a family"}),
}


def choice_words(key: str, values: frozenset[str] | set[str] | tuple[str, ...]) -> str:
    """A choice fact limited to ``values``, in words: "the property is a home or farm land"."""
    subject, predicates = _SAY[key]
    return subject + " or ".join(predicates[v] for v in CHOICES[key] if v in values)


_NOUN = {
    "acres": "the land is",
    "loan_date": "the loan was made",
    "cash_price": "the cash price was",
    "amount_financed": "the amount financed was",
    "unpaid_balance": "the unpaid balance at default was",
    "gross_weekly": "your gross pay is",
    "owed_share": "what was still owed was",
}


class Truth(enum.Enum):
    YES = "yes"
    NO = "no"
    MAYBE = "maybe"


@dataclass(frozen=True)
class Interval:
    """A set of numbers between two bounds (``None``: unbounded); each bound open or closed."""

    lo: Fraction | None = None
    hi: Fraction | None = None
    lo_open: bool = False
    hi_open: bool = False

    @staticmethod
    def point(value: Fraction) -> Interval:
        return Interval(value, value)

    def empty(self) -> bool:
        if self.lo is None or self.hi is None:
            return False
        return self.lo > self.hi or (self.lo == self.hi and (self.lo_open or self.hi_open))

    def _lo_key(self) -> tuple[int, Fraction, int]:
        return (0, Fraction(0), 0) if self.lo is None else (1, self.lo, int(self.lo_open))

    def _hi_key(self) -> tuple[int, Fraction, int]:
        return (1, Fraction(0), 0) if self.hi is None else (0, self.hi, -int(self.hi_open))

    def meet(self, other: Interval) -> Interval:
        lo = max((self, other), key=Interval._lo_key)
        hi = min((self, other), key=Interval._hi_key)
        return Interval(lo.lo, hi.hi, lo.lo_open, hi.hi_open)

    def within(self, other: Interval) -> bool:
        return self.meet(other) == self

    def minus(self, other: Interval) -> list[Interval]:
        """What of this interval lies outside ``other`` (zero, one or two pieces)."""
        pieces = []
        if other.lo is not None:
            pieces.append(self.meet(Interval(None, other.lo, False, not other.lo_open)))
        if other.hi is not None:
            pieces.append(self.meet(Interval(other.hi, None, not other.hi_open, False)))
        return [p for p in pieces if not p.empty()]


@dataclass(frozen=True)
class Atom:
    """One condition: a choice fact in a set of values, a numeric fact in an interval, or an
    opaque proposition (``requires`` text, or "this rule is the law")."""

    kind: str  # "choice", "range" or "opaque"
    key: str
    values: frozenset[str] = frozenset()
    interval: Interval = field(default_factory=Interval)
    text: str = ""  # for opaque atoms: the condition in words

    @staticmethod
    def choice(key: str, values: tuple[str, ...] | list[str]) -> Atom:
        return Atom("choice", key, values=frozenset(values))

    @staticmethod
    def range(key: str, interval: Interval) -> Atom:
        return Atom("range", key, interval=interval)

    @staticmethod
    def opaque(key: str, text: str) -> Atom:
        return Atom("opaque", key, text=text)


def _day(text: str) -> Fraction:
    return Fraction(dt.date.fromisoformat(text).toordinal())


def _bound(value: str, key: str) -> Fraction:
    if key == "loan_date":
        return _day(value)
    if "/" in value:
        top, bottom = value.split("/")
        return Fraction(int(top), int(bottom))
    return Fraction(Decimal(value))


def interval_of(key: str, bounds: Mapping[str, str]) -> Interval:
    """A schema range (``at_most``, ``under``, ``at_least``, ``over``, ``before``,
    ``on_or_after``) as an interval."""
    result = Interval()
    for name, raw in bounds.items():
        if name == "measure":
            continue
        value = _bound(raw, key)
        part = {
            "at_most": Interval(None, value),
            "under": Interval(None, value, hi_open=True),
            "before": Interval(None, value, hi_open=True),
            "at_least": Interval(value, None),
            "on_or_after": Interval(value, None),
            "over": Interval(value, None, lo_open=True),
        }[name]
        result = result.meet(part)
    return result


def _fraction_words(value: Fraction) -> str:
    named = {Fraction(2, 3): "two-thirds", Fraction(1, 2): "half", Fraction(1, 3): "one-third"}
    return named.get(value, f"{float(value) * 100:.0f}%")


def _number(key: str, value: Fraction) -> str:
    style = RANGES[key]
    if style == "date":
        day = dt.date.fromordinal(int(value))
        return f"{day.day} {day.strftime('%B %Y')}"
    if style in ("money", "weekly"):
        return dollars(Decimal(value.numerator) / Decimal(value.denominator))
    if style == "share":
        return _fraction_words(value)
    text = f"{Decimal(value.numerator) / Decimal(value.denominator):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _range_words(key: str, interval: Interval) -> str:
    style = RANGES[key]
    parts = []
    if interval.lo is not None:
        lo = _number(key, interval.lo)
        if style == "date":
            parts.append(f"after {lo}" if interval.lo_open else f"on or after {lo}")
        elif style == "share":
            parts.append(f"more than {lo}" if interval.lo_open else f"at least {lo}")
        else:
            parts.append(f"over {lo}" if interval.lo_open else f"at least {lo}")
    if interval.hi is not None:
        hi = _number(key, interval.hi)
        if style == "date":
            parts.append(f"before {hi}" if interval.hi_open else f"on or before {hi}")
        elif style == "share":
            parts.append(f"less than {hi}" if interval.hi_open else f"at most {hi}")
        else:
            parts.append(
                f"under {hi}" if interval.hi_open else f"{hi} or less" if not parts else f"at most {hi}"
            )
    text = " and ".join(parts)
    if style == "acres":
        text = text.replace(" or less", " acres or less") if " or less" in text else f"{text} acres"
    elif style == "weekly":
        text += " a week"
    elif style == "share":
        text += " of the loan's original principal"
    return f"{_NOUN[key]} {text}"


@dataclass(frozen=True)
class Narrowing:
    """What a case assumes beyond the reader's answers, in words."""

    key: str
    text: str

    def words(self) -> str:
        return self.text


@dataclass(frozen=True)
class Facts:
    """What may still be true: every choice fact's possible values, every numeric fact's
    interval, and the opaque atoms a case has assumed (absent: undecided)."""

    choices: Mapping[str, frozenset[str]]
    ranges: Mapping[str, Interval]
    opaque: Mapping[str, bool] = field(default_factory=dict)

    @staticmethod
    def of(**answers: Any) -> Facts:
        """Facts from a reader's answers: a choice's value (or ``not_sure``, or ``None``), a
        number (``Decimal``/``int``, or ``None`` for not sure), a loan month ``(year, month)``.
        ``purchase_money="yes"`` (old share links) means a lender's or a seller's loan."""
        choices = {key: frozenset(values) for key, values in CHOICES.items()}
        ranges = {key: Interval() for key in RANGES}
        for key, value in answers.items():
            if value is None or value == NOT_SURE:
                continue
            if key in CHOICES:
                chosen = {"lender", "seller"} if (key, value) == ("purchase_money", "yes") else {value}
                if isinstance(value, bool):
                    chosen = {"yes" if value else "no"}
                unknown = set(chosen) - set(CHOICES[key])
                if unknown:
                    raise ValueError(f"{key}: {sorted(unknown)} not among {CHOICES[key]}")
                choices[key] = frozenset(chosen)
            elif key == "loan_date":
                year, month = value
                first = dt.date(year, month, 1)
                last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
                ranges[key] = Interval(Fraction(first.toordinal()), Fraction(last.toordinal()))
            elif key in RANGES:
                ranges[key] = Interval.point(
                    value if isinstance(value, Fraction) else Fraction(Decimal(value))
                )
            else:
                raise ValueError(f"unknown fact {key!r}")
        return Facts(choices, ranges)

    def truth(self, atom: Atom) -> Truth:
        if atom.kind == "choice":
            possible = self.choices[atom.key]
            if possible <= atom.values:
                return Truth.YES
            return Truth.NO if not possible & atom.values else Truth.MAYBE
        if atom.kind == "range":
            domain = self.ranges[atom.key]
            if domain.within(atom.interval):
                return Truth.YES
            return Truth.NO if domain.meet(atom.interval).empty() else Truth.MAYBE
        assumed = self.opaque.get(atom.key)
        return Truth.MAYBE if assumed is None else Truth.YES if assumed else Truth.NO

    def assume(self, atom: Atom, holds: bool) -> list[Facts]:
        """The facts narrowed by ``atom`` holding (one case) or not holding (one or two cases)."""
        if atom.kind == "choice":
            possible = self.choices[atom.key]
            kept = possible & atom.values if holds else possible - atom.values
            return [replace(self, choices={**self.choices, atom.key: kept})] if kept else []
        if atom.kind == "range":
            domain = self.ranges[atom.key]
            pieces = [domain.meet(atom.interval)] if holds else domain.minus(atom.interval)
            return [replace(self, ranges={**self.ranges, atom.key: p}) for p in pieces if not p.empty()]
        return [replace(self, opaque={**self.opaque, atom.key: holds})]

    def split(self, atom: Atom) -> tuple[list[Facts], list[Facts]]:
        """The cases where ``atom`` holds, and those where it does not."""
        return self.assume(atom, True), self.assume(atom, False)

    def narrowed(self, reader: Facts, texts: Mapping[str, str] | None = None) -> list[Narrowing]:
        """In words, what these facts assume beyond ``reader``'s answers (in vocabulary order)."""
        said: list[Narrowing] = []
        for key in CHOICES:
            mine = self.choices[key]
            if mine != reader.choices[key]:
                said.append(Narrowing(key, choice_words(key, mine)))
        for key in RANGES:
            if self.ranges[key] != reader.ranges[key]:
                said.append(Narrowing(key, _range_words(key, self.ranges[key])))
        for key, holds in self.opaque.items():
            # A condition in words assumed to fail is left unsaid: the case is told by what it
            # does assume, and "it is not so that ..." helps no reader.
            if key not in reader.opaque and holds:
                said.append(Narrowing(key, (texts or {}).get(key, key)))
        return said


def atoms_of(when: Mapping[str, Any], law: Atom | None = None) -> Iterator[Atom]:
    """The atoms of a rule's ``when`` (schema.json's conditions), and its law atom if given."""
    for key, condition in when.items():
        if key in CHOICES:
            yield Atom.choice(key, condition)
        elif key == "amount":
            yield Atom.range(condition["measure"], interval_of(condition["measure"], condition))
        elif key in RANGES:
            yield Atom.range(key, interval_of(key, condition))
        elif key == "requires":
            yield Atom.opaque(f"requires:{condition}", condition)
        else:  # pragma: no cover - the schema admits no other key
            raise ValueError(f"unknown condition {key!r}")
    if law is not None:
        yield law


def replace_range(facts: Facts, key: str, value: Decimal) -> Facts:
    """The same facts with one numeric fact known (a figure the calculator derived)."""
    return replace(facts, ranges={**facts.ranges, key: Interval.point(Fraction(value))})
