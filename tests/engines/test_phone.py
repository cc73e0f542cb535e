"""Nothing on the site is wider than a phone's screen, in Chromium, Firefox ESR and WebKitGTK.

Every page of the sitemap (and the 404 page) is laid out at 320 and 390 CSS px, and its
document must not scroll sideways: ``scrollWidth`` equals ``clientWidth`` (the viewport less
any scrollbar). A failure names the elements that reach past the right edge.

How a page gets a 320 px viewport: MiniBrowser, the WebKitGTK shell, will not make its window
narrower than 447 px (its toolbar), so every engine lays the page out in a same-origin
``<iframe>`` of exactly that width, which is a viewport of its own to the page inside (its media
queries, its fixed elements, its layout). A desktop engine ignores ``<meta name="viewport">``
in a window as it does in a frame, so this is the layout a 320 px window of that engine gets.
The site's ``_headers`` forbid framing (``frame-ancestors 'none'``) and every page's policy
allows no frames, so this test serves the same build without the headers, from a bare page of
its own (``HOLDER``, written next to the build for the test); nothing here depends on a header.

The oracle is the engine's own layout. To see it fail, give the worked examples' table a width
no phone has, ``.md-typeset .calc-example__inputs { min-width: 600px; }`` at the end of
calculators.css: every page with a worked example is then 637 px wide at 320 px, and the failure
names the table (checked in Chromium, 2026-12-08).
"""

from __future__ import annotations

import pytest

from scripts.site_server import SiteServer

from .drivers import Driver
from .test_csp import site_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTHS = (320, 390)
HOLDER = "__phone.html"

# Lays `path` out in a frame `width` px wide; null until it has loaded, then the document's
# widths and the elements whose right edge passes the viewport's (outside any scrolling or
# clipping box: what such a box holds cannot widen the page).
FRAME = """(path, width) => {
  let frame = document.getElementById("phone-frame");
  if (!frame || frame.dataset.path !== path) {
    frame?.remove();
    frame = document.createElement("iframe");
    frame.id = "phone-frame";
    frame.dataset.path = path;
    frame.style.cssText = "border:0;display:block;height:700px;width:" + width + "px";
    frame.src = path;
    document.body.prepend(frame);
    return null;
  }
  frame.style.width = width + "px";
  const doc = frame.contentDocument;
  if (!doc || doc.readyState !== "complete" || doc.location.href === "about:blank") return null;
  const root = doc.documentElement;
  const edge = root.clientWidth;
  const over = [];
  const walk = (el) => {
    for (const child of el.children) {
      const box = child.getBoundingClientRect();
      if (box.width && box.right > edge + 1) {
        over.push(`${child.tagName.toLowerCase()}.${String(child.className.baseVal ?? child.className).trim().replace(/\\s+/g, ".")} (right ${Math.round(box.right)} px)`);
      }
      // What a scrolling or clipping box holds does not widen the page.
      if (frame.contentWindow.getComputedStyle(child).overflowX === "visible") walk(child);
    }
  };
  if (root.scrollWidth > edge) walk(doc.body);
  return { innerWidth: frame.contentWindow.innerWidth, clientWidth: edge, scrollWidth: root.scrollWidth, over: over.slice(0, 6) };
}"""


def test_no_page_is_wider_than_a_phone(driver: Driver, server: SiteServer) -> None:
    pages = [url.removeprefix(server.url.rstrip("/")) for url in site_pages(server)]
    server.host_headers = False  # the same build, framable (see the module's docstring)
    holder = server.root / HOLDER
    holder.write_text("<!doctype html><title>phone</title><body style='margin:0'>", encoding="utf-8")
    # Each page is measured once it has loaded, while its calculators still say "Loading" (the
    # browser suite's layout-shift test compares that with the live one): the worker's script
    # is an empty one here, so no frame boots a Python that the next frame would throw away.
    server.faults[r"/assets/runtime/worker\.js$"] = "silent"
    try:
        driver.goto(server.url + HOLDER)
        wide: list[str] = []
        for path in pages:
            for width in WIDTHS:
                seen = driver.wait(FRAME, path, width, timeout=60, what=f"{path} at {width} px")
                assert seen["innerWidth"] == width, (path, seen)  # the frame is the viewport asked for
                if seen["scrollWidth"] != seen["clientWidth"]:
                    wide.append(f"{path} at {width} px: {seen['scrollWidth']} px wide; {seen['over']}")
    finally:
        server.host_headers = True
        holder.unlink()
    assert not wide, f"{driver.engine}: pages wider than the screen:\n" + "\n".join(wide)
