"""The trainable extractor: data layouts, standard types and their export, training, model mode, bad data.

Synthetic records here are written for the tests (合成). The real-data test trains on a tiny slice of
CMeEE's TRAIN part and skips when ../shared/data is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tests.knowledge.coding_fixtures import shared_data
from yizhu.errors import InputError
from yizhu.knowledge.packs import get_kb
from yizhu.knowledge.terminology.extract import Extractor
from yizhu.knowledge.terminology.extract_model import ExtractorModel, ExtractorTrainer, decode, layer_labels
from yizhu.knowledge.terminology.ner_data import EXPORT, Span, read_ner
from yizhu.knowledge.terminology.text import fold
from yizhu.learn import active_model, run_training, split_of

CMEEE = shared_data() / "cblue" / "CMeEE_dev_part.json"

# synthetic sentences (合成) in three shapes, repeated with different fillers so the CRF sees patterns
_PATIENTS = ["患儿", "患者", "病人", "孩子", "老人", "男孩", "女孩", "产妇"]
_DAYS = ["三天", "两天", "一周", "五天", "半月", "十天", "四天", "六天"]


def _synthetic_records() -> list[dict]:
    recs = []
    for i, who in enumerate(_PATIENTS):
        for j, days in enumerate(_DAYS):
            text = f"{who}咳嗽{days}，给予阿莫西林口服，查血常规。"
            a = len(who)
            b = a + 2 + len(days) + 3
            recs.append({"text": text, "entities": [
                {"start": a, "end": a + 2, "type": "symptom"},
                {"start": b, "end": b + 4, "type": "drug"},
                {"start": b + 8, "end": b + 11, "type": "lab"}]})
            text2 = f"{who}发热{days}伴腹泻，双肺可闻及湿啰音。"
            a2 = len(who)
            c = a2 + 2 + len(days) + 1
            d = c + 3
            recs.append({"text": text2, "entities": [
                {"start": a2, "end": a2 + 2, "type": "symptom"}, {"start": c, "end": c + 2, "type": "symptom"},
                {"start": d, "end": d + 2, "type": "body_part"}, {"start": d, "end": d + 7, "type": "symptom"}]})
            if (i + j) % 2:
                recs.append({"text": f"{who}{days}前行胸部CT检查。", "entities": [
                    {"start": len(who) + len(days) + 2, "end": len(who) + len(days) + 8, "type": "procedure"}]})
    return recs


@pytest.fixture(scope="module")
def rules() -> Extractor:
    return Extractor.build(get_kb())


def test_layouts_read_into_our_types(tmp_path: Path) -> None:
    cmeee = tmp_path / "c.json"
    cmeee.write_text(json.dumps([{"text": "血红蛋白降低见于贫血。", "entities": [
        {"start_idx": 0, "end_idx": 3, "type": "ite", "entity": "血红蛋白"},
        {"start_idx": 8, "end_idx": 9, "type": "dis", "entity": "贫血"}]}], ensure_ascii=False), encoding="utf-8")
    lay, recs = read_ner(cmeee)
    assert lay == "cmeee" and recs[0].spans == (Span(0, 4, "lab"), Span(8, 10, "disease"))
    bio = tmp_path / "i.jsonl"
    bio.write_text(json.dumps({"text": "吃了退烧药还烧", "bio": ["O", "O", "B-Drug_Category", "I-Drug_Category",
                                                            "I-Drug_Category", "O", "B-Symptom"]},
                              ensure_ascii=False) + "\n", encoding="utf-8")
    lay, recs = read_ner(bio)
    assert lay == "imcs-bio" and recs[0].spans == (Span(2, 5, "drug_category"), Span(6, 7, "symptom"))
    csv = tmp_path / "own.csv"
    csv.write_text('text,entities\n后脑勺疼,"[{""start"": 0, ""end"": 3, ""type"": ""body_part""}]"\n', encoding="utf-8")
    assert read_ner(csv)[1][0].spans == (Span(0, 3, "body_part"),)


@pytest.mark.parametrize(("content", "name", "message"), [
    ('{"text": "咳嗽", "bio": ["B-Symptom"]}\n', "a.jsonl", r"a\.jsonl:1: 1 BIO labels for a text of 2"),
    ('{"text": "咳嗽", "entities": [{"start": 0, "end": 9, "type": "symptom"}]}\n', "b.jsonl", r"b\.jsonl:1: span"),
    ('{"text": "咳嗽", "entities": [{"start": 0, "end": 2, "type": "organ"}]}\n', "c.jsonl", "unknown entity type 'organ'"),
    ('[{"text": "咳嗽", "entities": [{"start_idx": 0, "end_idx": 1, "type": "sym", "entity": "发热"}]}]', "d.json",
     r"d\.json: record 1: entity '发热'"),
    ("no,header\n1,2\n", "e.csv", "columns text and entities"),
])
def test_bad_data_names_file_and_record(tmp_path: Path, content: str, name: str, message: str) -> None:
    f = tmp_path / name
    f.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_ner(f)


def test_export_mappings_follow_the_standards() -> None:
    cm, im = EXPORT["cmeee"], EXPORT["imcs"]
    assert cm["lab"] == "ite" and cm["exam"] == "pro" and cm["procedure"] == "pro" and cm["body_part"] == "bod"
    assert set(cm.values()) == {"dis", "sym", "pro", "equ", "dru", "ite", "bod", "dep", "mic"}
    assert im["disease"] == "Symptom" and im["lab"] == "Medical_Examination" and im["drug_category"] == "Drug_Category"
    assert set(im.values()) == {"Symptom", "Drug", "Drug_Category", "Medical_Examination", "Operation"}


def test_new_types_from_lexicons(rules: Extractor) -> None:
    got = {(e.text, e.type) for e in rules.extract("孩子咳了三天，吃了妈咪爱和消炎药，金黄色葡萄球菌阳性，请心内科会诊，双下肢无力")}
    assert {("咳", "symptom"), ("妈咪爱", "drug"), ("消炎药", "drug_category"), ("金黄色葡萄球菌", "microorganism"),
            ("心内科", "department")} <= got
    assert ("吐", "symptom") not in {(e.text, e.type) for e in rules.extract("吐痰")}  # 吐痰 is not vomiting


def test_labels_and_decoding_round_trip() -> None:
    spans = [Span(0, 4, "symptom"), Span(0, 2, "body_part"), Span(5, 6, "drug")]
    for bioes in (False, True):
        labs = layer_labels(6, spans, frozenset({"symptom", "drug"}), bioes)
        assert decode(labs) == [(0, 4, "symptom"), (5, 6, "drug")]
        assert decode(layer_labels(6, spans, frozenset({"body_part"}), bioes)) == [(0, 2, "body_part")]


def test_train_activate_and_answer_with_the_model(tmp_path: Path, rules: Extractor) -> None:
    data = tmp_path / "train.jsonl"
    data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in _synthetic_records()) + "\n", encoding="utf-8")
    out = run_training("extractor", data, data_dir=tmp_path, max_iterations=40)
    ref = active_model("extractor", tmp_path)
    assert ref is not None and ref.version == out.model.version
    assert ref.card.data.layout == "jsonl" and ref.card.data.held_back > 0
    assert (ref.path / "model.json").is_file() and (ref.path / "card.md").is_file()
    assert out.metrics["f1"] > 0.9  # the synthetic shapes are regular: the held-back part must be near perfect
    meta = json.loads((ref.path / "model.json").read_text(encoding="utf-8"))
    # the type the data nests others in (symptom holds body_part) gets its own layer; the rest share a flat one
    assert [sorted(x["types"]) for x in meta["layers"]] == [["symptom"], ["body_part", "drug", "lab", "procedure"]]
    assert meta["bioes"] is False  # BIO unless asked (`--param bioes=true`)
    model = ExtractorModel.load(ref.path, ref.version)
    assert (ref.path / "layer-0.npz").is_file()  # the compiled tables ship beside the crfsuite files
    ext = rules.with_model(model)
    # the compiled decoder answers exactly as crfsuite does over the attribute strings, on unseen text too
    for r in [*_synthetic_records()[:20], {"text": "老人咳嗽发热两天，胸部CT示双肺炎症，予头孢曲松抗感染。"}]:
        t = fold(r["text"])
        men = rules.mentions(r["text"], t)
        assert model.spans(t, men) == model.spans(t, men, reference=True)
    assert ext.mode == f"model {ref.version}" and rules.mode == "rules"
    text = "病童咳嗽八天，给予阿莫西林口服，查血常规。"  # a filler the model never saw
    ents = ext.extract(text)
    assert ("咳嗽", "symptom") in {(e.text, e.type) for e in ents}
    drug = next(e for e in ents if e.text == "阿莫西林")
    assert drug.type == "drug" and drug.id is not None  # code/id from the dictionary mention at the same span
    neg = ext.extract("病童无发热，双肺可闻及湿啰音。")
    assert next(e for e in neg if e.text == "发热").negated  # ConText still runs in model mode
    assert any(e.type == "body_part" and e.text == "双肺" for e in neg)  # nested inside the symptom span


def test_train_cli_bad_data_is_one_line_exit_2(tmp_path: Path) -> None:
    from yizhu.learn.cli import train_cmd

    app = typer.Typer()
    app.command("train")(train_cmd)
    app.command("other")(lambda: None)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "咳嗽", "entities": []}\n{"text": "发热", "entities": [{"start": 0}]}\n', encoding="utf-8")
    r = CliRunner().invoke(app, ["train", "extractor", "--data", str(bad), "--out", str(tmp_path / "m")])
    assert r.exit_code == 2
    lines = [ln for ln in r.stderr.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and "bad.jsonl:2" in lines[0] and "start, end" in lines[0]


@pytest.mark.skipif(not CMEEE.is_file(), reason="public CMeEE data not present (../shared/data/cblue)")
def test_trains_on_a_small_real_slice(tmp_path: Path) -> None:
    trainer = ExtractorTrainer(max_iterations=40, c1=0.0)
    td = trainer.load(CMEEE)
    train = [r for r in td.records if split_of(r.text) == "train"]
    fitted = trainer.fit(train[:150], data_dir=tmp_path, seed=0, progress=lambda _m: None)
    m = trainer.evaluate(fitted, train[150:250], data_dir=tmp_path)
    # 150 sentences are far too few for a good model (the figures on the full train part are in the docs);
    # this checks the real layout trains end to end and finds something of each common type
    assert m["f1"] > 0.06 and m["precision"] > 0.1 and "f1_body_part" in m and "f1_lab" in m


def test_an_old_model_falls_back_to_rules_and_says_why(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from yizhu.knowledge.terminology import terminology
    from yizhu.learn.store import DataInfo, ModelCard, models_root, write_model

    card = ModelCard(kind="extractor", version="20260101T000000Z-old1", created=datetime.now(UTC), yizhu_version="t",
                     method="m", data=DataInfo(file="f", sha256="0" * 64, layout="jsonl", records=2, train=1,
                                               held_back=1, split="s"))

    def files(d: Path) -> list[str]:
        (d / "model.json").write_text(json.dumps({"feature_version": 1, "layers": [], "covers": []}), encoding="utf-8")
        return ["model.json"]

    write_model("extractor", card, files, models_root(tmp_path))
    ex = terminology(tmp_path).extractor
    assert ex.model is None and ex.mode.startswith("rules (trained model not used:") and "v1" in ex.mode
    assert [e.text for e in ex.extract("无发热，咳嗽")] == ["发热", "咳嗽"]  # still answers


def test_memory_features_cross_fitted_saved_and_decoded_exactly(tmp_path: Path, rules: Extractor) -> None:
    """``memory=true``: surfaces of the training data as features, each fold's from the other folds; the model keeps
    the memory of all of it (aggregates only), and its compiled decoder still answers as crfsuite does."""
    data = tmp_path / "train.jsonl"
    data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in _synthetic_records()) + "\n", encoding="utf-8")
    out = run_training("extractor", data, data_dir=tmp_path, max_iterations=40, memory=True, clause=True,
                       cross_fit=3, o_bias="0,0.5")
    ref = active_model("extractor", tmp_path)
    assert ref is not None and out.metrics["f1"] > 0.8  # the plumbing is tested here; accuracy on real data in the docs
    meta = json.loads((ref.path / "model.json").read_text(encoding="utf-8"))
    assert meta["memory"] == "memory.json" and meta["clause"] is True and meta["o_bias"] == [0.0, 0.5]
    agg = json.loads((ref.path / "memory.json").read_text(encoding="utf-8"))
    # aggregates with counts: surface → [majority type, times annotated, times seen]; no sentence is kept
    assert agg["阿莫西林"][0] == "drug" and agg["阿莫西林"][1] == agg["阿莫西林"][2] > 2
    assert all(len(k) < 12 for k in agg)
    model = ExtractorModel.load(ref.path, ref.version)
    assert model.memory is not None and model.use_clause and model.o_bias == (0.0, 0.5)
    rules.with_model(model)  # attaches the dictionary's matcher
    model.o_bias = ()  # crfsuite decodes the weights as trained: compare without the bias
    assert ("mh:drug" in {v for _, _, v in model.memory("给予阿莫西林口服")})
    for r in [*_synthetic_records()[:10], {"text": "老人咳嗽发热两天，胸部CT示双肺炎症，予阿莫西林抗感染。"}]:
        t = fold(r["text"])
        men = rules.mentions(r["text"], t)
        assert model.spans(t, men) == model.spans(t, men, reference=True)


def test_memory_buckets_follow_how_reliably_a_surface_is_annotated() -> None:
    from yizhu.knowledge.terminology.extract_model import Memory
    from yizhu.knowledge.terminology.ner_data import NerRecord

    recs = [NerRecord("咳嗽三天", (Span(0, 2, "symptom"),)), NerRecord("咳嗽两天", (Span(0, 2, "symptom"),)),
            NerRecord("手术后咳嗽", (Span(0, 2, "procedure"),)), NerRecord("手术前", ()), NerRecord("术前手术", ()),
            NerRecord("手术史", ())]
    mem, agg = Memory.learn(recs)
    assert agg["咳嗽"] == ["symptom", 2, 3] and mem.items["咳嗽"] == "mh:symptom"  # 2 of 3 places
    assert agg["手术"] == ["procedure", 1, 4] and mem.items["手术"] == "ml1:procedure"  # once, 1 of 4 places
    assert Memory.from_aggregates(agg).items == mem.items  # what a saved model reads back


def test_cross_fitting_folds_are_stable_and_balanced() -> None:
    from yizhu.knowledge.terminology.extract_model import cross_fold

    folds = [cross_fold(f"句子{i}", 5) for i in range(1000)]
    assert folds == [cross_fold(f"句子{i}", 5) for i in range(1000)]  # a hash of the text, not an order
    assert all(150 < folds.count(f) < 250 for f in range(5))


def test_clause_codes_place_each_character_between_clause_marks() -> None:
    import numpy as np

    from yizhu.knowledge.terminology.crf_compiled import clause_codes

    t = "发热,咳嗽3天。无"  # folded text: the comma is already half-width
    got = clause_codes(np.frombuffer(t.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)).tolist()
    # 发: 1 back to the start, 2 on to the comma → 0·5 + 1; punctuation → 25; 无: 1 and 1 → 0
    assert got == [1, 5, 25, 3, 7, 11, 15, 25, 0]


def test_o_bias_is_checked_and_shifts_decoding_towards_entities() -> None:
    import numpy as np

    from yizhu.knowledge.terminology.crf_compiled import CompiledLayer

    with pytest.raises(InputError, match="o_bias"):
        ExtractorTrainer(o_bias="a lot")
    layer = CompiledLayer.from_weights(["O", "B-drug", "I-drug"], {("B-drug", "I-drug"): 1.0}, {})
    model = ExtractorModel("t", [(frozenset({"drug"}), layer)], frozenset({"drug"}))
    em = np.array([[1.0, 0.4, 0.0], [1.0, 0.0, 0.3], [1.0, 0.0, 0.0]])
    assert model.decode_scores(em) == []  # O wins everywhere as trained
    assert model.decode_scores(em, (1.0,)) == [(0, 2, "drug")]  # O's score lowered by 1 at every character
