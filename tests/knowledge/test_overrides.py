"""Specification of hospital overrides: local decisions on top of the shipped packs, never editing them."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from yizhu.clinical.rx import RxReviewTask, load_payload
from yizhu.config import get_settings, load_settings
from yizhu.errors import ConfigError
from yizhu.knowledge.packs import BUILTIN_PACKS_DIR, KnowledgeBase, get_kb

METFORMIN_EGFR45 = """\
- id: metformin-egfr45
  action: change
  target: drug:metformin
  set:
    renal:
    - {measure: eGFR, below: 45, action: contraindicated, note: 本院：eGFR<45 停用二甲双胍}
  reason: 本院药事会决定 eGFR<45 停用
  source: 本院药事管理与药物治疗学委员会 2026年第3次会议纪要 (2026)
  review: {status: reviewed, reviewed_by: 王药师, reviewed_on: 2026-03-01}
"""

LOCAL_DRUG = """\
- id: add-local-syrup
  action: add
  item:
    id: drug:local_cough_syrup
    name: 本院止咳合剂
    synonyms: [止咳合剂]
    routes: [po]
    is_tcm: true
  reason: 本院制剂
  source: 本院制剂批准文号及质量标准 (2024)
  review: {status: unreviewed}
- id: quiet-omeprazole-diazepam
  action: disable
  target: ddi:omeprazole+diazepam
  reason: 临床意义小，本院不提示
  source: 本院药事会 2026年第3次会议纪要 (2026)
  review: {status: reviewed, reviewed_by: 李药师, reviewed_on: 2026-03-02}
"""


def _folder(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "overrides"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def shipped() -> KnowledgeBase:
    return KnowledgeBase.load()


def test_a_change_replaces_the_field_and_records_the_override_in_the_source(tmp_path: Path,
                                                                            shipped: KnowledgeBase) -> None:
    kb = KnowledgeBase.load(overrides=_folder(tmp_path, renal=METFORMIN_EGFR45))
    before, after = shipped.get("drug:metformin"), kb.get("drug:metformin")
    assert [(r.below, r.action) for r in after.renal] == [(45, "contraindicated")]
    assert after.doses == before.doses and after.name == before.name  # the rest is the shipped item
    assert after.source.startswith("本院覆盖 metformin-egfr45（renal）：本院药事管理与药物治疗学委员会")
    assert after.source.endswith("原出处：" + before.source)
    applied = kb.override_for("drug:metformin")
    assert applied and applied.original == before and applied.fields == ["renal"]
    assert applied.entry.override.review.reviewed_by == "王药师"
    assert kb.override_for("drug:aspirin") is None
    assert shipped.get("drug:metformin") == before  # the shipped pack is untouched
    assert [i.id for i in kb.pack("drug")] == [i.id for i in shipped.pack("drug")]  # same place


def test_add_and_disable(tmp_path: Path, shipped: KnowledgeBase) -> None:
    assert "ddi:omeprazole+diazepam" in shipped.pack("interaction")
    kb = KnowledgeBase.load(overrides=_folder(tmp_path, local=LOCAL_DRUG))
    added = kb.resolve("止咳合剂", "drug")
    assert added is not None and added.id == "drug:local_cough_syrup"
    assert added.source == "本院新增 add-local-syrup：本院制剂批准文号及质量标准 (2024)"
    assert kb.pack("drug").items[-1] is added
    assert "ddi:omeprazole+diazepam" not in kb.pack("interaction")
    assert len(kb.pack("interaction")) == len(shipped.pack("interaction")) - 1
    assert [a.entry.override.action for a in kb.overrides] == ["add", "disable"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (METFORMIN_EGFR45.replace("drug:metformin", "drug:no_such_drug"), "target 'drug:no_such_drug' is not in"),
        (METFORMIN_EGFR45.replace("    renal:", "    id: drug:x\n    renal:"), "may not change"),
        (METFORMIN_EGFR45.replace("below: 45", "below: -45"), "renal.0.below"),
        (METFORMIN_EGFR45.replace("    renal:", "    renl:\n    renal:"), "renl"),
        (METFORMIN_EGFR45.replace("  review: {status: reviewed, reviewed_by: 王药师, reviewed_on: 2026-03-01}\n",
                                  ""), "review"),
        (METFORMIN_EGFR45.replace("reviewed_by: 王药师, ", ""), "reviewed_by"),
        (METFORMIN_EGFR45.replace("  source: 本院药事管理与药物治疗学委员会 2026年第3次会议纪要 (2026)\n", ""), "source"),
        (LOCAL_DRUG.replace("drug:local_cough_syrup", "drug:metformin"), "already exists"),
        (METFORMIN_EGFR45 + METFORMIN_EGFR45, "duplicate id"),
    ],
)
def test_an_override_that_does_not_fit_fails_naming_file_line_and_id(tmp_path: Path, text: str,
                                                                     message: str) -> None:
    folder = _folder(tmp_path, local=text)
    with pytest.raises(ConfigError, match=message) as err:
        KnowledgeBase.load(overrides=folder)
    assert str(err.value).startswith(f"{folder / 'local.yaml'}:")
    assert "override '" in str(err.value)


def test_the_overrides_folder_comes_from_the_settings(tmp_path: Path) -> None:
    assert load_settings(data_dir=tmp_path).knowledge_overrides_dir() is None  # none: nothing applies
    (tmp_path / "knowledge" / "overrides").mkdir(parents=True)
    assert load_settings(data_dir=tmp_path).knowledge_overrides_dir() == tmp_path / "knowledge" / "overrides"
    assert load_settings(knowledge_overrides=tmp_path / "x").knowledge_overrides_dir() == tmp_path / "x"


# ---- end to end: an override changes a renal threshold, and the Rx review result with it


@pytest.fixture
def hospital_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The process configured (YIZHU_KNOWLEDGE_OVERRIDES) with the metformin override; reset afterwards."""
    folder = _folder(tmp_path, renal=METFORMIN_EGFR45)
    monkeypatch.setenv("YIZHU_KNOWLEDGE_OVERRIDES", str(folder))
    get_settings.cache_clear()
    get_kb.cache_clear()
    yield folder
    monkeypatch.delenv("YIZHU_KNOWLEDGE_OVERRIDES")
    get_settings.cache_clear()
    get_kb.cache_clear()


ORDER = {
    "synthetic": True,
    "setting": "outpatient",
    "patient": {"sex": "female", "age_years": 66, "weight_kg": 60, "diagnoses": ["2型糖尿病"],
                "labs": {"egfr": 40}, "prescriber_level": "主治医师"},
    "orders": [{"drug": "盐酸二甲双胍片", "dose": 0.5, "unit": "g", "route": "口服", "frequency": "bid",
                "days": 30, "status": "draft"}],
}


def _renal(output: dict) -> list[dict]:
    return [a for a in output["alerts"] if a["type"] == "renal"]


def _cli_review(tmp_path: Path) -> dict:
    from typer.testing import CliRunner

    from yizhu.cli.main import app

    doc = tmp_path / "order.json"
    doc.write_text(json.dumps(ORDER, ensure_ascii=False), encoding="utf-8")
    r = CliRunner().invoke(app, ["rx", "review", str(doc), "--format", "json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_without_override_egfr40_on_metformin_is_a_dose_reminder(tmp_path: Path) -> None:
    get_kb.cache_clear()
    renal = _renal(_cli_review(tmp_path))
    # the shipped eGFR 30-44 rule caps metformin at 1000 mg/d; 0.5 g bid respects it, so only a monitoring reminder
    assert len(renal) == 1 and renal[0]["severity"] == "minor"
    assert "本院覆盖" not in renal[0]["source"]


def test_with_override_the_review_blocks_metformin_and_cites_the_override(tmp_path: Path,
                                                                          hospital_overrides: Path) -> None:
    renal = _renal(_cli_review(tmp_path))
    assert len(renal) == 1 and renal[0]["severity"] == "contraindicated"
    assert "本院覆盖 metformin-egfr45" in renal[0]["source"]
    # The task result (what the audit log stores): finding source and citation name the override.
    result = RxReviewTask().run(load_payload(ORDER))
    finding = next(f for f in result.findings if f.rule_id == "rx.renal.function.v1")
    assert finding.severity == "contraindicated"  # without the override: moderate (reduce_dose at eGFR<45)
    assert "本院覆盖 metformin-egfr45" in finding.source
    cite = next(c for c in result.citations if c.id == "drug:metformin")
    assert "本院覆盖 metformin-egfr45" in cite.source
    assert BUILTIN_PACKS_DIR.joinpath("drugs.jsonl").read_text(encoding="utf-8").count("本院覆盖") == 0
