"""Publishing platforms' templates (config/rules/platforms.yaml, pipelines/site_rules.py): a page that shows one,
on whatever site, is read by the platform's rules unless its site has rules of its own. The page below is of
this project's own writing, in the frame a saved 微信公众号 article keeps."""

from __future__ import annotations

import pytest

from pipelines.config import ConfigError
from pipelines.extract import extract_page
from pipelines.records import FetchedPage
from pipelines.site_rules import SiteRules, platform_rules, platforms

PARAGRAPHS = [
    "5月18日上午，青石镇党委组织全镇农村党员开展“学思想、强本领”集中学习，镇党委书记结合本镇实际讲授专题党课，"
    "要求大家把学习成果转化为推动乡村振兴的实际行动。",
    "学习结束后，党员们分组来到镇农业园区，听取技术员讲解大棚蔬菜管护要点，现场交流种植经验，"
    "并就合作社发展、销售渠道拓展等问题提出意见建议二十余条。",
    "镇党委表示，下一步将把集中学习与技能培训结合起来，每季度至少组织一次，让党员既学理论、又长本领。",
]
CREDITS = "来源：青石镇党委 文字丨韦晓岚"
EDITOR = "编辑丨罗启明"
ACCOUNT = "青石发布"


def wechat_page(js_content_class: str = "rich_media_content js_underline_content") -> bytes:
    paragraphs = "".join(f"<section><span>{text}</span></section><section><br></section>" for text in PARAGRAPHS)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>青石镇党员集中学习强本领</title></head>
<body><div id="js_article" class="rich_media"><div class="rich_media_inner">
<h1 class="rich_media_title" id="activity-name">青石镇党员集中学习强本领</h1>
<div id="meta_content" class="rich_media_meta_list"><span class="rich_media_meta rich_media_meta_nickname">
<a id="js_name">{ACCOUNT}</a></span> <em id="publish_time" class="rich_media_meta rich_media_meta_text">2024年05月19日 08:30</em></div>
<div class="{js_content_class}" id="js_content" style="visibility:visible;">
<section><span>{CREDITS}</span></section>{paragraphs}
<section style="text-align:center;"><span>长按识别二维码关注我们</span></section>
<section style="text-align:right;"><span>{EDITOR}</span></section></div>
<div class="rich_media_tool" id="js_toobar3"><div class="media_tool_meta">阅读 <span>3120</span></div>
<span class="media_tool_meta">在看</span></div>
<div class="qr_code_pc"><img class="qr_code_pc_img" src="qr.jpg"><p>微信扫一扫<br>关注该公众号</p></div>
</div></div></body></html>""".encode()


def extracted(body: bytes, site_rules: SiteRules | None = None):
    return extract_page(FetchedPage(url="http://127.0.0.1:18779/dt/2024/0519/1.html", body=body),
                        site_rules=site_rules)


def test_a_wechat_article_is_its_text_without_the_platform_frame():
    article = extracted(wechat_page())
    assert article.body.split("\n\n") == PARAGRAPHS
    assert (article.title, article.source, article.authors, article.editors) == (
        "青石镇党员集中学习强本领", "青石镇党委", ["韦晓岚"], ["罗启明"])
    assert article.published_at is not None and article.published_at.date().isoformat() == "2024-05-19"


def test_the_platform_is_told_by_its_template_not_by_an_id_alone():
    from pipelines.extract import parse_html

    assert [p.name for p in platforms()] == ["wechat"]
    assert platform_rules(parse_html(wechat_page().decode())).name == "wechat"
    assert platform_rules(parse_html(wechat_page("article-body").decode())) is None  # a site's own js_content


def test_a_site_with_rules_of_its_own_keeps_them_on_a_platform_page():
    own = extracted(wechat_page(), SiteRules(body="div.rich_media_inner"))
    assert "在看" in own.body.split("\n\n")  # the site's selector took the platform's toolbar in: its rules ruled


def test_a_platform_file_with_a_detector_that_does_not_compile_is_a_config_error_naming_it(tmp_path, monkeypatch):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "platforms.yaml").write_text(
        "platforms:\n  - name: broken\n    detect: 'div[['\n    body: '#content'\n", encoding="utf-8")
    monkeypatch.setenv("DANGJIAN_CONFIG_DIR", str(tmp_path))
    platforms.cache_clear()
    try:
        with pytest.raises(ConfigError, match=r"platforms\.yaml: platforms\.0\.detect: .*not a CSS or XPath selector"):
            platforms()
    finally:
        platforms.cache_clear()
