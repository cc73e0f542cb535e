"""The state-rules dataset itself: every jurisdiction present, every file valid against the one
schema (``calculators/states/schema.json``), every rule cited at an honest level, and every
dated figure current.

The schema is the single description of the format: these tests validate against it (with the
``jsonschema`` library), and the loader only builds typed rules from data it describes.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from calculators import states
from calculators.states import CODES, NAMES, jurisdiction
from calculators.states.facts import CHOICES, RANGES

STATES = Path(__file__).resolve().parents[2] / "calculators" / "states"
SCHEMA = json.loads((STATES / "schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def load(code: str) -> dict[str, Any]:
    return json.loads((STATES / "data" / f"{code}.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def problems(data: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in VALIDATOR.iter_errors(data)]


def test_the_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_there_is_one_file_per_jurisdiction_and_no_other() -> None:
    assert len(CODES) == 51
    assert "DC" in CODES
    assert sorted(p.stem for p in (STATES / "data").glob("*.json")) == sorted(CODES)


@pytest.mark.parametrize("code", CODES)
def test_every_file_is_valid_against_the_schema(code: str) -> None:
    data = load(code)
    assert problems(data) == []
    assert (data["code"], data["name"]) == (code, NAMES[code])


@pytest.mark.parametrize("code", CODES)
def test_every_rule_id_is_unique_and_every_rule_loads(code: str) -> None:
    j = jurisdiction(code)
    ids = [
        item.id
        for item in (
            *j.foreclosure,
            *j.foreclosure_deadlines,
            *j.repossession,
            *j.repossession_deadlines,
            *j.caps,
        )
    ]
    assert len(ids) == len(set(ids)), ids
    for rule in j.foreclosure:
        assert rule.sales, rule.id  # a foreclosure rule says after which sales it applies


def test_the_schema_and_the_engine_share_one_vocabulary() -> None:
    conditions = set(SCHEMA["$defs"]["conditions"]["properties"])
    assert conditions - {"amount", "requires"} == set(CHOICES) | (
        set(RANGES) - {"cash_price", "amount_financed", "unpaid_balance"}
    )
    for key, values in CHOICES.items():
        assert SCHEMA["$defs"]["conditions"]["properties"][key]["items"]["enum"] == list(values), key


BROKEN: list[tuple[str, Any]] = [
    # (where, a value that must be refused)
    ("foreclosure/rules/0/source/level", "verified"),  # the old two-state status is not a level
    ("foreclosure/rules/0/when/property_type", ["house"]),  # outside the closed vocabulary
    ("foreclosure/rules/0/when/assumed", True),  # no condition may be "assumed"
    ("foreclosure/rules/0/outcome", {"kind": "fair_value"}),  # which value, and on request or not
    ("minimum_wage/rates", [{"from": "2026-01-01", "hourly": "fifteen"}]),
]


@pytest.mark.parametrize(("where", "value"), BROKEN)
def test_the_schema_refuses_a_malformed_rule(where: str, value: Any) -> None:
    data = copy.deepcopy(load("IA"))
    *path, last = where.split("/")
    node: Any = data
    for part in path:
        node = node[int(part)] if part.isdigit() else node[part]
    node[last] = value
    assert problems(data), f"the schema accepted {where} = {value!r}"


def test_the_schema_refuses_a_statute_level_rule_without_the_address_it_was_read_at() -> None:
    data = copy.deepcopy(load("IA"))
    rule = data["foreclosure"]["rules"][0]
    rule["source"] = {**rule["source"], "level": "statute", "url": ""}
    assert any("url" in p for p in problems(data))
    rule["source"] = {**rule["source"], "level": "case", "url": "https://example.org/opinion"}
    rule["source"].pop("case", None)
    assert any("case" in p for p in problems(data))


def stale(today: dt.date) -> list[str]:
    """Dated figures past their next scheduled change on ``today``. Minimum wages are indexed on
    1 January, 1 July or 30 September, or change on a ballot's or a bill's own dates."""
    found = []
    for code in CODES:
        j = jurisdiction(code)
        nxt = j.minimum_wage.next_change
        if nxt is not None and nxt <= today and not any(start >= nxt for start, _ in j.minimum_wage.rates):
            found.append(f"{code} minimum wage: its next change, {nxt}, has passed")
        for item in (*j.repossession, *j.foreclosure):
            indexed = item.indexed or {}
            due = indexed.get("next_change")
            # A passed change is accepted only with the reason the old figure is still safe.
            if due and dt.date.fromisoformat(str(due)) <= today and not indexed.get("pending"):
                found.append(f"{code} {item.id}: its indexed figure was due to change on {due}")
        for cap in load(code)["garnishment"]["caps"]:
            due = (cap.get("indexed") or {}).get("next_change")
            if due and dt.date.fromisoformat(due) <= today:
                found.append(f"{code} {cap['id']}: its indexed figure was due to change on {due}")
    return found


def test_no_dated_figure_is_past_its_next_scheduled_change() -> None:
    assert stale(dt.datetime.now(dt.UTC).date()) == []


def test_the_staleness_check_catches_a_rate_past_its_change() -> None:
    wage = jurisdiction("AK").minimum_wage
    assert wage.next_change is not None
    due = [s for s in stale(wage.next_change + dt.timedelta(days=1)) if s.startswith("AK minimum wage")]
    listed = any(start >= wage.next_change for start, _ in wage.rates)
    assert bool(due) != listed  # due unless the dataset already lists the new rate


def test_every_checked_date_is_real_and_not_in_the_future() -> None:
    today = dt.datetime.now(dt.UTC).date()
    for code in CODES:
        for path, source in sources(load(code)):
            assert dt.date.fromisoformat(source["checked"]) <= today, (code, path)


def sources(data: dict[str, Any], path: str = "") -> list[tuple[str, dict[str, Any]]]:
    found = []
    if isinstance(data, dict):
        if "level" in data and "checked" in data:
            return [(path, data)]
        for key, value in data.items():
            found += sources(value, f"{path}/{key}")
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += sources(value, f"{path}/{i}")
    return found


def test_the_loader_reads_every_file_at_import() -> None:
    # After a memory-snapshot restore the files are gone: the data must already be in memory.
    assert set(states.RAW) == set(CODES)


def test_unknown_codes_are_refused() -> None:
    with pytest.raises(KeyError):
        jurisdiction("ZZ")
