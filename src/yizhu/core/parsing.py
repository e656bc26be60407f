"""Parse printed Chinese clinical notes into ClinicalDocument with exact offsets.

A printed note is a title line (入院记录, 出院小结, …), header fields written as ``键：值`` pairs (several
to a line, separated by spaces or full-width spaces), then sections that start a line with a heading and
a full- or half-width colon (``主诉：``, ``查体:``, ``【现病史】``, ``一、既往史：``). Headings map to canonical
names through an alias table; an alias may depend on the document type (``入院诊断`` is a section of its
own in 出院记录 but the 初步诊断 of an 入院记录). Unknown headings are kept with ``known=False``.

Offsets are Python string indices into the text given, so ``text[s.start:s.end] == s.text`` always.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from yizhu.core.models import ClinicalDocument, Section

UNKNOWN_TYPE = "未知"

#: canonical document type -> titles as written (spaces are ignored when matching)
DOC_TYPES: dict[str, tuple[str, ...]] = {
    "入院记录": ("入院记录", "入院病历", "住院病历", "大病历"),
    "24小时内入出院记录": ("24小时内入出院记录", "二十四小时内入出院记录"),
    "24小时内入院死亡记录": ("24小时内入院死亡记录",),
    "首次病程记录": ("首次病程记录", "首程"),
    "日常病程记录": ("日常病程记录", "病程记录"),
    "上级医师查房记录": ("上级医师查房记录", "主治医师查房记录", "主任医师查房记录", "副主任医师查房记录"),
    "出院记录": ("出院记录", "出院小结", "出院总结"),
    "门诊病历": ("门诊病历", "门诊记录", "门诊病历记录", "急诊病历", "急诊记录"),
    "手术记录": ("手术记录",),
    "术前小结": ("术前小结",),
    "术前讨论记录": ("术前讨论记录", "术前讨论"),
    "术后首次病程记录": ("术后首次病程记录",),
    "麻醉记录": ("麻醉记录",),
    "会诊记录": ("会诊记录", "会诊单"),
    "抢救记录": ("抢救记录",),
    "转科记录": ("转科记录", "转入记录", "转出记录"),
    "交接班记录": ("交接班记录", "交班记录", "接班记录"),
    "阶段小结": ("阶段小结",),
    "死亡记录": ("死亡记录",),
    "死亡病例讨论记录": ("死亡病例讨论记录",),
}

#: canonical section name -> headings as written
SECTIONS: dict[str, tuple[str, ...]] = {
    "主诉": ("主诉",),
    "现病史": ("现病史", "病史"),
    "既往史": ("既往史", "既往病史"),
    "过敏史": ("过敏史", "药物过敏史", "食物药物过敏史", "药物及食物过敏史"),
    "个人史": ("个人史",),
    "婚育史": ("婚育史", "婚姻史", "生育史", "婚姻生育史"),
    "月经史": ("月经史", "月经婚育史", "月经及婚育史"),
    "家族史": ("家族史",),
    "体格检查": ("体格检查", "查体", "体检", "入院查体", "体格检查结果"),
    "专科检查": ("专科检查", "专科情况", "专科查体"),
    "辅助检查": ("辅助检查", "实验室及辅助检查", "辅检", "检查结果", "实验室检查", "入院前辅助检查"),
    "初步诊断": ("初步诊断", "诊断", "门诊诊断", "入院初步诊断"),
    "入院诊断": ("入院诊断",),
    "修正诊断": ("修正诊断",),
    "补充诊断": ("补充诊断",),
    "确定诊断": ("确定诊断", "最后诊断"),
    "诊断依据": ("诊断依据",),
    "鉴别诊断": ("鉴别诊断",),
    "病例特点": ("病例特点",),
    "拟诊讨论": ("拟诊讨论", "诊断依据及鉴别诊断", "诊断依据与鉴别诊断"),
    "诊疗计划": ("诊疗计划", "治疗计划", "诊疗方案", "治疗方案", "诊疗措施"),
    "处理意见": ("处理意见", "处理", "处置", "处置意见", "治疗意见"),
    "入院情况": ("入院情况", "入院时情况"),
    "诊疗经过": ("诊疗经过", "治疗经过", "住院经过", "住院诊疗经过"),
    "出院诊断": ("出院诊断",),
    "出院情况": ("出院情况", "出院时情况"),
    "出院医嘱": ("出院医嘱", "出院建议", "出院带药"),
    "病情记录": ("病情记录", "病情变化"),
    "查房意见": ("查房意见", "上级医师查房意见", "上级医师意见"),
    "术前诊断": ("术前诊断",),
    "术后诊断": ("术后诊断",),
    "手术名称": ("手术名称", "手术方式"),
    "手术经过": ("手术经过", "手术过程"),
    "麻醉方式": ("麻醉方式",),
    "会诊目的": ("会诊目的", "会诊理由"),
    "会诊意见": ("会诊意见",),
    "抢救经过": ("抢救经过",),
    "死亡原因": ("死亡原因",),
    "死亡诊断": ("死亡诊断",),
    "医师签名": ("医师签名", "签名", "医生签名", "记录医师", "记录者", "经治医师"),
}

#: per document type, headings that mean something else there than in the default table
TYPE_ALIASES: dict[str, dict[str, str]] = {
    "入院记录": {"入院诊断": "初步诊断"},
    "门诊病历": {"入院诊断": "初步诊断"},
    "24小时内入出院记录": {},
}

#: header keys recognised before the first section (kept as written in ``header``)
HEADER_KEYS: tuple[str, ...] = (
    "姓名", "性别", "年龄", "科别", "科室", "病区", "床号", "床位", "住院号", "门诊号", "病案号", "ID号",
    "病历号", "就诊卡号", "入院日期", "入院时间", "出院日期", "出院时间", "记录日期", "记录时间", "就诊日期",
    "就诊时间", "病史陈述者", "病史叙述者", "可靠程度", "职业", "民族", "婚姻", "婚否", "出生地", "籍贯",
    "住址", "现住址", "联系电话", "电话", "身份证号", "工作单位", "手术日期", "手术时间", "会诊日期",
    "会诊时间", "死亡时间", "转科日期", "住院天数", "出生日期", "医保类型", "费别",
)

_COLON = "[:：]"
_DIGIT_NUM = r"(?:[一二三四五六七八九十]+[、.．]|\d{1,2}[、.．)）]|[(（]\s*[一二三四五六七八九十\d]+\s*[)）])"

# Unknown headings: a short CJK phrase ending like a heading word, then a colon, at a line start.
_HEADING_SUFFIX = "(?:史|记录|诊断|意见|计划|情况|经过|医嘱|特点|讨论|小结|目的|原因|方案|评估|总结)"


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_ALL_HEADINGS = {h for hs in SECTIONS.values() for h in hs}
_HEADING_TO_NAME = {h: name for name, hs in SECTIONS.items() for h in hs}

# One scan finds every heading: known ones (with colon, or alone on a line, or in 【】) and unknown ones.
_HEADING_RE = re.compile(
    rf"^[ \t\u3000]*(?:{_DIGIT_NUM}[ \t\u3000]*)?"
    rf"(?:【(?P<br>[^】\n]{{1,12}})】[ \t\u3000]*{_COLON}?"
    rf"|(?P<known>{_alt(_ALL_HEADINGS)})[ \t\u3000]*(?:{_COLON}|(?=[ \t\u3000]*$))"
    rf"|(?P<unknown>[\u4e00-\u9fff]{{1,10}}{_HEADING_SUFFIX}){_COLON})",
    re.MULTILINE,
)
_HEADER_PAIR_RE = re.compile(
    rf"(?:(?<=^)|(?<=[\s\u3000]))(?P<key>{_alt(HEADER_KEYS)}|[\u4e00-\u9fffA-Za-z]{{1,6}})[ \t\u3000]*{_COLON}[ \t\u3000]*",
    re.MULTILINE,
)
_TITLE_LOOKUP = {re.sub(r"\s+", "", t): canon for canon, ts in DOC_TYPES.items() for t in ts}
_SYNTHETIC_RE = re.compile(r"合成病历|合成数据|synthetic", re.IGNORECASE)
_WS = " \t\r\n\u3000"


def canonical_section(heading: str, doc_type: str = UNKNOWN_TYPE) -> tuple[str, bool]:
    """Map a heading as written to (canonical name, known?)."""
    h = heading.strip(_WS)
    per_type = TYPE_ALIASES.get(doc_type, {})
    if h in per_type:
        return per_type[h], True
    if h in _HEADING_TO_NAME:
        return _HEADING_TO_NAME[h], True
    return h, False


def _title(text: str) -> tuple[str, str | None, int]:
    """Find the title among the first lines: (doc_type, title as written, end offset of title line)."""
    pos = 0
    for _ in range(4):
        nl = text.find("\n", pos)
        line_end = len(text) if nl == -1 else nl
        line = text[pos:line_end]
        compact = re.sub(r"\s+", "", line)
        if compact:
            # A hospital name may stand before the title on the same line: match the longest suffix.
            for i in range(len(compact)):
                canon = _TITLE_LOOKUP.get(compact[i:].strip("【】[]()（）"))
                if canon:
                    return canon, line.strip(_WS), line_end
            if _HEADING_RE.match(line) or ":" in line or "：" in line:
                break
        if nl == -1:
            break
        pos = nl + 1
    return UNKNOWN_TYPE, None, 0


def _infer_type(names: set[str], header: dict[str, str]) -> str:
    if "出院诊断" in names and {"诊疗经过", "出院情况", "出院医嘱"} & names:
        return "出院记录"
    if {"病例特点", "拟诊讨论"} <= names or ("病例特点" in names and "诊疗计划" in names):
        return "首次病程记录"
    if {"主诉", "现病史"} <= names:
        if "门诊号" in header or "处理意见" in names:
            return "门诊病历"
        return "入院记录"
    if {"术前诊断", "手术经过"} & names:
        return "手术记录"
    return UNKNOWN_TYPE


def _parse_header(text: str, start: int, end: int) -> dict[str, str]:
    header: dict[str, str] = {}
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl == -1 else nl
        matches = list(_HEADER_PAIR_RE.finditer(text, pos, line_end))
        for i, m in enumerate(matches):
            vend = matches[i + 1].start() if i + 1 < len(matches) else line_end
            value = text[m.end() : vend].strip(_WS)
            key = m.group("key")
            if key not in header:
                header[key] = value
        pos = line_end + 1
    return header


def parse_document(text: str, *, doc_id: str | None = None) -> ClinicalDocument:
    """Parse one printed note; never drops text: body without a heading becomes section 正文."""
    doc_type, title, title_end = _title(text)

    raw: list[tuple[int, int, str]] = []  # (heading_start, body_start, heading)
    for m in _HEADING_RE.finditer(text, title_end):
        heading = m.group("br") or m.group("known") or m.group("unknown")
        raw.append((m.start() + (len(m.group(0)) - len(m.group(0).lstrip(_WS))), m.end(), heading))

    first = raw[0][0] if raw else len(text)
    body_start = _body_start(text, title_end, first)
    header = _parse_header(text, title_end, body_start)
    if "记录日期" not in header and "记录时间" not in header:
        stamp = _DATETIME_LINE_RE.search(text, title_end, body_start)
        if stamp:
            header["记录时间"] = stamp.group(1)
    sections: list[Section] = []
    # Text between the header and the first heading (e.g. a progress note's free text) is never dropped.
    s0, e0 = _trim(text, body_start, first)
    if e0 > s0:
        sections.append(Section(name="正文", heading="", start=s0, end=e0, text=text[s0:e0]))
    if raw:
        if doc_type == UNKNOWN_TYPE:
            names = {canonical_section(h)[0] for _, _, h in raw}
            doc_type = _infer_type(names, header)
        kept: list[tuple[int, int, str, str, bool]] = []
        for hstart, bstart, heading in raw:
            name, known = canonical_section(heading, doc_type)
            if kept and _is_part_of(kept[-1][3], name, doc_type):
                continue  # a sub-heading (出院带药 under 出院医嘱, 鉴别诊断 under 拟诊讨论) stays in its section
            kept.append((hstart, bstart, heading, name, known))
        for i, (hstart, bstart, heading, name, known) in enumerate(kept):
            bend = kept[i + 1][0] if i + 1 < len(kept) else len(text)
            s, e = _trim(text, bstart, bend)
            sections.append(
                Section(
                    name=name, heading=heading, start=s, end=e, text=text[s:e],
                    heading_start=hstart, known=known,
                )
            )
    return ClinicalDocument(
        id=doc_id,
        doc_type=doc_type,
        title=title,
        header=header,
        sections=sections,
        text=text,
        synthetic=bool(_SYNTHETIC_RE.search(text[: max(first, 200)])),
    )


_DATETIME_LINE_RE = re.compile(
    r"^[ \t\u3000]*(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:[ \t\u3000]+\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?)[ \t\u3000]*$",
    re.MULTILINE,
)


def _body_start(text: str, start: int, end: int) -> int:
    """Offset of the first line after ``start`` that is neither a header pair, a label nor a timestamp."""
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl == -1 else nl
        line = text[pos:line_end].strip(_WS)
        if line and not (
            _HEADER_PAIR_RE.match(line) or _SYNTHETIC_RE.search(line) or _DATETIME_LINE_RE.match(line)
        ):
            return pos
        if nl == -1:
            break
        pos = line_end + 1
    return end


#: per document type, headings that are parts of an open section rather than sections of their own
SUBHEADINGS: dict[str, dict[str, frozenset[str]]] = {
    "首次病程记录": {
        "拟诊讨论": frozenset({"诊断依据", "鉴别诊断", "初步诊断"}),
        "病例特点": frozenset({"主诉", "现病史", "既往史", "过敏史", "个人史", "婚育史", "月经史", "家族史",
                          "体格检查", "专科检查", "辅助检查"}),
    },
}


def _is_part_of(open_name: str, name: str, doc_type: str) -> bool:
    """Whether heading ``name`` continues the open section instead of starting a new one."""
    if name == open_name:
        return True  # an alias repeated inside its own section: 出院医嘱 … 出院带药
    return name in SUBHEADINGS.get(doc_type, {}).get(open_name, frozenset())


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _WS:
        start += 1
    while end > start and text[end - 1] in _WS:
        end -= 1
    return start, end


#: required sections per document type (the document.structure task reports what is missing)
REQUIRED_SECTIONS: dict[str, tuple[str, ...]] = {
    "入院记录": ("主诉", "现病史", "既往史", "过敏史", "个人史", "家族史", "体格检查", "辅助检查", "初步诊断"),
    "首次病程记录": ("病例特点", "拟诊讨论", "诊疗计划"),
    "出院记录": ("入院情况", "入院诊断", "诊疗经过", "出院诊断", "出院情况", "出院医嘱"),
    "门诊病历": ("主诉", "现病史", "既往史", "过敏史", "体格检查", "初步诊断", "处理意见"),
    "手术记录": ("术前诊断", "术后诊断", "手术名称", "麻醉方式", "手术经过"),
    "24小时内入出院记录": ("主诉", "入院情况", "入院诊断", "诊疗经过", "出院情况", "出院诊断", "出院医嘱"),
    "会诊记录": ("会诊目的", "会诊意见"),
}
