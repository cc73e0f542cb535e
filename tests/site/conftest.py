"""Shared by the site checks: the real site, built once per session with ``mkdocs build
--strict`` from this repository's ``mkdocs.yml`` (its own ``site_url``), for every module that
only reads the built files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.repo import build_site


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("site") / "site", None)
