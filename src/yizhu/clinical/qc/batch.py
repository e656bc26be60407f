"""Batch QC (终末质控): a directory of records → scores, grades, statistics, HTML and CSV; resumable.

A directory is read as records: each sub-directory is one admission (all its notes checked together in
encounter mode, so cross-document rules run), each loose file is one record (.txt note, checked in
document mode; or .json FHIR Bundle/context, an encounter).
Results are appended to ``results.jsonl`` in the output directory as they are made; a rerun skips records
whose files have not changed since, so an interrupted batch resumes where it stopped.
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yizhu.clinical.qc.engine import UNGRADED, QCReport, evaluate, finding_json
from yizhu.clinical.qc.rules import default_rules
from yizhu.core import ClinicalContext
from yizhu.core.context import context_from_note, decode_text
from yizhu.core.parsing import parse_document
from yizhu.errors import InputError

NOTE_SUFFIXES = {".txt", ".text", ".md"}
JSON_SUFFIXES = {".json"}


@dataclass
class RecordSource:
    """One record to check: its name and the files it is made of."""

    name: str
    files: list[Path]
    encounter: bool = False  # a sub-directory of one admission: its documents are the encounter's

    @property
    def mode(self) -> str:
        """encounter for an admission's directory or a JSON record; document for a loose note."""
        if self.encounter or any(f.suffix.lower() in JSON_SUFFIXES for f in self.files):
            return "encounter"
        return "document"

    def fingerprint(self) -> str:
        h = hashlib.sha256()
        for f in self.files:
            st = f.stat()
            h.update(f"{f.name}:{st.st_size}:{st.st_mtime_ns}".encode())
        return h.hexdigest()[:16]


def read_note(path: Path) -> str:
    """A note file as text (UTF-8 or GB18030); unreadable → InputError naming the file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    text = decode_text(data)
    if text is not None:
        return text
    raise InputError(f"{path}: not UTF-8 or GB18030 text")


JsonLoader = Callable[[str], list[ClinicalContext]]


def context_from_files(files: list[Path], json_loader: JsonLoader | None = None) -> ClinicalContext:
    """One context from note files and/or JSON (FHIR Bundle or context, via ``json_loader``)."""
    ctx: ClinicalContext | None = None
    docs = []
    for f in files:
        text = read_note(f)
        if f.suffix.lower() in JSON_SUFFIXES:
            if json_loader is None:
                raise InputError(f"{f}: JSON records need a loader (use the yizhu command)")
            for c in json_loader(text):
                ctx = ctx or c
                docs.extend(c.documents)
        else:
            docs.append(parse_document(text, doc_id=f.name))
    base = ctx or ClinicalContext()
    if base.patient is None and docs:
        from_note = context_from_note(docs[0])
        base = base.model_copy(update={"patient": from_note.patient, "encounter": from_note.encounter})
    return base.model_copy(update={"documents": docs if docs else base.documents})


def discover(path: Path) -> list[RecordSource]:
    """The records under a path (a file is one record)."""
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    if path.is_file():
        return [RecordSource(name=path.name, files=[path])]
    out: list[RecordSource] = []
    for child in sorted(path.iterdir()):
        if child.name.startswith("."):
            continue
        if child.is_dir():
            files = sorted(f for f in child.iterdir() if f.is_file() and f.suffix.lower() in NOTE_SUFFIXES | JSON_SUFFIXES)
            if files:
                out.append(RecordSource(name=child.name, files=files, encounter=True))
        elif child.suffix.lower() in NOTE_SUFFIXES | JSON_SUFFIXES:
            out.append(RecordSource(name=child.name, files=[child]))
    return out


def record_json(name: str, report: QCReport, ctx: ClinicalContext) -> dict[str, Any]:
    """One record's result: the single-document contract plus what statistics need."""
    out = report.as_document_json(name) if len(report.documents) == 1 else {
        "document": name,
        "doc_type": "+".join(sorted({d["doc_type"] for d in report.documents})),
        "score": report.score,
        "grade": report.grade,
        "findings": [finding_json(f) for f in report.findings],
        **report.summary_json(),
    }
    header = next((d.header for d in ctx.documents if d.header), {})
    dept = (ctx.encounter.department if ctx.encounter and ctx.encounter.department else None) or header.get("科别") or header.get("科室")
    when = None
    if ctx.encounter and (ctx.encounter.discharged_at or ctx.encounter.admitted_at):
        when = (ctx.encounter.discharged_at or ctx.encounter.admitted_at).strftime("%Y-%m")  # type: ignore[union-attr]
    else:
        raw = header.get("出院日期") or header.get("入院日期") or header.get("记录日期") or header.get("就诊日期") or ""
        when = raw[:7] if len(raw) >= 7 and raw[:4].isdigit() else None
    out["department"] = dept or "未知科室"
    out["month"] = when
    return out


def truncate_torn_tail(path: Path) -> int:
    """Cut a last line that an interruption left without its newline, so appends start on a fresh line.

    Returns how many bytes were cut (0 when the file ends cleanly)."""
    with path.open("rb+") as fh:
        size = fh.seek(0, 2)
        if size == 0:
            return 0
        fh.seek(size - 1)
        if fh.read(1) == b"\n":
            return 0
        keep, pos = 0, size
        while pos > 0:  # find the last newline, reading backwards in blocks
            step = min(65536, pos)
            pos -= step
            fh.seek(pos)
            block = fh.read(step)
            nl = block.rfind(b"\n")
            if nl >= 0:
                keep = pos + nl + 1
                break
        fh.truncate(keep)
        return size - keep


def run_batch(
    path: Path,
    out_dir: Path | None = None,
    *,
    on_progress: Callable[[int, int, str], None] | None = None,
    json_loader: JsonLoader | None = None,
    with_llm: bool = False,
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """Check every record; returns (results, errors). With ``out_dir``, resumable via results.jsonl."""
    sources = discover(path)
    done: dict[str, dict[str, Any]] = {}
    results_file = None
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        results_path = out_dir / "results.jsonl"
        if results_path.exists():
            truncate_torn_tail(results_path)
            for line in results_path.read_text(encoding="utf-8").splitlines():
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut off by an interruption is redone
                done[row["_key"]] = row
        results_file = results_path.open("a", encoding="utf-8")
    results: list[dict[str, Any]] = []
    errors: list[dict[str, str]] = []
    try:
        for i, src in enumerate(sources, 1):
            key = f"{src.name}:{src.fingerprint()}"
            if key in done:
                results.append(done[key])
            else:
                try:
                    ctx = context_from_files(src.files, json_loader)
                    if not ctx.documents:
                        raise InputError(f"{src.name}: no notes found")
                    row = record_json(src.name, evaluate(ctx, with_llm=with_llm, mode=src.mode), ctx)  # type: ignore[arg-type]
                except InputError as exc:
                    errors.append({"record": src.name, "error": str(exc)})
                    row = None
                if row is not None:
                    row["_key"] = key
                    results.append(row)
                    if results_file is not None:
                        results_file.write(json.dumps(row, ensure_ascii=False) + "\n")
                        results_file.flush()
            if on_progress:
                on_progress(i, len(sources), src.name)
    finally:
        if results_file is not None:
            results_file.close()
    return results, errors


# ── statistics ───────────────────────────────────────────────────────────────────────────


def statistics(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Grades, mean score, per-department and per-rule defect rates, and the monthly trend."""
    n = len(results)
    rules = {r.id: r for r in default_rules().rules}
    grades = Counter(r["grade"] for r in results)
    by_dept: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_month: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rule_records: Counter[str] = Counter()
    for r in results:
        by_dept[r.get("department") or "未知科室"].append(r)
        if r.get("month"):
            by_month[r["month"]].append(r)
        for rid in {f["rule_id"] for f in r["findings"]}:
            rule_records[rid] += 1

    def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
        g = Counter(x["grade"] for x in rows)
        scored = [x["score"] for x in rows if x.get("score") is not None]
        return {
            "records": len(rows),
            "mean_score": round(sum(scored) / len(scored), 1) if scored else None,
            # every record counts in the denominator: a vetoed (丙) or ungraded record is not 甲
            "grade_a_rate": round(g["甲"] / len(rows), 3) if rows else None,
            "defective_rate": round(sum(1 for x in rows if x["findings"]) / len(rows), 3) if rows else None,
        }

    return {
        "records": n,
        **{k: v for k, v in summary(results).items() if k != "records"},
        "grades": {g: grades.get(g, 0) for g in ("甲", "乙", "丙", UNGRADED)},
        "vetoed": sum(1 for r in results if r.get("vetoes")),
        "with_critical": sum(1 for r in results if any(f["severity"] == "critical" for f in r["findings"])),
        "document_mode": sum(1 for r in results if r.get("mode") == "document"),
        "departments": {d: summary(rows) for d, rows in sorted(by_dept.items())},
        "months": {m: summary(rows) for m, rows in sorted(by_month.items())},
        "rules": [
            {
                "rule_id": rid,
                "category": rules[rid].category if rid in rules else "semantic",
                "message": rules[rid].message.split("：")[0].split("（")[0] if rid in rules else rid,
                "records": count,
                "defect_rate": round(count / n, 3) if n else 0.0,
            }
            for rid, count in rule_records.most_common()
        ],
    }


def write_csv(results: list[dict[str, Any]], path: Path) -> None:
    """One row per finding (and one per clean record), for spreadsheets; UTF-8 with BOM for Excel."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["record", "department", "month", "score", "grade", "rule_id", "severity", "category", "points", "message", "source"])
        for r in results:
            base = [r["document"], r.get("department"), r.get("month"), "" if r["score"] is None else r["score"], r["grade"]]
            if not r["findings"]:
                w.writerow([*base, "", "", "", "", "", ""])
            for f in r["findings"]:
                w.writerow([*base, f["rule_id"], f["severity"], f["category"], f.get("points"), f["message"], f["source"]])


def _bars(rows: list[tuple[str, float]], *, width: int = 520, unit: str = "%", scale: float = 100.0) -> str:
    """A horizontal bar chart as inline SVG (no scripts, prints well)."""
    if not rows:
        return "<p class=muted>无数据</p>"
    h = 22
    top = max(v for _, v in rows) or 1.0
    label_w = 230
    parts = [f'<svg width="{width + label_w + 60}" height="{h * len(rows) + 6}" role="img">']
    for i, (label, v) in enumerate(rows):
        y = i * h + 3
        w = int(width * v / top)
        shown = f"{v * scale:.1f}{unit}" if unit == "%" else f"{v:.1f}{unit}"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">{html.escape(label[:28])}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{max(w, 1)}" height="{h - 8}" fill="#3b6fb6"/>'
            f'<text x="{label_w + w + 6}" y="{y + 15}" font-size="12">{shown}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def render_html(results: list[dict[str, Any]], errors: list[dict[str, str]], title: str = "病历质控报告") -> str:
    """A self-contained HTML report: summary, charts by rule, department and month, worst records."""
    st = statistics(results)
    esc = html.escape
    rule_rows = [(f'{r["rule_id"].removeprefix("qc.")} {r["message"]}', r["defect_rate"]) for r in st["rules"][:20]]
    dept_rows = [(d, v["defective_rate"] or 0.0) for d, v in st["departments"].items()]
    month_rows = [(m, v["mean_score"] or 0.0) for m, v in st["months"].items()]
    worst = sorted(results, key=lambda r: -1.0 if r["score"] is None else r["score"])[:30]
    head = (
        "<!doctype html><html lang=zh-CN><meta charset=utf-8><title>" + esc(title) + "</title>"
        "<style>body{font-family:'WenQuanYi Micro Hei','Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em;color:#222}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;font-size:13px}"
        "th{background:#f2f4f8}.muted{color:#888}.g甲{color:#1a7f37}.g乙{color:#9a6700}.g丙{color:#cf222e}"
        ".cards{display:flex;gap:1em}.card{border:1px solid #ddd;border-radius:6px;padding:.6em 1.2em}"
        ".card b{font-size:1.6em;display:block}</style>"
    )
    summary = (
        f"<h1>{esc(title)}</h1><p class=muted>规则版本 {esc(default_rules().version)}；"
        "分数为百分制，甲级 ≥ 90，乙级 75–89.9，丙级 &lt; 75；有单项否决项的病历为丙级。含合成数据时仅供演示。</p>"
        "<div class=cards>"
        f"<div class=card>病历数<b>{st['records']}</b></div>"
        f"<div class=card>平均分<b>{st['mean_score'] if st['mean_score'] is not None else '—'}</b></div>"
        f"<div class=card>甲级率<b>{(st['grade_a_rate'] or 0) * 100:.1f}%</b></div>"
        f"<div class=card>甲/乙/丙<b>{st['grades']['甲']}/{st['grades']['乙']}/{st['grades']['丙']}</b></div>"
        f"<div class=card>单项否决<b>{st['vetoed']}</b></div>"
        f"<div class=card>未评级（非病历文书）<b>{st['grades'][UNGRADED]}</b></div>"
        f"<div class=card>读取失败<b>{len(errors)}</b></div></div>"
    )
    body = [
        head, summary,
        "<h2>各规则缺陷率（有该缺陷的病历占比）</h2>", _bars(rule_rows),
        "<h2>各科室缺陷病历率</h2>", _bars(dept_rows),
        "<h2>月度平均分趋势</h2>", _bars(month_rows, unit="分", scale=1.0),
        "<h2>得分最低的病历</h2><table><tr><th>病历</th><th>科室</th><th>得分</th><th>等级</th><th>主要问题</th></tr>",
    ]
    for r in worst:
        issues = "；".join(esc(f["message"]) for f in r["findings"][:3])
        body.append(
            f"<tr><td>{esc(r['document'])}</td><td>{esc(r.get('department') or '')}</td><td>{'—' if r['score'] is None else r['score']}</td>"
            f"<td class=g{r['grade']}>{r['grade']}</td><td>{issues}</td></tr>"
        )
    body.append("</table>")
    skipped = sorted({x["rule_id"] for r in results for x in r.get("skipped_rules", [])})
    if skipped:
        n_doc = sum(1 for r in results if r.get("skipped_rules"))
        body.append(
            f"<h2>单份文书质控（document mode）</h2><p>{n_doc} 份记录为单独文书，未提供同次住院的其他文书，"
            "以下住院级规则未运行（不视为缺陷）：" + "、".join(esc(x) for x in skipped) + "</p>"
        )
    if errors:
        body.append("<h2>未能读取的文件</h2><ul>")
        body.extend(f"<li>{esc(e['record'])}: {esc(e['error'])}</li>" for e in errors)
        body.append("</ul>")
    body.append("</html>")
    return "".join(body)
