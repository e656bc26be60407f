"""Ordinary words that the person rules and the tagger took for names on real text (session deidreal).

Measured on real paediatric consultations and textbook sentences (``scripts/eval_deid_realtext.py``), most PERSON
spans were words: thanks or a function word before a title (谢谢李医生 took 谢谢李, 那医生, 平台不允许医生 took 许),
a conjunction before a child's word (和宝宝, 由于宝宝), a common word in running text (蓝光, 水银, 连锁, 通畅), the 利亚 of
澳大利亚, drug brands after an intake verb (在吃金振, 口服艾畅) and pack drugs (和泰诺林, 麦迪霉素). The guards below
drop or trim such spans by classes of words (``data/word_guards.yaml``, the jieba dictionary, the drug pack: see
``words.py``); they read only spans whose cue is weak or which stand before a title, never a name slot (姓名：和平,
小名：小米) or a labelled field.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from yizhu.privacy.recognizers.namescore import NameScorer
from yizhu.privacy.recognizers.words import drug_at, drug_item, guard_data, lexicon, near_drug
from yizhu.privacy.types import Entity

if TYPE_CHECKING:
    from yizhu.privacy.recognizers.words import WordGuardData

#: Spans a rule found right before a title (王医生, 谢谢李医生): a lead word is trimmed, a word dropped.
TITLE_PATTERNS = frozenset({"title", "title_surname", "title_spaced"})
#: Spans found with no label, slot or title: an ordinary word, a drug or a word across their left edge drops them.
WEAK_PATTERNS = frozenset({"tagger", "signature_line", "subject", "clause", "familiar", "relation_shape", "kin_before",
                           "title_before", "ner"})
#: Role slots written tight (科主任 宁静, 主治医师沐晨): a name whatever it spells, unless a particle or pronoun shows a phrase.
SLOT_PATTERNS = frozenset({"slot_role", "slot_unit"})
#: Weak spans that are no person after an intake verb (在吃金振): those of no cue word.
_INTAKE_CHECKED = frozenset({"tagger", "signature_line", "subject", "clause", "ner"})
#: A span before a title that is a word this frequent in jieba's corpus (麻烦, 那里) and not tagged a person name.
TITLE_WORD_FREQ = 500
#: A span before a title that is a word this frequent whatever its part of speech (时候 31,521).
TITLE_NOUN_FREQ = 5000
#: A weak span that is a word at least this frequent (蓝光 100, 羊奶 25), or a word this frequent across its left edge.
WEAK_WORD_FREQ = 20
#: A word across the left edge of a span before a title (允许, 由于, 宝贝, 非常感谢: any dictionary word; the
#: segmenter puts a word across the edge only where it reads better than a name there).
CROSS_FREQ = 1
#: A weak span whose first word is a word this frequent (特别|清楚, 阳光|少) and no name.
FIRST_WORD_FREQ = 300
#: Mean given-name bucket (namescore) from which a dictionary word jieba tags a name is read as one (李娜 4, 安静 3).
NAME_WORD_GIVEN = 3.0
#: jieba parts of speech of words that are no name before a title: pronouns, adverbs, conjunctions, prepositions,
#: particles, interjections, verbs, time words, numerals (那里, 麻烦, 关键); not adjectives or nouns (温柔, 东方).
_FUNCTION_POS = frozenset({"r", "d", "c", "p", "u", "uj", "ul", "uz", "ug", "ud", "uv", "y", "e", "o", "v", "vd", "vn",
                           "an", "ad", "t", "m", "q", "f"})
#: Marks between the items of a list, and what ends an item (the list marks and a sentence's end).
_LIST_MARKS = frozenset("、，,和跟及与或")
_ITEM_ENDS = frozenset("、，,。；;！？!?\n和跟及与或：:")
_ITEM_MAX = 12
_GAPS = frozenset(" \t\u3000\n\r")
#: The dots between the parts of a transliterated name (约翰·史密斯).
_DOTS = "·•・‧"
#: Sentence particles: never inside a name (黄吗, 谢谢啊).
_PARTICLES = frozenset("吗呢吧啊呀哦嘛啦哈嗯呗噢喔")


@cache
def _long_leads() -> tuple[str, ...]:
    """Lead words of two characters or more (谢谢, 麻烦): a weak span opening with one is no name."""
    return tuple(w for w in guard_data().title_lead_words if len(w) >= 2)


@cache
def _leads_with() -> dict[str, tuple[str, ...]]:
    """The lead words holding each character, in the data's order (多谢|孔, 谢谢|李, 那|李)."""
    out: dict[str, list[str]] = {}
    for w in guard_data().title_lead_words:
        for c in dict.fromkeys(w):
            out.setdefault(c, []).append(w)
    return {c: tuple(ws) for c, ws in out.items()}


class WordGuards:
    """Mixin of :class:`PersonRecognizer`: the real-text guards (needs ``_surnames`` and ``_compounds``)."""

    _surnames: frozenset[str]
    _compounds: frozenset[str]
    _score: NameScorer
    _minority_parts: frozenset[str]
    _title_words: tuple[str, ...]
    _person_before: tuple[str, ...]

    def _word_guard(self, text: str, e: Entity) -> Entity | None:
        """``e`` itself, ``e`` trimmed of a lead word (谢谢|李), or None when it is an ordinary word."""
        pattern = e.explanation.pattern
        if pattern in TITLE_PATTERNS:
            return self._title_guard(text, e)
        if pattern in WEAK_PATTERNS and not self._weak_ok(text, e.start, e.end, pattern):
            return None
        if pattern in SLOT_PATTERNS and not self._slot_ok(text, e.start, e.end):
            return None
        return e

    def _slot_ok(self, text: str, s: int, t: int) -> bool:
        """A role slot written tight (医生解答, 居室通风) takes a word for a name only where no particle, pronoun or word
        across its left edge says it is a phrase (医生对吗, 在医生那哪, 室温合适)."""
        value = text[s:t]
        if any(c in _PARTICLES for c in value) or value[:1] in "那这哪":
            return False
        if s > 0 and "\u4e00" <= text[s - 1] <= "\u9fff":
            w = lexicon().crossing(text, s, min_freq=WEAK_WORD_FREQ)
            if w is not None and not (len(w) == 2 and w[0] in guard_data().name_prefixes):
                return False
        return True

    def _title_guard(self, text: str, e: Entity) -> Entity | None:
        g: WordGuardData = guard_data()
        lex = lexicon()
        s, t = e.start, e.end
        value = text[s:t]
        if any(c in _PARTICLES for c in value[1:]):
            return None  # 加你微信吗医生
        if (len(value) >= 2 and value not in self._compounds and lex.freq(value) >= TITLE_WORD_FREQ
                and (lex.tag(value) in _FUNCTION_POS or lex.freq(value) >= TITLE_NOUN_FREQ) and not self._name_word(value)):
            return None  # 麻烦医生, 那里医生, 的时候医生 (not 温柔医生, 东方主任)
        first = lex.cut(value)[0]
        if 2 <= len(first) < len(value) and value[:2] not in self._compounds and lex.freq(first) >= TITLE_WORD_FREQ \
                and lex.tag(first) in _FUNCTION_POS | {"n"}:
            return None  # 关键找医生
        moved = True
        while moved and s < t:
            moved = False
            for w in _leads_with().get(text[s], ()):  # a lead word over the first character
                for p in range(max(0, s - len(w) + 1), s + 1):
                    if p + len(w) <= t and text.startswith(w, p) and p + len(w) > s:
                        s, moved = p + len(w), True
                        break
                if moved:
                    break
        if s >= t:
            return None
        if s != e.start:
            rest = text[s:t]
            k = 2 if rest[:2] in self._compounds else 1
            if rest[:k] not in self._compounds and rest[0] not in self._surnames:
                return None  # 谢谢好医生, 谢谢您大夫
        if t - s == 1 and text[s] in g.function_surnames:
            return None  # 那医生有没有说, 但医生说
        if s > 0 and "\u4e00" <= text[s - 1] <= "\u9fff" and s == e.start and text[s - 1] not in g.person_leads:
            w = lex.crossing(text, s, min_freq=CROSS_FREQ)
            if w is not None and not (len(w) == 2 and w[0] in g.name_prefixes):
                return None  # 不允|许医生, 宝|贝看过医生, 由|于宝宝
        if s == e.start:
            return e
        return e._replace(start=s, text=text[s:t])

    def _weak_ok(self, text: str, s: int, t: int, pattern: str, *, sure: bool = False) -> bool:
        """False when the weak span ``text[s:t]`` reads as an ordinary word, a drug or a phrase (see the module).

        ``sure``: the person tagger is sure of the span (``TAGGER_WORD_SURE`` of person.py): a preposition surname before
        a word (于海, 于洋, 于小鱼) is taken, where its context made the tagger sure (not 和宝宝, 于宝宝: a person's noun)."""
        g = guard_data()
        lex = lexicon()
        value = text[s:t]
        core = value.replace(" ", "").replace("\u3000", "")
        if any(c in _PARTICLES for c in core[1:]) or (core[:1] in _PARTICLES and core[:1] != "哈"):
            return False  # 黄吗, 信吗
        if core.startswith(_long_leads()) or core.startswith(g.person_nouns):
            return False  # 谢谢您, 宝贝之后
        if len(core) >= 2 and core[0] in g.conjunction_surnames:
            rest = core[1:]
            if rest.startswith(g.person_nouns) or (lex.freq(rest) >= WEAK_WORD_FREQ and not sure) or drug_at(
                    rest, 0, len(rest)):
                return False  # 和宝宝, 于宝宝, 和维生素, 和中国, 祝宝宝
        if core[:2] in self._minority_parts or (core[:2] in self._compounds and (
                lex.freq(core.rstrip("了的")) < WEAK_WORD_FREQ or text.startswith(self._title_words, t))):
            return True  # 司马文博, 宇文主任, 东方主任, 拉姆 (not 第五天: 第五 is a surname, 第五天 a word)
        cueless = pattern in _INTAKE_CHECKED
        if drug_at(text, s, t, prefix=cueless) or near_drug(core):
            return False  # 和泰诺林, 麦迪霉素, 利巴伟林; cue-less: 阿奇 (not 我闺女甘露 beside 甘露醇)
        prev_cjk = s > 0 and "\u4e00" <= text[s - 1] <= "\u9fff"
        # (a sure span right after a person's word: 家属|于涛, not 家|属于|涛)
        if prev_cjk and not (sure and text.endswith(self._person_before, 0, s)):
            w = lex.crossing(text, s, min_freq=WEAK_WORD_FREQ)
            if w is not None and not (len(w) == 2 and w[0] in g.name_prefixes):
                return False  # 澳大|利亚, 宝|贝看过
        if cueless and text[:s].rstrip("，,：: ").endswith(g.intake_words):
            return False  # 在吃金振, 口服艾畅
        if cueless and (core.endswith(g.drug_stems) or text.startswith(g.dose_after, t)
                        or self._drug_list(text, s, t)):
            return False  # 麦迪霉素, 艾畅每次吃多少, 头孢和利巴伟, 茵栀黄颗粒和益君康
        # a cell of a table or roster (a gap or a line end on both sides, not the whole text) may hold a word-name
        cell = (s == 0 or text[s - 1] in _GAPS) and (t == len(text) or text[t] in _GAPS) and (s, t) != (0, len(text))
        running = not cell
        if pattern == "familiar" and core[0] == "小" and lex.freq(core) >= WEAK_WORD_FREQ \
                and not lex.tag(core).startswith("nr") and self._word_list(text, s, t):
            return False  # 玉米、小米、红薯 (not 小张、小李 nor 小名：小米, a slot)
        if cueless and (s, t) == (0, len(text.rstrip(" \t\u3000\r\n"))) and not text[:s].strip():
            k = 2 if core[:2] in self._compounds else 1
            if self._score.weakest(core[k:]) < 0:
                return False  # a message that is one word (丁桂儿) is no name unless it reads as one
        if pattern == "signature_line" and text.strip(" \t\u3000\r\n") == value:
            k = 2 if core[:2] in self._compounds else 1
            if self._score.weakest(core[k:]) < 0:
                return False  # a message that is one word (丁桂儿, 米糊, 蒙脱撒) is no signature unless it reads as a name
        if pattern == "signature_line" or (running and cueless and core == value):
            if self._common_word(core, pattern):
                return False  # 蓝光, 水银, 连锁, 厉害, 周四
            first = lex.cut(core)[0]
            if 2 <= len(first) < len(core) and lex.freq(first) >= FIRST_WORD_FREQ and not self._name_word(first) and not (
                    any(c in _DOTS for c in core)):  # (not 约翰·史密斯: a dotted transliteration)
                return False  # 特别清楚, 阳光少
            if len(core) >= 3 and core[-1] in "了的" and lex.freq(core[:-1]) >= WEAK_WORD_FREQ:
                return False  # 第五天了
        return True

    @staticmethod
    def _drug_list(text: str, s: int, t: int) -> bool:
        """The span is an item of a list whose item next to it is a drug (头孢和|利巴伟, 妈咪爱跟|安乐宝, 小柴桂，|和利巴韦林)."""
        if s > 1 and text[s - 1] == "小":
            s -= 1  # 小柴桂 (小柴胡)
        if s > 0 and text[s - 1] in _LIST_MARKS:
            k = s - 1
            while k > 0 and text[k - 1] not in _ITEM_ENDS and s - 1 - k < _ITEM_MAX:
                k -= 1
            if drug_item(text[k:s - 1]):
                return True
        if t < len(text) and text[t] in _LIST_MARKS:
            t += 1 if text[t + 1:t + 2] in ("和", "跟", "及") and text[t] not in ("和", "跟", "及") else 0
            k = t + 1
            while k < len(text) and text[k] not in _ITEM_ENDS and k - t - 1 < _ITEM_MAX:
                k += 1
            if drug_item(text[t + 1:k]):
                return True
        return False

    def _word_list(self, text: str, s: int, t: int) -> bool:
        """The span is an item of a list whose item next to it is an ordinary word, no name (玉米、|小米)."""
        lex = lexicon()
        items = []
        if s > 0 and text[s - 1] in _LIST_MARKS:
            k = s - 1
            while k > 0 and text[k - 1] not in _ITEM_ENDS and s - 1 - k < _ITEM_MAX:
                k -= 1
            items.append(text[k:s - 1])
        if t < len(text) and text[t] in _LIST_MARKS:
            k = t + 1
            while k < len(text) and text[k] not in _ITEM_ENDS and k - t - 1 < _ITEM_MAX:
                k += 1
            items.append(text[t + 1:k])
        words = [lex.cut(items[0])[-1]] if items and s > 0 and text[s - 1] in _LIST_MARKS and items[0] else []
        words += [lex.cut(w)[0] for w in items[len(words):] if w]
        return any(len(w) >= 2 and lex.freq(w) >= WEAK_WORD_FREQ and not self._name_word(w)
                   and not w.startswith(("小", "老")) for w in words)

    def _name_word(self, word: str) -> bool:
        """A dictionary word that is a person's name as well (李娜, 安静, 高峰: jieba tags it a name and its given
        characters are common in names, or it is a whole name of two given characters: 刀美兰), unlike 蓝光, 卫星 (tagged a name by jieba, given characters ordinary)."""
        if not lexicon().tag(word).startswith("nr"):
            return False
        k = 2 if word[:2] in self._compounds else 1
        return len(word) - k >= 2 or self._score.given_score(word[k:]) >= NAME_WORD_GIVEN

    def _common_word(self, core: str, pattern: str) -> bool:
        lex = lexicon()
        if len(core) < 2 or lex.freq(core) < WEAK_WORD_FREQ:
            return False
        if pattern == "familiar" and lex.tag(core).startswith("nr"):
            return False  # 老张, 小李 (not 小米)
        return not self._name_word(core)
