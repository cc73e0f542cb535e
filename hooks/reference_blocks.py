"""This site's own MkDocs hook: the ``/// reference``, ``/// rule``, ``/// state`` and ``/// map``
blocks, the state-law dataset's cited reference data as HTML.

The calculators plugin renders calculators; these blocks are about this site's data
(:mod:`calculators.states`), so they live with the site and register their own Markdown
extension (:class:`ReferenceBlocksExtension`, below).

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

import hashlib
import json
import logging
import re
import subprocess
import xml.etree.ElementTree as etree
from pathlib import Path
from typing import Any, ClassVar

from markdown import Markdown
from markdown.util import AtomicString
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page
from pymdownx.blocks import BlocksExtension, BlocksProcessor
from pymdownx.blocks.block import Block

from calculators.states import CODES, NAMES
from calculators.states.guide import (
    COMPARE_COLUMNS,
    HOME_CATEGORIES,
    PAY_CATEGORIES,
    StatePage,
    compare_cells,
    map_category,
    pay_category,
    state_page,
)
from calculators.states.views import SECTIONS, TABLES, Cited, Section, Table, rule_sentence

__all__ = ["MapBlock", "ReferenceBlock", "ReferenceBlocksExtension", "RuleBlock", "StateBlock", "cited"]

log = logging.getLogger("mkdocs.hooks.reference_blocks")


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


def cited(parent: etree.Element, item: Cited, tag: str = "span", *, compact: bool = False) -> etree.Element:
    """One rule: its text, then the citation (a link to the text read), how it is known and the
    date it was checked (the full line on how, as a tooltip). ``compact`` (a comparison table's
    cell, whose state page has the rest) leaves out the date and the tooltip."""
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
        if item.url and not compact:
            link = _sub(source, "a", item.citation, href=item.url, class_="ref__cite", rel="noopener")
        else:
            link = _sub(source, "span", item.citation, class_="ref__cite")
        link.tail = AtomicString("; ")
    if compact:
        level = _sub(source, "span", LEVEL_LABELS[item.level], class_="ref__level")
        level.tail = AtomicString(")")
        return el
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
        page = self.config.get("page") or ""
        if argument in PAGE_LISTS:
            PAGE_LISTS[argument](block, page)
        elif argument in TABLES:
            render_table(block, argument, TABLES[argument]())
        elif argument in SECTIONS:
            render_sections(block, argument, SECTIONS[argument]())
        else:
            names = ", ".join([*PAGE_LISTS, *TABLES, *SECTIONS])
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


# ---- A state's own page, and the maps -------------------------------------------------------

#: Where a state's page is, from the docs folder (generated by the site's hooks/state_pages.py).
STATES_FOLDER = "states"


def _to(page: str, target: str) -> str:
    """A link from the page being rendered to another Markdown file (MkDocs turns it into a URL)."""
    depth = page.count("/")
    return "../" * depth + target


def _source_link(parent: etree.Element, page: str, anchor: str, label: str) -> etree.Element:
    return _sub(parent, "a", label, href=_to(page, f"sources.md#{anchor}"), class_="ref__cite")


def _cited_list(parent: etree.Element, items: tuple[Cited, ...]) -> None:
    ul = _sub(parent, "ul", class_="ref-section", data_reference="state-page")
    for item in items:
        cited(_sub(ul, "li"), item)


def _timeline(wrap: etree.Element, page_src: str, page: StatePage) -> None:
    """The clocks, in order: what starts each and what missing it does; one the dataset does not
    hold says so."""
    _sub(wrap, "h2", "Deadlines", id="deadlines")
    _sub(wrap, "p", "What starts each clock, and what missing it does.", class_="state-guide__lead")
    timeline = _sub(wrap, "ol", class_="state-guide__timeline")
    for clock in page.clocks:
        li = _sub(timeline, "li")
        # data-generated: text the engine wrote for this state (guide.py), which the site tests
        # tell from hand-typed text and compare with the guide's own.
        head = _sub(li, "p", class_="state-guide__clock", data_generated="clock")
        who, _, rest = clock.heading.partition(": ")
        _sub(head, "strong", f"{who}:")
        _sub(head, "span", f" {rest}").tail = None
        if not clock.known:
            li.set("data-clock", "unknown")
        elif clock.cited is not None:
            cited(li, clock.cited, tag="p")
        else:
            note = _sub(li, "p", "Source: ", class_="ref__source")
            _source_link(note, page_src, clock.source_anchor, "UCC §9-616(b)")


def _next_steps(wrap: etree.Element, page_src: str, page: StatePage) -> None:
    _sub(wrap, "h2", "What you can do next", id="next-steps")
    steps = _sub(wrap, "ol", class_="state-guide__steps")
    for step in page.steps:
        li = _sub(steps, "li")
        text = _sub(li, "span", step.text, data_generated="step")
        text.tail = AtomicString(" ")
        if step.source_anchor:
            source = _sub(li, "span", "(", class_="ref__source")
            link = _source_link(source, page_src, step.source_anchor, step.source_label)
            link.tail = AtomicString(")")
        elif step.cited is not None:
            cited(li, step.cited)


def _legal_help(wrap: etree.Element, page_src: str, page: StatePage) -> None:
    _sub(wrap, "h2", "Free legal help", id="legal-help")
    helpers = _sub(wrap, "ul", class_="state-guide__help")
    for label, address, confirmed in page.help:
        li = _sub(helpers, "li")
        link = _sub(li, "a", label, href=address, rel="noopener", data_generated="help")
        if not confirmed:
            link.tail = AtomicString(" ")
            _sub(li, "span", "(we have not confirmed this address yet)", class_="ref__source")
    note = _sub(
        wrap, "p", "These services are listed, with how they were found, on the ", class_="ref__source"
    )
    sources = _sub(note, "a", "Sources page", href=_to(page_src, "sources.md#legal-help"))
    sources.tail = AtomicString(".")


def render_state(block: etree.Element, page_src: str, page: StatePage) -> None:
    """A state's page: the three answers, the deadlines, the next steps, free legal help, then
    the rest of what the dataset holds for the state."""
    wrap = _sub(block, "div", class_="state-guide", data_state_page=page.code)
    for answer, anchor in zip(
        page.answers, ("home-foreclosure", "car-repossession", "wage-garnishment"), strict=True
    ):
        _sub(wrap, "h2", answer.question, id=anchor)
        _sub(wrap, "p", answer.short, class_="state-guide__short", data_generated="answer")
        _cited_list(wrap, answer.rules)
    _timeline(wrap, page_src, page)
    _next_steps(wrap, page_src, page)
    _legal_help(wrap, page_src, page)
    if page.more:
        _sub(wrap, "h2", f"More of {page.name}'s law", id="more")
        for heading, items in page.more:
            _sub(wrap, "p", heading, class_="ref-section__heading")
            _cited_list(wrap, items)


class StateBlock(_ReferenceBase):
    """``/// state | CODE``: what the state's law does to a reader, the deadlines, the next steps
    and where to get free help (:mod:`calculators.states.guide`)."""

    NAME = "state"

    def render(self, block: etree.Element, argument: str) -> None:
        code = argument.upper()
        if code not in CODES:
            self._problem(block, f"unknown state {argument!r}; use a postal code such as OH or DC")
            return
        render_state(block, self.config.get("page") or "", state_page(code))


#: The maps: a category per state (from the engine) and the legend, in words.
MAPS = {
    "home": (
        "Deficiency after a home foreclosure",
        "For a loan that paid for a one-family home its borrower lives in, after the state's usual foreclosure. "
        "Each state links to its page.",
        HOME_CATEGORIES,
        map_category,
    ),
    "pay": (
        "Wage garnishment for an ordinary consumer debt",
        "Whether the state protects more of a paycheck than the federal limit. Each state links to its page.",
        PAY_CATEGORIES,
        pay_category,
    ),
}
MAP_SCRIPT = Path(__file__).resolve().parent / "us_map.mjs"
_drawn: dict[str, str] = {}


def draw_map(name: str, page_src: str) -> str:
    """The inline SVG of a map, drawn by Node from the pinned npm shapes.

    Node draws each map once per build process (cached by its spec), with a placeholder for each
    state's link, which every page then fills with its own relative address.
    """
    title, description, legend, category = MAPS[name]
    slugs = {code: state_page(code).slug for code in CODES}
    spec = {
        "name": name,
        "title": title,
        "description": description,
        "states": {
            NAMES[code]: {"category": (cat := category(code)), "label": legend[cat], "href": f"@href-{code}@"}
            for code in CODES
        },
    }
    key = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()
    if key not in _drawn:
        proc = subprocess.run(
            ["node", str(MAP_SCRIPT)], input=json.dumps(spec), capture_output=True, text=True, check=False
        )
        if proc.returncode:
            raise RuntimeError(f"drawing the {name} map failed: {proc.stderr[-500:]}")
        _drawn[key] = proc.stdout
    return re.sub(
        r"@href-([A-Z]{2})@",
        lambda m: _url_to(page_src, f"{STATES_FOLDER}/{slugs[m.group(1)]}/"),
        _drawn[key],
    )


def _url_to(page_src: str, target: str) -> str:
    """A link from a page to a site address (``states/ohio/``) as the built page needs it, for
    markup MkDocs does not rewrite (the maps' SVG links): pages are served as folders
    (``use_directory_urls``), so ``state-laws.md`` is at ``state-laws/``."""
    stem = page_src.removesuffix(".md")
    folder = stem.removesuffix("index") if stem == "index" or stem.endswith("/index") else stem + "/"
    return "../" * folder.count("/") + target


class MapBlock(_ReferenceBase):
    """``/// map | home`` or ``/// map | pay``: a US map built at build time, each state a link to its
    page, with a legend in words as well as colour. The ``<svg>`` carries ``data-map="NAME"``."""

    NAME = "map"

    def render(self, block: etree.Element, argument: str) -> None:
        if argument not in MAPS:
            self._problem(block, f"unknown map {argument!r}; choose one of: {', '.join(MAPS)}")
            return
        figure = _sub(block, "figure", class_="map-figure")
        # Kept verbatim (its xlink:href links), through Markdown's raw-HTML stash.
        figure.text = self.md.htmlStash.store(draw_map(argument, self.config.get("page") or ""))
        title, _description, legend, category = MAPS[argument]
        caption = _sub(figure, "figcaption", title, class_="map-figure__caption")
        caption.tail = None
        keys = _sub(figure, "ul", class_="map-legend")
        counts = dict.fromkeys(legend, 0)
        for code in CODES:
            counts[category(code)] += 1
        for key, label in legend.items():
            li = _sub(keys, "li", class_="map-legend__item")
            _sub(li, "span", "", class_=f"map-legend__swatch map__area--{key}", aria_hidden="true")
            _sub(li, "span", f"{label} ({counts[key]})")


def render_state_index(block: etree.Element, page_src: str) -> None:
    """Every state on one line: a link to its page, and what its law does after each kind of
    foreclosure, after a repossession and to a paycheck, each cell cited with how it is known
    (:func:`calculators.states.guide.compare_cells`)."""
    wrap = _sub(
        block, "div", class_="ref-table__scroll", tabindex="0", role="region", aria_label="Every state"
    )
    table = _sub(wrap, "table", class_="ref-table ref-table--compare", data_reference="state-index")
    _sub(
        table, "caption", "For a typical home loan and an ordinary paycheck; each state's page has every case"
    )
    head = _sub(_sub(table, "thead"), "tr")
    for column in ("State", *COMPARE_COLUMNS):
        _sub(head, "th", column, scope="col")
    body = _sub(table, "tbody")
    for code in CODES:
        page = state_page(code)
        tr = _sub(body, "tr")
        th = _sub(tr, "th", scope="row")
        _sub(th, "a", page.name, href=_to(page_src, f"{STATES_FOLDER}/{page.slug}.md"), data_state_link=code)
        for column, item in zip(COMPARE_COLUMNS, compare_cells(code), strict=True):
            cited(_sub(tr, "td", data_label=column), item, compact=True)


def render_state_picker(block: etree.Element, page_src: str) -> None:
    """A picker that opens a state's page (docs/javascripts/your-state.js) and remembers the choice on
    the reader's device; without scripts, the list of links under it does the same job."""
    form = _sub(block, "form", class_="state-picker", data_state_picker="", hidden="hidden")
    label = _sub(form, "label", "Your state", for_="state-picker-select", class_="state-picker__label")
    label.tail = None
    select = _sub(form, "select", id="state-picker-select", name="state", class_="state-picker__select")
    _sub(select, "option", "Choose your state", value="")
    for code in CODES:
        _sub(select, "option", NAMES[code], value=code)
    _sub(form, "button", "Open its page", type="submit", class_="md-button md-button--primary")
    details = _sub(block, "details", class_="state-picker__all")
    _sub(details, "summary", "All states and the District of Columbia")
    ul = _sub(details, "ul", class_="state-picker__list")
    for code in CODES:
        _sub(
            _sub(ul, "li"),
            "a",
            NAMES[code],
            href=_to(page_src, f"{STATES_FOLDER}/{state_page(code).slug}.md"),
            data_state_link=code,
        )


def render_legal_help(block: etree.Element, page_src: str) -> None:
    """Where each state's page sends a reader for free help, with how each address was found."""
    from calculators.states import RAW

    ul = _sub(block, "ul", class_="ref-section", data_reference="legal-help")
    for code in CODES:
        found = RAW[code].get("help") or {}
        li = _sub(ul, "li")
        strong = _sub(li, "strong", NAMES[code])
        strong.tail = AtomicString(": ")
        for i, (key, what) in enumerate((("legal_aid", "legal aid"), ("lawyer_referral", "lawyer referral"))):
            if key not in found:
                continue
            entry = found[key]
            link = _sub(li, "a", entry["name"], href=entry["url"], rel="noopener")
            unconfirmed = ", address not confirmed" if entry.get("unconfirmed") else ""
            link.tail = AtomicString(f" ({what}{unconfirmed}){'; ' if i == 0 else ''}")
        if found.get("checked"):
            _sub(li, "span", f" Checked {found['checked']}.", class_="ref__checked")


#: Lists that link to other pages (``/// reference | NAME``), rendered with the page's own links.
PAGE_LISTS = {
    "state-index": render_state_index,
    "state-picker": render_state_picker,
    "legal-help": render_legal_help,
}


# ---- The hook: registers the blocks -------------------------------------------------------------


class _PageName(dict[str, Any]):
    """The blocks' config: reads the page being rendered from the extension at warning time."""

    def __init__(self, ext: ReferenceBlocksExtension) -> None:
        super().__init__()
        self._ext = ext

    def get(self, key: str, default: Any = None) -> Any:
        return self._ext.current_page if key == "page" else super().get(key, default)


class ReferenceBlocksExtension(BlocksExtension):
    """Registers ``/// reference``, ``/// rule``, ``/// state`` and ``/// map``."""

    current_page: str | None = None

    def extendMarkdownBlocks(self, md: Markdown, block_mgr: BlocksProcessor) -> None:
        for block in (ReferenceBlock, RuleBlock, StateBlock, MapBlock):
            block_mgr.register(block, _PageName(self))


_extension = ReferenceBlocksExtension()


def _rebind() -> None:
    """Take the dataset's names from the modules imported now. Under `mkdocs serve` the
    calculators plugin imports the core afresh after an edit (a data file included), after this
    file was loaded: without this, the blocks would render the previous build's data."""
    from calculators import states
    from calculators.states import guide, views

    names = {"CODES": states, "NAMES": states}
    names |= dict.fromkeys(
        (
            "COMPARE_COLUMNS",
            "HOME_CATEGORIES",
            "PAY_CATEGORIES",
            "StatePage",
            "compare_cells",
            "map_category",
            "pay_category",
            "state_page",
        ),
        guide,
    )
    names |= dict.fromkeys(("SECTIONS", "TABLES", "Cited", "Section", "Table", "rule_sentence"), views)
    globals().update({name: getattr(module, name) for name, module in names.items()})


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _rebind()
    config.markdown_extensions.append(_extension)  # type: ignore[arg-type]
    return config


def on_page_markdown(markdown: str, page: Page, **_: Any) -> str:
    _extension.current_page = page.file.src_uri
    return markdown
