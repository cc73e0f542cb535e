"""A state's page for a reader, as plain data: what the state's law does to them, by when, what to do
next, and where to get free help. Built from the dataset and the engine; nothing typed by hand.

The site renders it (``/// state | CODE``); the maps use the same one-word answers
(:func:`home_category`, :func:`pay_category`). Every answer carries its rules as
:class:`~calculators.states.views.Cited` (citation, level, checked date).

A "typical" reader is needed for a one-line answer and for a map: a loan that paid for a
one-family home the borrower lives in, on under an acre, sold by its own lender; a personal car
loan. The line says so, and the rules under it give every other case.

>>> page = state_page("OH")
>>> page.slug, page.answers[0].question
('ohio', 'Can the lender come after me after a home foreclosure?')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache

from calckit.money import dollars

from . import CODES, Cap, Deadline, Rule, jurisdiction, today
from .engine import FEDERAL_MINIMUM_WAGE, cap_amount, cap_cases, sale_cases, weakest
from .facts import Facts
from .views import Cited, _deadline_text, _info_text, _rule_text, _wage_text, anchor, cap_text, outcome_words

__all__ = [
    "COMPARE_COLUMNS",
    "HOME_CATEGORIES",
    "PAY_CATEGORIES",
    "Answer",
    "Clock",
    "NextStep",
    "StatePage",
    "compare_cells",
    "home_category",
    "map_category",
    "pay_category",
    "state_page",
    "usual_sale",
]

#: A loan that paid for a one-family home the borrower lives in, on under an acre, sold by its own
#: lender, for personal use: the "typical" home loan of the one-line answers and the map.
TYPICAL_HOME = Facts.of(
    property_type="home",
    owner_occupied="yes",
    purchase_money="lender",
    dwelling_units="1",
    acres=Decimal("0.5"),
    loan_purpose="personal",
    sold_by="this_lender",
    home_equity_loan="no",
)

#: The map's categories for a home foreclosure, in words (the legend): what a typical home loan's
#: lender can get after each kind of foreclosure the state uses.
HOME_CATEGORIES = {
    "barred": "No deficiency, after either kind of foreclosure",
    "barred_trustee": "No deficiency after a trustee's sale; allowed after a court sale",
    "fair_value": "Allowed, limited by the home's fair value",
    "fair_value_one": "Limited by fair value after one kind of foreclosure; allowed after the other",
    "confirmation": "After a trustee's sale, only if a court confirms it; allowed after a court sale",
    "allowed": "Allowed: the debt less the sale price",
}
#: The map's categories for wage garnishment on a consumer debt, in words (the legend).
PAY_CATEGORIES = {
    "none": "No wage garnishment for ordinary consumer debts",
    "stricter": "Stricter limits than the federal ones",
    "federal": "The federal limits",
}

_SALE_WORDS = {"non_judicial": "a trustee's sale", "judicial": "a court-ordered sale"}


def sales_used(code: str) -> tuple[str, ...]:
    """The kinds of foreclosure the state uses for ordinary home loans."""
    j = jurisdiction(code)
    not_used = any(r.not_used for r in j.foreclosure if "non_judicial" in r.sales)
    return ("judicial",) if not_used else ("non_judicial", "judicial")


_ORDER = {"barred": 0, "fair_value": 1, "confirmation": 2, "allowed": 3}


def _category(code: str, sale: str) -> str:
    cases = sale_cases(code, sale, TYPICAL_HOME)
    top = max(cases, key=lambda c: _RANK[c.outcome.kind])
    if top.rule is not None and top.rule.outcome.kind == "confirmation":
        return "confirmation"
    return "allowed" if top.outcome.kind == "cap" else top.outcome.kind


def _top(code: str, sale: str) -> tuple[str, Rule | None]:
    """The category of a typical home loan after this sale, and the rule that decides it (or None)."""
    cases = sale_cases(code, sale, TYPICAL_HOME)
    top = max(cases, key=lambda c: _RANK[c.outcome.kind])
    return _category(code, sale), top.rule


def usual_sale(code: str) -> str:
    """The foreclosure a state's page presets and answers first: of the kinds the state uses, the one
    that leaves a typical home loan's borrower the most to pay (never the kinder one by default)."""
    return max(sales_used(code), key=lambda sale: _ORDER[_category(code, sale)])


_RANK = {"allowed": 3, "cap": 2, "fair_value": 1, "barred": 0}


def map_category(code: str) -> str:
    """The home map's category (HOME_CATEGORIES): the typical home loan's answer after each kind of
    foreclosure the state uses, together. The engine's highest case decides each (a fact not given,
    or a rule it cannot confirm, never makes one lower)."""
    found = {sale: _category(code, sale) for sale in sales_used(code)}
    kinds = set(found.values())
    if len(kinds) == 1:
        return kinds.pop()
    trustee = found["non_judicial"]
    if trustee == "barred":
        return "barred_trustee"
    if "fair_value" in kinds:
        return "fair_value_one"
    if trustee == "confirmation":
        return "confirmation"
    return max(kinds, key=_ORDER.__getitem__)


def home_category(code: str, sale: str | None = None) -> str:
    """What the state's law allows after a foreclosure of a typical home loan: after either kind of
    foreclosure the state uses, the one that allows the most (a map that said "no deficiency"
    where a court sale allows one would mislead). The engine's highest case is taken: a fact or
    a rule it cannot confirm never makes it lower."""
    return _category(code, sale or usual_sale(code))


def pay_category(code: str) -> str:
    """Whether the state protects more pay than the federal limit, for an ordinary earner.

    Worked out with the engine's caps at three weekly paychecks ($400, $800 and $1,500, gross a
    quarter more): "stricter" if every case of the state's caps takes less than the federal limit
    at some paycheck, "none" if it takes nothing at all. A cap the engine cannot confirm, or one
    that depends on something not given, never counts (the highest case is taken).
    """
    week = Decimal(1)
    findings = []
    for pay in (Decimal(400), Decimal(800), Decimal(1500)):
        # 15 U.S.C. §1673(a): the lesser of 25% and the pay above 30 times the federal minimum wage.
        federal = max(Decimal(0), min(pay * Decimal("0.25"), pay - 30 * FEDERAL_MINIMUM_WAGE))
        highest = Decimal(0)
        for case in cap_cases(code, Facts.of()):
            amounts = [federal]
            for cap in case.caps:
                found = cap_amount(
                    cap,
                    period="weekly",
                    weeks=week,
                    per_year=52,
                    disposable=pay,
                    gross=pay * Decimal("1.25"),
                    dependents=0,
                    wage=_wage(code, cap, case.state_wage),
                )
                if found is not None:
                    amounts.append(found[0])
            highest = max(highest, min(amounts))
        findings.append((federal, highest))
    if all(state == 0 for _, state in findings):
        return "none"
    return "stricter" if any(state < fed for fed, state in findings) else "federal"


def _wage(code: str, cap: Cap, state_wage: bool) -> Decimal:
    rate = jurisdiction(code).minimum_wage.on(today())
    if cap.wage != "federal" and state_wage and rate is not None:
        return max(FEDERAL_MINIMUM_WAGE, rate[1])
    return FEDERAL_MINIMUM_WAGE


@dataclass(frozen=True)
class Answer:
    question: str
    short: str  # one plain line
    rules: tuple[Cited, ...]  # every rule behind it, cited


@dataclass(frozen=True)
class Clock:
    """One deadline on the timeline: whose, how long, from what, and what missing it does."""

    who: str
    length: str
    starts: str
    effect: str
    cited: Cited | None  # None for a national rule cited on the sources page
    source_anchor: str = ""  # sources.md anchor, for a national rule
    #: False where the dataset does not hold this state's rule: ``starts`` says which clock, and
    #: the page says plainly that it is not recorded.
    known: bool = True

    @property
    def heading(self) -> str:
        """The clock in one line, as the page shows it above its source."""
        if not self.known:
            return f"{self.starts}: {self.effect}."
        if not self.length:
            return f"{self.who}: no fixed time limit recorded"
        return f"{self.who}: {self.length} from {self.starts}; {self.effect}."


@dataclass(frozen=True)
class NextStep:
    text: str
    source_anchor: str  # the sources page's anchor for the rule it rests on ("" for a state rule)
    source_label: str
    cited: Cited | None = None


@dataclass(frozen=True)
class StatePage:
    code: str
    name: str
    slug: str
    description: str
    answers: tuple[Answer, ...]
    clocks: tuple[Clock, ...]
    steps: tuple[NextStep, ...]
    home: str  # HOME_CATEGORIES key (map_category)
    pay: str  # PAY_CATEGORIES key
    usual_sale: str
    help: tuple[tuple[str, str, bool], ...]  # (name, address, confirmed): legal aid, lawyer referral, LSC
    #: The rest of what the dataset holds for the state, by heading: guarantors and other claims,
    #: the one-action rule, the minimum wage, other rules.
    more: tuple[tuple[str, tuple[Cited, ...]], ...] = ()


def _cited(code: str, item_id: str, source: object, text: str) -> Cited:
    from .views import _cited as cite

    return cite(jurisdiction(code), item_id, source, text)  # type: ignore[arg-type]


def _home_answer(code: str) -> Answer:
    j = jurisdiction(code)
    sale = usual_sale(code)
    category = home_category(code, sale)
    short = {
        "barred": f"Usually not. For a typical home loan, {j.name} bars a deficiency after {_SALE_WORDS[sale]}; "
        "the rules below say exactly when.",
        "fair_value": f"Yes, but only for what the debt exceeds the home's fair value (after {_SALE_WORDS[sale]}), "
        "not just the sale price.",
        "confirmation": f"Only if a court confirms the sale after {_SALE_WORDS[sale]}; without that, no deficiency.",
        "allowed": f"Yes. After {_SALE_WORDS[sale]} the lender can sue for what the sale did not cover, "
        "unless a rule below applies.",
    }[category]
    rules = []
    for sale_type in ("non_judicial", "judicial"):
        listed = [r for r in j.foreclosure if sale_type in r.sales and r.applies_to == "borrower"]
        for i, rule in enumerate(listed):
            text = f"{'After a trustee' + chr(39) + 's sale' if sale_type == 'non_judicial' else 'After a court sale'}: {_rule_text(rule, otherwise=i > 0)}"
            rules.append(_cited(code, rule.id, rule.source, text))
    if not rules:
        rules.append(
            Cited(
                "The dataset holds no rule of this state on deficiencies after a foreclosure: the general rule applies.",
                "",
                "",
                "",
                "",
                "",
                "",
            )
        )
    return Answer("Can the lender come after me after a home foreclosure?", short, tuple(rules))


def _car_answer(code: str) -> Answer:
    j = jurisdiction(code)
    listed = [r for r in j.repossession if r.applies_to == "borrower"]
    certain = [r for r in listed if not r.when and r.source.changes_figures and r.outcome.kind == "barred"]
    if certain:
        short = f"No: {j.name} bars a deficiency after a repossession ({certain[0].source.cite})."
    elif listed:
        short = (
            "Usually yes: the lender can claim what the sale did not cover (UCC §9-615(d)), "
            f"unless one of {j.name}'s rules below applies."
        )
    else:
        short = "Yes: the lender can claim what the sale did not cover (UCC §9-615(d)); the dataset holds no rule of this state that limits it."
    rules = [_cited(code, r.id, r.source, _rule_text(r, otherwise=False)) for r in listed]
    notice = j.repossession_notice
    if notice.text:
        rules.append(_cited(code, "repossession.notice", notice.source, notice.text))
    return Answer("After a car repossession?", short, tuple(rules))


def _pay_answer(code: str) -> Answer:
    j = jurisdiction(code)
    category = pay_category(code)
    short = {
        "none": f"Nothing, for an ordinary consumer debt such as a deficiency: {j.name} does not allow it.",
        "stricter": f"Less than the federal limit: {j.name}'s own limits below protect more of your pay.",
        "federal": "Up to the federal limit: 25% of your disposable pay, or less if you earn little "
        f"(pay up to 30 times the federal minimum wage, {dollars(FEDERAL_MINIMUM_WAGE * 30)} a week, is protected).",
    }[category]
    rules = []
    if j.garnishment.text:
        rules.append(_cited(code, "garnishment", j.garnishment.source, j.garnishment.text))
    rules += [_cited(code, c.id, c.source, cap_text(c)) for c in j.caps]
    return Answer("How much of my pay can be garnished?", short, tuple(rules))


# ---- The comparison table: one line per state, each cell cited ----------------------------

#: The comparison table's columns (the state's name comes first).
COMPARE_COLUMNS = ("After a trustee's sale", "After a court sale", "After a repossession", "Wage garnishment")
_HOME_CELL = {
    "barred": "No deficiency",
    "fair_value": "Limited by fair value",
    "confirmation": "Only after a court confirms the sale",
    "allowed": "Allowed",
}
_PAY_CELL = {
    "none": "Not for consumer debts",
    "stricter": "Stricter than federal",
    "federal": "Federal limits",
}


def _joint(code: str, rules: Sequence[Rule | Cap], text: str) -> Cited:
    """One cell resting on several rules: every citation, and the weakest of their levels."""
    first = rules[0]
    cited = _cited(code, first.id, first.source, text)
    cites = list(dict.fromkeys(r.source.cite for r in rules))
    level = weakest(r.source.level for r in rules)
    return replace(cited, citation="; ".join(cites), level=level)


def _home_cell(code: str, sale: str) -> Cited:
    j = jurisdiction(code)
    if sale not in sales_used(code):
        unused = next(r for r in j.foreclosure if r.not_used and sale in r.sales)
        return _cited(code, unused.id, unused.source, "Not used for home loans")
    category, rule = _top(code, sale)
    if rule is None:
        return Cited("Allowed (no state rule recorded)", "", "", "", "", "", "")
    return _cited(code, rule.id, rule.source, _HOME_CELL[category])


def _repo_cell(code: str) -> Cited:
    cases = sale_cases(code, "repossession", Facts.of())
    limiting = [c.rule for c in cases if c.rule is not None and c.outcome.kind in ("barred", "cap")]
    if not limiting:
        return Cited("Allowed (no state rule recorded)", "", "", "", "", "", "")
    if all(c.outcome.kind == "barred" for c in cases):
        return _joint(code, list({rule.id: rule for rule in limiting}.values()), "No deficiency")
    unique = list({rule.id: rule for rule in limiting}.values())
    return _joint(code, unique, "Barred or limited in some cases")


def _pay_cell(code: str) -> Cited:
    j = jurisdiction(code)
    category = pay_category(code)
    if category == "federal" and not j.caps:
        return Cited("Federal limits (15 U.S.C. §1673)", "", "", "", "", "", "")
    if j.caps:
        return _joint(code, list(j.caps), _PAY_CELL[category])
    return _cited(code, "garnishment", j.garnishment.source, _PAY_CELL[category])


def compare_cells(code: str) -> tuple[Cited, ...]:
    """A state's line in the comparison table (COMPARE_COLUMNS): for a typical home loan after each
    kind of foreclosure, after a repossession, and for an ordinary paycheck. The highest case the
    engine finds decides each cell (a fact not given, or a rule it cannot confirm, never lowers it)."""
    return (_home_cell(code, "non_judicial"), _home_cell(code, "judicial"), _repo_cell(code), _pay_cell(code))


def _clocks(code: str) -> tuple[Clock, ...]:
    """The timeline: the lender's deadlines to seek a deficiency (after a foreclosure, after a
    repossession), the 14 days to answer a §9-616 request, the life of a judgment, then the
    state's other clocks. A clock the dataset does not hold is listed as not recorded."""
    j = jurisdiction(code)
    clocks = []
    after_sale = [*j.foreclosure_deadlines, *j.repossession_deadlines]
    suits = [d for d in j.foreclosure_deadlines if d.party == "lender" and d.effect == "bars_suit"]
    clocks += [_clock(code, d) for d in suits]
    if not suits:
        clocks.append(_unknown("The lender's deadline to seek a deficiency after a foreclosure sale", j.name))
    repo_suits = [d for d in j.repossession_deadlines if d.party == "lender" and d.effect == "bars_suit"]
    clocks += [_clock(code, d) for d in repo_suits]
    if not repo_suits:
        clocks.append(
            _unknown("The lender's deadline to sue for a deficiency after a repossession sale", j.name)
        )
    clocks.append(
        Clock(
            who="The lender",
            length="14 days",
            starts="it receives your written request for an explanation of the deficiency after a repossession sale",
            effect="it must send the explanation, or a record giving up the deficiency",
            cited=None,
            source_anchor="ucc-9-616",
        )
    )
    life = j.judgment
    if life is not None and life.period is not None:
        renew = {True: ", unless it is renewed or revived in time", False: "", None: ""}[life.renewable]
        clocks.append(
            Clock(
                who="A judgment",
                length=life.length,
                starts=life.starts_text,
                effect=f"after that, it can no longer be enforced{renew}",
                cited=_cited(code, "judgment", life.source, life.summary),
            )
        )
    elif life is not None:
        clocks.append(
            Clock(
                who="A judgment",
                length="",
                starts="",
                effect="",
                cited=_cited(code, "judgment", life.source, life.summary),
            )
        )
    else:
        clocks.append(_unknown("How long a judgment can be enforced", j.name))
    shown = {id(d) for d in (*suits, *repo_suits)}
    clocks += [_clock(code, d) for d in after_sale if id(d) not in shown]
    return tuple(clocks)


def _unknown(what: str, name: str) -> Clock:
    return Clock(
        who="",
        length="",
        starts=what,
        effect=f"we have not recorded {name}'s rule yet",
        cited=None,
        known=False,
    )


def _clock(code: str, clock: Deadline) -> Clock:
    effect = {
        "bars_suit": "after that, no deficiency can be sought",
        "ends_judgment": "after that, a deficiency judgment can no longer be enforced",
        "loses_protection": "after that, the protection is lost",
    }[clock.effect]
    return Clock(
        who="The lender" if clock.party == "lender" else "You",
        length=clock.length,
        starts=clock.starts_text or clock.starts.replace("_", " "),
        effect=effect,
        cited=_cited(code, clock.id, clock.source, _deadline_text(clock)),
    )


def _steps(code: str) -> tuple[NextStep, ...]:
    j = jurisdiction(code)
    steps = [
        NextStep(
            "After a repossession, ask the lender in writing to explain how it calculated the deficiency. It "
            "must send the explanation, or give up the deficiency, within 14 days; one request in any six months "
            "is free if it has not already sent you an explanation. The letter check below writes the request "
            "for you.",
            "ucc-9-616",
            "UCC §9-616",
        ),
        NextStep(
            "Check the lender's letter line by line: the order of the lines is set by law, and credits such as "
            "refunds of GAP coverage or a service contract must come off.",
            "ucc-9-616",
            "UCC §9-616(c)",
        ),
    ]
    fair = [r for r in j.foreclosure if r.outcome.kind == "fair_value" and r.applies_to == "borrower"]
    if fair:
        rule = fair[0]
        asked = "ask the court" if rule.outcome.on_request else "make sure the court uses"
        steps.append(
            NextStep(
                f"After a foreclosure, {asked} the property's fair value, not only the sale price: {j.name}'s law "
                f"limits the deficiency by it. Watch the deadline on the timeline.",
                "",
                rule.source.cite,
                _cited(code, rule.id, rule.source, outcome_words(rule.outcome)),
            )
        )
    steps += [
        NextStep(
            "If your wages are garnished, claim the exemptions: federal law protects part of every paycheck, and "
            f"{j.name}'s own limits may protect more. The court's garnishment papers say how to claim them.",
            "15-usc-1673",
            "15 U.S.C. §1673",
        ),
        NextStep(
            "Negotiate: a lender may settle a deficiency for less, or agree to a payment plan. Get any agreement "
            "in writing before you pay.",
            "ftc-vehicle-repossession",
            "FTC: Vehicle Repossession",
        ),
        NextStep(
            "A bankruptcy discharge ends your personal liability for a deficiency, though not the lender's lien on "
            "property you keep.",
            "johnson-home-state-bank-1991",
            "Johnson v. Home State Bank",
        ),
        NextStep(
            f"Get free legal help: {j.name}'s legal-aid site and its bar's lawyer-referral service are below.",
            "",
            "",
        ),
    ]
    return tuple(steps)


def _more(code: str) -> tuple[tuple[str, tuple[Cited, ...]], ...]:
    j = jurisdiction(code)
    more: list[tuple[str, tuple[Cited, ...]]] = []
    others = [r for r in (*j.foreclosure, *j.repossession) if r.applies_to != "borrower"]
    if others:
        more.append(
            (
                "Guarantors and other claims",
                tuple(_cited(code, r.id, r.source, _rule_text(r, otherwise=False)) for r in others),
            )
        )
    one = j.one_action
    more.append(
        ("One-action rule", (_cited(code, "one_action", one.source, _info_text(one, "None recorded.")),))
    )
    more.append(("State minimum wage", (_cited(code, "minimum_wage", j.minimum_wage.source, _wage_text(j)),)))
    if j.topics:
        more.append(
            ("Other rules", tuple(_cited(code, f"topics.{t.key}", t.source, t.text or "") for t in j.topics))
        )
    return tuple(more)


def state_page(code: str) -> StatePage:
    """Everything a state's page says, for one jurisdiction (any case of postal code).

    Cached for the day (a minimum wage can change with the date): a page is asked for by its own
    page, the index, the pickers and the maps."""
    return _state_page(code.upper(), today())


@cache
def _state_page(code: str, _day: object) -> StatePage:
    j = jurisdiction(code)
    description = (
        f"{j.name}: can a lender collect a deficiency after a foreclosure or a car repossession, by when, how "
        f"much of your pay can be garnished, and what to do next. Every rule cited, with calculators."
    )
    return StatePage(
        code=j.code,
        name=j.name,
        slug=anchor(j.code),
        description=description,
        answers=(_home_answer(j.code), _car_answer(j.code), _pay_answer(j.code)),
        clocks=_clocks(j.code),
        steps=_steps(j.code),
        home=map_category(j.code),
        pay=pay_category(j.code),
        usual_sale=usual_sale(j.code),
        help=_help(j.code),
        more=_more(j.code),
    )


#: The national funder of civil legal aid, whose site finds the program for any address.
LSC = (
    "Legal Services Corporation: find the legal-aid program for where you live",
    "https://www.lsc.gov/",
    True,
)


def _help(code: str) -> tuple[tuple[str, str, bool], ...]:
    """The state's legal-aid site and a lawyer-referral service (the dataset's ``help``), then the
    Legal Services Corporation, which funds legal aid in every state."""
    from . import RAW

    found = RAW[code].get("help") or {}
    links = [
        (f"{found[key]['name']} ({what})", found[key]["url"], not found[key].get("unconfirmed", False))
        for key, what in (("legal_aid", "free legal aid"), ("lawyer_referral", "lawyer referral"))
        if key in found
    ]
    return (*links, LSC)


def all_pages() -> list[StatePage]:
    return [state_page(code) for code in CODES]
