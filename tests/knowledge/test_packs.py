"""Specification of the knowledge packs: they load fast, are complete, cite sources and normalise terms."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yizhu.errors import ConfigError, NotFoundError
from yizhu.knowledge.cli import app
from yizhu.knowledge.packs import (
    BUILTIN_PACKS_DIR,
    KnowledgeBase,
    discover_pack_files,
    get_kb,
    kb_stats,
    load_pack,
    normalize_term,
)
from yizhu.knowledge.schema import ID_PREFIXES, PACK_KINDS, DiagnosisItem, LabItem, SymptomItem

MY_KINDS = ("diagnosis", "symptom", "lab", "department")
MINIMUM = {"diagnosis": 1500, "symptom": 300, "lab": 150, "department": 60}
ICD_CHAPTERS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI",
                "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI", "XXII"]  # fmt: skip


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return get_kb()


# ---- loading


def test_all_packs_load_afresh() -> None:
    # Load time is a benchmark figure (benchmarks/terminology.py), not a timed test: it swings with load.
    fresh = KnowledgeBase.load()
    assert all(len(fresh.pack(kind)) > 0 for kind in MY_KINDS)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", MY_KINDS)
def test_pack_meets_minimum_count(kb: KnowledgeBase, kind: str) -> None:
    assert len(kb.pack(kind)) >= MINIMUM[kind]  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", MY_KINDS)
def test_pack_header_is_complete(kind: str) -> None:
    pack = load_pack(kind)  # type: ignore[arg-type]
    assert pack.files, f"no pack file for {kind}"
    for f in pack.files:
        assert f.meta.kind == kind and f.meta.name and f.meta.description
        assert re.fullmatch(r"\d+\.\d+\.\d+", f.meta.version)


@pytest.mark.parametrize("kind", PACK_KINDS)
def test_ids_are_unique_and_prefixed(kb: KnowledgeBase, kind: str) -> None:
    pack = kb.pack(kind)
    ids = [i.id for i in pack]
    assert len(ids) == len(set(ids))
    assert all(i.startswith(ID_PREFIXES[kind]) for i in ids)


@pytest.mark.parametrize("kind", PACK_KINDS)
def test_every_item_names_its_source(kb: KnowledgeBase, kind: str) -> None:
    missing = [i.id for i in kb.pack(kind) if not i.source.strip()]
    assert not missing, f"items without a source: {missing[:20]}"


@pytest.mark.parametrize("kind", MY_KINDS)
def test_synonyms_map_back_to_one_item(kb: KnowledgeBase, kind: str) -> None:
    collisions = kb.collisions(kind)
    assert not collisions, "terms naming several items: " + json.dumps(dict(list(collisions.items())[:20]),
                                                                        ensure_ascii=False)


def test_department_references_resolve(kb: KnowledgeBase) -> None:
    assert kb.dangling_references() == []


def test_missing_pack_kind_is_empty_not_an_error(tmp_path: Path) -> None:
    src = BUILTIN_PACKS_DIR / "departments.jsonl"
    (tmp_path / "departments.jsonl").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    kb = KnowledgeBase.load([tmp_path])
    assert len(kb.pack("department")) > 0
    assert len(kb.pack("drug")) == 0 and kb.pack("drug").files == []


def test_pack_files_ship_inside_the_package() -> None:
    assert BUILTIN_PACKS_DIR.parent.name == "knowledge"
    for kind in MY_KINDS:
        assert discover_pack_files(kind)  # type: ignore[arg-type]


# ---- diagnoses


def test_every_icd_chapter_is_covered(kb: KnowledgeBase) -> None:
    chapters = {d.chapter for d in kb.pack("diagnosis")}
    assert chapters == set(ICD_CHAPTERS)
    letters = {d.code[0] for d in kb.pack("diagnosis")}
    assert letters == set("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def test_chapter_agrees_with_code(kb: KnowledgeBase) -> None:
    first_chapter = {"A": "I", "B": "I", "E": "IV", "F": "V", "G": "VI", "I": "IX", "J": "X", "K": "XI", "L": "XII",
                     "M": "XIII", "N": "XIV", "O": "XV", "P": "XVI", "Q": "XVII", "R": "XVIII", "S": "XIX",
                     "T": "XIX", "V": "XX", "W": "XX", "X": "XX", "Y": "XX", "Z": "XXI", "U": "XXII"}
    for d in kb.pack("diagnosis"):
        if d.code[0] in first_chapter:
            assert d.chapter == first_chapter[d.code[0]], d.id


@pytest.mark.parametrize(
    ("term", "code_prefix"),
    [
        ("冠心病", "I25."),
        ("慢阻肺", "J44."),
        ("COPD", "J44."),
        ("AECOPD", "J44."),
        ("糖尿病", "E14."),
        ("2型糖尿病", "E11."),
        ("高血压", "I10"),
        ("脑梗", "I63."),
        ("脑梗死", "I63."),
        ("肺炎", "J18."),
        ("房颤", "I48"),
        ("心衰", "I50."),
        ("上感", "J06."),
        ("慢性乙肝", "B18."),
        ("痛风", "M10."),
        ("新冠", "U07.1"),
        ("ｃｏｐｄ", "J44."),  # full-width input is normalised
    ],
)
def test_colloquial_diagnosis_resolves_to_icd(kb: KnowledgeBase, term: str, code_prefix: str) -> None:
    item = kb.diagnosis(term)
    assert isinstance(item, DiagnosisItem), term
    assert item.code.startswith(code_prefix), (term, item.code)


def test_diagnosis_by_code_and_extension(kb: KnowledgeBase) -> None:
    assert kb.diagnosis("E11.9").name == "非胰岛素依赖型糖尿病不伴有并发症"  # type: ignore[union-attr]
    assert kb.diagnosis_by_code("E11.221") is not None  # primary part of E11.221+N08.3*
    assert kb.get("icd10:I10").departments[0] == "dept:cardiology"  # type: ignore[attr-defined]


@pytest.mark.parametrize(("code", "klass"), [("A00.9", "甲类"), ("B20.0", "乙类"), ("B26.9", "丙类"), ("I10", None)])
def test_notifiable_class(kb: KnowledgeBase, code: str, klass: str | None) -> None:
    assert kb.diagnosis_by_code(code).notifiable == klass  # type: ignore[union-attr]


# ---- symptoms


@pytest.mark.parametrize(
    ("colloquial", "standard"),
    [("头疼", "头痛"), ("拉肚子", "腹泻"), ("心慌", "心悸"), ("喘不上气", "呼吸困难"), ("发烧", "发热"),
     ("嗓子疼", "咽痛"), ("肚子疼", "腹痛"), ("流鼻血", "鼻出血"), ("尿血", "血尿"), ("抽风", "抽搐")],
)
def test_colloquial_symptom_normalises(kb: KnowledgeBase, colloquial: str, standard: str) -> None:
    item = kb.symptom(colloquial)
    assert item is not None and item.name == standard


@pytest.mark.parametrize(("name", "red"), [("胸痛", True), ("呕血", True), ("意识障碍", True), ("头痛", False),
                                           ("咳嗽", False)])
def test_red_flags(kb: KnowledgeBase, name: str, red: bool) -> None:
    item = kb.symptom(name)
    assert isinstance(item, SymptomItem)
    assert item.red_flag is red
    assert bool(item.red_flag_reason) is red


def test_every_symptom_has_a_department(kb: KnowledgeBase) -> None:
    assert all(s.departments for s in kb.pack("symptom"))


# ---- labs


@pytest.mark.parametrize("alias", ["血红蛋白", "HGB", "Hb", "血色素", "hgb"])
def test_lab_aliases(kb: KnowledgeBase, alias: str) -> None:
    item = kb.lab(alias)
    assert item is not None and item.id == "lab:hgb"


@pytest.mark.parametrize(
    ("lab", "sex", "age", "low", "high"),
    [
        ("血红蛋白", "male", 40, 130, 175),
        ("血红蛋白", "female", 40, 115, 150),
        ("肌酐", "male", 45, 57, 97),
        ("肌酐", "female", 70, 41, 81),
        ("尿酸", "male", 30, 150, 416),
        ("铁蛋白", "female", 30, 12, 150),
        ("钾", None, 50, 3.5, 5.3),
    ],
)
def test_reference_range_by_sex_and_age(kb: KnowledgeBase, lab: str, sex: str | None, age: float,
                                        low: float, high: float) -> None:
    item = kb.lab(lab)
    assert isinstance(item, LabItem)
    r = item.range_for(sex, age)
    assert r is not None and (r.low, r.high) == (low, high)


def test_glucose_conversion_and_critical_values(kb: KnowledgeBase) -> None:
    glu = kb.lab("GLU")
    assert isinstance(glu, LabItem)
    assert glu.unit == "mmol/L"
    factor = {c.unit: c.factor for c in glu.conversions}["mg/dL"]
    assert round(7.0 * factor) == 126
    k = kb.lab("血钾")
    assert k is not None and k.critical is not None and k.critical.low == 2.8 and k.critical.high == 6.2  # type: ignore[attr-defined]


def test_quantitative_labs_have_units_and_ranges_are_ordered(kb: KnowledgeBase) -> None:
    for lab in kb.pack("lab"):
        if lab.value_type == "quantitative":
            assert lab.unit, lab.id
        for r in lab.reference_ranges:
            assert r.low is None or r.high is None or r.low <= r.high


# ---- departments


@pytest.mark.parametrize(("alias", "name"), [("心内科", "心血管内科"), ("消化科", "消化内科"), ("ICU", "重症医学科"),
                                             ("耳鼻喉科", "耳鼻咽喉科"), ("妇产", "妇产科")])
def test_department_aliases(kb: KnowledgeBase, alias: str, name: str) -> None:
    dept = kb.department(alias)
    assert dept is not None and dept.name == name


def test_subspecialties_have_parents(kb: KnowledgeBase) -> None:
    cardio = kb.department("心血管内科")
    assert cardio is not None and cardio.parent == "dept:internal_medicine"


# ---- failures are loud and precise


def _write(path: Path, lines: list[object]) -> Path:
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    return path


META = {"_meta": {"kind": "symptom", "name": "test", "version": "0.1.0", "description": "test pack"}}
GOOD = {"id": "sym:test_ok", "name": "测试症状", "system": "general", "source": "test, 2026"}


def test_invalid_item_error_names_file_and_line(tmp_path: Path) -> None:
    bad = {"id": "sym:test_bad", "name": "坏条目", "system": "general", "source": "test", "colour": "red"}
    path = _write(tmp_path / "symptoms.jsonl", [META, GOOD, bad])
    with pytest.raises(ConfigError) as err:
        load_pack("symptom", [tmp_path])
    msg = str(err.value)
    assert f"{path}:3" in msg and "colour" in msg and "sym:test_bad" in msg


def test_red_flag_without_reason_is_rejected(tmp_path: Path) -> None:
    bad = dict(GOOD, id="sym:test_red", name="红旗", red_flag=True)
    _write(tmp_path / "symptoms.jsonl", [META, GOOD, bad])
    with pytest.raises(ConfigError, match=r"symptoms\.jsonl:3.*red_flag_reason"):
        load_pack("symptom", [tmp_path])


def test_bad_json_line_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "symptoms.jsonl"
    path.write_text(json.dumps(META) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"symptoms\.jsonl:2: not valid JSON"):
        load_pack("symptom", [tmp_path])


def test_duplicate_id_across_files_is_rejected(tmp_path: Path) -> None:
    _write(tmp_path / "symptoms.jsonl", [META, GOOD])
    _write(tmp_path / "symptoms_extra.jsonl", [META, dict(GOOD, name="另一个")])
    with pytest.raises(ConfigError, match=r"symptoms_extra\.jsonl:2: duplicate id 'sym:test_ok'"):
        load_pack("symptom", [tmp_path])


def test_header_kind_must_match_file_name(tmp_path: Path) -> None:
    _write(tmp_path / "labs.jsonl", [META, GOOD])
    with pytest.raises(ConfigError, match=r"labs\.jsonl:1: header says kind 'symptom'"):
        load_pack("lab", [tmp_path])


def test_yaml_pack_reports_the_item_line(tmp_path: Path) -> None:
    text = (
        "_meta: {kind: symptom, name: t, version: 0.1.0, description: d}\n"
        "items:\n"
        "  - {id: 'sym:y1', name: 甲, system: general, source: s}\n"
        "  - id: 'sym:y2'\n"
        "    name: 乙\n"
        "    system: nowhere\n"
        "    source: s\n"
    )
    (tmp_path / "symptoms.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"symptoms\.yaml:4: item 'sym:y2'.*system"):
        load_pack("symptom", [tmp_path])


def test_yaml_pack_loads(tmp_path: Path) -> None:
    text = "_meta: {kind: symptom, name: t, version: 0.1.0, description: d}\nitems:\n  - {id: 'sym:y1', name: 甲, " \
           "synonyms: [甲甲], system: general, source: s}\n"
    (tmp_path / "symptoms.yaml").write_text(text, encoding="utf-8")
    kb = KnowledgeBase.load([tmp_path])
    assert kb.symptom("甲甲").id == "sym:y1"  # type: ignore[union-attr]


def test_unknown_kind_and_id_fail_with_the_fix() -> None:
    with pytest.raises(ConfigError, match="known kinds"):
        load_pack("drugz")  # type: ignore[arg-type]
    with pytest.raises(NotFoundError):
        get_kb().get("sym:no_such_symptom")
    with pytest.raises(NotFoundError, match="prefix"):
        get_kb().get("nonsense")


# ---- stats and CLI


def test_kb_stats_rows(kb: KnowledgeBase) -> None:
    rows = {r.kind: r for r in kb_stats(kb)}
    assert set(rows) == set(PACK_KINDS)
    for kind in MY_KINDS:
        assert rows[kind].items >= MINIMUM[kind]
        assert rows[kind].missing_source == [] and rows[kind].collisions == 0


def test_cli_stats_and_lookup() -> None:
    runner = CliRunner()
    out = runner.invoke(app, ["stats", "--json"])
    assert out.exit_code == 0, out.output
    assert {r["kind"] for r in json.loads(out.output)} == set(PACK_KINDS)
    out = runner.invoke(app, ["lookup", "头疼"])
    assert out.exit_code == 0 and "sym:headache" in out.output
    assert runner.invoke(app, ["lookup", "不存在的词"]).exit_code == 1


def test_normalize_term() -> None:
    assert normalize_term(" ＨＧＢ ") == "hgb"
    assert normalize_term("冠 心 病") == "冠心病"


def test_adult_ranges_are_not_applied_to_children(kb: KnowledgeBase) -> None:
    hgb = kb.lab("HGB")
    assert isinstance(hgb, LabItem)
    assert hgb.range_for("male", 8) is None
    assert hgb.range_for("male", None) is not None
