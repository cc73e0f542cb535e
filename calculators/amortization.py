"""Level-payment amortization: the monthly payment and the schedule of a fixed-rate loan.

The payment is the standard annuity formula (the one ``numpy_financial.pmt``
implements), with the monthly rate ``r = annual_rate / 100 / 12``::

    payment = P * r / (1 - (1 + r) ** -n)      when r > 0
    payment = P / n                             when r = 0

rounded half-up to cents. Each row's interest is ``balance * r`` rounded
half-up to cents; the rest of the payment reduces principal. The final row
absorbs whatever residual the rounding left, so the balance ends at exactly
0.00. If rounding the payment up would repay the loan early (only possible
for tiny loans over long terms), the schedule ends at the month the balance
reaches 0.00 instead of going negative.

Source: the level-payment formula is standard (e.g. CFPB, "What is
amortization?"); numpy-financial's ``pmt`` is the cross-check used in the
tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .domain import Step
from .fields import Output, OutputKind, integer, money, percent
from .money import WIDE, ZERO, cents
from .registry import Calculator

__all__ = ["CALCULATOR", "Row", "Schedule", "amortize", "level_payment"]


@dataclass(frozen=True)
class Row:
    """One month of the schedule; every amount is positive and in cents."""

    month: int
    payment: Decimal
    interest: Decimal
    principal: Decimal
    balance: Decimal


@dataclass(frozen=True)
class Schedule:
    payment: Decimal
    total_interest: Decimal
    total_paid: Decimal
    rows: tuple[Row, ...]


def level_payment(loan_amount: Decimal, annual_rate: Decimal, term_months: int) -> Decimal:
    """The level monthly payment, rounded half-up to cents.

    >>> level_payment(Decimal("200000"), Decimal("6.5"), 360)
    Decimal('1264.14')
    >>> level_payment(Decimal("1200"), Decimal("0"), 12)   # rate-0 branch: P / n
    Decimal('100.00')
    """
    if term_months <= 0:
        raise ValueError("term_months must be positive")
    r = WIDE.divide(annual_rate, Decimal(1200))
    if r == 0:
        return cents(WIDE.divide(loan_amount, Decimal(term_months)))
    growth = WIDE.power(WIDE.add(Decimal(1), r), term_months)  # (1 + r) ** n, exactly enough at 50 digits
    # P * r * (1+r)^n / ((1+r)^n - 1) is the same formula without a negative power.
    return cents(
        WIDE.divide(WIDE.multiply(WIDE.multiply(loan_amount, r), growth), WIDE.subtract(growth, Decimal(1)))
    )


def amortize(loan_amount: Decimal, annual_rate: Decimal, term_months: int) -> Schedule:
    """The full schedule of a fixed-rate, level-payment loan.

    >>> s = amortize(Decimal("1000"), Decimal("12"), 3)
    >>> s.payment, [str(r.balance) for r in s.rows]
    (Decimal('340.02'), ['669.98', '336.66', '0.00'])
    >>> s.rows[-1].payment, s.total_interest   # 10.00 + 6.70 + 3.37 interest; last row 336.66 + 3.37
    (Decimal('340.03'), Decimal('20.07'))
    """
    payment = level_payment(loan_amount, annual_rate, term_months)
    r = WIDE.divide(annual_rate, Decimal(1200))
    balance = cents(loan_amount)
    rows: list[Row] = []
    for month in range(1, term_months + 1):
        interest = cents(WIDE.multiply(balance, r))  # rounded per row, as lenders post it
        # The last row absorbs the rounding residual; no row may repay more than the balance.
        principal = balance if month == term_months else min(payment - interest, balance)
        balance -= principal
        rows.append(Row(month, interest + principal, interest, principal, balance))
        if balance == 0:
            break
    total_interest = sum((row.interest for row in rows), ZERO)
    total_paid = sum((row.payment for row in rows), ZERO)
    return Schedule(payment, total_interest, total_paid, tuple(rows))


def _compute(*, loan_amount: Decimal, annual_rate: Decimal, term_months: int) -> dict[str, Any]:
    s = amortize(loan_amount, annual_rate, term_months)
    return {
        "payment": s.payment,
        "steps": [
            Step("Amount borrowed", loan_amount),
            Step(f"Interest over {len(s.rows)} monthly payments", s.total_interest),
            Step("Total paid", s.total_paid),
        ],
        "total_interest": s.total_interest,
        "total_paid": s.total_paid,
        "schedule": s.rows,
    }


FIELDS = (
    money(
        "loan_amount",
        "Loan amount",
        default="200,000",
        minimum="1",
        help="The amount borrowed, before any payments.",
    ),
    percent(
        "annual_rate",
        "Annual interest rate",
        default="6.5",
        help="The yearly rate as a percent number: 6.5 means 6.5%.",
    ),
    integer(
        "term_months",
        "Term",
        default="360",
        minimum=1,
        maximum=600,
        unit="months",
        help="How many monthly payments: 360 for a 30-year loan, 60 for a 5-year car loan.",
    ),
)

CALCULATOR = Calculator(
    name="amortization",
    title="Loan payment and amortization schedule",
    summary="The level monthly payment of a fixed-rate loan and how each payment splits into interest and principal.",
    fields=FIELDS,
    outputs=(
        Output("payment", "Monthly payment", OutputKind.MONEY),
        Output("total_interest", "Total interest", OutputKind.MONEY),
        Output("total_paid", "Total paid", OutputKind.MONEY),
        Output("steps", "Where the money goes", OutputKind.STEPS),
        Output(
            "schedule",
            "Amortization schedule",
            OutputKind.ROWS,
            columns=(
                ("month", "Month", OutputKind.INTEGER),
                ("payment", "Payment", OutputKind.MONEY),
                ("interest", "Interest", OutputKind.MONEY),
                ("principal", "Principal", OutputKind.MONEY),
                ("balance", "Balance", OutputKind.MONEY),
            ),
        ),
    ),
    compute=_compute,
    source="Level-payment annuity formula; cross-checked against numpy_financial.pmt.",
)
