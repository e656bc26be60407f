"""``yizhu triage``: one text or a JSONL batch; JSON contract; bad input is one line on stderr, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from yizhu.cli.main import app

runner = CliRunner()


def test_one_text_json_contract() -> None:
    r = runner.invoke(app, ["triage", "我胸口疼，出了一身冷汗", "--format", "json", "--no-model"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["urgency"] == "emergency" and out["departments"][0]["name"] == "急诊科"
    assert {"name", "score", "reasons"} == set(out["departments"][0]) and out["red_flags"][0]["id"] == "rf:acs"


def test_text_output_tells_the_patient_what_to_do() -> None:
    r = runner.invoke(app, ["triage", "不想活了", "--no-model"])
    assert r.exit_code == 0 and "120" in r.stdout and "急诊" in r.stdout


def test_batch_file_one_result_per_line(tmp_path: Path) -> None:
    p = tmp_path / "b.jsonl"
    p.write_text('{"id": "a", "text": "牙疼"}\n\n{"id": "b", "text": "咳嗽", "age": 3}\n', encoding="utf-8")
    r = runner.invoke(app, ["triage", "--file", str(p), "--format", "json", "--no-model",
                            "--departments", "口腔科,儿科,内科,急诊科"])
    assert r.exit_code == 0, r.output
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert [(x["id"], x["departments"][0]["name"]) for x in rows] == [("a", "口腔科"), ("b", "儿科")]


def test_bad_input_exits_2_with_one_line(tmp_path: Path) -> None:
    assert runner.invoke(app, ["triage"]).exit_code == 2
    assert runner.invoke(app, ["triage", "咳嗽", "--sex", "x"]).exit_code == 2
    p = tmp_path / "b.jsonl"
    p.write_text('{"id": 1}\n', encoding="utf-8")
    r = runner.invoke(app, ["triage", "--file", str(p)])
    assert r.exit_code == 2 and "b.jsonl:1" in r.output
    r = runner.invoke(app, ["triage", "--file", str(tmp_path / "missing.jsonl")])
    assert r.exit_code == 2 and "no such file" in r.output
