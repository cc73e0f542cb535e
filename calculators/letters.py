"""Letters written from the reader's own answers: plain text, built in the core, sent nowhere.

Two letters follow a car (or other consumer goods) repossession and sale:

* :func:`request_letter` asks the lender for the explanation UCC §9-616 requires: how it
  calculated the surplus or deficiency, in the order of §9-616(c). The lender must, within
  14 days after receiving the request, send the explanation or a record waiving the
  deficiency (§9-616(b)); a failure can cost it the reader's loss (§9-625(b)) and $500
  (§9-625(e)(6)). One response in any six months in which it sent no explanation on its own
  is free; it may charge up to $25 for each further one (§9-616(e)).
* :func:`dispute_letter` sets the lender's figures against the arithmetic in §9-616(c) order,
  lists what the check flagged and the state rules that could lower or end the deficiency,
  each with its citation.

What the reader did not enter is a marked blank, ``[FILL IN: ...]``, never a guess. The letters
cite the uniform text of Article 9; a state's code numbers the section its own way (California's
is Com. Code §9616), and the reader's state is named where one was chosen.

Each paragraph is one line (a phone wraps it; a text editor does too); lines are joined with
``\\n``.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from calckit.money import dollars

__all__ = [
    "Details",
    "Line",
    "Point",
    "blank",
    "dispute_letter",
    "first_person",
    "if_clause",
    "long_date",
    "request_letter",
]


def blank(what: str) -> str:
    """A marked blank for something the reader did not enter."""
    return f"[FILL IN: {what}]"


def long_date(day: datetime.date) -> str:
    """``datetime.date(2026, 3, 3)`` -> ``"March 3, 2026"``.

    >>> long_date(datetime.date(2026, 3, 3))
    'March 3, 2026'
    """
    return f"{day:%B} {day.day}, {day.year}"


# "you" as the subject of a verb becomes "I" (with "were"/"are" agreeing); elsewhere "me".
_SUBJECT = re.compile(
    r"\byou (were|are|owe|may|might|asked|gave|have|had|bought|lived|did|do|can|could|will|would|paid|took|"
    r"signed|still|then|got|made)\b",
    re.IGNORECASE,
)
_AGREE = {"were": "was", "are": "am"}


def first_person(text: str) -> str:
    """A sentence written to the reader ("you", "your"), put in the reader's own voice for a letter.

    >>> first_person("If a store sold you goods and you gave them back, you may owe nothing on your contract")
    'If a store sold me goods and I gave them back, I may owe nothing on my contract'
    >>> first_person("Your payments were late when you were away")
    'My payments were late when I was away'
    """

    def subject(match: re.Match[str]) -> str:
        verb = match.group(1)
        return f"I {_AGREE.get(verb.lower(), verb)}"

    text = _SUBJECT.sub(subject, text)
    text = re.sub(r"\bYour\b", "My", text)
    text = re.sub(r"\byour\b", "my", text)
    text = re.sub(r"\bYou\b", "I", text)
    return re.sub(r"\byou\b", "me", text)


# Words that open a clause in the middle of a sentence in lower case (never a proper name).
_OPENERS = {"the", "if", "for", "a", "an", "this", "your", "you", "it", "goods", "unless", "no", "any"}


def if_clause(parts: Iterable[str]) -> str:
    """Conditions that must all hold, as one "if" clause: ``["The loan was X", "The price was Y"]``
    -> ``"if the loan was X and the price was Y"``.

    >>> if_clause(["The loan was for personal use", "The cash price was $2,000.00 or less"])
    'if the loan was for personal use and the cash price was $2,000.00 or less'
    """
    said = []
    for part in parts:
        text = part.strip()
        if text.split(" ", 1)[0].lower() in _OPENERS:
            text = text[:1].lower() + text[1:]
        said.append(text.removeprefix("if "))
    if len(said) > 1:
        return "if " + ", ".join(said[:-1]) + " and " + said[-1]
    return "if " + (said[0] if said else "")


@dataclass(frozen=True)
class Details:
    """What the reader entered about themselves, the lender and the sale (``None`` if not)."""

    name: str | None = None
    address: str | None = None
    lender: str | None = None
    account: str | None = None
    collateral: str | None = None
    sale_date: datetime.date | None = None
    letter_date: datetime.date | None = None  # the date of the lender's letter being disputed
    state: str | None = None  # the state's name, if chosen
    business: bool = False  # the reader said the loan was for a business


@dataclass(frozen=True)
class Line:
    """One line of the explanation: its §9-616(c) number, label, the letter's figure (or
    ``None`` where the letter does not state it separately) and the recomputed figure."""

    number: str
    label: str
    letter: Decimal | None
    recomputed: Decimal
    parts: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True)
class Point:
    """One thing the letter asks about or relies on: what, why, and its citation. ``confirmed``
    is false for a rule below statute or case level: the letter asks rather than asserts."""

    what: str
    why: str
    cite: str
    confirmed: bool = True


def _ucc(details: Details) -> str:
    """How the letter names the code: the Uniform Commercial Code, as the reader's state enacted it."""
    return (
        f"the Uniform Commercial Code (UCC) as {details.state} enacted it"
        if details.state
        else "the Uniform Commercial Code (UCC)"
    )


def _heading(details: Details, subject: str) -> list[str]:
    return [
        details.name or blank("your name"),
        details.address or blank("your mailing address"),
        "",
        blank("the date you send this letter"),
        "",
        f"To: {details.lender or blank('the lender or servicer, and its address')}",
        "",
        f"Re: {subject}",
        f"Account: {details.account or blank('your account number')}",
        f"Collateral: {details.collateral or blank('year, make and model, and the VIN')}",
        f"Date of the sale: {long_date(details.sale_date) if details.sale_date else blank('the date it was sold')}",
        "",
    ]


def _signature(details: Details) -> list[str]:
    return [
        "",
        "Sincerely,",
        "",
        "",
        "______________________________ (signature)",
        details.name or blank("your name"),
    ]


def request_letter(details: Details) -> str:
    """A signed request for the §9-616 explanation of the deficiency (a "request", §9-616(a)(2))."""
    sold = f"on {long_date(details.sale_date)}" if details.sale_date else "after repossessing it"
    body = [
        *_heading(details, "Request for an explanation of the deficiency (UCC § 9-616)"),
        "To whom it may concern:",
        "",
        f"You took the collateral above and sold it {sold}. Under {_ucc(details)}, § 9-616(a)(2), this "
        "signed letter is my request for a written explanation of how you calculated the surplus or "
        "deficiency on my account.",
        "",
        "Please give the explanation in the order § 9-616(c) sets:",
        "1. the total amount the collateral secured, as of a stated date, and whether that amount "
        "reflects a rebate of unearned interest or credit service charge;",
        "2. the amount the sale brought in;",
        "3. the amount owed after subtracting what the sale brought in;",
        "4. the expenses of retaking, holding, preparing and selling the collateral, and any attorney's "
        "fees, in total or by type;",
        "5. the credits I am owed that item 1 does not include, such as a rebate of interest or a refund "
        "of an add-on product (GAP coverage, a service contract, credit insurance);",
        "6. the surplus or deficiency.",
        "",
        "Please also say whether future charges, interest, credits or expenses may change the amount, "
        "and give a telephone number or mailing address where I can get more information "
        "(§ 9-616(a)(1)(C) and (D)).",
        "",
        "Under § 9-616(b), within 14 days after you receive this request you must either send me this "
        "explanation or send me a record waiving your right to a deficiency. If you do neither, you may "
        "be liable for any loss that causes me (§ 9-625(b)) and for $500 in statutory damages "
        "(§ 9-625(e)(6)). The law also required this explanation no later than your first demand for "
        "payment of a deficiency after the sale (§ 9-616(b)(1)(A)). If you have not sent me one before, "
        "your response to this request is free of charge (§ 9-616(e)).",
        "",
        "Please send the explanation to the address above.",
        *_signature(details),
    ]
    if details.business:
        body[:0] = [
            "[NOTE: § 9-616 covers consumer-goods transactions only, and you said this loan was for a "
            "business. Ask a lawyer which request fits your loan before sending this.]",
            "",
        ]
    return "\n".join(body)


def _money_line(line: Line) -> list[str]:
    if line.letter is None:
        head = f"{line.number}. {line.label}: {dollars(line.recomputed)} (recomputed; your letter does not state it separately)"
    elif line.letter == line.recomputed:
        head = f"{line.number}. {line.label}: {dollars(line.letter)}"
    else:
        head = (
            f"{line.number}. {line.label}: your letter states {dollars(line.letter)}; its own lines give "
            f"{dollars(line.recomputed)}, a difference of {dollars(abs(line.letter - line.recomputed))}"
        )
    return [head, *(f"   - {label}: {dollars(amount)}" for label, amount in line.parts)]


def _point(index: int, point: Point) -> str:
    said = f"{point.what}: {point.why}" if point.why else point.what
    if point.confirmed:
        return f"{index}. {said} ({point.cite})."
    return (
        f"{index}. {said} ({point.cite}; I have not confirmed this rule in the statute's own text: please "
        "tell me whether it applies to this account)."
    )


def dispute_letter(
    details: Details,
    lines: Sequence[Line],
    points: Iterable[Point],
    state_points: Iterable[Point],
    *,
    claimed: Decimal,
    deficiency: Decimal,
    surplus: Decimal,
) -> str:
    """The lender's figures against the arithmetic, then each flag and state rule, all cited."""
    dated = f" dated {long_date(details.letter_date)}" if details.letter_date else ""
    body = [
        *_heading(details, "Your deficiency claim: figures I dispute (UCC § 9-616)"),
        "To whom it may concern:",
        "",
        f"I have checked the figures in your letter{dated} claiming a deficiency of {dollars(claimed)}. "
        f"Here they are in the order {_ucc(details)}, § 9-616(c), sets, with what they add up to "
        "(§ 9-615(a) and (d)):",
        "",
    ]
    for line in lines:
        body.extend(_money_line(line))
    if surplus > 0:
        body += [
            "",
            f"By your own figures there is no deficiency: you owe me a surplus of {dollars(surplus)} (§ 9-615(d)(1)).",
        ]
    elif claimed != deficiency:
        body += [
            "",
            f"Your figures add up to a deficiency of {dollars(deficiency)}, not the {dollars(claimed)} you "
            "claim (§ 9-615(d)(2)).",
        ]
    asked = list(points)
    if asked:
        body += ["", "Please explain or correct the following:"]
        body += [_point(i, p) for i, p in enumerate(asked, 1)]
    rules = list(state_points)
    if rules:
        where = details.state or "State"
        body += ["", f"What {where} law says about this deficiency:"]
        body += [_point(i, p) for i, p in enumerate(rules, 1)]
    body += [
        "",
        "Until these points are explained or corrected, I dispute the deficiency you claim. Please send "
        "me a corrected explanation, in the order § 9-616(c) sets, at the address above.",
        *_signature(details),
    ]
    return "\n".join(body)
