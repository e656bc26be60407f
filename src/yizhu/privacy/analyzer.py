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
from types import ModuleType
from typing import Any, Literal

import ahocorasick

try:  # the Rust automaton (package ahocorasick-rs): the same hits in the same order, about twice as fast
    import ahocorasick_rs
except ImportError:  # pragma: no cover - then pyahocorasick alone
    ahocorasick_rs = None

from yizhu.privacy.continuations import continue_lists
from yizhu.privacy.recognizer import Cues, Pattern, Recognizer
from yizhu.privacy.types import Entity

# The parsed-regex opcodes are CPython-private (stable since 3.11): without them the scan skips its
# look-ahead and finds the same entities, only slower.
sre: ModuleType | None
sre_parse: ModuleType | None
try:
    import re._constants as sre
    import re._parser as sre_parse
except ImportError:  # pragma: no cover - a Python without the private regex parser
    sre = sre_parse = None

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
#: Japanese forms typed or scanned for the Chinese unit words of addresses (1単元302, 青山県): read as
#: the Chinese characters (the Japanese forms never stand in Chinese text otherwise).
_FULLWIDTH.update({ord("単"): ord("单"), ord("県"): ord("县")})
_HAS_FULLWIDTH = re.compile("[" + "".join(re.escape(chr(c)) for c in _FULLWIDTH) + "]")
# the class written twice (X then X*, not X+): a pattern that opens with a class gives the regex engine a
# first-character set to skip to in C; one that opens with a repeat does not (twice as fast to fold)
_FULLWIDTH_CLASS = "[" + "".join(re.escape(chr(c)) for c in _FULLWIDTH) + "]"
_FULLWIDTH_RUN = re.compile(_FULLWIDTH_CLASS + _FULLWIDTH_CLASS + "*")


def _fold(m: re.Match[str]) -> str:
    return m.group(0).translate(_FULLWIDTH)


#: Letters an OCR scan or a typist puts for a digit (O/o for 0, l/I/| for 1, Cyrillic З/з for 3), read as
#: that digit only where they stand inside a number: between digits (3701O2196…, 1З964O82517, 3O2), opening
#: or closing a digit group of a grouped number (135 O848 7712), opening a number of five or more digits
#: (l3964082517, l38 1234 5678), an area code ((O571), O571-8888 1234) or a building number (l0栋, I2单元);
#: 〇 between digits is 0. A letter beside digits on one side only keeps its meaning (SpO2, I131,
#: CD4, 8 IU, O157), and a table bar between digits only inside a long run (3701|2196…, not |12|34|).
_C = "[OoIl\u0417\u0437\u3007]"
_CONFUSABLE = re.compile(
    # one confusable character at a time, the class first (the engine skips to it in C), then what stands
    # around it (the look-behinds re-read the character itself)
    "[OoIl|\u0417\u0437\u3007](?:"
    f"(?<=[0-9]{_C})(?={_C}?[0-9])"  # between digits: 3701O2196, 1З964, 2OO6
    f"|(?<=[0-9]{_C}{_C})(?=[0-9])"
    "|(?<=[0-9]{3}\\|)(?=[0-9]{3})"  # a bar inside a long run
    "|(?<=[0-9][ \\-\u3000][OoIl\u0417\u0437])(?=[0-9]{2})"  # opening a group: 135 O848
    "|(?<=[0-9]{2}[OoIl\u0417\u0437])(?=[ \\-\u3000][0-9])"  # closing a group
    "|(?<=[lI\u0417\u0437])(?<![0-9A-Za-z].)(?=[0-9]{2}(?:[ \\-\u3000]?[0-9]){3})"  # opening a number: l38 1234…
    "|(?<=O)(?<![0-9A-Za-z].)(?=[1-9][0-9]{1,2}[ \\-][2-9][0-9]{2,3}[ \\-]?[0-9]{3,4}(?![0-9]))"  # O571-8888 1234
    "|(?<=[(（]O)(?=[0-9]{2,3}[)）])"  # (O571)
    "|(?<=[lIO])(?<![0-9A-Za-z].)(?=[0-9]{1,3}(?:号楼|栋|幢|单元|室|层|组|号))"  # l0栋, I2单元, O3室 in an address
    ")"
)
_AS_DIGIT = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "\u0417": "3", "\u0437": "3",
                           "\u3007": "0"})


def _digit(m: re.Match[str]) -> str:
    return m.group(0).translate(_AS_DIGIT)


def fold_fullwidth(text: str) -> str:
    """``text`` with full-width digits, letters and number signs as ASCII, traditional characters as
    simplified ones and letters standing for digits inside numbers as those digits (same length, same
    offsets: entity offsets index the original, and an ID's check character is validated on the digits).

    Only runs of such characters are rewritten (a whole-text ``translate`` costs as much as the scan).
    """
    if _HAS_FULLWIDTH.search(text) is not None:
        text = _FULLWIDTH_RUN.sub(_fold, text)
    return _CONFUSABLE.sub(_digit, text)  # the same object when nothing is replaced


_BEFORE, _AFTER, _WITHIN, _LOCATE = range(4)
#: UTF-8 bytes that start a character (1) or continue one (0, bytes 0x80–0xBF).
_CHAR_STARTS = bytes(0 if 0x80 <= b < 0xC0 else 1 for b in range(256))
#: A first character whose tail regex is not compiled yet.
_NO_TAIL: Any = object()


def _kind(pat: Pattern) -> int:
    if pat.locate is not None:
        return _LOCATE
    return {"before": _BEFORE, "after": _AFTER, "within": _WITHIN}[pat.label_position]


#: A pattern that looks at only a few possible characters next to its label is stored once per
#: character (姓名：, 姓名 …): the scan then stops only where it can match. Patterns that allow a
#: surname (about 500 characters) there are not: 231,000 keys instead of 12,000 took 1.1 s more to
#: build and made the scan no faster (the bigger automaton costs what the fewer hits save).
_FOLD_MAX = 100


Backend = Literal["rust", "python"]
#: The automaton the label scan uses: the Rust one when installed.
DEFAULT_BACKEND: Backend = "rust" if ahocorasick_rs is not None else "python"


class _LabelIndex:
    """Every label (or label + next character) and every cue word as the keys of one Aho-Corasick automaton;
    :meth:`hits` lists where they end in a text, as character offsets, in order of their ends (of keys ending
    together the longer first), overlapping ones too.

    Two backends give the same hits in the same order: ``"rust"`` (ahocorasick-rs, searching ``str`` and
    returning character offsets) and ``"python"`` (pyahocorasick over the UTF-8 bytes of the text seen as a
    latin-1 string: its root then branches on a handful of lead bytes instead of hundreds of Chinese
    characters, which it scans linearly; byte offsets become character offsets by counting the bytes that
    start a character).
    """

    def __init__(self, words: dict[str, tuple[Any, ...]], backend: Backend | None = None) -> None:
        self.backend = backend = backend or DEFAULT_BACKEND
        keys = list(words)
        self._values = [words[k] for k in keys]
        self._rust: Any = None
        self._python: ahocorasick.Automaton | None = None
        if backend == "rust":
            if ahocorasick_rs is None:
                raise ValueError("the rust label automaton needs the package ahocorasick-rs")
            self._rust = ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.Standard)
        else:
            automaton = ahocorasick.Automaton()
            for word, value in zip(keys, self._values, strict=True):
                automaton.add_word(word.encode("utf-8").decode("latin-1"), value)
            automaton.make_automaton()
            self._python = automaton

    def hits(self, text: str) -> list[tuple[int, tuple[Any, ...]]]:
        """(end, groups) of every key occurrence in ``text``: character offsets, ordered by end."""
        if self._rust is not None:
            values = self._values
            return [(end, values[i]) for i, _, end in self._rust.find_matches_as_indexes(text, overlapping=True)]
        assert self._python is not None
        raw = text.encode("utf-8")
        if len(raw) == len(text):  # ASCII: bytes are characters
            return [(end + 1, groups) for end, groups in self._python.iter(raw.decode("latin-1"))]
        # 1 for each byte that starts a character: counting them between two hits gives the characters
        # (UTF-8 is self-synchronising, so a key's bytes can only match at character boundaries)
        starts = raw.translate(_CHAR_STARTS)
        out: list[tuple[int, tuple[Any, ...]]] = []
        at_byte = at_char = 0
        for end_idx, groups in self._python.iter(raw.decode("latin-1")):
            end = end_idx + 1
            if end >= at_byte:
                at_char += starts.count(1, at_byte, end)
            else:
                at_char -= starts.count(1, end, at_byte)
            at_byte = end
            out.append((at_char, groups))
        return out


def _label_automaton(
    labelled: dict[str, list[tuple[Recognizer, Pattern]]], cue_words: Iterable[str] = (),
    backend: Backend | None = None,
) -> _LabelIndex:
    """One automaton over every label (or label + next character) and every cue word.

    A cue word's group has no patterns (an empty tuple): the scan only notes where it stands.
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
    for word in cue_words:
        words[word].append((len(word), 0, word, ()))
    return _LabelIndex({word: tuple(groups) for word, groups in words.items()}, backend)


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


class _Open(Exception):
    """The characters a regex part may start with cannot be listed (any character may come)."""


_CATEGORIES = {} if sre is None else {
    sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S", sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W",
}
#: Marks a set that also holds characters beyond the Basic Multilingual Plane (\d, \w … match some).
_ASTRAL = "\U00010000-\U0010ffff"


def _set_chars(items: list[tuple[Any, Any]]) -> set[str]:
    chars: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars.add(chr(av))
        elif op is sre.RANGE:
            if av[1] > 0xFFFF:
                raise _Open
            chars.update(chr(i) for i in range(av[0], av[1] + 1))
        elif op is sre.CATEGORY and av in _CATEGORIES:
            chars |= _members(_CATEGORIES[av])
            chars.add(_ASTRAL)
        else:  # a negated set, a case-folded one …
            raise _Open
    return chars


#: How many characters after the first the scan's look-ahead checks.
_LOOK = 3

Prefix = tuple[frozenset[str], ...]


def _item_prefixes(op: Any, av: Any, room: int) -> set[Prefix]:
    """The ways one parsed regex item can begin, up to ``room`` characters: each a tuple of character
    sets; a tuple shorter than ``room`` means the item may end there (the next item goes on)."""
    if room == 0:
        return {()}
    if op is sre.LITERAL:
        return {(frozenset(chr(av)),)}
    if op is sre.IN:
        return {(frozenset(_set_chars(av)),)}
    if op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):  # consume nothing; passing over them only widens
        return {()}
    if op is sre.SUBPATTERN:
        if av[1] or av[2]:  # inline flags
            raise _Open
        return _prefixes(av[3], room)
    if op is sre.ATOMIC_GROUP:
        return _prefixes(av, room)
    if op is sre.BRANCH:
        return set().union(*(_prefixes(b, room) for b in av[1]))
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, high, sub = av
        out: set[Prefix] = set()
        current: set[Prefix] = {()}
        n = 0
        # beyond low + room rounds nothing new can start (each round that consumes adds a character)
        limit = min(high, low + room + 1)
        while True:
            if n >= low:
                out |= current
            if n >= limit or not current:
                return out
            following: set[Prefix] = set()
            for head in current:
                for tail in _prefixes(sub, room - len(head)):
                    (out if len(head) + len(tail) == room else following).add(head + tail)
            current = following
            n += 1
    raise _Open


def _prefixes(seq: Any, room: int) -> set[Prefix]:
    """The ways a parsed regex sequence can begin, up to ``room`` characters (shorter: it may end there)."""
    done: set[Prefix] = set()
    current: set[Prefix] = {()}
    for op, av in seq:
        if not current:
            break
        following: set[Prefix] = set()
        for head in current:
            for tail in _item_prefixes(op, av, room - len(head)):
                (done if len(head) + len(tail) == room else following).add(head + tail)
        current = following
    return done | current


def _continuations(first: str, regex: str) -> set[Prefix] | None:
    """How a match of ``regex`` (which starts with the one-character class ``first``) can go on after
    its first character, up to :data:`_LOOK` characters; None when it may end there or take anything."""
    if sre_parse is None:
        return None
    try:
        # the whole regex, then its first item dropped: a pattern of top-level alternatives that each start
        # with ``first`` (\+86…|\+1 (626)…) parses with that character factored out in front of the branches
        parsed = sre_parse.parse(regex)
        if parsed.state.flags & ~(re.UNICODE | re.DOTALL | re.MULTILINE):
            return None
        if not len(parsed) or parsed[0][0] not in (sre.LITERAL, sre.IN):
            return None
        found = _prefixes(parsed[1:], _LOOK)
    except (_Open, re.error, RecursionError):
        return None
    return None if () in found else found


def _class(chars: Iterable[str]) -> str:
    return "[" + "".join(c if c == _ASTRAL else re.escape(c) for c in sorted(chars)) + "]"


def _next_prefilter(pats: Sequence[Pattern]) -> str:
    """A look-ahead after a candidate's first character that requires the next characters to be ones
    some alternative starting with that first character can go on with (read from the patterns, so it
    only drops places where every alternative fails): 2型, 3天, 5mg, 1. 列表, L↑, T 36.8 are passed over at once."""
    ways: dict[str, set[Prefix] | None] = {}
    for pat in pats:
        assert pat.first is not None
        found = _continuations(pat.first, pat.regex)
        for c in _members(pat.first):
            if c in ways and ways[c] is None:
                continue
            ways[c] = None if found is None else (ways.get(c) or set()) | found
    by_expr: dict[str | None, list[str]] = defaultdict(list)
    for c, found in ways.items():
        by_expr[None if found is None else _after_first(found)].append(c)
    if None in by_expr and len(by_expr) == 1:
        return ""
    branches = [
        f"(?<={_class(firsts)})" + (expr or "")
        for expr, firsts in sorted(by_expr.items(), key=lambda g: min(g[1]))
    ]
    return f"(?={'|'.join(branches)})"


def _after_first(found: set[Prefix]) -> str:
    """One regex for the continuations of a first character (None: anything may follow)."""
    return _prefix_regex(frozenset(found)) or ""


@lru_cache(maxsize=1024)
def _prefix_regex(found: frozenset[Prefix]) -> str | None:
    """A regex matching the start of every continuation in ``found`` (None: anything may come): the next
    characters grouped by the continuations they allow, so each branch opens with one class."""
    if () in found:
        return None
    rest: dict[str, set[Prefix]] = defaultdict(set)
    for prefix in found:
        for c in prefix[0]:
            rest[c].add(prefix[1:])
    groups: dict[str | None, list[str]] = defaultdict(list)
    for c, tails in rest.items():
        groups[_prefix_regex(frozenset(tails))].append(c)
    return "(?:" + "|".join(_class(cs) + (sub or "") for sub, cs in groups.items()) + ")"


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
    ents = entities if type(entities) is list else list(entities)
    # ranked by (-score, -length, start, type), ties in input order (the index): keys built in one
    # comprehension rather than by a key function called per entity
    ranked = sorted([(-e[5], e[1] - e[2], e[1], e[0], i) for i, e in enumerate(ents)])
    starts: list[int] = []
    ends: list[int] = []
    kept: list[Entity] = []
    lost: list[Entity] = []
    bisect_left = bisect.bisect_left
    for r in ranked:
        s = r[2]
        e = ents[r[4]]
        t = e[2]
        i = bisect_left(starts, s)
        if (i and ends[i - 1] > s) or (i < len(starts) and starts[i] < t):
            if r[3] == _ADDRESS:
                lost.append(e)
            continue
        starts.insert(i, s)
        ends.insert(i, t)
        kept.insert(i, e)
    if not lost:
        return kept
    return sorted(kept + _address_remainders(lost, kept), key=lambda e: e.start)


_ADDRESS = "ADDRESS"
#: The shortest part of a beaten address kept on its own (a street and number, a village and group).
_REMAINDER_MIN = 4


def _address_remainders(lost: list[Entity], kept: list[Entity]) -> list[Entity]:
    """The parts of beaten addresses that no kept entity covers: an address chain loses its overlap to a
    stronger short span (a propagated name 金山 inside 金山区朱泾镇秀州村7组38号), but its rest is still the address
    and would leak if dropped whole."""
    out: list[Entity] = []
    taken = sorted((e.start, e.end) for e in kept)
    for e in sorted(lost, key=lambda x: (-x.score, x.start)):
        pos = e.start
        pieces: list[tuple[int, int]] = []
        for s, t in taken:
            if t <= pos or s >= e.end:
                continue
            if s > pos:
                pieces.append((pos, s))
            pos = max(pos, t)
        if pos < e.end:
            pieces.append((pos, e.end))
        for s, t in pieces:
            if t - s >= _REMAINDER_MIN:
                note = "the rest of an address beside a stronger span"
                out.append(e._replace(start=s, end=t, text=e.text[s - e.start:t - e.start],
                                      explanation=e.explanation._replace(note=note)))
                bisect.insort(taken, (s, t))
    return out


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
        self._alts: dict[str, tuple[Any, ...]] = {}
        self._loose: list[tuple[Recognizer, Pattern]] = []
        # recognizers whose extra() or refine() must run on every text; the others only contribute matches
        self._post = [
            (r, r.overrides_extra, r.overrides_refine)
            for r in self.recognizers
            if r.overrides_extra or r.overrides_refine
        ]
        self._automaton: _LabelIndex | None = None
        # the cue words recognizers asked for (Recognizer.cue_words), found in the label automaton's pass
        self._cued = [r for r in self.recognizers if r.cue_words]
        self._cue_words = frozenset(w for r in self._cued for w in r.cue_words if w)
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
            # Then a look-ahead at the second character (the characters each alternative can continue
            # with after its first, read from the patterns): numbers followed by a unit or a word (2型, 3天),
            # capitals before a space (T 36.5) never enter the alternation.
            second = _next_prefilter([p for _, _, p, _ in self._names.values()])
            self._free = re.compile(
                f"[{''.join(dict.fromkeys(union))}]{guard}{second}(?<=(?=(?:{_alternation(self._order)})).)"
            )
            # per alternative group: (group, pattern, phi group, confirm, recognizer name, order, tail
            # regexes by first character (filled on demand; None when no alternative comes after))
            last = len(self._order) - 1
            self._alts = {
                group: (group, pat, phi, rec.confirm, rec.name, order, {} if order < last else None)
                for group, (order, rec, pat, phi) in self._names.items()
            }
        if labelled or self._cue_words:
            self._automaton = _label_automaton(labelled, sorted(self._cue_words))

    def _tail(self, order: int, first: str) -> re.Pattern[str] | None:
        """The alternatives after ``order`` that can start with the character ``first``, in the order the
        whole alternation tries them, as one regex matched at a position (None when there are none)."""
        tails = self._alts[f"_a{order}"][6]
        if first not in tails:
            rest = self._order[order + 1:]
            pats = [self._names[f"_a{i}"][2] for i in range(order + 1, len(self._order))]
            # the alternation groups alternatives by not_after class: keep that order, drop the others
            ordered = [
                (src, guard)
                for g in dict.fromkeys(guard for _, guard in rest)
                for (src, guard), pat in zip(rest, pats, strict=True)
                if guard == g and first in _members(pat.first or "")
            ]
            runs: list[tuple[str | None, list[str]]] = []
            for src, guard in ordered:
                if runs and runs[-1][0] == guard:
                    runs[-1][1].append(src)
                else:
                    runs.append((guard, [src]))
            tails[first] = (
                re.compile("|".join(f"(?<!{g})(?:{'|'.join(a)})" if g else "|".join(a) for g, a in runs))
                if runs else None
            )
        return tails[first]  # type: ignore[no-any-return]

    # ------------------------------------------------------------------ scan
    def _combined(self, text: str, cues: dict[str, list[int]] | None = None) -> dict[str, list[Entity]]:
        """Entities of the pattern scans by recognizer name; where cue words stand goes into ``cues``."""
        by_rec: dict[str, list[Entity]] = defaultdict(list)
        if self._free is not None:
            alts = self._alts
            for m in self._free.finditer(text):
                group, pat, phi, confirm, name, order, tails = alts[m.lastgroup]  # type: ignore[index]
                p = m.start()
                while True:
                    s, e = m.span(phi) if phi else (p, m.end(group))
                    ent = confirm(text, s, e, pat)
                    if ent is not None:
                        by_rec[name].append(ent)
                    # Other unlabelled patterns may match at the same position (an 18-digit 身份证号
                    # also looks like a bank card): try those after this one that can start here.
                    if tails is None:
                        break
                    tail = tails.get(text[p], _NO_TAIL)
                    if tail is _NO_TAIL:
                        tail = self._tail(order, text[p])
                    if tail is None:
                        break
                    m = tail.match(text, p)  # type: ignore[assignment]
                    if m is None:
                        break
                    group, pat, phi, confirm, name, order, tails = alts[m.lastgroup]  # type: ignore[index]
        for rec, pat in self._loose:
            for m in pat.naive.finditer(text):
                ent = rec.confirm(text, m.start("phi"), m.end("phi"), pat)
                if ent is not None:
                    by_rec[rec.name].append(ent)
        if self._automaton is not None:
            self._labelled(text, by_rec, {} if cues is None else cues)
        return by_rec

    def _labelled(self, text: str, by_rec: dict[str, list[Entity]], cues: dict[str, list[int]]) -> None:
        n = len(text)
        seen: set[int] = set()
        stride = n + 1
        assert self._automaton is not None
        for end, groups in self._automaton.hits(text):
            for llen, extra, label, entries in groups:
                q = end - extra
                p = q - llen
                if not entries:  # a cue word: note where it starts (hits come in order of their ends)
                    at = cues.get(label)
                    if at is None:
                        cues[label] = [p]
                    else:
                        at.append(p)
                    continue
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
            hits: dict[str, list[int]] = {}
            by_rec = self._combined(text, hits)
            cued = self._cued
            if cued:  # the recognizers that asked for cue words read them with ``self.cues(text)``
                stash = (text, Cues(text, hits, self._cue_words))
                for rec in cued:
                    rec._cue_stash = stash
            try:
                for rec, extra, refine in self._post:
                    own = by_rec.pop(rec.name, [])
                    if extra:
                        own.extend(rec.extra(text))
                    found.extend(rec.refine(text, own) if refine else own)
            finally:
                for rec in cued:  # the text is not kept past its analysis
                    rec._cue_stash = None
            for own in by_rec.values():
                found.extend(own)
        threshold = self.threshold
        kept = resolve_overlaps([e for e in found if e.score >= threshold])
        listed = continue_lists(text, kept)
        return resolve_overlaps(kept + listed) if listed else kept
