"""The database: the one module that opens engines and sessions and runs queries.

`Store(url)` creates the database on first use and upgrades it to the newest Alembic revision. SQLite (the
default, `data/dangjian.db`) runs in WAL mode with a busy timeout and foreign keys on; every write
transaction takes the write lock up front (`BEGIN IMMEDIATE`) and is retried with backoff while another
process holds it. A database that cannot be reached (server down, wrong port, unopenable file) is retried
with backoff, then reported as `StoreUnavailableError` naming the URL (password hidden); one that answers but
cannot be used (it does not exist, the login or a privilege is refused, the URL is wrong) is reported at
once. PostgreSQL is selected with `DANGJIAN_DB_URL=postgresql+psycopg://...`; several workers on several
machines then share one near-duplicate index.

Loads are idempotent upserts keyed on the article's canonical URL (its URL when it has none), one
transaction per batch; see `docs/schema.md` for the tables and the `clean_articles` view.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from datetime import time as clock
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import rjieba
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, bindparam, create_engine, delete, event, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from pipelines import config, dedup, records
from pipelines.archive import stored_ref
from pipelines.chrome import fold
from pipelines.models import (
    Article,
    ArticleImage,
    ArticleSearch,
    ArticleUrl,
    Cluster,
    ClusterMember,
    CrawlRun,
    Fetch,
    IndexState,
    LshBucket,
    Site,
    UTCDateTime,
)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BATCH_SIZE = 500  # articles per load transaction
IN_CHUNK = 900  # bound parameters per IN (...) list: well under SQLite's limit, cheap for PostgreSQL
# PostgreSQL plans the dedup lookups from table statistics; after a bulk load they are stale until autovacuum
# gets round to it, and the stale plan scans cluster_members in full (measured: 30 ms instead of 2 ms a check).
ANALYZE_EVERY_NEW = 2000
ANALYZED_TABLES = "articles, cluster_members, clusters, lsh_buckets"
SQLITE_BUSY_TIMEOUT_MS = 5000  # how long SQLite itself waits for a lock before reporting "database is locked"
BUSY_RETRIES = 6
BUSY_FIRST_WAIT = 0.2  # seconds; doubles on every retry (about 12 s in all, on top of the busy timeout)
CONNECT_RETRIES = 4
CONNECT_FIRST_WAIT = 1.0  # seconds; doubles on every retry (15 s in all): a restarting server comes back
LIST_FIELDS = ("authors", "editors", "photographers", "attachments", "keywords", "page_urls", "print_urls",
               "date_candidates")
COPIED_FIELDS = ("url", "title", "subtitle", "source", "site_name", "category", "published_at", "date_precision",
                 "date_source", "summary", "body", "page_kind", "fetched_at", "archive_ref", "extractor_version",
                 "encoding", "encoding_source", "encoding_errors", *LIST_FIELDS)
# What an article split over pages gathers from all of them: its first page extracted alone (before its parts
# are ingested again) does not know them, so they keep their stored values (and so do its images).
PAGED_FIELDS = {"body", "keywords", "attachments", "page_urls"}
# a re-crawl or re-extraction refreshes them without changing the article
PROVENANCE_FIELDS = {"url", "fetched_at", "archive_ref", "extractor_version"}
COMPLETENESS_FIELDS = ("title", "published_at", "source", "authors", "editors", "summary", "subtitle", "category")
T = TypeVar("T")
# PostgreSQL advisory locks. Under READ COMMITTED two workers clustering syndicated copies at the same moment
# would each miss the other's uncommitted rows and both found a story, so a load transaction locks every
# near-duplicate bucket and content hash its articles read and write (`_lock_index_keys`): loads touching
# different stories run in parallel, two copies of one story one after the other. Every load shares LOAD_LOCK
# and `reindex` takes it alone. SQLite needs none of this: BEGIN IMMEDIATE admits one writer at a time.
MIGRATION_LOCK = 4242
LOAD_LOCK = 4243
# PostgreSQL keeps advisory locks in one shared table of max_locks_per_transaction × max_connections entries
# (64 × 100 by default) and fails a transaction that overflows it; a load takes one lock per bucket and hash
# (33 an article with the default 32 bands), so its transactions are this small: 1 650 locks, room for
# three loaders and everyone else at the defaults (docs/scaling.md).
PG_BATCH_SIZE = 50
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
DEDUP_INDEX = "dedup"  # IndexState row of the near-duplicate index
REBUILDING = "rebuilding"  # its value while `reindex` runs: loads wait for the rebuilt index


class StoreBusyError(RuntimeError):
    """The SQLite database stayed locked by another writer through every retry."""


class StoreUnavailableError(RuntimeError):
    """The database could not be reached through every retry, or cannot be used at all (it does not exist,
    the login or a privilege is refused, the URL is wrong); the message names the URL and the cause."""


class DedupIndexStaleError(config.ConfigError):
    """config/rules/dedup.yaml no longer matches the stored near-duplicate index; `dangjian reindex` rebuilds it."""


@dataclass
class LoadResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0  # articles (new or re-fingerprinted) that joined an existing story
    stories: int = 0  # new clusters founded by this load
    changed_fields: Counter[str] = field(default_factory=Counter)  # field -> stored rows it changed in

    def __iadd__(self, other: LoadResult) -> LoadResult:
        for name in (f.name for f in fields(self)):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


def _now() -> datetime:
    return datetime.now(UTC)


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _display_timezone() -> str:
    return config.settings().timezone


def _day_start(day: date) -> datetime:
    return datetime.combine(day, clock.min, tzinfo=ZoneInfo(_display_timezone()))


# --- engine --------------------------------------------------------------------------------------------


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


_ENGINE_LOCK = threading.Lock()


def _engine(url: str) -> Engine:
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
    _reachable(engine, lambda: _migrate(engine))
    return engine


def _reachable(engine: Engine, work: Callable[[], T]) -> T:
    """`work`, retried with backoff while the database cannot be reached; then a StoreUnavailableError. A
    database that answers but cannot be used (`_unusable`) fails at once: no retry makes it exist."""
    wait = CONNECT_FIRST_WAIT
    for attempt in range(CONNECT_RETRIES + 1):
        try:
            return work()
        except DBAPIError as error:
            where = engine.url.render_as_string(hide_password=True)
            if unusable := _unusable(error):
                raise StoreUnavailableError(f"{where}: {unusable}") from error
            if not isinstance(error, OperationalError) or _is_busy(error) or not _is_unreachable(engine, error):
                raise
            if attempt == CONNECT_RETRIES:
                raise StoreUnavailableError(f"{where}: the database cannot be reached after {CONNECT_RETRIES + 1} "
                                            f"attempts ({_driver_reason(error)})") from error
            engine.dispose()
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


def _migrate(engine: Engine) -> None:
    settings = Config()
    settings.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":  # several workers may start at once
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        settings.attributes["connection"] = connection
        command.upgrade(settings, "head")


def _is_busy(error: OperationalError) -> bool:
    return "locked" in str(error.orig) or "busy" in str(error.orig)


def _is_lock_conflict(error: OperationalError) -> bool:
    """PostgreSQL rolled the transaction back to break a deadlock or a serialization conflict: run it again."""
    return getattr(error.orig, "sqlstate", None) in LOCK_CONFLICTS


def _hash_lock_key(content_hash: str) -> int:
    """A content hash as an advisory lock key (a signed 64-bit integer, like the bucket keys)."""
    return int.from_bytes(bytes.fromhex(content_hash[:16]), signed=True)


# --- text for search -------------------------------------------------------------------------------------

_JOINING_SPACE = re.compile(r"(?<![A-Za-z0-9]) +| +(?![A-Za-z0-9])")  # spaces only jieba put there
_WORD = re.compile(r"\w")


def _tokens(text_: str) -> list[str]:
    # rjieba is jieba's algorithm and dictionary in Rust: the same tokens as jieba.lcut(HMM=False) on every
    # corpus body, at a fourteenth of the cost that made segmentation 70 % of a load.
    # Folded (full-width letters, digits and punctuation to their ASCII forms), so ＡＩ finds AI and back.
    return [token for token in rjieba.cut(fold(text_), hmm=False) if token.strip()]


def _words(text_: str) -> list[str]:
    return [token for token in _tokens(text_) if _WORD.search(token)]


def _search_terms(text_: str, words: set[str]) -> str:
    """Dictionary sub-words of long words (jieba's search mode), so 党建 finds 党建工作."""
    extra = {t for t in rjieba.cut_for_search(fold(text_), hmm=False) if t not in words and _WORD.search(t)}
    return " ".join(sorted(extra))


def _search_row(article_id: int, title: str | None, body: str) -> dict[str, Any]:
    title_tokens, body_tokens = _tokens(title or ""), _tokens(body)
    words = {t for t in (*title_tokens, *body_tokens) if _WORD.search(t)}
    return {"article_id": article_id, "title_tokens": " ".join(title_tokens), "body_tokens": " ".join(body_tokens),
            "terms": _search_terms(f"{title or ''}\n{body}", words)}


def _display_snippet(segmented: str) -> str:
    """Undo the segmentation: drop the spaces jieba added and join highlights of adjacent query words."""
    return _JOINING_SPACE.sub("", segmented).replace("][", "")


# --- article values ------------------------------------------------------------------------------------


def _same_page_urls(key: str, article: records.Article) -> set[str]:
    """The URLs that reached this very page (not its print views or later pages)."""
    return {url for url in (key, article.url, *article.aliases) if url}


def article_key(article: records.Article) -> str:
    key = article.canonical_url or article.url
    if not key:
        raise ValueError(f"article {article.title!r} has neither canonical_url nor url: the store keys on them")
    return key


def _known(value: Any) -> bool:
    return value not in (None, "", [])


def _values(article: records.Article) -> dict[str, Any]:
    values = {name: list(getattr(article, name)) if name in LIST_FIELDS else getattr(article, name)
              for name in COPIED_FIELDS}
    values["archive_ref"] = stored_ref(article.archive_ref)
    return values


def _merge(row: Article, values: dict[str, Any]) -> set[str]:
    """The new extraction replaces the stored fields as a whole: a field it no longer finds (an author or a
    date the old rules took from the wrong line) is cleared, never kept. Returns the fields that changed."""
    changed = set()
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.add(name)
    return changed


def _replace_images(row: Article, images: list[records.Image]) -> bool:
    wanted = [(image.url, image.caption) for image in images]
    if wanted == [(image.url, image.caption) for image in row.images]:
        return False
    for position, (url, caption) in enumerate(wanted):
        if position < len(row.images):
            row.images[position].url, row.images[position].caption = url, caption
        else:
            row.images.append(ArticleImage(position=position, url=url, caption=caption))
    del row.images[len(wanted):]
    return True


def _fingerprint(row: Article, rules: dedup.DedupRules) -> dedup.Fingerprint | None:
    fp = dedup.fingerprint(row.body, rules)
    row.content_hash = fp.content_hash if fp else dedup.content_hash(row.body, rules)
    row.minhash = dedup.signature_bytes(fp.signature) if fp else None
    return fp


def _completeness(row: Any) -> int:
    return sum(_known(getattr(row, name)) for name in COMPLETENESS_FIELDS)


def canonical_order(row: Any) -> tuple:
    """Canonical copy of a story: earliest published (undated last), then most complete metadata, then lowest id."""
    published = row.published_at
    return (published is None, published or datetime.max.replace(tzinfo=UTC), -_completeness(row), row.id)


# --- the near-duplicate index in tables ------------------------------------------------------------------


class _TableIndex:
    """`dedup.Index` over the lsh_buckets table and stored signatures: only clustered articles count.

    Keys are matched first and signatures fetched once per distinct article afterwards: similar articles
    share many buckets, and a signature is the bulk of each row.
    """

    def __init__(self, session: Session) -> None:
        self.session = session

    def _matches(self, key: Any, article_id: Any, values: Iterable[Any]) -> list[tuple[Any, int, int]]:
        found = []
        for chunk in _chunks(sorted(values), IN_CHUNK):
            query = (select(key, ClusterMember.article_id, ClusterMember.cluster_id)
                     .join(ClusterMember, ClusterMember.article_id == article_id).where(key.in_(chunk)))
            found.extend(self.session.execute(query).all())
        return found

    def _stored(self, matches: list[tuple[Any, int, int]]) -> Iterator[tuple[Any, dedup.Stored]]:
        signatures: dict[int, bytes] = {}
        for chunk in _chunks(sorted({article_id for _, article_id, _ in matches}), IN_CHUNK):
            signatures.update(self.session.execute(
                select(Article.id, Article.minhash).where(Article.id.in_(chunk), Article.minhash.is_not(None))
            ).all())
        decoded = {article_id: dedup.signature_from_bytes(blob) for article_id, blob in signatures.items()}
        for key, article_id, cluster_id in matches:
            if article_id in decoded:
                yield key, dedup.Stored(article_id, cluster_id, decoded[article_id])

    def by_hash(self, hashes: set[str]) -> dict[str, dedup.Stored]:
        found: dict[str, dedup.Stored] = {}
        for key, stored in self._stored(self._matches(Article.content_hash, Article.id, hashes)):
            if key not in found or stored.article_id < found[key].article_id:
                found[key] = stored
        return found

    def by_buckets(self, keys: set[int]) -> dict[int, list[dedup.Stored]]:
        found: dict[int, list[dedup.Stored]] = {}
        for key, stored in self._stored(self._matches(LshBucket.bucket, LshBucket.article_id, keys)):
            found.setdefault(key, []).append(stored)
        return found


# --- the store -------------------------------------------------------------------------------------------


class Store:
    def __init__(self, url: str | None = None) -> None:
        self.url = url or config.db_url()
        self.engine = _engine(self.url)
        self.dialect = self.engine.dialect.name
        self._new_since_analyze = 0

    # transactions

    def _write(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one transaction; retry while SQLite reports another writer holds the lock, and while
        the database cannot be reached (`_reachable`).

        A unique-key conflict is retried once: another worker (PostgreSQL) committed the same site or
        article between our read and our insert, and the second attempt sees and updates its row.
        """
        return _reachable(self.engine, lambda: self._write_once(work))

    def _write_once(self, work: Callable[[Session], T]) -> T:
        wait = BUSY_FIRST_WAIT
        conflicts = 0
        for attempt in range(BUSY_RETRIES + 1):
            try:
                with Session(self.engine, expire_on_commit=False) as session, session.begin():
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
                    raise StoreBusyError(
                        f"{self.url}: the database stayed locked by another writer through {BUSY_RETRIES} retries "
                        "(is another load or a long-running reader holding it?)") from error
                time.sleep(wait)
                wait *= 2
        raise AssertionError("unreachable")

    def _read(self) -> Session:
        return Session(self.engine)

    @staticmethod
    def _site_id(session: Session, name: str) -> int:
        site_id = session.scalar(select(Site.id).where(Site.name == name))
        if site_id is None:
            site = Site(name=name, created_at=_now())
            session.add(site)
            session.flush()
            site_id = site.id
        return site_id

    # runs and fetches

    def start_run(self, site: str, mode: str) -> int:
        def work(session: Session) -> int:
            run = CrawlRun(site_id=self._site_id(session, site), mode=mode, status="running", started_at=_now())
            session.add(run)
            session.flush()
            return run.id

        return self._write(work)

    def finish_run(self, run_id: int, *, stats: dict, error: str | None = None, health: str | None = None,
                   health_reason: str | None = None, health_signals: dict | None = None) -> None:
        self._write(lambda session: session.execute(
            update(CrawlRun).where(CrawlRun.id == run_id).values(
                finished_at=_now(), stats=json.loads(json.dumps(stats, default=str)), error=error,
                status="failed" if error else "ok", health=health, health_reason=health_reason,
                health_signals=health_signals)))

    def run_history(self, site: str | None = None, *, runs: int = 30, before: int | None = None) -> list[dict]:
        """Each site's last `runs` finished runs (all sites', or `site`'s), oldest first, runs before run id
        `before` only: when they started, how they ended and were judged, and the signals they showed."""
        numbered = (select(CrawlRun.id, func.row_number().over(partition_by=CrawlRun.site_id,
                                                               order_by=CrawlRun.id.desc()).label("n"))
                    .join(Site).where(CrawlRun.finished_at.is_not(None)))
        if site is not None:
            numbered = numbered.where(Site.name == site)
        if before is not None:
            numbered = numbered.where(CrawlRun.id < before)
        latest = numbered.subquery()
        query = (select(Site.name, CrawlRun).join(Site).join(latest, latest.c.id == CrawlRun.id)
                 .where(latest.c.n <= runs).order_by(Site.name, CrawlRun.id))
        with self._read() as session:
            return [{"site": name, "id": run.id, "mode": run.mode, "status": run.status,
                     "started_at": run.started_at, "finished_at": run.finished_at, "error": run.error,
                     "health": run.health, "health_reason": run.health_reason,
                     "health_signals": run.health_signals} for name, run in session.execute(query)]

    def record_fetches(self, pages: Iterable[records.FetchedPage], *, run_id: int | None) -> None:
        """Pointers to raw responses (the bytes stay in the WARC archive), one per archive record: a record read
        again (`reprocess`) keeps the row its crawl recorded. A page with no archive record (a text dump read by
        `ingest-text`) was never fetched: it has no row."""
        archived = (page for page in pages if page.archive_ref)
        for chunk in _chunks(archived, BATCH_SIZE):
            self._write(lambda session, chunk=chunk: self._record_fetches(session, chunk, run_id))

    def _record_fetches(self, session: Session, pages: list[records.FetchedPage], run_id: int | None) -> None:
        run_site = session.scalar(select(CrawlRun.site_id).where(CrawlRun.id == run_id)) if run_id else None
        site_ids = {name: self._site_id(session, name) for name in {p.site for p in pages if p.site}}
        now = _now()
        dialect_insert = sqlite.insert if self.dialect == "sqlite" else postgresql.insert
        session.execute(dialect_insert(Fetch).on_conflict_do_nothing(index_elements=["archive_ref"]), [
            {"run_id": run_id, "site_id": site_ids.get(page.site, run_site), "url": page.url,
             "status": page.status, "kind": page.kind, "fetched_at": page.fetched_at,
             "archive_ref": stored_ref(page.archive_ref), "list_url": page.list_url, "part_of": page.part_of,
             "part_number": page.part_number, "content_type": page.content_type, "size": len(page.body),
             "recorded_at": now}
            for page in pages])

    # loading

    def load(self, articles: Iterable[records.Article], *, site: str, run_id: int | None = None) -> LoadResult:
        """Upsert articles (one transaction per batch) and cluster new text against everything stored.

        `run_id` is accepted for symmetry with `record_fetches`; the article rows carry first/last seen times.
        """
        result = LoadResult()
        rules = dedup.load_rules()
        for chunk in _chunks(articles, PG_BATCH_SIZE if self.dialect == "postgresql" else BATCH_SIZE):
            latest = {article_key(a): a for a in chunk}  # a URL twice in one batch: the later extraction wins
            result += self._write(lambda session, latest=latest: self._load_batch(session, latest, site, rules))
        self._refresh_statistics(result.new)
        return result

    def _refresh_statistics(self, new_rows: int) -> None:
        self._new_since_analyze += new_rows
        if self.dialect == "postgresql" and self._new_since_analyze >= ANALYZE_EVERY_NEW:
            with self.engine.begin() as connection:
                connection.execute(text(f"ANALYZE {ANALYZED_TABLES}"))
            self._new_since_analyze = 0

    def _load_batch(self, session: Session, batch: dict[str, records.Article], site: str,
                    rules: dedup.DedupRules) -> LoadResult:
        now, result = _now(), LoadResult()
        self._share_index(session)
        self._check_dedup_index(session, rules)
        site_id = self._site_id(session, site)
        existing, views = self._stored_rows(session, batch)
        rows, updated, refingerprint, retitled = [], [], [], []
        for key, article in batch.items():
            if key in views:
                result.unchanged += 1
                continue
            row = existing.get(key)
            if row is None:
                row = Article(site_id=site_id, canonical_url=key, first_seen_at=now, updated_at=now,
                              **_values(article))
                row.images = [ArticleImage(position=i, url=im.url, caption=im.caption)
                              for i, im in enumerate(article.images)]
                session.add(row)
                result.new += 1
                refingerprint.append(row)
            else:
                alone = bool(row.page_urls) and not article.page_urls
                values = {k: v for k, v in _values(article).items() if not (alone and k in PAGED_FIELDS)}
                changed = _merge(row, values) - PROVENANCE_FIELDS
                if not alone and _replace_images(row, article.images):
                    changed.add("images")
                result.changed_fields.update(changed)
                if changed:
                    row.updated_at = now
                    result.updated += 1
                    updated.append(row)
                    if "body" in changed:
                        refingerprint.append(row)
                    elif "title" in changed:
                        retitled.append(row)
                else:
                    result.unchanged += 1
            row.last_seen_at = now
            rows.append((row, article))
        prints = [_fingerprint(row, rules) for row in refingerprint]  # before the flush: one INSERT per row
        session.flush()
        self._record_urls(session, rows, now)
        self._index_search(session, [*refingerprint, *retitled])
        self._lock_index_keys(session, prints)  # as late as possible: the locks are held until commit
        touched = set(session.scalars(select(ClusterMember.cluster_id).where(
            ClusterMember.article_id.in_([row.id for row in updated]))))  # new metadata may change the canonical
        touched |= self._cluster(session, refingerprint, prints, rules, result)
        self._choose_canonical(session, touched)
        return result

    def _stored_rows(self, session: Session, batch: dict[str, records.Article]
                     ) -> tuple[dict[str, Article], set[str]]:
        """The stored row of each key, and the keys that are no article of their own.

        A key is found as a row's canonical URL, else as any URL the row was reached at (the article's key
        changed: a canonical link appeared, or is no longer trusted); the row then moves to the new key. A key
        that is another article's print view or later page (this batch's or a stored row's) is that article
        seen again, never a row of its own."""
        rows = {row.canonical_url: row for chunk in _chunks(batch, IN_CHUNK)
                for row in session.scalars(select(Article).where(Article.canonical_url.in_(chunk)))}
        views = {url for article in batch.values() for url in (*article.print_urls, *article.page_urls)}
        views &= batch.keys() - rows.keys()
        wanted = {key: _same_page_urls(key, article) for key, article in batch.items()
                  if key not in rows and key not in views}
        owners: dict[str, Article] = {}
        for chunk in _chunks(sorted(set().union(*wanted.values())), IN_CHUNK):
            query = (select(ArticleUrl.url, Article).join(Article, Article.id == ArticleUrl.article_id)
                     .where(ArticleUrl.url.in_(chunk)).order_by(Article.id))
            for url, row in session.execute(query):
                owners.setdefault(url, row)
        claimed = {row.id for row in rows.values()}
        for key, urls in wanted.items():
            found = next((owners[url] for url in sorted(urls) if url in owners), None)
            if found is None:
                continue
            if key in (*found.print_urls, *found.page_urls) or found.id in claimed:
                views.add(key)  # a view of it, or the same page under two keys in one batch: loaded once
            else:
                claimed.add(found.id)
                found.canonical_url = key
                rows[key] = found
        return rows, views

    def _share_index(self, session: Session) -> None:
        """A load shares the index with other loads; `reindex`, which rebuilds it, waits for them all."""
        if self.dialect == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock_shared(:key)"), {"key": LOAD_LOCK})

    def _own_index(self, session: Session) -> None:
        if self.dialect == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOAD_LOCK})

    def _lock_index_keys(self, session: Session, prints: list[dedup.Fingerprint | None]) -> None:
        """Lock (until commit) every bucket and content hash `prints` will be looked up by and filed under, so
        a concurrent load of a copy of the same story waits for this one and then sees it. The keys go in
        ascending order, one statement, so two loads never wait on each other in a circle."""
        if self.dialect != "postgresql":
            return
        keys = sorted({key for fp in prints if fp for key in (*fp.bucket_keys, _hash_lock_key(fp.content_hash))})
        if keys:
            session.execute(text("SELECT count(pg_advisory_xact_lock(key)) FROM unnest(CAST(:keys AS bigint[])) "
                                 "AS key"), {"keys": keys})

    def _check_dedup_index(self, session: Session, rules: dedup.DedupRules, *, claim: bool = True) -> None:
        """Refuse to match fingerprints made with other dedup.yaml parameters than the stored ones: they would
        never match, and every syndicated copy would silently become a story of its own. With `claim`, an index
        without a record (the first load, or a database older than the index_state table) is recorded as built
        with the current parameters."""
        wanted = rules.index_key_json()
        state = session.get(IndexState, DEDUP_INDEX)
        if state is None:
            if claim:
                session.add(IndexState(name=DEDUP_INDEX, value=wanted, updated_at=_now()))
                session.flush()
        elif state.value == REBUILDING:
            raise DedupIndexStaleError(f"{self._where()}: `dangjian reindex` has not finished rebuilding the "
                                       "near-duplicate index; run it to the end, then load (nothing was loaded)")
        elif state.value != wanted:
            stored = json.loads(state.value)
            changed = ", ".join(f"{key} {stored.get(key)!r} → {value!r}" for key, value in rules.index_key.items()
                                if stored.get(key) != value)
            raise DedupIndexStaleError(
                f"{self._where()}: config/rules/dedup.yaml changed since the near-duplicate index was built "
                f"({changed}); run `dangjian reindex` to rebuild it with the new settings (nothing was loaded)")

    def _where(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def reindex(self, on_batch: Callable[[int, int], None] | None = None) -> LoadResult:
        """Rebuild hashes, signatures, buckets and stories of every stored article with the current dedup.yaml,
        in load order; `on_batch(done, total)` hears progress.

        Loads refuse to run until it finishes (the index is marked as rebuilding first), and an interrupted
        rebuild is simply run again: it starts from scratch.
        """
        rules = dedup.load_rules()

        def clear(session: Session) -> list[int]:
            self._own_index(session)
            session.merge(IndexState(name=DEDUP_INDEX, value=REBUILDING, updated_at=_now()))
            session.execute(delete(LshBucket))
            session.execute(delete(ClusterMember))
            session.execute(delete(Cluster))
            return list(session.scalars(select(Article.id).order_by(Article.id)))

        def rebuild(session: Session, ids: list[int]) -> LoadResult:
            self._own_index(session)
            result = LoadResult()
            rows = list(session.scalars(select(Article).where(Article.id.in_(ids)).order_by(Article.id)))
            prints = [_fingerprint(row, rules) for row in rows]
            session.flush()
            self._choose_canonical(session, self._cluster(session, rows, prints, rules, result))
            return result

        ids = self._write(clear)
        result = LoadResult()
        for done, chunk in enumerate(_chunks(ids, BATCH_SIZE), start=1):
            result += self._write(lambda session, chunk=chunk: rebuild(session, chunk))
            self._refresh_statistics(len(chunk))
            if on_batch:
                on_batch(min(done * BATCH_SIZE, len(ids)), len(ids))
        self._write(lambda session: session.merge(
            IndexState(name=DEDUP_INDEX, value=rules.index_key_json(), updated_at=_now())))
        return result

    def _record_urls(self, session: Session, rows: list[tuple[Article, records.Article]], now: datetime) -> None:
        seen = {(row.id, url) for row, article in rows
                for url in (row.canonical_url, article.url, article.canonical_url, *article.aliases,
                            *article.print_urls, *article.page_urls) if url}
        if not seen:
            return
        dialect_insert = sqlite.insert if self.dialect == "sqlite" else postgresql.insert
        statement = dialect_insert(ArticleUrl)
        statement = statement.on_conflict_do_update(index_elements=["article_id", "url"],
                                                    set_={"last_seen_at": statement.excluded.last_seen_at})
        session.execute(statement, [{"article_id": article_id, "url": url, "first_seen_at": now,
                                     "last_seen_at": now} for article_id, url in sorted(seen)])

    def _cluster(self, session: Session, rows: list[Article], prints: list[dedup.Fingerprint | None],
                 rules: dedup.DedupRules, result: LoadResult) -> set[int]:
        """File each of `rows` (new, or with a new body) into a story; returns the clusters touched."""
        if not rows:
            return set()
        ids = [row.id for row in rows]
        previous = set(session.scalars(select(ClusterMember.cluster_id).where(ClusterMember.article_id.in_(ids))))
        session.execute(delete(LshBucket).where(LshBucket.article_id.in_(ids)))
        session.execute(delete(ClusterMember).where(ClusterMember.article_id.in_(ids)))
        assignments = dedup.cluster_batch(prints, _TableIndex(session), rules)
        founded = {a.founder: Cluster(created_at=_now()) for a in assignments if a.cluster_id is None}
        session.add_all(founded.values())
        session.flush()
        members = []
        for row, chosen in zip(rows, assignments, strict=True):
            cluster_id = chosen.cluster_id if chosen.cluster_id is not None else founded[chosen.founder].id
            members.append({"article_id": row.id, "cluster_id": cluster_id, "similarity": chosen.similarity,
                            "match_kind": chosen.kind, "matched_article_id": chosen.matched_article_id})
        session.execute(ClusterMember.__table__.insert(), members)  # Core executemany: no ORM per-row cost
        buckets = [{"bucket": key, "article_id": row.id}
                   for row, fp in zip(rows, prints, strict=True) if fp for key in set(fp.bucket_keys)]
        if buckets:
            session.execute(LshBucket.__table__.insert(), buckets)
        result.duplicates += sum(a.kind != "founder" for a in assignments)
        result.stories += len(founded)
        return previous | {m["cluster_id"] for m in members}

    def _choose_canonical(self, session: Session, cluster_ids: set[int]) -> None:
        if self.dialect == "postgresql":
            # A concurrent load may add a member to one of these stories under another key: wait for it, then
            # choose among every member (READ COMMITTED reads them afresh after the wait). In id order: no cycles.
            for chunk in _chunks(sorted(cluster_ids), IN_CHUNK):
                session.execute(select(Cluster.id).where(Cluster.id.in_(chunk)).order_by(Cluster.id).with_for_update())
        members: dict[int, list[Any]] = {}
        for chunk in _chunks(sorted(cluster_ids), IN_CHUNK):
            query = (select(ClusterMember.cluster_id, Article.id,
                            *(getattr(Article, name) for name in COMPLETENESS_FIELDS))
                     .join(Article, Article.id == ClusterMember.article_id)
                     .where(ClusterMember.cluster_id.in_(chunk)))
            for row in session.execute(query):
                members.setdefault(row.cluster_id, []).append(row)
        empty = cluster_ids - set(members)
        if empty:
            session.execute(delete(Cluster).where(Cluster.id.in_(empty)))
        choices = [{"cluster": cluster_id, "canonical": min(rows, key=canonical_order).id}
                   for cluster_id, rows in members.items()]
        if choices:
            session.execute(update(Cluster.__table__).where(Cluster.id == bindparam("cluster"))
                            .values(canonical_article_id=bindparam("canonical")), choices)

    def _index_search(self, session: Session, rows: list[Article]) -> None:
        if not rows:
            return
        ids = [row.id for row in rows]
        session.execute(delete(ArticleSearch).where(ArticleSearch.article_id.in_(ids)))
        session.execute(ArticleSearch.__table__.insert(), [_search_row(row.id, row.title, row.body) for row in rows])

    # reading

    def check(self, body: str) -> dedup.Assignment:
        """Which stored story a body would join, without storing it (kind "founder": a new story)."""
        rules = dedup.load_rules()
        with self._read() as session:
            self._check_dedup_index(session, rules, claim=False)
            return dedup.cluster_batch([dedup.fingerprint(body, rules)], _TableIndex(session), rules)[0]

    def first_pages(self, urls: Iterable[str]) -> dict[str, str]:
        """The archive_ref of each URL's latest successful fetch as an article."""
        found: dict[str, str] = {}
        with self._read() as session:
            for chunk in _chunks(sorted(set(urls)), IN_CHUNK):
                query = (select(Fetch.url, Fetch.archive_ref)
                         .where(Fetch.url.in_(chunk), Fetch.kind == "article", Fetch.status == 200,
                                Fetch.archive_ref.is_not(None)).order_by(Fetch.id))
                found.update(session.execute(query).all())
        return found

    def part_pages(self, first_pages: Iterable[str]) -> dict[str, list[tuple[int, str]]]:
        """The archived later pages of each first page, as (page number, archive_ref) in page order: the
        latest successful fetch of each number."""
        found: dict[str, dict[int, str]] = {}
        with self._read() as session:
            for chunk in _chunks(sorted(set(first_pages)), IN_CHUNK):
                query = (select(Fetch.part_of, Fetch.part_number, Fetch.archive_ref)
                         .where(Fetch.part_of.in_(chunk), Fetch.kind == "part", Fetch.status == 200,
                                Fetch.part_number.is_not(None), Fetch.archive_ref.is_not(None))
                         .order_by(Fetch.id))
                for first, number, ref in session.execute(query):
                    found.setdefault(first, {})[number] = ref
        return {first: sorted(parts.items()) for first, parts in found.items()}

    def known_urls(self, site: str) -> set[str]:
        """Canonical URLs of the site's stored articles, and every other URL they were seen at."""
        query = (select(ArticleUrl.url).join(Article, Article.id == ArticleUrl.article_id).join(Site)
                 .where(Site.name == site))
        with self._read() as session:
            return set(session.scalars(query))

    def current_urls(self, site: str, extractor_version: str) -> set[str]:
        """Every URL of the site's articles whose fields `extractor_version` produced: what
        `reprocess --outdated` leaves alone."""
        query = (select(ArticleUrl.url).join(Article, Article.id == ArticleUrl.article_id).join(Site)
                 .where(Site.name == site, Article.extractor_version == extractor_version))
        with self._read() as session:
            return set(session.scalars(query))

    def export_rows(self, *, all_copies: bool = False, since: date | None = None, site: str | None = None,
                    typed: bool = False) -> Iterator[dict]:
        """One row per story (its canonical copy) or, with `all_copies`, one per stored copy.

        Every row is `Article.to_json()` plus `id`, `cluster_id`, `is_canonical`, `story_url` (the canonical
        copy's URL) and `urls` (every URL where any copy of the story was seen; with `all_copies`, where this
        copy was seen). `since` keeps articles published on or after that day (first seen, when undated);
        `site` keeps stories with a copy on that site (with `all_copies`: that site's copies). With `typed`,
        `published_at` and `fetched_at` stay aware UTC datetimes (`date_precision` says how much of
        `published_at` is known) for formats that have a timestamp type, instead of their display text.
        """
        query = (select(ClusterMember.article_id, ClusterMember.cluster_id, Cluster.canonical_article_id)
                 .join(Cluster, Cluster.id == ClusterMember.cluster_id)
                 .join(Article, Article.id == ClusterMember.article_id))
        if not all_copies:
            query = query.where(ClusterMember.article_id == Cluster.canonical_article_id)
        if since:
            query = query.where(func.coalesce(Article.published_at, Article.first_seen_at) >= _day_start(since))
        if site:
            site_articles = select(Article.id).join(Site).where(Site.name == site)
            query = query.where(ClusterMember.article_id.in_(site_articles) if all_copies else
                                ClusterMember.cluster_id.in_(select(ClusterMember.cluster_id).where(
                                    ClusterMember.article_id.in_(site_articles))))
        with self._read() as session:
            picked = session.execute(query.order_by(ClusterMember.cluster_id, ClusterMember.article_id)).all()
            for chunk in _chunks(picked, BATCH_SIZE):
                yield from self._export_chunk(session, chunk, all_copies, typed)

    def _export_chunk(self, session: Session, chunk: list[Any], all_copies: bool, typed: bool) -> Iterator[dict]:
        article_ids = {row.article_id for row in chunk} | {row.canonical_article_id for row in chunk}
        articles = {a.id: a for a in session.scalars(select(Article).where(Article.id.in_(article_ids)))}
        sites = dict(session.execute(select(Site.id, Site.name)).all())
        owner = ArticleUrl.article_id if all_copies else ClusterMember.cluster_id
        url_query = (select(ArticleUrl.article_id, ClusterMember.cluster_id, ArticleUrl.url)
                     .join(ClusterMember, ClusterMember.article_id == ArticleUrl.article_id)
                     .where(owner.in_({row.article_id if all_copies else row.cluster_id for row in chunk})))
        urls: dict[int, set[str]] = {}
        own_urls: dict[int, set[str]] = {}
        for article_id, cluster_id, url in session.execute(url_query):
            urls.setdefault(article_id if all_copies else cluster_id, set()).add(url)
            own_urls.setdefault(article_id, set()).add(url)
        tz = _display_timezone()
        for row in chunk:
            article = articles[row.article_id]
            data = to_record(article, sites[article.site_id]).to_json(tz)
            data.update(id=article.id, cluster_id=row.cluster_id,
                        is_canonical=row.article_id == row.canonical_article_id,
                        story_url=articles[row.canonical_article_id].canonical_url,
                        urls=sorted(urls.get(row.article_id if all_copies else row.cluster_id, ())),
                        aliases=sorted(own_urls.get(article.id, set()) - {article.canonical_url}))
            if typed:
                data.update(published_at=article.published_at, fetched_at=article.fetched_at)
            yield data

    def search(self, query: str, *, site: str | None = None, since: date | None = None, limit: int = 20
               ) -> list[dict]:
        """Ranked full-text hits, best first, one per story, each with a snippet (matches in [brackets])."""
        words = _words(query)
        if not words:
            return []
        conditions, params = [], {"limit": limit * 3}
        if site:
            conditions.append("s.name = :site")
            params["site"] = site
        if since:
            conditions.append("COALESCE(a.published_at, a.first_seen_at) >= :since")
            params["since"] = _day_start(since)
        where = "".join(f" AND {c}" for c in conditions)
        if self.dialect == "sqlite":
            params["match"] = " AND ".join('"' + w.replace('"', '""') + '"' for w in words)
            sql = f"""SELECT a.id, -bm25(article_fts, 4.0, 1.0, 0.5) AS rank,
                        snippet(article_fts, 1, '[', ']', '…', 24) AS snippet
                      FROM article_fts JOIN articles a ON a.id = article_fts.rowid JOIN sites s ON s.id = a.site_id
                      WHERE article_fts MATCH :match{where} ORDER BY rank DESC LIMIT :limit"""
        else:
            params["words"] = " ".join(words)
            document = "to_tsvector('simple', x.title_tokens || ' ' || x.body_tokens || ' ' || x.terms)"
            sql = f"""SELECT a.id, ts_rank_cd({document}, q) AS rank,
                        ts_headline('simple', x.body_tokens, q,
                                    'StartSel=[, StopSel=], MaxWords=24, MinWords=8, MaxFragments=1') AS snippet
                      FROM article_search x, plainto_tsquery('simple', :words) q, articles a, sites s
                      WHERE {document} @@ q AND a.id = x.article_id AND s.id = a.site_id{where}
                      ORDER BY rank DESC LIMIT :limit"""
        statement = text(sql).bindparams(*([bindparam("since", type_=UTCDateTime())] if since else []))
        with self._read() as session:
            hits = session.execute(statement, params).all()
            return self._search_results(session, hits, limit)

    def _search_results(self, session: Session, hits: Sequence[Any], limit: int) -> list[dict]:
        ids = [hit.id for hit in hits]
        rows = session.execute(select(Article.id, Article.title, Article.canonical_url, Article.published_at,
                                      Article.date_precision, Site.name, ClusterMember.cluster_id)
                               .join(Site).join(ClusterMember, ClusterMember.article_id == Article.id)
                               .where(Article.id.in_(ids))).all()
        by_id = {row.id: row for row in rows}
        results, seen_clusters = [], set()
        tz = _display_timezone()
        for hit in hits:
            row = by_id[hit.id]
            if row.cluster_id in seen_clusters:
                continue
            seen_clusters.add(row.cluster_id)
            results.append({"id": row.id, "cluster_id": row.cluster_id, "site": row.name, "title": row.title,
                            "url": row.canonical_url, "rank": float(hit.rank),
                            "published_at": records.format_published(row.published_at, row.date_precision, tz),
                            "snippet": _display_snippet(hit.snippet)})
        return results[:limit]

    def stats(self) -> list[dict]:
        """Per site: articles, stories it holds the canonical copy of, duplicates, date range, runs."""
        canonical = select(Cluster.canonical_article_id)
        query = (select(Site.name, func.count(Article.id).label("articles"),
                        func.count(Article.id).filter(Article.id.in_(canonical)).label("stories"),
                        func.min(Article.published_at).label("first_published"),
                        func.max(Article.published_at).label("last_published"))
                 .select_from(Site).outerjoin(Article, Article.site_id == Site.id).group_by(Site.name)
                 .order_by(Site.name))
        runs = self._run_summaries()
        with self._read() as session:
            return [{"site": row.name, "articles": row.articles, "stories": row.stories,
                     "duplicates": row.articles - row.stories,
                     "first_published": _utc(row.first_published), "last_published": _utc(row.last_published),
                     **runs.get(row.name, _NO_RUNS)}
                    for row in session.execute(query)]

    def date_sources(self) -> list[dict]:
        """How many articles each date source dated (None: undated), most first: what an operator audits."""
        query = (select(Article.date_source, func.count(Article.id).label("articles"))
                 .group_by(Article.date_source)
                 .order_by(func.count(Article.id).desc(), Article.date_source.asc().nulls_last()))
        with self._read() as session:
            return [{"date_source": row.date_source, "articles": row.articles} for row in session.execute(query)]

    def sites_summary(self) -> list[dict]:
        return [{"name": row["site"], "last_crawl": row["last_run"], "articles": row["articles"],
                 "last_error": row["last_error"]} for row in self.stats()]

    def _run_summaries(self) -> dict[str, dict]:
        query = (select(Site.name, CrawlRun.started_at, CrawlRun.error, CrawlRun.health, CrawlRun.health_reason)
                 .join(Site).order_by(CrawlRun.id))
        summaries: dict[str, dict] = {}
        with self._read() as session:
            for name, started_at, error, health, health_reason in session.execute(query):
                summary = summaries.setdefault(name, dict(_NO_RUNS))
                summary["runs"] += 1
                summary["last_run"] = started_at
                summary["health"], summary["health_reason"] = health, health_reason
                if error:
                    summary["errors"] += 1
                    summary["last_error"] = error
        return summaries


_NO_RUNS = {"runs": 0, "errors": 0, "last_run": None, "last_error": None, "health": None, "health_reason": None}


def _utc(value: datetime | None) -> datetime | None:
    """Aggregates bypass the column type: SQLite gives naive UTC (sometimes as text) back."""
    if value is None or isinstance(value, datetime) and value.tzinfo:
        return value
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC)


def to_record(row: Article, site: str) -> records.Article:
    """The stored article as the pipeline's plain record."""
    values = {name: getattr(row, name) for name in COPIED_FIELDS}
    return records.Article(canonical_url=row.canonical_url, site=site,
                           images=[records.Image(i.url, i.caption) for i in row.images], **values)

