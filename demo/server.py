"""Serve the demo farm on 127.0.0.1: one ThreadingHTTPServer per site, each on its own port and thread.

    with FarmServer() as farm:                 # every site, free ports
        farm.base_urls["party_school"]         # "http://127.0.0.1:PORT"
        farm.truth("party_school")             # the articles a perfect crawl finds
        farm.requests                          # every request the sites received

`python -m demo.server --ports-from config/demo` serves the demo sites on the ports of those configs until
interrupted. `FarmServer.for_demo()` (what `make demo` runs) prefers those ports and takes a free one for a
site whose port is busy; `write_demo_configs` then writes the bundled configs with the running server's URLs. `faults` lets reliability tests make a path fail (`Fault.error`, `Fault.slow`, ...).
"""

from __future__ import annotations

import argparse
import errno
import hashlib
import socket
import struct
import sys
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Literal, NamedTuple
from urllib.parse import unquote, urlsplit

import yaml

from demo.coverage import ALL_BUILDERS
from demo.farm import SITE_NAMES, ExpectedArticle, Site, absolute_truth, build_farm
from demo.holdout import HOLDOUT_BUILDERS
from demo.holdout2 import HOLDOUT2_BUILDERS
from demo.holdout3 import HOLDOUT3_BUILDERS
from demo.holdout4 import HOLDOUT4_BUILDERS
from demo.holdout5 import HOLDOUT5_BUILDERS
from demo.holdout6 import HOLDOUT6_BUILDERS

SERVED_BUILDERS = {**ALL_BUILDERS, **HOLDOUT_BUILDERS, **HOLDOUT2_BUILDERS, **HOLDOUT3_BUILDERS, **HOLDOUT4_BUILDERS,
                   **HOLDOUT5_BUILDERS, **HOLDOUT6_BUILDERS}  # every site a FarmServer can serve by name

DEMO_CONFIG_DIR = Path(__file__).resolve().parent.parent / "config" / "demo"
DEMO_TIMEZONE = "Asia/Shanghai"
LAST_MODIFIED = "Fri, 25 Jun 2021 08:00:00 GMT"  # the farm is a snapshot: every page last changed then


class RequestLogEntry(NamedTuple):
    site: str
    method: str
    path: str  # path with query, as requested
    status: int  # 0 when the connection was reset or left hanging
    headers: dict[str, str]  # request headers, lower-case names


@dataclass(frozen=True)
class Fault:
    """How a path misbehaves; `times` requests are hit, then it recovers (None: never recovers).

    error: that status with a short error body · slow: answer after `delay` · hang: close without an answer
    after `delay` · reset: RST instead of an answer · truncate: half the declared body, then close ·
    redirect: 302 to `location` (two paths redirecting to each other make a loop) · error_page: 200 with a
    "system busy" page instead of the article · oversize: `size` bytes of padding (Content-Length sent only
    with `declare_length`) · gzip_bomb: a small gzip body declared `Content-Encoding: gzip` that inflates to
    `size` bytes · mislabel: the real body under a lying `content_type` header.
    """

    kind: Literal["error", "slow", "hang", "reset", "truncate", "redirect", "error_page", "oversize",
                  "gzip_bomb", "mislabel"]
    status: int = 500
    delay: float = 1.0
    times: int | None = 1
    location: str = "/"
    size: int = 0
    declare_length: bool = True
    content_type: str = "text/html; charset=utf-8"

    @classmethod
    def error(cls, status: int = 500, times: int | None = 1) -> Fault:
        return cls("error", status=status, times=times)

    @classmethod
    def slow(cls, delay: float, times: int | None = None) -> Fault:
        return cls("slow", delay=delay, times=times)

    @classmethod
    def redirect(cls, location: str, times: int | None = None) -> Fault:
        return cls("redirect", status=302, location=location, times=times)

    @classmethod
    def error_page(cls, times: int | None = 1) -> Fault:
        return cls("error_page", status=200, times=times)

    @classmethod
    def oversize(cls, size: int = 50 * 2**20, declare_length: bool = True, times: int | None = None) -> Fault:
        return cls("oversize", status=200, size=size, declare_length=declare_length, times=times)

    @classmethod
    def gzip_bomb(cls, size: int = 2 * 2**30, times: int | None = None) -> Fault:
        return cls("gzip_bomb", status=200, size=size, times=times)

    @classmethod
    def mislabel(cls, content_type: str, times: int | None = None) -> Fault:
        return cls("mislabel", content_type=content_type, times=times)


ERROR_PAGE = ("<html><head><title>系统繁忙</title></head><body><div class=\"error\"><h1>系统繁忙,请稍后再试</h1>"
              "<p>Service temporarily unavailable.</p></div></body></html>").encode()
PADDING_CHUNK = b"<p>" + b"x" * 65530 + b"</p>"  # what an oversize body repeats
BOMB_BLOCK = 2**20  # a gzip bomb repeats the deflate of this many zero bytes


@cache
def gzip_bomb(size: int) -> bytes:
    """A valid gzip file of about size/1000 bytes that inflates to `size` (a multiple of 1 MiB) zero bytes.

    A full flush ends each block byte-aligned with an empty dictionary, so the deflate of one MiB of zeros
    can be repeated instead of compressing gigabytes.
    """
    blocks = max(1, size // BOMB_BLOCK)
    zeros = bytes(BOMB_BLOCK)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(blocks):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, (blocks * BOMB_BLOCK) & 0xFFFFFFFF)
    return header + block * blocks + compressor.flush() + trailer


# (site, path with query) -> Fault, or a callable deciding per request
Faults = Mapping[tuple[str, str], Fault] | Callable[[str, str], Fault | None]


def site_config(name: str, base_url: str, start_paths: tuple[str, ...]) -> dict:
    """The least a site config may say: the spider has to work the rest out itself.

    The one addition is `download_delay: 0`: politeness towards our own loopback server only slows tests down.
    """
    return {"name": name, "start_urls": [base_url + path for path in start_paths], "timezone": DEMO_TIMEZONE,
            "download_delay": 0}


def demo_config_paths(directory: Path = DEMO_CONFIG_DIR) -> list[Path]:
    return sorted(Path(directory).glob("*.yaml"))


def ports_from_configs(directory: Path = DEMO_CONFIG_DIR) -> dict[str, int]:
    """Site name -> the port its config's first start URL names."""
    ports = {}
    for path in demo_config_paths(directory):
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
        port = urlsplit(config["start_urls"][0]).port
        if port is None:
            raise ValueError(f"{path}: start_urls: give an explicit port, e.g. http://127.0.0.1:18601/")
        ports[config["name"]] = port
    return ports


SHUTDOWN_POLL_S = 0.1  # how soon a site's server loop sees close(); socketserver's default is 0.5 s


class FarmServer:
    """The farm's sites served on 127.0.0.1 (or `host`, e.g. a test's veth address) for the life of a `with` block."""

    def __init__(
        self,
        sites: list[str] | None = None,
        ports: dict[str, int] | None = None,
        faults: Faults | None = None,
        any_free_port: bool = False,
        host: str = "127.0.0.1",
    ):
        self.host = host
        self.names = list(sites or SITE_NAMES)
        self.ports = dict(ports or {})
        self.any_free_port = any_free_port  # a busy port in `ports` is only a preference: take a free one
        self.moved: dict[str, int] = {}  # site -> its preferred port, where that was busy
        self.faults = faults
        self.base_urls: dict[str, str] = {}
        self.requests: list[RequestLogEntry] = []
        self._sites: dict[str, Site] = {}
        self._servers: list[_SiteServer] = []
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._fault_hits: Counter[tuple[str, str]] = Counter()

    @classmethod
    def for_demo(cls, faults: Faults | None = None) -> FarmServer:
        """The sites of config/demo/*.yaml, on their configs' ports where those are free (a rerun then finds
        its articles under the same URLs), else on any free port."""
        ports = ports_from_configs()
        return cls(sites=list(ports), ports=ports, faults=faults, any_free_port=True)

    def __enter__(self) -> FarmServer:
        try:
            for name in self.names:
                server = self._bind(name)
                server.farm, server.site_name = self, name
                self._servers.append(server)
                self.base_urls[name] = f"http://{self.host}:{server.server_port}"
            self._sites = build_farm(self.base_urls, SERVED_BUILDERS)
        except BaseException:
            self.close()
            raise
        for server in self._servers:
            thread = threading.Thread(
                target=server.serve_forever, args=(SHUTDOWN_POLL_S,), name=f"farm-{server.site_name}", daemon=True
            )
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _bind(self, name: str) -> _SiteServer:
        port = self.ports.get(name, 0)
        try:
            return _SiteServer((self.host, port), _Handler)
        except OSError as exc:
            if not (self.any_free_port and port and exc.errno == errno.EADDRINUSE):
                raise
        self.moved[name] = port
        return _SiteServer((self.host, 0), _Handler)

    def close(self) -> None:
        # All at once: each serve_forever notices its shutdown request only at its next poll, so one site after
        # another (at the default 0.5 s poll) made closing a farm of ten sites take seconds.
        stopping = [threading.Thread(target=server.shutdown, daemon=True)
                    for server, _ in zip(self._servers, self._threads, strict=False)]
        for stopper in stopping:
            stopper.start()
        for thread in (*stopping, *self._threads):
            thread.join()
        for server in self._servers:
            server.server_close()
        self._servers, self._threads = [], []

    def site(self, name: str) -> Site:
        return self._sites[name]

    def site_config(self, name: str) -> dict:
        return site_config(name, self.base_urls[name], self._sites[name].start_paths)

    def write_site_configs(self, directory: Path) -> list[Path]:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        paths = []
        for name in self.names:
            path = directory / f"{name}.yaml"
            path.write_text(
                yaml.safe_dump(self.site_config(name), allow_unicode=True, sort_keys=False), encoding="utf-8"
            )
            paths.append(path)
        return paths

    def write_demo_configs(self, directory: Path, bundled: Path = DEMO_CONFIG_DIR) -> list[Path]:
        """The bundled demo configs as they are, their start URLs on this server's ports."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        paths = []
        for path in demo_config_paths(bundled):
            config = yaml.safe_load(path.read_text(encoding="utf-8"))
            base = self.base_urls[config["name"]]
            config["start_urls"] = [base + urlsplit(url)._replace(scheme="", netloc="").geturl()
                                    for url in config["start_urls"]]
            written = directory / path.name
            written.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
            paths.append(written)
        return paths

    def truth(self, name: str) -> list[ExpectedArticle]:
        return absolute_truth(self._sites[name], self.base_urls[name])

    def requested_paths(self, name: str) -> list[str]:
        with self._lock:
            return [entry.path for entry in self.requests if entry.site == name]

    def _log(self, entry: RequestLogEntry) -> None:
        with self._lock:
            self.requests.append(entry)

    def _fault(self, site: str, target: str) -> Fault | None:
        if self.faults is None:
            return None
        key = (site, target)
        fault = self.faults(site, target) if callable(self.faults) else self.faults.get(key)
        if fault is None:
            return None
        with self._lock:
            self._fault_hits[key] += 1
            hits = self._fault_hits[key]
        return fault if fault.times is None or hits <= fault.times else None


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    farm: FarmServer
    site_name: str

    def handle_error(self, request, client_address) -> None:
        """A client hanging up (its timeout or size cap, a fault test) is expected; anything else is printed."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _SiteServer

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def do_POST(self) -> None:
        """Sites with a `post(target, body)` (demo/holdout.py) answer POSTs; the others 405."""
        self._post_body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._respond(send_body=True)

    def log_message(self, format: str, *args) -> None:  # the request log replaces stderr chatter
        pass

    def _respond(self, send_body: bool) -> None:
        farm, site = self.server.farm, self.server.site_name
        headers = {key.lower(): value for key, value in self.headers.items()}
        fault = farm._fault(site, self.path)
        if fault and fault.kind in ("slow", "hang"):
            time.sleep(fault.delay)
        if fault and fault.kind in ("hang", "reset"):
            self._abort(reset=fault.kind == "reset")
            farm._log(RequestLogEntry(site, self.command, self.path, 0, headers))
            return
        if fault and fault.kind == "oversize":
            farm._log(RequestLogEntry(site, self.command, self.path, 200, headers))
            self._send_padding(fault, send_body)
            return
        status, content_type, body, extra_headers = self._content(fault)
        etag = f'"{hashlib.sha1(body).hexdigest()[:16]}"'
        if status == 200 and _not_modified(headers, etag):
            status, body = 304, b""
        farm._log(RequestLogEntry(site, self.command, self.path, status, headers))  # before the client sees it
        self.send_response(status)
        self.send_header("Content-Type", fault.content_type if fault and fault.kind == "mislabel" else content_type)
        self.send_header("Content-Length", str(len(body)))
        if status in (200, 304):
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", LAST_MODIFIED)
        if status == 503:
            self.send_header("Retry-After", "1")
        if fault and fault.kind == "redirect":
            self.send_header("Location", fault.location)
        for name, value in extra_headers:
            self.send_header(name, value)
        if fault and fault.kind == "gzip_bomb":
            self.send_header("Content-Encoding", "gzip")
        if fault and fault.kind == "truncate":
            self.send_header("Connection", "close")
        self.end_headers()
        if send_body:
            self.wfile.write(body[: len(body) // 2] if fault and fault.kind == "truncate" else body)
        if fault and fault.kind == "truncate":
            self.close_connection = True

    def _content(self, fault: Fault | None) -> tuple[int, str, bytes, tuple[tuple[str, str], ...]]:
        """Status, Content-Type, body and the resource's own headers, before conditional GETs and faults."""
        if fault and fault.kind == "error":
            return fault.status, "text/html; charset=utf-8", b"<h1>Server Error</h1>", ()
        if fault and fault.kind == "redirect":
            return fault.status, "text/html; charset=utf-8", b"", ()
        if fault and fault.kind == "error_page":
            return 200, "text/html; charset=utf-8", ERROR_PAGE, ()
        if fault and fault.kind == "gzip_bomb":
            return 200, "text/html; charset=utf-8", gzip_bomb(fault.size), ()
        site = self.server.farm.site(self.server.site_name)
        if self.command == "POST":
            post = getattr(site, "post", None)
            resource = post(unquote(self.path), self._post_body) if post else None
            if resource is None:
                return 405, "text/html; charset=utf-8", b"<h1>405 Method Not Allowed</h1>", ()
            return resource.status, resource.content_type, resource.body, resource.headers
        resource = site.resource(unquote(self.path))
        if resource is None:
            return 404, "text/html; charset=utf-8", b"<h1>404 Not Found</h1>", ()
        return resource.status, resource.content_type, resource.body, resource.headers

    def _send_padding(self, fault: Fault, send_body: bool) -> None:
        """`fault.size` bytes streamed in chunks, until the client hangs up (it should, at its size cap)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if fault.declare_length:
            self.send_header("Content-Length", str(fault.size))
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        sent = 0
        try:
            while send_body and sent < fault.size:
                chunk = PADDING_CHUNK[: fault.size - sent]
                self.wfile.write(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _abort(self, reset: bool) -> None:
        if reset:  # linger 0: close() sends RST instead of FIN
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True


def _not_modified(headers: dict[str, str], etag: str) -> bool:
    if "if-none-match" in headers:
        return etag in headers["if-none-match"]
    if "if-modified-since" in headers:
        try:
            return parsedate_to_datetime(headers["if-modified-since"]) >= parsedate_to_datetime(LAST_MODIFIED)
        except (TypeError, ValueError):
            return False
    return False


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the demo farm on 127.0.0.1 until interrupted.")
    parser.add_argument(
        "--ports-from",
        type=Path,
        metavar="DIR",
        help="serve the sites of DIR/*.yaml on the ports their start URLs name",
    )
    parser.add_argument("--sites", nargs="*", choices=list(SERVED_BUILDERS),
                        help="only these sites (free ports; the coverage and held-out sites too)")
    args = parser.parse_args(argv)
    ports = ports_from_configs(args.ports_from) if args.ports_from else {}
    with FarmServer(sites=args.sites or list(ports) or None, ports=ports) as farm:
        for name, url in farm.base_urls.items():
            print(f"{name:14} {url}{farm.site(name).start_paths[0]}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
