"""Import a hospital formulary (CSV/TSV with the columns named in the package docstring) and report items
that match no generic drug in the packs.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict
from pathlib import Path

from yizhu.knowledge.imported import (
    FormularyEntry,
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


def import_formulary(path: Path | str, *, data_dir: Path | str | None = None, name: str | None = None) -> ImportReport:
    """Import a hospital formulary (CSV/TSV with the documented columns; header required)."""
    path = Path(path)
    data = read_source(path)
    sha = hashlib.sha256(data).hexdigest()
    store = KnowledgeStore(data_dir)
    sid = source_id_for(path, name)
    same = store.unchanged("formulary", sid, sha)
    if same:
        return same
    header, rows = csv_rows(path, decode_text(path, data))
    cols = header_columns(path, header, FORMULARY_HEADERS, ("code", "name"))
    report = ImportReport(kind="formulary", file=path.name, source_id=sid, sha256=sha)
    seen: dict[str, int] = {}
    out: list[str] = []
    for line, cells in rows[1:]:
        report.rows += 1
        values = {k: (nfkc(cells[i]) if i < len(cells) else "") for k, i in cols.items()}
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
    report = finish_import(store, report, out)
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
