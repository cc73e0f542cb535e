"""The generator's own ``_headers`` rules (Netlify, Cloudflare Pages): added to a site's own.

The service worker and the runtime manifest are revalidated on every load, so a new deploy is
found (``sw.js`` imports ``sw-cleanup.<version>.js``, whose name changes each deploy);
everything under ``pyodide/<folder>/`` has a content hash in its path and never changes; the
generator's scripts (``assets/runtime/``) have fixed names, so they are revalidated too.
"""

from __future__ import annotations

from pathlib import Path

from .names import ASSET_DIR, RUNTIME_DIR

#: (path pattern, header line) pairs, in the order they are written.
RULES: tuple[tuple[str, str], ...] = (
    ("/sw.js", "Cache-Control: no-cache"),
    (f"/{RUNTIME_DIR}/runtime.json", "Cache-Control: no-cache"),
    (f"/{RUNTIME_DIR}/:folder/*", "Cache-Control: public, max-age=31536000, immutable"),
    (f"/{ASSET_DIR}/*", "Cache-Control: no-cache"),
)

MARK = "# The calculators generator's rules (site_integration/headers.py)"


def merged(site_text: str) -> str:
    """A site's own ``_headers`` text with the generator's rules appended.

    A site that sets a header for one of the generator's paths would send two values for it:
    that is refused, with the path named.
    """
    paths = {line.strip() for line in site_text.splitlines() if line.startswith("/")}
    clash = sorted(paths & {path for path, _ in RULES})
    if clash:
        raise ValueError(f"_headers: {', '.join(clash)} belong to the calculators generator; remove them")
    lines = [site_text.rstrip("\n"), "", MARK] if site_text.strip() else [MARK]
    for path, header in RULES:
        lines += [path, f"  {header}"]
    return "\n".join(lines) + "\n"


def write(site_dir: Path) -> None:
    """Add the generator's rules to the built site's ``_headers`` (creating it if the site has none)."""
    target = site_dir / "_headers"
    text = target.read_text(encoding="utf-8") if target.exists() else ""
    target.write_text(merged(text), encoding="utf-8")
