"""Error classes of the extractor on the TRAIN part of a labelled file (the test part is never read).

Reads a CMeEE/IMCS file, keeps the train part of yizhu's hash split (``yizhu.learn.split``), or with
``--dev`` only the dev slice of the train part (salt ``yizhu-dev-v1``, as ``tune_extractor.py``), runs the
active extractor (rules, or the model when one is active in ``YIZHU_DATA_DIR``) and sorts every miss and
false alarm into classes: wrong type on the right span, span too long / too short / crossing, or no
overlap at all. Prints counts per (scheme type, class) and the most frequent surfaces of each class.

    .venv/bin/python scripts/extraction_errors.py ../shared/data/cblue/CMeEE_dev_part.json --top 15
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from yizhu.knowledge.terminology import terminology
from yizhu.knowledge.terminology.extract import Extractor
from yizhu.knowledge.terminology.extract_model import ExtractorTrainer
from yizhu.knowledge.terminology.ner_data import EXPORT
from yizhu.learn.split import split_records


def predicted(ex, text: str, export: dict[str, str] | None) -> set[tuple[int, int, str]]:
    out = set()
    for e in ex.extract(text):
        typ = export.get(e.type) if export is not None else e.type
        if typ is None:
            continue
        s, t = e.name_span
        out.add((s, t, typ))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--dev", action="store_true", help="only the dev slice of the train part")
    ap.add_argument("--top", type=int, default=12)
    ap.add_argument("--type", default=None, help="only this scheme type")
    ap.add_argument("--learned", default=None, help="rules with this learned lexicon ('none': without one)")
    a = ap.parse_args(argv)
    tr = ExtractorTrainer()
    td = tr.load(a.file)
    train, _test = split_records(td.records, tr.text_of)  # the test part is dropped here, unread
    if a.dev:
        _fit, train = split_records(train, tr.text_of, 0.2, salt="yizhu-dev-v1")
    export = EXPORT.get(tr.scheme)
    inv = {}
    if export is not None:
        for ours, theirs in export.items():
            inv.setdefault(theirs, ours)
    term = terminology()
    if a.learned is None:
        ex = term.extractor
    else:
        ex = Extractor.build(term.kb, term.store.icd_rows(), term.store.formulary(),
                             learned=None if a.learned == "none" else Path(a.learned))
    counts: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], Counter[str]] = {}
    tp = fp = fn = 0
    for r in train:
        gold = {(s.start, s.end, export.get(s.type, s.type) if export else s.type) for s in r.spans}
        pred = predicted(ex, r.text, export)
        tp += len(gold & pred)
        for kind, mine, other in (("FN", gold - pred, pred), ("FP", pred - gold, gold)):
            for s, e, typ in mine:
                if a.type and typ != a.type:
                    continue
                same = [o for o in other if o[0] == s and o[1] == e]
                cover = [o for o in other if o[0] < e and s < o[1]]
                if same:
                    cls = f"type (other: {same[0][2]})"
                elif any(o[0] <= s and e <= o[1] for o in cover):
                    cls = "inside a longer one"
                elif any(s <= o[0] and o[1] <= e for o in cover):
                    cls = "covers a shorter one"
                elif cover:
                    cls = "crossing"
                else:
                    cls = "no overlap"
                key = (f"{kind} {typ}", cls)
                counts[key] += 1
                examples.setdefault(key, Counter())[r.text[s:e]] += 1
                if kind == "FN":
                    fn += 1
                else:
                    fp += 1
    p = tp / (tp + fp) if tp + fp else 0.0
    rr = tp / (tp + fn) if tp + fn else 0.0
    print(f"{len(train)} records; mode {ex.mode}; tp {tp} fp {fp} fn {fn}; P {p:.3f} R {rr:.3f} "
          f"F1 {2 * p * rr / (p + rr) if p + rr else 0:.3f}", file=sys.stderr)
    for (kt, cls), n in sorted(counts.items(), key=lambda x: -x[1]):
        ex_s = ", ".join(f"{w}×{c}" if c > 1 else w for w, c in examples[(kt, cls)].most_common(a.top))
        print(f"{n:5d}  {kt:8s} {cls:24s} {ex_s}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
