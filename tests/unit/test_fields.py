"""Parsing and validation of raw field text (the shared interface every calculator uses)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from calckit.fields import InputError, choice, integer, money, percent, yes_no

LOAN = money("loan", "Loan amount", default="200,000", minimum="1", help="h")
RATE = percent("rate", "Rate", default="6.5", help="h")
TERM = integer("term", "Term", default="360", minimum=1, maximum=600, help="h")
FMV = money("fmv", "Fair market value", default="", required=False, help="h")
MODE = choice("mode", "Recourse", default="full", choices={"full": "Full", "none": "None"}, help="h")
FLAG = yes_no("flag", "Fair-value limit", default="no", help="h")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("25000", Decimal("25000")),
        ("25,000", Decimal("25000")),
        ("$25,000", Decimal("25000")),
        ("  $25,000.50 ", Decimal("25000.50")),
        ("1,234,567.8", Decimal("1234567.8")),
    ],
)
def test_money_accepts_what_people_type(raw: str, expected: Decimal) -> None:
    assert LOAN.parse(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Loan amount is required: enter a number between 1 and 1,000,000,000,000."),
        ("abc", "Loan amount must be a number between 1 and 1,000,000,000,000, written like 200,000."),
        ("NaN", "Loan amount must be a number between 1 and 1,000,000,000,000, written like 200,000."),
        ("inf", "Loan amount must be a number between 1 and 1,000,000,000,000, written like 200,000."),
        ("1e400", "Loan amount must be a number between 1 and 1,000,000,000,000, written like 200,000."),
        ("2,5", "Loan amount must be a number between 1 and 1,000,000,000,000, written like 200,000."),
        ("-5", "Loan amount must be a number between 1 and 1,000,000,000,000."),
        ("0", "Loan amount must be a number between 1 and 1,000,000,000,000."),
        ("1000000000000.01", "Loan amount must be a number between 1 and 1,000,000,000,000."),
        ("10.005", "Loan amount must have at most 2 decimal places."),
        ("9" * 41, "Loan amount is too long: enter a number between 1 and 1,000,000,000,000."),
    ],
)
def test_money_rejects_with_a_message_naming_field_and_range(raw: str, message: str) -> None:
    with pytest.raises(InputError, match=r"^loan: ") as info:
        LOAN.parse(raw)
    assert info.value.field == "loan"
    assert info.value.message == message


def test_percent_accepts_trailing_sign_and_checks_range() -> None:
    assert RATE.parse("6.5%") == Decimal("6.5")
    with pytest.raises(InputError) as info:
        RATE.parse("101")
    assert info.value.message == "Rate must be a number between 0 and 100."


def test_integer_rejects_fractions() -> None:
    assert TERM.parse("360") == 360
    with pytest.raises(InputError) as info:
        TERM.parse("12.5")
    assert info.value.message == "Term must be a whole number between 1 and 600."


def test_optional_field_parses_empty_to_none() -> None:
    assert FMV.parse("  ") is None
    assert FMV.parse("10") == Decimal("10")


def test_choice_and_yes_no() -> None:
    assert MODE.parse(" FULL ") == "full"
    assert FLAG.parse("yes") is True
    assert FLAG.parse("No") is False
    with pytest.raises(InputError) as info:
        MODE.parse("partial")
    assert info.value.message == "Recourse must be one of: full, none."


def test_non_text_is_rejected_not_crashed() -> None:
    with pytest.raises(InputError) as info:
        LOAN.parse(12.5)
    assert info.value.message == "Loan amount must be text, such as '200,000'."
