"""The shared colloquial lexicon: schema, look-up and normalisation of lay speech."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from yizhu.errors import ConfigError
from yizhu.knowledge.packs import get_kb
from yizhu.knowledge.terminology import normalise_drug
from yizhu.knowledge.terminology.colloquial import (
    COLLOQUIAL_FILE,
    ColloquialEntry,
    cn_to_int,
    colloquial,
    load,
    lookup,
    normalise,
)


def test_shipped_file_validates_and_covers_every_curated_kind() -> None:
    lex = colloquial()
    counts: dict[str, int] = {}
    for e in lex.entries:
        counts[e.kind] = counts.get(e.kind, 0) + 1
        assert e.source and "20" in e.source, f"{e.lay}: source must name a year"
    for kind in ("symptom", "body_part", "brand", "frequency"):
        assert counts.get(kind, 0) >= 36, (kind, counts)
    assert counts["drug_category"] >= 20


@pytest.mark.parametrize(
    ("lay", "standard"),
    [("咳", "咳嗽"), ("烧", "发热"), ("发烧", "发热"), ("吐", "呕吐"), ("拉肚子", "腹泻"), ("后脑勺", "枕部"),
     ("一天一片", "qd"), ("一天两次", "bid"), ("消炎药", "抗菌药物"), ("退烧药", "解热镇痛药"), ("妈咪爱", "枯草杆菌二联活菌")],
)
def test_curated_lay_forms(lay: str, standard: str) -> None:
    assert colloquial().standard(lay) == standard
    assert lookup(lay)[0].standard == standard


def test_every_brand_resolves_to_a_generic_the_drug_normaliser_knows() -> None:
    unknown = []
    for e in colloquial().entries:
        if e.kind == "brand" and normalise_drug(e.standard) is None:
            unknown.append(e.standard)
    # generics outside the shipped drug pack are allowed only as a small remainder (a hospital formulary adds them)
    assert len(unknown) <= 12, unknown


def test_drug_category_concepts_are_drug_pack_class_tags() -> None:
    tags = {t for d in get_kb().packs["drug"] for t in d.class_tags}
    for e in colloquial().entries:
        if e.kind == "drug_category" and e.concept:
            assert e.concept.startswith("class:") and e.concept[6:] in tags, e


def test_find_is_longest_leftmost_and_respects_excluded_and_standard_words() -> None:
    lex = colloquial()
    found = [(m.text, m.standard) for m in lex.find("昨天烧了一夜，今天没吐，拉肚子三次，还有点咳")]
    assert found == [("昨天", "1天前"), ("烧", "发热"), ("吐", "呕吐"), ("拉肚子", "腹泻"), ("咳", "咳嗽")]
    # 咳 inside 咳嗽, 吐 inside 呕吐 and 吐痰, 烧 inside 烧伤 are not rewritten
    assert [m.text for m in lex.find("咳嗽伴呕吐，手部烧伤")] == []
    assert [m.standard for m in lex.find("早上吐痰")] == ["咳痰"]


def test_normalise_rewrites_and_maps_offsets_back() -> None:
    text = "后脑勺这块疼了五年，一天一片"
    n = normalise(text)
    assert n.text == "枕部这块疼痛了5年，qd 1片"
    a = n.text.index("枕部")
    assert n.to_original(a, a + 2) == (0, 3)
    assert normalise("后脑勺疼").text == "枕部头痛"
    b = n.text.index("5年")
    assert text[slice(*n.to_original(b, b + 2))] == "五年"
    q = n.text.index("qd")
    assert text[slice(*n.to_original(q, len(n.text)))] == "一天一片"


def test_normalise_leaves_clinical_text_alone() -> None:
    text = "患者咳嗽3天，无呕吐，予阿莫西林0.5g tid。"
    n = normalise(text)
    assert n.text == text and not n.changed
    assert n.to_original(2, 4) == (2, 4)


@pytest.mark.parametrize(
    ("said", "written"),
    [("五年", "5年"), ("十五年", "15年"), ("二十三天", "23天"), ("两三天", "2-3天"), ("三个月", "3个月"),
     ("一个半月", "1.5月"), ("两片", "2片"), ("三十八度五", "38.5℃"), ("38度5", "38.5℃"), ("三十九度", "39度"),
     ("三五分钟", "3-5分钟"), ("十来天", "10余天"), ("十几分钟", "10余分钟"), ("8点几", "8余"), ("1比160", "1:160"),
     ("4.2乘3.5厘米", "4.2×3.5厘米"), ("7到10天", "7-10天")],
)
def test_chinese_numerals_before_a_measure_word_become_digits(said: str, written: str) -> None:
    assert normalise(said, kinds=()).text == written


def test_numerals_inside_words_stay() -> None:
    for text in ("看一下嗓子", "三高人群", "一直咳", "星期三来"):
        assert normalise(text, kinds=()).text == text


def test_cn_to_int() -> None:
    assert [cn_to_int(s) for s in ("五", "十", "十二", "二十", "一百二", "两")] == [5, 10, 12, 20, 120, 2]
    assert cn_to_int("好") is None


def _write(tmp_path: Path, rows: list[dict[str, object]]) -> Path:
    p = tmp_path / "colloquial_learned.jsonl"
    lines = [json.dumps({"_meta": {"name": "learned", "version": "0.1"}}, ensure_ascii=False)]
    lines += [json.dumps(r, ensure_ascii=False) for r in rows]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_learned_entries_load_beside_the_shipped_file(tmp_path: Path) -> None:
    p = _write(tmp_path, [{"lay": "嗓子眼疼", "standard": "咽痛", "kind": "symptom", "source": "IMCS-V2 (2022) dialogue tags",
                           "learned_from": "IMCS-V2_ner_train", "count": 37}])
    lex = load([COLLOQUIAL_FILE, p])
    assert lex.standard("嗓子眼疼") == "咽痛" and lex.lookup("嗓子眼疼")[0].count == 37
    assert lex.standard("拉肚子") == "腹泻"
    assert lex.version.endswith("+0.1")


@pytest.mark.parametrize(
    ("row", "message"),
    [({"lay": "吐", "standard": "呕吐", "kind": "symptom"}, "source"),
     ({"lay": "吐", "standard": "呕吐", "kind": "symptom", "source": "x 2020", "typo": 1}, "typo"),
     ({"lay": "吐", "standard": "呕吐", "kind": "feeling", "source": "x 2020"}, "kind"),
     ({"lay": "腹泻", "standard": "腹泻", "kind": "symptom", "source": "x 2020"}, "equals"),
     ({"lay": "吐", "standard": "呕吐", "kind": "symptom", "source": "x 2020", "exclude": ["咳痰"]}, "contain")],
)
def test_invalid_entries_fail_with_file_and_line(tmp_path: Path, row: dict[str, object], message: str) -> None:
    p = _write(tmp_path, [row])
    with pytest.raises(ConfigError, match=rf"{p.name}:2: .*{message}"):
        load([p])


def test_conflicting_duplicate_fails(tmp_path: Path) -> None:
    rows = [{"lay": "吐", "standard": "呕吐", "kind": "symptom", "source": "x 2020"},
            {"lay": "吐", "standard": "恶心", "kind": "symptom", "source": "x 2020"}]
    with pytest.raises(ConfigError, match="already maps"):
        load([_write(tmp_path, rows)])


def test_entry_model_forbids_extra_keys() -> None:
    with pytest.raises(ValueError):
        ColloquialEntry.model_validate({"lay": "a", "standard": "b", "kind": "other", "source": "s", "x": 1})
