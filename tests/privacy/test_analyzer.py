"""The combined scan finds what the naive one-regex-per-recognizer scan finds; overlaps settle."""

from __future__ import annotations

import itertools

import pytest

from tests.privacy.conftest import spans_ok
from yizhu.evaluation.data.deid.synth import generate_corpus
from yizhu.privacy import (
    Analyzer,
    Entity,
    Explanation,
    default_analyzer,
    default_recognizers,
    resolve_overlaps,
)

NOTES = generate_corpus(140, seed=11)


def _key(entities: list[Entity]) -> list[tuple[str, int, int, str, float]]:
    return [(e.type, e.start, e.end, e.recognizer, round(e.score, 6)) for e in entities]


def test_combined_and_naive_scans_agree_on_the_synthetic_corpus() -> None:
    combined, naive = default_analyzer("combined"), default_analyzer("naive")
    differing = [n.id for n in NOTES if _key(combined.analyze(n.text)) != _key(naive.analyze(n.text))]
    assert differing == []


def test_entities_point_into_the_text_and_explain_themselves() -> None:
    an = default_analyzer()
    for note in NOTES[:30]:
        ents = an.analyze(note.text)
        assert spans_ok(note.text, ents)
        assert all(isinstance(e.explanation, Explanation) and e.explanation.recognizer == e.recognizer for e in ents)
        assert all(a.end <= b.start for a, b in itertools.pairwise(ents))


def _e(start: int, end: int, score: float, typ: str = "X") -> Entity:
    return Entity(typ, start, end, "", "r", score, Explanation("r", "p", score))


@pytest.mark.parametrize(
    ("entities", "kept"),
    [
        ([_e(0, 5, 0.9), _e(3, 8, 0.8)], [(0, 5)]),
        ([_e(0, 5, 0.7), _e(3, 8, 0.8)], [(3, 8)]),
        ([_e(0, 5, 0.8), _e(0, 9, 0.8)], [(0, 9)]),
        ([_e(0, 2, 0.8), _e(2, 4, 0.8), _e(1, 3, 0.5)], [(0, 2), (2, 4)]),
        ([_e(10, 12, 0.6), _e(0, 2, 0.6)], [(0, 2), (10, 12)]),
    ],
)
def test_overlaps_keep_the_higher_score_then_the_longer_span(entities: list[Entity], kept) -> None:
    assert [(e.start, e.end) for e in resolve_overlaps(entities)] == kept


def test_threshold_drops_weak_spans() -> None:
    # a bare 15-digit number scores 0.4 as a 身份证号 without a 身份证 context word (it is still masked, as some
    # record's number, by the long-number rule at 0.55)
    text = "号码110105491231002"
    assert Analyzer(default_recognizers(), threshold=0.3).analyze(text)
    assert [e.type for e in Analyzer(default_recognizers(), threshold=0.5).analyze(text)] == ["RECORD_ID"]
    assert not Analyzer(default_recognizers(), threshold=0.6).analyze(text)


# ---------------------------------------------------------------- the free scan's shortcuts change nothing
_PIECES = [
    "2023", "2024-03-05", "2019年3月", "5月1日", "08:30", "8时30分", "下午3点", "12床", "+3床", "ICU-7床",
    "加12", "1.5", "36.5", "120/80", "2型", "3天", "5mg", "L↑", "T 36.8", "BP", "CT", "ZY20260101", "MZ-0457",
    "13812345678", "0991-5812 346", "+86 10 8391 2736", "（86）", "110105199001011234", "6222 0212 3456 7890",
    "192.168.1.1", "京A12345", "wxid_abc123", "九十三岁", "二〇二三年五月一日", "一步", "四肢", "十二", "3号楼2单元502",
    "１３８", "，", "。", " ", "\n", "：", "患者", "于", "日期", "时间", "𝟎", "٣", "x",
]


@pytest.fixture(scope="module")
def fast_and_plain() -> tuple[Analyzer, Analyzer]:
    from yizhu.privacy import analyzer as analyzer_module

    fast = Analyzer(default_recognizers())
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(analyzer_module, "_next_prefilter", lambda pats: "")
        plain = Analyzer(default_recognizers())
    assert fast._free is not None and plain._free is not None
    assert fast._free.pattern != plain._free.pattern
    return fast, plain


@pytest.mark.parametrize("seed", range(4))
def test_look_ahead_after_the_first_character_skips_only_places_no_pattern_matches(
    fast_and_plain: tuple[Analyzer, Analyzer], seed: int
) -> None:
    import random

    fast, plain = fast_and_plain
    rnd = random.Random(seed)
    for _ in range(150):
        text = "".join(rnd.choice(_PIECES) for _ in range(rnd.randint(3, 40)))
        assert _key(fast.analyze(text)) == _key(plain.analyze(text)), text


@pytest.mark.parametrize(
    ("first", "regex", "goes_on", "stops"),
    [
        ("[12]", "[12][09]\\d{2}年", ["023", "999", "0٣4"], ["1.5", "0a1", "型"]),
        ("[0-9]", "[0-9]\\d?[ \\t\\u3000]?月", ["5月", " 月", "1 月", "\u3000月"], ["5m", "次", "5 日"]),
        ("[0-9]", "[0-9]\\d{0,2}\\.\\d{1,3}", [".5", "1.2", "12."], [". 1", "..", "1 2"]),
        ("[A-Z]", "[A-Z](?:(?<=X)|[A-Z]{1,3})\\d", ["1", "B1", "BPC"], [" 3", "↑", "b1"]),
        ("1", "1(?<!年.)[3-9]\\d", ["38", "3٣"], ["28", "3a"]),
    ],
)
def test_continuations_are_read_from_the_pattern(first: str, regex: str, goes_on: list[str], stops: list[str]) -> None:
    import re

    from yizhu.privacy.analyzer import _after_first, _continuations

    found = _continuations(first, regex)
    assert found is not None
    rx = re.compile(_after_first(found))
    assert all(rx.match(x) for x in goes_on)
    assert not any(rx.match(x) for x in stops)


@pytest.mark.parametrize(
    ("first", "regex"),
    [("[0-9]", "[0-9]\\d*"), ("[0-9]", "[0-9](?:岁)?"), ("[A-Z]", "[A-Z][^a]"), ("[A-Z]", "[A-Z](?i:b)"), ("1", "1.")],
)
def test_no_limit_when_the_pattern_may_end_or_take_any_character(first: str, regex: str) -> None:
    from yizhu.privacy.analyzer import _continuations

    assert _continuations(first, regex) is None


# ---------------------------------------------------------------- cue words (Recognizer.cue_words, Cues)


class _CueProbe:
    """Builds a recognizer that reads its cue words in ``extra`` and takes the character before each 氏."""

    @staticmethod
    def make(words: tuple[str, ...]):  # type: ignore[no-untyped-def]
        from yizhu.privacy.recognizer import Recognizer

        class Probe(Recognizer):
            name = "test.cue_probe.v1"
            entity = "PERSON"
            cue_words = words

            def __init__(self) -> None:
                super().__init__(())
                self.seen: list[dict[str, list[int]]] = []
                self.from_pass: list[bool] = []

            def extra(self, text: str) -> list[Entity]:
                self.from_pass.append(self._cue_stash is not None and self._cue_stash[0] is text)
                cues = self.cues(text)
                self.seen.append({w: list(cues.starts(w)) for w in (*self.cue_words, "者", "不在")})
                out = []
                for p in cues.starts("氏"):  # only where the cue stands, no regex over the text
                    if p > 0:
                        out.append(Entity("PERSON", p - 1, p + 1, text[p - 1:p + 1], self.name, 0.9,
                                          Explanation(self.name, "before_shi", 0.9)))
                return out

        return Probe()


_CUES = ("姓名", "名", "患者", "氏", "ab", "b", "王氏", "市")


def _random_texts(n: int, seed: int) -> list[str]:
    import random

    rng = random.Random(seed)
    alphabet = ["姓", "名", "患", "者", "氏", "王", "a", "b", "：", " ", "Ａ", "ｂ", "市", "区", "1", "\n", "。", "陳"]
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(n)]


def test_cue_words_come_from_the_analyzers_pass_exactly_as_a_plain_search_finds_them() -> None:
    from yizhu.privacy.analyzer import fold_fullwidth
    from yizhu.privacy.recognizer import Cues

    probe = _CueProbe.make(_CUES)
    an = Analyzer([probe, *default_recognizers()])
    texts = [*_random_texts(300, 5), "王氏：患者姓名王氏名", "ａｂｂ王氏氏", ""]
    for t in texts:
        an.analyze(t)
    assert len(probe.seen) == len(texts) and all(probe.from_pass)  # read from the pass, not searched again
    for t, seen in zip(texts, probe.seen, strict=True):
        plain = Cues.find(fold_fullwidth(t), (*_CUES, "者", "不在"))  # words never declared are searched
        assert seen == {w: plain.starts(w) for w in seen}, t
    assert probe._cue_stash is None  # the text is not kept after its analysis


def test_a_recognizer_using_cues_finds_the_same_in_the_combined_and_naive_scans() -> None:
    combined = Analyzer([_CueProbe.make(_CUES)])
    naive = Analyzer([_CueProbe.make(_CUES)], scan="naive")
    texts = [*_random_texts(200, 9), "入院：王氏，62岁。", "張王氏诉头痛"]
    assert all(_key(combined.analyze(t)) == _key(naive.analyze(t)) for t in texts)
    assert [e.text for e in combined.analyze("入院：王氏，62岁")] == ["王氏"]


@pytest.mark.parametrize(
    ("text", "word", "starts"),
    [("aaa", "aa", [0, 1]), ("姓名姓名", "姓名", [0, 2]), ("患者", "者", [1]), ("", "名", []), ("名", "姓名", [])],
)
def test_cues_list_every_start_even_overlapping_ones(text: str, word: str, starts: list[int]) -> None:
    from yizhu.privacy.recognizer import Cues

    cues = Cues.find(text, (word,))
    assert cues.starts(word) == starts
    assert (word in cues) is bool(starts)
    assert cues.any(("x", word)) is bool(starts)
    assert cues.positions((word, "x")) == [(p, word) for p in starts]
    assert cues.found() == ({word} if starts else set())


def test_found_cues_tell_in_one_set_test_whether_any_of_many_words_occurs() -> None:
    probe = _CueProbe.make(("扎西", "次仁", "卓玛", "巴特尔"))
    an = Analyzer([probe])
    got = []
    probe.extra = lambda text: got.append(probe.cues(text).found()) or []  # type: ignore[method-assign]
    an.analyze("家属：扎西次仁，电话")
    an.analyze("无相关人员")
    assert got == [{"扎西", "次仁"}, set()]


# ---------------------------------------------------------------- the label automaton's two backends


def test_both_label_automaton_backends_give_the_same_hits_in_the_same_order() -> None:
    """ahocorasick-rs (searching str) and pyahocorasick (searching UTF-8 bytes) list the same (end, groups), in
    the same order, on notes and on random text full of labels ending together (签名, 医师签名) and overlapping."""
    pytest.importorskip("ahocorasick_rs")
    from collections import defaultdict

    from yizhu.privacy.analyzer import _label_automaton, fold_fullwidth

    labelled: dict = defaultdict(list)
    for rec in default_recognizers():
        for pat in rec.patterns:
            for label in pat.labels:
                labelled[label].append((rec, pat))
    cues = ["姓名", "名", "签名", "医师签名", "ab", "b", "者"]
    rust = _label_automaton(labelled, cues, backend="rust")
    python = _label_automaton(labelled, cues, backend="python")
    alphabet = ["医师", "签名", "签", "名", "姓", "患者", "市", "区", "省", "：", "a", "b", "@", " ", "\n", "1", "é", "😀"]
    import random

    rng = random.Random(3)
    texts = [n.text for n in NOTES[:60]]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(500)]
    texts += ["", "plain ASCII text with no label", "医师签名：王芳"]
    for t in map(fold_fullwidth, texts):
        got = rust.hits(t)
        assert got == python.hits(t), t
        assert all(t[e - len(g[0][2]) - g[0][1]:e - g[0][1]] == g[0][2] for e, g in got)  # offsets are characters


def test_the_rust_backend_is_the_default_when_installed() -> None:
    from yizhu.privacy.analyzer import DEFAULT_BACKEND, ahocorasick_rs

    assert ("rust" if ahocorasick_rs is not None else "python") == DEFAULT_BACKEND
    assert Analyzer(default_recognizers())._automaton.backend == DEFAULT_BACKEND  # type: ignore[union-attr]
