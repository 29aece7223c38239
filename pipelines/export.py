"""Writers for `dangjian export`: rows from `Store.export_rows()` to JSON Lines, CSV or Parquet."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any, TextIO

# CSV column order: what a reader scans first, the body last; any other keys follow in sorted order.
CSV_COLUMNS = (
    "id", "cluster_id", "is_canonical", "story_url", "site", "url", "canonical_url", "title", "subtitle",
    "published_at", "date_precision", "date_source", "date_candidates", "authors", "source", "site_name",
    "category", "editors", "photographers", "summary", "keywords", "attachments", "images", "urls", "aliases",
    "page_urls", "print_urls", "page_kind", "fetched_at", "archive_ref", "extractor_version", "encoding",
    "encoding_source", "encoding_errors", "body",
)


class ExportError(ValueError):
    """An export format this build cannot write."""


def write_jsonl(rows: Iterable[dict], out: TextIO) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        count += 1
    return count


def _cell(value: Any) -> Any:
    """Lists and mappings stay lossless as JSON; scalars as themselves."""
    return json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, list | dict) else value


def csv_columns(row: dict) -> list[str]:
    return [c for c in CSV_COLUMNS if c in row] + sorted(set(row) - set(CSV_COLUMNS))


def write_csv(rows: Iterable[dict], out: TextIO) -> int:
    iterator: Iterator[dict] = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    writer = csv.DictWriter(out, fieldnames=csv_columns(first))
    writer.writeheader()
    count = 0
    for row in chain([first], iterator):
        writer.writerow({key: _cell(value) for key, value in row.items()})
        count += 1
    return count


WRITERS: dict[str, Callable[[Iterable[dict], TextIO], int]] = {"jsonl": write_jsonl, "csv": write_csv}
FILE_ENCODINGS = {"csv": "utf-8-sig"}  # the BOM makes spreadsheet programs read the Chinese text as UTF-8


FORMATS = (*WRITERS, "parquet")
PARQUET_BATCH = 2000
# Parquet columns with a type of their own; every other field is text (lists of objects as JSON text).
# The timestamps come as aware datetimes (`Store.export_rows(typed=True)`) and are stored in UTC.
PARQUET_TIMESTAMPS = ("published_at", "fetched_at")
PARQUET_INTEGERS = ("id", "cluster_id")
PARQUET_BOOLEANS = ("is_canonical",)
PARQUET_STRING_LISTS = ("authors", "editors", "photographers", "keywords", "attachments", "urls", "aliases",
                        "page_urls", "print_urls")


def write_rows(rows: Iterable[dict], out: TextIO, fmt: str) -> int:
    """Write `rows` to an open text stream in `fmt`; returns the number of rows written."""
    if fmt == "parquet":
        raise ExportError("parquet is a binary format: give an output file (-o FILE.parquet)")
    if fmt not in WRITERS:
        raise ExportError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    return WRITERS[fmt](rows, out)


def export_file(rows: Iterable[dict], fmt: str, path: Path) -> int:
    """Write `rows` to the file `path` (a CSV file starts with a BOM); returns the number of rows written."""
    if fmt == "parquet":
        return write_parquet(rows, path)
    with path.open("w", encoding=FILE_ENCODINGS.get(fmt, "utf-8"), newline="") as out:
        return write_rows(rows, out, fmt)


def _parquet_schema(columns: list[str]):
    import pyarrow as pa

    def column_type(name: str):
        if name in PARQUET_TIMESTAMPS:
            return pa.timestamp("us", tz="UTC")
        if name in PARQUET_INTEGERS:
            return pa.int64()
        if name in PARQUET_BOOLEANS:
            return pa.bool_()
        if name in PARQUET_STRING_LISTS:
            return pa.list_(pa.string())
        return pa.string()

    return pa.schema([(name, column_type(name)) for name in columns])


def _parquet_value(name: str, value: Any) -> Any:
    if value is None or name in (*PARQUET_TIMESTAMPS, *PARQUET_INTEGERS, *PARQUET_BOOLEANS):
        return value
    if name in PARQUET_STRING_LISTS:
        return [str(item) for item in value]
    return _cell(value) if isinstance(value, list | dict) else str(value)


def write_parquet(rows: Iterable[dict], path: Path) -> int:
    """Stream `rows` (`Store.export_rows(typed=True)`) into a Parquet file in batches, with one fixed schema
    taken from the CSV column order."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    iterator: Iterator[dict] = iter(rows)
    first = next(iterator, None)
    columns = csv_columns(first) if first else list(CSV_COLUMNS)
    schema = _parquet_schema(columns)
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[dict] = []
        for row in chain([first] if first else [], iterator):
            batch.append({name: _parquet_value(name, row.get(name)) for name in columns})
            if len(batch) >= PARQUET_BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count, batch = count + len(batch), []
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count
