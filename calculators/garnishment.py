"""Wage garnishment: how much of a paycheck a deficiency judgment can take, and for how long.

The federal limit for an ordinary debt (15 U.S.C. §1673(a); DOL Fact Sheet
#30) is, per pay period, the *lesser* of

1. 25 % of disposable earnings, and
2. disposable earnings above a protected floor of ``multiple * $7.25``, the
   federal minimum hourly wage (29 U.S.C. §206(a)(1)(C), in force since
   July 24, 2009), never below zero.

The statute states the floor for a week (30 times the minimum wage);
29 CFR §870.10 carries it to longer pay periods by counting a month as
4 1/3 weeks, which gives these multiples:

============  ========  ==========
pay period    multiple  floor
============  ========  ==========
weekly        30        $217.50
biweekly      60        $435.00
semimonthly   65        $471.25
monthly       130       $942.50
============  ========  ==========

A stricter state cap (``state_limit_percent``, a percent of disposable
earnings) lowers the result further when given; the federal figure stays
the ceiling (15 U.S.C. §1677 lets the stricter law govern). The 25 % and the
state percent are ceilings, so they are rounded *down* to the cent
(``ROUND_FLOOR``): rounding half-up could take half a cent more than the law
allows.

Payoff. Post-judgment interest accrues on the unpaid balance each pay period
at ``annual_interest_rate / periods_per_year`` (52, 26, 24 or 12 periods a
year), rounded half-up to cents per period; then that period's garnishment
is applied, interest first. Each period::

    interest = cents(balance * annual_rate / 100 / periods_per_year)
    paid     = min(max_garnishment, balance + interest)
    balance  = balance + interest - paid

Because the garnishment always covers the interest while the balance falls,
no interest is charged on interest. If a period's interest is at least the
garnishment, the balance can never fall, so the judgment is never paid
(``periods_to_satisfy`` is ``"never"`` and ``note`` says why). The same
answer is given when payoff would take more than 100 years of pay periods.
In both never cases ``total_paid`` is what the garnishment takes over those
100 years.

Not modelled: support orders, bankruptcy and tax levies (other limits, see
§1673(b)), several garnishments at once, changes in pay or in the minimum
wage, state minimum wages or dollar floors above the federal one, and court
costs added to the judgment.

>>> limit = max_garnishment(Decimal("580"), PayPeriod.BIWEEKLY, None)
>>> limit.protected, limit.amount      # 25% of 580 = 145.00 < 580 - 435 = 145.00
(Decimal('435.00'), Decimal('145.00'))
>>> repay(Decimal("300"), Decimal("0"), Decimal("145.00"), PayPeriod.BIWEEKLY).periods
3
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from .domain import Step
from .fields import Output, OutputKind, choice, money, percent
from .money import CENT, WIDE, ZERO, cents, money_str
from .registry import Calculator

__all__ = [
    "CALCULATOR",
    "FEDERAL_MINIMUM_WAGE",
    "Limit",
    "PayPeriod",
    "Payoff",
    "max_garnishment",
    "repay",
]

#: Federal minimum hourly wage, 29 U.S.C. §206(a)(1)(C), in force since July 24, 2009.
FEDERAL_MINIMUM_WAGE = Decimal("7.25")
#: 15 U.S.C. §1673(a)(1): at most 25 per cent of disposable earnings.
FEDERAL_PERCENT = Decimal(25)
#: Payoff simulations stop after this many years of pay periods.
CAP_YEARS = 100
NEVER = "never"
_HUNDRED = Decimal(100)


class PayPeriod(enum.Enum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    SEMIMONTHLY = "semimonthly"
    MONTHLY = "monthly"

    @property
    def multiple(self) -> int:
        """Hours of federal minimum wage protected per period (29 CFR §870.10: a month is 4 1/3 weeks)."""
        return {"weekly": 30, "biweekly": 60, "semimonthly": 65, "monthly": 130}[self.value]

    @property
    def per_year(self) -> int:
        return {"weekly": 52, "biweekly": 26, "semimonthly": 24, "monthly": 12}[self.value]


@dataclass(frozen=True)
class Limit:
    """The most one pay period's garnishment may take, and how it was reached."""

    disposable_earnings: Decimal
    protected: Decimal  # multiple * minimum wage: never garnished
    above_protected: Decimal  # max(0, earnings - protected)
    federal_percent_cap: Decimal  # 25 % of earnings, rounded down
    state_cap: Decimal | None  # state percent of earnings, rounded down
    amount: Decimal  # the lesser of all of the above


@dataclass(frozen=True)
class Year:
    """One year of garnishment: what was paid, the interest charged and the balance at its end."""

    year: int
    paid: Decimal
    interest: Decimal
    balance: Decimal


@dataclass(frozen=True)
class Payoff:
    """Repayment of a judgment by garnishment; ``periods`` is ``None`` when never paid."""

    periods: int | None
    total_paid: Decimal
    never_reason: str  # "" when paid, else "nothing", "interest" or "cap"
    first_interest: Decimal
    yearly: tuple[Year, ...]


def _floor_cents(value: Decimal) -> Decimal:
    """Round down to the cent: a legal ceiling must not be exceeded by rounding."""
    return value.quantize(CENT, rounding=ROUND_FLOOR)


def max_garnishment(
    disposable_earnings: Decimal, pay_period: PayPeriod, state_limit_percent: Decimal | None
) -> Limit:
    """The per-period limit of 15 U.S.C. §1673(a), optionally capped by a state percent.

    >>> max_garnishment(Decimal("500"), PayPeriod.WEEKLY, None).amount     # 25% (125) < 500 - 217.50
    Decimal('125.00')
    >>> max_garnishment(Decimal("250"), PayPeriod.WEEKLY, None).amount     # 250 - 217.50 < 25% (62.50)
    Decimal('32.50')
    >>> max_garnishment(Decimal("500"), PayPeriod.WEEKLY, Decimal("10")).amount
    Decimal('50.00')
    """
    protected = cents(FEDERAL_MINIMUM_WAGE * pay_period.multiple)  # exact: 217.50, 435.00, 471.25, 942.50
    above = max(ZERO, disposable_earnings - protected)
    federal_cap = _floor_cents(WIDE.divide(WIDE.multiply(disposable_earnings, FEDERAL_PERCENT), _HUNDRED))
    state_cap = (
        None
        if state_limit_percent is None
        else _floor_cents(WIDE.divide(WIDE.multiply(disposable_earnings, state_limit_percent), _HUNDRED))
    )
    amount = min(above, federal_cap, federal_cap if state_cap is None else state_cap)
    return Limit(disposable_earnings, protected, above, federal_cap, state_cap, amount)


def repay(
    judgment: Decimal, annual_interest_rate: Decimal, per_period: Decimal, pay_period: PayPeriod
) -> Payoff:
    """Garnish ``per_period`` every period until the judgment and its interest are paid.

    >>> p = repay(Decimal("1000"), Decimal("12"), Decimal("100"), PayPeriod.MONTHLY)
    >>> p.periods, p.total_paid        # interest 10.00 + 9.10 + 8.19 + ... + 0.58 = 58.98
    (11, Decimal('1058.98'))
    >>> repay(Decimal("1000"), Decimal("12"), Decimal("10"), PayPeriod.MONTHLY).never_reason
    'interest'
    """
    cap_periods = CAP_YEARS * pay_period.per_year
    rate = WIDE.divide(annual_interest_rate, _HUNDRED * pay_period.per_year)
    first_interest = cents(WIDE.multiply(judgment, rate))
    if per_period <= 0 or (first_interest >= per_period and judgment + first_interest > per_period):
        # Interest alone eats the whole garnishment, so the balance never falls.
        reason = "nothing" if per_period <= 0 else "interest"
        return Payoff(None, per_period * cap_periods, reason, first_interest, ())
    balance = judgment
    total = ZERO
    yearly: list[Year] = []
    year_paid = year_interest = ZERO
    period = 0
    while balance > 0 and period < cap_periods:
        period += 1
        interest = cents(WIDE.multiply(balance, rate))  # simple interest for one period, rounded per period
        paid = min(per_period, balance + interest)
        balance = balance + interest - paid
        total += paid
        year_paid += paid
        year_interest += interest
        if balance == 0 or period % pay_period.per_year == 0:
            yearly.append(Year((period - 1) // pay_period.per_year + 1, year_paid, year_interest, balance))
            year_paid = year_interest = ZERO
    if balance > 0:
        return Payoff(None, per_period * cap_periods, "cap", first_interest, tuple(yearly))
    return Payoff(period, total, "", first_interest, tuple(yearly))


def _steps(limit: Limit, pay_period: PayPeriod, state_limit_percent: Decimal | None) -> list[Step]:
    """From disposable earnings down to the most one pay period may take."""
    steps = [
        Step("Disposable earnings this pay period", limit.disposable_earnings),
        Step(
            f"Protected: {pay_period.multiple} x ${FEDERAL_MINIMUM_WAGE} federal minimum wage "
            f"(up to {money_str(limit.protected)})",
            -min(limit.disposable_earnings, limit.protected),
        ),
    ]
    running = limit.above_protected
    if limit.federal_percent_cap < running:
        steps.append(Step("Cut to 25% of disposable earnings", limit.federal_percent_cap - running))
        running = limit.federal_percent_cap
    if limit.state_cap is not None and limit.state_cap < running:
        pct = f"{(state_limit_percent or ZERO).normalize():f}"
        steps.append(
            Step(f"Cut to the state limit of {pct}% of disposable earnings", limit.state_cap - running)
        )
    return steps


def _note(payoff: Payoff, limit: Limit, pay_period: PayPeriod) -> str:
    period_name = f"{pay_period.value} pay period"
    if payoff.never_reason == "nothing":
        return (
            f"Nothing can be garnished: disposable earnings are at or below the protected amount of "
            f"{money_str(limit.protected)}, or the state limit is 0%. The judgment is never paid this way."
        )
    if payoff.never_reason == "interest":
        return (
            f"Never paid: the first {period_name}'s interest ({money_str(payoff.first_interest)}) is at least the "
            f"{money_str(limit.amount)} garnished, so the balance never falls. Total paid is what {CAP_YEARS} years "
            "of garnishment would take."
        )
    if payoff.never_reason == "cap":
        return (
            f"Never paid within {CAP_YEARS} years: the garnishment only just outpaces the interest. "
            f"Total paid is what {CAP_YEARS} years of garnishment would take."
        )
    years = Decimal(payoff.periods or 0) / pay_period.per_year
    return f"Paid off after {payoff.periods} {period_name}s (about {years:.1f} years)."


def _compute(
    *,
    disposable_earnings: Decimal,
    pay_period: str,
    judgment: Decimal,
    annual_interest_rate: Decimal,
    state_limit_percent: Decimal | None,
) -> dict[str, Any]:
    period = PayPeriod(pay_period)
    limit = max_garnishment(disposable_earnings, period, state_limit_percent)
    payoff = repay(judgment, annual_interest_rate, limit.amount, period)
    return {
        "max_garnishment": limit.amount,
        "protected_amount": limit.protected,
        "periods_to_satisfy": NEVER if payoff.periods is None else str(payoff.periods),
        "total_paid": payoff.total_paid,
        "note": _note(payoff, limit, period),
        "steps": _steps(limit, period, state_limit_percent),
        "timeline": payoff.yearly,
    }


FIELDS = (
    money(
        "disposable_earnings",
        "Disposable earnings per pay period",
        default="1,200",
        help="Pay after the deductions the law requires (taxes, Social Security); voluntary deductions stay in.",
    ),
    choice(
        "pay_period",
        "Pay period",
        default="biweekly",
        choices={
            "weekly": "Weekly",
            "biweekly": "Every two weeks",
            "semimonthly": "Twice a month",
            "monthly": "Monthly",
        },
        help="How often you are paid; the protected amount depends on it.",
    ),
    money(
        "judgment",
        "Deficiency judgment",
        default="12,000",
        minimum="1",
        help="The amount the court awarded the lender.",
    ),
    percent(
        "annual_interest_rate",
        "Post-judgment interest rate",
        default="9",
        help="The yearly rate set by state law or the judgment, as a percent number.",
    ),
    percent(
        "state_limit_percent",
        "State limit (optional)",
        default="",
        maximum="25",
        required=False,
        help="If your state allows less than 25% of disposable earnings, enter its percent. Leave empty for the federal rule.",
    ),
)

CALCULATOR = Calculator(
    name="garnishment",
    title="Wage garnishment for a deficiency judgment",
    summary="The most a creditor can take from each paycheck under federal law, and how long the judgment takes to pay.",
    fields=FIELDS,
    outputs=(
        Output("max_garnishment", "Most that can be garnished per pay period", OutputKind.MONEY),
        Output("protected_amount", "Protected amount per pay period", OutputKind.MONEY),
        Output(
            "periods_to_satisfy",
            "Pay periods to pay the judgment",
            OutputKind.TEXT,
            help='A number, or "never".',
        ),
        Output("total_paid", "Total garnished", OutputKind.MONEY),
        Output("note", "What this means", OutputKind.TEXT),
        Output("steps", "The per-period limit, step by step", OutputKind.STEPS),
        Output(
            "timeline",
            "Year by year",
            OutputKind.ROWS,
            columns=(
                ("year", "Year", OutputKind.INTEGER),
                ("paid", "Garnished", OutputKind.MONEY),
                ("interest", "Interest", OutputKind.MONEY),
                ("balance", "Balance at year end", OutputKind.MONEY),
            ),
        ),
    ),
    compute=_compute,
    source="15 U.S.C. §1673(a); 29 CFR §870.10; U.S. Department of Labor, Fact Sheet #30.",
)
