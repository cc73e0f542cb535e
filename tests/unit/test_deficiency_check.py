"""Checking a deficiency letter: the arithmetic of UCC 9-615(a), (d) in the order of 9-616(c), and the flags.

Every expected number is hand arithmetic from those sections, shown beside it.
"""

from __future__ import annotations

from calculators import run

#: A repossessed car: the letter's lines in 9-616(c) order.
LETTER = {
    "obligation": "14,000",  # (1) the obligation secured
    "rebate_included": "no",
    "sale_proceeds": "7,500",  # (2) the proceeds
    "retaking": "450",  # (4) expenses by type
    "storage": "300",
    "reconditioning": "600",
    "sale_costs": "350",
    "attorney_fees": "0",
    "interest_rebate": "0",  # (5) credits by type
    "gap_refund": "0",
    "service_contract_refund": "0",
    "insurance_refund": "0",
    "other_credits": "0",
    "claimed_deficiency": "8,200",  # (6) the letter's deficiency
    "bought_addons": "no",
}


def check(**changes: str) -> dict:
    return run("deficiency-check", {**LETTER, **changes})


def flags(result: dict) -> list[str]:
    return [f["flag"] for f in result["flags"]]


def test_a_letter_whose_lines_add_up() -> None:
    r = check(rebate_included="yes")
    # 9-616(c)(3): 14,000 - 7,500 = 6,500; (4) 450 + 300 + 600 + 350 = 1,700; (6) 6,500 + 1,700 = 8,200
    assert (r["after_proceeds"], r["total_expenses"], r["computed_deficiency"]) == (
        "6500.00",
        "1700.00",
        "8200.00",
    )
    assert r["difference"] == "0.00"
    assert r["headline"] == "The letter's $8,200.00 matches its own lines"
    assert flags(r) == ["Nothing to flag"]
    assert [s["label"] for s in r["steps"]][:2] == ["1. Amount owed before the sale", "2. Sale proceeds"]


def test_an_expense_counted_twice() -> None:
    # The letter claims 8,500: 300 more than its lines (8,200), exactly the storage line.
    r = check(claimed_deficiency="8,500", rebate_included="yes")
    assert r["difference"] == "300.00"
    assert flags(r) == [
        "The letter asks for more than its own lines add up to",
        "An expense may be counted twice",
    ]
    assert r["flags"][1]["source"] == "UCC §9-615(a)(1), §9-616(c)(4)"


def test_credits_reduce_the_deficiency_and_missing_refunds_are_flagged() -> None:
    # With a 600 GAP refund and a 250 interest rebate, 9-616(c)(5): 8,200 - 850 = 7,350.
    r = check(gap_refund="600", interest_rebate="250", bought_addons="yes")
    assert r["computed_deficiency"] == "7350.00"
    assert r["difference"] == "850.00"  # the letter (8,200) did not take the credits off
    assert "No refund of cancelled add-ons is credited" not in flags(r)
    missing = check(bought_addons="yes")
    assert "No refund of cancelled add-ons is credited" in flags(missing)
    assert "No rebate of unearned interest is shown" in flags(missing)  # 9-616(c)(1), (5)


def test_a_surplus_is_the_borrowers() -> None:
    # 9-615(d)(1): 14,000 - 16,000 + 1,700 = -300: a 300 surplus is owed to the debtor.
    r = check(sale_proceeds="16,000", claimed_deficiency="0", rebate_included="yes")
    assert (r["computed_deficiency"], r["surplus"]) == ("0.00", "300.00")


def test_a_sale_far_below_fair_value() -> None:
    r = check(fair_market_value="12,000", rebate_included="yes")
    # 7,500 is under 75% of 12,000 (9,000): ask whether the sale was commercially reasonable.
    assert "The sale price is far below your estimate of its value" in flags(r)
    assert "UCC §9-610(b), §9-615(f), §9-626" in [f["source"] for f in r["flags"]]
    assert "The sale price is far below your estimate of its value" not in flags(
        check(fair_market_value="10,000")
    )


def test_a_state_small_balance_bar() -> None:
    # C.R.S. 5-5-103: no deficiency when the cash price was $3,000 or less (a verified cell).
    r = check(state="CO", original_amount="2,900", rebate_included="yes")
    assert flags(r)[0] == "Colorado's law may bar any deficiency"
    assert "5-5-103" in r["flags"][0]["source"]
