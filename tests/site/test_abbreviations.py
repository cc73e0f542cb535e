"""The glossary tooltips file (includes/abbreviations.md), auto-appended to every page.

Python-Markdown's abbreviation processor takes one definition out of a block and hands the rest
back to every block processor: with all definitions in one block, each page's conversion tested
~150 ever-shorter copies of it, a quarter of the build's Markdown time. One definition per block
(a blank line between definitions) gives the same pages, faster.
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown

ROOT = Path(__file__).resolve().parents[2]
ABBREVIATIONS = ROOT / "includes" / "abbreviations.md"
DEFINITION = re.compile(r"^\*\[[^\]]+\]: \S")


def test_every_definition_is_a_block_of_its_own() -> None:
    blocks = ABBREVIATIONS.read_text().strip().split("\n\n")
    assert len(blocks) > 100
    for block in blocks:
        assert DEFINITION.match(block), block
        assert "\n" not in block, f"definitions share a block (add a blank line between them): {block!r}"


def test_blank_lines_between_definitions_change_no_page() -> None:
    text = "A recourse loan, a deficiency judgment and a non-recourse loan.\n\n| a | b |\n|---|---|\n| Deficiency | x |\n"
    definitions = ABBREVIATIONS.read_text()
    joined = "\n".join(line for line in definitions.splitlines() if line.strip())

    def html(abbreviations: str) -> str:
        return markdown.markdown(text + "\n\n" + abbreviations, extensions=["abbr", "tables"])

    assert "<abbr" in html(definitions)
    assert html(definitions) == html(joined)
