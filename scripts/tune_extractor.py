"""Choose the extractor's CRF settings by cross-checking inside the TRAIN part only (the test part is never read).

The train part of yizhu's hash split (``yizhu.learn.split``) is split again with the salt
``yizhu-dev-v1`` into fit (80 %) and dev (20 %); each setting is fitted on fit and scored on dev.

    .venv/bin/python scripts/tune_extractor.py ../shared/data/cblue/CMeEE_dev_part.json c1=0.05,c2=0.01 c1=0.1,c2=0.01
    .venv/bin/python scripts/tune_extractor.py --learned=/tmp/ll_dev.yaml ../shared/data/cblue/CMeEE_dev_part.json

``--learned=FILE`` replaces the shipped learned lexicon (learned from the whole train part, dev included) by
one learned from the fit slice only (``scripts/learn_extraction_lexicon.py --dev``), so dev stays unseen.

``--folds=K`` cross-validates instead: the train part falls into K folds (a hash of the text, salt
``yizhu-cv-v1``); each fold is scored by a model fitted on the others, with the learned lexicon learned
from those others too (``lexicon_learning``), and the counts of all folds are pooled — every train
sentence is scored once, so the figure is far less noisy than the 323-sentence dev slice. ``--dump=FILE``
writes the pooled predictions (JSONL: text, gold, pred) for error analysis. ``--o-bias-grid=0,0.5,1`` also
decodes every held-back fold with each combination of O biases per layer (``o_bias``) and prints each;
``--marginal-grid=0.2,0.3`` likewise with each combination of span-probability thresholds per layer (the
marginal decoder, ``marginal``; 0 in the grid is Viterbi for that layer). ``--spans=FILE`` writes, per held-back
sentence, every span each layer gives a probability of at least 0.05 (JSONL: text, gold, fold, layers: [[start, end,
type, probability] …] per layer), so decoders over span probabilities (thresholds by type, a reranker) can be
chosen on the pooled out-of-fold spans without fitting again (``scripts/tune_span_decoder.py``).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import sys
import tempfile
import time
from pathlib import Path

from yizhu.knowledge.terminology import learned_lexicon, terminology
from yizhu.knowledge.terminology.crf_compiled import merge_layers
from yizhu.knowledge.terminology.extract import Extractor
from yizhu.knowledge.terminology.extract_model import ExtractorTrainer, prf, strict_counts
from yizhu.knowledge.terminology.lexicon_learning import default_meta, dump, learn_doc
from yizhu.knowledge.terminology.ner_data import EXPORT
from yizhu.knowledge.terminology.text import fold
from yizhu.learn.split import split_records


def _params(s: str) -> dict:
    params = {}
    for kv in filter(None, s.split(",")):
        k, _, v = kv.partition("=")
        try:
            params[k] = json.loads(v)
        except ValueError:
            params[k] = v
    return params


def _cv_fold(text: str, k: int) -> int:
    return int.from_bytes(hashlib.sha256(("yizhu-cv-v1\x1f" + text).encode("utf-8")).digest()[:8], "big") % k


def cross_validate(base: ExtractorTrainer, train: list, k: int, settings: list[str], dump_to: Path | None,
                   grid: list[float], mgrid: list[float] | None = None, spans_to: Path | None = None) -> None:
    term = terminology()
    export = EXPORT.get(base.scheme) or {}
    folds = [_cv_fold(r.text, k) for r in train]
    exts = []
    with tempfile.TemporaryDirectory() as tmp:
        for f in range(k):  # the learned lexicon of the other folds, as the shipped one is of the whole train part
            rest = [r for r, fi in zip(train, folds, strict=True) if fi != f]
            path = Path(tmp) / f"ll-{f}.yaml"
            path.write_text(dump(learn_doc(rest, export, default_meta("cv", "cv"), kb=term.kb)), encoding="utf-8")
            learned_lexicon.LEARNED_PATH = path
            exts.append((path, Extractor.build(term.kb, term.store.icd_rows(), term.store.formulary(), learned=path)))
        for s in settings:
            params = _params(s)
            total: dict[str, list[int]] = {}
            t0 = time.perf_counter()
            rows = []
            by_bias: dict[tuple[float, ...], list[int]] = {}
            by_marg: dict[tuple[float, ...], list[int]] = {}
            span_rows = []
            for f in range(k):
                fit = [r for r, fi in zip(train, folds, strict=True) if fi != f]
                held = [r for r, fi in zip(train, folds, strict=True) if fi == f]
                learned_lexicon.LEARNED_PATH = exts[f][0]
                tr = ExtractorTrainer(**params)
                tr.scheme = base.scheme
                tr._ext = exts[f][1]
                model = tr.fit(fit, data_dir=None, seed=0, progress=lambda m: None)
                m = model.model
                merged = merge_layers([layer for _, layer in m.layers])
                for r in held:
                    t = fold(r.text)
                    pred = sorted(set(m.spans(t, exts[f][1].mentions(r.text, t))))
                    if spans_to is not None:
                        ments = exts[f][1].mentions(r.text, t)
                        matches = m.matches(t) + (m.memory(t) if m.memory is not None else [])
                        em = merged.scores(t, merged.tag_codes(len(t), ments), matches, None)
                        lays, at = [], 0
                        for _, layer in m.layers:
                            w = len(layer.labels)
                            block = em[:, at:at + w]
                            at += w
                            lays.append([[a, b, ty, round(pp, 5)] for a, b, ty, pp in layer.span_probs(block, 0.05)]
                                        if any(lab.startswith(("E-", "S-")) for lab in layer.labels) else [])
                        span_rows.append({"text": r.text, "fold": f, "gold": [(x.start, x.end, x.type) for x in r.spans],
                                          "layers": lays, "pred": pred})
                    if grid or mgrid:  # decode the same scores again with each O bias / threshold per layer
                        ments = exts[f][1].mentions(r.text, t)
                        matches = m.matches(t) + (m.memory(t) if m.memory is not None else [])
                        em = merged.scores(t, merged.tag_codes(len(t), ments), matches, None)
                        for combo in itertools.product(grid, repeat=len(m.layers)) if grid else ():
                            got = sorted(set(m.decode_scores(em, combo)))
                            acc3 = by_bias.setdefault(combo, [0, 0, 0])
                            for c in strict_counts(r.spans, got).values():
                                for i in range(3):
                                    acc3[i] += c[i]
                        for combo in itertools.product(mgrid, repeat=len(m.layers)) if mgrid else ():
                            got = sorted(set(m.decode_scores(em, None, combo)))
                            acc3 = by_marg.setdefault(combo, [0, 0, 0])
                            for c in strict_counts(r.spans, got).values():
                                for i in range(3):
                                    acc3[i] += c[i]
                    if dump_to is not None:
                        rows.append({"text": r.text, "gold": [(x.start, x.end, x.type) for x in r.spans],
                                     "pred": pred})
                    for typ, c in strict_counts(r.spans, pred).items():
                        acc = total.setdefault(typ, [0, 0, 0])
                        for i in range(3):
                            acc[i] += c[i]
            tp, fp, fn = (sum(c[i] for c in total.values()) for i in range(3))
            p, rr, f1 = prf(tp, fp, fn)
            per = {f"f1_{t}": round(prf(*c)[2], 4) for t, c in sorted(total.items())}
            print(json.dumps({"params": params, "folds": k, "seconds": round(time.perf_counter() - t0, 1),
                              "f1": round(f1, 4), "precision": round(p, 4), "recall": round(rr, 4), **per}), flush=True)
            for combo, (btp, bfp, bfn) in sorted(by_bias.items()):
                bp, br, bf = prf(btp, bfp, bfn)
                print(json.dumps({"o_bias": combo, "f1": round(bf, 4), "precision": round(bp, 4),
                                  "recall": round(br, 4)}), flush=True)
            for combo, (btp, bfp, bfn) in sorted(by_marg.items()):
                bp, br, bf = prf(btp, bfp, bfn)
                print(json.dumps({"marginal": combo, "f1": round(bf, 4), "precision": round(bp, 4),
                                  "recall": round(br, 4)}), flush=True)
            if spans_to is not None:
                out = spans_to if len(settings) == 1 else spans_to.with_suffix(f".{settings.index(s)}.jsonl")
                out.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in span_rows), encoding="utf-8")
            if dump_to is not None:
                out = dump_to if len(settings) == 1 else dump_to.with_suffix(f".{settings.index(s)}.jsonl")
                out.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in rows), encoding="utf-8")


def main(argv: list[str]) -> int:
    learned = None
    folds = 0
    dump_to = None
    grid: list[float] = []
    mgrid: list[float] = []
    spans_to = None
    while argv and argv[0].startswith("--"):
        opt, _, val = argv[0].partition("=")
        if opt == "--learned":
            learned = val
        elif opt == "--folds":
            folds = int(val)
        elif opt == "--dump":
            dump_to = Path(val)
        elif opt == "--o-bias-grid":
            grid = [float(x) for x in val.split(",")]
        elif opt == "--marginal-grid":
            mgrid = [float(x) for x in val.split(",")]
        elif opt == "--spans":
            spans_to = Path(val)
        argv = argv[1:]
    path = Path(argv[0])
    settings = argv[1:] or [""]
    base = ExtractorTrainer()
    td = base.load(path)
    train, _test = split_records(td.records, base.text_of)  # the test part is dropped here, unread
    if folds > 1:
        print(f"{path.name}: {len(train)} train, {folds}-fold cross-validation", file=sys.stderr)
        cross_validate(base, train, folds, settings, dump_to, grid, mgrid, spans_to)
        return 0
    fit, dev = split_records(train, base.text_of, 0.2, salt="yizhu-dev-v1")
    print(f"{path.name}: {len(train)} train → {len(fit)} fit, {len(dev)} dev", file=sys.stderr)
    if learned is not None:  # the learned lexicon of the fit slice (learn_extraction_lexicon.py --dev), not the shipped one
        learned_lexicon.LEARNED_PATH = Path(learned)
    for s in settings:
        params = _params(s)
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
