"""Two worker hosts, each in a network namespace of its own, crawl one farm site together over the shared
Redis frontier and load into one PostgreSQL: every page is fetched once, every article stored once.

Closer to several machines than two processes on one host: each "host" has its own network stack, data
directory, Prefect and crawl, and reaches the services only over the network. The test builds that network
and removes it afterwards: a bridge on this machine holding a link-local address (169.254.x.1, never routed
off the machine) and one veth pair per namespace into it. The farm listens on the bridge address. Redis and
PostgreSQL listen on 127.0.0.1 only, so TCP forwarders (threads of this test) on the bridge address carry
the namespaces' connections to them.
"""

from __future__ import annotations

import os
import random
import shutil
import socket
import subprocess
import threading
import uuid
from contextlib import ExitStack, contextmanager

import pytest
import yaml

from crawlers.run import frontier_run_id
from crawlers.site_config import load_site_config
from demo.server import FarmServer
from tests.crawlers import test_redis_frontier as frontier_tests
from tests.crawlers.test_redis_frontier import (
    GATE_S,
    GATED_DB,
    REDIS_ROOT,
    SITE,
    dangjian_crawl,
    finished,
    gate_first_list_page,
)

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
HOSTS = 2
redis_run = frontier_tests.redis_run  # the fixture: a run id on the real Redis


def ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


@contextmanager
def worker_hosts(count: int):
    """`count` namespaces on one bridge; yields (the bridge's address, the namespace names)."""
    if os.geteuid() != 0 or shutil.which("ip") is None:
        pytest.skip("NETWORK NAMESPACES UNAVAILABLE (needs root and iproute2): the multi-host rehearsal did NOT run")
    tag = uuid.uuid4().hex[:6]
    subnet = f"169.254.{random.randrange(100, 200)}"
    bridge, namespaces = f"dj{tag}br", [f"dj17-{tag}-{n}" for n in range(count)]
    with ExitStack() as cleanup:
        try:
            ip("link", "add", bridge, "type", "bridge")
        except subprocess.CalledProcessError as exc:
            pytest.skip(f"NETWORK NAMESPACES UNAVAILABLE ({exc.stderr.strip()}): the multi-host rehearsal did NOT run")
        cleanup.callback(ip, "link", "del", bridge)
        ip("addr", "add", f"{subnet}.1/24", "dev", bridge)
        ip("link", "set", bridge, "up")
        for n, namespace in enumerate(namespaces):
            ip("netns", "add", namespace)
            cleanup.callback(ip, "netns", "del", namespace)
            outside, inside = f"dj{tag}h{n}", f"dj{tag}n{n}"
            ip("link", "add", outside, "type", "veth", "peer", "name", inside)
            cleanup.callback(subprocess.run, ["ip", "link", "del", outside], capture_output=True)  # gone with the ns
            ip("link", "set", outside, "master", bridge, "up")
            ip("link", "set", inside, "netns", namespace)
            for args in (("addr", "add", f"{subnet}.{n + 2}/24", "dev", inside), ("link", "set", inside, "up"),
                         ("link", "set", "lo", "up")):  # lo: each host's own Prefect server listens there
                ip("-n", namespace, *args)
        yield f"{subnet}.1", namespaces


@contextmanager
def forwarder(listen_host: str, target_port: int):
    """Accept on listen_host (a free port), pipe each connection to 127.0.0.1:target_port; yields the port."""
    server = socket.create_server((listen_host, 0))
    stop = threading.Event()

    def pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            sink.close()
            source.close()

    def accept() -> None:
        while not stop.is_set():
            try:
                client, _ = server.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", target_port))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=pipe, args=(source, sink), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        server.close()


def test_two_hosts_in_their_own_namespaces_crawl_one_site_once_between_them(tmp_path, redis_run,
                                                                            postgres_database):
    from pipelines.store import Store
    from tests.db import _empty_postgres

    client, run = redis_run
    name = f"{SITE}_{run[-8:]}"
    _empty_postgres(postgres_database)
    database = postgres_database.rsplit("/", 1)[1]
    with worker_hosts(HOSTS) as (address, namespaces), forwarder(address, 6379) as redis_port, \
            forwarder(address, 5432) as pg_port, FarmServer(sites=[SITE], host=address) as farm:
        farm.faults = gate_first_list_page(farm, client, GATED_DB["netns_hosts"])
        config = tmp_path / f"{name}.yaml"
        config.write_text(yaml.safe_dump({**farm.site_config(SITE), "name": name,
                                          "frontier": f"redis://{address}:{redis_port}/{GATED_DB['netns_hosts']}",
                                          "download_timeout": GATE_S + 30}), encoding="utf-8")
        db_url = f"postgresql+psycopg://postgres@{address}:{pg_port}/{database}"
        hosts = [dangjian_crawl(tmp_path / namespace, config, db_url, prefix=("ip", "netns", "exec", namespace))
                 for namespace in namespaces]
        reports = [finished(host) for host in hosts]

        truth = {article.url for article in farm.truth(SITE)}
        assert {entry.site for entry in farm.requests} == {SITE}
        paths = [entry.path for entry in farm.requests if entry.path != "/robots.txt"]
        assert len(paths) == len(set(paths))  # every page fetched once, by one host or the other
        assert all(report["status"] == "ok" and report["article_pages"] for report in reports), reports
        assert {report["crawl"]["frontier_job"] for report in reports} == {
            f"dangjian:frontier:{name}:nightly:{frontier_run_id(load_site_config(config), 'nightly')}"}
        store = Store(postgres_database)
        assert sum(report["new"] for report in reports) == len(truth)  # every article stored once
        assert store.known_urls(name) == truth
        assert len(list(store.export_rows(all_copies=True, site=name))) == len(truth)
    gated = type(client).from_url(f"{REDIS_ROOT}/{GATED_DB['netns_hosts']}")
    for key in gated.scan_iter(match=f"dangjian:frontier:{name}:*"):
        gated.delete(key)
