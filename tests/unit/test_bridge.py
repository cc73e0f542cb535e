"""The bridge every caller uses: ``calculators.run(name, inputs)`` shapes and the CLI."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

import calculators
from tests.cli import run_cli

ROOT = Path(__file__).resolve().parents[2]
MONEY = re.compile(r"-?\d+\.\d{2}")


def test_success_shape_is_json_safe_with_two_decimal_money() -> None:
    result = calculators.run(
        "amortization", {"loan_amount": "$200,000", "annual_rate": "6.5", "term_months": "360"}
    )
    assert result["ok"] is True
    assert json.loads(json.dumps(result)) == result
    # numpy_financial.pmt(0.065/12, 360, -200000) = 1264.136..., rounded half-up to cents
    assert result["payment"] == "1264.14"
    for key in ("payment", "total_interest", "total_paid"):
        assert MONEY.fullmatch(result[key]), key
    assert all(MONEY.fullmatch(step["amount"]) for step in result["steps"])


def test_error_shape_names_each_bad_field() -> None:
    result = calculators.run("amortization", {"loan_amount": "", "annual_rate": "7%", "term_months": "0"})
    assert result == {
        "ok": False,
        "errors": {
            "loan_amount": "Loan amount is required: enter a number between 1 and 1,000,000,000,000.",
            "term_months": "Term must be a whole number between 1 and 600.",
        },
    }


def test_missing_fields_take_their_defaults() -> None:
    assert calculators.run("amortization", {}) == calculators.run(
        "amortization", calculators.CALCULATORS["amortization"].defaults()
    )


def test_unknown_field_and_unknown_calculator_are_errors_not_exceptions() -> None:
    result = calculators.run("amortization", {"rate": "5"})
    assert result["ok"] is False
    assert result["errors"] == {
        "rate": "Unknown field 'rate'; amortization accepts: annual_rate, extra_monthly, extra_once, "
        "extra_once_month, extra_yearly, frequency, loan_amount, start_month, term_months."
    }
    names = ", ".join(calculators.CALCULATORS)
    assert calculators.run("mortgage", {}) == {
        "ok": False,
        "errors": {"calculator": f"Unknown calculator 'mortgage'; choose one of: {names}."},
    }


@pytest.mark.parametrize("inputs", [None, "loan_amount=5", ["x"], 5])
def test_non_mapping_inputs_are_an_error(inputs: object) -> None:
    result = calculators.run("amortization", inputs)  # type: ignore[arg-type]
    assert result == {
        "ok": False,
        "errors": {"calculator": "Inputs must be a mapping of field name to text."},
    }


def test_a_bug_is_reported_in_a_shape_tests_can_catch(monkeypatch: pytest.MonkeyPatch) -> None:
    calc = calculators.CALCULATORS["amortization"]

    def broken(**values: object) -> dict[str, object]:
        raise ZeroDivisionError

    monkeypatch.setitem(
        calculators.CALCULATORS, "amortization", type(calc)(**{**calc.__dict__, "compute": broken})
    )
    assert calculators.run("amortization", {}) == {
        "ok": False,
        "errors": {"internal": "Internal error in amortization: ZeroDivisionError."},
    }


def test_every_calculator_returns_exactly_its_declared_outputs() -> None:
    for name, calc in calculators.CALCULATORS.items():
        result = calculators.run(name, {})
        assert result["ok"] is True, (name, result)
        assert list(result) == ["ok", *(o.name for o in calc.outputs)], name


@pytest.mark.parametrize("change", ["drop", "add"])
def test_an_undeclared_or_missing_output_is_a_bug_not_a_result(
    monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    calc = calculators.CALCULATORS["amortization"]
    real = calc.compute

    def misnamed(**values: object) -> dict[str, object]:
        outputs = dict(real(**values))
        if change == "drop":
            outputs.pop("total_paid")
        else:
            outputs["total_payed"] = outputs["total_paid"]  # a typo'd extra key
        return outputs

    monkeypatch.setitem(
        calculators.CALCULATORS, "amortization", type(calc)(**{**calc.__dict__, "compute": misnamed})
    )
    assert calculators.run("amortization", {}) == {
        "ok": False,
        "errors": {"internal": "Internal error in amortization: OutputMismatch."},
    }


def test_a_compute_step_must_take_exactly_the_declared_fields() -> None:
    calc = calculators.CALCULATORS["amortization"]

    def typo(*, loan_amount: object, anual_rate: object, term_months: object) -> dict[str, object]:
        return {}

    with pytest.raises(TypeError, match=r"compute's parameters .* must be the declared fields"):
        type(calc)(**{**calc.__dict__, "compute": typo})


def test_cli_list_describes_every_calculator_and_field() -> None:
    proc = run_cli("list")
    assert proc.returncode == 0
    listed = json.loads(proc.stdout)
    assert [c["name"] for c in listed] == list(calculators.CALCULATORS)
    amort = next(c for c in listed if c["name"] == "amortization")
    assert [f["name"] for f in amort["fields"]][:3] == ["loan_amount", "annual_rate", "term_months"]
    assert [f["name"] for f in amort["fields"]] == [
        f.name for f in calculators.CALCULATORS["amortization"].fields
    ]
    assert amort["fields"][1]["unit"] == "%"


def test_cli_run_exit_codes() -> None:
    ok = run_cli("run", "amortization", "loan_amount=1,000", "annual_rate=12", "term_months=3")
    assert ok.returncode == 0
    # numpy_financial.pmt(0.01, 3, -1000) = 340.0221..., rounded up to the cent: 340.03
    assert json.loads(ok.stdout)["payment"] == "340.03"
    bad = run_cli("run", "amortization", "annual_rate=lots")
    assert bad.returncode == 2
    assert json.loads(bad.stdout)["errors"] == {
        "annual_rate": "Annual interest rate must be a number between 0 and 100, written like 6.5."
    }
    assert run_cli("run").returncode == 2
    assert run_cli("run", "amortization", "no-equals-sign").returncode == 2


def test_export_csv_writes_the_table_with_a_header_and_plain_numbers() -> None:
    inputs = {"loan_amount": "1,000", "annual_rate": "12", "term_months": "3"}
    out = calculators.export_csv("amortization", inputs, "schedule")
    assert out["ok"] is True
    lines = out["csv"].splitlines()
    # numpy_financial.pmt(0.01, 3, -1000) = 340.0221 -> 340.03; the last row pays 336.64 + 3.37
    assert lines == [
        "Payment no.,Payment,Interest,Principal,Balance",
        "1,340.03,10.00,330.03,669.97",
        "2,340.03,6.70,333.33,336.64",
        "3,340.01,3.37,336.64,0.00",
    ]
    # The reader's three figures and the day, nothing else (the date is the machine's today).
    today = date.today().isoformat()  # noqa: DTZ011 (the machine's day, as export_csv reads it)
    assert out["filename"] == f"amortization-schedule-1000-12pct-3-{today}.csv"


def test_csv_file_names_are_short_and_skip_the_figures_that_say_nothing() -> None:
    day = date(2026, 12, 7)
    # The deficiency calculator's defaults: interest, fees and costs are 0, so the debt and the
    # sale price name the file.
    assert calculators.csv_filename("deficiency", "conditions", {}, day) == (
        "deficiency-conditions-18000-9500-2026-12-07.csv"
    )
    # A figure the reader mistyped is left out rather than failing the download's name.
    name = calculators.csv_filename("deficiency-check", "flags", {"obligation": "12,x00"}, day)
    assert name == "deficiency-check-flags-7500-450-300-2026-12-07.csv"
    assert len(name) < 60


def test_export_csv_reports_bad_input_and_unknown_tables_like_run() -> None:
    assert calculators.export_csv("amortization", {"annual_rate": "x"}, "schedule") == calculators.run(
        "amortization", {"annual_rate": "x"}
    )
    assert calculators.export_csv("amortization", {}, "nope") == {
        "ok": False,
        "errors": {"calculator": "amortization has no table 'nope'; choose: schedule."},
    }


def test_a_chart_must_name_real_columns_outputs_and_fields() -> None:
    from dataclasses import replace

    from calckit.fields import Chart

    calc = calculators.CALCULATORS["underwater"]
    timeline = calc.outputs[-1]
    for bad in (
        replace(timeline.chart, lines=("balance", "nope")),
        replace(timeline.chart, band=("underwater_from", "nope")),
        replace(timeline.chart, marker="nope"),
    ):
        assert isinstance(bad, Chart)
        outputs = (*calc.outputs[:-1], replace(timeline, chart=bad))
        with pytest.raises(TypeError, match="chart"):
            type(calc)(**{**calc.__dict__, "outputs": outputs})
