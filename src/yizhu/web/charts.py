"""Charts drawn on the server as inline SVG: bars, stacked grade bars and a trend line.

No script and no CDN; colours are SVG presentation attributes (the page's CSP forbids inline ``style``).
Every chart carries a ``<title>`` and a text label per mark, so it reads without colour and with a screen
reader. Numbers are written without a spurious ``.0`` (``num``).
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

GRADE_COLOURS = {"甲": "#2e7d32", "乙": "#f9a825", "丙": "#c62828", "未评级": "#9e9e9e"}
BAR = "#1565c0"
AXIS = "#757575"


def num(value: float | int | None, digits: int = 1) -> str:
    """``92`` not ``92.0``; ``92.5`` kept; None → ``—``."""
    if value is None:
        return "—"
    rounded = round(float(value), digits)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.{digits}f}".rstrip("0").rstrip(".")


def pct(part: float | int | None, whole: float | int | None) -> str:
    """``45%`` (no decimals below 100 records would claim a precision the data lacks)."""
    if not whole or part is None:
        return "—"
    return f"{num(100.0 * float(part) / float(whole), 0 if whole < 100 else 1)}%"


def _svg(width: int, height: int, title: str, body: list[str], chart_id: str) -> Markup:
    return Markup(
        f'<svg class="chart" id="{escape(chart_id)}" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def bars(items: Sequence[tuple[str, float]], *, title: str, chart_id: str, unit: str = "") -> Markup:
    """Vertical bars, one per (label, value), value written above each bar."""
    width, height, pad_b, pad_t = 600, 220, 40, 20
    n = max(1, len(items))
    slot = (width - 20) / n
    top = max((v for _, v in items), default=0) or 1
    body = [f'<line x1="10" y1="{height - pad_b}" x2="{width - 10}" y2="{height - pad_b}" stroke="{AXIS}"/>']
    fit = max(1, int(slot * 0.9 // 12))  # CJK characters of 12 px that fit under a bar
    for i, (lab, v) in enumerate(items):
        h = (height - pad_b - pad_t) * (v / top)
        x = 10 + i * slot + slot * 0.15
        w = slot * 0.7
        y = height - pad_b - h
        body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{BAR}">'
                    f"<title>{escape(lab)}：{escape(num(v))}{escape(unit)}</title></rect>")
        body.append(f'<text x="{x + w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="12">{escape(num(v))}</text>')
        body.append(f'<text x="{x + w / 2:.1f}" y="{height - pad_b + 16}" text-anchor="middle" font-size="12">'
                    f"{escape(lab if len(lab) <= fit else lab[:max(1, fit - 1)] + '…')}</text>")
    return _svg(width, height, title, body, chart_id)


def hbars(items: Sequence[tuple[str, float]], *, title: str, chart_id: str, unit: str = "") -> Markup:
    """Horizontal bars with their labels on the left (long labels such as defect names), value at the end."""
    row_h, label_w, width = 24, 230, 600
    height = 8 + row_h * max(1, len(items))
    top = max((v for _, v in items), default=0) or 1
    span = width - label_w - 50
    fit = (label_w - 10) // 12
    body: list[str] = []
    for i, (lab, v) in enumerate(items):
        y = 4 + i * row_h
        w = span * v / top
        short = lab if len(lab) <= fit else lab[: fit - 1] + "…"
        body.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">{escape(short)}'
                    f"<title>{escape(lab)}</title></text>")
        body.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" fill="{BAR}">'
                    f"<title>{escape(lab)}：{escape(num(v))}{escape(unit)}</title></rect>")
        body.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 15}" font-size="12">{escape(num(v))}</text>')
    return _svg(width, height, title, body, chart_id)


def grade_stack(rows: Sequence[tuple[str, dict[str, int]]], *, title: str, chart_id: str) -> Markup:
    """One horizontal 100% bar per group, split 甲/乙/丙/未评级, with the 甲 rate written at its end."""
    row_h, label_w, width = 26, 130, 600
    height = 30 + row_h * max(1, len(rows))
    body: list[str] = []
    x0 = label_w
    span = width - label_w - 60
    lx = x0
    for g, colour in GRADE_COLOURS.items():  # legend
        body.append(f'<rect x="{lx}" y="4" width="12" height="12" fill="{colour}"/>'
                    f'<text x="{lx + 16}" y="15" font-size="12">{g}</text>')
        lx += 70
    for i, (lab, counts) in enumerate(rows):
        y = 26 + i * row_h
        total = sum(counts.values()) or 1
        body.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">{escape(lab if len(lab) <= 9 else lab[:8] + "…")}</text>')
        x = float(x0)
        for g, colour in GRADE_COLOURS.items():
            c = counts.get(g, 0)
            if not c:
                continue
            w = span * c / total
            body.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h - 6}" fill="{colour}">'
                        f"<title>{escape(lab)} {g}：{c}（{pct(c, total)}）</title></rect>")
            x += w
        body.append(f'<text x="{x0 + span + 6}" y="{y + 15}" font-size="12">甲 {pct(counts.get("甲", 0), total)}</text>')
    return _svg(width, height, title, body, chart_id)


def trend(points: Sequence[tuple[str, float | None]], *, title: str, chart_id: str, lo: float = 0, hi: float = 100,
          unit: str = "") -> Markup:
    """A line over months (or any ordered labels); gaps (None) break the line."""
    width, height, pad_l, pad_b, pad_t = 600, 220, 40, 40, 16
    n = len(points)
    span_x = width - pad_l - 20
    span_y = height - pad_b - pad_t
    body = [f'<line x1="{pad_l}" y1="{height - pad_b}" x2="{width - 10}" y2="{height - pad_b}" stroke="{AXIS}"/>',
            f'<line x1="{pad_l}" y1="{pad_t}" x2="{pad_l}" y2="{height - pad_b}" stroke="{AXIS}"/>']
    for v in (lo, (lo + hi) / 2, hi):
        y = height - pad_b - span_y * (v - lo) / ((hi - lo) or 1)
        body.append(f'<text x="{pad_l - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{escape(num(v))}</text>')
    coords: list[tuple[float, float] | None] = []
    for i, (lab, v) in enumerate(points):
        x = pad_l + (span_x * (i + 0.5) / n if n else 0)
        body.append(f'<text x="{x:.1f}" y="{height - pad_b + 16}" text-anchor="middle" font-size="11">{escape(lab)}</text>')
        if v is None:
            coords.append(None)
            continue
        y = height - pad_b - span_y * (min(max(v, lo), hi) - lo) / ((hi - lo) or 1)
        coords.append((x, y))
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{BAR}"><title>{escape(lab)}：'
                    f"{escape(num(v))}{escape(unit)}</title></circle>")
        body.append(f'<text x="{x:.1f}" y="{y - 7:.1f}" text-anchor="middle" font-size="11">{escape(num(v))}</text>')
    run: list[str] = []
    for c in [*coords, None]:
        if c is None:
            if len(run) > 1:
                body.append(f'<polyline fill="none" stroke="{BAR}" stroke-width="2" points="{" ".join(run)}"/>')
            run = []
        else:
            run.append(f"{c[0]:.1f},{c[1]:.1f}")
    return _svg(width, height, title, body, chart_id)
