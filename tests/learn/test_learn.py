"""The shared small-model pattern: hash split, versioned model directories with cards, ``yizhu train``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.knowledge.coding_fixtures import write_cdn, write_icd
from yizhu.errors import ConfigError, InputError
from yizhu.knowledge.importers import import_icd
from yizhu.learn import active_model, get_trainer, list_models, run_training, split_of
from yizhu.learn.split import split_records
from yizhu.learn.store import DataInfo, ModelCard, set_active, write_model


def test_split_is_deterministic_and_keeps_duplicates_together() -> None:
    texts = [f"诊断{i}" for i in range(2000)]
    sides = [split_of(t) for t in texts]
    assert sides == [split_of(t) for t in texts]
    share = sides.count("test") / len(sides)
    assert 0.17 < share < 0.23
    train, test = split_records(texts + texts[:50], lambda t: t)
    assert not set(train) & set(test)
    assert split_of("高血压") == "train"  # pinned: the definition must never drift


def _card(version: str) -> ModelCard:
    return ModelCard(kind="demo", version=version, created=datetime.now(UTC), yizhu_version="t", method="m",
                     data=DataInfo(file="f", sha256="0" * 64, layout="x", records=2, train=1, held_back=1, split="s"))


def test_store_versions_cards_and_the_active_pointer(tmp_path: Path) -> None:
    root = tmp_path / "models"
    write_model("demo", _card("20260101T000000Z-aaaa"), lambda d: [(d / "w.txt").write_text("1") and "w.txt"], root)
    write_model("demo", _card("20260102T000000Z-bbbb"), lambda d: [], root)
    refs = list_models(tmp_path)
    assert [r.version for r in refs] == ["20260102T000000Z-bbbb", "20260101T000000Z-aaaa"]
    assert [r.active for r in refs] == [True, False]
    assert (refs[1].path / "card.md").read_text(encoding="utf-8").startswith("# demo model")
    assert refs[1].card.files == ["w.txt"]
    set_active("demo", "20260101T000000Z-aaaa", root)
    ref = active_model("demo", tmp_path)
    assert ref is not None and ref.version == "20260101T000000Z-aaaa"


def test_a_failed_write_leaves_nothing_active(tmp_path: Path) -> None:
    def boom(_d: Path) -> list[str]:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_model("demo", _card("20260101T000000Z-cccc"), boom, tmp_path / "models")
    assert active_model("demo", tmp_path) is None
    assert list_models(tmp_path) == []


def test_unknown_kind_names_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="normaliser"):
        get_trainer("nonsense")


def test_bad_data_names_the_file_and_record(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"text": "高血压", "normalized_result": "高血压"}, {"text": ""}]), encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.json: record 2: missing or empty 'text'"):
        run_training("normaliser", bad, data_dir=tmp_path)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    d = tmp_path_factory.mktemp("train")
    import_icd(write_icd(d / "icd.tsv"), data_dir=d)
    data = write_cdn(d / "synthetic_cdn.json", n=220)
    out = run_training("normaliser", data, data_dir=d, folds=3, rounds=40, num_threads=1)
    return d, out


def test_training_writes_a_model_with_card_and_held_back_metrics(trained: tuple[Path, object]) -> None:
    d, out = trained
    ref = active_model("normaliser", d)
    assert ref is not None and ref.version == out.model.version  # type: ignore[attr-defined]
    card = ref.card
    assert card.data.train + card.data.held_back == card.data.records
    assert {"micro_f1", "precision", "recall", "rules_micro_f1"} <= set(card.metrics)
    assert card.hyper_parameters["rounds"] == 40 and "t_keep" in card.hyper_parameters
    assert (ref.path / "normaliser.json.gz").is_file()


def test_the_active_model_is_used_and_learns_the_hospital_shorthand(trained: tuple[Path, object]) -> None:
    from yizhu.knowledge.terminology import Terminology

    d, out = trained
    t = Terminology(d)
    r = t.coder.code("糖友病")
    assert r.mode == "model"
    assert r.names == ["2型糖尿病"]
    assert out.metrics["micro_f1"] >= out.metrics["rules_micro_f1"]  # type: ignore[attr-defined]


def test_cli_train_and_models_list(tmp_path: Path) -> None:
    from tests.cli.test_cli import yizhu

    import_icd(write_icd(tmp_path / "icd.tsv"), data_dir=tmp_path / "var")
    data = write_cdn(tmp_path / "syn.json", n=120)
    r = yizhu(tmp_path, "train", "normaliser", "--data", str(data), "--format", "json", "--param", "rounds=30",
              "--param", "folds=2")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["active"] and 0.0 <= out["metrics"]["micro_f1"] <= 1.0
    r = yizhu(tmp_path, "models", "list", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert out["version"] in r.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("words\nx\n", encoding="utf-8")
    r = yizhu(tmp_path, "train", "normaliser", "--data", str(bad))
    assert r.returncode == 2 and "bad.csv" in r.stderr and len(r.stderr.strip().splitlines()) == 1
