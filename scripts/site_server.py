"""A small static server for a built site, for the browser tests and the benchmarks.

Python's threaded ``http.server`` with these additions:

* a log of every request, its status and the body bytes sent for it (``requests``,
  ``statuses``, ``sent``);
* per-path faults (``faults``: path regex -> "404" | "truncate" | "corrupt"), so failure
  tests meet a real server answering badly;
* optional gzip (``compress=True``) of the types a static host compresses, for benchmarks
  that must see the bytes a real host would send;
* optional host headers (``host_headers=True``): the site's ``_headers`` file, applied as
  Netlify and Cloudflare Pages do;
* ``swap_root``: serve another build at the same address (a new deploy);
* ``hold(pattern)``: keep matching requests waiting until the test releases them (they are
  then answered from whatever root is served by then), so a race is played out in order;
* ``offline``: close every connection unanswered, as a network outage looks to a browser
  (for engines whose driver cannot take the browser offline).

Run on its own: ``python scripts/site_server.py SITE_DIR [PORT]``.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import re
import sys
import threading
from pathlib import Path
from typing import Any

#: What static hosts (GitHub Pages, Netlify, Cloudflare Pages) compress; zip and whl already are.
COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".wasm", ".svg", ".xml", ".txt")


class SiteServer:
    """Serve one folder on 127.0.0.1 with a request log, faults and optional gzip."""

    def __init__(
        self, root: Path, port: int = 0, *, compress: bool = False, host_headers: bool = False
    ) -> None:
        self.root = root
        self.compress = compress
        self.host_headers = host_headers  # apply the site's _headers file, as Netlify would
        self.requests: list[str] = []
        self.sent: list[tuple[str, int]] = []
        self.faults: dict[str, str] = {}
        self.statuses: list[tuple[str, int]] = []
        self.holds: dict[str, threading.Event] = {}
        self.offline = False
        self._gzipped: dict[Path, bytes] = {}
        self._lock = threading.Lock()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def _handler(self) -> Any:
        return functools.partial(_Handler, directory=str(self.root), site=self)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def count(self, suffix: str) -> int:
        return sum(1 for path in self.requests if path.split("?")[0].endswith(suffix))

    def bytes_sent(self, pattern: str = "") -> int:
        with self._lock:
            return sum(n for path, n in self.sent if re.search(pattern, path))

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.sent.clear()
            self.statuses.clear()
        self.faults.clear()
        for gate in self.holds.values():
            gate.set()
        self.holds.clear()
        self.offline = False

    def hold(self, pattern: str) -> threading.Event:
        """Requests whose path matches ``pattern`` wait until the returned event is set."""
        gate = self.holds[pattern] = threading.Event()
        return gate

    def errors(self) -> list[tuple[str, int]]:
        """Every request answered with a 4xx or 5xx status."""
        with self._lock:
            return [(path, code) for path, code in self.statuses if code >= 400]

    def swap_root(self, root: Path) -> None:
        """Serve another folder from now on (a new deploy at the same address)."""
        self.root = root
        self._gzipped.clear()
        self.httpd.RequestHandlerClass = self._handler()

    def headers_for(self, url_path: str) -> list[tuple[str, str]]:
        """Headers from the site's ``_headers`` file (Netlify/Cloudflare syntax) matching a path."""
        rules_file = self.root / "_headers"
        if not self.host_headers or not rules_file.exists():
            return []
        found: list[tuple[str, str]] = []
        pattern: re.Pattern[str] | None = None
        for line in rules_file.read_text().splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if not line[0].isspace():
                regex = re.sub(
                    r":[a-z]+", "[^/]+", re.escape(line.strip()).replace(r"\*", ".*").replace(r"\:", ":")
                )
                pattern = re.compile(regex + "$")
            elif pattern is not None and pattern.match(url_path):
                name, _, value = line.strip().partition(":")
                found.append((name.strip(), value.strip()))
        return found

    def gzipped(self, path: Path) -> bytes:
        with self._lock:
            if path not in self._gzipped:
                self._gzipped[path] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
            return self._gzipped[path]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args: Any, site: SiteServer, **kwargs: Any) -> None:
        self.site = site
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        with self.site._lock:
            self.site.statuses.append((self.path, int(code) if isinstance(code, int) else 0))

    def end_headers(self) -> None:
        for name, value in self.site.headers_for(self.path.split("?")[0]):
            self.send_header(name, value)
        super().end_headers()

    def _record(self, n: int) -> None:
        with self.site._lock:
            self.site.sent.append((self.path, n))

    def _fault(self) -> str | None:
        path = self.path.split("?")[0]
        return next((kind for pattern, kind in self.site.faults.items() if re.search(pattern, path)), None)

    def _send_body(self, body: bytes, content_type: str, encoding: str | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)
        self._record(len(body))

    def do_GET(self) -> None:
        self.site.requests.append(self.path)
        if self.site.offline:
            self.close_connection = True  # no answer at all: what a dropped network looks like
            return
        gate = next(
            (g for p, g in list(self.site.holds.items()) if re.search(p, self.path.split("?")[0])), None
        )
        if gate is not None:
            gate.wait(timeout=300)
            self.directory = str(self.site.root)  # answered from the root served by now
        fault = self._fault()
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if fault == "404":
            self.send_error(404, "Not Found (injected)")
            self._record(0)
            return
        if fault in ("truncate", "corrupt") and path.is_file():
            body = path.read_bytes()
            body = body[: len(body) // 3] if fault == "truncate" else body[:-200] + bytes(200)
            self._send_body(body, self.guess_type(str(path)))
            return
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if self.site.compress and wants_gzip and path.is_file() and path.suffix in COMPRESSIBLE:
            self._send_body(self.site.gzipped(path), self.guess_type(str(path)), "gzip")
            return
        super().do_GET()

    def copyfile(self, source: Any, outputfile: Any) -> None:
        before = source.tell() if hasattr(source, "tell") else 0
        super().copyfile(source, outputfile)
        after = source.tell() if hasattr(source, "tell") else 0
        self._record(after - before)


if __name__ == "__main__":
    server = SiteServer(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 8000)
    print(f"serving {sys.argv[1]} on {server.url}")
    server.thread.join()
