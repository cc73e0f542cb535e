"""Invariants of the deficiency calculator over random inputs."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from calculators import run
from tests.strategies import cents_amounts

TWO_PLACES = re.compile(r"-?\d+\.\d{2}")
MONEY_OUTPUTS = (
    "total_claim",
    "deficiency",
    "surplus",
    "recoverable_deficiency",
    "borrower_exposure",
    "lender_loss",
)

positive_cents = st.integers(min_value=100, max_value=10**11).map(lambda c: Decimal(c).scaleb(-2))


@st.composite
def deficiency_inputs(draw: st.DrawFn) -> dict[str, str]:
    fair_value_limit = draw(st.sampled_from(["yes", "no"]))
    fmv = draw(st.one_of(st.none(), cents_amounts))
    if fair_value_limit == "yes" and fmv is None:
        fmv = draw(cents_amounts)
    return {
        "debt": f"{draw(positive_cents):,.2f}",
        "accrued_interest": f"{draw(cents_amounts):.2f}",
        "fees": f"{draw(cents_amounts):.2f}",
        "costs": f"{draw(cents_amounts):.2f}",
        "sale_price": f"${draw(cents_amounts):,.2f}",
        "fair_market_value": "" if fmv is None else f"{fmv:.2f}",
        "recourse": draw(st.sampled_from(["full", "none"])),
        "fair_value_limit": fair_value_limit,
        "carve_out": draw(st.sampled_from(["none", "loss", "springing"])),
        "carve_out_loss": f"{draw(cents_amounts):.2f}",
    }


def _ok(inputs: dict[str, str]) -> dict[str, Any]:
    result = run("deficiency", inputs)
    assert result["ok"] is True, result
    return result


@given(deficiency_inputs())
def test_invariants(inputs: dict[str, str]) -> None:
    r = _ok(inputs)
    money = {k: Decimal(r[k]) for k in MONEY_OUTPUTS}
    for key in MONEY_OUTPUTS:
        assert TWO_PLACES.fullmatch(r[key]), (key, r[key])
        assert money[key] >= 0, key
    for step in r["steps"]:
        assert TWO_PLACES.fullmatch(step["amount"])
    for row in r["comparison"]:
        assert TWO_PLACES.fullmatch(row["borrower_exposure"])
        assert TWO_PLACES.fullmatch(row["lender_loss"])

    parts = ("debt", "accrued_interest", "fees", "costs")
    assert money["total_claim"] == sum(Decimal(inputs[k].replace(",", "")) for k in parts)
    assert not (money["surplus"] > 0 and money["deficiency"] > 0)
    assert money["recoverable_deficiency"] <= money["deficiency"]
    assert money["borrower_exposure"] <= money["recoverable_deficiency"]
    assert money["borrower_exposure"] + money["lender_loss"] == money["deficiency"]
    # The steps are a running total ending at the borrower's exposure.
    assert sum(Decimal(s["amount"]) for s in r["steps"]) == money["borrower_exposure"]


@given(deficiency_inputs())
def test_non_recourse_without_carve_out_exposes_nothing(inputs: dict[str, str]) -> None:
    r = _ok({**inputs, "recourse": "none", "carve_out": "none"})
    assert r["borrower_exposure"] == "0.00"
    assert r["comparison"][1]["borrower_exposure"] == "0.00"


@given(deficiency_inputs())
def test_full_recourse_exposure_is_the_recoverable_deficiency(inputs: dict[str, str]) -> None:
    r = _ok({**inputs, "recourse": "full"})
    assert r["borrower_exposure"] == r["recoverable_deficiency"]
    assert r["comparison"][0]["borrower_exposure"] == r["recoverable_deficiency"]
