"""``yizhu triage``: one text or a JSONL batch; JSON contract; bad input is one line on stderr, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
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


def test_the_cli_reranks_with_a_routed_model_and_says_when_it_fell_back(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """yizhu.toml routes triage.rerank to the scripted loopback server: the order is the model's; --no-llm and a
    failing model give the knowledge order (the latter says degraded)."""
    from yizhu.config import get_settings
    from yizhu.llm.runtime import use_gateway
    from yizhu.llm.testing import FakeOpenAIServer, Script

    text = "头晕，耳鸣，血压有点高"
    with FakeOpenAIServer() as fake:
        fake.scripts["rr"] = Script(['say:{"order": [3, 2, 1]}', "500"])
        cfg = tmp_path / "yizhu.toml"
        cfg.write_text(f'[models.rr]\nbase_url = "{fake.base_url}"\nmodel = "rr"\nretries = 0\n\n'
                       '[routes]\n"triage.rerank" = ["rr"]\n', encoding="utf-8")
        monkeypatch.setenv("YIZHU_CONFIG", str(cfg))
        get_settings.cache_clear()
        use_gateway(None)
        try:
            args = ["triage", text, "--format", "json", "--no-model"]
            got = json.loads(runner.invoke(app, args).stdout)
            plain = json.loads(runner.invoke(app, [*args, "--no-llm"]).stdout)
            failed = json.loads(runner.invoke(app, args).stdout)
        finally:
            from yizhu.llm import runtime

            if runtime._installed is not None:
                runtime._installed.close()
            use_gateway(None)
            get_settings.cache_clear()
    names = [d["name"] for d in plain["departments"]]
    assert [d["name"] for d in got["departments"]] == names[::-1] and got["mode"].endswith("+llm:rr")
    assert plain["degraded"] == [] and len(fake.requests) == 2
    assert [d["name"] for d in failed["departments"]] == names and failed["degraded"][0].startswith("rerank:")
