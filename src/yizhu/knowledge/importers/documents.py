"""Import guideline documents (Markdown, text, PDF, DOCX): split into passages by heading and paragraph,
each with the heading path and page a citation needs.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from yizhu.errors import ConfigError, InputError
from yizhu.knowledge.imported import (
    DocumentChunk,
    ImportReport,
    KnowledgeStore,
)
from yizhu.knowledge.importers.common import decode_text, finish_import, read_source, source_id_for

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
    data = read_source(path) if data is None else data
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        title, blocks = _markdown_blocks(decode_text(path, data))
    elif suffix == ".txt":
        lines = ((ln, None, i) for i, ln in enumerate(decode_text(path, data).splitlines(), start=1))
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
    data = read_source(path)
    sha = hashlib.sha256(data + (source or "").encode()).hexdigest()
    store = KnowledgeStore(data_dir)
    sid = source_id_for(path, name)
    same = store.unchanged("document", sid, sha)
    if same:
        return same
    chunks = chunk_document(path, data, doc_id=sid, source=source)
    report = ImportReport(kind="document", file=path.name, source_id=sid, sha256=sha, rows=len(chunks),
                          loaded=len(chunks))
    return finish_import(store, report, [json.dumps(asdict(c), ensure_ascii=False) for c in chunks])


DOCUMENT_SUFFIXES = (".md", ".markdown", ".txt", ".pdf", ".docx")
