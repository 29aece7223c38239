"""Header and footer parsing on dump-style lines written for these tests."""

from __future__ import annotations

import pytest

from pipelines import chrome, headers, people


def lines(text: str) -> list[str]:
    return chrome.normalize_lines(text)


def test_byline_row_without_separators_is_split_at_each_label():
    fields = headers.label_fields("作者:组织委员李明 来源:青干一班(第9期)发布时间:2021-03-02 09:30")
    assert fields == [
        ("authors", "作者", "组织委员李明"),
        ("source", "来源", "青干一班(第9期)"),
        ("date", "发布时间", "2021-03-02 09:30"),
    ]


def test_a_sentence_is_not_a_label_row():
    assert headers.label_fields("会议指出,来源于群众的意见要认真对待,作者们也要多下基层。" * 3) is None
    assert headers.label_fields("原文:这不是署名") is None


def test_names_split_by_layout_spaces_are_joined():
    assert people.split_names("李 莹") == ["李莹"]
    assert people.split_names("刘孟秋 曹文玥") == ["刘孟秋", "曹文玥"]
    assert people.split_names("邓志强 易 松") == ["邓志强", "易松"]


def test_breadcrumb_gives_the_last_section_before_the_title():
    dump = lines("首页 >> 学习园地 >> 支部动态\n\n某支部开展读书活动\n\n正文第一段,内容充实。")
    header, _ = headers.split_article(dump)
    assert header.category == "支部动态"


def test_numbered_breadcrumb_skips_the_detail_crumb():
    dump = lines(
        "1. 当前位置:\n  2. 首页\n  3. 组织建设\n  4. 详情\n\n某支部开展读书活动\n日期:2022-01-05\n正文。"
    )
    header, body = headers.split_article(dump)
    assert (header.title, header.category, header.date_lines, body) == (
        "某支部开展读书活动",
        "组织建设",
        ["日期:2022-01-05"],
        ["正文。"],
    )


def test_breadcrumb_with_separators_on_lines_of_their_own():
    dump = lines("当前位置:\n首页\n>\n党员教育\n>\n详情\n某支部开展读书活动\n正文第一段,内容充实。")
    header, _ = headers.split_article(dump, title_hint="某支部开展读书活动")
    assert header.category == "党员教育"


def test_you_are_here_marker_variants():
    for marker in ("您当前的位置:", "您所在的位置:", "当前的位置:"):
        header, _ = headers.split_article(lines(f"{marker}首页 >> 临溪新闻\n某支部开展读书活动\n正文。"))
        assert header.category == "临溪新闻", marker


def test_date_in_brackets_is_a_date_line():
    assert headers.is_date_line("(2020-01-21 11:12)")
    assert not headers.is_date_line("(详见2020-01-21发布的通知全文及其附件说明)")


def test_full_dump_metadata_and_clean_body():
    dump = lines(
        "首页 >> 新闻中心 >> 基层动态\n\n"
        "同心聚力 共建家园\n\n"
        "——某社区党委推进网格治理纪实\n\n"
        "作者:王小川 来源:社区党委 发布时间:2022-06-01 10:00\n\n"
        "摘要\n社区党委把网格作为服务群众的最小单元。\n\n"
        "社区党委把网格作为服务群众的最小单元,划分了十二个网格。\n\n"
        "网格员每天入户走访\n\n"
        "群众的急事难事有了着落,满意度明显提升。(赵一鸣\n周\n洋)\n\n"
        "图片:孙 丽\n 审核:钱 进\n\n"
        "同心聚力 共建家园-某某党建网\n\n"
        "关闭按钮\n分享  :\n热点文章推荐\n别的标题"
    )
    header, body = headers.split_article(dump)
    assert header.title == "同心聚力 共建家园"
    assert header.subtitle == "——某社区党委推进网格治理纪实"
    assert header.authors == ["王小川", "赵一鸣", "周洋"]
    assert header.source == "社区党委"
    assert header.category == "基层动态"
    assert header.site_name == "某某党建网"
    assert header.editors == ["钱进"]
    assert header.photographers == ["孙丽"]
    assert header.summary == "社区党委把网格作为服务群众的最小单元。"
    assert header.date_lines == ["发布时间:2022-06-01 10:00"]
    assert body == [
        "社区党委把网格作为服务群众的最小单元,划分了十二个网格。",
        "网格员每天入户走访",
        "群众的急事难事有了着落,满意度明显提升。",
    ]


def test_repeated_title_lines_leave_the_body():
    dump = lines("学习心得汇编\n第一篇的内容写在这里。\n学习心得汇编\n第二篇的内容写在这里。")
    header, body = headers.split_article(dump)
    assert header.title == "学习心得汇编"
    assert body == ["第一篇的内容写在这里。", "第二篇的内容写在这里。"]


def test_closing_bracket_that_is_not_a_byline_stays():
    dump = lines("标题一行\n正文说明了会议的安排。(详见附件)")
    _, body = headers.split_article(dump)
    assert body == ["正文说明了会议的安排。(详见附件)"]


def test_reporter_lines_and_dateline_bylines_name_authors():
    dump = lines(
        "标题在这里\n"
        "本报记者 王建 李 明\n"
        "据新华社北京电(记者 赵小刚)某部门近日召开工作会议,部署下一阶段重点任务。\n"
        "会议要求各单位抓好落实。(评论员 孙强)"
    )
    header, body = headers.split_article(dump)
    assert header.authors == ["王建", "李明", "赵小刚", "孙强"]
    assert body[0].startswith("据新华社北京电(记者 赵小刚)")
    assert body[-1].endswith("(评论员 孙强)")


def test_editor_name_on_the_line_after_its_label():
    header, body = headers.split_article(lines("标题在这里\n正文一段。\n[责任编辑:\n焦 鹏\n]"))
    assert header.editors == ["焦鹏"]
    assert body == ["正文一段。"]


def test_short_source_line_is_not_a_subtitle_and_a_date_leaves_the_source():
    header, _ = headers.split_article(lines("标题在这里\n新华社\n来源:人民日报2024-05-13 08:49\n正文。"))
    assert header.subtitle is None
    assert header.source == "人民日报"
    assert header.date_lines == ["2024-05-13 08:49"]


def test_a_line_of_names_under_the_headline_is_its_byline():
    dump = lines("论基层党组织的组织力\n\n欧阳海燕 李 莹\n\n——学习体会之二\n\n组织力是基层党组织的生命力,这是本文要讨论的问题。")
    header, body = headers.split_article(dump)
    assert (header.title, header.authors, header.subtitle) == ("论基层党组织的组织力", ["欧阳海燕", "李莹"], "——学习体会之二")
    assert body == ["组织力是基层党组织的生命力,这是本文要讨论的问题。"]


def test_a_short_line_under_the_headline_that_is_no_name_stays_in_the_body():
    for second in ("通知", "宗门流派", "党建", "江苏"):
        header, body = headers.split_article(lines(f"某支部开展读书活动\n\n{second}\n\n正文第一段,内容充实。"))
        assert header.authors == [] and body[0] == second


def test_a_headline_over_a_byline_wins_over_a_declared_title_the_page_does_not_show():
    header, _ = headers.split_article(lines("学习笔记一则\n\n周文静\n\n正文第一段,内容充实。"), title_hint="显示页面")
    assert (header.title, header.authors) == ("学习笔记一则", ["周文静"])


def test_forum_posts_credit_their_poster_but_not_the_last_editor():
    header, _ = headers.split_article(lines(
        "某帖标题\n\n正文第一段,内容充实。\n\n本贴由青山客于2006年3月1日10:00:00在〖某论坛〗发表"))
    assert header.authors == ["青山客"]
    header, _ = headers.split_article(lines("某帖标题\n\n正文第一段,内容充实。\n\n本帖最后由 青山客 于 2006-3-1 10:00 编辑"))
    assert header.authors == []


def test_a_name_with_its_original_in_brackets_is_one_person():
    assert people.split_names("孙丽君 (Lijun Sun)") == ["孙丽君 (Lijun Sun)"]
    assert people.split_names("孙丽君 王建国") == ["孙丽君", "王建国"]


def test_a_blog_credit_line_names_the_poster_and_leaves_the_body():
    header, body = headers.split_article(lines("某篇博文\n\n正文第一段,内容充实。\n\n由青山客张贴 @ 2005-03-21 01:20:44 (359)"))
    assert (header.authors, body) == (["青山客"], ["正文第一段,内容充实。"])


def test_a_headline_broken_over_lines_is_the_title_and_leaves_the_body():
    dump = lines("当前位置:\n首页/党建动态/基层风采\n某县召开基层党建工作推进会\n部署全年重点任务\n\n正文第一段,内容充实。")
    header, body = headers.split_article(dump, title_hint="某县召开基层党建工作推进会部署全年重点任务")
    assert (header.title, header.category, body) == (
        "某县召开基层党建工作推进会部署全年重点任务", "基层风采", ["正文第一段,内容充实。"])


BODY = "区委组织部近日组织全区新任村党组织书记开展集中培训,围绕抓党建促乡村振兴、村级事务管理等内容进行专题辅导。"


def test_credit_rows_read_in_the_footer_even_when_they_look_like_a_menu():
    header, body = headers.split_article(
        lines(f"某村开展主题党日活动\n\n{BODY}\n\n图/文:何明远 宋佳怡\n\n编辑 | 葛立新 审核 | 纪春华\n\n"
              "初审:尹晓东 复审:柏玉兰 终审:雷振华")
    )
    assert header.authors == ["何明远", "宋佳怡"]
    assert header.editors == ["葛立新", "纪春华", "尹晓东", "柏玉兰", "雷振华"]
    assert body == [BODY]
    header, _ = headers.split_article(lines(f"某村开展主题党日活动\n\n{BODY}\n\n文字:邵雨晴 摄影:钱海波 审核:蒲文杰"))
    assert (header.authors, header.photographers, header.editors) == (["邵雨晴"], ["钱海波"], ["蒲文杰"])


def test_a_unit_under_an_author_or_publisher_label_is_the_source():
    for row in ("作者:宣传统战部", "供稿:县委老干部局 [2009-04-16] 点击数:88", "发布者:机关党委发布时间:2024-03-27"):
        header, _ = headers.split_article(lines(f"某村开展主题党日活动\n\n{row}\n\n{BODY}"))
        assert header.authors == [] and header.source in ("宣传统战部", "县委老干部局", "机关党委"), row
    header, _ = headers.split_article(lines(f"某村开展主题党日活动\n\n作者:本网通讯员 蒋文博 来源:机关党委\n\n{BODY}"))
    assert (header.authors, header.source) == (["蒋文博"], "机关党委")
    header, _ = headers.split_article(lines(f"某村开展主题党日活动\n\n发布者:admin 发布时间:2024-03-27\n\n{BODY}"))
    assert header.source is None and header.date_lines == ["发布时间:2024-03-27"]


def test_a_short_label_run_into_a_word_is_no_field():
    assert headers.label_fields("备注:销售时间:5月12日至18日,适用人群:2名成人") is None


def test_tibetan_names_are_read_by_their_syllables():
    assert people.accepted("扎西次仁", "label") and people.accepted("格桑卓玛", "position")
    assert not people.accepted("扎西", "position")


def test_byline_rows_printed_over_the_headline_are_read():
    dump = lines("首页 > 要闻\n2023/09/05 07:58\n来源:青禾新闻网　作者:陈晓　实习生 林一帆\n某县开展党员志愿服务\n"
                 "分享到:\n正文第一段,党员们走进社区开展志愿服务。")
    header, body = headers.split_article(dump, title_hint="某县开展党员志愿服务")
    assert (header.source, header.authors) == ("青禾新闻网", ["陈晓", "林一帆"])
    assert "2023/09/05 07:58" in header.date_lines
    assert body == ["正文第一段,党员们走进社区开展志愿服务。"]


def test_a_byline_row_under_the_headline_wins_over_one_above_it():
    dump = lines("来源:青禾新闻网\n某县开展党员志愿服务\n来源:县委组织部 作者:陈晓\n正文第一段,党员们走进社区。")
    header, _ = headers.split_article(dump, title_hint="某县开展党员志愿服务")
    assert (header.source, header.authors) == ("县委组织部", ["陈晓"])


def test_only_the_run_of_byline_rows_that_ends_at_the_headline_is_read():
    dump = lines("来源:青禾新闻网\n热点新闻\n某县开展党员志愿服务\n正文第一段,党员们走进社区。")
    header, _ = headers.split_article(dump, title_hint="某县开展党员志愿服务")
    assert header.source is None


def test_a_yearless_date_before_a_label_takes_the_year_its_column_names():
    dump = lines("您当前的位置:首页 > 2022年工作动态\n某镇召开党建工作推进会\n05-18 09:20 来源:镇党委办公室\n"
                 "正文第一段,会议总结了上半年的工作。")
    header, _ = headers.split_article(dump, title_hint="某镇召开党建工作推进会")
    assert header.source == "镇党委办公室"
    assert header.date_lines == ["2022-05-18 09:20"]


def test_a_yearless_date_without_a_year_column_stays_yearless():
    dump = lines("首页 > 工作动态\n某镇召开党建工作推进会\n05-18 09:20 来源:镇党委办公室\n正文第一段,会议总结了工作。")
    header, _ = headers.split_article(dump, title_hint="某镇召开党建工作推进会")
    assert (header.source, header.date_lines) == ("镇党委办公室", ["05-18 09:20"])


def test_dates_under_a_box_heading_after_the_text_are_other_items():
    text = "正文第一段,街道组织辖区党员开展专题学习,大家结合各自工作实际谈体会、找差距、提建议,现场气氛热烈,学习效果良好。"
    dump = lines(f"某街道开展学习\n{text}\n点击排行\n2024-05-06 社区换届工作会议召开\n2024-04-28 五一慰问一线职工")
    header, _ = headers.split_article(dump, title_hint="某街道开展学习")
    assert header.date_lines == []
    header, _ = headers.split_article(lines(f"某街道开展学习\n{text}\n2024-05-06 10:20"), title_hint="某街道开展学习")
    assert header.date_lines == ["2024-05-06 10:20"]


@pytest.mark.parametrize("placeholder", ["本站原创", "本网", "未知", "网络", "原创", "不详"])
def test_a_source_that_names_nothing_is_no_source(placeholder):
    header, _ = headers.split_article(lines(f"标题在这里\n来源:{placeholder} 作者:陈晓\n正文。"))
    assert (header.source, header.authors) == (None, ["陈晓"])


@pytest.mark.parametrize("source", ["新华网", "人民日报", "县委组织部", "澎湃新闻", "澄湾融媒", "本校团委", "阿勒泰"])
def test_a_source_that_names_someone_stays(source):
    header, _ = headers.split_article(lines(f"标题在这里\n来源:{source}\n正文。"))
    assert header.source == source


@pytest.mark.parametrize(("row", "authors", "source"), [
    ("发布于 2024-09-12 稿源:岱屿市直机关工委 撰文:万俟晴", ["万俟晴"], "岱屿市直机关工委"),  # the date's label, no colon
    ("■本报记者 南宫晓 本报通讯员 冉冬梅", ["南宫晓", "冉冬梅"], None),  # a bullet before the row
    ("（本文转自：泓川日报）", [], "泓川日报"),
    ("Text / 文：张宇", ["张宇"], None),  # a bilingual page's English label before the Chinese one
])
def test_byline_rows_with_a_label_before_their_date_a_bullet_or_a_reprint_credit(row, authors, source):
    header, _ = headers.split_article(lines(f"标题在这里\n{row}\n正文第一段,内容充实,这是文章的正文。"))
    assert (header.authors, header.source) == (authors, source)


def test_a_discuz_info_row_gives_its_original_author_and_its_source():
    row = "2023-4-6 14:20| 发布者: 栖凤小编| 查看: 2638| 评论: 0|原作者: 宁海波|来自: 栖凤街道党工委"
    header, _ = headers.split_article(lines(f"标题在这里\n{row}\n正文。"))
    assert (header.authors, header.source) == (["宁海波"], "栖凤街道党工委")


def test_after_a_placeholder_source_a_department_credited_as_author_is_the_source():
    header, _ = headers.split_article(lines("标题在这里\n来源:本站原创 作者:校团委 时间:2023-05-04\n正文。"))
    assert (header.source, header.authors) == ("校团委", [])


@pytest.mark.parametrize("row", ["供稿:教务科", "文/校团委", "作者:宣传部"])
def test_a_department_under_an_author_label_is_the_source_not_a_person(row):
    header, _ = headers.split_article(lines(f"标题在这里\n{row}\n正文。"))
    assert header.authors == []
    assert header.source == row.split(":")[-1].split("/")[-1]


def test_a_correction_button_before_an_editor_row_leaves_the_editors():
    header, body = headers.split_article(lines("标题在这里\n正文一段,内容充实。\n【纠错】 责任编辑:阎小川 审核:戚永安"))
    assert (header.editors, body) == (["阎小川", "戚永安"], ["正文一段,内容充实。"])


def test_an_interview_question_after_a_reporter_label_is_text_not_a_byline():
    question = "记者:基层党组织在制度执行中应当扮演什么角色?"
    assert headers.label_fields(question) is None
    header, body = headers.split_article(lines(f"某县委书记谈制度执行\n\n记者 晁颖\n\n{question}\n\n{BODY}"))
    assert header.authors == ["晁颖"] and body == [question, BODY]
    assert not people.valid_person("您有什么建议？") and people.valid_person("放飞&心情")


def test_credits_set_off_by_the_vertical_stroke_of_wechat_reposts():
    assert headers.label_fields("文字丨何明远 编辑丨宋佳怡 责任编辑丨葛立新") == [
        ("authors", "文字", "何明远"), ("editors", "编辑", "宋佳怡"), ("editors", "责任编辑", "葛立新")]
