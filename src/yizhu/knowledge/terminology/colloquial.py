"""The shared colloquial lexicon: lay words patients use → the standard clinical term.

One data file, ``knowledge/packs/colloquial.jsonl`` (first line ``{"_meta": {...}}``, then one entry per
line), validated by :class:`ColloquialEntry`. Extraction, negation, grounding and triage read the same
entries, so 拉肚子 means 腹泻 everywhere. Entries learned from dialogue data go into the same file (or an
extra file passed to :func:`load`) with ``learned_from`` and ``count``.

API::

    lex = colloquial()                       # the shipped lexicon, loaded once per process
    lex.lookup("拉肚子")                      # → [ColloquialEntry(standard="腹泻", kind="symptom", …)]
    lex.standard("一天一片")                  # → "qd"
    lex.find("没吐，拉肚子两天")              # → matches with offsets, longest-leftmost
    n = lex.normalise("后脑勺疼了五年")       # n.text == "枕部疼了5年"; n.to_original(a, b) maps spans back

Matching works on folded text (``fold``: full-width → half-width, lower case), so offsets are the
caller's. A lay form inside a longer word that is not it (吐 in 吐痰, 烧 in 烧伤) is listed in the entry's
``exclude``; every standard term is protected the same way (咳 is not rewritten inside 咳嗽).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import ahocorasick
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from yizhu.errors import ConfigError
from yizhu.knowledge.terminology.text import fold, key

#: The shipped lexicon file.
COLLOQUIAL_FILE = Path(__file__).resolve().parent.parent / "packs" / "colloquial.jsonl"

ColloquialKind = Literal[
    "symptom", "sign", "disease", "body_part", "frequency", "dose", "drug_category", "brand", "action",
    "route", "exam", "other",
]
#: every kind, in display order
COLLOQUIAL_KINDS: tuple[str, ...] = ColloquialKind.__args__  # type: ignore[attr-defined]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class ColloquialMeta(_Strict):
    """Header line of a colloquial lexicon file."""

    name: str = Field(min_length=1)
    version: str = Field(min_length=1)
    description: str | None = None
    updated: str | None = None
    source: str | None = None


class ColloquialEntry(_Strict):
    """One lay form and the standard clinical term it stands for."""

    lay: str = Field(min_length=1, description="the form as people say or write it: 拉肚子, 一天一片, 妈咪爱")
    standard: str = Field(min_length=1, description="the clinical term: 腹泻, qd, 枯草杆菌二联活菌")
    kind: ColloquialKind
    source: str = Field(min_length=1, description="the standard, textbook, label or list the term follows, with year")
    concept: str | None = Field(
        default=None, description="a knowledge id the term maps to where one exists (sym:…, drug:…, class:<tag>)"
    )
    dose: str | None = Field(default=None, description="the amount per dose the lay phrase also states (一天一片 → 1片)")
    exclude: list[str] = Field(
        default_factory=list, description="longer words containing the lay form that do not mean it (吐痰 for 吐)"
    )
    context: list[str] = Field(
        default_factory=list,
        description="an ambiguous lay form (抽了: smoking or convulsing; 烧: fever or burning pain) is read this way "
        "only when one of these words is in the text or the caller's context (the question it answers); with "
        "none, no reading is chosen and the words stay as said",
    )
    against: list[str] = Field(
        default_factory=list, description="words in the same clause that rule this reading out (烧 beside 疼 is not 发热)"
    )
    learned_from: str | None = Field(default=None, description="the data set an entry was learned from")
    count: int | None = Field(default=None, ge=1, description="how often it was seen there")
    note: str | None = None

    @model_validator(mode="after")
    def _check(self) -> ColloquialEntry:
        if key(self.lay) == key(self.standard) and self.concept is None:
            raise ValueError(f"lay form '{self.lay}' equals its standard term; give a concept or drop the entry")
        for word in self.exclude:
            if key(self.lay) not in key(word):
                raise ValueError(f"exclude '{word}' does not contain the lay form '{self.lay}'")
        return self


@dataclass(frozen=True, slots=True)
class ColloquialMatch:
    """A lay form found in a text."""

    start: int
    end: int
    text: str
    entry: ColloquialEntry

    @property
    def standard(self) -> str:
        return self.entry.standard


@dataclass
class NormalisedText:
    """A text with lay forms (and Chinese numerals) rewritten, and the way back to the original offsets."""

    original: str
    text: str
    replacements: list[ColloquialMatch] = field(default_factory=list)
    #: for each character of ``text`` (and one past the end): (start, end) of the original it came from
    _starts: list[int] = field(default_factory=list, repr=False)
    _ends: list[int] = field(default_factory=list, repr=False)

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original span a span of the normalised text came from (a rewritten word maps whole)."""
        if not self.changed:
            return start, end
        n = len(self.text)
        start = min(max(start, 0), n)
        end = min(max(end, start), n)
        a = self._starts[start] if start < n else len(self.original)
        b = self._ends[end - 1] if end > start else a
        return a, max(a, b)


# ── numerals ─────────────────────────────────────────────────────────────────────────────────────

_CN = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
       "九": 9}
#: words a count is followed by: a Chinese numeral before them is a number (五年, 三片); elsewhere (一下,
#: 一般, 一直, 三高) it is part of a word and stays
MEASURE_WORDS = (
    "年", "岁", "个月", "个多月", "月", "周", "星期", "个星期", "个多星期", "礼拜", "个礼拜", "个多礼拜", "天", "日", "小时", "个小时", "钟头",
    "个钟头", "分钟", "秒", "次", "回", "片", "粒", "袋", "支", "瓶", "顿", "包", "毫克", "克", "毫升", "斤", "公斤",
    "度", "针", "床", "号", "cm", "mg", "g", "ml",
)
_MEASURE = "|".join(re.escape(w) for w in sorted(MEASURE_WORDS, key=len, reverse=True))
_CN_NUM = re.compile(
    rf"(?P<n>[零〇一二两俩三四五六七八九十百]{{1,5}}?)(?!个半分钟)(?P<half>个?半)?(?P<approx>来|几|个来(?=月))?(?=(?:多|余)?(?:{_MEASURE}))"
    # a spoken range of two digits before 左右/上下 (血糖八九左右 → 8-9左右): a value whose unit the question gave
    r"|(?<![零〇一二两三四五六七八九十百点])(?P<n2>[一两三四五六七八九]{2})(?=左右|上下)"
)  # (起床“三个半分钟” is the name of a practice, three half-minutes, never 3.5分钟; 两个来月 is 2个多月)
#: a spoken decimal before a measure (零点五克 → 0.5克, 一点五毫克 → 1.5毫克, 二点五片 → 2.5片)
_CN_DECIMAL = re.compile(
    rf"(?P<i>[零〇一二两三四五六七八九十百]{{1,4}})点(?P<f>[零〇一二三四五六七八九]{{1,3}})(?=(?:{_MEASURE}))"
)
#: spoken forms of written numbers: 8点几 → 8余, 1比160 → 1:160, 4.2乘3.5 → 4.2×3.5
_SPOKEN_NUM: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<=\d)点几"), "余"),
    (re.compile(r"(?<=\d)比(?=\d)"), ":"),
    (re.compile(r"(?<=\d)乘(?=\d)"), "×"),
    (re.compile(r"(?<=\d)到(?=\d)"), "-"),
)
#: a spoken temperature: 三十八度五 / 38度5 is 38.5℃
_TEMP_SPOKEN = re.compile(
    r"(?P<i>[三四]十[一二三四五六七八九]?|3\d|4[0-2])度(?P<f>[一二三四五六七八九]|\d)(?![\d.度十])"
)
_NOT_NUMBER_BEFORE = ("一下", "一次性", "一回事", "一天到晚", "三天两头", "一阵", "十分")


def cn_to_int(s: str) -> int | None:
    """Chinese numerals → integer (五 → 5, 十五 → 15, 二十三 → 23, 一百二 → 120); None if not a number."""
    if not s:
        return None
    total, current, last_unit = 0, 0, 1
    for ch in s:
        if ch in _CN:
            current = _CN[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current, last_unit = 0, 10
        elif ch == "百":
            total += (current or 1) * 100
            current, last_unit = 0, 100
        else:
            return None
    if current and last_unit == 100 and len(s) >= 3 and s[-2] == "百":
        current *= 10  # 一百二 = 120
    return total + current


# ── the lexicon ──────────────────────────────────────────────────────────────────────────────────

_KEEP = None  # automaton value of a protected word: matched so that nothing inside it is rewritten


class ColloquialLexicon:
    """Every entry of one or more lexicon files, indexed by folded lay form and in one automaton."""

    def __init__(self, entries: Sequence[ColloquialEntry], files: Sequence[tuple[Path, ColloquialMeta]] = ()) -> None:
        self.entries = list(entries)
        self.files = list(files)
        self._by_lay: dict[str, list[ColloquialEntry]] = {}
        for e in self.entries:
            self._by_lay.setdefault(key(e.lay), []).append(e)
        self._auto = ahocorasick.Automaton()
        words: dict[str, list[ColloquialEntry] | None] = {}
        for e in self.entries:
            words.setdefault(key(e.standard), _KEEP)
            for w in e.exclude:
                words.setdefault(key(w), _KEEP)
        for lay, es in self._by_lay.items():
            words[lay] = es
        for w, v in words.items():
            if w:
                self._auto.add_word(w, (len(w), v))
        self._words = frozenset(w for w in words if w)
        self._excluded = frozenset(key(w) for e in self.entries for w in e.exclude)
        self._empty = not words
        if not self._empty:
            self._auto.make_automaton()

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def version(self) -> str:
        return "+".join(m.version for _, m in self.files) or "-"

    def lookup(self, term: str, kind: str | None = None) -> list[ColloquialEntry]:
        """Entries whose lay form is exactly ``term`` (folded, spaces ignored), optionally of one kind."""
        found = self._by_lay.get(key(term), [])
        return [e for e in found if kind is None or e.kind == kind]

    def standard(self, term: str, kind: str | None = None) -> str | None:
        """The standard term for a lay form, or None when it is not in the lexicon."""
        found = self.lookup(term, kind)
        return found[0].standard if found else None

    def find(self, text: str, kinds: Iterable[str] | None = None, *, context: str = "") -> list[ColloquialMatch]:
        """Lay forms in ``text``, longest-leftmost, not inside an excluded or standard word.

        An ambiguous lay form takes the first of its readings that the text (or ``context``: the question
        it answers, the rest of the turn) supports (``ColloquialEntry.context``) and its own clause does not
        rule out (``against``); with none, it is not rewritten and nothing inside it is either."""
        if self._empty or not text:
            return []
        wanted = set(kinds) if kinds is not None else None
        folded = fold(text)
        hits = []
        for end, (length, value) in self._auto.iter(folded):
            hits.append((end - length + 1, end + 1, value))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        cut = self._straddled(folded) if any(v is not _KEEP and b - a >= 2 for a, b, v in hits) else None
        out: list[ColloquialMatch] = []
        last = 0
        for a, b, value in hits:
            if a < last:
                continue
            if value is not _KEEP and cut is not None and b - a >= 2 and _across_words(folded, cut, a, b):
                continue  # 担心口服: 心口 straddles the words 担心 | 口服 — not the lay word for 剑突下
            last = b
            if value is _KEEP:
                continue
            entries = [e for e in value if (wanted is None or e.kind in wanted) and _reads(e, folded, a, b, context)]
            entries.sort(key=lambda e: not e.context)  # a reading the context names before a default one
            if entries:
                out.append(ColloquialMatch(a, b, text[a:b], entries[0]))
        return out

    def excluded_spans(self, text: str) -> list[tuple[int, int]]:
        """Where ``text`` says a word that holds a lay form without meaning it (吐了口痰 holds 吐, 烧伤 holds 烧):
        a finding read inside one of these spans is not the lay form's finding."""
        if self._empty or not text:
            return []
        return [(end - length + 1, end + 1) for end, (length, value) in self._auto.iter(fold(text))
                if value is _KEEP and fold(text)[end - length + 1:end + 1] in self._excluded]

    def _straddled(self, folded: str) -> list[tuple[int, int] | None]:
        """For each offset, the word of two or more characters it falls inside (jieba, with the lexicon's own
        lay and standard forms as user words), when that word is not itself a lexicon word; else None."""
        seg = _segmenter(self)
        inside: list[tuple[int, int] | None] = [None] * (len(folded) + 1)
        pos = 0
        for tok in seg.cut(folded):
            n = len(tok)
            if n >= 2 and key(tok) not in self._words and all("\u4e00" <= ch <= "\u9fff" for ch in tok):
                for i in range(pos + 1, pos + n):
                    inside[i] = (pos, pos + n)
            pos += n
        return inside

    def normalise(self, text: str, kinds: Iterable[str] | None = None, *, numerals: bool = True,
                  context: str = "") -> NormalisedText:
        """Rewrite lay forms to their standard terms (and 五年 to 5年); offsets map back via ``to_original``.

        A frequency entry that also states a dose (一天一片) becomes ``qd 1片``.
        """
        matches = self.find(text, kinds, context=context)
        pieces: list[tuple[int, int, str]] = []  # (orig start, orig end, replacement); unchanged text between
        for m in matches:
            rep = m.entry.standard + (" " + m.entry.dose if m.entry.dose else "")
            if rep[-1:].isascii() and rep[-1:].isalnum() and text[m.end:m.end + 1].isdigit():
                rep += " "  # SpO2 92%, not SpO292%
            pieces.append((m.start, m.end, rep))
        if numerals:
            taken = [(m.start, m.end) for m in matches]
            for tm in _TEMP_SPOKEN.finditer(text):
                if any(x < tm.end() and tm.start() < y for x, y in taken):
                    continue
                whole = tm.group("i")
                i = int(whole) if whole.isdigit() else cn_to_int(whole)
                f = tm.group("f")
                frac = int(f) if f.isdigit() else _CN[f]
                pieces.append((tm.start(), tm.end(), f"{i}.{frac}℃"))
                taken.append((tm.start(), tm.end()))
            for dm in _CN_DECIMAL.finditer(text):
                if any(x < dm.end() and dm.start() < y for x, y in taken):
                    continue
                whole = cn_to_int(dm.group("i")) if dm.group("i") not in ("零", "〇") else 0
                if whole is None:
                    continue
                pieces.append((dm.start(), dm.end(), f"{whole}." + "".join(str(_CN[c]) for c in dm.group("f"))))
                taken.append((dm.start(), dm.end()))
            for nm in _CN_NUM.finditer(text):
                if nm.group("n2"):
                    digits = _numeral_digits(nm.group("n2"))
                    if digits is not None and "-" in digits:
                        pieces.append((nm.start(), nm.end(), digits))
                        taken.append((nm.start(), nm.end()))
                    continue
                a, b = nm.start("n"), nm.end()
                if any(x < b and a < y for x, y in taken) or text.startswith(_NOT_NUMBER_BEFORE, a):
                    continue
                digits = _numeral_digits(nm.group("n"))
                if digits is None:
                    continue
                if nm.group("half"):
                    digits = str(int(digits) + 0.5) if "-" not in digits else digits
                if nm.group("approx") == "个来":
                    digits += "个多"  # 两个来月: a little over two months
                elif nm.group("approx") and "-" not in digits:
                    digits += "余"  # 十来天 / 十几分钟: about ten
                pieces.append((a, b, digits))
                taken.append((a, b))
            for rx, rep in _SPOKEN_NUM:
                for sm in rx.finditer(text):
                    if not any(x < sm.end() and sm.start() < y for x, y in taken):
                        pieces.append((sm.start(), sm.end(), rep))
                        taken.append((sm.start(), sm.end()))
            pieces.sort()
        if not pieces:
            return NormalisedText(text, text, [])
        out: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        for a, b, rep in pieces:
            for i in range(pos, a):
                out.append(text[i])
                starts.append(i)
                ends.append(i + 1)
            out.append(rep)
            starts.extend([a] * len(rep))
            ends.extend([b] * len(rep))
            pos = b
        for i in range(pos, len(text)):
            out.append(text[i])
            starts.append(i)
            ends.append(i + 1)
        return NormalisedText(text, "".join(out), matches, starts, ends)


_CLAUSE_STOP = re.compile(r"[，,。；;！!？?\n]")


def _reads(e: ColloquialEntry, folded: str, a: int, b: int, context: str) -> bool:
    """Whether the text at [a, b) (and the caller's context) supports this reading of an ambiguous lay form."""
    if not e.context and not e.against:
        return True
    if e.against:
        stops = [m.start() for m in _CLAUSE_STOP.finditer(folded)]
        lo = max([s + 1 for s in stops if s < a], default=0)
        hi = min([s for s in stops if s >= b], default=len(folded))
        clause = folded[lo:a] + "\x00" + folded[b:hi]
        if any(fold(w) in clause for w in e.against):
            return False
    if e.context:
        around = folded[:a] + "\x00" + folded[b:] + "\x00" + fold(context)
        return any(fold(w) in around for w in e.context)
    return True


#: what may stand before or after a lay form inside one word (右腿没劲: 右|腿没劲 is still 腿没劲)
_SIDE = re.compile(r"^[左右双两上下前后大小半全侧边整一]+$")


def _across_words(folded: str, cut: list[tuple[int, int] | None], a: int, b: int) -> bool:
    """Whether a match at [a, b) is made of the end of one word and the start of the next (担心|口服 for 心口):
    both its edges fall inside other words, or one does and the match takes a single character of that word
    whose rest is no side or position (右腿没劲 and 昨天晚上 keep their lay forms). One-character forms (吐, 咳)
    are glued to their neighbours by the segmenter (没吐): their ``exclude`` lists guard them instead."""
    first, last = cut[a], cut[b]
    if first is not None and last is not None:
        return True
    if first is not None and a == first[1] - 1 and not _SIDE.match(folded[first[0]:a]):
        return True  # 担心|口: the match starts on the last character of another word
    # …心|口服: the match ends on the first character of another word
    return last is not None and b == last[0] + 1 and not _SIDE.match(folded[b:last[1]])


_SEGMENTERS: dict[int, Any] = {}


def _segmenter(lex: ColloquialLexicon) -> Any:
    """One segmenter per lexicon, with every lay and standard form as a user word (so 拉肚子 stays whole)."""
    seg = _SEGMENTERS.get(id(lex))
    if seg is None:
        from yizhu.knowledge.terminology.text import Segmenter

        seg = _SEGMENTERS[id(lex)] = Segmenter(sorted(lex._words))
    return seg


def _numeral_digits(s: str) -> str | None:
    """一 → "1", 十五 → "15", 两三 → "2-3" (a spoken range), else None."""
    if len(s) == 2 and s[0] in _CN and s[1] in _CN and 0 < _CN[s[0]] < _CN[s[1]]:  # 两三, 三五: a spoken range
        return f"{_CN[s[0]]}-{_CN[s[1]]}"
    n = cn_to_int(s)
    if n is None or (len(s) > 1 and all(ch in _CN for ch in s)):
        return None  # 一二三 read digit by digit is not a count
    return str(n)


# ── loading ──────────────────────────────────────────────────────────────────────────────────────


def _fail(path: Path, line: int, msg: str) -> ConfigError:
    return ConfigError(f"{path}:{line}: {msg}")


def read_file(path: Path | str) -> tuple[ColloquialMeta, list[ColloquialEntry]]:
    """Read and validate one lexicon file; an invalid line fails with file, line and field."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read colloquial lexicon {path}: {exc.strerror or exc}") from exc
    meta: ColloquialMeta | None = None
    entries: list[ColloquialEntry] = []
    seen: dict[tuple[str, str], tuple[int, str]] = {}
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _fail(path, lineno, f"not JSON ({exc.msg})") from None
        try:
            if meta is None:
                if not isinstance(raw, dict) or set(raw) != {"_meta"}:
                    raise _fail(path, lineno, 'the first line must be {"_meta": {...}}')
                meta = ColloquialMeta.model_validate(raw["_meta"])
                continue
            entry = ColloquialEntry.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(x) for x in err["loc"]) or "(entry)"
            raise _fail(path, lineno, f"{loc}: {err['msg']}") from None
        k = (key(entry.lay), entry.kind)
        if k in seen and seen[k][1] != entry.standard and not (entry.context or entry.against):
            raise _fail(path, lineno, f"'{entry.lay}' ({entry.kind}) already maps to '{seen[k][1]}' on line {seen[k][0]}")
        seen[k] = (lineno, entry.standard)
        entries.append(entry)
    if meta is None:
        raise ConfigError(f"{path}: empty colloquial lexicon (no _meta line)")
    return meta, entries


def load(paths: Sequence[Path | str] | None = None) -> ColloquialLexicon:
    """A lexicon from the given files (default: the shipped one); later files add to earlier ones."""
    files = [Path(p) for p in (paths if paths is not None else [COLLOQUIAL_FILE])]
    entries: list[ColloquialEntry] = []
    metas: list[tuple[Path, ColloquialMeta]] = []
    for p in files:
        meta, es = read_file(p)
        metas.append((p, meta))
        entries.extend(es)
    return ColloquialLexicon(entries, metas)


@lru_cache(maxsize=1)
def colloquial() -> ColloquialLexicon:
    """The shipped lexicon, loaded once per process."""
    return load()


def normalise(text: str, kinds: Iterable[str] | None = None) -> NormalisedText:
    """Rewrite lay forms in ``text`` with the shipped lexicon (see :meth:`ColloquialLexicon.normalise`)."""
    return colloquial().normalise(text, kinds)


def lookup(term: str, kind: str | None = None) -> list[ColloquialEntry]:
    """Entries of the shipped lexicon for a lay form."""
    return colloquial().lookup(term, kind)
