"""Lay-language readers for red flags: speech-to-text homophones and an infant's age in weeks or days.

**Homophones.** A phone's voice input writes a near-homophone for a body or symptom word (兄口疼 for 胸口疼,
冷寒 for 冷汗, 吐了口雪 for 吐了口血, 星口 for 心口: zh/z, ch/c, sh/s and in/ing, en/eng, an/ang are not told apart). :meth:`HomophoneLexicon.rewrite` rewrites a window of the text to a red-flag
lexicon word when the two read the same in toneless pinyin (the written character's usual reading against any
reading of the lexicon's: 血 is xue or xie) and the window is not itself an ordinary word (the segmenter's dictionary: 后辈 stays 后辈, 黑边 stays
黑边, 抽出 stays 抽出). The rewritten spans are returned so that the engine can ask for context: a red flag
read through a rewritten word fires only when another part of the same rule was written in real characters
(兄口疼 needs 疼 and a sweat; 中锋 alone is never 中风). The pinyin comes from pypinyin's character data.

**Infant age.** 宝宝8周, 出生40天, 1.5月的宝宝: the age of a baby told in weeks, days or a fraction of a month,
which the engine's year/month reader does not see; used only when no age was given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_HAN = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=8192)
def readings(ch: str) -> frozenset[str]:
    """Every toneless pinyin reading of one character (empty for a non-Han character)."""
    if not _HAN.fullmatch(ch):
        return frozenset()
    from pypinyin import Style, pinyin

    return frozenset(r for group in pinyin(ch, style=Style.NORMAL, heteronym=True) for r in group)


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, int]:
    """The segmenter's word list (a word with a frequency above 0 is an ordinary word)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.dt.FREQ


def _tokens(text: str) -> list[tuple[int, int]]:
    """For each character, the (start, end) of the dictionary word the segmenter puts it in."""
    import jieba

    _dictionary()
    out: list[tuple[int, int]] = [(i, i + 1) for i in range(len(text))]
    for _w, a, b in jieba.tokenize(text, HMM=False):
        for k in range(a, b):
            out[k] = (a, b)
    return out


def is_word(w: str) -> bool:
    return _dictionary().get(w, 0) > 0


@lru_cache(maxsize=8192)
def sound(ch: str) -> str:
    """The usual toneless reading of one character: what a voice input heard when it wrote it."""
    if not _HAN.fullmatch(ch):
        return ""
    from pypinyin import Style, lazy_pinyin

    return fuzzy(lazy_pinyin(ch, style=Style.NORMAL)[0])


def fuzzy(syllable: str) -> str:
    """A syllable with the distinctions that voice input and many accents blur folded away: zh/ch/sh as z/c/s and
    the back nasals ing/eng/ang as in/en/an (星口 is heard as 心口)."""
    return _BACK_NASAL.sub(r"\1n", _RETROFLEX.sub(r"\1", syllable))


_RETROFLEX = re.compile(r"^([zcs])h")
_BACK_NASAL = re.compile(r"([iea])ng$")


def _word_sounds(word: str) -> list[frozenset[str]]:
    from pypinyin import Style, lazy_pinyin

    in_word = lazy_pinyin(word, style=Style.NORMAL)
    return [frozenset({fuzzy(r), sound(c)}) for r, c in zip(in_word, word, strict=True)]


class HomophoneLexicon:
    """Lexicon words (two or more Han characters) indexed by the readings of their first character."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = sorted({w for w in words if len(w) >= 2 and all(_HAN.fullmatch(c) for c in w)},
                            key=lambda w: (-len(w), w))
        # each lexicon character is heard as its reading in the word and its usual reading (血 in 吐血: xie, xue),
        # not every rare reading (睾 is never hao)
        self.heard: dict[str, list[frozenset[str]]] = {w: _word_sounds(w) for w in self.words}
        self.by_first: dict[str, list[str]] = {}
        for w in self.words:
            for r in self.heard[w][0]:
                self.by_first.setdefault(r, []).append(w)

    def _matches(self, window: str, word: str) -> bool:
        return all(sound(a) in r for a, r in zip(window, self.heard[word], strict=True))

    def rewrite(self, text: str) -> tuple[str, list[tuple[int, int]]]:
        """(text with homophones replaced by lexicon words, the replaced spans). Same length as ``text``.

        A character is rewritten only where the segmenter does not read it as part of a longer word reaching
        outside the window: 部位疼 is 部位 + 疼 (not 胃疼), 时候被 is not 后背, 做笔记 is not 左臂."""
        out = list(text)
        token: list[tuple[int, int]] | None = None
        spans: list[tuple[int, int]] = []
        i = 0
        n = len(text)
        while i < n:
            done = False
            cands = self.by_first.get(sound(text[i]), [])
            for w in sorted(set(cands), key=lambda w: (-len(w), w)):
                window = text[i:i + len(w)]
                if len(window) < len(w) or window == w or not self._matches(window, w):
                    continue
                # at least one character differs; a window that is an ordinary word (or a lexicon word of its
                # own) is left alone
                if window in self.words or is_word(window):
                    continue
                # only the differing characters are the rewrite; a character already right stays real
                diff = [k for k in range(len(w)) if window[k] != w[k]]
                if token is None:
                    token = _tokens(text)
                if any(token[i + k][0] < i or token[i + k][1] > i + len(w) for k in diff):
                    continue
                out[i:i + len(w)] = list(w)
                spans.append((i + diff[0], i + diff[-1] + 1))
                i += len(w)
                done = True
                break
            if not done:
                i += 1
        return "".join(out), spans


def touches(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in spans)


# ── an infant's age told in weeks or days ───────────────────────────────────────────────────────────

_BABY = r"(?:宝宝|宝贝|孩子|婴儿|娃|小孩|儿子|女儿|闺女|小家伙|新生儿)"
_LINK = r"(?:才|刚|刚刚|刚满|只有|现在|出生|出生才|刚出生|生下来|满)?"
_END = r"(?=大|[，,。；;！!？?、\s]|$)"
_WEEKS = re.compile(rf"{_BABY}{_LINK}(\d{{1,2}})\s*(?:周|个星期|个礼拜){_END}|"
                    rf"(\d{{1,2}})\s*(?:周|个星期|个礼拜)(?:大|的{_BABY})")
_DAYS = re.compile(rf"{_BABY}{_LINK}(\d{{1,3}})\s*天{_END}|(\d{{1,3}})\s*天(?:大|的{_BABY})|"
                   rf"(?:出生|生下来)(?:才|刚)?(\d{{1,3}})\s*天")
_FRAC_MONTHS = re.compile(rf"(\d\.\d)\s*(?:个月|月)(?:大|的{_BABY})|{_BABY}{_LINK}(\d\.\d)\s*(?:个月|月){_END}")
_PREGNANCY = ("怀孕", "怀了", "孕", "怀着", "胎")
#: a mother writing about herself after the birth (生完宝宝一个半月): the baby's age is not the writer's
_MOTHER = ("生完", "产后", "月子", "剖腹产", "剖宫产", "顺产", "生了宝宝", "生孩子", "喂奶", "母乳", "奶水", "涨奶", "恶露", "我生")


def infant_age_years(text: str) -> float | None:
    """A baby's age read from weeks, days or a fraction of a month (宝宝8周, 40天的宝宝, 1.5月的宝宝); a number
    that is a duration (宝宝发烧3天) is not an age, in a pregnancy (怀宝宝8周) weeks are gestation,
    and after a birth (生完宝宝一个半月) the writer is the mother."""
    if any(w in text for w in _PREGNANCY + _MOTHER):
        return None
    if m := _DAYS.search(text):
        days = int(next(g for g in m.groups() if g))
        if days <= 400:
            return days / 365.0
    if m := _WEEKS.search(text):
        weeks = int(next(g for g in m.groups() if g))
        if weeks <= 60:
            return weeks * 7 / 365.0
    if m := _FRAC_MONTHS.search(text):
        months = float(next(g for g in m.groups() if g))
        if months <= 36:
            return months / 12.0
    return None


def _part_spans(text: str, term: str, start: int) -> list[tuple[int, int]]:
    """Where each part of a (gapped) term lies, for the occurrence found at ``start``."""
    from yizhu.clinical.triage.knowledge import _GAP_FILL, GAP

    parts = [p for p in term.split(GAP) if p]
    m = re.compile(_GAP_FILL.join(f"({re.escape(p)})" for p in parts)).match(text, start)
    if m is None:
        return [(start, start + len(term))]
    return [m.span(k) for k in range(1, len(parts) + 1)]


def heard_hit(heard: list[tuple[str, list[tuple[int, int]]]], group: list[str]) -> tuple[str, bool] | None:
    """The first term of ``group`` found (now, not negated) in a homophone-corrected text:
    (evidence, anchored) where anchored means one part of the term stands in real characters
    (吐…口血 read in 吐了好几口雪: 吐 is real). None when no term is found."""
    from yizhu.clinical.triage.knowledge import current

    for text, spans in heard:
        for h in current(text, group):
            parts = _part_spans(text, h.term, h.start)
            if not any(touches(spans, a, b) for a, b in parts):
                continue  # not a rewritten word (the real-text search sees it too)
            anchored = len(parts) > 1 and any(not touches(spans, a, b) for a, b in parts)
            return f"{h.term}（语音输入的同音字）", anchored
    return None
