"""What every importer shares: reading a source file (bytes, UTF-8 or GB18030, CSV/TSV rows, header
columns in English or Chinese), the source id, and recording the import in the store.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from yizhu.errors import InputError
from yizhu.knowledge.imported import (
    ImportReport,
    KnowledgeStore,
    atomic_write,
)

# ---- helpers


def source_id_for(path: Path, name: str | None = None) -> str:
    """A file-system-safe id for a source: the given name or the file stem."""
    raw = unicodedata.normalize("NFKC", name or path.stem).strip()
    sid = _SLUG.sub("-", raw).strip("-._")
    if not sid:
        raise InputError(f"cannot derive a source name from '{raw}'; pass --name with letters or digits")
    return sid[:80]


def read_source(path: Path) -> bytes:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected a file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc


def decode_text(path: Path, data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{path}: not UTF-8 or GB18030 text; save the table as UTF-8 CSV")


def nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s).strip()


def csv_rows(path: Path, text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and ``(line, cells)`` rows of a CSV/TSV (delimiter from the first line)."""
    first = text.split("\n", 1)[0]
    delim = "\t" if "\t" in first else ","
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    rows: list[tuple[int, list[str]]] = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        rows.append((reader.line_num, [c.strip() for c in cells]))
    if not rows:
        raise InputError(f"{path}: empty table")
    return [c.casefold() for c in rows[0][1]], rows


def header_columns(path: Path, header: list[str], wanted: dict[str, tuple[str, ...]], required: tuple[str, ...]) -> dict[str, int]:
    cols: dict[str, int] = {}
    for key, names in wanted.items():
        for i, h in enumerate(header):
            if nfkc(h).casefold() in names:
                cols[key] = i
                break
    missing = [k for k in required if k not in cols]
    if missing:
        raise InputError(f"{path}:1: header lacks column(s) {', '.join(missing)}; expected e.g. "
                         f"{','.join(required)} (found: {','.join(header)})")
    return cols


_SLUG = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff._-]+")
def finish_import(store: KnowledgeStore, report: ImportReport, lines: list[str]) -> ImportReport:
    if report.loaded == 0:
        first = "; ".join(str(e) for e in report.errors[:3])
        raise InputError(f"{report.file}: no row could be loaded ({first or 'no data rows'}); fix the file")
    target = store.path(report.kind, report.source_id)
    atomic_write(target, lines)
    report.stored = str(target)
    report.imported_at = datetime.now(UTC).isoformat(timespec="seconds")
    store.record(report)
    return report
