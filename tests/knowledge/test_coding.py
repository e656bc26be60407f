"""Diagnosis coding that decides: a string → the set of standard concepts, each with span, exact name and code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.knowledge.coding_fixtures import shared_data, write_icd
from yizhu.knowledge.importers import import_icd
from yizhu.knowledge.terminology import Terminology, invalidate
from yizhu.knowledge.terminology.coding import CodingDictionary, DiagnosisCoder, load_rules, micro_f1

SHARED = shared_data()


@pytest.fixture(scope="module")
def coder(tmp_path_factory: pytest.TempPathFactory) -> DiagnosisCoder:
    d = tmp_path_factory.mktemp("coding")
    import_icd(write_icd(d / "icd.tsv"), data_dir=d / "var")
    return Terminology(d / "var").coder


def names(coder: DiagnosisCoder, text: str) -> list[str]:
    return sorted(coder.code(text).names)


def test_names_are_the_dictionary_spelling_with_brackets_and_commas(coder: DiagnosisCoder) -> None:
    assert names(coder, "房颤") == ["心房颤动[心房纤颤]"]
    assert names(coder, "心房纤颤") == ["心房颤动[心房纤颤]"]
    r = coder.code("下肢未特指的损伤,水平未特指")
    assert r.names == ["下肢未特指的损伤,水平未特指"] and r.concepts[0].code == "T98.101"


def test_compound_strings_give_every_concept_with_its_span(coder: DiagnosisCoder) -> None:
    text = "高血压3级 2型糖尿病；冠心病伴房颤"
    r = coder.code(text)
    assert sorted(r.names) == sorted(["高血压3级", "2型糖尿病", "冠状动脉粥样硬化性心脏病", "心房颤动[心房纤颤]"])
    for c in r.concepts:
        assert text[c.start:c.end] == c.text and c.text
    assert r.mode == "rules"


def test_no_separator_and_connectors(coder: DiagnosisCoder) -> None:
    assert names(coder, "胆囊结石合并慢性胆囊炎") == ["慢性胆囊炎", "胆囊结石"]
    assert names(coder, "头痛.头晕.高血压") == ["头晕", "头痛", "高血压"]


def test_tumour_gives_site_and_morphology(coder: DiagnosisCoder) -> None:
    assert names(coder, "右肺腺癌") == ["肺恶性肿瘤", "腺癌"]
    assert names(coder, "左乳腺癌术后化疗") == ["乳腺恶性肿瘤", "化学治疗", "癌"]
    morph = [c for c in coder.code("直肠癌").concepts if c.code.startswith("M")]
    assert [c.code for c in morph] == ["M801000/3"]


def test_qualifiers_history_and_uncertainty_do_not_block_the_concept(coder: DiagnosisCoder) -> None:
    assert names(coder, "脑梗死待查") == ["脑梗死"]
    assert names(coder, "陈旧性心肌梗死史") == ["陈旧性心肌梗死"]
    assert names(coder, "慢阻肺可能") == ["慢性阻塞性肺疾病"]


def test_full_width_and_case_variants(coder: DiagnosisCoder) -> None:
    assert names(coder, "２型糖尿病") == ["2型糖尿病"]
    assert names(coder, "COPD") == ["慢性阻塞性肺疾病"]


@pytest.mark.parametrize(("first", "again"), [
    ("COPD", "ＣＯＰＤ"), ("copd急性加重", "COPD急性加重"), ("高血压3级", "高血压３级"),
    ("2型糖尿病；冠心病", "２型糖尿病；冠心病"), ("右肺腺癌术后化疗", "右肺腺癌术后化疗"),
])
def test_a_repeated_string_is_answered_from_the_cache_even_in_another_width_or_case(
        coder: DiagnosisCoder, first: str, again: str) -> None:
    """Results are kept by the folded string: a repeat in another width or case is one cache entry, and
    its answer is what deciding it afresh gives, quoting the string as written."""
    c = DiagnosisCoder(coder.d, coder.model)
    c.code(first)
    got = c.code(again)
    assert len(c._cache) == 1
    assert got.text == again and all(k.text == again[k.start:k.end] for k in got.concepts)
    assert got.to_dict() == DiagnosisCoder(coder.d, coder.model, cache_size=0).code(again).to_dict()
    assert [r.to_dict() for r in c.code_many([again, first])] == [got.to_dict(), c.code(first).to_dict()]


@pytest.mark.parametrize(("first", "other"), [("高血压3级", "高血压3级 "), ("COPD", "COPD?"), ("冠心病", "冠心病史")])
def test_a_string_that_differs_beyond_width_and_case_is_decided_on_its_own(
        coder: DiagnosisCoder, first: str, other: str) -> None:
    c = DiagnosisCoder(coder.d, coder.model)
    c.code(first)
    assert c.code(other).text == other and len(c._cache) == 2


def test_typo_is_matched_fuzzily_with_a_lower_score(coder: DiagnosisCoder) -> None:
    r = coder.code("慢性阻塞性肺疾")
    assert r.names == ["慢性阻塞性肺疾病"]
    assert r.concepts[0].score < coder.code("慢性阻塞性肺疾病").concepts[0].score


def test_nothing_below_the_threshold_is_no_standard_term(coder: DiagnosisCoder) -> None:
    assert coder.code("今天天气很好").concepts == ()
    assert coder.code("").concepts == ()


def test_alternatives_are_other_dictionary_names(coder: DiagnosisCoder) -> None:
    c = coder.code("糖尿病").concepts[0]
    assert c.name == "糖尿病"
    assert all(a.name != c.name for a in c.alternatives)


def test_without_an_imported_table_the_shipped_pack_answers(tmp_path: Path) -> None:
    t = Terminology(tmp_path / "empty")
    assert "shipped pack" in t.coding_dictionary.source
    r = t.coder.code("2型糖尿病")
    assert r.concepts and r.concepts[0].code.startswith("E11")


def test_rules_file_validates_and_every_alias_names_a_source() -> None:
    rules = load_rules()
    assert rules.aliases and all(a.source for a in rules.aliases)
    assert all(m.source for m in rules.morphology)


def test_micro_f1_is_over_name_sets() -> None:
    m = micro_f1([["a", "b"], ["c"]], [["a"], ["c", "d"]])
    assert (m["tp"], m["fp"], m["fn"]) == (2, 1, 1)
    assert m["f1"] == pytest.approx(2 / 3)


def test_cli_decide_contract(tmp_path: Path) -> None:
    from tests.cli.test_cli import yizhu

    import_icd(write_icd(tmp_path / "icd.tsv"), data_dir=tmp_path / "var")
    f = tmp_path / "dx.txt"
    f.write_text("右肺腺癌\n\n冠心病，房颤\n", encoding="utf-8")
    r = yizhu(tmp_path, "code", "--file", str(f), "--decide", "--format", "json")
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(lines) == 3 and lines[1] == {"concepts": [], "mode": "rules"}
    c = lines[2]["concepts"][0]
    assert set(c) >= {"start", "end", "text", "code", "name", "score", "alternatives"}
    assert {x["name"] for x in lines[2]["concepts"]} == {"冠状动脉粥样硬化性心脏病", "心房颤动[心房纤颤]"}


@pytest.mark.skipif(not (SHARED / "cblue" / "CHIP-CDN_train.json").is_file(),
                    reason="public CHIP-CDN data not present (../shared/data/cblue)")
def test_real_chip_cdn_rules_floor(tmp_path: Path) -> None:
    """Rules and the imported dictionary alone on a slice of our test part (the full figure is in docs)."""
    from yizhu.knowledge.terminology.cdn import load_labelled
    from yizhu.learn.split import split_of

    import_icd(SHARED / "icd10" / "icd10_beijing_clinical_v601.tsv", data_dir=tmp_path)
    _, recs = load_labelled(SHARED / "cblue" / "CHIP-CDN_train.json")
    test = [r for r in recs if split_of(r.text) == "test"][:300]
    coder = DiagnosisCoder(CodingDictionary.build(Terminology(tmp_path).kb, Terminology(tmp_path).store.icd_rows()))
    m = micro_f1([r.names for r in test], [coder.code(r.text).names for r in test])
    assert m["f1"] >= 0.40, m
    invalidate(tmp_path)


def test_import_keeps_the_exact_spelling_and_upgrades_older_imports(tmp_path: Path) -> None:
    from yizhu.knowledge.imported import KnowledgeStore

    table = write_icd(tmp_path / "icd.tsv")
    rep = import_icd(table, data_dir=tmp_path)
    rows = {r.code: r for r in KnowledgeStore(tmp_path).icd_rows()}
    assert rows["I48XX04"].name == "心房颤动" and rows["I48XX04"].display == "心房颤动[心房纤颤]"
    stored = Path(rep.stored)  # an import made by an older version: no exact spellings
    stored.write_text("".join(line.replace(', "display"', ', "old"') + "\n"
                              for line in stored.read_text(encoding="utf-8").splitlines()), encoding="utf-8")
    again = import_icd(table, data_dir=tmp_path)
    assert not again.unchanged
    assert import_icd(table, data_dir=tmp_path).unchanged


# ── side, remarks in brackets, appended codes and tumour morphology (synthetic strings, 合成) ─────────


@pytest.fixture(scope="module")
def pack_coder(tmp_path_factory: pytest.TempPathFactory) -> DiagnosisCoder:
    """The coder over the shipped pack (no table imported): what a new install answers with."""
    t = Terminology(tmp_path_factory.mktemp("pack") / "var")
    assert "shipped pack" in t.coding_dictionary.source
    return DiagnosisCoder(t.coding_dictionary)


def codes(coder: DiagnosisCoder, text: str) -> list[str]:
    return sorted(c.code for c in coder.code(text).concepts)


@pytest.mark.parametrize("text", ["左桡骨远端粉碎性骨折", "右桡骨远端粉碎骨折", "左桡骨远端粉碎性骨折（AO C2型）（S52.5）",
                                  "左桡骨远端粉碎性骨折（AO C2型）切开复位钢板内固定术后"])
def test_a_descriptor_the_standard_name_leaves_out_does_not_block_it(pack_coder: DiagnosisCoder, text: str) -> None:
    r = pack_coder.code(text)
    assert [c.code for c in r.concepts] == ["S52.5"]
    c = r.concepts[0]
    assert text[c.start:c.end].startswith("桡骨") and "骨折" in c.text  # the span covers what was skipped


@pytest.mark.parametrize("text", ["右卵巢成熟性囊性畸胎瘤", "右侧卵巢成熟型囊性畸胎瘤", "左卵巢囊性成熟型畸胎瘤",
                                  "右卵巢成熟性囊性畸胎瘤（腹腔镜右卵巢囊肿剥除术后）"])
def test_a_benign_teratoma_gives_the_site_code_and_its_morphology(pack_coder: DiagnosisCoder, text: str) -> None:
    got = codes(pack_coder, text)
    assert "D27" in got and "M9080/0" in got
    assert not [c for c in got if c.startswith("C")]  # never a malignant site code
    morph = [c for c in pack_coder.code(text).concepts if c.code == "M9080/0"]
    assert len(morph) == 1 and morph[0].name == "成熟型囊性畸胎瘤"


def test_an_immature_teratoma_is_not_coded_benign(pack_coder: DiagnosisCoder) -> None:
    got = codes(pack_coder, "右卵巢未成熟畸胎瘤")
    assert "D27" not in got and "M9080/3" in got


def test_a_benign_tumour_name_of_its_own_is_not_doubled_by_the_site_rule(coder: DiagnosisCoder,
                                                                          pack_coder: DiagnosisCoder) -> None:
    assert [c.name for c in pack_coder.code("子宫平滑肌瘤").concepts] == ["未特指的子宫平滑肌瘤"]


def test_with_an_imported_table_the_tables_morphology_names_are_used(tmp_path: Path) -> None:
    icd = tmp_path / "icd.tsv"
    icd.write_text("code\tname\nD27\t卵巢良性肿瘤\nD27xx01\t卵巢良性肿瘤\nM908006/0\t成熟型囊性畸胎瘤\n"
                   "M908003/0\t囊性畸胎瘤\nS52.501\t桡骨远端骨折\n", encoding="utf-8")
    import_icd(icd, data_dir=tmp_path / "var")
    c = DiagnosisCoder(Terminology(tmp_path / "var").coding_dictionary)
    got = [(x.code, x.name) for x in c.code("右侧卵巢成熟性囊性畸胎瘤").concepts]
    assert sorted(got) == [("D27XX01", "卵巢良性肿瘤"), ("M908006/0", "成熟型囊性畸胎瘤")]  # not 囊性畸胎瘤 as well


@pytest.mark.parametrize(("text", "want"), [
    ("肺炎支原体肺炎（右下肺）（J15.7）", "J15.7"),   # the same concept as the name: one concept, the name's span
    ("卵巢良性肿瘤（D27）", "D27"),
])
def test_an_appended_code_is_read_as_the_code_the_writer_chose(pack_coder: DiagnosisCoder, text: str, want: str) -> None:
    r = pack_coder.code(text)
    same = [c for c in r.concepts if c.code == want]
    assert len(same) == 1 and not text[same[0].start:same[0].end].startswith(want)


def test_an_unknown_code_shaped_segment_is_no_fuzzy_match(pack_coder: DiagnosisCoder) -> None:
    assert pack_coder.code("X99.99Q").concepts == ()
    assert pack_coder.code("（D27）").concepts[0].via == "code"


@pytest.mark.parametrize(("text", "ok"), [
    ("右卵巢成熟性囊性畸胎瘤（腹腔镜右卵巢囊肿剥除术后）", True),
    ("右卵巢成熟性囊性畸胎瘤（腹腔镜右卵巢囊肿剥除术后）（D27）", True),
    ("左桡骨远端粉碎性骨折（AO C2型）（S52.5）", True),
    ("左桡骨远端粉碎性骨折（AO C2型）切开复位钢板内固定术后", True),
    ("肺炎支原体肺炎（右下肺）", True),
    ("气血两虚综合症候群", False),                   # a TCM pattern, no ICD-10 name
    ("气血两虚（卵巢囊肿术后）", False),               # a name only inside a remark does not count
    ("气血两虚（D27）", False),                        # nor does a code appended to a name that has none
    ("成熟性囊性畸胎瘤", False),                       # a morphology alone is no diagnosis code
])
def test_diagnosis_normalises_reads_the_name_not_its_remarks(tmp_path: Path, text: str, ok: bool) -> None:
    from yizhu.knowledge.terminology import diagnosis_normalises

    assert diagnosis_normalises(text, data_dir=tmp_path / "var") is ok
