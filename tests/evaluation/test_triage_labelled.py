"""``yizhu eval run triage --data FILE`` on labelled questions (the layout ``yizhu train triage`` reads):
only the held-back side of the same hash split is evaluated, the department list is the file's labels, and
a GB18030 CSV reads as distributed. Synthetic questions written for this test; the real Toyhom file is
measured when it is on this machine (skipped otherwise)."""

from __future__ import annotations

from pathlib import Path

import pytest

from yizhu.config import Settings
from yizhu.evaluation.runner import run_suite
from yizhu.evaluation.suites import get_suite
from yizhu.learn.split import split_of

TOYHOM = Path("/work/shared/data/triage/toyhom_internal_medicine_part.csv")

QUESTIONS = [(f"{w}第{i}天了怎么办", d) for i in range(40) for w, d in
             (("胸闷心慌", "心血管科"), ("胃疼反酸", "消化科"), ("头痛头晕", "神经科"), ("乙肝大三阳", "肝病科"))]


def _csv(path: Path) -> Path:
    rows = ["department,title,ask"] + [f"{d},{t},合成问题" for t, d in QUESTIONS]
    path.write_bytes("\n".join(rows).encode("gb18030"))
    return path


def test_a_gb18030_csv_reads_as_its_held_back_side_only(tmp_path: Path) -> None:
    ds = get_suite("triage").dataset(_csv(tmp_path / "q.csv"))
    want = [t for t, _ in QUESTIONS if split_of(f"{t}，合成问题") == "test"]
    assert 0 < len(ds.cases) == len(want) < len(QUESTIONS)
    assert ds.format == "triage-labelled" and not ds.synthetic
    case = ds.cases[0]
    assert case.inputs["departments"] == sorted({d for _, d in QUESTIONS})
    assert case.expected["department"] in case.inputs["departments"]


def test_the_suite_scores_labelled_questions_with_the_engine(tmp_path: Path, settings: Settings) -> None:
    o = run_suite("triage", data=_csv(tmp_path / "q.csv"), out=tmp_path / "run", settings=settings)
    (m,) = o.report.models
    assert m.summary.metrics["accuracy"].value >= 0.9  # each question names its organ plainly
    assert "macro_f1" in m.summary.metrics and "top3" in m.summary.metrics


def test_a_jsonl_case_file_is_not_taken_for_labelled_questions(tmp_path: Path) -> None:
    p = tmp_path / "cases.jsonl"
    p.write_text('{"id": "a", "inputs": {"complaint": "胸痛"}, "expected": {"department": "急诊科"}}\n', encoding="utf-8")
    ds = get_suite("triage").dataset(p)
    assert ds.format == "yizhu"


@pytest.mark.skipif(not TOYHOM.is_file(), reason="the Toyhom triage data (/work/shared/data/triage) is not here")
def test_toyhom_real_questions_knowledge_only(tmp_path: Path, settings: Settings) -> None:
    o = run_suite("triage", data=TOYHOM, out=tmp_path / "run", settings=settings)
    (m,) = o.report.models
    assert len(o.report.models) == 1
    assert m.summary.metrics["accuracy"].value >= 0.90  # knowledge only (no trained model in a fresh data dir)
