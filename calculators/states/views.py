"""The state rules as reader-facing text: tables and per-state sections, built from the dataset.

These are plain data (no HTML): the site's ``/// reference`` block renders them, and the
tests read them. Every piece of text that states a rule is a :class:`Cited`: the sentence,
the citation, the link to the text that was read, the checked date and whether it is
verified. Nothing here is typed by hand per state; every sentence is assembled from the
cells' values.

>>> table = TABLES["state-foreclosure"]()
>>> len(table.rows), table.columns[1]
(51, 'After a court sale')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from ..money import dollars
from . import CODES, Cap, Cell, Jurisdiction, SaleType, jurisdiction

__all__ = ["SECTIONS", "TABLES", "Cited", "Row", "Section", "Table", "rule_sentence"]


@dataclass(frozen=True)
class Cited:
    """One rule as text, with where it was read."""

    text: str
    citation: str
    url: str
    checked: str
    verified: bool
    rule: str  # "XX.path" of the cell it comes from, e.g. "AZ.foreclosure.non_judicial"; "" for plain text


@dataclass(frozen=True)
class Row:
    label: str
    anchor: str
    cells: tuple[tuple[Cited, ...], ...]  # one tuple of cited texts per column (possibly empty)


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    row_header: str = "State"


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    anchor: str
    items: tuple[tuple[str, tuple[Cited, ...]], ...]  # (heading, cited texts)
    notes: tuple[tuple[str, str], ...]  # (rule, how it was checked), for the research notes


def anchor(code: str) -> str:
    """The page anchor of a jurisdiction's section: ``new-york``."""
    return jurisdiction(code).name.lower().replace(" ", "-")


def _cited(j: Jurisdiction, path: str, cell: Cell[object], text: str) -> Cited:
    return Cited(text, cell.cite, cell.url, cell.checked, cell.verified, f"{j.code}.{path}")


_SALES = {SaleType.NON_JUDICIAL: "a trustee's sale", SaleType.JUDICIAL: "a court sale"}


def _sales(sale_types: frozenset[SaleType]) -> str:
    names = [_SALES[s] for s in (SaleType.NON_JUDICIAL, SaleType.JUDICIAL) if s in sale_types]
    return " or ".join(names)


def _base(value: object, sale: str) -> str:
    return {
        "allowed": f"Allowed after {sale}",
        "barred": f"No deficiency after {sale}",
        "not_used": "Not used for ordinary home loans",
    }.get(str(value), "Unknown")


def _bar_text(cell: Cell[object]) -> str:
    bar = cell.value
    who = []
    if getattr(bar, "purchase_money", False):
        who.append("purchase-money loans")
    if getattr(bar, "owner_occupied", False):
        who.append("the borrower's own home")
    whom = " on " + " and ".join(who) if who else ""
    limits = getattr(bar, "limits", "")
    return f"No deficiency after {_sales(getattr(bar, 'sale_types', frozenset()))}{whom}. {limits}".strip()


def _pct(value: Decimal | None) -> str:
    return f"{(value or Decimal(0)).normalize():f}%"


def cap_text(cap: Cap) -> str:
    """One garnishment cap in words, per week unless the cap says otherwise."""
    pay = "gross pay" if cap.base == "gross" else "disposable earnings"
    wage = {
        "federal": "the federal minimum wage",
        "state": "the higher of the federal and state minimum wage",
        "local": "the highest of the federal, state and local minimum wage",
    }[cap.wage]
    if cap.kind == "exempt":
        text = "Nothing can be taken"
    elif cap.kind == "percent":
        text = f"At most {_pct(cap.percent)} of {pay}"
    elif cap.kind == "excess":
        share = "" if cap.share == 100 else f"{_pct(cap.share)} of "
        hours = f"{(cap.weekly_hours or Decimal(0)).normalize():f}"
        text = f"At most {share}the {pay} above {hours} hours a week at {wage}"
    elif cap.kind == "floor":
        share = "" if cap.share == 100 else f"{_pct(cap.share)} of "
        text = f"At most {share}the {pay} above {dollars(cap.weekly_amount or Decimal(0))} a week"
    else:
        parts = []
        for upto, pct in cap.brackets:
            parts.append(
                f"{_pct(pct)} of the pay up to {dollars(upto)}"
                if upto is not None
                else f"{_pct(pct)} of the rest"
            )
        text = f"Graduated, a {cap.per}: " + ", ".join(parts) + f" ({pay})"
    if cap.per_dependent_weekly is not None:
        text += f", plus {dollars(cap.per_dependent_weekly)} a week protected for each dependent"
    conditions = []
    if cap.head_of_family is True:
        conditions.append("for a head of family")
    elif cap.head_of_family is False:
        conditions.append("for a debtor who is not a head of family")
    if cap.gross_weekly_under is not None:
        conditions.append(f"when gross pay is under {dollars(cap.gross_weekly_under)} a week")
    if cap.gross_weekly_at_least is not None:
        conditions.append(f"when gross pay is at least {dollars(cap.gross_weekly_at_least)} a week")
    if conditions:
        text += " (" + ", ".join(conditions) + ")"
    return text + "."


def _wage_text(j: Jurisdiction) -> str:
    w = j.minimum_wage.value
    if w.hourly is None:
        return "No state rate above the federal $7.25."
    since = f" from {w.effective}" if w.effective else ""
    return f"{dollars(w.hourly)} an hour{since}."


def _small_text(j: Jurisdiction) -> str:
    bar = j.small_balance_bar.value
    if bar is None:
        return "no small-balance bar on deficiencies recorded."
    measure = {
        "cash_price": "the cash price",
        "amount_financed": "the amount financed",
        "unpaid_balance": "the unpaid balance",
        "other": "the amount the statute names",
    }[bar.measure]
    at = "at most" if bar.at_or_below else "under"
    return f"no deficiency after repossession when {measure} is {at} {dollars(bar.threshold)}. {bar.applies_to.rstrip('.')}."


# ---- Per-rule texts --------------------------------------------------------------------


def _fair_text(j: Jurisdiction, i: int) -> tuple[Cell[object], str]:
    cell = j.fair_value[i]
    return cell, f"{j.name}: fair-value limit after {_sales(cell.value.sale_types)}. {cell.value.measure}"


def _deadline_text(j: Jurisdiction, i: int) -> tuple[Cell[object], str]:
    cell = j.deadlines[i]
    starts = f" after {cell.value.starts}" if cell.value.starts else ""
    return cell, f"{j.name}: deadline after {_sales(cell.value.sale_types)}: {cell.value.period}{starts}."


def _base_text(j: Jurisdiction, key: str) -> tuple[Cell[object], str]:
    cell = j.non_judicial if key == "non_judicial" else j.judicial
    sale = "a trustee's sale" if key == "non_judicial" else "a court sale"
    return cell, f"{j.name}: {_base(cell.value, sale).lower()}."


def _present(cell: Cell[str | None], j: Jurisdiction, what: str) -> tuple[Cell[object], str]:
    if not cell.value:
        raise KeyError(what)
    return cell, f"{j.name}: {cell.value}"


def _exempt_text(j: Jurisdiction) -> tuple[Cell[object], str]:
    text = (
        "wages cannot be garnished for ordinary consumer debts."
        if j.garnishment_exempt.value
        else "wages can be garnished for consumer debts, within limits."
    )
    return j.garnishment_exempt, f"{j.name}: {text}"


def _topic_text(j: Jurisdiction, key: str) -> tuple[Cell[object], str]:
    cell = j.topic(key)
    return cell, f"{j.name}: {cell.value.text}"


_RULES: dict[str, Callable[[Jurisdiction, str, int], tuple[Cell[object], str]]] = {
    "foreclosure.non_judicial": lambda j, key, i: _base_text(j, "non_judicial"),
    "foreclosure.judicial": lambda j, key, i: _base_text(j, "judicial"),
    "foreclosure.bars": lambda j, key, i: (j.bars[i], f"{j.name}: {_bar_text(j.bars[i])}"),
    "foreclosure.fair_value": lambda j, key, i: _fair_text(j, i),
    "foreclosure.deadline": lambda j, key, i: _deadline_text(j, i),
    "foreclosure.one_action": lambda j, key, i: _present(j.one_action, j, key),
    "garnishment.exempt": lambda j, key, i: _exempt_text(j),
    "garnishment.caps": lambda j, key, i: (j.caps[i], f"{j.name}: {cap_text(j.caps[i].value)}"),
    "repossession.small_balance_bar": lambda j, key, i: (j.small_balance_bar, f"{j.name}: {_small_text(j)}"),
    "repossession.notice": lambda j, key, i: _present(j.repossession_notice, j, key),
}


def rule_sentence(code: str, path: str, *, named: bool = True) -> Cited:
    """One rule as a cited sentence, by its path: ``foreclosure.non_judicial``, ``foreclosure.bars[0]``,
    ``topics.short_sale``.

    Pages use it (through the site's ``/// rule`` block) to state a state's rule without typing it.
    ``named=False`` leaves the state's name out, for text under the state's own heading.
    Raises ``KeyError`` (or ``IndexError``) for a path the dataset does not hold.

    >>> rule_sentence("TX", "garnishment.exempt").text
    'Texas: wages cannot be garnished for ordinary consumer debts.'
    """
    j = jurisdiction(code)
    base, _, index = path.partition("[")
    i = int(index.rstrip("]")) if index else 0
    if base.startswith("topics."):
        cell, text = _topic_text(j, base.removeprefix("topics."))
    elif base in _RULES:
        cell, text = _RULES[base](j, base, i)
    else:
        raise KeyError(f"{code} {path}")
    if not named:
        text = text.removeprefix(f"{j.name}: ").removeprefix(f"{j.name}, ")
        text = text[:1].upper() + text[1:]
    return _cited(j, path, cell, text)


# ---- Tables ----------------------------------------------------------------------------


def _foreclosure_row(j: Jurisdiction) -> Row:
    def base(key: str, cell: Cell[object]) -> tuple[Cited, ...]:
        short = {"allowed": "Allowed", "barred": "Barred", "not_used": "Not used"}.get(
            str(cell.value), "Unknown"
        )
        return (_cited(j, f"foreclosure.{key}", cell, short),)

    bars = tuple(
        _cited(j, f"foreclosure.bars[{i}]", c, _bar_text(c).split(". ")[0] + ".")
        for i, c in enumerate(j.bars)
    )
    fair = tuple(
        _cited(
            j,
            f"foreclosure.fair_value[{i}]",
            c,
            f"After {_sales(c.value.sale_types)}" + (" (on request)" if c.value.on_request else ""),
        )
        for i, c in enumerate(j.fair_value)
    )
    deadlines = tuple(
        _cited(j, f"foreclosure.deadline[{i}]", c, f"{c.value.period} (after {_sales(c.value.sale_types)})")
        for i, c in enumerate(j.deadlines)
    )
    return Row(
        j.name,
        anchor(j.code),
        (base("non_judicial", j.non_judicial), base("judicial", j.judicial), bars, fair, deadlines),
    )


def foreclosure_table() -> Table:
    return Table(
        "Deficiency after a foreclosure sale of real property",
        ("After a trustee's sale", "After a court sale", "Special bars", "Fair-value limit", "Deadline"),
        tuple(_foreclosure_row(jurisdiction(code)) for code in CODES),
    )


def garnishment_table() -> Table:
    rows = []
    for code in CODES:
        j = jurisdiction(code)
        exempt = j.garnishment_exempt
        if exempt.value:
            limit: tuple[Cited, ...] = (
                _cited(
                    j, "garnishment.exempt", exempt, "None: wages are exempt from ordinary consumer debts."
                ),
            )
        elif j.caps:
            limit = tuple(
                _cited(j, f"garnishment.caps[{i}]", c, cap_text(c.value)) for i, c in enumerate(j.caps)
            )
        else:
            limit = (
                _cited(
                    j,
                    "garnishment.exempt",
                    exempt,
                    "The federal limit: 25% of disposable earnings, or the amount above 30 times the federal minimum wage a week, whichever is less.",
                ),
            )
        allowed = (_cited(j, "garnishment.exempt", exempt, "Not allowed" if exempt.value else "Allowed"),)
        wage = (_cited(j, "garnishment.minimum_wage", j.minimum_wage, _wage_text(j)),)
        rows.append(Row(j.name, anchor(code), (allowed, limit, wage)))
    return Table(
        "Wage garnishment on an ordinary consumer-debt judgment",
        ("Wage garnishment", "Most that can be taken", "State minimum wage"),
        tuple(rows),
    )


def repossession_table() -> Table:
    rows = []
    for code in CODES:
        j = jurisdiction(code)
        text = _small_text(j)
        small = (
            _cited(j, "repossession.small_balance_bar", j.small_balance_bar, text[:1].upper() + text[1:]),
        )
        notice = j.repossession_notice
        notes = (_cited(j, "repossession.notice", notice, notice.value or "None recorded."),)
        rows.append(Row(j.name, anchor(code), (small, notes)))
    return Table(
        "Deficiency after repossession of a car or other goods",
        ("Small-balance bar", "Notice rules that void or limit a deficiency"),
        tuple(rows),
    )


#: What a section says where the dataset records no rule of that kind.
_EMPTY: dict[str, Callable[[Jurisdiction], str]] = {
    "garnishment.minimum_wage": lambda j: f"State minimum wage: {_wage_text(j)}",
    "foreclosure.one_action": lambda j: "No one-action or election-of-remedies rule recorded.",
    "repossession.notice": lambda j: "No notice rule recorded that voids or limits a deficiency.",
}


def state_sections() -> list[Section]:
    """One section per jurisdiction with every rule the dataset holds for it."""
    sections = []
    for code in CODES:
        j = jurisdiction(code)
        items: list[tuple[str, tuple[Cited, ...]]] = []
        cells: list[tuple[str, Cell[object]]] = [
            ("foreclosure.non_judicial", j.non_judicial),
            ("foreclosure.judicial", j.judicial),
            *((f"foreclosure.bars[{i}]", c) for i, c in enumerate(j.bars)),
            *((f"foreclosure.fair_value[{i}]", c) for i, c in enumerate(j.fair_value)),
            *((f"foreclosure.deadline[{i}]", c) for i, c in enumerate(j.deadlines)),
            ("foreclosure.one_action", j.one_action),
            ("repossession.small_balance_bar", j.small_balance_bar),
            ("repossession.notice", j.repossession_notice),
            ("garnishment.exempt", j.garnishment_exempt),
            *((f"garnishment.caps[{i}]", c) for i, c in enumerate(j.caps)),
            ("garnishment.minimum_wage", j.minimum_wage),
            *((f"topics.{c.value.key}", c) for c in j.topics),
        ]
        groups = {
            "foreclosure": "Foreclosure of real property",
            "repossession": "Repossession of goods",
            "garnishment": "Wage garnishment",
            "topics": "Other rules",
        }
        for group, heading in groups.items():
            texts = []
            for path, cell in cells:
                if not path.startswith(group):
                    continue
                try:
                    texts.append(rule_sentence(code, path, named=False))
                except KeyError:
                    texts.append(_cited(j, path, cell, _EMPTY[path](j)))
            if texts:
                items.append((heading, tuple(texts)))
        notes = tuple((path, cell.note) for path, cell in cells if cell.note)
        sections.append(Section(code, j.name, anchor(code), tuple(items), notes))
    return sections


def coverage_table() -> Table:
    """How many cells of each rule are verified, over all 51 jurisdictions."""
    rules: dict[str, list[Cell[object]]] = {
        "Deficiency after a trustee's sale": [],
        "Deficiency after a court sale": [],
        "Purchase-money and owner-occupied bars": [],
        "Fair-value limits": [],
        "Deadlines": [],
        "One-action rules": [],
        "Small-balance bars after repossession": [],
        "Repossession notice rules": [],
        "Whether wages can be garnished": [],
        "Garnishment limits": [],
        "State minimum wage": [],
    }
    keys = list(rules)
    for code in CODES:
        j = jurisdiction(code)
        groups: list[list[Cell[object]]] = [
            [j.non_judicial],
            [j.judicial],
            list(j.bars),
            list(j.fair_value),
            list(j.deadlines),
            [j.one_action],
            [j.small_balance_bar],
            [j.repossession_notice],
            [j.garnishment_exempt],
            list(j.caps),
            [j.minimum_wage],
        ]
        for key, cells in zip(keys, groups, strict=True):
            rules[key].extend(cells)
    rows = []
    for key, cells in rules.items():
        verified = sum(c.verified for c in cells)
        texts = (f"{verified}", f"{len(cells) - verified}", f"{len(cells)}")
        rows.append(Row(key, "", tuple((Cited(t, "", "", "", True, ""),) for t in texts)))
    return Table(
        "Verified cells by rule, all 51 jurisdictions",
        ("Verified", "Not verified", "Cells"),
        tuple(rows),
        row_header="Rule",
    )


#: Named tables the site's pages render (``/// reference | NAME``).
TABLES: dict[str, Callable[[], Table]] = {
    "state-foreclosure": foreclosure_table,
    "state-garnishment": garnishment_table,
    "state-repossession": repossession_table,
    "state-coverage": coverage_table,
}
#: Named section lists (``/// reference | NAME``).
SECTIONS: dict[str, Callable[[], list[Section]]] = {"state-details": state_sections}
