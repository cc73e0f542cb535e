"""Underwater timeline: when the loan balance exceeds what the collateral is worth.

The balance follows the level-payment schedule of
:func:`calculators.amortization.amortize` (``balance[m]`` is the balance after
the ``m``-th payment; month 0 is origination). The collateral's market value
changes by a constant *annual* percent ``a``, applied monthly as a compound
factor so that twelve months multiply the value by exactly ``1 + a``::

    g = (1 + a/100) ** (1/12)                    # monthly value factor
    h = (1 - d/100) ** (1/12)                    # extra first-year drop d, months 1-12 only
    value[m] = V0 * g**m * h**min(m, 12)         # rounded half-up to cents per row

Why compound and not ``a/12``: with ``a/12`` a year of months would not give
the annual figure the reader typed (``-15`` would become about ``-14.9 %``
compounded, or would reach zero and go negative if applied straight-line).
Why the first-year drop is spread over months 1-12: a car loses value
steadily through its first year, not in one step; spreading it the same
compound way makes month 12 exactly ``V0 * (1 + a) * (1 - d)``. The value is
carried as a running product at 50 digits (:data:`calckit.money.WIDE`),
never re-powered per month.

A forced sale (repossession auction, foreclosure sale) fetches less than
market value: ``sale_price[m] = value[m] * (1 - s/100)``, rounded half-up to
cents, where ``s`` is the forced-sale discount. The sale's costs are paid
first out of the proceeds and then the debt, as in UCC §9-615(a), so::

    net_proceeds[m] = max(0, sale_price[m] - costs)
    deficiency[m]   = max(0, balance[m] + costs - sale_price[m])

If costs exceed the sale price, the unreimbursed costs add to what is owed.
A negative ``balance + costs - sale_price`` is a surplus, which belongs to the
borrower (UCC §9-615(d)(1)); the deficiency is then 0.00.

**Underwater** here means ``balance[m] > value[m]``: the borrower owes more
than the collateral's *market* value (negative equity). A loan can be above
water and still leave a deficiency after a forced sale; the ``deficiency``
column shows that stricter view. ``underwater_from``/``underwater_until`` are
the first and last underwater months, as text, or ``"never"``; on unusual
value paths the loan can surface and sink again in between, so
``underwater_months`` counts the months.

At ``default_month`` m the borrower has made ``m`` payments and stops; the
collateral is sold at month ``m``'s forced-sale price. Under full recourse
the borrower owes ``deficiency[m]``; under non-recourse the borrower owes
0.00 and the lender absorbs the same amount as a loss. Unpaid interest
accrued after the last payment, late fees and legal fees beyond ``costs``
are not modelled.

Sources: UCC §9-615(a) and (d) (application of proceeds, surplus and
deficiency); the level-payment schedule of :mod:`calculators.amortization`.

A 0 % loan of 30,000 over 12 months (2,500 a month) against a car worth
25,000 that keeps its value is underwater until the balance drops to 25,000
or below, after payment 2; sold at a 20 % discount (20,000) with 1,000 of
costs, payment 4 leaves 20,000 + 1,000 - 20,000 = 1,000 owed:

>>> t = underwater(Decimal("30000"), Decimal("0"), 12, collateral_value=Decimal("25000"),
...                annual_value_change=Decimal("0"), first_year_drop=None,
...                sale_discount=Decimal("20"), costs=Decimal("1000"))
>>> t.underwater_from, t.underwater_until, t.months[4].deficiency, t.max_deficiency_month
(0, 1, Decimal('1000.00'), 0)
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from calckit.fields import Chart, InputError, Output, OutputKind, integer, money, percent
from calckit.money import WIDE, ZERO, cents, dollars
from calckit.registry import Calculator

from .amortization import amortize
from .domain import Step

__all__ = ["CALCULATOR", "Month", "Timeline", "monthly_factor", "underwater"]

#: Text used when a month-valued output has no month.
NEVER = "never"
_ONE = Decimal(1)
_HUNDRED = Decimal(100)
_TWELVE = Decimal(12)
#: Months over which the optional first-year drop is spread.
FIRST_YEAR = 12


@dataclass(frozen=True)
class Month:
    """One month of the timeline; every amount is in cents and never negative."""

    month: int
    balance: Decimal
    value: Decimal
    sale_price: Decimal
    net_proceeds: Decimal
    deficiency: Decimal
    surplus: Decimal


@dataclass(frozen=True)
class Timeline:
    months: tuple[Month, ...]  # months[m] is month m, from 0 (origination) to the term
    underwater_from: int | None
    underwater_until: int | None
    underwater_months: int
    max_deficiency: Decimal
    max_deficiency_month: int | None


def monthly_factor(annual_change: Decimal) -> Decimal:
    """The monthly compound factor ``(1 + annual_change/100) ** (1/12)`` at 50 digits.

    Computed as ``exp(ln(1 + a) / 12)``, which both the C and the pure-Python
    ``decimal`` round correctly. A change of -100 % gives 0 (gone in a month).

    >>> cents(WIDE.power(monthly_factor(Decimal("-15")), 12) * 100)
    Decimal('85.00')
    >>> monthly_factor(Decimal("-100")), monthly_factor(Decimal("0"))
    (Decimal('0'), Decimal('1'))
    """
    base = WIDE.add(_ONE, WIDE.divide(annual_change, _HUNDRED))
    if base == 0:
        return Decimal(0)
    if base == _ONE:
        return _ONE
    return WIDE.exp(WIDE.divide(WIDE.ln(base), _TWELVE))


def underwater(
    loan_amount: Decimal,
    annual_rate: Decimal,
    term_months: int,
    *,
    collateral_value: Decimal,
    annual_value_change: Decimal,
    first_year_drop: Decimal | None,
    sale_discount: Decimal,
    costs: Decimal,
) -> Timeline:
    """Month-by-month balance, collateral value, forced-sale proceeds and deficiency.

    Percents are percent numbers (``-15`` means -15 % a year). See the module
    docstring for every formula and rounding point.
    """
    schedule = amortize(loan_amount, annual_rate, term_months)
    balances = [cents(loan_amount)] + [row.balance for row in schedule.rows]
    balances += [ZERO] * (term_months + 1 - len(balances))  # a schedule repaid early stays at 0.00
    growth = monthly_factor(annual_value_change)
    first_year_growth = WIDE.multiply(growth, monthly_factor(-(first_year_drop or ZERO)))
    keep = WIDE.divide(WIDE.subtract(_HUNDRED, sale_discount), _HUNDRED)

    months: list[Month] = []
    exact_value = collateral_value  # the running product V0 * g**m * h**min(m, 12), never rounded
    for m, balance in enumerate(balances):
        if m:
            exact_value = WIDE.multiply(exact_value, first_year_growth if m <= FIRST_YEAR else growth)
        value = cents(exact_value)  # rounded per row for display and for the sale price
        sale_price = cents(WIDE.multiply(value, keep))
        shortfall = balance + costs - sale_price  # costs come out of the proceeds first (UCC 9-615(a))
        months.append(
            Month(
                month=m,
                balance=balance,
                value=value,
                sale_price=sale_price,
                net_proceeds=max(ZERO, sale_price - costs),
                deficiency=max(ZERO, shortfall),
                surplus=max(ZERO, -shortfall),  # the surplus goes to the borrower (UCC 9-615(d)(1))
            )
        )
    return _summarise(tuple(months))


def _summarise(months: tuple[Month, ...]) -> Timeline:
    under = [row.month for row in months if row.balance > row.value]
    worst = max(months, key=lambda row: row.deficiency)  # max() keeps the earliest of equal rows
    return Timeline(
        months=months,
        underwater_from=under[0] if under else None,
        underwater_until=under[-1] if under else None,
        underwater_months=len(under),
        max_deficiency=worst.deficiency,
        max_deficiency_month=worst.month if worst.deficiency > 0 else None,
    )


def _month_text(month: int | None) -> str:
    return NEVER if month is None else str(month)


def _pct(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _steps(row: Month, sale_discount: Decimal, costs: Decimal) -> list[Step]:
    """The full-recourse deficiency at the default month, as a running total."""
    opening = (
        "Balance owed at origination (no payments made)"
        if row.month == 0
        else f"Balance owed after payment {row.month}"
    )
    steps = [
        Step(opening, row.balance),
        Step(
            f"Forced-sale price: market value {dollars(row.value)} less the {_pct(sale_discount)}% discount",
            -row.sale_price,
        ),
        Step("Costs of taking and selling the collateral, paid first from the proceeds", costs),
    ]
    if row.surplus > 0:
        steps.append(Step("Surplus paid to the borrower", row.surplus))
    return steps


def _compute(
    *,
    loan_amount: Decimal,
    annual_rate: Decimal,
    term_months: int,
    collateral_value: Decimal,
    annual_value_change: Decimal,
    first_year_drop: Decimal | None,
    sale_discount: Decimal,
    costs: Decimal,
    default_month: int,
) -> dict[str, Any]:
    if default_month > term_months:
        raise InputError(
            "default_month",
            f"Default month must be a whole number between 0 and {term_months:,} (the term in months).",
        )
    timeline = underwater(
        loan_amount,
        annual_rate,
        term_months,
        collateral_value=collateral_value,
        annual_value_change=annual_value_change,
        first_year_drop=first_year_drop,
        sale_discount=sale_discount,
        costs=costs,
    )
    at_default = timeline.months[default_month]
    if timeline.underwater_from is None:
        stretch = "The loan is never underwater"
    else:
        stretch = f"Underwater from month {timeline.underwater_from} to month {timeline.underwater_until}"
    owed = (
        f"a default in month {default_month} could leave {dollars(at_default.deficiency)} owed"
        if at_default.deficiency
        else f"a default in month {default_month} leaves nothing owed"
    )
    return {
        "headline": f"{stretch}; {owed}",
        "underwater_from": _month_text(timeline.underwater_from),
        "underwater_until": _month_text(timeline.underwater_until),
        "underwater_months": timeline.underwater_months,
        "max_deficiency": timeline.max_deficiency,
        "max_deficiency_month": _month_text(timeline.max_deficiency_month),
        "deficiency_full_recourse": at_default.deficiency,
        # Non-recourse: the borrower owes nothing beyond the collateral; the lender bears the shortfall.
        "deficiency_non_recourse": ZERO,
        "lender_loss_non_recourse": at_default.deficiency,
        "surplus_at_default": at_default.surplus,
        "default_at_month": default_month,
        "steps": _steps(at_default, sale_discount, costs),
        "timeline": timeline.months,
    }


FIELDS = (
    money(
        "loan_amount",
        "Loan amount",
        default="30,000",
        minimum="1",
        help="The amount borrowed, before any payments.",
    ),
    percent(
        "annual_rate",
        "Annual interest rate",
        default="7",
        help="The yearly rate as a percent number: 7 means 7%.",
    ),
    integer(
        "term_months",
        "Term",
        default="72",
        minimum=1,
        maximum=600,
        unit="months",
        help="How many monthly payments: 72 for a 6-year car loan, 360 for a 30-year mortgage.",
    ),
    money(
        "collateral_value",
        "Collateral value at the start",
        default="32,000",
        help="What the car, house or other collateral is worth on the day the loan is made.",
    ),
    percent(
        "annual_value_change",
        "Yearly change in value",
        default="-15",
        minimum="-100",
        maximum="50",  # 50 years at +50 % keeps every amount far inside the 28-digit money formatting
        help="Percent a year, compounded monthly: -15 for a car losing 15% a year, 3 for a home gaining 3%.",
    ),
    percent(
        "first_year_drop",
        "Extra first-year drop",
        default="10",
        required=False,
        help="An extra loss spread over the first 12 months (new cars lose value fastest). Leave empty for none.",
    ),
    percent(
        "sale_discount",
        "Forced-sale discount",
        default="20",
        help="How far below market value a repossession auction or foreclosure sale sells, in percent.",
    ),
    money(
        "costs",
        "Costs of the sale",
        default="1,500",
        help="Costs of taking, storing and selling the collateral, paid out of the sale proceeds first.",
    ),
    integer(
        "default_month",
        "Default month",
        default="24",
        minimum=0,
        maximum=600,
        unit="months",
        help="Payments made before the borrower stops paying and the collateral is sold; at most the term.",
    ),
)

CALCULATOR = Calculator(
    name="underwater",
    title="Underwater loan timeline",
    summary="Month by month: what you owe, what the collateral is worth, and the deficiency a forced sale would leave.",
    fields=FIELDS,
    outputs=(
        Output("headline", "In short", OutputKind.HEADLINE),
        Output(
            "underwater_from", "First underwater month", OutputKind.TEXT, help='A month number, or "never".'
        ),
        Output(
            "underwater_until", "Last underwater month", OutputKind.TEXT, help='A month number, or "never".'
        ),
        Output("underwater_months", "Months underwater", OutputKind.INTEGER),
        Output("max_deficiency", "Largest deficiency over the loan", OutputKind.MONEY),
        Output(
            "max_deficiency_month",
            "Month of the largest deficiency",
            OutputKind.TEXT,
            help='A month number, or "never".',
        ),
        Output("deficiency_full_recourse", "Deficiency you owe at default (full recourse)", OutputKind.MONEY),
        Output("deficiency_non_recourse", "Deficiency you owe at default (non-recourse)", OutputKind.MONEY),
        Output("lender_loss_non_recourse", "Lender's loss at default (non-recourse)", OutputKind.MONEY),
        Output("surplus_at_default", "Surplus paid to you at default", OutputKind.MONEY),
        Output("default_at_month", "Month of the default", OutputKind.INTEGER),
        Output("steps", "Deficiency at default, step by step", OutputKind.STEPS),
        Output(
            "timeline",
            "Month by month",
            OutputKind.ROWS,
            columns=(
                ("month", "Month", OutputKind.INTEGER),
                ("balance", "Balance", OutputKind.MONEY),
                ("value", "Market value", OutputKind.MONEY),
                ("sale_price", "Forced-sale price", OutputKind.MONEY),
                ("net_proceeds", "Forced-sale net proceeds", OutputKind.MONEY),
                ("deficiency", "Deficiency", OutputKind.MONEY),
            ),
            chart=Chart(
                title="What you owe against what the collateral is worth, month by month",
                x="month",
                lines=("balance", "value", "sale_price"),
                band=("underwater_from", "underwater_until"),
                band_label="Underwater",
                marker="default_at_month",
                marker_value="deficiency_full_recourse",
                marker_label="Deficiency at default",
            ),
        ),
    ),
    compute=_compute,
    source="UCC §9-615(a), (d): proceeds pay the sale's costs first, then the debt; the rest is a surplus or deficiency.",
)
