"""The :class:`Calculator` record: one declaration of a calculator's fields, outputs and compute step."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .fields import Field, InputError, Output

__all__ = ["Calculator", "OutputMismatch", "parse_inputs"]

#: The compute step: one keyword argument per field (its parsed value), returning the typed
#: value of every declared output by name.
Compute = Callable[..., Mapping[str, Any]]


class OutputMismatch(TypeError):
    """A compute step returned outputs other than the declared ones: a bug, never bad input."""


@dataclass(frozen=True)
class Calculator:
    """A calculator's whole public surface: its fields, its outputs and its compute step.

    Each name is said once and checked against the others:

    * ``compute`` takes exactly one keyword argument per declared field, so a misspelt field
      name fails when the module is imported, not when a reader types;
    * it returns a mapping of typed values (``Decimal`` money, ``int``, ``str``, sequences of
      :class:`calckit.steps.Step`, row objects) whose keys must be exactly the declared
      outputs; :meth:`Output.encode` turns each into JSON by its declared kind.

    ``compute`` may raise :class:`InputError` for rules that involve several fields, naming
    the field the reader should change.
    """

    name: str
    title: str
    summary: str
    fields: tuple[Field, ...]
    outputs: tuple[Output, ...]
    compute: Compute
    source: str = ""
    #: When a field is worth asking: field -> alternatives, each a mapping of other fields to the
    #: values that show it (all must match; any alternative will do). A field not listed is
    #: always shown. The page hides the rest until they matter (a state fact only for a state
    #: whose rules depend on it); run() reads every field either way.
    reveal: Mapping[str, tuple[Mapping[str, tuple[str, ...]], ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        params = inspect.signature(self.compute).parameters.values()
        if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
            accepted = {p.name for p in params if p.kind is not inspect.Parameter.VAR_POSITIONAL}
            declared = {f.name for f in self.fields}
            if accepted != declared:
                raise TypeError(
                    f"{self.name}: compute's parameters {sorted(accepted)} must be the declared "
                    f"fields {sorted(declared)}"
                )

        names = {f.name for f in self.fields}
        for shown, alternatives in self.reveal.items():
            controls = {key for alternative in alternatives for key in alternative}
            if shown not in names or not controls <= names:
                raise TypeError(
                    f"{self.name}: reveal of {shown!r} names fields it does not have: {sorted(controls - names)}"
                )

        outputs = {o.name for o in self.outputs}
        for out in self.outputs:
            chart = out.chart
            if chart is None:
                continue
            keys = {key for key, _label, _kind in out.columns}
            wanted = {chart.x, *chart.lines, *chart.bars}
            if not wanted <= keys:
                raise TypeError(
                    f"{self.name}.{out.name}: chart columns {sorted(wanted - keys)} are not columns"
                )
            if chart.band and not set(chart.band) <= outputs:
                raise TypeError(f"{self.name}.{out.name}: chart band {chart.band} must name outputs")
            if chart.marker and chart.marker not in outputs:
                raise TypeError(f"{self.name}.{out.name}: chart marker {chart.marker!r} must name an output")
            if chart.marker_value and chart.marker_value not in outputs:
                raise TypeError(
                    f"{self.name}.{out.name}: chart marker value {chart.marker_value!r} is no output"
                )

    def defaults(self) -> dict[str, str]:
        return {f.name: f.default for f in self.fields}

    def evaluate(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Run ``compute`` on parsed values and encode its outputs in declared order.

        Raises :class:`OutputMismatch` if the keys differ from the declared outputs.
        """
        typed = self.compute(**values)
        declared = [o.name for o in self.outputs]
        if set(typed) != set(declared):
            missing = sorted(set(declared) - set(typed))
            extra = sorted(set(typed) - set(declared))
            raise OutputMismatch(f"{self.name}: outputs missing {missing}, undeclared {extra}")
        return {o.name: o.encode(typed[o.name]) for o in self.outputs}

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "summary": self.summary,
            "source": self.source,
            "fields": [f.describe() for f in self.fields],
            "reveal": {k: [dict(alt) for alt in v] for k, v in self.reveal.items()},
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
