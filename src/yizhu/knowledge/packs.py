"""Load knowledge packs and index them: by id, and by name/synonym for normalisation.

Pack files are discovered by kind (``PACK_FILE_STEMS``) in the built-in ``packs/`` folder and any extra
folders given; a kind with no file simply yields an empty pack. The shipped packs are compiled JSONL
whose reviewed YAML source sits beside them (``yizhu.knowledge.sources``): the JSONL is read while its
digest matches the YAML, else the YAML itself. An invalid item fails loudly with its file and line,
because a silently skipped fact is worse than a refused start. Hospital overrides
(``yizhu.knowledge.overrides``) are applied on top by ``KnowledgeBase.load(overrides=…)`` and ``get_kb()``.

Loading the seven built-in packs (4,723 items) takes about 0.3–0.5 s (``benchmarks/knowledge_load.py``;
compiling the YAML instead would take ~19× longer), so the process keeps one ``KnowledgeBase``
(``get_kb()``).
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml
from pydantic import ValidationError

from yizhu.errors import ConfigError, NotFoundError
from yizhu.knowledge.overrides import AppliedOverride, apply_overrides, read_overrides
from yizhu.knowledge.schema import (
    ID_PREFIXES,
    PACK_FILE_STEMS,
    PACK_KINDS,
    DepartmentItem,
    DiagnosisItem,
    KnowledgeItem,
    LabItem,
    PackKind,
    PackMeta,
    SymptomItem,
    item_model,
)
from yizhu.knowledge.sources import HEADER_FILE, read_source, source_digest

#: The folder of the packs shipped inside the wheel.
BUILTIN_PACKS_DIR = Path(__file__).parent / "packs"
PACK_SUFFIXES = (".jsonl", ".yaml", ".yml")

T = TypeVar("T", bound=KnowledgeItem)
log = logging.getLogger(__name__)

_SPACE = re.compile(r"\s+")


def normalize_term(text: str) -> str:
    """Key for name lookups: NFKC (full-width → half-width), case-folded, whitespace removed."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).casefold()


@dataclass(frozen=True)
class PackFile:
    """One pack file that was loaded: where, its header and how many items it gave."""

    path: Path
    meta: PackMeta
    count: int


@dataclass
class Pack(Generic[T]):
    """All items of one kind, merged from its files, with an id index."""

    kind: PackKind
    items: list[T] = field(default_factory=list)
    files: list[PackFile] = field(default_factory=list)
    by_id: dict[str, T] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.by_id:
            self.by_id = {it.id: it for it in self.items}

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self.by_id

    @property
    def version(self) -> str:
        """Version(s) of the files, e.g. ``1.0.0`` or ``1.0.0+0.2`` when several files merge."""
        return "+".join(f.meta.version for f in self.files) or "-"

    def get(self, item_id: str) -> T:
        """The item with this id; a missing id is a NotFoundError naming the pack."""
        try:
            return self.by_id[item_id]
        except KeyError:
            raise NotFoundError(f"no {self.kind} item '{item_id}' in the knowledge packs") from None


# ---- reading files


def _fail(path: Path, line: int | None, msg: str) -> ConfigError:
    where = f"{path}:{line}" if line is not None else str(path)
    return ConfigError(f"{where}: {msg}")


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(x) for x in err["loc"]) or "(item)"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts) + "; fix the item or the schema in yizhu/knowledge/schema.py"


def _read_jsonl(path: Path) -> tuple[tuple[int, Any], list[tuple[int, Any]]]:
    # Item lines stay raw strings: pydantic parses and validates them in one pass (about twice as fast).
    rows: list[tuple[int, Any]] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if line.strip():
                rows.append((lineno, line))
    if not rows:
        raise _fail(path, None, 'empty pack file; the first line must be {"_meta": {...}}')
    return (rows[0][0], _json(path, *rows[0])), rows[1:]


def _json(path: Path, lineno: int, line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise _fail(path, lineno, f"not valid JSON ({exc.msg}); one object per line") from exc


def _read_yaml(path: Path) -> tuple[tuple[int, Any], list[tuple[int, Any]]]:
    text = path.read_text(encoding="utf-8")
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if not isinstance(node, yaml.MappingNode):
            raise _fail(path, 1, "a YAML pack is a mapping with keys _meta and items")
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise _fail(path, mark.line + 1 if mark else None, f"not valid YAML ({exc})") from exc
    finally:
        loader.dispose()
    lines = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    unknown = set(data) - {"_meta", "items"}
    if unknown:
        raise _fail(path, 1, f"unknown top-level keys {sorted(unknown)}; only _meta and items are allowed")
    meta_line = lines["_meta"].start_mark.line + 1 if "_meta" in lines else 1
    items_node = lines.get("items")
    raw_items = data.get("items") or []
    if not isinstance(raw_items, list) or not isinstance(items_node, yaml.SequenceNode | None):
        raise _fail(path, None, "'items' must be a list")
    item_lines = [n.start_mark.line + 1 for n in items_node.value] if items_node is not None else []
    return (meta_line, {"_meta": data.get("_meta")}), list(zip(item_lines, raw_items, strict=True))


def load_pack_file(path: Path, kind: PackKind | None = None) -> tuple[PackMeta, list[tuple[int, KnowledgeItem]]]:
    """Read and validate one pack file; returns the header and ``(line, item)`` pairs."""
    path = Path(path)
    if path.suffix == ".jsonl":
        (meta_line, head), rows = _read_jsonl(path)
    elif path.suffix in (".yaml", ".yml"):
        (meta_line, head), rows = _read_yaml(path)
    else:
        raise _fail(path, None, f"unknown pack format; use one of {', '.join(PACK_SUFFIXES)}")
    if not isinstance(head, dict) or not isinstance(head.get("_meta"), dict):
        raise _fail(path, meta_line, 'the pack header is missing: start with {"_meta": {kind, name, version, '
                    'description}}')
    try:
        meta = PackMeta.model_validate(head["_meta"])
    except ValidationError as exc:
        raise _fail(path, meta_line, "pack header: " + _validation_message(exc)) from exc
    if kind is not None and meta.kind != kind:
        raise _fail(path, meta_line, f"header says kind '{meta.kind}' but the file is read as '{kind}'; "
                    f"rename the file or fix _meta.kind")
    model = item_model(meta.kind)
    items: list[tuple[int, KnowledgeItem]] = []
    for lineno, raw in rows:
        if isinstance(raw, str):
            if '"source"' in raw and '"_meta"' not in raw:
                try:
                    items.append((lineno, model.model_validate_json(raw)))
                    continue
                except ValidationError:
                    pass  # fall through to the slow path, which gives the precise message
            raw = _json(path, lineno, raw)
        if not isinstance(raw, dict):
            raise _fail(path, lineno, "an item must be an object")
        if "_meta" in raw:
            raise _fail(path, lineno, "a second _meta header; keep only the one on the first line")
        raw.setdefault("kind", meta.kind)
        if raw.get("source") is None and meta.source:
            raw["source"] = meta.source
        try:
            items.append((lineno, model.model_validate(raw)))
        except ValidationError as exc:
            item_id = raw.get("id", "?")
            raise _fail(path, lineno, f"item '{item_id}': {_validation_message(exc)}") from exc
    return meta, items


def discover_pack_files(kind: PackKind, dirs: Sequence[Path] | None = None) -> list[Path]:
    """Pack files of a kind: ``<stem>.<ext>`` or ``<stem>_<part>.<ext>`` in each folder, sorted; a reviewed
    source folder ``<stem>/`` (``yizhu.knowledge.sources``) counts when it has no compiled ``<stem>.jsonl``."""
    stem = PACK_FILE_STEMS[kind]
    found: list[Path] = []
    for d in dirs if dirs is not None else (BUILTIN_PACKS_DIR,):
        d = Path(d)
        if not d.is_dir():
            continue
        if (d / stem / HEADER_FILE).is_file() and not (d / f"{stem}.jsonl").is_file():
            found.append(d / stem)
        for p in sorted(d.iterdir()):
            if p.suffix in PACK_SUFFIXES and (p.stem == stem or p.stem.startswith(stem + "_")):
                found.append(p)
    return found


def _load_compiled(path: Path, kind: PackKind) -> tuple[PackMeta, list[tuple[int, KnowledgeItem]]]:
    """A pack file, or its reviewed source when the compiled file is stale or missing.

    ``<stem>.jsonl`` beside a source folder ``<stem>/`` is used only while its ``compiled_from`` digest
    matches the folder; otherwise the YAML is compiled in memory (slower, and logged), so an edited source
    is what runs even before ``yizhu kb build`` rewrites the file."""
    if path.is_dir():
        src = read_source(path, kind)
        assert src.meta is not None
        return src.meta, [(0, it) for it in src.items]
    meta, rows = load_pack_file(path, kind)
    folder = path.with_suffix("")
    if path.suffix == ".jsonl" and (folder / HEADER_FILE).is_file() and meta.compiled_from != source_digest(folder):
        log.warning("%s is out of date with %s/; using the YAML source (run `yizhu kb build`)", path.name,
                    folder.name)
        src = read_source(folder, kind)
        assert src.meta is not None
        return src.meta, [(0, it) for it in src.items]
    return meta, rows


def load_pack(kind: PackKind, dirs: Sequence[Path] | None = None) -> Pack[Any]:
    """All items of one kind from every pack file of that kind; empty (no files) when none exist."""
    if kind not in PACK_KINDS:
        raise ConfigError(f"unknown pack kind '{kind}'; known kinds: {', '.join(PACK_KINDS)}")
    items: list[KnowledgeItem] = []
    files: list[PackFile] = []
    seen: dict[str, tuple[Path, int]] = {}
    for path in discover_pack_files(kind, dirs):
        meta, rows = _load_compiled(path, kind)
        for lineno, item in rows:
            if item.id in seen:
                first_path, first_line = seen[item.id]
                raise _fail(path, lineno, f"duplicate id '{item.id}' (first at {first_path}:{first_line}); "
                            "ids must be unique across all files of a kind")
            seen[item.id] = (path, lineno)
            items.append(item)
        files.append(PackFile(path=path, meta=meta, count=len(rows)))
    return Pack(kind=kind, items=items, files=files)


# ---- the knowledge base


@dataclass(frozen=True)
class StatsRow:
    """One line of ``yizhu kb stats``."""

    kind: str
    files: list[str]
    version: str
    items: int
    synonyms: int
    missing_source: list[str]
    collisions: int
    dangling_refs: list[str]


class KnowledgeBase:
    """Every loaded pack, with by-id lookup and a name/synonym index per kind."""

    def __init__(self, packs: dict[PackKind, Pack[Any]], overrides: Sequence[AppliedOverride] = ()) -> None:
        self.packs = packs
        #: hospital overrides in force (``yizhu.knowledge.overrides``), in the order they were applied
        self.overrides: list[AppliedOverride] = list(overrides)
        self._terms: dict[PackKind, dict[str, list[KnowledgeItem]]] = {}
        self._codes: dict[str, DiagnosisItem] = {}
        self._loinc: dict[str, LabItem] | None = None
        for kind, pack in packs.items():
            index: dict[str, list[KnowledgeItem]] = {}
            for item in pack.items:
                for term in item.terms():
                    bucket = index.setdefault(normalize_term(term), [])
                    if item not in bucket:
                        bucket.append(item)
            self._terms[kind] = index
        for dx in packs.get("diagnosis", Pack("diagnosis")).items:
            # Both the full code (E11.221+N08.3*) and its primary part (E11.221) find the item.
            self._codes.setdefault(dx.code.upper(), dx)
            self._codes.setdefault(dx.code.split("+", 1)[0].upper(), dx)

    @classmethod
    def load(cls, dirs: Sequence[Path] | None = None, overrides: Path | None = None) -> KnowledgeBase:
        """Load every pack kind found in ``dirs`` (default: the built-in packs), then apply the hospital
        overrides in the ``overrides`` folder, if given (an override that does not fit is a ConfigError)."""
        packs = {kind: load_pack(kind, dirs) for kind in PACK_KINDS}
        entries = read_overrides(overrides) if overrides is not None else []
        if not entries:
            return cls(packs)
        items, applied = apply_overrides({k: p.items for k, p in packs.items()}, entries)
        return cls({k: Pack(kind=k, items=items[k], files=p.files) for k, p in packs.items()}, applied)

    def override_for(self, item_id: str) -> AppliedOverride | None:
        """The last hospital override that changed, added or disabled this item, if any."""
        return next((a for a in reversed(self.overrides) if a.entry.override.item_id == item_id), None)

    def pack(self, kind: PackKind) -> Pack[Any]:
        """The pack of a kind (possibly empty)."""
        if kind not in self.packs:
            raise ConfigError(f"unknown pack kind '{kind}'; known kinds: {', '.join(PACK_KINDS)}")
        return self.packs[kind]

    def get(self, item_id: str) -> KnowledgeItem:
        """Any item by its prefixed id (``icd10:I25.1``, ``lab:hb`` …)."""
        for kind, prefix in ID_PREFIXES.items():
            if item_id.startswith(prefix):
                return self.pack(kind).get(item_id)
        raise NotFoundError(f"'{item_id}' has no known id prefix; use one of {', '.join(ID_PREFIXES.values())}")

    def find(self, term: str, kind: PackKind | None = None) -> list[KnowledgeItem]:
        """Every item whose name, English name or synonym equals ``term`` (normalised)."""
        key = normalize_term(term)
        kinds: Iterable[PackKind] = (kind,) if kind else self._terms.keys()
        out: list[KnowledgeItem] = []
        for k in kinds:
            out.extend(self._terms.get(k, {}).get(key, ()))
        return out

    def resolve(self, term: str, kind: PackKind) -> KnowledgeItem | None:
        """The one item a term names in a kind: a primary-name match wins; ambiguous → None."""
        hits = self.find(term, kind)
        if len(hits) == 1:
            return hits[0]
        key = normalize_term(term)
        primary = [h for h in hits if normalize_term(h.name) == key]
        return primary[0] if len(primary) == 1 else None

    def diagnosis_by_code(self, code: str) -> DiagnosisItem | None:
        """The diagnosis item with exactly this ICD-10 code, if shipped."""
        return self._codes.get(code.strip().upper())

    def diagnosis(self, term: str) -> DiagnosisItem | None:
        """A diagnosis by code or by name/synonym."""
        item = self.diagnosis_by_code(term) or self.resolve(term, "diagnosis")
        return item if isinstance(item, DiagnosisItem) else None

    def symptom(self, term: str) -> SymptomItem | None:
        """A symptom by name or colloquial synonym (头疼 → 头痛)."""
        item = self.resolve(term, "symptom")
        return item if isinstance(item, SymptomItem) else None

    def lab(self, term: str) -> LabItem | None:
        """A lab test by name or alias (HGB, Hb → 血红蛋白)."""
        item = self.resolve(term, "lab")
        return item if isinstance(item, LabItem) else None

    def lab_by_loinc(self, code: str) -> LabItem | None:
        """The lab test a LOINC code names (its primary code or one of ``loinc_also``), if shipped."""
        if self._loinc is None:
            index: dict[str, LabItem] = {}
            for item in self.packs.get("lab", Pack("lab")).items:
                for c in item.loinc_codes:
                    index.setdefault(c, item)
            self._loinc = index
        return self._loinc.get(code.strip())

    def department(self, term: str) -> DepartmentItem | None:
        """A department by name or alias (心内科 → 心血管内科)."""
        item = self.resolve(term, "department")
        return item if isinstance(item, DepartmentItem) else None

    def terms(self, kind: PackKind) -> dict[str, list[KnowledgeItem]]:
        """The normalised term index of one kind (for dictionary matchers such as Aho–Corasick)."""
        return self._terms.get(kind, {})

    def collisions(self, kind: PackKind) -> dict[str, list[str]]:
        """Terms that point at more than one item of a kind, with the item ids."""
        return {t: [i.id for i in items] for t, items in self._terms.get(kind, {}).items() if len(items) > 1}

    def dangling_references(self) -> list[str]:
        """Department references (diagnosis/symptom departments, department parents) that do not exist."""
        depts = self.packs.get("department")
        if depts is None or not len(depts):
            return []
        out: list[str] = []
        for kind in ("diagnosis", "symptom"):
            for item in self.packs.get(kind, Pack(kind)).items:  # type: ignore[arg-type]
                out.extend(f"{item.id} → {d}" for d in item.departments if d not in depts)  # type: ignore[attr-defined]
        for dept in depts.items:
            if dept.parent is not None and dept.parent not in depts:
                out.append(f"{dept.id} → {dept.parent}")
        return out

    def stats(self) -> list[StatsRow]:
        """Counts per pack, items lacking a source, term collisions and dangling references."""
        dangling = self.dangling_references()
        rows = []
        for kind in PACK_KINDS:
            pack = self.packs.get(kind, Pack(kind))
            rows.append(
                StatsRow(
                    kind=kind,
                    files=[f.path.name for f in pack.files],
                    version=pack.version,
                    items=len(pack),
                    synonyms=sum(len(i.synonyms) for i in pack.items),
                    missing_source=[i.id for i in pack.items if not i.source.strip()],
                    collisions=len(self.collisions(kind)),
                    dangling_refs=[d for d in dangling if d.startswith(ID_PREFIXES[kind])],
                )
            )
        return rows


@lru_cache(maxsize=1)
def get_kb() -> KnowledgeBase:
    """The process-wide knowledge base: the built-in packs with the hospital overrides of the settings
    (``knowledge_overrides``), loaded once (``get_kb.cache_clear()`` reloads)."""
    from yizhu.config import get_settings

    return KnowledgeBase.load(overrides=get_settings().knowledge_overrides_dir())


def kb_stats(kb: KnowledgeBase | None = None) -> list[StatsRow]:
    """Rows for ``yizhu kb stats``: per pack counts and the ids of items lacking a source."""
    return (kb or get_kb()).stats()
