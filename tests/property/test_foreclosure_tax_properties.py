"""Invariants of the foreclosure-tax calculator over random inputs."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from calculators import run
from tests.strategies import cents_amounts

TWO_PLACES = re.compile(r"-?\d+\.\d{2}")
UNSIGNED = (
    "amount_realized",
    "deductible_loss",
    "cancellation_of_debt_income",
    "excluded_income",
    "taxable_cancellation_income",
)


@st.composite
def tax_inputs(draw: st.DrawFn) -> dict[str, str]:
    debt = draw(st.integers(min_value=100, max_value=10**11).map(lambda c: Decimal(c).scaleb(-2)))
    recourse = draw(st.sampled_from(["full", "none"]))
    still_owed = Decimal(0)
    if recourse == "full":
        still_owed = draw(
            st.integers(min_value=0, max_value=int(debt * 100)).map(lambda c: Decimal(c).scaleb(-2))
        )
    insolvency = draw(st.booleans())
    return {
        "debt": f"{debt:,.2f}",
        "fair_market_value": f"{draw(cents_amounts):.2f}",
        "adjusted_basis": f"{draw(cents_amounts):.2f}",
        "recourse": recourse,
        "debt_still_owed": f"{still_owed:.2f}",
        "cash_received": f"{draw(cents_amounts):.2f}",
        "personal_use": draw(st.sampled_from(["yes", "no"])),
        "total_liabilities": f"{draw(cents_amounts):.2f}" if insolvency else "",
        "total_assets": f"{draw(cents_amounts):.2f}" if insolvency else "",
    }


def _ok(inputs: dict[str, str]) -> dict[str, Any]:
    result = run("foreclosure-tax", inputs)
    assert result["ok"] is True, result
    return result


def _d(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("$", ""))


@given(tax_inputs())
def test_invariants(inputs: dict[str, str]) -> None:
    r = _ok(inputs)
    for key in (*UNSIGNED, "gain_or_loss"):
        assert TWO_PLACES.fullmatch(r[key]), (key, r[key])
    for key in UNSIGNED:
        assert Decimal(r[key]) >= 0, key
    for step in r["steps"]:
        assert TWO_PLACES.fullmatch(step["amount"])

    realized = Decimal(r["amount_realized"])
    gain = Decimal(r["gain_or_loss"])
    cod = Decimal(r["cancellation_of_debt_income"])
    debt, cash = _d(inputs["debt"]), _d(inputs["cash_received"])
    assert gain == realized - _d(inputs["adjusted_basis"])
    assert sum(Decimal(s["amount"]) for s in r["steps"]) == gain
    if inputs["recourse"] == "full":
        assert realized <= debt + cash
        assert realized <= _d(inputs["fair_market_value"]) + cash
    else:
        assert realized == debt + cash
        assert cod == 0
    # A loss is deductible only on property not held for personal use, and never more than the loss.
    deductible = Decimal(r["deductible_loss"])
    if inputs["personal_use"] == "yes" or gain >= 0:
        assert deductible == 0
    else:
        assert deductible == -gain
    assert Decimal(r["excluded_income"]) + Decimal(r["taxable_cancellation_income"]) == cod
    assert Decimal(r["excluded_income"]) <= cod
