"""Level-payment amortization: the payment, the schedule, extra payments and an every-two-weeks plan.

**The payment.** The exact level payment is the annuity formula (the one ``numpy_financial.pmt``
implements), with the periodic rate ``r`` (``annual_rate / 100 / 12`` for monthly payments)::

    exact   = P * r / (1 - (1 + r) ** -n)      when r > 0
    exact   = P / n                             when r = 0

Payments are collected in whole cents, so the exact figure is **rounded up** to the cent, the
convention most loan software uses (it then shows a smaller last payment). Rounding half-up
instead can leave a payment below the exact one, which at high rates never pays the loan down:
at 36 % over 480 months it equals the first month's interest. Because each row's interest is
itself rounded half-up to the cent, a payment at the rounded-up exact figure can still, rarely,
leave the last row larger than the others; the payment is then raised a cent at a time until it
is not. So, for every input the form accepts:

* the loan is repaid within ``n`` payments and the balance ends at exactly 0.00;
* no payment, the last included, is larger than the regular payment;
* the last payment absorbs the rounding residual and may be smaller.

A loan too small to need ``n`` payments of one cent (a $1 loan over 600 months) pays 0.01 a
month and ends early.

**The schedule.** Each row's interest is ``balance * r`` rounded half-up to cents; the payment
covers it first, and the rest reduces the principal. The final row pays exactly what is left.

**Extra payments** (optional) go entirely to principal: ``extra_monthly`` with every payment,
``extra_yearly`` with every 12th payment (months 12, 24, ...), and ``extra_once`` once, with
payment number ``extra_once_month``. The schedule ends when the balance reaches 0.00, so it can
be shorter than the term; ``interest_saved`` and ``months_saved`` compare it with the same loan
without extras.

**Every two weeks.** ``frequency="biweekly"`` pays half the monthly payment (rounded up to the
cent) 26 times a year, with interest at ``annual_rate / 26`` per payment. That is 13 monthly
payments' worth a year, so the loan is repaid early; the months saved are counted from the
payoff date. Extra payments apply to the monthly schedule only.

**Dates.** With ``start_month`` (``YYYY-MM``, the month of the first payment), the payoff month
is reported: the month of the last payment (for every two weeks, 14 days after the previous one).

Sources: the level-payment formula (CFPB, "What is amortization?"), cross-checked against
``numpy_financial.pmt`` and ``nper``; rounding the payment up to the cent and adjusting the final
payment is common loan-software practice (see the site's sources page).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any

from calckit.fields import Chart, InputError, Output, OutputKind, choice, integer, money, month, percent
from calckit.money import CENT, WIDE, ZERO, cents, dollars
from calckit.registry import Calculator

from .domain import Step

__all__ = ["CALCULATOR", "Row", "Schedule", "amortize", "exact_payment", "level_payment"]

_TWO = Decimal(2)


@dataclass(frozen=True)
class Row:
    """One payment of the schedule; every amount is positive and in cents."""

    month: int  # the payment's number (a month for monthly payments)
    payment: Decimal
    interest: Decimal
    principal: Decimal
    balance: Decimal


@dataclass(frozen=True)
class Schedule:
    payment: Decimal  # the regular payment, before any extra
    total_interest: Decimal
    total_paid: Decimal
    rows: tuple[Row, ...]


def _rate(annual_rate: Decimal, per_year: int) -> Decimal:
    return WIDE.divide(annual_rate, Decimal(100 * per_year))


def exact_payment(
    loan_amount: Decimal, annual_rate: Decimal, term_months: int, per_year: int = 12
) -> Decimal:
    """The exact (unrounded) level payment at 50 digits; see the module docstring.

    >>> round(exact_payment(Decimal("1000"), Decimal("12"), 3), 6)   # 10.30301 / 0.030301
    Decimal('340.022111')
    """
    if term_months <= 0:
        raise ValueError("term_months must be positive")
    r = _rate(annual_rate, per_year)
    if r == 0:
        return WIDE.divide(loan_amount, Decimal(term_months))
    growth = WIDE.power(WIDE.add(Decimal(1), r), term_months)  # (1 + r) ** n
    # P * r * (1+r)^n / ((1+r)^n - 1) is the same formula without a negative power.
    return WIDE.divide(
        WIDE.multiply(WIDE.multiply(loan_amount, r), growth), WIDE.subtract(growth, Decimal(1))
    )


def _schedule(
    loan_amount: Decimal,
    r: Decimal,
    payment: Decimal,
    limit: int,
    *,
    extras: dict[int, Decimal] | None = None,
    extra_each: Decimal = ZERO,
    extra_yearly: Decimal = ZERO,
) -> list[Row]:
    """Rows until the balance is 0.00 or ``limit`` payments; the last allowed row pays off the rest."""
    balance = cents(loan_amount)
    rows: list[Row] = []
    for n in range(1, limit + 1):
        interest = cents(WIDE.multiply(balance, r))  # rounded per row, as lenders post it
        extra = extra_each + (extra_yearly if n % 12 == 0 else ZERO) + (extras or {}).get(n, ZERO)
        principal = balance if n == limit else min(payment + extra - interest, balance)
        balance -= principal
        rows.append(Row(n, interest + principal, interest, principal, balance))
        if balance == 0:
            break
    return rows


def level_payment(
    loan_amount: Decimal, annual_rate: Decimal, term_months: int, per_year: int = 12
) -> Decimal:
    """The regular payment: the exact payment rounded up to the cent, raised while the last one would be larger.

    >>> level_payment(Decimal("200000"), Decimal("6.5"), 360)   # numpy_financial.pmt: 1264.136
    Decimal('1264.14')
    >>> level_payment(Decimal("1000"), Decimal("12"), 3)        # 340.0221 rounded up
    Decimal('340.03')
    >>> level_payment(Decimal("1"), Decimal("5"), 600)          # never 0.00
    Decimal('0.01')
    """
    payment = max(
        CENT, exact_payment(loan_amount, annual_rate, term_months, per_year).quantize(CENT, ROUND_CEILING)
    )
    r = _rate(annual_rate, per_year)
    while True:
        rows = _schedule(loan_amount, r, payment, term_months)
        if rows[-1].payment <= payment:
            return payment
        payment += CENT  # a rounding residual made the last payment larger: one cent more per payment


def amortize(loan_amount: Decimal, annual_rate: Decimal, term_months: int) -> Schedule:
    """The full monthly schedule of a fixed-rate, level-payment loan.

    >>> s = amortize(Decimal("1000"), Decimal("12"), 3)
    >>> s.payment, [str(r.balance) for r in s.rows]
    (Decimal('340.03'), ['669.97', '336.64', '0.00'])
    >>> s.rows[-1].payment, s.total_interest   # 10.00 + 6.70 + 3.37 interest; last row 336.64 + 3.37
    (Decimal('340.01'), Decimal('20.07'))
    """
    payment = level_payment(loan_amount, annual_rate, term_months)
    return _summarise(payment, _schedule(loan_amount, _rate(annual_rate, 12), payment, term_months))


def _summarise(payment: Decimal, rows: list[Row]) -> Schedule:
    total_interest = sum((row.interest for row in rows), ZERO)
    total_paid = sum((row.payment for row in rows), ZERO)
    return Schedule(payment, total_interest, total_paid, tuple(rows))


def _add_months(start: tuple[int, int], months: int) -> tuple[int, int]:
    index = start[0] * 12 + (start[1] - 1) + months
    return index // 12, index % 12 + 1


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _month_name(ym: tuple[int, int]) -> str:
    return f"{_MONTHS[ym[1] - 1]} {ym[0]}"


def _compute(
    *,
    loan_amount: Decimal,
    annual_rate: Decimal,
    term_months: int,
    frequency: str,
    extra_monthly: Decimal | None,
    extra_yearly: Decimal | None,
    extra_once: Decimal | None,
    extra_once_month: int | None,
    start_month: tuple[int, int] | None,
) -> dict[str, Any]:
    monthly_payment = level_payment(loan_amount, annual_rate, term_months)
    plain = _summarise(
        monthly_payment, _schedule(loan_amount, _rate(annual_rate, 12), monthly_payment, term_months)
    )
    has_extra = any(x for x in (extra_monthly, extra_yearly, extra_once))
    if extra_once and extra_once_month is None:
        raise InputError(
            "extra_once_month",
            "One-time extra payment month is required with a one-time extra payment: enter a whole number "
            f"between 1 and {term_months:,}.",
        )
    if extra_once_month is not None and extra_once_month > term_months:
        raise InputError(
            "extra_once_month",
            f"One-time extra payment month must be a whole number between 1 and {term_months:,} (the term).",
        )
    if frequency == "biweekly":
        if has_extra:
            raise InputError(
                "frequency",
                "Payment schedule must be Monthly to add extra payments: clear the extra payments or choose Monthly.",
            )
        payment = max(CENT, WIDE.divide(monthly_payment, _TWO).quantize(CENT, ROUND_CEILING))
        rows = _schedule(loan_amount, _rate(annual_rate, 26), payment, term_months * 3)
        schedule = _summarise(payment, rows)
        if rows[-1].balance != 0:  # pragma: no cover - 26 half-payments a year always repay within the term
            raise ArithmeticError("every-two-weeks schedule did not repay the loan")
        # The payoff date is 14 days per payment after the first; months saved count from it.
        first = datetime.date(*(start_month or (2000, 1)), 1)
        last = first + datetime.timedelta(days=14 * (len(rows) - 1))
        months_used = (last.year - first.year) * 12 + last.month - first.month + 1
        payoff = (last.year, last.month)
        kind = "every-two-weeks"
    else:
        extras = {extra_once_month: extra_once} if extra_once and extra_once_month else None
        rows = _schedule(
            loan_amount,
            _rate(annual_rate, 12),
            monthly_payment,
            term_months,
            extras=extras,
            extra_each=extra_monthly or ZERO,
            extra_yearly=extra_yearly or ZERO,
        )
        schedule = _summarise(monthly_payment, rows)
        months_used = len(rows)
        payoff = _add_months(start_month, len(rows) - 1) if start_month else (0, 1)
        kind = "monthly"
    interest_saved = plain.total_interest - schedule.total_interest
    months_saved = max(0, len(plain.rows) - months_used)
    count = len(schedule.rows)
    steps = [
        Step("Amount borrowed", loan_amount),
        Step(f"Interest over {count} {kind} payments", schedule.total_interest),
        Step("Total paid", schedule.total_paid),
    ]
    if interest_saved:
        steps.append(Step("Interest saved against the plain monthly schedule", -interest_saved))
    label = "every two weeks" if frequency == "biweekly" else "a month"
    return {
        "headline": f"You pay {dollars(schedule.payment)} {label} for {count} payments",
        "payment": schedule.payment,
        "total_interest": schedule.total_interest,
        "total_paid": schedule.total_paid,
        "interest_saved": interest_saved,
        "months_saved": months_saved,
        "payoff_month": _month_name(payoff) if start_month else "Enter a start month",
        "steps": steps,
        "schedule": schedule.rows,
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
    choice(
        "frequency",
        "Payment schedule",
        default="monthly",
        choices={"monthly": "Monthly", "biweekly": "Every two weeks (26 payments a year)"},
        help="Every two weeks pays half the monthly payment 26 times a year: one extra month's payment a year.",
    ),
    money(
        "extra_monthly",
        "Extra each month",
        default="",
        required=False,
        help="Paid with every payment, all to principal.",
    ),
    money(
        "extra_yearly",
        "Extra once a year",
        default="",
        required=False,
        help="Paid with every 12th payment (months 12, 24, ...), all to principal.",
    ),
    money(
        "extra_once",
        "One-time extra payment",
        default="",
        required=False,
        help="A lump sum paid once, all to principal, with the payment you choose below.",
    ),
    integer(
        "extra_once_month",
        "One-time extra payment month",
        default="",
        minimum=1,
        maximum=600,
        required=False,
        help="Which payment (1 is the first) carries the one-time extra.",
    ),
    month(
        "start_month",
        "First payment",
        default="",
        required=False,
        help="The month of the first payment, like 2027-01; gives the payoff month.",
    ),
)

CALCULATOR = Calculator(
    name="amortization",
    title="Loan payment and amortization schedule",
    summary="The level payment of a fixed-rate loan, how each payment splits into interest and principal, "
    "and what extra or every-two-weeks payments save.",
    fields=FIELDS,
    outputs=(
        Output("headline", "In short", OutputKind.HEADLINE),
        Output("payment", "Regular payment", OutputKind.MONEY),
        Output("total_interest", "Total interest", OutputKind.MONEY),
        Output("total_paid", "Total paid", OutputKind.MONEY),
        Output("interest_saved", "Interest saved by extra or every-two-weeks payments", OutputKind.MONEY),
        Output("months_saved", "Months saved", OutputKind.INTEGER),
        Output("payoff_month", "Payoff month", OutputKind.TEXT),
        Output("steps", "Where the money goes", OutputKind.STEPS),
        Output(
            "schedule",
            "Amortization schedule",
            OutputKind.ROWS,
            columns=(
                ("month", "Payment no.", OutputKind.INTEGER),
                ("payment", "Payment", OutputKind.MONEY),
                ("interest", "Interest", OutputKind.MONEY),
                ("principal", "Principal", OutputKind.MONEY),
                ("balance", "Balance", OutputKind.MONEY),
            ),
            chart=Chart(
                title="Balance over time, and how each payment splits into interest and principal",
                x="month",
                lines=("balance",),
                bars=("interest", "principal"),
            ),
        ),
    ),
    compute=_compute,
    source="Level-payment annuity formula (CFPB); cross-checked against numpy_financial.pmt and nper; "
    "payments rounded up to the cent, the last payment adjusted.",
)
