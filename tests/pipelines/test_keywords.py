"""Keywords: jieba's TF-IDF ranking, computed over rjieba's segmentation."""

from __future__ import annotations

import logging

from pipelines.keywords import keywords

TEXT = (
    "近日，某某县委组织部举办基层党组织书记示范培训班，全县八十余名村党支部书记参加培训。"
    "培训班采取专题党课、现场教学、交流研讨相结合的方式，党课由县委党校教师讲授，"
    "围绕基层党建、乡村振兴和为民服务展开。学员们表示，这次培训内容实、形式新，"
    "回去后要把所学用到党支部建设中去。比赛比分130-109，增长3.45%，the and of。"
)


def test_ranks_like_jieba_tfidf_and_keeps_only_words():
    import jieba
    import jieba.analyse

    jieba.setLogLevel(logging.WARNING)
    expected = [w for w in jieba.analyse.extract_tags(TEXT, topK=10) if any(c.isalpha() for c in w)]
    found = keywords(TEXT)

    assert found == expected
    assert found[0] in {"党课", "培训班", "党支部"}
    assert not {"130-109", "3.45%", "the", "and", "of"} & set(found)


def test_top_and_empty_text():
    assert len(keywords(TEXT, top=3)) <= 3
    assert keywords("  \n ") == []
