"""``yizhu rx``: review a file, print JSON or text; bad input is one line on stderr and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yizhu.cli.rx import app

from .conftest import PACKS, document, order

runner = CliRunner()
DOC = document([order("克拉霉素", 0.5, "g", frequency="bid"), order("辛伐他汀片", 20, "mg", frequency="qn"),
                order("神奇消炎灵", 1, "粒")])


@pytest.fixture
def order_file(tmp_path: Path) -> Path:
    p = tmp_path / "order.json"
    p.write_text(json.dumps(DOC, ensure_ascii=False), encoding="utf-8")
    return p


def test_review_json_contract(order_file: Path) -> None:
    r = runner.invoke(app, ["review", str(order_file), "--format", "json", "--packs", str(PACKS)])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert set(out["alerts"][0]) >= {"type", "severity", "drugs", "message", "recommendation", "source", "rule_id"}
    assert out["alerts"][0]["rule_id"] == "rx.interaction.pair.v1"
    assert out["unknown_drugs"] == [{"order": "o3", "drug": "神奇消炎灵"}]


def test_review_text(order_file: Path) -> None:
    r = runner.invoke(app, ["review", str(order_file), "--packs", str(PACKS)])
    assert r.exit_code == 0
    assert "禁忌" in r.stdout and "rx.interaction.pair.v1" in r.stdout and "未识别" in r.stdout


def test_fail_on_sets_the_exit_code(order_file: Path) -> None:
    assert runner.invoke(app, ["review", str(order_file), "--packs", str(PACKS), "--fail-on", "major"]).exit_code == 1


def test_directory_of_orders(tmp_path: Path, order_file: Path) -> None:
    (tmp_path / "second.json").write_text(json.dumps(document([order("氯雷他定片", 10, "mg")])), encoding="utf-8")
    r = runner.invoke(app, ["review", str(tmp_path), "--format", "json", "--packs", str(PACKS)])
    assert r.exit_code == 0
    assert [x["file"] for x in json.loads(r.stdout)] == ["order.json", "second.json"]


def test_jsonl_batch(tmp_path: Path) -> None:
    p = tmp_path / "orders.jsonl"
    p.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in (DOC, document([order("氯雷他定片", 10, "mg")]))),
                 encoding="utf-8")
    r = runner.invoke(app, ["review", str(p), "--format", "json", "--packs", str(PACKS)])
    assert r.exit_code == 0 and [x["file"] for x in json.loads(r.stdout)] == ["orders.jsonl:1", "orders.jsonl:2"]


@pytest.mark.parametrize(
    ("content", "message"),
    [("{oops", "not valid JSON"), ('{"orders": []}', "orders"), (None, "no such file")],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, content: str | None, message: str) -> None:
    p = tmp_path / "bad.json"
    if content is not None:
        p.write_text(content, encoding="utf-8")
    r = runner.invoke(app, ["review", str(p), "--packs", str(PACKS)])
    assert r.exit_code == 2
    err = r.stderr.strip()
    assert err.startswith("error:") and message in err and len(err.splitlines()) == 1


def test_schema_and_rules_commands() -> None:
    assert json.loads(runner.invoke(app, ["schema"]).stdout)["title"] == "OrderDocument"
    rules = json.loads(runner.invoke(app, ["rules", "--format", "json"]).stdout)
    assert any(r["id"] == "rx.high_alert.flag.v1" for r in rules["rules"])
