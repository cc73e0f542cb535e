"""The ``/// reference | NAME`` and ``/// rule | CODE PATH`` blocks: the core's cited reference data as HTML.

The core keeps its reference data as plain, cited text (:mod:`calculators.states.views`):
named tables, named lists of sections, and single rules. These blocks render them, so a
page states a rule only by naming it, and every rule on the site carries its citation
link, its checked date and how it is known (its source level, in words)::

    /// reference | state-foreclosure
    ///

    /// rule | CA non-judicial
    ///

Every rendered rule carries ``data-state-rule="CODE.id"`` and ``data-level`` (``statute``,
``case``, ``secondary`` or ``unverified``), which the site tests use to tell generated rules
from hand-typed text. Research notes never reach a page. A bad name logs a warning
(so ``mkdocs build --strict`` fails) and shows a visible problem box, like the calculator
blocks.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as etree
from typing import Any, ClassVar

from markdown.util import AtomicString
from pymdownx.blocks.block import Block

from calculators.states import CODES
from calculators.states.views import SECTIONS, TABLES, Cited, Section, Table, rule_sentence

__all__ = ["ReferenceBlock", "RuleBlock", "cited"]

log = logging.getLogger("mkdocs.plugins.calculators")


def _sub(parent: etree.Element, tag: str, text: str | None = None, **attrs: str) -> etree.Element:
    el = etree.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()})
    if text is not None:
        el.text = AtomicString(text)
    return el


#: How a rule is known, as a reader reads it beside the rule.
LEVEL_LABELS = {
    "statute": "read in the statute",
    "case": "read in a court opinion",
    "secondary": "secondary source",
    "unverified": "not verified",
}


def cited(parent: etree.Element, item: Cited, tag: str = "span") -> etree.Element:
    """One rule: its text, then the citation (a link to the text read), how it is known and the
    date it was checked (the full line on how, as a tooltip)."""
    if not item.rule:  # plain text, such as a count
        return _sub(parent, tag, item.text)
    el = _sub(
        parent,
        tag,
        class_=f"ref ref--{item.level}",
        data_state_rule=item.rule,
        data_level=item.level,
    )
    _sub(el, "span", item.text, class_="ref__text")
    source = _sub(el, "span", class_="ref__source")
    source.text = AtomicString(" (")
    if item.citation:
        if item.url:
            link = _sub(source, "a", item.citation, href=item.url, class_="ref__cite", rel="noopener")
        else:
            link = _sub(source, "span", item.citation, class_="ref__cite")
        link.tail = AtomicString("; ")
    level = _sub(source, "span", LEVEL_LABELS[item.level], class_="ref__level", title=item.how)
    level.tail = AtomicString(", ")
    checked = _sub(source, "span", f"checked {item.checked}", class_="ref__checked")
    checked.tail = AtomicString(")")
    return el


def render_table(parent: etree.Element, name: str, table: Table) -> etree.Element:
    wrap = _sub(
        parent, "div", class_="ref-table__scroll", tabindex="0", role="region", aria_label=table.caption
    )
    el = _sub(wrap, "table", class_="ref-table", data_reference=name)
    _sub(el, "caption", table.caption)
    head = _sub(_sub(el, "thead"), "tr")
    _sub(head, "th", table.row_header, scope="col")
    for column in table.columns:
        _sub(head, "th", column, scope="col")
    body = _sub(el, "tbody")
    for row in table.rows:
        tr = _sub(body, "tr")
        th = _sub(tr, "th", None if row.anchor else row.label, scope="row")
        if row.anchor:
            _sub(th, "a", row.label, href=f"#{row.anchor}")
        for column, items in zip(table.columns, row.cells, strict=True):
            td = _sub(tr, "td", data_label=column)  # the column's name, shown per cell on phones
            if not items:
                td.text = AtomicString("None")
            for item in items:
                cited(td, item, tag="div")
    return el


def render_sections(parent: etree.Element, name: str, sections: list[Section]) -> None:
    for section in sections:
        _sub(parent, "h3", section.title, id=section.anchor)
        for heading, items in section.items:
            _sub(parent, "p", heading, class_="ref-section__heading")
            ul = _sub(parent, "ul", class_="ref-section", data_reference=name)
            for item in items:
                cited(_sub(ul, "li"), item)


class _ReferenceBase(Block):
    ARGUMENT = None  # validated in on_end, so a missing name is reported rather than dropped
    OPTIONS: ClassVar[dict[str, Any]] = {}

    def on_markdown(self) -> str:
        return "raw"

    def on_create(self, parent: etree.Element) -> etree.Element:
        return etree.SubElement(parent, "div", {"class": f"ref-block ref-block--{self.NAME}"})

    def _problem(self, block: etree.Element, message: str) -> None:
        page = self.config.get("page") or "<unknown page>"
        log.warning("%s: /// %s | %s: %s", page, self.NAME, (self.argument or "").strip(), message)
        _sub(block, "p", f"This {self.NAME} could not be shown: {message}", class_="calc-block__problem")

    def on_end(self, block: etree.Element) -> None:
        block.text = None
        self.render(block, (self.argument or "").strip())

    def render(self, block: etree.Element, argument: str) -> None:
        raise NotImplementedError


class ReferenceBlock(_ReferenceBase):
    NAME = "reference"

    def render(self, block: etree.Element, argument: str) -> None:
        if argument in TABLES:
            render_table(block, argument, TABLES[argument]())
        elif argument in SECTIONS:
            render_sections(block, argument, SECTIONS[argument]())
        else:
            names = ", ".join([*TABLES, *SECTIONS])
            self._problem(block, f"unknown reference {argument!r}; choose one of: {names}")


class RuleBlock(_ReferenceBase):
    NAME = "rule"

    def render(self, block: etree.Element, argument: str) -> None:
        code, _, path = argument.partition(" ")  # a rule's id, or one_action, minimum_wage, topics.KEY ...
        if code.upper() not in CODES:
            self._problem(block, f"unknown state {code!r}; use a postal code such as CA or DC")
            return
        try:
            item = rule_sentence(code.upper(), path.strip())
        except (KeyError, IndexError):
            self._problem(block, f"the dataset holds no rule {path.strip()!r} for {code.upper()}")
            return
        cited(block, item, tag="p")
