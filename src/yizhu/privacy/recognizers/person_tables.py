"""Person columns of tables (for ``person.py``).

A header cell that names a person (姓名, 收件人, 执行者, 白班一线 …) makes every cell below it a name,
whatever words its characters spell (a duty roster of 高明, 石磊, 文静). Rows are split like their
header: by bars or tabs, wide gaps, or single ideographic spaces; rows that do not fit are skipped.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from yizhu.privacy.recognizers.namescore import FLOOR, NameScorer
from yizhu.privacy.recognizers.person_foreign import _DOTS
from yizhu.privacy.types import Entity

#: The last character of a person column header (姓名, 收件人, 执行者, 白班一线 …) followed by a cell border or
#: the line end: only lines holding one can head a table with a name column (a quick filter; the header
#: cells are checked by _PERSON_COLUMN).
_HEADER_HINT = re.compile(
    r"[名人者员师生士线班][ \t\u3000]*(?:[|｜\t\u3000]|[ ]{2}|$)", re.M
)
#: A table header cell that names a person: 姓名, 收件人, 执行者, 护士, 白班一线 (a doctor on a duty line).
_PERSON_COLUMN = re.compile(r"(?:姓名|名字|人|者|员|医师|医生|护士|药师|一线|二线|三线|值班|夜班|白班|早班|中班|晚班|听班|备班|签名)$")
#: A note in brackets after a header cell's title (三线(听班), 值班医生（夜）): the title is read without it.
_HEADER_NOTE = re.compile(r"[（(][^（()）]{0,6}[）)]")
#: What separates two names inside one cell (柳絮/汤圆圆, 贺兰、岳红).
_IN_CELL = re.compile(r"[ \t\u3000]*[/／、][ \t\u3000]*")
#: Cell borders: a bar or a tab; a gap of two or more spaces; a single ideographic space.
_BAR = re.compile(r"[ \t\u3000]*[|｜\t][ \t\u3000]*")
_WIDE = re.compile(r"[ \u3000]{2,}")
_NARROW = re.compile(r"\u3000+[ ]*|[ ]{2,}")
_SPLITTERS = (_BAR, _WIDE, _NARROW)
#: What may stand before a spaced name that fills a cell: the line start, a cell border, a colon, or a bed.
_CELL_BEFORE = frozenset("\n\t|｜\u3000:：")
#: The end of a cell holding a spaced name: a wide gap or an ideographic space, the line end, a bar, a space
#: before a number or a sex (陶　然　男, 裘　实 2026-10-19, 马　丁　177…).
_CELL_END = re.compile(r"[ \t\u3000]{2,}|\u3000|[ \t\u3000]*(?:\n|$|[|｜])|[ \t\u3000]+(?:\d|[男女])")
#: What opens a numbered row before its first cell: a number of one to three digits, an optional mark, a space.
_NUMBERED_ROW = re.compile(r"[ \t\u3000]*\d{1,3}[.、．)）]?[ \t\u3000]+")
#: The end of the first cell of a numbered row: as a cell's, or a space before a code, or a bracket.
_NUMBERED_END = re.compile(r"[ \t\u3000]{2,}|\u3000|[ \t\u3000]*(?:\n|$|[|｜（(])|[ \t\u3000]+(?:[0-9A-Za-z]|[男女])")
#: Least given-name bucket (data/name_model.yaml) of each given character of a spaced name in a cell: a form
#: label spaced the same way (项　目, 金　额, 职　业) has a given character that names almost never use.
SPACED_CELL_BUCKET = -1
#: Numerals and day words: 周　一 … 周　日 head the columns of a weekly schedule.
_NUMERALS = frozenset("一二三四五六七八九十日天")


def cell_spans(line: str, splitter: re.Pattern[str]) -> list[tuple[int, int]]:
    """The (start, end) of each cell of ``line`` between the matches of ``splitter`` (empty cells included)."""
    out, pos = [], 0
    for m in splitter.finditer(line):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(line)))
    return out


def _split_row(line: str) -> tuple[list[str], re.Pattern[str]]:
    """The cells of a header line and the border that splits it (bars, then wide gaps, then narrow ones)."""
    for splitter in _SPLITTERS:
        cells = [line[s:e] for s, e in cell_spans(line, splitter)]
        if len(cells) >= 3:
            return cells, splitter
    return [line], _BAR


def _cells(line: str, n: int, splitter: re.Pattern[str]) -> list[tuple[int, int]] | None:
    """Spans of the ``n`` cells of a row, split like its header (or, for gaps, by the other gap); None
    when it does not fit."""
    for sp in (splitter,) if splitter is _BAR else (splitter, _NARROW if splitter is _WIDE else _WIDE):
        spans = cell_spans(line, sp)
        if len(spans) == n:
            return spans
    return None


class TableNames:
    """The table scan of ``PersonRecognizer``."""

    _roles: frozenset[str]
    _not_names: set[str]
    _weak: frozenset[str]
    _nonname: frozenset[str]
    _score: NameScorer
    _spaced_cell_res: tuple[re.Pattern[str], ...]
    _blocklist: dict[str, list[str]]

    if TYPE_CHECKING:
        def _entity(self, text: str, start: int, end: int, pattern: str, score: float, note: str) -> Entity: ...


    def _spaced_cells(self, text: str) -> list[Entity]:
        """Names written with one space between their characters that fill a cell of a roster, a list or a
        signature line (9床 陶　然　男, 1号机　温　暖　　　HD, 4　　马　丁　177…, 随访医生：纳　兰　2026-…): a surname
        after a line start, a cell border, a colon or a bed, its one or two given characters spaced the same
        way, and the cell's end (a wide gap, the line end, a number or a sex) right after. Spaced form labels
        (项　目, 金　额, 职　业：) are not taken: their second character is one names almost never use; nor are
        weekday columns (周　二), clinical words of the blocklist (金　银　花) or a surname and a character that
        spell a common word."""
        out: list[Entity] = []
        given = self._score.given
        for m in (m for r in self._spaced_cell_res for m in r.finditer(text)):
            s, e = m.start() - 1, m.end()
            prev = text[s - 1:s]
            # the first cell of a numbered row (1 葛 佑 ZY…, 1. 查 理（体检号…）): a slot that only a name fills
            numbered = _NUMBERED_ROW.fullmatch(text, text.rfind("\n", 0, s) + 1, s) is not None
            if prev == " " and not numbered:  # one plain space before: only after a bed (9床 陶　然) or a gap
                prev2 = text[s - 2:s - 1]
                if prev2 not in ("", " ", "\u3000", "\t", "\n", "床"):
                    continue
            elif prev and prev not in _CELL_BEFORE and not numbered:
                continue
            if text[s] in self._weak and not numbered:
                continue
            sep = text[s + 1]
            ends = _NUMBERED_END if numbered else _CELL_END
            ok = [k for k in (e + 2, e) if k <= len(text) and (k == e or (
                text[e] == sep and "\u4e00" <= text[e + 1] <= "\u9fff" and text[e + 1] not in "男女"))
                and ends.match(text, k) is not None
                and ((numbered and k == e) or not any(c in self._nonname or given.get(c, FLOOR) < SPACED_CELL_BUCKET
                                                       for c in text[s + 2:k:2]))]
            if not ok:
                continue
            e = ok[0]
            core = text[s:e:2]
            if (core in self._roles or (core[:2] in self._score.words and not numbered)
                    or any(c in _NUMERALS for c in core[1:])
                    or any((core.startswith(w) or w.startswith(core)) and not (numbered and w == core and len(core) == 2)
                           for w in self._blocklist.get(core[0], ()))):
                continue  # 金　银　花 (a herb), 周　二 (a weekday column)
            out.append(self._entity(text, s, e, "spaced_cell", 0.8, "a spaced name filling a cell"))
        return out

    def _table_names(self, text: str) -> list[Entity]:
        """Names in the columns of a table whose header names a person (姓名, 收件人, 执行者, 白班一线 …):
        every cell of that column in the rows below is a name, whatever words its characters spell
        (a duty roster of 高明, 石磊, 文静), unless it is a role word or a placeholder (无名氏)."""
        out: list[Entity] = []
        done = -1  # the end of the last table read
        for hint in _HEADER_HINT.finditer(text):
            start = text.rfind("\n", 0, hint.start()) + 1
            if start <= done:
                continue
            end = text.find("\n", hint.end())
            end = len(text) if end < 0 else end
            header, splitter = _split_row(text[start:end])
            cols = [k for k, c in enumerate(header)
                    if _PERSON_COLUMN.search(_HEADER_NOTE.sub("", c.replace(" ", "").replace("\u3000", "")))]
            done = end
            if len(header) < 3 or not cols or any(len(c) > 10 or "：" in c or ":" in c for c in header):
                continue  # a header is a row of short titles, not a line of form fields (职业：教师　陈述者：本人)
            pos = end + 1
            while pos < len(text):  # the rows below, up to a blank line
                stop = text.find("\n", pos)
                stop = len(text) if stop < 0 else stop
                line = text[pos:stop]
                if not line.strip():
                    break
                cells = _cells(line, len(header), splitter)
                for k in cols if cells is not None else ():  # a row broken by OCR or a note is skipped
                    cs, ce = cells[k]  # type: ignore[index]
                    # a cell may hold two names of one shift (柳絮/汤圆圆, 贺兰、岳红)
                    parts = [(cs + a, cs + b) for a, b in cell_spans(line[cs:ce], _IN_CELL)] if _IN_CELL.search(
                        line, cs, ce) else [(cs, ce)]
                    for ps, pe in parts:
                        core = line[ps:pe].replace(" ", "").replace("\u3000", "")
                        if (1 < len(core) <= 5 and all("\u4e00" <= c <= "\u9fff" or c in _DOTS for c in core)
                                and core not in self._roles and core not in self._not_names):
                            out.append(self._entity(text, pos + ps, pos + pe, "table_column", 0.8,
                                                    f"in the column {header[k].strip()!r} of a table"))
                done = stop
                pos = stop + 1
        return out
