"""Extraction speed of two versions of yizhu under the same load: run this script from both checkouts *at the same
time* (two processes), each timing ``--repeat`` passes of ``Extractor.extract`` with a trained model over the same
synthetic notes, in CPU time of its one thread.

On a machine shared with other jobs a single run moves by ±20–30 %; two versions run side by side see the same
load, and rules alone are timed in the same process between the model's passes (the ratio model / rules moves
much less with the load than either rate). Prints one JSON line: best and median MB per CPU-second, end to end
with the model and rules alone. ``--golden FILE`` also writes every entity (``Entity.to_dict``) of every note and
of the texts of ``--texts`` (one per line, or a CMeEE JSON list such as ``split_labelled.py``'s test part), one
JSON array per line, to compare the two versions' output.

    git archive <base> src | tar -x -C /tmp/orig
    PYTHONPATH=/tmp/orig/src .venv/bin/python benchmarks/extractor_ab.py before --model $M --golden /tmp/a.jsonl &
    .venv/bin/python benchmarks/extractor_ab.py after --model $M --golden /tmp/b.jsonl &
    wait; cmp /tmp/a.jsonl /tmp/b.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("label")
    ap.add_argument("--model", type=Path, required=True, help="a trained extractor model directory")
    ap.add_argument("--mb", type=float, default=0.3, help="corpus size (MB of UTF-8 synthetic notes)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--golden", type=Path, help="write every note's entities here (JSONL)")
    ap.add_argument("--texts", type=Path, help="more texts for --golden, one per line (e.g. the CMeEE test part)")
    a = ap.parse_args()
    from terminology import corpus

    import yizhu
    from yizhu.knowledge.packs import get_kb
    from yizhu.knowledge.terminology import Extractor
    from yizhu.knowledge.terminology.extract_model import ExtractorModel

    notes = corpus(int(a.mb * 1_000_000))
    nbytes = sum(len(n.encode("utf-8")) for n in notes)
    ext = Extractor.build(get_kb())
    mext = ext.with_model(ExtractorModel.load(a.model))
    for fn in (ext.extract, mext.extract):  # compile and warm every cache once
        for n in notes[:20]:
            fn(n)
    model_t: list[float] = []
    rules_t: list[float] = []
    for _ in range(a.repeat):
        for fn, acc in ((mext.extract, model_t), (ext.extract, rules_t)):
            c0 = time.process_time()
            for n in notes:
                fn(n)
            acc.append(time.process_time() - c0)
    mb = nbytes / 1e6
    print(json.dumps({"label": a.label, "code": str(Path(yizhu.__file__).parent), "mb": round(mb, 3),
                      "notes": len(notes), "repeat": a.repeat,
                      "model_mb_per_cpu_s": {"best": round(mb / min(model_t), 3),
                                             "median": round(mb / statistics.median(model_t), 3)},
                      "rules_mb_per_cpu_s": {"best": round(mb / min(rules_t), 3),
                                             "median": round(mb / statistics.median(rules_t), 3)},
                      "model_over_rules_cpu": round(statistics.median(m / r for m, r in zip(model_t, rules_t,
                                                                                                strict=True)), 3)},
                     ensure_ascii=False), flush=True)
    if a.golden is not None:
        texts = list(dict.fromkeys(notes))
        if a.texts is not None and a.texts.suffix == ".json":  # a CMeEE-layout file (split_labelled.py's output)
            texts += [r["text"] for r in json.loads(a.texts.read_text(encoding="utf-8"))]
        elif a.texts is not None:
            texts += [x for x in a.texts.read_text(encoding="utf-8").splitlines() if x]
        with a.golden.open("w", encoding="utf-8") as fh:
            for t in texts:
                fh.write(json.dumps([e.to_dict() for e in mext.extract(t)], ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
