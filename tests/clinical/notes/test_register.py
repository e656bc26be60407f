"""The register gate's rebuild invents no finding (notes10): a finding is read only from a word that means it.

Every sentence here is synthetic (合成), written for these tests; none copies a case of tests/realworld/.
Classes: (1) a character of a finding inside another word (吐 in 吐口水, 烧 in 烧饭, 疼 in 心疼, 酸 in 酸奶, a
drug's name) gives no finding; (2) a verb said with 了 and an object is read with its object (吐了口痰 is 吐痰,
咳痰; 吐了口血 is 呕血; an object the packs name no finding with gives none), while a count or a time after the
verb is no object (吐了两次 stays 呕吐); (3) a colour or quality said without its subject (有点黄, 有点红) is no
finding: written with the subject the clause before names (咳痰，痰黄; 大便稀，黄色), else left out; (4) a rebuilt
clause does not write again a finding the sentence already says.
"""

from __future__ import annotations

import re

import pytest

from yizhu.clinical.notes.register import QUALITY_ALONE, gate, quality_only, rebuild, register_data
from yizhu.clinical.notes.speech import GATED, LEFT_OUT, record_clauses

#: findings a rebuild could invent from a look-alike character
_INVENTED = ("呕吐", "恶心", "发热", "高热", "疼痛", "酸胀", "麻木", "无力", "皮温升高", "胀感", "头晕", "次数增多", "发红",
             "渗液", "呕血", "咳痰")


@pytest.mark.parametrize("clause", [
    "他老是吐口水",        # spitting
    "一直吐唾沫",
    "孩子吐字不清楚",      # articulation (a finding for the clinician, never vomiting)
    "在家烧饭的时候",      # cooking
    "晚上烧水洗澡",
    "我心疼孩子",          # feeling for someone
    "喝了酸奶就好了",      # yoghurt
    "吃了麻辣烫",          # a food: neither numbness nor a warm skin
    "平时玩软件",          # software
    "水太烫了",            # the water is hot, not the skin
    "吃了止痛药",          # a painkiller named: the pain was not said
    "吃了醋酸泼尼松",      # 酸 inside a drug's name
    "吐了点东西",          # an object the packs name no finding with: left to the clinician
    "他坐车晕车",          # motion sickness
    "做了个烫发",
    "家里人都很勤快",
    "有点红",              # a colour without its place
    "有点黄",              # a colour without its subject
])
def test_a_finding_is_never_read_from_a_character_of_another_word(clause: str):
    built = rebuild(clause)
    assert not any(f in built for f in _INVENTED), (clause, built)
    verdict, text, _ = gate(clause)
    assert not any(f in text for f in _INVENTED), (clause, verdict, text)


@pytest.mark.parametrize(("clause", "want"), [
    ("早上吐了口痰", "咳痰"),      # 吐痰 is expectoration
    ("吐了一口血", "呕血"),
    ("昨天吐了两次", "呕吐"),      # a count is no object: vomiting stays vomiting
    ("发烧到半夜", "发热"),
    ("腿疼得厉害", "疼痛"),
    ("心口烧", "烧心"),            # 烧 in a finding's own word
    ("额头摸着烫", "皮温升高"),    # 烫 said of the body
    ("眼睛有点红", "眼发红"),      # a colour with its place
    ("手烫伤了", "烫伤"),          # a look-alike the packs name as a finding is that finding
])
def test_look_alikes_that_are_findings_stay_findings(clause: str, want: str):
    assert want in rebuild(clause), (clause, rebuild(clause))


def test_look_alikes_are_facts_with_a_reason():
    data = register_data()
    assert all(la.means for la in data.look_alikes)
    assert len({la.word for la in data.look_alikes}) == len(data.look_alikes)


@pytest.mark.parametrize(("clause", "quality"), [
    ("黄", "黄"), ("黄色的", "黄色"), ("颜色偏黄", "偏黄"), ("稀的", "稀"), ("有点黄", "黄"),
])
def test_a_quality_alone_is_recognised(clause: str, quality: str):
    assert quality_only(clause) == quality
    assert gate(clause)[0] == "left_out" and gate(clause)[2] == QUALITY_ALONE


@pytest.mark.parametrize("clause", ["黄色稀便", "大便黄色", "痰黄", "咳黄痰"])
def test_a_quality_with_its_subject_is_no_quality_alone(clause: str):
    assert quality_only(clause) is None


def _record(text: str) -> tuple[str, list]:
    tl, tg = LEFT_OUT.set([]), GATED.set([])
    try:
        return record_clauses(text), GATED.get() or []
    finally:
        LEFT_OUT.reset(tl)
        GATED.reset(tg)


@pytest.mark.parametrize(("said", "want", "never"), [
    ("吐了口痰，有点黄。", "痰黄", ("呕吐", "，黄")),
    ("咳嗽，吐了口痰，有点白。", "痰白", ("呕吐",)),
    # the clause before opens with the subject: the quality continues its description, as a record lists them
    ("大便稀，黄色的。", "大便稀，黄色", ()),
    ("小便少，有点黄。", "小便少，黄", ()),
])
def test_a_quality_is_written_with_the_subject_said_before_it(said: str, want: str, never: tuple[str, ...]):
    out, _ = _record(said)
    assert want in out and not any(n in out for n in never), out


@pytest.mark.parametrize("said", ["早上起来，有点黄。", "嗓子不舒服，有点红。", "有点黄。"])
def test_a_quality_with_no_subject_before_it_is_left_out_and_listed(said: str):
    out, gated = _record(said)
    assert "黄" not in out and "红" not in out, out
    assert any(g.written == "" and g.reason == QUALITY_ALONE for g in gated)


@pytest.mark.parametrize(("said", "finding"), [
    ("半个月气促，爬两层楼就气促。", "气促"),
    ("3天腹痛，吃完饭就腹痛。", "腹痛"),
    ("头晕2天，一转身头就晕。", "头晕"),
])
def test_a_rebuilt_clause_does_not_repeat_a_finding_of_its_sentence(said: str, finding: str):
    out, _ = _record(said)
    assert out.count(finding) == 1, out
    clauses = [c for c in re.split(r"[，。；]", out) if c]
    assert len(clauses) == len(set(clauses)), out
