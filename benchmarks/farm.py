"""A big generated site for the crawl benchmark: TRS-style columns of list pages and article pages.

Stories come from the demo's seeded generator (demo/text.py); pages are laid out the TRS WCM way
(`/colN/index.html`, `index_1.html` … written by `createPageHTML(...)`, articles at
`/colN/YYYYMM/tYYYYMMDD_ID.html`), so the crawler finds them through its CMS conventions alone.
Pages are rendered once into memory and served by a threaded http.server on 127.0.0.1 with keep-alive.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from demo.farm import TRS_PAGER_SCRIPT, esc
from demo.text import generate_story

SEED = 20210604
COLUMNS = 4
PER_LIST_PAGE = 20
WINDOW = (date(2019, 1, 1), date(2021, 6, 25))
SITE_TITLE = "示例县党建网"
ROBOTS = b"User-agent: *\nDisallow: /internal/\n"


@dataclass
class Farm:
    pages: dict[str, bytes]  # path -> UTF-8 HTML
    start_paths: list[str]
    article_paths: list[str]
    requests: Counter = field(default_factory=Counter)  # path -> times requested


def _chrome(title: str) -> tuple[str, str]:
    head = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(title)}_{SITE_TITLE}</title></head>'
        f'<body><div class="top"><div class="logo">{SITE_TITLE}</div><div class="nav"><a href="/">首页</a>'
        + "".join(f'<a href="/col{c}/index.html">栏目{c}</a>' for c in range(COLUMNS))
        + "</div></div>"
    )
    foot = f'<div class="footer">版权所有：{SITE_TITLE} 地址：临溪县政府路1号 备案号：示ICP备00000001号</div></body></html>'
    return head, foot


def _article_page(story, column: int) -> str:
    head, foot = _chrome(story.title)
    paragraphs = "".join(f"<p>{esc(text)}</p>" for text in story.paragraphs)
    return (
        f'{head}<div class="main"><div class="bread"><a href="/">首页</a> &gt; '
        f'<a href="../index.html">栏目{column}</a></div><h1>{esc(story.title)}</h1>'
        f'<div class="info">来源：{esc(story.source)} 发布时间：{story.published:%Y-%m-%d %H:%M}</div>'
        f'<div class="TRS_Editor">{paragraphs}</div></div>{foot}'
    )


def _list_page(column: int, number: int, total: int, items: list[tuple[str, object]]) -> str:
    head, foot = _chrome(f"栏目{column}")
    links = "".join(
        f'<li><a href="{href}" title="{esc(story.title)}">{esc(story.title)}</a>'
        f'<span class="date">{story.published:%Y-%m-%d}</span></li>'
        for href, story in items
    )
    return (
        f'{head}{TRS_PAGER_SCRIPT}<div class="list"><ul>{links}</ul><div class="page">'
        f'<script language="JavaScript">createPageHTML({total}, {number}, "index", "html");</script>'
        f"</div></div>{foot}"
    )


def build(article_count: int) -> Farm:
    """`article_count` articles spread over the columns, newest first on each column's list pages."""
    rng = random.Random(SEED)
    pages: dict[str, bytes] = {"/robots.txt": ROBOTS}
    columns: dict[int, list[tuple[str, object]]] = {c: [] for c in range(COLUMNS)}
    for number in range(article_count):
        column = number % COLUMNS
        story = generate_story(rng, f"bench-{number}", *WINDOW)
        path = f"/col{column}/{story.published:%Y%m}/t{story.published:%Y%m%d}_{100000 + number}.html"
        pages[path] = _article_page(story, column).encode("utf-8")
        columns[column].append((path, story))
    start_paths = []
    for column, entries in columns.items():
        entries.sort(key=lambda entry: entry[1].published, reverse=True)
        chunks = [entries[i : i + PER_LIST_PAGE] for i in range(0, len(entries), PER_LIST_PAGE)]
        for number, chunk in enumerate(chunks):
            path = f"/col{column}/index.html" if number == 0 else f"/col{column}/index_{number}.html"
            items = [(href.removeprefix(f"/col{column}/"), story) for href, story in chunk]
            pages[path] = _list_page(column, number, len(chunks), items).encode("utf-8")
        start_paths.append(f"/col{column}/index.html")
    return Farm(pages, start_paths, [path for entries in columns.values() for path, _ in entries])


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers offer it

    def do_GET(self) -> None:
        farm: Farm = self.server.farm
        path = urlsplit(self.path).path
        farm.requests[path] += 1
        body = farm.pages.get(path)
        status = 200 if body is not None else 404
        body = body if body is not None else b"not found"
        self.send_response(status)
        kind = "text/plain" if path.endswith(".txt") or status == 404 else "text/html; charset=utf-8"
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # the request counter replaces stderr chatter
        pass


class FarmServer:
    """`with FarmServer(farm) as server:` serves `farm` at `server.base_url` until the block ends."""

    def __init__(self, farm: Farm) -> None:
        self.farm = farm
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.farm = farm
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="bench-farm", daemon=True)

    def __enter__(self) -> FarmServer:
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()
