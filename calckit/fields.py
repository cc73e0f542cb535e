"""Field and output declarations: the single source of every calculator's form.

A calculator declares its inputs once, as :class:`Field` objects. The same
declaration drives

* validation: :meth:`Field.parse` turns the raw text a person typed into a
  typed value, or raises :class:`InputError` naming the field and what it allows;
* the HTML form rendered at build time (label, kind, unit, bounds, step, help);
* the ``python -m calculators list`` description and the documentation.

Outputs are declared the same way (:class:`Output`) so the page knows which
result elements to render before anything is computed.

Raw text is read leniently but never guessed at: ``"$25,000"``, ``" 25,000.50 "``
and ``"6.5%"`` are accepted; ``"2,5"`` (a European decimal comma), ``"1e3"``,
``"NaN"`` and ``"inf"`` are rejected with a message, because silently reading
them as some other number would be worse than asking again.
"""

from __future__ import annotations

import datetime
import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .money import money_str, percent_str
from .steps import Step

__all__ = [
    "Chart",
    "Field",
    "InputError",
    "Kind",
    "Output",
    "OutputKind",
    "choice",
    "date",
    "encode",
    "fact",
    "integer",
    "money",
    "month",
    "number",
    "percent",
    "text",
    "yes_no",
]

#: Upper bound for any money field: larger numbers are typos, not loans.
MAX_MONEY = Decimal("1000000000000")  # one trillion dollars

# Digits with optional, correctly grouped thousands separators and a decimal part.
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d*)?")
_MAX_RAW_LENGTH = 40
# A calendar month: four-digit year 1900-2199, a hyphen, a two-digit month.
_MONTH = re.compile(r"(19\d\d|2[01]\d\d)-(\d\d)")
# A calendar date: the same years, then a two-digit month and day (what <input type=date> sends).
_DATE = re.compile(r"(19\d\d|2[01]\d\d)-(\d\d)-(\d\d)")
# Characters a one-line text answer may not hold: control characters (a newline, a tab, NUL).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class InputError(ValueError):
    """Invalid input for one field; ``message`` is shown to the reader as is."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class Kind(enum.Enum):
    """What sort of value a field holds; decides parsing and the HTML control."""

    MONEY = "money"
    PERCENT = "percent"
    INTEGER = "integer"
    CHOICE = "choice"
    YES_NO = "yes/no"
    MONTH = "month"  # a calendar month written YYYY-MM
    NUMBER = "number"  # a plain quantity with a unit, such as acres
    DATE = "date"  # a calendar date written YYYY-MM-DD
    TEXT = "text"  # a short line of the reader's own words (a name, an account number)


class OutputKind(enum.Enum):
    """How a result value is encoded in JSON and shown on the page."""

    MONEY = "money"  # string with exactly two decimals, e.g. "1234.50"
    PERCENT = "percent"  # string, percent number, e.g. "6.5000"
    INTEGER = "integer"  # JSON integer
    TEXT = "text"  # plain string: a short value such as "never" or a month
    PROSE = "prose"  # plain string: a sentence or a paragraph, shown as text rather than as a figure
    HEADLINE = "headline"  # plain string: the calculator's answer in one sentence, shown beside the form
    STEPS = "steps"  # list of {"label": str, "amount": money string}
    ROWS = "rows"  # list of dicts, one per table row; see Output.columns
    LETTER = "letter"  # plain string of several lines: a letter the reader can copy, print or download


def _plain(value: Decimal) -> str:
    """Format a bound for a message: ``1000000`` -> ``"1,000,000"``, ``0.5`` -> ``"0.5"``."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


@dataclass(frozen=True)
class Field:
    """One input of a calculator.

    ``default`` is raw text, exactly what the form shows before the reader
    types anything. An optional field (``required=False``) accepts empty text
    and parses it to ``None``.
    """

    name: str
    label: str
    kind: Kind
    default: str
    help: str
    unit: str = ""
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    places: int = 2  # decimal places allowed for money and percent
    choices: tuple[tuple[str, str], ...] = ()  # (value, label) pairs
    required: bool = True
    empty_label: str = ""  # for an optional choice: the label of its empty option
    #: For a choice: values still accepted (old share links) but no longer offered on the form.
    legacy: tuple[str, ...] = ()
    #: Remembered on the reader's device: the last value chosen presets every form that asks it
    #: and whose page left it empty (the reader's state). Never sent anywhere.
    remember: bool = False
    #: The reader's own details (a name, an account number): never written into the page URL or a
    #: share link; kept for the browser tab's session only. Only for TEXT fields.
    personal: bool = False
    #: For TEXT: the longest answer accepted, in characters.
    max_length: int = 0

    @property
    def step(self) -> str:
        """The HTML ``step`` attribute matching the allowed decimal places."""
        if self.kind is Kind.INTEGER:
            return "1"
        return "any" if self.places > 2 else str(Decimal(1).scaleb(-self.places))

    def allowed(self) -> str:
        """Describe what this field accepts, for messages and docs."""
        if self.kind in (Kind.CHOICE, Kind.YES_NO, Kind.TEXT):
            what = (
                f"one line of at most {self.max_length} characters"
                if self.kind is Kind.TEXT
                else "one of: " + ", ".join(v for v, _ in self.choices)
            )
            return what if self.required else f"empty or {what}"
        fixed = {Kind.MONTH: "a month written like 2027-01", Kind.DATE: "a date written like 2026-03-31"}
        if self.kind in fixed:
            return fixed[self.kind]
        lo, hi = self.minimum, self.maximum
        what = "a whole number" if self.kind is Kind.INTEGER else "a number"
        if lo is not None and hi is not None:
            return f"{what} between {_plain(lo)} and {_plain(hi)}"
        if lo is not None:
            return f"{what} of at least {_plain(lo)}"
        if hi is not None:
            return f"{what} of at most {_plain(hi)}"
        return what

    def _fail(self, problem: str) -> InputError:
        return InputError(self.name, f"{self.label} {problem}.")

    def parse(self, raw: object) -> Any:
        """Turn raw text into a typed value, or raise :class:`InputError`.

        Returns ``Decimal`` for money and percent, ``int`` for integers,
        ``str`` for choices, ``bool`` for yes/no and ``None`` for an empty
        optional field.
        """
        if raw is None:
            raw = ""
        if not isinstance(raw, str):
            raise self._fail(f"must be text, such as {self.default or 'an empty value'!r}")
        text = raw.strip()
        if not text:
            if self.required:
                raise self._fail(f"is required: enter {self.allowed()}")
            return None
        if self.kind is Kind.TEXT:
            return self._parse_text(text)
        if len(text) > _MAX_RAW_LENGTH:
            raise self._fail(f"is too long: enter {self.allowed()}")
        if self.kind in (Kind.CHOICE, Kind.YES_NO):
            return self._parse_choice(text)
        if self.kind is Kind.MONTH:
            return self._parse_month(text)
        if self.kind is Kind.DATE:
            return self._parse_date(text)
        return self._parse_number(text)

    def _parse_text(self, text: str) -> str:
        if len(text) > self.max_length:
            raise self._fail(f"is too long: enter {self.allowed()}")
        if _CONTROL.search(text):
            raise self._fail("must be one line of plain text, without tabs or line breaks")
        return " ".join(text.split())

    def _parse_date(self, text: str) -> datetime.date:
        match = _DATE.fullmatch(text)
        try:
            if not match:
                raise ValueError
            return datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            raise self._fail("must be a date written like 2026-03-31 (year, month, day)") from None

    def _parse_month(self, text: str) -> tuple[int, int]:
        match = _MONTH.fullmatch(text)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise self._fail("must be a month written like 2027-01 (year, then month 01 to 12)")
        return int(match.group(1)), int(match.group(2))

    def _parse_choice(self, text: str) -> str | bool:
        wanted = text.lower()
        for value, _label in self.choices:
            if wanted == value.lower():
                return (value == "yes") if self.kind is Kind.YES_NO else value
        for value in self.legacy:
            if wanted == value.lower():
                return value
        raise self._fail(f"must be {self.allowed()}")

    def _parse_number(self, text: str) -> Decimal | int:
        body = text
        if self.kind is Kind.MONEY:
            body = body.replace("$", "", 1).strip() if body.lstrip("+-").startswith("$") else body
            if body.startswith(("-$", "+$")):
                body = body[0] + body[2:]
        elif self.kind is Kind.PERCENT and body.endswith("%"):
            body = body[:-1].rstrip()
        if not body or not _NUMBER.fullmatch(body) or not any(c.isdigit() for c in body):
            raise self._fail(f"must be {self.allowed()}, written like {self.default or '1,000'}")
        try:
            value = Decimal(body.replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern already excludes this
            raise self._fail(f"must be {self.allowed()}") from None
        if self.kind is Kind.INTEGER:
            if value != value.to_integral_value():
                raise self._fail(f"must be {self.allowed()}")
        elif -value.as_tuple().exponent > self.places:  # type: ignore[operator]
            raise self._fail(f"must have at most {self.places} decimal places")
        if (self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum
        ):
            raise self._fail(f"must be {self.allowed()}")
        return int(value) if self.kind is Kind.INTEGER else value

    def describe(self) -> dict[str, Any]:
        """A JSON-safe description of the field (for the CLI, docs and the form)."""
        return {
            "name": self.name,
            "label": self.label,
            "kind": self.kind.value,
            "unit": self.unit,
            "default": self.default,
            "help": self.help,
            "required": self.required,
            "minimum": None if self.minimum is None else str(self.minimum),
            "maximum": None if self.maximum is None else str(self.maximum),
            "step": self.step,
            "choices": [{"value": v, "label": lab} for v, lab in self.choices],
            "empty_label": self.empty_label,
            "allowed": self.allowed(),
            "remember": self.remember,
            "personal": self.personal,
        }


def encode(kind: OutputKind, value: Any, where: str) -> Any:
    """The JSON form of one typed result value, decided by its declared kind.

    Calculators return typed values (``Decimal`` money, ``int`` counts, :class:`Step` lists,
    row objects); this is the one place they become JSON. A value of the wrong type is a bug
    in the calculator, reported as a ``TypeError`` naming ``where`` (the bridge turns it into
    an ``internal`` error, which the tests fail on).

    >>> encode(OutputKind.MONEY, Decimal("1234.5"), "x"), encode(OutputKind.PERCENT, Decimal("6.5"), "y")
    ('1234.50', '6.5000')
    >>> encode(OutputKind.STEPS, [Step("Debt", Decimal("10"))], "steps")
    [{'label': 'Debt', 'amount': '10.00'}]
    """
    if kind in (OutputKind.MONEY, OutputKind.PERCENT):
        if not isinstance(value, Decimal):
            raise TypeError(f"{where}: a {kind.value} output must be a Decimal, not {type(value).__name__}")
        return money_str(value) if kind is OutputKind.MONEY else percent_str(value)
    if kind is OutputKind.INTEGER:
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{where}: an integer output must be an int, not {type(value).__name__}")
        return value
    if kind in (OutputKind.TEXT, OutputKind.PROSE, OutputKind.HEADLINE, OutputKind.LETTER):
        if not isinstance(value, str):
            raise TypeError(f"{where}: a text output must be a str, not {type(value).__name__}")
        return value
    if kind is OutputKind.STEPS:
        steps = list(value)
        if not all(isinstance(step, Step) for step in steps):
            raise TypeError(f"{where}: a steps output must be a sequence of Step")
        return [{"label": step.label, "amount": money_str(step.amount)} for step in steps]
    raise TypeError(f"{where}: rows are encoded by Output.encode")  # pragma: no cover


@dataclass(frozen=True)
class Chart:
    """How a ROWS output is drawn: which columns, against which x column.

    The page plots exactly the values the calculator returned (no arithmetic in the browser):
    ``lines`` against the left axis, ``bars`` against the right one. ``band`` names two outputs
    whose values are the first and last x of a shaded stretch (``"never"`` for none), and
    ``marker`` an integer output whose value is an x to mark, labelled with the output
    ``marker_value``. The marker is an output, not a field: the page plots the x the core
    parsed from the reader's text, never its own reading of that text.
    """

    title: str
    x: str
    lines: tuple[str, ...]
    bars: tuple[str, ...] = ()
    band: tuple[str, str] | None = None
    band_label: str = ""
    marker: str | None = None
    marker_value: str | None = None
    marker_label: str = ""

    def describe(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "x": self.x,
            "lines": list(self.lines),
            "bars": list(self.bars),
            "band": list(self.band) if self.band else None,
            "bandLabel": self.band_label,
            "marker": self.marker,
            "markerValue": self.marker_value,
            "markerLabel": self.marker_label,
        }


@dataclass(frozen=True)
class Output:
    """One result the calculator reports; ``name`` is the JSON key and ``data-output``."""

    name: str
    label: str
    kind: OutputKind
    help: str = ""
    #: For ROWS: (key, label, OutputKind) per column.
    columns: tuple[tuple[str, str, OutputKind], ...] = field(default=())
    #: For ROWS: how to draw it, if a chart helps the reader more than the table alone.
    chart: Chart | None = None
    #: For ROWS: shown open rather than folded (a short table that is the point of the result).
    expanded: bool = False

    def encode(self, value: Any) -> Any:
        """The JSON form of this output's typed value (see :func:`encode`).

        Rows may be mappings or objects (such as frozen dataclasses): each declared column is
        read by its key, so a row object may carry more attributes than the table shows.
        """
        if self.kind is not OutputKind.ROWS:
            return encode(self.kind, value, self.name)
        rows = []
        for row in value:
            get = row.get if isinstance(row, Mapping) else lambda key, row=row: getattr(row, key)
            rows.append(
                {key: encode(kind, get(key), f"{self.name}.{key}") for key, _label, kind in self.columns}
            )
        return rows

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "kind": self.kind.value,
            "help": self.help,
            "columns": [{"key": k, "label": lab, "kind": kd.value} for k, lab, kd in self.columns],
            "chart": None if self.chart is None else self.chart.describe(),
        }


# ---- Constructors: short, keyword-only, so declarations read like a form. ----


def money(
    name: str,
    label: str,
    *,
    default: str,
    help: str,
    minimum: str = "0",
    maximum: Decimal | str = MAX_MONEY,
    required: bool = True,
) -> Field:
    """A dollar amount, two decimal places at most."""
    return Field(
        name, label, Kind.MONEY, default, help, "$", Decimal(minimum), Decimal(maximum), 2, (), required
    )


def percent(
    name: str,
    label: str,
    *,
    default: str,
    help: str,
    minimum: str = "0",
    maximum: str = "100",
    places: int = 4,
    required: bool = True,
) -> Field:
    """A percent number: ``6.5`` means 6.5 %."""
    return Field(
        name,
        label,
        Kind.PERCENT,
        default,
        help,
        "%",
        Decimal(minimum),
        Decimal(maximum),
        places,
        (),
        required,
    )


def integer(
    name: str,
    label: str,
    *,
    default: str,
    help: str,
    minimum: int,
    maximum: int,
    unit: str = "",
    required: bool = True,
) -> Field:
    """A whole number within bounds, such as a term in months."""
    return Field(
        name, label, Kind.INTEGER, default, help, unit, Decimal(minimum), Decimal(maximum), 0, (), required
    )


def choice(
    name: str,
    label: str,
    *,
    default: str,
    help: str,
    choices: Mapping[str, str] | tuple[tuple[str, str], ...],
    required: bool = True,
    empty_label: str = "",
    remember: bool = False,
) -> Field:
    """One value out of a fixed list of ``value: label`` pairs.

    An optional choice (``required=False``) also accepts empty text, parsed to ``None``; the
    form offers it first, as ``empty_label``. ``remember`` keeps the reader's last choice on their
    device, to preset other forms (see :class:`Field`).
    """
    pairs = tuple(choices.items()) if isinstance(choices, Mapping) else tuple(choices)
    return Field(
        name,
        label,
        Kind.CHOICE,
        default,
        help,
        choices=pairs,
        required=required,
        empty_label=empty_label,
        remember=remember,
    )


def number(
    name: str,
    label: str,
    *,
    default: str,
    help: str,
    unit: str,
    minimum: str = "0",
    maximum: str = "1000000",
    places: int = 2,
    required: bool = True,
) -> Field:
    """A plain quantity in ``unit`` (no currency or percent sign), such as acres of land."""
    return Field(
        name,
        label,
        Kind.NUMBER,
        default,
        help,
        unit,
        Decimal(minimum),
        Decimal(maximum),
        places,
        (),
        required,
    )


def month(name: str, label: str, *, default: str, help: str, required: bool = True) -> Field:
    """A calendar month written ``YYYY-MM``; parses to ``(year, month)``."""
    return Field(name, label, Kind.MONTH, default, help, required=required)


def date(name: str, label: str, *, help: str, required: bool = False) -> Field:
    """A calendar date written ``YYYY-MM-DD`` (the form shows a date picker); parses to
    :class:`datetime.date`. Optional unless ``required``: empty parses to ``None``."""
    return Field(name, label, Kind.DATE, "", help, required=required)


def text(name: str, label: str, *, help: str, max_length: int = 120, personal: bool = False) -> Field:
    """One optional line of the reader's own words (a name, a lender, a car), for a letter.

    Kept exactly as typed except for runs of spaces; never parsed as anything. ``personal``
    keeps it out of the page URL and share links (see :class:`Field`).
    """
    return Field(name, label, Kind.TEXT, "", help, required=False, personal=personal, max_length=max_length)


def yes_no(name: str, label: str, *, default: str, help: str) -> Field:
    """A yes/no question; parses to ``bool``."""
    return Field(name, label, Kind.YES_NO, default, help, choices=(("yes", "Yes"), ("no", "No")))


#: The value and label every fact question offers: the reader may not know.
NOT_SURE = ("not_sure", "Not sure")


def fact(
    name: str,
    label: str,
    *,
    help: str,
    choices: Mapping[str, str],
    legacy: tuple[str, ...] = (),
) -> Field:
    """A question about the reader's situation that a state's rules may depend on.

    It always offers "Not sure" (its default): a fact left unknown never lowers a figure, the
    state-law engine works out every case instead (:mod:`calculators.states.engine`).
    ``legacy`` values are still accepted, for old share links.
    """
    pairs = (*choices.items(), NOT_SURE)
    return Field(name, label, Kind.CHOICE, NOT_SURE[0], help, choices=pairs, legacy=legacy)
