"""The state-rules dataset itself: every jurisdiction present, every cell well formed and honest.

Each cell must carry a value, a citation, the address of the text it was read in, the date it
was checked and its status. A *verified* cell must name the page it was read at and a citation;
an unverified one may hold ``null`` where nothing is known. The loader must read every file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from calculators.states import CODES, NAMES, SaleType, jurisdiction

DATA = Path(__file__).resolve().parents[2] / "calculators" / "states" / "data"
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MONEY = re.compile(r"\d+(\.\d{1,2})?")
PERCENT = re.compile(r"\d+(\.\d+)?")
SALES = {s.value for s in SaleType} - {"repossession"}
CAP_KEYS = {
    "percent": {"base", "percent"},
    "excess": {"base", "weekly_hours", "wage", "share"},
    "floor": {"base", "weekly_amount", "share"},
    "tiers": {"base", "per", "brackets"},
    "exempt": set(),
}


def load(code: str) -> dict[str, Any]:
    return json.loads((DATA / f"{code}.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def cell_problems(path: str, cell: Any) -> list[str]:
    if not isinstance(cell, dict):
        return [f"{path}: not a cell"]
    problems = [
        f"{path}: missing {k}"
        for k in ("value", "citation", "url", "checked", "status", "note")
        if k not in cell
    ]
    extra = set(cell) - {"value", "citation", "case", "url", "checked", "status", "note"}
    problems += [f"{path}: unknown key {k}" for k in sorted(extra)]
    if cell.get("status") not in ("verified", "unverified"):
        problems.append(f"{path}: status must be verified or unverified")
    if not DATE.fullmatch(str(cell.get("checked", ""))):
        problems.append(f"{path}: checked must be an ISO date")
    if cell.get("status") == "verified":
        if not str(cell.get("url", "")).startswith(("http://", "https://")):
            problems.append(f"{path}: a verified cell must give the address it was read at")
        if not (cell.get("citation") or cell.get("case")):
            problems.append(f"{path}: a verified cell must cite a statute or a case")
        if cell.get("value") is None and not path.endswith(("one_action", "small_balance_bar", "notice")):
            problems.append(f"{path}: a verified cell must hold a value")
    return problems


def value_problems(path: str, value: Any) -> list[str]:  # noqa: PLR0911, PLR0912 - one check per rule shape
    if value is None:
        return []
    if path.endswith(("non_judicial",)):
        return [] if value in ("allowed", "barred", "not_used") else [f"{path}: {value!r}"]
    if path.endswith("judicial"):
        return [] if value in ("allowed", "barred") else [f"{path}: {value!r}"]
    if ".bars[" in path or ".fair_value[" in path or ".deadline[" in path:
        if not value.get("sale_types") or not set(value["sale_types"]) <= SALES:
            return [f"{path}: sale_types must be non_judicial and/or judicial"]
        if ".bars[" in path and not (
            value.get("purchase_money") in (True, None) and value.get("owner_occupied") in (True, None)
        ):
            return [f"{path}: purchase_money/owner_occupied must be true or null"]
        if ".fair_value[" in path and not (
            value.get("measure") and isinstance(value.get("on_request"), bool)
        ):
            return [f"{path}: needs a measure and on_request"]
        if ".deadline[" in path and not (value.get("days") is None or isinstance(value["days"], int)):
            return [f"{path}: days must be an integer or null"]
        return []
    if path.endswith("small_balance_bar"):
        ok = MONEY.fullmatch(str(value.get("threshold"))) and value.get("measure") in (
            "cash_price",
            "amount_financed",
            "unpaid_balance",
            "other",
        )
        return [] if ok and isinstance(value.get("at_or_below"), bool) else [f"{path}: malformed bar"]
    if path.endswith("exempt"):
        return [] if isinstance(value, bool) else [f"{path}: must be true or false"]
    if ".caps[" in path:
        kind = value.get("kind")
        if kind not in CAP_KEYS:
            return [f"{path}: unknown cap kind {kind!r}"]
        missing = CAP_KEYS[kind] - set(value)
        unknown = set(value) - CAP_KEYS[kind] - {"kind", "when", "per_dependent_weekly", "unmodelled"}
        if missing or unknown:
            return [f"{path}: missing {sorted(missing)}, unknown {sorted(unknown)}"]
        if "wage" in value and value["wage"] not in ("federal", "state", "local"):
            return [f"{path}: wage must be federal, state or local"]
        return []
    if path.endswith("minimum_wage"):
        hourly = value.get("hourly")
        return [] if hourly is None or MONEY.fullmatch(hourly) else [f"{path}: hourly {hourly!r}"]
    if ".topics[" in path:
        return [] if value.get("key") and value.get("text") else [f"{path}: a topic needs key and text"]
    return []


def file_problems(code: str) -> list[str]:
    d = load(code)
    problems = [] if d.get("code") == code and d.get("name") == NAMES[code] else ["code or name wrong"]
    f, r, g = d["foreclosure"], d["repossession"], d["garnishment"]
    cells = [
        ("foreclosure.non_judicial", f["non_judicial"]),
        ("foreclosure.judicial", f["judicial"]),
        *(
            (f"foreclosure.{k}[{i}]", c)
            for k in ("bars", "fair_value", "deadline")
            for i, c in enumerate(f[k])
        ),
        ("foreclosure.one_action", f["one_action"]),
        ("repossession.small_balance_bar", r["small_balance_bar"]),
        ("repossession.notice", r["notice"]),
        ("garnishment.exempt", g["exempt"]),
        *((f"garnishment.caps[{i}]", c) for i, c in enumerate(g["caps"])),
        ("garnishment.minimum_wage", g["minimum_wage"]),
        *((f"topics[{i}]", c) for i, c in enumerate(d.get("topics", []))),
    ]
    for path, cell in cells:
        problems += cell_problems(path, cell)
        if isinstance(cell, dict):
            problems += value_problems(path, cell.get("value"))
    return [f"{code} {p}" for p in problems]


def test_there_is_one_file_per_jurisdiction_and_no_other() -> None:
    assert len(CODES) == 51
    assert "DC" in CODES
    assert sorted(p.stem for p in DATA.glob("*.json")) == sorted(CODES)


@pytest.mark.parametrize("code", CODES)
def test_every_cell_is_well_formed_and_cited(code: str) -> None:
    assert file_problems(code) == []
    j = jurisdiction(code)  # the loader reads every file
    assert j.name == NAMES[code]


def test_the_checks_catch_a_verified_cell_without_a_source() -> None:
    bad = {
        "value": "barred",
        "citation": "",
        "url": "",
        "checked": "2026-12-01",
        "status": "verified",
        "note": "",
    }
    assert cell_problems("foreclosure.non_judicial", bad) == [
        "foreclosure.non_judicial: a verified cell must give the address it was read at",
        "foreclosure.non_judicial: a verified cell must cite a statute or a case",
    ]
    assert value_problems("foreclosure.judicial", "not_used") == ["foreclosure.judicial: 'not_used'"]
    assert value_problems("garnishment.caps[0]", {"kind": "percent", "base": "gross"}) == [
        "garnishment.caps[0]: missing ['percent'], unknown []"
    ]


def test_unknown_codes_are_refused() -> None:
    with pytest.raises(KeyError):
        jurisdiction("ZZ")
    assert jurisdiction("dc").code == "DC"
