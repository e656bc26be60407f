"""Conventions of the ``yizhu`` command (issue 13): every command that prints data takes ``--format
json|text``; ``--help`` shows no ``<bool>`` noise; the database is found the same way from any directory, a
missing record names the database searched, and reading never creates an empty database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from yizhu.cli.main import app

#: commands that print no data (they serve, set up, write files, or print one fixed artefact)
NO_DATA = {"init", "serve", "models chat", "models add-demo", "eval docs", "rx schema", "jobs worker",
           "audit anchor"}


def _commands(group: Any, prefix: str = "") -> list[tuple[str, Any]]:
    out = []
    for name, cmd in group.commands.items():
        full = f"{prefix}{name}"
        if hasattr(cmd, "commands"):
            out += _commands(cmd, full + " ")
        else:
            out.append((full, cmd))
    return out


COMMANDS = _commands(typer.main.get_command(app))  # type: ignore[arg-type]


@pytest.mark.parametrize(("name", "cmd"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_that_prints_data_takes_format_json_or_text(name: str, cmd: Any) -> None:
    if name in NO_DATA:
        return
    fmt = next((p for p in cmd.params if "--format" in getattr(p, "opts", [])), None)
    assert fmt is not None, f"yizhu {name} has no --format"
    desc = fmt.type_descriptor
    if desc.is_choice:
        assert {"json", "text"} <= {str(c) for c in desc.choices}


@pytest.mark.parametrize("args", [["qc", "--help"], ["kb", "stats", "--help"], ["eval", "list", "--help"],
                                  ["rx", "review", "--help"], ["deid", "--help"]])
def test_help_has_no_bool_noise(args: list[str]) -> None:
    r = CliRunner().invoke(app, args, env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert r.exit_code == 0 and "Example" in r.output
    assert "<bool>" not in r.output


def test_qc_rules_list_honours_format_json() -> None:
    r = CliRunner().invoke(app, ["qc", "rules", "list", "--format", "json"])
    data = json.loads(r.output)
    assert data["rules"] and data["vetoes"] and all(v["source"] for v in data["vetoes"])


def _yizhu(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("YIZHU_DATABASE_URL", "YIZHU_DATA_DIR", "YIZHU_CONFIG")}
    return subprocess.run([sys.executable, "-m", "yizhu.cli.main", *args], capture_output=True, text=True,
                          env={**clean, "NO_COLOR": "1", "COLUMNS": "200", **env}, cwd=cwd, timeout=120)


def test_the_database_is_found_from_a_sub_directory_and_a_missing_record_names_it(tmp_path: Path) -> None:
    assert _yizhu(tmp_path, "init").returncode == 0
    sub = tmp_path / "notes" / "2026"
    sub.mkdir(parents=True)
    r = _yizhu(sub, "note", "draft", "P404-E1", "--no-llm")
    assert r.returncode == 2
    assert "P404-E1" in r.stderr and str(tmp_path / "var" / "yizhu.db") in r.stderr
    assert not (sub / "var").exists()


def test_reading_never_creates_an_empty_database_in_the_working_directory(tmp_path: Path) -> None:
    r = _yizhu(tmp_path, "audit", "verify")
    assert r.returncode == 2 and "yizhu init" in r.stderr and str(tmp_path / "var" / "yizhu.db") in r.stderr
    assert not (tmp_path / "var").exists()
    r = _yizhu(tmp_path, "qc", "-", "--store")
    assert r.returncode == 2 and not (tmp_path / "var").exists()


def test_an_explicit_data_directory_wins_from_any_directory(tmp_path: Path) -> None:
    data = tmp_path / "hospital-data"
    assert _yizhu(tmp_path, "init", YIZHU_DATA_DIR=str(data)).returncode == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    r = _yizhu(elsewhere, "audit", "verify", "--format", "json", YIZHU_DATA_DIR=str(data))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["ok"] is True
    assert not (elsewhere / "var").exists()


def test_kb_search_keeps_its_index_in_the_data_directory_found_or_the_user_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    bare = tmp_path / "bare"
    bare.mkdir()
    r = _yizhu(bare, "kb", "search", "社区获得性肺炎 抗菌药物", "--top", "1", "--format", "json", XDG_CACHE_HOME=str(cache))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)[0]["source"]
    assert not (bare / "var").exists(), "a search must not litter the working directory"
    assert (cache / "yizhu" / "knowledge" / "index").is_dir() and str(cache / "yizhu") in r.stderr

    hospital = tmp_path / "hospital"
    (hospital / "var" / "knowledge").mkdir(parents=True)
    sub = hospital / "notes"
    sub.mkdir()
    r = _yizhu(sub, "kb", "search", "社区获得性肺炎 抗菌药物", "--top", "1", XDG_CACHE_HOME=str(cache))
    assert r.returncode == 0, r.stderr
    assert (hospital / "var" / "knowledge" / "index").is_dir() and not (sub / "var").exists()
