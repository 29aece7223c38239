"""Re-extraction corrects stored rows: `reprocess` (the real Prefect flow) over a real WARC archive into SQLite and
PostgreSQL replaces a row's extracted fields as a whole, honours the site's config, and `--outdated` leaves
rows of the current extractor version alone."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, text

from pipelines.archive import ArchiveWriter, read_archive
from pipelines.extract import EXTRACTOR_VERSION, extract_page, extractor_version
from pipelines.records import FetchedPage
from pipelines.store import Store

REPO = Path(__file__).resolve().parents[2]
SITE = "county_school"
BASE = "http://127.0.0.1:18777"
SITE_CONFIG = {"name": SITE, "start_urls": [f"{BASE}/news/index.html"], "encoding": "gbk", "timezone": "Asia/Tokyo"}
# GBK bytes under a header that says big5: only the site's `encoding: gbk` reads the title right
GBK_PAGE = ("<html><head><title>党校动态</title></head><body><h1>党校动态</h1><div>发布时间：2024-03-05 10:00 "
            "作者：王建国</div><p>读书班开班。学员们表示收获很大，要把学习成果转化为推动工作的实际行动，"
            "持续推动主题教育走深走实。</p></body></html>").encode("gbk")
UTF8_PAGE = ("<html><head><meta charset='utf-8'><title>理论学习中心组召开专题学习会</title></head><body>"
             "<h1>理论学习中心组召开专题学习会</h1><div>发布时间：2024-04-01 09:30 来源：县委宣传部</div>"
             "<p>会议传达学习了有关精神，围绕深化理论武装、推动高质量发展等内容进行了交流研讨，与会同志结合"
             "分管工作谈认识、谈体会。</p></body></html>").encode()


@pytest.fixture(scope="module")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def world(tmp_path, monkeypatch, db_url):
    """A data directory with one WARC of two article pages, a config directory naming the site, the database."""
    config_dir = tmp_path / "config"
    (config_dir / "sites").mkdir(parents=True)
    for name in ("rules", "settings.yaml"):
        (config_dir / name).symlink_to(REPO / "config" / name)
    (config_dir / "sites" / f"{SITE}.yaml").write_text(yaml.safe_dump(SITE_CONFIG, allow_unicode=True),
                                                      encoding="utf-8")
    data = tmp_path / "data"
    monkeypatch.setenv("DANGJIAN_CONFIG_DIR", str(config_dir))
    monkeypatch.setenv("DANGJIAN_DATA_DIR", str(data))
    monkeypatch.setenv("DANGJIAN_DB_URL", db_url)
    monkeypatch.delenv("DANGJIAN_ARCHIVE_URL", raising=False)
    fetched = datetime(2024, 4, 2, 1, 0, tzinfo=UTC)
    with ArchiveWriter(data / "archive" / SITE / "night.warc.gz") as writer:
        writer.write(FetchedPage(url=f"{BASE}/news/a.html", body=GBK_PAGE, fetched_at=fetched, site=SITE,
                                 headers={"content-type": "text/html; charset=big5"}))
        writer.write(FetchedPage(url=f"{BASE}/news/b.html", body=UTF8_PAGE, fetched_at=fetched, site=SITE,
                                 headers={"content-type": "text/html; charset=utf-8"}))
    pages = {page.url: page for page in read_archive(data / "archive" / SITE / "night.warc.gz")}
    return {"db": db_url, "articles": {url: extract_page(page, timezone="Asia/Tokyo", encoding="gbk")
                                       for url, page in pages.items()}}


def stored(db_url: str) -> dict[str, dict]:
    engine = create_engine(db_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT canonical_url, title, authors, source, subtitle, editors, "
                                       "published_at, extractor_version, first_seen_at FROM articles"))
        found = {row.canonical_url: {name: json.loads(value) if name in ("authors", "editors") and isinstance(
            value, str) else value for name, value in row._asdict().items()} for row in rows}
    engine.dispose()
    return found


def test_the_extractor_version_is_the_package_version_and_a_hash_of_the_rules(tmp_path, monkeypatch):
    assert EXTRACTOR_VERSION.startswith("0.1.0+") and EXTRACTOR_VERSION == extractor_version()
    rules = tmp_path / "config" / "rules"
    rules.mkdir(parents=True)
    for path in (REPO / "config" / "rules").glob("*.yaml"):
        (rules / path.name).write_bytes(path.read_bytes())
    monkeypatch.setenv("DANGJIAN_CONFIG_DIR", str(tmp_path / "config"))
    assert extractor_version() == EXTRACTOR_VERSION
    (rules / "dedup.yaml").write_text((rules / "dedup.yaml").read_text() + "\n# reindexed, not re-extracted\n")
    assert extractor_version() == EXTRACTOR_VERSION
    (rules / "headers.yaml").write_text((rules / "headers.yaml").read_text() + "\n# a new label\n")
    assert extractor_version() != EXTRACTOR_VERSION


def test_reprocess_corrects_wrong_fields_clears_lost_ones_and_outdated_skips_current_rows(world, prefect_harness):
    from flows.maintenance import reprocess

    a, b = (f"{BASE}/news/a.html", f"{BASE}/news/b.html")
    right_a, right_b = world["articles"][a], world["articles"][b]
    assert right_a.title == "党校动态" and right_a.authors == ["王建国"]
    assert right_a.published_at == datetime(2024, 3, 5, 1, 0, tzinfo=UTC)  # 10:00 in Tokyo, the site's zone
    old_rules = dataclasses.replace(right_a, authors=["错误作者"], published_at=datetime(2020, 1, 1, tzinfo=UTC),
                                    subtitle="旧副标题", editors=["旧编辑"], extractor_version="0.0.9+oldrules")
    current_rules = dataclasses.replace(right_b, title="当前版本的标题", extractor_version=EXTRACTOR_VERSION)
    Store(world["db"]).load([old_rules, current_rules], site=SITE)
    seen_first = stored(world["db"])[a]["first_seen_at"]

    [report] = reprocess(site=SITE, outdated=True).values()

    assert (report["updated"], report["new"]) == (1, 0)
    assert report["changed_fields"] == {"authors": 1, "editors": 1, "published_at": 1, "subtitle": 1}
    rows = stored(world["db"])
    assert rows[a]["title"] == "党校动态" and rows[a]["authors"] == ["王建国"]
    assert rows[a]["subtitle"] is None and rows[a]["editors"] == []  # what the new rules lack is cleared
    assert str(rows[a]["published_at"]).startswith("2024-03-05 01:00")
    assert rows[a]["extractor_version"] == EXTRACTOR_VERSION and rows[a]["first_seen_at"] == seen_first
    assert rows[b]["title"] == "当前版本的标题"  # extracted by the current rules: left alone

    [again] = reprocess(site=SITE).values()

    assert again["changed_fields"] == {"title": 1} and again["updated"] == 1 and again["unchanged"] == 1
    assert stored(world["db"])[b]["title"] == right_b.title
