"""Names in speech and chat: speaker labels that open a turn, and names beside a role in brackets
(for ``person.py``).

梁建华：医生，我…, [09:15] 梁淑芬：…, 心内科王建国：…, 【梁淑芬】…; given-name-only speakers (晓雯：…);
chat exports with a role or the real name in brackets (丁慧（随访护士）, 阳光明媚（宋晓光）); a surname in
brackets after a role (医生（张）：…).
"""

from __future__ import annotations

import re
from operator import methodcaller
from typing import TYPE_CHECKING

from yizhu.privacy.recognizers.namescore import NameScorer
from yizhu.privacy.recognizers.person_cues import (
    _AFTER_NAME,
    _GIVEN_SPEAKER,
    _GIVEN_SPEAKER_AT,
    _LINE_STAMP,
    _PATIENT_NOTE,
    _ROLE_ENDINGS,
    FLOOR_BUCKET,
    GIVEN_SPEAKER_BUCKET,
)
from yizhu.privacy.types import Entity

_start = methodcaller("start")


class SpeechNames:
    """The speaker and bracket scans of ``PersonRecognizer``."""

    _paren_re: re.Pattern[str]
    _paren_role_re: re.Pattern[str]
    _role_before_re: re.Pattern[str]
    _speaker_scans: tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]
    _name_firsts: frozenset[str]
    _surnames: frozenset[str]
    _weak: frozenset[str]
    _roles: frozenset[str]
    _role_endings: tuple[str, ...]
    _nonname: frozenset[str]
    _score: NameScorer

    if TYPE_CHECKING:
        def _entity(self, text: str, start: int, end: int, pattern: str, score: float, note: str) -> Entity: ...

        def shape_end(self, text: str, start: int, *, weak_ok: bool = False) -> int | None: ...

        def blocked(self, text: str, start: int) -> str | None: ...

        def _slot_value_ok(self, value: str, *, given_only: bool = False, hard: bool = False,
                           named: bool = False) -> bool: ...

    def _paren_names(self, text: str) -> list[Entity]:
        """Chat exports: 丁慧（随访护士） / 阳光明媚（宋晓光）; …，严冬梅（患者女儿）陪同; 医生（张）：…"""
        out: list[Entity] = []
        for m in self._paren_re.finditer(text):
            role, q = m.group("r"), m.start()
            line = text.rfind("\n", 0, q) + 1
            line = _LINE_STAMP.match(text, line).end()  # a chat export's date and time stamp
            head = text[line:q].strip(" \t\u3000")
            run = 0  # the run of Chinese characters right before the bracket
            while run < q - line and "\u4e00" <= text[q - 1 - run] <= "\u9fff":
                run += 1
            at_line_start = 0 < len(head) <= 12 and not any(c in head for c in "：:（(")
            if self._paren_role_re.search(role) is not None or role.endswith(_ROLE_ENDINGS) or _PATIENT_NOTE.search(role):
                # 丁慧（随访护士）at the start of a line; …，严冬梅（患者女儿）陪同; 12.03  花木兰（志愿者）: the run of characters
                # before the bracket when the line holds more than a name
                spans = ([(text.index(head, line), text.index(head, line) + len(head))] if at_line_start else []) + (
                    [(q - run, q)] if 2 <= run <= 4 else [])
                for s, e in spans:
                    value = text[s:e]
                    if value in self._roles or (self.shape_end(text, s) != e and not self._role_paren_value(text, s, e)):
                        continue
                    w = self.blocked(text, s)
                    if w is None or (len(w) == e - s and self._role_paren_value(text, s, e)):
                        out.append(self._entity(text, s, e, "paren_header", 0.8, "name beside a role in brackets"))
                        break
                continue
            elif at_line_start or self._role_before_re.search(text, max(line, q - 6), q) is not None:
                # 阳光明媚（宋晓光）: a nickname, then the real name; 患者本人（谭秀兰）: a role, then the name
                s, e = m.span("r")
            else:
                continue
            value = text[s:e]
            if e - s == 1 and value in self._surnames and value not in self._weak and text[m.end():m.end() + 1] in ":：":
                # 医生（张）：… a speaker known by surname only
                out.append(self._entity(text, s, e, "paren_surname", 0.75, "surname of a speaker in brackets"))
            elif value not in self._roles and self.shape_end(text, s) == e and not self.blocked(text, s):
                out.append(self._entity(text, s, e, "paren_header", 0.8, "name beside a role in brackets"))
        return out

    def _role_paren_value(self, text: str, s: int, e: int) -> bool:
        """Two or three characters before a person's role in brackets that are a name whatever they spell (杜若（孕妇）,
        赛力克（医师）): a slot's value (a surname or given characters names use), standing after no Chinese character
        or after a list mark (session deidnames5)."""
        value = text[s:e]
        if value.endswith(_ROLE_ENDINGS) or self._paren_role_re.search(value) is not None:
            return False  # 申请人（患者）: a role before a role
        if value[0] in self._weak or value[-1] in _AFTER_NAME:
            return False  # 由李岩（…）, 刘洋述（…）: a preposition or a verb of the sentence is no part of the name
        return 2 <= len(value) <= 3 and (s == 0 or not ("\u4e00" <= text[s - 1] <= "\u9fff")) and self._slot_value_ok(
            value, given_only=True)

    def _given_speakers(self, text: str) -> list[Entity]:
        """A speaker label of two given-name characters opening a line (晓雯：妈，我来了)."""
        out: list[Entity] = []
        m0 = _GIVEN_SPEAKER_AT.match(text)
        for m in ([m0] if m0 is not None else []) + list(_GIVEN_SPEAKER.finditer(text)):  # 晓雯：妈，我来了
            g = m.group("g")
            if g not in self._roles and all(self._score.given.get(c, FLOOR_BUCKET) >= GIVEN_SPEAKER_BUCKET for c in g):
                out.append(self._entity(text, m.start("g"), m.end("g"), "given_speaker", 0.75,
                                        "a speaker label of two given-name characters"))
        return out

    def _speaker_names(self, text: str) -> list[Entity]:
        """Names that open a dialogue turn (梁建华：医生，我…, 【梁淑芬】…)."""
        out: list[Entity] = []
        firsts = self._name_firsts
        for m in self._speaker_turns(text):
            s, e = m.span("n") if m.group("n") else m.span("b")
            if text[s] not in firsts:  # the shape below needs a surname first (姓名：, 主诉： are not)
                continue
            value = text[s:e]
            if value in self._roles or value.endswith(self._role_endings) or self.blocked(text, s):
                continue
            cut = self.shape_end(text, s)
            # the colon ends the name: take all of it when a name shape opens it (项东来：, where
            # 来 alone would end the shape)
            if cut == e or (cut is not None and cut - s >= 2 and e - s <= 4
                            and not any(c in self._nonname for c in value)):
                out.append(self._entity(text, s, e, "speaker", 0.8, "speaker label opening a turn"))
        return out

    def _speaker_turns(self, text: str) -> list[re.Match[str]]:
        """Speaker labels opening a turn, in text order (groups ``n`` or ``b`` hold the name)."""
        first, lines, sentences = self._speaker_scans
        found = [*lines.finditer(text), *sentences.finditer(text)]
        found.sort(key=_start)
        m0 = first.match(text)
        return found if m0 is None else [m0, *found]
