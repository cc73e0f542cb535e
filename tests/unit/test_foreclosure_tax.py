"""Foreclosure-tax calculator: Pub. 4681 Table 1-1, Treas. Reg. §1.1001-2, Tufts, and insolvency."""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from calckit.fields import InputError
from calculators import run
from calculators.foreclosure_tax import NOT_MODELLED, Recourse, foreclosure_tax
from tests.cli import run_cli

ROOT = Path(__file__).resolve().parents[2]
D = Decimal


def test_pub_4681_recourse_example_1_repossessed_car() -> None:
    # IRS Publication 4681, chapter 2, "Amount realized and ordinary income on a recourse debt",
    # Example 1 (Tara): 10,000 balance, car worth 9,000, she stays liable for 1,000 (forgiven only
    # later). The publication gives the amount realized: the smaller of 10,000 - 1,000 = 9,000 and the
    # 9,000 value, i.e. 9,000.
    inputs = {
        "debt": "10,000",
        "fair_market_value": "9,000",
        "adjusted_basis": "15,000",  # she paid 15,000 for the car
        "recourse": "full",
        "debt_still_owed": "1,000",
        "personal_use": "yes",
    }
    result = run("foreclosure-tax", inputs)
    assert result["amount_realized"] == "9000.00"
    # By hand from Table 1-1: line 3 = 9,000 - 9,000 = 0 canceled-debt income at the repossession
    # (the 1,000 forgiven later is income in that later event, outside this calculation).
    assert result["cancellation_of_debt_income"] == "0.00"
    # Line 8: 9,000 - 15,000 = -6,000, a loss on a personal car, so nothing is deductible.
    assert result["gain_or_loss"] == "-6000.00"
    assert result["deductible_loss"] == "0.00"
    assert result["steps"] == [
        {"label": "Debt just before the transfer", "amount": "10000.00"},
        {"label": "Debt you stay personally liable for after the transfer", "amount": "-1000.00"},
        {
            "label": "Canceled debt above the property's value: ordinary income, not amount realized",
            "amount": "0.00",
        },
        {"label": "Cash you received from the sale", "amount": "0.00"},
        {"label": "Adjusted basis of the property", "amount": "-15000.00"},
    ]
    assert sum(D(s["amount"]) for s in result["steps"]) == D("-6000.00")


def test_irs_vita_principal_residence_recourse_foreclosure() -> None:
    # IRS VITA/TCE Link & Learn, "Cancellation of Debt - Principal Residence", Check Your Knowledge,
    # question 4 (Gene): basis 210,000, value 145,000, principal 185,000, personally liable. The
    # answer choices give the debt cancellation as 40,000 (185,000 - 145,000).
    inputs = {"debt": "185,000", "fair_market_value": "145,000", "adjusted_basis": "210,000"}
    result = run("foreclosure-tax", inputs)
    assert result["cancellation_of_debt_income"] == "40000.00"
    # By hand: amount realized = min(185,000, 145,000) = 145,000; 145,000 - 210,000 = -65,000, a
    # nondeductible loss on a main home.
    assert result["amount_realized"] == "145000.00"
    assert result["gain_or_loss"] == "-65000.00"
    assert result["deductible_loss"] == "0.00"
    # No insolvency totals given: nothing excluded.
    assert (result["excluded_income"], result["taxable_cancellation_income"]) == ("0.00", "40000.00")


TUFTS = {
    # Commissioner v. Tufts, 461 U.S. 300 (1983): nonrecourse mortgage 1,851,500, property worth
    # 1,400,000, adjusted basis 1,455,740; an investment property, not personal use.
    "debt": "1,851,500",
    "fair_market_value": "1,400,000",
    "adjusted_basis": "1,455,740",
    "personal_use": "no",
}


def test_tufts_nonrecourse_full_debt_is_realized() -> None:
    result = run("foreclosure-tax", {**TUFTS, "recourse": "none"})
    # The Court's holding: the whole 1,851,500 debt is the amount realized, whatever the value.
    assert result["amount_realized"] == "1851500.00"
    # By hand: 1,851,500 - 1,455,740 = 395,760 gain (the opinion reports the Commissioner's figure
    # as a gain of about 400,000, against the 55,740 loss the partners claimed).
    assert result["gain_or_loss"] == "395760.00"
    assert result["cancellation_of_debt_income"] == "0.00"
    assert result["steps"] == [
        {"label": "Debt just before the transfer", "amount": "1851500.00"},
        {"label": "Cash you received from the sale", "amount": "0.00"},
        {"label": "Adjusted basis of the property", "amount": "-1455740.00"},
    ]


def test_tufts_facts_as_if_recourse() -> None:
    result = run("foreclosure-tax", {**TUFTS, "recourse": "full"})
    # Measured at value, the partners' own figure in Tufts: 1,400,000 - 1,455,740 = a 55,740 loss,
    # deductible because the property was not personal-use.
    assert result["amount_realized"] == "1400000.00"
    assert result["gain_or_loss"] == "-55740.00"
    assert result["deductible_loss"] == "55740.00"
    # Treas. Reg. §1.1001-2(a)(2): the 1,851,500 - 1,400,000 = 451,500 excess is canceled-debt income.
    assert result["cancellation_of_debt_income"] == "451500.00"


def test_cash_received_adds_to_amount_realized() -> None:
    # Table 1-1 lines 4-6: min(100,000, 90,000) + 2,500 = 92,500; gain 92,500 - 80,000 = 12,500.
    result = run(
        "foreclosure-tax",
        {
            "debt": "100,000",
            "fair_market_value": "90,000",
            "adjusted_basis": "80,000",
            "cash_received": "2,500",
        },
    )
    assert (result["amount_realized"], result["gain_or_loss"]) == ("92500.00", "12500.00")
    # Nonrecourse: 100,000 + 2,500 = 102,500.
    result = run(
        "foreclosure-tax",
        {
            "debt": "100,000",
            "fair_market_value": "90,000",
            "adjusted_basis": "80,000",
            "cash_received": "2,500",
            "recourse": "none",
        },
    )
    assert result["amount_realized"] == "102500.00"


def test_value_above_debt_has_no_canceled_debt() -> None:
    # Line 3: 100,000 - 120,000 is below zero, so 0; line 4: min(100,000, 120,000) = 100,000.
    result = run(
        "foreclosure-tax", {"debt": "100,000", "fair_market_value": "120,000", "adjusted_basis": "90,000"}
    )
    assert (result["cancellation_of_debt_income"], result["amount_realized"]) == ("0.00", "100000.00")


@pytest.mark.parametrize(
    ("liabilities", "assets", "excluded", "taxable"),
    [
        # IRC §108(a)(1)(B), (a)(3), (d)(3): insolvent by 50,000 - 44,000 = 6,000 of the 40,000.
        ("50,000", "44,000", "6000.00", "34000.00"),
        # Insolvent by 300,000 - 100,000 = 200,000: the whole 40,000 is excluded.
        ("300,000", "100,000", "40000.00", "0.00"),
        # Assets exceed liabilities: not insolvent, nothing excluded.
        ("50,000", "60,000", "0.00", "40000.00"),
    ],
)
def test_insolvency_exclusion(liabilities: str, assets: str, excluded: str, taxable: str) -> None:
    inputs = {
        "debt": "185,000",
        "fair_market_value": "145,000",
        "adjusted_basis": "210,000",
        "total_liabilities": liabilities,
        "total_assets": assets,
    }
    result = run("foreclosure-tax", inputs)
    assert (result["excluded_income"], result["taxable_cancellation_income"]) == (excluded, taxable)


def test_not_modelled_note_is_returned() -> None:
    result = run("foreclosure-tax", {})
    assert result["not_modelled"] == NOT_MODELLED
    assert "bankruptcy" in NOT_MODELLED
    assert "qualified principal residence" in NOT_MODELLED


def test_verb_with_typed_values() -> None:
    # Non-recourse: 180,000 realized; 180,000 - 175,000 = 5,000 gain.
    r = foreclosure_tax(D("180000"), D("170000"), D("175000"), Recourse.NONE)
    assert (r.amount_realized, r.gain_or_loss) == (D("180000.00"), D("5000.00"))


@pytest.mark.parametrize(
    ("inputs", "field", "message"),
    [
        (
            {"debt": "10,000", "debt_still_owed": "10,000.01"},
            "debt_still_owed",
            "Debt still owed after the transfer must be no more than the debt before the transfer (10,000.00).",
        ),
        (
            {"recourse": "none", "debt_still_owed": "1"},
            "debt_still_owed",
            "Debt still owed after the transfer must be 0 for a non-recourse loan: the borrower is not "
            "personally liable for it.",
        ),
        (
            {"total_liabilities": "5,000"},
            "total_assets",
            "Total assets is required when total liabilities is given: enter both to apply the insolvency "
            "exclusion, or leave both empty.",
        ),
        (
            {"total_assets": "5,000"},
            "total_liabilities",
            "Total liabilities is required when total assets is given: enter both to apply the insolvency "
            "exclusion, or leave both empty.",
        ),
        ({"recourse": "maybe"}, "recourse", "Recourse must be one of: full, none."),
        ({"personal_use": "sometimes"}, "personal_use", "Personal-use property must be one of: yes, no."),
        (
            {"adjusted_basis": "abc"},
            "adjusted_basis",
            "Adjusted basis must be a number between 0 and 1,000,000,000,000, written like 175,000.",
        ),
        (
            {"fair_market_value": ""},
            "fair_market_value",
            "Fair market value is required: enter a number between 0 and 1,000,000,000,000.",
        ),
    ],
)
def test_validation_messages(inputs: dict[str, str], field: str, message: str) -> None:
    assert run("foreclosure-tax", inputs) == {"ok": False, "errors": {field: message}}


def test_verb_raises_input_error_naming_the_field() -> None:
    with pytest.raises(InputError, match=r"^debt_still_owed: "):
        foreclosure_tax(D("100"), D("50"), D("80"), Recourse.FULL, debt_still_owed=D("101"))


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("run", "foreclosure-tax", *args)


def test_cli_success_exits_0() -> None:
    proc = _cli("debt=185,000", "fair_market_value=145,000", "adjusted_basis=210,000")
    assert proc.returncode == 0
    # Same IRS VITA figure as above: 185,000 - 145,000 = 40,000.
    assert json.loads(proc.stdout)["cancellation_of_debt_income"] == "40000.00"


def test_cli_invalid_input_exits_2() -> None:
    proc = _cli("recourse=none", "debt_still_owed=5")
    assert proc.returncode == 2
    assert list(json.loads(proc.stdout)["errors"]) == ["debt_still_owed"]
