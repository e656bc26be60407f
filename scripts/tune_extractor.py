"""Choose the extractor's CRF settings by cross-checking inside the TRAIN part only (the test part is never read).

The train part of yizhu's hash split (``yizhu.learn.split``) is split again with the salt
``yizhu-dev-v1`` into fit (80 %) and dev (20 %); each setting is fitted on fit and scored on dev.

    .venv/bin/python scripts/tune_extractor.py ../shared/data/cblue/CMeEE_dev_part.json c1=0.05,c2=0.01 c1=0.1,c2=0.01
    .venv/bin/python scripts/tune_extractor.py --learned=/tmp/ll_dev.yaml ../shared/data/cblue/CMeEE_dev_part.json

``--learned=FILE`` replaces the shipped learned lexicon (learned from the whole train part, dev included) by
one learned from the fit slice only (``scripts/learn_extraction_lexicon.py --dev``), so dev stays unseen.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from yizhu.knowledge.terminology import learned_lexicon
from yizhu.knowledge.terminology.extract_model import ExtractorTrainer
from yizhu.learn.split import split_records


def main(argv: list[str]) -> int:
    learned = None
    if argv and argv[0].startswith("--learned="):
        learned, argv = argv[0].split("=", 1)[1], argv[1:]
    path = Path(argv[0])
    settings = argv[1:] or [""]
    base = ExtractorTrainer()
    td = base.load(path)
    train, _test = split_records(td.records, base.text_of)  # the test part is dropped here, unread
    fit, dev = split_records(train, base.text_of, 0.2, salt="yizhu-dev-v1")
    print(f"{path.name}: {len(train)} train → {len(fit)} fit, {len(dev)} dev", file=sys.stderr)
    if learned is not None:  # the learned lexicon of the fit slice (learn_extraction_lexicon.py --dev), not the shipped one
        learned_lexicon.LEARNED_PATH = Path(learned)
    for s in settings:
        params = {}
        for kv in filter(None, s.split(",")):
            k, _, v = kv.partition("=")
            try:
                params[k] = json.loads(v)
            except ValueError:
                params[k] = v
        tr = ExtractorTrainer(**params)
        tr.scheme = base.scheme
        t0 = time.perf_counter()
        model = tr.fit(fit, data_dir=None, seed=0, progress=lambda m: None)
        m = tr.evaluate(model, dev, data_dir=None)
        print(json.dumps({"params": params, "seconds": round(time.perf_counter() - t0, 1),
                          **{k: round(v, 4) for k, v in m.items()}}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
