"""Ordinary words of running Chinese text, for the guards that tell a word from a name (session deidreal).

Real clinical text (a parent's message, a textbook sentence) is full of words that start with a surname
character: 水平, 连锁, 蓝光, 和宝宝, 那医生, 允许医生, drug brands (艾畅, 金振) and the 利亚 of 澳大利亚. The rules and
the tagger were tuned on text we wrote, where such words are rare. The guards here read three public sources:

* the jieba dictionary (MIT, the copy rjieba ships; jieba's own when rjieba is absent): the frequency of a word
  and a segmentation with dictionary words only (no HMM, so an unknown name is never glued into a "word");
* the knowledge pack's drug names and brands (``knowledge/packs/drugs.jsonl``, ``colloquial.jsonl`` brands);
* the word classes of ``data/word_guards.yaml`` (thanks and function words before a title, intake verbs,
  conjunctions that are also surnames).

Everything is loaded on first use (about 0.15 s CPU for the dictionary), so a text that needs no guard pays nothing.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any

from yizhu.privacy.recognizers._data import _chars, _Strict, load_data


class WordGuardData(_Strict):
    """The word classes of ``data/word_guards.yaml``."""

    source: str
    title_lead_words: tuple[str, ...]
    function_surnames: str
    intake_words: tuple[str, ...]
    drug_stems: tuple[str, ...]
    dose_after: tuple[str, ...]
    conjunction_surnames: str
    person_nouns: tuple[str, ...]
    name_prefixes: str
    person_leads: str

    def model_post_init(self, __context: Any) -> None:
        for f in ("function_surnames", "conjunction_surnames", "name_prefixes", "person_leads"):
            object.__setattr__(self, f, _chars(getattr(self, f)))


class Lexicon:
    """Word frequencies and dictionary-only segmentation of the jieba dictionary."""

    def __init__(self) -> None:
        try:
            import rjieba

            self._rj: Any = rjieba.Jieba()
            self._freq: dict[str, int] | None = None
        except ImportError:  # pragma: no cover - rjieba is a dependency; jieba is the fallback
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            tk = jieba.Tokenizer()
            tk.initialize()
            self._rj = tk
            self._freq = tk.FREQ
        # the same few words and windows come back note after note (谢谢, 医生, a ward's names): answers are cached
        self.freq = lru_cache(maxsize=1 << 16)(self.freq)  # type: ignore[method-assign]
        self.tag = lru_cache(maxsize=1 << 16)(self.tag)  # type: ignore[method-assign]
        self.cut = lru_cache(maxsize=1 << 16)(self._cut)  # type: ignore[method-assign]

    def freq(self, word: str) -> int:
        """How often jieba's corpus has ``word`` as a word (0 when it is not a dictionary word)."""
        if self._freq is not None:  # pragma: no cover - jieba fallback
            return int(self._freq.get(word, 0))
        if not self._rj.has_word(word):
            return 0
        return max(int(self._rj.suggest_freq(word)) - 1, 1)

    def tag(self, word: str) -> str:
        """jieba's part of speech of ``word`` when it is one dictionary word ('' otherwise)."""
        if self._freq is not None:  # pragma: no cover - jieba fallback
            return ""
        t = self._rj.tag(word, False)
        return str(t[0][1]) if len(t) == 1 else ""

    def cut(self, text: str) -> tuple[str, ...]:
        """Dictionary words only: an unknown run stays one character a token (replaced by a cached copy)."""
        return self._cut(text)

    def _cut(self, text: str) -> tuple[str, ...]:
        if self._freq is not None:  # pragma: no cover - jieba fallback
            return tuple(self._rj.cut(text, HMM=False))
        return tuple(self._rj.cut(text, False))

    def crossing(self, text: str, pos: int, *, lo: int = 4, hi: int = 4, min_freq: int = 1) -> str | None:
        """The dictionary word that runs across ``pos`` (starts before it, ends after it) when ``text`` around it is
        segmented (澳大利|亚 → 澳大利亚, 允|许 → 允许), or None."""
        a, b = max(0, pos - lo), min(len(text), pos + hi)
        k = a
        for w in self.cut(text[a:b]):
            if k < pos < k + len(w) and len(w) >= 2 and self.freq(w) >= min_freq:
                return w
            k += len(w)
            if k >= pos:
                return None
        return None


@cache
def lexicon() -> Lexicon:
    """The process-wide lexicon."""
    return Lexicon()


@cache
def guard_data() -> WordGuardData:
    return load_data("word_guards.yaml", WordGuardData)


def _pack_rows(name: str) -> list[dict[str, Any]]:
    try:
        text = (files("yizhu") / "knowledge" / "packs" / name).read_text(encoding="utf-8")
    except (OSError, ModuleNotFoundError):  # pragma: no cover - packs are part of the package
        return []
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [r for r in rows if "_meta" not in r]


@cache
def drug_names() -> frozenset[str]:
    """Chinese drug names and brands of the knowledge packs (布洛芬, 美林, 泰诺林, 妈咪爱 …), two characters or more."""
    out: set[str] = set()
    for r in _pack_rows("drugs.jsonl"):
        for v in (r.get("name"), *(r.get("synonyms") or ()), *(r.get("brands") or ())):
            if isinstance(v, str) and len(v) >= 2 and "\u4e00" <= v[0] <= "\u9fff":
                out.add(v)
    for r in _pack_rows("colloquial.jsonl"):
        if r.get("kind") in ("brand", "drug_category"):
            for v in (r.get("lay"), r.get("standard")):
                if isinstance(v, str) and len(v) >= 2 and "\u4e00" <= v[0] <= "\u9fff":
                    out.add(v)
    return frozenset(out)


@cache
def _drug_prefixes() -> frozenset[str]:
    return frozenset(n[:k] for n in drug_names() for k in range(2, len(n) + 1))


def drug_item(item: str) -> bool:
    """True when a list item names a drug: it starts with a pack drug name (头孢, 妈咪爱, 蒙脱石散) or ends with a drug
    stem or dosage form (茵栀黄颗粒, 麦迪霉素), after 小儿/小/还有 (小儿伪麻美芬); not an act (口服阿司匹林)."""
    g = guard_data()
    item = item.strip(" \u3000")
    for lead in ("还有", "小儿", "小", "和", "跟", "及"):
        if item.startswith(lead) and len(item) > len(lead) + 1:
            item = item[len(lead):]
            break
    if len(item) < 2 or item.startswith(g.intake_words):
        return False
    if item.endswith(g.drug_stems):
        return True
    names = drug_names()
    return any(item[:k] in names for k in range(2, min(len(item), 10) + 1))


def drug_at(text: str, start: int, end: int, *, prefix: bool = True) -> bool:
    """True when a pack drug name starts inside ``text[start:end]`` (和|泰诺林, 麦迪霉素) or, with ``prefix``, the span
    is the beginning of one (阿奇 for 阿奇霉素, 利巴 of a misspelt 利巴韦林)."""
    names, prefixes = drug_names(), _drug_prefixes()
    span = text[start:end]
    if prefix and len(span) >= 2 and span in prefixes:
        return True
    for i in range(start, end - 1):
        for k in range(2, 9):
            w = text[i:i + k]
            if len(w) < k:
                break
            if w in names:
                return True
            if w not in prefixes:
                break
    return False


def drug_over(text: str, start: int, end: int) -> bool:
    """True when a pack drug name overlaps ``text[start:end]`` in any way: it starts inside (和|泰诺林), or starts up to
    seven characters before and reaches into it (替|格瑞洛, 托烷|司琼, 地|高辛)."""
    if drug_at(text, start, end, prefix=False):
        return True
    names, prefixes = drug_names(), _drug_prefixes()
    for i in range(max(0, start - 7), start):
        for k in range(2, 9):
            w = text[i:i + k]
            if len(w) < k:
                break
            if w in names and i + k > start:
                return True
            if w not in prefixes:
                break
    return False


@cache
def _drug_masks() -> frozenset[str]:
    """Every drug name's beginnings of four characters or more with one character blanked (利巴?林 of 利巴韦林)."""
    out: set[str] = set()
    for n in drug_names():
        for k in range(4, len(n) + 1):
            head = n[:k]
            out.update(head[:i] + "?" + head[i + 1:] for i in range(k))
    return frozenset(out)


def near_drug(span: str) -> bool:
    """True when ``span`` (four characters or more) is the beginning of a pack drug name written with one character
    wrong after its first two, as patients misspell them (利巴伟林 for 利巴韦林; four characters or more: not 韦立新 beside 韦立得)."""
    if len(span) < 4:  # three characters are a name as often (韦立新 beside the brand 韦立得)
        return False
    masks = _drug_masks()
    return any(span[:i] + "?" + span[i + 1:] in masks for i in range(2, len(span)))
