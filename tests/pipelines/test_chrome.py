"""The Chinese chrome cleaner on lines like the ones real pages and dumps carry."""

from __future__ import annotations

import pytest

from pipelines import chrome


def test_normalize_line_is_nfkc_with_collapsed_white_space():
    assert chrome.normalize_line("\u3000\u3000来源：中青一班（第61期）  发布") == "来源:中青一班(第61期) 发布"


def test_normalize_lines_drops_blank_lines_and_rejoins_a_byline_broken_over_lines():
    text = "最后一段写完了。(张建国\n王\n平)\n\n\n下一行"
    assert chrome.normalize_lines(text) == ["最后一段写完了。(张建国 王 平)", "下一行"]


def test_fold_is_one_character_for_one():
    published = "（一）全体党员：认真学习ＡＩ知识！＂㈠＂与“……”不展开，兀字读作兀。"
    folded = chrome.fold(published)
    assert folded == "(一)全体党员:认真学习AI知识!\"㈠\"与“……”不展开,兀字读作兀。"
    assert len(folded) == len(published)


def test_published_hands_out_folded_lines_and_gives_back_what_was_printed():
    published = chrome.Published()
    lines = published.lines("标题：某县召开会议（第一次）\n来源：县委办　 作者：张三\n\n　　会议指出，要抓好落实！\n")
    assert lines == ["标题:某县召开会议(第一次)", "来源:县委办 作者:张三", "会议指出,要抓好落实!"]
    assert published.shown("某县召开会议(第一次)") == "某县召开会议（第一次）"
    assert published.shown(lines[2]) == "会议指出，要抓好落实！"
    assert published.shown("张三") == "张三"
    assert published.line("  县委办（宣传科）  ") == "县委办(宣传科)"
    assert published.shown("县委办(宣传科)") == "县委办（宣传科）"
    assert published.shown("(第一次)来源:县委办") == "（第一次）来源：县委办"  # a headline broken over lines
    assert published.shown("不在页面上的文字,") == "不在页面上的文字,"
    assert published.shown(None) is None


def test_a_byline_broken_over_lines_is_rejoined_in_both_forms():
    published = chrome.Published()
    assert published.lines("最后一段写完了。（张建国\n王\n平）") == ["最后一段写完了。(张建国 王 平)"]
    assert published.shown("最后一段写完了。(张建国 王 平)") == "最后一段写完了。（张建国 王 平）"


@pytest.mark.parametrize(
    "line",
    [
        "首页 >> 主体班培训 >> 教学动态",
        "1. 当前位置:",
        "您现在的位置:首页 > 新闻中心",
        "分享 :",
        "分享到: 微信 微博",
        "关闭按钮",
        "【字体:",
        "【字体:大 中 小】",
        "【打印本页】 【关闭窗口】",
        "上一篇:学习贯彻会议精神",
        "第A03版:党建周刊 上一版 下一版 PDF版下载 往期回顾",
        "时长:03:25",
        "微信扫一扫",
        "长按识别二维码关注我们",
        "查看全文",
        "图片1.jpg",
        "1604800045499131.jpg",
        "-->",
        "null",
        "false",
        "浏览次数: 1024",
        "点击:88次",
        "版权所有 © 某某大学党委宣传部",
        "重庆大学| 主页焦点| 主页推荐| 网站地图| 使用帮助 RSS 我要投稿",
        "2021-06-04 00:00:00:0——某区纪实498010http://10.0.0.1/pc/content_4980.htmlnull",
        "凝聚力量/enpproperty-->",
        "您当前的位置:首页 >> 临溪新闻",
        "查看原文",
        "附件:关于开展主题党日活动的通知.doc",
        "【附件下载】2. 报名表.XLSX",
        "凡本网注明“来源:某某日报”的作品,均转载自其它媒体,转载目的在于传递更多信息,并不代表本网赞同其观点和对其真实性负责。",
        "声明:本文仅代表作者个人观点,与本网无关。",
        "特别声明:以上内容为自媒体平台用户上传并发布,本平台仅提供信息存储服务。",
        "Notice: The content above is uploaded and posted by a user of a self-media platform, which only provides "
        "information storage services.",
        "页面功能 【我来说两句】【我要纠错】【推荐】【字体:大 中 小】【打印】 【关闭】",
        "青山客[61.135.20.*] 认为:",
        "【打印本文】 【关闭窗口】",
        "【打印此文】【关闭本页】",
        "【纠错】",
        "望江县委宣传部 主办 建议使用1024*768分辨率浏览",
        "建议在1280×1024分辨率下浏览本站",
        "政府网站标识码:3301000099",
    ],
)
def test_chrome_lines_are_recognised(line):
    assert chrome.is_chrome(chrome.normalize_line(line))


@pytest.mark.parametrize(
    "line",
    [
        "专题学习 感悟思想伟力",
        "他在交流中分享了基层治理的经验,大家认真记录,纷纷表示受益匪浅。",
        "坚持以上率下",
        "详情请见学院网站的通知,报名截止时间为本月底。",
        "附件:参会人员名单",
        "位置偏远的村落也通上了网络。",
        "与会同志表示,这些观点代表了基层党员的普遍心声,要转载到支部学习材料中传递更多信息。",
        "专家建议使用高分辨率的显示器,保护视力。",
        "村里的大屏幕分辨率不高,党员们还是看得津津有味。",
        "新配的大屏幕采用4K分辨率(3840×2160),党员们在村部就能收看远程教育课程。",
        "打印机送到了村部,党员学习资料再也不用跑到镇上去印了。",
    ],
)
def test_article_lines_are_kept(line):
    assert not chrome.is_chrome(line)


def test_related_articles_heading_ends_the_body_after_the_text():
    body = [
        "第一段正文内容较长,讲述了活动的经过和意义。" * 5,
        "第二段正文。",
        "相关文章推荐",
        "别的文章标题一",
    ]
    assert chrome.strip_chrome(body) == body[:2]


def test_related_heading_above_the_article_is_dropped_alone():
    body = ["相关链接", "正文第一段。", "正文第二段。"]
    assert chrome.strip_chrome(body) == ["正文第一段。", "正文第二段。"]


def test_title_suffix_names_the_site():
    title = "某地开展主题党日活动"
    assert chrome.title_suffix(f"{title}-克拉玛依党建网", title) == "克拉玛依党建网"
    assert chrome.title_suffix(title, title) is None
    assert chrome.title_suffix("另一行", title) is None


@pytest.mark.parametrize("marker", ["热门评论", "最新评论", "反侵权公告:", "【版权声明】", "特别声明", "郑 重 声 明",
                                    "相 关 链 接"])
def test_comments_and_closing_notices_end_the_body_after_the_text(marker):
    body = ["第一段正文内容较长,讲述了活动的经过和意义。" * 5, "第二段正文。", marker, "读者的一段留言或一条声明。"]
    assert chrome.strip_chrome(body) == body[:2]


def test_a_visitor_counter_is_chrome_but_a_sentence_about_a_visitor_is_not():
    assert chrome.is_chrome(chrome.normalize_line("您是本站第 20230604 位访问者"))
    assert not chrome.is_chrome(chrome.normalize_line("第3位访问者说：这次活动组织得很好，大家都很受教育，希望以后多举办类似的活动。"))
