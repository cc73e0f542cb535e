"""Recourse premium: present value of the extra interest vs the expected deficiency avoided.

Oracles: numpy_financial.pmt for both payments, numpy_financial.pv for the extra payments as an
annuity, numpy_financial.npv over the month-by-month expected deficiency (survival x hazard x D),
and a float bisection over that npv for the break-even; hand arithmetic for the small cases.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path

import numpy_financial as npf
import pytest

from calculators import run
from calculators.recourse_premium import discounted_default_value, monthly_hazard, premium
from tests.cli import run_cli

ROOT = Path(__file__).resolve().parents[2]
D = Decimal


def compare(**overrides: str) -> dict[str, object]:
    inputs = {
        "loan_amount": "300,000",
        "term_months": "360",
        "recourse_rate": "6.5",
        "non_recourse_rate": "6.75",
        "annual_default_probability": "1",
        "expected_deficiency": "40,000",
        "discount_rate": "5",
    }
    inputs.update(overrides)
    return run("recourse-premium", inputs)


def npf_protection(p: float, deficiency: float, j: float, n: int) -> float:
    """numpy_financial.npv of D x P(default in month t), t = 1..n, with P = (1 - q)^(t-1) q."""
    q = 1 - (1 - p) ** (1 / 12)
    return float(npf.npv(j, [0.0] + [deficiency * (1 - q) ** (t - 1) * q for t in range(1, n + 1)]))


def npf_break_even(target: float, deficiency: float, j: float, n: int) -> float:
    lo, hi = 0.0, 1.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if npf_protection(mid, deficiency, j, n) < target else (lo, mid)
    return hi * 100


def test_default_inputs_against_numpy_financial() -> None:
    result = compare()
    assert result["ok"] is True
    # numpy_financial.pmt: 1,896.2041 and 1,945.7943, billed rounded up: 1,896.21 and 1,945.80
    recourse, non_recourse = npf.pmt(0.065 / 12, 360, -300000), npf.pmt(0.0675 / 12, 360, -300000)
    assert result["recourse_payment"] == "1896.21" == f"{math.ceil(recourse * 100) / 100:.2f}"
    assert result["non_recourse_payment"] == "1945.80" == f"{math.ceil(non_recourse * 100) / 100:.2f}"
    assert result["extra_payment"] == "49.59"
    # The comparison uses the exact payments: numpy_financial.pv(0.05/12, 360, -49.590219) = 9,237.7462
    assert (
        result["pv_extra_interest"] == "9237.75" == f"{npf.pv(0.05 / 12, 360, recourse - non_recourse):.2f}"
    )
    # npv of 40,000 x (1 - q)^(t-1) q, q = 1 - 0.99^(1/12) = 0.000837177: 5,584.2701
    assert result["pv_protection"] == "5584.27" == f"{npf_protection(0.01, 40000, 0.05 / 12, 360):.2f}"
    assert result["monthly_default_probability"] == "0.0837"  # 100 x (1 - 0.99^(1/12)) = 0.08372
    assert result["default_within_term"] == "26.0300"  # 100 x (1 - 0.99^30) = 26.0300
    # float bisection on the npv oracle: 1.79229 %
    oracle = npf_break_even(9237.746227, 40000, 0.05 / 12, 360)
    assert abs(float(result["break_even_default_probability"]) - oracle) <= 0.0001
    assert result["break_even_default_probability"] == "1.7923"
    assert result["verdict"] == (
        "On expected value the recourse loan is cheaper: the extra interest ($9,237.75) costs more than the "
        "protection is worth ($5,584.27). The two balance at an annual default probability of 1.7923%."
    )
    assert result["steps"] == [
        {"label": "Present value of the deficiency you would not owe", "amount": "5584.27"},
        {"label": "Present value of the extra payments on the non-recourse loan", "amount": "-9237.75"},
    ]


def test_worth_it_when_default_is_likely() -> None:
    result = compare(annual_default_probability="5")
    expected = npf_protection(0.05, 40000, 0.05 / 12, 360)  # numpy_financial.npv oracle
    assert result["pv_protection"] == f"{expected:.2f}"
    assert D(result["pv_protection"]) > D(result["pv_extra_interest"])
    assert result["verdict"].startswith("On expected value the non-recourse loan is worth its higher rate")


def test_hand_small_cases() -> None:
    # One month, 0% vs 12%: exact payments 1,000.00 and 1,010.00 (1,000 x 1.01); no discounting;
    # certain default: protection = 500 x 1 = 500.00; break-even: 500 x (1 - (1 - p)^(1/12)) = 10
    # -> q = 0.02, p = 1 - 0.98^12 = 1 - 0.78471665 (0.98^4 = 0.92236816, ^8 = 0.85076302) = 21.5283 %
    result = compare(
        loan_amount="1,000",
        term_months="1",
        recourse_rate="0",
        non_recourse_rate="12",
        annual_default_probability="100",
        expected_deficiency="500",
        discount_rate="0",
    )
    assert (result["pv_extra_interest"], result["pv_protection"]) == ("10.00", "500.00")
    assert result["break_even_default_probability"] == "21.5283"
    # Two months of q = 0.5 with no discounting: 0.5 + 0.5 x 0.5 = 0.75 of the deficiency
    assert discounted_default_value(D("0.5"), D("1"), 2) == D("0.75")
    # ... and with v = 1 / 1.01 per month: 0.5/1.01 + 0.25/1.01^2 = 0.495050 + 0.245074 = 0.740124
    value = discounted_default_value(D("0.5"), 1 / D("1.01"), 2)
    assert round(value, 6) == D("0.740124")
    assert monthly_hazard(D("0")) == 0
    assert monthly_hazard(D("1")) == 1


def test_equal_rates_break_even_at_zero() -> None:
    result = compare(non_recourse_rate="6.5")
    assert (result["extra_payment"], result["pv_extra_interest"]) == ("0.00", "0.00")
    assert result["break_even_default_probability"] == "0.0000"
    assert result["verdict"].startswith("On expected value the non-recourse loan is worth its higher rate")


def test_no_break_even_when_the_deficiency_is_small() -> None:
    # Certain default in month 1 avoids 1,000 / (1 + 0.05/12) = 995.85 < 9,237.75 of extra interest
    result = compare(expected_deficiency="1,000")
    assert result["break_even_default_probability"] == "n/a"
    assert result["verdict"].endswith(
        "No default probability makes up for it: even a certain default in the first month "
        "would avoid less than the extra interest costs."
    )


def test_zero_probability_and_zero_deficiency() -> None:
    result = compare(annual_default_probability="0")
    assert (result["pv_protection"], result["monthly_default_probability"]) == ("0.00", "0.0000")
    assert compare(expected_deficiency="0")["break_even_default_probability"] == "n/a"


def test_premium_verb_keeps_unrounded_values() -> None:
    r = premium(
        D("300000"),
        360,
        D("6.5"),
        D("6.75"),
        annual_default_probability=D("1"),
        expected_deficiency=D("40000"),
        discount_rate=D("5"),
    )
    # numpy_financial.pv of the exact payments' difference (see test_default_inputs_against_numpy_financial)
    assert abs(float(r.pv_extra_interest) - 9237.746227042278) < 1e-6
    assert abs(float(r.pv_protection) - 5584.270070961067) < 1e-6  # numpy_financial.npv


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"non_recourse_rate": "6"},
            "non_recourse_rate",
            "Non-recourse loan rate must be a number between 6.5 (the recourse rate) and 100: "
            "a non-recourse loan that is also cheaper needs no comparison.",
        ),
        (
            {"annual_default_probability": "101"},
            "annual_default_probability",
            "Chance of default per year must be a number between 0 and 100.",
        ),
        ({"term_months": "0"}, "term_months", "Term must be a whole number between 1 and 600."),
        (
            {"expected_deficiency": "-5"},
            "expected_deficiency",
            "Deficiency if you default must be a number between 0 and 1,000,000,000,000.",
        ),
    ],
)
def test_validation_messages(overrides: dict[str, str], field: str, message: str) -> None:
    assert compare(**overrides) == {"ok": False, "errors": {field: message}}


def test_cli_runs_recourse_premium() -> None:
    proc = run_cli(
        "run",
        "recourse-premium",
        "loan_amount=1000",
        "term_months=1",
        "recourse_rate=0",
        "non_recourse_rate=12",
        "annual_default_probability=100",
        "expected_deficiency=500",
        "discount_rate=0",
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert (result["pv_extra_interest"], result["pv_protection"]) == ("10.00", "500.00")  # see the hand case


def test_a_one_dollar_loan_is_not_called_worth_it_by_cent_rounding() -> None:
    # Both loans bill the same cents a month, but the exact payments differ by a tiny amount; with a
    # deficiency of at most the loan ($1) and a 1% yearly default chance, protection is worth
    # about a cent. The verdict follows the exact values (the module docstring), so the figures
    # shown must agree with it.
    result = compare(loan_amount="1", expected_deficiency="1")
    assert result["recourse_payment"] == result["non_recourse_payment"]
    extra, protection = D(result["pv_extra_interest"]), D(result["pv_protection"])
    assert (protection > extra) == result["verdict"].startswith("On expected value the non-recourse loan")


def test_the_deficiency_cannot_exceed_the_loan() -> None:
    assert compare(loan_amount="1,000", expected_deficiency="1,000.01")["errors"] == {
        "expected_deficiency": "Deficiency if you default must be a number between 0 and $1,000.00 (the loan "
        "amount): a deficiency is what is left of the debt after the sale."
    }


def test_a_negative_zero_deficiency_reads_as_zero_dollars() -> None:
    # "-0" is a valid way to type zero; the verdict must write it as "$0.00" (money.dollars), not "$-0.00".
    verdict = run("recourse-premium", {"expected_deficiency": "-0"})["verdict"]
    assert "($0.00)" in verdict
    assert "$-" not in verdict
