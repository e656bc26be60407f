"""Evaluate de-identification on synthetic notes with gold spans: precision and recall per PHI type.

    .venv/bin/python -m yizhu.evaluation.deid [--n 1400] [--seed 7] [--write docs/deid.md]

Two views of each number:

* **masking** (the one the targets use): a gold span counts as found when predicted spans of any
  type cover all of it — what matters for de-identification is that nothing leaks; a predicted
  span is correct when it overlaps some gold span.
* **strict**: same type and exact boundaries, for tuning recognizers.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from yizhu.evaluation.data.deid.synth import DOC_TYPES, SyntheticNote, generate_corpus
from yizhu.privacy import Analyzer, Entity, default_analyzer

#: Targets of the de-identification issue (masking view).
RECALL_TARGETS: dict[str, float] = {
    "ID_CARD": 0.99,
    "PHONE": 0.99,
    "RECORD_ID": 0.99,
    "PERSON": 0.97,
    "ADDRESS": 0.95,
    "ORG": 0.95,
}
PRECISION_TARGET = 0.95
START_MARK = "<!-- deid-eval:start -->"
END_MARK = "<!-- deid-eval:end -->"


@dataclass
class Tally:
    """Counts for one PHI type."""

    gold: int = 0
    covered: int = 0
    predicted: int = 0
    overlapping: int = 0
    strict_tp: int = 0
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """Share of gold spans fully covered by predictions of any type."""
        return self.covered / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        """Share of predictions that overlap some gold span."""
        return self.overlapping / self.predicted if self.predicted else 1.0

    @property
    def strict_recall(self) -> float:
        """Share of gold spans predicted with the same type and boundaries."""
        return self.strict_tp / self.gold if self.gold else 1.0

    @property
    def strict_precision(self) -> float:
        """Share of predictions matching a gold span exactly, type included."""
        return self.strict_tp / self.predicted if self.predicted else 1.0


@dataclass
class Report:
    """Per-type tallies plus the run's size and speed."""

    tallies: dict[str, Tally]
    notes: int
    chars: int
    seconds: float
    seed: int

    @property
    def total(self) -> Tally:
        """Tally over all types."""
        return self.tallies["ALL"]

    def failures(self) -> list[str]:
        """Targets not met, as readable lines (empty when all are met)."""
        out = []
        for typ, target in RECALL_TARGETS.items():
            t = self.tallies.get(typ)
            if t and t.recall < target:
                out.append(f"recall {typ} {t.recall:.4f} < {target}")
        if self.total.precision < PRECISION_TARGET:
            out.append(f"precision overall {self.total.precision:.4f} < {PRECISION_TARGET}")
        return out


def _covered(spans: Sequence[tuple[int, int]], start: int, end: int, text: str) -> bool:
    need = [i for i in range(start, end) if not text[i].isspace()]
    return all(any(s <= i < e for s, e in spans) for i in need)


def score_note(note: SyntheticNote, predicted: Iterable[Entity], tallies: dict[str, Tally]) -> None:
    """Add one note's gold/predicted comparison to ``tallies`` (per type and 'ALL')."""
    preds = list(predicted)
    pred_spans = [(e.start, e.end) for e in preds]
    exact = {(e.type, e.start, e.end) for e in preds}
    for g in note.spans:
        for key in (g.type, "ALL"):
            t = tallies[key]
            t.gold += 1
            if _covered(pred_spans, g.start, g.end, note.text):
                t.covered += 1
            elif key != "ALL":
                t.missed.append(f"{note.id} {note.doc_type}: {g.text!r} in …{_context(note.text, g.start, g.end)}…")
            if (g.type, g.start, g.end) in exact:
                t.strict_tp += 1
    for e in preds:
        hit = any(g.start < e.end and e.start < g.end for g in note.spans)
        for key in (e.type, "ALL"):
            t = tallies[key]
            t.predicted += 1
            if hit:
                t.overlapping += 1
            elif key != "ALL":
                t.spurious.append(f"{note.id} {note.doc_type}: {e.text!r} ({e.explanation.pattern}) in …"
                                  f"{_context(note.text, e.start, e.end)}…")


def _context(text: str, start: int, end: int, width: int = 12) -> str:
    return re.sub(r"\s+", " ", text[max(0, start - width):end + width])


def evaluate(notes: Sequence[SyntheticNote], analyzer: Analyzer | None = None, *, seed: int = 0) -> Report:
    """Run the analyzer over the notes and tally masking and strict scores per type."""
    an = analyzer or default_analyzer()
    tallies: dict[str, Tally] = defaultdict(Tally)
    t0 = time.perf_counter()
    found = [an.analyze(n.text) for n in notes]
    seconds = time.perf_counter() - t0
    for note, ents in zip(notes, found, strict=True):
        score_note(note, ents, tallies)
    tallies.setdefault("ALL", Tally())
    return Report(dict(tallies), len(notes), sum(len(n.text) for n in notes), seconds, seed)


@dataclass
class HeldOut:
    """Recall of known identifiers in a corpus the recognizers were not written against."""

    corpus: str
    notes: int
    found: dict[str, int] = field(default_factory=dict)
    masked: dict[str, int] = field(default_factory=dict)
    missed: list[str] = field(default_factory=list)


def evaluate_demo_hospital(patients: int = 100, analyzer: Analyzer | None = None) -> HeldOut | None:
    """Mask check on the demo hospital (``yizhu.demo``): every occurrence of the patient's name,
    record number, address and phone and of the attending's name must be covered. None when the
    demo hospital is not installed."""
    try:
        from yizhu.demo.generator import generate_hospital
    except ImportError:
        return None
    an = analyzer or default_analyzer()
    out = HeldOut(f"synthetic demo hospital, {patients} patients", 0)
    for ctx in generate_hospital(n_patients=patients).contexts:
        pt, enc = ctx.patient, ctx.encounter
        if pt is None:
            continue
        values = {"patient name": pt.name, "record number": pt.mrn, "address": pt.address, "phone": pt.phone,
                  "attending name": enc.attending if enc else None}
        for doc in ctx.documents:
            out.notes += 1
            spans = [(e.start, e.end) for e in an.analyze(doc.text)]
            for kind, value in values.items():
                if not value:
                    continue
                pos = doc.text.find(value)
                while pos >= 0:
                    end = pos + len(value)
                    out.found[kind] = out.found.get(kind, 0) + 1
                    if _covered(spans, pos, end, doc.text):
                        out.masked[kind] = out.masked.get(kind, 0) + 1
                    else:
                        out.missed.append(f"{doc.id}: {value!r} in …{_context(doc.text, pos, end)}…")
                    pos = doc.text.find(value, end)
    return out


def markdown(report: Report, command: str, held_out: HeldOut | None = None) -> str:
    """The results section of docs/deid.md."""
    lines = [
        START_MARK,
        f"Measured on {report.notes} synthetic notes ({report.chars:,} characters, "
        f"{len(DOC_TYPES)} document types, seed {report.seed}); reproduce with:",
        "",
        "```",
        command,
        "```",
        "",
        "| type | gold | predicted | recall (masking) | precision (masking) | strict P | strict R | target |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    order = sorted((k for k in report.tallies if k != "ALL"), key=lambda k: -report.tallies[k].gold)
    for key in [*order, "ALL"]:
        t = report.tallies[key]
        target = f"R ≥ {RECALL_TARGETS[key]}" if key in RECALL_TARGETS else ""
        if key == "ALL":
            target = f"P ≥ {PRECISION_TARGET}"
        lines.append(
            f"| {key} | {t.gold} | {t.predicted} | {t.recall:.4f} | {t.precision:.4f} | "
            f"{t.strict_precision:.4f} | {t.strict_recall:.4f} | {target} |"
        )
    fails = report.failures()
    lines += ["", "All targets met." if not fails else "Targets missed: " + "; ".join(fails)]
    if held_out is not None:
        lines += [
            "",
            f"Held-out check on the {held_out.corpus} ({held_out.notes} notes, written independently of the "
            "recognizers, no gold spans): share of the occurrences of each known identifier that is masked.",
            "",
            "| identifier | occurrences | masked | recall |",
            "|---|---:|---:|---:|",
        ]
        for kind, n in held_out.found.items():
            m = held_out.masked.get(kind, 0)
            lines.append(f"| {kind} | {n} | {m} | {m / n:.4f} |")
    lines.append(END_MARK)
    return "\n".join(lines)


def write_section(path: Path, section: str) -> None:
    """Replace the marked results section of ``path`` (or append it)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if START_MARK in text and END_MARK in text:
        head, _, rest = text.partition(START_MARK)
        _, _, tail = rest.partition(END_MARK)
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: generate, evaluate, print, optionally write docs; exit 1 when a target is missed."""
    ap = argparse.ArgumentParser(prog="python -m yizhu.evaluation.deid", description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1400, help="number of synthetic notes")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--write", type=Path, default=None, help="update the results section of this markdown file")
    ap.add_argument("--show", type=int, default=5, help="missed/spurious examples to print per type")
    ap.add_argument("--demo-patients", type=int, default=100, help="held-out demo hospital size (0: skip)")
    args = ap.parse_args(argv)
    notes = generate_corpus(args.n, args.seed)
    report = evaluate(notes, seed=args.seed)
    held_out = evaluate_demo_hospital(args.demo_patients) if args.demo_patients else None
    command = f".venv/bin/python -m yizhu.evaluation.deid --n {args.n} --seed {args.seed}"
    if args.write:
        command += f" --write {args.write}"
    section = markdown(report, command, held_out)
    sys.stdout.write(section + "\n")
    for line in (held_out.missed if held_out else [])[: args.show]:
        sys.stdout.write(f"MISSED   held-out: {line}\n")
    for key, t in sorted(report.tallies.items()):
        for line in t.missed[: args.show]:
            sys.stdout.write(f"MISSED   {key}: {line}\n")
        for line in t.spurious[: args.show]:
            sys.stdout.write(f"SPURIOUS {key}: {line}\n")
    if args.write:
        write_section(args.write, section)
    return 1 if report.failures() else 0


if __name__ == "__main__":
    raise SystemExit(main())
