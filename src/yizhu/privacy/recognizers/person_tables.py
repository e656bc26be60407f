"""Person columns of tables (for ``person.py``).

A header cell that names a person (姓名, 收件人, 执行者, 白班一线 …) makes every cell below it a name,
whatever words its characters spell (a duty roster of 高明, 石磊, 文静). Rows are split like their
header: by bars or tabs, wide gaps, or single ideographic spaces; rows that do not fit are skipped.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from yizhu.privacy.recognizers.person_foreign import _DOTS
from yizhu.privacy.types import Entity

#: The last character of a person column header (姓名, 收件人, 执行者, 白班一线 …) followed by a cell border or
#: the line end: only lines holding one can head a table with a name column (a quick filter; the header
#: cells are checked by _PERSON_COLUMN).
_HEADER_HINT = re.compile(
    r"[名人者员师生士线班][ \t\u3000]*(?:[|｜\t\u3000]|[ ]{2}|$)", re.M
)
#: A table header cell that names a person: 姓名, 收件人, 执行者, 护士, 白班一线 (a doctor on a duty line).
_PERSON_COLUMN = re.compile(r"(?:姓名|名字|人|者|员|医师|医生|护士|药师|一线|二线|三线|值班|签名)$")
#: Cell borders: a bar or a tab; a gap of two or more spaces; a single ideographic space.
_BAR = re.compile(r"[ \t\u3000]*[|｜\t][ \t\u3000]*")
_WIDE = re.compile(r"[ \u3000]{2,}")
_NARROW = re.compile(r"\u3000+[ ]*|[ ]{2,}")
_SPLITTERS = (_BAR, _WIDE, _NARROW)


def _spans(line: str, splitter: re.Pattern[str]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in splitter.finditer(line):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(line)))
    return out


def _split_row(line: str) -> tuple[list[str], re.Pattern[str]]:
    """The cells of a header line and the border that splits it (bars, then wide gaps, then narrow ones)."""
    for splitter in _SPLITTERS:
        cells = [line[s:e] for s, e in _spans(line, splitter)]
        if len(cells) >= 3:
            return cells, splitter
    return [line], _BAR


def _cells(line: str, n: int, splitter: re.Pattern[str]) -> list[tuple[int, int]] | None:
    """Spans of the ``n`` cells of a row, split like its header (or, for gaps, by the other gap); None
    when it does not fit."""
    for sp in (splitter,) if splitter is _BAR else (splitter, _NARROW if splitter is _WIDE else _WIDE):
        spans = _spans(line, sp)
        if len(spans) == n:
            return spans
    return None


class TableNames:
    """The table scan of ``PersonRecognizer``."""

    _roles: frozenset[str]
    _not_names: set[str]

    if TYPE_CHECKING:
        def _entity(self, text: str, start: int, end: int, pattern: str, score: float, note: str) -> Entity: ...

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
            cols = [k for k, c in enumerate(header) if _PERSON_COLUMN.search(c.replace(" ", "").replace("\u3000", ""))]
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
                    core = line[cs:ce].replace(" ", "").replace("\u3000", "")
                    if (1 < len(core) <= 5 and all("\u4e00" <= c <= "\u9fff" or c in _DOTS for c in core)
                            and core not in self._roles and core not in self._not_names):
                        out.append(self._entity(text, pos + cs, pos + ce, "table_column", 0.8,
                                                f"in the column {header[k].strip()!r} of a table"))
                done = stop
                pos = stop + 1
        return out
