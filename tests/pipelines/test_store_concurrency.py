"""Loads in parallel on PostgreSQL: copies of one story wait for each other, different stories do not.

Each test holds the `clusters` table in SHARE mode from a session of its own, so every load stops at the
moment it would file its story, after it has read the near-duplicate index: exactly the window in which
READ COMMITTED loads that did not lock the story's buckets would each found a story of their own. Once every
load is seen waiting (pg_locks), the table is released and the outcome checked.
"""

from __future__ import annotations

import random
import threading
import time

import pytest
from sqlalchemy import create_engine, text

from pipelines.records import Article
from pipelines.store import Store
from tests.pipelines import syndication

pytestmark = pytest.mark.postgres
WAIT_FOR_LOADS_S = 60  # how long a load may take to reach its wait on a loaded machine; not a speed check


@pytest.fixture
def pg_url(postgres_database):
    from tests.db import _empty_postgres

    Store(postgres_database)  # schema first: the table lock below must not block the migration
    _empty_postgres(postgres_database)
    # The first load ever records the index's settings; done here, the loads under test share nothing else.
    Store(postgres_database).load([Article(url="http://seed.test/1.html", title="标题", body="")], site="seed")
    return postgres_database


def waiting_loads(url: str) -> dict[str, int]:
    """Lock waits of other sessions in this database, by lock type ('relation', 'advisory', ...)."""
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT l.locktype, count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE NOT l.granted AND a.datname = current_database() AND l.pid <> pg_backend_pid() "
            "GROUP BY l.locktype")).all()
    engine.dispose()
    return dict(rows)


def load_while_clusters_are_held(url: str, loads: dict[str, list[Article]], until_waiting) -> dict[str, str]:
    """Start one thread per site loading its articles while `clusters` is held; release once
    `until_waiting(waits)` holds; returns the waits seen then."""
    holder = create_engine(url)
    connection = holder.connect()
    transaction = connection.begin()
    connection.execute(text("LOCK TABLE clusters IN SHARE MODE"))
    errors: list[BaseException] = []

    def load(site: str, articles: list[Article]) -> None:
        try:
            Store(url).load(articles, site=site)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=load, args=item) for item in loads.items()]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + WAIT_FOR_LOADS_S
    waits = waiting_loads(url)
    while not until_waiting(waits) and time.monotonic() < deadline and not errors:
        time.sleep(0.05)
        waits = waiting_loads(url)
    transaction.commit()
    connection.close()
    holder.dispose()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return waits


def copies(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    original = syndication.story(rng, sentences=6).body
    return [original, *syndication.copies_of(original, rng, count=count - 1)]


def test_copies_of_one_story_loaded_at_the_same_moment_found_it_once(pg_url):
    bodies = copies(4, seed=31)
    loads = {f"site{n}": [Article(url=f"http://site{n}.test/1.html", title="标题", body=body)]
             for n, body in enumerate(bodies)}

    # one load reaches the table (it holds the story's buckets), the others wait on those buckets
    waits = load_while_clusters_are_held(pg_url, loads, lambda w: w == {"relation": 1, "advisory": 3})

    [story] = [row for row in Store(pg_url).export_rows() if row["site"] != "seed"]
    assert len(story["urls"]) == 4
    assert waits == {"relation": 1, "advisory": 3}


def test_loads_of_different_stories_do_not_wait_for_each_other(pg_url):
    rng = random.Random(41)
    loads = {f"site{n}": [Article(url=f"http://site{n}.test/{i}.html", title="标题",
                                  body=syndication.story(rng, sentences=6).body) for i in range(3)]
             for n in range(3)}

    # all three reach the table together: none waits on another's buckets
    waits = load_while_clusters_are_held(pg_url, loads, lambda w: w.get("relation") == 3)

    assert waits == {"relation": 3}
    assert len(list(Store(pg_url).export_rows())) == 1 + 9
