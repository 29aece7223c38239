"""The `dangjian` command as a user runs it: a real process, real files, real exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DANGJIAN = Path(sys.executable).parent / "dangjian"

ARTICLE_HTML = """<html><head><meta charset="gbk"><title>基层党建工作推进会召开-某某党建网</title></head><body>
<div class="nav">首页 &gt;&gt; 党建动态 &gt;&gt; 工作要闻</div>
<h1>基层党建工作推进会召开</h1>
<div class="info">来源:组织部 发布时间:2024-03-15 09:30 【字体:大 中 小】</div>
<div class="content">
<p>三月十五日上午，全区基层党建工作推进会在区委会议中心召开，会议总结了上一年度基层党建工作情况。</p>
<p>会议要求，各级党组织要把抓基层、打基础作为长远之计和固本之举，推动基层党组织全面进步全面过硬。</p>
<p>会上，五个基层党组织书记围绕党建引领基层治理作了交流发言，与会同志进行了深入讨论。</p>
</div>
<div class="share">分享到: 微信 微博</div><div>责任编辑:王 芳</div>
</body></html>"""


def run(*args: str, env: dict | None = None, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([str(DANGJIAN), *args], capture_output=True, text=True, timeout=300, cwd=cwd,
                          env={**os.environ, **(env or {})})


@pytest.fixture
def pages(tmp_path) -> list[Path]:
    gbk = tmp_path / "gbk.html"
    gbk.write_bytes(ARTICLE_HTML.encode("gbk"))
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 64)
    return [gbk, empty, junk, gbk]


def test_extract_prints_one_line_per_input_in_order_and_errors_do_not_stop_the_batch(pages):
    result = run("extract", "--json", *map(str, pages))

    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["path"] for line in lines] == [str(p) for p in pages]
    first, empty, junk, again = lines
    assert first["title"] == "基层党建工作推进会召开"
    assert first["published_at"] == "2024-03-15T09:30:00+08:00"
    assert first["source"] == "组织部"
    assert "王芳" in first["editors"]
    assert "分享到" not in first["body"] and "字体" not in first["body"]
    assert "error" in empty and "error" in junk
    assert again == first


def test_extract_spreads_many_files_over_processes_keeping_input_order(tmp_path):
    paths = []
    for i in range(12):
        path = tmp_path / f"page{i:02d}.html"
        path.write_text(ARTICLE_HTML.replace("基层党建工作推进会召开", f"第{i}次推进会召开"), encoding="utf-8")
        paths.append(path)

    result = run("extract", "--json", "--workers", "2", *map(str, paths))

    titles = [json.loads(line)["title"] for line in result.stdout.splitlines()]
    assert titles == [f"第{i}次推进会召开" for i in range(12)]


@pytest.mark.parametrize("command", ["extract", "crawl", "backfill", "reprocess", "ingest-text", "export",
                                     "search", "stats", "sites", "serve", "demo", "reindex"])
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout


def test_usage_errors_exit_2_and_name_the_problem(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nstart_urls: 5\nbogus_key: 1\n", encoding="utf-8")

    no_sites = run("crawl")
    bad_config = run("crawl", "--config", str(bad))
    bad_date = run("backfill", "--since", "last tuesday", "--config", str(bad))

    assert no_sites.returncode == 2 and "--site" in no_sites.stderr
    assert bad_config.returncode == 2 and str(bad) in bad_config.stderr
    assert bad_date.returncode == 2 and "YYYY-MM-DD" in bad_date.stderr


def test_sites_check_shows_what_the_spider_would_take_from_a_saved_list_page(tmp_path):
    import urllib.request

    from demo.server import FarmServer

    with FarmServer(sites=["university"]) as farm:
        [config] = farm.write_site_configs(tmp_path)
        start_url = farm.site_config("university")["start_urls"][0]
        saved = tmp_path / "list.htm"
        saved.write_bytes(urllib.request.urlopen(start_url, timeout=10).read())
        truth_urls = {a.url for a in farm.truth("university")}

    result = run("sites", "check", str(config), "--list-page", str(saved), env={"COLUMNS": "300"})

    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout
    shown = {word for word in result.stdout.split() if word.startswith("http") and "/info/" in word}
    assert len(shown & truth_urls) >= 3  # robots.txt is not consulted offline, so a disallowed link may show too
    assert "next page: " in result.stdout and "/list/" in result.stdout


TEXT_DUMP = """首页 >> 党建工作 >> 支部风采

机关党支部开展主题党日活动

作者:李 明 来源:机关党委 发布时间:2023-05-20 15:40

五月二十日下午，机关党支部组织全体党员前往革命纪念馆开展主题党日活动，重温入党誓词，接受红色教育。

活动中，党员们认真聆听讲解员的介绍，仔细观看展出的历史图片和实物，深切缅怀革命先烈的光辉事迹。

大家纷纷表示，要把学习成果转化为做好本职工作的强大动力，以实际行动践行初心使命。

审核:张 华

分享到:
"""


@pytest.mark.slow
def test_ingest_text_loads_a_dump_once_and_export_writes_it(tmp_path, data_dir, prefect_api):
    dump = tmp_path / "dump.txt"
    dump.write_text(TEXT_DUMP, encoding="utf-8")

    first = run("ingest-text", "--quiet", "--json", str(dump), env=prefect_api)
    second = run("ingest-text", "--quiet", "--json", str(dump), env=prefect_api)
    exported = run("export", "--format", "jsonl", env=prefect_api)

    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout.splitlines()[-1])["text-dumps"]["new"] == 1
    assert json.loads(second.stdout.splitlines()[-1])["text-dumps"]["new"] == 0
    [row] = [json.loads(line) for line in exported.stdout.splitlines()]
    assert row["title"] == "机关党支部开展主题党日活动"
    assert row["published_at"] == "2023-05-20T15:40:00+08:00"
    assert row["source"] == "机关党委" and "张华" in row["editors"]
    assert row["body"].startswith("五月二十日下午") and "分享到" not in row["body"]


def test_reindex_rebuilds_the_stories_and_reports_them(tmp_path, data_dir, prefect_api):
    dump = tmp_path / "dump.txt"
    dump.write_text(TEXT_DUMP, encoding="utf-8")
    assert run("ingest-text", "--quiet", str(dump), env=prefect_api).returncode == 0

    result = run("reindex", "--json", env=prefect_api)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"articles": 1, "stories": 1, "duplicates": 0}


def test_an_unreachable_database_is_one_clear_line_and_exit_1():
    result = run("stats", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none")

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error:") and "127.0.0.1:1" in result.stderr


@pytest.mark.slow
@pytest.mark.xdist_group("demo-ports")  # config/demo's fixed ports: one demo at a time
def test_demo_stores_every_demo_article_once_and_a_second_run_adds_nothing(data_dir):
    from demo.server import FarmServer

    with FarmServer() as farm:
        articles = sum(len(farm.truth(site)) for site in farm.base_urls)

    first = run("demo", "--json")
    second = run("demo", "--json")

    assert first.returncode == 0, first.stderr[-2000:]
    sites = json.loads(first.stdout.splitlines()[-1])["sites"]
    assert len(sites) >= 3 and all(site["status"] == "ok" for site in sites)
    assert sum(site["new"] for site in sites) == articles
    assert sum(site["duplicates"] for site in sites) > 0
    assert sum(site["new"] + site["updated"] for site in json.loads(second.stdout.splitlines()[-1])["sites"]) == 0
    assert (data_dir / "dangjian.db").is_file()


def test_sites_list_names_every_configured_site_with_its_state(data_dir):
    result = run("sites", "list", "--json")

    assert result.returncode == 0, result.stderr
    listed = {site["name"]: site for site in json.loads(result.stdout)["sites"]}
    configured = {path.stem for path in (REPO / "config" / "sites").glob("*.yaml")}
    assert set(listed) == configured
    assert all(site["enabled"] is False for site in listed.values()), "the shipped examples are unverified"
