"""Seeded generator of party-building news stories for the demo farm.

Every phrase below was written for this project; places and people are invented. A story is generated from
one `random.Random`, so the same seed always yields the same words.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

PLACES = (
    "临溪县",
    "松岭镇",
    "云湖街道",
    "石门乡",
    "白沙村",
    "青川区",
    "柳塘社区",
    "北坪镇",
    "东渡街道",
    "枫林村",
    "南岗乡",
    "桃源社区",
    "金河镇",
    "西坝村",
    "望江街道",
    "竹溪乡",
)
UNITS = (
    "党工委",
    "机关党委",
    "党总支",
    "第一党支部",
    "第三党支部",
    "离退休干部党支部",
    "教工党支部",
    "研究生党支部",
    "综合科党支部",
    "社区党委",
    "联合党委",
    "组织部机关党支部",
)
THEMES = (
    "学思践悟 笃行实干",
    "初心如磐 使命在肩",
    "红色足迹 薪火相传",
    "党旗飘扬 服务先行",
    "强基固本 提质增效",
    "践行初心 奉献基层",
    "学史力行 为民办事",
    "支部共建 携手同行",
    "清风廉韵 正己修身",
    "青春献礼 奋斗有我",
)
ROLES = (
    "党支部书记",
    "党员代表",
    "驻村第一书记",
    "组织委员",
    "宣传委员",
    "社区网格员",
    "青年教师",
    "学员代表",
)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐韩冯邓曹彭曾萧田董潘袁蔡蒋余杜叶程魏苏吕丁任沈姚卢"
)
GIVEN = (
    "明",
    "莹",
    "君",
    "海燕",
    "志强",
    "松",
    "晓东",
    "丽",
    "建国",
    "文静",
    "宇",
    "秋实",
    "敏",
    "立新",
    "佳怡",
    "浩",
    "春梅",
    "子涵",
    "国平",
    "雪",
    "向阳",
    "红霞",
    "凯",
    "慧",
)
QUOTES = (
    "把学习成果转化为干事创业的实际行动，是每一名党员应有的担当",
    "只有把群众的小事当成自己的大事，基层工作才能真正做到心坎上",
    "这次活动让我重新认识了党员身份的分量，也找到了今后努力的方向",
    "支部建在一线，党员冲在一线，问题就能解决在一线",
    "听了老党员的讲述，我更加明白了坚守与奉献的意义",
    "我们要把这份精神带回岗位，在平凡的工作中干出不平凡的业绩",
    "理论学习不能停留在笔记本上，要落到解决问题的具体行动中",
    "看到村里的新变化，我们更有信心把下一步的工作做好",
)
OPENERS = (
    "{date}，{place}{unit}组织开展“{theme}”主题党日活动，{n}名党员参加。",
    "{date}，{place}{unit}举办专题学习会，围绕“{theme}”开展集中学习研讨。",
    "为进一步加强基层党组织建设，{date}，{place}{unit}召开工作推进会，部署下一阶段重点任务。",
    "{date}，{place}{unit}来到红色教育基地，开展以“{theme}”为主题的现场教学。",
    "连日来，{place}{unit}结合工作实际，扎实推进“{theme}”系列活动，{n}余名党员积极参与。",
)
SENTENCES = (
    "活动中，全体党员面向党旗重温入党誓词，铿锵有力的誓言在会场久久回荡。",
    "与会人员认真学习了相关文件精神，并结合各自岗位谈认识、谈体会、谈打算。",
    "{role}{person}围绕如何发挥党员先锋模范作用作了交流发言，分享了自己在一线工作中的经验。",
    "随后，大家走进展厅，通过一件件实物、一张张照片，深入了解当地革命历史和发展变化。",
    "会议指出，要坚持把抓好党建作为最大的政绩，推动党建工作与业务工作深度融合。",
    "会议要求，各支部要对照年度任务清单，逐项梳理完成情况，确保各项工作按时保质落地。",
    "活动结束后，党员们纷纷表示，将以此次活动为契机，在本职岗位上争当表率、作出贡献。",
    "据了解，今年以来该单位已累计开展集中学习{n}次，为群众办理实事{m}件。",
    "在座谈交流环节，大家畅所欲言，围绕基层治理中遇到的难点问题提出了{m}条意见建议。",
    "党员志愿者分成若干小组，走进农户家中宣讲政策、了解需求，并帮助解决了一批急难愁盼问题。",
    "此次培训采取专题讲座、现场教学和分组研讨相结合的方式，内容丰富，形式多样。",
    "授课老师结合大量生动案例，深入浅出地阐释了新时代党的建设的重要意义和实践要求。",
    "下一步，{unit}将持续巩固拓展学习成果，推动党员干部把所学所悟转化为推动发展的强大动力。",
    "{place}还建立了党员联系户制度，每名党员固定联系{k}户群众，定期上门走访、解决问题。",
    "通过“支部+网格”的模式，党组织的触角延伸到了每一个小区、每一栋楼。",
    "现场观摩环节，大家先后参观了{k}个基层党建示范点，学习借鉴先进经验和做法。",
    "活动现场还为{k}名“光荣在党50年”的老党员颁发了纪念章，向他们致以崇高敬意。",
    "学员们普遍反映，培训内容针对性强，既有理论高度，又有实践指导意义，收获很大。",
    "各党小组以接力诵读的形式学习党章党规，每天由一名党员领读并分享学习体会。",
    "为确保活动取得实效，{unit}制定了详细的实施方案，明确了时间表、路线图和责任人。",
    "大家一致认为，要把学习教育同解决实际问题结合起来，让群众切实感受到新变化新成效。",
    "在田间地头，党员们一边帮助群众抢收庄稼，一边宣讲惠民政策，赢得了群众的广泛好评。",
    "{person}是一名有着{k}年党龄的老党员，退休后仍坚持每天到社区服务站义务值守。",
    "该支部还把主题党日搬到了项目工地，现场协调解决了工程推进中的{k}个具体困难。",
    "与会党员结合自身实际，开展了批评与自我批评，查摆问题直指要害，整改措施具体可行。",
    "结合重点工作，{unit}成立了{k}支党员突击队，在攻坚任务中亮身份、当先锋。",
    "活动期间，青年党员还自编自演了情景党课，用鲜活的故事讲述身边的榜样。",
    "大家表示，要以更加饱满的热情、更加务实的作风，投身到各项工作中去。",
)
CLOSERS = (
    "下一步，{place}将以此次活动为新起点，不断创新工作方式方法，推动基层党建工作提质增效。",
    "{unit}负责同志表示，将持续深化“{theme}”品牌建设，让党旗在基层一线高高飘扬。",
    "此次活动进一步增强了党员的责任感和使命感，为完成全年目标任务凝聚了强大合力。",
    "大家纷纷表示，将把此次学习的收获转化为工作的动力，以实际行动诠释共产党员的初心使命。",
)
HEADINGS = (
    "集中学习 筑牢思想根基",
    "实地观摩 汲取奋进力量",
    "交流研讨 查找短板不足",
    "志愿服务 践行为民初心",
    "重温誓词 坚定理想信念",
    "结对共建 激发基层活力",
    "建章立制 推动常态长效",
)
TITLES = (
    "{place}{unit}开展“{theme}”主题党日活动",
    "{place}举办基层党组织书记专题培训班",
    "{place}{unit}召开党建工作推进会",
    "以学促干 {place}扎实推进党员教育管理",
    "{place}党员志愿者走进一线服务群众",
    "“{theme}”——{place}{unit}开展现场教学",
    "{place}{unit}组织党员赴红色教育基地接受教育",
    "凝心聚力谋发展 {place}召开组织生活会",
    "{place}推行“支部+网格”工作法见实效",
    "{place}{unit}举行新党员入党宣誓仪式",
    "{place}{unit}与驻地企业签订党建共建协议",
    "小网格里的大党建：{place}探索基层治理新路径",
    "{place}{unit}开展“三会一课”规范化建设",
    "{place}召开党员冬训工作动员会",
    "“{theme}”读书分享会在{place}举行",
    "{place}{unit}赴先进地区学习考察基层党建",
    "{place}为老党员送去节日慰问",
    "{place}评选表彰一批优秀共产党员",
    "{place}{unit}开展党风廉政警示教育",
    "{place}青年党员宣讲团走进校园",
)
SUBTITLES = (
    "——{place}{unit}党建工作纪实",
    "——记{place}党员干部服务群众二三事",
    "——{place}{unit}学习教育活动侧记",
)
SOURCES = ("组织部", "宣传部", "党建办", "融媒体中心", "机关党委", "党校办公室", "宣传统战部")


@dataclass(frozen=True)
class Story:
    """One piece of news as written, before any site dresses it in its own chrome."""

    key: str
    title: str
    subtitle: str | None
    paragraphs: tuple[str, ...]
    heading_indexes: frozenset[int]
    published: datetime
    authors: tuple[str, ...]
    source: str
    place: str
    unit: str


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def fill(template: str, slots: dict[str, str], rng: random.Random) -> str:
    return template.format(
        person=person(rng),
        role=rng.choice(ROLES),
        n=rng.randint(20, 120),
        m=rng.randint(8, 60),
        k=rng.randint(3, 30),
        **slots,
    )


def _paragraph(rng: random.Random, slots: dict[str, str], first: str | None, templates: list[str]) -> str:
    sentences = [first] if first else []
    for template in templates:
        sentences.append(fill(template, slots, rng))
    if rng.random() < 0.4:
        sentences.append(f"“{rng.choice(QUOTES)}。”{rng.choice(ROLES)}{person(rng)}说。")
    return "".join(sentences)


def random_moment(rng: random.Random, start: date, end: date) -> datetime:
    day = start + timedelta(days=rng.randrange((end - start).days + 1))
    return datetime.combine(day, time(rng.randint(8, 19), rng.randrange(60)))


def generate_story(
    rng: random.Random,
    key: str,
    start: date,
    end: date,
    *,
    headings: bool = False,
    title_template: str | None = None,
    place: str | None = None,
) -> Story:
    """A story of 2-4 paragraphs (a few hundred characters each), optionally under section headings."""
    published = random_moment(rng, start, end)
    slots = {
        "place": place or rng.choice(PLACES),
        "unit": rng.choice(UNITS),
        "theme": rng.choice(THEMES),
        "date": f"{published.month}月{published.day}日",
    }
    opener = fill(rng.choice(OPENERS), slots, rng)
    count = rng.randint(2, 4)
    sizes = [rng.randint(3, 5) for _ in range(count)]
    pool = rng.sample(SENTENCES, sum(sizes))  # no sentence twice in one story
    starts = [sum(sizes[:i]) for i in range(count)]
    texts = [
        _paragraph(rng, slots, opener if i == 0 else None, pool[start : start + size])
        for i, (start, size) in enumerate(zip(starts, sizes, strict=True))
    ]
    texts[-1] += fill(rng.choice(CLOSERS), slots, rng)
    paragraphs: list[str] = []
    heading_indexes: set[int] = set()
    section_titles = rng.sample(HEADINGS, count - 1) if headings else []
    for i, text in enumerate(texts):
        if i and headings:
            heading_indexes.add(len(paragraphs))
            paragraphs.append(section_titles[i - 1])
        paragraphs.append(text)
    subtitle = fill(rng.choice(SUBTITLES), slots, rng) if rng.random() < 0.3 else None
    return Story(
        key=key,
        title=fill(title_template or rng.choice(TITLES), slots, rng),
        subtitle=subtitle,
        paragraphs=tuple(paragraphs),
        heading_indexes=frozenset(heading_indexes),
        published=published,
        authors=tuple(person(rng) for _ in range(rng.randint(1, 2))),
        source=slots["place"] + rng.choice(SOURCES),
        place=slots["place"],
        unit=slots["unit"],
    )
