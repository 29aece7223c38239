"""A labelled set for near-duplicate detection, generated from this project's own sentence templates.

Positives are syndicated copies of one story (other site chrome, changed 来源 line, `【转载】` mark, one
edited sentence, reflowed lines, full-width punctuation). Hard negatives are different stories that share
a site template (identical header and footer) or a topic (the same stock phrases, other facts).
`copies_of` also works on any body, so the corpus bodies in ../shared can be syndicated at test time.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

UNITS = ["县委组织部", "市委党校", "机关工委", "大学党委", "街道党工委", "区委宣传部", "镇党委", "学院党总支",
         "国资委党委", "卫健局党组", "交通运输局党委", "第二社区党支部"]
PLACES = ["东湖", "青山", "临江", "北塘", "南坪", "西岭", "石桥", "柳溪", "云台", "丰泽"]
PEOPLE = ["王建国", "李红梅", "张志远", "刘晓燕", "陈立新", "杨光明", "赵振华", "周文静", "吴海涛", "孙丽君"]
EVENTS = ["主题教育读书班", "党纪学习教育专题党课", "基层党建工作推进会", "“三会一课”观摩活动", "党员冬训动员会",
          "理论学习中心组集体学习", "组织生活会", "青年干部座谈会", "志愿服务启动仪式", "红色教育基地现场教学"]
OPENINGS = [
    "{date}，{unit}在{place}召开{event}，{person}出席会议并讲话。",
    "近日，{unit}组织开展{event}，{count}余名党员干部参加。",
    "为深入学习贯彻党的二十大精神，{date}，{unit}举办{event}。",
    "{date}上午，{place}{unit}{event}顺利举行，会议由{person}主持。",
]
BODY = [
    "会议传达学习了上级有关文件精神，通报了{year}年以来{place}基层党建重点任务推进情况。",
    "{person}指出，要坚持把党的政治建设摆在首位，切实增强“四个意识”、坚定“四个自信”、做到“两个维护”。",
    "{person}强调，各级党组织要压紧压实管党治党政治责任，推动全面从严治党向纵深发展。",
    "会上，{count}个基层党组织书记围绕抓党建促发展作了交流发言，分享了{place}在乡村振兴中的做法。",
    "与会人员一致表示，将把学习成果转化为推动高质量发展的实际行动，以新担当新作为开创工作新局面。",
    "活动中，党员们重温了入党誓词，参观了{place}党史教育展馆，接受了一次深刻的党性教育。",
    "据了解，{unit}今年已累计开展各类专题学习{count}场次，覆盖党员干部{count2}余人次。",
    "下一步，{unit}将持续完善党建工作责任制，健全考核评价机制，推动党建与业务深度融合。",
    "{person}要求，要聚焦群众急难愁盼问题，深入开展调查研究，切实为群众办实事解难题。",
    "会议还对{year}年度党建述职评议考核工作进行了安排部署，明确了时间节点和工作要求。",
    "现场，{count}名新党员在党旗下庄严宣誓，老党员代表{person}结合自身经历讲述了初心故事。",
    "此次{event}采取集中学习与分组研讨相结合的方式进行，学员们结合岗位实际谈体会、找差距。",
    "{place}作为全市党建示范点，近年来探索形成了“党建+网格”“党建+产业”等特色做法。",
    "参会同志纷纷表示，收获很大，启发很深，将以更加饱满的热情投入到{place}各项工作中去。",
    "会议要求，要严格落实“三会一课”、主题党日等制度，不断提升组织生活质量。",
    "{unit}还邀请专家作了题为《以党的创新理论武装头脑》的专题辅导报告，{count2}名干部现场聆听。",
    "截至目前，{place}已建成党群服务中心{count}个，培育党建品牌项目{count}个。",
    "{person}在总结讲话中对下一阶段工作提出三点要求：一是提高站位，二是压实责任，三是务求实效。",
]
CLOSINGS = ["（完）", "", "本次活动取得圆满成功。", "会议在庄严的国歌声中落下帷幕。"]
CHROME = [
    ("首页 | 党建动态 | 理论学习 | 基层风采 | 联系我们", "版权所有 © {site} 主办单位：{site} 技术支持：网络中心 备案号：X-ICP备000000号"),
    ("当前位置：首页 > 新闻中心 > 工作动态", "【打印本页】【关闭窗口】 地址：{place}路1号 电话：0000-0000000 {site}"),
    ("{site} 欢迎您！ 今天是 星期三 登录 注册", "上一篇：{place}开展主题党日活动 下一篇：{site}召开年度工作会议"),
]
SOURCES = ["{place}日报", "{unit}", "{place}新闻网", "共产党员网", "{place}党建网"]
EDITS = [("切实", "进一步"), ("深入", "认真"), ("会议", "会上"), ("要", "必须"), ("持续", "不断"), ("推动", "促进")]


@dataclass(frozen=True)
class Story:
    title: str
    body: str


def _fill(template: str, facts: dict[str, str]) -> str:
    return template.format(**facts)


def _facts(rng: random.Random) -> dict[str, str]:
    year = rng.choice(["2021", "2022", "2023", "2024"])
    return {
        "unit": rng.choice(UNITS), "place": rng.choice(PLACES), "person": rng.choice(PEOPLE),
        "event": rng.choice(EVENTS), "year": year, "count": str(rng.randint(3, 60)),
        "count2": str(rng.randint(100, 2000)),
        "date": f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
    }


def story(rng: random.Random, sentences: int | None = None) -> Story:
    """One party-building news item: an opening, some body sentences (one per paragraph or joined), a close."""
    facts = _facts(rng)
    picked = rng.sample(BODY, sentences or rng.randint(4, 9))
    paragraphs = [_fill(rng.choice(OPENINGS), facts)]
    while picked:
        take, picked = picked[: rng.randint(1, 3)], picked[3:] if len(picked) > 3 else []
        paragraphs.append("".join(_fill(s, facts) for s in take))
    paragraphs.append(rng.choice(CLOSINGS))
    title = f"{facts['unit']}召开{facts['event']}"
    return Story(title, "\n".join(p for p in paragraphs if p))


def same_topic(rng: random.Random, original: Story) -> Story:
    """Another story of the same kind: same stock phrases, other facts and sentence choice."""
    other = story(rng)
    while other.body == original.body:
        other = story(rng)
    return other


def in_chrome(body: str, site: str, place: str, chrome: int) -> str:
    header, footer = CHROME[chrome % len(CHROME)]
    return "\n".join([header.format(site=site, place=place), body, footer.format(site=site, place=place)])


def _edit_one_sentence(body: str, rng: random.Random) -> str:
    sentences = [s for s in body.split("。") if len(s) > 20]
    if not sentences:
        return body
    target = rng.choice(sentences)
    for old, new in rng.sample(EDITS, len(EDITS)):
        if old in target:
            return body.replace(target, target.replace(old, new, 1), 1)
    return body.replace(target, target + "，取得了良好成效", 1)


def _reflow(body: str, rng: random.Random) -> str:
    """Other line breaks and half-width punctuation, as another CMS would render the same text."""
    text = unicodedata.normalize("NFKC", body) if rng.random() < 0.5 else body
    return text.replace("\n", "\n\n") if rng.random() < 0.5 else text.replace("。\n", "。")


def copies_of(body: str, rng: random.Random, *, count: int = 3) -> list[str]:
    """Syndicated copies: each combines some of the edits a republishing site makes."""
    copies = []
    for number in range(count):
        text = body
        if rng.random() < 0.7:
            text = _edit_one_sentence(text, rng)
        if rng.random() < 0.5:
            text = _reflow(text, rng)
        source = rng.choice(SOURCES).format(place=rng.choice(PLACES), unit=rng.choice(UNITS))
        credit = rng.choice([f"来源：{source}", f"（来源：{source}）", f"稿件来源：{source}　责任编辑：{rng.choice(PEOPLE)}"])
        text = f"{credit}\n{text}" if rng.random() < 0.5 else f"{text}\n{credit}"
        if rng.random() < 0.4:
            text = f"【转载】{text}"
        if rng.random() < 0.6:
            text = in_chrome(text, f"{rng.choice(PLACES)}党建网", rng.choice(PLACES), number + rng.randint(0, 2))
        copies.append(text)
    return copies


@dataclass(frozen=True)
class LabelledSet:
    bodies: list[str]
    positives: list[tuple[int, int]]
    negatives: list[tuple[int, int]]


def labelled_set(originals: list[str], rng: random.Random, negatives_of: dict[int, list[str]]) -> LabelledSet:
    """Pool every original, its copies and its hard negatives; label (original, copy) and (original, negative)."""
    bodies: list[str] = []
    positives: list[tuple[int, int]] = []
    negatives: list[tuple[int, int]] = []
    for number, original in enumerate(originals):
        origin = len(bodies)
        bodies.append(original)
        for copy in copies_of(original, rng):
            positives.append((origin, len(bodies)))
            bodies.append(copy)
        for negative in negatives_of.get(number, []):
            negatives.append((origin, len(bodies)))
            bodies.append(negative)
    return LabelledSet(bodies, positives, negatives)


def generated_set(seed: int = 7, stories: int = 150) -> LabelledSet:
    """Own-text stories; each gets a same-template and a same-topic hard negative."""
    rng = random.Random(seed)
    originals: list[str] = []
    negatives: dict[int, list[str]] = {}
    for number in range(stories):
        chrome = rng.randint(0, len(CHROME) - 1)
        site, place = f"{rng.choice(PLACES)}党建网", rng.choice(PLACES)
        first = story(rng)
        originals.append(in_chrome(first.body, site, place, chrome))
        template_mate = in_chrome(same_topic(rng, first).body, site, place, chrome)
        negatives[number] = [template_mate, same_topic(rng, first).body]
    return labelled_set(originals, rng, negatives)


def precision_recall(clusters: list[int], data: LabelledSet) -> tuple[float, float]:
    true_positive = sum(clusters[a] == clusters[b] for a, b in data.positives)
    false_positive = sum(clusters[a] == clusters[b] for a, b in data.negatives)
    predicted = true_positive + false_positive
    return (true_positive / predicted if predicted else 1.0), true_positive / len(data.positives)
