"""The contributor loop: seconds from saving a file under `mkdocs serve` to the page reloaded.

Usage: python scripts/bench_serve.py [--runs N]

Copies the repository to a temporary folder (tests/repo.py: the real sources, sharing
node_modules and the build caches), starts the real ``mkdocs serve --livereload`` there, opens
a page in Debian's Chromium, then, N times each:

* appends a paragraph to a small Markdown page (``faq.md``) and to the largest one
  (``state-laws.md``), and times until the open page has reloaded and shows
  the new text;
* appends a comment to a calculator (``calculators/amortization.py``), which rebuilds the wheel
  and re-renders every page, and times until its page has reloaded.

Runs ``mkdocs serve`` as ``make serve`` does (``--strict``, ``PYTHONDONTWRITEBYTECODE=1``) and
waits for the server to be idle before each edit. Prints median, min and max, and how much of
it was the rebuild (until mkdocs serve logs "Reloading browsers"). Goals (issue 19): a Markdown edit ≤ 3 s, a calculator edit ≤ 5 s. Nothing
here asserts; it measures and prints.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.repo import copy_repo  # noqa: E402

#: (label, file to edit, page to watch, goal in seconds, whether the edit shows as text)
EDITS = (
    ("Markdown edit, small page (faq.md)", "docs/faq.md", "faq/", 3.0, True),
    ("Markdown edit, largest page (state-laws.md)", "docs/state-laws.md", "state-laws/", 3.0, True),
    (
        "Calculator edit (amortization.py: wheel and every page)",
        "calculators/amortization.py",
        "calculators/amortization/",
        5.0,
        False,
    ),
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_served(url: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise SystemExit(f"mkdocs serve did not answer {url} in {timeout:.0f} s")


def wait_idle(log: Path, quiet: float = 2.0, timeout: float = 180) -> None:
    """Until mkdocs serve has written nothing to its log for ``quiet`` seconds (no build running)."""
    deadline = time.monotonic() + timeout
    size, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        now = log.stat().st_size
        if now != size:
            size, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        time.sleep(0.2)


def reloads(log: Path) -> int:
    return log.read_text(errors="replace").count("Reloading browsers")


def measure(
    page: object, repo: Path, log: Path, path: str, *, marker: str, text: bool
) -> tuple[float, float]:
    """Save the edit; seconds from the save until the rebuild was done, and until the page had
    reloaded (its load event, and the new text where the edit shows)."""
    target = repo / path
    body = target.read_text()
    addition = f"\n\n{marker}\n" if text else f"\n# {marker}\n"
    before = reloads(log)
    with page.expect_event("load", timeout=120_000):  # type: ignore[attr-defined]
        target.write_text(body + addition)
        saved = time.time()
        while reloads(log) == before:  # mkdocs serve logs this once the rebuild is written
            time.sleep(0.05)
        built = time.time()
    if text:
        page.wait_for_function(f"document.body.innerText.includes({marker!r})", timeout=120_000)  # type: ignore[attr-defined]
    loaded = page.evaluate(  # type: ignore[attr-defined]
        "(performance.timeOrigin + performance.getEntriesByType('navigation')[0].loadEventEnd) / 1000"
    )
    return built - saved, loaded - saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        repo = copy_repo(Path(tmp) / "repo")
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        log_path = Path(tmp) / "serve.log"
        log = log_path.open("w")
        # Exactly `make serve`: its environment too (no .pyc written into the watched core, which
        # would start a second rebuild after every calculator edit).
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "serve",
                "--strict",
                "--dev-addr",
                f"127.0.0.1:{port}",
                "--livereload",
            ],
            cwd=repo,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"},
        )
        started = time.monotonic()
        try:
            wait_served(url)
            print(f"first build served after {time.monotonic() - started:.1f} s", file=sys.stderr)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                page = browser.new_page()
                for label, path, page_path, _, text in EDITS:
                    page.goto(url + page_path, wait_until="load")
                    for i in range(args.runs):
                        wait_idle(log_path)
                        page.wait_for_timeout(500)  # livereload's long poll is connected
                        built, seconds = measure(
                            page,
                            repo,
                            log_path,
                            path,
                            marker=f"Benchmark edit {i} {time.time_ns()}",
                            text=text,
                        )
                        results.setdefault(label, []).append(seconds)
                        results.setdefault(label + " (rebuilt)", []).append(built)
                        print(f"{label}: rebuilt {built:.2f} s, reloaded {seconds:.2f} s", file=sys.stderr)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            log.close()
    print(f"mkdocs serve, save → page reloaded, {args.runs} runs: median (min–max)")
    for label, _, _, goal, _ in EDITS:
        values = results[label]
        median = statistics.median(values)
        verdict = "met" if median <= goal else "missed"
        print(
            f"  {label}: {median:.2f} s ({min(values):.2f}–{max(values):.2f}); goal ≤ {goal:.0f} s, {verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
