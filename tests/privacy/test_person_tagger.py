"""The character-level person tagger: features, pre-filter, the shipped model, and how the person
recognizer combines its proposals with the rules (sentences invented for these tests, synthetic)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from yizhu.privacy import Analyzer
from yizhu.privacy.recognizers import default_recognizers
from yizhu.privacy.recognizers import person_tagger as pt
from yizhu.privacy.recognizers.person import PersonRecognizer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def engines() -> tuple[Analyzer, Analyzer]:
    """The engine with the tagger, and the same rules without it (both without the lexical analyser of person_ner,
    which reads some of the same names: tests/privacy/test_person_ner.py)."""
    with_tagger, rules_only = PersonRecognizer(), PersonRecognizer()
    with_tagger._ner = rules_only._ner = None
    rules_only._tagger = None  # the rules alone
    return tuple(Analyzer([rec if r.name == rec.name else r for r in default_recognizers()])  # type: ignore[return-value]
                 for rec in (with_tagger, rules_only))


def persons(an: Analyzer, text: str) -> list[str]:
    return [e.text for e in an.analyze(text) if e.type == "PERSON"]


def test_features_describe_each_character_and_its_place():
    text = "护士：王芳\n12床 李明"
    feats = pt.features(text, 0, len(text))
    assert len(feats) == len(text)
    wang = feats[text.index("王")]
    assert {"c=王", "sur", "colon", "L1"} <= set(wang)  # a surname after a role word and a colon
    assert "L0" in pt.features("护士王芳", 2, 3)[0]
    li = feats[text.index("李")]
    assert {"sur", "bed"} <= set(li)
    assert "bol" in feats[text.index("1")]
    # a window reads its context from the whole text
    k = text.index("王")
    assert pt.features(text, k, k + 2) == feats[k:k + 2]


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("护士：王芳签字", "王"),
        ("交班：3床　欧阳  晓", "欧"),
        ("由其女古丽·买买提陪同", "·"),
        ("患者扎西次仁，男", "扎"),
    ],
)
def test_prefilter_marks_name_starts(text: str, marked: str):
    assert text.index(marked) in pt.candidates(text)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("既往高血压病史10年", "高"),  # a blocklisted clinical word
        ("复查白细胞计数", "白"),
        ("予完善相关检查", "完"),  # a common word inside running text
        ("双肺呼吸音清，腹平软", "平"),
    ],
)
def test_prefilter_skips_clinical_words(text: str, word: str):
    assert text.index(word) not in pt.candidates(text)


def test_bio_spans():
    assert pt.bio_spans(["O", "B", "I", "O", "B", "B", "I", "I"]) == [(1, 3), (4, 5), (5, 8)]
    assert pt.bio_spans(["I", "O"]) == []


def test_the_model_ships_small_with_its_card():
    assert pt.MODEL_PATH.exists()
    assert pt.MODEL_PATH.stat().st_size < 1_000_000
    card = pt.MODEL_PATH.with_suffix(".md").read_text(encoding="utf-8")
    for needle in ("Held-back metrics", "Features", "Data", "train_person_tagger.py", "retired"):
        assert needle in card


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("值班安排：周六韦嘉树，周日邝思琪", "邝思琪"),
    ],
)
def test_tagger_finds_names_the_rules_miss(engines, text: str, name: str):
    with_tagger, rules = engines
    assert name in persons(with_tagger, text)
    assert name not in persons(rules, text)  # the rules alone have no cue here


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("会诊：消化科雷振宇、肾内科苗可欣、营养科柏青", "雷振宇"),
        ("参加讨论：ICU凤佳音、感染科储海峰", "储海峰"),
    ],
)
def test_a_unit_before_a_name_is_a_cue_of_the_rules_too(engines, text: str, name: str):
    """A department or a unit written straight before a name that ends a list item (session deidslots2)."""
    with_tagger, rules = engines
    assert name in persons(with_tagger, text)
    assert name in persons(rules, text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("患者吉克阿呷，女，35岁，彝族，由其兄吉克日布陪同。", "吉克日布"),  # Yi: family name + given name
        ("翻译：曲比阿果（彝语）", "曲比阿果"),
        ("8床 岩温，男，60岁，慢阻肺", "岩温"),  # Dai: 岩/玉 + one character, no Han surname
    ],
)
def test_tagger_reads_yi_and_dai_names(engines, text: str, name: str):
    with_tagger, _ = engines
    assert name in persons(with_tagger, text)


@pytest.mark.parametrize("text", ["进食玉米后腹胀。", "岩石样硬结，边界不清。", "予玉屏风颗粒口服。"])
def test_dai_name_starts_stay_words(engines, text: str):
    with_tagger, _ = engines
    assert persons(with_tagger, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "长期口服氨氯地平、阿托伐他汀，血压平稳。",
        "予曲美他嗪、单硝酸异山梨酯口服。",
        "曲美他嗪缓释片 35mg po bid",
        "查体：Murphy征阴性，霍夫曼征阴性。",
        "诊断：马尔尼菲篮状菌病；高尿酸血症。",
        "患者安静，文静地看书。",
        "张仲景六味地黄丸 8粒 tid",
        "予头孢曲松2g ivgtt qd，孟鲁司特钠片10mg qn。",
    ],
)
def test_tagger_keeps_the_rules_negative_guards(engines, text: str):
    with_tagger, _ = engines
    assert persons(with_tagger, text) == []


@pytest.mark.parametrize(
    ("text", "span", "ok"),
    [
        ("常乐大爷人好，常来看我", "常乐", True),  # a person's word after the name (大爷)
        ("门口那件马海毛毛衣是谁的", "马海毛", False),  # a noun of a thing after it: the span is a material
        ("让燕婷品牌就一家", "燕婷", False),  # a brand before its noun
        ("万古霉素用了五天", "万古", False),  # a pack drug starts in the span
        ("另外常青下周轮转", "常青下", False),  # the dictionary's boundary is inside the span (常青|下周)
    ],
)
def test_a_sure_span_ends_where_the_dictionary_starts_a_word(text: str, span: str, ok: bool):
    """Session deidnames5: a sure tagger span may end before a word of the dictionary (阮丽|登记, 王平安|汇报), not
    only before the words that follow names."""
    rec = PersonRecognizer()
    s = text.index(span)
    assert rec._segmented_end(text, s, s + len(span)) is ok


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("让家属于涛下午来谈一谈", "于涛"),  # 家属|于涛, not 家|属于|涛
    ],
)
def test_a_sure_preposition_surname_after_a_person_word(engines, text: str, name: str):
    with_tagger, _ = engines
    assert name in persons(with_tagger, text)


@pytest.mark.parametrize("text", ["病人家属于是决定出院。", "家属于今日签字。", "医生建议照蓝光。", "水银体温计不准。",
                                  "和宝宝一起睡。"])
def test_preposition_and_word_look_alikes_stay(engines, text: str):
    with_tagger, _ = engines
    assert persons(with_tagger, text) == []


def test_tagger_spans_say_they_come_from_the_tagger(engines):
    with_tagger, _ = engines
    ents = [e for e in with_tagger.analyze("值班安排：周六韦嘉树，周日邝思琪") if e.type == "PERSON"]
    assert ents and all(e.explanation.pattern == "tagger" and "p=" in (e.explanation.note or "") for e in ents)


def test_training_script_trains_a_working_model_on_a_small_slice(tmp_path: Path):
    spec = importlib.util.spec_from_file_location("train_person_tagger", ROOT / "scripts" / "train_person_tagger.py")
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    out = tmp_path / "crf.bin"
    assert mod.main(["--frames", "300", "--synth", "5", "--iterations", "15", "--out", str(out)]) == 0
    assert out.exists()
    tagger = pt.PersonTagger(out)
    text = "护士：王芳签字"
    assert all(0.0 <= p <= 1.0 for _, _, p in tagger.tag(text, 0, len(text)))
