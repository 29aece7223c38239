"""A site's own extraction rules (the `extract:` block of its YAML, pipelines/site_rules.py) win where they match:
on a page of this project's own invention, in `dangjian sites check --article` and in `reprocess --site`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from crawlers.site_config import load_site_config
from pipelines.archive import ArchiveWriter
from pipelines.config import ConfigError
from pipelines.extract import extract_page
from pipelines.records import FetchedPage
from pipelines.site_rules import SiteRules

REPO = Path(__file__).resolve().parents[2]
SITE = "chengxi_dangjian"
BASE = "http://127.0.0.1:18778"
PARAGRAPH_1 = ("6月3日,城西县召开基层党建工作推进会,总结上半年基层党建工作,部署下一阶段重点任务,"
               "各乡镇党委书记逐一汇报了抓基层党建工作情况。")
PARAGRAPH_2 = ("会议强调,要坚持大抓基层的鲜明导向,持续推进村级组织标准化规范化建设,不断增强基层党组织"
               "政治功能和组织功能,为全县高质量发展提供坚强组织保证。")
SIDEBAR = ("城西县地处平原腹地,历史悠久,物产丰富,是远近闻名的鱼米之乡。近年来,全县上下坚持以党建引领"
           "发展,各项事业取得了长足进步,人民群众的获得感、幸福感不断增强。") * 2
# A TRS-like page: the byline is two bare spans (a date, an editor's name with its staff code), the article's
# own share line sits between its paragraphs, and a long sidebar paragraph competes with the text.
PAGE = f"""<html><head><meta charset="utf-8"><title>城西县召开基层党建工作推进会_城西党建网</title></head><body>
<div class="nav"><a href="/">首页</a> | <a href="/dt/">党建动态</a> | <a href="/jc/">基层风采</a></div>
<div class="side"><h3>县情简介</h3><p>{SIDEBAR}</p></div>
<div class="art">
  <h2 class="art-title">城西县召开基层党建工作推进会</h2>
  <div class="art-info"><span class="pubtime">2024.06.03</span> <span class="writer">卞小雨_QX0815</span></div>
  <div class="TRS_Editor"><p>{PARAGRAPH_1}</p><p>扫一扫在手机打开当前页</p><p>{PARAGRAPH_2}</p></div>
</div>
<div class="foot">主办:中共城西县委组织部 更新时间:2024-06-10</div>
</body></html>""".encode()
RULES = {"body": "div.TRS_Editor", "title": "//h2[@class='art-title']", "date": "span.pubtime",
         "author": "span.writer", "drop_lines": ["扫一扫.*"]}


def extracted(rules: dict | None):
    page = FetchedPage(url=f"{BASE}/dt/202406/t20240603_1.html", body=PAGE)
    return extract_page(page, site_rules=SiteRules(**rules) if rules is not None else None)


def test_the_site_rules_win_where_they_match():
    article = extracted(RULES)
    assert article.title == "城西县召开基层党建工作推进会"
    assert article.body.split("\n\n") == [PARAGRAPH_1, PARAGRAPH_2]
    assert article.authors == ["卞小雨"]  # read as a labelled value: the staff code is cut off
    assert (article.published_at, article.date_source) == (datetime(2024, 6, 2, 16, 0, tzinfo=UTC), "site:date")


def test_without_the_rules_the_global_extractor_reads_the_page_its_own_way():
    plain, own = extracted(None), extracted(RULES)
    assert plain.authors == [] and "扫一扫在手机打开当前页" not in own.body
    assert (plain.title, plain.body, plain.published_at) != (own.title, own.body, own.published_at)


def test_selectors_that_match_nothing_leave_the_global_result():
    missing = {name: ".no-such-block" for name in ("body", "title", "date", "author")}
    plain, unmatched = extracted(None), extracted(missing)
    assert (unmatched.title, unmatched.body, unmatched.authors, unmatched.published_at) == (
        plain.title, plain.body, plain.authors, plain.published_at)


def test_a_selector_that_is_neither_css_nor_xpath_is_a_config_error_naming_the_key(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"name": "bad", "start_urls": [BASE + "/"], "extract": {"body": "div[["}}),
                    encoding="utf-8")
    with pytest.raises(ConfigError, match="extract.body"):
        load_site_config(path)
    with pytest.raises(ValueError, match="regular expression"):
        SiteRules(drop_lines=["扫一扫("])


def site_yaml(directory: Path, rules: dict | None) -> Path:
    config = {"name": SITE, "start_urls": [f"{BASE}/dt/index.html"]} | ({"extract": rules} if rules else {})
    path = directory / f"{SITE}.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def test_sites_check_shows_what_the_extract_block_changes_on_a_saved_article(tmp_path):
    from flows.cli import app

    saved = tmp_path / "article.html"
    saved.write_bytes(PAGE)
    run = CliRunner().invoke(app, ["sites", "check", str(site_yaml(tmp_path, RULES)), "--article", str(saved)])
    assert run.exit_code == 0, run.output
    rows = {line.split("\t")[0]: line.split("\t")[1:] for line in run.output.splitlines() if "\t" in line}
    assert rows["field"] == ["global rules", "with extract:", "changed"]
    assert rows["authors"] == ["", "卞小雨", "yes"]
    assert rows["title"] == ["城西县召开基层党建工作推进会", "城西县召开基层党建工作推进会", ""]
    assert rows["body chars"][2] == "yes"


@pytest.fixture
def archived_site(tmp_path, monkeypatch, db_url):
    config_dir = tmp_path / "config"
    (config_dir / "sites").mkdir(parents=True)
    for name in ("rules", "settings.yaml"):
        (config_dir / name).symlink_to(REPO / "config" / name)
    data = tmp_path / "data"
    monkeypatch.setenv("DANGJIAN_CONFIG_DIR", str(config_dir))
    monkeypatch.setenv("DANGJIAN_DATA_DIR", str(data))
    monkeypatch.setenv("DANGJIAN_DB_URL", db_url)
    monkeypatch.delenv("DANGJIAN_ARCHIVE_URL", raising=False)
    with ArchiveWriter(data / "archive" / SITE / "night.warc.gz") as writer:
        writer.write(FetchedPage(url=f"{BASE}/dt/202406/t20240603_1.html", body=PAGE, site=SITE,
                                 fetched_at=datetime(2024, 6, 4, 1, 0, tzinfo=UTC),
                                 headers={"content-type": "text/html; charset=utf-8"}))
    return config_dir / "sites", db_url


def stored_row(db_url: str) -> dict:
    engine = create_engine(db_url)
    with engine.connect() as connection:
        row = connection.execute(text("SELECT title, authors, body FROM articles")).one()
    engine.dispose()
    authors = json.loads(row.authors) if isinstance(row.authors, str) else row.authors
    return {"title": row.title, "authors": authors, "body": row.body}


@pytest.mark.slow
def test_reprocess_applies_the_site_rules_to_stored_pages(archived_site):
    from prefect.testing.utilities import prefect_test_harness

    from flows.maintenance import reprocess

    sites, db_url = archived_site
    with prefect_test_harness(server_startup_timeout=120):
        site_yaml(sites, None)
        reprocess(site=SITE)
        before = stored_row(db_url)
        site_yaml(sites, RULES)
        [report] = reprocess(site=SITE).values()
    after = stored_row(db_url)
    assert before["authors"] == [] and after["authors"] == ["卞小雨"]
    assert after["title"] == "城西县召开基层党建工作推进会"
    assert after["body"].split("\n\n") == [PARAGRAPH_1, PARAGRAPH_2]
    assert report["updated"] == 1 and "authors" in report["changed_fields"]
