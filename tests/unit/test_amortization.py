"""Amortization: the level payment against numpy_financial.pmt, published examples, the schedule.

numpy_financial.pmt is the oracle for the payment (rounded half-up to cents, the rounding our
docstring names). Published examples give three more golden payments.
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal
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
    """numpy_financial.pmt rounded half-up to cents, or None if a float can't settle the rounding."""
    exact = float(-npf.pmt(float(rate) / 1200, months, float(loan)))
    cents_ = exact * 100
    if abs(cents_ - int(cents_) - 0.5) < 1e-6:
        return None  # within float noise of a half cent: the oracle itself can't tell which way
    return D(repr(exact)).quantize(CENT, rounding=ROUND_HALF_UP)


def random_loans(count: int) -> list[tuple[Decimal, Decimal, int]]:
    rng = random.Random(SEED)
    loans = []
    for _ in range(count):
        loan = D(rng.randint(100, 100_000_000)).scaleb(-2) * rng.choice([1, 10, 100])  # 1.00 to 100M
        rate = D(rng.randint(1, 300_000)).scaleb(-4)  # 0.0001 % to 30 %
        months = rng.choice([rng.randint(1, 600), 12, 36, 60, 72, 120, 180, 240, 360])
        loans.append((loan, rate, months))
    return loans


def test_payment_matches_numpy_financial_over_many_random_loans() -> None:
    checked = 0
    for loan, rate, months in random_loans(LOANS):
        oracle = npf_payment(loan, rate, months)
        if oracle is None:
            continue
        assert level_payment(loan, rate, months) == oracle, (loan, rate, months)
        checked += 1
    assert checked >= 990  # only a handful may sit on a float-ambiguous half cent


@pytest.mark.parametrize(
    ("loan", "rate", "months", "payment"),
    [
        ("200000", "6.5", 360, "1264.14"),  # numpy_financial.pmt(0.065/12, 360, -200000) = 1264.136
        ("300000", "6.5", 360, "1896.20"),  # calculatey.pages.dev mortgage calculator worked example
        ("250000", "5", 360, "1342.05"),  # published extra-payments example ("$1,342.05 each month")
        ("200000", "4.25", 360, "983.88"),  # same page: $200,000 at 4.25% for 360 months -> $983.88
        ("10000", "12", 12, "888.49"),  # numpy_financial.pmt(0.01, 12, -10000) = 888.4879
        ("1000", "12", 3, "340.02"),  # numpy_financial.pmt(0.01, 3, -1000) = 340.0221
    ],
)
def test_golden_payments(loan: str, rate: str, months: int, payment: str) -> None:
    assert level_payment(D(loan), D(rate), months) == D(payment)
    assert npf_payment(D(loan), D(rate), months) == D(payment)


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
    # 1,000 / 3 = 333.33 a month; the last row absorbs the residual: 333.34
    assert [str(r.payment) for r in s.rows] == ["333.33", "333.33", "333.34"]
    assert (s.total_interest, s.rows[-1].balance) == (D("0.00"), D("0.00"))


def test_run_bridge_and_validation() -> None:
    result = run("amortization", {"loan_amount": "250,000", "annual_rate": "5", "term_months": "360"})
    assert result["payment"] == "1342.05"
    assert len(result["schedule"]) == 360
    assert run("amortization", {"term_months": "601"}) == {
        "ok": False,
        "errors": {"term_months": "Term must be a whole number between 1 and 600."},
    }
