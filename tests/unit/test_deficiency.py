"""Deficiency calculator: the UCC §9-615 waterfall, the fair-value limit, recourse and carve-outs.

No published worked example gives every number below, so each golden value shows the hand
arithmetic from the rule it cites.
"""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from calckit.fields import InputError
from calculators import run
from calculators.deficiency import CarveOut, Recourse, deficiency
from tests.cli import run_cli

ROOT = Path(__file__).resolve().parents[2]
D = Decimal


def car(**overrides: str) -> dict[str, str]:
    """A repossessed car: 18,000 principal, 450 interest, 150 fees, 1,200 costs, sold for 9,500."""
    inputs = {
        "debt": "18,000",
        "accrued_interest": "450",
        "fees": "150",
        "costs": "1,200",
        "sale_price": "9,500",
    }
    inputs.update(overrides)
    return inputs


def test_car_repossession_waterfall() -> None:
    result = run("deficiency", car())
    assert result["ok"] is True
    # total claim: 18,000 + 450 + 150 + 1,200 = 19,800
    assert result["total_claim"] == "19800.00"
    # UCC §9-615(a)(1): 1,200 of the 9,500 pays the costs first; (a)(2): the other 8,300 goes to the
    # debt, interest and fees of 18,600, leaving 18,600 - 8,300 = 10,300 (§9-615(d)(2)).
    assert result["deficiency"] == "10300.00"
    assert result["surplus"] == "0.00"
    assert result["recoverable_deficiency"] == "10300.00"
    # Full recourse: the borrower answers for the whole 10,300; the lender absorbs nothing.
    assert result["borrower_exposure"] == "10300.00"
    assert result["lender_loss"] == "0.00"
    assert result["steps"] == [
        {"label": "Unpaid principal at default", "amount": "18000.00"},
        {"label": "Accrued interest", "amount": "450.00"},
        {"label": "Late and default fees", "amount": "150.00"},
        {"label": "Costs of repossession or foreclosure, holding and sale", "amount": "1200.00"},
        {"label": "Sale proceeds applied to those costs first (UCC §9-615(a)(1))", "amount": "-1200.00"},
        {
            "label": "Sale proceeds applied to the debt, interest and fees (UCC §9-615(a)(2))",
            "amount": "-8300.00",
        },
    ]
    # The steps are a running total that ends at the deficiency.
    assert sum(D(s["amount"]) for s in result["steps"]) == D("10300.00")


def test_surplus_goes_to_the_borrower() -> None:
    # 5,000 debt + 500 costs = 5,500 claim; a 7,000 sale leaves 7,000 - 5,500 = 1,500 surplus
    # (UCC §9-615(d)(1)) and no deficiency.
    result = run("deficiency", {"debt": "5,000", "costs": "500", "sale_price": "7,000"})
    assert (result["deficiency"], result["surplus"]) == ("0.00", "1500.00")
    assert [s["amount"] for s in result["steps"][-2:]] == ["-500.00", "-5000.00"]


def test_sale_smaller_than_the_costs_pays_only_costs() -> None:
    # §9-615(a)(1) first: a 1,500 sale against 2,000 of costs pays 1,500 of costs and nothing of the
    # 1,000 debt; deficiency 3,000 - 1,500 = 1,500.
    result = run("deficiency", {"debt": "1,000", "costs": "2,000", "sale_price": "1,500"})
    assert result["deficiency"] == "1500.00"
    assert [s["amount"] for s in result["steps"][-2:]] == ["-1500.00", "0.00"]


LAND = {
    "debt": "280,000",
    "accrued_interest": "12,000",
    "fees": "3,000",
    "costs": "5,000",
    "sale_price": "200,000",
    "fair_market_value": "240,000",
    "fair_value_limit": "yes",
}


def test_fair_value_limit_credits_the_greater_value() -> None:
    # A.R.S. §33-814(A) (also NRS 40.459, RPAPL §1371(2), CCP §726(b)): total owed
    # 280,000 + 12,000 + 3,000 + 5,000 = 300,000, less the higher of 240,000 value and 200,000 price:
    # 300,000 - 240,000 = 60,000. Without the limit: 300,000 - 200,000 = 100,000.
    result = run("deficiency", LAND)
    assert result["deficiency"] == "100000.00"
    assert result["recoverable_deficiency"] == "60000.00"
    assert result["borrower_exposure"] == "60000.00"
    # The lender bears the 40,000 fair-value credit: 100,000 - 60,000.
    assert result["lender_loss"] == "40000.00"
    assert result["steps"][-1] == {
        "label": "Fair-value credit above the sale price",
        "amount": "-40000.00",
    }


def test_fair_value_below_the_sale_price_changes_nothing() -> None:
    # The greater of 180,000 value and 200,000 price is the price: 300,000 - 200,000 = 100,000.
    result = run("deficiency", {**LAND, "fair_market_value": "180,000"})
    assert result["recoverable_deficiency"] == "100000.00"


def test_fair_market_value_is_ignored_without_the_limit() -> None:
    result = run("deficiency", {**LAND, "fair_value_limit": "no"})
    assert result["recoverable_deficiency"] == "100000.00"


@pytest.mark.parametrize(
    ("carve_out", "carve_out_loss", "exposure", "lender_loss"),
    [
        # Non-recourse, nothing triggered: the borrower owes nothing; the lender absorbs all 100,000.
        ("none", "25,000", "0.00", "100000.00"),
        # Loss recourse below the cap: min(25,000, 60,000) = 25,000; lender 100,000 - 25,000 = 75,000.
        ("loss", "25,000", "25000.00", "75000.00"),
        # Loss recourse above the cap: min(90,000, 60,000) = 60,000; lender 100,000 - 60,000 = 40,000.
        ("loss", "90,000", "60000.00", "40000.00"),
        # Springing recourse: the whole 60,000 recoverable deficiency; lender 40,000.
        ("springing", "0", "60000.00", "40000.00"),
    ],
)
def test_non_recourse_and_carve_outs(
    carve_out: str, carve_out_loss: str, exposure: str, lender_loss: str
) -> None:
    inputs = {**LAND, "recourse": "none", "carve_out": carve_out, "carve_out_loss": carve_out_loss}
    result = run("deficiency", inputs)
    assert (result["borrower_exposure"], result["lender_loss"]) == (exposure, lender_loss)
    # The last step takes the running total from the recoverable deficiency (60,000) to the exposure.
    assert result["steps"][-1]["label"] == "Not recoverable from the borrower: non-recourse loan"
    assert D(result["steps"][-1]["amount"]) == D(exposure) - D("60000")


def test_carve_out_has_no_effect_with_full_recourse() -> None:
    result = run("deficiency", {**LAND, "carve_out": "loss", "carve_out_loss": "1"})
    assert result["borrower_exposure"] == "60000.00"


def test_comparison_rows_show_both_scenarios() -> None:
    result = run("deficiency", {**LAND, "carve_out": "loss", "carve_out_loss": "25,000"})
    # Same figures as the carve-out table above: full recourse 60,000 / 40,000; loss recourse 25,000 / 75,000.
    assert result["comparison"] == [
        {"scenario": "Full recourse", "borrower_exposure": "60000.00", "lender_loss": "40000.00"},
        {
            "scenario": "Non-recourse, loss-recourse carve-out",
            "borrower_exposure": "25000.00",
            "lender_loss": "75000.00",
        },
    ]


def test_verb_takes_typed_values() -> None:
    r = deficiency(
        D("100"), D("0"), D("0"), D("0"), D("40"), recourse=Recourse.NONE, carve_out=CarveOut.SPRINGING
    )
    # Springing recourse on a 100 - 40 = 60 shortfall.
    assert (r.deficiency, r.borrower_exposure, r.lender_loss) == (D("60.00"), D("60.00"), D("0.00"))


def test_fair_value_limit_without_a_value_raises() -> None:
    with pytest.raises(InputError, match=r"^fair_market_value: ") as info:
        deficiency(D("100"), D("0"), D("0"), D("0"), D("40"), fair_value_limit=True)
    assert info.value.message == (
        "Fair market value is required when the fair-value limit is Yes: enter a number of at least 0, "
        "or set the fair-value limit to No."
    )


@pytest.mark.parametrize(
    ("field", "raw", "message"),
    [
        ("debt", "0", "Unpaid principal must be a number between 1 and 1,000,000,000,000."),
        ("debt", "", "Unpaid principal is required: enter a number between 1 and 1,000,000,000,000."),
        ("sale_price", "-5", "Sale price must be a number between 0 and 1,000,000,000,000."),
        ("costs", "12.345", "Repossession or foreclosure costs must have at most 2 decimal places."),
        ("recourse", "partial", "Recourse must be one of: full, none."),
        ("fair_value_limit", "maybe", "Fair-value limit must be one of: yes, no."),
        ("carve_out", "bad-boy", "Carve-out triggered must be one of: none, loss, springing."),
        (
            "fair_market_value",
            "lots",
            "Fair market value must be a number between 0 and 1,000,000,000,000, written like 1,000.",
        ),
    ],
)
def test_validation_messages(field: str, raw: str, message: str) -> None:
    assert run("deficiency", car(**{field: raw})) == {"ok": False, "errors": {field: message}}


def test_missing_fair_value_is_reported_on_that_field() -> None:
    result = run("deficiency", car(fair_value_limit="yes"))
    assert result == {
        "ok": False,
        "errors": {
            "fair_market_value": "Fair market value is required when the fair-value limit is Yes: enter a "
            "number of at least 0, or set the fair-value limit to No."
        },
    }


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("run", "deficiency", *args)


def test_cli_success_exits_0() -> None:
    proc = _cli("debt=18,000", "costs=1,200", "accrued_interest=450", "fees=150", "sale_price=9,500")
    assert proc.returncode == 0
    # Same hand arithmetic as test_car_repossession_waterfall.
    assert json.loads(proc.stdout)["deficiency"] == "10300.00"


def test_cli_invalid_input_exits_2() -> None:
    proc = _cli("debt=0")
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["errors"] == {
        "debt": "Unpaid principal must be a number between 1 and 1,000,000,000,000."
    }
