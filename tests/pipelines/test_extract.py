"""End to end through pipelines.extract on pages written for these tests (GBK bytes, chrome, bylines)."""

from __future__ import annotations

import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from pipelines import extract as extraction
from pipelines.extract import EXTRACTOR_VERSION, ExtractionError, extract_file, extract_page, extract_text
from pipelines.records import DateGuess, FetchedPage

PARAGRAPHS = [
    "5月10日下午,某区委组织部联合区委党校在阳光社区党群服务中心开展“红色党课进社区”活动,"
    "六十余名社区党员和居民代表参加,现场气氛热烈,大家认真聆听、不时记录。",
    "党课以“从党史中汲取奋进力量”为主题,授课老师结合本地革命先辈的感人故事,讲述了"
    "共产党人在艰苦环境中坚守信念、服务群众的生动实践,引导党员把学习成果转化为为民办事的实际行动。",
    "课后,社区党委组织党员围绕“我为群众办实事”开展交流研讨,大家结合各自岗位谈体会、找差距、提建议,"
    "先后梳理出加装电梯、修缮车棚、增设助老餐桌等十二项民生实事清单,并明确了责任人和完成时限。",
    "区委组织部有关负责同志表示,下一步将推动党课资源向小区楼栋延伸,持续打造群众家门口的学习阵地,"
    "让党的创新理论飞入寻常百姓家,不断增强基层党组织的政治功能和组织功能。",
]
HEADING = "把党课讲到群众心坎上"


def party_page(*, paragraphs: list[str] = PARAGRAPHS) -> str:
    body = "\n".join(f"<p>{text}</p>" for text in paragraphs[:2])
    body += f'\n<p><strong>{HEADING}</strong></p>\n<p style="text-align:center"><img src="/u/cms/202305/ke.jpg" alt="党课现场"></p>\n'
    body += "\n".join(f"<p>{text}</p>" for text in paragraphs[2:])
    links = "".join(
        f'<li><a href="/n/{i}.html">社区党建工作动态第{i}期简报</a><span>2023-05-0{i % 9 + 1}</span></li>'
        for i in range(8)
    )
    return f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某区开展“红色党课进社区”活动_党建动态_某某党建网</title></head><body>
<div class="nav"><a href="/">网站首页</a> | <a href="/dj/">党建动态</a> | <a href="/xx/">理论学习</a> | <a href="/lx/">联系我们</a></div>
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/dj/">党建动态</a> &gt; 正文</div>
<div class="article"><h1>某区开展“红色党课进社区”活动</h1>
<div class="info">发布时间：2023-05-12 09:30　来源：区委组织部　作者：陈 静　浏览次数：128　【字体：大 中 小】</div>
<div class="content">{body}</div>
<div class="editor">责任编辑：刘 洋</div>
<div class="tools">【打印本页】　【关闭窗口】</div>
<div class="pn">上一篇：某街道召开党建联席会议<br>下一篇：某学校开展师德师风专题教育</div>
</div>
<div class="related"><h3>相关文章推荐</h3><ul>{links}</ul></div>
<div class="footer">版权所有 © 某某党建网　地址：某市某路1号　备案号：某ICP备00000000号</div>
</body></html>"""


@pytest.fixture
def article():
    return extract_page(
        FetchedPage(url="http://127.0.0.1/dj/2023/0512/1.html", body=party_page().encode("gb18030"))
    )


def test_metadata_from_title_byline_and_footer(article):
    assert article.title == "某区开展“红色党课进社区”活动"
    assert article.site_name == "某某党建网"
    assert article.category == "党建动态"
    assert article.source == "区委组织部"
    assert article.authors == ["陈静"]
    assert article.editors == ["刘洋"]
    assert article.published_display() == "2023-05-12T09:30:00+08:00"
    assert article.page_kind == "article"
    assert article.extractor_version == EXTRACTOR_VERSION


def test_body_is_the_article_only(article):
    assert article.body.startswith(PARAGRAPHS[0][:30])
    assert article.body.endswith(PARAGRAPHS[-1][-20:])
    assert HEADING in article.body
    for chrome in (
        "当前位置",
        "发布时间",
        "浏览次数",
        "字体",
        "责任编辑",
        "打印本页",
        "上一篇",
        "相关文章",
        "版权所有",
    ):
        assert chrome not in article.body, chrome
    assert "\n\n" in article.body and "\n\n\n" not in article.body


def test_images_keywords_and_json_shape(article):
    assert [(image.url, image.caption) for image in article.images] == [
        ("http://127.0.0.1/u/cms/202305/ke.jpg", "党课现场")
    ]
    assert "党课" in article.keywords and len(article.keywords) <= 10
    data = article.to_json()
    assert data["published_at"] == "2023-05-12T09:30:00+08:00"
    assert data["images"] == [{"url": "http://127.0.0.1/u/cms/202305/ke.jpg", "caption": "党课现场"}]


def test_big5_page_is_not_read_as_gb18030_mojibake():
    paragraphs = "".join(
        f"<p>{text}</p>" for text in ["臺灣地區學會舉辦年會，會員們熱烈討論學術發展與傳承。" * 3] * 3
    )
    html = (
        f"<html><head><title>學會舉辦年會</title></head><body><h1>學會舉辦年會</h1>{paragraphs}</body></html>"
    )
    raw = html.encode("big5")
    page = FetchedPage(url=None, body=raw, headers={"content-type": "text/html; charset=big5"})
    for fetched in (page, FetchedPage(url=None, body=raw)):
        article = extract_page(fetched)
        assert article.title == "學會舉辦年會"
        assert "會員們熱烈討論" in article.body


def test_list_page_has_no_body():
    items = "".join(
        f'<li><a href="/n/{i}.html">某地基层党组织开展主题教育活动情况通报之{i}</a><span>2023-04-{i % 28 + 1:02d}</span></li>'
        for i in range(40)
    )
    html = f"<html><head><title>党建动态_某某党建网</title></head><body><ul>{items}</ul><div>共40条 1/2页 下一页</div></body></html>"
    article = extract_page(FetchedPage(url=None, body=html.encode()))
    assert article.page_kind == "list"
    assert article.body == ""


@pytest.mark.parametrize("raw", [b"", b"   \n\t ", bytes(range(256)) * 40], ids=["empty", "blank", "binary"])
def test_unreadable_input_raises_extraction_error(raw, tmp_path):
    path = tmp_path / "bad.html"
    path.write_bytes(raw)
    with pytest.raises(ExtractionError):
        extract_file(path)


def test_truncated_html_still_gives_the_text_before_the_cut():
    raw = party_page().encode("gb18030")
    cut = raw[: raw.index(PARAGRAPHS[2][:10].encode("gb18030")) + 7]
    article = extract_page(FetchedPage(url=None, body=cut))
    assert article.title == "某区开展“红色党课进社区”活动"
    assert PARAGRAPHS[1][:20] in article.body


def test_a_page_stitched_from_templates_that_close_the_document_early_keeps_its_article():
    header_template = '<div class="nav"><a href="/">首页</a> | <a href="/dj/">党建动态</a></div></body></html>\n'
    page = party_page().replace('<div class="nav">', header_template + '<div class="nav">', 1)
    article = extract_page(FetchedPage(url=None, body=page.encode("gb18030")))
    assert article.page_kind == "article"
    assert article.body.split("\n\n")[:2] == PARAGRAPHS[:2]
    assert article.published_at is not None


def test_a_20_mb_page_is_cut_before_parsing(tmp_path):
    path = tmp_path / "huge.html"
    path.write_bytes(party_page(paragraphs=PARAGRAPHS * 40_000).encode("gb18030"))
    assert path.stat().st_size > 20_000_000
    article = extract_file(path)
    assert article.title == "某区开展“红色党课进社区”活动"
    assert PARAGRAPHS[0][:20] in article.body


def test_plain_text_dump_is_recognised_by_content(tmp_path):
    dump = (
        "首页 >> 党建动态\n\n某区开展“红色党课进社区”活动\n\n日期:2023-05-12\n来源:区委组织部\n\n"
        + "\n\n".join(PARAGRAPHS)
    )
    path = tmp_path / "dump.txt"
    path.write_text(dump, encoding="utf-8")
    from_file = extract_file(path)
    from_text = extract_text(dump)
    assert from_file.title == from_text.title == "某区开展“红色党课进社区”活动"
    assert from_file.body == from_text.body and from_file.body.startswith(PARAGRAPHS[0][:20])
    assert (from_file.source, from_file.category, from_file.published_display()) == (
        "区委组织部",
        "党建动态",
        "2023-05-12",
    )


def table_layout_page() -> str:
    """A county-style page: the whole article in one layout-table cell, with CMS residue around the text."""
    paragraphs = "\n".join(f'<p style="text-indent:2em;">{text}</p>' for text in PARAGRAPHS)
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>某区开展“红色党课进社区”活动_某县人民政府</title></head><body>
<table width="1000" border="0" cellspacing="0" cellpadding="0" align="center">
<tr><td class="nav"><a href="/">网站首页</a> | <a href="/xw/">本县新闻</a> | <a href="/zw/">政务公开</a></td></tr>
<tr><td class="crumb">您当前的位置:<a href="/">首页</a> &gt;&gt; <a href="/xw/">本县新闻</a></td></tr>
<tr><td align="center"><h2>某区开展“红色党课进社区”活动</h2><div>——社区党课纪实</div></td></tr>
<tr><td align="center">来源:区委组织部 &nbsp; 发布时间:2023-05-12 &nbsp; 【字体:大 中 小】</td></tr>
<tr><td class="content">-->
<founder-content>
{paragraphs}
</founder-content>
<p>(陈静 刘洋)</p>
<p>附件:<a href="/uploads/202305/dangke.doc">党课安排表.doc</a></p>
<p>编辑:王 平 &nbsp; 审核:李 莹</p>
<div class="enp">2023-05-12 00:00:00:0——社区党课纪实498010http://10.0.0.1/pc/content_4980.htmlnull/enpproperty--></div>
<p><a href="http://10.0.0.1/x.html">查看原文</a></p>
<div>分享到: <a href="#">微信</a> <a href="#">微博</a></div></td></tr>
<tr><td class="footer">主办单位:某县人民政府办公室 &nbsp; 版权所有</td></tr>
</table></body></html>"""


def test_table_layout_cell_is_cut_back_into_paragraphs_without_residue():
    article = extract_page(FetchedPage(url="http://127.0.0.1/xw/1.html", body=table_layout_page().encode()))
    assert article.page_kind == "article"
    assert (article.title, article.subtitle) == ("某区开展“红色党课进社区”活动", "——社区党课纪实")
    assert article.body.split("\n\n") == PARAGRAPHS
    assert (article.authors, article.editors, article.source) == (
        ["陈静", "刘洋"],
        ["王平", "李莹"],
        "区委组织部",
    )
    assert (article.category, article.site_name) == ("本县新闻", "某县人民政府")
    assert article.attachments == ["http://127.0.0.1/uploads/202305/dangke.doc"]


def test_plain_text_dump_as_bytes_with_a_file_url_is_read_as_text(tmp_path):
    dump = (
        "首页 >> 党建动态\n\n某区开展“红色党课进社区”活动\n\n日期:2023-05-12\n来源:区委组织部\n\n"
        + "\n\n".join(PARAGRAPHS)
    )
    path = tmp_path / "dump.txt"
    for encoding in ("utf-8", "gb18030"):
        path.write_bytes(dump.encode(encoding))
        page = FetchedPage(url=path.as_uri(), body=path.read_bytes())
        article = extract_page(page)
        expected = extract_text(dump, url=path.as_uri())  # text in: nothing was decoded
        assert article.to_json() == {**expected.to_json(), "encoding": encoding, "encoding_source": "detected"}
        assert (article.title, article.source, article.url) == (
            "某区开展“红色党课进社区”活动",
            "区委组织部",
            page.url,
        )
        assert article.body.split("\n\n") == PARAGRAPHS


@pytest.mark.shared
def test_sample_files_handed_over_as_bytes_extract_as_from_the_file(shared_dir):
    seeds = sorted((shared_dir / "seeds").glob("*.txt"))
    assert seeds
    for path in seeds:
        from_page = extract_page(FetchedPage(url=path.as_uri(), body=path.read_bytes())).to_json()
        from_file = extract_file(path).to_json()
        assert from_page.pop("url") == path.as_uri()
        from_file.pop("url")
        assert from_page == from_file, path.name


PORTAL_CHROME = (
    '<div class="nav"><a href="/">网站首页</a> | <a href="/dj/">党建动态</a> | <a href="/xx/">理论学习</a> | '
    '<a href="/lx/">联系我们</a></div>\n<div class="location">当前位置：<a href="/">首页</a> &gt; 提示信息</div>\n'
    '{message}\n<div class="footer">版权所有 © 某某党建网　地址：某市某路1号</div>'
)
ERROR_PAGES = {
    "busy, bare": "<html><head><title>系统繁忙</title></head><body><h1>系统繁忙，请稍后再试！</h1></body></html>",
    "missing, in the portal's chrome": "<html><head><title>提示信息_某某党建网</title></head><body>"
    + PORTAL_CHROME.format(
        message='<div class="msg"><h2>对不起，您访问的页面不存在！</h2><p>可能的原因：网址输入有误，或该信息已被撤下。</p>'
        '<p><a href="/">返回首页</a></p></div>'
    )
    + "</body></html>",
    "nginx 404": "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center>"
    "<hr><center>nginx</center></body></html>",
    "IIS in Chinese": '<html><head><meta charset="gb2312"><title>404 - 找不到文件或目录。</title></head><body>'
    '<div id="header"><h1>服务器错误</h1></div><div id="content"><h2>404 - 找不到文件或目录。</h2>'
    "<h3>您要查找的资源可能已被删除，已更改名称或者暂时不可用。</h3></div></body></html>",
    "access error with a site suffix": "<html><head><title>访问出错 - 某某党建网</title></head><body>"
    + PORTAL_CHROME.format(message='<div class="msg">访问出错，请检查您输入的网址是否正确。</div>')
    + "</body></html>",
    "web firewall": "<html><head><title>网站防火墙</title></head><body><h2>您的请求带有不合法参数，已被网站管理员设置拦截！</h2>"
    "<p>可能原因：您提交的内容包含危险的攻击请求</p><p>如何解决：检查提交内容；如网站托管，请联系空间提供商</p></body></html>",
}


@pytest.mark.parametrize("html", ERROR_PAGES.values(), ids=ERROR_PAGES.keys())
def test_an_error_page_served_with_200_is_other_with_no_body(html):
    raw = html.encode("gb18030" if "gb2312" in html else "utf-8")
    article = extract_page(FetchedPage(url="http://127.0.0.1/dj/2023/0512/1.html", body=raw))
    assert (article.page_kind, article.body, article.images, article.keywords) == ("other", "", [], [])


def test_an_error_message_in_a_plain_text_dump_is_other():
    article = extract_text(
        "首页 >> 党建动态\n\n页面不存在\n\n您访问的页面不存在或已被删除,3秒后自动返回首页。"
    )
    assert (article.page_kind, article.body) == ("other", "")


SHORT_ARTICLES = {
    "maintenance notice": (
        "关于网站系统升级维护的通知",
        "因服务器升级维护需要，本网站将于2023年6月3日20:00至24:00暂停访问，届时网站各栏目将无法浏览，"
        "给您带来的不便敬请谅解，维护完成后将第一时间恢复服务。",
    ),
    "an error message quoted in a sentence": (
        "某县开展政府网站内容专项检查",
        "近日，某县对全县政府网站开展专项检查，发现部分栏目存在“页面不存在”、链接失效、信息更新不及时等问题，"
        "已逐一反馈并督促相关单位限期整改到位。",
    ),
}


@pytest.mark.parametrize(("title", "text"), SHORT_ARTICLES.values(), ids=SHORT_ARTICLES.keys())
def test_a_short_article_about_errors_stays_an_article(title, text):
    html = (
        f"<html><head><title>{title}_某某党建网</title></head><body>"
        + PORTAL_CHROME.format(
            message=f'<div class="article"><h1>{title}</h1><div class="content"><p>{text}</p></div></div>'
        )
        + "</body></html>"
    )
    article = extract_page(FetchedPage(url="http://127.0.0.1/dj/2023/0601/1.html", body=html.encode()))
    assert (article.page_kind, article.title, article.body) == ("article", title, text)


@pytest.fixture
def small_budget(monkeypatch):
    """A page budget of 0.2 s, with every lazy load done first so that only the slowed stage can overrun it."""
    extraction.warm_up()
    extract_page(FetchedPage(url=None, body=party_page().encode("gb18030")))
    monkeypatch.setitem(extraction.limits(), "time_budget_seconds", 0.2)


def slowed_stage(monkeypatch, seconds: float) -> dict:
    """trafilatura made to take `seconds`; what happened to it is recorded in the returned dict."""
    seen = {"finished": False, "later_stages": 0}

    def slow_trafilatura(*args, **kwargs):
        time.sleep(seconds)
        seen["finished"] = True
        return ""

    def later_stage(**kwargs):
        seen["later_stages"] += 1
        return DateGuess.none()

    monkeypatch.setattr(extraction, "trafilatura_text", slow_trafilatura)
    monkeypatch.setattr(extraction, "publication_date", later_stage)
    return seen


def test_the_time_budget_interrupts_a_slow_stage_in_the_main_thread(small_budget, monkeypatch):
    assert threading.current_thread() is threading.main_thread()
    seen = slowed_stage(monkeypatch, seconds=5)
    handler = signal.getsignal(signal.SIGALRM)
    with pytest.raises(ExtractionError, match="time budget exceeded"):
        extract_page(FetchedPage(url=None, body=party_page().encode("gb18030")))
    assert seen == {"finished": False, "later_stages": 0}  # cut in the middle of the stage, not after it
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is handler


def test_the_time_budget_stops_after_the_slow_stage_in_another_thread(small_budget, monkeypatch):
    """Prefect runs tasks in threads, where no signal can interrupt: the stage ends, the next never starts."""
    seen = slowed_stage(monkeypatch, seconds=0.4)
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(extract_page, FetchedPage(url=None, body=party_page().encode("gb18030")))
        with pytest.raises(ExtractionError, match=r"time budget exceeded \(0.2 s, at trafilatura\)"):
            future.result()
    assert seen == {"finished": True, "later_stages": 0}


def test_a_page_within_its_budget_leaves_no_timer_behind():
    handler = signal.getsignal(signal.SIGALRM)
    article = extract_page(FetchedPage(url=None, body=party_page().encode("gb18030")))
    assert article.page_kind == "article"
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is handler


def test_recall_mode_runs_only_when_the_page_shows_prose_precision_mode_left_out(monkeypatch):
    passes: list[dict] = []

    def precision_finds_nothing(tree, url, options=extraction.PRECISION):
        passes.append(options)
        return "\n".join(PARAGRAPHS) if options is extraction.RECALL else ""

    monkeypatch.setattr(extraction, "trafilatura_text", precision_finds_nothing)
    links = "".join(f'<li><a href="/n/{i}.html">社区党建工作动态第{i}期简报</a></li>' for i in range(40))
    extract_page(FetchedPage(url=None, body=f"<html><body><ul>{links}</ul></body></html>".encode()))
    assert passes == [extraction.PRECISION]
    passes.clear()
    prose = "".join(f"<div>{text}</div>" for text in PARAGRAPHS)
    html = f"<html><body>{prose}<ul>{links}</ul></body></html>"
    article = extract_page(FetchedPage(url=None, body=html.encode()))
    assert passes == [extraction.PRECISION, extraction.RECALL]
    assert PARAGRAPHS[0] in article.body


def test_menus_and_headline_lists_around_the_text_leave_the_body_when_they_are_links():
    menu = ["网站首页", "党建动态", "理论学习", "联系我们"]
    teasers = ["某街道召开党建联席会议", "某学校开展师德师风专题教育", "某社区举办志愿服务活动"]
    links = {*menu, *teasers}
    body = [*menu, *PARAGRAPHS, *teasers]
    assert extraction.without_link_runs(body, lambda: links) == PARAGRAPHS
    assert extraction.without_link_runs([*menu[:2], *PARAGRAPHS], lambda: links) == [*menu[:2], *PARAGRAPHS]


def test_link_runs_take_their_headings_bullets_and_links_side_by_side_with_them():
    menu = ["个人空间", "写文章", "管理评论", "修改资料", "[返回目录] [收藏本页]"]
    links = {"写文章", "管理评论", "修改资料", "返回目录", "收藏本页", *TEASERS}
    tail = ["热", "点", "推", "荐", TEASERS[0], "·", TEASERS[1], "·", TEASERS[2], "·"]
    assert extraction.without_link_runs([*menu, *PARAGRAPHS, *tail], lambda: links) == PARAGRAPHS
    related = ["相关信息", *(f"· {teaser}" for teaser in TEASERS)]  # bullets printed with the links
    assert extraction.without_link_runs([*PARAGRAPHS, *related], lambda: links) == PARAGRAPHS
    # a headline under the menu is no heading of the menu: it stays
    assert extraction.without_link_runs([*menu, "某社区党支部书记的一天", *PARAGRAPHS], lambda: links) == [
        "某社区党支部书记的一天", *PARAGRAPHS]
    # short lines that are no links outnumber the links: no list
    lines = ["春风吹过", TEASERS[0], "党旗映红", "初心照亮", TEASERS[1], "奋斗路上", "山乡巨变", TEASERS[2]]
    assert extraction.without_link_runs([*PARAGRAPHS, *lines], lambda: links) == [*PARAGRAPHS, *lines]


TEASERS = ["某街道召开党建联席会议", "某学校开展师德师风专题教育", "某社区举办志愿服务活动"]


def test_short_lines_that_are_no_links_stay_and_a_body_of_links_alone_is_left_to_list_detection():
    poem = ["春风吹过田野", "党旗映红山乡", "初心照亮前路", "奋斗写在心上"]
    assert extraction.without_link_runs([*poem, *PARAGRAPHS], lambda: {"网站首页"}) == [*poem, *PARAGRAPHS]
    headlines = [f"社区党建工作动态第{i}期简报" for i in range(5)]
    assert extraction.without_link_runs(headlines, lambda: set(headlines)) == headlines


def test_when_trafilatura_takes_a_profile_box_for_the_article_the_page_own_prose_is_the_body(monkeypatch):
    monkeypatch.setattr(extraction, "trafilatura_text", lambda *args, **kwargs: "微信扫一扫\n关注该公众号")
    article = extract_page(FetchedPage(url=None, body=party_page().encode("gb18030")))
    assert article.page_kind == "article"
    assert article.body.split("\n\n") == [PARAGRAPHS[0], PARAGRAPHS[1], HEADING, *PARAGRAPHS[2:]]


def test_the_prose_of_a_headline_index_is_teasers_not_an_article(monkeypatch):
    monkeypatch.setattr(extraction, "trafilatura_text", lambda *args, **kwargs: "关注我们")
    teaser = "本期简报介绍了各基层党组织开展主题教育的做法和成效,请各支部认真学习借鉴,结合本单位实际抓好贯彻落实工作。"
    items = "".join(f'<li><a href="/n/{i}.html">某地基层党组织开展主题教育活动情况通报之{i}</a><p>{teaser}</p></li>'
                    for i in range(40))
    html = f"<html><head><title>党建动态_某某党建网</title></head><body><ul>{items}</ul></body></html>"
    assert extract_page(FetchedPage(url=None, body=html.encode())).page_kind == "list"


def page_of(head: str, top: str, bottom: str = "", *, aside: str = "") -> bytes:
    """A page of our own: `top` over the headline's container, the four paragraphs, `bottom` under them."""
    body = "".join(f"<p>{text}</p>" for text in PARAGRAPHS)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>党员走进田间地头-青禾新闻网</title>{head}</head>
<body><div class="nav"><a href="/">首页</a> <a href="/dj/">党建</a></div>
<div class="header">{top}<h1>党员走进田间地头</h1></div>
<div id="detail">{body}</div>{bottom}
<div class="side">{aside}</div><div class="foot">Copyright © 2025 青禾新闻网</div></body></html>""".encode()


def test_date_and_byline_printed_over_the_headline_and_a_correction_button_before_the_editors():
    top = ('<div class="time"><span class="day">2023/09/05</span><span class="time">07:58</span></div>'
           '<div class="source">来源：青禾新闻网　作者：陈晓　实习生 林一帆</div>')
    article = extract_page(FetchedPage(url=None, body=page_of("", top, '<div class="editor">【纠错】 责任编辑：韩松 审核：吕青</div>')))
    assert article.published_display() == "2023-09-05T07:58:00+08:00"
    assert (article.source, article.authors, article.editors) == ("青禾新闻网", ["陈晓", "林一帆"], ["韩松", "吕青"])
    assert "纠错" not in article.body and "责任编辑" not in article.body


def test_numbers_in_neighbouring_inline_elements_stay_apart():
    from pipelines import page as page_model

    tree = extraction.parse_html("<html><body><div><span>2023/09/05</span><span>07:58</span>"
                                 "<b>第</b><b>3</b>期</div></body></html>")
    assert page_model.read(tree).lines == ["2023/09/05 07:58第3期"]


def test_labelled_fields_in_neighbouring_inline_elements_stay_apart():
    from pipelines import page as page_model

    tree = extraction.parse_html("<html><body><div><span>2024-10-21 11:08</span><span>来源：泓川县委组织部</span>"
                                 "<span>文/凌霄</span><b>党建</b><b>文化</b></div></body></html>")
    assert page_model.read(tree).lines == ["2024-10-21 11:08 来源:泓川县委组织部 文/凌霄党建文化"]
    top = '<div class="info"><span>2024-10-21 11:08</span><span>来源：泓川县委组织部</span><span>文/凌霄</span></div>'
    article = extract_page(FetchedPage(url=None, body=page_of("", top)))
    assert (article.source, article.authors) == ("泓川县委组织部", ["凌霄"])


def test_an_author_only_the_head_names_is_the_author_unless_the_page_shows_that_person_as_editor():
    named = extract_page(FetchedPage(url=None, body=page_of('<meta name="author" content="郑思琪">', "")))
    assert named.authors == ["郑思琪"]
    editor = extract_page(FetchedPage(url=None, body=page_of(
        '<meta name="author" content="韩松">', "", '<div class="editor">责任编辑：韩松</div>')))
    assert (editor.authors, editor.editors) == ([], ["韩松"])
    for handle in ("admin", "青禾新闻网"):
        assert extract_page(FetchedPage(url=None, body=page_of(f'<meta name="author" content="{handle}">', ""))).authors == []


def test_an_undated_page_is_not_dated_by_the_items_of_a_box_after_it():
    aside = "<h5>点击排行</h5><ul><li><a href='/1'>2024-05-06 社区换届工作会议召开</a></li>" \
            "<li><a href='/2'>2024-04-28 五一劳动节慰问一线职工</a></li></ul>"
    article = extract_page(FetchedPage(url=None, body=page_of("", '<div class="info">来源：街道党建办</div>', aside=aside)))
    assert article.published_at is None
    assert article.source == "街道党建办"


def test_a_day_printed_without_its_year_takes_the_year_of_its_column():
    top = '<div class="crumbs">您当前的位置：<a href="/">首页</a> &gt; <a href="/c/">2023年工作动态</a></div>'
    bottom = '<div class="info"><span>06-21 15:10</span>&nbsp;&nbsp;<span>来源：县纪委监委宣传部</span></div>'
    html = page_of("", top).replace(b'<div id="detail">', f'{bottom}<div id="detail">'.encode())
    article = extract_page(FetchedPage(url=None, body=html))
    assert article.published_display() == "2023-06-21T15:10:00+08:00"
    assert article.source == "县纪委监委宣传部"
    undated = extract_page(FetchedPage(url=None, body=html.replace("2023年工作动态".encode(), "工作动态".encode())))
    assert (undated.published_at, undated.source) == (None, "县纪委监委宣传部")
