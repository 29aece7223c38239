"""The near-duplicate index in tables: content hashes and MinHash signatures on articles, LSH buckets in
lsh_buckets, stories in clusters and cluster_members; filing articles into stories, the locks that keep
concurrent loads from splitting one story, and rebuilding it all (`reindex`).

PostgreSQL advisory locks: under READ COMMITTED two workers clustering syndicated copies at the same moment
would each miss the other's uncommitted rows and both found a story, so a load transaction locks every
near-duplicate bucket and content hash its articles read and write (`lock_index_keys`): loads touching
different stories run in parallel, two copies of one story one after the other. Every load shares LOAD_LOCK
and `reindex` takes it alone. SQLite needs none of this: BEGIN IMMEDIATE admits one writer at a time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from pipelines import config, dedup
from pipelines.models import Article, Cluster, ClusterMember, IndexState, LshBucket
from pipelines.store.article_rows import COMPLETENESS_FIELDS, canonical_order
from pipelines.store.engine import where
from pipelines.store.shared import dialect, insert_rows, matching, now, update_rows

LOAD_LOCK = 4243
DEDUP_INDEX = "dedup"  # IndexState row of the near-duplicate index
REBUILDING = "rebuilding"  # its value while `reindex` runs: loads wait for the rebuilt index


class DedupIndexStaleError(config.ConfigError):
    """config/rules/dedup.yaml no longer matches the stored near-duplicate index; `dangjian reindex` rebuilds it."""


class TableIndex:
    """`dedup.Index` over the lsh_buckets table and stored signatures: only clustered articles count.

    Keys are matched first and signatures fetched once per distinct article afterwards: similar articles
    share many buckets, and a signature is the bulk of each row.
    """

    def __init__(self, session: Session) -> None:
        self.session = session

    def _matches(self, key: Any, article_id: Any, values: Iterable[Any]) -> list[tuple[Any, int, int]]:
        found = []
        for condition in matching(self.session, key, values):
            query = (select(key, ClusterMember.article_id, ClusterMember.cluster_id)
                     .join(ClusterMember, ClusterMember.article_id == article_id).where(condition))
            found.extend(self.session.execute(query).all())
        return found

    def _stored(self, matches: list[tuple[Any, int, int]]) -> Iterator[tuple[Any, dedup.Stored]]:
        signatures: dict[int, bytes] = {}
        for condition in matching(self.session, Article.id, (article_id for _, article_id, _ in matches)):
            signatures.update(self.session.execute(
                select(Article.id, Article.minhash).where(condition, Article.minhash.is_not(None))).all())
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


# --- locks -----------------------------------------------------------------------------------------------


def share_index(session: Session) -> None:
    """A load shares the index with other loads; `reindex`, which rebuilds it, waits for them all."""
    if dialect(session) == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock_shared(:key)"), {"key": LOAD_LOCK})


def own_index(session: Session) -> None:
    if dialect(session) == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOAD_LOCK})


def _hash_lock_key(content_hash: str) -> int:
    """A content hash as an advisory lock key (a signed 64-bit integer, like the bucket keys)."""
    return int.from_bytes(bytes.fromhex(content_hash[:16]), signed=True)


def lock_index_keys(session: Session, prints: list[dedup.Fingerprint | None]) -> None:
    """Lock (until commit) every bucket and content hash `prints` will be looked up by and filed under, so
    a concurrent load of a copy of the same story waits for this one and then sees it. The keys go in
    ascending order, one statement, so two loads never wait on each other in a circle."""
    if dialect(session) != "postgresql":
        return
    keys = sorted({key for fp in prints if fp for key in (*fp.bucket_keys, _hash_lock_key(fp.content_hash))})
    if keys:
        session.execute(text("SELECT count(pg_advisory_xact_lock(key)) FROM unnest(CAST(:keys AS bigint[])) "
                             "AS key"), {"keys": keys})


# --- the index's parameters ------------------------------------------------------------------------------


def check_dedup_index(session: Session, rules: dedup.DedupRules, *, claim: bool = True) -> None:
    """Refuse to match fingerprints made with other dedup.yaml parameters than the stored ones: they would
    never match, and every syndicated copy would silently become a story of its own. With `claim`, an index
    without a record (the first load, or a database older than the index_state table) is recorded as built
    with the current parameters."""
    wanted = rules.index_key_json()
    state = session.get(IndexState, DEDUP_INDEX)
    if state is None:
        if claim:
            session.add(IndexState(name=DEDUP_INDEX, value=wanted, updated_at=now()))
            session.flush()
    elif state.value == REBUILDING:
        raise DedupIndexStaleError(f"{where(session.get_bind())}: `dangjian reindex` has not finished rebuilding "
                                   "the near-duplicate index; run it to the end, then load (nothing was loaded)")
    elif state.value != wanted:
        stored = json.loads(state.value)
        changed = ", ".join(f"{key} {stored.get(key)!r} → {value!r}" for key, value in rules.index_key.items()
                            if stored.get(key) != value)
        raise DedupIndexStaleError(
            f"{where(session.get_bind())}: config/rules/dedup.yaml changed since the near-duplicate index was "
            f"built ({changed}); run `dangjian reindex` to rebuild it with the new settings (nothing was loaded)")


def record_index(session: Session, value: str) -> None:
    session.merge(IndexState(name=DEDUP_INDEX, value=value, updated_at=now()))


# --- filing into stories ---------------------------------------------------------------------------------


def fingerprint(row: Article, rules: dedup.DedupRules) -> dedup.Fingerprint | None:
    """Set the row's content hash and signature from its body; the fingerprint, None for a body too short."""
    return keep_fingerprint(row, *dedup.hash_and_fingerprint(row.body, rules))


def keep_fingerprint(row: Article, content_hash: str, fp: dedup.Fingerprint | None) -> dedup.Fingerprint | None:
    """Set the row's content hash and signature to those of its body (computed before the load); `fp` again."""
    row.content_hash = content_hash
    row.minhash = dedup.signature_bytes(fp.signature) if fp else None
    return fp


def cluster(session: Session, rows: list[Article], prints: list[dedup.Fingerprint | None],
            rules: dedup.DedupRules) -> tuple[set[int], int, int]:
    """File each of `rows` (new, or with a new body) into a story: the clusters touched, how many rows joined
    an existing story, and how many stories were founded."""
    if not rows:
        return set(), 0, 0
    ids = [row.id for row in rows]
    previous = set(session.scalars(select(ClusterMember.cluster_id).where(ClusterMember.article_id.in_(ids))))
    session.execute(delete(LshBucket).where(LshBucket.article_id.in_(ids)))
    session.execute(delete(ClusterMember).where(ClusterMember.article_id.in_(ids)))
    assignments = dedup.cluster_batch(prints, TableIndex(session), rules)
    founded = {a.founder: Cluster(created_at=now()) for a in assignments if a.cluster_id is None}
    session.add_all(founded.values())
    session.flush()
    members = []
    for row, chosen in zip(rows, assignments, strict=True):
        cluster_id = chosen.cluster_id if chosen.cluster_id is not None else founded[chosen.founder].id
        members.append({"article_id": row.id, "cluster_id": cluster_id, "similarity": chosen.similarity,
                        "match_kind": chosen.kind, "matched_article_id": chosen.matched_article_id})
    insert_rows(session, ClusterMember.__table__, members)
    insert_rows(session, LshBucket.__table__, [{"bucket": key, "article_id": row.id}
                                               for row, fp in zip(rows, prints, strict=True) if fp
                                               for key in set(fp.bucket_keys)])
    duplicates = sum(a.kind != "founder" for a in assignments)
    return previous | {m["cluster_id"] for m in members}, duplicates, len(founded)


def choose_canonical(session: Session, cluster_ids: set[int]) -> None:
    """Point each of the clusters at its canonical copy (`canonical_order`); drop the ones left empty."""
    if dialect(session) == "postgresql":
        # A concurrent load may add a member to one of these stories under another key: wait for it, then
        # choose among every member (READ COMMITTED reads them afresh after the wait). In id order: no cycles.
        for condition in matching(session, Cluster.id, cluster_ids):
            session.execute(select(Cluster.id).where(condition).order_by(Cluster.id).with_for_update())
    members: dict[int, list[Any]] = {}
    for condition in matching(session, ClusterMember.cluster_id, cluster_ids):
        query = (select(ClusterMember.cluster_id, Article.id,
                        *(getattr(Article, name) for name in COMPLETENESS_FIELDS))
                 .join(Article, Article.id == ClusterMember.article_id).where(condition))
        for row in session.execute(query):
            members.setdefault(row.cluster_id, []).append(row)
    empty = cluster_ids - set(members)
    if empty:
        session.execute(delete(Cluster).where(Cluster.id.in_(empty)))
    update_rows(session, Cluster.__table__, "id", [
        {"id": cluster_id, "canonical_article_id": min(rows, key=canonical_order).id}
        for cluster_id, rows in members.items()])


def clear(session: Session) -> list[int]:
    """Mark the index as rebuilding and empty it: every article's id, in load order, to file again."""
    own_index(session)
    record_index(session, REBUILDING)
    session.execute(delete(LshBucket))
    session.execute(delete(ClusterMember))
    session.execute(delete(Cluster))
    return list(session.scalars(select(Article.id).order_by(Article.id)))


def refile(session: Session, ids: list[int], rules: dedup.DedupRules) -> tuple[int, int]:
    """Fingerprint and file again the articles `ids` of a cleared index: how many joined a story, how many
    stories were founded."""
    own_index(session)
    rows = list(session.scalars(select(Article).where(Article.id.in_(ids)).order_by(Article.id)))
    prints = [fingerprint(row, rules) for row in rows]
    session.flush()
    touched, duplicates, founded = cluster(session, rows, prints, rules)
    choose_canonical(session, touched)
    return duplicates, founded
