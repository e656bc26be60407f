"""Golden outputs of diagnosis coding (``yizhu code --decide``): speed work must not change a decision.

The decided concepts (spans, names, codes, scores, alternatives) for a fixed list of synthetic strings
(合成) are compared with ``golden/coding_*.json``, in rules mode and with a small trained model. Set
``YIZHU_UPDATE_GOLDEN=1`` to rewrite the files after an intended change of behaviour.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.knowledge.coding_fixtures import synthetic_records, write_cdn, write_icd
from yizhu.knowledge.importers import import_icd
from yizhu.knowledge.terminology import Terminology, invalidate, kernels
from yizhu.knowledge.terminology.coding import DiagnosisCoder
from yizhu.learn import run_training

GOLDEN = Path(__file__).with_name("golden")

# synthetic strings (合成): compound, typo, tumour, qualifier, abbreviation, nothing-codable, full-width
STRINGS = [r["text"] for r in synthetic_records(60, seed=11)] + [
    "右肺腺癌术后化疗；高血压3级 冠心病", "冠心病伴房颤", "高血鸭", "2型糖尿病性肾病待查", "左乳腺癌术后",
    "直肠癌肝转移", "慢阻肺急性加重", "ＣＯＰＤ", "头晕头痛", "1.高血压3级 很高危 2.2型糖尿病 3.冠心病",
    "腔隙性脑梗塞", "陈旧性心梗", "骨质疏松症", "胆囊结石伴慢性胆囊炎", "心功能不全？", "体检", "糖友病",
    "肺部感染可能", "上感", "高脂血症病史", "", "   ", "abc",
]


def outputs(coder: DiagnosisCoder) -> list[dict[str, Any]]:
    one = [coder.code(s).to_dict() for s in STRINGS]
    coder._cache.clear()
    batch = [r.to_dict() for r in coder.code_many(STRINGS)]
    assert batch == one  # batches decide exactly as one string at a time
    return [{"text": s, **o} for s, o in zip(STRINGS, one, strict=True)]


def check(name: str, got: list[dict[str, Any]]) -> None:
    path = GOLDEN / name
    if os.environ.get("YIZHU_UPDATE_GOLDEN") == "1" or not path.is_file():
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    want = json.loads(path.read_text(encoding="utf-8"))
    for g, w in zip(got, want, strict=True):
        assert g == w, g["text"]


def test_rules_mode_decisions_are_unchanged(tmp_path: Path) -> None:
    import_icd(write_icd(tmp_path / "icd.tsv"), data_dir=tmp_path / "var")
    coder = Terminology(tmp_path / "var").coder
    assert coder.mode == "rules"
    check("coding_rules.json", outputs(DiagnosisCoder(coder.d, cache_size=0)))


@pytest.fixture(scope="module")
def trained_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("golden_train")
    import_icd(write_icd(d / "icd.tsv"), data_dir=d)
    run_training("normaliser", write_cdn(d / "synthetic_cdn.json", n=220), data_dir=d, folds=3, rounds=40,
                 num_threads=1)
    invalidate()
    return d


def test_model_mode_decisions_are_unchanged(trained_dir: Path) -> None:
    coder = Terminology(trained_dir).coder
    assert coder.mode == "model"
    coder.model.memory._memo.clear()
    got = outputs(DiagnosisCoder(coder.d, coder.model, cache_size=0))
    # model scores depend on float summation order in training; names, codes and spans are the contract
    slim = [{"text": g["text"], "concepts": [(c["start"], c["end"], c["code"], c["name"]) for c in g["concepts"]]}
            for g in got]
    check("coding_model.json", json.loads(json.dumps(slim)))


def _uncompiled(coder: DiagnosisCoder) -> DiagnosisCoder:
    """A coder over copies of the same tables with the compiled loops off (numpy query, LightGBM trees)."""
    import copy

    d = copy.copy(coder.d)
    d.index = copy.copy(d.index)
    d.index._topk = False
    model = None
    if coder.model is not None:
        model = copy.copy(coder.model)
        model.forest = None
        model.memory = copy.copy(model.memory)
        model.memory._memo = {}
        for name in ("index", "seg_index"):
            ix = copy.copy(getattr(model.memory, name))
            ix._topk = False
            setattr(model.memory, name, ix)
    return DiagnosisCoder(d, model, cache_size=0)


def test_the_compiled_loops_decide_exactly_as_their_numpy_and_lightgbm_twins(trained_dir: Path, tmp_path: Path) -> None:
    import_icd(write_icd(tmp_path / "icd.tsv"), data_dir=tmp_path / "var")
    for data_dir in (tmp_path / "var", trained_dir):
        coder = Terminology(data_dir).coder
        coder.code("高血压")
        if kernels.available():
            assert coder.d.index._topk and (coder.model is None or coder.model.forest is not None)
        if coder.model is not None:
            coder.model.memory._memo.clear()
        coder._cache.clear()
        fast = [coder.code(s).to_dict() for s in STRINGS]
        assert [_uncompiled(coder).code(s).to_dict() for s in STRINGS] == fast


def test_the_compiled_loops_build_the_same_feature_matrices_and_scores(trained_dir: Path) -> None:
    """Finer than the decisions: every candidate's feature row (dictionary and memory candidates, the
    memory's own columns) and every probability, byte for byte, compiled and with the compiled loops off."""
    from yizhu.knowledge.terminology.learned import features

    coder = Terminology(trained_dir).coder
    coder.model.memory._memo.clear()
    slow = _uncompiled(coder)
    fast = DiagnosisCoder(coder.d, coder.model, cache_size=0)
    n_new = 0
    for s in STRINGS:
        a, b = features(fast, fast.model.memory, s), features(slow, slow.model.memory, s)
        assert [c.entry for c in a[0].cands] == [c.entry for c in b[0].cands], s
        assert a[1].tobytes() == b[1].tobytes(), s
        n_new += sum(c.via == "learned" for c in a[0].cands)
        pa, pb = fast.ranked([s])[0][1], slow.ranked([s])[0][1]
        assert list(pa.items()) == list(pb.items()), s
    assert n_new > 0  # the memory proposed candidates of its own


def test_a_decision_does_not_depend_on_what_the_coder_saw_before(tmp_path: Path) -> None:
    """Candidate generation is kept per distinct segment (and fuzzy look-ups per query): a coder that met
    the segments earlier, in another order or inside other strings, decides each string exactly as a
    fresh coder does."""
    import_icd(write_icd(tmp_path / "icd.tsv"), data_dir=tmp_path / "var")
    d = Terminology(tmp_path / "var").coder.d
    fresh = [DiagnosisCoder(d, None, cache_size=0).code(s).to_dict() for s in STRINGS]
    warm = DiagnosisCoder(d, None, cache_size=0)
    warm.code_many(["；".join(STRINGS[i:i + 3]) for i in range(0, len(STRINGS), 3)])  # the segments, in other strings
    assert warm._plans
    assert [warm.code(s).to_dict() for s in reversed(STRINGS)][::-1] == fresh
