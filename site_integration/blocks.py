"""The ``/// calculator | NAME`` and ``/// example | NAME`` Markdown blocks.

Both take YAML inside the block: ``title`` plus any field of the named
calculator, whose value is raw text exactly as a reader would type it::

    /// calculator | deficiency
    title: A repossessed car
    debt: "18,000"
    ///

pymdown-extensions renders a block that fails its own validation as a plain
paragraph, silently. So these blocks take their YAML as raw content and
validate it themselves: every problem (unknown calculator, unknown option,
invalid value, a default the calculator rejects) is logged as a WARNING on the
``mkdocs.plugins.calculators`` logger, naming the page, which makes
``mkdocs build --strict`` fail. The block still renders a visible error box
so ``mkdocs serve`` shows the problem where it is.
"""

from __future__ import annotations

import datetime
import importlib
import logging
import re
import xml.etree.ElementTree as etree
from typing import Any, ClassVar

import yaml
from markdown import Markdown
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import PrettifyTreeprocessor
from markdown.util import AtomicString
from pymdownx.blocks import BlocksExtension, BlocksProcessor
from pymdownx.blocks.block import Block

from calckit.registry import Calculator

from .render import render_calculator, render_example

__all__ = ["CalculatorBlocksExtension", "makeExtension"]

log = logging.getLogger("mkdocs.plugins.calculators")


class DirectiveError(ValueError):
    """A problem in a page's directive; the message names what to fix."""


def _as_text(value: Any) -> str:
    """YAML scalars back to the raw text a reader would type (YAML 1.1 reads `yes` as True)."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value is None:
        return ""
    if isinstance(value, (int, float, str)):
        return str(value)
    raise DirectiveError(f'value {value!r} must be a single value, such as "18,000"')


def resolve(
    name: str, text: str, package: str = "calculators"
) -> tuple[Calculator, dict[str, str], str | None, dict[str, Any]]:
    """Validate a directive and compute its result; raise :class:`DirectiveError` on any problem.

    Returns the calculator, the raw values for every field, the title and the result of
    ``package.run`` (the site's registry, :class:`calckit.Registry`) for those values.
    """
    calculators = importlib.import_module(package)
    calc = calculators.CALCULATORS.get(name)
    if calc is None:
        raise DirectiveError(
            f"unknown calculator {name!r}; choose one of: {', '.join(calculators.CALCULATORS)}"
        )
    try:
        options = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as err:
        raise DirectiveError(f"options are not valid YAML: {err}") from None
    if options is None:
        options = {}
    if not isinstance(options, dict):
        raise DirectiveError('options must be YAML `key: value` lines, such as `debt: "18,000"`')
    title = options.pop("title", None)
    if title is not None and not isinstance(title, str):
        raise DirectiveError("option 'title' must be text")
    known = {f.name for f in calc.fields}
    unknown = sorted(str(k) for k in options if k not in known)
    if unknown:
        raise DirectiveError(
            f"unknown option(s) {', '.join(unknown)} for calculator {name!r}; "
            f"allowed: title, {', '.join(f.name for f in calc.fields)}"
        )
    values = calc.defaults()
    values.update({str(k): _as_text(v) for k, v in options.items()})
    result = calculators.run(name, values)
    if not result["ok"]:
        problems = "; ".join(f"{k}: {v}" for k, v in result["errors"].items())
        raise DirectiveError(f"invalid value(s) for calculator {name!r}: {problems}")
    return calc, values, title, result


class _CalcBlockBase(Block):
    ARGUMENT = None  # validated in on_end so a missing name is reported, not silently dropped
    OPTIONS: ClassVar[dict[str, Any]] = {}
    KIND = "calculator"

    def _validate(self, parent: etree.Element, arg: Any, **options: Any) -> bool:
        ok = super()._validate(parent, arg, **options)
        if not ok:
            self._warn(f"bad header for /// {self.NAME} | {arg}: options go inside the block as YAML lines")
        return ok

    def on_markdown(self) -> str:
        return "raw"  # keep the YAML untouched by Markdown

    def on_create(self, parent: etree.Element) -> etree.Element:
        return etree.SubElement(parent, "div", {"class": f"calc-block calc-block--{self.KIND}"})

    def _warn(self, message: str) -> None:
        page = self.config.get("page") or "<unknown page>"
        log.warning("%s: %s", page, message)

    def on_end(self, block: etree.Element) -> None:
        text = block.text or ""
        block.text = None
        name = (self.argument or "").strip()
        if not self.config.get("enabled", True):  # a quick preview: no Python, no warning
            box = etree.SubElement(block, "p", {"class": "calc-block__problem"})
            box.text = AtomicString(f"The {name} {self.KIND} appears here when the calculators plugin is on.")
            return
        try:
            if not name:
                raise DirectiveError(
                    f"/// {self.NAME} needs a calculator name: `/// {self.NAME} | deficiency`"
                )
            calc, values, title, result = resolve(name, str(text), self.config.get("package"))
        except DirectiveError as err:
            self._warn(f"/// {self.NAME} | {name}: {err}")
            box = etree.SubElement(block, "p", {"class": "calc-block__problem"})
            box.text = AtomicString(f"This {self.KIND} could not be shown: {err}")
            return
        self.render(block, calc, values, title, result)

    def render(
        self,
        block: etree.Element,
        calc: Calculator,
        values: dict[str, str],
        title: str | None,
        result: dict[str, Any],
    ) -> None:
        raise NotImplementedError


STASH_ATTR = "data-calculator-stash"
_MARKER = re.compile(rf'<div {STASH_ATTR}="(\d+)"></div>')


class CalculatorBlock(_CalcBlockBase):
    NAME = "calculator"
    KIND = "calculator"

    def on_end(self, block: etree.Element) -> None:
        # The same block (calculator, options, place on the page) renders the same HTML while the
        # code and the date are the same: under `mkdocs serve` a Markdown edit reuses every form
        # (the extension, and this cache with it, is rebuilt when the code changes).
        count = self.tracker.get("count", 0) + 1
        key = (self.argument, block.text, count, datetime.date.today())  # noqa: DTZ011 - the build machine's day, as calculators.run uses
        rendered = self.config.get("rendered")
        if key in rendered:
            self.tracker["count"] = count
            block.text = None
            self._place(block, rendered[key])
            return
        stash = self.config.get("stash")
        before = len(stash)
        super().on_end(block)
        if len(stash) > before:
            rendered[key] = stash[-1]

    def _place(self, block: etree.Element, html: str) -> None:
        stash = self.config.get("stash")
        marker = etree.SubElement(block, "div", {STASH_ATTR: str(len(stash))})
        marker.text = ""
        stash.append(html)

    def render(
        self,
        block: etree.Element,
        calc: Calculator,
        values: dict[str, str],
        title: str | None,
        result: dict[str, Any],
    ) -> None:
        count = self.tracker.setdefault("count", 0) + 1
        self.tracker["count"] = count
        built = etree.Element("div")
        render_calculator(built, calc, values, result, uid=f"calc-{count}-{calc.name}", title=title)
        # The form is serialized here, as Markdown would serialize it, and left out of the page's
        # tree as a marker: no Markdown tree walk, no search indexer and no template goes through
        # a calculator's thousands of elements (the state pages have 153). The MkDocs plugin puts
        # it back in the page's final HTML (``unstash``).
        PrettifyTreeprocessor(self.md).run(built)  # the line breaks Markdown would add
        self._place(block, "".join(self.md.serializer(child) for child in built).rstrip("\n"))


class ExampleBlock(_CalcBlockBase):
    NAME = "example"
    KIND = "example"

    def render(
        self,
        block: etree.Element,
        calc: Calculator,
        values: dict[str, str],
        title: str | None,
        result: dict[str, Any],
    ) -> None:
        render_example(block, calc, values, result, title=title)


class CalculatorBlocksExtension(BlocksExtension):
    """Registers the blocks: ``/// calculator`` and ``/// example``.

    ``current_page`` (set by the MkDocs plugin before each page) names the page in warnings.
    """

    current_page: str | None = None

    def __init__(self, *args: Any, package: str = "calculators", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: The import package of the site's calculators (its ``run`` and ``CALCULATORS``).
        self.package = package
        #: False: every block shows a notice instead of a calculator (the plugin's ``enabled``).
        self.enabled = True
        #: The calculators rendered in this build, in order (CalculatorBlock.render).
        self.stash: list[str] = []
        #: False: each ``convert()`` puts its calculators back itself (plain Markdown use). The
        #: MkDocs plugin sets it, and puts them back in each page's final HTML instead, so the
        #: search indexer and the templates never go through them.
        self.deferred = False
        #: Each calculator block's HTML by (name, options, place on the page, date), kept across
        #: builds while this extension (and so the code) is the same.
        self.rendered: dict[tuple[Any, ...], str] = {}

    def unstash(self, html: str) -> str:
        """A built page's HTML with each calculator marker replaced by the calculator's HTML."""
        return _MARKER.sub(lambda m: self.stash[int(m.group(1))], html)

    def clear_stash(self) -> None:
        """Forget the previous build's calculators (called before each build)."""
        self.stash.clear()

    def extendMarkdown(self, md: Markdown) -> None:
        super().extendMarkdown(md)
        md.postprocessors.register(_Unstash(self), "calculator-unstash", 0)

    def extendMarkdownBlocks(self, md: Markdown, block_mgr: BlocksProcessor) -> None:
        block_mgr.register(CalculatorBlock, _PageName(self))
        block_mgr.register(ExampleBlock, _PageName(self))


class _Unstash(Postprocessor):
    """Puts the calculators back at the end of ``convert()``, unless the MkDocs plugin does it."""

    def __init__(self, ext: CalculatorBlocksExtension) -> None:
        super().__init__()
        self.ext = ext

    def run(self, text: str) -> str:
        return text if self.ext.deferred else self.ext.unstash(text)


class _PageName(dict[str, Any]):
    """The blocks' config: reads the page name from the extension at warning time."""

    def __init__(self, ext: CalculatorBlocksExtension) -> None:
        super().__init__()
        self._ext = ext

    def get(self, key: str, default: Any = None) -> Any:
        if key == "stash":
            return self._ext.stash
        if key == "rendered":
            return self._ext.rendered
        if key in {"package", "enabled"}:
            return getattr(self._ext, key)
        return self._ext.current_page if key == "page" else super().get(key, default)


def makeExtension(**kwargs: Any) -> CalculatorBlocksExtension:
    return CalculatorBlocksExtension(**kwargs)
