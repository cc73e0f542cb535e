"""Invariants of the amortization, underwater, garnishment and recourse-premium calculators.

- garnishment never takes more than 25 % of disposable earnings, nor anything at or below the
  protected floor (15 U.S.C. §1673(a));
- a schedule's principal parts sum to the loan, its balance never rises and it ends at 0.00;
- every money value any of these calculators returns has exactly two decimals;
- the underwater deficiency is never negative, and non-recourse leaves the borrower owing 0.00.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calckit.fields import OutputKind
from calculators import CALCULATORS, run
from calculators.amortization import amortize
from calculators.garnishment import PayPeriod, max_garnishment
from tests.strategies import cents_amounts, money_text

TWO_PLACES = re.compile(r"-?\d+\.\d{2}")
MINE = ("amortization", "underwater", "garnishment", "recourse-premium")

loans = st.integers(min_value=100, max_value=10**11).map(lambda c: Decimal(c).scaleb(-2))
rates = st.integers(min_value=0, max_value=300_000).map(lambda r: Decimal(r).scaleb(-4))  # 0 to 30 %
terms = st.integers(min_value=1, max_value=600)
percents = st.integers(min_value=0, max_value=1_000_000).map(lambda p: Decimal(p).scaleb(-4))  # 0 to 100 %
spreads = st.integers(min_value=0, max_value=50_000).map(lambda r: Decimal(r).scaleb(-4))  # 0 to 5 points
changes = st.integers(min_value=-1_000_000, max_value=500_000).map(lambda p: Decimal(p).scaleb(-4))
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@given(
    cents_amounts, st.sampled_from(list(PayPeriod)), st.one_of(st.none(), percents.filter(lambda p: p <= 25))
)
def test_garnishment_never_exceeds_a_quarter_of_disposable_earnings(
    earnings: Decimal, period: PayPeriod, state: Decimal | None
) -> None:
    limit = max_garnishment(earnings, period, state)
    assert Decimal(0) <= limit.amount <= earnings / 4
    assert limit.amount <= max(Decimal(0), earnings - limit.protected)
    if state is not None:
        assert limit.amount <= earnings * state / 100
    assert limit.amount == limit.amount.quantize(Decimal("0.01"))


@FAST
@given(loans, rates, terms)
def test_schedule_principal_sums_to_loan_and_balance_never_rises(
    loan: Decimal, rate: Decimal, term: int
) -> None:
    s = amortize(loan, rate, term)
    assert sum((row.principal for row in s.rows), Decimal(0)) == loan
    assert s.rows[-1].balance == Decimal("0.00")
    previous = loan
    for row in s.rows:
        assert Decimal(0) <= row.balance <= previous
        assert row.principal >= 0
        assert row.interest >= 0
        previous = row.balance


@st.composite
def underwater_inputs(draw: st.DrawFn) -> dict[str, str]:
    term = draw(terms)
    return {
        "loan_amount": draw(loans.flatmap(money_text)),
        "annual_rate": f"{draw(rates)}",
        "term_months": str(term),
        "collateral_value": f"{draw(cents_amounts):.2f}",
        "annual_value_change": f"{draw(changes)}",
        "first_year_drop": draw(st.one_of(st.just(""), percents.map(str))),
        "sale_discount": f"{draw(percents)}",
        "costs": f"{draw(cents_amounts):,.2f}",
        "default_month": str(draw(st.integers(min_value=0, max_value=term))),
    }


@st.composite
def garnishment_inputs(draw: st.DrawFn) -> dict[str, str]:
    return {
        "disposable_earnings": draw(cents_amounts.flatmap(money_text)),
        "pay_period": draw(st.sampled_from([p.value for p in PayPeriod])),
        "judgment": f"{draw(loans):.2f}",
        "annual_interest_rate": f"{draw(percents)}",
        "state_limit_percent": draw(st.one_of(st.just(""), percents.filter(lambda p: p <= 25).map(str))),
    }


@st.composite
def premium_inputs(draw: st.DrawFn) -> dict[str, str]:
    recourse = draw(rates)
    loan = draw(loans)
    return {
        "loan_amount": f"{loan:.2f}",
        "term_months": str(draw(terms)),
        "recourse_rate": f"{recourse}",
        "non_recourse_rate": f"{recourse + draw(spreads)}",
        "annual_default_probability": f"{draw(percents)}",
        # A deficiency is what is left of the debt, so at most the loan (the calculator's rule).
        "expected_deficiency": f"{min(draw(cents_amounts), loan):.2f}",
        "discount_rate": f"{draw(rates)}",
    }


@st.composite
def amortization_inputs(draw: st.DrawFn) -> dict[str, str]:
    return {
        "loan_amount": f"{draw(loans):.2f}",
        "annual_rate": f"{draw(rates)}",
        "term_months": str(draw(terms)),
    }


STRATEGIES = {
    "amortization": amortization_inputs(),
    "underwater": underwater_inputs(),
    "garnishment": garnishment_inputs(),
    "recourse-premium": premium_inputs(),
}


def money_values(name: str, result: dict[str, Any]) -> list[str]:
    """Every money string in a result, found through the calculator's declared outputs."""
    found: list[str] = []
    for output in CALCULATORS[name].outputs:
        value = result[output.name]
        if output.kind is OutputKind.MONEY:
            found.append(value)
        elif output.kind is OutputKind.STEPS:
            found.extend(step["amount"] for step in value)
        elif output.kind is OutputKind.ROWS:
            money_keys = [key for key, _label, kind in output.columns if kind is OutputKind.MONEY]
            found.extend(row[key] for row in value for key in money_keys)
    return found


@FAST
@given(st.sampled_from(MINE).flatmap(lambda name: st.tuples(st.just(name), STRATEGIES[name])))
def test_every_money_output_has_exactly_two_decimals(case: tuple[str, dict[str, str]]) -> None:
    name, inputs = case
    result = run(name, inputs)
    assert result["ok"] is True, result
    assert set(result) == {"ok"} | {o.name for o in CALCULATORS[name].outputs}
    for value in money_values(name, result):
        assert isinstance(value, str), (name, value)
        assert TWO_PLACES.fullmatch(value), (name, value)


@FAST
@given(underwater_inputs())
def test_underwater_deficiency_is_never_negative(inputs: dict[str, str]) -> None:
    result = run("underwater", inputs)
    assert result["ok"] is True, result
    assert all(Decimal(row["deficiency"]) >= 0 for row in result["timeline"])
    assert all(Decimal(row["net_proceeds"]) >= 0 for row in result["timeline"])
    assert Decimal(result["deficiency_full_recourse"]) >= 0
    assert result["deficiency_non_recourse"] == "0.00"
    assert result["lender_loss_non_recourse"] == result["deficiency_full_recourse"]
    assert Decimal(result["max_deficiency"]) >= Decimal(result["deficiency_full_recourse"])
    # the steps are a running total that lands on the deficiency
    assert sum(Decimal(s["amount"]) for s in result["steps"]) == Decimal(result["deficiency_full_recourse"])
