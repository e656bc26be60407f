"""Specification of the synthetic demo hospital (yizhu.demo).

Each planted defect is re-detected here from the outside (note text, times, orders, labs) with
small independent checks, so the tests state both halves of the contract: every manifest entry
has its evidence, and an encounter without that entry shows none of it.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import json
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

import pytest

from yizhu.core.models import ClinicalContext, ClinicalDocument, MedicationOrder
from yizhu.demo import (
    DEFAULT_SEED,
    DEFECT_KINDS,
    SYNTHETIC_LABEL,
    DemoHospital,
    generate_hospital,
    write_contexts,
    write_manifest,
    write_notes,
)
from yizhu.demo.data import DrugDef, Scenario, load_tables
from yizhu.demo.model import DEPARTMENTS, MAX_GAP, egfr_ckd_epi_2021
from yizhu.errors import InputError

SEEDS = [DEFAULT_SEED, 1, 7]
TITLES = {"入院记录", "首次病程记录", "日常病程记录", "出院记录", "门诊病历"}
ICD10 = re.compile(r"^[A-Z]\d{2}(\.\d{1,2})?$")
DURATION = re.compile(r"\d+(小时|天|周|月|年)")
FREQUENCIES = {"qd", "bid", "tid", "qid", "q4h", "q6h", "q8h", "q12h", "qn", "prn", "st"}


@cache
def hospital(seed: int = DEFAULT_SEED, n: int = 50) -> DemoHospital:
    return generate_hospital(seed, n)


def all_contexts() -> list[tuple[int, ClinicalContext]]:
    return [(seed, ctx) for seed in SEEDS for ctx in hospital(seed).contexts]


# ───────────────────────── note reading helpers (independent of the generator) ─────────────────────────

HEADINGS = ("主诉", "现病史", "既往史", "过敏史", "个人史", "婚育史", "月经史", "家族史", "体格检查", "查体",
            "专科检查", "专科情况", "辅助检查", "初步诊断", "诊断", "诊疗计划", "医师签名", "病例特点", "拟诊讨论",
            "入院情况", "入院诊断", "诊疗经过", "出院诊断", "出院情况", "出院医嘱", "处理意见", "上级医师查房")
_HEADING = re.compile(rf"^({'|'.join(HEADINGS)})[：:]", re.M)


def section(doc: ClinicalDocument, *names: str) -> str | None:
    """The body of the first section whose heading is one of ``names`` (None when absent)."""
    matches = list(_HEADING.finditer(doc.text))
    for i, m in enumerate(matches):
        if m.group(1) in names:
            end = matches[i + 1].start() if i + 1 < len(matches) else len(doc.text)
            return doc.text[m.end():end].strip()
    return None


def body_without_header(doc: ClinicalDocument) -> str:
    """The note without title, label and the lines that carry the record time."""
    return "\n".join(line for line in doc.text.splitlines()[2:] if "记录日期" not in line)


def docs(ctx: ClinicalContext, doc_type: str) -> list[ClinicalDocument]:
    return [d for d in ctx.documents if d.doc_type == doc_type]


def first_note(ctx: ClinicalContext) -> ClinicalDocument:
    return (docs(ctx, "入院记录") or docs(ctx, "门诊病历"))[0]


@cache
def drug_by_name() -> dict[str, DrugDef]:
    catalog, _ = load_tables()
    return {name: d for d in catalog.drugs.values() for name in d.names}


def generics(ctx: ClinicalContext) -> list[str]:
    return [drug_by_name()[o.drug].generic for o in ctx.medication_orders]


def scenario(ctx: ClinicalContext) -> Scenario:
    _, scenarios = load_tables()
    return next(s for s in scenarios if s.key == ctx.extra["scenario"])


def is_child(ctx: ClinicalContext) -> bool:
    assert ctx.patient is not None and ctx.patient.age_years is not None
    return ctx.patient.age_years < 18


def egfr(ctx: ClinicalContext) -> float | None:
    return next((float(lab.value) for lab in ctx.labs if lab.name == "估算肾小球滤过率"), None)


def daily_grams(o: MedicationOrder) -> float:
    per_day = {"qd": 1, "qn": 1, "bid": 2, "q12h": 2, "tid": 3, "q8h": 3, "qid": 4, "q6h": 4, "q4h": 6,
               "prn": 4, "st": 1}[o.frequency or "qd"]
    grams = (o.dose or 0) / (1000 if o.unit == "mg" else 1)
    return grams * per_day


def hours(a: datetime | None, b: datetime | None) -> float:
    assert a is not None and b is not None
    return (a - b).total_seconds() / 3600


# ───────────────────────── one detector per defect kind ─────────────────────────


def _progress_gaps(ctx: ClinicalContext) -> list[int]:
    assert ctx.encounter is not None and ctx.encounter.admitted_at is not None
    days = [(d.recorded_at.date() - ctx.encounter.admitted_at.date()).days for d in docs(ctx, "日常病程记录")
            if d.recorded_at]
    return [b - a for a, b in itertools.pairwise(days)]


def _allergy_conflict(ctx: ClinicalContext) -> bool:
    catalog, _ = load_tables()
    excluded = {c for a in catalog.allergies for s in ctx.allergies if a.substance == s.substance
                for c in a.excludes}
    return any(excluded.intersection(drug_by_name()[o.drug].classes) for o in ctx.medication_orders)


DETECTORS: dict[str, Callable[[ClinicalContext], bool]] = {
    "missing_section:过敏史": lambda c: section(first_note(c), "过敏史") is None,
    "missing_section:体格检查": lambda c: section(first_note(c), "体格检查", "查体") is None,
    "missing_content:鉴别诊断": lambda c: any("鉴别诊断" not in d.text for d in docs(c, "首次病程记录")),
    "timeliness:入院记录>24h": lambda c: any(
        hours(d.recorded_at, c.encounter.admitted_at) > 24 for d in docs(c, "入院记录")),
    "timeliness:首次病程记录>8h": lambda c: any(
        hours(d.recorded_at, c.encounter.admitted_at) > 8 for d in docs(c, "首次病程记录")),
    "timeliness:出院记录>24h": lambda c: any(
        hours(d.recorded_at, c.encounter.discharged_at) > 24 for d in docs(c, "出院记录")),
    "timeliness:病程记录间隔>3天": lambda c: any(g > 3 for g in _progress_gaps(c)),
    "chief_complaint_too_long": lambda c: len(section(first_note(c), "主诉") or "") > 20,
    "chief_complaint_no_duration": lambda c: not DURATION.search(section(first_note(c), "主诉") or ""),
    "hpi_missing_chief_symptom": lambda c: c.extra["followup_of"] is None
    and scenario(c).symptom not in (section(first_note(c), "现病史") or ""),
    "sex_inconsistency": lambda c: c.patient.sex == "male" and any(
        section(d, "月经史") is not None or re.search(r"孕\d", d.text) for d in c.documents),
    "copy_paste": lambda c: any(
        difflib.SequenceMatcher(None, body_without_header(a), body_without_header(b)).ratio() >= 0.9
        for a, b in itertools.combinations(docs(c, "日常病程记录"), 2)),
    "vitals_incomplete": lambda c: (section(first_note(c), "体格检查", "查体") or "BP").find("BP") < 0,
    "missing_signature": lambda c: any(section(d, "医师签名") is None for d in c.documents),
    "allergy_conflict": _allergy_conflict,
    "ddi:华法林+阿司匹林": lambda c: {"华法林", "阿司匹林"} <= set(generics(c)),
    "ddi:辛伐他汀+克拉霉素": lambda c: {"辛伐他汀", "克拉霉素"} <= set(generics(c)),
    "ddi:氯吡格雷+奥美拉唑": lambda c: {"氯吡格雷", "奥美拉唑"} <= set(generics(c)),
    "duplicate_therapy:阿托伐他汀": lambda c: generics(c).count("阿托伐他汀") > 1,
    "overdose:对乙酰氨基酚>4g/d": lambda c: any(
        daily_grams(o) > 4 for o in c.medication_orders if drug_by_name()[o.drug].generic == "对乙酰氨基酚"),
    "renal_dose:二甲双胍+eGFR<30": lambda c: "二甲双胍" in generics(c) and (egfr(c) or 99) < 30,
    "pediatric_contraindication:左氧氟沙星": lambda c: is_child(c) and "左氧氟沙星" in generics(c),
}


def test_every_defect_kind_has_a_detector() -> None:
    assert set(DETECTORS) == {k.kind for k in DEFECT_KINDS}


@pytest.mark.parametrize("kind", sorted(DETECTORS))
def test_planted_defects_are_in_the_notes_and_clean_encounters_are_clean(kind: str) -> None:
    detect = DETECTORS[kind]
    for seed, ctx in all_contexts():
        assert ctx.encounter is not None
        planted = {d["kind"] for d in hospital(seed).defects_for(ctx.encounter.id)}
        assert detect(ctx) == (kind in planted), (seed, ctx.encounter.id, kind, planted)


# ───────────────────────── determinism ─────────────────────────


def test_same_seed_gives_identical_hospital(tmp_path: Path) -> None:
    a, b = generate_hospital(DEFAULT_SEED, 50), generate_hospital(DEFAULT_SEED, 50)
    assert a.to_json() == b.to_json()
    paths_a = write_notes(a, tmp_path / "a")
    paths_b = write_notes(b, tmp_path / "b")
    assert [p.name for p in paths_a] == [p.name for p in paths_b]
    assert all(pa.read_bytes() == pb.read_bytes() for pa, pb in zip(paths_a, paths_b, strict=True))
    assert write_manifest(a, tmp_path / "a").read_bytes() == write_manifest(b, tmp_path / "b").read_bytes()


def test_identical_across_processes_and_hash_seeds() -> None:
    """No dependence on PYTHONHASHSEED, import order or the clock: a fresh interpreter agrees."""
    code = ("import hashlib; from yizhu.demo import generate_hospital; "
            "print(hashlib.sha256(generate_hospital(20261123, 50).to_json().encode()).hexdigest())")
    here = hashlib.sha256(hospital().to_json().encode()).hexdigest()
    for hash_seed in ("0", "12345"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={"PYTHONHASHSEED": hash_seed, "PATH": ""}, timeout=60)
        assert out.stdout.strip() == here


def test_different_seeds_differ() -> None:
    assert hospital(1).to_json() != hospital(DEFAULT_SEED).to_json()


# ───────────────────────── size and shape ─────────────────────────


@pytest.mark.parametrize("seed", SEEDS)
def test_counts_departments_and_settings(seed: int) -> None:
    h = hospital(seed)
    assert len(h.patients) == 50
    assert len({p.id for p in h.patients}) == 50
    per_dept = Counter(ctx.encounter.department for ctx in h.contexts if ctx.extra["followup_of"] is None)
    assert set(per_dept) == set(DEPARTMENTS)
    assert min(per_dept.values()) >= 6
    settings = Counter(ctx.extra["setting"] for ctx in h.contexts)
    assert settings["inpatient"] > settings["outpatient"] > 5
    still_in = [c for c in h.contexts if c.extra["setting"] == "inpatient" and c.encounter.discharged_at is None]
    assert still_in, "some patients are still admitted"
    assert any(c.extra["followup_of"] for c in h.contexts), "some discharged patients come back to clinic"


@pytest.mark.parametrize("seed", SEEDS)
def test_documents_per_encounter(seed: int) -> None:
    for ctx in hospital(seed).contexts:
        kinds = Counter(d.doc_type for d in ctx.documents)
        if ctx.extra["setting"] == "inpatient":
            assert kinds["入院记录"] == kinds["首次病程记录"] == 1
            assert 2 <= kinds["日常病程记录"] <= 5
            assert kinds["出院记录"] == (1 if ctx.encounter.discharged_at else 0)
            assert kinds["门诊病历"] == 0
        else:
            assert kinds == Counter({"门诊病历": 1})


def test_every_note_is_labelled_synthetic() -> None:
    for seed, ctx in all_contexts():
        assert ctx.patient is not None and ctx.patient.synthetic
        assert ctx.extra["synthetic"] is True
        for doc in ctx.documents:
            lines = doc.text.splitlines()
            assert lines[0] == doc.title == doc.doc_type and doc.doc_type in TITLES
            assert lines[1] == SYNTHETIC_LABEL
            assert doc.synthetic and doc.sections == []
            assert doc.id and doc.id.startswith(ctx.encounter.id)
            assert doc.recorded_at is not None and doc.recorded_at < hospital(seed).as_of
            assert doc.header and all(f"{k}：{v}" in doc.text for k, v in doc.header.items())


def test_defect_share_and_every_kind_planted() -> None:
    for seed in SEEDS:
        h = hospital(seed)
        defective = {d["encounter_id"] for d in h.defects}
        assert 0.2 <= len(defective) / len(h.contexts) <= 0.3
        assert {d["kind"] for d in h.defects} == {k.kind for k in DEFECT_KINDS}
        assert len(defective) < len(h.contexts), "clean encounters exist"


def test_manifest_entries_point_at_real_records() -> None:
    kinds = {k.kind: k for k in DEFECT_KINDS}
    h = hospital()
    doc_ids = {d.id for d in h.documents}
    ids = [d["id"] for d in h.defects]
    assert len(set(ids)) == len(ids)
    for d in h.defects:
        ctx = h.context(d["encounter_id"])
        assert ctx.patient.id == d["patient_id"]
        assert d["category"] == kinds[d["kind"]].category and d["source"] == kinds[d["kind"]].source
        assert set(d["document_ids"]) <= doc_ids and d["document_id"] == (d["document_ids"] or [None])[0]
        order_ids = {o.id for o in ctx.orders}
        assert set(d["order_ids"]) <= order_ids
        if d["category"] == "prescription":
            assert d["order_ids"], d
        else:
            assert d["document_ids"], d


@pytest.mark.parametrize("n", [1, 6, 20])
def test_small_hospitals_stay_mostly_clean(n: int) -> None:
    h = generate_hospital(3, n)
    assert len(h.patients) == n
    defective = {d["encounter_id"] for d in h.defects}
    assert len(defective) <= max(1, round(0.3 * len(h.contexts)) + 1)


@pytest.mark.parametrize("n", [0, -1, 10_000])
def test_rejects_silly_sizes(n: int) -> None:
    with pytest.raises(InputError, match="n_patients"):
        generate_hospital(1, n)


# ───────────────────────── clinical consistency ─────────────────────────


def test_diagnoses_carry_icd10_codes() -> None:
    for _, ctx in all_contexts():
        mains = [d for d in ctx.diagnoses if d.is_main]
        assert mains and all(d.code and ICD10.match(d.code) for d in mains)
        assert all(d.code is None or ICD10.match(d.code) for d in ctx.diagnoses)
        note = first_note(ctx)
        assert mains[0].text in (section(note, "初步诊断", "诊断") or "")


def test_chief_complaints_are_short_with_a_duration_unless_planted() -> None:
    for seed, ctx in all_contexts():
        planted = {d["kind"] for d in hospital(seed).defects_for(ctx.encounter.id)}
        cc = section(first_note(ctx), "主诉") or ""
        if not planted & {"chief_complaint_too_long", "chief_complaint_no_duration"}:
            assert len(cc) <= 20 and DURATION.search(cc), cc


SYMPTOMS = ("头晕", "头痛", "胸痛", "心悸", "胸闷", "气促", "水肿", "咳嗽", "咳痰", "发热", "低热", "喘息", "口干",
            "多饮", "多尿", "乏力", "消瘦", "多汗", "怕热", "怕冷", "无力", "言语不清", "麻木", "眩晕", "上腹痛",
            "右上腹痛", "右下腹痛", "呕吐", "腹泻", "流涕", "抽搐", "包块", "血糖升高", "体重增加")


def test_every_symptom_of_a_clean_chief_complaint_is_in_the_history() -> None:
    for seed, ctx in all_contexts():
        planted = {d["kind"] for d in hospital(seed).defects_for(ctx.encounter.id)}
        if ctx.extra["followup_of"] or planted & {"hpi_missing_chief_symptom", "chief_complaint_too_long"}:
            continue
        note = first_note(ctx)
        cc, hpi = section(note, "主诉") or "", section(note, "现病史") or ""
        assert [w for w in SYMPTOMS if w in cc and w not in hpi] == [], (ctx.encounter.id, cc)


def test_vitals_are_plausible() -> None:
    vitals = re.compile(r"T (\d+\.?\d*)℃ P (\d+)次/分 R (\d+)次/分(?: BP (\d+)/(\d+)mmHg)?")
    for _, ctx in all_contexts():
        exam = section(first_note(ctx), "体格检查", "查体")
        if exam is None:
            continue
        m = vitals.search(exam)
        assert m, exam[:60]
        t, p, r = float(m.group(1)), int(m.group(2)), int(m.group(3))
        assert 35.5 <= t <= 40.5 and 45 <= p <= 160 and 12 <= r <= 40
        if m.group(4):
            sbp, dbp = int(m.group(4)), int(m.group(5))
            assert 80 <= sbp <= 210 and 45 <= dbp < sbp - 20


def test_lab_flags_match_reference_ranges_and_egfr_matches_creatinine() -> None:
    for _, ctx in all_contexts():
        for lab in ctx.labs:
            assert lab.unit != "" and lab.reference_range and lab.observed_at
            value = float(lab.value)
            if lab.reference_range.startswith(">"):
                low, high = float(lab.reference_range[1:]), float("inf")
            else:
                low, high = (float(x) for x in lab.reference_range.split("-"))
            assert lab.flag == ("H" if value > high else "L" if value < low else "N")
        scr = next((float(lab.value) for lab in ctx.labs if lab.name == "肌酐"), None)
        if scr is not None and not is_child(ctx):
            expected = egfr_ckd_epi_2021(scr, ctx.patient.age_years, ctx.patient.sex == "female")
            assert abs(egfr(ctx) - expected) <= 1


def test_histories_fit_age_and_sex() -> None:
    for seed, ctx in all_contexts():
        planted = {d["kind"] for d in hospital(seed).defects_for(ctx.encounter.id)}
        age = ctx.patient.age_years
        assert (age < 14) == (ctx.encounter.department == "儿科")
        for adm in docs(ctx, "入院记录"):
            assert (section(adm, "婚育史") is None) == is_child(ctx)
            if ctx.patient.sex == "female" and not is_child(ctx):
                assert section(adm, "月经史") is not None
            if "sex_inconsistency" not in planted and ctx.patient.sex == "male":
                assert section(adm, "月经史") is None


def test_orders_are_written_as_doctors_write_them() -> None:
    for _, ctx in all_contexts():
        for o in ctx.orders:
            assert isinstance(o, MedicationOrder)
            assert o.drug in drug_by_name() and o.drug in o.text
            assert o.dose and o.unit and o.route and o.frequency in FREQUENCIES
            assert o.id and o.ordered_at and o.prescriber
            assert o.status == ("completed" if ctx.encounter.discharged_at else "active")
            if ctx.extra["setting"] == "outpatient":
                assert o.days and f"×{o.days:g}天" in o.text


def test_clean_encounters_have_no_fluoroquinolone_in_children_and_no_metformin_in_poor_renal_function() -> None:
    for seed, ctx in all_contexts():
        planted = {d["kind"] for d in hospital(seed).defects_for(ctx.encounter.id)}
        names = generics(ctx)
        if is_child(ctx) and "pediatric_contraindication:左氧氟沙星" not in planted:
            assert not {"左氧氟沙星", "莫西沙星"} & set(names)
        if "二甲双胍" in names and "renal_dose:二甲双胍+eGFR<30" not in planted:
            assert egfr(ctx) is None or egfr(ctx) >= 45


def test_progress_notes_keep_the_interval_for_the_condition() -> None:
    for seed, ctx in all_contexts():
        planted = {d["kind"] for d in hospital(seed).defects_for(ctx.encounter.id)}
        if ctx.extra["setting"] != "inpatient" or "timeliness:病程记录间隔>3天" in planted:
            continue
        limit = MAX_GAP[ctx.encounter.condition_level]
        assert all(g <= limit for g in _progress_gaps(ctx))
        end = ctx.encounter.discharged_at
        last = docs(ctx, "日常病程记录")[-1].recorded_at
        if end is not None:
            assert (end.date() - last.date()).days <= limit
        assert docs(ctx, "日常病程记录")[0].recorded_at - ctx.encounter.admitted_at <= timedelta(hours=48)


def test_layouts_vary_like_real_templates() -> None:
    texts = [d.text for d in hospital().documents]
    assert any("\n查体：" in t or "\n查体:" in t for t in texts)
    assert any("\n体格检查：" in t or "\n体格检查:" in t for t in texts)
    assert any("\n专科情况" in t for t in texts)
    assert any(re.search(r"\n(主诉|现病史|既往史|过敏史|家族史|个人史):", t) for t in texts)
    assert any(re.search(r"^姓名：\S+$", t, re.M) for t in texts), "one field per line"
    assert any(re.search(r"^姓名：\S+[ 　]+性别：", t, re.M) for t in texts), "several fields per line"


def test_notes_read_back_through_the_document_parser() -> None:
    """The printed layout is what yizhu.core.parsing expects: type, label, headers, known sections."""
    parsing = pytest.importorskip("yizhu.core.parsing")
    h = hospital()
    for ctx in h.contexts:
        planted = {d["kind"] for d in h.defects_for(ctx.encounter.id)}
        for doc in ctx.documents:
            parsed = parsing.parse_document(doc.text)
            assert parsed.doc_type == doc.doc_type and parsed.synthetic
            assert all(parsed.header.get(k) == v for k, v in doc.header.items())
            assert all(sec.known for sec in parsed.sections), [sec.heading for sec in parsed.sections]
            if doc.doc_type in ("入院记录", "门诊病历"):
                for name in ("主诉", "现病史", "既往史", "过敏史", "体格检查", "初步诊断"):
                    expect_missing = f"missing_section:{name}" in planted
                    assert (parsed.section(name) is None) == expect_missing, (doc.id, name)


# ───────────────────────── files ─────────────────────────


def test_write_notes_manifest_and_contexts(tmp_path: Path) -> None:
    h = hospital()
    paths = write_notes(h, tmp_path)
    assert len(paths) == len(h.documents)
    for path, doc in zip(paths, h.documents, strict=True):
        assert path.name == f"{doc.id}.txt"
        assert path.read_text(encoding="utf-8") == doc.text
    manifest = json.loads(write_manifest(h, tmp_path).read_text(encoding="utf-8"))
    assert manifest["defects"] == h.defects and manifest["seed"] == DEFAULT_SEED
    lines = write_contexts(h, tmp_path).read_text(encoding="utf-8").splitlines()
    assert [ClinicalContext.model_validate_json(line) for line in lines] == h.contexts


def test_generation_is_fast() -> None:
    start = time.perf_counter()
    generate_hospital(99, 50)
    assert time.perf_counter() - start < 5.0  # measured ~0.1 s warm; see docs/demo.md
