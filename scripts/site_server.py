"""A small static server for a built site, for the browser tests and the benchmarks.

Python's threaded ``http.server`` with these additions:

* a log of every request, its status and the body bytes sent for it (``requests``,
  ``statuses``, ``sent``);
* per-path faults (``faults``: path regex -> "404" | "truncate" | "corrupt" | "silent"), so
  failure tests meet a real server answering badly ("silent" answers an empty script: a worker
  that loads and never says a word);
* optional compression, for benchmarks that must see the bytes a real host would send:
  ``compress="gzip"`` gzips the types a static host compresses, on the fly (GitHub Pages);
  ``compress="br"`` sends a file's precompressed ``.br`` (or ``.gz``) sibling when there is one
  and the browser accepts it, and brotli-compresses the other such types on the fly, as nginx
  does with ``brotli_static``/``gzip_static`` and ``brotli on`` (Python ``brotli``);
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

import email.utils
import functools
import gzip
import http.server
import os
import re
import sys
import threading
from pathlib import Path
from typing import Any

#: What static hosts (GitHub Pages, Netlify, Cloudflare Pages) compress on the fly; never zip or whl.
COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".wasm", ".svg", ".xml", ".txt")
#: Brotli quality for on-the-fly compression (nginx's brotli_comp_level default is 6).
BROTLI_ON_THE_FLY = 6


class SiteServer:
    """Serve one folder on 127.0.0.1 with a request log, faults and optional gzip."""

    def __init__(
        self, root: Path, port: int = 0, *, compress: str | bool = False, host_headers: bool = False
    ) -> None:
        self.root = root
        self.compress: str | bool = compress  # False, "gzip" (or True) or "br"
        self.host_headers = host_headers  # apply the site's _headers file, as Netlify would
        self.requests: list[str] = []
        self.sent: list[tuple[str, int]] = []
        self.faults: dict[str, str] = {}
        self.statuses: list[tuple[str, int]] = []
        self.holds: dict[str, threading.Event] = {}
        self.offline = False
        self._compressed: dict[tuple[Path, str], bytes] = {}
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
        self._compressed.clear()
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

    def compressed(self, path: Path, encoding: str) -> bytes:
        """``path`` compressed on the fly (gzip 6, or brotli at BROTLI_ON_THE_FLY), cached."""
        key = (path, encoding)
        with self._lock:
            if key not in self._compressed:
                data = path.read_bytes()
                if encoding == "br":
                    import brotli

                    self._compressed[key] = bytes(brotli.compress(data, quality=BROTLI_ON_THE_FLY))
                else:
                    self._compressed[key] = gzip.compress(data, compresslevel=6, mtime=0)
            return self._compressed[key]

    def encode(self, path: Path, accepted: str) -> tuple[bytes, str] | None:
        """The body and Content-Encoding this host sends for ``path``, or None to send it as is."""
        accepts = {token.split(";")[0].strip() for token in accepted.split(",")}
        if self.compress == "br":
            for encoding in ("br", "gzip"):
                sibling = path.with_name(path.name + (".br" if encoding == "br" else ".gz"))
                if encoding in accepts and sibling.is_file():
                    return sibling.read_bytes(), encoding
        if path.suffix not in COMPRESSIBLE:
            return None
        for encoding in ("br",) if self.compress == "br" else ("gzip",) if self.compress else ():
            if encoding in accepts:
                return self.compressed(path, encoding), encoding
        if self.compress == "br" and "gzip" in accepts:
            return self.compressed(path, "gzip"), "gzip"
        return None

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

    def _send_body(
        self, body: bytes, content_type: str, encoding: str | None = None, modified: float | None = None
    ) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if modified is not None:
            self.send_header("Last-Modified", self.date_time_string(int(modified)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self._record(len(body))  # before writing: a client may read the log as soon as it has the body
        self.wfile.write(body)

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
        if fault == "silent":
            self._send_body(b"", "text/javascript")
            return
        if fault in ("truncate", "corrupt") and path.is_file():
            body = path.read_bytes()
            body = body[: len(body) // 3] if fault == "truncate" else body[:-200] + bytes(200)
            self._send_body(body, self.guess_type(str(path)))
            return
        encoded = self.site.encode(path, self.headers.get("Accept-Encoding", "")) if path.is_file() else None
        if self.site.compress and encoded:
            modified = path.stat().st_mtime
            since = self.headers.get("If-Modified-Since")
            if since and "If-None-Match" not in self.headers:
                try:
                    fresh = email.utils.parsedate_to_datetime(since).timestamp() >= int(modified)
                except (TypeError, ValueError, IndexError, OverflowError):
                    fresh = False
                if fresh:  # as SimpleHTTPRequestHandler answers for the files it sends itself
                    self.send_response(304)
                    self.end_headers()
                    self._record(0)
                    return
            self._send_body(encoded[0], self.guess_type(str(path)), encoded[1], modified)
            return
        super().do_GET()

    def copyfile(self, source: Any, outputfile: Any) -> None:
        self._record(os.fstat(source.fileno()).st_size - source.tell())  # before writing, as above
        super().copyfile(source, outputfile)


if __name__ == "__main__":
    server = SiteServer(
        Path(sys.argv[1]),
        int(sys.argv[2]) if len(sys.argv) > 2 else 8000,
        compress=os.environ.get("SITE_SERVER_COMPRESS", "") or False,
    )
    print(f"serving {sys.argv[1]} on {server.url}")
    server.thread.join()
