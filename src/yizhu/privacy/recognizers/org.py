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
from yizhu.privacy.recognizers.words import lexicon
from yizhu.privacy.types import PHIType

_NAME_CHARS = "[\u4e00-\u9fff0-9A-Za-z（）()]"
#: Longest name read leftwards from its suffix (中国石化集团胜利油田分公司孤岛采油厂 is 18 characters).
_HEAD_MAX = 24
#: Longest brand before a one-character boundary word taken back into the name (华为, 美的).
_BRAND_MAX = 3
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
        self._government = frozenset(d.government_suffixes)
        self._subunits = frozenset(d.subunit_suffixes)
        self._chain_only = frozenset(d.chain_only_suffixes)
        all_suffixes = list(dict.fromkeys([*d.suffixes, *d.government_suffixes, *d.subunit_suffixes]))
        patterns = [
            Pattern(
                "suffix",
                f"{_NAME_CHARS}{{1,{_HEAD_MAX}}}",
                0.85,
                labels=tuple(all_suffixes),
                label_position="after",
                include_label=True,
                window=_HEAD_MAX,
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
        self._suffixes = sorted(all_suffixes, key=len, reverse=True)
        strong = sorted(set(d.suffixes) | self._government, key=len, reverse=True)
        self._strong_inside = re.compile("|".join(map(re.escape, strong)))
        self._employer_before = tuple(d.employer_before)
        self._employer_after = tuple(d.employer_after)
        trades = sorted(d.trade_words, key=len, reverse=True)
        self._trades = re.compile("(?:" + "|".join(map(re.escape, trades)) + ")+") if trades else None
        self._brand_suffixes = frozenset(d.brand_suffixes)
        self._brand_stop = frozenset(d.brand_stop)
        self._department_suffixes = frozenset(d.department_suffixes)
        depts = sorted(d.department_subjects, key=len, reverse=True)
        self._department = re.compile("(?:" + "|".join(map(re.escape, depts)) + ")+") if depts else None
        self._not_followed = d.not_followed_by
        self._class_after = frozenset(d.class_after)
        self._national_prefixes = tuple(d.national_prefixes)
        self._national_suffixes = frozenset(d.national_suffixes)
        self._branch_suffixes = frozenset(d.bank_branch_suffixes)
        subjects = sorted(d.faculty_subjects, key=len, reverse=True)
        self._faculty = re.compile("(?:" + "|".join(map(re.escape, subjects)) + ")+") if subjects else None
        words = sorted(d.name_words, key=len, reverse=True)
        self._name_words = re.compile("|".join(re.escape(w) for w in words)) if words else None
        self._clause_words = frozenset(d.clause_words)
        self._clause_chars = frozenset("".join(d.clause_words))
        self._generic_chars = frozenset(w for w in d.generic_parts if len(w) == 1)

    def _clause_cut(self, head: str, suffix: str) -> int | None:
        """Where the name starts after the last clause word of ``head`` standing as a word of its own (你们当地|公立,
        难受呗所以让你上|, 住一个星期|), by jieba's dictionary segmentation (session deidreal); None when a word runs
        from the head into a sub-unit suffix (鼻腔分泌物|流 is no 物流)."""
        if (not head or not any(c in self._clause_chars for c in head)) and suffix not in self._subunits:
            return 0
        tokens = lexicon().cut(head + suffix)
        pos, cut, soft, prev = 0, 0, 0, ""
        for tok in tokens:
            end = pos + len(tok)
            if pos < len(head) < end and suffix in self._subunits:
                return None  # 分泌物|流
            if end > len(head):
                break
            if tok in self._clause_words and not (pos > 0 and head[pos - 1] in _ADMIN_END):
                if len(tok) == 1 and len(prev) == 1 and prev not in self._clause_words \
                        and prev not in self._generic_chars and "\u4e00" <= prev <= "\u9fff":
                    soft = end  # after a single character it may be a name's own (上海三和): it only rejects
                else:
                    cut = end
            pos, prev = end, tok
        if soft > cut and not self.specific(head[soft:]):
            return None  # 一进|幼儿园, 周周跑|医院: nothing names an institution after it
        return cut

    def _suffix_of(self, value: str) -> str:
        return next((s for s in self._suffixes if value.endswith(s)), "")

    def specific(self, name_part: str) -> bool:
        """True when the part before the suffix names a particular institution."""
        rest = _NUMERAL.sub("", self._generic.sub("", name_part))  # generic words first: 红十字 holds 十
        return bool(rest.strip())

    def _kept_by_policy(self, head: str, suffix: str) -> bool:
        """A national charity, federation or government body, a university's school named by its subject alone
        (policy above), or a hospital's department named by a medical specialty (高原医学中心)."""
        if (suffix in self._national_suffixes or suffix in self._government) and head.startswith(self._national_prefixes):
            return not any(c in _ADMIN_END for c in head)
        if suffix in self._department_suffixes and self._department is not None:
            return self._department.fullmatch(head) is not None
        return suffix == "学院" and self._faculty is not None and self._faculty.fullmatch(head) is not None

    def _brand_cut(self, head: str, cut: int, prev: int, suffix: str) -> int:
        """Undo a cut made by a one-character boundary inside a short brand (华为|技术有限公司, 美的|集团): when what the
        cut leaves is only trade words (or nothing, before 集团 or a full legal suffix), the one to three characters
        before the boundary character are the brand's; returns the new cut."""
        rest = head[cut:]
        if rest:
            if self._trades is None or self._trades.fullmatch(rest) is None:
                return cut
        elif suffix not in self._brand_suffixes:
            return cut
        b = cut - 1  # the boundary character
        s = b
        while s > prev and "\u4e00" <= head[s - 1] <= "\u9fff" and head[s - 1] not in _ADMIN_END:
            s -= 1  # the brand runs back to the start or to a place name before it (佛山市顺德区|美的)
        if not 1 <= b - s <= _BRAND_MAX or head[b - 1] in self._brand_stop or (s > prev and head[s - 1] not in _ADMIN_END):
            return cut
        return prev

    def _employer_cue(self, text: str, start: int, end: int, cut_word: str) -> bool:
        """An employer cue stands before the name (单位, 在, 就职于: the word that ended it on the left, or the text
        right before it) or after it (上班, 快递员, 工程师)."""
        if cut_word and cut_word in self._employer_before:
            return True
        before = text[max(0, start - 6):start].rstrip(" \u3000：:")
        return before.endswith(self._employer_before) or text.startswith(self._employer_after, end)

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
        prev, cut_word = cut, ""
        for b in self._boundary.finditer(head, cut):
            if b.end() - b.start() == 1 and b.start() > 0 and head[b.start() - 1] in _ADMIN_END:
                continue  # a place name goes on: 赣州市于都县, 松原市前郭县 (not 患者于, 3天前)
            if any(s <= b.start() and b.end() <= e and (s, e) != b.span() for s, e in inside):
                continue  # a boundary character inside a word of the name: 深蓝数据科技 (据), 经纬信息 (经)
            if b.end() > cut:
                prev, cut, cut_word = cut, b.end(), b.group()
        if len(cut_word) == 1 and cut > prev + 1:
            new = self._brand_cut(head, cut, prev, suffix)
            if new != cut:
                cut, cut_word = new, ""
        if (
            suffix in self._subunits
            and not self._strong_inside.search(head, cut)
            and (suffix in self._chain_only or not self._employer_cue(text, start + cut, end, cut_word))
        ):
            return None  # a sub-unit names an employer in a chain (…公司…车间) or, some, beside a cue (…营业部快递员)
        if suffix in self._branch_suffixes:
            bank = head.rfind("银行", cut)
            if bank >= 0:
                cut = bank + 2  # the branch is masked, the bank's own name kept (中国工商银行|南宁民族支行)
        while cut < len(head) and head[cut] in "）)":
            cut += 1  # a closing bracket ends what stood before: （盖章）|华山街道翠湖社区居委会
        if head[cut:cut + 1] in ("（", "("):
            close = min((i for i in (head.find("）", cut), head.find(")", cut)) if i >= 0), default=-1)
            if 0 <= close < len(head) - 1:
                cut = close + 1  # a note in brackets before the name: （公章）|华山街道翠湖社区居委会
        start += cut
        head = head[cut:]
        if self._clause_words:
            clause = self._clause_cut(head, suffix)
            if clause is None:
                return None
            start += clause
            head = head[clause:]
        if self._kept_by_policy(head, suffix):
            return None
        if len(head) < 2 or not self.specific(head):  # one character names none: 求|医院, 读|小学, 布|局
            return None
        if self._trades is not None and self._trades.fullmatch(head):
            return None  # trade words alone name no company (科技公司, 物流公司, 建设集团)
        if suffix in self._class_after:
            m = _CLASS_AFTER.match(text, end)
            if m:
                end = m.end()
        return start, end
