"""The register gate of the rule path measured on real speech: parents' utterances of IMCS-V2 (real online
paediatric consultations; research use, never committed — read from ../shared/data/imcs/ where present).

Each sampled utterance goes through the drafting pipeline for a relative's sentence (dialect, lexicon,
spoken forms, register gate), with grounding against the utterance itself (as in a draft, a rebuilt clause is
written only when grounding supports it). Reported:
- clauses kept as said (verbatim), kept after rewording (lexicon rewrote them to record wording), rebuilt
  from their findings, left out (listed), dropped as conversation (thanks, bare answer words);
- recall of IMCS's tagged Symptom / Drug / Drug_Category spans in the written text (the span, its lexicon
  reading, or the same concept found by the extractor), and how many more are at least listed as left out.

IMCS has no speaker labels: an utterance is taken as the parent's when it speaks of the child or of itself
(宝宝, 孩子, 我家, 我 …) and has none of the doctor's words (建议, 考虑, 您, 你, 可以, 需要, 应该, 注意), and
carries at least one tagged span.

With ``--sample K`` it prints K rebuilt clauses drawn at random (the clause after rewrites → what the record
says, with the utterance), for a reader to judge by hand that no finding is invented.

    .venv/bin/python benchmarks/notes_register_imcs.py [--n 1500] [--seed 7] [--path FILE] [--sample 30]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections import Counter
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[1] / ".." / ".." / "shared" / "data" / "imcs" / "IMCS-V2_ner_train.jsonl"
_PARENT = re.compile(r"宝宝|孩子|小孩|我家|我女儿|我儿子|娃|我")
_DOCTOR = re.compile(r"建议|考虑|您|你|可以|需要|应该|注意|一般|请问")
_CLAUSE = re.compile(r"[，,；;。！!？?]")


def spans(text: str, bio: list[str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    start, kind = -1, ""
    for i, tag in enumerate([*bio, "O"]):
        if tag.startswith("B-") or tag == "O" or (tag.startswith("I-") and tag[2:] != kind):
            if start >= 0:
                out.append((kind, text[start:i]))
            start, kind = (i, tag[2:]) if tag.startswith("B-") else (-1, "")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--path", type=Path, default=Path("/work/shared/data/imcs/IMCS-V2_ner_train.jsonl"))
    ap.add_argument("--sample", type=int, default=0, help="print this many rebuilt clauses to judge by hand")
    args = ap.parse_args()
    if not args.path.exists():
        raise SystemExit(f"{args.path} not found (IMCS is read from the shared data folder only)")
    from yizhu.clinical.notes.extractive import _clean_patient
    from yizhu.clinical.notes.speech import CHECKER, GATED, LEFT_OUT
    from yizhu.knowledge.terminology.colloquial import colloquial
    from yizhu.safety.entities import extract
    from yizhu.safety.grounding import GroundingChecker, SourceText

    rows = []
    with args.path.open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            sp = [s for s in spans(r["text"], r["bio"]) if s[0] in ("Symptom", "Drug", "Drug_Category")]
            if sp and _PARENT.search(r["text"]) and not _DOCTOR.search(r["text"]):
                rows.append((r["text"], sp))
    random.Random(args.seed).shuffle(rows)
    rows = rows[: args.n]
    lex = colloquial()
    clauses = Counter()
    tagged = survived = listed = 0
    rebuilt_all: list[tuple[str, str, str]] = []
    t0 = time.process_time()
    for text, sp in rows:
        gated: list = []
        left: list = []
        tok_g, tok_l = GATED.set(gated), LEFT_OUT.set(left)
        tok_c = CHECKER.set(GroundingChecker([SourceText("T1", text, speaker="family")]))
        try:
            out = _clean_patient(text, family=True)
        finally:
            GATED.reset(tok_g)
            LEFT_OUT.reset(tok_l)
            CHECKER.reset(tok_c)
        said = [c for c in _CLAUSE.split(text) if c.strip()]
        written = [c for c in _CLAUSE.split(out) if c.strip()]
        rebuilt = {g.written for g in gated if g.written}
        n_rebuilt = sum(1 for g in gated if g.written)
        rebuilt_all += [(g.clause, g.written, text) for g in gated if g.written]
        n_left = sum(1 for g in gated if not g.written)
        verbatim = sum(1 for c in written if c not in rebuilt and c in text)
        reworded = sum(1 for c in written if c not in rebuilt and c not in text)
        clauses["said"] += len(said)
        clauses["kept verbatim"] += verbatim
        clauses["kept after rewording"] += reworded
        clauses["rebuilt"] += n_rebuilt
        clauses["left out (listed)"] += n_left
        out_concepts = {m.concept for m in extract(lex.normalise(out).text)}
        listed_text = "".join(x.clause for x in left)
        for _kind, s in sp:
            tagged += 1
            reading = lex.normalise(s).text
            concepts = {m.concept for m in extract(reading)}
            if s in out or reading in out or (concepts and concepts & out_concepts):
                survived += 1
            elif s in listed_text or reading in listed_text:
                listed += 1
    cpu = time.process_time() - t0
    accounted = clauses["kept verbatim"] + clauses["kept after rewording"] + clauses["rebuilt"] + clauses["left out (listed)"]
    clauses["dropped as conversation (or merged)"] = max(0, clauses["said"] - accounted)
    print(f"utterances: {len(rows)} (parent-like, with a tagged Symptom/Drug span); CPU {cpu:.1f} s")
    for k in ("said", "kept verbatim", "kept after rewording", "rebuilt", "left out (listed)",
              "dropped as conversation (or merged)"):
        v = clauses[k]
        print(f"  clauses {k:38s} {v:6d}  {v / max(1, clauses['said']):.3f}")
    print(f"tagged Symptom/Drug/Drug_Category spans: {tagged}; in the written text {survived} "
          f"({survived / max(1, tagged):.3f}); listed as left out {listed} ({listed / max(1, tagged):.3f})")
    if args.sample:
        print(f"\nrebuilt clauses, {args.sample} drawn at random (clause after rewrites → written | utterance):")
        for i, (clause, written_, said) in enumerate(random.Random(args.seed).sample(
                rebuilt_all, min(args.sample, len(rebuilt_all))), 1):
            print(f"{i:3d}. {clause} → {written_} | {said}")


if __name__ == "__main__":
    main()
