"""Recall of the de-identification engine on the held-out realistic corpus.

src/yizhu/evaluation/data/deid/realistic/heldout.txt holds hand-written synthetic documents with inline markup:
[[TYPE:value]] marks an identifier that must be masked, {{value}} a span that must survive, and an
optional "keep: a; b" line after a document header lists terms that must survive wherever they occur
(outside marked identifiers).
This script strips the markup, runs `yizhu.privacy.deidentify` (redact mode) on every document and prints

* recall per marked type and per class (names, identifiers, contact, addresses, organisations, dates), each class
  with a 95% bootstrap interval over documents (a blind corpus is 60 documents: a change of 0.01 may be noise):
  an identifier counts as found only when every one of its characters lies inside a returned entity
  (nothing leaks); "any char" is the looser share with at least one character covered;
* over-masking of the listed negatives: how many {{…}} spans and keep-term occurrences an entity touches;
* how many returned entities touch no marked identifier at all (a rough precision figure: some of these
  may be identifiers the writer did not mark, such as a hospital's own name).

The held-out corpora realistic/, heldout2/ (session deidnames3) and heldout3/ … heldout7/ (2026-12-07), and dev8/, are
development data: they may be run with --misses; the newest blind held-out corpus measures the engine.

    .venv/bin/python scripts/eval_deid_realistic.py [--file PATH] [--misses] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
from collections import Counter
from pathlib import Path

from yizhu.evaluation.dataset import DATA_DIR
from yizhu.evaluation.deid_markup import CLASSES, MarkupError, parse_markup, strip_markup  # noqa: F401 (re-exported)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = DATA_DIR / "deid" / "realistic" / "heldout.txt"
#: scripts/train_person_tagger.py trains on the dev corpora less every fifth document.
HELD_BACK_EVERY = 5


def parse(path: Path) -> list[dict]:
    """The documents of a corpus file (``yizhu.evaluation.deid_markup``); a broken corpus stops the script."""
    try:
        return parse_markup(path.read_text(encoding="utf-8"))
    except MarkupError as exc:
        raise SystemExit(str(exc)) from exc


def bootstrap_ci(per_doc: list[tuple[Counter, Counter]], key: str, rounds: int = 2000) -> list[float]:
    """95% interval of a recall by resampling whole documents (names cluster in documents), fixed seed."""
    rng = random.Random(0)
    values = []
    for _ in range(rounds):
        sample = [per_doc[rng.randrange(len(per_doc))] for _ in per_doc]
        g = sum(dg[key] for dg, _ in sample)
        values.append(sum(df[key] for _, df in sample) / g if g else 1.0)
    values.sort()
    return [round(values[int(0.025 * rounds)], 4), round(values[int(0.975 * rounds) - 1], 4)]


def _field(entity, name):
    return entity[name] if isinstance(entity, dict) else getattr(entity, name)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", type=Path, default=DEFAULT)
    ap.add_argument("--misses", action="store_true", help="list every identifier not fully masked")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--strays", action="store_true",
                    help="list entities that touch no marked identifier (dev corpora only: it shows text)")
    ap.add_argument("--heldback", action="store_true",
                    help="only every fifth document (the split scripts/train_person_tagger.py holds back)")
    ap.add_argument("--docs", default=None, metavar="A-B",
                    help="only documents whose id ends in a number from A to B (dev9's held-back split: --docs 31-40)")
    ap.add_argument("--no-tagger", action="store_true", help="the rules alone, without the person tagger")
    ap.add_argument("--no-ner", action="store_true",
                    help="without the general lexical analyser (person_ner; the same as YIZHU_DEID_NER=0)")
    ap.add_argument("--tagger-model", type=Path, default=None, help="a person tagger model other than the shipped one")
    args = ap.parse_args(argv)

    if args.no_tagger or args.tagger_model:
        from yizhu.privacy.recognizers import person_tagger

        # tagger() reads MODEL_PATH on first use; a missing file leaves the rules alone
        person_tagger.MODEL_PATH = args.tagger_model or Path("/nonexistent/person_crf.bin")
    if args.no_ner:
        os.environ["YIZHU_DEID_NER"] = "0"
    from yizhu.privacy import deidentify

    docs = parse(args.file)
    if args.docs:
        m = re.fullmatch(r"(\d+)-(\d+)", args.docs)
        if m is None:
            print(f"--docs: expected A-B (two numbers), got {args.docs!r}", file=sys.stderr)
            return 2
        lo, hi = int(m.group(1)), int(m.group(2))
        docs = [d for d in docs if (n := re.search(r"(\d+)$", d["id"])) and lo <= int(n.group(1)) <= hi]
    if args.heldback:
        docs = [d for k, d in enumerate(docs) if k % HELD_BACK_EVERY == HELD_BACK_EVERY - 1]
    gold, full, part = Counter(), Counter(), Counter()
    keep_total = keep_hit = stray = n_ents = 0
    misses, over, strays = [], [], []
    per_doc: list[tuple[Counter, Counter]] = []  # (gold, fully masked) per document, for the bootstrap interval
    for d in docs:
        doc_gold, doc_full = Counter(), Counter()
        per_doc.append((doc_gold, doc_full))
        text = d["text"]
        res = deidentify(text)
        ents = [(int(_field(e, "start")), int(_field(e, "end")), str(_field(e, "type"))) for e in res.entities]
        n_ents += len(ents)
        cov = [False] * len(text)
        for s, e, _ in ents:
            for i in range(max(s, 0), min(e, len(text))):
                cov[i] = True
        for typ, s, e, value in d["phi"]:
            ok, anyc = all(cov[s:e]), any(cov[s:e])
            for key in (typ, CLASSES.get(typ, "other"), "ALL"):
                gold[key] += 1
                full[key] += ok
                part[key] += anyc
                doc_gold[key] += 1
                doc_full[key] += ok
            if not ok:
                left = "".join("·" if cov[i] else text[i] for i in range(s, e))
                ctx = text[max(0, s - 8):e + 4].replace("\n", "⏎")
                misses.append(f"{d['id']} {typ:<8} {value!r} unmasked {left!r}  …{ctx}…")
        spans = [(s, e, v) for s, e, v in d["keeps"]]
        for term in d["keep"]:
            i = text.find(term)
            while i >= 0:  # an occurrence inside a marked identifier (…养老院 in an ORG) is not a negative
                if not any(i < pe and ps < i + len(term) for _t, ps, pe, _v in d["phi"]):
                    spans.append((i, i + len(term), term))
                i = text.find(term, i + 1)
        for s, e, v in spans:
            keep_total += 1
            hits = [text[es:ee] for es, ee, _ in ents if es < e and s < ee]
            if hits:
                keep_hit += 1
                over.append(f"{d['id']} kept {v!r} touched by {hits}")
        for es, ee, _et in ents:
            if not any(es < e and s < ee for _t, s, e, _v in d["phi"]):
                stray += 1
                strays.append(f"{d['id']} {_et:<8} {text[es:ee]!r}  …{text[max(0, es - 8):ee + 6]}…".replace("\n", "⏎"))
    types = [t for t in gold if t.isupper() and t != "ALL"]
    classes = [c for c in gold if not c.isupper()]
    report = {
        "documents": len(docs),
        "characters": sum(len(d["text"]) for d in docs),
        "per_type": {t: {"gold": gold[t], "masked": full[t], "recall": round(full[t] / gold[t], 4),
                         "any_char": round(part[t] / gold[t], 4)} for t in sorted(types, key=lambda t: -gold[t])},
        "per_class": {c: {"gold": gold[c], "masked": full[c], "recall": round(full[c] / gold[c], 4),
                          "ci95": bootstrap_ci(per_doc, c)}
                      for c in sorted(classes, key=lambda c: -gold[c])},
        "all": {"gold": gold["ALL"], "masked": full["ALL"], "recall": round(full["ALL"] / max(gold["ALL"], 1), 4)},
        "negatives": {"spans": keep_total, "over_masked": keep_hit,
                      "share_kept": round(1 - keep_hit / max(keep_total, 1), 4)},
        "entities": {"returned": n_ents, "touching_no_marked_identifier": stray},
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(f"{report['documents']} documents, {report['characters']} characters, {gold['ALL']} marked identifiers\n")
        print(f"{'type':<18}{'gold':>6}{'masked':>8}{'recall':>8}{'any char':>10}")
        for t, r in report["per_type"].items():
            print(f"{t:<18}{r['gold']:>6}{r['masked']:>8}{r['recall']:>8.3f}{r['any_char']:>10.3f}")
        print()
        for c, r in report["per_class"].items():
            lo, hi = r["ci95"]
            print(f"{c:<18}{r['gold']:>6}{r['masked']:>8}{r['recall']:>8.3f}   [{lo:.3f}, {hi:.3f}]")
        a = report["all"]
        print(f"{'ALL':<18}{a['gold']:>6}{a['masked']:>8}{a['recall']:>8.3f}\n")
        ng = report["negatives"]
        print(f"negatives (must survive): {ng['spans']} spans, {ng['over_masked']} over-masked, "
              f"{ng['share_kept']:.3f} kept")
        print(f"entities returned: {n_ents}, touching no marked identifier: {stray}")
        if args.misses:
            print("\nmisses:")
            print("\n".join(misses) or "  none")
            print("\nover-masked negatives:")
            print("\n".join(over) or "  none")
        if args.strays:
            print("\nentities touching no marked identifier:")
            print("\n".join(strays) or "  none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
