"""Exact and near-duplicate detection: the same story syndicated across sites becomes one cluster.

Exact copies share `content_hash`, the SHA-256 of the body after syndication furniture (来源/编辑 lines,
`【转载】` marks) is dropped, NFKC is applied and everything but letters and digits is removed. Near copies
are found with MinHash LSH: the body's shingles give a datasketch MinHash signature, the signature is cut
into bands, and every band hashes to a 64-bit bucket key. Two articles sharing any bucket are candidates;
a candidate is the same story when the estimated Jaccard similarity reaches the configured threshold.

The index persists as plain rows (bucket key, article id) plus a signature per article, so a new article
is checked with one indexed lookup and no rebuild. `cluster_batch` holds the decision logic; it asks an
`Index` for stored candidates: `MemoryIndex` here, the database-backed one in `pipelines/store/near_dups.py`.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Literal, Protocol

import numpy as np
from datasketch import MinHash

from pipelines import config

ShingleKind = Literal["char", "word"]
MatchKind = Literal["founder", "exact", "near"]
_NOT_WORD = re.compile(r"[\W_]+")
_POLY = np.uint32(0x01000193)  # FNV prime: mixes code points position-dependently before MinHash's own fmix


@dataclass(frozen=True)
class DedupRules:
    shingle: ShingleKind = "char"
    shingle_size: int = 5
    num_perm: int = 128
    bands: int = 32
    threshold: float = 0.5
    min_chars: int = 60
    seed: int = 1
    ignore_patterns: tuple[re.Pattern[str], ...] = ()

    def __post_init__(self) -> None:
        if self.shingle not in ("char", "word"):
            raise config.ConfigError(f"dedup.yaml: shingle must be 'char' or 'word', not {self.shingle!r}")
        if self.num_perm % self.bands:
            raise config.ConfigError(f"dedup.yaml: bands ({self.bands}) must divide num_perm ({self.num_perm})")

    @property
    def rows(self) -> int:
        return self.num_perm // self.bands

    @property
    def index_key(self) -> dict:
        """The parameters every stored hash, signature and bucket depends on (the threshold is applied when
        matching, so it may change freely)."""
        return {"shingle": self.shingle, "shingle_size": self.shingle_size, "num_perm": self.num_perm,
                "bands": self.bands, "min_chars": self.min_chars, "seed": self.seed,
                "ignore_patterns": [pattern.pattern for pattern in self.ignore_patterns]}

    def index_key_json(self) -> str:
        return json.dumps(self.index_key, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_mapping(cls, data: dict) -> DedupRules:
        values = dict(data)
        try:
            values["ignore_patterns"] = tuple(re.compile(p) for p in values.get("ignore_patterns") or ())
        except re.error as exc:
            raise config.ConfigError(f"dedup.yaml: ignore_patterns: {exc}") from exc
        unknown = set(values) - set(cls.__dataclass_fields__)
        if unknown:
            raise config.ConfigError(f"dedup.yaml: unknown keys {sorted(unknown)}")
        return cls(**values)


@cache
def load_rules() -> DedupRules:
    return DedupRules.from_mapping(config.rules("dedup") or {})


@dataclass(frozen=True, slots=True)
class Fingerprint:
    content_hash: str
    signature: np.ndarray  # uint32[num_perm]
    bucket_keys: tuple[int, ...]  # one signed 64-bit key per band


def strip_furniture(text: str, rules: DedupRules) -> str:
    for pattern in rules.ignore_patterns:
        text = pattern.sub("", text)
    return text


def normalize_text(text: str) -> str:
    """NFKC, then only letters and digits: whitespace, punctuation and symbols differ between copies."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text)).lower()


def comparable_text(body: str, rules: DedupRules) -> str:
    return normalize_text(strip_furniture(body, rules))


def content_hash(body: str, rules: DedupRules | None = None) -> str:
    return hashlib.sha256(comparable_text(body, rules or load_rules()).encode()).hexdigest()


def _ngram_hashes(units: np.ndarray, size: int) -> np.ndarray:
    """Distinct 32-bit hashes of every run of `size` consecutive units (the whole run when shorter)."""
    size = min(size, len(units))
    hashes = np.zeros(len(units) - size + 1, dtype=np.uint32)
    with np.errstate(over="ignore"):
        for offset in range(size):
            hashes = hashes * _POLY + units[offset : offset + len(hashes)]
    return np.unique(hashes)


def _word_ids(text: str) -> np.ndarray:
    import jieba  # imported lazily: loading its dictionary costs a second and char shingles never need it

    words = [w for w in jieba.lcut(text, HMM=False) if w.strip()]
    return np.array([int.from_bytes(hashlib.blake2b(w.encode(), digest_size=4).digest()) for w in words],
                    dtype=np.uint32)


def shingle_hashes(normalized: str, rules: DedupRules) -> np.ndarray:
    units = (np.frombuffer(normalized.encode("utf-32-le"), dtype=np.uint32) if rules.shingle == "char"
             else _word_ids(normalized))
    return _ngram_hashes(units, rules.shingle_size) if len(units) else units


@cache
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    a, b = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
    return a.reshape(-1, 1), b.reshape(-1, 1)


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's finalizer, as datasketch's affine32 scheme applies it to every input hash."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def signature(normalized: str, rules: DedupRules) -> np.ndarray:
    """The hash values of a datasketch `MinHash(num_perm, seed, scheme="affine32")` fed the shingle hashes.

    Computed here in one in-place numpy pass: datasketch's `update_batch` builds Python lists and
    temporaries and is ten times slower, which the 100 000-article bulk budget cannot afford.
    """
    a, b = _permutations(rules.num_perm, rules.seed)
    hashes = _fmix32(shingle_hashes(normalized, rules))
    permuted = np.empty((rules.num_perm, len(hashes)), dtype=np.uint32)
    with np.errstate(over="ignore"):
        np.multiply(a, hashes, out=permuted)
        permuted += b
    return permuted.min(axis=1)


def band_keys(sig: np.ndarray, rules: DedupRules) -> tuple[int, ...]:
    bands = sig.astype("<u4").reshape(rules.bands, rules.rows)
    return tuple(
        int.from_bytes(hashlib.blake2b(band.tobytes(), digest_size=8, salt=index.to_bytes(8)).digest(), signed=True)
        for index, band in enumerate(bands)
    )


def fingerprint(body: str, rules: DedupRules | None = None) -> Fingerprint | None:
    """None for bodies too short to tell one story from another: those never cluster."""
    rules = rules or load_rules()
    normalized = comparable_text(body, rules)
    if len(normalized) < rules.min_chars:
        return None
    sig = signature(normalized, rules)
    return Fingerprint(hashlib.sha256(normalized.encode()).hexdigest(), sig, band_keys(sig, rules))


def hash_and_fingerprint(body: str, rules: DedupRules) -> tuple[str, Fingerprint | None]:
    """The body's content hash, and its fingerprint (None for a body too short): what the index files it under."""
    fp = fingerprint(body, rules)
    return (fp.content_hash if fp else content_hash(body, rules)), fp


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures (share of equal MinHash values)."""
    return float(np.count_nonzero(a == b)) / len(a)


def signature_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def signature_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)


@dataclass(frozen=True, slots=True)
class Stored:
    """An article already in the index."""

    article_id: int
    cluster_id: int
    signature: np.ndarray


class Index(Protocol):
    def by_hash(self, hashes: set[str]) -> dict[str, Stored]: ...

    def by_buckets(self, keys: set[int]) -> dict[int, list[Stored]]: ...


@dataclass(slots=True)
class Assignment:
    """Where one new article goes: an existing cluster, or the new cluster founded by batch item `founder`."""

    cluster_id: int | None
    founder: int | None
    kind: MatchKind
    similarity: float = 1.0
    matched_article_id: int | None = None  # the stored article it matched (None: itself or a batch-mate)


def _resolve(assignments: list[Assignment], index: int) -> tuple[int | None, int | None]:
    chosen = assignments[index]
    return chosen.cluster_id, chosen.founder


def cluster_batch(prints: Sequence[Fingerprint | None], index: Index, rules: DedupRules | None = None
                  ) -> list[Assignment]:
    """Assign each new article (in order) to a stored cluster, an earlier batch-mate's cluster, or a new one.

    Two bulk lookups fetch every stored candidate for the whole batch; batch-mates are matched in memory.
    An article joins the cluster of its most similar candidate at or above the threshold; exact hash
    equality wins outright.
    """
    rules = rules or load_rules()
    present = [fp for fp in prints if fp is not None]
    stored_exact = index.by_hash({fp.content_hash for fp in present}) if present else {}
    stored_near = index.by_buckets({key for fp in present for key in fp.bucket_keys}) if present else {}
    local_hash: dict[str, int] = {}
    local_buckets: dict[int, list[int]] = {}
    assignments: list[Assignment] = []
    for position, fp in enumerate(prints):
        assignments.append(_assign(position, fp, stored_exact, stored_near, local_hash, local_buckets,
                                   assignments, prints, rules))
        if fp is not None:
            local_hash.setdefault(fp.content_hash, position)
            for key in fp.bucket_keys:
                local_buckets.setdefault(key, []).append(position)
    return assignments


def _assign(position: int, fp: Fingerprint | None, stored_exact: dict[str, Stored],
            stored_near: dict[int, list[Stored]], local_hash: dict[str, int], local_buckets: dict[int, list[int]],
            assignments: list[Assignment], prints: Sequence[Fingerprint | None], rules: DedupRules) -> Assignment:
    if fp is None:
        return Assignment(None, position, "founder")
    if (hit := stored_exact.get(fp.content_hash)) is not None:
        return Assignment(hit.cluster_id, None, "exact", 1.0, hit.article_id)
    if (mate := local_hash.get(fp.content_hash)) is not None:
        return Assignment(*_resolve(assignments, mate), "exact", 1.0)
    stored = {s.article_id: s for key in fp.bucket_keys for s in stored_near.get(key, ())}
    mates = sorted({m for key in fp.bucket_keys for m in local_buckets.get(key, ())})
    if not stored and not mates:
        return Assignment(None, position, "founder")
    signatures = np.stack([*(s.signature for s in stored.values()), *(prints[m].signature for m in mates)])
    scores = np.count_nonzero(signatures == fp.signature, axis=1)
    best = int(scores.argmax())
    score = float(scores[best]) / len(fp.signature)
    if score < rules.threshold:
        return Assignment(None, position, "founder")
    if best < len(stored):
        hit = list(stored.values())[best]
        return Assignment(hit.cluster_id, None, "near", score, hit.article_id)
    return Assignment(*_resolve(assignments, mates[best - len(stored)]), "near", score)


@dataclass
class MemoryIndex:
    """An in-process `Index` (tests, benchmarks, one-off bulk runs); the store keeps the same data in tables."""

    hashes: dict[str, Stored] = field(default_factory=dict)
    buckets: dict[int, list[Stored]] = field(default_factory=dict)

    def by_hash(self, hashes: set[str]) -> dict[str, Stored]:
        return {h: self.hashes[h] for h in hashes if h in self.hashes}

    def by_buckets(self, keys: set[int]) -> dict[int, list[Stored]]:
        return {k: self.buckets[k] for k in keys if k in self.buckets}

    def add(self, stored: Stored, fp: Fingerprint) -> None:
        self.hashes.setdefault(fp.content_hash, stored)
        for key in fp.bucket_keys:
            self.buckets.setdefault(key, []).append(stored)


def cluster_all(bodies: Iterable[str], rules: DedupRules | None = None, batch_size: int = 1000) -> list[int]:
    """Cluster number of every body, in order (bulk dedup without a database); cluster ids are founder positions."""
    rules = rules or load_rules()
    index = MemoryIndex()
    clusters: list[int] = []
    batch: list[str] = []

    def flush() -> None:
        prints = [fingerprint(body, rules) for body in batch]
        start = len(clusters)
        for offset, (fp, chosen) in enumerate(zip(prints, cluster_batch(prints, index, rules), strict=True)):
            cluster = chosen.cluster_id if chosen.cluster_id is not None else start + chosen.founder
            clusters.append(cluster)
            if fp is not None:
                index.add(Stored(start + offset, cluster, fp.signature), fp)
        batch.clear()

    for body in bodies:
        batch.append(body)
        if len(batch) >= batch_size:
            flush()
    flush()
    return clusters
