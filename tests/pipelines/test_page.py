"""The page model: HTML bytes in, the page's text as extraction, dates, headers and list pages read it."""

from __future__ import annotations

from lxml import html as lxml_html

from pipelines import chrome
from pipelines.dates import publication_date, shown_rows
from pipelines.extract import parse_html
from pipelines.page import headline_line, read, text_outside

PAGE = """<html><head><title>县委组织部开展主题党日活动_某某党建网</title>
<style>.nav { color: red }</style><script>var tracker = "analytics-id-123";</script></head>
<body><div class="nav"><a href="/">首页</a> &gt; <a href="/dj/">党建动态</a></div>
<h1>县委组织部开展<br>主题党日活动</h1>
<table><tr><td>发布时间：</td><td><script>document.write("2021-06-04 10:20")</script></td>
<td>来源：组织部</td></tr></table>
<p>6月4日，县委组织部组织全体党员
开展主题党日活动。<!-- 编辑注：--></p>
<noscript>请开启脚本</noscript><select><option>友情链接</option></select>
<div class="related-news"><p>往期：某镇召开党建工作推进会</p></div>
</body></html>""".encode("gb18030")


def page_model():
    return read(parse_html(PAGE.decode("gb18030")))


def test_blocks_are_a_line_per_block_and_cell_without_what_no_reader_sees():
    lines = chrome.normalize_lines(page_model().blocks)
    assert lines == ["首页 > 党建动态", "县委组织部开展", "主题党日活动", "发布时间:", "来源:组织部",
                     "6月4日,县委组织部组织全体党员", "开展主题党日活动。", "往期:某镇召开党建工作推进会"]


def test_rows_put_cells_side_by_side_and_show_what_short_scripts_print():
    rows = page_model().rows
    assert "发布时间： 2021-06-04 10:20 来源：组织部" in rows
    assert "6月4日，县委组织部组织全体党员 开展主题党日活动。" in rows  # a source line break is a space
    assert not any("请开启脚本" in row or "友情链接" in row for row in rows)


def test_boxed_blocks_are_the_recommendation_boxes_text():
    assert chrome.normalize_lines(page_model().boxed_blocks) == ["往期:某镇召开党建工作推进会"]


def test_the_headline_is_the_page_line_the_title_begins_with_even_broken_over_lines():
    model = page_model()
    assert model.headline == "县委组织部开展主题党日活动"
    assert model.lines[model.lines.index("县委组织部开展") + 1] == "主题党日活动"


def test_without_an_h1_the_headline_is_the_line_the_title_ends_with_after_a_site_prefix():
    def headline(body: str) -> str | None:
        return read(parse_html("<html><head><title>檀溪日报数字报-檀溪党员帮代办跑出民生加速度</title></head>"
                               f"<body>{body}</body></html>")).headline

    table = ("<table><tr><td>第A03版：党建周刊</td></tr><tr><td class='title'>檀溪党员帮代办跑出民生加速度</td></tr>"
             "<tr><td><p>日前，在檀溪市城南街道便民服务中心，居民拿着办结回执连声道谢。</p></td></tr></table>")
    assert headline(table) == "檀溪党员帮代办跑出民生加速度"
    assert headline("<h1>另一个标题在这里</h1>" + table) == "另一个标题在这里"  # an <h1> still comes first
    assert headline("<div>党员帮代办</div><p>正文。</p>") == "檀溪日报数字报-檀溪党员帮代办跑出民生加速度"  # no such line


def test_dates_read_the_page_model_once_read():
    model = page_model()
    assert "发布时间: 2021-06-04 10:20 来源:组织部" in shown_rows(model)
    dated = publication_date(page=model)
    assert (dated.value.isoformat(), dated.source) == ("2021-06-04T10:20:00+08:00", "label:发布时间")


def test_the_text_beside_a_link_leaves_the_link_and_what_no_reader_sees_out():
    item = lxml_html.fragment_fromstring(
        '<li><a href="/n/1.html">某镇召开党建工作推进会</a><!-- x --> <span>2021-06-04</span>'
        "<script>var x = 1;</script> 点击 12</li>")
    assert text_outside(item, item.find("a")) == "2021-06-04 点击 12"


def test_a_declared_title_found_on_one_line_wins_over_a_run_of_lines_and_a_broken_headline_is_found():
    shown = ["某县召开基层党建工作推进会", "——部署全年重点任务", "正文第一段,内容充实。"]
    assert headline_line("某县召开基层党建工作推进会——部署全年重点任务-某某党建网", shown) == shown[0]
    broken = ["某县召开基层党建工作推进会", "部署全年重点任务", "正文第一段,内容充实。"]
    assert headline_line("某县召开基层党建工作推进会部署全年重点任务_某某党建网", broken) == (
        "某县召开基层党建工作推进会部署全年重点任务")
