"""Loaders for the layouts hospitals bring; every shipped synthetic example loads in its layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from yizhu.errors import InputError
from yizhu.evaluation.dataset import DATA_DIR
from yizhu.evaluation.loaders import bio_spans, cmeee_span, load_dataset, parse_answer_letters, parse_options


@pytest.mark.parametrize(
    ("name", "accept", "fmt", "n"),
    [
        ("exam.cmb.sample.json", ["mcq"], "mcq", 8),
        ("exam.cmexam.sample.csv", ["mcq"], "mcq", 6),
        ("exam.mcmle.sample.jsonl", ["mcq"], "mcq", 7),
        ("exam.flat.sample.jsonl", ["mcq"], "mcq", 5),
        ("cdn.sample.json", ["cdn"], "cdn", 10),
        ("cmeee.sample.json", ["cmeee"], "cmeee", 6),
        ("imcs_v2.sample.json", ["imcs-ner"], "imcs-ner", 10),
        ("imcs_v2.sample.json", ["imcs-mrg"], "imcs-mrg", 2),
        ("notes/dialogues.jsonl", ["note-dialogues"], "note-dialogues", 5),
        ("rubric.sample.jsonl", ["healthbench"], "healthbench", 3),
        ("deid.example.jsonl", ["phi-spans"], "phi-spans", 6),
        ("exam_rag.sample.yaml", None, "yizhu", 5),
        ("redteam.yaml", None, "yizhu", 13),
        ("triage.sample.yaml", None, "yizhu", 10),
        ("qc.example.jsonl", None, "yizhu", 5),
    ],
)
def test_every_shipped_example_loads_and_is_synthetic(name: str, accept: list[str] | None, fmt: str, n: int) -> None:
    ds = load_dataset(DATA_DIR / name, accept=accept)
    assert ds.format == fmt
    assert len(ds.cases) == n
    assert ds.synthetic or all(c.metadata.get("synthetic") for c in ds.cases), "shipped data must be labelled synthetic"


def test_the_four_exam_layouts_agree_on_the_same_questions() -> None:
    cmb = {c.inputs["question"]: c for c in load_dataset(DATA_DIR / "exam.cmb.sample.json").cases}
    for name in ("exam.cmexam.sample.csv", "exam.mcmle.sample.jsonl", "exam.flat.sample.jsonl"):
        for c in load_dataset(DATA_DIR / name, accept=["mcq"]).cases:
            ref = cmb[c.inputs["question"]]
            assert c.inputs["options"] == ref.inputs["options"], name
            assert c.expected == ref.expected, name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"A": "甲", "B": "乙 "}, {"A": "甲", "B": "乙"}),
        ("A 正常\nB 异常\nC 无法判断", {"A": "正常", "B": "异常", "C": "无法判断"}),
        ("A.正常 B.异常 C.不确定", {"A": "正常", "B": "异常", "C": "不确定"}),
        (["A、青霉素", "B、头孢"], {"A": "青霉素", "B": "头孢"}),
        (["青霉素", "头孢"], {"A": "青霉素", "B": "头孢"}),
    ],
)
def test_options_in_every_spelling(raw: object, expected: dict[str, str]) -> None:
    assert parse_options(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("B", "B"), ("ba", "AB"), ("A,C", "AC"), ("A、B、D", "ABD"), (["D", "A"], "AD"), ("乙", "B"), ("无", "")],
)
def test_answer_letters(raw: object, expected: str) -> None:
    assert parse_answer_letters(raw, {"A": "甲", "B": "乙"}) == expected


def test_cmeee_end_convention_is_taken_from_the_entity_text() -> None:
    text = "患者发热三天"
    assert cmeee_span(text, {"start_idx": 2, "end_idx": 3, "entity": "发热"}) == (2, 4)  # inclusive (CMeEE)
    assert cmeee_span(text, {"start_idx": 2, "end_idx": 4, "entity": "发热"}) == (2, 4)  # exclusive
    assert cmeee_span(text, {"start_idx": 2, "end_idx": 3}) == (2, 4)
    with pytest.raises(InputError, match="does not sit"):
        cmeee_span(text, {"start_idx": 0, "end_idx": 1, "entity": "发热"})


@pytest.mark.parametrize(
    ("text", "labels", "spans"),
    [
        ("咳嗽发热", "B-Symptom I-Symptom B-Symptom I-Symptom", [(0, 2, "Symptom"), (2, 4, "Symptom")]),
        ("吃布洛芬", "O B-Drug I-Drug I-Drug", [(1, 4, "Drug")]),
        ("无症状", "O O O", []),
        ("咳嗽", "I-Symptom I-Symptom", [(0, 2, "Symptom")]),
    ],
)
def test_bio_labels_to_spans(text: str, labels: str, spans: list[tuple[int, int, str]]) -> None:
    assert [(s["start"], s["end"], s["type"]) for s in bio_spans(text, labels.split())] == spans


def test_imcs_mrg_keeps_every_annotators_report() -> None:
    ds = load_dataset(DATA_DIR / "imcs_v2.sample.json", accept=["imcs-mrg"])
    case = ds.cases[0]
    assert len(case.expected["reports"]) == 2
    assert set(case.expected["reports"][0]) == {"主诉", "现病史", "辅助检查", "既往史", "诊断", "建议"}
    assert case.inputs["dialogue"][0]["speaker"] == "患者"


def test_cmeee_offsets_become_exclusive() -> None:
    ds = load_dataset(DATA_DIR / "cmeee.sample.json")
    for c in ds.cases:
        for e in c.expected["entities"]:
            assert c.inputs["text"][e["start"]:e["end"]] == e["text"]


def test_unknown_layout_names_the_accepted_ones(tmp_path: Path) -> None:
    p = tmp_path / "x.json"
    p.write_text(json.dumps([{"foo": 1}]), encoding="utf-8")
    with pytest.raises(InputError, match="layout not recognised; this suite reads: yizhu, mcq"):
        load_dataset(p, accept=["mcq"])
    with pytest.raises(InputError, match="unknown dataset format 'nope'"):
        load_dataset(p, format="nope")


MARKUP = """=== x-01 门诊病历 ===
keep: 阿莫西林
姓名：[[NAME:张三丰]]  门诊号：[[MRN:MZ0012345]]  电话：[[PHONE:13800001111]]
予{{阿莫西林}}口服。医师：[[NAME:李四]]，[[BED:12床]]
=== x-02 微信 ===
[[NAME:老闵]]今天好点了
"""


def test_phi_markup_corpora_load_as_gold_phi_spans(tmp_path: Path):
    path = tmp_path / "corpus.txt"
    path.write_text(MARKUP, encoding="utf-8")
    ds = load_dataset(path, accept=["phi-spans", "phi-markup"])
    assert ds.format == "phi-markup" and [c.id for c in ds.cases] == ["x-01", "x-02"]
    text = ds.cases[0].inputs["text"]
    assert "[[" not in text and "{{" not in text
    spans = ds.cases[0].expected["spans"]
    assert [(s["type"], text[s["start"]:s["end"]]) for s in spans] == [
        ("PERSON", "张三丰"), ("RECORD_ID", "MZ0012345"), ("PHONE", "13800001111"), ("PERSON", "李四"), ("BED", "12床")]


def test_the_shipped_blind_corpora_are_in_the_markup_layout():
    ds = load_dataset(DATA_DIR / "deid" / "dev8" / "dev8.txt")
    assert ds.format == "phi-markup" and len(ds.cases) == 40
    assert sum(s["type"] == "PERSON" for c in ds.cases for s in c.expected["spans"]) == 604


@pytest.mark.parametrize(("body", "message"), [
    ("=== x-01 t ===\n[[NAME:张三]\n", "unbalanced"),
    ("=== x-01 t ===\n[[NAMES:张三]]\n", "unknown mark type"),
    ("=== x-01 t ===\nkeep: 头孢\n张三\n", "keep term"),
])
def test_broken_markup_is_a_clear_error(tmp_path: Path, body: str, message: str):
    path = tmp_path / "bad.txt"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_dataset(path, format="phi-markup")
