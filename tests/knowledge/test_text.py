"""Text helpers: folding keeps offsets and changes only what its table names."""

from __future__ import annotations

import random

from yizhu.knowledge.terminology.text import FOLD_TABLE, Segmenter, fold


def test_fold_equals_translating_every_character_through_the_table() -> None:
    """fold translates only the runs of characters it changes; the result is the whole-string translation."""
    rnd = random.Random(3)
    alphabet = [chr(k) for k in FOLD_TABLE] + list("咳嗽发热，。：（）abc 123\n") + ["\U00020000", "é", "μ"]
    for _ in range(600):  # short strings are translated whole, long ones run by run: both the same
        s = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 200)))
        assert fold(s) == s.translate(FOLD_TABLE)
        assert len(fold(s)) == len(s)


def test_fold_of_clinical_wordings() -> None:
    assert fold("ＣＴ示：肺部感染（右下）") == "ct示:肺部感染(右下)"
    assert fold("血红蛋白 85 G/L，ＨＢＳＡＧ阳性") == "血红蛋白 85 g/l,hbsag阳性"
    assert fold("咳嗽三天") == "咳嗽三天"  # nothing to fold: the same text
    assert fold("") == ""
    long = "患者ＣＴ示：肺部感染（右下），血红蛋白 85 G/L↓。" * 5
    assert len(long) >= 64 and fold(long) == "患者ct示:肺部感染(右下),血红蛋白 85 g/l↓。" * 5


def test_segment_marks_fall_where_tokens_start_and_end() -> None:
    seg = Segmenter(["急性心肌梗死"])
    text = "患者急性心肌梗死，住院"
    marks = seg.boundaries(text)
    pos, want = 0, bytearray(len(text) + 1)
    for tok in seg.cut(text):
        want[pos] = 1
        pos += len(tok)
    want[pos] = 1
    assert marks == want
    assert marks[2] == 1 and marks[8] == 1 and not any(marks[3:8])
    assert seg.boundaries("") == bytearray(b"\x01")
