"""``yizhu note draft|verify`` (the Typer app the lead mounts as ``yizhu note``) and the edit distance."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yizhu.cli.note import app
from yizhu.value.edits import edit_stats, levenshtein

runner = CliRunner()
DATA = Path(__file__).parent / "data"


def test_draft_json_contract(tmp_path: Path) -> None:
    r = runner.invoke(app, ["draft", str(DATA / "visit_cough.txt"), "--type", "outpatient", "--no-llm",
                            "--no-audit", "--format", "json", "--out", str(tmp_path / "note.txt")])
    assert r.exit_code == 0, r.output
    body = json.loads(r.stdout)
    assert set(body) >= {"type", "sections", "findings", "model", "degraded"}
    s = body["sections"][0]
    assert set(s) >= {"name", "sentences"}
    sent = s["sentences"][0]
    assert set(sent) >= {"text", "provenance", "status"}
    assert set(sent["provenance"][0]) == {"kind", "source", "start", "end"}
    assert (tmp_path / "note.txt").read_text(encoding="utf-8").startswith("门诊病历")


def test_draft_audited_into_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YIZHU_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    from yizhu.config import get_settings

    get_settings.cache_clear()
    try:
        r = runner.invoke(app, ["draft", str(DATA / "visit_cough.txt"), "--type", "outpatient", "--no-llm",
                                "--format", "json"])
    finally:
        get_settings.cache_clear()
    assert r.exit_code == 0, r.output
    assert len(json.loads(r.stdout)["run_id"]) == 32


def test_verify_flags_and_exits_1(tmp_path: Path) -> None:
    draft = tmp_path / "vendor.txt"
    draft.write_text("门诊病历\n主诉：咳嗽3天。\n现病史：无发热。\n", encoding="utf-8")
    r = runner.invoke(app, ["verify", "--source", str(DATA / "visit_cough.txt"), "--draft", str(draft), "--format", "json"])
    assert r.exit_code == 1
    rows = json.loads(r.stdout)["sentences"]
    assert [(x["section"], x["status"]) for x in rows] == [("主诉", "supported"), ("现病史", "contradicted")]
    assert rows[1]["evidence"] and set(rows[1]) >= {"section", "text", "status", "evidence"}


def test_unknown_input_is_one_line_error() -> None:
    r = runner.invoke(app, ["draft", "no/such/file.txt", "--no-audit"])
    assert r.exit_code == 2 and "no such file" in r.output


@pytest.mark.parametrize(("a", "b", "d"), [("", "", 0), ("发热", "", 2), ("咳嗽3天", "咳嗽1周", 2),
                                           ("无发热。", "发热。", 1), ("abc", "abc", 0), ("kitten", "sitting", 3)])
def test_levenshtein(a: str, b: str, d: int) -> None:
    assert levenshtein(a, b) == d == levenshtein(b, a)


def test_edit_stats_on_a_long_note_is_fast() -> None:
    draft = "患者咳嗽三天，无发热。" * 400
    final = draft[:2000] + "伴胸痛。" + draft[2000:]
    stats = edit_stats(draft, final)
    assert stats["edit_distance"] == 4 and stats["draft_chars"] == 4400
