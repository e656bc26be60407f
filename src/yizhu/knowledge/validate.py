"""``yizhu kb validate``: is every pack, and every hospital override, fit to ship?

Errors (exit 2) — the content is wrong and would be refused or misread: a schema violation, a duplicate id,
a missing or malformed ``review`` block, a compiled JSONL that differs from its YAML source, a reference
that does not resolve (an interaction side naming no drug or class tag, a class rule that matches no pair,
a guideline's drug or department, a diagnosis or symptom department, a department parent, a drug's
allergy group missing from ``allergy_groups.yaml``), and an override that does not fit.

Reported, not errors — the work still to do: items not yet reviewed by a named person, sources without
a year, allergy groups no drug belongs to, two overrides of one item.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from yizhu.knowledge.overrides import apply_overrides, read_overrides
from yizhu.knowledge.schema import (
    CLASS_REF_PREFIX,
    DRUG_REF_PREFIX,
    PACK_FILE_STEMS,
    PACK_KINDS,
    KnowledgeItem,
    PackKind,
)
from yizhu.knowledge.sources import (
    SourcePack,
    compiled_file,
    read_source,
    render_jsonl,
    source_digest,
    source_folder,
)

_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


@dataclass
class PackReport:
    """One row of the report: a pack (or the overrides folder) and its counts."""

    pack: str
    files: int = 0
    items: int = 0
    errors: int = 0
    unreviewed: int = 0
    reviewed: int = 0
    no_source: int = 0
    no_year: int = 0
    overridden: int = 0
    unreviewed_ids: list[str] = field(default_factory=list)
    no_year_ids: list[str] = field(default_factory=list)


@dataclass
class ValidationReport:
    """What ``kb validate`` found: a row per pack, errors and warnings as one-line messages."""

    packs: list[PackReport]
    errors: list[str]
    warnings: list[str]

    @property
    def ok(self) -> bool:
        """No errors (warnings and unreviewed items do not fail validation)."""
        return not self.errors

    def as_json(self) -> dict[str, object]:
        """The report as plain data for ``--format json``."""
        return {"ok": self.ok, "packs": [asdict(p) for p in self.packs], "errors": self.errors,
                "warnings": self.warnings}


def resolve_pack_name(name: str) -> PackKind:
    """A pack named by kind (``drug``) or file stem (``drugs``); unknown names fail with the known ones."""
    from yizhu.errors import ConfigError

    for kind, stem in PACK_FILE_STEMS.items():
        if name in (kind, stem):
            return kind
    raise ConfigError(f"unknown pack '{name}'; known packs: {', '.join(PACK_KINDS)} (or their file names "
                      f"{', '.join(PACK_FILE_STEMS.values())})")


def _where(item_id: str, index: dict[str, str]) -> str:
    return index.get(item_id, "?")


def _references(items: dict[PackKind, list[KnowledgeItem]], where: dict[str, str], groups: set[str]) -> list[str]:
    """Cross-pack references that do not resolve, one line each."""
    errors: list[str] = []
    drugs = items.get("drug", [])
    drug_ids = {d.id for d in drugs}
    tags: dict[str, list[str]] = {}
    for d in drugs:
        for t in d.class_tags:  # type: ignore[attr-defined]
            tags.setdefault(t, []).append(d.id)
    depts = {d.id for d in items.get("department", [])}

    def err(item_id: str, msg: str) -> None:
        errors.append(f"{_where(item_id, where)}: item '{item_id}': {msg}")

    for rule in items.get("interaction", []):
        sides: list[list[str]] = []
        for ref in rule.drugs:  # type: ignore[attr-defined]
            if ref.startswith(DRUG_REF_PREFIX):
                if ref not in drug_ids:
                    err(rule.id, f"interaction side '{ref}' is not in the drug pack")
                sides.append([ref] if ref in drug_ids else [])
            elif ref.startswith(CLASS_REF_PREFIX):
                tag = ref.removeprefix(CLASS_REF_PREFIX)
                if tag not in tags:
                    err(rule.id, f"interaction side '{ref}': no drug carries class tag '{tag}'")
                sides.append(tags.get(tag, []))
        if len(sides) == 2 and all(sides) and not any(a != b for a, b in itertools.product(*sides)):
            err(rule.id, "the rule matches no pair of different drugs")
    for card in items.get("guideline", []):
        for ref in card.related_drugs:  # type: ignore[attr-defined]
            if ref not in drug_ids:
                err(card.id, f"related drug '{ref}' is not in the drug pack")
        for ref in card.departments:  # type: ignore[attr-defined]
            if depts and ref not in depts:
                err(card.id, f"department '{ref}' is not in the department pack")
    for kind in ("diagnosis", "symptom"):
        for it in items.get(kind, []):  # type: ignore[call-overload]
            for ref in it.departments:
                if depts and ref not in depts:
                    err(it.id, f"department '{ref}' is not in the department pack")
    for dept in items.get("department", []):
        parent = dept.parent  # type: ignore[attr-defined]
        if parent is not None and parent not in depts:
            err(dept.id, f"parent '{parent}' is not in the department pack")
    if groups:
        for d in drugs:
            named = [d.allergy_group] if d.allergy_group else []  # type: ignore[attr-defined]
            named += [x.group for x in d.cross_reactivity]  # type: ignore[attr-defined]
            for g in named:
                if g not in groups:
                    err(d.id, f"allergy group '{g}' is not in allergy_groups.yaml; add it there with its aliases")
    return errors


def _allergy_groups() -> tuple[set[str], dict[str, list[str]], str]:
    from yizhu.knowledge.allergy import GROUPS_FILE, default_groups

    table = default_groups()
    return set(table.entries), {k: list(v.includes) for k, v in table.entries.items()}, str(GROUPS_FILE)


def validate(
    packs_dir: Path,
    *,
    kinds: list[PackKind] | None = None,
    overrides: Path | None = None,
) -> ValidationReport:
    """Validate the pack sources in ``packs_dir`` (all kinds are read, so references resolve; ``kinds``
    limits the rows and messages) and the overrides folder, if given."""
    shown = set(kinds or PACK_KINDS)
    errors: list[str] = []
    warnings: list[str] = []
    rows: list[PackReport] = []
    sources: dict[PackKind, SourcePack] = {}
    where: dict[str, str] = {}
    for kind in PACK_KINDS:
        folder = source_folder(packs_dir, kind)
        row = PackReport(pack=kind)
        if not folder.is_dir():
            if kind in shown:
                errors.append(f"{folder}: no reviewed source folder for the {kind} pack")
                rows.append(row)
            continue
        src = read_source(folder, kind, strict=False)
        sources[kind] = src
        for r in src.records:
            where[r.item.id] = f"{r.path}:{r.line}"
        row.files, row.items = len(src.files), len(src.records)
        pack_errors = list(src.problems)
        if src.meta is not None and not src.problems:
            meta = src.meta.model_copy(update={"compiled_from": source_digest(folder)})
            target = compiled_file(packs_dir, kind)
            if not target.is_file() or target.read_text(encoding="utf-8") != render_jsonl(meta, src.items):
                pack_errors.append(f"{target}: differs from its YAML source {folder.name}/; run `yizhu kb build`")
        for r in src.records:
            if r.review.status == "reviewed":
                row.reviewed += 1
            else:
                row.unreviewed += 1
                row.unreviewed_ids.append(r.item.id)
            if not r.item.source.strip():
                row.no_source += 1
                pack_errors.append(f"{r.path}:{r.line}: item '{r.item.id}': no source")
            elif not _YEAR.search(r.item.source):
                row.no_year += 1
                row.no_year_ids.append(r.item.id)
        row.errors = len(pack_errors)
        if kind in shown:
            errors.extend(pack_errors)
            rows.append(row)
    items = {k: s.items for k, s in sources.items()}
    groups, includes, groups_file = _allergy_groups()
    ref_errors = _references(items, where, groups)
    for msg in ref_errors:
        item_id = msg.split("item '", 1)[1].split("'", 1)[0]
        kind = next(k for k, s in sources.items() if any(r.item.id == item_id for r in s.records))
        if kind in shown:
            errors.append(msg)
            next(r for r in rows if r.pack == kind).errors += 1
    if "drug" in shown and "drug" in items:
        used = {d.allergy_group for d in items["drug"]} | {  # type: ignore[attr-defined]
            x.group for d in items["drug"] for x in d.cross_reactivity}  # type: ignore[attr-defined]
        for g in sorted(groups):
            if g not in used and not (set(includes.get(g, [])) & used):
                warnings.append(f"{groups_file}: allergy group '{g}': no drug in the pack belongs to it")
    for row in rows:
        if row.no_year:
            warnings.append(f"{row.pack}: {row.no_year} item(s) cite a source without a year, e.g. "
                            f"{', '.join(row.no_year_ids[:3])}")
    if overrides is not None:
        rows.append(_validate_overrides(overrides, items, errors, warnings))
    return ValidationReport(packs=rows, errors=errors, warnings=warnings)


def _validate_overrides(folder: Path, items: dict[PackKind, list[KnowledgeItem]], errors: list[str],
                        warnings: list[str]) -> PackReport:
    row = PackReport(pack=f"overrides ({folder})")
    if not folder.is_dir():
        errors.append(f"{folder}: the overrides folder does not exist")
        return row
    problems: list[str] = []
    entries = read_overrides(folder, problems)
    row.files = len({e.path for e in entries}) or len(list(folder.glob("*.y*ml")))
    row.items = len(entries)
    merged, applied = apply_overrides(items, entries, problems)
    for e in entries:
        if e.override.review.status == "reviewed":
            row.reviewed += 1
        else:
            row.unreviewed += 1
            row.unreviewed_ids.append(e.override.id)
        if not _YEAR.search(e.override.source):
            row.no_year += 1
            row.no_year_ids.append(e.override.id)
    row.overridden = len(applied)
    twice = [i for i, n in Counter(e.override.item_id for e in entries).items() if n > 1]
    warnings.extend(f"{folder}: item '{i}' is overridden more than once; the later entry wins" for i in twice)
    # References of the merged packs: an override may leave e.g. an interaction naming a disabled drug.
    where = {a.entry.override.item_id: a.entry.where for a in applied}
    before = set(_references(items, {}, _allergy_groups()[0]))
    for msg in _references(merged, where, _allergy_groups()[0]):
        generic = re.sub(r"^[^ ]+: item", "?: item", msg)
        if generic not in before:
            problems.append(msg if not msg.startswith("?") else f"{folder}: after the overrides, {msg[3:]}")
    row.errors = len(problems)
    errors.extend(problems)
    return row
