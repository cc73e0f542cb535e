"""The reference itself: checks on the real site, built once per session with ``mkdocs build --strict`` (tests/site/conftest.py).

Every page cites its sources and every citation resolves; every glossary term is used; every
worked example renders and matches ``calculators.run``; every page has its own meta
description; nothing is loaded from another origin.

The checks are plain functions over the built HTML that return a list of offenders, so the
``test_check_catches_*`` tests at the end can break a copy of a page and prove each check fails.
HTML is read with the standard library's ``html.parser``: no new dependencies.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

import calculators
from calckit.fields import OutputKind
from calculators.states import NAMES

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
CONFIG = ROOT / "mkdocs.yml"

HOME = "index.md"
GLOSSARY = "glossary.md"
SOURCES = "sources.md"
#: Pages that need not cite a source:
#: - the home page and the glossary (the issue's rule: the home page is a signpost to the pages
#:   that make the claims, and glossary entries cite only where a definition is legal or tax);
#: - the sources page itself: it *is* the list, and its entries link straight to the primary texts;
#: - the performance page: it reports the site's own load times and budgets, not legal or tax facts.
#: - the generator page: how another site uses the calculators plugin, no legal or tax facts.
NO_CITATION_NEEDED = {HOME, GLOSSARY, SOURCES, "performance.md", "generator.md"}

#: A made-up origin used only to resolve relative links; it never appears in the site.
BASE = "https://site.invalid"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


# ---------------------------------------------------------------- loading and parsing


class _ConfigLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` for mkdocs.yml: ``!ENV`` as MkDocs reads it, ``!!python/...`` as None.

    Nothing is ever executed; the tests only read plain settings.
    """


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """``!ENV NAME`` or ``!ENV [NAME, OTHER, default]``: the first variable that is set, else the default."""
    if isinstance(node, yaml.ScalarNode):
        return os.environ.get(loader.construct_scalar(node))
    *names, default = loader.construct_sequence(node)
    return next((os.environ[n] for n in names if n in os.environ), default)


_ConfigLoader.add_constructor("!ENV", _env)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def load_config() -> dict[str, Any]:
    return yaml.load(CONFIG.read_text(encoding="utf-8"), Loader=_ConfigLoader)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    in_article: bool
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()


class _Parser(HTMLParser):
    """Flat list of every element, with its text (permalink anchors left out) and whether it
    sits inside the page's main content, ``<article class="md-content__inner">``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._stack: list[Element] = []
        self._article = 0

    def _open(self, tag: str, attrs: list[tuple[str, str | None]], push: bool) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "article" and push and (self._article or "md-content__inner" in a.get("class", "").split()):
            self._article += 1
        el = Element(tag, a, self._article > 0)
        self.elements.append(el)
        if push and tag not in VOID:
            self._stack.append(el)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs, push=True)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs, push=False)

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self._article:
            self._article -= 1
        if any(el.tag == tag for el in self._stack):
            while self._stack.pop().tag != tag:
                pass

    def handle_data(self, data: str) -> None:
        if any(el.tag == "a" and "headerlink" in el.classes for el in self._stack):
            return  # the "¶" permalink is not part of a heading's text
        for el in self._stack:
            el.parts.append(data)


@dataclass
class Page:
    """One built page of a Markdown source."""

    src: str  # path under docs/, e.g. "calculators/index.md"
    url: str  # site path, e.g. "/calculators/"
    html: str = field(repr=False)
    _elements: list[Element] | None = field(default=None, repr=False)

    @property
    def elements(self) -> list[Element]:
        if self._elements is None:
            parser = _Parser()
            parser.feed(self.html)
            parser.close()
            self._elements = parser.elements
        return self._elements

    @property
    def article(self) -> list[Element]:
        return [el for el in self.elements if el.in_article]

    def links(self) -> Iterator[tuple[str, str, str]]:
        """(href as written, resolved site path, fragment) of every link in the main content."""
        for el in self.article:
            if el.tag == "a" and "href" in el.attrs:
                parts = urlsplit(urljoin(BASE + self.url, el.attrs["href"]))
                if f"{parts.scheme}://{parts.netloc}" == BASE:
                    yield el.attrs["href"], parts.path, parts.fragment


def page_url(src: str) -> str:
    """MkDocs' directory URL for a Markdown file under docs/."""
    stem = src[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
    else:
        stem += "/"
    return "/" + stem


def markdown_sources() -> list[str]:
    """Every page: the Markdown files under docs/, and the state pages the site's hook generates
    (hooks/state_pages.py), so every check below covers them too."""
    from calculators.states.guide import all_pages

    generated = [f"states/{page.slug}.md" for page in all_pages()]
    return sorted([*(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")), *generated])


def load_pages(site: Path) -> dict[str, Page]:
    pages = {}
    for src in markdown_sources():
        url = page_url(src)
        built = site / url.lstrip("/") / "index.html"
        assert built.is_file(), f"{src} was not built to {built}"
        pages[src] = Page(src, url, built.read_text(encoding="utf-8"))
    return pages


# ---------------------------------------------------------------- the checks (offender lists)


def uncited_pages(pages: dict[str, Page]) -> list[str]:
    sources_url = page_url(SOURCES)
    return [
        src
        for src, page in pages.items()
        if src not in NO_CITATION_NEEDED
        and not any(path == sources_url and fragment for _, path, fragment in page.links())
    ]


def broken_citations(pages: dict[str, Page]) -> list[str]:
    sources_url = page_url(SOURCES)
    ids = {el.attrs["id"] for el in pages[SOURCES].article if el.attrs.get("id")}
    return sorted(
        f"{src}: {href}"
        for src, page in pages.items()
        for href, path, fragment in page.links()
        if path == sources_url and fragment and fragment not in ids
    )


def glossary_terms(pages: dict[str, Page]) -> tuple[dict[str, str], list[str]]:
    """({anchor: term}, [terms without an anchor]) from the glossary's h3 headings."""
    terms, missing = {}, []
    for el in pages[GLOSSARY].article:
        if el.tag == "h3":
            if el.attrs.get("id"):
                terms[el.attrs["id"]] = el.text
            else:
                missing.append(el.text)
    return terms, missing


def unused_glossary_terms(pages: dict[str, Page]) -> list[str]:
    terms, _ = glossary_terms(pages)
    glossary_url = page_url(GLOSSARY)
    linked: set[str] = set()
    abbreviated: set[str] = set()
    for src, page in pages.items():
        if src == GLOSSARY:
            continue
        linked |= {fragment for _, path, fragment in page.links() if path == glossary_url}
        abbreviated |= {el.text.casefold() for el in page.article if el.tag == "abbr"}
    return sorted(
        f"{term} (#{anchor})"
        for anchor, term in terms.items()
        if anchor not in linked and term.casefold() not in abbreviated
    )


def pages_without_own_description(pages: dict[str, Page], site_description: str) -> list[str]:
    offenders = []
    for src, page in pages.items():
        metas = [el for el in page.elements if el.tag == "meta" and el.attrs.get("name") == "description"]
        content = metas[0].attrs.get("content", "").strip() if metas else ""
        if len(metas) != 1 or not content:
            offenders.append(f"{src}: no meta description")
        elif src != HOME and content == site_description.strip():
            offenders.append(f"{src}: meta description is the site default (add `description:` front matter)")
    return offenders


_FENCE = re.compile(r"^([ \t]*)(```+|~~~+).*?^\1\2[ \t]*$", re.M | re.S)
_EXAMPLE = re.compile(r"^([ \t]*)/// example \|[ \t]*(\S+)[ \t]*\n(.*?)^\1///[ \t]*$", re.M | re.S)


def _as_text(value: Any) -> str:
    """YAML scalars back to raw text, as the block does (YAML 1.1 reads `yes` as True)."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "" if value is None else str(value)


def example_blocks(markdown: str) -> list[tuple[str, dict[str, str]]]:
    """(calculator name, options without title) of every ``/// example`` block, in page order."""
    text = _FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), markdown)  # ignore code samples
    blocks = []
    for match in _EXAMPLE.finditer(text):
        indent = match.group(1)
        body = "\n".join(line[len(indent) :] for line in match.group(3).splitlines())
        options = yaml.safe_load(body) or {}
        options.pop("title", None)
        blocks.append((match.group(2), {str(k): _as_text(v) for k, v in options.items()}))
    return blocks


def example_mismatches(pages: dict[str, Page], docs: Path = DOCS) -> list[str]:
    problems = []
    for src, page in pages.items():
        if any("calc-block__problem" in el.classes for el in page.elements):
            problems.append(f"{src}: a calculator or example block failed to render")
        source = docs / src  # a generated page (a state's) has no file, and no /// example
        blocks = example_blocks(source.read_text(encoding="utf-8")) if source.is_file() else []
        built = [el for el in page.article if el.tag == "div" and "data-example" in el.attrs]
        if len(built) != len(blocks):
            problems.append(f"{src}: {len(blocks)} /// example blocks but {len(built)} rendered examples")
            continue
        # Each rendered example's outputs, in document order (elements are listed in order).
        outputs: list[list[tuple[str, str]]] = []
        for el in page.article:
            if el.tag == "div" and "data-example" in el.attrs:
                outputs.append([])
            elif el.tag in ("dd", "p") and "data-example-output" in el.attrs and outputs:
                outputs[-1].append((el.attrs["data-example-output"], el.attrs.get("data-value", "")))
        for n, ((name, options), div, shown) in enumerate(zip(blocks, built, outputs, strict=True), 1):
            where = f"{src}, example {n} ({name})"
            if div.attrs["data-example"] != name:
                problems.append(f"{where}: rendered as {div.attrs['data-example']!r}")
                continue
            calc = calculators.CALCULATORS[name]
            result = calculators.run(name, {**calc.defaults(), **options})
            if not result["ok"]:
                problems.append(f"{where}: run() rejected the inputs: {result['errors']}")
                continue
            expected = [
                (out.name, str(result[out.name]))
                for out in calc.outputs
                if out.kind not in (OutputKind.ROWS, OutputKind.STEPS)
            ]
            if shown != expected:
                problems.append(f"{where}: page shows {shown}, run() gives {expected}")
    return problems


#: Words that make a sentence about a state a statement of that state's deficiency, foreclosure,
#: repossession or garnishment law.
_RULE_WORDS = re.compile(
    r"deficien|garnish|foreclos|trustee|power of sale|fair[- ]value|purchase[- ]money|anti-deficiency|"
    r"redemption|one-action|repossess|wages?\b|short sale|non-?recourse|carve-?out|refinanc|pawn|title lend",
    re.I,
)
_STATE_NAME = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, NAMES.values()), key=len, reverse=True)) + r")\b"
)
#: State statute citations typed by hand (federal ones such as 15 U.S.C. and the UCC are fine).
_STATE_CITATION = re.compile(
    r"\b(A\.R\.S\.|RPAPL|CPLR|NRS\s|RCW\s|ORS\s|MCL\s|MCA\s|AS\s\d|Cal\. Code|Code Civ\. Proc|CCP\s?§?\d|Minn\. Stat|"
    r"Prop\. Code|N\.C\. Gen|Va\. Code|Fla\. Stat|ILCS|M\.G\.L\.|Gen\. Stat|Rev\. Stat)"
)
#: The bibliography lists each source with what it supports; the state-law page is generated.
_RULE_EXEMPT = {SOURCES}


class _HandText(HTMLParser):
    """The article's text outside rules rendered from the dataset (``data-state-rule``), calculator
    results computed from it (``data-output``, ``data-example-output``) and code."""

    SKIP = ("pre", "code", "script", "style")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._stack: list[bool] = []  # per open element: is it (or an ancestor) skipped?
        self._article = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "article" and "md-content__inner" in (a.get("class") or "").split():
            self._article += 1
        if tag in VOID:
            return
        generated = any(
            key in a for key in ("data-state-rule", "data-output", "data-example-output", "data-generated")
        )
        skipped = (self._stack[-1] if self._stack else False) or tag in self.SKIP or generated
        self._stack.append(skipped)
        if tag in ("p", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "h4", "div", "br"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self._article:
            self._article -= 1
        if tag not in VOID and self._stack:
            self._stack.pop()
        if tag in ("p", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "h4", "div"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._article and not (self._stack and self._stack[-1]):
            self.parts.append(data)


def hand_typed_state_rules(pages: dict[str, Page]) -> list[str]:
    """Sentences typed into a page that state a state's rule (a state named with a rule word, or a
    state statute cited by hand). State rules must come from the dataset, through ``/// rule`` or
    ``/// reference``, so they carry its citation, date and verification status."""
    offenders = []
    for src, page in pages.items():
        if src in _RULE_EXEMPT:
            continue
        parser = _HandText()
        parser.feed(page.html)
        text = "".join(parser.parts)
        for raw in text.split("\n"):
            block = " ".join(raw.split())
            cited = _STATE_CITATION.search(block)  # per block: citations contain periods ("Cal. Code")
            if cited:
                offenders.append(f"{src}: {block[max(0, cited.start() - 80) : cited.end() + 40]}")
            for sentence in re.split(r"(?<=[.;!?])\s+", block):
                if _STATE_NAME.search(sentence) and _RULE_WORDS.search(sentence):
                    offenders.append(f"{src}: {sentence[:160]}")
    return offenders


def _foreign(url: str, own_origin: str) -> bool:
    parts = urlsplit(url.strip())
    if parts.scheme in ("data", "blob"):
        return False
    if not parts.scheme and not parts.netloc:
        return False  # relative or root-relative: same origin
    return f"{parts.scheme}://{parts.netloc}".lower() != own_origin.lower()


#: <link rel=...> values that make the browser fetch something (canonical/alternate/prev/next do not).
_FETCHING_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "preload",
    "modulepreload",
    "prefetch",
    "manifest",
    "mask-icon",
}
_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")


def foreign_loads(files: dict[str, str], own_origin: str) -> list[str]:
    """Resources loaded from another origin by HTML (``src``, ``srcset``, fetching ``<link>``s,
    inline styles) or CSS (``url()``, ``@import``). ``files`` maps a site path to its text."""
    offenders = []
    for name, text in files.items():
        if name.endswith(".css"):
            offenders += [f"{name}: {u}" for u in _CSS_URL.findall(text) if _foreign(u, own_origin)]
            continue
        parser = _Parser()
        parser.feed(text)
        for el in parser.elements:
            urls = [el.attrs["src"]] if "src" in el.attrs else []
            urls += [c.split()[0] for c in el.attrs.get("srcset", "").split(",") if c.strip()]
            if el.tag == "link" and set(el.attrs.get("rel", "").lower().split()) & _FETCHING_RELS:
                urls.append(el.attrs.get("href", ""))
            urls += _CSS_URL.findall(el.attrs.get("style", ""))
            offenders += [f"{name}: <{el.tag}> {u}" for u in urls if _foreign(u, own_origin)]
    return offenders


def site_texts(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(site.rglob("*"))
        if p.suffix in (".html", ".css") and p.is_file()
    }


def own_origin(config: dict[str, Any]) -> str:
    parts = urlsplit(config.get("site_url") or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else BASE


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def site(built_site: Path) -> Path:
    return built_site  # tests/site/conftest.py: the real site, built once per session


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, Page]:
    return load_pages(site)


# ---------------------------------------------------------------- tests


def test_strict_build_succeeds_with_every_validation_set_to_warn(site: Path) -> None:
    validation = load_config().get("validation") or {}
    checks = ("omitted_files", "absolute_links", "unrecognized_links", "anchors")
    not_warn = {key: validation.get(key) for key in checks if validation.get(key) != "warn"}
    assert not not_warn, f"mkdocs.yml validation must be 'warn' (so --strict fails on them): {not_warn}"
    assert (site / "index.html").is_file()
    assert (site / page_url(SOURCES).strip("/") / "index.html").is_file()


def test_every_page_cites_a_source(pages: dict[str, Page]) -> None:
    offenders = uncited_pages(pages)
    assert not offenders, f"pages with no link to an entry on the sources page: {offenders}"


def test_every_citation_resolves_to_an_entry_on_the_sources_page(pages: dict[str, Page]) -> None:
    offenders = broken_citations(pages)
    assert not offenders, f"links to sources/#anchor with no such anchor on the sources page: {offenders}"


def test_every_glossary_term_has_an_anchor_and_is_used_elsewhere(pages: dict[str, Page]) -> None:
    terms, missing_anchor = glossary_terms(pages)
    assert terms, "the glossary has no h3 terms"
    assert not missing_anchor, f"glossary terms without an anchor: {missing_anchor}"
    unused = unused_glossary_terms(pages)
    assert not unused, (
        f"glossary terms neither linked (glossary/#id) nor shown as a tooltip (<abbr>) on any other page: {unused}"
    )


def test_every_example_renders_and_matches_run(pages: dict[str, Page]) -> None:
    assert any(example_blocks((DOCS / src).read_text(encoding="utf-8")) for src in pages), (
        "no /// example found"
    )
    problems = example_mismatches(pages)
    assert not problems, "examples that differ from calculators.run():\n" + "\n".join(problems)


def test_every_page_has_its_own_meta_description(pages: dict[str, Page]) -> None:
    offenders = pages_without_own_description(pages, load_config()["site_description"])
    assert not offenders, f"pages without their own meta description: {offenders}"


def test_nothing_is_loaded_from_another_origin(site: Path) -> None:
    files = site_texts(site)
    assert "index.html" in files
    assert any(name.endswith(".css") for name in files)
    offenders = foreign_loads(files, own_origin(load_config()))
    assert not offenders, f"resources loaded from another origin (CDN, web fonts, ...): {offenders}"


def test_no_page_types_a_state_rule_by_hand(pages: dict[str, Page]) -> None:
    rendered = sum(p.html.count("data-state-rule=") for p in pages.values())
    assert rendered > 51 * 5, "the state-law page should render every jurisdiction's rules from the dataset"
    offenders = hand_typed_state_rules(pages)
    assert not offenders, "state rules typed by hand (use /// rule or /// reference):\n" + "\n".join(
        offenders
    )


def rules_without_a_level(pages: dict[str, Page]) -> list[str]:
    """Every rule rendered from the dataset says how it is known: its level and checked date."""
    offenders = []
    for src, page in pages.items():
        for el in page.elements:
            if "data-state-rule" in el.attrs and el.attrs.get("data-level") not in LEVELS:
                offenders.append(f"{src}: {el.attrs['data-state-rule']} has no source level")
        shown = page.html.count('class="ref__level"')
        rules = page.html.count("data-state-rule=")
        if shown != rules:
            offenders.append(f"{src}: {rules} rules, {shown} of them say how they are known")
    return offenders


LEVELS = ("statute", "case", "secondary", "unverified")
#: Research talk that belongs in the data's notes, never on a page or in the search index.
RESEARCH_TALK = re.compile(
    r"Round \d|I did not read|my recollection|TODO|foreclosure\.bars\[|\(product owner\)"
)


def research_notes_published(site: Path) -> list[str]:
    """Pages or the search index that carry the dataset's research notes or their jargon."""
    from calculators.states import RAW

    notes = {
        note.strip()[:80]
        for data in RAW.values()
        for note in _strings(data, "notes")
        if len(note.strip()) >= 40
    }
    offenders = []
    files = [*site.rglob("*.html"), site / "search" / "search_index.json"]
    for path in files:
        text = path.read_text(encoding="utf-8")
        if match := RESEARCH_TALK.search(text):
            offenders.append(f"{path.relative_to(site)}: {match.group(0)!r}")
        offenders += [f"{path.relative_to(site)}: a research note ({n[:40]}...)" for n in notes if n in text]
    return offenders


def _strings(node: Any, key: str) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        for k, v in node.items():
            found += [v] if k == key and isinstance(v, str) else _strings(v, key)
    elif isinstance(node, list):
        for v in node:
            found += _strings(v, key)
    return found


def test_every_state_rule_shows_its_source_level(pages: dict[str, Page]) -> None:
    assert pages["state-laws.md"].html.count("data-level=") > 51 * 3
    assert all(
        pages[f"states/{slug}.md"].html.count("data-level=") > 5 for slug in ("ohio", "texas", "california")
    )
    assert rules_without_a_level(pages) == []


def test_research_notes_stay_off_the_pages_and_out_of_search(site: Path) -> None:
    assert research_notes_published(site) == []


def test_a_states_section_says_which_case_is_which() -> None:
    """Within one sale, every rule but the last says its conditions ("If ..."), and only the last
    may read "Otherwise": a section never says "allowed" and "no deficiency" without saying when."""
    from calculators.states.views import state_sections

    for section in state_sections():
        for heading, items in section.items:
            if not heading.startswith("After a") or "repossession" in heading:
                continue
            unconditional = [
                i for i, item in enumerate(items) if not item.text.startswith(("If ", "Not used"))
            ]
            assert unconditional in ([], [len(items) - 1]), (section.title, heading, [i.text for i in items])


# ---------------------------------------------------------------- the state pages


def _state_of(src: str) -> str | None:
    from calculators.states.guide import all_pages

    return next((p.code for p in all_pages() if src == f"states/{p.slug}.md"), None)


def _presets(els: list[Element]) -> dict[str, dict[str, str]]:
    """Each calculator on a page, by name: the value each of its <select>s starts at."""
    calcs = [i for i, el in enumerate(els) if "data-calculator" in el.attrs]
    found: dict[str, dict[str, str]] = {}
    for n, start in enumerate(calcs):
        end = calcs[n + 1] if n + 1 < len(calcs) else len(els)
        selected: dict[str, str] = {}
        current = None
        for el in els[start:end]:
            if el.tag == "select":
                current = el.attrs.get("name")
            elif el.tag == "option" and "selected" in el.attrs and current:
                selected.setdefault(current, el.attrs.get("value", ""))
        found[els[start].attrs["data-calculator"]] = selected
    return found


def state_page_problems(pages: dict[str, Page]) -> list[str]:
    """What a state's page must have: the three calculators preset to its state (the deficiency
    calculator to its usual foreclosure), text the engine wrote only where the engine wrote it
    (every ``data-generated`` text is the guide's own for that state), every rule with its level,
    and the deadlines and free legal help."""
    from calculators.states.guide import state_page

    problems = []
    for src, page in pages.items():
        code = _state_of(src)
        if code is None:
            continue
        guide = state_page(code)
        expected = {
            *(a.short for a in guide.answers),
            *(" ".join(c.heading.split()) for c in guide.clocks),
            *(s.text for s in guide.steps),
            *(label for label, _link, _ok in guide.help),
        }
        els = page.article
        for el in els:
            if "data-generated" in el.attrs and el.text not in expected:
                problems.append(f"{src}: generated text not from the guide: {el.text[:80]!r}")
        found = _presets(els)
        for name in ("deficiency", "deficiency-check", "garnishment"):
            if found.get(name, {}).get("state") != code:
                problems.append(f"{src}: the {name} calculator is not preset to {code}")
        if found.get("deficiency", {}).get("sale_type") != guide.usual_sale:
            problems.append(f"{src}: the deficiency calculator is not preset to {guide.usual_sale}")
        ids = {el.attrs.get("id") for el in els}
        for section in (
            "home-foreclosure",
            "car-repossession",
            "wage-garnishment",
            "deadlines",
            "next-steps",
            "legal-help",
        ):
            if section not in ids:
                problems.append(f"{src}: no #{section} section")
    return problems


def map_problems(pages: dict[str, Page]) -> list[str]:
    """Each map (svg[data-map]) links every one of the 51 jurisdictions to its page, each link
    named for screen readers, and a legend in words follows it."""
    from calculators.states.guide import all_pages

    slugs = {f"/states/{p.slug}/": p.name for p in all_pages()}
    problems = []
    for src, page in pages.items():
        els = page.article
        maps = [i for i, el in enumerate(els) if el.tag == "svg" and "data-map" in el.attrs]
        for n, start in enumerate(maps):
            end = maps[n + 1] if n + 1 < len(maps) else len(els)
            links = {}
            for el in els[start:end]:
                if el.tag == "a" and "map__link" in el.classes:
                    path = urlsplit(urljoin(BASE + page.url, el.attrs.get("xlink:href", ""))).path
                    links[path] = el.attrs.get("aria-label", "")
            name = els[start].attrs["data-map"]
            if set(links) != set(slugs):
                problems.append(f"{src} map {name}: links {len(links)} pages, not the 51 state pages")
            problems += [
                f"{src} map {name}: {path} is not named for its state ({label!r})"
                for path, label in links.items()
                if path in slugs and not re.match(rf"(DC, the )?{re.escape(slugs[path])}: ", label)
            ]
            if not any("map-legend" in el.classes for el in els[start:end]):
                problems.append(f"{src} map {name}: no legend in words")
    return problems


def test_every_state_has_a_page_with_its_calculators_and_no_rule_typed_by_hand(
    pages: dict[str, Page],
) -> None:
    states = [src for src in pages if _state_of(src)]
    assert len(states) == 51
    assert state_page_problems(pages) == []
    assert [o for o in hand_typed_state_rules(pages) if o.startswith("states/")] == []


def test_each_map_links_all_51_states_with_names_and_a_legend(pages: dict[str, Page]) -> None:
    assert sum(p.html.count("data-map=") for p in pages.values()) >= 4  # two maps on two pages
    assert map_problems(pages) == []


# ---------------------------------------------------------------- each check can fail


def _broken(pages: dict[str, Page], src: str, edit: Callable[[str], str]) -> dict[str, Page]:
    """A copy of ``pages`` in which page ``src``'s HTML went through ``edit`` (which must change it)."""
    html = edit(pages[src].html)
    assert html != pages[src].html, f"the edit did not change {src}"
    copy = {k: Page(v.src, v.url, v.html, v._elements) for k, v in pages.items()}
    copy[src] = Page(src, pages[src].url, html)
    return copy


def _a_cited_page(pages: dict[str, Page]) -> str:
    uncited = uncited_pages(pages)
    return next(src for src in pages if src not in NO_CITATION_NEEDED and src not in uncited)


def test_check_catches_a_page_without_citations(pages: dict[str, Page]) -> None:
    src = _a_cited_page(pages)
    broken = _broken(pages, src, lambda h: re.sub(r'href="([^"]*)sources/#', r'href="\1elsewhere/#', h))
    assert src in uncited_pages(broken)


def test_check_catches_a_citation_to_a_missing_anchor(pages: dict[str, Page]) -> None:
    src = _a_cited_page(pages)
    broken = _broken(
        pages, src, lambda h: re.sub(r'(href="[^"]*sources/#)', r"\1no-such-anchor-", h, count=1)
    )
    assert any(o.startswith(f"{src}: ") and "no-such-anchor-" in o for o in broken_citations(broken))


def test_check_catches_an_unused_glossary_term(pages: dict[str, Page]) -> None:
    fake = '<h3 id="zz-unused-term">Zyzzyva clause</h3>'
    broken = _broken(pages, GLOSSARY, lambda h: h.replace("</article>", fake + "</article>", 1))
    assert "Zyzzyva clause (#zz-unused-term)" in unused_glossary_terms(broken)
    assert "Zyzzyva clause (#zz-unused-term)" not in unused_glossary_terms(pages)


def test_check_catches_an_example_that_differs_from_run(pages: dict[str, Page]) -> None:
    src = next(s for s, p in pages.items() if 'data-example-output="' in p.html)
    broken = _broken(
        pages,
        src,
        lambda h: re.sub(r'(data-example-output="[^"]*" [^>]*data-value=")', r"\g<1>9", h, count=1),
    )
    assert any(p.startswith(f"{src}, example 1") for p in example_mismatches(broken))


def test_check_catches_a_page_with_the_default_description(pages: dict[str, Page]) -> None:
    default = load_config()["site_description"]
    src = _a_cited_page(pages)
    broken = _broken(
        pages,
        src,
        lambda h: re.sub(
            r'<meta name="description" content="[^"]*"', f'<meta name="description" content="{default}"', h
        ),
    )
    assert any(o.startswith(f"{src}: ") for o in pages_without_own_description(broken, default))


def test_check_catches_a_cdn_script_a_web_font_and_a_remote_image(site: Path) -> None:
    origin = own_origin(load_config())
    files = {
        "a.html": '<script src="https://cdn.example.com/x.js"></script><img srcset="//img.example.com/a.png 2x">',
        "b.html": '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        '<link rel="canonical" href="https://elsewhere.example/">',
        "c.css": "@font-face{src:url(https://fonts.gstatic.com/r.woff2)}",
    }
    found = foreign_loads(files, origin)
    assert len(found) == 4, found  # the canonical link is not a load


def test_check_catches_a_rule_without_its_level(pages: dict[str, Page]) -> None:
    src = "state-laws.md"
    broken = _broken(pages, src, lambda html: html.replace('data-level="statute"', "", 1))
    assert any(src in o for o in rules_without_a_level(broken))


def test_check_catches_a_published_research_note(site: Path, tmp_path: Path) -> None:
    from calculators.states import RAW

    note = next(n for n in _strings(RAW["TX"], "notes") if len(n) > 80)
    copy = tmp_path / "site"
    (copy / "search").mkdir(parents=True)
    (copy / "search" / "search_index.json").write_text((site / "search" / "search_index.json").read_text())
    (copy / "index.html").write_text(f"<p>{note}</p>")
    assert research_notes_published(copy)


def test_check_catches_a_hand_typed_state_rule(pages: dict[str, Page]) -> None:
    src = _a_cited_page(pages)
    typed = "<p>Oregon bars a deficiency after a trustee's sale.</p><p>See RPAPL 1371 for the rest.</p>"
    broken = _broken(pages, src, lambda h: h.replace("</article>", typed + "</article>", 1))
    found = hand_typed_state_rules(broken)
    assert f"{src}: Oregon bars a deficiency after a trustee's sale." in found
    assert any(o.startswith(f"{src}: ") and "RPAPL 1371" in o for o in found)
    # The same sentence rendered from the dataset is not hand-typed.
    generated = '<p data-state-rule="OR.foreclosure.non_judicial">Oregon bars a deficiency after a trustee\'s sale.</p>'
    fine = _broken(pages, src, lambda h: h.replace("</article>", generated + "</article>", 1))
    assert not [o for o in hand_typed_state_rules(fine) if "Oregon" in o]


def test_check_catches_a_state_page_without_its_preset_or_with_edited_text(pages: dict[str, Page]) -> None:
    src = "states/ohio.md"
    unset = _broken(
        pages, src, lambda h: h.replace('<option selected="selected" value="OH">', '<option value="OH">', 1)
    )
    assert any("not preset to OH" in o for o in state_page_problems(unset))
    edited = _broken(
        pages,
        src,
        lambda h: re.sub(r'(data-generated="answer">)[^<]*', r"\1Ohio bars every deficiency.", h, count=1),
    )
    assert any("generated text not from the guide" in o for o in state_page_problems(edited))
    typed = _broken(
        pages,
        src,
        lambda h: h.replace("</article>", "<p>Ohio bars a deficiency after any sale.</p></article>", 1),
    )
    assert any(o.startswith(f"{src}: ") for o in hand_typed_state_rules(typed))


def test_check_catches_a_map_missing_a_state(pages: dict[str, Page]) -> None:
    src = "state-laws.md"
    broken = _broken(
        pages,
        src,
        lambda h: re.sub(r'<a xlink:href="[^"]*ohio/" class="map__link"[^>]*>', "<a>", h, count=1),
    )
    assert any(o.startswith(f"{src} map home") for o in map_problems(broken))
