"""A crawl connects to the configured site and nowhere else (issue 14.5), even on a new machine.

The child crawl runs with an empty HOME and XDG cache (no cached public-suffix list, no jieba or Prefect
state) and a socket audit hook (sitecustomize) that logs every name lookup and connection; proxies point at a
logging proxy, so a library that honours them shows up there too. The farm site sets a Tomcat-style session
cookie, which is when Scrapy's cookie middleware asks tldextract whether the cookie's domain is public.
"""

from __future__ import annotations

import json
import socketserver
import threading

import pytest

from crawlers.run import crawl_site
from demo import server as farm_server
from demo.server import FarmServer
from pipelines.archive import read_archive

pytestmark = pytest.mark.slow
FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_START_DELAY": 0, "RETRY_BACKOFF_BASE": 0.05}
AUDIT_HOOK = '''
import json, os, sys

_log = open(os.environ["DANGJIAN_SOCKET_AUDIT"], "a", buffering=1)


def _audit(event, args):
    if event == "socket.getaddrinfo":
        _log.write(json.dumps({"lookup": str(args[0])}) + "\\n")
    elif event == "socket.connect" and isinstance(args[1], tuple):
        _log.write(json.dumps({"connect": [str(args[1][0]), args[1][1]]}) + "\\n")


sys.addaudithook(_audit)
'''


class LoggingProxy(socketserver.ThreadingTCPServer):
    """Writes down the first line of every request it gets (`CONNECT publicsuffix.org:443 …`) and refuses it."""

    daemon_threads = True

    def __init__(self):
        self.seen: list[str] = []
        super().__init__(("127.0.0.1", 0), ProxyHandler)


class ProxyHandler(socketserver.StreamRequestHandler):
    def handle(self):
        self.server.seen.append(self.rfile.readline().decode("latin-1").strip())
        self.wfile.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")


def with_session_cookie(end_headers):
    def end_headers_with_cookie(handler):
        handler.send_header("Set-Cookie", "JSESSIONID=8F3A2C; Path=/; HttpOnly")
        end_headers(handler)

    return end_headers_with_cookie


def test_a_crawl_on_a_new_machine_connects_only_to_the_site(tmp_path, monkeypatch):
    hook_dir, home = tmp_path / "hook", tmp_path / "home"
    hook_dir.mkdir()
    home.mkdir()
    (hook_dir / "sitecustomize.py").write_text(AUDIT_HOOK, encoding="utf-8")
    audit_log = tmp_path / "sockets.jsonl"
    proxy = LoggingProxy()
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    proxy_url = f"http://127.0.0.1:{proxy.server_address[1]}"
    monkeypatch.setattr(farm_server._Handler, "end_headers", with_session_cookie(farm_server._Handler.end_headers))
    for name in ("HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(home if name == "HOME" else home / name.lower()))
    for name in ("TLDEXTRACT_CACHE", "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(name, proxy_url)
    monkeypatch.setenv("PYTHONPATH", str(hook_dir))
    monkeypatch.setenv("DANGJIAN_SOCKET_AUDIT", str(audit_log))
    try:
        with FarmServer(sites=["party_school"]) as farm:
            site = farm.base_urls["party_school"]
            config = farm.write_site_configs(tmp_path / "sites")[0]
            # the farm itself is reached directly; every other host would go through the proxy
            settings = {**FAST, "HTTPPROXY_ENABLED": False}
            result = crawl_site(config, archive_dir=tmp_path / "archive", settings=settings, timeout=120)
            assert result.returncode == 0, (result.error, result.stats)
            assert any(page.kind == "article" for path in result.warc_paths for page in read_archive(path))
    finally:
        proxy.shutdown()
        proxy.server_close()
    events = [json.loads(line) for line in audit_log.read_text(encoding="utf-8").splitlines()]
    farm_host, farm_port = site.removeprefix("http://").split(":")
    outside = [event for event in events
               if event.get("lookup", farm_host) != farm_host or event.get("connect", [farm_host, int(farm_port)])
               != [farm_host, int(farm_port)]]
    assert events and outside == [], (outside, proxy.seen)
    assert proxy.seen == []
