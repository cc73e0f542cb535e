"""The state rules as reader-facing text: tables and per-state sections, built from the dataset.

These are plain data (no HTML): the site's ``/// reference`` and ``/// rule`` blocks render
them, and the tests read them. Every piece of text that states a rule is a :class:`Cited`: the
sentence, the citation, the link to the text that was read, the checked date, the source level
and one plain line on how it was checked. Nothing here is typed by hand per state; every
sentence is assembled from the rules' own summaries, conditions and outcomes.

Readers never see the research notes (``notes`` in the data): they are for contributors.

A state's rules for one sale are listed as the engine reads them, most specific first, each
with its conditions ("If the lender gave up the deficiency in the foreclosure case: no
deficiency"), and the last one as "Otherwise": so a section never says both "allowed" and
"no deficiency" without saying which case is which.

>>> table = TABLES["state-foreclosure"]()
>>> len(table.rows), table.columns[1]
(51, 'After a court sale')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from calckit.money import dollars

from . import CODES, Cap, Deadline, Info, Jurisdiction, Outcome, Rule, Source, jurisdiction
from .facts import Facts, atoms_of

__all__ = [
    "LEVEL_COLUMNS",
    "SECTIONS",
    "TABLES",
    "Cited",
    "Row",
    "Section",
    "Table",
    "anchor",
    "cap_text",
    "outcome_words",
    "rule_sentence",
    "when_words",
]


@dataclass(frozen=True)
class Cited:
    """One rule as text, with where and how it was read."""

    text: str
    citation: str
    url: str
    checked: str
    level: str  # "statute", "case", "secondary" or "unverified"; "" for plain text
    how: str  # one plain line on how it was checked, for readers
    rule: str  # "XX.id" of the rule it comes from; "" for plain text such as a count

    @property
    def changes_figures(self) -> bool:
        return self.level in ("statute", "case")


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


def anchor(code: str) -> str:
    """The page anchor of a jurisdiction's section: ``new-york``."""
    return jurisdiction(code).name.lower().replace(" ", "-")


def _cited(j: Jurisdiction, rule_id: str, source: Source, text: str) -> Cited:
    return Cited(
        text, source.cite, source.url, source.checked, source.level, source.how, f"{j.code}.{rule_id}"
    )


def _plain(text: str) -> Cited:
    return Cited(text, "", "", "", "", "", "")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


_VALUE = {
    "market_value": "fair market value",
    "appraisal": "appraised value",
    "court_value": "value the court finds",
}


def outcome_words(outcome: Outcome) -> str:
    """What a rule gives, in a few words."""
    if outcome.kind == "barred":
        return "no deficiency"
    if outcome.kind == "allowed":
        return "a deficiency is allowed, measured by the sale price"
    if outcome.kind == "fair_value":
        asked = ", if the borrower asks for it" if outcome.on_request else ""
        return f"a deficiency is allowed, less any amount by which the {_VALUE.get(outcome.value, 'fair value')} exceeds the sale price{asked}"
    if outcome.kind == "confirmation":
        return f"a deficiency only if a court confirms the sale ({outcome.test.rstrip('.')}); none without it"
    return f"a deficiency of at most {dollars(outcome.amount or Decimal(0))}"


def when_words(when: object) -> list[str]:
    """A rule's conditions in words ("the property is a home (1 to 4 units)")."""
    reader = Facts.of()
    facts = [reader]
    texts: dict[str, str] = {}
    for atom in atoms_of(dict(when)):  # type: ignore[call-overload]
        if atom.kind == "opaque":
            texts[atom.key] = atom.text
        facts = [g for f in facts for g in f.assume(atom, True)]
    return [n.words() for n in facts[0].narrowed(reader, texts)] if facts else []


def _and(items: list[str]) -> str:
    """``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _rule_text(rule: Rule, *, otherwise: bool) -> str:
    conditions = when_words(rule.when)
    if rule.not_used:
        lead = "Not used for ordinary loans"
    elif conditions:
        lead = f"If {_and(conditions)}: {outcome_words(rule.outcome)}"
    elif not rule.source.changes_figures:
        # Not confirmed in the law's text: a possibility, which the calculators never apply.
        lead = (
            f"If this rule applies (it is not confirmed in the statute's text): {outcome_words(rule.outcome)}"
        )
    else:
        lead = f"{'Otherwise' if otherwise else 'In every case'}: {outcome_words(rule.outcome)}"
    return f"{lead}. {rule.summary}"


_SALES = {"non_judicial": "After a trustee's sale", "judicial": "After a court sale"}


def _sale_rules(j: Jurisdiction, sale: str) -> tuple[Cited, ...]:
    rules = [r for r in j.foreclosure if sale in r.sales and r.applies_to == "borrower"]
    return tuple(_cited(j, r.id, r.source, _rule_text(r, otherwise=i > 0)) for i, r in enumerate(rules))


def _deadline_text(clock: Deadline) -> str:
    whose = "The lender" if clock.party == "lender" else "You"
    starts = clock.starts_text or clock.starts.replace("_", " ")
    effect = {
        "bars_suit": "after that, no deficiency can be sought",
        "ends_judgment": "after that, the deficiency judgment can no longer be enforced",
        "loses_protection": "after that, the protection is lost",
    }[clock.effect]
    conditions = when_words(clock.when)
    scope = f" (if {_and(conditions)})" if conditions else ""
    return f"{whose}: {clock.length} from {starts}{scope}; {effect}. {clock.summary}"


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
        if cap.period_amounts:
            floors = ", ".join(f"{dollars(v)} {k}" for k, v in cap.period_amounts.items())
            text = f"At most {share}the {pay} above the statute's floor ({floors})"
        else:
            text = f"At most {share}the {pay} above {dollars(cap.weekly_amount or Decimal(0))} a week"
    else:
        parts = [
            f"{_pct(pct)} of the pay up to {dollars(upto)}"
            if upto is not None
            else f"{_pct(pct)} of the rest"
            for upto, pct in cap.brackets
        ]
        text = f"Graduated, a {cap.per}: " + ", ".join(parts) + f" ({pay})"
    if cap.dependents_weekly is not None:
        text += (
            f", plus {dollars(cap.dependents_weekly)} a week protected for each dependent"
            if cap.dependents_reduce == "floor"
            else f", less {dollars(cap.dependents_weekly)} a week for each dependent"
        )
    conditions = when_words(cap.when)
    if conditions:
        text += f" (if {_and(conditions)})"
    return text + "."


def _wage_text(j: Jurisdiction) -> str:
    wage = j.minimum_wage
    if not wage.rates:
        return "No state rate above the federal $7.25."
    parts = [f"{dollars(rate)} an hour from {start.isoformat()}" for start, rate in wage.rates]
    nxt = f" Next scheduled change: {wage.next_change.isoformat()}." if wage.next_change else ""
    return "; ".join(parts) + "." + nxt


def _info_text(info: Info, empty: str) -> str:
    return info.text or empty


#: A single rule by its reference, for pages (``/// rule | CODE REF``): a rule, deadline or cap id,
#: or ``one_action``, ``repossession.notice``, ``garnishment``, ``minimum_wage``, ``topics.KEY``.
def rule_sentence(code: str, ref: str, *, named: bool = True) -> Cited:
    """One rule as a cited sentence, by its reference.

    ``named=False`` leaves the state's name out, for text under the state's own heading. Raises
    ``KeyError`` for a reference the dataset does not hold.

    >>> rule_sentence("TX", "exempt").text.startswith("Texas: Nothing can be taken")
    True
    """
    j = jurisdiction(code)
    cited: Cited
    if ref.startswith("topics."):
        info = j.topic(ref.removeprefix("topics."))
        cited = _cited(j, ref, info.source, info.text or "")
    elif ref in ("one_action", "repossession.notice", "garnishment"):
        info = {
            "one_action": j.one_action,
            "repossession.notice": j.repossession_notice,
            "garnishment": j.garnishment,
        }[ref]
        if not info.text:
            raise KeyError(f"{code} {ref}")
        cited = _cited(j, ref, info.source, info.text)
    elif ref == "minimum_wage":
        cited = _cited(j, ref, j.minimum_wage.source, _wage_text(j))
    else:
        item = j.rule(ref)
        if isinstance(item, Rule):
            # On its own, a rule with no conditions is just what it says.
            text = _rule_text(item, otherwise=False) if item.when else item.summary
        elif isinstance(item, Deadline):
            text = _deadline_text(item)
        else:
            text = cap_text(item)
        cited = _cited(j, item.id, item.source, text)
    return replace(cited, text=f"{j.name}: {cited.text}") if named else cited


# ---- Tables ----------------------------------------------------------------------------


def foreclosure_table() -> Table:
    rows = []
    for code in CODES:
        j = jurisdiction(code)
        deadlines = tuple(_cited(j, c.id, c.source, _deadline_text(c)) for c in j.foreclosure_deadlines)
        rows.append(
            Row(j.name, anchor(code), (_sale_rules(j, "non_judicial"), _sale_rules(j, "judicial"), deadlines))
        )
    return Table(
        "Deficiency after a foreclosure sale of real property",
        ("After a trustee's sale", "After a court sale", "Deadlines"),
        tuple(rows),
    )


def garnishment_table() -> Table:
    rows = []
    for code in CODES:
        j = jurisdiction(code)
        overview = (
            _cited(j, "garnishment", j.garnishment.source, _info_text(j.garnishment, "Not recorded.")),
        )
        limit = tuple(_cited(j, c.id, c.source, cap_text(c)) for c in j.caps) or (
            _plain(
                "The federal limit: 25% of disposable earnings, or the amount above 30 times the federal minimum wage a week, whichever is less."
            ),
        )
        wage = (_cited(j, "minimum_wage", j.minimum_wage.source, _wage_text(j)),)
        rows.append(Row(j.name, anchor(code), (overview, limit, wage)))
    return Table(
        "Wage garnishment on an ordinary consumer-debt judgment",
        ("Wage garnishment", "State limits", "State minimum wage"),
        tuple(rows),
    )


def repossession_table() -> Table:
    rows = []
    for code in CODES:
        j = jurisdiction(code)
        rules = [r for r in j.repossession if r.applies_to == "borrower"]
        bars = tuple(_cited(j, r.id, r.source, _rule_text(r, otherwise=False)) for r in rules) or (
            _plain("No state rule recorded: the UCC's general rule applies."),
        )
        notice = j.repossession_notice
        notes = (_cited(j, "repossession.notice", notice.source, _info_text(notice, "None recorded.")),)
        rows.append(Row(j.name, anchor(code), (bars, notes)))
    return Table(
        "Deficiency after repossession of a car or other goods",
        ("State rules on the deficiency", "Notice rules that void or limit a deficiency"),
        tuple(rows),
    )


def state_sections() -> list[Section]:
    """One section per jurisdiction with every rule the dataset holds for it."""
    sections = []
    for code in CODES:
        j = jurisdiction(code)
        items: list[tuple[str, tuple[Cited, ...]]] = []
        for sale, heading in _SALES.items():
            listed = _sale_rules(j, sale)
            if listed:
                items.append((f"{heading} (foreclosure of real property)", listed))
        others = [r for r in (*j.foreclosure, *j.repossession) if r.applies_to != "borrower"]
        if others:
            items.append(
                (
                    "Guarantors and other claims",
                    tuple(_cited(j, r.id, r.source, f"{_rule_text(r, otherwise=False)}") for r in others),
                )
            )
        clocks = (*j.foreclosure_deadlines, *j.repossession_deadlines)
        if clocks:
            items.append(("Deadlines", tuple(_cited(j, c.id, c.source, _deadline_text(c)) for c in clocks)))
        one = j.one_action
        items.append(
            ("One-action rule", (_cited(j, "one_action", one.source, _info_text(one, "None recorded.")),))
        )
        rules = [r for r in j.repossession if r.applies_to == "borrower"]
        repo = [_cited(j, r.id, r.source, _rule_text(r, otherwise=False)) for r in rules]
        notice = j.repossession_notice
        repo.append(
            _cited(
                j,
                "repossession.notice",
                notice.source,
                _info_text(notice, "No notice rule recorded that voids or limits a deficiency."),
            )
        )
        items.append(("After a repossession", tuple(repo)))
        garn = [_cited(j, "garnishment", j.garnishment.source, _info_text(j.garnishment, "Not recorded."))]
        garn += [_cited(j, c.id, c.source, cap_text(c)) for c in j.caps]
        garn.append(_cited(j, "minimum_wage", j.minimum_wage.source, f"State minimum wage: {_wage_text(j)}"))
        items.append(("Wage garnishment", tuple(garn)))
        if j.topics:
            items.append(
                ("Other rules", tuple(_cited(j, f"topics.{t.key}", t.source, t.text or "") for t in j.topics))
            )
        sections.append(Section(code, j.name, anchor(code), tuple(items)))
    return sections


def _all_sources() -> dict[str, list[Source]]:
    """Every rule's source, by the kind of rule, over all 51 jurisdictions."""
    kinds: dict[str, list[Source]] = {
        "Deficiency rules after a foreclosure sale": [],
        "Deficiency rules after a repossession": [],
        "Deadlines": [],
        "Garnishment limits": [],
        "State minimum wages": [],
        "Garnishment overviews, one-action and notice rules (change no figure)": [],
    }
    keys = list(kinds)
    for code in CODES:
        j = jurisdiction(code)
        kinds[keys[0]] += [r.source for r in j.foreclosure]
        kinds[keys[1]] += [r.source for r in j.repossession]
        kinds[keys[2]] += [c.source for c in (*j.foreclosure_deadlines, *j.repossession_deadlines)]
        kinds[keys[3]] += [c.source for c in j.caps]
        kinds[keys[4]] += [j.minimum_wage.source]
        kinds[keys[5]] += [j.garnishment.source, j.one_action.source, j.repossession_notice.source]
    return kinds


LEVEL_COLUMNS = ("statute", "case", "secondary", "unverified")


def coverage_table() -> Table:
    """How each kind of rule is known: rules per source level, over all 51 jurisdictions."""
    rows = []
    for key, sources in _all_sources().items():
        counts = [sum(s.level == level for s in sources) for level in LEVEL_COLUMNS]
        rows.append(Row(key, "", tuple((_plain(str(n)),) for n in (*counts, len(sources)))))
    return Table(
        "How each rule is known, all 51 jurisdictions",
        ("Read in the statute", "Read in a court opinion", "Secondary source", "Not verified", "Rules"),
        tuple(rows),
        row_header="Rules",
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
