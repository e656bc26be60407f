"""Specification of ``yizhu kb validate``: every pack and override checked, problems named by file and item."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import yizhu.knowledge.cli as cli
from yizhu.knowledge.cli import app
from yizhu.knowledge.packs import BUILTIN_PACKS_DIR
from yizhu.knowledge.schema import PACK_FILE_STEMS
from yizhu.knowledge.sources import build_packs
from yizhu.knowledge.validate import ValidationReport, validate


def _replace_in_item(folder: Path, item_id: str, old: str, new: str) -> Path:
    """Edit one item's text in whichever file of ``folder`` holds it."""
    for p in sorted(folder.glob("*.yaml")):
        body = p.read_text(encoding="utf-8")
        start = body.find(f"- id: {item_id}\n")
        if start < 0:
            start = body.find(f"- id: '{item_id}'\n")
        if start < 0:
            continue
        end = body.find("\n- id:", start + 1)
        end = len(body) if end < 0 else end
        assert old in body[start:end], (item_id, old)
        p.write_text(body[:start] + body[start:end].replace(old, new, 1) + body[end:], encoding="utf-8")
        return p
    raise AssertionError(f"{item_id} not found in {folder}")


@pytest.fixture(scope="module")
def shipped_report() -> ValidationReport:
    return validate(BUILTIN_PACKS_DIR)


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ValidationReport]:
    """A copy of the shipped packs with one defect of each class, compiled where the defect allows."""
    root = tmp_path_factory.mktemp("packs")
    for stem in PACK_FILE_STEMS.values():
        shutil.copytree(BUILTIN_PACKS_DIR / stem, root / stem)
        shutil.copy(BUILTIN_PACKS_DIR / f"{stem}.jsonl", root / f"{stem}.jsonl")
    _replace_in_item(root / "interactions", "ddi:omeprazole+diazepam", "drug:diazepam", "drug:no_such_drug")
    _replace_in_item(root / "departments", "dept:cardiology", "parent: dept:internal_medicine",
                     "parent: dept:no_such_dept")
    _replace_in_item(root / "drugs", "drug:cefaclor", "allergy_group: cephalosporin", "allergy_group: cefalosporin")
    build_packs(root)  # the reference defects are schema-valid, so they compile
    _replace_in_item(root / "drugs", "drug:metformin", "  name: 二甲双胍\n", "  name: 二甲双胍\n  nmae: typo\n")
    _replace_in_item(root / "labs", "lab:wbc", "high: 9.5", "high: 9.6")  # valid, but not compiled: stale
    dup = (root / "symptoms" / "10-symptoms.yaml").read_text(encoding="utf-8")
    first = dup[dup.index("- id: sym:fever"):dup.index("\n- id:", dup.index("- id: sym:fever"))]
    (root / "symptoms" / "99-extra.yaml").write_text(first + "\n", encoding="utf-8")
    _replace_in_item(root / "guidelines", "gl:htn.emergency", "  review:\n    status: unreviewed\n",
                     "  review:\n    status: reviewed\n    reviewed_by: 张药师\n    reviewed_on: 2026-03-01\n")
    return root, validate(root)


def test_the_shipped_packs_are_valid(shipped_report: ValidationReport) -> None:
    assert shipped_report.ok, shipped_report.errors
    counts = {r.pack: r.items for r in shipped_report.packs}
    assert counts["drug"] > 500 and counts["interaction"] > 300 and counts["diagnosis"] > 3000


def test_items_lacking_a_reviewer_or_a_year_are_reported_not_failed(shipped_report: ValidationReport) -> None:
    rows = {r.pack: r for r in shipped_report.packs}
    assert all(r.unreviewed + r.reviewed == r.items for r in rows.values())
    assert rows["drug"].unreviewed == len(rows["drug"].unreviewed_ids) > 0  # nobody has signed them off yet
    assert rows["interaction"].no_year > 0
    assert any("without a year" in w for w in shipped_report.warnings)


@pytest.mark.parametrize(
    ("file_part", "item", "message"),
    [
        ("interactions/", "ddi:omeprazole+diazepam", "'drug:no_such_drug' is not in the drug pack"),
        ("departments/", "dept:cardiology", "parent 'dept:no_such_dept' is not in the department pack"),
        ("drugs/", "drug:cefaclor", "allergy group 'cefalosporin' is not in allergy_groups.yaml"),
        ("drugs/", "drug:metformin", "nmae: Extra inputs are not permitted"),
        ("symptoms/99-extra.yaml", "sym:fever", "duplicate id"),
    ],
)
def test_each_defect_is_one_line_naming_file_line_and_item(broken: tuple[Path, ValidationReport], file_part: str,
                                                           item: str, message: str) -> None:
    _, report = broken
    hits = [e for e in report.errors if f"item '{item}'" in e and message in e]
    assert len(hits) == 1, report.errors
    path, line, _ = hits[0].split(":", 2)
    assert file_part in path and Path(path).is_file() and int(line) > 0
    assert "\n" not in hits[0]


def test_a_stale_compiled_file_is_an_error(broken: tuple[Path, ValidationReport]) -> None:
    root, report = broken
    assert f"{root / 'labs.jsonl'}: differs from its YAML source labs/; run `yizhu kb build`" in report.errors


def test_review_counts_follow_the_sources(broken: tuple[Path, ValidationReport]) -> None:
    _, report = broken
    assert next(r for r in report.packs if r.pack == "guideline").reviewed == 1
    assert not report.ok


def test_pack_filter_limits_rows_and_messages(broken: tuple[Path, ValidationReport]) -> None:
    root, _ = broken
    report = validate(root, kinds=["lab"])
    assert [r.pack for r in report.packs] == ["lab"]
    assert report.errors == [f"{root / 'labs.jsonl'}: differs from its YAML source labs/; run `yizhu kb build`"]


# ---- the command


def test_cli_text_table_and_exit_0_on_the_shipped_packs() -> None:
    r = CliRunner().invoke(app, ["validate", "--pack", "drugs", "--pack", "interaction"])
    assert r.exit_code == 0, r.output
    assert "drug" in r.stdout and "interaction" in r.stdout and "OK: 0 error(s)" in r.stdout
    assert "await review" in r.stdout


def test_cli_exit_2_with_one_line_per_error(broken: tuple[Path, ValidationReport],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root, report = broken
    monkeypatch.setattr(cli, "BUILTIN_PACKS_DIR", root)
    r = CliRunner().invoke(app, ["validate", "--format", "json"])
    assert r.exit_code == 2
    out = json.loads(r.stdout)
    assert out["ok"] is False and out["errors"] == report.errors
    r = CliRunner().invoke(app, ["validate", "--pack", "labs"])
    assert r.exit_code == 2
    assert r.stderr.strip().splitlines() == [f"error: {e}" for e in validate(root, kinds=["lab"]).errors]


def test_cli_unknown_pack_is_a_one_line_error() -> None:
    r = CliRunner().invoke(app, ["validate", "--pack", "nope"])
    assert r.exit_code == 2 and "unknown pack 'nope'" in r.stderr and "drug" in r.stderr


# ---- overrides


def test_overrides_are_validated_with_the_packs(tmp_path: Path) -> None:
    folder = tmp_path / "ov"
    folder.mkdir()
    (folder / "a.yaml").write_text(
        "- id: off-diazepam\n  action: disable\n  target: drug:diazepam\n  reason: 本院未进\n"
        "  source: 本院药品目录 (2026)\n  review: {status: unreviewed}\n"
        "- id: bad-target\n  action: disable\n  target: drug:nothing\n  reason: x 测试\n"
        "  source: 本院 (2026)\n  review: {status: unreviewed}\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["validate", "--overrides", str(folder), "--format", "json"])
    assert r.exit_code == 2
    out = json.loads(r.stdout)
    row = out["packs"][-1]
    assert row["pack"].startswith("overrides") and row["items"] == 2 and row["overridden"] == 1
    assert row["unreviewed"] == 2
    errs = out["errors"]
    assert any(e.startswith(f"{folder / 'a.yaml'}:7: override 'bad-target': target 'drug:nothing'") for e in errs)
    # disabling diazepam leaves the shipped interactions that name it dangling: reported after the overrides
    assert any("after the overrides" in e and "drug:diazepam" in e for e in errs), errs
