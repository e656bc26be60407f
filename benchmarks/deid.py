"""De-identification speed: MB/s on one core, combined scan against one regex per recognizer.

Corpus: the notes of the synthetic demo hospital (``yizhu.demo``, all 合成), or the labelled
de-identification corpus with ``--corpus synth``. Both scans run in the same process on the same
notes; the benchmark first checks that they find exactly the same entities, then times

* redact with the combined scan (one regex alternation + one Aho-Corasick pass; the target),
* redact with the naive scan (each recognizer's patterns one regex at a time over the text),
* surrogate mode with the combined scan.

Speed is UTF-8 megabytes of input per second of this process's CPU time, the best of ``--repeat``
runs (other processes on the machine only ever make a run slower).

    .venv/bin/python benchmarks/deid.py [--patients 200] [--repeat 5] [--corpus demo|synth] [--write docs/deid.md]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from yizhu.config import Settings
from yizhu.privacy import Analyzer, Deidentifier, default_analyzer

START_MARK = "<!-- deid-bench:start -->"
END_MARK = "<!-- deid-bench:end -->"
TARGET_MB_S = 5.0


def load_corpus(kind: str, patients: int) -> tuple[str, list[str]]:
    """(description, texts) of the chosen corpus."""
    if kind == "demo":
        try:
            from yizhu.demo.generator import generate_hospital
        except ImportError:  # the demo hospital is optional for this benchmark
            print("demo hospital not available; using the synthetic de-identification corpus", file=sys.stderr)
        else:
            docs = generate_hospital(n_patients=patients).documents
            return f"synthetic demo hospital ({patients} patients)", [d.text for d in docs]
    from yizhu.evaluation.data.deid.synth import generate_corpus

    notes = generate_corpus(patients * 5, seed=7)
    return f"synthetic de-identification corpus ({len(notes)} notes)", [n.text for n in notes]


def best_cpu_seconds(fn: Callable[[], object], repeat: int) -> float:
    """Smallest process CPU time of ``repeat`` runs."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def _key(an: Analyzer, text: str) -> list[tuple[str, int, int, str]]:
    return [(e.type, e.start, e.end, e.recognizer) for e in an.analyze(text)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--patients", type=int, default=200, help="demo hospital size (or synth notes / 5)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--corpus", choices=("demo", "synth"), default="demo")
    ap.add_argument("--write", type=Path, default=None, help="update the benchmark section of this markdown file")
    args = ap.parse_args(argv)

    described, texts = load_corpus(args.corpus, args.patients)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    settings = Settings(env="test", deid_key="benchmark-key-not-secret")
    combined = Deidentifier(settings, analyzer=default_analyzer("combined"))
    naive = Deidentifier(settings, analyzer=default_analyzer("naive"))

    differing = sum(_key(combined.analyzer, t) != _key(naive.analyzer, t) for t in texts)
    entities = sum(len(combined.analyzer.analyze(t)) for t in texts)
    combined.run(texts[0], mode="surrogate", patient_key="warm-up")  # start Faker once, as a service has

    def redact(d: Deidentifier) -> Callable[[], object]:
        return lambda: [d.run(t) for t in texts]

    t_combined = best_cpu_seconds(redact(combined), args.repeat)
    t_naive = best_cpu_seconds(redact(naive), max(1, args.repeat // 2))
    t_surrogate = best_cpu_seconds(
        lambda: [combined.run(t, mode="surrogate", patient_key=f"P{i % 50}") for i, t in enumerate(texts)],
        max(1, args.repeat // 2),
    )
    rows = [
        ("redact, combined scan", mb / t_combined),
        ("redact, naive scan (one regex per pattern)", mb / t_naive),
        ("surrogate, combined scan", mb / t_surrogate),
    ]
    lines = [
        START_MARK,
        f"Corpus: {described}: {len(texts)} notes, {mb:.2f} MB UTF-8, {entities} PHI spans; "
        f"combined and naive scans agree on {len(texts) - differing}/{len(texts)} notes. "
        f"One core, best of {args.repeat} runs (CPU time). Reproduce with:",
        "",
        "```",
        f".venv/bin/python benchmarks/deid.py --corpus {args.corpus} --patients {args.patients} --repeat {args.repeat}",
        "```",
        "",
        "| mode | MB/s per core | notes/s |",
        "|---|---:|---:|",
        *[f"| {name} | {speed:.2f} | {speed / mb * len(texts):.0f} |" for name, speed in rows],
        "",
        f"Speed-up of the combined scan over the naive scan: **{t_naive / t_combined:.1f}×**; "
        f"target ≥ {TARGET_MB_S} MB/s for redact: {'met' if mb / t_combined >= TARGET_MB_S else 'NOT met'}.",
        END_MARK,
    ]
    section = "\n".join(lines)
    print(section)
    if args.write:
        _write(args.write, section)
    return 0 if differing == 0 else 1


def _write(path: Path, section: str) -> None:
    """Replace the benchmark section of ``path`` (or append it)."""
    content = path.read_text(encoding="utf-8") if path.exists() else ""
    if START_MARK in content and END_MARK in content:
        head, _, rest = content.partition(START_MARK)
        _, _, tail = rest.partition(END_MARK)
        content = head + section + tail
    else:
        content = content.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(content, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
