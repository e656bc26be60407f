"""Import a hospital's ICD-10 table (CSV/TSV ``code,name[,synonyms]``, header optional); bracketed
alternatives in a name become synonyms, the exact spelling is kept.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from yizhu.knowledge.imported import (
    ImportReport,
    KnowledgeStore,
    RowError,
)
from yizhu.knowledge.importers.common import (
    csv_rows,
    decode_text,
    finish_import,
    header_columns,
    nfkc,
    read_source,
    source_id_for,
)


def split_icd_name(name: str) -> tuple[str, tuple[str, ...]]:
    """``肝阿米巴病[阿米巴肝脓肿]`` → (``肝阿米巴病``, (``阿米巴肝脓肿``,)): bracketed parts are synonyms."""
    syns = tuple(s.strip() for s in _BRACKETED.findall(name) if s.strip())
    base = _BRACKETED.sub("", name).strip()
    return (base or name), syns


# ---- importers


def import_icd(path: Path | str, *, data_dir: Path | str | None = None, name: str | None = None) -> ImportReport:
    """Import an ICD-10 table (CSV/TSV ``code,name[,synonyms]``, header optional)."""
    path = Path(path)
    data = read_source(path)
    sha = hashlib.sha256(data).hexdigest()
    store = KnowledgeStore(data_dir)
    sid = source_id_for(path, name)
    same = store.unchanged("icd", sid, sha)
    if same and _has_display(Path(same.stored)):
        return same  # (imports made before exact spellings were kept are redone once)
    header, rows = csv_rows(path, decode_text(path, data))
    if ICD_CODE_RELAXED.match(nfkc(rows[0][1][0]).upper()):
        cols = {"code": 0, "name": 1, "synonyms": 2}  # no header row
    else:
        cols = header_columns(path, header, ICD_HEADERS, ("code", "name"))
        rows = rows[1:]
    report = ImportReport(kind="icd", file=path.name, source_id=sid, sha256=sha)
    seen: dict[str, int] = {}
    out: list[str] = []
    for line, cells in rows:
        report.rows += 1

        def cell(key: str, cells: list[str] = cells) -> str:
            i = cols.get(key)
            return nfkc(cells[i]) if i is not None and i < len(cells) else ""

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
    return finish_import(store, report, out)


def _has_display(stored: Path) -> bool:
    """Whether a stored ICD import keeps each name's exact spelling (``display``)."""
    try:
        with stored.open(encoding="utf-8") as fh:
            first = fh.readline()
    except OSError:
        return False
    return not first.strip() or '"display"' in first


#: Codes as hospital tables write them: E11.900, A01.003+G01*, A33xx01, M800000/3 (morphology).
ICD_CODE_RELAXED = re.compile(r"^[A-Z]\d{2}[0-9A-Za-z.]*(?:/\d)?(?:\+(?:[A-Z]\d{2}[0-9A-Za-z.]*)?)?\*?$")
_BRACKETED = re.compile(r"[\[［]([^\]］]+)[\]］]")
_SYN_SPLIT = re.compile(r"[|;；、]")
ICD_HEADERS = {
    "code": ("code", "icd", "icd10", "icd_code", "编码", "代码", "疾病编码", "诊断编码", "icd编码", "icd-10"),
    "name": ("name", "名称", "疾病名称", "诊断名称", "icd名称"),
    "synonyms": ("synonyms", "synonym", "同义词", "别名"),
}
