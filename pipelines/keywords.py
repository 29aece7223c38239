"""Keywords of an article body: jieba TF-IDF, loaded once per process and kept quiet."""

from __future__ import annotations

import logging
from functools import cache

from pipelines.config import rules


@cache
def tfidf():
    """jieba's TF-IDF extractor; importing and loading its dictionary costs about a second, so only once."""
    import jieba
    import jieba.analyse

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.analyse.extract_tags


def keywords(text: str, top: int | None = None) -> list[str]:
    """The `top` most characteristic words of the text's beginning (both sizes in config/rules/extract.yaml)."""
    if not text.strip():
        return []
    settings = rules("extract")
    count = top or int(settings["keywords"])
    sample = text[: settings["keywords_max_chars"]]
    return [word for word in tfidf()(sample, topK=count) if not word.isdigit()]
