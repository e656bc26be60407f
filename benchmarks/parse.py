"""Parsing throughput on the demo hospital's notes (documents/second, one core).

Baseline in the same process: a naive parser that scans the text once per known heading with its own
regex (what a first attempt usually does), against the single combined scan yizhu uses.

    .venv/bin/python benchmarks/parse.py [--rounds N]
"""

from __future__ import annotations

import argparse
import re
import statistics
import time

from yizhu.core.parsing import SECTIONS, parse_document
from yizhu.demo import generate_hospital

_NAIVE = [(name, re.compile(rf"^\s*{re.escape(h)}\s*[:：]", re.M)) for name, hs in SECTIONS.items() for h in hs]


def naive_parse(text: str) -> list[tuple[str, int, int]]:
    """One regex per heading, sorted afterwards: the baseline."""
    hits = sorted((m.start(), m.end(), name) for name, rx in _NAIVE for m in rx.finditer(text))
    out = []
    for i, (_, end, name) in enumerate(hits):
        stop = hits[i + 1][0] if i + 1 < len(hits) else len(text)
        out.append((name, end, stop))
    return out


def bench(fn, texts: list[str], rounds: int) -> tuple[float, float, float]:
    """(documents/second, p50 µs, p95 µs) over ``rounds`` passes."""
    per_doc: list[float] = []
    t_all = time.perf_counter()
    for _ in range(rounds):
        for t in texts:
            t0 = time.perf_counter()
            fn(t)
            per_doc.append(time.perf_counter() - t0)
    total = time.perf_counter() - t_all
    per_doc.sort()
    return (len(per_doc) / total, statistics.median(per_doc) * 1e6, per_doc[int(0.95 * (len(per_doc) - 1))] * 1e6)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    texts = [d.text for c in generate_hospital().contexts for d in c.documents]
    chars = sum(len(t) for t in texts)
    print(f"corpus: {len(texts)} demo notes, {chars / len(texts):.0f} characters on average (synthetic)")
    ours = bench(parse_document, texts, args.rounds)
    base = bench(naive_parse, texts, args.rounds)
    print(f"yizhu parse_document : {ours[0]:9.0f} docs/s  p50 {ours[1]:7.1f} µs  p95 {ours[2]:7.1f} µs")
    print(f"baseline naive regex : {base[0]:9.0f} docs/s  p50 {base[1]:7.1f} µs  p95 {base[2]:7.1f} µs")
    print(f"ratio (yizhu / baseline throughput): {ours[0] / base[0]:.2f}x "
          "(the baseline only finds headings; yizhu also parses titles, header fields and builds models)")


if __name__ == "__main__":
    main()
