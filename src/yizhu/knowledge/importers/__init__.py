"""Import a hospital's own knowledge without code: ICD-10 tables, a formulary, guideline documents.

Imported data lives under ``Settings.data_dir / "knowledge"`` (never inside the package)::

    var/knowledge/
    ├── manifest.json              one entry per imported source: kind, file, sha256, counts, errors
    ├── icd/<source>.jsonl         {"code", "name", "synonyms", "line"} per row
    ├── formulary/<source>.jsonl   FormularyEntry per row
    ├── documents/<source>.jsonl   DocumentChunk per chunk (heading path, page, locator)
    └── index/                     the retrieval index (yizhu.knowledge.retrieval)

A source is named by its file stem (``--name`` overrides), so importing the same file again replaces
what it gave before: re-importing is idempotent, and an unchanged file (same sha256) is a no-op. A bad
row is reported with file and line and skipped; the rest still loads. Only an unreadable file, or one
in which no row at all is usable, fails as a whole (InputError).

Formulary CSV columns (header required; English or Chinese names, any order)::

    code (药品编码)        required  the hospital's item code
    name (药品名称)        required  the name on the order screen, e.g. 阿托伐他汀钙片(立普妥) 20mg*7片
    generic (通用名)       optional  generic name; derived from ``name`` when absent
    brand (商品名)         optional
    spec (规格)            optional  e.g. 20mg*7片
    dose_form (剂型)       optional
    route (给药途径)       optional
    manufacturer (生产企业) optional
    atc (ATC)              optional  WHO ATC code

One module a source kind — ``icd``, ``formulary``, ``documents`` — over ``common`` (reading the file,
recording the import); what an import stores is ``yizhu.knowledge.imported``. To add a knowledge
source: a module here with ``import_<kind>(path, *, data_dir, name)`` returning an ``ImportReport``, its
kind in ``imported.IMPORT_KINDS`` and a branch in ``import_file``.
"""

from __future__ import annotations

from pathlib import Path

from yizhu.errors import InputError
from yizhu.knowledge.imported import IMPORT_KINDS, ImportKind, ImportReport, changed
from yizhu.knowledge.importers.documents import DOCUMENT_SUFFIXES, chunk_document, import_document
from yizhu.knowledge.importers.formulary import import_formulary
from yizhu.knowledge.importers.icd import import_icd, split_icd_name


def detect_kind(path: Path) -> ImportKind:
    """Guess the import kind from the file: documents by suffix; tables must say which they are."""
    if path.suffix.lower() in DOCUMENT_SUFFIXES:
        return "document"
    raise InputError(f"{path}: say what the table is with --kind icd or --kind formulary")


def import_file(path: Path | str, kind: ImportKind | None = None, *, data_dir: Path | str | None = None,
                name: str | None = None, source: str | None = None) -> ImportReport:
    """Import any supported file; ``kind`` is icd, formulary or document (guessed for documents)."""
    path = Path(path)
    kind = kind or detect_kind(path)
    if kind == "icd":
        report = import_icd(path, data_dir=data_dir, name=name)
    elif kind == "formulary":
        report = import_formulary(path, data_dir=data_dir, name=name)
    elif kind == "document":
        report = import_document(path, data_dir=data_dir, name=name, source=source)
    else:
        raise InputError(f"unknown import kind '{kind}'; use one of {', '.join(IMPORT_KINDS)}")
    if not report.unchanged:
        changed(data_dir)
    return report


__all__ = [
    "chunk_document",
    "detect_kind",
    "import_document",
    "import_file",
    "import_formulary",
    "import_icd",
    "split_icd_name",
]
