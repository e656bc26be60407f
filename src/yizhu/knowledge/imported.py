"""The hospital's imported knowledge as stored: the record types (``IcdRow``, ``FormularyEntry``,
``DocumentChunk``, ``ImportReport``), the on-disk store under ``<data_dir>/knowledge/`` with its manifest,
and the change listeners.

Importers (``importers.py``) write through this module; terminology and retrieval read through it and
register a listener that drops their cached services when an import changes what is stored. So the
arrows go one way: importers → terminology → imported, importers → imported, retrieval → imported.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from yizhu.errors import ConfigError

ImportKind = Literal["icd", "formulary", "document"]
IMPORT_KINDS: tuple[ImportKind, ...] = ("icd", "formulary", "document")


@dataclass(frozen=True)
class RowError:
    """One row that could not be loaded: where it is and why."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass
class ImportReport:
    """What one import did: rows read, loaded, skipped (with the reason each), and where it is stored."""

    kind: ImportKind
    file: str
    source_id: str
    sha256: str
    rows: int = 0
    loaded: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unchanged: bool = False
    stored: str = ""
    imported_at: str = ""

    @property
    def skipped(self) -> int:
        """Rows reported as errors and left out."""
        return len(self.errors)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (CLI and API)."""
        d = asdict(self)
        d["errors"] = [asdict(e) for e in self.errors]
        d["skipped"] = self.skipped
        return d


@dataclass(frozen=True)
class IcdRow:
    """One row of an imported ICD-10 table; bracketed alternatives in the name become synonyms."""

    code: str
    name: str
    synonyms: tuple[str, ...] = ()
    source: str = ""
    #: The name exactly as the table spells it (brackets and punctuation kept); "" for older imports.
    display: str = ""

    @property
    def morphology(self) -> bool:
        """M8000/3-style tumour morphology codes: not diagnosis codes for the 病案首页 main code."""
        return "/" in self.code


@dataclass(frozen=True)
class FormularyEntry:
    """One item of the hospital formulary as imported (linked to a generic drug at load time)."""

    code: str
    name: str
    generic: str | None = None
    brand: str | None = None
    spec: str | None = None
    dose_form: str | None = None
    route: str | None = None
    manufacturer: str | None = None
    atc: str | None = None
    source: str = ""


@dataclass(frozen=True)
class DocumentChunk:
    """A passage of an imported document with the locator a citation needs."""

    doc_id: str
    chunk: int
    title: str
    section: str
    text: str
    locator: str
    source: str
    page: int | None = None

    @property
    def id(self) -> str:
        """Stable passage id: ``doc:<doc_id>#<chunk>``."""
        return f"doc:{self.doc_id}#{self.chunk}"


# ---- the on-disk store


def knowledge_dir(data_dir: Path | str | None = None) -> Path:
    """Where imported knowledge lives: ``<data_dir>/knowledge`` (data_dir from Settings by default)."""
    if data_dir is None:
        from yizhu.config import get_settings

        data_dir = get_settings().data_dir
    return Path(data_dir) / "knowledge"


def atomic_write(path: Path, lines: Iterable[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(line)
            fh.write("\n")
    os.replace(tmp, path)


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


class KnowledgeStore:
    """The imported sources under one data directory, with their manifest."""

    def __init__(self, data_dir: Path | str | None = None) -> None:
        self.root = knowledge_dir(data_dir)

    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.json"

    def manifest(self) -> dict[str, dict[str, Any]]:
        """``{"<kind>/<source_id>": report dict}`` for every import in force."""
        if not self.manifest_path.is_file():
            return {}
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{self.manifest_path}: corrupt manifest ({exc.msg}); re-import the sources "
                              "or delete the file to start afresh") from exc

    def version(self) -> str:
        """Changes whenever an import changes what is stored (a cheap cache key)."""
        m = self.manifest()
        return hashlib.sha1(json.dumps(sorted((k, v["sha256"]) for k, v in m.items())).encode()).hexdigest()[:16]

    def record(self, report: ImportReport) -> None:
        """Enter one import in the manifest (replacing what the same source gave before)."""
        m = self.manifest()
        m[f"{report.kind}/{report.source_id}"] = report.to_dict()
        self.root.mkdir(parents=True, exist_ok=True)
        atomic_write(self.manifest_path, [json.dumps(m, ensure_ascii=False, indent=1)])

    def annotate(self, kind: ImportKind, source_id: str, **fields: str) -> bool:
        """Add facts about an import to its manifest entry (``imported_by`` from the page or API); False when
        there is no such entry."""
        m = self.manifest()
        entry = m.get(f"{kind}/{source_id}")
        if entry is None:
            return False
        entry.update(fields)
        atomic_write(self.manifest_path, [json.dumps(m, ensure_ascii=False, indent=1)])
        return True

    def remove(self, kind: ImportKind, source_id: str) -> bool:
        """Forget one imported source (its rows and manifest entry); False when it was not there."""
        m = self.manifest()
        entry = m.pop(f"{kind}/{source_id}", None)
        if entry is None:
            return False
        Path(entry["stored"]).unlink(missing_ok=True)
        atomic_write(self.manifest_path, [json.dumps(m, ensure_ascii=False, indent=1)])
        return True

    def unchanged(self, kind: ImportKind, source_id: str, sha: str) -> ImportReport | None:
        """The recorded report when this exact file (same sha256) is already imported and stored."""
        entry = self.manifest().get(f"{kind}/{source_id}")
        if entry and entry["sha256"] == sha and Path(entry["stored"]).is_file():
            errors = [RowError(**e) for e in entry.get("errors", [])]
            fields = {k: entry[k] for k in ("kind", "file", "source_id", "sha256", "rows", "loaded", "stored",
                                            "imported_at")}
            return ImportReport(**fields, errors=errors, warnings=entry.get("warnings", []), unchanged=True)
        return None

    def path(self, kind: ImportKind, source_id: str) -> Path:
        folder = {"icd": "icd", "formulary": "formulary", "document": "documents"}[kind]
        return self.root / folder / f"{source_id}.jsonl"

    # ---- readers used by terminology and retrieval

    def icd_rows(self) -> list[IcdRow]:
        """Every imported ICD row; when two sources give one code, the later import wins."""
        by_code: dict[str, IcdRow] = {}
        for entry in self._entries("icd"):
            for r in _jsonl(Path(entry["stored"])):
                by_code[r["code"]] = IcdRow(r["code"], r["name"], tuple(r.get("synonyms", ())), entry["file"],
                                            r.get("display", ""))
        return list(by_code.values())

    def formulary(self) -> list[FormularyEntry]:
        """Every imported formulary item (later imports win per item code)."""
        by_code: dict[str, FormularyEntry] = {}
        for entry in self._entries("formulary"):
            for r in _jsonl(Path(entry["stored"])):
                by_code[r["code"]] = FormularyEntry(**r)
        return list(by_code.values())

    def documents(self) -> Iterator[DocumentChunk]:
        """Every chunk of every imported document."""
        for entry in self._entries("document"):
            for r in _jsonl(Path(entry["stored"])):
                yield DocumentChunk(**r)

    def _entries(self, kind: ImportKind) -> list[dict[str, Any]]:
        entries = [v for v in self.manifest().values() if v["kind"] == kind]
        return sorted(entries, key=lambda v: v["imported_at"])


# ---- change listeners


Listener = Callable[[Path | str | None], None]
_listeners: list[Listener] = []
_listeners_lock = threading.Lock()


def on_change(listener: Listener) -> Listener:
    """Call ``listener(data_dir)`` whenever an import changes a data directory (None: forget all).

    A service that caches what it built from the store (terminology, the retrieval index) registers its
    invalidation here when its module is imported; usable as a decorator.
    """
    with _listeners_lock:
        if listener not in _listeners:
            _listeners.append(listener)
    return listener


def changed(data_dir: Path | str | None = None) -> None:
    """Tell every listener that what is stored under ``data_dir`` changed (None: every data directory)."""
    with _listeners_lock:
        listeners = list(_listeners)
    for listener in listeners:
        listener(data_dir)
