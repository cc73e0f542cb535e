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
    expenses       = retaking + storage + reconditioning + sale_costs + attorney_fees
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
* no rebate of unearned interest is shown, neither in line 1 nor as a credit (§9-616(c)(1), (5));
* add-on products were bought but no refund of them is credited (CFPB supervisory findings);
* the sale price is under 75 % of the reader's estimate of the fair value (a threshold this
  calculator chooses to prompt a question; the law asks whether the sale was commercially
  reasonable, §9-610(b), §9-626, and §9-615(f) for sales to the lender or a related person);
* with a state chosen, a state rule that would leave no deficiency at all (a small-balance bar,
  say), from the state-law engine (:mod:`calculators.states.engine`): "bars" when it applies on
  the reader's answers, "may bar" with the conditions it needs when it depends on a fact the
  reader left "not sure" or on a rule below statute or case level.

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

from .domain import Step
from .fields import Output, OutputKind, choice, money, yes_no
from .money import ZERO, dollars
from .registry import Calculator
from .state_law import FACT_FIELDS, facts_from, reveal_facts
from .states import NAMES
from .states.engine import level_words, sale_cases

__all__ = ["CALCULATOR", "Check", "Flag", "check"]

#: Sale prices below this share of the reader's fair-value estimate are flagged (a prompt, not law).
LOW_PRICE_SHARE = Decimal("0.75")
_EXPENSE_LABELS = {
    "retaking": "Retaking (repossession)",
    "storage": "Holding (storage)",
    "reconditioning": "Preparing for sale (repairs, cleaning)",
    "sale_costs": "Selling (auction and sale fees)",
    "attorney_fees": "Attorney's fees",
}
_EXPENSES = tuple(_EXPENSE_LABELS)  # in UCC 9-615(a)(1)'s order
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
    flag: str
    detail: str
    source: str


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
    if r.difference > 0:
        flags.append(
            Flag(
                "The letter asks for more than its own lines add up to",
                f"The lines give {dollars(r.deficiency)}; the letter claims {dollars(r.deficiency + r.difference)}, "
                f"{dollars(r.difference)} more. Ask for the calculation in the order the law sets.",
                "UCC §9-616(c)",
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
        flags.append(
            Flag(
                "An expense may be counted twice",
                f"The difference equals the {_EXPENSE_LABELS[twice[0]].lower()} line exactly: it may already be "
                "in the amount owed and be added again.",
                "UCC §9-615(a)(1), §9-616(c)(4)",
            )
        )
    amounts = [amount for amount in expenses.values() if amount]
    if len(amounts) != len(set(amounts)):
        flags.append(
            Flag(
                "Two expense lines are the same amount",
                "Check that one charge is not listed under two types.",
                "UCC §9-616(c)(4)",
            )
        )
    if not rebate_included and not credits["interest_rebate"]:
        flags.append(
            Flag(
                "No rebate of unearned interest is shown",
                "If the contract's finance charge was added up front (a precomputed contract), the unearned part "
                "must be rebated: ask whether the amount owed reflects it.",
                "UCC §9-616(c)(1), (5)",
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
            )
        )
    return flags


def _state_flags(state: str, reader: Any) -> list[Flag]:
    """A flag for each state rule that would leave no deficiency after this repossession."""
    cases = sale_cases(state, "repossession", reader)
    barring = [c for c in cases if c.outcome.kind == "barred" and c.rule is not None]
    flags: list[Flag] = []
    seen: set[str] = set()
    for case in barring:
        rule = case.rule
        assert rule is not None
        if rule.id in seen:
            continue
        seen.add(rule.id)
        assumed = case.assumes(reader)
        certain = len(barring) == len(cases) and not assumed
        when = "It applies on your answers." if certain else f"It applies if {'; '.join(assumed)}."
        known = "" if rule.source.changes_figures else f" ({level_words(rule.source.level)})"
        flags.append(
            Flag(
                f"{NAMES[state]}'s law {'bars' if certain else 'may bar'} any deficiency",
                f"{rule.summary.rstrip('.')}. {when}{known}",
                rule.source.cite,
            )
        )
    return flags


def _compute(
    *,
    obligation: Decimal,
    rebate_included: bool,
    sale_proceeds: Decimal,
    retaking: Decimal,
    storage: Decimal,
    reconditioning: Decimal,
    sale_costs: Decimal,
    attorney_fees: Decimal,
    interest_rebate: Decimal,
    gap_refund: Decimal,
    service_contract_refund: Decimal,
    insurance_refund: Decimal,
    other_credits: Decimal,
    claimed_deficiency: Decimal,
    bought_addons: bool,
    fair_market_value: Decimal | None,
    state: str | None,
    loan_purpose: str,
    purchase_money: str,
    goods: str,
    original_amount: Decimal | None,
    amount_financed: Decimal | None,
) -> dict[str, Any]:
    expenses = dict(
        zip(_EXPENSES, (retaking, storage, reconditioning, sale_costs, attorney_fees), strict=True)
    )
    credits = dict(
        zip(
            _CREDITS,
            (interest_rebate, gap_refund, service_contract_refund, insurance_refund, other_credits),
            strict=True,
        )
    )
    r = check(
        obligation,
        sale_proceeds,
        expenses=tuple(expenses.values()),
        credits=tuple(credits.values()),
        claimed=claimed_deficiency,
    )
    flags = _flags(
        r,
        expenses,
        credits,
        rebate_included=rebate_included,
        bought_addons=bought_addons,
        sale_proceeds=sale_proceeds,
        fair_market_value=fair_market_value,
    )
    if state is not None:
        answers = {
            "loan_purpose": loan_purpose,
            "purchase_money": purchase_money,
            "goods": goods,
            "original_amount": original_amount,
            "amount_financed": amount_financed,
        }
        flags[:0] = _state_flags(state, facts_from(answers, unpaid=obligation))
    steps = [
        Step("1. Amount owed before the sale", obligation),
        Step("2. Sale proceeds", -sale_proceeds),
        *(Step(f"4. {_EXPENSE_LABELS[k]}", v) for k, v in expenses.items() if v),
        *(Step(f"5. {_CREDIT_LABELS[k]}", -v) for k, v in credits.items() if v),
    ]
    if r.surplus:
        steps.append(Step("6. Surplus owed to you", -r.surplus))
    if r.difference == 0:
        headline = f"The letter's {dollars(claimed_deficiency)} matches its own lines"
    elif r.difference > 0:
        headline = f"The letter claims {dollars(r.difference)} more than its lines add up to"
    else:
        headline = f"The letter claims {dollars(-r.difference)} less than its lines add up to"
    if not flags:
        flags.append(Flag("Nothing to flag", "The figures are consistent; keep the letter.", "UCC §9-616(c)"))
    return {
        "headline": headline,
        "computed_deficiency": r.deficiency,
        "surplus": r.surplus,
        "claimed_deficiency": claimed_deficiency,
        "difference": r.difference,
        "after_proceeds": r.after_proceeds,
        "total_expenses": r.expenses,
        "total_credits": r.credits,
        "steps": steps,
        "flags": flags,
    }


def _zero(name: str, label: str, help: str) -> Any:
    return money(name, label, default="0", help=help)


FIELDS = (
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
    choice(
        "state",
        "State",
        default="",
        required=False,
        remember=True,
        empty_label="No state rule",
        choices=NAMES,
        help="Where you live: some states bar a deficiency when the purchase was small.",
    ),
    *(
        FACT_FIELDS[name]
        for name in ("loan_purpose", "purchase_money", "goods", "original_amount", "amount_financed")
    ),
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
    ),
    compute=_compute,
    source="UCC §9-615(a), (d); §9-616(c); §9-610(b), §9-615(f), §9-626; CFPB Supervisory Highlights.",
    reveal=reveal_facts(
        ("repossession",),
        ("loan_purpose", "purchase_money", "goods", "original_amount", "amount_financed"),
        sale_field=None,
    ),
)
