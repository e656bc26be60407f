"""Precision of the de-identification engine on REAL clinical text that holds almost no personal data.

Every other de-id measure runs on text we wrote. This one runs `yizhu.privacy.deidentify` (redact mode) over two
real public corpora (research use only, never committed; see each folder's README):

* IMCS-V2 NER train (``../shared/data/imcs/IMCS-V2_ner_train.jsonl``): real paediatric online-consultation
  utterances of parents and doctors, one per line; all 71,688 utterances (or the first ``--imcs-limit``);
* CMeEE dev part (``../shared/data/cblue/CMeEE_dev_part.json``): 2,000 textbook and guideline sentences.

These texts hold almost no names, hospitals or addresses (IMCS a few doctors' names — 张医生, 主治医师…: true
positives; CMeEE a few reference authors), so nearly every PERSON / ORG / ADDRESS span is a word masked by
mistake, and the model behind the egress guard would receive clinical text with holes in it. The figure is
spans per 100k characters, by type, per source and split.

The split is fixed: every fifth item (index % 5 == 4) is the TEST part, run only to report (``--split test``);
the rest is DEV, which may be studied (``--list`` prints each PERSON/ORG/ADDRESS span of the DEV part with its
context; it refuses the TEST part).

    .venv/bin/python scripts/eval_deid_realtext.py                      # DEV figures
    .venv/bin/python scripts/eval_deid_realtext.py --split test         # TEST figures (report only)
    .venv/bin/python scripts/eval_deid_realtext.py --list --types PERSON,ORG
    .venv/bin/python scripts/eval_deid_realtext.py --json

Exits 2 with one line on stderr when a data file is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def shared_data() -> Path:
    """``../shared/data`` beside the checkout (a worktree sits one level deeper: ../../shared/data)."""
    for up in (ROOT.parent, ROOT.parent.parent):
        if (up / "shared" / "data").is_dir():
            return up / "shared" / "data"
    return ROOT.parent / "shared" / "data"


SHARED = shared_data()
IMCS = SHARED / "imcs" / "IMCS-V2_ner_train.jsonl"
CMEEE = SHARED / "cblue" / "CMeEE_dev_part.json"
TEST_EVERY = 5
#: Types whose spans are nearly all false on these corpora (the figure of interest); others are counted too.
WATCHED = ("PERSON", "ORG", "ADDRESS")


def read_imcs(path: Path, limit: int) -> list[str]:
    out: list[str] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                out.append(json.loads(line)["text"])
                if limit and len(out) >= limit:
                    break
    return out


def read_cmeee(path: Path) -> list[str]:
    return [d["text"] for d in json.loads(path.read_text(encoding="utf-8"))]


def split(items: list[str], part: str) -> list[str]:
    """The DEV part (index % 5 != 4) or the TEST part (every fifth item)."""
    test = part == "test"
    return [t for i, t in enumerate(items) if (i % TEST_EVERY == TEST_EVERY - 1) == test]


def load(args: argparse.Namespace) -> dict[str, list[str]]:
    for p in (args.imcs, args.cmeee):
        if not p.is_file():
            print(f"error: data file not found: {p} (see scripts/eval_deid_realtext.py)", file=sys.stderr)
            raise SystemExit(2)
    return {"imcs": read_imcs(args.imcs, args.imcs_limit), "cmeee": read_cmeee(args.cmeee)}


def spans(texts: list[str]) -> Iterator[tuple[str, int, int, str, str]]:
    """(text, start, end, type, recognizer) of every entity deidentify returns."""
    from yizhu.privacy import deidentify

    for text in texts:
        for e in deidentify(text).entities:
            yield text, e.start, e.end, e.type, f"{e.recognizer}/{e.explanation.pattern}"


def measure(texts: list[str]) -> dict:
    t0 = time.process_time()
    counts: Counter[str] = Counter()
    for _text, _s, _e, typ, _r in spans(texts):
        counts[typ] += 1
    cpu = time.process_time() - t0
    chars = sum(len(t) for t in texts)
    per = {k: round(v * 100_000 / max(chars, 1), 1) for k, v in sorted(counts.items())}
    return {"items": len(texts), "chars": chars, "spans": dict(sorted(counts.items())), "per_100k": per,
            "cpu_s": round(cpu, 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--imcs", type=Path, default=IMCS)
    ap.add_argument("--cmeee", type=Path, default=CMEEE)
    ap.add_argument("--imcs-limit", type=int, default=0, help="utterances read from IMCS (0: all, the default)")
    ap.add_argument("--split", choices=("dev", "test"), default="dev")
    ap.add_argument("--source", choices=("imcs", "cmeee", "both"), default="both")
    ap.add_argument("--list", action="store_true", help="print every watched span of the DEV part with context")
    ap.add_argument("--types", default=",".join(WATCHED), help="types --list prints (comma-separated)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if args.list and args.split == "test":
        print("error: --list is for the DEV part only; the TEST part is run to report, not studied", file=sys.stderr)
        return 2
    data = load(args)
    sources = ("imcs", "cmeee") if args.source == "both" else (args.source,)
    if args.list:
        types = set(args.types.split(","))
        for src in sources:
            for text, s, e, typ, rec in spans(split(data[src], "dev")):
                if typ in types:
                    left, right = text[max(0, s - 12):s], text[e:e + 12]
                    print(f"{src}\t{typ}\t{text[s:e]}\t{left}【{text[s:e]}】{right}\t{rec}")
        return 0
    report = {src: measure(split(data[src], args.split)) for src in sources}
    if args.json:
        print(json.dumps({"split": args.split, **report}, ensure_ascii=False, indent=1))
        return 0
    for src, r in report.items():
        watched = "  ".join(f"{t} {r['per_100k'].get(t, 0.0):.1f} ({r['spans'].get(t, 0)})" for t in WATCHED)
        others = ", ".join(f"{t} {n}" for t, n in r["spans"].items() if t not in WATCHED)
        print(f"{src:6} {args.split:4} items {r['items']:6} chars {r['chars']:7}  per 100k: {watched}"
              f"  | other spans: {others or '-'}  | CPU {r['cpu_s']:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
