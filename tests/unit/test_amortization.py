"""Amortization: the level payment against numpy_financial.pmt, extra payments against nper, the schedule.

numpy_financial.pmt is the oracle for the payment, rounded *up* to the cent (the convention the
module docstring names and cites). numpy_financial.nper is the oracle for how many payments extra
or every-two-weeks payments take. Every schedule must end at 0.00 with no payment larger than the
regular one.
"""

from __future__ import annotations

import math
import random
from decimal import ROUND_CEILING, Decimal
from itertools import pairwise

import numpy_financial as npf
import pytest

from calculators import run
from calculators.amortization import amortize, level_payment

D = Decimal
CENT = D("0.01")
SEED = 20240611
LOANS = 1000


def npf_payment(loan: Decimal, rate: Decimal, months: int) -> Decimal | None:
    """numpy_financial.pmt rounded up to the cent, or None if a float can't settle the rounding."""
    exact = float(-npf.pmt(float(rate) / 1200, months, float(loan))) if rate else float(loan) / months
    cents_ = exact * 100
    if abs(cents_ - round(cents_)) < 1e-6:
        return None  # within float noise of a whole cent: the oracle itself can't tell which way
    return max(CENT, D(repr(exact)).quantize(CENT, rounding=ROUND_CEILING))


def random_loans(count: int) -> list[tuple[Decimal, Decimal, int]]:
    rng = random.Random(SEED)
    loans = []
    for _ in range(count):
        loan = D(rng.randint(100, 100_000_000)).scaleb(-2) * rng.choice([1, 10, 100])  # 1.00 to 100M
        rate = D(rng.randint(1, 300_000)).scaleb(-4)  # 0.0001 % to 30 %
        months = rng.choice([rng.randint(1, 600), 12, 36, 60, 72, 120, 180, 240, 360])
        loans.append((loan, rate, months))
    return loans


def test_payment_matches_numpy_financial_rounded_up_over_many_random_loans() -> None:
    checked = raised = 0
    for loan, rate, months in random_loans(LOANS):
        oracle = npf_payment(loan, rate, months)
        if oracle is None:
            continue
        payment = level_payment(loan, rate, months)
        # The payment is the exact one rounded up, or a few cents more where per-row interest
        # rounding would otherwise leave the last payment larger than the others.
        assert oracle <= payment <= oracle + 5 * CENT, (loan, rate, months)
        raised += payment != oracle
        checked += 1
    assert checked >= 990  # only a handful may sit on a float-ambiguous cent
    assert raised <= checked // 20, raised  # the raise is the exception, not the rule


@pytest.mark.parametrize(
    ("loan", "rate", "months", "payment"),
    [
        ("200000", "6.5", 360, "1264.14"),  # numpy_financial.pmt(0.065/12, 360, -200000) = 1264.136 -> up
        ("250000", "5", 360, "1342.06"),  # numpy_financial.pmt(0.05/12, 360, -250000) = 1342.054 -> up
        ("10000", "12", 12, "888.49"),  # numpy_financial.pmt(0.01, 12, -10000) = 888.4879 -> up
        ("1000", "12", 3, "340.03"),  # numpy_financial.pmt(0.01, 3, -1000) = 340.0221 -> up
        ("200000", "18", 360, "3014.18"),  # numpy_financial.pmt(0.015, 360, -200000) = 3014.1707 -> up
    ],
)
def test_golden_payments(loan: str, rate: str, months: int, payment: str) -> None:
    assert level_payment(D(loan), D(rate), months) == D(payment)
    assert npf_payment(D(loan), D(rate), months) == D(payment)


@pytest.mark.parametrize(
    ("loan", "rate", "months"),
    [("100000", "36", 480), ("1", "6.5", 600), ("200000", "18", 360), ("999999999999.99", "99.9999", 600)],
)
def test_the_payment_always_amortizes_and_no_payment_exceeds_it(loan: str, rate: str, months: int) -> None:
    s = amortize(D(loan), D(rate), months)
    assert s.payment > 0
    assert s.rows[-1].balance == D("0.00")
    assert len(s.rows) <= months
    assert max(row.payment for row in s.rows) == s.payment  # the last one may be smaller, never larger
    # At 36% over 480 months a half-up payment equals the first month's interest (3,000.00) and
    # never falls: numpy_financial.pmt(0.03, 480, -100000) = 3000.0021, so 3000.01 repays it.
    if loan == "100000":
        assert s.payment == D("3000.01")


def test_schedule_ends_at_zero_and_principal_sums_to_the_loan() -> None:
    for loan, rate, months in random_loans(60):
        s = amortize(loan, rate, months)
        assert s.rows[-1].balance == D("0.00")
        assert sum((row.principal for row in s.rows), D(0)) == loan
        assert s.total_paid == loan + s.total_interest
        balances = [loan] + [row.balance for row in s.rows]
        assert all(b2 <= b1 for b1, b2 in pairwise(balances))


def test_first_row_interest_and_balance_against_numpy_financial() -> None:
    s = amortize(D("200000"), D("6.5"), 360)
    # numpy_financial.ipmt(0.065/12, 1, 360, -200000) = 1083.33; principal 1264.14 - 1083.33 = 180.81
    assert s.rows[0].interest == D(f"{npf.ipmt(0.065 / 12, 1, 360, -200000):.2f}") == D("1083.33")
    assert s.rows[0].principal == D("180.81")
    assert s.rows[0].balance == D("199819.19")
    # After 12 rows: numpy_financial.fv with the rounded payment, to within a cent of rounding drift
    assert abs(float(s.rows[11].balance) - -npf.fv(0.065 / 12, 12, -1264.14, 200000)) < 0.01


def test_rate_zero_branch() -> None:
    assert level_payment(D("1200"), D("0"), 12) == D("100.00")  # 1,200 / 12
    s = amortize(D("1000"), D("0"), 3)
    # 1,000 / 3 = 333.333... rounded up: 333.34 a month; the last row pays what is left: 333.32
    assert [str(r.payment) for r in s.rows] == ["333.34", "333.34", "333.32"]
    assert (s.total_interest, s.rows[-1].balance) == (D("0.00"), D("0.00"))


def test_run_bridge_and_validation() -> None:
    result = run("amortization", {"loan_amount": "250,000", "annual_rate": "5", "term_months": "360"})
    assert result["payment"] == "1342.06"  # numpy_financial.pmt(0.05/12, 360, -250000) = 1342.054, up
    assert len(result["schedule"]) == 360
    assert run("amortization", {"term_months": "601"}) == {
        "ok": False,
        "errors": {"term_months": "Term must be a whole number between 1 and 600."},
    }


def _npf_months(loan: float, rate: float, payment: float) -> int:
    """numpy_financial.nper, rounded up: payments needed to repay ``loan`` at ``payment`` each."""
    return math.ceil(npf.nper(rate, -payment, loan))


def test_extra_monthly_payments_against_numpy_financial_nper() -> None:
    r = run("amortization", {"extra_monthly": "200", "start_month": "2027-01"})
    # numpy_financial.nper(0.065/12, -(1264.14 + 200), 200000) = 249.30 -> 250 payments
    assert len(r["schedule"]) == _npf_months(200000, 0.065 / 12, 1464.14) == 250
    assert r["months_saved"] == 360 - 250
    assert r["payoff_month"] == "October 2047"  # payment 250 falls 249 months after January 2027
    assert r["headline"] == "You pay $1,264.14 a month for 250 payments"
    # Interest saved, against numpy_financial: total paid is n - 1 full payments plus the last
    # one (what numpy_financial.fv says is left after n - 1, plus its month's interest).
    rate = 0.065 / 12
    left = -npf.fv(rate, 249, -1464.14, 200000)
    npf_interest_with_extra = 1464.14 * 249 + left * (1 + rate) - 200000
    plain = run("amortization", {})
    saved = float(plain["total_interest"]) - npf_interest_with_extra
    assert abs(float(r["interest_saved"]) - saved) < 0.50  # per-row cent rounding over 250 rows


def test_yearly_and_one_time_extras_go_to_principal_on_their_payments() -> None:
    r = run(
        "amortization",
        {
            "loan_amount": "12,000",
            "annual_rate": "0",
            "term_months": "12",
            "extra_yearly": "500",
            "extra_once": "1,000",
            "extra_once_month": "3",
        },
    )
    rows = r["schedule"]
    # Rate 0: payment 1,000.00; payment 3 carries 1,000 more, so 10,000 is repaid after 10 payments
    # (1,000 x 10 + 1,000 extra = 11,000) and payment 11 pays the last 1,000: 11 payments, no yearly.
    assert rows[2]["principal"] == "2000.00"
    assert len(rows) == 11
    assert r["months_saved"] == 1


def test_every_two_weeks_against_numpy_financial_nper() -> None:
    r = run("amortization", {"frequency": "biweekly", "start_month": "2027-01"})
    # Half of 1,264.14 = 632.07 every two weeks at 6.5% / 26:
    # numpy_financial.nper(0.065/26, -632.07, 200000) = 627.05 -> 628 payments
    assert r["payment"] == "632.07"
    assert len(r["schedule"]) == _npf_months(200000, 0.065 / 26, 632.07) == 628
    # 628 payments span 627 x 14 = 8,778 days from 1 January 2027: 13 January 2051.
    assert r["payoff_month"] == "January 2051"
    assert r["months_saved"] == 360 - 289  # January 2027 to January 2051 is 289 months
    assert float(r["interest_saved"]) > 0


def test_extra_payment_rules_are_field_errors() -> None:
    assert run("amortization", {"extra_once": "500"})["errors"] == {
        "extra_once_month": "One-time extra payment month is required with a one-time extra payment: enter a "
        "whole number between 1 and 360."
    }
    assert run("amortization", {"frequency": "biweekly", "extra_monthly": "50"})["errors"] == {
        "frequency": "Payment schedule must be Monthly to add extra payments: clear the extra payments or choose Monthly."
    }
    assert run("amortization", {"start_month": "2027-13"})["errors"] == {
        "start_month": "First payment must be a month written like 2027-01 (year, then month 01 to 12)."
    }
