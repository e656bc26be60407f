"""The name shape and the learned name model, for names with a weak cue or none (for ``person.py``).

A weakly cued candidate is a surname (单姓 or 复姓) and one or two given characters that are common in
names (the hand list plus every character the learned model of ``namescore.py`` rates high), or rarer
ones where the name visibly ends. A candidate with no cue word but its place in a clause (…，邬蔓菁诉,
值班：冼浩然) is scored by the name model; one the model reads as a word (患者舒适) is dropped.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from yizhu.privacy.recognizers.namescore import NameScorer
from yizhu.privacy.recognizers.person_cues import (
    _AFTER_NAME,
    _FIELD_END,
    _FIELD_MARKS,
    _PSEUDONYM_NOT_BEFORE,
    _SEX_AFTER,
    _SEX_WORDS,
    _VISIBLE_END,
    _YI_WORDS,
    FREE_SCORE,
    FREE_WEAKEST,
    SEX_SCORE,
    WORD_WEAKEST,
)
from yizhu.privacy.types import Entity


class NameShape:
    """Name-shape tests and the cue-less clause scan of ``PersonRecognizer``."""

    _blocklist: dict[str, list[str]]
    _compounds: frozenset[str]
    _surnames: frozenset[str]
    _given: frozenset[str]
    _weak: frozenset[str]
    _nonname: frozenset[str]
    _follow: tuple[str, ...]
    _verbs: tuple[str, ...]
    _person_next: tuple[str, ...]
    _roles: frozenset[str]
    _not_names: set[str]
    _score: NameScorer
    _after_firsts: frozenset[str]
    _clause_res: tuple[re.Pattern[str], ...]
    _colon_labels: tuple[str, ...]
    _spaced_list_re: re.Pattern[str]
    _spaced_re: re.Pattern[str]

    if TYPE_CHECKING:
        def _entity(self, text: str, start: int, end: int, pattern: str, score: float, note: str) -> Entity: ...

    def blocked(self, text: str, start: int) -> str | None:
        """The blocklisted word that starts at ``start``, if any."""
        for w in self._blocklist.get(text[start:start + 1], ()):
            if text.startswith(w, start):
                return w
        return None

    def _wordlike(self, text: str, start: int, end: int) -> bool:
        """A candidate after a bare cue (患者舒适, 患者高明显) that the name model reads as a word: its
        surname and first given character spell a common word, or a given character almost never
        stands in a name (罗哌卡因, 梅尼埃病)."""
        k = 2 if text[start:start + 2] in self._compounds else 1
        given = text[start + k:end]
        if not given or "某" in given:
            return False
        sc = self._score
        if sc.known_bad(given, WORD_WEAKEST):
            return True
        # a word whose end is visible (患者金花，诉…) is still a name; one that runs on (舒适体位) is not
        return k == 1 and text[start:start + 2] in sc.words and not _VISIBLE_END.match(text, end)


    def shape_end(self, text: str, start: int, *, weak_ok: bool = False) -> int | None:
        """End of the name that starts at ``start`` by its shape, or None.

        A surname (单姓 or 复姓), then 某/某某 or one or two common given-name characters, stopping
        before a word that follows names (性别, 主任, 家属 …). Surnames that are mostly function words
        (于, 和, 常 …) start a name here only as 某.
        """
        if text[start:start + 2] in self._compounds:
            pos = start + 2
        elif text[start:start + 1] in self._surnames:
            pos = start + 1
        else:
            return None
        if text[pos:pos + 1] == "某":
            n = 2 if text[pos + 1:pos + 2] == "某" else 1
            nxt = text[pos + n:pos + n + 1]
            return None if nxt and nxt in _PSEUDONYM_NOT_BEFORE else pos + n
        if not weak_ok and pos == start + 1 and text[start] in self._weak:  # 公孙 is a surname, 公 alone mostly not
            return None
        end = pos
        while end - pos < 2:
            c = text[end:end + 1]
            if c == "一":  # 王一鸣, but not 王一般 / 王一天
                if text[end + 1:end + 2] not in self._given or text[end:end + 2] in _YI_WORDS:
                    break
            elif c not in self._given:
                break
            elif text.startswith(self._follow, end):
                # a character that also starts a following word (和, 家) ends the name only
                # where nothing of a word follows it (殷正和，男 but 张三和李四)
                nxt = text[end + 1:end + 2]
                if end == pos or (nxt and "\u4e00" <= nxt <= "\u9fff" and nxt not in _AFTER_NAME):
                    break
            end += 1
        if end > pos and self._ends_name(text, end):
            return end
        # a rarer given character is taken where the name visibly ends: before punctuation, a
        # space, a word that follows names (性别, 主任, 之女) or a verb of acting (执行, 沟通)
        for n in (2, 1):
            cut = pos + n
            if cut <= end or cut > len(text):
                continue
            part = text[pos:cut]
            if all("\u4e00" <= c <= "\u9fff" and c not in self._nonname for c in part) and self._ends_name(text, cut):
                return cut
        return end if end > pos else None

    def _ends_name(self, text: str, pos: int) -> bool:
        nxt = text[pos:pos + 1]
        if not nxt or not ("\u4e00" <= nxt <= "\u9fff"):
            return True
        return (nxt in _AFTER_NAME or text.startswith(self._follow, pos) or text.startswith(self._verbs, pos)
                or text.startswith(self._person_next, pos))

    def _clause_names(self, text: str) -> list[Entity]:
        """Names with no cue word but their place (…，邬蔓菁诉夜间胸闷; 患儿，左小麦，男; 建议王芳明日复查;
        值班：冼浩然; | 纪晓岚 |): after a clause mark, a field colon, a cell border or a hand-over word, a
        name shape that the learned model scores as a name, followed by a person's verb or title, by the
        sex (，男: any score), or — after a colon, a cell border or an opening quote — by the visible end
        of the field."""
        out: list[Entity] = []
        sc = self._score
        for m in self._spaced_list_re.finditer(text):  # 急诊科：冉　冰、查　理
            s = m.end()
            spaced = self._spaced_re.match(text, s)
            if spaced is not None and not self.blocked(text, s):
                out.append(self._entity(text, s, spaced.end(), "clause_spaced", 0.8, "an alignment-spaced name in a field or list"))
        after = self._after_firsts
        for m in (m for r in self._clause_res for m in r.finditer(text)):
            s = m.end("v")
            # cheap first: a name of two or three characters ends before something a name can stand before
            if text[s + 2:s + 3] not in after and text[s + 3:s + 4] not in after and text[s + 4:s + 5] not in after:
                continue
            mark = text[m.start()]
            if mark in "：:" and text.endswith(self._colon_labels, 0, m.start()):
                continue  # a known label: its own patterns read the name after it
            e = self.shape_end(text, s)
            if e is None or e - s < 2:
                continue
            if e - s == 3 and text.startswith(self._person_next, e - 1):  # 王芳明日复查: 明日 is the time
                e -= 1
            if _SEX_AFTER.match(text, e) is not None or text.startswith(_SEX_WORDS, e):
                need = SEX_SCORE
            elif (text.startswith(self._person_next, e)
                  or (mark in _FIELD_MARKS and _FIELD_END.match(text, e) is not None)
                  or (mark in "“‘「" and text[e:e + 1] in "”’」")
                  or (mark in "（(" and text[e:e + 1] in "）)")
                  or (mark in "@＠" and (_VISIBLE_END.match(text, e) is not None or text[e:e + 1] in " \u3000"))
                  or (mark == "_" and text[e:e + 1] in "_＿")
                  or (mark not in _FIELD_MARKS and text[e:e + 1] in "。！？!?")):
                need = FREE_SCORE
            else:
                continue
            k = 2 if text[s:s + 2] in self._compounds else 1
            given = text[s + k:e]
            if sc.score(text[s:s + k], given) < need or (need > SEX_SCORE and sc.weakest(given) < FREE_WEAKEST):
                continue
            if self.blocked(text, s) or text[s:e] in self._roles or text[s:e] in self._not_names:
                continue
            out.append(self._entity(text, s, e, "clause", 0.8, "a name-shaped word the name model scores, in a person's place"))
        return out
