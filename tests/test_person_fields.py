"""Every person field on every corpus page and sample file passes the validator (pipelines.people.valid_person):
no markup, no `label:value`, no staff codes or digits glued to names, no place or date words."""

from __future__ import annotations

import pytest

from pipelines.batch import extract_files
from pipelines.people import valid_person

pytestmark = [pytest.mark.slow, pytest.mark.shared]


def test_no_invalid_person_on_any_corpus_page_or_sample_file(shared_dir):
    paths = sorted((shared_dir / "corpus" / "pages").glob("*.html")) + sorted((shared_dir / "seeds").glob("*.txt"))
    assert paths
    invalid = [
        (result["path"].rsplit("/", 1)[-1], kind, name)
        for result in extract_files(paths, workers=2)
        for kind in ("authors", "editors", "photographers")
        for name in result.get(kind) or []
        if not valid_person(name)
    ]
    assert invalid == []
