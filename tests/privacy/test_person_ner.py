"""Names read by the general lexical analyser (Baidu LAC over ONNX) where no rule finds one, and the guards that keep
clinical words, drugs and sounds out (person_ner). Sentences invented for these tests, synthetic."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from yizhu.privacy import deidentify
from yizhu.privacy.recognizers import person_ner as pn


def ner_names(text: str) -> list[str]:
    return [e.text for e in deidentify(text).entities if e.type == "PERSON" and e.explanation.pattern == "ner"]


def persons(text: str) -> list[str]:
    return [e.text for e in deidentify(text).entities if e.type == "PERSON"]


@pytest.mark.parametrize(
    ("cls", "text", "name"),
    [
        ("a familiar form with a rare surname", "老仉这两天睡得不好，夜里总咳。", "老仉"),
        ("a familiar form with a rare surname, 小", "你问护士站小郗，她今天白班。", "小郗"),
        ("a full name of a rare surname after a colloquial kin word", "我家那口子厍建国骑电瓶车送过来的。", "厍建国"),
        ("a full name in Cantonese speech", "我阿爸佘锦荣听日出院，我返工唔得闲。", "佘锦荣"),
    ],
)
def test_analyser_finds_names_no_rule_finds(cls: str, text: str, name: str):
    assert name in ner_names(text), cls


@pytest.mark.parametrize(
    ("cls", "text", "word"),
    [
        ("a clinical phrase after 患者", "患者神志清，精神可。", "神志清"),
        ("a word running across the span's end", "诊断：多亚急性起病。", "多亚"),
        ("the tail of a pack drug", "替格瑞洛已顿服180mg。", "格瑞洛"),
        ("an eponym before 征", "墨菲征阳性。", "墨菲"),
        ("a cough's sound", "咳嗽的时候咔咔的。", "咔咔"),
        ("a brand after an intake verb", "吃了三天易坦静，还是咳。", "易坦静"),
        ("a maker's name before a blocklisted drug", "张仲景六味地黄丸 8粒 tid", "张仲景"),
        ("an eponym's part before a dot", "冯·维勒布兰德病", "冯"),
        ("a weekday spaced out in a column", "值班  周　二  周　三", "周"),
    ],
)
def test_guards_keep_clinical_words(cls: str, text: str, word: str):
    assert not any(word in p or p in word for p in persons(text)), cls


def test_spans_say_they_come_from_the_analyser():
    ents = [e for e in deidentify("我家那口子厍建国骑电瓶车送过来的。").entities if e.text == "厍建国"]
    assert ents and ents[0].explanation.pattern == "ner" and "LAC" in (ents[0].explanation.note or "")
    assert ents[0].score < 0.75  # not propagated to other occurrences (PROPAGATE_MIN)


def test_switch_turns_the_analyser_off(monkeypatch: pytest.MonkeyPatch):
    pn.analyser.cache_clear()
    monkeypatch.setenv(pn.ENV_SWITCH, "0")
    try:
        assert pn.analyser() is None
    finally:
        pn.analyser.cache_clear()
        monkeypatch.delenv(pn.ENV_SWITCH)
    assert isinstance(pn.analyser(), pn.LexicalAnalyser)


def test_pieces_cover_long_lines_with_offsets():
    line = "，".join(["患者诉咳嗽三天伴发热"] * 30) + "。"
    text = "主诉：\n" + line + "\nabc 123\n"
    pieces = pn._pieces(text)
    assert all(len(p) <= pn.PIECE_MAX for p, _ in pieces)
    assert all(text[at:at + len(p)] == p for p, at in pieces)
    assert "".join(p for p, at in pieces if at >= text.index(line)) == line  # cut, nothing lost
    assert not any("abc" in p for p, _ in pieces)  # a line with no Han character is not read


def test_batched_reading_equals_reading_one_by_one():
    lac = pn.analyser()
    assert lac is not None
    lines = ["我家那口子厍建国骑车来的", "我阿爸佘锦荣今天出院了", "患者神志清精神可无发热"]  # three of one length
    together = lac.persons("\n".join(lines))
    alone, offset = [], 0
    fresh = pn.LexicalAnalyser(lac.model_dir)
    for line in lines:
        fresh._cache.clear()
        alone.extend((offset + s, offset + e) for s, e in fresh.persons(line))
        offset += len(line) + 1
    assert together == alone


def test_viterbi_is_the_best_path():
    rng = np.random.default_rng(3)
    logits, trans = rng.normal(size=(2, 4, 3)), rng.normal(size=(3, 3))
    best = pn._viterbi(logits, trans)
    for b in range(2):
        def score(path: tuple[int, ...], b: int = b) -> float:
            return sum(logits[b, t, p] for t, p in enumerate(path)) + sum(trans[x, y] for x, y in itertools.pairwise(path))

        top = max(itertools.product(range(3), repeat=4), key=score)
        assert tuple(best[b]) == top


def test_compiled_decoder_equals_numpy_decoder():
    rng = np.random.default_rng(5)
    logits = rng.normal(size=(6, 30, 59))
    trans = rng.normal(size=(59, 59))
    lengths = np.array([30, 1, 7, 29, 12, 30])
    a, b = pn.viterbi(logits, trans, lengths), pn._viterbi(logits, trans, lengths)
    assert all((a[i, :n] == b[i, :n]).all() for i, n in enumerate(lengths))


def test_threads_share_one_analyser():
    from concurrent.futures import ThreadPoolExecutor

    lac = pn.analyser()
    assert lac is not None
    texts = [f"我家那口子厍建国骑电瓶车送过来的，第{i}次。\n我阿爸佘锦荣听日出院" for i in range(40)]
    fresh = pn.LexicalAnalyser(lac.model_dir)
    serial = [fresh.persons(t) for t in texts]
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(lac.persons, texts)) == serial


@pytest.mark.parametrize(("text", "name"), [("夜班护士安然未及时更换输液", "安然")])
def test_a_name_that_spells_a_word_after_a_role(text: str, name: str):
    assert name in persons(text)
