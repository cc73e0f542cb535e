"""The state-law questions the calculators ask, and the engine's answer in their terms.

:mod:`calculators.states.engine` reasons on facts and knows no form. This module is the other
side: the fields a calculator declares to ask about those facts (each with "Not sure"), how a
form's values become :class:`~calculators.states.facts.Facts`, when a question is worth asking
(the ``reveal`` table: a fact only for a state whose rules depend on it), and how the engine's
cases become what a reader reads: the highest amount the law allows on their answers, the
conditions that would lower it (with the citation and source level of each), and one
sentence naming the rule.

Field names here are a contract (share links, outside checks): ``property_type``,
``owner_occupied``, ``purchase_money`` (``yes`` still accepted from old links),
``lender_waived_deficiency``, ``loan_purpose`` and ``acres``, and the facts added for statutes
that need them: ``dwelling_units``, ``home_equity_loan``, ``lender_bought``, ``appraised``,
``sale_confirmed``, ``sold_by``, ``goods``, ``loan_date``, ``original_principal``,
``original_amount`` (the cash price of goods) and ``amount_financed``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from calckit.fields import Field, fact, money, month, number
from calckit.money import dollars

from .states import CODES, NAMES, Rule, jurisdiction
from .states.engine import Case, deadlines, facts_used, level_words, own_atoms
from .states.facts import CHOICES, Atom, Facts, Truth

__all__ = [
    "FACT_FIELDS",
    "Condition",
    "Decision",
    "decide",
    "facts_from",
    "reveal_facts",
]

_CHOICE_QUESTIONS: dict[str, tuple[str, str, dict[str, str]]] = {
    "property_type": (
        "Kind of property",
        "What was sold. A home is a house or a building of 1 to 4 units; farm land is land used to farm.",
        {
            "home": "A home (1 to 4 units)",
            "farm": "Farm land",
            "commercial": "Commercial or other real property",
        },
    ),
    "owner_occupied": (
        "Your own home",
        "Whether you lived in the property.",
        {"yes": "Yes, I lived there", "no": "No"},
    ),
    "purchase_money": (
        "Loan paid for the property",
        "Whether this loan paid for the property itself: a lender's loan to buy it, or the seller's own "
        "financing (a credit sale by a dealer counts as the seller's). A refinance or home-equity loan is No.",
        {"lender": "Yes, a lender's loan to buy it", "seller": "Yes, the seller financed it", "no": "No"},
    ),
    "dwelling_units": (
        "Units in the home",
        "How many homes the building holds; some protections cover only one- or two-family homes.",
        {"1": "1", "2": "2", "3-4": "3 or 4"},
    ),
    "loan_purpose": (
        "What the loan was for",
        "Personal, family or household use, or a business. For goods, this decides whether consumer-credit "
        "rules apply.",
        {"personal": "Personal, family or household", "business": "A business"},
    ),
    "lender_waived_deficiency": (
        "Lender gave up the deficiency",
        "Whether the lender gave up (waived) any deficiency in the foreclosure case, for example to shorten "
        "your redemption period.",
        {"yes": "Yes", "no": "No"},
    ),
    "home_equity_loan": (
        "Home-equity loan on your homestead",
        "A home-equity loan or line of credit (cash out against your homestead), as Texas's constitution "
        "defines it.",
        {"yes": "Yes", "no": "No"},
    ),
    "lender_bought": (
        "Lender bought it at the sale",
        "Whether the foreclosing lender (or someone for it) was the buyer at the sale.",
        {"yes": "Yes, the lender bought it", "no": "No, someone else did"},
    ),
    "appraised": (
        "Appraised before the sale",
        "Whether the property was appraised before the court sale.",
        {"yes": "Yes", "no": "No"},
    ),
    "sale_confirmed": (
        "Sale confirmed by a court",
        "Whether a court confirmed the sale (the lender must ask for it after the sale).",
        {"yes": "Yes", "no": "No"},
    ),
    "sold_by": (
        "Who sold the property",
        "The lender on this loan, or another lender whose loan came first (its sale wiped this loan out).",
        {
            "this_lender": "This loan's lender",
            "senior_lender": "Another lender with a loan ahead of this one",
        },
    ),
    "goods": (
        "What was repossessed",
        "A car, truck or motorcycle, or other goods.",
        {"vehicle": "A motor vehicle", "other": "Other goods"},
    ),
}

#: Every question about a fact, by field name (the contract names), in the order forms ask them.
FACT_FIELDS: dict[str, Field] = {
    **{
        name: fact(
            name, label, help=help_text, choices=choices, legacy=("yes",) if name == "purchase_money" else ()
        )
        for name, (label, help_text, choices) in _CHOICE_QUESTIONS.items()
    },
    "acres": number(
        "acres",
        "Size of the land",
        default="",
        unit="acres",
        required=False,
        help="In acres; leave empty if you are not sure. Some protections cover only small parcels.",
    ),
    "loan_date": month(
        "loan_date",
        "When the loan was made",
        default="",
        required=False,
        help="Year and month, like 2019-06; leave empty if you are not sure. Some rules cover loans made "
        "after a date.",
    ),
    "original_principal": money(
        "original_principal",
        "Original loan amount",
        default="",
        required=False,
        help="What was borrowed at the start; leave empty if you are not sure. Minnesota's rule depends on "
        "how much of it was still owed.",
    ),
    "original_amount": money(
        "original_amount",
        "Cash price of the goods",
        default="",
        required=False,
        help="What the goods cost when you bought them; leave empty if you are not sure. Some states bar a "
        "deficiency when it was small.",
    ),
    "amount_financed": money(
        "amount_financed",
        "Amount financed",
        default="",
        required=False,
        help="The amount financed on your contract; leave empty if you are not sure.",
    ),
}

#: The form field that carries each engine fact, where the names differ.
_FIELD_OF = {
    "cash_price": "original_amount",
    "owed_share": "original_principal",
    "fair_value": "fair_market_value",
    "gross_weekly": "gross_earnings",
    "local_wage": "local_minimum_wage",
}


def facts_from(
    values: Mapping[str, Any], *, owed: Decimal | None = None, unpaid: Decimal | None = None
) -> Facts:
    """The engine's facts from a form's parsed values (fields it lacks are "not sure").

    ``unpaid`` is the balance at default (a repossession measure); ``owed`` what was still owed,
    which with ``original_principal`` gives the share of the original loan still owed.
    """
    answers: dict[str, Any] = {key: values.get(key) for key in CHOICES if key in values}
    principal = values.get("original_principal")
    share = None
    if owed is not None and principal:
        share = Fraction(owed) / Fraction(principal)
    answers.update(
        acres=values.get("acres"),
        loan_date=values.get("loan_date"),
        cash_price=values.get("original_amount"),
        amount_financed=values.get("amount_financed"),
        unpaid_balance=unpaid,
        owed_share=share,
    )
    return Facts.of(**answers)


def reveal_facts(
    sales: Iterable[str], fields: Iterable[str], *, sale_field: str | None = "sale_type"
) -> dict[str, tuple[dict[str, tuple[str, ...]], ...]]:
    """When each fact question is worth asking: for a state and sale type whose rules depend on it.

    The result is a calculator's ``reveal`` entries: field -> alternatives of
    ``{"state": codes, "sale_type": (sale,)}`` (one per sale type that uses it), or of
    ``{"state": codes}`` for a calculator with no ``sale_field``.
    """
    wanted = set(fields)
    shown: dict[str, dict[str, list[str]]] = {}
    for sale in sales:
        for code in CODES:
            for used in facts_used(code, sale):
                name = _FIELD_OF.get(used, used)
                if name in wanted:
                    shown.setdefault(name, {}).setdefault(sale, []).append(code)
    return {
        name: tuple(
            {"state": tuple(codes), **({sale_field: (sale,)} if sale_field else {})}
            for sale, codes in by_sale.items()
        )
        for name, by_sale in shown.items()
    }


@dataclass(frozen=True)
class Condition:
    """One case that would lower the figure: in words, its amount, citation and source level."""

    condition: str
    amount: str
    citation: str
    level: str


@dataclass(frozen=True)
class Decision:
    """The engine's answer for one sale: the highest amount the law allows on the reader's
    answers, the case that allows it, the conditions that would lower it, and the sentence."""

    amount: Decimal
    case: Case
    conditions: tuple[Condition, ...]
    sentence: str


_SALE = {
    "non_judicial": "a trustee's (out-of-court) sale",
    "judicial": "a court-ordered sale",
    "repossession": "a repossession sale",
}
_UCC = "UCC §9-615(d)"


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _clock_condition(clock: Any, reader: Facts) -> str:
    what = clock.starts_text or clock.starts.replace("_", " ")
    if clock.effect == "ends_judgment":
        text = f"{clock.length} have passed since {what}: the judgment can no longer be enforced"
    else:
        text = f"the lender did not seek the deficiency within {clock.length} after {what}"
    return _sentence_case(text)


def _words(reader: Facts, atoms: list[Atom], texts: Mapping[str, str]) -> list[str]:
    """Atoms that must all hold, in words (as narrowings of the reader's answers)."""
    narrowed = [reader]
    for atom in atoms:
        narrowed = [g for f in narrowed for g in f.assume(atom, True)]
    if not narrowed:
        return []
    return [n.words() for n in narrowed[0].narrowed(reader, texts)]


def _unless(
    reader: Facts, group: _Group, earlier: list[_Group], texts: Mapping[str, str]
) -> list[str] | None:
    """The earlier rules that would take a case of ``group`` and give more, in words (a rule
    applies only where no rule above it does); ``None`` if one always would."""
    narrowed = [reader]
    for atom in group.atoms:
        narrowed = [g for f in narrowed for g in f.assume(atom, True)]
    if not narrowed:
        return None
    facts = narrowed[0]
    said = []
    for higher in earlier:
        if higher.amount <= group.amount or higher.rule is None:
            continue
        truths = [facts.truth(atom) for atom in higher.atoms]
        if Truth.NO in truths:
            continue  # cannot hold together with this group's conditions
        if all(t is Truth.YES for t in truths):
            return None
        open_atoms = [a for a, t in zip(higher.atoms, truths, strict=True) if t is Truth.MAYBE]
        plain = [a for a in open_atoms if not a.key.startswith("law:")]
        words = _words(facts, plain, texts)
        if len(plain) < len(open_atoms):
            words.append(f"{higher.rule.source.cite} applies ({level_words(higher.rule.source.level)})")
        said.append(" and ".join(words))
    return said


@dataclass(frozen=True)
class _Group:
    """Every case one rule decides with one outcome, and what it leaves the reader to pay."""

    rule: Rule | None
    kind: str
    amount: Decimal
    atoms: list[Atom]  # the rule's own conditions the answers leave open


def _groups(code: str, reader: Facts, cases: list[Case], exposure: Callable[[Case], Decimal]) -> list[_Group]:
    groups: dict[tuple[str, str], _Group] = {}
    for case in cases:
        key = (case.rule.id if case.rule else "", case.outcome.kind)
        amount = exposure(case)
        if key in groups:
            if amount > groups[key].amount:
                groups[key] = _Group(groups[key].rule, case.outcome.kind, amount, groups[key].atoms)
            continue
        atoms = own_atoms(code, case.rule, reader) if case.rule else []
        if case.rule is not None and case.rule.outcome.kind == "confirmation":
            confirmed = case.outcome.kind == "allowed"
            atoms.append(Atom.choice("sale_confirmed", ("yes",) if confirmed else ("no",)))
        groups[key] = _Group(case.rule, case.outcome.kind, amount, atoms)
    # In the rules' own order (the walk finds them in another): "unless" means a rule above.
    j = jurisdiction(code)
    order = {rule.id: i for i, rule in enumerate((*j.foreclosure, *j.repossession))}
    return sorted(groups.values(), key=lambda g: order[g.rule.id] if g.rule else len(order))


def decide(
    code: str,
    sale: str,
    reader: Facts,
    cases: list[Case],
    exposure: Callable[[Case], Decimal],
    *,
    value_given: bool,
) -> Decision:
    """The reader-facing answer from the engine's cases for one sale.

    ``exposure`` gives what the reader could be made to pay in a case (the calculator applies
    the outcome, then its contract terms). The headline is the highest amount of any case.
    Each rule that would decide on less is a condition, in the rule order: its own open
    conditions, "unless" each earlier rule that would decide on more (a rule applies only when
    no rule above it does). So is each lender's deadline that would end the deficiency, and,
    with no value entered, a fair-value credit the reader could still claim.
    """
    j = jurisdiction(code)
    texts: dict[str, str] = {}
    for case in cases:
        texts.update(case.texts)
    groups = _groups(code, reader, cases, exposure)
    top = max(g.amount for g in groups)
    decisive = min((g for g in groups if g.amount == top), key=lambda g: len(g.atoms))
    case = next(c for c in cases if c.rule is decisive.rule and c.outcome.kind == decisive.kind)
    rows: list[Condition] = []
    seen: set[tuple[str, str]] = set()

    def add(condition: str, amount: str, citation: str, level: str) -> None:
        if (condition, amount) not in seen:
            seen.add((condition, amount))
            rows.append(Condition(condition, amount, citation, level))

    for index, group in enumerate(groups):
        if group.amount >= top or group.rule is None:
            continue
        unless = _unless(reader, group, groups[:index], texts)
        if unless is None:
            continue  # a rule above always takes this case
        said = [_sentence_case(w) for w in _words(reader, group.atoms, texts)]
        lead = "; ".join(said) if said else group.rule.summary.rstrip(".")
        condition = lead + "".join(f"; unless {u}" for u in unless)
        source = group.rule.source
        add(condition, dollars(group.amount), source.cite, source.level)
    fair = [g.rule for g in groups if g.kind == "fair_value" and g.rule is not None]
    if fair and not value_given and top > 0:
        rule = fair[0]
        asked = " if you ask for it" if rule.outcome.on_request else ""
        add(
            f"A court finds the property was worth more than the sale price{asked}: enter its fair market value",
            "less, by the difference",
            rule.source.cite,
            rule.source.level,
        )
    if top > 0:
        for clock, _truth in deadlines(code, sale, reader):
            if clock.party == "lender" and clock.effect in ("bars_suit", "ends_judgment"):
                add(
                    _clock_condition(clock, reader),
                    dollars(Decimal(0)),
                    clock.source.cite,
                    clock.source.level,
                )

    sale_words = _SALE[sale]
    if case.rule is None:
        general = (
            "the debt and costs less what the sale brought in"
            if sale == "repossession"
            else "the debt and costs less the sale price"
        )
        sentence = (
            f"{j.name}: no rule of the state limits the deficiency after {sale_words} on your answers, so the "
            f"general rule applies: {general}."
        )
    else:
        source = case.rule.source
        assumed = _words(reader, decisive.atoms, texts)
        condition = f" This assumes: {'; '.join(assumed)}." if assumed else ""
        sentence = (
            f"{j.name}, after {sale_words}: {case.rule.summary.rstrip('.')} ({source.cite}; "
            f"{level_words(source.level)}, checked {source.checked_on}).{condition}"
        )
    if rows:
        sentence += " It could be lower: see what could lower it."
    return Decision(top, case, tuple(rows), sentence)


def state_name(code: str | None) -> str:
    return NAMES[code] if code else ""
