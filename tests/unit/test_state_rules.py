"""Both calculators applying a chosen state's rule: one golden per rule shape, each from its statute.

Every expected number below is hand arithmetic from the cited statute (shown beside it), not
the code's own output. The dataset's cells these rules come from are verified (the tests assert
that too, so a change of status is noticed).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from calculators import run
from calculators.states import CODES, jurisdiction

CAR = {"debt": "18,000", "accrued_interest": "450", "fees": "150", "costs": "1,200", "sale_price": "9,500"}


def deficiency(**inputs: str) -> dict:
    return run("deficiency", inputs)


def garnishment(**inputs: str) -> dict:
    return run("garnishment", inputs)


def step_labels(result: dict) -> list[str]:
    return [s["label"] for s in result["steps"]]


# ---- Deficiency after a foreclosure or repossession ------------------------------------


def test_no_state_keeps_the_general_rule() -> None:
    # UCC 9-615(a), (d): 18,000 + 450 + 150 + 1,200 - 9,500 = 10,300.00
    r = deficiency(**CAR)
    assert r["recoverable_deficiency"] == "10300.00"
    assert r["borrower_exposure"] == "10300.00"
    assert r["state_rule"].startswith("No state rule applied")


def test_bar_after_a_trustees_sale_california_580d() -> None:
    assert jurisdiction("CA").non_judicial.verified
    home = {"debt": "400,000", "sale_price": "250,000"}
    r = deficiency(**home, state="CA", sale_type="non_judicial")
    # Cal. Code Civ. Proc. 580d(a): no deficiency after a sale under a power of sale. The sale still
    # leaves 400,000 - 250,000 = 150,000.00 unpaid, but none of it is recoverable from the borrower.
    assert r["deficiency"] == "150000.00"
    assert r["recoverable_deficiency"] == "0.00"
    assert r["borrower_exposure"] == "0.00"
    assert r["lender_loss"] == "150000.00"
    assert r["steps"][-1] == {
        "label": "Barred by Cal. Code Civ. Proc. § 580d(a): no deficiency after a trustee's (non-judicial) sale",
        "amount": "-150000.00",
    }
    assert "580d" in r["state_rule"]
    assert "checked 2026-12-01" in r["state_rule"]


def test_fair_value_offset_new_york_rpapl_1371() -> None:
    assert jurisdiction("NY").fair_value[0].verified
    home = {"debt": "400,000", "sale_price": "250,000", "fair_market_value": "340,000"}
    r = deficiency(**home, state="NY", sale_type="judicial")
    # RPAPL 1371(2): the amount owed less the higher of the fair market value and the sale price:
    # 400,000 - max(340,000, 250,000) = 60,000.00. The gross shortfall is 150,000.00.
    assert r["deficiency"] == "150000.00"
    assert r["recoverable_deficiency"] == "60000.00"
    assert r["borrower_exposure"] == "60000.00"
    assert "Fair-value credit above the sale price" in step_labels(r)
    assert "90 days" in r["state_rule"]  # RPAPL 1371(2): the deadline, counted from the deed


def test_the_state_rule_overrides_the_fair_value_setting() -> None:
    home = {
        "debt": "400,000",
        "sale_price": "250,000",
        "fair_market_value": "340,000",
        "fair_value_limit": "no",
    }
    # The reader's "no" does not survive a state whose verified rule applies fair value (RPAPL 1371(2)).
    assert deficiency(**home, state="NY", sale_type="judicial")["recoverable_deficiency"] == "60000.00"


def test_a_fair_value_state_asks_for_the_fair_market_value() -> None:
    r = deficiency(debt="400,000", sale_price="250,000", state="NY", sale_type="judicial")
    assert r == {
        "ok": False,
        "errors": {
            "fair_market_value": "Fair market value is required for New York: its law limits the deficiency "
            "by fair value after this kind of sale (N.Y. RPAPL § 1371(2)). Enter a number of at least 0."
        },
    }


def test_purchase_money_bar_arizona_33_729() -> None:
    cell = jurisdiction("AZ").bars[0]
    assert cell.verified
    assert cell.value.purchase_money
    home = {"debt": "300,000", "sale_price": "240,000", "fair_market_value": "250,000"}
    # A.R.S. 33-729(A): a purchase-money mortgage on a small one- or two-family dwelling leaves no
    # judgment beyond the property after a court sale.
    barred = deficiency(**home, state="AZ", sale_type="judicial", purchase_money="yes")
    assert barred["borrower_exposure"] == "0.00"
    assert "33-729(A)" in barred["state_rule"]
    # Not purchase money: A.R.S. 12-1566 credits the greater of fair value and the sale price,
    # 300,000 - 250,000 = 50,000.00.
    allowed = deficiency(**home, state="AZ", sale_type="judicial", purchase_money="no")
    assert allowed["borrower_exposure"] == "50000.00"


def test_montana_bars_a_deficiency_on_a_home_but_not_on_other_property_after_a_court_sale() -> None:
    # First State Bank of Forsyth v. Chunkapura (1987): no deficiency after a judicial foreclosure of a
    # trust indenture on the borrower's home; First Western v. Lence (1992): allowed on other property.
    j = jurisdiction("MT")
    assert j.judicial.verified
    assert j.judicial.value == "allowed"
    home = {"debt": "200,000", "sale_price": "150,000"}
    assert (
        deficiency(**home, state="MT", sale_type="judicial", owner_occupied="yes")["borrower_exposure"]
        == "0.00"
    )
    # MCA 71-1-222(2): otherwise the balance can be docketed: 200,000 - 150,000 = 50,000.00.
    r = deficiency(**home, state="MT", sale_type="judicial", owner_occupied="no")
    if j.fair_value and not j.fair_value[0].verified:
        assert "not verified" in r["state_rule"]
    else:
        assert r["borrower_exposure"] == "50000.00"


def test_small_balance_bar_after_repossession_colorado_5_5_103() -> None:
    assert jurisdiction("CO").small_balance_bar.verified
    # C.R.S. 5-5-103: no deficiency after repossession when the cash price was $3,000 or less.
    small = deficiency(**CAR, state="CO", sale_type="repossession", original_amount="3,000")
    assert small["borrower_exposure"] == "0.00"
    # Above the threshold the UCC rule stands: 10,300.00 (UCC 9-615(d), as above).
    large = deficiency(**CAR, state="CO", sale_type="repossession", original_amount="3,000.01")
    assert large["borrower_exposure"] == "10300.00"
    missing = deficiency(**CAR, state="CO", sale_type="repossession")
    assert missing["errors"] == {
        "original_amount": "Original cash price or amount financed is required for Colorado: its small-balance "
        "bar depends on the cash price (C.R.S. 5-5-103(2)-(3)). Enter a number of at least 0, or clear the state."
    }


def test_an_unverified_rule_falls_back_to_the_general_rule_and_says_so() -> None:
    unverified = next(c for c in CODES if not jurisdiction(c).small_balance_bar.verified)
    r = deficiency(**CAR, state=unverified, sale_type="repossession", recourse="none")
    assert r["borrower_exposure"] == "0.00"  # the reader's own non-recourse setting still applies
    assert "is not verified in this site's dataset" in r["state_rule"]
    assert "general rule" in r["state_rule"]
    assert deficiency(**CAR, state=unverified, sale_type="repossession")["borrower_exposure"] == "10300.00"


def test_a_state_without_trustees_sales_refuses_that_sale_type() -> None:
    assert jurisdiction("FL").non_judicial.verified
    assert jurisdiction("FL").non_judicial.value == "not_used"
    r = deficiency(**CAR, state="FL", sale_type="non_judicial")
    assert r == {
        "ok": False,
        "errors": {
            "sale_type": "Sale type must be judicial or repossession for Florida: it has no trustee's "
            "(non-judicial) sale for ordinary home loans (Fla. Stat. § 702.01)."
        },
    }


@pytest.mark.parametrize("name", ["deficiency", "garnishment"])
def test_an_unknown_state_is_a_field_error_that_lists_the_codes(name: str) -> None:
    r = run(name, {"state": "ZZ"})
    assert r["ok"] is False
    assert r["errors"]["state"] == "State must be empty or one of: " + ", ".join(CODES) + "."
    valid = {"deficiency": {"state": "ny"}, "garnishment": {"state": "ny", "gross_earnings": "2,000"}}[name]
    assert run(name, valid)["ok"] is True  # codes are read in any case


# ---- Wage garnishment ------------------------------------------------------------------


def test_a_state_that_forbids_wage_garnishment_texas() -> None:
    assert jurisdiction("TX").garnishment_exempt.verified
    r = garnishment(disposable_earnings="1,200", pay_period="biweekly", state="TX")
    # Tex. Const. art. XVI, §28: wages are exempt from garnishment except for support and a few
    # public debts, so an ordinary deficiency judgment takes nothing.
    assert r["max_garnishment"] == "0.00"
    assert r["periods_to_satisfy"] == "never"
    assert "cannot be garnished" in r["state_rule"]


def test_a_gross_pay_state_new_york_cplr_5231() -> None:
    r = garnishment(disposable_earnings="800", gross_earnings="1,000", pay_period="weekly", state="NY")
    # CPLR 5231(b): at most 10% of gross pay = 100.00, below 25% of disposable (200.00) and the
    # federal limits (15 U.S.C. 1673(a): 200.00).
    assert r["max_garnishment"] == "100.00"
    assert r["steps"][-1]["amount"] == "-100.00"  # 200.00 (the federal 25%) cut to 100.00
    missing = garnishment(disposable_earnings="800", pay_period="weekly", state="NY")
    assert missing["errors"] == {
        "gross_earnings": "Gross earnings per pay period is required for New York: its limit depends on "
        "gross pay (N.Y. CPLR § 5231(b)). Enter a number of at least 0."
    }


def test_a_percent_of_the_excess_state_california_706_050() -> None:
    ca = jurisdiction("CA")
    assert all(c.verified for c in ca.caps)
    assert ca.minimum_wage.verified
    assert ca.minimum_wage.value.hourly == Decimal("16.90")  # Cal. Labor Code 1182.12, 2026
    r = garnishment(disposable_earnings="1,000", pay_period="weekly", state="CA")
    # CCP 706.050(a) as amended 2023-09-01: the lesser of 20% of disposable earnings (200.00) and
    # 40% of the amount above 48 x 16.90 = 811.20 a week: 40% x (1,000 - 811.20) = 75.52.
    assert r["max_garnishment"] == "75.52"
    # A higher local minimum wage counts (706.050(b)): 48 x 18.00 = 864.00; 40% x 136.00 = 54.40.
    local = garnishment(
        disposable_earnings="1,000", pay_period="weekly", state="CA", local_minimum_wage="18.00"
    )
    assert local["max_garnishment"] == "54.40"


def test_a_head_of_family_state_nebraska_25_1558() -> None:
    ne = jurisdiction("NE")
    assert all(c.verified for c in ne.caps)
    # Neb. Rev. Stat. 25-1558(1)(c): a head of family keeps 85%, so at most 15% of disposable
    # earnings: 15% x 800 = 120.00. Others: the federal 25% = 200.00 (800 - 217.50 is more).
    hof = garnishment(disposable_earnings="800", pay_period="weekly", state="NE", head_of_family="yes")
    assert hof["max_garnishment"] == "120.00"
    other = garnishment(disposable_earnings="800", pay_period="weekly", state="NE", head_of_family="no")
    assert other["max_garnishment"] == "200.00"


def test_a_head_of_family_is_fully_protected_in_florida() -> None:
    # Fla. Stat. 222.11(2): a head of family's earnings are exempt (absent a written waiver).
    r = garnishment(disposable_earnings="800", pay_period="weekly", state="FL", head_of_family="yes")
    assert r["max_garnishment"] == "0.00"


def test_a_per_dependent_floor_south_dakota_21_18_51() -> None:
    assert all(c.verified for c in jurisdiction("SD").caps)
    # SDCL 21-18-51: at most 20% of disposable earnings, and nothing below 40 x 7.25 = 290.00 a week
    # plus 25.00 a week per dependent. Weekly 400 with 4 dependents: 400 - (290 + 100) = 10.00,
    # less than 20% (80.00).
    r = garnishment(disposable_earnings="400", pay_period="weekly", state="SD", dependents="4")
    assert r["max_garnishment"] == "10.00"


def test_gross_pay_below_disposable_pay_is_an_error() -> None:
    r = garnishment(disposable_earnings="800", gross_earnings="700", state="NY")
    assert r["errors"] == {
        "gross_earnings": "Gross earnings per pay period must be at least the disposable earnings ($800.00): "
        "disposable pay is what is left of gross pay."
    }


def test_an_unverified_garnishment_rule_uses_the_federal_limit_and_says_so() -> None:
    code = next(c for c in CODES if any(not cap.verified for cap in jurisdiction(c).caps))
    r = garnishment(disposable_earnings="1,200", pay_period="biweekly", state=code)
    # 15 U.S.C. 1673(a): 25% of 1,200 = 300.00, less than 1,200 - 435.00 = 765.00.
    assert r["max_garnishment"] == "300.00"
    assert "not verified" in r["state_rule"]
    assert "federal limit" in r["state_rule"]


def test_the_readers_own_percent_still_applies_with_a_state() -> None:
    # 10% of 800 = 80.00 is below New York's 10% of gross (100.00): the stricter figure wins.
    r = garnishment(
        disposable_earnings="800",
        gross_earnings="1,000",
        pay_period="weekly",
        state="NY",
        state_limit_percent="10",
    )
    assert r["max_garnishment"] == "80.00"
