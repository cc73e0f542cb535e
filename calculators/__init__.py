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
from datetime import date
from typing import Any

from calckit import CALCULATOR_KEY, INTERNAL_KEY, Calculator, InputError, Registry

from . import (
    amortization,
    deficiency,
    deficiency_check,
    foreclosure_tax,
    garnishment,
    recourse_premium,
    underwater,
)

__all__ = [
    "CALCULATORS",
    "CALCULATOR_KEY",
    "INTERNAL_KEY",
    "Calculator",
    "InputError",
    "csv_filename",
    "describe",
    "export_csv",
    "run",
]

__version__ = "0.1.0"

#: This site's calculators, declared with the generator's API (:mod:`calckit`).
REGISTRY = Registry(
    (
        amortization.CALCULATOR,
        deficiency.CALCULATOR,
        deficiency_check.CALCULATOR,
        foreclosure_tax.CALCULATOR,
        underwater.CALCULATOR,
        garnishment.CALCULATOR,
        recourse_premium.CALCULATOR,
    )
)
#: Every calculator by its registry name (a contract: pages embed these names).
CALCULATORS: dict[str, Calculator] = REGISTRY.calculators


def run(name: str, inputs: Mapping[str, object]) -> dict[str, Any]:
    """Validate ``inputs`` (field name -> raw text) and compute calculator ``name``.

    Returns ``{"ok": True, **outputs}`` or ``{"ok": False, "errors": {field: message}}``.
    Money values are strings with exactly two decimals.
    """
    return REGISTRY.run(name, inputs)


def export_csv(name: str, inputs: Mapping[str, object], output: str) -> dict[str, Any]:
    """One table output of ``run(name, inputs)`` as CSV text, for a spreadsheet.

    >>> print(export_csv("amortization", {"loan_amount": "1,000", "annual_rate": "12", "term_months": "3"},
    ...                  "schedule")["csv"].replace("\\r", ""))
    Payment no.,Payment,Interest,Principal,Balance
    1,340.03,10.00,330.03,669.97
    2,340.03,6.70,333.33,336.64
    3,340.01,3.37,336.64,0.00
    <BLANKLINE>
    """
    return REGISTRY.export_csv(name, inputs, output)


def csv_filename(name: str, output: str, inputs: Mapping[str, object], day: date) -> str:
    """A short file name for a downloaded table.

    >>> csv_filename("amortization", "schedule",
    ...              {"loan_amount": "250,000", "annual_rate": "6.5", "term_months": "360"}, date(2026, 12, 7))
    'amortization-schedule-250000-6.5pct-360-2026-12-07.csv'
    """
    return REGISTRY.csv_filename(name, output, inputs, day)


def describe() -> list[dict[str, Any]]:
    """JSON-safe description of every calculator and its fields and outputs."""
    return REGISTRY.describe()
