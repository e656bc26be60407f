"""Span conventions of the annotation standards, and the learned extraction lexicon.

All sentences here are synthetic (合成), written for these tests. The learner test runs the real script
on a tiny synthetic file in CMeEE layout; nothing of the shared data is read.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from yizhu.errors import ConfigError
from yizhu.knowledge.packs import get_kb
from yizhu.knowledge.terminology.extract import Extractor, load_lexicon
from yizhu.knowledge.terminology.learned_lexicon import LEARNED_PATH, LearnedLexicon, load_learned

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def rules() -> Extractor:
    return Extractor.build(get_kb(), learned=None)


def spans(ext: Extractor, text: str) -> list[tuple[str, str]]:
    return [(e.text, e.type) for e in ext.extract(text)]


# ── span conventions (lexicon.yaml: attach, prefixes, compose) ────────────────────────────────────────


@pytest.mark.parametrize(("text", "want"), [
    ("膀胱横纹肌肉瘤", ("膀胱横纹肌肉瘤", "disease")),  # body part + disease name: one disease, the part not nested
    ("慢性肾脏疾病", ("慢性肾脏疾病", "disease")),  # course modifier belongs to the disease
    ("儿童糖尿病", ("儿童糖尿病", "disease")),  # age group too
    ("患儿反复咳嗽三天", ("反复咳嗽", "symptom")),  # course modifier of a symptom
    ("轮状病毒疫苗", ("轮状病毒疫苗", "drug")),  # a vaccine named by its organism is one drug
    ("行阴道切除", ("阴道切除", "procedure")),  # an operation named by its site is one procedure
    ("脑脊液压力升高", ("脑脊液压力", "lab")),  # a measurement named by its site is one lab item
    ("茶碱类药物", ("茶碱类药物", "drug_category")),  # a drug + 类药物 names its class
])
def test_spans_drawn_as_the_standards_draw_them(rules: Extractor, text: str, want: tuple[str, str]) -> None:
    got = spans(rules, text)
    assert want in got, got


def test_a_body_part_stays_nested_in_a_symptom_but_not_in_a_disease(rules: Extractor) -> None:
    sym = spans(rules, "面部皮疹")
    assert ("面部皮疹", "symptom") in sym and ("面部", "body_part") in sym, sym
    dis = spans(rules, "膀胱横纹肌肉瘤")
    assert ("膀胱", "body_part") not in dis, dis


def test_extended_disease_keeps_the_code_of_its_head(rules: Extractor) -> None:
    plain = {e.text: e for e in rules.extract("糖尿病")}
    longer = {e.text: e for e in rules.extract("儿童糖尿病")}
    assert plain["糖尿病"].code is not None
    assert longer["儿童糖尿病"].code == plain["糖尿病"].code


def test_a_modifier_inside_another_mention_is_not_taken(rules: Extractor) -> None:
    # 急性 belongs to 急性胰腺炎, not to the 腹痛 that follows in another clause
    got = spans(rules, "急性胰腺炎，腹痛")
    assert ("腹痛", "symptom") in got, got


def test_negation_still_reaches_an_extended_mention(rules: Extractor) -> None:
    ents = {e.text: e for e in rules.extract("否认慢性肾脏疾病")}
    assert ents["慢性肾脏疾病"].negated


def test_lexicon_rejects_a_bad_attach_rule(tmp_path: Path) -> None:
    data = yaml.safe_load((ROOT / "src/yizhu/knowledge/terminology/lexicon.yaml").read_text(encoding="utf-8"))
    data["attach"] = [{"first": "body_part", "then": "illness", "keep_first": False}]
    bad = tmp_path / "lexicon.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match="attach"):
        load_lexicon(bad)
    data["attach"] = []
    data["prefixes"] = {"symptom": "反复"}
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match="prefixes"):
        load_lexicon(bad)


# ── the learned lexicon ─────────────────────────────────────────────────────────────────────────────────


def _learned(tmp_path: Path, terms: list[dict], not_mentions: list[dict]) -> Path:
    doc = {"_meta": {"name": "test", "version": "1", "learned_from": "synthetic sentences (合成)",
                     "licence": "written for this test", "method": "by hand", "min_count": 2, "built": "2026-12-07"},
           "terms": terms, "not_mentions": not_mentions}
    p = tmp_path / f"learned-{len(terms)}-{len(not_mentions)}.yaml"
    p.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return p


def test_the_shipped_learned_lexicon_is_valid_and_says_where_it_comes_from() -> None:
    lex = load_learned(LEARNED_PATH)
    assert lex is not None
    assert "train part" in lex.meta.learned_from
    assert lex.meta.min_count >= 2
    assert all(t.count >= lex.meta.min_count for t in lex.terms)  # nothing seen once is kept
    assert all(t.count <= t.seen for t in lex.terms)


def test_learned_terms_are_added_and_not_mentions_hidden(tmp_path: Path, rules: Extractor) -> None:
    assert ("鸡冠样肿物", "symptom") not in spans(rules, "可见鸡冠样肿物")
    assert ("细胞", "body_part") in spans(rules, "细胞")
    path = _learned(tmp_path, [{"term": "鸡冠样肿物", "type": "symptom", "count": 3, "seen": 4}],
                    [{"term": "细胞", "type": "body_part", "found": 20, "annotated": 1}])
    ext = Extractor.build(get_kb(), learned=path)
    assert ("鸡冠样肿物", "symptom") in spans(ext, "可见鸡冠样肿物")
    assert ("细胞", "body_part") not in spans(ext, "细胞")


def test_a_learned_type_never_overrides_a_curated_drug_or_lab(tmp_path: Path, rules: Extractor) -> None:
    before = {e.text: e for e in rules.extract("阿莫西林")}
    path = _learned(tmp_path, [{"term": "阿莫西林", "type": "body_part", "count": 5, "seen": 5}], [])
    after = {e.text: e for e in Extractor.build(get_kb(), learned=path).extract("阿莫西林")}
    assert after["阿莫西林"].type == before["阿莫西林"].type == "drug"


def test_a_learned_disease_symptom_flip_keeps_the_code(tmp_path: Path, rules: Extractor) -> None:
    before = {e.text: e for e in rules.extract("糖尿病")}["糖尿病"]
    path = _learned(tmp_path, [{"term": "糖尿病", "type": "symptom", "count": 5, "seen": 5}], [])
    after = {e.text: e for e in Extractor.build(get_kb(), learned=path).extract("糖尿病")}["糖尿病"]
    assert after.type == "symptom"
    assert after.code == before.code


def test_a_learned_term_never_swallows_a_context_trigger(tmp_path: Path) -> None:
    # 无水肿 learned as a symptom would hide 无 from ConText and lose the negation
    path = _learned(tmp_path, [{"term": "无水肿", "type": "symptom", "count": 5, "seen": 5},
                               {"term": "体格检查", "type": "lab", "count": 5, "seen": 5}], [])
    ents = Extractor.build(get_kb(), learned=path).extract("双下肢无水肿。体格检查：心脏杂音")
    by = {e.text: e for e in ents}
    assert "无水肿" not in by and by["水肿"].negated
    assert "体格检查" not in by


def test_a_bad_learned_lexicon_is_refused_with_the_file_named(tmp_path: Path) -> None:
    path = _learned(tmp_path, [{"term": "鸡冠样肿物", "type": "symptom", "count": 1, "seen": 4}], [])
    with pytest.raises(ConfigError, match=str(path.name)):
        Extractor.build(get_kb(), learned=path)


def test_the_learner_keeps_repeated_surfaces_with_counts_and_drops_singletons(tmp_path: Path) -> None:
    # synthetic CMeEE-layout file (合成): 鸡冠样肿物 annotated in many sentences, 孤例肿物 once
    recs = []
    for i in range(40):
        text = f"第{i}例可见鸡冠样肿物，复查。"
        recs.append({"text": text, "entities": [{"start_idx": text.index("鸡"), "end_idx": text.index("物"),
                                                 "type": "sym", "entity": "鸡冠样肿物"}]})
    text = "另见孤例肿物。"
    recs.append({"text": text, "entities": [{"start_idx": 2, "end_idx": 5, "type": "sym", "entity": "孤例肿物"}]})
    src = tmp_path / "cmeee.json"
    src.write_text(json.dumps(recs, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "learned.yaml"
    subprocess.run([sys.executable, str(ROOT / "scripts/learn_extraction_lexicon.py"), str(src), "--out", str(out),
                    "--name", "synthetic (合成)"], check=True, capture_output=True)
    lex = LearnedLexicon.model_validate(yaml.safe_load(out.read_text(encoding="utf-8")))
    terms = {t.term: t for t in lex.terms}
    assert "孤例肿物" not in terms
    t = terms["鸡冠样肿物"]
    assert t.type == "symptom" and t.count >= 2 and t.seen >= t.count
    assert t.count < 40  # only the train part of the split was read


def test_the_shipped_learned_lexicon_counts_come_from_the_cmeee_train_part_only() -> None:
    from collections import Counter

    from tests.knowledge.coding_fixtures import shared_data
    from yizhu.knowledge.terminology.ner_data import read_ner
    from yizhu.learn.split import split_of

    cmeee = shared_data() / "cblue" / "CMeEE_dev_part.json"
    if not cmeee.is_file():
        pytest.skip(f"{cmeee} is not present (the shared CMeEE data is read in place, never committed)")
    _, recs = read_ner(cmeee)
    counted: Counter[tuple[str, str]] = Counter()
    for r in recs:
        if split_of(r.text) == "train":  # recount on the train part only: the test part must add nothing
            counted.update((r.text[s.start:s.end], s.type) for s in r.spans)
    lex = load_learned(LEARNED_PATH)
    assert lex is not None
    for t in lex.terms:
        assert counted[(t.term, t.type)] == t.count, t
