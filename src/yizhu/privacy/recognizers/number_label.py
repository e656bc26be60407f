"""Numbers after a label that names a number: 工号, 学籍号, 受试者编号, 献血者编码, 鉴定文书号, Badge No. … whatever the label.

A note names a person's number by a short noun ending in 号/编号/号码/编码/证号/卡号/码/代码, or by ID/No. in English;
every hospital, trial, blood bank, school and police station coins its own (筛选号, 血袋号, 警号, 执业证书编码), so
a list of labels always lags the next writer. This recognizer knows the label's ENDING instead: the value after
such a noun — or after a card or certificate set apart from its number (健康证：…, 工作证 HZ0087, 献血证 …, four
digits or more) — (after a colon, 是/为, an English is, or in speech after "…号多少？" and the answer's speaker) is a
RECORD_ID when it holds three digits or more, taken whole: letters, hyphens and brackets (WT[2026]0457,
S-0217-0045, A123456(7)), a document number (浙正鉴[2026]临鉴字第1187号, （2026）浙0102民初1234号, 南字第2046031号),
digit groups read with spaces (0087 31) and Chinese numerals read one by one (零零八七三一).

The labels whose number belongs to no person stay (批号, 型号, 序号, 页码, 版本号, 批准文号, 标准号, 疾病编码 …): they are
data, each group with its reason and source, in ``data/number_labels.yaml``. A typed rule (身份证号, 医保号, 电话,
床号) scores higher and keeps its type where it reads the same value.
"""

from __future__ import annotations

import re

from yizhu.privacy.recognizer import Recognizer
from yizhu.privacy.recognizers._data import NumberLabelData, load_data
from yizhu.privacy.types import Entity, Explanation, PHIType

#: The characters of a label before its ending (Chinese, and Latin/digits/hyphens for ICD-10编码).
_LABEL_TAIL = re.compile(r"[\u4e00-\u9fffA-Za-z0-9\-]+\Z")
_LABEL_MAX = 10
_BRACKET = re.compile(r"[\[［【〔（(]")
_STRUCTURED = re.compile(r"[\[［【〔（(/·\u4e00-\u9fff]")
#: The digits a value a clause away from its label holds at least (住院号我看看啊，是 0456718).
_FAR_DIGITS = 5
#: The score of such a value: above the threshold, below every typed rule.
_FAR_SCORE = 0.55
_COMPACT_DATE = re.compile(r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
#: Words asking for a number, answered by the next speaker (ID号发我…, 住院号报一下…, 工号告诉我…).
_REQUEST = "(?:发(?:给)?我|给我|报(?:一)?下|说(?:一)?下|告诉我|念(?:一)?下|拍(?:给)?我)"
#: Words of dictation between a label and its value in speech (住院号记一下：…, 门诊号给她：…, 卡号报一下：…).
_DICTATE = "(?:记|写|报|念|给|抄|登记)"
#: A value a listed rule reads only in part: groups after ideographic spaces, or three one- or two-character groups
#: in a row (2 0 2 4 0 3 1 8, Z Y 2 0 …, 0045　6718).
_SPACED = re.compile(r"\u3000|(?<![0-9A-Za-z])[0-9A-Za-z]{1,2}[ ][0-9A-Za-z]{1,2}[ ][0-9A-Za-z]{1,2}(?![0-9A-Za-z])")
#: What a listed rule does not read after its label: a question, a bracket, a document number, Chinese numerals,
#: a word of dictation, a clause closed by 是 or a comma, a value in spaced or ideographically spaced groups.
_WORTH = re.compile(r"[？?多呢\[［【〔（(第零〇○幺一二三四五六七八九记写报念给抄登是，,\u3000]|\d[ ]\d[ ]\d")
#: A suffix with no noun before it names no number by itself (号码 110…, 代码 1001); 编号 alone does (record_id.yaml).
_BARE = frozenset({"号", "码", "号码", "编码", "代码", "证", "证书", "卡"})
_CN_DIGITS = "零〇○幺一二三四五六七八九"
_ALNUM = "[0-9A-Za-z]"
_BR = "[\\[［【〔（(][0-9A-Za-z]{1,6}[\\]］】〕）)]"
#: A code: an optional letter prefix (S-, ZY-, MZ ), then letters and digits with brackets, parts joined by
#: hyphens, slashes or a middle dot, and digit groups after single spaces (0087 31).
_CODE = (
    f"(?:[A-Za-z]{{1,8}}[-_ \u3000](?=[0-9A-Za-z\\[［【〔（(]))?"
    f"(?:{_ALNUM}+(?:{_BR}{_ALNUM}*)?|{_BR}{_ALNUM}+)"
    # a part may be one or two Chinese characters between hyphens (2026-临-0457)
    f"(?:[-_/·](?:{_ALNUM}+(?:{_BR})?|{_BR}{_ALNUM}*|[\u4e00-\u9fff]{{1,2}}(?=[-_/·]{_ALNUM})))*"
    # digit groups after spaces, ideographic ones too, down to one digit a group (2 0 2 4 0 3 1 8, 0045　6718)
    f"(?:[ \u3000]\\d+(?:[-_/]{_ALNUM}+)*){{0,20}}"
    # not cut from a longer token, an amount, a decimal, a time or a date
    "(?![0-9A-Za-z]|[-_/·][0-9A-Za-z]|[.．:：]\\d|[ ]?[年月日岁号天周次分时个元块万千百克斤升片粒支袋瓶盒床楼层室人%％℃度]"
    "|[ ]?(?:mg|ml|mL|kg|cm|mm|mmol|IU|U/L)(?![A-Za-z]))"
)
#: A document number: a bracketed year (浙正鉴[2026]临鉴字第1187号, 杭公（西）立字〔2026〕1187号, （2026）浙0102民初1234号)
#: or …字第…号.
_DOC = (
    "(?:[\u4e00-\u9fff]|[（(][\u4e00-\u9fff]{1,3}[）)]){0,10}[\\[［【〔（(](?:19|20)\\d{2}[\\]］】〕）)][\u4e00-\u9fff0-9]{0,10}?第?\\d{1,8}号"
    "|[\u4e00-\u9fff]{1,8}?字?第\\d{2,10}号"
)
#: Digits read one by one in Chinese (零零八七三一, 幺三八 零零), three or more.
_CN = (
    f"[{_CN_DIGITS}](?:[ ，,、]?[{_CN_DIGITS}]){{2,24}}"
    f"(?![{_CN_DIGITS}十百千万号岁年月日天次个班床楼层点])"
)
#: A date or a time, which a number label never names (编号 2026-11-07 is a slip of the pen, not an identifier).
_DATE = re.compile(r"(?:19|20)\d{2}(?:[-/.]\d{1,2}){1,2}|\d{1,2}[:：]\d{2}")


def _listed_labels() -> set[str]:
    """The labels before a value in the built-in YAML recognizers (record_id.yaml, insurance.yaml, id_card.yaml …)."""
    from yizhu.privacy.recognizers.specs import builtin_spec_paths, load_spec

    return {label for path in builtin_spec_paths() for p in load_spec(path).patterns
            if p.label_position == "before" for label in p.labels}


class NumberLabelRecognizer(Recognizer):
    """The value after any label that names a number, unless the number belongs to no person."""

    name = "phi.number_label.v1"
    entity = PHIType.RECORD_ID.value
    description = "the value after any label naming a number (工号, 学籍号, 筛选号, 血袋号, 鉴定文书号, Badge No. …)"

    def __init__(self, data: NumberLabelData | None = None) -> None:
        d = data or load_data("number_labels.yaml", NumberLabelData)
        self.data = d
        self.source = d.source
        self.cue_words = tuple(dict.fromkeys([*d.han_suffixes, *d.document_suffixes, *d.latin_suffixes]))
        self._documents = frozenset(d.document_suffixes)
        self._latin = frozenset(d.latin_suffixes)
        self._latin_not_labels = frozenset(d.latin_not_labels)
        self._numerals = frozenset(d.numeral_before)
        words = {w for group in d.not_a_person for w in group.labels}
        self._excluded_words = frozenset(words)
        self._longest = max(map(len, words), default=0)
        #: raw label text -> the label, or None when it names no person's number (labels repeat from note to note)
        self._labels: dict[str, str | None] = {}
        #: labels a listed rule reads already (住院号, 医保卡号, 身份证号, 床号 …): left to it, typed and scored as it says
        self._listed = frozenset(_listed_labels())
        fillers = "|".join(re.escape(w) for w in sorted(d.fillers, key=len, reverse=True))
        filler = f"(?:{fillers}|[，,、。…～~—－\\- \\t\\u3000])" if fillers else "[，,、。…～~—－\\- \\t\\u3000]"
        bridge = (
            "[.．]?(?:[（(][^）)\\n]{1,8}[）)])?[ \\t\\u3000]*"
            "(?:"
            # a question and its answer: 工号多少？\n护士：嗯，0087 31
            # or a request answered on the next line: ID号发我，我在电脑上看看\n诸葛明：0007746218
            f"(?P<ask>(?:是多少|多少|呢)[呀啊呢吗]?[？?]?|[？?]|{_REQUEST}[^\\n0-9]{{0,14}}(?=\\r?\\n))[ \\t\\u3000]*(?:\\r?\\n)?(?:[^\\n：:0-9]{{1,8}}[：:])?{filler}{{0,8}}"
            # a word of dictation before the colon, in speech: 住院号记一下：Z0458832, 门诊号给她：MZ…
            f"|(?P<say>{_DICTATE}[\u4e00-\u9fff]{{0,3}}[：:])[ \\t\\u3000]*"
            # a colon, a table's cell border (| 工号 | 0087 |), 是/为 (hedged in speech: 好像是, 应该是), an English is
            "|(?:[:：#＃|｜┃│]|(?:好像|应该|大概|可能|就)?是|为|叫|is|was|are)?[ \\t\\u3000]*(?:是|为|[:：])?[ \\t\\u3000]*"
            # (tried last) in speech a clause between the label and its value, closed by 是, a colon or a comma
            # (住院号我看看啊，是 0456718; 医保卡号码我报给你，K650…), or by a pause or the words "written" (住院号我看一下啊……
            # 0456718; 检查号单子上写的CT 2406 1700 382): the value must then be long (_FAR_DIGITS)
            f"|(?P<far>[^\\n0-9：:。；;？?！!]{{1,10}}?(?:是|[：:，,]|[…]+|写(?:的|着)))[ \\t\\u3000]*(?=[0-9A-Za-z{_CN_DIGITS}])"
            ")"
            # No. before the digits; ISBT 128's data identifier = before a donation number (=W0331 26 001245)
            "(?:N[Oo][.．:：]?[ ]?(?=\\d)|=(?=[A-Z0-9]))?"
        )
        # a code may stand in an opened bracket (血袋号（0331…）), tried after a document number ((2026)浙…号)
        self._value = re.compile(
            f"{bridge}(?:(?P<doc>{_DOC})|(?:[（(](?=[0-9A-Za-z]+[）)]))?(?:(?P<code>{_CODE})|(?P<cn>{_CN})))")
        super().__init__(())

    # ------------------------------------------------------------------ labels
    def excluded(self, label: str) -> bool:
        """True when ``label`` names a number that belongs to no person (批号, 型号, 疾病编码 …)."""
        words = self._excluded_words
        return any(label[-k:] in words for k in range(1, min(len(label), self._longest) + 1))

    def _han_label(self, text: str, pos: int, end: int) -> str | None:
        """The label ending in the 号/码 (证/卡) at ``pos``, or None when none stands there (5号, 十二号, a lone 号)."""
        if pos == 0:
            return None
        prev = text[pos - 1]
        if not ("\u4e00" <= prev <= "\u9fff") or prev in self._numerals:
            return None
        m = _LABEL_TAIL.search(text, max(0, pos - _LABEL_MAX + 1), pos)
        raw = text[m.start() if m else pos:end]
        try:
            return self._labels[raw]
        except KeyError:
            pass
        label: str | None = raw
        cut = raw.rfind("的")  # 患者的筛选号: the label is what follows 的
        if cut >= 0:
            label = raw[cut + 1:]
        if label in _BARE or self.excluded(label):
            label = None
        if len(self._labels) > 4096:
            self._labels.clear()
        self._labels[raw] = label
        return label

    def _latin_label(self, text: str, pos: int, word: str) -> str | None:
        """The label ending in ID/No./Number at ``pos``: a Chinese noun (患者ID) or an English word (Badge No.)."""
        end = pos + len(word)
        if end < len(text) and text[end].isascii() and text[end].isalpha():
            return None  # IDs, Nov, Numbers
        if pos > 0 and text[pos - 1].isascii() and text[pos - 1].isalpha():
            return None  # COVID, VALID (an English label is written apart: Badge No.)
        if pos > 0 and "\u4e00" <= text[pos - 1] <= "\u9fff":
            label = self._han_label(text, pos, pos)
            if label is None:
                return None
            full = label + word
            return None if self.excluded(full) else full
        m = re.search(r"([A-Za-z][A-Za-z\-]*)[ ]$", text[max(0, pos - 24):pos])
        if m is None:
            return word if word == "ID" else None
        before = m.group(1)
        if before in self._latin_not_labels or before in self._excluded_words:
            return None
        return f"{before} {word}"

    # ------------------------------------------------------------------ scan
    def extra(self, text: str) -> list[Entity]:
        cues = self.cues(text)
        out: list[Entity] = []
        taken = -1
        hits: list[tuple[int, str]] = []
        starts = cues.starts
        for w in self.cue_words:
            at = starts(w)
            if at:
                hits.extend([(p, w) for p in at])
        if not hits:
            return []
        hits.sort()
        for pos, word in hits:
            end = pos + len(word)
            if pos < taken:
                continue  # inside a value already taken (the 号 of 第1187号)
            latin = word in self._latin
            if not latin:  # most 号 follow a digit or a numeral (5号楼, 十二号): rejected before any regex
                prev = text[pos - 1] if pos else ""
                if not ("\u4e00" <= prev <= "\u9fff") or prev in self._numerals:
                    continue
            label = self._latin_label(text, pos, word) if latin else self._han_label(text, pos, end)
            if label is None:
                continue
            listed = label in self._listed
            if listed and _WORTH.search(text, end, end + 16) is None:
                continue  # a listed label before a plain value: its own rule reads it
            m = self._value.match(text, end)
            if m is None:
                continue
            kind = "doc" if m.start("doc") >= 0 else "cn" if m.start("cn") >= 0 else "code"
            s, e = m.span(kind)
            value = text[s:e]
            spaced = kind == "code" and _SPACED.search(value) is not None
            if (listed and kind == "code" and m.start("ask") < 0 and m.start("say") < 0 and m.start("far") < 0
                    and not _BRACKET.search(value) and not spaced):
                continue  # the listed rule reads this value as well
            if kind == "code" and (_DATE.fullmatch(value) or sum(c.isdigit() for c in value) < 3):
                continue
            if m.start("far") >= 0 and (sum(c.isdigit() or c in _CN_DIGITS for c in value) < _FAR_DIGITS
                                        or _COMPACT_DATE.fullmatch(value)):
                continue  # a clause away from its label only a long number, not a date (20240612), is its value
            if word in self._documents and (s == end or sum(c.isdigit() or c in _CN_DIGITS for c in value) < 4):
                continue  # a card or certificate: its number set apart (健康证：…, 工作证 HZ…) and four digits or more
            # a value no other rule reads whole (a document number; brackets, Chinese or slashes inside a code) is
            # stronger than a listed label's partial reading of it (编号 in 委托编号：2026-临-0457); a plain one leaves
            # its type to a typed rule
            score = 0.9 if kind == "doc" or _STRUCTURED.search(value) else 0.92 if spaced else 0.7
            if m.start("far") >= 0:
                score = _FAR_SCORE  # a clause away: any typed rule reading the same value keeps its type
            note = f"the value of {label!r}, a label naming a number"
            out.append(Entity(self.entity, s, e, value, self.name, score,
                              Explanation(self.name, kind, score, note=note)))
            taken = e
        return out
