"""Diagnosis and drug normalisation: what a clinician writes → the ICD-10 code / the generic drug."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from yizhu.evaluation.dataset import DATA_DIR
from yizhu.knowledge.importers import import_file
from yizhu.knowledge.packs import KnowledgeBase, get_kb
from yizhu.knowledge.terminology import (
    DiagnosisNormaliser,
    DrugNormaliser,
    normalise_diagnosis,
    normalise_drug,
    terminology,
)
from yizhu.knowledge.terminology.evaluate import eval_drugs, eval_dx, load_dx_cases

EVAL = DATA_DIR / "terminology"


@pytest.fixture(scope="module")
def dx() -> DiagnosisNormaliser:
    return DiagnosisNormaliser.from_packs()


@pytest.mark.parametrize(
    ("text", "prefix", "via"),
    [
        ("高血压", "I10", "synonym"),
        ("高血压3级 很高危", "I10", "synonym"),  # grading stripped into a variant
        ("慢阻肺急性加重", "J44.1", "synonym"),
        ("COPD", "J44", "synonym"),
        ("冠心病待排", "I25", "synonym"),  # uncertainty word removed before lookup
        ("社区获得性肺炎？", "J18", "synonym"),
        ("高血压病史", "I10", "synonym"),  # history suffix removed
        ("未特指的肺炎", "J18.9", "name"),
        ("肺炎", "J18", None),
        ("急性ST段抬高型心肌梗塞", "I21", "fuzzy"),  # variant character 塞/死
        ("高学压", "I10", "fuzzy"),  # typo
        ("I10", "I10", "code"),
    ],
)
def test_diagnosis_text_to_icd10(dx: DiagnosisNormaliser, text: str, prefix: str, via: str | None) -> None:
    best = dx.normalise(text, top=5)[0]
    assert best.code.startswith(prefix), (text, best)
    assert via is None or best.via == via
    assert 0 < best.score <= 1 and best.segment and best.matched


def test_several_diagnoses_in_one_string_interleave_by_rank(dx: DiagnosisNormaliser) -> None:
    cands = dx.normalise("1.高血压3级 2.2型糖尿病 3.冠心病", top=5)
    assert [c.code[:3] for c in cands[:3]] == ["I10", "E11", "I25"]
    assert [c.segment for c in cands[:3]] == ["高血压3级", "2型糖尿病", "冠心病"]
    scores = [c.score for c in cands]
    assert len(set(c.code for c in cands)) == len(cands) and all(s > 0 for s in scores)


def test_combined_diagnoses_split_on_he_bing_only_when_parts_code_better(dx: DiagnosisNormaliser) -> None:
    assert [s.candidates[0].code[:3] for s in dx.normalise_segments("2型糖尿病合并高血压")] == ["E11", "I10"]
    # an ICD name that contains 伴 stays whole
    whole = dx.normalise_segments("胆囊结石伴慢性胆囊炎")
    assert len(whole) == 1 and whole[0].candidates[0].code.startswith("K80")


def test_segments_report_uncertainty_and_the_stripped_query(dx: DiagnosisNormaliser) -> None:
    (seg,) = dx.normalise_segments("疑似急性阑尾炎")
    assert seg.uncertain and seg.query == "急性阑尾炎" and seg.candidates[0].code.startswith("K35")


def test_imported_table_adds_codes_and_is_used_by_the_public_function(tmp_path: Path) -> None:
    f = tmp_path / "hosp.csv"
    f.write_text("code,name\nX99.901,院内自定义测试病种甲\n", encoding="utf-8")
    import_file(f, "icd", data_dir=tmp_path)
    assert normalise_diagnosis("院内自定义测试病种甲", data_dir=tmp_path)[0].code == "X99.901"
    assert normalise_diagnosis("高血压", data_dir=tmp_path)[0].code.startswith("I10")


def test_evaluation_set_accuracy_with_the_shipped_pack(dx: DiagnosisNormaliser) -> None:
    r = eval_dx(dx, load_dx_cases(EVAL / "dx_normalisation.tsv"))
    assert r["diagnoses"] >= 150
    assert r["top1"] >= 0.9 and r["top5"] >= 0.95, r["misses"]


def test_repeated_texts_are_served_from_the_cache(dx: DiagnosisNormaliser) -> None:
    a = dx.normalise_segments("慢性浅表性胃炎")
    assert dx.normalise_segments("慢性浅表性胃炎") is a


# ---- CLI contract

@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    from yizhu.config import get_settings
    from yizhu.knowledge.cli_terms import code_cmd, extract_cmd

    monkeypatch.setenv("YIZHU_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    app = typer.Typer()
    app.command("code")(code_cmd)
    app.command("extract")(extract_cmd)
    yield app
    get_settings.cache_clear()


def test_code_cli_prints_candidates_best_first(cli: typer.Typer) -> None:
    r = CliRunner().invoke(cli, ["code", "慢阻肺急性加重", "--top", "3", "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert 1 <= len(out) <= 3 and {"code", "name", "score"} <= set(out[0])
    assert out[0]["code"] == "J44.1" and out[0]["score"] >= out[-1]["score"]


def test_code_cli_batch_prints_one_json_line_per_input_line(cli: typer.Typer, tmp_path: Path) -> None:
    f = tmp_path / "dx.txt"
    f.write_text("高血压\n\n2型糖尿病\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["code", "--file", str(f), "--top", "1"])
    lines = r.output.strip("\n").split("\n")
    assert r.exit_code == 0 and len(lines) == 3
    assert [json.loads(x)[0]["code"][:3] if json.loads(x) else None for x in lines] == ["I10", None, "E11"]


def test_code_cli_fails_in_one_line(cli: typer.Typer) -> None:
    r = CliRunner().invoke(cli, ["code", "--file", "/nonexistent/dx.txt"])
    assert r.exit_code == 2 and "no such file" in r.output


# ---- drugs

DRUGS = [
    {"id": "drug:atorvastatin", "name": "阿托伐他汀", "brands": ["立普妥"], "salts": ["阿托伐他汀钙"], "atc": "C10AA05"},
    {"id": "drug:amlodipine", "name": "氨氯地平", "brands": ["络活喜"], "salts": ["苯磺酸氨氯地平"], "atc": "C08CA01"},
    {"id": "drug:metformin", "name": "二甲双胍", "brands": ["格华止"], "salts": ["盐酸二甲双胍"], "atc": "A10BA02"},
    {"id": "drug:omeprazole", "name": "奥美拉唑", "salts": ["奥美拉唑钠", "奥美拉唑镁"], "atc": "A02BC01"},
    {"id": "drug:ceftriaxone", "name": "头孢曲松", "salts": ["头孢曲松钠"], "atc": "J01DD04"},
    {"id": "drug:metoprolol", "name": "美托洛尔", "brands": ["倍他乐克"], "atc": "C07AB02"},
    {"id": "drug:potassium_chloride", "name": "氯化钾", "atc": "A12BA01"},
]


@pytest.fixture(scope="module")
def drug_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    d = tmp_path_factory.mktemp("packs")
    meta = {"_meta": {"kind": "drug", "name": "test drugs", "version": "0.0.1", "description": "fixture (合成)",
                      "source": "test fixture, 2026"}}
    (d / "drugs.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in [meta, *DRUGS]),
                                   encoding="utf-8")
    return KnowledgeBase.load([d])


@pytest.mark.parametrize(
    ("text", "name", "via"),
    [
        ("阿托伐他汀", "阿托伐他汀", "name"),
        ("立普妥", "阿托伐他汀", "brand"),
        ("阿托伐他汀钙", "阿托伐他汀", "salt"),
        ("阿托伐他汀钙片", "阿托伐他汀", "stripped"),
        ("阿托伐他汀钙片 20mg*7片", "阿托伐他汀", "stripped"),
        ("阿托伐他汀钙片(立普妥)", "阿托伐他汀", "stripped"),
        ("苯磺酸氨氯地平片 5mg", "氨氯地平", "stripped"),
        ("盐酸二甲双胍缓释片 0.5g", "二甲双胍", "stripped"),
        ("注射用奥美拉唑钠 40mg", "奥美拉唑", "stripped"),
        ("注射用头孢曲松钠 1g", "头孢曲松", "stripped"),
        ("琥珀酸美托洛尔缓释片", "美托洛尔", "stripped"),
        ("氯化钾缓释片", "氯化钾", "stripped"),  # 氯化 is a salt prefix but 氯化钾 itself is the drug
        ("阿托伐他丁", "阿托伐他汀", "fuzzy"),
    ],
)
def test_drug_strings_to_generic(drug_kb: KnowledgeBase, text: str, name: str, via: str) -> None:
    m = DrugNormaliser(drug_kb).match(text)
    assert m is not None and (m.name, m.via) == (name, via), m
    assert m.id and m.id.startswith("drug:")


def test_drug_strength_and_form_are_reported(drug_kb: KnowledgeBase) -> None:
    m = DrugNormaliser(drug_kb).match("盐酸二甲双胍缓释片 0.5g")
    assert m is not None and (m.strength, m.dose_form, m.atc) == ("0.5g", "缓释片", "A10BA02")


def test_unknown_drugs_are_none(drug_kb: KnowledgeBase) -> None:
    assert DrugNormaliser(drug_kb).match("某某完全未知药品") is None
    assert DrugNormaliser(drug_kb).match("") is None


def test_formulary_items_resolve_through_their_generic(drug_kb: KnowledgeBase, tmp_path: Path) -> None:
    from yizhu.knowledge.imported import KnowledgeStore

    f = tmp_path / "formulary.csv"
    f.write_text("code,name,generic,brand\nY9,院内制剂甲 10mg,阿托伐他汀,\nY10,自制合剂乙,自制合剂乙,\n", encoding="utf-8")
    import_file(f, "formulary", data_dir=tmp_path)
    norm = DrugNormaliser(drug_kb, KnowledgeStore(tmp_path).formulary())
    m = norm.match("院内制剂甲 10mg")
    assert m is not None and (m.name, m.id, m.via, m.formulary_code) == ("阿托伐他汀", "drug:atorvastatin", "formulary", "Y9")
    local = norm.match("自制合剂乙")
    assert local is not None and local.id is None and local.formulary_code == "Y10"


def test_drug_evaluation_set_runs_when_a_drug_pack_is_shipped() -> None:
    if not len(get_kb().pack("drug")):
        pytest.skip("no drug pack shipped yet")
    cases = [tuple(line.split("\t")[:2]) for line in (EVAL / "drug_normalisation.tsv").read_text(encoding="utf-8")
             .splitlines() if line and not line.startswith("#")]
    r = eval_drugs(normalise_drug, cases)  # type: ignore[arg-type]
    assert r["accuracy"] >= 0.8, r["misses"]


def test_services_are_rebuilt_after_an_import(tmp_path: Path) -> None:
    before = terminology(tmp_path)
    f = tmp_path / "icd.csv"
    f.write_text("code,name\nX98.001,另一测试病种\n", encoding="utf-8")
    import_file(f, "icd", data_dir=tmp_path)
    after = terminology(tmp_path)
    assert after is not before and after.diagnoses.normalise("另一测试病种")[0].code == "X98.001"
