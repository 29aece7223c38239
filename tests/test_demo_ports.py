"""The demo farm prefers the bundled configs' ports and moves a site whose port is busy to a free one."""

import socket
import urllib.request

import pytest
import yaml

from crawlers.site_config import load_site_config
from demo.server import FarmServer, demo_config_paths, ports_from_configs


@pytest.mark.xdist_group("demo-ports")  # config/demo's fixed ports: one demo farm at a time
def test_a_busy_demo_port_moves_its_site_and_the_written_configs_follow_the_server(tmp_path):
    site, port = next(iter(ports_from_configs().items()))
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        with FarmServer.for_demo() as farm:
            paths = farm.write_demo_configs(tmp_path)
            assert farm.moved == {site: port} and farm.base_urls[site] != f"http://127.0.0.1:{port}"
            for path, bundled in zip(paths, demo_config_paths(), strict=True):
                written = yaml.safe_load(path.read_text(encoding="utf-8"))
                original = yaml.safe_load(bundled.read_text(encoding="utf-8"))
                name = written["name"]
                assert {k: v for k, v in written.items() if k != "start_urls"} == \
                    {k: v for k, v in original.items() if k != "start_urls"}
                start = load_site_config(path).start_urls[0]
                assert start.startswith(farm.base_urls[name] + "/")
                with urllib.request.urlopen(start, timeout=10) as response:
                    assert response.status == 200
