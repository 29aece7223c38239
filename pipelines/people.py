"""People named on a page (authors, editors, photographers): names from what the page says of them, cleaned of
the residue around them (staff codes, roles, UI text), and checked.

A name is kept only on positive evidence, at one of three strengths (`Evidence`):

- `credit`: a forum or blog credit (`本贴由某某于…发表`). Posters are handles of any form, so only the form check.
- `label`: a label or role says so (`作者:`, `记者 某某`, `电(记者 某某)`, `(评论员 某某)`, or a team of names in
  the bracket closing the text, `(周某某 王某)`). The value is a name
  when a name model reads it as one (a surname and a given name, or jieba's person-name tag) or when it is not
  plain vocabulary: `未知`, `网络整理`, `查看更多` are words every dictionary knows; `海姑娘` is a pen name only a
  credit may hold.
- `position`: nothing but where it stands (a line of names under the headline, the line after `责任编辑:`,
  one name alone in the bracket closing the text). Then the name model must read every name as a person's and none may be a
  common word (`金秋`, `黄金周`, `高新区` start with surnames, and jieba even tags some of them as names).

Every stored person passes `valid_person` (no markup, no `label:value`, no digits glued to CJK, a sane length, no
place or date word): tests/test_person_fields.py walks every corpus page and sample file with it.
Rules are data in config/rules/headers.yaml (`people:`).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pipelines.config import rules

Evidence = Literal["credit", "label", "position"]
CJK = re.compile(r"[\u4e00-\u9fff]")
CJK_NAME = re.compile(r"[\u4e00-\u9fff]+(?:[·•][\u4e00-\u9fff]+)*")
LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.' -]*")
MARKUP = re.compile(r"[<>={}\"\\]|&(?:[a-z]+|#\d+);", re.IGNORECASE)
DIGIT_BY_CJK = re.compile(r"[\u4e00-\u9fff]\d|\d[\u4e00-\u9fff]")
OPENERS, CLOSERS = "([{（【《", ")]}）】》"
SENTENCE_PUNCTUATION = re.compile(r"[，。？！；：、“”…?!;]")


@dataclass(frozen=True, slots=True)
class PeopleRules:
    surnames: frozenset[str]
    compound_surnames: tuple[str, ...]
    nickname_prefixes: frozenset[str]
    given_name_max: int
    cjk_name_max: int
    syllable_name_max: int
    joined_name_max: int
    handle_max: int
    common_word_min_freq: int
    person_tags: frozenset[str]
    place_or_time_tags: frozenset[str]
    name_tags: frozenset[str]
    place_suffix: re.Pattern
    staff_code: re.Pattern
    staff_code_suffix: re.Pattern
    self_reference: re.Pattern
    role_words: frozenset[str]
    titles: tuple[str, ...]
    credit_suffixes: dict[str, str]
    other_label: re.Pattern
    name_separators: re.Pattern
    name_with_original: re.Pattern
    affiliation: re.Pattern
    organisation: re.Pattern
    name_syllables: frozenset[str]


@cache
def people_rules() -> PeopleRules:
    raw = rules("headers")
    people = raw["people"]
    roles = {label for labels in raw["labels"].values() for label in labels} | set(raw["reporter_roles"])
    return PeopleRules(
        surnames=frozenset(raw["surnames"]),
        compound_surnames=tuple(raw["compound_surnames"]),
        nickname_prefixes=frozenset(people["nickname_prefixes"]),
        given_name_max=int(people["given_name_max"]),
        cjk_name_max=int(people["cjk_name_max"]),
        syllable_name_max=int(people["syllable_name_max"]),
        joined_name_max=int(people["joined_name_max"]),
        handle_max=int(people["handle_max"]),
        common_word_min_freq=int(people["common_word_min_freq"]),
        person_tags=frozenset(people["person_tags"]),
        place_or_time_tags=frozenset(people["place_or_time_tags"]),
        name_tags=frozenset(people["person_tags"]) | frozenset(people["place_or_time_tags"]) | frozenset(people["name_tags"]),
        place_suffix=re.compile(people["place_suffix"]),
        staff_code=re.compile(people["staff_code"]),
        staff_code_suffix=re.compile(rf"[_\-\s]*(?:{people['staff_code']})$"),
        self_reference=re.compile(people["self_reference"]),
        role_words=frozenset(roles | set(people["credit_suffixes"]) | set(people["titles"])),
        titles=tuple(sorted({*people["titles"], *raw["reporter_roles"]}, key=len, reverse=True)),
        credit_suffixes=dict(people["credit_suffixes"]),
        other_label=re.compile(people["other_label"]),
        name_separators=re.compile(raw["name_separators"]),
        name_with_original=re.compile(raw["name_with_original"]),
        affiliation=re.compile(people["affiliation"]),
        organisation=re.compile(people["organisation"]),
        name_syllables=frozenset(people["name_syllables"]),
    )


@cache
def segmenter():
    """jieba's POS tagger, loaded once per process: the name checks need its word frequencies and tags, which
    rjieba does not expose."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()  # word frequencies are empty until the dictionary is loaded
    return jieba, jieba.posseg


def word_frequency(word: str) -> int:
    return segmenter()[0].get_FREQ(word) or 0


def dictionary_tag(word: str) -> str | None:
    """jieba's dictionary tag of the word as a whole (None: not a dictionary word)."""
    return segmenter()[1].dt.word_tag_tab.get(word)


@cache
def pieces(word: str) -> tuple[tuple[str, str], ...]:
    """jieba's segmentation of the word with POS tags (unknown names get `nr` from its HMM)."""
    return tuple((piece.word, piece.flag) for piece in segmenter()[1].cut(word))


def is_common_word(word: str) -> bool:
    return word_frequency(word) >= people_rules().common_word_min_freq


def surname_model(name: str) -> bool:
    """A surname and a given name: `胡平`, `欧阳海燕`, `小何` (a nickname: 小/老/阿 and a surname)."""
    r = people_rules()
    if name.startswith(r.compound_surnames):
        return 3 <= len(name) <= 2 + r.given_name_max
    if name[0] in r.surnames:
        return 2 <= len(name) <= 1 + r.given_name_max
    return len(name) == 2 and name[0] in r.nickname_prefixes and name[1] in r.surnames


def syllable_model(name: str) -> bool:
    """A name of the peoples whose names have no surname, made of known parts as a Chinese name is of a surname
    and a given name: two syllables of Tibetan names (`扎西次仁`, `德吉卓玛`), one or two parts of Mongolian ones
    (`其木格`, `乌兰托娅`, `敖登格日勒`); 3 to `syllable_name_max` characters, so that no single two-character part
    is a name alone."""
    r = people_rules()
    if not 3 <= len(name) <= r.syllable_name_max:
        return False
    parts = r.name_syllables
    return name in parts or any(name[:cut] in parts and name[cut:] in parts for cut in range(2, len(name) - 1))


def tagged_person(name: str) -> bool:
    """jieba reads the whole name as one person-name token (`徐占忱`, `宪瑞`)."""
    found = pieces(name)
    return len(found) == 1 and found[0][1] in people_rules().person_tags


def is_vocabulary(name: str) -> bool:
    """Nothing but common dictionary words, none of them a name: `未知`, `网络整理`, `查看更多`, `本网`."""
    tags = people_rules().person_tags
    return all(flag not in tags and is_common_word(word) for word, flag in pieces(name))


def is_organisation(value: str) -> bool:
    """A unit's name (`教务处`, `县直机关工委`, `党委组织部`): CJK ending in what names a unit, not the publication
    naming itself (`本网`)."""
    r = people_rules()
    value = value.strip()
    return bool(r.organisation.fullmatch(value)) and not r.self_reference.fullmatch(value)


def names_nothing(value: str) -> bool:
    """A source value that names no one (`本站原创`, `本网`, `未知`, `网络`, `原创`): the publication naming itself,
    alone or with plain words after it, or one plain dictionary word that is neither a unit's name nor a proper
    name (jieba's `name_tags`). A source names something by a proper name (`新华社`, `无锡交警`), a unit's or
    medium's form (`县委组织部`, `观察者网`), a word the dictionary does not know (`澄湾融媒`) or words run together
    into a title (`澎湃新闻`, `每日经济新闻`)."""
    r = people_rules()
    value = value.strip()
    if not CJK_NAME.fullmatch(value) or is_organisation(value):  # `本校团委` names a unit
        return False
    own = r.self_reference.match(value)
    if own:
        rest = value[own.end() :]
        return not rest or is_vocabulary(rest)
    found = pieces(value)
    return len(found) == 1 and found[0][1] not in r.name_tags and is_common_word(value)


def unit_not_person(name: str) -> bool:
    """A value of a unit's form (`教务科`, `校团委`, `宣传部`) is a unit, unless the surname model reads it as a name
    jieba's dictionary does not know as a word (`林业局` starts with a surname, but it is a common word)."""
    return is_organisation(name) and not (surname_model(name) and not is_common_word(name))


def is_place_or_time(name: str) -> bool:
    """`江苏`, `黄山`, `周末`, `高新区`: a place or time word, by jieba's dictionary or by a place suffix."""
    r = people_rules()
    return dictionary_tag(name) in r.place_or_time_tags or bool(len(name) >= 3 and r.place_suffix.search(name))


def balanced(text: str) -> bool:
    depth = 0
    for char in text:
        if char in OPENERS:
            depth += 1
        elif char in CLOSERS:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def valid_person(name: str) -> bool:
    """The form every stored person field has: a CJK name of 2 to `cjk_name_max` characters (longer only when
    joined by `·` or made of two known name parts), a handle (letters, digits, a few signs), or `中文名 (Original Name)`; never markup,
    `label:value`, digits glued to CJK, a staff code, a role word, a place or a date word."""
    r = people_rules()
    if not name or name != name.strip() or MARKUP.search(name) or ":" in name or "：" in name:
        return False
    if r.name_with_original.fullmatch(name):
        return True
    if DIGIT_BY_CJK.search(name) or not balanced(name) or not any(char.isalpha() for char in name):
        return False
    if r.staff_code.fullmatch(name) or name in r.role_words or r.self_reference.fullmatch(name):
        return False
    if CJK_NAME.fullmatch(name):
        longest = r.joined_name_max if ("·" in name or "•" in name) else r.cjk_name_max
        if len(name) > longest and len(name) <= r.syllable_name_max and syllable_model(name):
            longest = r.syllable_name_max  # two parts of a Mongolian name: `敖登格日勒`
        return 2 <= len(name) <= longest and not is_place_or_time(name)
    if CJK.search(name):  # a handle mixing scripts or signs: `放飞&心情`, never a sentence's punctuation
        return 2 <= len(name) <= r.handle_max and not any(char.isdigit() for char in name) \
            and not SENTENCE_PUNCTUATION.search(name)
    return bool(LATIN_NAME.fullmatch(name)) and 2 <= len(name) <= r.handle_max


def accepted(name: str, evidence: Evidence) -> bool:
    """Whether the evidence makes this cleaned token a person's name (module docstring)."""
    if not valid_person(name):
        return False
    if evidence != "credit" and unit_not_person(name):
        return False
    if evidence == "position":
        return bool(CJK_NAME.fullmatch(name)) and (surname_model(name) or syllable_model(name)
                                                   or tagged_person(name)) and not is_common_word(name)
    if evidence == "credit" or not CJK_NAME.fullmatch(name):
        return True
    return surname_model(name) or syllable_model(name) or tagged_person(name) or not is_vocabulary(name)


def value_span(value: str) -> str:
    """A label's value up to where something else starts: another field (`宪瑞 人气: 5380`, `某某 状态:连载中`) or
    a bracket the value did not open (`小何)返回搜狐`)."""
    value = people_rules().other_label.split(value, maxsplit=1)[0]
    depth = 0
    for position, char in enumerate(value):
        if char in OPENERS:
            depth += 1
        elif char in CLOSERS:
            if not depth:
                return value[:position]
            depth -= 1
    return value


def split_names(value: str) -> list[str]:
    """`李 莹` -> [李莹]; `刘孟秋 曹文玥` -> [刘孟秋, 曹文玥]: single characters are layout-split names."""
    r = people_rules()
    if r.name_with_original.fullmatch(value.strip()):
        return [value.strip()]
    names: list[str] = []
    pending = ""
    for token in r.name_separators.split(value):
        token = token.strip("()（）[]【】")
        if not token:
            continue
        if len(token) == 1 and CJK_NAME.fullmatch(token):
            pending += token
            if len(pending) >= 2:
                names.append(pending)
                pending = ""
            continue
        if pending:
            names.append(pending)
            pending = ""
        names.append(token)
    if pending:
        names.append(pending)
    return names


def without_title(token: str) -> str:
    """`组织委员王明述` -> `王明述`, `方敏北京大学经济学院教授` -> `方敏`, `研究员徐占忱` -> `徐占忱`: a role or an
    affiliation ending in a title, before or after a name the model reads as one."""
    r = people_rules()
    if not CJK_NAME.fullmatch(token) or len(token) <= r.cjk_name_max and surname_model(token):
        return token
    for title in r.titles:
        at = token.rfind(title)
        if at > 0 and at + len(title) < len(token):  # `…委员王明述`: the name after the title
            rest = token[at + len(title) :]
            if surname_model(rest) or tagged_person(rest):
                return rest
        if token.endswith(title):  # `方敏北京大学经济学院教授`: the name jieba reads before it
            head = ""
            for word, flag in pieces(token):  # jieba may cut a name in two: `卞` `小雨`
                if flag not in r.person_tags:
                    break
                head += word
            if head and surname_model(head):
                return head
    return token


def names(kind: str, value: str, evidence: Evidence) -> list[tuple[str, str]]:
    """(kind, name) for every person the value names; a credit suffix closing it (`黎旭阳、李妍摄`) makes them
    all that kind (photographers). Staff codes (`杨倩_NF4425`, `朱家浒 PN054`), role words and a bracketed
    affiliation after a name (`白某（宣传部）`) are cut off."""
    r = people_rules()
    if r.name_with_original.fullmatch(value.strip()):
        tokens = [value.strip()]
    else:
        tokens = split_names(r.affiliation.sub("", value_span(value)))
    if tokens:
        last = tokens[-1]
        suffix = next((s for s in sorted(r.credit_suffixes, key=len, reverse=True) if last.endswith(s)), None)
        glued = suffix and last != suffix and not tagged_person(last) and surname_model(last[: -len(suffix)])
        if suffix and (last == suffix or glued):
            kind = r.credit_suffixes[suffix]
            tokens[-1] = last[: -len(suffix)]
    found: list[tuple[str, str]] = []
    for token in tokens:
        token = without_title(r.staff_code_suffix.sub("", token).strip())
        if token and accepted(token, evidence):
            found.append((kind, token))
    return found
