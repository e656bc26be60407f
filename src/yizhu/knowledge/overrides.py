"""Hospital overrides: local decisions layered on the shipped packs without editing them.

A hospital's 药事管理与药物治疗学委员会 may set a stricter renal threshold, add a local preparation, or
switch off an interaction rule it finds noisy. Each such decision is one entry in a YAML file in the
overrides folder (setting ``knowledge_overrides``; default ``<data_dir>/knowledge/overrides/``)::

    - id: metformin-egfr45              # names the decision; shown in every finding that rests on it
      action: change                    # change | add | disable
      target: drug:metformin            # the shipped item (change, disable)
      set:                              # change: whole fields replaced, validated by the item's schema
        renal:
        - {measure: eGFR, below: 45, action: contraindicated, note: 本院：eGFR<45 停用}
      reason: 本院药事会决定对 eGFR<45 停用二甲双胍
      source: 本院药事管理与药物治疗学委员会 2026年第3次会议纪要 (2026)
      review: {status: reviewed, reviewed_by: 王药师, reviewed_on: 2026-03-01}

``add`` gives a whole ``item`` (its kind follows from the id prefix) and ``disable`` only the target.
The override's ``source`` becomes part of the item's ``source`` (``本院覆盖 <id>（fields）：<source>；原出处：…``),
so a finding's source, a citation and ``yizhu kb lookup`` all show that a local decision was used;
``KnowledgeBase.override_for(item_id)`` gives the entry itself. ``yizhu kb validate`` checks the folder.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from yizhu.datafile import read_yaml, validate_model
from yizhu.errors import ConfigError
from yizhu.knowledge.schema import ID_PREFIXES, KnowledgeItem, PackKind, item_model
from yizhu.knowledge.sources import Review

#: Fields an override may not ``set``: identity, and ``source`` (the override's own source is recorded).
FIXED_FIELDS = frozenset({"id", "kind", "source"})


class Override(BaseModel):
    """One local decision: change fields of a shipped item, add an item, or disable one."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", description="names the decision in findings")
    action: Literal["change", "add", "disable"]
    target: str | None = Field(default=None, description="the shipped item id (change, disable)")
    set: dict[str, Any] | None = Field(default=None, description="change: fields replaced whole")
    item: dict[str, Any] | None = Field(default=None, description="add: the whole new item (no source)")
    reason: str = Field(min_length=2)
    source: str = Field(min_length=2, description="the hospital decision or document, with year")
    review: Review

    @model_validator(mode="after")
    def _fits_action(self) -> Override:
        if self.action in ("change", "disable") and not self.target:
            raise ValueError(f"action {self.action} needs target: the id of the shipped item")
        if self.action == "change" and not self.set:
            raise ValueError("action change needs set: the fields to replace")
        if self.action != "change" and self.set is not None:
            raise ValueError(f"set is only for action change, not {self.action}")
        if self.action == "add":
            if not self.item or not isinstance(self.item.get("id"), str):
                raise ValueError("action add needs item: a whole item with its id")
            if self.target is not None:
                raise ValueError("action add takes item.id, not target")
            if "source" in self.item:
                raise ValueError("give the source on the override, not inside item")
        elif self.item is not None:
            raise ValueError(f"item is only for action add, not {self.action}")
        if self.set and FIXED_FIELDS & set(self.set):
            raise ValueError(f"set may not change {sorted(FIXED_FIELDS & set(self.set))}; the override's own "
                             "source is recorded with the item")
        return self

    @property
    def item_id(self) -> str:
        """The id of the item this override changes, disables or adds."""
        return self.target if self.target else str((self.item or {}).get("id"))

    @property
    def kind(self) -> PackKind | None:
        """The pack kind, from the id prefix."""
        return next((k for k, p in ID_PREFIXES.items() if self.item_id.startswith(p)), None)


@dataclass(frozen=True)
class OverrideEntry:
    """An override as read, with its file and line."""

    override: Override
    path: Path
    line: int

    @property
    def where(self) -> str:
        """``file:line`` for messages."""
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class AppliedOverride:
    """An override in force: the entry, and the shipped item it replaced (None for an added item)."""

    entry: OverrideEntry
    original: KnowledgeItem | None
    result: KnowledgeItem | None  # None for a disabled item

    @property
    def fields(self) -> list[str]:
        """The fields changed (empty for add and disable)."""
        return sorted((self.entry.override.set or {}).keys())


def override_files(folder: Path) -> list[Path]:
    """The override files of a folder, in the order they apply (name order)."""
    folder = Path(folder)
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []


def read_overrides(folder: Path, problems: list[str] | None = None) -> list[OverrideEntry]:
    """Every override of a folder, validated; with ``problems`` given, errors are collected there (one
    line each) instead of raised."""

    def fail(msg: str) -> None:
        if problems is None:
            raise ConfigError(msg)
        problems.append(msg)

    out: list[OverrideEntry] = []
    seen: dict[str, str] = {}
    for path in override_files(folder):
        try:
            data, node = read_yaml(path, "overrides", nodes=True)
        except ConfigError as exc:
            fail(str(exc))
            continue
        if data is None:
            continue
        if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode):
            fail(f"{path}: an overrides file is a YAML list (each entry starts with '- id:')")
            continue
        for raw, sub in zip(data, node.value, strict=True):
            line = sub.start_mark.line + 1
            oid = raw.get("id", "?") if isinstance(raw, dict) else "?"
            try:
                ov = validate_model(path, raw, Override, f"override '{oid}'", where=f":{line}")
            except ConfigError as exc:
                fail(str(exc))
                continue
            if ov.id in seen:
                fail(f"{path}:{line}: override '{ov.id}': duplicate id (first at {seen[ov.id]})")
                continue
            if ov.kind is None:
                fail(f"{path}:{line}: override '{ov.id}': '{ov.item_id}' has no known id prefix; use one of "
                     f"{', '.join(ID_PREFIXES.values())}")
                continue
            seen[ov.id] = f"{path}:{line}"
            out.append(OverrideEntry(override=ov, path=path, line=line))
    return out


def _changed(original: KnowledgeItem, ov: Override) -> KnowledgeItem:
    raw = original.model_dump(exclude_defaults=True)
    raw.update(ov.set or {})
    fields = "、".join(sorted((ov.set or {}).keys()))
    raw["source"] = f"本院覆盖 {ov.id}（{fields}）：{ov.source}；原出处：{original.source}"
    raw["kind"] = original.kind
    return item_model(original.kind).model_validate(raw)


def _added(ov: Override, kind: PackKind) -> KnowledgeItem:
    raw = dict(ov.item or {})
    raw["source"] = f"本院新增 {ov.id}：{ov.source}"
    raw.setdefault("kind", kind)
    return item_model(kind).model_validate(raw)


def apply_overrides(
    items_by_kind: dict[PackKind, list[KnowledgeItem]],
    entries: Iterable[OverrideEntry],
    problems: list[str] | None = None,
) -> tuple[dict[PackKind, list[KnowledgeItem]], list[AppliedOverride]]:
    """The packs' items with the overrides applied in order, and what was applied.

    A changed item keeps its place, an added one goes last, a disabled one is left out. An override that
    does not fit (unknown target, an id that already exists, a field the schema refuses) raises
    ``ConfigError`` naming its file and line, or with ``problems`` given is reported there and skipped.
    """
    out = {k: list(v) for k, v in items_by_kind.items()}
    applied: list[AppliedOverride] = []
    for entry in entries:
        ov = entry.override
        kind = ov.kind
        assert kind is not None  # read_overrides refuses unknown prefixes
        items = out.setdefault(kind, [])
        index = next((i for i, it in enumerate(items) if it.id == ov.item_id), None)
        try:
            if ov.action == "add":
                if index is not None:
                    raise ValueError(f"'{ov.item_id}' already exists; use action change to alter it")
                new = _added(ov, kind)
                items.append(new)
                applied.append(AppliedOverride(entry=entry, original=None, result=new))
                continue
            if index is None:
                raise ValueError(f"target '{ov.item_id}' is not in the {kind} pack (or an earlier override "
                                 "disabled it)")
            original = items[index]
            if ov.action == "disable":
                del items[index]
                applied.append(AppliedOverride(entry=entry, original=original, result=None))
            else:
                new = _changed(original, ov)
                items[index] = new
                applied.append(AppliedOverride(entry=entry, original=original, result=new))
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(x) for x in err["loc"]) or "(item)"
            msg = f"{entry.where}: override '{ov.id}': {loc}: {err['msg']}"
            if problems is None:
                raise ConfigError(msg) from exc
            problems.append(msg)
        except ValueError as exc:
            msg = f"{entry.where}: override '{ov.id}': {exc}"
            if problems is None:
                raise ConfigError(msg) from exc
            problems.append(msg)
    return out, applied
