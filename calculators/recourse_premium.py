"""Is a non-recourse loan worth its higher rate? An expected-value comparison.

Cost: the non-recourse loan's level payment is higher by
``extra = exact_payment(L, non_recourse_rate, n) - exact_payment(L, recourse_rate, n)``,
the difference of the *exact* annuity payments
(:func:`calculators.amortization.exact_payment`). The payments shown are the
rounded-up cent amounts a lender would bill; the comparison uses the exact
ones, because on a small loan the cent rounding alone would otherwise decide
the verdict (a $1 loan pays 0.01 a month at either rate). Its present value
at the monthly discount rate ``j = discount_rate / 1200``, with
``v = 1 / (1 + j)``, is the annuity value (``numpy_financial.pv``)::

    pv_extra_interest = extra * (1 - v**n) / j        (j > 0)
    pv_extra_interest = extra * n                     (j = 0)

Benefit: with full recourse, a default leaves the borrower owing the
deficiency ``D``; non-recourse removes it. Default is a constant monthly
hazard ``q`` equivalent to the annual probability ``p``,
``q = 1 - (1 - p) ** (1/12)``, so default happens in month ``t`` with
probability ``(1 - q) ** (t - 1) * q`` (it has not happened before). The
deficiency avoided is discounted from the month of default::

    pv_protection = D * sum_{t=1..n} (1 - q)**(t-1) * q * v**t
                  = D * q * v * (1 - x**n) / (1 - x),   x = (1 - q) * v

(``0`` when ``q = 0``). The deficiency ``D`` must be at most the loan amount: a
deficiency is what is left of the debt after a sale, so it cannot exceed what
was borrowed (costs of sale aside). Both present values are rounded half-up to cents only
for display; comparisons and the break-even use the unrounded values.

Break-even: ``pv_protection`` grows with ``p`` (defaults become likelier and
earlier), from 0 at ``p = 0`` to ``D * v`` at ``p = 100 %`` (certain default in
month 1). The annual ``p`` at which it equals ``pv_extra_interest`` is found by
bisection on ``q`` (50 halvings of [0, 1], then ``p = 1 - (1 - q) ** 12``),
reported as a percent with 4 decimals, or ``"n/a"`` when even ``p = 100 %``
falls short (``D * v < pv_extra_interest``).

Model assumptions, all simplifications: a constant default hazard for the
whole term; the same deficiency ``D`` whenever default happens (the
underwater calculator shows how it really moves over time); no prepayment or
refinancing; the extra payments are counted for the full term even though
a defaulting borrower stops paying (slightly overstating the cost); the
deficiency under recourse is assumed to be collected in full, at once, at
default (in practice it may be negotiated, discharged in bankruptcy or
collected slowly by garnishment); the same default probability for both
loans (Ghent & Kudlyak 2011 found borrowers default more often where loans
are non-recourse); taxes, credit-score damage and risk aversion are ignored.
It is an expected value: a borrower who cannot afford a deficiency at all may
rationally pay more than break-even for the protection.

>>> r = premium(Decimal("100000"), 12, Decimal("6"), Decimal("6"), annual_default_probability=Decimal("5"),
...             expected_deficiency=Decimal("10000"), discount_rate=Decimal("0"))
>>> cents(r.pv_extra_interest), r.break_even           # equal rates: protection is free
(Decimal('0.00'), Decimal('0'))
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from calckit.fields import InputError, Output, OutputKind, integer, money, percent
from calckit.money import WIDE, cents, dollars, percent_str
from calckit.registry import Calculator

from .amortization import exact_payment, level_payment
from .domain import Step

__all__ = ["CALCULATOR", "Premium", "discounted_default_value", "monthly_hazard", "premium"]

_ZERO = Decimal(0)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)
#: Halvings of the hazard interval [0, 1]: 2**-50 is far below the 4 reported decimals.
BISECTION_STEPS = 50


@dataclass(frozen=True)
class Premium:
    recourse_payment: Decimal
    non_recourse_payment: Decimal
    monthly_hazard: Decimal  # fraction, not percent
    cumulative_default: Decimal  # fraction defaulting within the term
    pv_extra_interest: Decimal  # unrounded
    pv_protection: Decimal  # unrounded
    break_even: Decimal | None  # annual probability as a fraction; None when out of reach


def monthly_hazard(annual_probability: Decimal) -> Decimal:
    """The constant monthly hazard ``1 - (1 - p) ** (1/12)`` for an annual fraction ``p``.

    >>> round(1 - (1 - monthly_hazard(Decimal("0.1"))) ** 12, 20)
    Decimal('0.10000000000000000000')
    """
    if annual_probability <= 0:
        return _ZERO
    if annual_probability >= 1:
        return _ONE
    survive = WIDE.exp(WIDE.divide(WIDE.ln(WIDE.subtract(_ONE, annual_probability)), Decimal(12)))
    return WIDE.subtract(_ONE, survive)


def discounted_default_value(hazard: Decimal, v: Decimal, term_months: int) -> Decimal:
    """``sum_{t=1..n} (1-q)**(t-1) * q * v**t`` in closed form: what 1 dollar owed at default is worth today.

    >>> discounted_default_value(Decimal("0.5"), Decimal("1"), 2)    # 0.5 + 0.25
    Decimal('0.75')
    """
    if hazard == 0:
        return _ZERO
    x = WIDE.multiply(WIDE.subtract(_ONE, hazard), v)
    tail = WIDE.subtract(_ONE, WIDE.power(x, term_months))
    return WIDE.divide(WIDE.multiply(WIDE.multiply(hazard, v), tail), WIDE.subtract(_ONE, x))


def _annuity_factor(j: Decimal, term_months: int) -> Decimal:
    if j == 0:
        return Decimal(term_months)
    v_n = WIDE.divide(_ONE, WIDE.power(WIDE.add(_ONE, j), term_months))
    return WIDE.divide(WIDE.subtract(_ONE, v_n), j)


def _break_even(target: Decimal, deficiency: Decimal, v: Decimal, term_months: int) -> Decimal | None:
    """The annual default probability (fraction) at which protection is worth ``target``."""
    if target <= 0:
        return _ZERO
    if WIDE.multiply(deficiency, v) < target:
        return None  # even default in month 1 for certain is worth less than the extra interest
    lo, hi = _ZERO, _ONE
    for _ in range(BISECTION_STEPS):
        mid = WIDE.divide(WIDE.add(lo, hi), Decimal(2))
        if WIDE.multiply(deficiency, discounted_default_value(mid, v, term_months)) < target:
            lo = mid
        else:
            hi = mid
    return WIDE.subtract(_ONE, WIDE.power(WIDE.subtract(_ONE, hi), 12))


def premium(
    loan_amount: Decimal,
    term_months: int,
    recourse_rate: Decimal,
    non_recourse_rate: Decimal,
    *,
    annual_default_probability: Decimal,
    expected_deficiency: Decimal,
    discount_rate: Decimal,
) -> Premium:
    """Compare the extra interest of a non-recourse loan with the deficiency it avoids.

    Rates and the probability are percent numbers. See the module docstring.

    >>> r = premium(Decimal("1000"), 1, Decimal("0"), Decimal("12"), annual_default_probability=Decimal("100"),
    ...             expected_deficiency=Decimal("500"), discount_rate=Decimal("0"))
    >>> r.pv_extra_interest, r.pv_protection   # payment 1010.00 vs 1000.00; certain default: 500
    (Decimal('10.00'), Decimal('500'))
    """
    recourse_payment = level_payment(loan_amount, recourse_rate, term_months)
    non_recourse_payment = level_payment(loan_amount, non_recourse_rate, term_months)
    # The exact payments, not the billed cents: see the module docstring.
    extra = WIDE.subtract(
        exact_payment(loan_amount, non_recourse_rate, term_months),
        exact_payment(loan_amount, recourse_rate, term_months),
    )
    j = WIDE.divide(discount_rate, Decimal(1200))
    v = WIDE.divide(_ONE, WIDE.add(_ONE, j))
    pv_extra = WIDE.multiply(extra, _annuity_factor(j, term_months))
    hazard = monthly_hazard(WIDE.divide(annual_default_probability, _HUNDRED))
    pv_protection = WIDE.multiply(expected_deficiency, discounted_default_value(hazard, v, term_months))
    cumulative = WIDE.subtract(_ONE, WIDE.power(WIDE.subtract(_ONE, hazard), term_months))
    return Premium(
        recourse_payment=recourse_payment,
        non_recourse_payment=non_recourse_payment,
        monthly_hazard=hazard,
        cumulative_default=cumulative,
        pv_extra_interest=pv_extra,
        pv_protection=pv_protection,
        break_even=_break_even(pv_extra, expected_deficiency, v, term_months),
    )


def _verdict(r: Premium) -> str:
    extra, protection = cents(r.pv_extra_interest), cents(r.pv_protection)
    if r.break_even is None:
        tail = (
            " No default probability makes up for it: even a certain default in the first month "
            "would avoid less than the extra interest costs."
        )
    else:
        tail = (
            f" The two balance at an annual default probability of {percent_str(r.break_even * _HUNDRED)}%."
        )
    if protection > extra:
        head = (
            f"On expected value the non-recourse loan is worth its higher rate: the protection "
            f"({dollars(protection)}) is worth more than the extra interest ({dollars(extra)})."
        )
    elif protection < extra:
        head = (
            f"On expected value the recourse loan is cheaper: the extra interest ({dollars(extra)}) "
            f"costs more than the protection is worth ({dollars(protection)})."
        )
    else:
        head = f"The two loans come out even: protection and extra interest are both worth {dollars(extra)}."
    return head + tail


def _compute(
    *,
    loan_amount: Decimal,
    term_months: int,
    recourse_rate: Decimal,
    non_recourse_rate: Decimal,
    annual_default_probability: Decimal,
    expected_deficiency: Decimal,
    discount_rate: Decimal,
) -> dict[str, Any]:
    if non_recourse_rate < recourse_rate:
        raise InputError(
            "non_recourse_rate",
            f"Non-recourse loan rate must be a number between {recourse_rate.normalize():f} (the recourse rate) and 100: "
            "a non-recourse loan that is also cheaper needs no comparison.",
        )
    if expected_deficiency > loan_amount:
        raise InputError(
            "expected_deficiency",
            f"Deficiency if you default must be a number between 0 and {dollars(loan_amount)} (the loan "
            "amount): a deficiency is what is left of the debt after the sale.",
        )
    r = premium(
        loan_amount,
        term_months,
        recourse_rate,
        non_recourse_rate,
        annual_default_probability=annual_default_probability,
        expected_deficiency=expected_deficiency,
        discount_rate=discount_rate,
    )
    extra, protection = cents(r.pv_extra_interest), cents(r.pv_protection)
    if protection > extra:
        headline = "On expected value, non-recourse is worth its higher rate"
    elif protection < extra:
        headline = "On expected value, the recourse loan is cheaper"
    else:
        headline = "On expected value, the two loans come out even"
    return {
        "headline": headline,
        "recourse_payment": r.recourse_payment,
        "non_recourse_payment": r.non_recourse_payment,
        "extra_payment": r.non_recourse_payment - r.recourse_payment,
        "monthly_default_probability": r.monthly_hazard * _HUNDRED,
        "default_within_term": r.cumulative_default * _HUNDRED,
        "pv_extra_interest": r.pv_extra_interest,
        "pv_protection": r.pv_protection,
        "break_even_default_probability": "n/a"
        if r.break_even is None
        else percent_str(r.break_even * _HUNDRED),
        "verdict": _verdict(r),
        "steps": [
            Step("Present value of the deficiency you would not owe", r.pv_protection),
            Step("Present value of the extra payments on the non-recourse loan", -r.pv_extra_interest),
        ],
    }


FIELDS = (
    money("loan_amount", "Loan amount", default="300,000", minimum="1", help="The amount borrowed."),
    integer(
        "term_months",
        "Term",
        default="360",
        minimum=1,
        maximum=600,
        unit="months",
        help="How many monthly payments: 360 for a 30-year loan.",
    ),
    percent(
        "recourse_rate",
        "Recourse loan rate",
        default="6.5",
        help="Yearly rate of the full-recourse loan, in percent.",
    ),
    percent(
        "non_recourse_rate",
        "Non-recourse loan rate",
        default="6.75",
        help="Yearly rate of the non-recourse loan, in percent; at least the recourse rate.",
    ),
    percent(
        "annual_default_probability",
        "Chance of default per year",
        default="1",
        help="Your own estimate, in percent, that you default in any one year (held constant).",
    ),
    money(
        "expected_deficiency",
        "Deficiency if you default",
        default="40,000",
        help="What you would still owe after a forced sale; the underwater calculator estimates it.",
    ),
    percent(
        "discount_rate",
        "Discount rate",
        default="5",
        help="The yearly return you could earn on money elsewhere, in percent; used to value future amounts today.",
    ),
)

CALCULATOR = Calculator(
    name="recourse-premium",
    title="Is non-recourse worth the higher rate?",
    summary="Compares the present value of a non-recourse loan's extra interest with the expected deficiency it spares you.",
    fields=FIELDS,
    outputs=(
        Output("headline", "In short", OutputKind.HEADLINE),
        Output("recourse_payment", "Monthly payment, recourse", OutputKind.MONEY),
        Output("non_recourse_payment", "Monthly payment, non-recourse", OutputKind.MONEY),
        Output("extra_payment", "Extra each month for non-recourse", OutputKind.MONEY),
        Output("monthly_default_probability", "Chance of default per month", OutputKind.PERCENT),
        Output("default_within_term", "Chance of default within the term", OutputKind.PERCENT),
        Output("pv_extra_interest", "Present value of the extra interest", OutputKind.MONEY),
        Output("pv_protection", "Present value of the protection", OutputKind.MONEY),
        Output(
            "break_even_default_probability",
            "Break-even chance of default per year (%)",
            OutputKind.TEXT,
            help='A percent number such as "0.8125", or "n/a" when no probability up to 100% breaks even.',
        ),
        Output("verdict", "Verdict", OutputKind.PROSE),
        Output("steps", "Protection less its cost", OutputKind.STEPS),
    ),
    compute=_compute,
    source="Expected-value model; evidence on pricing: Ghent & Kudlyak, Review of Financial Studies 24(9), 2011.",
)
