"""The shipped GitHub Pages workflow, read as GitHub would (it never runs here).

It must build with SITE_URL taken from the repository's own Pages address, publish the built
`site/` folder, and pin every action to a full commit SHA.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "deploy.yml"


def load() -> dict[Any, Any]:
    # PyYAML (YAML 1.1) reads the key `on` as True; GitHub reads it as "on".
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))
    return data  # type: ignore[no-any-return]


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return job["steps"]  # type: ignore[no-any-return]


def test_builds_on_push_to_main_with_site_url_from_the_pages_address() -> None:
    flow = load()
    assert flow["on"]["push"]["branches"] == ["main"]
    build = flow["jobs"]["build"]
    by_id = {s.get("id"): s for s in steps(build)}
    assert by_id["pages"]["uses"].startswith("actions/configure-pages@")
    make = next(s for s in steps(build) if s.get("run") == "make build")
    # configure-pages' base_url has no trailing slash ("https://octocat.github.io/repo").
    assert make["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    order = [s.get("id") or s.get("run") or s["uses"].split("@")[0] for s in steps(build)]
    assert order.index("pages") < order.index("make build") < order.index("actions/upload-pages-artifact")
    upload = next(s for s in steps(build) if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    site_dir = yaml.safe_load((ROOT / "mkdocs.yml").read_text().replace("!ENV", ""))["site_dir"]
    assert upload["with"]["path"] == site_dir


def test_deploys_with_only_the_permissions_pages_needs() -> None:
    flow = load()
    assert flow["permissions"] == {"contents": "read"}
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert steps(deploy)[-1]["uses"].startswith("actions/deploy-pages@")


def test_every_action_is_pinned_to_a_commit() -> None:
    uses = re.findall(r"uses:\s*(\S+)", WORKFLOW.read_text(encoding="utf-8"))
    assert len(uses) == 6
    assert all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", u) for u in uses), uses


def test_uses_the_python_the_lock_is_for() -> None:
    flow = load()
    setup = next(
        s for s in steps(flow["jobs"]["build"]) if s.get("uses", "").startswith("actions/setup-python@")
    )
    wanted = subprocess.run(
        ["grep", "-o", r"3\.[0-9]*", str(ROOT / "scripts" / "find_python.sh")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[0]
    assert setup["with"]["python-version"] == wanted
