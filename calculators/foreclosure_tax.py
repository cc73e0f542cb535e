"""Federal income tax results of a foreclosure or repossession: gain or loss and canceled-debt income.

A foreclosure, repossession or deed in lieu is treated as a sale of the
property (IRS Publication 4681, chapter 2). What counts as the amount realized
depends on whether the borrower was personally liable. The calculation follows
Pub. 4681's Table 1-1 worksheet line by line; every input is in cents, so no
rounding happens anywhere.

Recourse (Part 1, then Part 2 of the worksheet)::

    line 1  owed       = debt - debt_still_owed
    line 2  fair_market_value
    line 3  cancellation_of_debt_income = max(0, owed - fair_market_value)   # ordinary income
    line 4  min(owed, fair_market_value)
    line 6  amount_realized = line 4 + cash_received                        # line 5: cash received
    line 8  gain_or_loss    = amount_realized - adjusted_basis

Treas. Reg. §1.1001-2(a)(2) keeps the canceled part of a recourse debt out of
the amount realized; it is income from discharge of indebtedness instead.

Non-recourse (Part 2 only)::

    amount_realized = debt + cash_received         # the full debt, whatever the value
    cancellation_of_debt_income = 0

because disposing of property that secures a non-recourse liability discharges
that liability in full (Treas. Reg. §1.1001-2(a)(4)(i), (b);
Commissioner v. Tufts, 461 U.S. 300 (1983)).

Then, for both::

    deductible_loss = -gain_or_loss   if a loss and not personal-use property, else 0
    insolvency      = max(0, total_liabilities - total_assets)   # IRC §108(d)(3)
    excluded_income = min(cancellation_of_debt_income, insolvency)  # IRC §108(a)(1)(B)
    taxable_cancellation_income = cancellation_of_debt_income - excluded_income

Edge branches:

* ``gain_or_loss`` is the only signed result: negative for a loss.
* A loss on personal-use property (a home, a family car) is not deductible
  (IRC §165(c)); a gain on it is still a gain. A gain on a main home may be
  partly excludable under IRC §121, which is not modelled.
* ``debt_still_owed`` is the part of the debt the borrower stays personally
  liable for right after the transfer. It is not canceled by the transfer, so
  it is neither income nor part of the amount realized. If the lender forgives
  it later, that later cancellation is income then (Pub. 4681, chapter 2,
  recourse Example 1); this calculator does not include it. A non-recourse
  borrower is not personally liable, so ``debt_still_owed`` must be 0.
* The insolvency exclusion applies only when both totals are given, measured
  immediately before the cancellation.

Modelled: the insolvency exclusion only. Not modelled: the title 11 bankruptcy
exclusion, qualified principal residence indebtedness (with its dollar caps
and the dates it applies to), qualified farm indebtedness, qualified real
property business indebtedness, the reduction of tax attributes (Form 982),
the §121 home-sale exclusion, capital-loss limits and the character of the
gain, and state income tax.

>>> r = foreclosure_tax(Decimal("10000"), Decimal("9000"), Decimal("15000"), Recourse.FULL,
...                     debt_still_owed=Decimal("1000"))
>>> r.amount_realized, r.gain_or_loss, r.cancellation_of_debt_income
(Decimal('9000.00'), Decimal('-6000.00'), Decimal('0.00'))

Sources: IRS Publication 4681 (chapter 2 and Table 1-1); Treas. Reg.
§1.1001-2; Commissioner v. Tufts, 461 U.S. 300 (1983); IRC §108(a)(1)(B),
(d)(3); IRC §165(c).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from calckit.fields import InputError, Output, OutputKind, choice, money, yes_no
from calckit.money import ZERO, cents, dollars
from calckit.registry import Calculator

from .domain import Recourse, Step

__all__ = ["CALCULATOR", "NOT_MODELLED", "ForeclosureTax", "Recourse", "Step", "foreclosure_tax"]

#: Shown on the page next to the results, so no one mistakes the scope.
NOT_MODELLED = (
    "Only the insolvency exclusion is applied. Not modelled: the bankruptcy exclusion, qualified "
    "principal residence indebtedness (its caps and the years it applies to), qualified farm "
    "indebtedness, qualified real property business indebtedness, reduction of tax attributes "
    "(Form 982), the home-sale gain exclusion, capital-loss limits, and state tax."
)


@dataclass(frozen=True)
class ForeclosureTax:
    amount_realized: Decimal
    gain_or_loss: Decimal  # signed: negative is a loss
    deductible_loss: Decimal
    cancellation_of_debt_income: Decimal
    excluded_income: Decimal
    taxable_cancellation_income: Decimal
    steps: tuple[Step, ...]


def foreclosure_tax(
    debt: Decimal,
    fair_market_value: Decimal,
    adjusted_basis: Decimal,
    recourse: Recourse = Recourse.FULL,
    *,
    debt_still_owed: Decimal = ZERO,
    cash_received: Decimal = ZERO,
    personal_use: bool = True,
    total_liabilities: Decimal | None = None,
    total_assets: Decimal | None = None,
) -> ForeclosureTax:
    """Gain or loss and canceled-debt income from one foreclosure or repossession.

    Raises :class:`InputError` if ``debt_still_owed`` is more than ``debt`` or
    is not 0 for a non-recourse loan, or if only one of the insolvency totals
    is given.

    Non-recourse: the full debt is realized, even above the property's value
    (here 180,000 - 175,000 = 5,000 gain, and no canceled-debt income):

    >>> r = foreclosure_tax(Decimal("180000"), Decimal("170000"), Decimal("175000"), Recourse.NONE)
    >>> r.amount_realized, r.gain_or_loss, r.cancellation_of_debt_income
    (Decimal('180000.00'), Decimal('5000.00'), Decimal('0.00'))

    Insolvency caps the exclusion at the amount of insolvency (50,000 - 44,000 = 6,000):

    >>> r = foreclosure_tax(Decimal("180000"), Decimal("170000"), Decimal("175000"),
    ...                     total_liabilities=Decimal("50000"), total_assets=Decimal("44000"))
    >>> r.cancellation_of_debt_income, r.excluded_income, r.taxable_cancellation_income
    (Decimal('10000.00'), Decimal('6000.00'), Decimal('4000.00'))
    """
    if debt_still_owed > debt:
        raise InputError(
            "debt_still_owed",
            f"Debt still owed after the transfer must be no more than the debt before the transfer "
            f"({cents(debt):,}).",
        )
    if recourse is Recourse.NONE and debt_still_owed != 0:
        raise InputError(
            "debt_still_owed",
            "Debt still owed after the transfer must be 0 for a non-recourse loan: the borrower is not "
            "personally liable for it.",
        )
    if (total_liabilities is None) != (total_assets is None):
        missing, label, given = (
            ("total_assets", "Total assets", "total liabilities")
            if total_assets is None
            else ("total_liabilities", "Total liabilities", "total assets")
        )
        raise InputError(
            missing,
            f"{label} is required when {given} is given: enter both to apply the insolvency exclusion, "
            "or leave both empty.",
        )

    steps = [Step("Debt just before the transfer", debt)]
    if recourse is Recourse.FULL:
        owed = debt - debt_still_owed  # Table 1-1, line 1
        canceled = max(ZERO, owed - fair_market_value)  # line 3: ordinary income
        steps += [
            Step("Debt you stay personally liable for after the transfer", -debt_still_owed),
            # Treas. Reg. §1.1001-2(a)(2): the canceled excess is income, not amount realized.
            Step("Canceled debt above the property's value: ordinary income, not amount realized", -canceled),
        ]
        realized = min(owed, fair_market_value) + cash_received  # lines 4 to 6
    else:
        canceled = ZERO  # Treas. Reg. §1.1001-2(a)(4)(i); Tufts: the full debt is realized
        realized = debt + cash_received
    steps += [
        Step("Cash you received from the sale", cash_received),
        Step("Adjusted basis of the property", -adjusted_basis),
    ]
    gain_or_loss = realized - adjusted_basis  # line 8
    deductible = -gain_or_loss if gain_or_loss < 0 and not personal_use else ZERO  # IRC §165(c)

    excluded = ZERO
    if total_liabilities is not None and total_assets is not None:
        insolvency = max(ZERO, total_liabilities - total_assets)  # IRC §108(d)(3)
        excluded = min(canceled, insolvency)  # IRC §108(a)(1)(B), limited by §108(a)(3)

    # Inputs are whole cents, so cents() only fixes every result to two places; nothing is rounded.
    return ForeclosureTax(
        amount_realized=cents(realized),
        gain_or_loss=cents(gain_or_loss),
        deductible_loss=cents(deductible),
        cancellation_of_debt_income=cents(canceled),
        excluded_income=cents(excluded),
        taxable_cancellation_income=cents(canceled - excluded),
        steps=tuple(steps),
    )


def _compute(
    *,
    debt: Decimal,
    fair_market_value: Decimal,
    adjusted_basis: Decimal,
    recourse: str,
    debt_still_owed: Decimal,
    cash_received: Decimal,
    personal_use: bool,
    total_liabilities: Decimal | None,
    total_assets: Decimal | None,
) -> dict[str, Any]:
    r = foreclosure_tax(
        debt,
        fair_market_value,
        adjusted_basis,
        Recourse(recourse),
        debt_still_owed=debt_still_owed,
        cash_received=cash_received,
        personal_use=personal_use,
        total_liabilities=total_liabilities,
        total_assets=total_assets,
    )
    if r.gain_or_loss > 0:
        result = f"a {dollars(r.gain_or_loss)} gain"
    elif r.gain_or_loss < 0:
        result = f"a {dollars(-r.gain_or_loss)} loss" + ("" if r.deductible_loss else " (not deductible)")
    else:
        result = "no gain or loss"
    income = (
        f"{dollars(r.taxable_cancellation_income)} of taxable canceled-debt income"
        if r.taxable_cancellation_income
        else "no taxable canceled-debt income"
    )
    return {
        "headline": f"You report {result} and {income}",
        "amount_realized": r.amount_realized,
        "gain_or_loss": r.gain_or_loss,
        "deductible_loss": r.deductible_loss,
        "cancellation_of_debt_income": r.cancellation_of_debt_income,
        "excluded_income": r.excluded_income,
        "taxable_cancellation_income": r.taxable_cancellation_income,
        "steps": r.steps,
        "not_modelled": NOT_MODELLED,
    }


FIELDS = (
    money(
        "debt",
        "Debt before the transfer",
        default="180,000",
        minimum="1",
        help="The outstanding balance just before the foreclosure or repossession.",
    ),
    money(
        "fair_market_value",
        "Fair market value",
        default="170,000",
        help="What the property was worth when it was transferred (Form 1099-A, box 4, if you got one).",
    ),
    money(
        "adjusted_basis",
        "Adjusted basis",
        default="175,000",
        help="What you paid plus improvements, minus depreciation and casualty losses deducted.",
    ),
    choice(
        "recourse",
        "Recourse",
        default="full",
        choices={"full": "Recourse: personally liable", "none": "Non-recourse: not personally liable"},
        help="Whether you were personally liable for the debt (Form 1099-A, box 5).",
    ),
    money(
        "debt_still_owed",
        "Debt still owed after the transfer",
        default="0",
        help="The part of the debt you remain personally liable for right after the transfer.",
    ),
    money(
        "cash_received",
        "Cash received",
        default="0",
        help="Any sale proceeds paid to you.",
    ),
    yes_no(
        "personal_use",
        "Personal-use property",
        default="yes",
        help="Yes for a home or car used personally: a loss on it is not deductible.",
    ),
    money(
        "total_liabilities",
        "Total liabilities",
        default="",
        required=False,
        help="Everything you owed immediately before the cancellation, for the insolvency exclusion.",
    ),
    money(
        "total_assets",
        "Total assets",
        default="",
        required=False,
        help="The fair market value of everything you owned immediately before the cancellation.",
    ),
)

CALCULATOR = Calculator(
    name="foreclosure-tax",
    title="Foreclosure and repossession: federal income tax",
    summary="Amount realized, gain or loss, and canceled-debt income from a foreclosure or repossession, "
    "with the insolvency exclusion.",
    fields=FIELDS,
    outputs=(
        Output("headline", "In short", OutputKind.HEADLINE),
        Output("amount_realized", "Amount realized", OutputKind.MONEY),
        Output("gain_or_loss", "Gain or loss (negative is a loss)", OutputKind.MONEY),
        Output("deductible_loss", "Deductible loss", OutputKind.MONEY),
        Output("cancellation_of_debt_income", "Canceled-debt income", OutputKind.MONEY),
        Output("excluded_income", "Excluded by insolvency", OutputKind.MONEY),
        Output("taxable_cancellation_income", "Taxable canceled-debt income", OutputKind.MONEY),
        Output("steps", "From debt to gain or loss", OutputKind.STEPS),
        Output("not_modelled", "What this does not cover", OutputKind.PROSE),
    ),
    compute=_compute,
    source="IRS Publication 4681, chapter 2 and Table 1-1; Treas. Reg. §1.1001-2; Commissioner v. Tufts, "
    "461 U.S. 300 (1983); IRC §108(a)(1)(B), (d)(3).",
)
