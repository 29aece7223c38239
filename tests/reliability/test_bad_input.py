"""Bad input: random and hostile pages, dates, config files and text that looks like SQL or shell.

Fuzzing asserts outcomes only (a result or a recorded ExtractionError); a hang is caught by a watchdog
that fails the example, not by timing it.
"""

from __future__ import annotations

import ast
import json
import shutil
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawlers.site_config import load_site_config
from pipelines.config import ConfigError
from pipelines.dates import parse_date_text
from pipelines.export import write_rows
from pipelines.extract import ExtractionError, extract_page
from pipelines.records import Article, FetchedPage
from pipelines.store import Store

REPO = Path(__file__).resolve().parents[2]
DANGJIAN = str(Path(sys.executable).parent / "dangjian")
HANG_SECONDS = 60  # far beyond any real page: only a hang reaches it
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@contextmanager
def watchdog(seconds: int = HANG_SECONDS):
    def hung(*_):
        raise TimeoutError(f"no answer within {seconds}s: a hang")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def extract_or_refuse(body: bytes, content_type: str | None = None):
    headers = {"content-type": content_type} if content_type else {}
    with watchdog():
        try:
            return extract_page(FetchedPage(url="http://127.0.0.1/fuzz.html", body=body, headers=headers))
        except ExtractionError as exc:
            return exc


# --- extraction --------------------------------------------------------------------------------------------

words = st.text(alphabet="党建学习教育支部会议通知<>/=\"' &;#x0123456789abcdef\n", max_size=60)
tags = st.sampled_from(["div", "p", "table", "td", "span", "a", "li", "script", "style", "h1", "font", "b"])


@st.composite
def html_pages(draw) -> bytes:
    depth = draw(st.integers(0, 3000))
    tag = draw(tags)
    attribute = draw(st.sampled_from(["", " class=\"", " title='", " style=\"x:"]))
    huge = attribute + "党" * draw(st.integers(0, 200_000)) if attribute else ""
    middle = draw(words)
    html = f"<html><head><title>{draw(words)}</title></head><body>" + f"<{tag}{huge}>" * depth + middle
    html += f"</{tag}>" * draw(st.integers(0, depth)) + draw(words)
    encoding = draw(st.sampled_from(["utf-8", "gbk", "gb18030", "utf-16", "big5"]))
    return html.encode(encoding, errors="replace")


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes_give_an_article_or_an_extraction_error(body):
    result = extract_or_refuse(body)
    assert isinstance(result, ExtractionError) or isinstance(result.body, str)


@FUZZ
@given(html_pages(), st.sampled_from([None, "text/html; charset=utf-8", "text/html; charset=gbk",
                                      "text/html; charset=no-such-codec", "image/png"]))
def test_deep_nesting_huge_attributes_and_wrong_charsets_give_an_answer(body, content_type):
    result = extract_or_refuse(body, content_type)
    assert isinstance(result, ExtractionError) or isinstance(result.body, str)


@pytest.mark.parametrize("body", [
    b"<html><body>" + b"<div>" * 100_000 + "党建".encode() + b"</div>" * 100_000 + b"</body></html>",
    b"<html><body><p title='" + b"x" * 5_000_000 + b"'>text</p></body></html>",
    b"<html><head><meta charset='utf-7'></head><body>+ZeVnBw-</body></html>",
    b"\xff\xfe" + "<html><body>党建</body></html>".encode("utf-16-le"),
    b"<html><body>" + "党建工作".encode("gbk") + b"\xff\xff\xff" * 1000 + b"</body></html>",
], ids=["100k nested divs", "5 MB attribute", "utf-7 meta", "utf-16 BOM", "invalid gbk run"])
def test_hostile_pages_give_an_answer(body):
    result = extract_or_refuse(body)
    assert isinstance(result, ExtractionError) or isinstance(result.body, str)


@FUZZ
@given(st.text(max_size=300))
def test_any_text_gives_a_date_or_none(text):
    with watchdog():
        guess = parse_date_text(text)
    assert guess is None or guess.value.tzinfo is not None


@FUZZ
@given(st.from_regex(r"(19|20|99)\d{2}[-年/.]\d{1,3}[-月/.]\d{1,3}日?( \d{1,2}:\d{1,2}(:\d{1,2})?)?", fullmatch=True))
def test_date_shaped_text_with_impossible_fields_gives_a_date_or_none(text):
    with watchdog():
        guess = parse_date_text(text)
    assert guess is None or 1 <= guess.value.month <= 12


def test_the_extract_command_answers_every_bad_file_on_its_own_line(tmp_path):
    bad = [tmp_path / "empty.html", tmp_path / "binary.html", tmp_path / "nested.html"]
    bad[0].write_bytes(b"")
    bad[1].write_bytes(bytes(range(256)) * 64)
    bad[2].write_bytes(b"<html><body>" + b"<div>" * 50_000 + b"</body></html>")
    child = subprocess.run([DANGJIAN, "extract", "--json", *map(str, bad)], capture_output=True, text=True,
                           cwd=REPO, timeout=300)
    assert child.returncode == 0, child.stderr
    answers = [json.loads(line) for line in child.stdout.splitlines()]
    assert [answer["path"] for answer in answers] == [str(path) for path in bad]
    assert "error" in answers[0] and "error" in answers[1]


# --- config files -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "key"), [
    ("name: s\nstart_urls: [http://127.0.0.1:1/]\nconcurrency: many\n", "concurrency"),
    ("name: s\nstart_urls: [http://127.0.0.1:1/]\ndownload_delay: [1]\n", "download_delay"),
    ("name: s\nstart_urls: http://127.0.0.1:1/\n", "start_urls"),
    ("name: s\nstart_urls: [http://127.0.0.1:1/]\nstart_url: [http://127.0.0.1:2/]\n", "start_url: unknown key"),
    ("name: s\nstart_urls: [http://127.0.0.1:1/]\ntimezone: Mars/Olympus\n", "timezone"),
    ("name: s\nstart_urls: [http://127.0.0.1:1/]\nencoding: klingon\n", "encoding"),
    ("name: s\nstart_urls: [http://127.0.0.1:1/]\narticle_url_pattern: '('\n", "article_url_pattern"),
    ("name: \"s; rm -rf ~\"\nstart_urls: [http://127.0.0.1:1/]\n", "name"),
    ("- just\n- a list\n", "expected a mapping"),
    ("name: s\n  start_urls: [oops\n", "not valid YAML"),
])
def test_a_bad_site_config_names_the_file_and_the_key(tmp_path, text, key):
    path = tmp_path / "site.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_site_config(path)
    assert str(raised.value).startswith(f"{path}: ") and key in str(raised.value)


def test_the_cli_exits_2_naming_the_file_and_every_bad_key(tmp_path):
    path = tmp_path / "site.yaml"
    path.write_text("name: s\nstart_urls: [http://127.0.0.1:1/]\nconcurrency: many\nretries: 3\n", encoding="utf-8")
    child = subprocess.run([DANGJIAN, "crawl", "--config", str(path)],
                           capture_output=True, text=True, cwd=REPO, timeout=120)
    assert child.returncode == 2
    assert str(path) in child.stderr and "concurrency" in child.stderr and "retries: unknown key" in child.stderr


@pytest.fixture
def settings_file(tmp_path, monkeypatch):
    """A private config dir whose settings.yaml each test writes; the cached settings are dropped around it."""
    from pipelines import config

    config_dir = tmp_path / "config"
    shutil.copytree(REPO / "config", config_dir)
    monkeypatch.setenv("DANGJIAN_CONFIG_DIR", str(config_dir))
    config.settings.cache_clear()
    yield config_dir / "settings.yaml"
    config.settings.cache_clear()


@pytest.mark.parametrize(("text", "key"), [
    ("flows:\n  concurrency: many\n", "flows.concurrency"),
    ("flows:\n  concurency: 2\n", "flows.concurency: unknown key"),
    ("flows:\n  crawl_retries: -1\n", "flows.crawl_retries"),
    ("schedul:\n  cron: '0 2 * * *'\n", "schedul: unknown key"),
    ("schedule:\n  timezone: Mars/Olympus\n", "schedule.timezone"),
    ("timezone: 8\n", "timezone"),
    ("crawl:\n  frontier: http://127.0.0.1:6379/0\n", "crawl.frontier"),
    ("archive: s3://bucket\n", "archive"),
    ("- just\n- a list\n", "expected a mapping"),
])
def test_a_bad_settings_file_names_the_file_and_the_key(settings_file, text, key):
    from pipelines.config import settings

    settings_file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        settings()
    assert str(raised.value).startswith(f"{settings_file}: ") and key in str(raised.value)


def test_empty_settings_and_empty_blocks_mean_the_documented_defaults(settings_file):
    from pipelines.config import settings

    settings_file.write_text("# nothing set\narchive:\nflows:\n  concurrency: 3\n", encoding="utf-8")
    loaded = settings()
    assert (loaded.flows.concurrency, loaded.flows.crawl_retries, loaded.archive.url) == (3, 1, None)
    assert (loaded.schedule.cron, loaded.schedule_timezone) == ("0 2 * * *", "Asia/Shanghai")


@pytest.mark.parametrize(("text", "key"), [
    ("flows:\n  concurrency: 0\n", "flows.concurrency"),
    ("schedule:\n  cron: every night\n", "schedule.cron"),
])
def test_the_cli_refuses_bad_settings_with_exit_2(settings_file, text, key):
    settings_file.write_text(text, encoding="utf-8")
    child = subprocess.run([DANGJIAN, "serve"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert child.returncode == 2, child.stderr
    assert str(settings_file) in child.stderr and key in child.stderr


# --- injection ------------------------------------------------------------------------------------------------

HOSTILE = [
    "'; DROP TABLE articles; --",
    "Robert'); DELETE FROM sites WHERE ('1'='1",
    '" OR 1=1 -- "',
    "$(touch /tmp/dangjian-injected) `touch /tmp/dangjian-injected` ; rm -rf / #",
    "党建 %s %(name)s {0} \\x00 \\' \\\"",
]


def test_hostile_names_urls_and_text_are_stored_verbatim_and_never_executed(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    site = HOSTILE[0]
    articles = [Article(url=f"http://127.0.0.1/a?q={quoted}&n={n}", title=quoted, source=quoted, authors=[quoted],
                        body=f"{quoted}\n\n" + f"第{n}篇正文内容,支部组织学习。" * 20)
                for n, quoted in enumerate(HOSTILE)]
    assert store.load(articles, site=site).new == len(HOSTILE)
    rows = {row["url"]: row for row in store.export_rows(all_copies=True, site=site)}
    for article in articles:
        row = rows[article.url]
        assert (row["title"], row["source"], row["authors"], row["site"]) == (
            article.title, article.source, article.authors, site)
        assert row["body"].startswith(article.title)
    for fmt in ("jsonl", "csv"):
        with (tmp_path / f"out.{fmt}").open("w", encoding="utf-8", newline="") as handle:
            assert write_rows(store.export_rows(all_copies=True), handle, fmt) == len(HOSTILE)
        written = (tmp_path / f"out.{fmt}").read_text(encoding="utf-8")
        assert HOSTILE[0] in written and HOSTILE[3] in written
    for query in HOSTILE:
        store.search(query)  # quotes and operators are words to look for, not query syntax
    assert len(store.known_urls(site)) == len(HOSTILE)  # every table still there, nothing deleted
    assert not Path("/tmp/dangjian-injected").exists()


def test_no_code_runs_a_shell():
    """Site names, URLs and page text never reach a shell: no shell=True, os.system or os.popen anywhere.
    (SQL is parametrized: the injection test above is the proof, not a source scan.)"""
    offences = []
    for path in sorted(p for package in ("pipelines", "crawlers", "flows", "demo") for p in (REPO / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func)
            if name in ("os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput"):
                offences.append(f"{path.name}:{node.lineno} {name}")
            if any(k.arg == "shell" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
                   for k in node.keywords):
                offences.append(f"{path.name}:{node.lineno} shell=")
    assert offences == []
