"""The /// calculator and /// example blocks: the HTML contract and strict-mode failures."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import xml.etree.ElementTree as etree
from pathlib import Path

import markdown
import pytest

import calculators
from site_integration.blocks import CalculatorBlocksExtension
from site_integration.render import display

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).resolve().parent / "fixture"


def render(source: str) -> etree.Element:
    html = markdown.Markdown(extensions=[CalculatorBlocksExtension(), "md_in_html"]).convert(source)
    return etree.fromstring(f"<root>{html}</root>")


def one(root: etree.Element, xpath: str) -> etree.Element:
    found = root.findall(xpath)
    assert len(found) == 1, f"{xpath}: {len(found)} matches"
    return found[0]


AMORT = """
/// calculator | amortization
title: A small loan
loan_amount: "1,000"
annual_rate: 12
term_months: 3
///
"""


def test_form_has_one_labelled_control_per_declared_field() -> None:
    root = render(AMORT)
    calc = one(root, ".//div[@data-calculator='amortization']")
    form = one(calc, ".//form")
    declared = calculators.CALCULATORS["amortization"].fields
    controls = [el for el in form.iter() if el.tag in ("input", "select")]
    assert [c.get("name") for c in controls] == [f.name for f in declared]
    for field, control in zip(declared, controls, strict=True):
        label = one(form, f".//label[@for='{control.get('id')}']")
        assert "".join(label.itertext()).startswith(field.label)
        assert control.get("data-kind") == field.kind.value
        if control.tag == "input":
            assert control.get("min") == (None if field.minimum is None else str(field.minimum))
            assert control.get("max") == (None if field.maximum is None else str(field.maximum))
            assert control.get("step") == field.step
        else:
            assert [o.get("value") for o in control.findall("option")] == [v for v, _ in field.choices]
        help_id, error_id = control.get("aria-describedby", "").split()
        assert one(form, f".//p[@id='{help_id}']").text == field.help
        assert one(form, f".//p[@id='{error_id}']").get("data-error-for") == field.name
    assert [c.get("value") for c in controls][:3] == ["1,000", "12", "3"]


def test_results_are_prerendered_from_run_in_a_live_region() -> None:
    root = render(AMORT)
    results = one(root, ".//div[@aria-live='polite']")
    expected = calculators.run(
        "amortization", {"loan_amount": "1,000", "annual_rate": "12", "term_months": "3"}
    )
    # numpy_financial.pmt(0.01, 3, -1000) = 340.022..., rounded up to the cent -> $340.03
    assert one(results, ".//dd[@data-output='payment']").text == "$340.03"
    for name in ("total_interest", "total_paid"):
        assert one(results, f".//dd[@data-output='{name}']").text == display("money", expected[name])
    rows = one(results, ".//table[@data-output='schedule']").findall("./tbody/tr")
    assert len(rows) == 3
    assert [td.text for td in rows[-1]][-1] == "$0.00"
    steps = one(results, ".//ol[@data-output='steps']").findall("li")
    assert len(steps) == len(expected["steps"])


def test_example_renders_inputs_steps_and_results_matching_run() -> None:
    root = render(AMORT.replace("calculator |", "example |"))
    example = one(root, ".//div[@data-example='amortization']")
    assert example.find(".//form") is None
    inputs = {tr.get("data-input"): [td.text for td in tr] for tr in example.findall(".//tr[@data-input]")}
    assert inputs["loan_amount"] == ["Loan amount", "$1,000"]
    result = calculators.run(
        "amortization", {"loan_amount": "1,000", "annual_rate": "12", "term_months": "3"}
    )
    for dd in example.findall(".//dd[@data-example-output]"):
        assert dd.get("data-value") == str(result[dd.get("data-example-output")])


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("/// calculator | nope\n///", "unknown calculator 'nope'"),
        ("/// calculator | amortization\nprincipal: 5\n///", "unknown option(s) principal"),
        (
            "/// calculator | amortization\nterm_months: 0\n///",
            "term_months: Term must be a whole number between 1 and 600.",
        ),
        ("/// example | amortization\nloan_amount: [1, 2]\n///", "must be a single value"),
        ("/// calculator | amortization\n: : :\n///", "options are not valid YAML"),
        ("/// calculator\n///", "needs a calculator name"),
    ],
)
def test_bad_directives_warn_and_show_a_visible_problem(
    source: str, reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.calculators"):
        root = render(source)
    assert any(reason in rec.getMessage() for rec in caplog.records), caplog.text
    assert root.find(".//p[@class='calc-block__problem']") is not None
    assert root.find(".//form") is None


def _build(
    tmp_path: Path, page: str | None = None, site_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    site = tmp_path / "fixture"
    shutil.copytree(FIXTURE, site, ignore=shutil.ignore_patterns("site"))
    # The copied site must still point at this repository's calculators.
    config = (site / "mkdocs.yml").read_text().replace("project: ../../..", f"project: {ROOT}")
    if site_url is not None:
        config = f"site_url: {site_url}\n" + config
    (site / "mkdocs.yml").write_text(config)
    if page is not None:
        (site / "docs" / "other.md").write_text(page)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(site / "mkdocs.yml")],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


@pytest.mark.slow
def test_fixture_site_builds_strict_with_runtime(tmp_path: Path) -> None:
    proc = _build(tmp_path)
    assert proc.returncode == 0, proc.stderr
    built = tmp_path / "fixture" / "site"
    assert (built / "pyodide" / "runtime.json").exists()
    assert (built / "assets" / "runtime" / "calculators.js").exists()
    html = (built / "index.html").read_text()
    assert 'data-calculator="amortization"' in html
    assert '<script src="assets/runtime/calculators.js" type="module">' in html


@pytest.mark.slow
@pytest.mark.parametrize(
    ("page", "reason"),
    [
        ("/// calculator | nope\n///\n", "other.md: /// calculator | nope: unknown calculator 'nope'"),
        (
            "/// calculator | amortization\nrate: 5\n///\n",
            "other.md: /// calculator | amortization: unknown option(s) rate",
        ),
        (
            "/// example | amortization\nannual_rate: 101\n///\n",
            "other.md: /// example | amortization: invalid value(s) for calculator 'amortization': "
            "annual_rate: Annual interest rate must be a number between 0 and 100.",
        ),
    ],
)
def test_strict_build_fails_naming_page_and_reason(tmp_path: Path, page: str, reason: str) -> None:
    proc = _build(tmp_path, page)
    assert proc.returncode != 0
    assert reason in proc.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    ("site_url", "warned"),
    [(None, True), ("https://example.invalid/", True), ("https://recourse-reference.org/guide/", False)],
)
def test_a_build_without_a_real_site_url_warns_loudly_and_still_builds(
    tmp_path: Path, site_url: str | None, warned: bool
) -> None:
    proc = _build(tmp_path, site_url=site_url)
    assert proc.returncode == 0, proc.stderr  # a local build stays possible, even with --strict
    assert ("SITE_URL is not set" in proc.stderr) is warned
