"""Runs at 23:59 and 00:01 Asia/Shanghai land in the Shanghai day, whatever the host's clock zone says."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

import crawlers.spiders.site as site_module
from crawlers.site_config import SiteConfig
from crawlers.spiders.site import CrawlPlan, SiteSpider
from pipelines.records import Article
from pipelines.store import Store

SHANGHAI = ZoneInfo("Asia/Shanghai")
LATE = datetime(2021, 6, 24, 15, 59, tzinfo=UTC)  # 23:59 on 24 June in Shanghai
EARLY = datetime(2021, 6, 24, 16, 1, tzinfo=UTC)  # 00:01 on 25 June in Shanghai, still the 24th in UTC


def spider_started_at(moment: datetime, monkeypatch) -> SiteSpider:
    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)

    monkeypatch.setattr(site_module, "datetime", Clock)
    config = SiteConfig(name="s", start_urls=["http://127.0.0.1:1/list.htm"], cutoff_days=1)
    return SiteSpider(CrawlPlan(config=config))


@pytest.mark.parametrize(("moment", "oldest"), [(LATE, date(2021, 6, 23)), (EARLY, date(2021, 6, 24))])
def test_the_nightly_cutoff_counts_days_in_the_site_zone(monkeypatch, moment, oldest):
    spider = spider_started_at(moment, monkeypatch)
    assert spider.started.date() == moment.astimezone(SHANGHAI).date()
    assert spider.oldest_wanted == oldest


def test_articles_published_either_side_of_shanghai_midnight_are_filed_under_their_shanghai_day(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    body = "支部组织学习,交流心得体会。" * 20
    store.load([Article(url="http://127.0.0.1/late", title="晚", published_at=LATE, date_precision="minute",
                        body="晚间" + body),
                Article(url="http://127.0.0.1/early", title="早", published_at=EARLY, date_precision="minute",
                        body="凌晨" + body + "另起一段。" * 30)], site="s")
    rows = {row["title"]: row for row in store.export_rows(all_copies=True)}
    assert rows["晚"]["published_at"].startswith("2021-06-24T23:59")
    assert rows["早"]["published_at"].startswith("2021-06-25T00:01")
    assert [row["title"] for row in store.export_rows(all_copies=True, since=date(2021, 6, 25))] == ["早"]
