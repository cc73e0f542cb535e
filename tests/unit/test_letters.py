"""The letter check's two letters (``request_letter``, ``dispute_letter``) and its headline.

Oracles:
* UCC §9-616 (uniform text; read in D.C. Code §28:9-616 and Vt. Stat. tit. 9A §9-616): (a)(2) a
  request is a signed record sent after the disposition; (b) within 14 days after receipt of a
  request the secured party sends the explanation or a record waiving the deficiency; (c) the
  explanation's six items, in order; (e) one free response in six months.
* UCC §9-625(b) (damages for loss) and (e)(6) ($500 for a failure to comply with §9-616(b)(2)).
* First Fidelity Acceptance Corp. v. Hutchins, 315 N.J. Super. 201, 717 A.2d 437 (Law Div. 1998):
  the lender's accounting after repossessing and selling a 1988 Chevrolet Corsica, as the opinion
  prints it, and the court's own remark that the repossession costs exceeded the resale price.
* K.S.A. 16a-5-103: no deficiency after repossessing goods from a consumer credit sale whose cash
  price was $1,000 or less.
"""

from __future__ import annotations

import re

import calculators

HUTCHINS = {
    # The opinion's accounting, put in UCC 9-616(c) order.
    "obligation": "6,492.65",  # "Balance at Repossession"
    "sale_proceeds": "500.00",  # "Less proceeds of sale"
    "retaking": "510.00",  # "Repossession and Storage Fees"
    "storage": "0",
    "reconditioning": "635.33",  # "Repair and Reconditioning Fees"
    "sale_costs": "510.00",  # "Transportation and Sale Fees"
    "other_expenses": "50.00",  # "Collection and Investigation Fees"
    "other_credits": "1,209.80",  # "Less physical damage loss payment"
    "claimed_deficiency": "6,488.18",  # "BALANCE DUE"
    "bought_addons": "no",
    "rebate_included": "no",
    "collateral": "1988 Chevrolet Corsica",
    "lender": "First Fidelity Acceptance Corp.",
}


def run(**inputs: str) -> dict:
    result = calculators.run("deficiency-check", inputs)
    assert result["ok"], result
    return result


def lines_of(letter: str) -> list[str]:
    return [line for line in letter.splitlines() if re.match(r"\d\. ", line)]


def test_the_dispute_letter_sets_the_lenders_published_figures_against_the_arithmetic() -> None:
    letter = run(**HUTCHINS)["dispute_letter"]
    # Hand arithmetic, in UCC 9-616(c) order:
    #   (3) 6,492.65 - 500.00 = 5,992.65
    #   (4) 510.00 + 635.33 + 510.00 + 50.00 = 1,705.33
    #   (5) 1,209.80
    #   (6) 5,992.65 + 1,705.33 - 1,209.80 = 6,488.18, the opinion's "BALANCE DUE"
    numbered = lines_of(letter)
    assert numbered[:6] == [
        "1. Amount owed before the sale: $6,492.65",
        "2. Sale proceeds: $500.00",
        "3. Owed after the sale proceeds: $5,992.65 (recomputed; your letter does not state it separately)",
        "4. Expenses: $1,705.33 (recomputed; your letter does not state it separately)",
        "5. Credits: $1,209.80 (recomputed; your letter does not state it separately)",
        "6. Deficiency: $6,488.18",
    ]
    assert "   - Other charges: $50.00" in letter
    # The court's own observation: 510.00 + 510.00 + 635.33 = 1,655.33 of repossession costs
    # against a $500.00 resale, which raised the balance by 1,155.33.
    assert "cost $1,655.33, more than the $500.00 the sale brought in" in letter
    assert "added $1,155.33 to the debt" in letter
    # Two $510.00 lines, and a charge UCC 9-615(a)(1) does not list.
    assert "Two of your expense lines are the same amount" in letter
    assert "You charge $50.00 that is not an expense" in letter
    assert "First Fidelity Acceptance Corp." in letter
    assert "1988 Chevrolet Corsica" in letter


def test_every_point_the_dispute_letter_raises_carries_its_citation() -> None:
    letter = run(**HUTCHINS, state="KS")["dispute_letter"]
    asked = letter.split("Please explain or correct the following:")[1].split("Until these points")[0]
    points = [line for line in asked.splitlines() if re.match(r"\d+\. ", line)]
    assert len(points) >= 5
    for point in points:
        assert point.endswith(")."), point
        assert re.search(r"\((UCC §|CFPB|K\.S\.A\.)", point), point


def test_a_state_bar_is_the_headline_and_in_the_letter_with_its_statute() -> None:
    # K.S.A. 16a-5-103: a consumer credit sale, cash price $1,000 or less: no deficiency.
    answers = {
        "state": "KS",
        "loan_purpose": "personal",
        "purchase_money": "seller",
        "original_amount": "900",
    }
    result = run(**HUTCHINS, **answers)
    assert result["headline"].startswith(
        "Kansas's law bars any deficiency on your answers (K.S.A. 16a-5-103)"
    )
    assert "$300" not in result["headline"]
    letter = result["dispute_letter"]
    assert "What Kansas law says about this deficiency:" in letter
    assert re.search(r"so no deficiency can be collected from me \(K\.S\.A\. 16a-5-103\)\.", letter)
    # With the price unknown, the bar is only possible: the headline says what it needs.
    unsure = run(**HUTCHINS, state="KS")["headline"]
    assert unsure.startswith("Kansas's law may bar the whole deficiency (K.S.A. 16a-5-103)")


def test_a_rule_below_statute_level_is_asked_about_not_asserted() -> None:
    # Oklahoma's 14A O.S. 5-103 small-sale bar is in the dataset as not verified.
    result = run(**HUTCHINS, state="OK")
    assert "not verified" in result["headline"]
    assert "I have not confirmed this rule in the statute's own text" in result["dispute_letter"]


def test_the_request_letter_names_what_the_reader_entered_and_marks_the_rest() -> None:
    letter = run(
        collateral="2016 Ford Focus, VIN 1FADP3F2XGL000000",
        account="77-1234",
        sale_date="2026-03-03",
        your_name="Pat Doe",
    )["request_letter"]
    assert "Collateral: 2016 Ford Focus, VIN 1FADP3F2XGL000000" in letter
    assert "Account: 77-1234" in letter
    assert "Date of the sale: March 3, 2026" in letter
    assert "sold it on March 3, 2026" in letter
    assert letter.startswith("Pat Doe\n[FILL IN: your mailing address]\n")
    assert "To: [FILL IN: the lender or servicer, and its address]" in letter
    assert letter.rstrip().endswith("Pat Doe")
    # UCC 9-616(b): 14 days after receipt, the explanation or a record waiving the deficiency.
    assert "within 14 days after you receive this request you must either send me this explanation" in letter
    assert "or send me a record waiving your right to a deficiency" in letter
    # UCC 9-625(b), (e)(6); 9-616(e).
    assert "(§ 9-625(b))" in letter
    assert "$500 in statutory damages (§ 9-625(e)(6))" in letter
    assert "free of charge (§ 9-616(e))" in letter
    # UCC 9-616(c): the six items in order.
    items = lines_of(letter)
    assert [i.split(" ", 2)[1] for i in items] == ["the", "the", "the", "the", "the", "the"]
    assert items[1].startswith("2. the amount the sale brought in")
    assert items[5] == "6. the surplus or deficiency."
    # A signed record (9-616(a)(2)(A)).
    assert "(signature)" in letter


def test_blank_details_are_marked_never_guessed() -> None:
    letter = run()["request_letter"]
    for blank in ("your name", "your mailing address", "your account number", "the date it was sold"):
        assert f"[FILL IN: {blank}" in letter
    assert "None" not in letter


def test_a_business_loan_gets_a_warning_in_the_request() -> None:
    # UCC 9-616(b) covers consumer-goods transactions only.
    assert run(loan_purpose="business", state="KS")["request_letter"].startswith("[NOTE: § 9-616 covers")


def test_text_fields_refuse_control_characters_and_overlong_answers() -> None:
    bad = calculators.run(
        "deficiency-check", {"your_name": "Pat\nDoe", "account": "9" * 41, "sale_date": "2026-02-30"}
    )
    assert not bad["ok"]
    assert set(bad["errors"]) == {"your_name", "account", "sale_date"}
    assert "one line" in bad["errors"]["your_name"]
    assert "40 characters" in bad["errors"]["account"]
    assert "2026-03-31" in bad["errors"]["sale_date"]
