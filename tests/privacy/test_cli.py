"""``yizhu deid``: files, stdin, directories; bad input exits 2 with one line on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from yizhu.config import get_settings
from yizhu.privacy.cli import deid

NOTE = "姓名：张三  电话：13812345678\n患者于2023年5月1日入院。"


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("YIZHU_DEID_KEY", "cli-test-key-123456")
    monkeypatch.setenv("YIZHU_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    app = typer.Typer()
    app.command()(deid)
    runner = CliRunner()
    yield lambda *args, **kw: runner.invoke(app, list(args), **kw)
    get_settings.cache_clear()


def test_text_output(run, tmp_path: Path) -> None:
    (tmp_path / "n.txt").write_text(NOTE, encoding="utf-8")
    r = run("n.txt")
    assert r.exit_code == 0
    assert r.stdout == "姓名：[姓名]  电话：[电话]\n患者于[日期]入院。\n"


def test_json_output_offsets_index_the_original(run, tmp_path: Path) -> None:
    (tmp_path / "n.txt").write_text(NOTE, encoding="utf-8")
    r = run("n.txt", "--format", "json", "--mode", "surrogate", "--patient", "P1")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert [(e["type"], NOTE[e["start"]:e["end"]]) for e in data["entities"]] == [
        ("PERSON", "张三"), ("PHONE", "13812345678"), ("DATE", "2023年5月1日")
    ]
    assert "张三" not in data["text"]


def test_stdin(run) -> None:
    r = run("-", input="患者李四，电话13812345678")
    assert r.exit_code == 0 and r.stdout == "患者[姓名]，电话[电话]\n"


@pytest.mark.parametrize("args", [("missing.txt",), ("notes",)])
def test_bad_input_exits_2_with_one_line(run, tmp_path: Path, args) -> None:
    (tmp_path / "notes").mkdir()
    r = run(*args)
    assert r.exit_code == 2
    assert "error:" in r.output and len(r.output.strip().splitlines()) == 1


def test_directory_with_out(run, tmp_path: Path) -> None:
    src = tmp_path / "notes"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text(NOTE, encoding="utf-8")
    (src / "sub" / "b.txt").write_text(NOTE, encoding="utf-8")
    r = run("notes", "--out", "out", "--format", "json")
    assert r.exit_code == 0, r.output
    outs = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.json"))
    assert outs == ["a.txt.json", "sub/b.txt.json"]
    assert json.loads((tmp_path / "out" / "a.txt.json").read_text(encoding="utf-8"))["text"].startswith("姓名：[姓名]")
