"""Wage garnishment: the 15 U.S.C. §1673(a) limit per pay period and the payoff of a judgment.

Oracles: the statute (lesser of 25 % and the excess over 30 x the minimum wage); 29 CFR §870.10
(a month is 4 1/3 weeks, giving 60, 65 and 130 x for biweekly, semimonthly and monthly pay);
DOL Fact Sheet #30 ($7.25, the $217.50 weekly floor, the $580 biweekly example); the California
FTB withholding table, which prints the same federal floors; numpy_financial.nper/fv for payoff.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path

import numpy_financial as npf
import pytest

from calculators import run
from calculators.garnishment import PayPeriod, max_garnishment, repay
from tests.cli import run_cli

ROOT = Path(__file__).resolve().parents[2]
D = Decimal


def garnish(**overrides: str) -> dict[str, object]:
    inputs = {
        "disposable_earnings": "1,200",
        "pay_period": "biweekly",
        "judgment": "12,000",
        "annual_interest_rate": "9",
        "state_limit_percent": "",
    }
    inputs.update(overrides)
    return run("garnishment", inputs)


@pytest.mark.parametrize(
    ("period", "floor"),
    [
        (PayPeriod.WEEKLY, "217.50"),  # 30 x 7.25; DOL Fact Sheet #30 and the CA FTB table
        (PayPeriod.BIWEEKLY, "435.00"),  # 60 x 7.25 = 2 weeks x 217.50 (29 CFR 870.10); CA FTB table
        (PayPeriod.SEMIMONTHLY, "471.25"),  # 65 x 7.25 = 2 1/6 weeks x 217.50; CA FTB table
        (PayPeriod.MONTHLY, "942.50"),  # 130 x 7.25 = 4 1/3 weeks x 217.50 (29 CFR 870.10); CA FTB table
    ],
)
def test_protected_floor_per_pay_period(period: PayPeriod, floor: str) -> None:
    limit = max_garnishment(D("100"), period, None)
    assert limit.protected == D(floor)
    assert limit.amount == D("0.00")  # 100 is below every floor: nothing may be taken


@pytest.mark.parametrize(
    ("earnings", "period", "expected"),
    [
        # §1673(a): weekly 500 -> 25% = 125.00 < 500 - 217.50 = 282.50, so 125.00
        ("500", PayPeriod.WEEKLY, "125.00"),
        # weekly 250 -> 250 - 217.50 = 32.50 < 25% = 62.50, so 32.50
        ("250", PayPeriod.WEEKLY, "32.50"),
        # at the floor nothing may be garnished (29 CFR 870.10(b)(1))
        ("217.50", PayPeriod.WEEKLY, "0.00"),
        ("200", PayPeriod.WEEKLY, "0.00"),
        # weekly 290 = 40 x 7.25, where both limbs agree: 72.50 (Virginia DOLI guidance: the 25% point)
        ("290", PayPeriod.WEEKLY, "72.50"),
        # Virginia DOLI example: weekly 544 -> 25% = 136.00
        ("544", PayPeriod.WEEKLY, "136.00"),
        # DOL Fact Sheet #30: biweekly 500 + 80 = 580 -> 25% x 580 = 145.00
        ("580", PayPeriod.BIWEEKLY, "145.00"),
        # biweekly 500 -> 500 - 435 = 65.00 < 125.00
        ("500", PayPeriod.BIWEEKLY, "65.00"),
        # semimonthly 628.33 -> 25% = 157.0825 -> 157.08; 628.33 - 471.25 = 157.08
        ("628.33", PayPeriod.SEMIMONTHLY, "157.08"),
        # monthly 1256.66 -> 25% = 314.165 -> rounded down 314.16; 1256.66 - 942.50 = 314.16
        ("1256.66", PayPeriod.MONTHLY, "314.16"),
        # monthly 5000 -> 25% = 1250.00 < 4057.50
        ("5000", PayPeriod.MONTHLY, "1250.00"),
    ],
)
def test_federal_limit(earnings: str, period: PayPeriod, expected: str) -> None:
    assert max_garnishment(D(earnings), period, None).amount == D(expected)


def test_the_25_percent_ceiling_is_rounded_down_not_up() -> None:
    # weekly 1000.02 -> 25% = 250.005; half-up would take 250.01, more than the law allows
    assert max_garnishment(D("1000.02"), PayPeriod.WEEKLY, None).amount == D("250.00")


def test_state_limit_only_ever_lowers_the_result() -> None:
    # 10% of 1,200 = 120.00 < federal 300.00
    assert max_garnishment(D("1200"), PayPeriod.BIWEEKLY, D("10")).amount == D("120.00")
    # 20% of 500 = 100.00 > federal 65.00 (500 - 435): the federal figure stays
    assert max_garnishment(D("500"), PayPeriod.BIWEEKLY, D("20")).amount == D("65.00")
    # 12.5% of 1,000.10 = 125.0125 -> rounded down 125.01
    assert max_garnishment(D("1000.10"), PayPeriod.WEEKLY, D("12.5")).amount == D("125.01")


def test_default_inputs_golden_and_steps() -> None:
    result = garnish()
    assert result["ok"] is True
    # biweekly 1,200: 1,200 - 435 = 765.00 > 25% = 300.00
    assert result["max_garnishment"] == "300.00"
    assert result["protected_amount"] == "435.00"
    assert result["steps"] == [
        {"label": "Disposable earnings this pay period", "amount": "1200.00"},
        {"label": "Protected: 60 x $7.25 federal minimum wage (up to $435.00)", "amount": "-435.00"},
        {"label": "Cut to 25% of disposable earnings", "amount": "-465.00"},
    ]
    # numpy_financial.nper(0.09/26, -300, 12000) = 43.13 -> the 44th payment finishes it
    periods = npf.nper(0.09 / 26, -300, 12000)
    assert result["periods_to_satisfy"] == str(math.ceil(periods)) == "44"
    # Total = 43 x 300 + the balance left after 43 payments plus one period's interest
    # (numpy_financial.fv); per-period cent rounding may move it by a few cents.
    left = -npf.fv(0.09 / 26, 43, -300, 12000) * (1 + 0.09 / 26)
    assert abs(float(result["total_paid"]) - (43 * 300 + left)) < 0.10
    assert result["note"] == "Paid off after 44 biweekly pay periods (about 1.7 years)."
    assert [row["year"] for row in result["timeline"]] == [1, 2]
    assert result["timeline"][-1]["balance"] == "0.00"
    assert result["timeline"][0]["paid"] == "7800.00"  # 26 x 300


def test_payoff_by_hand() -> None:
    # 1% a month on 1,000 with 100 a month: interest 10.00, 9.10, 8.19, 7.27, 6.35, 5.41, 4.46,
    # 3.51, 2.54, 1.57, 0.58 (each rounded half-up) = 58.98; paid 10 x 100 + 58.98 = 1,058.98
    payoff = repay(D("1000"), D("12"), D("100"), PayPeriod.MONTHLY)
    assert (payoff.periods, payoff.total_paid) == (11, D("1058.98"))
    # 0% interest, 145 a period on 1,000: 7 periods (6 x 145 = 870, then 130), total 1,000.00
    result = garnish(disposable_earnings="580", judgment="1,000", annual_interest_rate="0")
    assert (result["periods_to_satisfy"], result["total_paid"]) == ("7", "1000.00")


def test_state_limit_step() -> None:
    result = garnish(state_limit_percent="10")
    assert result["max_garnishment"] == "120.00"
    assert result["steps"][-1] == {
        "label": "Cut to the state limit of 10% of disposable earnings",
        "amount": "-180.00",
    }
    assert sum(D(s["amount"]) for s in result["steps"]) == D("120.00")


def test_never_when_interest_outpaces_the_garnishment() -> None:
    # monthly 1,300: 25% = 325.00 < 1,300 - 942.50 = 357.50. Interest on 100,000 at 9%/12 = 750.00 > 325.
    result = garnish(disposable_earnings="1,300", pay_period="monthly", judgment="100,000")
    assert result["periods_to_satisfy"] == "never"
    assert result["total_paid"] == "390000.00"  # 325.00 x 1,200 months (100 years)
    assert result["note"] == (
        "Never paid: the first monthly pay period's interest ($750.00) is at least the $325.00 garnished, "
        "so the balance never falls. Total paid is what 100 years of garnishment would take."
    )
    assert result["timeline"] == []


def test_never_within_the_100_year_cap() -> None:
    # monthly 3,000.20: 25% = 750.05. Interest on 100,000 at 0.75% = 750.00, so the balance falls by
    # only 0.05 at first: numpy_financial.nper(0.0075, -750.05, 100000) is about 1,287 months > 1,200.
    assert npf.nper(0.0075, -750.05, 100000) > 1200
    result = garnish(disposable_earnings="3,000.20", pay_period="monthly", judgment="100,000")
    assert result["periods_to_satisfy"] == "never"
    assert result["total_paid"] == "900060.00"  # 750.05 x 1,200
    assert result["note"].startswith("Never paid within 100 years")
    assert len(result["timeline"]) == 100


def test_never_when_nothing_can_be_garnished() -> None:
    result = garnish(disposable_earnings="400")  # below the 435.00 biweekly floor
    assert (result["max_garnishment"], result["periods_to_satisfy"], result["total_paid"]) == (
        "0.00",
        "never",
        "0.00",
    )
    assert result["note"].startswith("Nothing can be garnished")
    assert result["steps"] == [
        {"label": "Disposable earnings this pay period", "amount": "400.00"},
        {"label": "Protected: 60 x $7.25 federal minimum wage (up to $435.00)", "amount": "-400.00"},
    ]


@pytest.mark.parametrize(
    ("field", "raw", "message"),
    [
        ("state_limit_percent", "30", "State limit (optional) must be a number between 0 and 25."),
        ("pay_period", "daily", "Pay period must be one of: weekly, biweekly, semimonthly, monthly."),
        ("judgment", "0", "Deficiency judgment must be a number between 1 and 1,000,000,000,000."),
        (
            "annual_interest_rate",
            "abc",
            "Post-judgment interest rate must be a number between 0 and 100, written like 9.",
        ),
    ],
)
def test_validation_messages(field: str, raw: str, message: str) -> None:
    assert garnish(**{field: raw}) == {"ok": False, "errors": {field: message}}


def test_cli_runs_garnishment() -> None:
    proc = run_cli(
        "run",
        "garnishment",
        "disposable_earnings=500",
        "pay_period=weekly",
        "judgment=1000",
        "annual_interest_rate=0",
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    # weekly 500 -> 125.00 a week; 1,000 / 125 = 8 weeks exactly
    assert (result["max_garnishment"], result["periods_to_satisfy"], result["total_paid"]) == (
        "125.00",
        "8",
        "1000.00",
    )
