"""The declaration API of the calculator generator: standard library only.

A site's calculators package declares each calculator once (:class:`Calculator`, with fields
from :mod:`calckit.fields`) and exposes a :class:`Registry` of them as ``run``,
``export_csv``, ``describe`` and ``CALCULATORS``: the names the MkDocs plugin
(``site_integration``), the browser's bridge and the command line call. Nothing here knows
about loans; the same code runs in CPython and in Pyodide, where the generator ships it in the
site's wheel.

>>> from decimal import Decimal
>>> from calckit.fields import Output, OutputKind, money
>>> def _double(*, amount: Decimal) -> dict[str, Decimal]:
...     return {"twice": amount * 2}
>>> registry = Registry([Calculator(name="double", title="Double", summary="Twice a sum.",
...     fields=(money("amount", "Amount", default="10", help="Any sum."),),
...     outputs=(Output("twice", "Twice", OutputKind.MONEY),), compute=_double)])
>>> registry.run("double", {"amount": "$1,000.5"})
{'ok': True, 'twice': '2001.00'}
>>> registry.run("double", {"amount": "lots"})["errors"]["amount"]
'Amount must be a number between 0 and 1,000,000,000,000, written like 10.'
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from .fields import InputError, Kind
from .registry import Calculator, parse_inputs

__all__ = ["CALCULATOR_KEY", "INTERNAL_KEY", "Calculator", "InputError", "Registry"]

#: Error key used when the calculator name itself is wrong.
CALCULATOR_KEY = "calculator"
#: Error key used if a bug escapes a calculator; tests treat it as a failure.
INTERNAL_KEY = "internal"

#: How a figure reads in a file name, by its field's kind: 15200, 6.5pct, 60mo.
_FILE_UNITS = {Kind.MONEY: "", Kind.PERCENT: "pct", Kind.INTEGER: "", Kind.NUMBER: ""}


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-")[:40]


class Registry:
    """Every calculator of a site by its name (a contract: pages embed these names)."""

    def __init__(self, calculators: Iterable[Calculator]) -> None:
        self.calculators: dict[str, Calculator] = {}
        for calc in calculators:
            if calc.name in self.calculators:
                raise ValueError(f"two calculators are named {calc.name!r}")
            self.calculators[calc.name] = calc

    def run(self, name: str, inputs: Mapping[str, object]) -> dict[str, Any]:
        """Validate ``inputs`` (field name -> raw text) and compute calculator ``name``.

        Returns ``{"ok": True, **outputs}`` or ``{"ok": False, "errors": {field: message}}``.
        Money values are strings with exactly two decimals. Never raises.
        """
        calc = self.calculators.get(name) if isinstance(name, str) else None
        if calc is None:
            choices = ", ".join(self.calculators)
            message = f"Unknown calculator {str(name)[:40]!r}; choose one of: {choices}."
            return {"ok": False, "errors": {CALCULATOR_KEY: message}}
        if not isinstance(inputs, Mapping):
            return {
                "ok": False,
                "errors": {CALCULATOR_KEY: "Inputs must be a mapping of field name to text."},
            }
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

    def export_csv(self, name: str, inputs: Mapping[str, object], output: str) -> dict[str, Any]:
        """One table output of ``run(name, inputs)`` as CSV text, for a spreadsheet.

        Returns ``{"ok": True, "filename": ..., "csv": ...}`` (a header row of column labels,
        then one line per row, with plain numbers: no currency signs, no thousands separators,
        exactly as ``run`` returns them) or ``run``'s error shape. Never raises.
        """
        result = self.run(name, inputs)
        if not result["ok"]:
            return result
        calc = self.calculators[name]
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
        filename = self.csv_filename(name, output, inputs, today)
        return {"ok": True, "filename": filename, "csv": buffer.getvalue()}

    def csv_filename(self, name: str, output: str, inputs: Mapping[str, object], day: date) -> str:
        """A short file name for a downloaded table: the calculator, the table, the first three
        figures that are not zero (a calculator declares its main figures first) and the day."""
        figures: list[str] = []
        for f in self.calculators[name].fields:
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

    def describe(self) -> list[dict[str, Any]]:
        """JSON-safe description of every calculator and its fields and outputs."""
        return [calc.describe() for calc in self.calculators.values()]
