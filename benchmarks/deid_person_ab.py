"""De-identification A/B in one process: the person recognizer of an older commit against today's.

Loads ``src/yizhu/privacy/recognizers/person.py`` of ``--rev`` from git beside the current one,
builds two analyzers that differ only in that recognizer, checks they return the same entities on
every note, then times both interleaved (best of ``--repeat`` runs of process CPU time, so load on
a shared machine only ever slows a run down) — whole redact analysis and the person extra scans.

    .venv/bin/python benchmarks/deid_person_ab.py --rev cbacec5 [--patients 200] [--repeat 8]

Only ``person.py`` is taken from ``--rev``: since the recognizer was split into ``person_*.py`` modules,
the old file imports today's helpers, so compare such revisions with ``benchmarks/deid.py --ab REV``.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from yizhu.demo.generator import generate_hospital
from yizhu.privacy import Analyzer
from yizhu.privacy.recognizers import default_recognizers

PERSON = "src/yizhu/privacy/recognizers/person.py"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rev", required=True, help="git revision of the old person recognizer")
    ap.add_argument("--patients", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=8)
    args = ap.parse_args(argv)

    src = subprocess.run(["git", "show", f"{args.rev}:{PERSON}"], capture_output=True, text=True, check=False)
    if src.returncode != 0:
        print(f"cannot read {PERSON} at {args.rev}: {src.stderr.strip()}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "person_old.py"
        path.write_text(src.stdout, encoding="utf-8")
        spec = importlib.util.spec_from_file_location("person_old", path)
        assert spec is not None and spec.loader is not None
        old = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(old)

    texts = [d.text for d in generate_hospital(n_patients=args.patients).documents]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    new_recs = list(default_recognizers())
    old_recs = [old.PersonRecognizer() if r.name == "phi.person.v1" else r for r in new_recs]
    a_new, a_old = Analyzer(new_recs), Analyzer(old_recs)
    p_new = next(r for r in new_recs if r.name == "phi.person.v1")
    p_old = next(r for r in old_recs if r.name == "phi.person.v1")
    differing = sum(a_new.analyze(t) != a_old.analyze(t) for t in texts)
    print(f"{len(texts)} notes, {mb:.2f} MB; notes with different entities: {differing}")

    def cpu(fn: object) -> float:
        t0 = time.process_time()
        fn()  # type: ignore[operator]
        return time.process_time() - t0

    best = dict.fromkeys(("old", "new", "old_extra", "new_extra"), float("inf"))
    for _ in range(args.repeat):
        best["old"] = min(best["old"], cpu(lambda: [a_old.analyze(t) for t in texts]))
        best["new"] = min(best["new"], cpu(lambda: [a_new.analyze(t) for t in texts]))
        best["old_extra"] = min(best["old_extra"], cpu(lambda: [p_old.extra(t) for t in texts]))
        best["new_extra"] = min(best["new_extra"], cpu(lambda: [p_new.extra(t) for t in texts]))
    print(f"redact analysis: {args.rev} {mb / best['old']:.2f} MB/s, now {mb / best['new']:.2f} MB/s "
          f"({best['old'] / best['new']:.2f}x)")
    print(f"person extra scans: {args.rev} {best['old_extra']:.3f} s, now {best['new_extra']:.3f} s "
          f"({best['old_extra'] / best['new_extra']:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
