"""Duplicate detection: normalization, fingerprints, clustering, and precision/recall on a labelled set."""

from __future__ import annotations

import dataclasses
import json
import random

import pytest
from datasketch import MinHash

from pipelines import config, dedup
from tests.pipelines import syndication

RULES = dedup.load_rules()


def test_normalization_ignores_width_whitespace_and_punctuation():
    assert dedup.normalize_text("２０２１年，党建　工作！\n Ｂｉｇ") == dedup.normalize_text("2021年党建工作big")
    assert dedup.normalize_text("党建、工作") == "党建工作"


def test_the_exact_hash_ignores_syndication_furniture():
    body = "各级党组织要压紧压实管党治党政治责任。\n推动全面从严治党向纵深发展。"
    reprinted = f"【转载】\n来源：东湖日报\n{body}\n（责任编辑：王建国）"
    assert dedup.content_hash(reprinted, RULES) == dedup.content_hash(body, RULES)
    assert dedup.content_hash(body.replace("纵深", "深入"), RULES) != dedup.content_hash(body, RULES)


def test_the_signature_is_the_datasketch_minhash_of_the_shingles():
    normalized = dedup.comparable_text(syndication.story(random.Random(1)).body, RULES)
    reference = MinHash(num_perm=RULES.num_perm, seed=RULES.seed, hashfunc=int)
    reference.update_batch(dedup.shingle_hashes(normalized, RULES).tolist())
    assert (dedup.signature(normalized, RULES) == reference.hashvalues).all()


def test_signatures_survive_a_round_trip_through_bytes():
    fp = dedup.fingerprint(syndication.story(random.Random(2)).body, RULES)
    assert (dedup.signature_from_bytes(dedup.signature_bytes(fp.signature)) == fp.signature).all()
    assert len(fp.bucket_keys) == RULES.bands and all(-(2**63) <= k < 2**63 for k in fp.bucket_keys)


def test_short_bodies_never_cluster():
    assert dedup.fingerprint("暂无内容", RULES) is None
    assert dedup.cluster_all(["暂无内容", "暂无内容"], RULES) == [0, 1]


def test_copies_join_their_original_and_other_stories_stay_apart():
    rng = random.Random(4)
    first, second = syndication.story(rng), syndication.story(rng)
    bodies = [first.body, second.body, *syndication.copies_of(first.body, rng, count=3)]
    assert dedup.cluster_all(bodies, RULES, batch_size=2) == [0, 1, 0, 0, 0]


def test_a_later_batch_finds_stored_copies_through_the_index():
    rng = random.Random(6)
    original = syndication.story(rng).body
    index = dedup.MemoryIndex()
    fp = dedup.fingerprint(original, RULES)
    index.add(dedup.Stored(article_id=10, cluster_id=3, signature=fp.signature), fp)
    copy, other = syndication.copies_of(original, rng, count=1)[0], syndication.story(rng).body
    near, exact, new = dedup.cluster_batch(
        [dedup.fingerprint(b, RULES) for b in (copy, original, other)], index, RULES)
    assert (near.cluster_id, near.kind, near.matched_article_id) == (3, "near", 10)
    assert RULES.threshold <= near.similarity < 1
    assert (exact.cluster_id, exact.kind, exact.similarity) == (3, "exact", 1.0)
    assert (new.cluster_id, new.founder, new.kind) == (None, 2, "founder")


def test_rules_are_validated():
    with pytest.raises(config.ConfigError, match="bands"):
        dedup.DedupRules.from_mapping({"num_perm": 128, "bands": 30})
    with pytest.raises(config.ConfigError, match="unknown keys"):
        dedup.DedupRules.from_mapping({"treshold": 0.5})


def test_generated_labelled_set_meets_the_precision_and_recall_targets():
    data = syndication.generated_set()
    precision, recall = syndication.precision_recall(dedup.cluster_all(data.bodies, RULES), data)
    assert precision >= 0.98 and recall >= 0.95


def test_a_lower_threshold_would_merge_hard_negatives():
    """The labelled set is hard enough to tell thresholds apart: a loose one merges same-template stories."""
    data = syndication.generated_set()
    loose = dataclasses.replace(RULES, threshold=0.2)
    precision, _ = syndication.precision_recall(dedup.cluster_all(data.bodies, loose), data)
    assert precision < 0.98


def corpus_set(shared_dir, seed: int = 11) -> syndication.LabelledSet:
    """Corpus bodies in one site's chrome; each one's hard negative is the next body in the same chrome."""
    rows = [json.loads(line) for line in (shared_dir / "corpus" / "truth.jsonl").read_text().splitlines()]
    bodies = [r["body"] for r in rows if r.get("body") and len(dedup.normalize_text(r["body"])) >= 200]
    framed = [syndication.in_chrome(body, "东湖党建网", "东湖", number) for number, body in enumerate(bodies)]
    negatives = {number: [framed[(number + 1) % len(framed)]] for number in range(len(framed))}
    return syndication.labelled_set(framed, random.Random(seed), negatives)


@pytest.mark.shared
def test_corpus_labelled_set_meets_the_precision_and_recall_targets(shared_dir):
    data = corpus_set(shared_dir)
    assert len(data.positives) > 100
    precision, recall = syndication.precision_recall(dedup.cluster_all(data.bodies, RULES), data)
    assert precision >= 0.98 and recall >= 0.95
