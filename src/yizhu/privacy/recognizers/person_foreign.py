"""Names outside the Han surname + given-name pattern (for ``person.py``).

Tibetan, Mongolian and Uyghur name parts written without a surname (扎西次仁, 斯琴高娃, 巴特尔),
transliterated names with a middle dot (阿依古丽·买买提), and names in Latin letters (Dr. Chen, Li Na,
ZHANG Xiaoming, Vivian Chow).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from yizhu.privacy.recognizers.person_cues import _VISIBLE_END
from yizhu.privacy.types import Entity

#: Characters of transliterated (Uyghur, Tibetan …) names that elsewhere rarely stand in a name (次仁, 买买提, 多吉).
_TRANSLITERATION = "次提多加拉吉桑央珠丹尔买木克不都热合吐"
#: Characters that start a cue rather than a dotted name (由其女古丽娜尔·艾力).
_DOTTED_LEAD = frozenset("由其之女子母父妻夫儿及和与向请嘱经患者家属联系人翻译医师护士")
#: Middle dots between the parts of a transliterated name (阿依古丽·买买提).
_DOTS = "·•・‧"
#: One Hanyu Pinyin syllable (initial + final), for names written in Latin letters (Zhang Xiaoming).
_PINYIN_SYLLABLE = (
    "(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    "(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|er|ia|ie|iu|in|ua|uo|ui|un|ue|ve|a|o|e|i|u|v)"
)
_PINYIN_WORD = re.compile(f"(?:{_PINYIN_SYLLABLE}){{1,3}}", re.I)
#: Titles written before a name in Latin letters (Dr. Chen, Prof. Wang Li).
_LATIN_TITLE = re.compile(r"[DPMN](?<![A-Za-z].)(?:r|rof|s|rs|iss|urse|octor)\.?[ \t]+(?P<n>[A-Z][A-Za-z'-]+(?:[ \t]+[A-Z][A-Za-z'-]+){0,2})")
#: Two capitalised words, either of which may be the surname (Li Na, ZHANG Xiaoming, Xiaoming Zhang).
_LATIN_PAIR = re.compile(
    r"[A-Z](?<![A-Za-z].)(?:[a-z]+|[A-Z]+)[ \t](?P<b>[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?|[A-Z]{2,})"
    r"(?:[ \t](?P<c>[A-Z][a-z]+|[A-Z]{2,}))?(?![A-Za-z])"
)
_LATIN_TITLES = frozenset({"Dr", "Prof", "Mr", "Mrs", "Ms", "Miss", "Nurse", "Doctor"})
_HAS_CAPITAL = re.compile("[A-Z][a-z]*\\.?[ \t]+[A-Z]")


class ForeignNames:
    """Scans of ``PersonRecognizer`` for minority, dotted and Latin-letter names."""

    _minority_re: re.Pattern[str] | None
    _minority_one_re: re.Pattern[str]
    _dotted_re: re.Pattern[str]
    _kin_cues: tuple[str, ...]
    _latin_surnames: frozenset[str]
    _latin_other: frozenset[str]

    if TYPE_CHECKING:
        def _entity(self, text: str, start: int, end: int, pattern: str, score: float, note: str) -> Entity: ...

        def _ends_name(self, text: str, pos: int) -> bool: ...

    def _minority_names(self, text: str) -> list[Entity]:
        """扎西次仁, 次仁卓玛, 斯琴高娃: names without a Han surname, two or three known parts in a row, or
        one part after a cue."""
        out: list[Entity] = []
        if self._minority_re is None:
            return out
        last = 0
        taken: list[tuple[int, int]] = []
        for m in self._minority_re.finditer(text):
            s, e = m.span("m")
            if s >= last:  # matches do not overlap, as a plain scan would find them
                out.append(self._entity(text, s, e, "minority", 0.8, "Tibetan, Mongolian or Uyghur name parts"))
                last = e
                taken.append((s, e))
        # one part alone is a name where a field colon or a kinship or title word stands before it and
        # the part visibly ends (丈夫：巴特尔　电话, 长子洛桑在成都, 其侄旦增（翻译）)
        for m in self._minority_one_re.finditer(text):
            s, e = m.span("m")
            if (not any(ts < e and s < te for ts, te in taken)
                    and (text[s - 1:s] in ":：" or text.endswith(self._kin_cues, 0, s)
                         or text[max(0, s - 4):s].rstrip(" \t\u3000").endswith("床"))
                    and (_VISIBLE_END.match(text, e) is not None or self._ends_name(text, e))):
                out.append(self._entity(text, s, e, "minority_one", 0.8, "one Tibetan, Mongolian or Uyghur name after a cue"))
        return out

    def _dotted_names(self, text: str) -> list[Entity]:
        """Transliterated names with a middle dot (阿依古丽·买买提), without a cue word before them."""
        out: list[Entity] = []
        for m in self._dotted_re.finditer(text):
            s, dot = m.start(), m.start() + min(text.find(c, m.start()) % (len(text) + 1) for c in _DOTS)
            while dot - s > 2 and text[s] in _DOTTED_LEAD:  # 由其女古丽娜尔·艾力: the name starts after 由其女
                s += 1
            out.append(self._entity(text, s, m.end(), "dotted", 0.85, "transliterated name with a middle dot"))
        return out

    def _latin_names(self, text: str) -> list[Entity]:
        """Names in Latin letters: after a title (Dr. Chen), or two capitalised words of which one is a
        Pinyin surname and the other a run of one to three Pinyin syllables (Li Na, ZHANG Xiaoming)."""
        out: list[Entity] = []
        for m in _LATIN_TITLE.finditer(text):
            if text[m.start():m.start("n")].split()[0].rstrip(".") not in _LATIN_TITLES:
                continue
            out.append(self._entity(text, m.start("n"), m.end("n"), "latin_title", 0.8, "a name after Dr./Prof./Mr. …"))
        for m in _LATIN_PAIR.finditer(text):
            a, b, c = text[m.start():m.start("b") - 1], m.group("b"), m.group("c")
            sur = self._latin_surnames
            end = m.end()
            if c is not None and not (a.lower() in sur and _PINYIN_WORD.fullmatch(c)):
                end = m.end("b")  # the third word is not a given-name syllable (LEUNG Ka Chun, CHAN KA YI)
                c = None
            if (a.lower() in sur and _PINYIN_WORD.fullmatch(b.replace("-", ""))) or (
                b.lower() in sur and _PINYIN_WORD.fullmatch(a) and len(a) > 2
            ):
                out.append(self._entity(text, m.start(), end, "pinyin", 0.75, "a Pinyin surname and given name"))
            elif c is None and b.lower() in self._latin_other and a[1:].islower() and len(a) >= 3:
                # an English given name before a Cantonese or Wade-Giles surname (Vivian Chow)
                out.append(self._entity(text, m.start(), m.end("b"), "latin_given_surname", 0.7,
                                        "a given name before a Hong Kong, Macao or Taiwan surname"))
        return out
