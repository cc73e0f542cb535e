"""Parity: the same golden inputs through run() in CPython and in Pyodide (Python 3.14 under Node),
and every hostile string in every field of every calculator.

Pyodide answers on both of a reader's boot paths: a fresh boot, and a runtime restored from the
memory snapshot the fresh one made (every return visit). The JSON text must be byte-identical on
both: same numbers, same rounding, same messages, same key order.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import calculators
from site_integration import runtime as build_runtime
from site_integration.names import PACKAGE
from tests.strategies import INJECTIONS, NASTY_STRINGS

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.pyodide, pytest.mark.slow]


def golden_cases() -> list[dict[str, object]]:
    """Defaults, each numeric field at its bounds, each choice value, and some bad input per calculator."""
    cases: list[dict[str, object]] = []
    for name, calc in calculators.CALCULATORS.items():
        defaults = calc.defaults()
        cases.append({"name": name, "inputs": defaults})
        for field in calc.fields:
            variants: list[str] = []
            if field.choices:
                variants = [value for value, _ in field.choices]
            else:
                variants = [str(b) for b in (field.minimum, field.maximum) if b is not None]
                variants += ["", "abc", "1e400", "NaN", "-1", "$1,234.56", " 12.5 %"]
            cases.extend({"name": name, "inputs": {**defaults, field.name: v}} for v in variants)
        cases.append({"name": name, "inputs": {**defaults, "not_a_field": "1"}})
    cases.append({"name": "no-such-calculator", "inputs": {}})
    # Wider values for the money engine: cents that round both ways, large balances.
    cases += [
        {
            "name": "amortization",
            "inputs": {"loan_amount": "123,456.78", "annual_rate": "7.125", "term_months": "360"},
        },
        {
            "name": "amortization",
            "inputs": {"loan_amount": "999,999,999,999.99", "annual_rate": "99.9999", "term_months": "600"},
        },
        {"name": "amortization", "inputs": {"loan_amount": "1", "annual_rate": "0", "term_months": "600"}},
    ]
    return cases


def hostile_cases() -> list[dict[str, object]]:
    """Every hostile string (the fuzz test's and the script injections) in every text field of
    every calculator: the matrix the engines suite once typed into pages, string by string."""
    cases: list[dict[str, object]] = []
    for name, calc in calculators.CALCULATORS.items():
        defaults = calc.defaults()
        for field in calc.fields:
            if field.choices:
                continue
            cases.extend(
                {"name": name, "inputs": {**defaults, field.name: text}}
                for text in (*NASTY_STRINGS, *INJECTIONS)
            )
    return cases


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is required for the Pyodide parity test")
def test_cpython_and_pyodide_give_byte_identical_json() -> None:
    wheel = build_runtime.wheel_path()
    manifest = build_runtime.manifest()
    folder = build_runtime.OUT / "pyodide"
    cases = golden_cases() + hostile_cases()
    request = {
        "wheel": str(wheel),
        "stdlib": str(folder / manifest["stdlib"]),
        "bridge": str(folder / manifest["bridge"]),
        "package": PACKAGE,
        "cases": cases,
    }
    proc = subprocess.run(
        ["node", str(ROOT / "tests" / "pyodide" / "parity.mjs")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    reply = json.loads(proc.stdout)
    assert reply["python"].startswith("3.14")
    expected = [json.dumps(calculators.run(c["name"], c["inputs"])) for c in cases]  # type: ignore[arg-type]
    for path in ("fresh", "restored"):
        assert len(reply[path]) == len(expected), path
        for case, ours, theirs in zip(cases, expected, reply[path], strict=True):
            assert theirs == ours, (path, case)
