"""Export writers, on rows exported from a real store."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from pipelines.export import ExportError, export_file, write_rows
from pipelines.records import Article
from pipelines.store import Store

BODY = "我们召开了基层党建工作推进会，研究部署乡村振兴任务，交流了经验做法，明确了下一步工作安排。" * 3


@pytest.fixture
def rows(tmp_path) -> list[dict]:
    db = Store(f"sqlite:///{tmp_path / 'export.db'}")
    db.load([Article(url="http://a.test/1", title="推进会", body=BODY, authors=["王建国", "李红梅"],
                     published_at=datetime(2021, 6, 4, tzinfo=ZoneInfo("Asia/Shanghai")), date_precision="day")],
            site="a")
    db.load([Article(url="http://b.test/9", title="【转载】推进会", body=f"【转载】{BODY}")], site="b")
    return list(db.export_rows())


def test_jsonl_writes_one_line_per_story_with_every_url(rows, tmp_path):
    path = tmp_path / "out.jsonl"
    assert export_file(rows, "jsonl", path) == 1
    (line,) = path.read_text(encoding="utf-8").splitlines()
    story = json.loads(line)
    assert (story["title"], story["published_at"]) == ("推进会", "2021-06-04")
    assert story["urls"] == ["http://a.test/1", "http://b.test/9"]
    assert story["canonical_url"] == story["story_url"] == "http://a.test/1"


def test_csv_keeps_chinese_and_lists_readable(rows, tmp_path):
    path = tmp_path / "out.csv"
    assert export_file(rows, "csv", path) == 1
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        (story,) = csv.DictReader(handle)
    assert list(story)[:3] == ["id", "cluster_id", "is_canonical"] and list(story)[-1] == "body"
    assert json.loads(story["authors"]) == ["王建国", "李红梅"]
    assert story["body"] == BODY and story["published_at"] == "2021-06-04"


def test_rows_go_to_any_open_stream(rows):
    out = io.StringIO()
    assert write_rows(rows, out, "jsonl") == 1
    assert json.loads(out.getvalue())["urls"] == ["http://a.test/1", "http://b.test/9"]


def test_an_empty_export_writes_an_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    assert export_file([], "csv", path) == 0
    assert path.read_text() == ""


def test_parquet_keeps_types_lists_and_chinese(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    db = Store(f"sqlite:///{tmp_path / 'export.db'}")
    db.load([Article(url="http://a.test/1", title="推进会", body=BODY, authors=["王建国", "李红梅"])], site="a")
    path = tmp_path / "out.parquet"
    assert export_file(db.export_rows(typed=True), "parquet", path) == 1
    table = pq.read_table(path)
    (story,) = table.to_pylist()

    assert pa.types.is_list(table.schema.field("authors").type)
    assert table.schema.field("id").type == pa.int64()
    assert story["authors"] == ["王建国", "李红梅"] and story["urls"] == ["http://a.test/1"]
    assert story["body"] == BODY and story["published_at"] is None


def test_the_export_command_writes_parquet_timestamps_with_their_time_zone(db_url, data_dir, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    import pyarrow as pa
    import pyarrow.parquet as pq

    shanghai = ZoneInfo("Asia/Shanghai")
    published, fetched = datetime(2021, 6, 4, 9, 30, tzinfo=shanghai), datetime(2021, 6, 5, 2, 0, tzinfo=shanghai)
    Store(db_url).load([Article(url="http://a.test/1", title="推进会", body=BODY, published_at=published,
                                date_precision="minute", fetched_at=fetched)], site="a")
    path = tmp_path / "out.parquet"
    dangjian = Path(sys.executable).parent / "dangjian"

    result = subprocess.run([str(dangjian), "export", "--db", db_url, "--format", "parquet", "-o", str(path)],
                            capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    table = pq.read_table(path)
    for column in ("published_at", "fetched_at"):
        assert table.schema.field(column).type == pa.timestamp("us", tz="UTC"), column
    (story,) = table.to_pylist()
    assert (story["published_at"], story["fetched_at"]) == (published, fetched)  # the same instants, in UTC
    assert story["date_precision"] == "minute"


def test_an_empty_parquet_export_is_a_readable_file_with_the_columns(tmp_path):
    import pyarrow.parquet as pq

    path = tmp_path / "empty.parquet"
    assert export_file([], "parquet", path) == 0
    assert "body" in pq.read_table(path).column_names


def test_parquet_to_a_stream_and_unknown_formats_are_refused_clearly(rows, tmp_path):
    with pytest.raises(ExportError, match="-o FILE"):
        write_rows(rows, io.StringIO(), "parquet")
    with pytest.raises(ExportError, match="jsonl, csv, parquet"):
        export_file([], "xml", tmp_path / "x.xml")


def test_every_copy_lists_its_own_aliases_and_pages(tmp_path):
    import pyarrow.parquet as pq

    db = Store(f"sqlite:///{tmp_path / 'export.db'}")
    article = Article(url="http://a.test/n/77.html", title="推进会", body=BODY, aliases=["http://a.test/go?77"],
                      page_urls=["http://a.test/n/77_2.html"], print_urls=["http://a.test/print/77.html"])
    db.load([article], site="a")
    db.load([Article(url="http://b.test/9", title="【转载】推进会", body=f"【转载】{BODY}")], site="b")

    copies = list(db.export_rows(all_copies=True, typed=True))
    path = tmp_path / "copies.parquet"
    export_file(copies, "parquet", path)
    first, second = pq.read_table(path).to_pylist()

    assert first["aliases"] == ["http://a.test/go?77", "http://a.test/n/77_2.html", "http://a.test/print/77.html"]
    assert first["urls"] == sorted(["http://a.test/n/77.html", *first["aliases"]])
    assert (first["page_urls"], first["print_urls"]) == (article.page_urls, article.print_urls)
    assert (second["aliases"], second["urls"]) == ([], ["http://b.test/9"])
    [story] = db.export_rows()
    assert story["urls"] == sorted([*first["urls"], "http://b.test/9"])
