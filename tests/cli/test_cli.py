"""The ``yizhu`` command as a user runs it: real processes, a temporary data directory."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

NOTE = """出院记录
【合成病历 / synthetic record — 非真实患者】
姓名：测试乙　性别：女　年龄：52岁　科别：呼吸内科　住院号：ZY-T-0002
入院日期：2026-04-01 10:00　出院日期：2026-04-08 09:00
入院情况：咳嗽、咳痰5天，发热1天。
入院诊断：社区获得性肺炎
诊疗经过：予头孢曲松抗感染，体温正常。
出院诊断：社区获得性肺炎
出院情况：无发热，咳嗽减轻。
"""


def yizhu(tmp_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "YIZHU_DATA_DIR": str(tmp_path / "var"), "NO_COLOR": "1", "COLUMNS": "200"}
    env.pop("YIZHU_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "yizhu.cli.main", *args],
        capture_output=True, text=True, env=env, cwd=tmp_path, input=stdin, timeout=120,
    )


@pytest.fixture
def note(tmp_path: Path) -> Path:
    p = tmp_path / "discharge.txt"
    p.write_text(NOTE, encoding="utf-8")
    return p


def test_doc_parse_json_contract(tmp_path: Path, note: Path) -> None:
    r = yizhu(tmp_path, "doc", "parse", str(note), "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out) == {"doc_type", "header", "sections"}
    assert out["doc_type"] == "出院记录"
    content = note.read_text(encoding="utf-8")
    assert [s["name"] for s in out["sections"]][:2] == ["入院情况", "入院诊断"]
    for s in out["sections"]:
        assert content[s["start"] : s["end"]] == s["text"]


def test_doc_parse_reads_stdin(tmp_path: Path) -> None:
    r = yizhu(tmp_path, "doc", "parse", "-", "--format", "json", stdin=NOTE)
    assert r.returncode == 0 and json.loads(r.stdout)["header"]["住院号"] == "ZY-T-0002"


@pytest.mark.parametrize(
    "args",
    [
        ("doc", "parse", "no-such-file.txt"),
        ("doc", "parse", "."),
        ("doc", "parse", "x.txt", "--format", "xml"),
        ("import", "no-such-file.json"),
        ("keys", "create", "--role", "superuser"),
        ("task", "run", "no.such.task", "-"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    r = yizhu(tmp_path, *args, stdin=NOTE)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    assert r.stderr.strip()


def test_unreadable_json_import_is_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"resourceType": "Bundle", "entry": [', encoding="utf-8")
    r = yizhu(tmp_path, "import", str(bad))
    assert r.returncode == 2
    assert "JSON" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.sqlite_only  # tampers with the file through sqlite3; tests/store does it on both
def test_import_run_and_audit_verify_detects_tampering(tmp_path: Path, note: Path) -> None:
    r = yizhu(tmp_path, "import", str(note))
    assert r.returncode == 0, r.stderr
    assert "出院医嘱" in r.stdout  # the structure check reports the missing section
    r = yizhu(tmp_path, "task", "run", "document.structure", str(note), "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["run_id"]
    ok = yizhu(tmp_path, "audit", "verify")
    assert ok.returncode == 0 and "intact" in ok.stdout
    db = sqlite3.connect(tmp_path / "var" / "yizhu.db")
    # Triggers refuse edits; someone with file access drops them first. The chain still tells.
    db.execute("DROP TRIGGER task_runs_append_only_update")
    db.execute("UPDATE task_runs SET actor = 'someone-else' WHERE seq = 1")
    db.commit()
    db.close()
    bad = yizhu(tmp_path, "audit", "verify")
    assert bad.returncode == 1
    assert "FAILED" in bad.stderr


def test_keys_create_prints_a_key_that_works(tmp_path: Path) -> None:
    r = yizhu(tmp_path, "keys", "create", "--role", "pharmacist", "--name", "药剂科")
    assert r.returncode == 0, r.stderr
    key = r.stdout.strip()
    assert key.startswith("yz_")
    import yizhu.store as store

    engine = store.init_db(f"sqlite:///{tmp_path / 'var' / 'yizhu.db'}")
    assert store.authenticate_api_key(engine, key) == ("药剂科", "pharmacist")


def test_every_command_has_help_with_an_example(tmp_path: Path) -> None:
    for cmd in (["init"], ["serve"], ["import"], ["doc", "parse"], ["audit", "verify"], ["keys", "create"], ["task", "run"]):
        r = yizhu(tmp_path, *cmd, "--help")
        assert r.returncode == 0, cmd
        assert "Example:" in r.stdout, cmd


@pytest.mark.sqlite_only  # tampers with the file through sqlite3; tests/store does it on both
def test_audit_head_anchor_and_verify_against_a_wipe(tmp_path: Path, note: Path) -> None:
    assert yizhu(tmp_path, "import", str(note)).returncode == 0
    head = yizhu(tmp_path, "audit", "head", "--format", "json")
    assert head.returncode == 0, head.stderr
    h = json.loads(head.stdout)
    assert h["seq"] == h["rows"] >= 1 and len(h["hash"]) == 64
    anchors = tmp_path / "anchors.jsonl"
    r = yizhu(tmp_path, "audit", "anchor", "--to", str(anchors))
    assert r.returncode == 0 and h["hash"] in r.stdout
    ok = yizhu(tmp_path, "audit", "verify", "--against", str(anchors))
    assert ok.returncode == 0 and "1 anchor(s) matched" in ok.stdout and h["hash"] in ok.stdout
    db = sqlite3.connect(tmp_path / "var" / "yizhu.db")
    for trig in ("task_runs_append_only_delete", "audit_head_forward_only"):
        db.execute(f"DROP TRIGGER {trig}")
    db.execute("DELETE FROM task_runs")
    db.execute("UPDATE audit_head SET last_seq = 0, last_hash = ?", ("0" * 64,))
    db.commit()
    db.close()
    assert yizhu(tmp_path, "audit", "verify").returncode == 0  # the chain alone cannot tell
    bad = yizhu(tmp_path, "audit", "verify", "--against", str(anchors))
    assert bad.returncode == 1 and "wiped" in bad.stderr
