"""Organisation names: hospitals, clinics, employers and schools, found from their suffix.

Chinese institution names end in a type word (医院, 卫生院, 有限公司, 大学 …) and start after a
preposition or verb (于, 在, 转至, 就职于). The recognizer takes the characters before a suffix and
cuts them at the last boundary word; what remains must say which institution it is — 当地医院,
上级医院 and 县人民医院 name no particular one and are left alone. Employers are also taken from
labels (工作单位：…).
"""

from __future__ import annotations

import re

from yizhu.privacy.recognizer import Pattern, Recognizer
from yizhu.privacy.recognizers._data import OrgData, load_data
from yizhu.privacy.types import PHIType

_NAME_CHARS = "[\u4e00-\u9fff0-9A-Za-z（）()]"
_DATE_TAIL = re.compile(r".*\d+\s*[年月日号时点分]")
_OPEN_PAREN = re.compile(r".*[（(](?=[^）)]*$)")
_NUMERAL = re.compile(r"第?[0-9一二三四五六七八九十〇零]+")
#: Unit words of a place name: a one-character boundary word right after one starts the next place name.
_ADMIN_END = frozenset("省市区县州旗盟镇乡")
#: A grade and class after a school's name (五年级3班, 初二（3）班, 高三7班, 大班, 2023级临床医学1班, 临床医学2023级3班).
_CLASS = re.compile(
    r"(?:[0-9一二三四五六七八九]年级|[初高][一二三]|大[一二三四五]|[\u4e00-\u9fff]{0,8}?(?:19|20)\d{2}级[\u4e00-\u9fff]{0,8}?)?"
    r"(?:[（(]?[0-9一二三四五六七八九十]{1,2}[)）]?班|[大中小]班)"
    r"|[0-9一二三四五六七八九]年级|[初高][一二三](?![\u4e00-\u9fff])"
)
#: The class right after the school's name, after one space, or in brackets (西湖小学（五年级3班）).
_CLASS_AFTER = re.compile(f"(?:[ \u3000]?(?:{_CLASS.pattern})|[（(](?:{_CLASS.pattern})[）)])")


class OrganisationRecognizer(Recognizer):
    """Hospitals, clinics, companies and schools named in the text."""

    name = "phi.org.v1"
    entity = PHIType.ORG.value
    description = "organisation names: hospitals, clinics, employers, schools"

    def __init__(self, data: OrgData | None = None) -> None:
        d = data or load_data("org.yaml", OrgData)
        self.data = d
        self.source = d.source
        value = f"{_NAME_CHARS}{{2,30}}?(?=[，。；;,、\\s]|$)"
        colon_labels = tuple(x for x in d.employer_labels if not x.endswith("于"))
        verb_labels = tuple(x for x in d.employer_labels if x.endswith("于"))
        patterns = [
            Pattern(
                "suffix",
                f"{_NAME_CHARS}{{1,20}}",
                0.85,
                labels=tuple(d.suffixes),
                label_position="after",
                include_label=True,
                window=20,
            ),
            # the label may say more before its colon (工作单位及职务：, 单位/电话：)
            Pattern("employer", f"(?:[及/、或和][\u4e00-\u9fff]{{1,4}})?\\s*[:：]\\s*(?P<phi>{value})", 0.85,
                    labels=colon_labels),
            Pattern("employer_verb", f"\\s*(?P<phi>{value})", 0.8, labels=verb_labels),
        ]
        super().__init__(patterns)
        self._boundary = re.compile("|".join(re.escape(w) for w in sorted(d.boundary_words, key=len, reverse=True)))
        self._generic = re.compile("|".join(re.escape(w) for w in sorted(d.generic_parts, key=len, reverse=True)))
        self._generic_values = set(d.generic_values)
        self._suffixes = sorted(d.suffixes, key=len, reverse=True)
        self._not_followed = d.not_followed_by
        self._class_after = frozenset(d.class_after)
        self._national_prefixes = tuple(d.national_prefixes)
        self._national_suffixes = frozenset(d.national_suffixes)
        self._branch_suffixes = frozenset(d.bank_branch_suffixes)
        subjects = sorted(d.faculty_subjects, key=len, reverse=True)
        self._faculty = re.compile("(?:" + "|".join(map(re.escape, subjects)) + ")+") if subjects else None
        words = sorted(d.name_words, key=len, reverse=True)
        self._name_words = re.compile("|".join(re.escape(w) for w in words)) if words else None

    def _suffix_of(self, value: str) -> str:
        return next((s for s in self._suffixes if value.endswith(s)), "")

    def specific(self, name_part: str) -> bool:
        """True when the part before the suffix names a particular institution."""
        rest = _NUMERAL.sub("", self._generic.sub("", name_part))  # generic words first: 红十字 holds 十
        return bool(rest.strip())

    def _kept_by_policy(self, head: str, suffix: str) -> bool:
        """A national charity or federation, or a university's school named by its subject alone (policy above)."""
        if suffix in self._national_suffixes and head.startswith(self._national_prefixes):
            return not any(c in _ADMIN_END for c in head)
        return suffix == "学院" and self._faculty is not None and self._faculty.fullmatch(head) is not None

    def adjust(self, text: str, start: int, end: int, pattern: Pattern) -> tuple[int, int] | None:
        """Cut the left edge at the last boundary word; reject generic names and suffixes in other words."""
        value = text[start:end]
        if pattern.name != "suffix":
            if value in self._generic_values or len(value) < 2:
                return None
            return start, end
        suffix = self._suffix_of(value)
        follow = text[end:end + 1]
        if follow and follow in self._not_followed.get(suffix, "") + "路街:：":
            return None
        head = value[: len(value) - len(suffix)]
        cut = 0
        for rx in (_DATE_TAIL, _OPEN_PAREN):
            m = rx.match(head)
            if m:
                cut = max(cut, m.end())
        inside = [w.span() for w in self._name_words.finditer(head)] if self._name_words is not None else []
        for b in self._boundary.finditer(head, cut):
            if b.end() - b.start() == 1 and b.start() > 0 and head[b.start() - 1] in _ADMIN_END:
                continue  # a place name goes on: 赣州市于都县, 松原市前郭县 (not 患者于, 3天前)
            if any(s <= b.start() and b.end() <= e and (s, e) != b.span() for s, e in inside):
                continue  # a boundary character inside a word of the name: 深蓝数据科技 (据), 经纬信息 (经)
            cut = max(cut, b.end())
        if suffix in self._branch_suffixes:
            bank = head.rfind("银行", cut)
            if bank >= 0:
                cut = bank + 2  # the branch is masked, the bank's own name kept (中国工商银行|南宁民族支行)
        start += cut
        head = head[cut:]
        if self._kept_by_policy(head, suffix):
            return None
        if not head or not self.specific(head) or (len(suffix) == 1 and len(head) < 2):
            return None
        if suffix in self._class_after:
            m = _CLASS_AFTER.match(text, end)
            if m:
                end = m.end()
        return start, end
