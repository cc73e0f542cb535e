"""Recourse and non-recourse loan calculators: pure Python, standard library only.

The one entry point for pages, the browser and the command line is
:func:`run`: it takes raw text as a person typed it and returns a JSON-safe
dict. It never raises for any input.

>>> result = run("amortization", {"loan_amount": "$200,000", "annual_rate": "6.5", "term_months": "360"})
>>> result["ok"], result["payment"]
(True, '1264.14')
>>> run("amortization", {"annual_rate": "abc"})["errors"]["annual_rate"]
'Annual interest rate must be a number between 0 and 100, written like 6.5.'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import (
    amortization,
    deficiency,
    deficiency_check,
    foreclosure_tax,
    garnishment,
    recourse_premium,
    underwater,
)
from .fields import InputError
from .registry import Calculator, parse_inputs

__all__ = ["CALCULATORS", "Calculator", "InputError", "describe", "run"]

__version__ = "0.1.0"

#: Every calculator by its registry name (a contract: pages embed these names).
CALCULATORS: dict[str, Calculator] = {
    calc.name: calc
    for calc in (
        amortization.CALCULATOR,
        deficiency.CALCULATOR,
        deficiency_check.CALCULATOR,
        foreclosure_tax.CALCULATOR,
        underwater.CALCULATOR,
        garnishment.CALCULATOR,
        recourse_premium.CALCULATOR,
    )
}

#: Error key used when the calculator name itself is wrong.
CALCULATOR_KEY = "calculator"
#: Error key used if a bug escapes a calculator; tests treat it as a failure.
INTERNAL_KEY = "internal"


def run(name: str, inputs: Mapping[str, object]) -> dict[str, Any]:
    """Validate ``inputs`` (field name -> raw text) and compute calculator ``name``.

    Returns ``{"ok": True, **outputs}`` or ``{"ok": False, "errors": {field: message}}``.
    Money values are strings with exactly two decimals.
    """
    calc = CALCULATORS.get(name) if isinstance(name, str) else None
    if calc is None:
        return {
            "ok": False,
            "errors": {
                CALCULATOR_KEY: f"Unknown calculator {str(name)[:40]!r}; choose one of: {', '.join(CALCULATORS)}."
            },
        }
    if not isinstance(inputs, Mapping):
        return {"ok": False, "errors": {CALCULATOR_KEY: "Inputs must be a mapping of field name to text."}}
    try:
        values, errors = parse_inputs(calc, inputs)
        if errors:
            return {"ok": False, "errors": errors}
        return {"ok": True, **calc.evaluate(values)}
    except InputError as err:
        return {"ok": False, "errors": {err.field: err.message}}
    except Exception as err:  # noqa: BLE001 - the page must never see a traceback
        # A bug, not bad input: report it in a shape tests recognise and fail on.
        return {"ok": False, "errors": {INTERNAL_KEY: f"Internal error in {name}: {type(err).__name__}."}}


def describe() -> list[dict[str, Any]]:
    """JSON-safe description of every calculator and its fields and outputs."""
    return [calc.describe() for calc in CALCULATORS.values()]
