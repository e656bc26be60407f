"""The Recognizer seam: one small class per PHI type, with patterns of named strength.

Following presidio-analyzer: a recognizer has patterns (regex + score), context words that raise
the score when seen shortly before a match, and a ``validate`` hook for checksums. Every entity it
returns carries an :class:`~yizhu.privacy.types.Explanation`.

A pattern may be *labelled*: its regex is tried only next to one of its literal ``labels``
(住院号, 患者, 医师 …), before or after the value. The :class:`~yizhu.privacy.analyzer.Analyzer`
finds every label of every recognizer in one Aho-Corasick pass and every unlabelled pattern in one
combined regex; ``Recognizer.find`` runs the same patterns one regex at a time (the naive scan the
benchmark compares against). Both paths call ``confirm``, so they agree on what a match means.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from yizhu.privacy.types import Entity, Explanation
from yizhu.privacy.validators import Validator, get_validator

#: Score added when a context word of the recognizer occurs shortly before a match (presidio: 0.35).
CONTEXT_BOOST = 0.35
_PHI_GROUP = "(?P<phi>"
_FIRST = re.compile(r"\[[^\^\]][^\]]*\]|\\.|[^\\\[\](){}.*+?|^$]")

#: "label 住院号" explanation notes, made once per label.
_LABEL_NOTES: dict[str, str] = {}

#: Context boost by base score (``round(min(CONTEXT_BOOST, 1 - score), 3)``), computed once per score.
_BOOSTS: dict[float, float] = {}
_new = tuple.__new__

class Cues:
    """Where literal cue words stand in one text: the start offsets of every occurrence (overlapping ones too).

    A recognizer lists the words it looks for in ``cue_words``; the
    :class:`~yizhu.privacy.analyzer.Analyzer` adds them to its one Aho-Corasick pass over the text, so
    ``self.cues(text)`` inside ``extra``/``refine`` costs nothing more. A scan can then skip a text that holds
    none of its cue (``if not cues.any(("我姓", "姓")): return []``) or start only where one stands
    (``for p in cues.starts("氏"): ...``) instead of running a regex over the whole text. Words nobody
    declared are answered too, by a plain search (correct, only not free).
    """

    __slots__ = ("_declared", "_hits", "_text")

    def __init__(self, text: str, hits: dict[str, list[int]], declared: frozenset[str] | None = None) -> None:
        self._text = text
        #: word -> start offsets, ascending (declared words absent from the text may be missing)
        self._hits = hits
        #: the words searched for in full (a declared word not in ``hits`` does not occur)
        self._declared = frozenset(hits) if declared is None else declared

    @classmethod
    def find(cls, text: str, words: Iterable[str]) -> Cues:
        """The cues of ``text`` found by plain search (what the analyzer's pass returns)."""
        return cls(text, {w: _occurrences(text, w) for w in words if w})

    def starts(self, word: str) -> list[int]:
        """Start offsets of every occurrence of ``word``, ascending."""
        found = self._hits.get(word)
        if found is None:
            if word in self._declared:
                return []
            found = self._hits[word] = _occurrences(self._text, word)
        return found

    def __contains__(self, word: str) -> bool:
        return bool(self.starts(word))

    def any(self, words: Iterable[str]) -> bool:
        """True when one of ``words`` occurs."""
        return any(self.starts(w) for w in words)

    def found(self) -> set[str]:
        """The declared words that occur (``cues.found().isdisjoint(parts)``: none of many words is here)."""
        return {w for w, at in self._hits.items() if at and w in self._declared}

    def positions(self, words: Iterable[str]) -> list[tuple[int, str]]:
        """(start, word) of every occurrence of any of ``words``: by start, the longer word first."""
        return sorted(((p, w) for w in dict.fromkeys(words) for p in self.starts(w)), key=lambda x: (x[0], -len(x[1])))


def _occurrences(text: str, word: str) -> list[int]:
    out: list[int] = []
    if not word:
        return out
    pos = text.find(word)
    while pos >= 0:
        out.append(pos)
        pos = text.find(word, pos + 1)
    return out


#: Locates a labelled match in custom code: (text, label start, label end) -> raw span or None.
Locator = Callable[[str, int, int], "tuple[int, int] | None"]


def _top_level_branches(regex: str, first: str) -> bool:
    """True when ``regex`` is not ``first`` followed by one sequence (its top level has alternatives)."""
    try:
        import re._parser as sre_parse
    except ImportError:  # pragma: no cover - a Python without the private regex parser
        return False
    try:
        return repr(sre_parse.parse(regex[len(first):]).data) != repr(sre_parse.parse(regex)[1:].data)
    except re.error:
        return False


@dataclass(frozen=True)
class Pattern:
    """One regex of a recognizer, with a named strength (score) and optional literal labels.

    ``regex`` may mark the PHI part with a ``(?P<phi>...)`` group; otherwise the whole match is PHI.

    *Unlabelled* patterns are tried everywhere. For the combined scan they declare ``first``, the
    character class their first character belongs to, written as the literal start of ``regex``
    (``first: "[1-9]"``, ``regex: "[1-9]\\d{5}..."``), and optionally ``not_after``, a class of
    characters that may not precede a match. Patterns without ``first`` still work, scanned alone.

    *Labelled* patterns are tried only next to one of their literal ``labels`` (住院号, 患者, 医师 …):
    the regex is the value after the label (``label_position="before"``), before it (``"after"``,
    searched within ``window`` characters), or the whole match that contains the label
    (``"within"``, e.g. an e-mail around ``@``). ``include_label`` makes the label part of the span;
    ``locate`` replaces the regex by custom code (an address found from its 市/区 suffix).
    ``adjacent`` is a speed hint for labelled patterns: the characters that can stand right next to
    the label on the value side (after it for "before", before it for "after"); the scan skips the
    regex when another character is there.
    """

    name: str
    regex: str
    score: float
    labels: tuple[str, ...] = ()
    label_position: Literal["before", "after", "within"] = "before"
    include_label: bool = False
    window: int = 24
    validate: bool = True
    first: str | None = None
    not_after: str | None = None
    locate: Locator | None = field(default=None, compare=False)
    adjacent: frozenset[str] | None = field(default=None, compare=False)
    spaced_labels: bool = False

    def __post_init__(self) -> None:
        if self.spaced_labels and self.labels:
            # printed forms pad their field names (住 院 号：, 姓    名：): the labels also match so
            object.__setattr__(self, "labels", spaced_variants(self.labels))
        if self.first is not None:
            if not _FIRST.fullmatch(self.first):
                raise ValueError(f"pattern {self.name!r}: first must be one character or a [class], got {self.first!r}")
            if not self.regex.startswith(self.first):
                raise ValueError(f"pattern {self.name!r}: regex must start with first {self.first!r}")
            if _top_level_branches(self.regex, self.first):
                # the combined scan keeps ``first`` in front and wraps the rest: \+a|\+b would need ++b
                raise ValueError(f"pattern {self.name!r}: write top-level alternatives after first, as "
                                 f"{self.first}(?:a|b), not {self.first}a|{self.first}b")
            if self.labels:
                raise ValueError(f"pattern {self.name!r}: first applies to unlabelled patterns only")

    @property
    def labelled(self) -> bool:
        """True when the pattern is tried only next to one of its labels."""
        return bool(self.labels)

    def _value(self) -> str:
        if self.include_label or _PHI_GROUP in self.regex:
            return self.regex
        return f"(?P<phi>{self.regex})"

    def _label_alt(self) -> str:
        return "(?:" + "|".join(re.escape(x) for x in sorted(self.labels, key=len, reverse=True)) + ")"

    def _not_after(self) -> str:
        return f"(?<!{self.not_after})" if self.not_after else ""

    @cached_property
    def naive(self) -> re.Pattern[str]:
        """The pattern as one standalone regex over the whole text (used by ``find``)."""
        if self.locate is not None:
            return re.compile(self._label_alt())
        if not self.labels or self.label_position == "within":
            return re.compile(self._not_after() + self._value())
        if self.include_label:
            body = (
                f"{self._label_alt()}{self.regex}"
                if self.label_position == "before"
                else f"{self.regex}{self._label_alt()}"
            )
            return re.compile(f"(?P<phi>{body})")
        if self.label_position == "before":
            return re.compile(f"{self._label_alt()}{self._value()}")
        return re.compile(f"{self._value()}{self._label_alt()}")

    @cached_property
    def anchored(self) -> re.Pattern[str]:
        """The value regex alone, for matching next to a label found by the label scan."""
        if self.label_position == "after":
            return re.compile(f"(?:{self._value()})\\Z")
        if self.label_position == "within":
            return re.compile(self._not_after() + self._value())
        return re.compile(self._value())

    def first_chars(self) -> str:
        """The inside of the ``first`` class (or the escaped character), for the scan's union class."""
        assert self.first is not None
        return self.first[1:-1] if self.first.startswith("[") else self.first

    def combined_source(self, index: int) -> str:
        """This pattern as one alternative of the combined scan (its ``not_after`` check excluded).

        The first character stays the first operation, so the regex engine rejects the alternative
        with one character test; the named group ``_a<index>`` wraps the rest, so the match starts
        one character before that group. The scan checks ``not_after`` once for all the patterns
        that share it.
        """
        assert self.first is not None
        rest = self.regex[len(self.first):].replace(_PHI_GROUP, f"(?P<phi{index}>")
        return f"{self.first}(?P<_a{index}>{rest})"


#: The padding printed forms put between the characters of a field name.
_LABEL_PADDING = (" ", "  ", "   ", "    ", "\u3000", "\u3000\u3000")


def spaced_variants(labels: Sequence[str]) -> tuple[str, ...]:
    """``labels`` and, for each label of two to four Chinese characters, the label with the same
    padding between every two characters (住 院 号, 姓    名, 姓\u3000名)."""
    out = dict.fromkeys(labels)
    for label in labels:
        if 2 <= len(label) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in label):
            for pad in _LABEL_PADDING:
                out.setdefault(pad.join(label))
    return tuple(out)


class Recognizer:
    """Base of every recognizer: patterns, context words, a validate hook and whole-text refinement.

    Subclasses (or a YAML file, see :mod:`yizhu.privacy.recognizers`) set the class attributes; Python
    is only needed for logic the data cannot express (trimming a span, propagating a found name).
    """

    name: str = "phi.base.v0"
    entity: str = ""
    description: str = ""
    source: str = ""
    #: Literal words whose places ``extra``/``refine`` want (``self.cues(text)``, see :class:`Cues`): the
    #: analyzer finds them in its one automaton pass. Read when an Analyzer is built.
    cue_words: tuple[str, ...] = ()
    #: (text, Cues) the analyzer left for the text being analysed (None outside ``analyze``)
    _cue_stash: tuple[str, Cues] | None = None

    def __init__(
        self,
        patterns: Sequence[Pattern] = (),
        context: Sequence[str] = (),
        *,
        validator: Validator | str | None = None,
        context_window: int = 16,
    ) -> None:
        self.patterns: tuple[Pattern, ...] = tuple(patterns)
        self.context: tuple[str, ...] = tuple(context)
        self.context_window = context_window
        self._context_rx = (
            re.compile("|".join(re.escape(w) for w in sorted(self.context, key=len, reverse=True)))
            if self.context
            else None
        )
        self._validator = get_validator(validator) if isinstance(validator, str) else validator
        # hot-path flags: skip hooks a recognizer does not use
        self._adjusts = type(self).adjust is not Recognizer.adjust
        self._validates = type(self).validate is not Recognizer.validate or self._validator is not None

    # ------------------------------------------------------------------ hooks
    def validate(self, value: str, pattern: Pattern) -> bool | None:
        """Checksum or plausibility of a value: True keeps it, False drops it, None has no opinion."""
        if self._validator is None or not pattern.validate:
            return None
        return self._validator(value)

    def adjust(self, text: str, start: int, end: int, pattern: Pattern) -> tuple[int, int] | None:
        """Trim or reject a raw match before validation; None drops it."""
        return start, end

    def extra(self, text: str) -> list[Entity]:
        """Entities found by logic other than patterns (dictionaries, follow-on rules)."""
        return []

    def refine(self, text: str, found: list[Entity]) -> list[Entity]:
        """Whole-text pass over this recognizer's own entities (e.g. propagate a found name)."""
        return found

    # ------------------------------------------------------------------ shared logic
    def cues(self, text: str) -> Cues:
        """Where this recognizer's ``cue_words`` stand in ``text``: from the analyzer's automaton pass when
        ``text`` is the text being analysed, else found here (the naive scan, a direct call)."""
        stash = self._cue_stash
        if stash is not None and stash[0] is text:
            return stash[1]
        return Cues.find(text, self.cue_words)

    @property
    def overrides_extra(self) -> bool:
        """True when a subclass finds entities beyond its patterns (the analyzer skips the call otherwise)."""
        return type(self).extra is not Recognizer.extra

    @property
    def overrides_refine(self) -> bool:
        """True when a subclass post-processes its entities."""
        return type(self).refine is not Recognizer.refine

    def confirm(
        self, text: str, start: int, end: int, pattern: Pattern, label: str | None = None
    ) -> Entity | None:
        """Turn a raw match into an Entity: adjust, validate, apply context, explain."""
        if self._adjusts:
            adjusted = self.adjust(text, start, end, pattern)
            if adjusted is None:
                return None
            start, end = adjusted
            if end <= start:
                return None
        value = text[start:end]
        valid = self.validate(value, pattern) if self._validates else None
        if valid is False:
            return None
        score = base = pattern.score
        boost = 0.0
        word = None
        if self._context_rx is not None:
            m = self._context_rx.search(text, start - self.context_window if start > self.context_window else 0, start)
            if m is not None:
                word = m.group(0)
                boost = _BOOSTS.get(score)
                if boost is None:
                    boost = _BOOSTS.setdefault(score, round(min(CONTEXT_BOOST, 1.0 - score), 3))
                score += boost
        name = self.name
        note = None
        if label:
            note = _LABEL_NOTES.get(label)
            if note is None:
                note = _LABEL_NOTES.setdefault(label, f"label {label}")
        # the named tuples built directly (their generated __new__ is a Python call each; thousands per note)
        return _new(Entity, (self.entity, start, end, value, name, score,
                             _new(Explanation, (name, pattern.name, base, word, boost, valid, note))))

    def context_word(self, text: str, start: int) -> str | None:
        """A context word seen in the window before ``start`` (the nearest one's leftmost match)."""
        if self._context_rx is None:
            return None
        m = self._context_rx.search(text, max(0, start - self.context_window), start)
        return m.group(0) if m else None

    def find(self, text: str) -> list[Entity]:
        """This recognizer alone over the text, one regex per pattern (the naive scan)."""
        found: list[Entity] = []
        for pattern in self.patterns:
            for m in pattern.naive.finditer(text):
                if pattern.locate is not None:
                    span = pattern.locate(text, m.start(), m.end())
                    if span is None:
                        continue
                    ent = self.confirm(text, span[0], span[1], pattern, m.group(0))
                else:
                    ent = self.confirm(text, m.start("phi"), m.end("phi"), pattern, _label_of(m, pattern))
                if ent is not None:
                    found.append(ent)
        found.extend(self.extra(text))
        return self.refine(text, found)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} ({len(self.patterns)} patterns)>"


def _label_of(m: re.Match[str], pattern: Pattern) -> str | None:
    if not pattern.labels or pattern.label_position == "within":
        return None
    s = m.group(0)
    if pattern.label_position == "before":
        return next((x for x in sorted(pattern.labels, key=len, reverse=True) if s.startswith(x)), None)
    return next((x for x in sorted(pattern.labels, key=len, reverse=True) if s.endswith(x)), None)
