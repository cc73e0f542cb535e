"""The site's Content-Security-Policy, generated after the build.

Every executable inline ``<script>`` of every built page (Material's own, whose text changes
with the page's depth and Material's version, and the theme override's) is allowed by its
sha256 hash; nothing else may run but the site's own files. The policy ships twice:

* in ``_headers`` (the ``/*`` rule), for hosts that read it (Netlify, Cloudflare Pages), with
  ``frame-ancestors 'none'``, which only a header can carry;
* as ``<meta http-equiv="Content-Security-Policy">`` at the top of every page's ``<head>``,
  for hosts that cannot send headers (GitHub Pages). That copy lists only the page's own
  hashes and omits ``frame-ancestors`` (a meta policy cannot carry it; browsers ignore it there
  and some log an error).

``'wasm-unsafe-eval'`` is for the calculators' worker alone, which compiles Pyodide's
WebAssembly. A dedicated worker's policy comes from its own response headers, never from the
page (measured in Chromium, Firefox and WebKitGTK), so only the header policy carries it. A
``_headers`` rule cannot leave one file out of ``/*``, so pages receive it in their header
too, but a page enforces every policy it is given, and its meta policy never allows it:
pages cannot compile WebAssembly. Behind a host that sends no headers, the worker has no
policy at all.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

#: The policy's directives in order; ``script-src`` is ``'self'`` plus the hashes (and, in the
#: header, ``'wasm-unsafe-eval'``).
DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("default-src", "'none'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("worker-src", "'self'"),
    ("manifest-src", "'self'"),
    ("form-action", "'self'"),
    ("base-uri", "'none'"),
    ("frame-ancestors", "'none'"),
    ("object-src", "'none'"),
)
#: What only a response header can carry (a meta policy ignores it).
HEADER_ONLY = frozenset({"frame-ancestors"})
#: The worker compiles Pyodide's WebAssembly; see the module docstring.
WASM = "'wasm-unsafe-eval'"
#: Script types a browser executes (HTML's JavaScript MIME types, and modules); any other
#: type (``application/json``) is a data block, which a policy does not govern.
_EXECUTABLE = frozenset({"", "module", "text/javascript", "application/javascript", "text/ecmascript"})


class _InlineScripts(HTMLParser):
    """Collects the text of every executable inline ``<script>``, exactly as a browser hashes it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)  # script text is raw: no character references
        self.scripts: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "script":
            return
        found = dict(attrs)
        kind = (found.get("type") or "").strip().lower()
        self._current = [] if "src" not in found and kind in _EXECUTABLE else None

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.scripts.append("".join(self._current))
            self._current = None


#: Where a script element starts, and where one ends (no script's text can hold its end tag).
_SCRIPT_OPEN = re.compile(r"<script\b", re.IGNORECASE)
_SCRIPT_CLOSE = re.compile(r"</script\s*>", re.IGNORECASE)


def script_hashes(html: str) -> list[str]:
    """The CSP source (``'sha256-...'``) of each executable inline script in ``html``, in order.

    Only each ``<script ...>...</script>`` is given to the HTML parser, not the whole page: a page's
    scripts are a few hundred bytes of its hundred kilobytes. Every script element starts with
    ``<script``, so none is missed; a ``<script`` inside a comment would only add a hash.
    """
    parser = _InlineScripts()
    at = 0
    while match := _SCRIPT_OPEN.search(html, at):
        end = _SCRIPT_CLOSE.search(html, match.end())
        stop = end.end() if end else len(html)
        parser.feed(html[match.start() : stop])
        parser.close()
        parser.reset()
        at = stop
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"
        for text in parser.scripts
    ]


def policy(hashes: list[str], *, header: bool) -> str:
    """The policy text: for the ``_headers`` file (``header=True``) or for a page's meta tag."""
    scripts = [dict(DIRECTIVES)["script-src"], *([WASM] if header else []), *dict.fromkeys(hashes)]
    return "; ".join(
        f"{name} {' '.join(scripts) if name == 'script-src' else value}"
        for name, value in DIRECTIVES
        if header or name not in HEADER_ONLY
    )


#: Firefox prefetches the page a ``<link rel="next">`` names. No directive but default-src
#: governs a prefetch, so the policy blocks it, and Firefox reports a violation on every page.
#: Browsers use the link for nothing else (and search engines no longer read it): it goes.
_PREFETCHED = re.compile(r'\n?[ \t]*<link rel="next" href="[^"]*">')

#: Material writes this first in every page's ``<head>``; the policy goes right after it.
CHARSET = '<meta charset="utf-8">'


def _meta(text: str) -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{text}">'


def apply(site_dir: Path) -> str:
    """Give every built page its meta policy and return the header policy (all pages' hashes).

    The meta tag goes right after ``<meta charset>`` (which must stay within the first 1024
    bytes), before any script, so it governs them all.
    """
    every: list[str] = []
    for page in sorted(site_dir.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        anchor = CHARSET if CHARSET in html else "<head>"
        if anchor not in html:
            continue  # not a page (an HTML fragment copied verbatim)
        html = _PREFETCHED.sub("", html)
        hashes = script_hashes(html)
        every.extend(hashes)
        meta = _meta(policy(hashes, header=False))
        page.write_text(html.replace(anchor, f"{anchor}\n    {meta}", 1), encoding="utf-8")
    return policy(sorted(set(every)), header=True)


def write_header(site_dir: Path, text: str) -> None:
    """Add the policy to the ``/*`` rule of the built ``_headers`` (a new rule if there is none)."""
    headers = site_dir / "_headers"
    lines = headers.read_text(encoding="utf-8").splitlines() if headers.exists() else []
    line = f"  Content-Security-Policy: {text}"
    if "/*" in lines:
        lines.insert(lines.index("/*") + 1, line)
    else:
        lines += ["", "/*", line]
    headers.write_text("\n".join(lines) + "\n", encoding="utf-8")
