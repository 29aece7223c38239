"""People from positive evidence (pipelines/people.py): labels, credit forms, positions, the name model, the
cleaning of residue around names and the validator. Every line here is written for these tests."""

from __future__ import annotations

import pytest

from pipelines import chrome, headers, people


def split(text: str, title_hint: str | None = None) -> headers.Header:
    return headers.split_article(chrome.normalize_lines(text), title_hint=title_hint)[0]


@pytest.mark.parametrize("place_or_time", ["江门", "黄山", "高新区", "周末", "金秋", "黄金周", "石家庄", "钟声"])
def test_a_place_or_time_word_under_the_headline_is_no_byline(place_or_time):
    header, body = headers.split_article(chrome.normalize_lines(
        f"某支部开展读书活动\n\n{place_or_time}\n\n正文第一段,内容充实,讲述了活动的经过。"))
    assert header.authors == [] and body[0] == place_or_time


def test_names_under_the_headline_are_read_by_the_name_model():
    assert split("某支部开展读书活动\n\n赵明远 钱 琳\n\n正文第一段,内容充实,讲述了活动的经过。").authors == ["赵明远", "钱琳"]


@pytest.mark.parametrize(("line", "kind", "expected"), [
    ("文/韩晓东", "authors", ["韩晓东"]),
    ("摄影/邵一帆 编辑/蒋小文", "photographers", ["邵一帆"]),
    ("摄影/邵一帆 编辑/蒋小文", "editors", ["蒋小文"]),
    ("本报讯(记者 宁海波)某区近日召开工作会议,部署下一阶段重点任务。", "authors", ["宁海波"]),
    ("本站讯(机关通讯员 祝一鸣 柯雨)某区近日召开工作会议,部署下一阶段重点任务。", "authors", ["祝一鸣", "柯雨"]),
    ("记者 柏云飞 报道", "authors", ["柏云飞"]),
    ("特约记者严立新、童可摄", "photographers", ["严立新", "童可"]),
])
def test_labels_and_byline_forms_name_people(line, kind, expected):
    header = split(f"标题在这里\n\n正文第一段,内容充实,讲述了活动的经过。\n\n{line}")
    assert getattr(header, kind) == expected


def test_a_closing_bracket_of_names_ends_the_text_and_names_its_authors():
    header, body = headers.split_article(chrome.normalize_lines("标题在这里\n\n正文第一段,内容充实。(祝一鸣 柯 雨)"))
    assert (header.authors, body) == (["祝一鸣", "柯雨"], ["正文第一段,内容充实。"])


@pytest.mark.parametrize(("value", "expected"), [
    ("卞小雨_NF1234", ["卞小雨"]),          # CMS staff code glued on
    ("卞小雨 QX0815", ["卞小雨"]),          # ... or beside
    ("宣传委员卞小雨", ["卞小雨"]),          # a role before the name
    ("卞小雨某某大学新闻学院教授", ["卞小雨"]),  # affiliation and title after it
    ("卞小雨 人气: 120 次 评论(3)", ["卞小雨"]),  # the next field on the row
    ("卞小雨 状态:连载中", ["卞小雨"]),
    ("卞小雨)返回首页,查看更多", ["卞小雨"]),    # a bracket the value did not open, UI text after it
    ('size="20"', []),
    ("未知", []),
    ("网络整理", []),
    ("本网", []),
    ("某某县融媒体中心", []),
    ("江苏", []),
])
def test_residue_is_cleaned_off_labelled_names(value, expected):
    assert [name for _, name in people.names("authors", value, "label")] == expected


def test_a_label_may_hold_a_pen_name_and_a_credit_any_handle():
    assert people.names("authors", "松间月", "label") == [("authors", "松间月")]
    assert people.names("authors", "青山客", "label") == []  # plain words (青山, 客): only a credit says so
    assert people.names("authors", "seaside_walker", "label") == [("authors", "seaside_walker")]
    assert people.names("authors", "青山客", "credit") == [("authors", "青山客")]
    assert people.names("authors", "松间月", "position") == []


def test_a_value_on_the_line_after_a_waiting_label_must_be_a_name():
    header = split("标题在这里\n\n正文第一段,内容充实。\n\n责任编辑:\n\n阅读")
    assert header.editors == []
    header = split("标题在这里\n\n正文第一段,内容充实。\n\n责任编辑:\n\n柯 雨")
    assert header.editors == ["柯雨"]


@pytest.mark.parametrize("name", ["胡平", "欧阳海燕", "阿卜杜拉·买买提", "青山客", "放歌&远行", "seaside_walker",
                                  "周思博 (Joel Spolsky)"])
def test_the_validator_accepts_names_and_handles(name):
    assert people.valid_person(name)


@pytest.mark.parametrize("name", ['size="20"', "<b>胡平</b>", "状态:连载中", "人气：", "收看01:49", "评论(18",
                                  "杨倩_NF4425"[6:], "PN054", "5380", "次", "$▅▆▇◤", "某某县委组织部宣传科",
                                  "记者", "本报", "江苏", "周末", "高新区", "2024年5月"])
def test_the_validator_refuses_residue(name):
    assert not people.valid_person(name)


@pytest.mark.parametrize("name", ["单于明", "淳于红梅", "澹台文", "欧阳海燕"])
def test_the_compound_surnames_of_the_baijiaxing_start_names(name):
    assert people.surname_model(name)
    assert split(f"标题在这里\n正文第一段,内容充实。\n审核:{name}").editors == [name]


@pytest.mark.parametrize("name", ["其木格", "乌兰托娅", "巴特尔", "扎西次仁"])
def test_names_without_a_surname_are_read_by_their_parts(name):
    assert people.syllable_model(name)
    assert split(f"标题在这里\n作者:{name}\n正文。").authors == [name]


def test_a_mongolian_name_of_two_long_parts_is_a_name():
    assert people.syllable_model("敖登格日勒") and people.valid_person("敖登格日勒")
    assert split("标题在这里\n作者:敖登格日勒 来源:澹水支部生活\n正文。").authors == ["敖登格日勒"]
    assert not people.valid_person("敖登格日勒乌兰")  # past syllable_name_max


@pytest.mark.parametrize("name", ["乌兰", "扎西", "托娅"])
def test_one_short_part_alone_is_no_name(name):
    assert not people.syllable_model(name)


@pytest.mark.parametrize("unit", ["教务科", "校团委", "宣传部", "林业局"])
def test_a_value_of_a_unit_form_is_no_person(unit):
    assert not people.accepted(unit, "label")


@pytest.mark.parametrize("name", ["王科", "李站", "张军"])
def test_a_name_the_surname_model_reads_stays_a_person_whatever_it_ends_in(name):
    assert people.accepted(name, "label")
