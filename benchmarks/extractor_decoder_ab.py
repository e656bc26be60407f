"""A/B in one process: a trained extractor decoded by Viterbi and by span probability (``marginal``).

The same model, the same notes, the two decoders alternated ``--repeat`` times (best CPU time of each kept, so
the shared machine's load hurts both alike); prints MB per CPU-second end to end (``Extractor.extract``) for
rules alone, the model with Viterbi and the model with its marginal thresholds, and the ratios.

    .venv/bin/python benchmarks/extractor_decoder_ab.py --model $YIZHU_DATA_DIR/models/extractor/<version> --mb 0.3
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, required=True, help="a trained extractor model directory")
    ap.add_argument("--mb", type=float, default=0.3, help="corpus size (MB of UTF-8 synthetic notes)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--marginal", default="", help="thresholds by layer (0.3/0.2); default: the model's own")
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from terminology import corpus

    from yizhu.knowledge.packs import get_kb
    from yizhu.knowledge.terminology import Extractor
    from yizhu.knowledge.terminology.extract_model import ExtractorModel, parse_bias

    notes = corpus(int(args.mb * 1_000_000))
    nbytes = sum(len(n.encode("utf-8")) for n in notes)
    ext = Extractor.build(get_kb())
    model = ExtractorModel.load(args.model)
    thr = parse_bias(args.marginal) if args.marginal else model.marginal
    if not any(thr):
        raise SystemExit("no marginal thresholds: pass --marginal 0.3/0.2 or a model trained with marginal=…")
    mext = ext.with_model(model)
    for fn in (ext.extract, mext.extract):
        fn(notes[0])
    best = {"rules": float("inf"), "viterbi": float("inf"), "marginal": float("inf")}
    ents = {}
    for _ in range(args.repeat):
        for name in best:
            model.marginal = thr if name == "marginal" else ()
            fn = ext.extract if name == "rules" else mext.extract
            c0 = time.process_time()
            ents[name] = sum(len(fn(n)) for n in notes)
            best[name] = min(best[name], time.process_time() - c0)
    mb = {k: round(nbytes / 1e6 / v, 3) for k, v in best.items()}
    print(json.dumps({"mb": round(nbytes / 1e6, 2), "notes": len(notes), "marginal": list(thr),
                      "mb_per_cpu_s": mb, "entities": ents,
                      "marginal_over_viterbi_cpu": round(best["marginal"] / best["viterbi"], 3),
                      "model_over_rules_cpu": round(best["marginal"] / best["rules"], 3)}, ensure_ascii=False))


if __name__ == "__main__":
    main()
