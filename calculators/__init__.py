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

import csv
import io
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
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
from .fields import InputError, Kind
from .registry import Calculator, parse_inputs

__all__ = ["CALCULATORS", "Calculator", "InputError", "describe", "export_csv", "run"]

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


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-")[:40]


def export_csv(name: str, inputs: Mapping[str, object], output: str) -> dict[str, Any]:
    """One table output of ``run(name, inputs)`` as CSV text, for a spreadsheet.

    Returns ``{"ok": True, "filename": ..., "csv": ...}`` (a header row of column labels, then
    one line per row, with plain numbers: no currency signs, no thousands separators, exactly
    as ``run`` returns them) or ``run``'s error shape. Never raises.

    >>> print(export_csv("amortization", {"loan_amount": "1,000", "annual_rate": "12", "term_months": "3"},
    ...                  "schedule")["csv"].replace("\\r", ""))
    Payment no.,Payment,Interest,Principal,Balance
    1,340.03,10.00,330.03,669.97
    2,340.03,6.70,333.33,336.64
    3,340.01,3.37,336.64,0.00
    <BLANKLINE>
    """
    result = run(name, inputs)
    if not result["ok"]:
        return result
    calc = CALCULATORS[name]
    table = next((o for o in calc.outputs if o.name == output and o.columns), None)
    if table is None:
        tables = ", ".join(o.name for o in calc.outputs if o.columns)
        return {
            "ok": False,
            "errors": {CALCULATOR_KEY: f"{name} has no table {str(output)[:40]!r}; choose: {tables}."},
        }
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([label for _key, label, _kind in table.columns])
    for row in result[output]:
        writer.writerow([row[key] for key, _label, _kind in table.columns])
    # The reader's own calendar day: in the browser, Pyodide's clock and time zone are the page's.
    today = date.today()  # noqa: DTZ011
    return {"ok": True, "filename": csv_filename(name, output, inputs, today), "csv": buffer.getvalue()}


#: How a figure reads in a file name, by its field's kind: 15200, 6.5pct, 60mo.
_FILE_UNITS = {Kind.MONEY: "", Kind.PERCENT: "pct", Kind.INTEGER: "", Kind.NUMBER: ""}


def csv_filename(name: str, output: str, inputs: Mapping[str, object], day: date) -> str:
    """A short file name for a downloaded table: the calculator, the table, the first three
    figures that are not zero (a calculator declares its main figures first) and the day.

    >>> csv_filename("amortization", "schedule",
    ...              {"loan_amount": "250,000", "annual_rate": "6.5", "term_months": "360"}, date(2026, 12, 7))
    'amortization-schedule-250000-6.5pct-360-2026-12-07.csv'
    """
    figures: list[str] = []
    for f in CALCULATORS[name].fields:
        if f.kind not in _FILE_UNITS or len(figures) == 3:
            continue
        try:
            value = f.parse(inputs.get(f.name, f.default))
        except InputError:
            continue
        if not value:  # an empty or zero figure says nothing about the reader's case
            continue
        text = format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)
        figures.append(_slug(text) + _FILE_UNITS[f.kind])
    return "-".join([name, output, *figures, day.isoformat()]) + ".csv"


def describe() -> list[dict[str, Any]]:
    """JSON-safe description of every calculator and its fields and outputs."""
    return [calc.describe() for calc in CALCULATORS.values()]
