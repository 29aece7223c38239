"""What every part of the store uses: batching, the clock, the display day, the dialect and the site row."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from datetime import time as clock
from itertools import islice
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, ColumnElement, Row, Table, Text, any_, bindparam, cast, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert

from pipelines import config
from pipelines.models import Site

BATCH_SIZE = 500  # articles per load transaction
IN_CHUNK = 900  # bound parameters per IN (...) list on SQLite: well under its limit
T = TypeVar("T")


def now() -> datetime:
    return datetime.now(UTC)


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def display_timezone() -> str:
    return config.settings().timezone


def day_start(day: date) -> datetime:
    return datetime.combine(day, clock.min, tzinfo=ZoneInfo(display_timezone()))


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def upsert(session: Session, table: Any) -> Any:
    """An INSERT that takes ON CONFLICT clauses: both dialects have them, under their own classes."""
    return (sqlite.insert if dialect(session) == "sqlite" else postgresql.insert)(table)


def matching(session: Session, column: Any, values: Iterable[Any]) -> Iterator[ColumnElement[bool]]:
    """Conditions that between them pick the rows whose `column` is one of `values` (none for no values).

    PostgreSQL gets one array (`= ANY(...)`): an IN list binds a parameter a value, and psycopg parsing the
    statements of a batch's thousands of bucket keys cost more than the server answering them. SQLite gets IN
    lists of at most IN_CHUNK values, under its limit on bound parameters.
    """
    wanted = sorted(set(values))
    if not wanted:
        return
    if dialect(session) == "postgresql":
        yield column == any_(bindparam(None, wanted, type_=postgresql.ARRAY(column.type)))
    else:
        for chunk in chunks(wanted, IN_CHUNK):
            yield column.in_(chunk)


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]],
                finish: Callable[[Insert], Insert] = lambda insert: insert) -> Sequence[Row]:
    """Insert `rows` (dicts with the same keys), `finish` adding an ON CONFLICT or RETURNING clause; the rows
    RETURNING gives, in no particular order.

    PostgreSQL gets one statement with one array a column (`INSERT ... SELECT FROM unnest(...)`): psycopg's
    executemany sends one INSERT a row, and those per-row statements were half of what a load waited on the
    server for (docs/scaling.md). SQLite runs in process, where executemany costs nothing extra.
    """
    if not rows:
        return []
    statement = upsert(session, table)
    if dialect(session) != "postgresql":
        result = session.execute(finish(statement), rows)
    else:
        columns = list(rows[0])
        values = _unnested(table, rows)
        result = session.execute(finish(statement.from_select(columns, select(
            *(cast(values.c[name], JSON) if isinstance(table.c[name].type, JSON) else values.c[name]
              for name in columns)))))
    return result.all() if result.returns_rows else []


def update_rows(session: Session, table: Table, key: str, rows: Sequence[dict[str, Any]]) -> None:
    """Set the other columns of `rows` (dicts with the same keys, `key` among them) on the row with each one's
    `key`. PostgreSQL gets one `UPDATE ... FROM unnest(...)` where executemany would send one UPDATE a row;
    SQLite gets executemany. Not for JSON columns."""
    if not rows:
        return
    changed = [name for name in rows[0] if name != key]
    if dialect(session) != "postgresql":
        session.execute(update(table).where(table.c[key] == bindparam(f"row_{key}"))
                        .values({name: bindparam(f"row_{name}") for name in changed}),
                        [{f"row_{name}": value for name, value in row.items()} for row in rows])
    else:
        values = _unnested(table, rows)
        session.execute(update(table).where(table.c[key] == values.c[key])
                        .values({name: values.c[name] for name in changed}))


def _unnested(table: Table, rows: Sequence[dict[str, Any]]) -> Any:
    """`rows` as a table on the server: unnest over one array a column."""
    columns = list(rows[0])
    unnested = func.unnest(*(_column_array(table.c[name], [row[name] for row in rows]) for name in columns))
    return unnested.table_valued(*columns).render_derived()


def _column_array(column: Any, values: list[Any]) -> Any:
    # An ARRAY of JSON would take the lists inside the values for dimensions of the array: JSON goes as text
    # (encoded the way SQLAlchemy encodes a JSON column) and is cast back in the SELECT.
    if isinstance(column.type, JSON):
        return bindparam(f"{column.key}_values", [json.dumps(value) for value in values],
                         type_=postgresql.ARRAY(Text))
    return bindparam(f"{column.key}_values", values, type_=postgresql.ARRAY(column.type))


def site_id(session: Session, name: str) -> int:
    found = session.scalar(select(Site.id).where(Site.name == name))
    if found is None:
        site = Site(name=name, created_at=now())
        session.add(site)
        session.flush()
        found = site.id
    return found
