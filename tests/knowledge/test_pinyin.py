"""Mixed pinyin/hanzi back to hanzi (yizhu.knowledge.terminology.pinyin), on a small vocabulary of its own.
All texts are synthetic."""

from __future__ import annotations

import pytest

from yizhu.knowledge.terminology.pinyin import PinyinMatcher, readings

VOCAB = ["糖尿病", "血糖", "高血压", "低血压", "胃疼", "肝炎", "心理", "甲状腺", "转氨酶", "肚子胀", "不太动"]


@pytest.fixture(scope="module")
def m() -> PinyinMatcher:
    return PinyinMatcher(VOCAB, single=["胃", "肝", "肾", "眼", "咽"], complaints=["疼", "不好", "不舒服"],
                         homophones=[v for v in VOCAB if v != "不太动"])


def test_every_reading_of_a_character_counts() -> None:
    assert {"xue", "xie"} <= readings("血")
    assert readings("a") == frozenset()


@pytest.mark.parametrize(("text", "want"), [
    ("老妈tang尿病", "老妈糖尿病"),          # the first syllable in Latin letters
    ("空腹xue糖偏高", "空腹血糖偏高"),
    ("糖niao病", "糖尿病"),                  # a middle one
    ("gaoxueya吃什么药", "高血压吃什么药"),    # all Latin, run together
    ("tang niao bing", "糖尿病"),            # all Latin, spaced
    ("Gan炎复查", "肝炎复查"),                # capitals are folded by the caller; here already lower by fold
])
def test_pinyin_spells_a_term(m: PinyinMatcher, text: str, want: str) -> None:
    from yizhu.knowledge.terminology.text import fold

    assert m.fix(fold(text))[0] == want


def test_one_syllable_body_word_needs_a_complaint_after_it(m: PinyinMatcher) -> None:
    assert m.fix("shen不好")[0] == "肾不好"
    assert m.fix("shen上起疹子")[0] == "shen上起疹子"   # 身上, not the kidney
    assert m.fix("yan疼")[0] == "yan疼"                 # 眼 or 咽: two body words share the reading


@pytest.mark.parametrize("text", ["做了ct和mri", "hbv dna阴性", "ok谢谢", "change了药", "tangniao"])
def test_latin_that_spells_no_term_is_left_alone(m: PinyinMatcher, text: str) -> None:
    assert m.fix(text) == (text, [])


def test_homophone_typo_inside_a_longer_term(m: PinyinMatcher) -> None:
    assert m.fix("转安酶高")[0] == "转氨酶高"
    assert m.fix("甲壮腺")[0] == "甲状腺"
    assert m.fix("肚子涨着疼")[0] == "肚子胀着疼"


def test_homophones_are_guarded(m: PinyinMatcher) -> None:
    assert m.fix("我心里难受")[0] == "我心里难受"      # a two-character term takes no homophone (心理)
    assert m.fix("我妈的血压高")[0] == "我妈的血压高"  # 的 is never a typo for 低
    assert m.fix("我不太懂")[0] == "我不太懂"          # not a term homophones may spell
    assert m.fix("新血压计")[0] == "新血压计"          # never the first character


def test_u_umlaut_is_typed_as_v_or_u() -> None:
    m = PinyinMatcher(["绿色", "疟疾"])
    assert m.fix("lv色")[0] == "绿色"
    assert m.fix("lu色")[0] == "绿色"
    assert m.fix("nue疾")[0] == "疟疾"
