"""Check a lender's deficiency letter line by line, in the order UCC §9-616(c) sets for it.

After a repossession sale of consumer goods, the explanation of a deficiency must state, in this
order (UCC §9-616(c)):

1. the aggregate obligation secured, with an indication if it reflects a rebate of unearned
   interest or credit service charge, as of a stated date;
2. the proceeds of the disposition;
3. the obligation after deducting the proceeds;
4. the expenses, in the aggregate or by type (retaking, holding, preparing, processing and
   disposing of the collateral, and attorney's fees secured by the collateral);
5. the credits to which the obligor is known to be entitled and which are not reflected in (1),
   such as rebates of interest or credit service charges;
6. the surplus or deficiency.

This calculator takes the letter's figures in that order and recomputes its bottom line, as
UCC §9-615(a) and (d) apply the proceeds (expenses first, then the debt)::

    after_proceeds = obligation - sale_proceeds                     # line 3 (may be negative)
    expenses       = retaking + storage + reconditioning + sale_costs + attorney_fees + other_expenses
    credits        = interest_rebate + gap_refund + service_contract_refund
                     + insurance_refund + other_credits
    balance        = after_proceeds + expenses - credits
    deficiency     = max(0, balance);  surplus = max(0, -balance)     # line 6
    difference     = claimed_deficiency - deficiency                 # the letter less the arithmetic

Every input is in whole cents, so nothing is rounded.

Then it flags what a reader should ask about, each with its source:

* the letter's figure differs from the arithmetic;
* the difference equals one of the expenses (it may be counted twice), or two expense lines
  are equal (the same charge listed twice);
* a charge that is not an expense of retaking, holding, preparing or selling the collateral
  (``other_expenses``: a "collection fee", say), which §9-615(a)(1) does not list;
* the expenses of retaking, holding, preparing and selling exceed what the sale brought in: the
  repossession added to the debt, which the court in *First Fidelity Acceptance Corp. v. Hutchins*,
  315 N.J. Super. 201 (Law Div. 1998), singled out in exactly these terms;
* no rebate of unearned interest is shown, neither in line 1 nor as a credit (§9-616(c)(1), (5));
* add-on products were bought but no refund of them is credited (CFPB supervisory findings);
* the sale price is under 75 % of the reader's estimate of the fair value (a threshold this
  calculator chooses to prompt a question; the law asks whether the sale was commercially
  reasonable, §9-610(b), §9-626, and §9-615(f) for sales to the lender or a related person);
* with a state chosen, a state rule that would leave no deficiency at all (a small-balance bar,
  say), from the state-law engine (:mod:`calculators.states.engine`): "bars" when it applies on
  the reader's answers, "may bar" with the conditions it needs when it depends on a fact the
  reader left "not sure" or on a rule below statute or case level.

The headline leads with the strongest finding: a state rule that bars the whole deficiency (or
may, with what it needs and how well the rule is known) comes before any difference in the lines.

It also writes two letters (:mod:`calculators.letters`) from the reader's own figures and details:
``request_letter`` asks for the §9-616 explanation; ``dispute_letter`` sets the letter's figures
against the arithmetic in §9-616(c) order, with every flag and every state rule that could lower
the deficiency, each cited. What the reader did not enter is a marked blank.

Not checked: whether the interest and charges in line 1 are right, the sale's notice (§9-611), and
the deficiency's effect on taxes.

>>> r = check(Decimal("12000"), Decimal("6000"), expenses=(Decimal("400"), Decimal("0"), Decimal("0"),
...           Decimal("300"), Decimal("0")), credits=(Decimal("0"), Decimal("500"), Decimal("0"),
...           Decimal("0"), Decimal("0")), claimed=Decimal("6600"))
>>> r.deficiency, r.difference             # 12,000 - 6,000 + 700 - 500 = 6,200; letter 6,600
(Decimal('6200.00'), Decimal('400.00'))
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from calckit.fields import Output, OutputKind, choice, date, money, text, yes_no
from calckit.money import ZERO, dollars
from calckit.registry import Calculator

from .domain import Step
from .letters import Details, Line, Point, dispute_letter, first_person, if_clause, request_letter
from .state_law import FACT_FIELDS, Decision, decide, facts_from, reveal_facts
from .states import NAMES, jurisdiction
from .states.engine import Case, level_words, recoverable, sale_cases

__all__ = ["CALCULATOR", "Check", "Flag", "check"]

#: Sale prices below this share of the reader's fair-value estimate are flagged (a prompt, not law).
LOW_PRICE_SHARE = Decimal("0.75")
_EXPENSE_LABELS = {
    "retaking": "Retaking (repossession)",
    "storage": "Holding (storage)",
    "reconditioning": "Preparing for sale (repairs, cleaning)",
    "sale_costs": "Selling (auction and sale fees)",
    "attorney_fees": "Attorney's fees",
    "other_expenses": "Other charges",
}
_EXPENSES = tuple(_EXPENSE_LABELS)  # in UCC 9-615(a)(1)'s order, then what it does not list
#: The costs of the repossession and sale itself (not attorney's fees or other charges).
_SALE_COSTS = ("retaking", "storage", "reconditioning", "sale_costs")
_CREDIT_LABELS = {
    "interest_rebate": "Rebate of unearned interest or finance charge",
    "gap_refund": "Refund of GAP coverage",
    "service_contract_refund": "Refund of a service contract",
    "insurance_refund": "Refund of credit insurance",
    "other_credits": "Other credits",
}
_CREDITS = tuple(_CREDIT_LABELS)


@dataclass(frozen=True)
class Flag:
    """One thing to ask about: for the reader (``flag``, ``detail``), its ``source``, and, when the
    dispute letter should raise it, the same point put to the lender (``ask``)."""

    flag: str
    detail: str
    source: str
    ask: str | None = None


@dataclass(frozen=True)
class Check:
    after_proceeds: Decimal
    expenses: Decimal
    credits: Decimal
    deficiency: Decimal
    surplus: Decimal
    difference: Decimal


def check(
    obligation: Decimal,
    sale_proceeds: Decimal,
    *,
    expenses: tuple[Decimal, ...],
    credits: tuple[Decimal, ...],
    claimed: Decimal,
) -> Check:
    """The letter's bottom line recomputed from its own lines; see the module docstring."""
    after = obligation - sale_proceeds
    spent = sum(expenses, ZERO)
    credited = sum(credits, ZERO)
    balance = after + spent - credited
    deficiency = max(ZERO, balance)
    return Check(after, spent, credited, deficiency, max(ZERO, -balance), claimed - deficiency)


def _flags(
    r: Check,
    expenses: dict[str, Decimal],
    credits: dict[str, Decimal],
    *,
    rebate_included: bool,
    bought_addons: bool,
    sale_proceeds: Decimal,
    fair_market_value: Decimal | None,
) -> list[Flag]:
    flags: list[Flag] = []
    claimed = r.deficiency + r.difference
    if r.difference > 0:
        flags.append(
            Flag(
                "The letter asks for more than its own lines add up to",
                f"The lines give {dollars(r.deficiency)}; the letter claims {dollars(claimed)}, "
                f"{dollars(r.difference)} more. Ask for the calculation in the order the law sets.",
                "UCC §9-616(c)",
                f"Your letter claims {dollars(claimed)}, {dollars(r.difference)} more than its own lines add up "
                "to; please show how you reached that figure",
            )
        )
    elif r.difference < 0:
        flags.append(
            Flag(
                "The letter claims less than its lines add up to",
                f"The lines give {dollars(r.deficiency)}, {dollars(-r.difference)} more than the letter claims: "
                "check that every line was entered as the letter states it.",
                "UCC §9-616(c)",
            )
        )
    twice = [name for name, amount in expenses.items() if amount and amount == r.difference]
    if twice:
        label = _EXPENSE_LABELS[twice[0]].lower()
        flags.append(
            Flag(
                "An expense may be counted twice",
                f"The difference equals the {label} line exactly: it may already be in the amount owed and be "
                "added again.",
                "UCC §9-615(a)(1), §9-616(c)(4)",
                f"The difference equals your {label} line exactly; please confirm that this charge is not already "
                "in the amount owed and added again",
            )
        )
    amounts = [amount for amount in expenses.values() if amount]
    if len(amounts) != len(set(amounts)):
        flags.append(
            Flag(
                "Two expense lines are the same amount",
                "Check that one charge is not listed under two types.",
                "UCC §9-616(c)(4)",
                "Two of your expense lines are the same amount; please confirm that one charge is not listed "
                "under two types",
            )
        )
    if expenses["other_expenses"]:
        other = dollars(expenses["other_expenses"])
        flags.append(
            Flag(
                "A charge that is not a cost of the sale",
                f"{other} is charged as something other than retaking, holding, preparing or selling the "
                "collateral or attorney's fees. The proceeds pay those expenses first; ask what this charge is "
                "and what allows it.",
                "UCC §9-615(a)(1)",
                f"You charge {other} that is not an expense of retaking, holding, preparing or selling the "
                "collateral, or attorney's fees; please say what it is and what allows it",
            )
        )
    spent_on_sale = sum((expenses[k] for k in _SALE_COSTS), ZERO)
    if spent_on_sale > sale_proceeds:
        added = dollars(spent_on_sale - sale_proceeds)
        flags.append(
            Flag(
                "The repossession cost more than the sale brought in",
                f"Retaking, storing, preparing and selling cost {dollars(spent_on_sale)}; the sale brought in "
                f"{dollars(sale_proceeds)}, so the repossession added {added} to what you owe. Every aspect of "
                "the sale must be commercially reasonable, and a court pointed to this very pattern when it "
                "reviewed a deficiency claim (First Fidelity Acceptance Corp. v. Hutchins, 315 N.J. Super. 201 "
                "(Law Div. 1998)).",
                "UCC §9-610(b), §9-615(a)(1)",
                f"Retaking, storing, preparing and selling cost {dollars(spent_on_sale)}, more than the "
                f"{dollars(sale_proceeds)} the sale brought in, so the repossession added {added} to the debt; "
                "please explain how that sale was commercially reasonable",
            )
        )
    if not rebate_included and not credits["interest_rebate"]:
        flags.append(
            Flag(
                "No rebate of unearned interest is shown",
                "If the contract's finance charge was added up front (a precomputed contract), the unearned part "
                "must be rebated: ask whether the amount owed reflects it.",
                "UCC §9-616(c)(1), (5)",
                "Your letter shows no rebate of unearned interest or credit service charge; please state whether "
                "the amount owed reflects one",
            )
        )
    refunds = credits["gap_refund"] + credits["service_contract_refund"] + credits["insurance_refund"]
    if bought_addons and not refunds:
        flags.append(
            Flag(
                "No refund of cancelled add-ons is credited",
                "GAP coverage, a service contract or credit insurance bought with the loan can usually be cancelled "
                "for a pro rata refund that reduces the deficiency; regulators found servicers that did not credit it.",
                "CFPB Supervisory Highlights (2019; auto finance special edition, 2024)",
                "I bought add-on products with the loan (GAP coverage, a service contract or credit insurance), and "
                "no refund of their unearned part is credited; please credit it, or say why none is due "
                "(UCC §9-616(c)(5))",
            )
        )
    if fair_market_value is not None and sale_proceeds < fair_market_value * LOW_PRICE_SHARE:
        flags.append(
            Flag(
                "The sale price is far below your estimate of its value",
                f"{dollars(sale_proceeds)} is under 75% of {dollars(fair_market_value)}. Ask how the sale was run: "
                "a sale that was not commercially reasonable can reduce or eliminate the deficiency, and a sale to the "
                "lender or a related buyer at a price far below the usual range is measured by what a proper sale "
                "would have brought.",
                "UCC §9-610(b), §9-615(f), §9-626",
                f"The sale brought {dollars(sale_proceeds)}, under 75% of the {dollars(fair_market_value)} I estimate "
                "the car was worth; please say how and to whom it was sold, and whether the buyer is related to you",
            )
        )
    # The most consequential first: what could end or cut the deficiency, then what may be overcharged.
    order = [
        "The letter asks for more",
        "The letter claims less",
        "The sale price is far below",
        "The repossession cost more",
        "An expense may be counted twice",
        "A charge that is not",
        "Two expense lines",
        "No refund of cancelled",
        "No rebate",
    ]
    return sorted(flags, key=lambda f: next(i for i, start in enumerate(order) if f.flag.startswith(start)))


@dataclass(frozen=True)
class _StateFinding:
    """What the state's law does to this deficiency: the flags that could end it, the letter's
    points, and the strongest bar for the headline (``None`` if no rule could end it)."""

    flags: list[Flag]
    points: list[Point]
    bar: tuple[bool, Case] | None  # (certain, the barring case)


def _state_finding(
    state: str,
    reader: Any,
    r: Check,
    *,
    obligation: Decimal,
    sale_proceeds: Decimal,
    fair_market_value: Decimal | None,
) -> _StateFinding:
    """The state's rules after this repossession, from the state-law engine.

    A flag for each rule that would leave no deficiency ("bars" when it applies on the reader's
    answers and is known at statute or case level, "may bar" with what it needs otherwise); the
    letter's points are the engine's conditions that would lower the figure, each lender's
    deadline included, with citations and how well each is known.
    """
    cases = sale_cases(state, "repossession", reader)
    total_claim = obligation + r.expenses - r.credits

    def exposure(case: Case) -> Decimal:
        return recoverable(
            case.outcome,
            gross=r.deficiency,
            total_claim=total_claim,
            sale_price=sale_proceeds,
            value=fair_market_value,
        )

    decision: Decision = decide(
        state, "repossession", reader, cases, exposure, value_given=fair_market_value is not None
    )
    barring = [c for c in cases if c.outcome.kind == "barred" and c.rule is not None]
    flags: list[Flag] = []
    seen: set[str] = set()
    bar: tuple[bool, Case] | None = None
    for case in barring:
        rule = case.rule
        assert rule is not None
        if rule.id in seen:
            continue
        seen.add(rule.id)
        assumed = case.assumes(reader)
        certain = len(barring) == len(cases) and not assumed
        if bar is None or (certain and not bar[0]):
            bar = (certain, case)
        when = "It applies on your answers." if certain else f"It applies if {'; '.join(assumed)}."
        known = "" if rule.source.changes_figures else f" ({level_words(rule.source.level)})"
        flags.append(
            Flag(
                f"{NAMES[state]}'s law {'bars' if certain else 'may bar'} any deficiency",
                f"{rule.summary.rstrip('.')}. {when}{known}",
                rule.source.cite,
            )
        )
    # A rule below statute level stands in its own conditions as "this rule is the law", in the
    # words of its summary; the letter says that in its own note (Point.confirmed), not as a condition.
    summaries = {rule.summary.rstrip(".") for rule in jurisdiction(state).repossession}
    points = []
    for row in decision.conditions:
        parts = [p for p in row.condition.split("; ") if p.rstrip(".") not in summaries]
        clause = if_clause(parts or row.condition.split("; "))
        points.append(
            Point(
                first_person(clause[:1].upper() + clause[1:]),
                f"I would owe {row.amount}",
                row.citation,
                confirmed=row.level in ("statute", "case"),
            )
        )
    rule = decision.case.rule
    if rule is not None and decision.case.outcome.kind == "barred":
        # The highest case is itself a bar: on the reader's answers no deficiency is owed.
        points.insert(
            0,
            Point(
                first_person(rule.summary.rstrip(".")),
                "so no deficiency can be collected from me",
                rule.source.cite,
                confirmed=rule.source.changes_figures,
            ),
        )
    elif rule is not None and not points:
        points.append(
            Point(
                "The rule that applies",
                first_person(rule.summary.rstrip(".")),
                rule.source.cite,
                confirmed=rule.source.changes_figures,
            )
        )
    return _StateFinding(flags, points, bar)


def _headline(
    r: Check, claimed: Decimal, state: str | None, bar: tuple[bool, Case] | None, flags: list[Flag]
) -> str:
    """The strongest finding first: a state bar on the whole deficiency, then the arithmetic, then
    the first thing to ask about."""
    if r.difference == 0:
        lines = f"the letter's {dollars(claimed)} matches its own lines"
    elif r.difference > 0:
        lines = f"the letter claims {dollars(r.difference)} more than its lines add up to"
    else:
        lines = f"the letter claims {dollars(-r.difference)} less than its lines add up to"
    if r.surplus > 0:
        lines = (
            f"the letter's own lines leave a surplus of {dollars(r.surplus)} owed to you, not a deficiency"
        )
    others = [f for f in flags if not f.flag.startswith("The letter")]
    if bar is None or state is None or claimed <= 0:
        if others:
            count = "1 point" if len(others) == 1 else f"{len(others)} points"
            first = others[0].flag[:1].lower() + others[0].flag[1:]
            lines += f"; ask about {count}, first: {first}"
        return lines[:1].upper() + lines[1:]
    certain, case = bar
    rule = case.rule
    assert rule is not None
    name = NAMES[state]
    if certain:
        return f"{name}'s law bars any deficiency on your answers ({rule.source.cite}): you may owe none of the {dollars(claimed)} claimed"
    known = "" if rule.source.changes_figures else f"; {level_words(rule.source.level)}"
    also = f" Also, {lines}." if r.difference else ""
    return f"{name}'s law may bar the whole deficiency ({rule.source.cite}{known}): see what it needs below.{also}"


def _compute(**values: Any) -> dict[str, Any]:
    obligation: Decimal = values["obligation"]
    sale_proceeds: Decimal = values["sale_proceeds"]
    claimed: Decimal = values["claimed_deficiency"]
    fair_market_value: Decimal | None = values["fair_market_value"]
    state: str | None = values["state"]
    expenses = {k: values[k] for k in _EXPENSES}
    credits = {k: values[k] for k in _CREDITS}
    r = check(
        obligation,
        sale_proceeds,
        expenses=tuple(expenses.values()),
        credits=tuple(credits.values()),
        claimed=claimed,
    )
    flags = _flags(
        r,
        expenses,
        credits,
        rebate_included=values["rebate_included"],
        bought_addons=values["bought_addons"],
        sale_proceeds=sale_proceeds,
        fair_market_value=fair_market_value,
    )
    finding = None
    if state is not None:
        reader = facts_from({k: values[k] for k in _FACTS}, unpaid=obligation)
        finding = _state_finding(
            state,
            reader,
            r,
            obligation=obligation,
            sale_proceeds=sale_proceeds,
            fair_market_value=fair_market_value,
        )
    points = [Point(f.ask, "", f.source) for f in flags if f.ask]
    own_flags = list(flags)
    if finding:
        flags[:0] = finding.flags
    steps = [
        Step("1. Amount owed before the sale", obligation),
        Step("2. Sale proceeds", -sale_proceeds),
        *(Step(f"4. {_EXPENSE_LABELS[k]}", v) for k, v in expenses.items() if v),
        *(Step(f"5. {_CREDIT_LABELS[k]}", -v) for k, v in credits.items() if v),
    ]
    if r.surplus:
        steps.append(Step("6. Surplus owed to you", -r.surplus))
    if not flags:
        flags.append(Flag("Nothing to flag", "The figures are consistent; keep the letter.", "UCC §9-616(c)"))
    details = Details(
        name=values["your_name"],
        address=values["your_address"],
        lender=values["lender"],
        account=values["account"],
        collateral=values["collateral"],
        sale_date=values["sale_date"],
        letter_date=values["letter_date"],
        state=NAMES[state] if state else None,
        business=values["loan_purpose"] == "business",
    )
    lines = [
        Line("1", "Amount owed before the sale", obligation, obligation),
        Line("2", "Sale proceeds", sale_proceeds, sale_proceeds),
        Line("3", "Owed after the sale proceeds", None, r.after_proceeds),
        Line(
            "4",
            "Expenses",
            None,
            r.expenses,
            tuple((_EXPENSE_LABELS[k], v) for k, v in expenses.items() if v),
        ),
        Line(
            "5",
            "Credits",
            None,
            r.credits,
            tuple((_CREDIT_LABELS[k], v) for k, v in credits.items() if v),
        ),
        Line("6", "Deficiency", claimed, r.deficiency),
    ]
    return {
        "headline": _headline(r, claimed, state, finding.bar if finding else None, own_flags),
        "computed_deficiency": r.deficiency,
        "surplus": r.surplus,
        "claimed_deficiency": claimed,
        "difference": r.difference,
        "after_proceeds": r.after_proceeds,
        "total_expenses": r.expenses,
        "total_credits": r.credits,
        "steps": steps,
        "flags": flags,
        "request_letter": request_letter(details),
        "dispute_letter": dispute_letter(
            details,
            lines,
            points,
            finding.points if finding else (),
            claimed=claimed,
            deficiency=r.deficiency,
            surplus=r.surplus,
        ),
    }


#: The state-law questions this calculator asks (state_law.FACT_FIELDS), each only where it matters.
_FACTS = ("loan_purpose", "purchase_money", "goods", "original_amount", "amount_financed")


def _zero(name: str, label: str, help: str) -> Any:
    return money(name, label, default="0", help=help)


FIELDS = (
    choice(
        "state",
        "State",
        default="",
        required=False,
        remember=True,
        empty_label="No state rule",
        choices=NAMES,
        help="Where you live: some states bar any deficiency after a repossession, for example when the "
        "purchase was small.",
    ),
    money(
        "obligation",
        "1. Amount owed before the sale",
        default="14,000",
        minimum="1",
        help="The letter's first line: everything the loan secured, as of the date it states.",
    ),
    yes_no(
        "rebate_included",
        "That amount already reflects a rebate of unearned interest",
        default="no",
        help="The letter must say so if it does (UCC 9-616(c)(1)).",
    ),
    money("sale_proceeds", "2. Sale proceeds", default="7,500", help="What the sale brought in."),
    money("retaking", "4. Retaking (repossession)", default="450", help="The cost of taking the car back."),
    money("storage", "4. Holding (storage)", default="300", help="Storage or lot fees until the sale."),
    money(
        "reconditioning", "4. Preparing for sale", default="600", help="Repairs, cleaning and similar costs."
    ),
    money("sale_costs", "4. Selling", default="350", help="Auction or other selling fees."),
    _zero("attorney_fees", "4. Attorney's fees", "Only if the contract allows them."),
    _zero("interest_rebate", "5. Rebate of unearned interest", "A credit the letter lists separately."),
    _zero("gap_refund", "5. GAP refund", "The refund of GAP coverage you bought with the loan."),
    _zero("service_contract_refund", "5. Service-contract refund", "An extended warranty's unused part."),
    _zero(
        "insurance_refund", "5. Credit-insurance refund", "Credit life or disability insurance's unused part."
    ),
    _zero("other_credits", "5. Other credits", "Any other credit the letter shows."),
    money(
        "claimed_deficiency",
        "6. Deficiency the letter claims",
        default="8,500",
        help="The letter's bottom line: what the lender says you still owe.",
    ),
    yes_no(
        "bought_addons",
        "You bought GAP, a service contract or credit insurance with the loan",
        default="yes",
        help="If yes, a refund of the unused part should be credited.",
    ),
    money(
        "fair_market_value",
        "Your estimate of the car's value",
        default="",
        required=False,
        help="Optional: a price guide's value on the sale date, to compare with the sale price.",
    ),
    money(
        "other_expenses",
        "4. Other charges",
        default="0",
        help="Anything else the letter adds, such as a collection or investigation fee.",
    ),
    *(
        FACT_FIELDS[name]
        for name in ("loan_purpose", "purchase_money", "goods", "original_amount", "amount_financed")
    ),
    text(
        "your_name",
        "For the letters: your name",
        help="Optional, as for every field below: what you leave empty becomes a marked blank. Your details "
        "stay on this device; they are never put in the page's address or a share link.",
        personal=True,
    ),
    text(
        "your_address",
        "Your mailing address",
        help="Street, city, state and ZIP, on one line.",
        personal=True,
    ),
    text(
        "lender",
        "Lender's name and address",
        help="As its letter gives them: who to send your letter to.",
    ),
    text("account", "Account number", help="As the lender's letter shows it.", max_length=40, personal=True),
    text(
        "collateral",
        "What was repossessed",
        help="Year, make and model, and the VIN if you have it.",
        personal=True,
    ),
    date("sale_date", "Date of the sale", help="When the lender sold it, as its letter says."),
    date("letter_date", "Date of the lender's letter", help="The letter that claims the deficiency."),
)


CALCULATOR = Calculator(
    name="deficiency-check",
    title="Check a deficiency letter",
    summary="Recomputes a lender's deficiency letter in the order UCC §9-616(c) sets, and flags what to ask about.",
    fields=FIELDS,
    outputs=(
        Output("headline", "In short", OutputKind.HEADLINE),
        Output("computed_deficiency", "Deficiency by the letter's own lines", OutputKind.MONEY),
        Output("surplus", "Surplus owed to you", OutputKind.MONEY),
        Output("claimed_deficiency", "Deficiency the letter claims", OutputKind.MONEY),
        Output("difference", "Letter minus the arithmetic", OutputKind.MONEY),
        Output("after_proceeds", "3. Owed after the sale proceeds", OutputKind.MONEY),
        Output("total_expenses", "4. Expenses in all", OutputKind.MONEY),
        Output("total_credits", "5. Credits in all", OutputKind.MONEY),
        Output("steps", "The letter, line by line", OutputKind.STEPS),
        Output(
            "flags",
            "What to ask about",
            OutputKind.ROWS,
            expanded=True,
            columns=(
                ("flag", "Flag", OutputKind.TEXT),
                ("detail", "Why", OutputKind.TEXT),
                ("source", "Source", OutputKind.TEXT),
            ),
        ),
        Output(
            "request_letter",
            "Letter 1: ask for the lender's explanation",
            OutputKind.LETTER,
            help="Send it signed, after the sale, and keep a copy and proof of when it was sent (certified mail "
            "with a return receipt, say). The lender has 14 days from receiving it.",
        ),
        Output(
            "dispute_letter",
            "Letter 2: dispute the figures",
            OutputKind.LETTER,
            help="Built from the figures above and every flag, with the state's rules if you chose a state. Read "
            "it through and remove anything that does not fit your case before you send it.",
        ),
    ),
    compute=_compute,
    source="UCC §9-615(a), (d); §9-616; §9-625(b), (e)(6); §9-610(b), §9-615(f), §9-626; CFPB Supervisory "
    "Highlights; First Fidelity Acceptance Corp. v. Hutchins, 315 N.J. Super. 201 (Law Div. 1998).",
    reveal=reveal_facts(
        ("repossession",),
        _FACTS,
        sale_field=None,
    ),
)
