"""Keywords of an article body: jieba's TF-IDF ranking over rjieba's segmentation.

`jieba.analyse.extract_tags` costs a tenth of the extraction step in pure-Python segmentation, and importing
it loads jieba's part-of-speech tables too. rjieba is jieba's algorithm and dictionary in Rust (HMM included),
so the same words are counted; the ranking below is jieba's own: term frequency times the word's IDF from
jieba's table (the median IDF for unknown words), ties in order of first appearance.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

import rjieba

from pipelines.config import rules

# jieba.analyse's default stop words: the ranking skips them as jieba does.
STOP_WORDS = frozenset(
    "the of is and to in that we for an are by be as on with can if from which you it this then at have all "
    "not one has or".split()
)


@cache
def idf_table() -> tuple[dict[str, float], float]:
    """jieba's IDF table (shipped with jieba, read without importing it) and its median, for unknown words."""
    spec = importlib.util.find_spec("jieba")
    assert spec is not None and spec.submodule_search_locations, "jieba is a dependency"
    path = Path(next(iter(spec.submodule_search_locations))) / "analyse" / "idf.txt"
    idf: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, value = line.strip().split(" ")
        idf[word] = float(value)
    return idf, sorted(idf.values())[len(idf) // 2]


def keywords(text: str, top: int | None = None) -> list[str]:
    """The `top` most characteristic words of the text's beginning (both sizes in config/rules/extract.yaml);
    numbers, scores and ranges (`130-109`) are not words."""
    if not text.strip():
        return []
    settings = rules("extract")
    count = top or int(settings["keywords"])
    counts: dict[str, int] = {}
    for word in rjieba.cut(text[: settings["keywords_max_chars"]], hmm=True):
        if len(word.strip()) >= 2 and word.lower() not in STOP_WORDS:
            counts[word] = counts.get(word, 0) + 1
    idf, median = idf_table()
    weight = {word: n * idf.get(word, median) for word, n in counts.items()}
    ranked = sorted(weight, key=weight.__getitem__, reverse=True)
    return [word for word in ranked[:count] if any(char.isalpha() for char in word)]
