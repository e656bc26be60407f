"""Specification of the reviewed pack sources: the YAML is the source, the JSONL its compiled image."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from yizhu.errors import ConfigError
from yizhu.knowledge.cli import app
from yizhu.knowledge.packs import BUILTIN_PACKS_DIR, load_pack, load_pack_file
from yizhu.knowledge.schema import PACK_FILE_STEMS, PACK_KINDS, PackKind
from yizhu.knowledge.sources import (
    Review,
    build_packs,
    compiled_file,
    dump_records,
    read_source,
    record_dict,
    render_jsonl,
    source_digest,
    source_folder,
)


@pytest.fixture(scope="module")
def sources() -> dict[PackKind, object]:
    return {kind: read_source(source_folder(BUILTIN_PACKS_DIR, kind), kind) for kind in PACK_KINDS}


def test_every_shipped_kind_has_a_reviewed_source_folder() -> None:
    for kind in PACK_KINDS:
        folder = source_folder(BUILTIN_PACKS_DIR, kind)
        assert (folder / "_pack.yaml").is_file(), f"{kind}: no reviewed source in {folder}"


def test_compiled_files_are_exactly_what_the_sources_compile_to(sources: dict) -> None:
    # The drift guard: editing a YAML file without `yizhu kb build` (or the JSONL by hand) fails here.
    stale = []
    for kind, src in sources.items():
        meta = src.meta.model_copy(update={"compiled_from": source_digest(src.folder)})
        if compiled_file(BUILTIN_PACKS_DIR, kind).read_text(encoding="utf-8") != render_jsonl(meta, src.items):
            stale.append(kind)
    assert not stale, f"{stale} differ from their YAML sources: run `yizhu kb build`"


@pytest.mark.parametrize("kind", PACK_KINDS)
def test_compiled_items_equal_the_source_items_in_order(sources: dict, kind: PackKind) -> None:
    _, rows = load_pack_file(compiled_file(BUILTIN_PACKS_DIR, kind), kind)
    assert [it for _, it in rows] == sources[kind].items


@pytest.mark.parametrize("kind", PACK_KINDS)
def test_every_source_item_has_a_source_and_a_review_state(sources: dict, kind: PackKind) -> None:
    for rec in sources[kind].records:
        assert rec.item.source.strip(), rec.item.id
        assert rec.review.status in ("unreviewed", "reviewed")
        if rec.review.status == "reviewed":
            assert rec.review.reviewed_by and rec.review.reviewed_on


@pytest.mark.parametrize(
    ("review", "ok"),
    [
        ({"status": "unreviewed"}, True),
        ({"status": "reviewed", "reviewed_by": "王药师", "reviewed_on": "2026-03-01"}, True),
        ({"status": "reviewed", "reviewed_by": "王药师"}, False),  # no date
        ({"status": "reviewed", "reviewed_on": "2026-03-01"}, False),  # nobody
        ({"status": "unreviewed", "reviewed_by": "王药师"}, False),  # a name without the status
        ({"status": "approved"}, False),
        ({"status": "unreviewed", "by": "x"}, False),  # unknown key
    ],
)
def test_review_block_names_who_and_when(review: dict, ok: bool) -> None:
    if ok:
        Review.model_validate(review)
    else:
        with pytest.raises(ValidationError):
            Review.model_validate(review)


def test_source_files_round_trip_through_the_writer(sources: dict) -> None:
    # What the converter and the writer produce reads back as the same items (no float/str/date drift).
    for kind in ("drug", "lab"):
        recs = sources[kind].records[:40]
        text = dump_records(record_dict(r.item, r.review) for r in recs)
        import yaml

        back = yaml.safe_load(text)
        assert [r["id"] for r in back] == [r.item.id for r in recs]
        model = type(recs[0].item)
        assert [model.model_validate({k: v for k, v in r.items() if k != "review"}) for r in back] == [
            r.item for r in recs]


# ---- editing a source


@pytest.fixture
def packs_copy(tmp_path: Path) -> Path:
    """A small drug pack to edit: the shipped header and the one item file that holds metformin, compiled."""
    stem = PACK_FILE_STEMS["drug"]
    (tmp_path / stem).mkdir()
    shutil.copy(BUILTIN_PACKS_DIR / stem / "_pack.yaml", tmp_path / stem)
    for p in (BUILTIN_PACKS_DIR / stem).glob("*.yaml"):
        if "- id: drug:metformin\n" in p.read_text(encoding="utf-8"):
            shutil.copy(p, tmp_path / stem)
    build_packs(tmp_path)
    return tmp_path


def _edit(folder: Path, old: str, new: str) -> Path:
    for p in sorted(folder.glob("*.yaml")):
        text = p.read_text(encoding="utf-8")
        if old in text:
            p.write_text(text.replace(old, new, 1), encoding="utf-8")
            return p
    raise AssertionError(f"{old!r} not found")


METFORMIN_RENAL = "  renal:\n  - measure: eGFR\n    below: 30\n    action: contraindicated"


def test_an_edited_source_is_used_before_it_is_compiled(packs_copy: Path) -> None:
    folder = packs_copy / "drugs"
    before = load_pack("drug", [packs_copy]).get("drug:metformin")
    assert [r.below for r in before.renal if r.action == "contraindicated"] == [30]
    _edit(folder, "- id: drug:metformin\n", "- id: drug:metformin\n")  # no-op: digest unchanged
    text = next(p for p in folder.glob("*.yaml") if "drug:metformin" in p.read_text(encoding="utf-8"))
    body = text.read_text(encoding="utf-8")
    start = body.index("- id: drug:metformin")
    end = body.index("\n- id:", start)
    assert METFORMIN_RENAL in body[start:end]
    text.write_text(body[:start] + body[start:end].replace(METFORMIN_RENAL, METFORMIN_RENAL.replace(
        "below: 30", "below: 35")) + body[end:], encoding="utf-8")
    after = load_pack("drug", [packs_copy]).get("drug:metformin")
    assert [r.below for r in after.renal if r.action == "contraindicated"] == [35]
    assert [r.changed for r in build_packs(packs_copy, check=True)] == [True]
    build_packs(packs_copy)
    assert [r.changed for r in build_packs(packs_copy, check=True)] == [False]
    _, rows = load_pack_file(packs_copy / "drugs.jsonl", "drug")
    assert dict(rows and [(it.id, it) for _, it in rows])["drug:metformin"] == after


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  review:\n    status: unreviewed\n", "", "no review block"),
        ("  review:\n    status: unreviewed\n", "  review:\n    status: reviewed\n", "reviewed_by"),
        ("  name: 二甲双胍\n", "  name: 二甲双胍\n  nmae: typo\n", "nmae"),
        ("    below: 30\n", "    below: -1\n", "below"),
        ("  name: 二甲双胍\n", "  name: 二甲双胍\n  name: 甲福明\n", "written twice"),
    ],
)
def test_a_bad_source_item_fails_naming_file_line_and_item(packs_copy: Path, old: str, new: str,
                                                           message: str) -> None:
    folder = packs_copy / "drugs"
    body_path = next(p for p in folder.glob("*.yaml") if "drug:metformin" in p.read_text(encoding="utf-8"))
    body = body_path.read_text(encoding="utf-8")
    start = body.index("- id: drug:metformin")
    end = body.index("\n- id:", start)
    assert old in body[start:end]
    body_path.write_text(body[:start] + body[start:end].replace(old, new, 1) + body[end:], encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_pack("drug", [packs_copy])
    report = read_source(folder, "drug", strict=False)
    assert len(report.problems) == 1
    line = body[:start].count("\n") + 1
    if message == "written twice":  # a YAML-level error names the line of the second key
        assert report.problems[0].startswith(f"{body_path}:{line + 2}: "), report.problems
    else:
        assert report.problems[0].startswith(f"{body_path}:{line}: item 'drug:metformin'"), report.problems


def test_a_source_folder_without_compiled_file_still_loads(packs_copy: Path) -> None:
    n = len(load_pack("drug", [packs_copy]))
    (packs_copy / "drugs.jsonl").unlink()
    assert len(load_pack("drug", [packs_copy])) == n > 50


def test_digest_changes_with_any_byte(packs_copy: Path) -> None:
    folder = packs_copy / "drugs"
    d0 = source_digest(folder)
    p = sorted(folder.glob("*.yaml"))[-1]
    p.write_text(p.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert source_digest(folder) != d0


def test_kb_build_check_reports_stale_files(packs_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import yizhu.knowledge.cli as cli

    monkeypatch.setattr(cli, "BUILTIN_PACKS_DIR", packs_copy)
    r = CliRunner().invoke(app, ["build", "--check"])
    assert r.exit_code == 0 and "up to date" in r.output
    p = sorted((packs_copy / "drugs").glob("*.yaml"))[-1]
    p.write_text(p.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["build", "--check"])
    assert r.exit_code == 1 and "stale" in r.output


# ---- canonical form: stable, minimal diffs


def test_shipped_source_files_are_in_canonical_form(sources: dict) -> None:
    from yizhu.knowledge.sources import leading_comment

    off = []
    for src in sources.values():
        for path in src.files:
            text = path.read_text(encoding="utf-8")
            recs = [r for r in src.records if r.path == path]
            if dump_records((record_dict(r.item, r.review) for r in recs), leading_comment(text)) != text:
                off.append(path.name)
    assert not off, f"{off} are not in canonical form: run `yizhu kb fmt`"


def test_kb_fmt_rewrites_a_hand_edited_file_without_changing_its_items(packs_copy: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import yizhu.knowledge.cli as cli

    monkeypatch.setattr(cli, "BUILTIN_PACKS_DIR", packs_copy)
    path = next(p for p in (packs_copy / "drugs").glob("[0-9]*.yaml"))
    before = read_source(packs_copy / "drugs", "drug").items
    canonical = path.read_text(encoding="utf-8")
    assert "  brands: [格华止, 美迪康]\n" in canonical
    edited = canonical.replace("  brands: [格华止, 美迪康]\n", "  brands:\n    - 格华止\n    - 美迪康\n").replace(
        "    below: 30\n    action: contraindicated\n", "    action: contraindicated\n    below: 30.0\n")
    assert edited != canonical
    path.write_text(edited, encoding="utf-8")
    r = CliRunner().invoke(app, ["fmt", "--check"])
    assert r.exit_code == 1 and "not canonical" in r.output
    r = CliRunner().invoke(app, ["fmt"])
    assert r.exit_code == 0 and path.read_text(encoding="utf-8") == canonical
    assert read_source(packs_copy / "drugs", "drug").items == before
