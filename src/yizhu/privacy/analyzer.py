"""Run every recognizer over a text in one pass and settle overlaps.

Speed comes from scanning once, not once per recognizer:

* every unlabelled pattern of every recognizer is one alternative of a single compiled regex
  (named groups say which pattern matched; patterns sharing a zero-width ``guard`` such as "start
  of a digit run" sit behind one check, so most characters are rejected at once);
* every label (住院号, 患者, 医师, 医院, place names …) of every labelled pattern is a key of one
  Aho-Corasick automaton; at each hit only that label's patterns are tried, anchored at the hit.

``scan="naive"`` runs each recognizer's ``find`` instead (one regex per pattern over the whole
text); ``benchmarks/deid.py`` compares the two and the tests check they agree.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Literal

import ahocorasick

from yizhu.privacy.recognizer import Pattern, Recognizer
from yizhu.privacy.types import Entity

Scan = Literal["combined", "naive"]

#: Default minimum score for a span to count as PHI.
DEFAULT_THRESHOLD = 0.5


def resolve_overlaps(entities: Iterable[Entity]) -> list[Entity]:
    """Keep the best of overlapping spans: higher score, then longer, then earlier; sorted by start."""
    ranked = sorted(entities, key=lambda e: (-e.score, -(e.end - e.start), e.start, e.type))
    starts: list[int] = []
    kept: list[Entity] = []
    for e in ranked:
        i = bisect.bisect_left(starts, e.start)
        if i > 0 and kept[i - 1].end > e.start:
            continue
        if i < len(kept) and kept[i].start < e.end:
            continue
        starts.insert(i, e.start)
        kept.insert(i, e)
    return kept


class Analyzer:
    """All recognizers compiled into one regex scan and one Aho-Corasick scan."""

    def __init__(
        self,
        recognizers: Sequence[Recognizer],
        *,
        threshold: float = DEFAULT_THRESHOLD,
        scan: Scan = "combined",
    ) -> None:
        self.recognizers = tuple(recognizers)
        self.threshold = threshold
        self.scan = scan
        self._free: re.Pattern[str] | None = None
        self._alts: dict[int, tuple[Recognizer, Pattern, str | None]] = {}
        self._automaton: ahocorasick.Automaton | None = None
        self._compile()

    # ------------------------------------------------------------------ build
    def _compile(self) -> None:
        groups: dict[str | None, list[str]] = defaultdict(list)
        labelled: dict[str, list[tuple[Recognizer, Pattern]]] = defaultdict(list)
        index = 0
        names: dict[str, tuple[Recognizer, Pattern, str | None]] = {}
        for rec in self.recognizers:
            for pat in rec.patterns:
                if pat.labelled:
                    for label in pat.labels:
                        labelled[label].append((rec, pat))
                    continue
                src = pat.combined_source(index)
                phi = f"phi{index}" if f"(?P<phi{index}>" in src else None
                groups[pat.guard].append(f"(?P<_a{index}>{src})")
                names[f"_a{index}"] = (rec, pat, phi)
                index += 1
        branches = [
            f"{guard}(?:{'|'.join(alts)})" if guard else "|".join(alts)
            for guard, alts in groups.items()
        ]
        if branches:
            self._free = re.compile("|".join(f"(?:{b})" for b in branches))
            for name, idx in self._free.groupindex.items():
                if name in names:
                    self._alts[idx] = names[name]
        if labelled:
            automaton = ahocorasick.Automaton()
            for label, entries in labelled.items():
                automaton.add_word(label, (label, tuple(entries)))
            automaton.make_automaton()
            self._automaton = automaton

    # ------------------------------------------------------------------ scan
    def _combined(self, text: str) -> dict[str, list[Entity]]:
        by_rec: dict[str, list[Entity]] = defaultdict(list)
        if self._free is not None:
            alts = self._alts
            for m in self._free.finditer(text):
                rec, pat, phi = alts[m.lastindex or 0]
                s, e = m.span(phi) if phi else m.span()
                ent = rec.confirm(text, s, e, pat)
                if ent is not None:
                    by_rec[rec.name].append(ent)
        if self._automaton is not None:
            for end_idx, (label, entries) in self._automaton.iter(text):
                q = end_idx + 1
                p = q - len(label)
                for rec, pat in entries:
                    if pat.label_position == "before":
                        m = pat.anchored.match(text, q)
                        if m is None:
                            continue
                        s, e = (p, m.end()) if pat.include_label else m.span("phi")
                    else:
                        m = pat.anchored.search(text, max(0, p - pat.window), p)
                        if m is None:
                            continue
                        s, e = (m.start(), q) if pat.include_label else m.span("phi")
                    ent = rec.confirm(text, s, e, pat, label)
                    if ent is not None:
                        by_rec[rec.name].append(ent)
        return by_rec

    def analyze(self, text: str) -> list[Entity]:
        """PHI entities of ``text`` above the threshold, non-overlapping, sorted by start."""
        found: list[Entity] = []
        if self.scan == "naive":
            for rec in self.recognizers:
                found.extend(rec.find(text))
        else:
            by_rec = self._combined(text)
            for rec in self.recognizers:
                own = by_rec.get(rec.name, [])
                own.extend(rec.extra(text))
                found.extend(rec.refine(text, own))
        return resolve_overlaps(e for e in found if e.score >= self.threshold)
