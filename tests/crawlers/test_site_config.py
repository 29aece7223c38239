from pathlib import Path

import pytest

from crawlers.site_config import load_site_config, load_site_configs
from pipelines.config import ConfigError


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def test_name_and_start_urls_are_enough(tmp_path):
    config = load_site_config(write(tmp_path, "a.yaml", "name: a\nstart_urls: [http://127.0.0.1:8001/jxdt/index.html]\n"))
    assert config.enabled and config.timezone == "Asia/Shanghai"
    assert config.allowed_domains is None and config.article_url_pattern is None and config.max_list_pages is None


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        ("name: a\n", "start_urls", "field required"),
        ("name: a\nstart_urls: [http://x.cn/]\nstart_url: http://y.cn/\n", "start_url", "unknown key"),
        ("name: a\nstart_urls: [www.x.cn/list.htm]\n", "start_urls", "absolute http(s) URL"),
        ("name: a\nstart_urls: [http://x.cn/]\narticle_url_pattern: '(unclosed'\n", "article_url_pattern", "regular expression"),
        ("name: a\nstart_urls: [http://x.cn/]\ntimezone: Mars/Base\n", "timezone", "unknown time zone"),
        ("name: a\nstart_urls: [http://x.cn/]\nencoding: klingon\n", "encoding", "unknown encoding"),
        ("name: a\nstart_urls: []\n", "start_urls", "at least 1"),
    ],
)
def test_errors_name_the_file_and_the_key(tmp_path, text, key, message):
    path = write(tmp_path, "bad.yaml", text)
    with pytest.raises(ConfigError) as error:
        load_site_config(path)
    assert str(error.value).startswith(f"{path}: ")
    assert f"{key}: " in str(error.value) and message in str(error.value)


def test_not_a_mapping_and_not_yaml(tmp_path):
    with pytest.raises(ConfigError, match="expected a mapping"):
        load_site_config(write(tmp_path, "list.yaml", "- a\n- b\n"))
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_site_config(write(tmp_path, "broken.yaml", "name: [a\n"))


def test_directory_sorted_by_name_and_names_unique(tmp_path):
    write(tmp_path, "1.yaml", "name: zeta\nstart_urls: [http://z.cn/]\n")
    write(tmp_path, "2.yaml", "name: alpha\nstart_urls: [http://a.cn/]\nenabled: false\n")
    assert [config.name for config in load_site_configs(tmp_path)] == ["alpha", "zeta"]
    write(tmp_path, "3.yaml", "name: zeta\nstart_urls: [http://z2.cn/]\n")
    with pytest.raises(ConfigError, match="name: used by more than one file: zeta"):
        load_site_configs(tmp_path)


def test_shipped_site_configs_are_valid_and_disabled():
    configs = load_site_configs(Path(__file__).resolve().parents[2] / "config" / "sites")
    assert configs, "config/sites ships example configs"
    assert not any(config.enabled for config in configs)
