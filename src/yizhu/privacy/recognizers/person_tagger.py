"""A character-level person tagger (linear-chain CRF) that proposes names where no rule has a cue.

The rules of ``person.py`` learned the forms they were shown; the tagger reads *where a person stands*
from features of each character and its neighbours: the character, whether it can be a surname (单姓,
复姓, a Tibetan/Mongolian/Uyghur name part), how name-like it is as a given character (the log-ratio
buckets of the learned name model, ``namescore.py``), its class (Han, digit, Latin, space, punctuation),
cue words ending just before it or starting just after it (role and title words, kinship, verbs a person
does, sex), and its place in the line (line start, after a column gap, a colon or a bed number, inside
OCR spacing). Labels are B/I/O over characters.

The model (``data/person_crf.bin``, python-crfsuite) is trained by ``scripts/train_person_tagger.py``;
its card is ``data/person_crf.md``. At run time the tagger looks only at short windows around the places
a cheap pre-filter marks (a surname character followed by a name-like character, a minority name part,
a middle dot) that no rule already covers, so most of a note is never featurised.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from yizhu.privacy.recognizers._data import PersonData, load_data
from yizhu.privacy.recognizers.namescore import FLOOR, NameScorer, scorer
from yizhu.privacy.recognizers.person_cues import (
    _SUBJECT_VERBS,
    POSSESSIVE_KIN,
    _merged,
)
from yizhu.privacy.recognizers.person_foreign import _DOTS

MODEL_PATH = Path(__file__).parent / "data" / "person_crf.bin"
#: Characters either side of a pre-filter hit that the tagger reads (clipped to the line).
WINDOW_BEFORE = 3
WINDOW_AFTER = 7
#: Least given-name bucket of the character after a surname for the pre-filter to mark the place.
PREFILTER_BUCKET = 1
#: Tagged windows remembered (by their text) before the memory is cleared.
CACHE_SIZE = 8192
#: Cue words are matched up to this length.
_CUE_MAX = 5

#: Dosage forms written after a drug's name (小儿柴桂退热颗粒, 金振口服液, 伪麻美芬滴剂): what precedes one is a drug.
DOSAGE_FORMS = ("颗粒", "口服液", "滴剂", "糖浆", "胶囊", "软胶囊", "片", "软膏", "乳膏", "注射液", "混悬液", "栓", "贴",
                "喷雾剂", "气雾剂", "冲剂", "缓释片", "肠溶片", "分散片", "泡腾片", "合剂", "散", "丸", "口服溶液", "滴眼液")
#: Verbs whose object is a drug or a treatment (吃了…, 喝的…, 给他贴的…, 照…, 口服…), and the particles and
#: determiners that may stand between (了, 的, 过, 点, 那个): a person seldom stands there.
DRUG_VERBS = frozenset("吃喝服用贴涂照擦喷滴吸敷搽输")
_VERB_PARTICLES = frozenset("了的过着点些个那这一")
_SPACE = frozenset(" \t\u3000")
_COLON = frozenset(":：")
_GAP_MARKS = frozenset("|｜\t")


def _cls(c: str) -> str:
    if not c:
        return "E"
    if "\u4e00" <= c <= "\u9fff":
        return "H"
    if c.isdigit():
        return "D"
    if c.isascii() and c.isalpha():
        return "L" if c.islower() else "U"
    if c in _SPACE:
        return "S"
    if c == "\n":
        return "N"
    if c in _COLON:
        return "C"
    if c in _DOTS:
        return "T"
    if c in "，,、；;。！？!?":
        return "P"
    if c in "（(【[“‘「":
        return "O"
    if c in "）)】]”’」":
        return "X"
    return "Y"


class TaggerData(BaseModel):
    """``data/person_tagger.yaml``: Yi family names and given parts, Dai given names."""

    model_config = ConfigDict(extra="forbid")

    source: str
    yi_family: list[str]
    yi_given: list[str]
    dai: list[str]


class Lexicon:
    """Word sets the features read: surnames, name parts, cue words on either side of a name."""

    def __init__(self, data: PersonData | None = None, score: NameScorer | None = None) -> None:
        d = _merged(data or load_data("person.yaml", PersonData))
        self.score = score or scorer()
        self.surnames = frozenset(d.surnames)
        self.weak = frozenset(d.weak_surnames)
        self.compounds = frozenset(d.compound_surnames)
        self.extra = load_data("person_tagger.yaml", TaggerData)
        self.minority = frozenset([*d.minority_name_parts, *self.extra.yi_family, *self.extra.yi_given, *self.extra.dai])
        self.minority_first = frozenset(p[0] for p in self.minority)
        self.words = self.score.words
        self.blocklist = frozenset(d.blocklist)
        self.left_cues = frozenset(w for w in (
            *d.title_before, *d.kin_before, *d.bare_labels, *d.colon_labels, *d.people_titles, *d.kin_words,
            *d.role_words, *d.lead_words,
        ) if len(w) <= _CUE_MAX)
        self.right_cues = frozenset(w for w in (
            *d.follow_words, *d.after_labels, *d.surname_titles, *d.verb_after, *d.clause_verbs, *_SUBJECT_VERBS,
        ) if len(w) <= _CUE_MAX and w.strip("，,（"))
        self.left_last = frozenset(w[-1] for w in self.left_cues)
        self.left_cue_words = tuple(sorted(self.left_cues - POSSESSIVE_KIN, key=len, reverse=True))
        self.right_first = frozenset(w[0] for w in self.right_cues)
        self.starts = self.surnames | {c[0] for c in self.compounds} | self.minority_first
        # the pre-filter in one regex the engine runs in C: a surname before a name-like character (after
        # up to two spaces), the first character of a compound surname or a minority part, a middle dot
        given = "".join(sorted(c for c, k in self.score.given.items() if k >= PREFILTER_BUCKET))
        others = "".join(sorted({c[0] for c in self.compounds} | self.minority_first))
        alternatives = (
            "(?P<s>[" + re.escape("".join(sorted(self.surnames))) + "])(?=[ \t\u3000]{0,2}[" + re.escape(given) + "])"
            "|(?P<o>[" + re.escape(others) + "])(?=[\u4e00-\u9fff])|[" + re.escape(_DOTS) + "]"
        )
        # An alternation of classes gives the regex engine no first-character set, so it would try every
        # branch at every character; one leading class of all first characters lets it skip in C, and the
        # look-behind re-reads that character inside a look-ahead holding the alternatives (same matches,
        # same groups; 2.5x faster on the demo notes).
        first = "".join(sorted(self.starts | set(_DOTS)))
        self.start_re = re.compile("[" + re.escape(first) + "](?<=(?=" + alternatives + ").)")
        self._static: dict[str, tuple[str, str, str, str, tuple[str, ...], bool]] = {}

    def static(self, c: str) -> tuple[str, str, str, str, tuple[str, ...], bool]:
        """Features of a character alone, cached: class feature, class, bucket feature, bucket, surname
        features, is a surname."""
        got = self._static.get(c)
        if got is None:
            k = _cls(c)
            b = str(self.score.given.get(c, FLOOR))
            sur: tuple[str, ...] = ()
            if c in self.surnames:
                sur = ("sur", "sb=" + str(self.score.surname.get(c, FLOOR)), *(("weak",) if c in self.weak else ()))
            got = ("k=" + k, k, "g=" + b, b, sur, c in self.surnames)
            if len(self._static) < 20000:
                self._static[c] = got
        return got


@cache
def lexicon() -> Lexicon:
    """The process-wide lexicon of the shipped data."""
    return Lexicon()


def _left_cue(text: str, end: int, cues: frozenset[str], last: frozenset[str]) -> bool:
    if end < 1 or text[end - 1] not in last:
        return False
    for k in range(1, _CUE_MAX + 1):
        if end - k < 0:
            return False
        if text[end - k:end] in cues:
            return True
    return False


def _right_cue(text: str, start: int, cues: frozenset[str], first: frozenset[str]) -> bool:
    if text[start:start + 1] not in first:
        return False
    n = len(text)
    for k in range(1, _CUE_MAX + 1):
        if start + k > n:
            return False
        if text[start:start + k] in cues:
            return True
    return False


def features(text: str, start: int, end: int, lex: Lexicon | None = None) -> list[list[str]]:
    """Feature strings of each character of ``text[start:end]`` (its context is read from ``text``)."""
    lx = lex or lexicon()
    static = lx.static
    n = len(text)
    # cue words ending at each position (a name may start there) and starting at each (one may end before)
    lo = max(0, start - 2)
    left = [_left_cue(text, j, lx.left_cues, lx.left_last) for j in range(lo, end)]
    right = [_right_cue(text, j, lx.right_cues, lx.right_first) for j in range(start + 1, min(n, end + 3) + 1)]
    nr = len(right)
    out: list[list[str]] = []
    for i in range(start, end):
        c = text[i]
        p1 = text[i - 1] if i >= 1 else ""
        p2 = text[i - 2] if i >= 2 else ""
        n1 = text[i + 1] if i + 1 < n else ""
        n2 = text[i + 2] if i + 2 < n else ""
        sc, sp, sn = static(c), static(p1), static(n1)
        f = [
            "c=" + c, "p1=" + p1, "n1=" + n1, "p2=" + p2, "n2=" + n2, "pc=" + p1 + c, "cn=" + c + n1,
            sc[0], "kp=" + sp[1] + sc[1], "kn=" + sc[1] + sn[1], sc[2], "gp=" + sp[3], "gn=" + sn[3], *sc[4],
        ]
        if sp[5]:
            f.append("psur")
        if static(p2)[5]:
            f.append("p2sur")
        pair = text[i:i + 2]
        if pair in lx.compounds:
            f.append("csur0")
        if i >= 1 and p1 + c in lx.compounds:
            f.append("csur1")
        if c in lx.minority_first and (pair in lx.minority or text[i:i + 3] in lx.minority or text[i:i + 4] in lx.minority):
            f.append("mino")
        if p1 + c in lx.words:
            f.append("wordp")
        if pair in lx.words:
            f.append("wordn")
        if pair in lx.blocklist or text[i:i + 3] in lx.blocklist:
            f.append("block")
        if text.startswith(DOSAGE_FORMS, i + 1):
            f.append("form+")
        j = i - 1
        while j >= i - 3 and j >= 0 and text[j] in _VERB_PARTICLES:
            j -= 1
        if j >= 0 and text[j] in DRUG_VERBS:
            f.append("dv")
        k = i - lo
        if left[k]:
            f.append("L0")
        if k >= 1 and left[k - 1]:
            f.append("L1")
        if k >= 2 and left[k - 2]:
            f.append("L2")
        k = i - start
        if k < nr and right[k]:
            f.append("R0")
        if k + 1 < nr and right[k + 1]:
            f.append("R1")
        if k + 2 < nr and right[k + 2]:
            f.append("R2")
        # place in the line
        j = i - 1
        while j >= 0 and text[j] in _SPACE:
            j -= 1
        before = text[j] if j >= 0 else "\n"
        spaces = i - 1 - j
        if before == "\n":
            f.append("bol")
        elif before in _COLON:
            f.append("colon")
        elif before in _GAP_MARKS or spaces >= 2 or (spaces >= 1 and text[i - 1] == "\u3000"):
            f.append("gap")
        elif spaces == 1:
            f.append("sp1")
        if before == "床" or (j >= 1 and before.isdigit() and "床" in text[max(0, j - 4):j + 1]):
            f.append("bed")
        k = i + 1
        while k < n and text[k] in _SPACE:
            k += 1
        after = text[k] if k < n else "\n"
        if after == "\n":
            f.append("eol")
        elif k - i - 1 >= 2 or after in _GAP_MARKS:
            f.append("gap+")
        elif k - i - 1 == 1 and "\u4e00" <= after <= "\u9fff":
            f.append("sp+")
        out.append(f)
    return out


def _right_prefix(text: str, i: int, parts: frozenset[str]) -> bool:
    return text[i:i + 2] in parts or text[i:i + 3] in parts or text[i:i + 4] in parts


def candidates(text: str, lex: Lexicon | None = None) -> list[int]:
    """Positions the pre-filter marks: a surname followed by a character that names use (given-name
    bucket ≥ ``PREFILTER_BUCKET``), a compound surname, a Tibetan/Mongolian/Uyghur name part, or a middle
    dot — but not the start of a blocklisted clinical word (高血压, 白细胞), nor a common word that a
    surname character starts inside running text (完善, 其他, 平稳)."""
    lx = lex or lexicon()
    words = lx.words
    block = lx.blocklist
    compounds = lx.compounds
    minority = lx.minority
    out: list[int] = []
    n = len(text)
    for m in lx.start_re.finditer(text):
        i = m.start()
        c = text[i]
        if c in _DOTS:
            out.append(i)
            continue
        pair = text[i:i + 2]
        if pair in compounds or pair in minority or text[i:i + 3] in minority or text[i:i + 4] in minority:
            out.append(i)
            continue
        if m.lastgroup != "s" or pair in block or text[i:i + 3] in block or text[i:i + 4] in block:
            continue
        if pair in words and i > 0 and "\u4e00" <= text[i - 1] <= "\u9fff" and i + 2 < n \
                and "\u4e00" <= text[i + 2] <= "\u9fff":
            continue
        out.append(i)
    return out


def windows(text: str, hits: Iterable[int]) -> list[tuple[int, int]]:
    """Merged windows around the hits, each clipped to its line."""
    out: list[tuple[int, int]] = []
    for h in hits:
        ls = text.rfind("\n", 0, h) + 1
        le = text.find("\n", h)
        le = len(text) if le < 0 else le
        s, e = max(ls, h - WINDOW_BEFORE), min(le, h + WINDOW_AFTER)
        if out and s <= out[-1][1] and ls <= out[-1][0]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def bio_spans(labels: Sequence[str]) -> list[tuple[int, int]]:
    """(start, end) of every B I* run, offsets into ``labels``."""
    out: list[tuple[int, int]] = []
    s = -1
    for k, y in enumerate(labels):
        if y == "B":
            if s >= 0:
                out.append((s, k))
            s = k
        elif y != "I" and s >= 0:
            out.append((s, k))
            s = -1
    if s >= 0:
        out.append((s, len(labels)))
    return out


class PersonTagger:
    """The trained CRF: proposes (start, end, probability) of person names in windows of a text."""

    def __init__(self, path: Path | None = None, lex: Lexicon | None = None) -> None:
        import pycrfsuite  # local: only loaded when a model is used

        self.lex = lex or lexicon()
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path or MODEL_PATH))
        self._cache: dict[tuple[str, int, int], tuple[tuple[int, int, float], ...]] = {}

    def tag(self, text: str, start: int, end: int) -> list[tuple[int, int, float]]:
        """Names the model finds in ``text[start:end]``, with the mean marginal of their labels.

        The features of a window read at most a few characters around it (cue words, runs of spaces), so
        the window is tagged as a slice holding all of that, and the result is cached by the slice:
        templated notes repeat the same lines.
        """
        n = len(text)
        ks = max(0, start - 8)
        while ks > 0 and text[ks] in _SPACE:
            ks -= 1
        ks = max(0, ks - 5)
        ke = min(n, end + 8)
        while ke < n and text[ke - 1] in _SPACE:
            ke += 1
        ke = min(n, ke + 2)
        return [(ks + s, ks + e, p) for s, e, p in self._tag_slice(text[ks:ke], start - ks, end - ks)]

    def _tag_slice(self, sub: str, start: int, end: int) -> tuple[tuple[int, int, float], ...]:
        key = (sub, start, end)
        got = self._cache.get(key)
        if got is not None:
            return got
        t = self._tagger
        labels = t.tag(features(sub, start, end, self.lex))
        out = []
        for s, e in bio_spans(labels):
            p = (t.marginal("B", s) + sum(t.marginal("I", k) for k in range(s + 1, e))) / (e - s)
            out.append((start + s, start + e, p))
        if len(self._cache) >= CACHE_SIZE:
            self._cache.clear()
        got = self._cache[key] = tuple(out)
        return got

    def propose(self, text: str, skip: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int, float]]:
        """Names in the windows the pre-filter marks outside the ``skip`` spans (names already found)."""
        covered = bytearray(len(text))
        for s, e in skip:
            covered[s:e] = b"\x01" * (e - s)
        hits = [h for h in candidates(text, self.lex) if not covered[h]]
        out: list[tuple[int, int, float]] = []
        for s, e in windows(text, hits):
            out.extend(self.tag(text, s, e))
        return out


@cache
def tagger() -> PersonTagger | None:
    """The shipped tagger, or None when the model file is absent (the rules then work alone)."""
    return PersonTagger() if MODEL_PATH.exists() else None
