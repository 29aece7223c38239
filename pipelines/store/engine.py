"""Engines, migrations and transactions that survive a busy or absent database.

SQLite runs in WAL mode with a busy timeout and foreign keys on; every write transaction takes the write lock
up front (`BEGIN IMMEDIATE`) and is retried with backoff while another process holds it. A database that
cannot be reached (server down, wrong port, unopenable file) is retried with backoff, then reported as
`StoreUnavailableError` naming the URL (password hidden); one that answers but cannot be used (it does not
exist, the login or a privilege is refused, the URL is wrong) is reported at once.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from psycopg.types.array import ListBinaryDumper
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000  # how long SQLite itself waits for a lock before reporting "database is locked"
BUSY_RETRIES = 6
BUSY_FIRST_WAIT = 0.2  # seconds; doubles on every retry (about 12 s in all, on top of the busy timeout)
CONNECT_RETRIES = 4
CONNECT_FIRST_WAIT = 1.0  # seconds; doubles on every retry (15 s in all): a restarting server comes back
MIGRATION_LOCK = 4242  # PostgreSQL advisory lock: several workers may start at once
# Failures no retry can help: (SQLSTATEs, the server's or driver's words, what the operator has to fix).
# psycopg gives no SQLSTATE for a failure while connecting, so those are told by the server's message.
UNUSABLE = (
    ({"3D000"}, re.compile(r'database "[^"]*" does not exist'), "create it, or fix the database name in the URL"),
    ({"28000", "28P01"}, re.compile(r'password authentication failed|no password supplied|role "[^"]*" does not '
                                    r"exist|pg_hba\.conf"),
     "fix the user or password in the URL, or the server's pg_hba.conf"),
    ({"42501"}, re.compile(r"permission denied"), "grant the database user the privilege it lacks"),
    (set(), re.compile(r"invalid connection option|invalid port number|invalid \w+ value|Name or service not known"),
     "fix the database URL"),
)
LOCK_CONFLICTS = ("40P01", "40001")  # deadlock detected, serialization failure: the transaction is retried
T = TypeVar("T")


class StoreBusyError(RuntimeError):
    """The SQLite database stayed locked by another writer through every retry."""


class StoreUnavailableError(RuntimeError):
    """The database could not be reached through every retry, or cannot be used at all (it does not exist,
    the login or a privilege is refused, the URL is wrong); the message names the URL and the cause."""


def where(engine: Engine) -> str:
    """The engine's URL as messages name it: password hidden."""
    return engine.url.render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" hook below issues BEGIN itself
    cursor = dbapi_connection.cursor()
    for pragma in (f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}", "foreign_keys=ON", "synchronous=NORMAL"):
        cursor.execute(f"PRAGMA {pragma}")
    _switch_to_wal(cursor)
    cursor.close()


def _switch_to_wal(cursor: Any) -> None:
    """Switching a new file to WAL needs it unlocked, and SQLite reports "database is locked" at once instead of
    waiting (the busy timeout does not apply): sites opening the store while another writes wait here."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _sqlite_begin(connection: Any) -> None:
    # Deferred transactions that later write fail with SQLITE_BUSY at once, ignoring the busy timeout.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _binary_arrays(dbapi_connection: Any, _record: Any) -> None:
    # Lists reach psycopg only as the column and key arrays of `shared.insert_rows` and `matching`, a load's
    # hundred thousand values a thousand articles: its text format escapes every element with two regular
    # expressions, a fifth of a loader's CPU (0.67 -> 0.55 ms an article measured); the binary one packs them.
    dbapi_connection.adapters.register_dumper(list, ListBinaryDumper)


_ENGINE_LOCK = threading.Lock()


def engine_for(url: str) -> Engine:
    """One engine per database and process, migrated on first use; sites loading in parallel threads share it."""
    with _ENGINE_LOCK:
        return _migrated_engine(url)


@cache
def _migrated_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
        event.listen(engine, "connect", _binary_arrays)
    reachable(engine, lambda: migrate(engine))
    return engine


def migrate(engine: Engine) -> None:
    settings = Config()
    settings.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        settings.attributes["connection"] = connection
        command.upgrade(settings, "head")


def reachable(engine: Engine, work: Callable[[], T]) -> T:
    """`work`, retried with backoff while the database cannot be reached; then a StoreUnavailableError. A
    database that answers but cannot be used (`_unusable`) fails at once: no retry makes it exist."""
    wait = CONNECT_FIRST_WAIT
    for attempt in range(CONNECT_RETRIES + 1):
        try:
            return work()
        except DBAPIError as error:
            if unusable := _unusable(error):
                raise StoreUnavailableError(f"{where(engine)}: {unusable}") from error
            if not isinstance(error, OperationalError) or _is_busy(error) or not _is_unreachable(engine, error):
                raise
            if attempt == CONNECT_RETRIES:
                raise StoreUnavailableError(f"{where(engine)}: the database cannot be reached after "
                                            f"{CONNECT_RETRIES + 1} attempts ({_driver_reason(error)})") from error
            engine.dispose()
            time.sleep(wait)
            wait *= 2
    raise AssertionError("unreachable")


def write(engine: Engine, work: Callable[[Session], T]) -> T:
    """Run `work` in one transaction; retry while SQLite reports another writer holds the lock, and while
    the database cannot be reached (`reachable`).

    A unique-key conflict is retried once: another worker (PostgreSQL) committed the same site or
    article between our read and our insert, and the second attempt sees and updates its row.
    """
    return reachable(engine, lambda: _write_once(engine, work))


def _write_once(engine: Engine, work: Callable[[Session], T]) -> T:
    wait = BUSY_FIRST_WAIT
    conflicts = 0
    for attempt in range(BUSY_RETRIES + 1):
        try:
            with Session(engine, expire_on_commit=False) as session, session.begin():
                return work(session)
        except IntegrityError:
            conflicts += 1
            if conflicts > 1:
                raise
            continue
        except OperationalError as error:
            if not (_is_busy(error) or _is_lock_conflict(error)):
                raise
            if attempt == BUSY_RETRIES:
                url = engine.url.render_as_string(hide_password=False)
                raise StoreBusyError(
                    f"{url}: the database stayed locked by another writer through {BUSY_RETRIES} retries "
                    "(is another load or a long-running reader holding it?)") from error
            time.sleep(wait)
            wait *= 2
    raise AssertionError("unreachable")


def _driver_reason(error: DBAPIError) -> str:
    """The driver's first line; for a server's refusal, its own words after FATAL (the connection preamble
    before it names the host and port the URL shows already)."""
    reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
    return reason.rpartition("FATAL:")[2].strip()


def _unusable(error: DBAPIError) -> str | None:
    """The server's or driver's reason and what to fix, when the database answered (or the URL was refused
    before any connection) and no retry can help; None for anything else."""
    sqlstate = getattr(error.orig, "sqlstate", None)
    reason = _driver_reason(error)
    for sqlstates, words, fix in UNUSABLE:
        if sqlstate in sqlstates or words.search(reason):
            return f"{reason} ({fix})"
    return None


def _is_unreachable(engine: Engine, error: OperationalError) -> bool:
    """No connection at all (refused, timed out, dropped, file not openable), as opposed to a failing statement."""
    if error.connection_invalidated:
        return True
    if engine.dialect.name == "sqlite":
        return "unable to open database file" in str(error.orig)
    return getattr(error.orig, "sqlstate", None) in (None, "57P01", "57P02", "57P03", "08000", "08001", "08003",
                                                     "08004", "08006")


def _is_busy(error: OperationalError) -> bool:
    return "locked" in str(error.orig) or "busy" in str(error.orig)


def _is_lock_conflict(error: OperationalError) -> bool:
    """PostgreSQL rolled the transaction back to break a deadlock or a serialization conflict: run it again."""
    return getattr(error.orig, "sqlstate", None) in LOCK_CONFLICTS
