"""``yizhu eval`` as a user runs it: list, run (offline, seconds), report, compare as a release gate."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yizhu.evaluation.cli import app
from yizhu.evaluation.dataset import DATA_DIR

runner = CliRunner()


def eval_cmd(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "YIZHU_DATA_DIR": str(tmp_path / "var"), "NO_COLOR": "1", "COLUMNS": "200"}
    env.pop("YIZHU_CONFIG", None)
    return subprocess.run([sys.executable, "-m", "yizhu.evaluation.cli", *args], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120)


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("YIZHU_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("YIZHU_CONFIG", raising=False)
    monkeypatch.setenv("COLUMNS", "200")


def test_run_qc_offline_on_the_shipped_data(tmp_path: Path) -> None:
    r = eval_cmd(tmp_path, "run", "qc")
    assert r.returncode == 0, r.stderr
    assert "precision" in r.stdout and "recall" in r.stdout
    (run_dir,) = (tmp_path / "var" / "eval").iterdir()
    assert f"report: {run_dir / 'report.html'}" in r.stderr
    assert {p.name for p in run_dir.iterdir()} >= {"run.json", "results.jsonl", "report.json", "report.html"}


@pytest.fixture
def no_triage(monkeypatch: pytest.MonkeyPatch) -> None:
    """A deployment without the triage engine: the suite must say so (the engine ships; this removes it)."""
    from yizhu.clinical import registry

    registry.list_tasks()
    monkeypatch.delitem(registry._registry, "triage", raising=False)


def test_list_shows_ready_and_missing_engines(no_triage: None) -> None:
    r = runner.invoke(app, ["list", "--json"])
    assert r.exit_code == 0, r.output
    rows = {row["name"]: row for row in json.loads(r.stdout)}
    assert rows["qc"]["unavailable"] is None
    assert rows["triage"]["unavailable"].startswith("engine not available")
    r = runner.invoke(app, ["list"])
    assert "qc" in r.stdout and "engine not available" in r.stdout


def test_engine_not_available_exits_3(tmp_path: Path, no_triage: None) -> None:
    r = runner.invoke(app, ["run", "triage", "--out", str(tmp_path / "t")])
    assert r.exit_code == 3
    assert "engine not available" in r.stderr


def test_triage_runs_on_the_shipped_engine(tmp_path: Path) -> None:
    r = runner.invoke(app, ["run", "triage", "--out", str(tmp_path / "t"), "--json"])
    assert r.exit_code == 0, r.output


def test_run_report_and_gate(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    data = str(DATA_DIR / "qc.example.jsonl")
    for out in (a, b):
        r = runner.invoke(app, ["run", "qc", "--data", data, "--out", str(out), "--json"])
        assert r.exit_code == 0, r.output
        assert json.loads(r.stdout)["status"] == "done"
    r = runner.invoke(app, ["compare", str(a), str(b)])
    assert r.exit_code == 0, r.output
    assert "no metric dropped" in r.stdout
    # simulate a regression: B's recall falls by 0.3
    report = json.loads((b / "report.json").read_text(encoding="utf-8"))
    report["models"][0]["summary"]["metrics"]["recall"]["value"] -= 0.3
    (b / "report.json").write_text(json.dumps(report), encoding="utf-8")
    r = runner.invoke(app, ["compare", str(a), str(b), "--max-drop", "0.02", "--json"])
    assert r.exit_code == 1
    verdict = json.loads(r.stdout)
    assert verdict["ok"] is False and any(d["metric"] == "recall" and d["regression"] for d in verdict["deltas"])
    r = runner.invoke(app, ["compare", str(a), str(b), "--metric", "precision"])
    assert r.exit_code == 0  # gating only precision
    r = runner.invoke(app, ["report", str(b)])  # recomputed from results.jsonl: the edit is gone
    assert r.exit_code == 0, r.output
    assert json.loads((b / "report.json").read_text(encoding="utf-8"))["models"][0]["summary"]["metrics"]["recall"][
        "value"] == report["models"][0]["summary"]["metrics"]["recall"]["value"] + 0.3


def test_run_can_write_its_docs_section(tmp_path: Path) -> None:
    doc = tmp_path / "evaluation.md"
    r = runner.invoke(app, ["run", "qc", "--data", str(DATA_DIR / "qc.example.jsonl"), "--docs", str(doc)])
    assert r.exit_code == 0, r.output
    text = doc.read_text(encoding="utf-8")
    assert "<!-- eval:qc:start -->" in text and "yizhu eval run qc --data" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "nope"], "unknown evaluation suite 'nope'; known suites:"),
        (["run", "exam", "--model", "gpt-x"], "unknown model 'gpt-x'"),
        (["run", "qc", "--data", "missing.jsonl"], "missing.jsonl: no such file"),
        (["report", "no-such-run"], "no run directory 'no-such-run'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str) -> None:
    r = runner.invoke(app, args)
    assert r.exit_code == 2, r.output
    assert message in r.stderr.replace("\n", "")


def test_data_lists_layouts_and_examples() -> None:
    r = runner.invoke(app, ["data"])
    assert r.exit_code == 0
    assert "healthbench" in r.stdout and "exam.cmb.sample.json" in r.stdout
