"""Mixed pinyin and hanzi in patients' words, back to hanzi: 有tang尿病 → 有糖尿病, 测xue糖 → 测血糖.

People type a word they cannot write (or that the input method did not offer) in pinyin, whole or in part,
and sometimes pick a homophone (糖尿并). A matcher built over a vocabulary (the terms an engine reads) finds
spans of the text that spell one of its terms, each character either as itself, as one of its toneless
readings in Latin letters (spaces between syllables allowed), or — for terms of three or more characters,
once per term and never the first character — as another character whose usual reading is the same
(肚子涨 → 肚子胀); and rewrites the span to the term.

Readings come from pypinyin (its character dictionary, built from the Unicode Unihan database and
汉典 readings), taken for every reading of a character (血 is xue and xie). Guards, so that English words and
abbreviations stay as they are: a match must use at least one Latin syllable or one homophone, must not cut
a run of Latin letters, and a term of one character is never matched from Latin letters alone except for
the body words given as ``single`` (胃, 肝, 肾), and only when a complaint word follows in hanzi (wei疼).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from yizhu.knowledge.terminology.text import Segmenter, is_cjk

_LATIN = re.compile(r"[a-z]")
#: Latin-letter readings that are also common abbreviations or fillers: never read as a syllable on their own
_NOT_SYLLABLE = frozenset({"a", "e", "o", "m", "n", "ng", "hm", "hng"})
#: characters too common to be a typo for a term's character (的血压 is not 低血压)
_FUNCTION_CHARS = frozenset(
    "的地得了着过是在有和与就也都还又很太我你他她它们这那哪个一不没吗呢吧啊呀把被给让从到对说要会能想去来上下"
    "里中大小多少点些几次天年月日时后前再才刚已经而但却或及其之所以为因如果可以然"
)
#: letters a syllable can start with, after another inside one Latin run (tangniaobing)
_ONSETS = frozenset("bcdfghjklmnpqrstwxyz")


@lru_cache(maxsize=65536)
def readings(ch: str) -> frozenset[str]:
    """Every toneless reading of one hanzi (血 → {xue, xie}); empty for anything else."""
    if not is_cjk(ch):
        return frozenset()
    from pypinyin import Style, pinyin

    got = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
    out: set[str] = set()
    for r in (got[0] if got else []):
        r = r.replace("ü", "v")
        if r and r.isascii():
            out.add(r)
            if r[:2] in ("lv", "nv"):
                out.add(r[0] + "u" + r[2:])  # 绿 lv is typed lu too, 疟 nve as nue
    return frozenset(out) - _NOT_SYLLABLE


@lru_cache(maxsize=65536)
def primary(ch: str) -> str:
    """The usual toneless reading of one hanzi (血 → xue); empty for anything else."""
    if not is_cjk(ch):
        return ""
    from pypinyin import Style, lazy_pinyin

    got = lazy_pinyin(ch, style=Style.NORMAL, errors="ignore")
    return got[0].replace("ü", "v") if got and got[0].isascii() else ""


@dataclass
class _Node:
    kids: dict[str, _Node] = field(default_factory=dict)  # a hanzi of the term → the next node
    term: str | None = None
    homophone_ok: bool = False
    _by_reading: dict[str, list[tuple[str, _Node]]] | None = None

    def by_reading(self) -> dict[str, list[tuple[str, _Node]]]:
        """The kids indexed by every reading of their hanzi (built on first use)."""
        if self._by_reading is None:
            idx: dict[str, list[tuple[str, _Node]]] = {}
            for c, kid in self.kids.items():
                for r in readings(c):
                    idx.setdefault(r, []).append((c, kid))
            self._by_reading = idx
        return self._by_reading


@dataclass(frozen=True, slots=True)
class PinyinFix:
    """One span of the text rewritten: [start, end) of the input, what was said there, the term."""

    start: int
    end: int
    said: str
    term: str


_MAX_SYLLABLE = 6  # zhuang, chuang, shuang


class PinyinMatcher:
    """Terms of one vocabulary, matchable from mixed pinyin/hanzi (see the module docstring)."""

    def __init__(self, vocabulary: Iterable[str], *, single: Iterable[str] = (),
                 complaints: Iterable[str] = (), homophones: Iterable[str] | None = None) -> None:
        self.root = _Node()
        self.size = 0
        vocabulary = list(vocabulary)
        #: the terms a homophone may spell (default: all); red-flag phrases such as 不太动 are better left out
        ok = set(vocabulary if homophones is None else homophones)
        for t in vocabulary:
            t = t.strip()
            if len(t) < 2 or not all(is_cjk(c) for c in t):
                continue
            node = self.root
            for c in t:
                node = node.kids.setdefault(c, _Node())
            if node.term is None:
                node.term = t
                self.size += 1
            node.homophone_ok = node.homophone_ok or t in ok
        #: one-character body words read from one syllable when a complaint follows (wei疼 → 胃疼)
        by_reading: dict[str, set[str]] = {}
        for c in single:
            for r in readings(c):
                by_reading.setdefault(r, set()).add(c)
        self.single = {r: next(iter(cs)) for r, cs in by_reading.items() if len(cs) == 1}
        self.complaints = tuple(sorted({c for c in complaints if c}, key=len, reverse=True))

    # ── matching ──────────────────────────────────────────────────────────────────────────────────

    def _walk(self, text: str, i: int, node: _Node, subs: int, latin: bool,
              out: list[tuple[int, str, bool, int]]) -> None:
        """Depth-first: every (end, term, used Latin, homophones) reachable from ``node`` at text[i]."""
        if node.term is not None and (not subs or node.homophone_ok):
            out.append((i, node.term, latin, subs))
        if i >= len(text):
            return
        ch = text[i]
        kid = node.kids.get(ch)
        if kid is not None:
            self._walk(text, i + 1, kid, subs, latin, out)
        if _LATIN.match(ch):
            idx = node.by_reading()
            for k in range(1, _MAX_SYLLABLE + 1):
                r = text[i:i + k]
                if len(r) < k or not _LATIN.match(r[-1]):
                    break
                hits = idx.get(r)
                if not hits:
                    continue
                j = i + k
                if j < len(text) and _LATIN.match(text[j]) and text[j] not in _ONSETS:
                    continue  # a syllable inside a Latin run ends only before a consonant
                while j + 1 < len(text) and text[j] == " " and _LATIN.match(text[j + 1]):
                    j += 1  # tang niao bing: spaces between syllables
                for _c, k2 in hits:
                    self._walk(text, j, k2, subs, True, out)
        elif subs == 0 and node is not self.root and is_cjk(ch) and ch not in _FUNCTION_CHARS:
            # a homophone typo (肚子涨 for 肚子胀): the usual readings agree, never the term's first character
            r = primary(ch)
            for c, k2 in node.by_reading().get(r, ()):
                if c != ch and primary(c) == r:
                    self._walk(text, i + 1, k2, subs + 1, latin, out)

    def find(self, text: str) -> list[PinyinFix]:
        """Spans of ``text`` (folded: lower-case Latin) that spell a vocabulary term, leftmost-longest."""
        found: list[PinyinFix] = []
        i = 0
        n = len(text)
        has_latin = bool(_LATIN.search(text))
        while i < n:
            if i > 0 and _LATIN.match(text[i]) and _LATIN.match(text[i - 1]):
                i += 1  # never start inside a run of Latin letters
                continue
            hits: list[tuple[int, str, bool, int]] = []
            self._walk(text, i, self.root, 0, False, hits)
            best: tuple[int, str, bool, int] | None = None
            hits = [h for h in hits if not h[3] or not _inside_word(text, i, h[0], h[1])]
            exact = max((e for e, _t, lat, sb in hits if not lat and not sb), default=-1)
            for end, term, latin, subs in hits:
                if not latin and not subs:
                    continue
                if end < n and _LATIN.match(text[end]) and end > 0 and _LATIN.match(text[end - 1]):
                    continue  # the span would cut a run of Latin letters
                if subs and len(term) < 3:
                    continue  # a homophone only inside a longer term (心里 is not 心理)
                if subs and latin:
                    continue
                if subs and end <= exact:
                    continue  # the words as written are a term already
                if best is None or end > best[0]:
                    best = (end, term, latin, subs)
            if best is None and has_latin and _LATIN.match(text[i]):
                best = self._single(text, i)
            if best is not None:
                found.append(PinyinFix(i, best[0], text[i:best[0]], best[1]))
                i = best[0]
            else:
                i += 1
        return found

    def _single(self, text: str, i: int) -> tuple[int, str, bool, int] | None:
        """A one-syllable body word followed by a complaint in hanzi (wei疼 → 胃疼, gan不好 → 肝不好)."""
        m = re.match(r"[a-z]+", text[i:])
        if m is None:
            return None
        r = m.group(0)
        organ = self.single.get(r)
        rest = text[i + len(r):].lstrip(" ")
        if organ is None or not rest.startswith(self.complaints):
            return None
        return i + len(r), organ, True, 0

    def fix(self, text: str) -> tuple[str, list[PinyinFix]]:
        """The text with every match rewritten to its term, and the matches."""
        fixes = self.find(text)
        if not fixes:
            return text, []
        out: list[str] = []
        pos = 0
        for f in fixes:
            out.append(text[pos:f.start])
            out.append(f.term)
            pos = f.end
        out.append(text[pos:])
        return "".join(out), fixes



def _inside_word(text: str, start: int, end: int, term: str) -> bool:
    """Whether a character a homophone match would change belongs to a word of the text that reaches past
    the match (上周医院: 医 is part of 医院, not a typo for 一; 肚子咕噜: 咕噜 is a word)."""
    changed = [start + k for k, c in enumerate(term) if start + k < end and text[start + k] != c]
    lo, hi = max(0, start - 4), min(len(text), end + 4)
    pos = lo
    for w in _segmenter().cut(text[lo:hi]):
        a, b = pos, pos + len(w)
        pos = b
        if len(w) >= 2 and any(a <= p < b for p in changed) and (a < start or b > end):
            return True
    return False


@lru_cache(maxsize=1)
def _segmenter() -> Segmenter:
    return Segmenter()
