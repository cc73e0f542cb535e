"""The :class:`Calculator` record and the registry of every calculator by name."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .fields import Field, InputError, Output

__all__ = ["Calculator", "parse_inputs"]

#: The compute step: typed values keyed by field name -> JSON-safe outputs.
Compute = Callable[[Mapping[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Calculator:
    """A calculator's whole public surface: its fields, its outputs and its compute step.

    ``compute`` receives the values :meth:`Field.parse` produced (every
    declared field present, optional ones possibly ``None``) and returns the
    outputs as JSON-safe values. It may raise :class:`InputError` for rules
    that involve several fields, naming the field the reader should change.
    """

    name: str
    title: str
    summary: str
    fields: tuple[Field, ...]
    outputs: tuple[Output, ...]
    compute: Compute
    source: str = ""

    def defaults(self) -> dict[str, str]:
        return {f.name: f.default for f in self.fields}

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "summary": self.summary,
            "source": self.source,
            "fields": [f.describe() for f in self.fields],
            "outputs": [o.describe() for o in self.outputs],
        }


def parse_inputs(calc: Calculator, inputs: Mapping[str, object]) -> tuple[dict[str, Any], dict[str, str]]:
    """Parse every declared field; collect one message per bad field.

    A field missing from ``inputs`` takes its declared default, so a caller
    may send only what the reader changed. Unknown field names are errors.
    """
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    known = {f.name for f in calc.fields}
    for name in inputs:
        if name not in known:
            key = str(name)[:40]
            errors[key] = f"Unknown field {key!r}; {calc.name} accepts: {', '.join(sorted(known))}."
    for f in calc.fields:
        raw = inputs.get(f.name, f.default)
        try:
            values[f.name] = f.parse(raw)
        except InputError as err:
            errors[err.field] = err.message
    return values, errors
