"""What every part of the store uses: batching, the clock, the display day, the dialect and the site row."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from datetime import time as clock
from itertools import islice
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pipelines import config
from pipelines.models import Site

BATCH_SIZE = 500  # articles per load transaction
IN_CHUNK = 900  # bound parameters per IN (...) list: well under SQLite's limit, cheap for PostgreSQL
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


def site_id(session: Session, name: str) -> int:
    found = session.scalar(select(Site.id).where(Site.name == name))
    if found is None:
        site = Site(name=name, created_at=now())
        session.add(site)
        session.flush()
        found = site.id
    return found
