"""Run every recognizer over a text in one pass and settle overlaps.

Speed comes from scanning once, not once per recognizer:

* every unlabelled pattern of every recognizer is one alternative of a single compiled regex
  (named groups say which pattern matched); the regex starts with the class of all first
  characters, so the engine skips every other character without leaving C, and "tail" regexes
  find the other alternatives that match at the same position;
* every label (住院号, 患者, 医师, 医院, 市 …) of every labelled pattern is a key of one Aho-Corasick
  automaton, searched in the UTF-8 bytes of the text; at each hit only that label's patterns are
  tried, anchored at the hit.

``scan="naive"`` runs each recognizer's ``find`` instead (one regex per pattern over the whole
text); ``benchmarks/deid.py`` compares the two and the tests check they return the same entities.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from importlib.resources import files
from typing import Any, Literal

import ahocorasick

from yizhu.privacy.recognizer import Pattern, Recognizer
from yizhu.privacy.types import Entity

Scan = Literal["combined", "naive"]

#: Default minimum score for a span to count as PHI.
DEFAULT_THRESHOLD = 0.5

#: Full-width digits, Latin letters and the signs numbers are written with (３２０１０…, １３７－…, ｗｘｉｄ＿…),
#: read as their ASCII forms, and traditional characters read as simplified ones (below). One character for
#: one, so offsets into the original stay valid.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_FULLWIDTH.update({ord("－"): ord("-"), ord("＋"): ord("+"), ord("＠"): ord("@"), ord("．"): ord("."),
                   ord("＿"): ord("_"), ord("／"): ord("/"), ord("＃"): ord("#"), ord("\u2014"): ord("-"),
                   ord("\u2013"): ord("-"), ord("\u2012"): ord("-")})


def _traditional() -> dict[int, int]:
    """Traditional characters read as their simplified forms (陳 → 陈, 黃 → 黄), one for one: the table
    ``recognizers/data/t2s.txt`` built from OpenCC by ``scripts/build_t2s.py``."""
    path = files("yizhu.privacy.recognizers") / "data" / "t2s.txt"
    pairs = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return {ord(p[0]): ord(p[1]) for p in pairs if len(p) == 2}


_FULLWIDTH.update(_traditional())
_HAS_FULLWIDTH = re.compile("[" + "".join(re.escape(chr(c)) for c in _FULLWIDTH) + "]")
# the class written twice (X then X*, not X+): a pattern that opens with a class gives the regex engine a
# first-character set to skip to in C; one that opens with a repeat does not (twice as fast to fold)
_FULLWIDTH_CLASS = "[" + "".join(re.escape(chr(c)) for c in _FULLWIDTH) + "]"
_FULLWIDTH_RUN = re.compile(_FULLWIDTH_CLASS + _FULLWIDTH_CLASS + "*")


def _fold(m: re.Match[str]) -> str:
    return m.group(0).translate(_FULLWIDTH)


def fold_fullwidth(text: str) -> str:
    """``text`` with full-width digits, letters and number signs as ASCII and traditional characters as
    simplified ones (same length, same offsets).

    Only runs of such characters are rewritten (a whole-text ``translate`` costs as much as the scan).
    """
    if _HAS_FULLWIDTH.search(text) is None:
        return text
    return _FULLWIDTH_RUN.sub(_fold, text)


_BEFORE, _AFTER, _WITHIN, _LOCATE = range(4)


def _kind(pat: Pattern) -> int:
    if pat.locate is not None:
        return _LOCATE
    return {"before": _BEFORE, "after": _AFTER, "within": _WITHIN}[pat.label_position]


#: A pattern that looks at only a few possible characters next to its label is stored once per
#: character (患者张, 患者李 …, 姓名：, 王主任): the scan then stops only where it can match.
_FOLD_MAX = 600


def _label_automaton(labelled: dict[str, list[tuple[Recognizer, Pattern]]]) -> ahocorasick.Automaton:
    """One automaton over every label (or label + next character), searched in UTF-8 bytes.

    Labels are searched in the UTF-8 bytes of the text seen as a latin-1 string: the root then
    branches on a handful of lead bytes instead of hundreds of Chinese characters, which
    pyahocorasick scans linearly.
    """
    keys = {id(pat): i for i, pat in enumerate({id(p): p for es in labelled.values() for _, p in es}.values())}
    words: dict[str, list[tuple[str, int, tuple[Any, ...]]]] = defaultdict(list)
    for label, entries in labelled.items():
        plain: list[tuple[Any, ...]] = []
        before: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        after: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for rec, pat in entries:
            kind = _kind(pat)
            # (key, kind, adjacent, rec, pat, run, window, include_label, confirm, name)
            entry = (keys[id(pat)], kind, pat.adjacent, rec, pat, _runner(pat), pat.window, pat.include_label,
                     rec.confirm, rec.name)
            small = pat.adjacent is not None and len(pat.adjacent) <= _FOLD_MAX
            if small and kind in (_BEFORE, _AFTER):
                # the key holds the adjacent character, so the scan need not check it again
                folded = (*entry[:2], None, *entry[3:])
                for ch in pat.adjacent:  # type: ignore[union-attr]
                    (before if kind == _BEFORE else after)[ch].append(folded)
            else:
                plain.append(entry)
        if plain:
            words[label].append((len(label), 0, label, tuple(plain)))
        for ch, es in before.items():
            words[label + ch].append((len(label), 1, label, tuple(es)))
        for ch, es in after.items():
            words[ch + label].append((len(label), 0, label, tuple(es)))
    automaton = ahocorasick.Automaton()
    for word, groups in words.items():
        automaton.add_word(word.encode("utf-8").decode("latin-1"), tuple(groups))
    automaton.make_automaton()
    return automaton


def _alternation(alternatives: Sequence[tuple[str, str | None]]) -> str:
    """Alternatives grouped by their not_after class, so each class is checked once per position."""
    by_guard: dict[str | None, list[str]] = defaultdict(list)
    for src, guard in alternatives:
        by_guard[guard].append(src)
    return "|".join(f"(?<!{g})(?:{'|'.join(a)})" if g else "|".join(a) for g, a in by_guard.items())


@lru_cache(maxsize=256)
def _members(src: str) -> frozenset[str]:
    """The characters of the Basic Multilingual Plane that the regex ``src`` matches alone."""
    universe = "".join(chr(i) for i in range(0x10000) if not 0xD800 <= i < 0xE000)
    return frozenset(re.findall(src, universe))


@lru_cache(maxsize=16)
def _guard_prefilter(pairs: tuple[tuple[str, str | None], ...]) -> str:
    """A look-behind ``(?<!GF|…)`` over (previous character, first character) that rejects a first
    character ``c`` after ``b`` only when every alternative that can start with ``c`` has a
    ``not_after`` class holding ``b`` (so the alternation would fail there anyway)."""
    sets = []
    for first, guard in pairs:
        g = _members(guard) if guard else frozenset()
        if guard and (not g or any(len(x) != 1 for x in g)):
            return ""  # not a one-character class: no safe prefilter
        sets.append((_members(first), g))
    union = set().union(*(f for f, _ in sets))
    branches = []
    for guard in dict.fromkeys(g for _, g in pairs if g):
        gm = _members(guard)
        chars = sorted(c for c in union if all(gm <= g for f, g in sets if c in f))
        if chars:
            branches.append(f"(?:{guard})[{''.join(re.escape(c) for c in chars)}]")
    return f"(?<!{'|'.join(branches)})" if branches else ""


def _runner(pat: Pattern) -> Callable[..., Any]:
    """The bound method the label scan calls for a pattern (looked up once, not per hit)."""
    kind = _kind(pat)
    if kind == _LOCATE:
        assert pat.locate is not None
        return pat.locate
    if kind == _BEFORE:
        return pat.anchored.match
    if kind == _AFTER:
        return pat.anchored.search
    return pat.anchored.finditer


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
        self._order: list[tuple[str, str | None]] = []
        self._names: dict[str, tuple[int, Recognizer, Pattern, str | None]] = {}
        self._tails: dict[int, re.Pattern[str] | None] = {}
        self._alts: dict[str, tuple[Any, ...]] = {}
        self._loose: list[tuple[Recognizer, Pattern]] = []
        # recognizers whose extra() or refine() must run on every text; the others only contribute matches
        self._post = [
            (r, r.overrides_extra, r.overrides_refine)
            for r in self.recognizers
            if r.overrides_extra or r.overrides_refine
        ]
        self._automaton: ahocorasick.Automaton | None = None
        self._compile()

    # ------------------------------------------------------------------ build
    def _compile(self) -> None:
        union: list[str] = []
        labelled: dict[str, list[tuple[Recognizer, Pattern]]] = defaultdict(list)
        for rec in self.recognizers:
            for pat in rec.patterns:
                if pat.labelled:
                    for label in pat.labels:
                        labelled[label].append((rec, pat))
                elif pat.first is None:
                    self._loose.append((rec, pat))
                else:
                    order = len(self._order)
                    src = pat.combined_source(order)
                    self._order.append((src, pat.not_after))
                    union.append(pat.first_chars())
                    phi = f"phi{order}" if f"(?P<phi{order}>" in src else None
                    self._names[f"_a{order}"] = (order, rec, pat, phi)
        if self._order:
            # One character from the union class, then a look-behind that re-reads it inside a
            # look-ahead trying every alternative: the leading class lets the regex engine skip
            # every other character in C, and each alternative still starts with its own first
            # character, so most are rejected by one test. Matches are one character long, so a
            # candidate inside another candidate is still tried (as the naive scan would); other
            # alternatives matching at the same position are found with the "tail" regexes.
            # The negative look-behind after the class drops, in one test, a character whose every
            # alternative is excluded by its not_after class (a digit inside a number).
            guard = _guard_prefilter(tuple((p.first or "", p.not_after) for _, _, p, _ in self._names.values()))
            self._free = re.compile(
                f"[{''.join(dict.fromkeys(union))}]{guard}(?<=(?=(?:{_alternation(self._order)})).)"
            )
            # per alternative group: (group, pattern, phi group, confirm, recognizer name, tail regex)
            self._alts = {
                group: (group, pat, phi, rec.confirm, rec.name, self._tail(order))
                for group, (order, rec, pat, phi) in self._names.items()
            }
        if labelled:
            self._automaton = _label_automaton(labelled)

    def _tail(self, order: int) -> re.Pattern[str] | None:
        """The alternatives after ``order``, as one regex matched at a position (compiled on demand)."""
        if order not in self._tails:
            rest = self._order[order + 1:]
            self._tails[order] = re.compile(_alternation(rest)) if rest else None
        return self._tails[order]

    # ------------------------------------------------------------------ scan
    def _combined(self, text: str) -> dict[str, list[Entity]]:
        by_rec: dict[str, list[Entity]] = defaultdict(list)
        if self._free is not None:
            alts = self._alts
            for m in self._free.finditer(text):
                group, pat, phi, confirm, name, tail = alts[m.lastgroup]  # type: ignore[index]
                p = m.start()
                while True:
                    s, e = m.span(phi) if phi else (p, m.end(group))
                    ent = confirm(text, s, e, pat)
                    if ent is not None:
                        by_rec[name].append(ent)
                    # Other unlabelled patterns may match at the same position (an 18-digit 身份证号
                    # also looks like a bank card): try those after this one.
                    if tail is None:
                        break
                    m = tail.match(text, p)  # type: ignore[assignment]
                    if m is None:
                        break
                    group, pat, phi, confirm, name, tail = alts[m.lastgroup]  # type: ignore[index]
        for rec, pat in self._loose:
            for m in pat.naive.finditer(text):
                ent = rec.confirm(text, m.start("phi"), m.end("phi"), pat)
                if ent is not None:
                    by_rec[rec.name].append(ent)
        if self._automaton is not None:
            self._labelled(text, by_rec)
        return by_rec

    def _labelled(self, text: str, by_rec: dict[str, list[Entity]]) -> None:
        n = len(text)
        raw = text.encode("utf-8")
        wide = len(raw) != n
        seen: set[int] = set()
        stride = n + 1
        # byte offsets of hits to character offsets, counted on from the previous hit (UTF-8 is
        # self-synchronising, so a label's bytes can only match at character boundaries)
        at_byte = at_char = 0
        assert self._automaton is not None
        for end_idx, groups in self._automaton.iter(raw.decode("latin-1")):
            end = end_idx + 1
            if wide:
                if end >= at_byte:
                    at_char += len(raw[at_byte:end].decode("utf-8"))
                else:
                    at_char -= len(raw[end:at_byte].decode("utf-8"))
                at_byte = end
                end = at_char
            for llen, extra, label, entries in groups:
                q = end - extra
                p = q - llen
                for key, kind, adjacent, _rec, pat, run, window, include_label, confirm, name in entries:
                    if kind == _BEFORE:
                        if adjacent is not None and text[q:q + 1] not in adjacent:
                            continue
                        # Labels ending together (签名, 医师签名) give a value pattern the same anchor: try it once.
                        anchor = key * stride + q
                        if anchor in seen:
                            continue
                        seen.add(anchor)
                        m = run(text, q)
                        if m is None:
                            continue
                        s, e = (p, m.end()) if include_label else m.span("phi")
                    else:
                        if adjacent is not None and (p == 0 or text[p - 1] not in adjacent):
                            continue
                        anchor = key * stride + p
                        if anchor in seen:
                            continue
                        seen.add(anchor)
                        if kind == _AFTER:
                            m = run(text, p - window if p > window else 0, p)
                            if m is None:
                                continue
                            s, e = (m.start(), q) if include_label else m.span("phi")
                        elif kind == _LOCATE:
                            span = run(text, p, q)
                            if span is None:
                                continue
                            s, e = span
                        else:
                            for m in run(text, max(0, p - window), min(n, q + window)):
                                if m.start() <= p and m.end() >= q:
                                    break
                            else:
                                continue
                            s, e = m.span("phi")
                    ent = confirm(text, s, e, pat, label)
                    if ent is not None:
                        by_rec[name].append(ent)

    def analyze(self, text: str) -> list[Entity]:
        """PHI entities of ``text`` above the threshold, non-overlapping, sorted by start.

        Full-width digits and letters are read as ASCII (``fold_fullwidth``); entity texts are the
        original characters.
        """
        folded = fold_fullwidth(text)
        if folded is text:
            return self._analyze(text)
        out = self._analyze(folded)
        for i, e in enumerate(out):
            original = text[e.start:e.end]
            if original != e.text:  # only spans holding a folded character change
                out[i] = Entity(e.type, e.start, e.end, original, e.recognizer, e.score, e.explanation)
        return out

    def _analyze(self, text: str) -> list[Entity]:
        found: list[Entity] = []
        if self.scan == "naive":
            for rec in self.recognizers:
                found.extend(rec.find(text))
        else:
            by_rec = self._combined(text)
            for rec, extra, refine in self._post:
                own = by_rec.pop(rec.name, [])
                if extra:
                    own.extend(rec.extra(text))
                found.extend(rec.refine(text, own) if refine else own)
            for own in by_rec.values():
                found.extend(own)
        threshold = self.threshold
        return resolve_overlaps([e for e in found if e.score >= threshold])
