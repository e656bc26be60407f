"""Reports: a self-contained HTML page with inline SVG plots, report.json, a regression gate, docs.

The HTML needs nothing from the network and runs no script: tables, inline SVG bar charts with
95% interval whiskers (per-model comparison, per-category breakdown), confusion matrices as shaded
tables, and a reliability diagram where the system states a confidence. ``compare`` is the release
gate: it fails when a gated metric of run B is worse than run A by more than ``max_drop``.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from yizhu.errors import InputError
from yizhu.evaluation.metrics import Calibration, ConfusionMatrix, MetricValue
from yizhu.evaluation.records import ModelReport, RunReport

PALETTE = ("#0b6e4f", "#2e6da4", "#c4320a", "#a15c07", "#6b4fa1", "#52606d", "#b42318", "#137a7f")
DOC_START = "<!-- eval:{suite}:start -->"
DOC_END = "<!-- eval:{suite}:end -->"

#: Standalone page frame (report.html only).
PAGE_CSS = """
body{margin:0;font:15px/1.55 "PingFang SC","Microsoft YaHei","Noto Sans CJK SC",system-ui,sans-serif;color:#1f2933;background:#f5f7fa}
header.eval-head{background:#0b6e4f;color:#fff;padding:.7rem 1rem}header.eval-head h1{margin:0;font-size:1.25rem}
header.eval-head .sub{opacity:.85;font-size:.9rem}
main.eval-report{max-width:1150px;margin:0 auto;padding:1rem}
footer{max-width:1150px;margin:0 auto;padding:0 1rem 1.5rem;color:#616e7c;font-size:.8rem}
"""

#: The report's own components, scoped so the results page can embed them under the site's stylesheet.
COMPONENT_CSS = """
.eval-report section{background:#fff;border:1px solid #dde3ea;border-radius:8px;padding:1rem;margin-bottom:1rem;overflow-x:auto}
.eval-report h2{font-size:1.08rem;margin:0 0 .6rem}.eval-report h3{font-size:.98rem;margin:.9rem 0 .4rem}
.eval-report table{border-collapse:collapse;font-size:.9rem;margin:.3rem 0}
.eval-report th,.eval-report td{border-bottom:1px solid #dde3ea;padding:.3rem .55rem;text-align:left;vertical-align:top}
.eval-report th{color:#616e7c;font-weight:600;white-space:nowrap}
.eval-report td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.eval-report table.cm td{text-align:center;min-width:2.6rem;border:1px solid #eef1f4}
.eval-report table.cm th.rot{writing-mode:vertical-rl}
.eval-report .badge{display:inline-block;padding:.05rem .5rem;border-radius:999px;font-size:.8rem;background:#e3f4ec;color:#0b6e4f;margin-left:.3rem}
.eval-report .badge.warn{background:#fff0e6;color:#c4320a}
.eval-report .alert{background:#fff0e6;color:#8a2c0d;border:1px solid #f3c3a3;padding:.8rem 1rem;border-radius:8px}
.eval-report .muted{color:#616e7c;font-size:.88rem}.eval-report code{font-size:.85em}
.eval-report details summary{cursor:pointer}
.eval-report .legend span{display:inline-block;margin-right:1rem}
.eval-report .legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
"""


def _e(x: Any) -> str:
    return html.escape("" if x is None else str(x))


# ── SVG plots ────────────────────────────────────────────────────────────────────────────


def svg_bars(groups: Sequence[tuple[str, Sequence[tuple[str, MetricValue | None]]]], *, title: str = "",
             series: Sequence[str] = ()) -> str:
    """Horizontal bars on a 0–1 scale, one group per label, one bar per series, with 95% whiskers."""
    colour = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(series)}
    left, width, bar, gap = 190, 420, 14, 10
    rows = sum(max(1, len(items)) for _, items in groups)
    height = 28 + rows * (bar + 4) + len(groups) * gap + 22
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{left + width + 130}" height="{height}" '
           f'viewBox="0 0 {left + width + 130} {height}" font-size="12" font-family="sans-serif">',
           f"<title>{_e(title)}</title>"]
    for t in (0.0, 0.25, 0.5, 0.75, 1.0):
        x = left + t * width
        out.append(f'<line x1="{x:.1f}" y1="18" x2="{x:.1f}" y2="{height - 18}" stroke="#dde3ea"/>')
        out.append(f'<text x="{x:.1f}" y="12" text-anchor="middle" fill="#616e7c">{t:g}</text>')
    y = 24
    for label, items in groups:
        short = label if len(label) <= 28 else label[:27] + "…"
        out.append(f'<text x="{left - 8}" y="{y + bar - 2}" text-anchor="end" fill="#1f2933">{_e(short)}'
                   f"<title>{_e(label)}</title></text>")
        for name, mv in items:
            fill = colour.get(name, PALETTE[0])
            if mv is None or mv.value is None:
                out.append(f'<text x="{left + 4}" y="{y + bar - 3}" fill="#616e7c">{_e(name)}: —</text>')
            else:
                v = min(max(mv.value, 0.0), 1.0)
                out.append(f'<rect x="{left}" y="{y}" width="{v * width:.1f}" height="{bar}" fill="{fill}" '
                           f'opacity="0.85"><title>{_e(name)}: {_e(mv.fmt())}</title></rect>')
                if mv.ci_low is not None and mv.ci_high is not None:
                    lo, hi = (left + min(max(c, 0.0), 1.0) * width for c in (mv.ci_low, mv.ci_high))
                    mid = y + bar / 2
                    out.append(f'<line x1="{lo:.1f}" y1="{mid}" x2="{hi:.1f}" y2="{mid}" stroke="#1f2933"/>')
                    for xx in (lo, hi):
                        out.append(f'<line x1="{xx:.1f}" y1="{y + 2}" x2="{xx:.1f}" y2="{y + bar - 2}" stroke="#1f2933"/>')
                out.append(f'<text x="{left + width + 6}" y="{y + bar - 3}" fill="#1f2933">{mv.value:.3f}</text>')
            y += bar + 4
        y += gap
    out.append("</svg>")
    return "".join(out)


def svg_calibration(cal: Calibration, *, size: int = 260) -> str:
    """Reliability diagram: stated confidence (x) against accuracy (y); the diagonal is perfect calibration."""
    pad = 34
    inner = size - 2 * pad
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{size}" height="{size}" font-size="11" '
           f'font-family="sans-serif"><title>calibration (ECE {cal.ece:.3f})</title>',
           f'<rect x="{pad}" y="{pad}" width="{inner}" height="{inner}" fill="#fff" stroke="#dde3ea"/>',
           f'<line x1="{pad}" y1="{pad + inner}" x2="{pad + inner}" y2="{pad}" stroke="#9aa5b1" stroke-dasharray="4 3"/>']
    for b in cal.bins:
        if b.n == 0 or b.accuracy is None:
            continue
        x = pad + b.lo * inner
        w = (b.hi - b.lo) * inner
        h = b.accuracy * inner
        out.append(f'<rect x="{x + 1:.1f}" y="{pad + inner - h:.1f}" width="{w - 2:.1f}" height="{h:.1f}" '
                   f'fill="#2e6da4" opacity="0.75"><title>{b.lo:.1f}–{b.hi:.1f}: n={b.n}, accuracy '
                   f'{b.accuracy:.2f}, confidence {b.confidence:.2f}</title></rect>')
    out.append(f'<text x="{pad + inner / 2}" y="{size - 6}" text-anchor="middle">stated confidence</text>')
    out.append(f'<text x="10" y="{pad + inner / 2}" transform="rotate(-90 10 {pad + inner / 2})" '
               f'text-anchor="middle">accuracy</text>')
    for t in (0, 0.5, 1):
        out.append(f'<text x="{pad + t * inner}" y="{pad + inner + 13}" text-anchor="middle">{t:g}</text>')
        out.append(f'<text x="{pad - 4}" y="{pad + inner - t * inner + 4}" text-anchor="end">{t:g}</text>')
    out.append("</svg>")
    return "".join(out)


def confusion_html(cm: ConfusionMatrix) -> str:
    """Rows gold, columns predicted; each cell shaded by its share of the gold row."""
    rot = ' class="rot"' if any(len(lab) > 3 for lab in cm.labels) else ""
    head = "".join(f"<th{rot}>{_e(lab)}</th>" for lab in cm.labels)
    rows = []
    for lab, counts in zip(cm.labels, cm.matrix, strict=True):
        total = sum(counts) or 1
        cells = []
        for j, n in enumerate(counts):
            share = n / total
            diag = cm.labels[j] == lab
            rgb = "11,110,79" if diag else "196,50,10"
            style = f"background:rgba({rgb},{0.08 + 0.8 * share:.2f})" if n else ""
            colour = ";color:#fff" if n and share > 0.55 else ""
            cells.append(f'<td style="{style}{colour}" title="{_e(lab)} → {_e(cm.labels[j])}: {n}">{n or ""}</td>')
        rows.append(f"<tr><th>{_e(lab)}</th>{''.join(cells)}</tr>")
    return (f'<table class="cm"><tr><th class="muted">gold ↓ / predicted →</th>{head}</tr>{"".join(rows)}</table>')


# ── HTML ─────────────────────────────────────────────────────────────────────────────────


def _metric_names(models: Iterable[ModelReport]) -> list[str]:
    names: list[str] = []
    for m in models:
        for k in m.summary.metrics:
            if k not in names:
                names.append(k)
    return names


def _title_of(models: Iterable[ModelReport], name: str) -> str:
    for m in models:
        mv = m.summary.metrics.get(name)
        if mv is not None and mv.title:
            return mv.title
    return name


def _arrow(mv: MetricValue | None) -> str:
    if mv is None:
        return ""
    return "↑" if mv.higher_is_better else "↓"


def report_body(report: RunReport) -> str:
    """The report's sections (no page frame): the results page embeds this under ``.eval-report``."""
    parts = []
    if report.status == "engine_unavailable":
        parts.append(f'<section><div class="alert"><strong>Engine not available — nothing was measured.</strong><br>'
                     f"{_e(report.reason)}</div></section>")
    elif report.models:
        parts.append(_overview(report))
        for m in report.models:
            parts.append(_model_section(m, len(report.models) > 1))
    parts.append(_settings_section(report))
    return "".join(parts)


def badges(report: RunReport) -> str:
    """Synthetic-data and engine-unavailable badges for a title."""
    out = ""
    if report.settings.dataset.get("synthetic"):
        out += '<span class="badge">合成数据 synthetic</span>'
    if report.status == "engine_unavailable":
        out += '<span class="badge warn">engine not available</span>'
    return out


def render_html(report: RunReport) -> str:
    """The whole report page as one self-contained HTML document (no script, no network)."""
    s = report.settings
    synthetic = bool(s.dataset.get("synthetic"))
    return "".join([
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(report.suite)} · {_e(report.run_id)} · 医助 evaluation</title>",
        f"<style>{PAGE_CSS}{COMPONENT_CSS}</style></head><body>",
        f'<header class="eval-head eval-report"><h1>{_e(report.title or report.suite)}{badges(report)}</h1>',
        f'<div class="sub">suite <code>{_e(report.suite)}</code> v{_e(s.suite_version)} · run '
        f"<code>{_e(report.run_id)}</code> · {_e(s.engine)}</div></header>",
        f'<main class="eval-report">{report_body(report)}</main>',
        "<footer>Generated by yizhu (医助) evaluation. Numbers are from the data named above",
        "; the data are synthetic (合成), not real patients" if synthetic else "",
        ". 95% intervals: percentile bootstrap over cases.</footer></body></html>",
    ])


def _overview(report: RunReport) -> str:
    models = report.models
    names = _metric_names(models)
    series = [m.model for m in models]
    suite_headline = [n for n in names if n in _headline(report)] or names[:4]
    groups = [(f"{n} {_arrow(next((m.summary.metrics[n] for m in models if n in m.summary.metrics), None))}",
               [(m.model, m.summary.metrics.get(n)) for m in models]) for n in suite_headline]
    legend = "".join(f'<span><i style="background:{PALETTE[i % len(PALETTE)]}"></i>{_e(m)}</span>'
                     for i, m in enumerate(series))
    head = "".join(f"<th>{_e(m.model)}</th>" for m in models)
    rows = []
    for n in names:
        cells = "".join(f'<td class="num">{_e(m.summary.metrics[n].fmt()) if n in m.summary.metrics else "—"}</td>'
                        for m in models)
        mv = next((m.summary.metrics[n] for m in models if n in m.summary.metrics), None)
        gate = "" if mv is None or mv.gate else ' <span class="muted">(not gated)</span>'
        rows.append(f"<tr><th>{_e(_title_of(models, n))} {_arrow(mv)}{gate}</th>{cells}</tr>")
    counts = "".join(f'<td class="num">{m.cases} / {m.ok} / {m.abstained} / {m.errors}</td>' for m in models)
    rows.append(f'<tr><th class="muted">cases / ok / abstained / errors</th>{counts}</tr>')
    if any(m.degraded for m in models):
        degraded = "".join(f'<td class="num">{m.degraded}</td>' for m in models)
        rows.append(f'<tr><th class="muted">results marked degraded by the engine</th>{degraded}</tr>')
    return (f"<section><h2>Per-model comparison</h2><div class=\"legend\">{legend}</div>"
            f"{svg_bars(groups, title='headline metrics', series=series)}"
            f"<table><tr><th>metric</th>{head}</tr>{''.join(rows)}</table>"
            '<p class="muted">↑ higher is better, ↓ lower is better; value [95% interval].</p></section>')


def _headline(report: RunReport) -> tuple[str, ...]:
    try:
        from yizhu.evaluation.suites import get_suite

        return get_suite(report.suite).headline
    except Exception:  # a report of a suite no longer installed still renders
        return ()


def _model_section(m: ModelReport, several: bool) -> str:
    sm = m.summary
    label = f' <span class="muted">{_e(m.label)}</span>' if m.label else ""
    out = [f"<section><h2>{'Model: ' if several else ''}{_e(m.model)}{label}</h2>"]
    if sm.breakdown:
        metric_names: list[str] = []
        for metrics in sm.breakdown.values():
            for k in metrics:
                if k not in metric_names:
                    metric_names.append(k)
        head = "".join(f"<th>{_e(k)}</th>" for k in metric_names)
        rows = []
        for cat, metrics in sm.breakdown.items():
            cells = "".join(f'<td class="num">{_e(metrics[k].fmt()) if k in metrics else "—"}</td>' for k in metric_names)
            n = max((v.n for v in metrics.values()), default=0)
            rows.append(f'<tr><th>{_e(cat)}</th><td class="num">{n}</td>{cells}</tr>')
        first = metric_names[0]
        groups = [(cat, [(first, metrics.get(first))]) for cat, metrics in sm.breakdown.items()]
        out.append(f"<h3>Per {_e(sm.breakdown_title)}</h3>")
        out.append(svg_bars(groups, title=f"{first} per {sm.breakdown_title}", series=[first]))
        out.append(f"<table><tr><th>{_e(sm.breakdown_title)}</th><th>n</th>{head}</tr>{''.join(rows)}</table>")
    if sm.confusion is not None:
        out.append("<h3>Confusion matrix</h3>" + confusion_html(sm.confusion))
    if sm.calibration is not None:
        out.append(f"<h3>Calibration (ECE {sm.calibration.ece:.3f}, n={sm.calibration.n})</h3>"
                   + svg_calibration(sm.calibration))
    for t in sm.tables:
        head = "".join(f"<th>{_e(c)}</th>" for c in t.columns)
        body = "".join("<tr>" + "".join(
            f'<td class="num">{_e(v)}</td>' if isinstance(v, int | float) else f"<td>{_e(v)}</td>" for v in row)
            + "</tr>" for row in t.rows[:200])
        more = f'<p class="muted">… {len(t.rows) - 200} more rows in report.json</p>' if len(t.rows) > 200 else ""
        out.append(f"<h3>{_e(t.title)}</h3><table><tr>{head}</tr>{body}</table>{more}")
    if sm.notes:
        out.append("<ul>" + "".join(f"<li>{_e(n)}</li>" for n in sm.notes) + "</ul>")
    if sm.failures:
        out.append("<details><summary>errors</summary><ul>"
                   + "".join(f"<li><code>{_e(f)}</code></li>" for f in sm.failures) + "</ul></details>")
    out.append("</section>")
    return "".join(out)


def _settings_section(report: RunReport) -> str:
    s = report.settings
    ds = s.dataset
    rows = [
        ("status", s.status + (f" — {s.reason}" if s.reason else "")),
        ("dataset", f"{ds.get('name', '—')} ({ds.get('format', '—')}, {ds.get('cases', 0)} cases)"),
        ("dataset source", ds.get("source") or "—"),
        ("dataset sha256", ds.get("sha256") or "—"),
        ("models", ", ".join(f"{m.name} ({m.backend}{' ' + m.model if m.model else ''}"
                             f"{' @ ' + m.base_url if m.base_url else ''})" for m in s.models) or "—"),
        ("grader", f"{s.grader.name} ({s.grader.model})" if s.grader else "—"),
        ("temperature / seed / max_tokens", f"{s.temperature} / {s.seed} / {s.max_tokens or '—'}"),
        ("engine versions", ", ".join(f"{k} {v}" for k, v in s.engine_versions.items()) or "—"),
        ("prompts", ", ".join(f"{k} {v['version']} ({v['sha256'][:12]})" for k, v in s.prompts.items()) or "—"),
        ("knowledge packs", ", ".join(f"{k} {v['version']}" for k, v in s.knowledge_packs.items()) or "—"),
        ("code", ", ".join(f"{k} {v}" for k, v in s.code.items() if v) or "—"),
        ("started / finished", f"{s.started_at:%Y-%m-%d %H:%M:%S} UTC / "
                               f"{s.finished_at.strftime('%Y-%m-%d %H:%M:%S') + ' UTC' if s.finished_at else '—'}"),
    ]
    body = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    return f"<section><details open><summary><strong>Settings (reproduce with these)</strong></summary><table>{body}</table></details></section>"


def write_report(run_dir: Path, report: RunReport) -> None:
    """Write report.json and report.html into a run directory."""
    (run_dir / "report.json").write_text(report.model_dump_json(indent=2), encoding="utf-8")
    (run_dir / "report.html").write_text(render_html(report), encoding="utf-8")


# ── regression gate ──────────────────────────────────────────────────────────────────────


class MetricDelta(BaseModel):
    """How one gated metric of one model moved from run A to run B."""

    model_config = ConfigDict(extra="forbid")
    model: str
    metric: str
    a: float | None
    b: float | None
    drop: float | None = Field(description="how much worse B is (positive = worse), in the metric's units")
    higher_is_better: bool
    regression: bool


class Comparison(BaseModel):
    """The gate's verdict: every gated metric's movement and whether any dropped beyond the margin."""

    model_config = ConfigDict(extra="forbid")
    suite: str
    run_a: str
    run_b: str
    max_drop: float
    deltas: list[MetricDelta]
    problems: list[str] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not any(d.regression for d in self.deltas)


def compare(a: RunReport, b: RunReport, *, max_drop: float = 0.02, metrics: Sequence[str] | None = None) -> Comparison:
    """Compare run B against baseline A: a gated metric worse by more than ``max_drop`` is a regression."""
    if a.suite != b.suite:
        raise InputError(f"runs of different suites ({a.suite} vs {b.suite}) cannot be compared")
    for r in (a, b):
        if r.status != "done":
            raise InputError(f"run {r.run_id} measured nothing ({r.status}: {r.reason or 'not finished'})")
    deltas: list[MetricDelta] = []
    problems: list[str] = []
    b_models = {m.model: m for m in b.models}
    for ma in a.models:
        mb = b_models.get(ma.model)
        if mb is None:
            problems.append(f"model '{ma.model}' of run {a.run_id} is missing from run {b.run_id}")
            continue
        for name, va in ma.summary.metrics.items():
            if (metrics and name not in metrics) or (not metrics and not va.gate):
                continue
            vb = mb.summary.metrics.get(name)
            if va.value is None:
                continue
            if vb is None or vb.value is None:
                deltas.append(MetricDelta(model=ma.model, metric=name, a=va.value, b=None, drop=None,
                                          higher_is_better=va.higher_is_better, regression=True))
                continue
            drop = (va.value - vb.value) if va.higher_is_better else (vb.value - va.value)
            deltas.append(MetricDelta(model=ma.model, metric=name, a=va.value, b=vb.value, drop=drop,
                                      higher_is_better=va.higher_is_better, regression=drop > max_drop + 1e-12))
    return Comparison(suite=a.suite, run_a=a.run_id, run_b=b.run_id, max_drop=max_drop, deltas=deltas,
                      problems=problems)


# ── docs ─────────────────────────────────────────────────────────────────────────────────


def markdown(report: RunReport, command: str) -> str:
    """A marked results section for docs/evaluation.md, written by the harness itself."""
    start, end = DOC_START.format(suite=report.suite), DOC_END.format(suite=report.suite)
    s = report.settings
    lines = [start, f"### `{report.suite}` — {report.title}", ""]
    if report.status == "engine_unavailable":
        lines += [f"Engine not available: {report.reason}", "", end]
        return "\n".join(lines)
    ds = s.dataset
    lines += [
        f"Data: {ds.get('source') or ds.get('name')} — {ds.get('cases')} cases"
        f"{' (synthetic, 合成)' if ds.get('synthetic') else ''}; dataset sha256 `{str(ds.get('sha256'))[:12]}`; "
        f"engine {s.engine}" + (f" ({', '.join(f'{k} {v}' for k, v in s.engine_versions.items())})"
                                if s.engine_versions else "") + f"; yizhu {s.code.get('yizhu')}"
        + (f" @ `{str(s.code.get('git'))[:10]}`" if s.code.get("git") else "") + ".",
        "",
        "```",
        command,
        "```",
        "",
    ]
    names = _metric_names(report.models)
    lines.append("| model | " + " | ".join(_title_of(report.models, n) for n in names) + " | cases (ok/abstained/errors) |")
    lines.append("|---|" + "---:|" * len(names) + "---:|")
    for m in report.models:
        cells = [m.summary.metrics[n].fmt() if n in m.summary.metrics else "—" for n in names]
        lines.append(f"| {m.model} | " + " | ".join(cells) + f" | {m.cases} ({m.ok}/{m.abstained}/{m.errors}) |")
    lines += ["", "Values with 95% bootstrap intervals over cases.", end]
    return "\n".join(lines)


def write_docs_section(path: Path, section: str, suite: str) -> None:
    """Replace the marked section of one suite in a markdown file (or append it)."""
    start, end = DOC_START.format(suite=suite), DOC_END.format(suite=suite)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if start in text and end in text:
        head, _, rest = text.partition(start)
        _, _, tail = rest.partition(end)
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")
