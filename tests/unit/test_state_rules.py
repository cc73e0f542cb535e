"""The calculators applying a chosen state's law: one golden per defect an outside audit found,
and one per rule shape. Each expected number is hand arithmetic from the statute cited beside
it, never the code's own output.

The audit's home: a $300,000 debt, a $200,000 sale price and a $280,000 market value. So:

* a deficiency measured by the sale price is 300,000 - 200,000 = 100,000.00;
* with a fair-value credit it is 300,000 - max(200,000, 280,000) = 20,000.00;
* barred, it is 0.00.

A fact the reader did not give, or a rule below statute or case level, never lowers what the
reader is told they owe: the headline is the highest any case allows, and each lower case is
listed in ``conditions`` with its citation and source level.
"""

from __future__ import annotations

from typing import Any

import pytest

from calculators import run
from calculators.states import CODES, jurisdiction

HOME = {"debt": "300,000", "sale_price": "200,000", "fair_market_value": "280,000"}
CAR = {"debt": "18,000", "accrued_interest": "450", "fees": "150", "costs": "1,200", "sale_price": "9,500"}
SALE_PRICE_MEASURE, FAIR_VALUE_MEASURE, BARRED = "100000.00", "20000.00", "0.00"


def deficiency(**inputs: str) -> dict[str, Any]:
    result = run("deficiency", inputs)
    assert result["ok"], result
    return result


def garnishment(**inputs: str) -> dict[str, Any]:
    result = run("garnishment", inputs)
    assert result["ok"], result
    return result


def owed(result: dict[str, Any]) -> str:
    assert result["recoverable_deficiency"] == result["borrower_exposure"]  # full recourse throughout
    return str(result["borrower_exposure"])


def lowers_to(result: dict[str, Any], amount: str, citation: str) -> list[str]:
    """The conditions that would lower the figure to ``amount`` under ``citation``."""
    return [
        c["condition"] for c in result["conditions"] if c["amount"] == amount and citation in c["citation"]
    ]


def level(code: str, rule_id: str) -> str:
    return jurisdiction(code).rule(rule_id).source.level


# ---- The audit's defects ----------------------------------------------------------------


def test_iowa_court_sale_is_owed_unless_the_lender_gave_it_up() -> None:
    # Iowa Code §§ 654.5-654.6: the court enters judgment for the debt and the balance after the
    # sheriff's sale can be collected: 100,000.00. §§ 628.26-.27 end it only when the lender waives
    # the deficiency in the action (to shorten the redemption period).
    assert level("IA", "judicial") == "statute"
    unknown = deficiency(**HOME, state="IA", sale_type="judicial")
    assert owed(unknown) == SALE_PRICE_MEASURE
    assert lowers_to(unknown, "$0.00", "628.26") == [
        "The lender gave up the deficiency in the foreclosure case"
    ]
    assert "could be less" in unknown["headline"]
    assert (
        owed(deficiency(**HOME, state="IA", sale_type="judicial", lender_waived_deficiency="yes")) == BARRED
    )
    assert (
        owed(
            deficiency(
                **HOME,
                state="IA",
                sale_type="judicial",
                lender_waived_deficiency="no",
                owner_occupied="no",
            )
        )
        == SALE_PRICE_MEASURE
    )


def test_wisconsin_court_sale_is_owed_unless_the_lender_gave_it_up() -> None:
    # Wis. Stat. 846.165(2) (First Financial v. Spranger): fair value is credited on confirmation:
    # 300,000 - 280,000 = 20,000.00. 846.101 (20 acres or less, home or farm) and 846.103(2) end it
    # only when the lender elects the shorter redemption period and so waives the deficiency.
    unknown = deficiency(**HOME, state="WI", sale_type="judicial")
    assert owed(unknown) == FAIR_VALUE_MEASURE
    assert lowers_to(unknown, "$0.00", "846.10")
    waived = deficiency(
        **HOME,
        state="WI",
        sale_type="judicial",
        lender_waived_deficiency="yes",
        property_type="home",
        acres="1",
    )
    assert owed(waived) == BARRED


def test_louisiana_court_sale_is_barred_only_without_an_appraisal() -> None:
    # La. R.S. 13:4106: no deficiency after a sale without appraisal; with one, the shortfall
    # stands (13:4106-4108): 100,000.00. A business loan: 13:4108.1 allows it either way.
    assert owed(deficiency(**HOME, state="LA", sale_type="judicial")) == SALE_PRICE_MEASURE
    personal = {"state": "LA", "sale_type": "judicial", "loan_purpose": "personal"}
    assert owed(deficiency(**HOME, **personal, appraised="no")) == BARRED
    appraised = deficiency(**HOME, **personal, appraised="yes")
    assert owed(appraised) == SALE_PRICE_MEASURE
    assert lowers_to(appraised, "$0.00", "Ardoin")  # a defective appraisal is a condition, never assumed


def test_minnesota_fair_value_and_90_days_are_for_farm_mortgages_after_1986() -> None:
    # Minn. Stat. § 582.30 subd. 3: for agricultural mortgages made after 22 March 1986, the
    # deficiency is limited by fair value (20,000.00) and must be sought within 90 days.
    # A home after a court sale: subd. 1 allows the shortfall, 100,000.00.
    home = deficiency(**HOME, state="MN", sale_type="judicial", property_type="home")
    assert owed(home) == SALE_PRICE_MEASURE
    assert "90 days" not in home["state_rule"]
    farm = deficiency(**HOME, state="MN", sale_type="judicial", property_type="farm", loan_date="1990-05")
    assert owed(farm) == FAIR_VALUE_MEASURE
    assert any("90 days" in c["condition"] for c in farm["conditions"])
    old_farm = deficiency(**HOME, state="MN", sale_type="judicial", property_type="farm", loan_date="1985-05")
    assert owed(old_farm) == SALE_PRICE_MEASURE


def test_minnesota_trustee_sale_bar_needs_its_conditions() -> None:
    # § 582.30 subd. 2: after a foreclosure by advertisement of non-farm land of 10 acres or less
    # with a six-month redemption period, no deficiency. Commercial land of 50 acres is outside it:
    # 100,000.00. A home of 1 acre where 300,000 of an original 350,000 is owed (at least two-thirds:
    # six months' redemption, § 580.23): 0.00.
    assert owed(
        deficiency(**HOME, state="MN", sale_type="non_judicial", property_type="commercial", acres="50")
    ) == (SALE_PRICE_MEASURE)
    small = {"property_type": "home", "acres": "1", "original_principal": "350,000"}
    assert owed(deficiency(**HOME, state="MN", sale_type="non_judicial", **small)) == BARRED
    # Less than two-thirds owed (300,000 of 500,000): a 12-month redemption, and a deficiency.
    paid_down = {**small, "original_principal": "500,000"}
    assert owed(deficiency(**HOME, state="MN", sale_type="non_judicial", **paid_down)) == SALE_PRICE_MEASURE


def test_georgia_trustee_sale_needs_a_confirmed_sale() -> None:
    # O.C.G.A. § 44-14-161: no deficiency judgment after a power-of-sale sale unless the sale is
    # reported within 30 days and confirmed by the court. It is a confirmation rule, not a credit.
    unknown = deficiency(**HOME, state="GA", sale_type="non_judicial")
    assert owed(unknown) == SALE_PRICE_MEASURE
    assert lowers_to(unknown, "$0.00", "44-14-161") == ["No court confirmed the sale"] or lowers_to(
        unknown, "$0.00", "44-14-161"
    )[0].startswith("No court confirmed the sale")
    assert owed(deficiency(**HOME, state="GA", sale_type="non_judicial", sale_confirmed="no")) == BARRED
    assert (
        owed(deficiency(**HOME, state="GA", sale_type="non_judicial", sale_confirmed="yes"))
        == SALE_PRICE_MEASURE
    )


def test_texas_homeowner_keeps_the_fair_value_offset() -> None:
    # Tex. Prop. Code § 51.003(b)-(c): the court credits fair market value above the sale price:
    # 300,000 - 280,000 = 20,000.00. The art. XVI § 50(a)(6) home-equity bar covers home-equity
    # loans only, and this dataset has it at secondary level: it is listed, never applied.
    home = {"state": "TX", "sale_type": "non_judicial", "property_type": "home", "owner_occupied": "yes"}
    assert owed(deficiency(**HOME, **home)) == FAIR_VALUE_MEASURE
    assert owed(deficiency(**HOME, **home, home_equity_loan="no")) == FAIR_VALUE_MEASURE
    result = deficiency(**HOME, **home, home_equity_loan="not_sure")
    rows = [c for c in result["conditions"] if "50(a)(6)" in c["citation"]]
    assert rows
    assert rows[0]["level"] == level("TX", "bar-1") == "secondary"


def test_north_carolina_fair_value_defence_needs_the_lender_to_have_bought() -> None:
    # N.C.G.S. § 45-21.36: the fair-value defence applies when the holder that forecloses buys the
    # property: 20,000.00. Someone else bought it: the shortfall, 100,000.00.
    base = {"state": "NC", "sale_type": "non_judicial", "property_type": "commercial", "purchase_money": "no"}
    assert owed(deficiency(**HOME, **base, lender_bought="yes")) == FAIR_VALUE_MEASURE
    assert owed(deficiency(**HOME, **base, lender_bought="no")) == SALE_PRICE_MEASURE


def test_arizona_trustee_sale_bar_is_for_small_one_or_two_family_homes() -> None:
    # A.R.S. § 33-814(G): no deficiency after a trustee's sale of 2.5 acres or less limited to and
    # used for a one- or two-family dwelling. Commercial land: § 33-814(A) credits fair market
    # value, 20,000.00.
    az = {"state": "AZ", "sale_type": "non_judicial"}
    assert owed(deficiency(**HOME, **az, property_type="commercial")) == FAIR_VALUE_MEASURE
    small_home = {"property_type": "home", "dwelling_units": "1", "acres": "1", "owner_occupied": "yes"}
    assert owed(deficiency(**HOME, **az, **small_home)) == BARRED
    assert owed(deficiency(**HOME, **az, **{**small_home, "acres": "5"})) == FAIR_VALUE_MEASURE
    unknown = deficiency(**HOME, **az)
    assert owed(unknown) == FAIR_VALUE_MEASURE
    assert "assumes you meet" not in unknown["state_rule"]


def test_ohio_two_years_end_the_judgment_not_the_suit() -> None:
    # R.C. 2329.08: a deficiency judgment on a one- or two-family home (or farm) cannot be
    # enforced after two years from the confirmation of the sale.
    result = deficiency(**HOME, state="OH", sale_type="judicial", property_type="home", dwelling_units="1")
    assert owed(result) == SALE_PRICE_MEASURE
    assert "must seek it" not in result["state_rule"]
    assert [c["condition"] for c in result["conditions"] if "2329.08" in c["citation"]] == [
        "2 years have passed since the court's confirmation of the sheriff's sale: the judgment can no longer be enforced"
    ]


def test_california_short_sale_rule_covers_llcs_and_limited_partnerships() -> None:
    # Cal. Code Civ. Proc. § 580e(c): the exclusion for borrowers that are entities names
    # corporations, limited liability companies and limited partnerships.
    text = jurisdiction("CA").topic("short_sale").text or ""
    assert "limited liability compan" in text
    assert "limited partnership" in text


def test_missouri_small_balance_bar_has_both_limbs() -> None:
    # RSMo 408.556: no deficiency after repossession where the amount financed was $500 or less,
    # or where less than $300 remained unpaid at default. Unpaid here: 250 + 0 + 0 = 250 < 300.
    limb = {"state": "MO", "sale_type": "repossession", "loan_purpose": "personal"}
    small = run("deficiency", {"debt": "250", "sale_price": "100", **limb})
    assert small["ok"]
    assert lowers_to(small, "$0.00", "408.556")  # its scope clause is not confirmed: a condition
    assert any("408.556" in c["citation"] for c in small["conditions"])


def test_dc_garnishment_uses_the_federal_wage_while_dc_s_is_unconfirmed() -> None:
    # D.C. Code § 16-572(a)(1): at most 25% of disposable earnings above 40 times the minimum wage
    # a week. With the federal $7.25: biweekly 1,200 - 2 x 40 x 7.25 = 620; 25% = 155.00. D.C.'s own
    # (higher) wage is not at statute level in the dataset, so it can only appear as a condition.
    result = garnishment(state="DC")
    assert result["max_garnishment"] == "155.00"
    if jurisdiction("DC").minimum_wage.source.level not in ("statute", "case"):
        assert any(c["amount"] == "$0.00" for c in result["conditions"])


def test_north_dakota_dependents_come_off_the_amount() -> None:
    # N.D.C.C. 32-09.1-03: the lesser of 25% (600 x 25% = 150) and the excess over 40 x 7.25 = 290
    # (600 - 290 = 310), reduced by $20 a week for each of 2 dependents: 150 - 40 = 110.00.
    # (Raising the protected floor instead would leave 150.00: the 25% limb would bind unreduced.)
    result = garnishment(state="ND", pay_period="weekly", disposable_earnings="600", dependents="2")
    assert result["max_garnishment"] == "110.00"


def test_oregon_floors_are_the_statutes_own_figures() -> None:
    # ORS 18.385: the floor for each pay period is the statute's own figure, not a multiple of the
    # weekly one. Weekly: $400 protected.
    cap = next(c for c in jurisdiction("OR").caps if c.kind == "floor")
    weekly = garnishment(state="OR", pay_period="weekly", disposable_earnings="500")
    assert weekly["max_garnishment"] == "100.00"  # min(500 - 400, 25% x 500 = 125)
    if cap.period_amounts:
        # every pay period's floor as the statute states it
        biweekly = garnishment(state="OR", pay_period="biweekly", disposable_earnings="1,000")
        protected = cap.period_amounts["biweekly"]
        assert biweekly["max_garnishment"] == f"{min(1000 - protected, 250):.2f}"


# ---- The not-sure principle, by hand ---------------------------------------------------------


def test_no_state_keeps_the_general_rule() -> None:
    # UCC 9-615(a), (d): 18,000 + 450 + 150 + 1,200 - 9,500 = 10,300.00
    r = run("deficiency", CAR)
    assert r["recoverable_deficiency"] == "10300.00"
    assert r["state_rule"].startswith("No state rule applied")
    assert r["conditions"] == []


def test_california_trustee_sale_bar_580d() -> None:
    # Cal. Code Civ. Proc. § 580d(a): no deficiency after a trustee's sale by this loan's own lender.
    # A loan wiped out by another lender's sale is not barred by it (Citrus State Bank v.
    # McKendrick): not sure who sold, the higher case is the headline.
    ca = {"debt": "400,000", "sale_price": "250,000", "state": "CA", "sale_type": "non_judicial"}
    own = deficiency(**ca, sold_by="this_lender")
    # 400,000 - 250,000 = 150,000.00 unpaid, none of it recoverable.
    assert (own["deficiency"], own["recoverable_deficiency"], own["lender_loss"]) == (
        "150000.00",
        "0.00",
        "150000.00",
    )
    assert own["steps"][-1]["amount"] == "-150000.00"
    assert own["steps"][-1]["label"].startswith("Barred by Cal. Code Civ. Proc. § 580d(a)")
    unknown = deficiency(**ca)
    assert owed(unknown) == "150000.00"
    assert lowers_to(unknown, "$0.00", "580d")


def test_new_york_fair_value_rpapl_1371() -> None:
    # RPAPL 1371(2): the amount owed less the higher of the fair market value and the sale price:
    # 400,000 - max(340,000, 250,000) = 60,000.00; sought within 90 days of the referee's deed.
    home = {"debt": "400,000", "sale_price": "250,000", "fair_market_value": "340,000"}
    r = deficiency(**home, state="NY", sale_type="judicial")
    assert (r["deficiency"], owed(r)) == ("150000.00", "60000.00")
    assert any("90 days" in c["condition"] for c in r["conditions"])
    # Without the value the credit cannot lower anything: 150,000.00, and the credit is a condition.
    no_value = deficiency(debt="400,000", sale_price="250,000", state="NY", sale_type="judicial")
    assert owed(no_value) == "150000.00"
    assert any("worth more than the sale price" in c["condition"] for c in no_value["conditions"])


def test_small_balance_bar_after_repossession_colorado_5_5_103() -> None:
    # C.R.S. 5-5-103: no deficiency after repossession in a consumer credit sale when the cash price
    # was $3,000 or less. The UCC rule otherwise: 10,300.00 (as above).
    co = {
        **CAR,
        "state": "CO",
        "sale_type": "repossession",
        "loan_purpose": "personal",
        "purchase_money": "seller",
    }
    assert owed(deficiency(**co, original_amount="3,000")) == BARRED
    assert owed(deficiency(**co, original_amount="3,000.01")) == "10300.00"
    unknown = deficiency(**co)  # no price given: the bar is a condition, not an assumption
    assert owed(unknown) == "10300.00"
    assert lowers_to(unknown, "$0.00", "5-5-103")


def test_a_rule_below_statute_level_never_lowers_the_figure() -> None:
    for code in CODES:
        j = jurisdiction(code)
        low = [r for r in j.repossession if r.outcome.kind == "barred" and not r.source.changes_figures]
        if low:
            break
    else:
        pytest.skip("every repossession bar is at statute or case level")
    r = deficiency(**CAR, state=code, sale_type="repossession")
    assert owed(r) == "10300.00"  # UCC 9-615(d), as above
    assert any(c["level"] in ("secondary", "unverified") for c in r["conditions"])


def test_texas_forbids_wage_garnishment() -> None:
    # Tex. Const. art. XVI § 28; Tex. Prop. Code § 42.001(b)(1): no garnishment of current wages.
    assert garnishment(state="TX")["max_garnishment"] == "0.00"


def test_new_york_gross_pay_cplr_5231() -> None:
    # N.Y. CPLR 5231(b): at most 10% of gross pay: biweekly gross 1,500 -> 150.00, under the federal
    # 25% of 1,200 disposable (300.00). Without gross pay the 10% cannot be applied: it is a condition.
    assert garnishment(state="NY", gross_earnings="1,500")["max_garnishment"] == "150.00"
    unknown = garnishment(state="NY")
    assert any("gross pay" in c["condition"] for c in unknown["conditions"])


def test_california_percent_of_the_excess_706_050() -> None:
    # CCP 706.050 (2023): the lesser of 20% of disposable earnings or 40% of the amount above
    # 48 x the minimum wage a week. Weekly 1,000, state wage at statute level 16.90 (2026):
    # 20% = 200.00; 48 x 16.90 = 811.20, 40% x 188.80 = 75.52 -> 75.52.
    wage = jurisdiction("CA").minimum_wage
    if wage.source.level not in ("statute", "case"):
        pytest.skip("California's minimum wage is not at statute level in the dataset")
    rate = wage.rates[-1][1]
    expected = min(200, round((1000 - 48 * float(rate)) * 0.4 - 0.005, 2))
    result = garnishment(state="CA", pay_period="weekly", disposable_earnings="1,000")
    assert float(result["max_garnishment"]) == pytest.approx(expected, abs=0.01)


def test_florida_head_of_family_is_fully_protected() -> None:
    # Fla. Stat. § 222.11(2): a head of family's earnings are exempt. Not sure: the federal limit,
    # 25% of 1,200 = 300.00, with the exemption as a condition.
    assert garnishment(state="FL", head_of_family="yes")["max_garnishment"] == "0.00"
    unknown = garnishment(state="FL")
    assert unknown["max_garnishment"] == "300.00"
    assert [c["amount"] for c in unknown["conditions"]] == ["$0.00"]
    assert garnishment(state="FL", head_of_family="no")["conditions"] == []


def test_an_unknown_state_is_a_field_error_that_lists_the_codes() -> None:
    for name in ("deficiency", "garnishment"):
        result = run(name, {"state": "ZZ"})
        assert result["ok"] is False
        assert result["errors"]["state"].startswith("State must be empty or one of: AL, AK, AZ")


def test_old_share_links_with_purchase_money_yes_still_work() -> None:
    # purchase_money=yes (before lender/seller were told apart) means one of the two, not which:
    # California's bars cover both a seller's loan (580b(a)(1)-(2)) and a lender's purchase loan on
    # an owner-occupied home (580b(a)(3)): either way, 0.00 after a court sale.
    ca = {**HOME, "state": "CA", "sale_type": "judicial", "property_type": "home", "owner_occupied": "yes"}
    assert owed(deficiency(**ca, purchase_money="yes")) == BARRED
