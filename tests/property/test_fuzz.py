"""Fuzz: at least 10,000 random raw-text inputs per calculator per run.

Every result must be either ``ok`` with well-formed outputs or a field error naming declared
fields. An ``internal`` key (a caught bug) or an exception fails the test. The seed changes every
run and is printed on failure so a failure can be replayed with FUZZ_SEED=<seed>.
"""

from __future__ import annotations

import os
import random
import re
from decimal import Decimal
from typing import Any

import pytest

import calculators
from calckit.fields import Field, Kind, OutputKind
from tests.strategies import NASTY_STRINGS

CASES_PER_CALCULATOR = 10_000
MONEY = re.compile(r"-?\d+\.\d{2}")
#: A dollar amount in a sentence: "$1,234.50", "-$5.00" or, in a statute's own figure, "$1,000"; never "$-0.00" or "$1234.5".
DOLLARS_IN_TEXT = re.compile(r"-?\$\d{1,3}(?:,\d{3})*(?:\.\d{2})?")
#: What must never reach a reader's sentence: a signed zero, a sign after the dollar sign, or a
#: Python value's own spelling.
BAD_PROSE = re.compile(r"\$-|-\$0\.00(?!\d)|\bNone\b|\bnan\b|\bNaN\b|Infinity|Decimal\(|\{|\}")
#: Every plausible text answer starts with this (see check_sentences).
TEXT_MARK = "Zxq"
#: Output kinds that are sentences or labels the core writes.
PROSE_KINDS = (OutputKind.HEADLINE, OutputKind.PROSE, OutputKind.TEXT)


def plausible(rng: random.Random, field: Field) -> str:
    """In-range text for the field, written the ways people write numbers."""
    if not field.required and rng.random() < 0.25:
        return ""  # optional fields are often left empty, and extras interact (see amortization)
    if field.kind in (Kind.CHOICE, Kind.YES_NO):
        return rng.choice([v for v, _ in field.choices])
    if field.kind is Kind.MONTH:
        return f"{rng.randint(1990, 2100)}-{rng.randint(1, 12):02d}"
    if field.kind is Kind.DATE:
        return f"{rng.randint(1990, 2100)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if field.kind is Kind.TEXT:
        words = [
            "Pat",
            "O'Neil",
            "2019",
            "Honda",
            "Civic",
            "#12-3",
            "Ave.",
            "São",
            "Paulo",
            "&",
            "Co.",
            "VIN",
        ]
        # Marked, so check_sentences can find the reader's words in a letter and take them out.
        return " ".join([TEXT_MARK, *(rng.choice(words) for _ in range(rng.randint(1, 8)))])
    lo = field.minimum if field.minimum is not None else Decimal(-1000)
    hi = field.maximum if field.maximum is not None else Decimal(10**9)
    if rng.random() < 0.2:
        value = rng.choice([lo, hi])
    else:
        places = 0 if field.kind is Kind.INTEGER else rng.choice([0, 1, 2])
        value = lo + (hi - lo) * Decimal(str(round(rng.random() ** 6, 6)))
        value = min(max(round(value, places), lo), hi)
    text = f"{value:,}" if rng.random() < 0.3 else str(value)
    return ("$" + text) if field.kind is Kind.MONEY and rng.random() < 0.2 else text


def hostile(rng: random.Random, field: Field) -> str:
    """Out-of-range, malformed or absurd text."""
    pick = rng.random()
    if pick < 0.5:
        return rng.choice(NASTY_STRINGS)
    if pick < 0.7:
        return "".join(rng.choice("0123456789$,.-+% eE\t") for _ in range(rng.randint(0, 12)))
    if field.kind in (Kind.CHOICE, Kind.YES_NO):
        return "maybe"
    lo = field.minimum if field.minimum is not None else Decimal(-1000)
    hi = field.maximum if field.maximum is not None else Decimal(10**9)
    return str(rng.choice([lo - 1, hi + 1, hi * 1000, lo - Decimal("0.001")]))


def raw_inputs(rng: random.Random, calc: calculators.Calculator) -> dict[str, str]:
    """Half the cases entirely plausible (reaching the compute step), half with 1-3 hostile fields."""
    inputs = {f.name: plausible(rng, f) for f in calc.fields if rng.random() < 0.97}
    if rng.random() < 0.5:
        for f in rng.sample(calc.fields, k=min(len(calc.fields), rng.randint(1, 3))):
            inputs[f.name] = hostile(rng, f)
    if rng.random() < 0.02:
        inputs["bogus_field"] = "1"
    return inputs


def check_prose(text: str, where: str) -> None:
    """A sentence the core wrote: every dollar amount well formed, nothing of Python's own spelling."""
    assert not BAD_PROSE.search(text), (where, text)
    for token in re.findall(r"-?\$\S*", text):
        amount = token.rstrip(".,;:)")
        assert DOLLARS_IN_TEXT.fullmatch(amount), (where, amount, text)


def check_sentences(calc: calculators.Calculator, result: dict[str, Any], inputs: dict[str, str]) -> None:
    """Every sentence the core wrote is well formed. A letter repeats the reader's own words (a
    name, a lender) as they typed them: those are taken out before the letter is checked, and a
    letter that repeats hostile text (any words but the generator's marked ones) is not checked
    for well-formed prose (the fuzz still proves that it did not raise)."""
    own = [
        " ".join(inputs[f.name].split())
        for f in calc.fields
        if f.kind is Kind.TEXT and inputs.get(f.name, "").strip()
    ]
    marked = all(words.startswith(TEXT_MARK) for words in own)
    for out in calc.outputs:
        value = result.get(out.name)
        if out.kind is OutputKind.LETTER:
            if not marked:
                continue
            text = str(value)
            for words in own:
                text = text.replace(words, "")
            check_prose(text, out.name)
        elif out.kind in PROSE_KINDS:
            check_prose(str(value), out.name)
        elif out.kind is OutputKind.STEPS:
            for step in value:
                check_prose(step["label"], out.name)
        elif out.kind is OutputKind.ROWS:
            for row in value:
                for key, _label, kind in out.columns:
                    if kind in PROSE_KINDS:
                        check_prose(str(row[key]), f"{out.name}.{key}")


def check_money(calc: calculators.Calculator, result: dict[str, Any]) -> None:
    for out in calc.outputs:
        value = result.get(out.name)
        if out.kind is OutputKind.MONEY:
            assert isinstance(value, str), (out.name, value)
            assert MONEY.fullmatch(value), (out.name, value)
        elif out.kind is OutputKind.STEPS:
            assert all(MONEY.fullmatch(step["amount"]) for step in value), out.name
        elif out.kind is OutputKind.ROWS:
            money_cols = [key for key, _label, kind in out.columns if kind is OutputKind.MONEY]
            for row in value:
                for key in money_cols:
                    assert MONEY.fullmatch(row[key]), (out.name, key, row[key])


@pytest.mark.slow
@pytest.mark.parametrize("name", list(calculators.CALCULATORS))
def test_random_raw_text_never_escapes_as_an_exception(name: str) -> None:
    seed = int(os.environ.get("FUZZ_SEED", random.randrange(2**32)))
    rng = random.Random(seed)
    calc = calculators.CALCULATORS[name]
    names = {f.name for f in calc.fields}
    oks = 0
    for i in range(CASES_PER_CALCULATOR):
        inputs = raw_inputs(rng, calc)
        try:
            result = calculators.run(name, inputs)
        except Exception as err:  # noqa: BLE001 - the point of the test
            pytest.fail(f"FUZZ_SEED={seed} case {i}: {inputs!r} raised {err!r}")
        if result["ok"]:
            oks += 1
            check_money(calc, result)
            check_sentences(calc, result, inputs)
        else:
            keys = set(result["errors"])
            assert keys <= names | {"bogus_field"}, f"FUZZ_SEED={seed} case {i}: {inputs!r} -> {result!r}"
            assert all(isinstance(m, str) and m for m in result["errors"].values())
    # The generator must reach the compute step often, or the test proves little.
    assert oks >= CASES_PER_CALCULATOR // 10, f"only {oks} valid cases for {name}"
