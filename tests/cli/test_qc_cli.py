"""``yizhu qc`` as a QC officer runs it: one note, a directory of admissions, rules, reports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.cli.test_cli import yizhu
from yizhu.evaluation.qc_cases import generate

GOLDEN_NOTE = Path(__file__).parents[1] / "clinical" / "qc" / "golden" / "admission_defects.txt"


def _write_admissions(root: Path, n: int = 3) -> None:
    cases = [c for c in generate(seed=3, n_base=n) if c.defect is None][:n]
    for c in cases:
        d = root / c.id
        d.mkdir(parents=True)
        for doc in c.ctx.documents:
            (d / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")


def test_single_note_json_contract(tmp_path: Path) -> None:
    r = yizhu(tmp_path, "qc", str(GOLDEN_NOTE), "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert {"document", "doc_type", "score", "grade", "findings"} <= set(out)
    assert out["doc_type"] == "入院记录" and out["grade"] in {"甲", "乙", "丙"}
    text = GOLDEN_NOTE.read_text(encoding="utf-8")
    for f in out["findings"]:
        assert {"rule_id", "severity", "category", "message", "section", "start", "end", "source"} <= set(f)
        if f["start"] is not None:
            assert 0 <= f["start"] <= f["end"] <= len(text)


def test_directory_batch_skips_bad_files_and_resumes(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    _write_admissions(notes)
    shutil.copy(GOLDEN_NOTE, notes / "loose.txt")
    (notes / "broken.txt").write_bytes(b"\xff\xfe\x00\xd8 not text \x81\x82")
    out_dir = tmp_path / "report"
    r = yizhu(tmp_path, "qc", str(notes), "--format", "json", "--out", str(out_dir))
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert len(rows) == 4
    assert "broken.txt" in r.stderr
    assert {row["grade"] for row in rows} <= {"甲", "乙", "丙"}
    assert (out_dir / "report.html").read_text(encoding="utf-8").count("<svg") >= 2
    assert (out_dir / "results.csv").exists() and (out_dir / "summary.json").exists()
    lines = (out_dir / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4
    again = yizhu(tmp_path, "qc", str(notes), "--format", "json", "--out", str(out_dir))
    assert again.returncode == 0
    assert json.loads(again.stdout) == rows
    assert len((out_dir / "results.jsonl").read_text(encoding="utf-8").splitlines()) == 4  # nothing redone


def test_rules_list_shows_sources(tmp_path: Path) -> None:
    r = yizhu(tmp_path, "qc", "rules", "list")
    assert r.returncode == 0
    assert "qc.admission.allergy_history.v1" in r.stdout.replace("\n", "") or "allergy" in r.stdout


def test_missing_path_is_exit_2(tmp_path: Path) -> None:
    r = yizhu(tmp_path, "qc", "no-such-dir")
    assert r.returncode == 2 and "no such file" in r.stderr


def test_html_to_stdout(tmp_path: Path) -> None:
    r = yizhu(tmp_path, "qc", str(GOLDEN_NOTE), "--format", "html")
    assert r.returncode == 0 and r.stdout.startswith("<!doctype html>")
