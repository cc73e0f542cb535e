"""The one state-law engine: what a state's rules allow on the facts a reader gave.

Every calculator and page asks this module: the deficiency after a foreclosure sale or a
repossession (:func:`sale_cases`), the garnishment caps that apply (:func:`cap_cases`), the
clocks that run (:func:`deadlines`), and which facts a state's rules depend on
(:func:`facts_used`). It knows nothing of any form's field names; the calculators map their
fields to facts (:mod:`calculators.states.facts`).

**Rules in order, most specific first.** For a sale, the state's rules for that sale type are
read in order, and the first whose conditions all hold decides, as Catala's exceptions
override a base rule. No rule: the general rule (a deficiency, measured by the sale price).

**A condition that cannot be decided is a split, never an assumption.** When a rule's
condition depends on a fact the reader left "not sure", the engine works out both cases: the
rule holds (on the facts narrowed to make it hold) and it does not (on each way it can fail).
A rule whose source is below ``statute``/``case`` level is the same kind of split: whether it
is the law at all is unknown. So every case a reader could be in comes out as a :class:`Case`,
with what it assumes in words; the calculators show the highest amount any case allows and
list the cases that would lower it. Nothing is "assumed you meet".

>>> from calculators.states.facts import Facts
>>> cases = sale_cases("IA", "judicial", Facts.of())
>>> sorted({c.outcome.kind for c in cases})
['allowed', 'barred']
>>> [c.rule.id for c in sale_cases("IA", "judicial", Facts.of(lender_waived_deficiency="no",
...                                owner_occupied="no"))]
['judicial']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from calckit.money import CENT, WIDE, ZERO, dollars

from . import Cap, Deadline, Outcome, Rule, Source, jurisdiction
from .facts import Atom, Facts, Truth, atoms_of

__all__ = [
    "FEDERAL_MINIMUM_WAGE",
    "CapCase",
    "Case",
    "cap_amount",
    "cap_cases",
    "deadlines",
    "facts_used",
    "level_words",
    "own_atoms",
    "recoverable",
    "sale_cases",
    "weakest",
]

#: Federal minimum hourly wage, 29 U.S.C. §206(a)(1)(C), in force since July 24, 2009.
FEDERAL_MINIMUM_WAGE = Decimal("7.25")
_HUNDRED = Decimal(100)

#: The general rule where no state rule decides: a deficiency measured by the sale price.
GENERAL = Outcome("allowed")


def level_words(level: str) -> str:
    return {
        "statute": "read in the statute",
        "case": "read in a court opinion",
        "secondary": "a secondary source, not read in the statute",
        "unverified": "not verified",
    }[level]


def _law(code: str, item_id: str, source: Source, summary: str) -> Atom | None:
    """For a rule below statute/case level: the opaque atom "this rule is the law"."""
    if source.changes_figures:
        return None
    # In words, the rule itself: the citation and how it is known travel beside it.
    return Atom.opaque(f"law:{code}:{item_id}", summary.rstrip("."))


@dataclass(frozen=True)
class Case:
    """One case a reader could be in: the facts it assumes, the rule that decides it (``None``
    for the general rule) and that rule's outcome (a confirmation rule is resolved here)."""

    facts: Facts
    rule: Rule | None
    outcome: Outcome
    texts: dict[str, str]  # words of the opaque atoms it may assume

    def assumes(self, reader: Facts) -> list[str]:
        """What this case assumes beyond the reader's answers, in words."""
        return [n.words() for n in self.facts.narrowed(reader, self.texts)]

    def laws(self) -> list[str]:
        """The ids of the rules below statute/case level this case takes as law."""
        return _laws(self.facts)


def _laws(facts: Facts) -> list[str]:
    return [key.split(":", 2)[2] for key, holds in facts.opaque.items() if holds and key.startswith("law:")]


#: Source levels from the strongest to the weakest.
LEVELS = ("statute", "case", "secondary", "unverified")


def weakest(levels: Iterable[str]) -> str:
    """The weakest of some source levels: a case is only as well known as what it assumes."""
    return max(levels, key=LEVELS.index, default="statute")


def own_atoms(code: str, rule: Rule, reader: Facts) -> list[Atom]:
    """A rule's own conditions that the reader's answers leave undecided (its law atom too, for
    a rule below statute/case level): what must hold, beyond the answers, for it to apply."""
    law = _law(code, rule.id, rule.source, rule.summary)
    return [atom for atom in atoms_of(rule.when, law) if reader.truth(atom) is Truth.MAYBE]


def _split_all(facts: Iterable[Facts], atom: Atom, holds: bool) -> list[Facts]:
    return [g for f in facts for g in f.assume(atom, holds)]


def _resolve(rule: Rule, facts: Facts, texts: dict[str, str]) -> list[Case]:
    """A confirmation rule allows a deficiency only on a confirmed sale; with none there is none."""
    if rule.outcome.kind != "confirmation":
        return [Case(facts, rule, rule.outcome, texts)]
    confirmed = Atom.choice("sale_confirmed", ("yes",))
    return [Case(f, rule, Outcome("allowed"), texts) for f in facts.assume(confirmed, True)] + [
        Case(f, rule, Outcome("barred"), texts) for f in facts.assume(confirmed, False)
    ]


def _walk(code: str, rules: Sequence[Rule], start: int, facts: Facts, texts: dict[str, str]) -> list[Case]:
    for index in range(start, len(rules)):
        rule = rules[index]
        law = _law(code, rule.id, rule.source, rule.summary)
        atoms = list(atoms_of(rule.when, law))
        for atom in atoms:
            if atom.kind == "opaque":
                texts[atom.key] = atom.text
        truths = [facts.truth(atom) for atom in atoms]
        if Truth.NO in truths:
            continue
        undecided = [atom for atom, truth in zip(atoms, truths, strict=True) if truth is Truth.MAYBE]
        if not undecided:
            return _resolve(rule, facts, texts)
        # Split: the rule holds (every undecided atom holds) ...
        holding = [facts]
        for atom in undecided:
            holding = _split_all(holding, atom, True)
        cases = [case for f in holding for case in _resolve(rule, f, texts)]
        # ... or it fails on its first undecided atom, or its second (the first holding), ...
        prefix = [facts]
        for atom in undecided:
            for failing in _split_all(prefix, atom, False):
                cases += _walk(code, rules, index + 1, failing, texts)
            prefix = _split_all(prefix, atom, True)
        return cases
    return [Case(facts, None, GENERAL, texts)]


def sale_cases(code: str, sale: str, facts: Facts) -> list[Case]:
    """Every case the state's deficiency rules allow after this sale, on these facts.

    ``sale`` is ``non_judicial``, ``judicial`` or ``repossession``. Only rules about the
    borrower's own liability take part (a guarantor's, or a claim other than the deficiency,
    is stated on the state's page but never computed here).
    """
    j = jurisdiction(code)
    if sale == "repossession":
        rules: list[Rule] = [r for r in j.repossession if r.applies_to == "borrower"]
    else:
        rules = [r for r in j.foreclosure if sale in r.sales and r.applies_to == "borrower"]
    return _walk(j.code, rules, 0, facts, {})


def recoverable(
    outcome: Outcome, *, gross: Decimal, total_claim: Decimal, sale_price: Decimal, value: Decimal | None
) -> Decimal:
    """The deficiency a case's outcome leaves, before any contract term (recourse, carve-outs).

    ``gross`` is the shortfall after the sale (UCC §9-615(d) order); a fair-value credit
    replaces the sale price by the greater of it and ``value``. With no value given the
    credit cannot lower anything (a fact the reader did not give never lowers the figure):
    the shortfall stands.

    >>> recoverable(Outcome("fair_value"), gross=Decimal(100000), total_claim=Decimal(300000),
    ...             sale_price=Decimal(200000), value=Decimal(280000))
    Decimal('20000')
    """
    if outcome.kind == "barred":
        return ZERO
    if outcome.kind == "fair_value":
        if value is None:
            return gross
        return max(ZERO, total_claim - max(sale_price, value))
    if outcome.kind == "cap" and outcome.amount is not None:
        return min(gross, outcome.amount)
    return gross


def deadlines(code: str, sale: str, facts: Facts) -> list[tuple[Deadline, Truth]]:
    """The clocks that run (or may run) after this sale on these facts, in the dataset's order."""
    j = jurisdiction(code)
    clocks = j.repossession_deadlines if sale == "repossession" else j.foreclosure_deadlines
    found = []
    for clock in clocks:
        if clock.sales and sale not in clock.sales:
            continue
        truths = [facts.truth(atom) for atom in atoms_of(clock.when)]
        if Truth.NO in truths:
            continue
        found.append((clock, Truth.MAYBE if Truth.MAYBE in truths else Truth.YES))
    return found


@dataclass(frozen=True)
class CapCase:
    """One case for wage garnishment: the caps that apply in it, and whether the state's
    minimum wage (where a cap counts it) is taken as law in it."""

    facts: Facts
    caps: tuple[Cap, ...]
    state_wage: bool
    texts: dict[str, str]

    def assumes(self, reader: Facts) -> list[str]:
        return [n.words() for n in self.facts.narrowed(reader, self.texts)]

    def laws(self) -> list[str]:
        """The ids of the rules below statute/case level (caps, or ``minimum-wage``) it takes as law."""
        return _laws(self.facts)


def cap_cases(code: str, facts: Facts) -> list[CapCase]:
    """Every case of the state's garnishment caps on these facts: each cap that certainly
    applies is in every case; an undecided one (a condition, or a source below statute/case
    level) splits the cases into those where it applies and those where it does not. A cap
    that counts the state's minimum wage splits once more if that wage is not at statute or
    case level."""
    j = jurisdiction(code)
    texts: dict[str, str] = {}
    cases: list[tuple[Facts, tuple[Cap, ...]]] = [(facts, ())]
    for cap in j.caps:
        atoms = list(atoms_of(cap.when, _law(j.code, cap.id, cap.source, cap.summary)))
        for atom in atoms:
            if atom.kind == "opaque":
                texts[atom.key] = atom.text
        grown: list[tuple[Facts, tuple[Cap, ...]]] = []
        for f, caps in cases:
            truths = [f.truth(atom) for atom in atoms]
            if Truth.NO in truths:
                grown.append((f, caps))
                continue
            undecided = [a for a, t in zip(atoms, truths, strict=True) if t is Truth.MAYBE]
            holding = [f]
            for atom in undecided:
                holding = _split_all(holding, atom, True)
            grown += [(h, (*caps, cap)) for h in holding]
            prefix = [f]
            for atom in undecided:
                grown += [(g, caps) for g in _split_all(prefix, atom, False)]
                prefix = _split_all(prefix, atom, True)
        cases = grown
    wage = j.minimum_wage
    law = _law(j.code, "minimum-wage", wage.source, wage.summary)
    result = []
    for f, caps in cases:
        counts_wage = any(c.kind == "excess" and c.wage != "federal" for c in caps)
        if not counts_wage or law is None:
            result.append(CapCase(f, caps, counts_wage, texts))
            continue
        texts[law.key] = law.text
        result += [CapCase(g, caps, True, texts) for g in f.assume(law, True)]
        result += [CapCase(g, caps, False, texts) for g in f.assume(law, False)]
    return result


def _when_keys(when: Mapping[str, Any]) -> set[str]:
    keys: set[str] = set()
    for key, condition in when.items():
        if key == "amount":
            keys.add(str(condition["measure"]))
        elif key != "requires":
            keys.add(key)
    return keys


def facts_used(code: str, sale: str) -> set[str]:
    """The facts this state's rules for this sale (or, with ``sale="garnishment"``, its
    garnishment caps) depend on: the questions worth asking a reader from that state.
    ``fair_value`` stands for the property's value, ``sale_confirmed`` for a confirmation rule."""
    j = jurisdiction(code)
    used: set[str] = set()
    if sale == "garnishment":
        for cap in j.caps:
            used |= _when_keys(cap.when)
            if cap.base == "gross":
                used.add("gross_weekly")
            if cap.dependents_weekly is not None:
                used.add("dependents")
            if cap.kind == "excess" and cap.wage == "local":
                used.add("local_wage")
        return used
    rules = j.repossession if sale == "repossession" else [r for r in j.foreclosure if sale in r.sales]
    for rule in rules:
        if rule.applies_to != "borrower":
            continue
        used |= _when_keys(rule.when)
        if rule.outcome.kind == "fair_value":
            used.add("fair_value")
        if rule.outcome.kind == "confirmation":
            used.add("sale_confirmed")
    for clock, _truth in deadlines(code, sale, Facts.of()):
        used |= _when_keys(clock.when)
    return used


# ---- Garnishment caps: what one cap lets a pay period take ----------------------------


def _floor_cents(value: Decimal) -> Decimal:
    """Round down to the cent: a legal ceiling must not be exceeded by rounding."""
    return value.quantize(CENT, rounding=ROUND_FLOOR)


def _ceil_cents(value: Decimal) -> Decimal:
    """Round up to the cent: a protected amount must not shrink by rounding."""
    return value.quantize(CENT, rounding=ROUND_CEILING)


def _pct(value: Decimal) -> str:
    return f"{value.normalize():f}"


def cap_amount(
    cap: Cap,
    *,
    period: str,
    weeks: Decimal,
    per_year: int,
    disposable: Decimal,
    gross: Decimal | None,
    dependents: int,
    wage: Decimal,
) -> tuple[Decimal, str] | None:
    """The most ``cap`` lets one pay period take, and the cap in words; ``None`` when it needs
    gross pay and none was given (then it cannot lower the figure: a fact the reader did not
    give never does).

    ``period`` is the pay period's name (``weekly`` ...), ``weeks`` its length in weeks as
    29 CFR §870.10 counts them (a month is 4 1/3 weeks), ``wage`` the hourly minimum wage an
    ``excess`` cap counts. Weekly figures are carried to the period by ``weeks``, monthly bracket
    bounds by 12 / ``per_year``; a floor the statute states per period itself
    (``period_amounts``, ORS 18.385) is taken as stated. Protected floors round up to the cent
    and ceilings down, so rounding never takes more than the law allows. Dependents either raise
    the protected floor (S.D. Codified Laws 21-18-51's shape) or come off the amount that may be
    taken (N.D.C.C. 32-09.1-03's).

    >>> from calculators.states import jurisdiction
    >>> nd = jurisdiction("ND").rule("forty-times-minimum-wage")  # 40 x $7.25 = $290 protected; $20 off each
    >>> cap_amount(nd, period="weekly", weeks=Decimal(1), per_year=52, disposable=Decimal(500), gross=None,
    ...            dependents=2, wage=Decimal("7.25"))
    (Decimal('170.00'), 'disposable earnings above $290.00 (40 x $7.25 an hour a week), less $20.00 a week for each of 2 dependents')
    """
    if cap.base == "gross" and gross is None:
        return None
    base = gross if cap.base == "gross" else disposable
    assert base is not None
    pay = "gross pay" if cap.base == "gross" else "disposable earnings"
    per_dependent = (
        WIDE.multiply(cap.dependents_weekly * dependents, weeks)
        if cap.dependents_weekly and dependents
        else ZERO
    )
    if cap.kind == "exempt":
        return ZERO, "nothing (all earnings are protected)"
    if cap.kind == "percent":
        pct = cap.percent or ZERO
        amount, what = _floor_cents(WIDE.divide(WIDE.multiply(base, pct), _HUNDRED)), f"{_pct(pct)}% of {pay}"
    elif cap.kind in ("excess", "floor"):
        raise_floor = per_dependent if cap.dependents_reduce == "floor" else ZERO
        if cap.kind == "excess":
            hours = cap.weekly_hours or ZERO
            protected = _ceil_cents(WIDE.add(WIDE.multiply(WIDE.multiply(hours, wage), weeks), raise_floor))
            floor = f"{_pct(hours)} x {dollars(wage)} an hour a week"
        elif cap.period_amounts is not None:
            protected = _ceil_cents(WIDE.add(cap.period_amounts[period], raise_floor))
            floor = f"the statute's figure for a {period} pay period"
        else:
            protected = _ceil_cents(WIDE.add(WIDE.multiply(cap.weekly_amount or ZERO, weeks), raise_floor))
            floor = f"{dollars(cap.weekly_amount or ZERO)} a week"
        if raise_floor:
            floor += (
                f" plus {dollars(cap.dependents_weekly or ZERO)} a week for each of {dependents} dependents"
            )
        share = "" if cap.share == _HUNDRED else f"{_pct(cap.share)}% of "
        amount = _floor_cents(WIDE.divide(WIDE.multiply(max(ZERO, base - protected), cap.share), _HUNDRED))
        what = f"{share}{pay} above {dollars(protected)} ({floor})"
    else:  # tiers: graduated percents; monthly bounds scaled to this pay period
        scale = WIDE.divide(Decimal(12), Decimal(per_year)) if cap.per == "month" else weeks
        total, lower, parts = ZERO, ZERO, []
        for upto, pct in cap.brackets:
            top = None if upto is None else WIDE.multiply(upto, scale)
            portion = max(ZERO, (base if top is None else min(base, top)) - lower)
            total = WIDE.add(total, WIDE.divide(WIDE.multiply(portion, pct), _HUNDRED))
            parts.append(f"{_pct(pct)}%" + ("" if upto is None else f" up to {dollars(upto)} a {cap.per}"))
            if top is None or base <= top:
                break
            lower = top
        amount, what = _floor_cents(total), f"{', then '.join(parts)} of {pay}"
    if cap.dependents_reduce == "amount" and per_dependent:
        amount = max(ZERO, amount - _ceil_cents(per_dependent))
        what += f", less {dollars(cap.dependents_weekly or ZERO)} a week for each of {dependents} dependents"
    return amount, what
