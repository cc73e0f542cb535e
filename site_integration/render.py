"""Build the calculator HTML (the page contract) with ``xml.etree``.

The contract other code relies on:

* the container carries ``data-calculator="NAME"``;
* it holds a real ``<form>`` with one labelled ``<input>``/``<select>`` per
  field, ``name="FIELD"``, with the field's kind, unit, bounds, step and help;
* every result element carries ``data-output="FIELD"`` and already shows the
  result for the default values, computed here in CPython;
* results sit in an ``aria-live="polite"`` region, and each field's help and
  error text are tied to its input with ``aria-describedby``;
* the calculator's one-sentence answer (``data-kind="headline"``) sits right
  after the form and stays in view while the reader edits the fields;
* each table output has a ``<button data-export="csv">``, each charted table a
  ``<figure data-chart>`` whose space is reserved (its text alternative is the
  table), and the container has reset and copy-link controls (see CONTRACT.md).

Text is set as ``AtomicString`` so Markdown's inline patterns never rewrite
labels or numbers. Display formatting lives in :func:`display`; the browser
runtime mirrors it exactly (``browser/format.js`` in this package) and a browser test checks
that live output equals this pre-rendered output for the same inputs.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from typing import Any

from markdown.util import AtomicString

from calckit.fields import Field, Kind, OutputKind
from calckit.registry import Calculator

__all__ = ["display", "render_calculator", "render_example"]

MINUS = "\u2212"


def _group(digits: str) -> str:
    """Insert thousands separators into a string of digits (no arithmetic)."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return ",".join(parts)


def display(kind: str, value: Any) -> str:
    """Format one JSON output value for people: ``"1234.50"`` -> ``"$1,234.50"``.

    >>> display("money", "-1234567.05"), display("percent", "6.5000"), display("integer", 360)
    ('−$1,234,567.05', '6.50%', '360')
    """
    if kind == OutputKind.MONEY.value and isinstance(value, str):
        sign = MINUS if value.startswith("-") else ""
        whole, _, frac = value.lstrip("-").partition(".")
        return f"{sign}${_group(whole)}.{frac}"
    if kind == OutputKind.PERCENT.value and isinstance(value, str):
        whole, _, frac = value.partition(".")
        frac = frac.rstrip("0").ljust(2, "0")
        return f"{whole}.{frac}%"
    if kind == OutputKind.INTEGER.value and isinstance(value, int):
        return _group(str(value)) if value >= 0 else MINUS + _group(str(-value))
    return str(value)


#: Outputs shown as running text, not as figures.
PROSE = (OutputKind.PROSE,)
#: Outputs shown in a section of their own, not as a figure in the list.
_OWN_SECTION = (OutputKind.ROWS, OutputKind.STEPS, OutputKind.HEADLINE, OutputKind.LETTER, *PROSE)


def _sub(parent: etree.Element, tag: str, text: str | None = None, **attrs: str) -> etree.Element:
    el = etree.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()})
    if text is not None:
        el.text = AtomicString(text)
    return el


def _control(parent: etree.Element, field: Field, value: str, uid: str) -> None:
    wrap = _sub(parent, "div", class_="calc__field", data_field=field.name)
    input_id = f"{uid}-{field.name}"
    label = _sub(wrap, "label", field.label, for_=input_id, class_="calc__label")
    if field.unit and field.kind not in (Kind.CHOICE, Kind.YES_NO):
        unit = _sub(label, "span", f" ({field.unit})", class_="calc__unit")
        unit.tail = None
    if not field.required:
        _sub(label, "span", " (optional)", class_="calc__optional")
    described = f"{input_id}-help {input_id}-error"
    box = _sub(wrap, "div", class_="calc__control")
    if field.kind in (Kind.CHOICE, Kind.YES_NO):
        select = _sub(
            box,
            "select",
            id=input_id,
            name=field.name,
            class_="calc__input",
            aria_describedby=described,
            data_kind=field.kind.value,
        )
        if field.remember:
            select.set("data-remember", field.name)
        if not field.required:
            empty = _sub(select, "option", field.empty_label or "(none)", value="")
            if not value.strip():
                empty.set("selected", "selected")
        for option_value, option_label in field.choices:
            opt = _sub(select, "option", option_label, value=option_value)
            if option_value == value:
                opt.set("selected", "selected")
    else:
        _text_input(box, field, value, input_id, described)
    _sub(wrap, "p", field.help, id=f"{input_id}-help", class_="calc__help")
    err = _sub(wrap, "p", "", id=f"{input_id}-error", class_="calc__error")
    err.set("data-error-for", field.name)


def revealed(alternatives: Any, values: Mapping[str, str]) -> bool:
    """Whether a field with these ``reveal`` alternatives is worth asking, given the form's values."""
    return any(
        all(
            str(values.get(key, "")).strip().lower() in [v.lower() for v in allowed]
            for key, allowed in alt.items()
        )
        for alt in alternatives
    )


def _reveal(wrap: etree.Element, alternatives: Any, values: Mapping[str, str]) -> None:
    """A field asked only in some cases (a state fact, a carve-out): the cases, as JSON for
    ``reveal.js``, and hidden at first paint unless the page's own values call for it."""
    if alternatives is None:
        return
    wrap.set("data-reveal", json.dumps([dict(alt) for alt in alternatives], separators=(",", ":")))
    if not revealed(alternatives, values):
        wrap.set("hidden", "hidden")


def _text_input(box: etree.Element, field: Field, value: str, input_id: str, described: str) -> None:
    # type="text" + inputmode keeps "$25,000" and "6.5%" typeable and lets Python,
    # not the browser, explain what is wrong with bad input. min/max/step and
    # data-kind/data-unit still describe the field for tools and styles.
    attrs = {
        "type": "text",
        "id": input_id,
        "name": field.name,
        "value": value,
        "class": "calc__input",
        "inputmode": _inputmode(field),
        "autocomplete": "off",
        "spellcheck": "false",
        "aria-describedby": described,
        "data-kind": field.kind.value,
        "data-unit": field.unit,
        "step": field.step,
    }
    if field.minimum is not None:
        attrs["min"] = str(field.minimum)
    if field.maximum is not None:
        attrs["max"] = str(field.maximum)
    if field.required:
        attrs["aria-required"] = "true"
    if field.kind is Kind.MONTH:
        attrs["placeholder"] = "YYYY-MM"
    if field.kind is Kind.DATE:
        # The phone's own date picker; it sends YYYY-MM-DD, which Python checks like any text.
        attrs["type"] = "date"
        del attrs["inputmode"], attrs["step"]
    if field.kind is Kind.TEXT:
        del attrs["step"]
        attrs["spellcheck"] = "true"
        attrs["maxlength"] = str(field.max_length)
    if field.personal:
        attrs["data-personal"] = ""
    etree.SubElement(box, "input", attrs)
    if field.minimum is not None and field.minimum < 0:
        # iOS's decimal keypad has no minus key: a sign toggle (wired by calculators.js,
        # hidden until then) lets such a field be negative.
        toggle = _sub(
            box,
            "button",
            "\u00b1",
            type="button",
            class_="calc__sign",
            data_sign_for=field.name,
            aria_label=f"Change the sign of {field.label}",
        )
        toggle.set("hidden", "hidden")


def _inputmode(field: Field) -> str:
    if field.kind in (Kind.MONTH, Kind.TEXT, Kind.DATE):
        return "text"
    return "numeric" if field.kind is Kind.INTEGER else "decimal"


_NUMERIC = (OutputKind.MONEY.value, OutputKind.PERCENT.value, OutputKind.INTEGER.value)


def _rows_table(parent: etree.Element, name: str, columns: Any, rows: list[dict[str, Any]]) -> etree.Element:
    # A table of sentences (flags, conditions) wraps its cells, and reads as a list of labelled
    # items on a phone (calculators.css): its text is the point, and a sideways scroll hides it.
    prose = all(kind.value not in _NUMERIC for _key, _label, kind in columns)
    table = _sub(
        parent,
        "table",
        class_="calc__table calc__table--text" if prose else "calc__table",
        data_output=name,
        data_kind="rows",
    )
    head = _sub(_sub(table, "thead"), "tr")
    for key, label, kind in columns:
        th = _sub(head, "th", label, scope="col", data_key=key, data_kind=kind.value)
        if kind.value in _NUMERIC:
            th.set("class", "calc__num")
    body = _sub(table, "tbody")
    for row in rows:
        tr = _sub(body, "tr")
        for key, label, kind in columns:
            td = _sub(tr, "td", display(kind.value, row[key]), data_label=label)
            if kind.value in _NUMERIC:
                td.set("class", "calc__num")
                td.set("data-value", str(row[key]))  # the raw value, which charts plot
    return table


def _chart(parent: etree.Element, out: Any, table_id: str) -> None:
    """A chart's reserved space; calculators.js draws in it from the table's values (no arithmetic)."""
    chart = out.chart
    labels = {key: label for key, label, _kind in out.columns}
    spec = {**chart.describe(), "labels": labels}
    figure = _sub(
        parent,
        "figure",
        class_="calc__chart",
        data_chart=out.name,
        data_chart_spec=json.dumps(spec, separators=(",", ":")),
    )
    canvas = _sub(
        figure,
        "div",
        class_="calc__chart-plot",
        role="img",
        tabindex="0",
        aria_label=f"{chart.title}. The arrow keys move through its points; the table below has every value.",
    )
    canvas.set("aria-describedby", table_id)
    _sub(figure, "figcaption", chart.title, class_="calc__chart-caption")


def _steps(parent: etree.Element, steps: list[dict[str, str]], live: bool, name: str) -> etree.Element:
    attrs = {"class_": "calc__steps"}
    if live:
        attrs["data_output"] = name
        attrs["data_kind"] = "steps"
    ol = _sub(parent, "ol", **attrs)
    for step in steps:
        li = _sub(ol, "li", class_="calc__step")
        _sub(li, "span", step["label"], class_="calc__step-label")
        _sub(li, "span", display("money", step["amount"]), class_="calc__step-amount")
    return ol


def _figures(parent: etree.Element, calc: Calculator, result: Mapping[str, Any], live: bool) -> None:
    dl = _sub(parent, "dl", class_="calc__outputs")
    for out in calc.outputs:
        if out.kind in _OWN_SECTION:
            continue
        item = _sub(dl, "div", class_="calc__output", data_output_item=out.name)
        _sub(item, "dt", out.label)
        dd = _sub(item, "dd", display(out.kind.value, result[out.name]), data_kind=out.kind.value)
        _mark(dd, out.name, result, live)


def _mark(el: etree.Element, name: str, result: Mapping[str, Any], live: bool) -> None:
    # The raw JSON value travels with the formatted text: charts place their marker and band
    # from it, and tests compare examples with run().
    el.set("data-output" if live else "data-example-output", name)
    el.set("data-value", str(result[name]))


def _prose(parent: etree.Element, calc: Calculator, result: Mapping[str, Any], live: bool) -> None:
    for out in calc.outputs:
        if out.kind in PROSE:
            box = _sub(parent, "div", class_="calc__prose")
            _sub(box, "p", out.label, class_="calc__prose-label")
            p = _sub(box, "p", str(result[out.name]), class_="calc__prose-text", data_kind=out.kind.value)
            _mark(p, out.name, result, live)


def _tables(parent: etree.Element, calc: Calculator, result: Mapping[str, Any], live: bool, uid: str) -> None:
    for out in calc.outputs:
        if out.kind is not OutputKind.ROWS:
            continue
        table_id = f"{uid}-{out.name}" if uid else ""
        if live and out.chart is not None:
            _chart(parent, out, table_id)
        details = _sub(parent, "details", class_="calc__details")
        if out.expanded:
            details.set("open", "open")
        _sub(details, "summary", out.label)
        if live:
            _sub(
                details,
                "button",
                "Download CSV",
                type="button",
                class_="calc__button",
                data_export="csv",
                data_table=out.name,
            )
        # A scrollable region must be reachable by keyboard (WCAG 2.1.1): focusable and named.
        wrap = _sub(details, "div", class_="calc__scroll", tabindex="0", role="region", aria_label=out.label)
        table = _rows_table(wrap, out.name, out.columns, result[out.name])
        if table_id:
            table.set("id", table_id)
        if not live:
            del table.attrib["data-output"]


_LETTER_ACTIONS = (("copy", "Copy"), ("print", "Print"), ("download", "Download .txt"))


def _letters(
    parent: etree.Element, calc: Calculator, result: Mapping[str, Any], live: bool, uid: str
) -> None:
    """Each letter the calculator writes: its text as built, and buttons to copy, print or download
    it (calculators.js; nothing leaves the device). Folded: a letter is long on a phone."""
    for out in calc.outputs:
        if out.kind is not OutputKind.LETTER:
            continue
        # Folded on the page and in a printed report; its own Print button prints it alone.
        details = _sub(parent, "details", class_="calc__details calc__letter-box", data_print_fold="")
        _sub(details, "summary", out.label)
        if out.help:
            _sub(details, "p", out.help, class_="calc__help")
        if live:
            actions = _sub(details, "div", class_="calc__letter-actions")
            for action, label in _LETTER_ACTIONS:
                button = _sub(
                    actions,
                    "button",
                    label,
                    type="button",
                    class_="calc__button",
                    data_letter_action=action,
                    data_letter=out.name,
                )
                button.set("aria-label", f"{label}: {out.label}")
            done = _sub(actions, "span", "", class_="calc__copied", data_letter_done=out.name, role="status")
            done.set("aria-live", "polite")
        pre = _sub(
            details,
            "pre",
            str(result[out.name]),
            class_="calc__letter",
            data_kind=out.kind.value,
            tabindex="0",
            aria_label=out.label,
        )
        if uid:
            pre.set("id", f"{uid}-{out.name}")
        pre.set("data-output" if live else "data-example-output", out.name)


def _outputs(
    parent: etree.Element, calc: Calculator, result: Mapping[str, Any], live: bool, uid: str = ""
) -> None:
    """Figures in a definition list, then prose, then steps, then charts and tables (collapsed),
    then letters."""
    _figures(parent, calc, result, live)
    _prose(parent, calc, result, live)
    for out in calc.outputs:
        if out.kind is OutputKind.STEPS:
            details = _sub(parent, "details", class_="calc__details", open="open")
            _sub(details, "summary", out.label)
            _steps(details, result[out.name], live, out.name)
    _tables(parent, calc, result, live, uid)
    if live:  # a worked example shows its figures; the letters belong to the reader's own numbers
        _letters(parent, calc, result, live, uid)


def render_calculator(
    parent: etree.Element,
    calc: Calculator,
    values: Mapping[str, str],
    result: Mapping[str, Any],
    *,
    uid: str,
    title: str | None = None,
) -> etree.Element:
    """The live calculator: form, pre-rendered results and a status line."""
    root = _sub(parent, "div", class_="calc", data_calculator=calc.name, data_state="static", id=uid)
    _sub(root, "p", title or calc.title, class_="calc__title")
    form = _sub(
        root,
        "form",
        class_="calc__form",
        novalidate="novalidate",
        autocomplete="off",
        aria_label=title or calc.title,
    )
    for field in calc.fields:
        _control(form, field, values[field.name], uid)
        _reveal(form[-1], calc.reveal.get(field.name), values)
    headline = next((o for o in calc.outputs if o.kind is OutputKind.HEADLINE), None)
    if headline is not None:
        # Right after the form, and sticky at the bottom of the screen while the form is in view.
        _sub(
            root,
            "p",
            str(result[headline.name]),
            class_="calc__headline",
            data_output=headline.name,
            data_kind=headline.kind.value,
            aria_live="polite",
        )
    actions = _sub(root, "div", class_="calc__actions")
    _sub(actions, "button", "Reset", type="button", class_="calc__button", data_action="reset")
    _sub(actions, "button", "Copy link", type="button", class_="calc__button", data_action="copy-link")
    copied = _sub(actions, "span", "", class_="calc__copied", data_copied="", role="status")
    copied.set("aria-live", "polite")
    results = _sub(root, "div", class_="calc__results", aria_live="polite", aria_atomic="false")
    _outputs(results, calc, result, live=True, uid=uid)
    status = _sub(
        root,
        "p",
        "Results above are for the values shown.",
        class_="calc__status",
        role="status",
        data_status="",
    )
    status.set("aria-live", "polite")
    # Right under the status line, shown by calculators.js when live mode could not start (a
    # stalled or failed download): the reader's next step sits beside the sentence that says so.
    _sub(
        root,
        "button",
        "Try again",
        type="button",
        class_="calc__button calc__retry",
        data_action="retry",
        hidden="hidden",
    )
    # Only on paper: the scenario's link, the date and the sources (filled in by calculators.js).
    printed = _sub(root, "div", class_="calc__print")
    link = _sub(printed, "p", "Scenario link: ")
    _sub(link, "span", "", data_share_link="")
    date = _sub(printed, "p", "Printed on ")
    _sub(date, "span", "", data_print_date="")
    if calc.source:
        _sub(printed, "p", f"Sources: {calc.source}")
    return root


def render_example(
    parent: etree.Element,
    calc: Calculator,
    values: Mapping[str, str],
    result: Mapping[str, Any],
    title: str | None = None,
) -> etree.Element:
    """A static worked example: the inputs, the steps and the results, computed at build time."""
    root = _sub(parent, "div", class_="calc-example", data_example=calc.name)
    _sub(root, "p", title or f"Worked example: {calc.title.lower()}", class_="calc-example__title")
    table = _sub(root, "table", class_="calc-example__inputs")
    _sub(_sub(table, "thead"), "tr")
    head = table[0][0]
    _sub(head, "th", "Input", scope="col")
    _sub(head, "th", "Value", scope="col")
    body = _sub(table, "tbody")
    for field in calc.fields:
        raw = values.get(field.name, "")
        if raw.strip() == "" and not field.required:
            continue
        tr = _sub(body, "tr", data_input=field.name)
        _sub(tr, "td", field.label)
        if field.kind in (Kind.CHOICE, Kind.YES_NO):
            shown = {v.lower(): label for v, label in field.choices}.get(raw.strip().lower(), raw)
        else:
            shown = f"{field.unit}{raw}" if field.unit == "$" else f"{raw} {field.unit}".strip()
        _sub(tr, "td", shown)
    headline = next((o for o in calc.outputs if o.kind is OutputKind.HEADLINE), None)
    if headline is not None:
        p = _sub(root, "p", str(result[headline.name]), class_="calc-example__headline", data_kind="headline")
        _mark(p, headline.name, result, live=False)
    _outputs(root, calc, result, live=False)
    return root
