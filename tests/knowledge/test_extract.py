"""Clinical entity extraction and ConText: mentions, lab values, negation, uncertainty, history, family."""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

import yizhu.knowledge.terminology.context as context_module
from yizhu.errors import ConfigError
from yizhu.evaluation.dataset import DATA_DIR
from yizhu.knowledge.packs import get_kb
from yizhu.knowledge.terminology import ConTextEngine, Extractor, extract
from yizhu.knowledge.terminology.evaluate import eval_extraction, load_extraction_cases

EVAL = DATA_DIR / "terminology"


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor.build(get_kb())


def find(ents: list, surface: str):
    hit = [e for e in ents if e.text == surface]
    assert hit, f"'{surface}' not found in {[e.text for e in ents]}"
    return hit[0]


# (text, mention, type, negated, uncertain, historical, family)
CASES = [
    ("无发热，咳嗽3天", "发热", "symptom", True, False, False, False),
    ("无发热，咳嗽3天", "咳嗽", "symptom", False, False, False, False),
    ("否认高血压、糖尿病病史", "糖尿病", "disease", True, False, True, False),
    ("双肺未闻及干湿性啰音", "干湿性啰音", "symptom", True, False, False, False),
    ("头痛，不伴恶心、呕吐", "呕吐", "symptom", True, False, False, False),
    ("头痛，不伴恶心、呕吐", "头痛", "symptom", False, False, False, False),
    ("无明显诱因出现胸痛", "胸痛", "symptom", False, False, False, False),  # pseudo-trigger
    ("排除肺结核", "肺结核", "disease", True, False, False, False),
    ("需排除肺结核", "肺结核", "disease", False, True, False, False),
    ("肺炎可能", "肺炎", "disease", False, True, False, False),
    ("考虑社区获得性肺炎", "社区获得性肺炎", "disease", False, True, False, False),
    ("冠心病待排", "冠心病", "disease", False, True, False, False),
    ("疑似肺栓塞", "肺栓塞", "disease", False, True, False, False),
    ("急性阑尾炎?", "急性阑尾炎", "disease", False, True, False, False),
    ("阑尾炎？", "阑尾炎", "disease", False, True, False, False),  # full-width question mark
    ("胸片未见异常，考虑支气管炎", "支气管炎", "disease", False, True, False, False),
    ("无发热但有咳嗽", "咳嗽", "symptom", False, False, False, False),  # 但 ends the scope
    ("既往有高血压病史", "高血压病", "disease", False, False, True, False),
    ("曾患肺结核", "肺结核", "disease", False, False, True, False),
    ("父亲患冠心病", "冠心病", "disease", False, False, False, True),
    ("家族史：母亲有糖尿病", "糖尿病", "disease", False, False, False, True),
    ("既往史：高血压10年，糖尿病5年。体格检查：心脏杂音", "糖尿病", "disease", False, False, True, False),
    ("既往史：高血压10年，糖尿病5年。体格检查：心脏杂音", "心脏杂音", "symptom", False, False, False, False),
    ("墨菲征(-)", "墨菲征", "symptom", True, False, False, False),
    ("患者诉中风险评估", "中风", None, None, None, None, None),  # 中风险 is not 中风
]


@pytest.mark.parametrize(("text", "mention", "typ", "neg", "unc", "hist", "fam"), CASES)
def test_mentions_and_assertions(ex: Extractor, text: str, mention: str, typ: str | None, neg: bool | None,
                                 unc: bool | None, hist: bool | None, fam: bool | None) -> None:
    ents = ex.extract(text)
    if typ is None:
        assert all(e.text != mention for e in ents), ents
        return
    e = find(ents, mention)
    assert text[e.start:e.end] == e.text
    assert (e.type, e.negated, e.uncertain, e.historical, e.family) == (typ, neg, unc, hist, fam), e.rules
    if neg or unc or hist or fam:
        assert e.rules and all(r.startswith(("context.", "extract.")) for r in e.rules)


@pytest.mark.parametrize(
    ("text", "surface", "value", "unit", "flag"),
    [
        ("血红蛋白 85 g/L ↓", "血红蛋白 85 g/L ↓", "85", "g/L", "L"),
        ("白细胞 12.6×10^9/L ↑", "白细胞 12.6×10^9/L ↑", "12.6", "×10^9/L", "H"),
        ("K 3.2mmol/L", "K 3.2mmol/L", "3.2", "mmol/L", None),
        ("血钾：3.1 mmol/L(L)", "血钾：3.1 mmol/L(L)", "3.1", "mmol/L", "L"),
        ("ＨＧＢ ９８ｇ／Ｌ", "ＨＧＢ ９８ｇ／Ｌ", "98", "ｇ／Ｌ", None),  # full-width input, offsets kept
        ("尿蛋白(+)", None, None, None, None),
    ],
)
def test_lab_values(ex: Extractor, text: str, surface: str | None, value: str | None, unit: str | None,
                    flag: str | None) -> None:
    labs = [e for e in ex.extract(text) if e.type == "lab"]
    if surface is None:
        return
    (e,) = labs
    assert (e.text, e.value, e.unit, e.flag) == (surface, value, unit, flag)
    assert e.code is None or "-" in e.code  # LOINC when the lab pack knows it


def test_short_lab_names_need_a_value(ex: Extractor) -> None:
    assert not [e for e in ex.extract("钾离子通道，PT 无") if e.type == "lab"]
    assert [e.text for e in ex.extract("PT 13.5 s") if e.type == "lab"] == ["PT 13.5 s"]


def test_types_and_codes(ex: Extractor) -> None:
    ents = ex.extract("父亲患冠心病，行PCI。头颅CT示脑出血，予阿司匹林口服。3年前行左肾部分切除术。")
    got = {e.text: (e.type, e.code) for e in ents}
    assert got["冠心病"][0] == "disease" and got["冠心病"][1].startswith("I25")
    assert got["PCI"] == ("procedure", None) and got["头颅CT"] == ("exam", None)
    assert got["左肾部分切除术"][0] == "procedure"  # caught by the …切除术 pattern
    if len(get_kb().pack("drug")):
        assert got["阿司匹林"][0] == "drug"


def test_ignore_phrases_hide_contained_terms(ex: Extractor) -> None:
    assert [e.text for e in ex.extract("双联抗血小板治疗")] == []


def test_public_function_and_type_filter() -> None:
    ents = extract("无发热，咳嗽，血红蛋白 85 g/L ↓", types=["lab"])
    assert [e.type for e in ents] == ["lab"]
    assert set(ents[0].to_dict()) >= {"text", "type", "start", "end", "negated", "uncertain", "code"}


def test_context_engine_alone_doctest() -> None:
    result = doctest.testmod(context_module, verbose=False)
    assert result.attempted >= 3 and result.failed == 0


def test_context_engine_on_caller_spans() -> None:
    eng = ConTextEngine.default()
    text = "患者否认胸痛，诉心悸"
    a, b = eng.assess(text, [(4, 6), (8, 10)])
    assert a.negated and a.rule_ids == ["context.negated_existence.否认"] and not b.negated
    assert eng.is_negated("未见明显异常密度影", 4, 6)


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ('_meta: {name: x, version: "1", source: s}\nrules:\n  - {literal: 无, category: NEGATED_EXISTENCE, '
         'direction: FORWARD, colour: red}\n', "Extra inputs"),
        ('_meta: {name: x, version: "1", source: s}\nrules:\n  - {literal: 无, category: NEGATED_EXISTENCE, '
         'direction: FORWARD}\n  - {literal: 无, category: PSEUDO, direction: PSEUDO}\n', "appears twice"),
        ('_meta: {name: x, version: "1", source: s}\nrules:\n  - {literal: 但, category: TERMINATE, '
         'direction: FORWARD}\n', "TERMINATE direction"),
    ],
    ids=["unknown-key", "duplicate-literal", "inconsistent-direction"],
)
def test_rules_files_are_validated_strictly(tmp_path: Path, yaml_text: str, message: str) -> None:
    p = tmp_path / "rules.yaml"
    p.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        ConTextEngine.from_yaml(p)


def test_evaluation_set_precision_recall(ex: Extractor) -> None:
    r = eval_extraction(ex, load_extraction_cases(EVAL / "extraction.txt"))
    assert r["lenient"]["tp"] + r["lenient"]["fn"] >= 180
    assert r["lenient"]["precision"] >= 0.9 and r["lenient"]["recall"] >= 0.8, r["errors"]
    neg = r["assertions"]["negated"]
    assert neg["precision"] >= 0.9 and neg["recall"] >= 0.9, r["errors"]
    assert r["assertions"]["uncertain"]["recall"] >= 0.9


def test_extract_cli_contract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from yizhu.config import get_settings
    from yizhu.knowledge.cli_terms import extract_cmd

    monkeypatch.setenv("YIZHU_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    app = typer.Typer()
    app.command("extract")(extract_cmd)
    app.command("other")(lambda: None)
    try:
        r = CliRunner().invoke(app, ["extract", "否认高血压病史，血红蛋白 85 g/L ↓", "--format", "json"])
        assert r.exit_code == 0, r.output
        out = json.loads(r.stdout)
        assert "mode: rules" in r.stderr  # which answered: no trained model here
        assert [(e["text"], e["type"], e["negated"], e["uncertain"]) for e in out] == [
            ("高血压病", "disease", True, False), ("血红蛋白 85 g/L ↓", "lab", False, False)]
        assert isinstance(out[0]["code"], str) and out[1]["start"] == 8
        f = tmp_path / "notes.txt"
        f.write_text("无发热\n咳嗽\n", encoding="utf-8")
        r = CliRunner().invoke(app, ["extract", "--file", str(f)])
        assert [len(json.loads(x)) for x in r.stdout.strip().split("\n")] == [1, 1]
        r = CliRunner().invoke(app, ["extract", "x", "--type", "organ"])
        assert r.exit_code == 2 and "unknown type" in r.output
    finally:
        get_settings.cache_clear()


def test_standards_shapes_organism_infections_finer_parts_nested_parts_and_analytes(ex: Extractor) -> None:
    # synthetic sentences (合成)
    got = {(e.text, e.type) for e in ex.extract("考虑肺炎衣原体肺炎，右心室尖部可见血栓，患者双下肢水肿")}
    assert ("肺炎衣原体肺炎", "disease") in got  # organism + 肺炎 is one infection, not organism + disease
    assert ("右心室尖部", "body_part") in got  # part + structure word is a finer part
    assert {("双下肢水肿", "symptom"), ("双下肢", "body_part")} <= got  # the part stays nested in the symptom
    nested = {(e.text, e.type) for e in ex.extract("患儿阴道出血两次")}
    assert {("阴道出血", "symptom"), ("阴道", "body_part")} <= nested  # a part inside a dictionary symptom too
    lab = next(e for e in ex.extract("血红蛋白 85 g/L ↓") if e.type == "lab")
    assert lab.text == "血红蛋白 85 g/L ↓" and lab.name_span == (0, 4)  # the contract keeps the value in text
    assert next(e for e in ex.extract("无发热") if e.type == "symptom").name_span == (1, 3)


def test_imported_icd_chapters_become_findings_of_the_right_type() -> None:
    from yizhu.knowledge.imported import IcdRow

    rows = [IcdRow("R57.900", "休克"), IcdRow("Z01.701", "实验室检查"), IcdRow("Z88.000", "青霉素过敏史"),
            IcdRow("J98.401", "肺部分病变", ("部分",), display="肺[部分]病变"), IcdRow("J18.900", "肺炎")]
    ex2 = Extractor.build(get_kb(), rows)
    got = {(e.text, e.type) for e in ex2.extract("入院前休克一次，实验室检查示部分指标异常，有青霉素过敏史，诊断肺炎")}
    assert ("休克", "symptom") in got  # chapter R: symptoms and signs
    assert not any(t in ("实验室检查", "部分") for t, _ in got)  # an encounter reason; an optional bracket part
    assert ("青霉素过敏史", "disease") in got and ("肺炎", "disease") in got
