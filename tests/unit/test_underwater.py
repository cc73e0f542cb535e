"""Underwater timeline: balance vs compound-depreciating collateral, forced-sale deficiency.

Oracles: balances from numpy_financial.fv with the level payment from numpy_financial.pmt
(rounded up to the cent, the payment convention of calculators.amortization); collateral values by hand from the stated rule
value[m] = V0 * (1 + a) ** (m / 12) * (1 - d) ** (min(m, 12) / 12); the deficiency from the
UCC 9-615(a) order (sale costs first, then the debt).
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path

import numpy_financial as npf
import pytest

from calckit.money import WIDE
from calculators import run
from calculators.underwater import monthly_factor, underwater
from tests.cli import run_cli

ROOT = Path(__file__).resolve().parents[2]
D = Decimal


def car(**overrides: str) -> dict[str, object]:
    """30,000 at 7% over 72 months on a 32,000 car losing 15% a year plus 10% in year one."""
    inputs = {
        "loan_amount": "30,000",
        "annual_rate": "7",
        "term_months": "72",
        "collateral_value": "32,000",
        "annual_value_change": "-15",
        "first_year_drop": "10",
        "sale_discount": "20",
        "costs": "1,500",
        "default_month": "24",
    }
    inputs.update(overrides)
    return run("underwater", inputs)


def npf_balance(month: int) -> float:
    """Balance after ``month`` payments: numpy_financial.fv with npf.pmt rounded up to the cent."""
    rate = 0.07 / 12
    payment = math.ceil(npf.pmt(rate, 72, -30000) * 100) / 100  # 511.4702 -> 511.48
    return float(-npf.fv(rate, month, -payment, 30000))


def test_car_values_by_hand() -> None:
    result = car()
    assert result["ok"] is True
    rows = result["timeline"]
    assert len(rows) == 73
    assert rows[0] == {
        "month": 0,
        "balance": "30000.00",
        "value": "32000.00",
        "sale_price": "25600.00",
        "net_proceeds": "24100.00",
        "deficiency": "5900.00",
    }  # month 0: 32,000 x 0.8 = 25,600 sale; net 25,600 - 1,500 = 24,100; 30,000 + 1,500 - 25,600 = 5,900
    assert rows[12]["value"] == "24480.00"  # 32,000 x 0.85 x 0.90
    assert rows[24]["value"] == "20808.00"  # 32,000 x 0.85^2 x 0.90
    assert rows[36]["value"] == "17686.80"  # 32,000 x 0.85^3 x 0.90
    assert rows[6]["value"] == "27988.57"  # 32,000 x sqrt(0.85 x 0.90) = 27,988.569...
    assert D(rows[6]["value"]) == round(D(32000 * math.sqrt(0.85 * 0.9)), 2)


def test_car_balances_match_numpy_financial() -> None:
    rows = car()["timeline"]
    for m in (1, 12, 24, 48, 71):
        # per-row cent rounding of interest drifts at most a few cents from the unrounded fv
        assert abs(float(rows[m]["balance"]) - npf_balance(m)) < 0.05, m
    assert rows[72]["balance"] == "0.00"


def test_car_underwater_window_and_deficiency() -> None:
    result = car()
    # Oracle: balance (npf.fv) vs value (hand rule) month by month; the margins are at least $37.
    under = [m for m in range(73) if npf_balance(m) > 32000 * 0.85 ** (m / 12) * 0.9 ** (min(m, 12) / 12)]
    assert (under[0], under[-1], len(under)) == (7, 28, 22)
    assert (result["underwater_from"], result["underwater_until"], result["underwater_months"]) == (
        "7",
        "28",
        22,
    )
    # Month 24: balance 21,358.85 (npf.fv 21,358.8465); sale 20,808 x 0.8 = 16,646.40;
    # deficiency 21,358.85 + 1,500 - 16,646.40 = 6,212.45
    assert abs(npf_balance(24) - 21358.85) < 0.01
    assert result["deficiency_full_recourse"] == "6212.45"
    assert result["deficiency_non_recourse"] == "0.00"
    assert result["lender_loss_non_recourse"] == "6212.45"
    assert result["surplus_at_default"] == "0.00"
    assert result["steps"] == [
        {"label": "Balance owed after payment 24", "amount": "21358.85"},
        {"label": "Forced-sale price: market value $20,808.00 less the 20% discount", "amount": "-16646.40"},
        {
            "label": "Costs of taking and selling the collateral, paid first from the proceeds",
            "amount": "1500.00",
        },
    ]
    # Largest deficiency at month 12: 25,830.15 (npf.fv 25,830.1429) + 1,500 - 24,480 x 0.8 = 7,746.15;
    # month 0 gives 5,900.00, months 11 and 13 about 7,663 and 7,649.
    assert abs(npf_balance(12) - 25830.15) < 0.01
    assert (result["max_deficiency"], result["max_deficiency_month"]) == ("7746.15", "12")


def test_never_underwater() -> None:
    # 0% loan of 12,000 over 12 months (1,000 a month) on collateral worth 12,000 losing 50% a year:
    # 12,000 x 0.5 ** (m/12) >= 12,000 x (1 - m/12) for every m (a convex curve over its chord)
    result = car(
        loan_amount="12,000",
        annual_rate="0",
        term_months="12",
        collateral_value="12,000",
        annual_value_change="-50",
        first_year_drop="",
        sale_discount="0",
        costs="0",
        default_month="6",
    )
    assert (result["underwater_from"], result["underwater_until"], result["underwater_months"]) == (
        "never",
        "never",
        0,
    )
    assert (result["max_deficiency"], result["max_deficiency_month"]) == ("0.00", "never")
    assert result["timeline"][6]["value"] == "8485.28"  # 12,000 x sqrt(0.5) = 8,485.2814
    # balance 6,000, sale 8,485.28, no costs: surplus 2,485.28 goes to the borrower (UCC 9-615(d)(1))
    assert (result["deficiency_full_recourse"], result["surplus_at_default"]) == ("0.00", "2485.28")
    assert result["steps"][-1] == {"label": "Surplus paid to the borrower", "amount": "2485.28"}
    assert sum(D(s["amount"]) for s in result["steps"]) == 0


def test_costs_above_the_sale_price_add_to_the_debt() -> None:
    # Default before any payment: 5,000 owed; worth 1,000, sold at 50% off = 500; costs 800 > 500.
    # Net proceeds 0.00; deficiency 5,000 + 800 - 500 = 5,300.00
    result = car(
        loan_amount="5,000",
        annual_rate="0",
        term_months="10",
        collateral_value="1,000",
        annual_value_change="0",
        first_year_drop="",
        sale_discount="50",
        costs="800",
        default_month="0",
    )
    assert result["timeline"][0]["net_proceeds"] == "0.00"
    assert result["deficiency_full_recourse"] == "5300.00"
    assert result["steps"][0] == {
        "label": "Balance owed at origination (no payments made)",
        "amount": "5000.00",
    }
    assert (result["underwater_from"], result["underwater_until"]) == (
        "0",
        "7",
    )  # 5,000 - 500m > 1,000 for m <= 7


def test_total_loss_in_a_month() -> None:
    # -100% a year: the monthly factor is 0, so the value is 0.00 from month 1
    assert monthly_factor(D("-100")) == 0
    t = underwater(
        D("1000"),
        D("0"),
        2,
        collateral_value=D("5000"),
        annual_value_change=D("-100"),
        first_year_drop=None,
        sale_discount=D("0"),
        costs=D("0"),
    )
    assert [str(m.value) for m in t.months] == ["5000.00", "0.00", "0.00"]
    assert (t.underwater_from, t.underwater_until) == (1, 1)  # month 2's balance is 0.00


def test_rising_value_and_one_year_factor() -> None:
    # +3% a year: 12 monthly factors give 1.03 (to 20 places)
    assert round(WIDE.power(monthly_factor(D("3")), 12), 20) == D("1.03")
    result = car(
        annual_value_change="3",
        first_year_drop="",
        collateral_value="100,000",
        term_months="24",
        default_month="24",
    )
    assert result["timeline"][12]["value"] == "103000.00"
    assert result["timeline"][24]["value"] == "106090.00"  # 100,000 x 1.03^2


def test_largest_inputs_stay_exact() -> None:
    # Every money field at its maximum and the value growing 50% a year for 50 years:
    # 10^12 x 1.5^50 = 6.4 x 10^20, still formatted to the cent.
    top = "1,000,000,000,000"
    result = car(
        loan_amount=top,
        collateral_value=top,
        costs=top,
        annual_value_change="50",
        first_year_drop="",
        term_months="600",
        default_month="600",
        annual_rate="100",
    )
    assert result["ok"] is True, result
    assert abs(D(result["timeline"][600]["value"]) / (D(10**12) * D("1.5") ** 50) - 1) < D("1e-20")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"default_month": "73"},
            "default_month",
            "Default month must be a whole number between 0 and 72 (the term in months).",
        ),
        (
            {"default_month": "601"},
            "default_month",
            "Default month must be a whole number between 0 and 600.",
        ),
        (
            {"annual_value_change": "-101"},
            "annual_value_change",
            "Yearly change in value must be a number between -100 and 50.",
        ),
        (
            {"first_year_drop": "abc"},
            "first_year_drop",
            "Extra first-year drop must be a number between 0 and 100, written like 10.",
        ),
        (
            {"sale_discount": "20.12345"},
            "sale_discount",
            "Forced-sale discount must have at most 4 decimal places.",
        ),
    ],
)
def test_validation_messages(overrides: dict[str, str], field: str, message: str) -> None:
    assert car(**overrides) == {"ok": False, "errors": {field: message}}


def test_cli_runs_underwater() -> None:
    proc = run_cli(
        "run",
        "underwater",
        "loan_amount=5000",
        "annual_rate=0",
        "term_months=10",
        "collateral_value=1000",
        "annual_value_change=0",
        "first_year_drop=",
        "sale_discount=50",
        "costs=800",
        "default_month=0",
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["deficiency_full_recourse"] == "5300.00"  # 5,000 + 800 - 500
    bad = run_cli("run", "underwater", "term_months=12", "default_month=13")
    assert bad.returncode == 2
    assert json.loads(bad.stdout)["errors"] == {
        "default_month": "Default month must be a whole number between 0 and 12 (the term in months)."
    }
