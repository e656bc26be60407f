"""Identifier columns of tables: a header cell that names an identifier (住院号, 手机, 身份证号 …) makes the cell
below it in every row of the table that identifier, though no label stands beside the value.

A handover sheet, a follow-up call list or a records-copy mailing list prints its labels once, in the header
row; the rows hold bare values (| 3 | 张三 | 2026004172 | 138… |), which the labelled patterns never see. Rows
are split like their header (bars or tabs, else gaps of two or more spaces, else ideographic spaces); a row that
does not split into as many cells, or a blank line, ends the table. A cell is taken only when it looks like an
identifier: at least four digits among letters, digits, spaces and dashes (a plate: a province character, a
letter and five more; a bed: one to three digits, 加2, ICU-7), so a dash or 无 in the column stays.

A header no list names is read like a label (``number_label.py``): a short noun ending in 号/码 or ID/No. (工号, 学籍号,
筛选号, 血袋号, 受试者ID) heads a RECORD_ID column unless its number belongs to no person (批号, 型号, 序号, 床号, 药品编码).
"""

from __future__ import annotations

import re

from yizhu.privacy.recognizer import Recognizer
from yizhu.privacy.recognizers._data import IdColumnData, load_data
from yizhu.privacy.recognizers.number_label import NumberLabelRecognizer
from yizhu.privacy.recognizers.person_tables import cell_spans
from yizhu.privacy.types import Entity, Explanation

_BAR = re.compile(r"[ \t\u3000]*[|｜\t][ \t\u3000]*")
_WIDE = re.compile(r"[ \u3000]{2,}|\u3000")
_SPLITTERS = (_BAR, _WIDE)
#: A cell value that is an identifier: letters, digits, spaces, dashes and dots with four digits or more.
_VALUE = re.compile(r"(?=(?:[^0-9]*[0-9]){4})[A-Za-z0-9@._+\-() ]{4,40}")
#: A plate: a province character, a letter, then five or six letters and digits.
_PLATE = re.compile(r"[\u4e00-\u9fff][A-Z][·・.\- ]?[A-Z0-9]{5,6}")
#: A bed: one to three digits, perhaps after 加/+ or a unit's letters (加2, ICU-7, ICU-加01, 3-12), perhaps after its
#: ward's name (心内9, 急诊留观6), perhaps with 床.
_BED = re.compile(r"[\u4e00-\u9fff]{0,6}(?:加|[+＋]|[A-Za-z]{1,4}[-－]?加?)?\d{1,3}(?:[-－]\d{1,2})?床?")
_SOCIAL = re.compile(r"[A-Za-z][-_A-Za-z0-9]{4,29}|[1-9]\d{4,11}")
_COLUMN_VALUES = {"PLATE": _PLATE, "SOCIAL_ID": _SOCIAL, "BED": _BED}
_MAX_HEADER_CELL = 8
#: A header cell that names a number though no list holds it: a Chinese noun ending in 号/码, or one before ID/No.
_NUMBER_HEAD = re.compile(r"[\u4e00-\u9fff]{1,7}[号码]|[\u4e00-\u9fff]{1,6}(?:ID|No\.?)|[A-Za-z]+(?:ID|No\.?)")


def _spans(line: str, splitter: re.Pattern[str]) -> list[tuple[int, int]]:
    """The line's cells, without the empty cell before a leading bar or after a trailing one."""
    out = cell_spans(line, splitter)
    if line.startswith(("|", "｜")) and out and out[0] == (0, 0):
        out = out[1:]
    if out and out[-1][0] == out[-1][1] == len(line):
        out = out[:-1]
    return out


class IdentifierColumnRecognizer(Recognizer):
    """Identifiers in the columns of a table headed by their label."""

    name = "phi.id_columns.v1"
    entity = "RECORD_ID"
    description = "identifier columns of tables (住院号, 手机, 身份证号 … in a header row)"

    def __init__(self, data: IdColumnData | None = None, numbers: NumberLabelRecognizer | None = None) -> None:
        d = data or load_data("id_columns.yaml", IdColumnData)
        self._numbers = numbers or NumberLabelRecognizer()
        self.source = d.source
        self._types = {h: t for t, heads in d.columns.items() for h in heads}
        # a quick filter: the last character of a header word followed by a cell border or the line end (a
        # class first, so the regex engine skips to it in C); the word itself is checked on each hit
        lasts = "".join(sorted({re.escape(h[-1]) for h in self._types} | {"号", "码", "D"}))
        self._hint = re.compile(f"[{lasts}](?=[ \\t\\u3000]*(?:[|｜\\t\\u3000]|[ ]{{2}}|$))", re.M)
        self._heads = tuple(sorted(self._types, key=len, reverse=True))
        super().__init__(())

    def _names_number(self, cell: str) -> bool:
        """True when a header cell no list holds names a person's number (工号, 学籍号, 筛选号), not a thing's (批号)."""
        return _NUMBER_HEAD.fullmatch(cell) is not None and not self._numbers.excluded(cell)

    def _column_type(self, cell: str) -> str | None:
        """The type of the cells under a header cell, or None; a header naming two fields (住院/门诊号, 电话/手机)
        is read by each name."""
        for name in (cell, *cell.split("/")) if "/" in cell else (cell,):
            if name in self._types:
                return self._types[name]
            if self._names_number(name):
                return "RECORD_ID"
        return None

    def _number_head(self, tail: str) -> bool:
        """True when the text before a cell border ends in a header that names a number."""
        m = _NUMBER_HEAD.search(tail)
        return m is not None and m.end() == len(tail) and not self._numbers.excluded(m.group(0))

    def extra(self, text: str) -> list[Entity]:
        out: list[Entity] = []
        done = -1
        for hint in self._hint.finditer(text):
            start = text.rfind("\n", 0, hint.start()) + 1
            if start <= done or not (text.endswith(self._heads, max(start, hint.end() - 6), hint.end())
                                     or self._number_head(text[max(start, hint.end() - _MAX_HEADER_CELL):hint.end()])):
                continue
            end = text.find("\n", hint.start())
            end = len(text) if end < 0 else end
            done = end
            header = text[start:end]
            for splitter in _SPLITTERS:
                spans = _spans(header, splitter)
                if len(spans) >= 3:
                    break
            else:
                continue
            cells = [header[s:e].replace(" ", "").replace("\u3000", "") for s, e in spans]
            if any(len(c) > _MAX_HEADER_CELL or ":" in c or "：" in c for c in cells):
                continue  # a line of form fields (住院号：123　床号：4), not a header row
            cols = [(k, typ) for k, c in enumerate(cells) if (typ := self._column_type(c)) is not None]
            if not cols:
                continue
            pos = end + 1
            while pos < len(text):
                stop = text.find("\n", pos)
                stop = len(text) if stop < 0 else stop
                line = text[pos:stop]
                if not line.strip():
                    break
                if set(line.strip()) <= set("|｜-—:： \t"):  # a markdown rule under the header
                    pos = stop + 1
                    continue
                row = _spans(line, splitter)
                if len(row) != len(spans) and len(raw := cell_spans(line, splitter)[int(line[:1] in "|｜"):]) == len(
                        spans) and all(not line[s:e].strip() for s, e in raw[len(row):]):
                    row = raw  # a row whose last cells are empty (| ICU-02 | 空床 | | |)
                if len(row) != len(spans):
                    break
                for k, typ in cols:
                    s, e = row[k]
                    while s < e and line[s] in " \u3000":
                        s += 1
                    while e > s and line[e - 1] in " \u3000":
                        e -= 1
                    value = line[s:e]
                    rx = _COLUMN_VALUES.get(typ, _VALUE)
                    if rx.fullmatch(value):
                        out.append(Entity(typ, pos + s, pos + e, value, self.name, 0.8,
                                          Explanation(self.name, "column", 0.8, context_word=cells[k],
                                                      note=f"in the column {cells[k]!r} of a table")))
                done = stop
                pos = stop + 1
        return out
