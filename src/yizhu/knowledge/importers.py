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
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from yizhu.errors import ConfigError, InputError
from yizhu.knowledge.imported import (
    IMPORT_KINDS,
    DocumentChunk,
    FormularyEntry,
    ImportKind,
    ImportReport,
    KnowledgeStore,
    RowError,
    atomic_write,
    changed,
)

DOCUMENT_SUFFIXES = (".md", ".markdown", ".txt", ".pdf", ".docx")

#: Codes as hospital tables write them: E11.900, A01.003+G01*, A33xx01, M800000/3 (morphology).
ICD_CODE_RELAXED = re.compile(r"^[A-Z]\d{2}[0-9A-Za-z.]*(?:/\d)?(?:\+(?:[A-Z]\d{2}[0-9A-Za-z.]*)?)?\*?$")
_BRACKETED = re.compile(r"[\[［]([^\]］]+)[\]］]")
_SYN_SPLIT = re.compile(r"[|;；、]")
_SLUG = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff._-]+")

ICD_HEADERS = {
    "code": ("code", "icd", "icd10", "icd_code", "编码", "代码", "疾病编码", "诊断编码", "icd编码", "icd-10"),
    "name": ("name", "名称", "疾病名称", "诊断名称", "icd名称"),
    "synonyms": ("synonyms", "synonym", "同义词", "别名"),
}
FORMULARY_HEADERS = {
    "code": ("code", "药品编码", "编码", "项目编码"),
    "name": ("name", "药品名称", "名称", "项目名称"),
    "generic": ("generic", "通用名", "通用名称"),
    "brand": ("brand", "商品名", "商品名称"),
    "spec": ("spec", "规格"),
    "dose_form": ("dose_form", "剂型"),
    "route": ("route", "给药途径", "用法"),
    "manufacturer": ("manufacturer", "生产企业", "厂家", "生产厂家"),
    "atc": ("atc", "atc编码"),
}


# ---- helpers


def source_id_for(path: Path, name: str | None = None) -> str:
    """A file-system-safe id for a source: the given name or the file stem."""
    raw = unicodedata.normalize("NFKC", name or path.stem).strip()
    sid = _SLUG.sub("-", raw).strip("-._")
    if not sid:
        raise InputError(f"cannot derive a source name from '{raw}'; pass --name with letters or digits")
    return sid[:80]


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected a file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc


def _decode(path: Path, data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{path}: not UTF-8 or GB18030 text; save the table as UTF-8 CSV")


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s).strip()


def _rows(path: Path, text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
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


def _columns(path: Path, header: list[str], wanted: dict[str, tuple[str, ...]], required: tuple[str, ...]) -> dict[str, int]:
    cols: dict[str, int] = {}
    for key, names in wanted.items():
        for i, h in enumerate(header):
            if _nfkc(h).casefold() in names:
                cols[key] = i
                break
    missing = [k for k in required if k not in cols]
    if missing:
        raise InputError(f"{path}:1: header lacks column(s) {', '.join(missing)}; expected e.g. "
                         f"{','.join(required)} (found: {','.join(header)})")
    return cols


def split_icd_name(name: str) -> tuple[str, tuple[str, ...]]:
    """``肝阿米巴病[阿米巴肝脓肿]`` → (``肝阿米巴病``, (``阿米巴肝脓肿``,)): bracketed parts are synonyms."""
    syns = tuple(s.strip() for s in _BRACKETED.findall(name) if s.strip())
    base = _BRACKETED.sub("", name).strip()
    return (base or name), syns


# ---- importers


def import_icd(path: Path | str, *, data_dir: Path | str | None = None, name: str | None = None) -> ImportReport:
    """Import an ICD-10 table (CSV/TSV ``code,name[,synonyms]``, header optional)."""
    path = Path(path)
    data = _read_bytes(path)
    sha = hashlib.sha256(data).hexdigest()
    store = KnowledgeStore(data_dir)
    sid = source_id_for(path, name)
    same = store.unchanged("icd", sid, sha)
    if same and _has_display(Path(same.stored)):
        return same  # (imports made before exact spellings were kept are redone once)
    header, rows = _rows(path, _decode(path, data))
    if ICD_CODE_RELAXED.match(_nfkc(rows[0][1][0]).upper()):
        cols = {"code": 0, "name": 1, "synonyms": 2}  # no header row
    else:
        cols = _columns(path, header, ICD_HEADERS, ("code", "name"))
        rows = rows[1:]
    report = ImportReport(kind="icd", file=path.name, source_id=sid, sha256=sha)
    seen: dict[str, int] = {}
    out: list[str] = []
    for line, cells in rows:
        report.rows += 1

        def cell(key: str, cells: list[str] = cells) -> str:
            i = cols.get(key)
            return _nfkc(cells[i]) if i is not None and i < len(cells) else ""

        code, raw_name = cell("code").upper(), cell("name")
        if not code or not raw_name:
            report.errors.append(RowError(path.name, line, "needs both a code and a name"))
            continue
        if not ICD_CODE_RELAXED.match(code):
            report.errors.append(RowError(path.name, line, f"'{code}' is not an ICD-10 code (like E11.900 or "
                                          "A01.003+G01*)"))
            continue
        if code in seen:
            report.errors.append(RowError(path.name, line, f"duplicate code {code} (first at line {seen[code]}); "
                                          "kept the first"))
            continue
        seen[code] = line
        base, syns = split_icd_name(raw_name)
        extra = tuple(s.strip() for s in _SYN_SPLIT.split(cell("synonyms")) if s.strip())
        synonyms = [s for s in dict.fromkeys((*syns, *extra)) if s != base]
        i_name = cols.get("name")
        display = cells[i_name].strip() if i_name is not None and i_name < len(cells) else raw_name
        out.append(json.dumps({"code": code, "name": base, "synonyms": synonyms, "display": display, "line": line},
                              ensure_ascii=False))
        report.loaded += 1
    return _finish(store, report, out)


def _has_display(stored: Path) -> bool:
    """Whether a stored ICD import keeps each name's exact spelling (``display``)."""
    try:
        with stored.open(encoding="utf-8") as fh:
            first = fh.readline()
    except OSError:
        return False
    return not first.strip() or '"display"' in first


def import_formulary(path: Path | str, *, data_dir: Path | str | None = None, name: str | None = None) -> ImportReport:
    """Import a hospital formulary (CSV/TSV with the documented columns; header required)."""
    path = Path(path)
    data = _read_bytes(path)
    sha = hashlib.sha256(data).hexdigest()
    store = KnowledgeStore(data_dir)
    sid = source_id_for(path, name)
    same = store.unchanged("formulary", sid, sha)
    if same:
        return same
    header, rows = _rows(path, _decode(path, data))
    cols = _columns(path, header, FORMULARY_HEADERS, ("code", "name"))
    report = ImportReport(kind="formulary", file=path.name, source_id=sid, sha256=sha)
    seen: dict[str, int] = {}
    out: list[str] = []
    for line, cells in rows[1:]:
        report.rows += 1
        values = {k: (_nfkc(cells[i]) if i < len(cells) else "") for k, i in cols.items()}
        if not values.get("code") or not values.get("name"):
            report.errors.append(RowError(path.name, line, "needs both a code and a name"))
            continue
        if values["code"] in seen:
            report.errors.append(RowError(path.name, line, f"duplicate code {values['code']} (first at line "
                                          f"{seen[values['code']]}); kept the first"))
            continue
        atc = values.get("atc", "").upper() or None
        if atc and not re.match(r"^[A-Z](\d{2}([A-Z]([A-Z](\d{2})?)?)?)?$", atc):
            report.errors.append(RowError(path.name, line, f"'{atc}' is not an ATC code like C10AA05"))
            continue
        seen[values["code"]] = line
        entry = FormularyEntry(
            **{k: (values.get(k) or None) for k in ("generic", "brand", "spec", "dose_form", "route", "manufacturer")},
            code=values["code"], name=values["name"], atc=atc, source=path.name,
        )
        out.append(json.dumps(asdict(entry), ensure_ascii=False))
        report.loaded += 1
    report = _finish(store, report, out)
    _link_formulary(report, [FormularyEntry(**json.loads(x)) for x in out])
    return report


def _link_formulary(report: ImportReport, entries: list[FormularyEntry]) -> None:
    """Warn about items that name no known generic drug (they still load; prescription checks skip them)."""
    from yizhu.knowledge.terminology.normalise import DrugNormaliser

    norm = DrugNormaliser.from_packs()
    if not norm.size:
        report.warnings.append("no drug pack is loaded, so formulary items are not yet linked to generics")
        return
    missing = [e for e in entries if norm.match(e.generic or e.name) is None and norm.match(e.name) is None]
    if missing:
        shown = ", ".join(f"{e.code} {e.name}" for e in missing[:5])
        report.warnings.append(f"{len(missing)} item(s) match no generic drug in the packs (e.g. {shown})")


def _finish(store: KnowledgeStore, report: ImportReport, lines: list[str]) -> ImportReport:
    if report.loaded == 0:
        first = "; ".join(str(e) for e in report.errors[:3])
        raise InputError(f"{report.file}: no row could be loaded ({first or 'no data rows'}); fix the file")
    target = store.path(report.kind, report.source_id)
    atomic_write(target, lines)
    report.stored = str(target)
    report.imported_at = datetime.now(UTC).isoformat(timespec="seconds")
    store.record(report)
    return report


# ---- documents


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
#: Numbered headings in PDFs and plain text: 第一章, 一、, 1., 1.2, （一）.
_TEXT_HEADING = re.compile(
    r"^(第[一二三四五六七八九十百\d]+[章节部分篇]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]"
    r"|\d+(?:\.\d+)*[.、]?\s)\s*\S"
)
MAX_CHUNK_CHARS = 600


@dataclass
class _Block:
    path: list[str]
    paras: list[tuple[str, int | None]]  # (text, page)
    line: int | None = None


def _heading_level(line: str) -> int | None:
    """Level of a numbered heading (1 for 第X章/一、, 2 for （一）/1.1, …), None for body text."""
    s = line.strip()
    if len(s) > 40 or s.endswith(("。", "；", ";")):
        return None
    m = _TEXT_HEADING.match(s)
    if not m:
        return None
    head = m.group(1)
    if head.startswith("第") or head[0] in "一二三四五六七八九十":
        return 1
    if head[0] in "（(":
        return 2
    return min(head.count(".") + 1 if not head.rstrip().endswith(".") else head.count("."), 6) or 1


def _split_paragraph(text: str, limit: int = MAX_CHUNK_CHARS) -> list[str]:
    if len(text) <= limit:
        return [text]
    parts = re.split(r"(?<=[。；;！!？?])", text)
    out: list[str] = []
    cur = ""
    for p in parts:
        if cur and len(cur) + len(p) > limit:
            out.append(cur)
            cur = ""
        cur += p
        while len(cur) > limit:
            out.append(cur[:limit])
            cur = cur[limit:]
    if cur:
        out.append(cur)
    return out


def _chunks(doc_id: str, title: str, source: str, blocks: list[_Block]) -> list[DocumentChunk]:
    """Blocks (one per heading) → chunks of at most MAX_CHUNK_CHARS, paragraphs kept together."""
    out: list[DocumentChunk] = []
    for b in blocks:
        section = " > ".join(b.path)
        pieces: list[tuple[str, int | None]] = []
        cur, cur_page = "", None
        for text, page in b.paras:
            for piece in _split_paragraph(text):
                if cur and len(cur) + len(piece) + 1 > MAX_CHUNK_CHARS:
                    pieces.append((cur, cur_page))
                    cur, cur_page = "", None
                cur = f"{cur}\n{piece}" if cur else piece
                cur_page = cur_page if cur_page is not None else page
        if cur:
            pieces.append((cur, cur_page))
        for k, (text, page) in enumerate(pieces, start=1):
            loc = [f"§ {section}" if section else "§ (正文)"]
            if len(pieces) > 1:
                loc.append(f"part {k}/{len(pieces)}")
            if page is not None:
                loc.append(f"p. {page}")
            elif b.line is not None:
                loc.append(f"line {b.line}")
            out.append(DocumentChunk(doc_id=doc_id, chunk=len(out) + 1, title=title, section=section,
                                     text=text, locator=", ".join(loc), source=source, page=page))
    return out


def _blocks_from_lines(lines: Iterable[tuple[str, int | None, int | None]], markdown: bool) -> tuple[str | None, list[_Block]]:
    """Group ``(line, page, lineno)`` into heading blocks; returns the first H1 (title) and the blocks."""
    blocks: list[_Block] = [_Block([], [])]
    path: list[tuple[int, str]] = []
    title: str | None = None
    para: list[str] = []
    para_page: int | None = None

    def flush() -> None:
        nonlocal para, para_page
        if para:
            blocks[-1].paras.append(("".join(para) if not markdown else " ".join(para), para_page))
        para, para_page = [], None

    for raw, page, lineno in lines:
        line = raw.strip()
        if not line:
            flush()
            continue
        level: int | None
        m = _MD_HEADING.match(line) if markdown else None
        if m:
            level, heading = len(m.group(1)), m.group(2).strip()
        else:
            level = None if markdown else _heading_level(line)
            heading = line
        if level is not None:
            flush()
            if markdown and level == 1 and title is None:
                title = heading
                continue
            path = [(lv, h) for lv, h in path if lv < level] + [(level, heading)]
            blocks.append(_Block([h for _, h in path], [], lineno))
            continue
        if para_page is None:
            para_page = page
        para.append(line)
        if not markdown and line.endswith(("。", "！", "？", ".", ":", "：")):
            flush()
    flush()
    return title, [b for b in blocks if b.paras]


def _markdown_blocks(text: str) -> tuple[str | None, list[_Block]]:
    return _blocks_from_lines(((ln, None, i) for i, ln in enumerate(text.splitlines(), start=1)), markdown=True)


def _pdf_blocks(path: Path, data: bytes) -> tuple[str | None, list[_Block]]:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:
        raise ConfigError("importing PDF needs the 'pypdf' package: pip install pypdf") from exc
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [(p.extract_text() or "") for p in reader.pages]
        meta_title = (reader.metadata.title if reader.metadata else None) or None
    except (PdfReadError, ValueError, KeyError) as exc:
        raise InputError(f"{path}: not a readable PDF ({exc})") from exc
    if not any(p.strip() for p in pages):
        raise InputError(f"{path}: the PDF has no text layer (a scan?); OCR it first, then import the text")
    lines = ((ln, pno, None) for pno, text in enumerate(pages, start=1) for ln in text.splitlines())
    _, blocks = _blocks_from_lines(lines, markdown=False)
    return meta_title, blocks


def _docx_blocks(path: Path, data: bytes) -> tuple[str | None, list[_Block]]:
    try:
        import docx
    except ImportError as exc:
        raise ConfigError("importing DOCX needs the 'python-docx' package: pip install python-docx") from exc
    try:
        d = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types for a broken file
        raise InputError(f"{path}: not a readable DOCX ({exc})") from exc
    blocks: list[_Block] = [_Block([], [])]
    path_stack: list[tuple[int, str]] = []
    title = d.core_properties.title or None
    for i, p in enumerate(d.paragraphs, start=1):
        text = p.text.strip()
        if not text:
            continue
        style = (p.style.name if p.style is not None else "") or ""
        m = re.match(r"^(?:Heading|标题)\s*(\d)$", style)
        if style == "Title" and title is None:
            title = text
            continue
        if m:
            level = int(m.group(1))
            path_stack = [(lv, h) for lv, h in path_stack if lv < level] + [(level, text)]
            blocks.append(_Block([h for _, h in path_stack], [], i))
            continue
        blocks[-1].paras.append((text, None))
    for table in d.tables:  # tables (dose tables, criteria) become one paragraph per row
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells if c.text.strip()]
            if cells:
                blocks[-1].paras.append((" | ".join(dict.fromkeys(cells)), None))
    return title, [b for b in blocks if b.paras]


def chunk_document(path: Path | str, data: bytes | None = None, *, doc_id: str | None = None,
                   source: str | None = None) -> list[DocumentChunk]:
    """Split a Markdown, text, PDF or DOCX document into cited chunks by its headings."""
    path = Path(path)
    data = _read_bytes(path) if data is None else data
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        title, blocks = _markdown_blocks(_decode(path, data))
    elif suffix == ".txt":
        lines = ((ln, None, i) for i, ln in enumerate(_decode(path, data).splitlines(), start=1))
        title, blocks = _blocks_from_lines(lines, markdown=False)
    elif suffix == ".pdf":
        title, blocks = _pdf_blocks(path, data)
    elif suffix == ".docx":
        title, blocks = _docx_blocks(path, data)
    else:
        raise InputError(f"{path}: unknown document type '{suffix}'; use one of {', '.join(DOCUMENT_SUFFIXES)}")
    if not blocks:
        raise InputError(f"{path}: no text found to import")
    did = doc_id or source_id_for(path)
    return _chunks(did, title or path.stem, source or path.name, blocks)


def import_document(path: Path | str, *, data_dir: Path | str | None = None, name: str | None = None,
                    source: str | None = None) -> ImportReport:
    """Import a guideline or protocol (Markdown, text, PDF, DOCX) as chunks with locators."""
    path = Path(path)
    data = _read_bytes(path)
    sha = hashlib.sha256(data + (source or "").encode()).hexdigest()
    store = KnowledgeStore(data_dir)
    sid = source_id_for(path, name)
    same = store.unchanged("document", sid, sha)
    if same:
        return same
    chunks = chunk_document(path, data, doc_id=sid, source=source)
    report = ImportReport(kind="document", file=path.name, source_id=sid, sha256=sha, rows=len(chunks),
                          loaded=len(chunks))
    return _finish(store, report, [json.dumps(asdict(c), ensure_ascii=False) for c in chunks])


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
