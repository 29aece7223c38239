"""Load + dedup: synthetic articles clustered in memory, then loaded into SQLite and PostgreSQL.

Bodies are recombined at run time from sentences of the real-page corpus (nothing of it is written to the
repo); about one article in ten is a syndicated copy of an earlier one on another site, dressed the way
reposts are (`【转载】` prefix, a changed 来源 line, one edited sentence). The ground truth (which story each
article tells) gives the clustering's recall on copies and its false merges of distinct stories.

Figures: bulk clustering with the pure functions (`dedup.cluster_all`); `Store.load` throughput per backend
in batches; per-article time to check one new article against the stored index (fingerprint + indexed
bucket lookup, nothing written) and to load one article end to end (its own transaction); and PostgreSQL
loaded by one loader process, then by two at once (alternate batches each, so a story's copies often land in
the other loader's batches at the same moment), with the stories both find checked against each other and
the CPU each loader and its server backend spent an article.

Every loaded article first goes through the pipeline's dedup step (`indexing.prepare`: hash, MinHash
fingerprint, search words), which ingest runs in its extraction workers before the load; here it runs
before the timed loads and its own cost is reported beside them.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import re
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from lxml import html as lxml_html

from benchmarks.common import (
    Section,
    Skipped,
    Table,
    corpus_dir,
    corpus_pages,
    median,
    percentile,
    progress,
    timed,
    verdict,
)
from pipelines import dedup, indexing
from pipelines.decode import DecodeError, decode_bytes
from pipelines.records import Article

BULK_TARGET_S = 120.0  # clustering 100 000 articles
CHECK_TARGET_MS = 5.0  # checking one new article against the stored index
PARALLEL_SPEEDUP_TARGET = 1.8  # two loaders on PostgreSQL against one
PARALLEL_RATE_TARGET = 1000.0  # articles/s of two PostgreSQL loaders together
BULK_TARGET_ARTICLES = 100_000
SEED = 20210604
SITES = 20
LOAD_BATCH = 1000
SINGLE_LOADS = 100  # articles loaded one per transaction after the bulk load
SYNDICATED_SHARE = 0.1
PARAGRAPHS_PER_ARTICLE = (3, 8)
SENTENCES_PER_PARAGRAPH = (2, 5)
MIN_SENTENCE = 12
HAN = re.compile(r"[\u4e00-\u9fff]")
SPACE = re.compile(r"\s+")
SENTENCE = re.compile(r"[^。！？]+[。！？]")
SENTENCE_END = "。"
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
ZONE = ZoneInfo("Asia/Shanghai")


# --- synthetic articles --------------------------------------------------------------------------------


def corpus_sentences(corpus: Path) -> list[str]:
    """Distinct Chinese sentences of the corpus pages' <p> texts (in memory only).

    Sentences, not whole paragraphs, are recombined: with a few thousand paragraphs, 100 000 articles would
    share whole paragraphs far more often than real, distinct stories do.
    """
    seen: dict[str, None] = {}
    for path in corpus_pages(corpus):
        try:
            tree = lxml_html.fromstring(decode_bytes(path.read_bytes()))
        except (DecodeError, ValueError):
            continue
        for element in tree.iter("p"):
            for sentence in SENTENCE.findall(SPACE.sub("", element.text_content())):
                if MIN_SENTENCE <= len(sentence) and len(HAN.findall(sentence)) > len(sentence) / 2:
                    seen.setdefault(sentence)
    return list(seen)


def paragraph(sentences: list[str], rng: random.Random) -> str:
    return "".join(rng.sample(sentences, rng.randint(*SENTENCES_PER_PARAGRAPH)))


@dataclass
class Synthetic:
    articles: list[Article]
    story: list[int]  # the story each article tells: an original's own position, a copy's original's

    @property
    def copies(self) -> int:
        return sum(story != position for position, story in enumerate(self.story))


def syndicate(body: str, rng: random.Random) -> str:
    """A repost: reprint mark, a credit line of the reposting site, one sentence reworded."""
    paragraphs = body.split("\n\n")
    target = rng.randrange(len(paragraphs))
    sentences = paragraphs[target].split(SENTENCE_END)
    edited = rng.randrange(len(sentences))
    sentences[edited] = sentences[edited][: len(sentences[edited]) // 2] + "，进一步抓好贯彻落实"
    paragraphs[target] = SENTENCE_END.join(sentences)
    credit = f"来源：{rng.choice(('区委组织部', '市委宣传部', '党建办', '融媒体中心'))}"
    return "\n\n".join([f"【转载】{paragraphs[0]}", *paragraphs[1:], credit])


def site_of(position: int) -> str:
    """Consecutive batches come from different sites, so copies usually cross sites, as syndication does."""
    return f"bench_site_{(position // LOAD_BATCH) % SITES:02d}"


def synthesize(sentences: list[str], count: int, seed: int = SEED, start: int = 0) -> Synthetic:
    rng = random.Random(seed)
    articles: list[Article] = []
    story: list[int] = []
    originals: list[int] = []
    first_day = datetime(2019, 1, 1, 9, 0, tzinfo=ZONE)
    for offset in range(count):
        position = start + offset
        if originals and rng.random() < SYNDICATED_SHARE:
            original = rng.choice(originals)
            body = syndicate(articles[original - start].body, rng)
            story.append(story[original - start])
        else:
            body = "\n\n".join(paragraph(sentences, rng) for _ in range(rng.randint(*PARAGRAPHS_PER_ARTICLE)))
            originals.append(position)
            story.append(position)
        site = site_of(position)
        articles.append(
            Article(
                url=f"http://127.0.0.1/{site}/{position}.html",
                site=site,
                title=body[:24],
                body=body,
                published_at=first_day + timedelta(minutes=7 * position),
                date_precision="minute",
                date_source="bench",
                extractor_version="bench",
            )
        )
    return Synthetic(articles, story)


def prepare_for_load(articles: list[Article]) -> float:
    """Run the dedup step on every article, as ingest does before the load: milliseconds an article."""
    started = time.perf_counter()
    for article in articles:
        indexing.prepare(article)
    return 1000 * (time.perf_counter() - started) / len(articles)


def clustering_quality(truth: list[int], clusters: list[int]) -> tuple[int, int, int]:
    """(copies found with their original, copies missed, distinct stories merged into another's cluster).

    `cluster_all` numbers a cluster by its founder's position, so an original that founded none was merged.
    """
    copies = [(position, story) for position, story in enumerate(truth) if story != position]
    found = sum(clusters[position] == clusters[story] for position, story in copies)
    merged = sum(
        1 for position, story in enumerate(truth) if story == position and clusters[position] != position
    )
    return found, len(copies) - found, merged


# --- pure clustering -------------------------------------------------------------------------------------


def bulk_clustering(data: Synthetic) -> tuple[Table, list[str]]:
    bodies = [article.body for article in data.articles]
    progress(f"clustering {len(bodies):,} articles in memory")
    clusters: list[int] = []
    timing = timed(len(bodies), lambda: clusters.extend(dedup.cluster_all(bodies)))
    found, missed, merged = clustering_quality(data.story, clusters)
    table = Table(
        "Bulk clustering in memory (`dedup.cluster_all`)",
        [
            "articles",
            "syndicated copies",
            "s",
            "articles/s",
            "copies clustered",
            "copies missed",
            "distinct stories merged",
        ],
    )
    table.add(len(bodies), data.copies, timing.wall, timing.per_second, found, missed, merged)
    projected = timing.wall * BULK_TARGET_ARTICLES / len(bodies)
    return table, [
        f"bulk dedup of {BULK_TARGET_ARTICLES:,} articles: {projected:.1f} s "
        f"{'measured' if len(bodies) == BULK_TARGET_ARTICLES else 'projected linearly'}, target "
        f"{verdict(projected, BULK_TARGET_S, at_most=True)}"
    ]


def memory_checks(data: Synthetic, probes: list[Article]) -> list[float]:
    """Milliseconds to fingerprint one new article and look it up in an in-memory index of `data`."""
    progress(f"indexing {len(data.articles):,} articles in memory for single checks")
    index = dedup.MemoryIndex()
    for position, article in enumerate(data.articles):
        fp = dedup.fingerprint(article.body)
        if fp is not None:
            index.add(dedup.Stored(position, position, fp.signature), fp)
    return [_check_ms(index, probe.body) for probe in probes]


def _check_ms(index, body: str) -> float:
    started = time.perf_counter()
    dedup.cluster_batch([dedup.fingerprint(body)], index)
    return 1000 * (time.perf_counter() - started)


# --- the store -------------------------------------------------------------------------------------------


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="dangjian-bench-") as directory:
        yield f"sqlite:///{Path(directory) / 'bench.db'}"


@contextmanager
def postgres_url() -> Iterator[str]:
    """A throwaway database on the local server, dropped afterwards (even when the benchmark fails)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    name = f"dangjian_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(
        f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        raise Skipped(f"PostgreSQL on 127.0.0.1:5432 is not answering ({exc.orig})") from exc
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def store_round(url: str, data: Synthetic, probes: list[Article], fresh_loads: list[Article]) -> dict:
    from sqlalchemy.orm import Session

    from pipelines.store import Store
    from pipelines.store.near_dups import TableIndex

    store = Store(url)
    batches = [data.articles[i : i + LOAD_BATCH] for i in range(0, len(data.articles), LOAD_BATCH)]
    results = []
    timing = timed(
        len(data.articles), lambda: results.extend(store.load(batch, site=batch[0].site) for batch in batches)
    )
    with Session(store.engine) as session:
        index = TableIndex(session)  # the store's own index over its tables
        checks = [_check_ms(index, probe.body) for probe in probes]
    loads = []
    for article in fresh_loads:
        started = time.perf_counter()
        store.load([article], site=article.site)
        loads.append(1000 * (time.perf_counter() - started))
    store.engine.dispose()
    return {
        "timing": timing,
        "duplicates": sum(r.duplicates for r in results),
        "stories": sum(r.stories for r in results),
        "checks": checks,
        "loads": loads,
    }


def store_rounds(
    data: Synthetic, probes: list[Article], fresh_loads: list[Article]
) -> tuple[Table, list[str]]:
    table = Table(
        f"`Store.load` in batches of {LOAD_BATCH}, then single new articles",
        [
            "backend",
            "articles",
            "load s",
            "articles/s",
            "copies joined a story",
            "stories",
            "check one: median ms",
            "check one: p95 ms",
            "load one: median ms",
            "load one: p95 ms",
        ],
    )
    notes = []
    for backend, database in (("SQLite", sqlite_url), ("PostgreSQL", postgres_url)):
        progress(f"loading {len(data.articles):,} articles into {backend}")
        try:
            with database() as url:
                outcome = store_round(url, data, probes, fresh_loads)
        except Skipped as skipped:
            notes.append(f"{backend} skipped: {skipped}")
            continue
        checks, loads = outcome["checks"], outcome["loads"]
        table.add(
            backend,
            len(data.articles),
            outcome["timing"].wall,
            outcome["timing"].per_second,
            outcome["duplicates"],
            outcome["stories"],
            median(checks),
            percentile(checks, 0.95),
            median(loads),
            percentile(loads, 0.95),
        )
        p95 = percentile(checks, 0.95)
        notes.append(
            f"{backend}: checking one new article against {len(data.articles):,} stored, p95 {p95:.2f} ms, "
            f"target {verdict(p95, CHECK_TARGET_MS, at_most=True)}"
        )
    return table, notes


def _server_cpu_seconds(backends: set[int]) -> float | None:
    """CPU the server processes `backends` used so far (they run on this machine); None where /proc says nothing."""
    try:
        return sum(_process_cpu_seconds(Path(f"/proc/{pid}/stat").read_text()) for pid in backends)
    except OSError:
        return None


def _process_cpu_seconds(stat: str) -> float:
    utime, stime = stat.rsplit(")", 1)[1].split()[11:13]  # fields 14 and 15 of proc_pid_stat(5)
    return (int(utime) + int(stime)) / os.sysconf("SC_CLK_TCK")


def _loader(url: str, sentences: list[str], count: int, share: int, loaders: int, start, results) -> None:
    """One loader process: its share of the batches (every `loaders`-th), prepared by the dedup step and then
    loaded once all loaders are ready; it reports its own CPU and that of its server backends."""
    from sqlalchemy import event

    from pipelines.store import Store

    data = synthesize(sentences, count)
    batches = [data.articles[i : i + LOAD_BATCH] for i in range(0, count, LOAD_BATCH)][share::loaders]
    prepare_for_load([article for batch in batches for article in batch])
    store = Store(url)
    store.engine.dispose()  # every connection from here on is one whose backend is counted
    backends: set[int] = set()

    @event.listens_for(store.engine, "connect")
    def _count_backend(connection, _record) -> None:
        with connection.cursor() as cursor:
            backends.add(cursor.execute("SELECT pg_backend_pid()").fetchone()[0])

    store.engine.connect().close()
    start.wait()
    cpu, server_cpu = time.process_time(), _server_cpu_seconds(backends)
    loaded = [store.load(batch, site=batch[0].site) for batch in batches]
    cpu, server_after = time.process_time() - cpu, _server_cpu_seconds(backends)
    store.engine.dispose()
    server = None if server_cpu is None or server_after is None else server_after - server_cpu
    results.put((sum(r.duplicates for r in loaded), sum(r.stories for r in loaded), cpu, server))


@dataclass
class ParallelRound:
    wall: float  # seconds from the moment every loader had its articles ready
    duplicates: int  # copies that joined a story
    stories: int
    loader_cpu: float  # seconds, all loader processes
    server_cpu: float | None  # seconds, their PostgreSQL backends (None: the server is not on this machine)


def parallel_round(sentences: list[str], count: int, loaders: int) -> ParallelRound:
    """`loaders` processes load `count` articles into a fresh PostgreSQL database."""
    spawn = multiprocessing.get_context("spawn")  # no engine or connection inherited from this process
    with postgres_url() as url:
        from pipelines.store import Store

        Store(url).engine.dispose()  # the schema, before the loaders race to create it
        start, results = spawn.Barrier(loaders + 1), spawn.Queue()
        processes = [spawn.Process(target=_loader, args=(url, sentences, count, share, loaders, start, results))
                     for share in range(loaders)]
        for process in processes:
            process.start()
        start.wait()
        started = time.perf_counter()
        outcomes = [results.get() for _ in processes]
        wall = time.perf_counter() - started
        for process in processes:
            process.join()
    servers = [server for *_, server in outcomes]
    return ParallelRound(wall, sum(o[0] for o in outcomes), sum(o[1] for o in outcomes), sum(o[2] for o in outcomes),
                         None if None in servers else sum(servers))


def parallel_loads(sentences: list[str], data: Synthetic) -> tuple[Table, list[str]]:
    count = len(data.articles)
    table = Table(
        f"PostgreSQL, one loader process and two at once ({count:,} articles in batches of {LOAD_BATCH})",
        ["loaders", "load s", "articles/s", "vs one loader", "copies joined a story", "stories", "true stories",
         "loader CPU ms/article", "server CPU ms/article"],
    )
    rounds: dict[int, ParallelRound] = {}
    for loaders in (1, 2):
        progress(f"loading {count:,} articles into PostgreSQL with {loaders} loader process(es)")
        try:
            rounds[loaders] = parallel_round(sentences, count, loaders)
        except Skipped as skipped:
            return table, [f"parallel loads skipped: {skipped}"]
    true_stories = len(set(data.story))
    for loaders, outcome in rounds.items():
        server = "n/a" if outcome.server_cpu is None else 1000 * outcome.server_cpu / count
        table.add(loaders, outcome.wall, count / outcome.wall, rounds[1].wall / outcome.wall, outcome.duplicates,
                  outcome.stories, true_stories, 1000 * outcome.loader_cpu / count, server)
    speedup, rate = rounds[1].wall / rounds[2].wall, count / rounds[2].wall
    same = (rounds[1].duplicates, rounds[1].stories) == (rounds[2].duplicates, rounds[2].stories)
    notes = [
        f"two PostgreSQL loaders: {speedup:.2f}x one loader, target {verdict(speedup, PARALLEL_SPEEDUP_TARGET)}; "
        f"{rate:,.0f} articles/s together, target {verdict(rate, PARALLEL_RATE_TARGET)}",
        f"two loaders found {'the same' if same else 'DIFFERENT'} stories as one "
        f"({rounds[2].stories:,} vs {rounds[1].stories:,}; {true_stories:,} true)",
    ]
    if rounds[2].server_cpu is not None:
        per_article = (rounds[2].loader_cpu + rounds[2].server_cpu) / count
        cores = os.cpu_count() or 1
        notes.append(f"CPU of a two-loader load, loaders and their server backends: {1000 * per_article:.2f} ms an "
                     f"article, so {cores} cores with nothing else to do top out near {cores / per_article:,.0f} "
                     "articles/s")
    return table, notes


def unseen_articles(
    sentences: list[str], stored: list[Article], checks: int, loads: int
) -> tuple[list[Article], list[Article]]:
    """Not stored yet: `checks` probes (half reposts of stored stories, half new text) and `loads` more."""
    extra = synthesize(sentences, checks + loads, seed=SEED + 1, start=len(stored)).articles
    rng = random.Random(SEED)
    for probe in extra[: checks // 2]:
        probe.body = syndicate(rng.choice(stored).body, rng)
    return extra[:checks], extra[checks:]


def run(dedup_articles: int, load_articles: int, checks: int) -> Section:
    section = Section(
        "Load + dedup",
        f"{dedup_articles:,} articles clustered in memory, {load_articles:,} loaded "
        f"per database, {checks} single-article checks; {SYNDICATED_SHARE:.0%} syndicated copies",
    )
    try:
        sentences = corpus_sentences(corpus_dir())
    except Skipped as skipped:
        section.notes.append(f"skipped: {skipped}")
        return section
    data = synthesize(sentences, max(dedup_articles, load_articles))
    stored = Synthetic(data.articles[:load_articles], data.story[:load_articles])
    probes, fresh = unseen_articles(sentences, stored.articles, checks, min(checks, SINGLE_LOADS))
    table, notes = bulk_clustering(Synthetic(data.articles[:dedup_articles], data.story[:dedup_articles]))
    section.tables.append(table)
    section.notes += notes
    memory = memory_checks(stored, probes)
    section.notes.append(
        f"in-memory index of {load_articles:,}: check one new article median {median(memory):.2f} ms, "
        f"p95 {percentile(memory, 0.95):.2f} ms"
    )
    prepare_ms = prepare_for_load([*stored.articles, *probes, *fresh])
    section.notes.append(
        f"dedup step before the load (`indexing.prepare`, in ingest's extraction workers; outside every timed "
        f"load below): {prepare_ms:.2f} ms an article"
    )
    table, notes = store_rounds(stored, probes, fresh)
    section.tables.append(table)
    section.notes += notes
    table, notes = parallel_loads(sentences, stored)
    section.tables.append(table)
    section.notes += notes
    section.notes.append(
        f"{len(sentences):,} distinct corpus sentences recombined; bodies of "
        f"{PARAGRAPHS_PER_ARTICLE[0]}-{PARAGRAPHS_PER_ARTICLE[1]} paragraphs of "
        f"{SENTENCES_PER_PARAGRAPH[0]}-{SENTENCES_PER_PARAGRAPH[1]} sentences"
    )
    return section
