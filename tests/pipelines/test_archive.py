import logging
import random
from datetime import UTC, datetime

import pytest

from pipelines.archive import ArchiveWriter, read_archive, read_record
from pipelines.records import FetchedPage

GBK_BODY = '<html><head><meta charset="gbk"></head><body><h1>践行初心使命</h1><p>党性锻炼纪实。</p></body></html>'.encode("gbk")


def page(number: int, **fields) -> FetchedPage:
    defaults = dict(
        url=f"http://127.0.0.1:18601/jxdt/202012/t20201208_{number}.html",
        body=GBK_BODY + str(number).encode() * 3000,
        fetched_at=datetime(2021, 6, 25, 8, 0, number, 123456, tzinfo=UTC),
        headers={"content-type": "text/html", "etag": f'"{number}"', "content-length": "99"},
        site="party_school",
        kind="article",
        list_url="http://127.0.0.1:18601/jxdt/index.html",
        list_date="2020年12月8日",
    )
    return FetchedPage(**{**defaults, **fields})


def test_round_trip_keeps_bytes_headers_and_our_fields(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    original = page(1, original_url="http://127.0.0.1:18601/jxdt/202012/t20201208_1.html?from=timeline")
    with ArchiveWriter(path) as writer:
        ref = writer.write(original)
        writer.write(page(2, kind="list", status=304, body=b"", list_url=None, list_date=None))
    first, second = read_archive(path)
    assert ref == first.archive_ref == original.archive_ref and ref.startswith(f"{path}#")
    assert first.body == original.body  # GBK bytes untouched
    assert (first.url, first.status, first.site, first.kind, first.list_url, first.list_date, first.original_url) == (
        original.url, 200, "party_school", "article", original.list_url, "2020年12月8日", original.original_url)
    assert first.fetched_at == original.fetched_at
    assert first.headers == original.headers
    assert (second.kind, second.status, second.body, second.list_date, second.original_url) == ("list", 304, b"", None, None)
    assert read_record(second.archive_ref).url == page(2).url


def test_our_fields_keep_a_gbk_query_as_the_site_wrote_it_and_chinese_text_as_text(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    gbk_link = "http://127.0.0.1:18601/show.asp?lm=%B5%B3%BD%A8&id=7"  # 党建 in GBK, as an old ASP site wants it
    original = page(1, original_url=gbk_link, list_url="http://127.0.0.1:18601/list.asp?lm=党建", list_date="6月4日")
    with ArchiveWriter(path) as writer:
        writer.write(original)
    (stored,) = read_archive(path)
    assert (stored.original_url, stored.list_url, stored.list_date) == (gbk_link, original.list_url, "6月4日")


def test_records_are_appended_and_addressable(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    with ArchiveWriter(path) as writer:
        writer.write(page(1))
    with ArchiveWriter(path) as writer:
        ref = writer.write(page(2))
    assert int(ref.rpartition("#")[2]) > 0
    assert read_record(ref).url.endswith("_2.html")
    assert [p.url[-7:] for p in read_archive(path)] == ["_1.html", "_2.html"]


@pytest.mark.parametrize("cut", [40, 200, 5000])
def test_a_torn_last_record_is_skipped_with_a_warning(tmp_path, caplog, cut):
    path = tmp_path / "crawl.warc.gz"
    with ArchiveWriter(path) as writer:
        writer.write(page(1))
        writer.write(page(2))
        third = writer.write(page(3, body=random.Random(3).randbytes(12800)))  # incompressible: any cut tears it
    data = path.read_bytes()
    third_offset = int(third.rpartition("#")[2])
    path.write_bytes(data[: len(data) - cut])
    assert len(data) - cut > third_offset
    with caplog.at_level(logging.WARNING, logger="pipelines.archive"):
        urls = [p.url[-7:] for p in read_archive(path)]
    assert urls == ["_1.html", "_2.html"]
    assert "unreadable record" in caplog.text


def test_write_outside_the_context_is_an_error(tmp_path):
    with pytest.raises(RuntimeError):
        ArchiveWriter(tmp_path / "x.warc.gz").write(page(1))


def test_a_later_page_of_an_article_keeps_its_first_page_and_number(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    first_page = page(3).url
    with ArchiveWriter(path) as writer:
        writer.write(page(3))
        ref = writer.write(page(4, url=first_page.replace(".html", "_4.html"), kind="part", part_of=first_page,
                                part_number=4, list_url=None, list_date=None))
    whole, later = read_archive(path)
    assert (whole.kind, whole.part_of, whole.part_number) == ("article", None, None)
    assert (later.kind, later.part_of, later.part_number) == ("part", first_page, 4)
    assert read_record(ref).part_number == 4
