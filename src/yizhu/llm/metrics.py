"""Prometheus counters and latency histograms per model and task, in the text exposition format.

Written here rather than pulled in as a dependency: a few counters, gauges and histograms with a
lock are all the gateway needs, and the format (text 0.0.4) is small and stable.
"""

from __future__ import annotations

import bisect
import threading
from collections import defaultdict

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
#: seconds; spans a cached local reply (tens of ms) to a long generation (minutes)
BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)

Labels = tuple[tuple[str, str], ...]

_HELP = {
    "yizhu_llm_requests_total": ("counter", "Backend requests by model, task and outcome (one per try)."),
    "yizhu_llm_calls_total": ("counter", "Gateway calls by task, kind and status."),
    "yizhu_llm_fallbacks_total": ("counter", "Times a route moved on to its next model."),
    "yizhu_llm_tokens_total": ("counter", "Tokens by model, task and direction (prompt or completion)."),
    "yizhu_llm_repairs_total": ("counter", "Structured-output repair re-asks by model and task."),
    "yizhu_llm_inflight": ("gauge", "Requests in flight per model."),
    "yizhu_llm_breaker_open": ("gauge", "1 while the model's circuit breaker is open."),
    "yizhu_llm_request_seconds": ("histogram", "Latency of successful backend requests by model and task."),
}


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _fmt_labels(labels: Labels, extra: tuple[tuple[str, str], ...] = ()) -> str:
    items = labels + extra
    if not items:
        return ""
    return "{" + ",".join(f'{k}="{_escape(v)}"' for k, v in items) + "}"


def _fmt_value(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


class Metrics:
    """Thread-safe counters, gauges and histograms; ``render()`` gives the exposition text."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[str, dict[Labels, float]] = defaultdict(dict)
        self._hist: dict[str, dict[Labels, list[float]]] = defaultdict(dict)  # bucket counts + [sum, count]

    def inc(self, name: str, value: float = 1.0, **labels: str) -> None:
        """Add to a counter (or gauge)."""
        key = tuple(sorted(labels.items()))
        with self._lock:
            series = self._values[name]
            series[key] = series.get(key, 0.0) + value

    def set(self, name: str, value: float, **labels: str) -> None:
        """Set a gauge."""
        key = tuple(sorted(labels.items()))
        with self._lock:
            self._values[name][key] = value

    def observe(self, name: str, seconds: float, **labels: str) -> None:
        """Record one latency in a histogram."""
        key = tuple(sorted(labels.items()))
        with self._lock:
            h = self._hist[name].get(key)
            if h is None:
                h = self._hist[name][key] = [0.0] * (len(BUCKETS) + 2)
            i = bisect.bisect_left(BUCKETS, seconds)
            if i < len(BUCKETS):
                h[i] += 1
            h[-2] += seconds
            h[-1] += 1

    def value(self, name: str, **labels: str) -> float:
        """Current value of one counter or gauge series (0 if never touched)."""
        with self._lock:
            return self._values.get(name, {}).get(tuple(sorted(labels.items())), 0.0)

    def render(self) -> str:
        """The Prometheus text exposition of every series."""
        lines: list[str] = []
        with self._lock:
            names = sorted(set(self._values) | set(self._hist))
            for name in names:
                kind, help_text = _HELP.get(name, ("untyped", name))
                lines.append(f"# HELP {name} {help_text}")
                lines.append(f"# TYPE {name} {kind}")
                for labels, v in sorted(self._values.get(name, {}).items()):
                    lines.append(f"{name}{_fmt_labels(labels)} {_fmt_value(v)}")
                for labels, h in sorted(self._hist.get(name, {}).items()):
                    cumulative = 0.0
                    for bound, count in zip(BUCKETS, h, strict=False):
                        cumulative += count
                        lines.append(f"{name}_bucket{_fmt_labels(labels, (('le', repr(bound)),))} {_fmt_value(cumulative)}")
                    lines.append(f"{name}_bucket{_fmt_labels(labels, (('le', '+Inf'),))} {_fmt_value(h[-1])}")
                    lines.append(f"{name}_sum{_fmt_labels(labels)} {h[-2]!r}")
                    lines.append(f"{name}_count{_fmt_labels(labels)} {_fmt_value(h[-1])}")
        return "\n".join(lines) + "\n"
