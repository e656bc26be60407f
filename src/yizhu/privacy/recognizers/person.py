"""Person names: found by their labels and titles, then propagated through the text.

A Chinese name is a surname (单姓 or 复姓 such as 欧阳, 司马, 诸葛) plus one or two given-name
characters. Surname characters are also ordinary characters (白细胞, 高峰期, 何时, 马来酸), so a name
is only taken where a label or title says one is there: a header (姓名：), a role (患者, 其母,
家属), or a title after it (主任医师, 之子). Candidates that begin a known clinical word are
dropped (the blocklist in ``data/person.yaml``), and characters that never occur in given names
end a candidate. A name found once with confidence is then found wherever else it occurs.

Weaker cues are read through a *name shape*: a surname followed by one or two characters that are
common in given names (``given_chars`` in the data), or by 某/某某 (梁某某, the way records and case
reports write a withheld name). The shape is tried after a title or kinship word written straight
before a name (护士王丽, 母亲刘桂英, 我妈王秀英), before a verb of acting or being spoken to (与王建国沟通,
由李明执行), and on a speaker label that opens a dialogue turn (梁建华：医生，我…). Role words
(医生：您好, 家属：好的) are never names.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from operator import methodcaller

from yizhu.privacy.recognizer import Pattern, Recognizer
from yizhu.privacy.recognizers._data import PersonData, load_data
from yizhu.privacy.recognizers.namescore import NameScorer, scorer
from yizhu.privacy.types import Entity, Explanation, PHIType

_CJK = "\u4e00-\u9fff"
#: Function words that are also surnames but before 某 start a phrase (于某日, 和某些, 由某医院).
_PSEUDONYM_FIRST_NOT = frozenset("于和与由经从同对将为应成能可在被把及向时全")
#: Characters after 某 that make it a determiner (某些, 某种, 某天), not part of a name.
_PSEUDONYM_NOT_BEFORE = "些种个天处日时次位段类样方面年月件项地某"
#: Characters that start what people do or are said to do after their name (王姝彤陪我来, 柯屹说, 蒯瑀菲也在).
_AFTER_NAME = frozenset("陪说讲来去在给帮带送让叫问打也都就还又已正刚才先跟今昨明前后每等诉述称要想能会看把"
                        "既一病血术体精神饮睡意查无有于因自现目近入出住予行复感咳头胸腹肺反持伴否")
#: Characters of spoken words (您好, 谢谢, 好的): a value after a role label that holds one and does not
#: start with a surname is an utterance, not a name (医生：您好).
_UTTERANCE = frozenset("好谢您你我他她吗呢吧啊哦嗯呀啦么没想要知道明白行对请问哪里什怎样的了是")
#: Words 一 starts that are not part of a given name (王一般, 李一天).
_YI_WORDS = frozenset({"一天", "一月", "一年", "一同", "一向", "一度", "一再", "一定", "一点", "一次", "一直", "一般",
                       "一样", "一些", "一起", "一下", "一周", "一侧", "一切", "一共", "一致"})
#: Characters of transliterated (Uyghur, Tibetan …) names that elsewhere rarely stand in a name (次仁, 买买提, 多吉).
_TRANSLITERATION = "次提多加拉吉桑央珠丹尔买木克不都热合吐"
#: Characters that start a cue rather than a dotted name (由其女古丽娜尔·艾力).
_DOTTED_LEAD = frozenset("由其之女子母父妻夫儿及和与向请嘱经患者家属联系人翻译医师护士")
#: Middle dots between the parts of a transliterated name (阿依古丽·买买提).
_DOTS = "·•・‧"
#: The end of a label that introduces a person: a role word, then a colon.
_ROLE_LABEL = re.compile(
    r"(?:人员|人|者|员|师|医生|护士|护士长|科长|院长|组长|签名|签字|审签|签|主任|专家|代表|麻醉|一助|二助|三助|主刀|交班|接班|"
    r"家属|陪同|出席|列席|参加|参会|与会|甲方|乙方|患方|院方)"  # literals only: the scan skips in C
    r"[ \t\u3000]*(?:[（(][^）)\n]{1,6}[）)][ \t\u3000]*)?[:：][ \t\u3000]*"
)
#: A bracketed note that says its subject is a patient (王芳（3床）, 李明（男，56岁）).
_PATIENT_NOTE = re.compile(r"\d+床|\d+岁|^[男女][，,、 ]")
#: A line that is only a signature: an optional date and time, then a name or names joined by /.
_SIGNATURE_LINE = re.compile(
    r"^[ \t\u3000]*(?:[—\-－─~～]{1,4}[ \t\u3000]*)?(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:[ \t]+\d{1,2}[:：]\d{2})?[ \t\u3000]+)?"
    r"(?P<names>[\u4e00-\u9fff]{2,4}(?:[ \t]*[/／、][ \t]*[\u4e00-\u9fff]{2,4}){0,3})"
    r"(?:[ \t\u3000]+\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:[ \t]+\d{1,2}[:：]\d{2})?|[ \t\u3000]+\d{1,2}[:：]\d{2}(?::\d{2})?)?"
    r"[ \t\u3000]*$",
    re.M,
)
#: The same body after a newline, held in a look-ahead: the scan skips to each newline in C.
_SIGNATURE_AFTER_NL = re.compile("\n(?=" + _SIGNATURE_LINE.pattern[1:] + ")", re.M)


def _signature_lines(text: str) -> list[re.Match[str]]:
    """Signature lines in order (group ``names``), as ``_SIGNATURE_LINE.finditer`` finds them: a
    match never leaves its line, so each line start is tried once."""
    m0 = _SIGNATURE_LINE.match(text)
    out = [] if m0 is None else [m0]
    for m in _SIGNATURE_AFTER_NL.finditer(text):
        full = _SIGNATURE_LINE.match(text, m.end())
        if full is not None:
            out.append(full)
    return out


#: What follows a surname written alone in a form field: padding before the next field, or the line end.
_PADDED_END = re.compile(r"[ \t\u3000]{2,}\S|[ \t\u3000]*(?:\n|$)")

#: A date and time stamp opening a line of a chat export ([2024-03-05 10:15], 2024/3/5 10:15:02).
_LINE_STAMP = re.compile(
    r"[ \t\u3000]*[\[【(（]?(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?[ \t\u3000]*)?"
    r"(?:\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?[\]】)）]?[ \t\u3000]*"
)

#: A one-character kinship label opening a field (子：, 妻：, 母：), not the end of a word (因子：).
_KIN_LABEL = re.compile(r"[父母妻夫子女兄弟姐妹](?<![\u4e00-\u9fff].)[ \t\u3000]*[:：][ \t\u3000]*")

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
#: A surname said alone after 姓 (我姓秦, 免贵姓王).
_SAID_SURNAME = re.compile("姓(?<=[我他她贵]姓)")
#: Runs of 某 (梁某某 is a surname before a run of one or two).
_MOU_RUN = re.compile("某+")
#: Verbs and words that follow a person opening a sentence (梁淑芬诉…, 王建国今日出院, 李明，男).
_SUBJECT_VERBS_STRICT = ("诉", "自诉", "主诉", "述", "自述", "表示", "要求", "同意", "拒绝", "称", "说", "告诉", "反映",
                         "签字", "签名", "代诉", "，男", "，女", ",男", ",女", "（男", "（女")
_SUBJECT_VERBS = (*_SUBJECT_VERBS_STRICT, "今日", "今晨", "昨日", "昨晚", "今天", "昨天", "于", "因", "来院", "来诊",
                  "就诊", "入院", "出院", "的", "之", "系", "是", "为", "目前", "现", "病情", "家属", "本人", "在", "已",
                  "经", "术后", "既往", "否认", "平素", "无", "有", "自", "曾", "，")
#: Sex written after a name with a comma (上官婉儿，女，30岁).
_SEX_WORDS = ("，男", "，女", ",男", ",女", "（男", "（女")
#: Sex written after a name with spaces (梁淑芬 女 52岁).
_SEX_AFTER = re.compile(r"[ \t\u3000,，]+[男女](?:[ \t\u3000,，性]|$)")
#: A bed number opening a line of a handover list, before the patient's name (3床 柴永利, 床号：3 柴永利).
_BED_BODY = (
    r"[ \t\u3000]*(?:(?:[A-Z]{2,5}-?|[+＋加])?\d{1,3}[ \t\u3000]*床|床号?[ \t\u3000]*[:：]?[ \t\u3000]*\d{1,3}床?)"
    r"[ \t\u3000]*[:：]?[ \t\u3000]*"
)
#: Where a bed number may open a list item: a line start or after a sentence, clause or label mark.
_BED_MARKS = "\n；;。，,：: \u3000\t"
#: The scan: a mark character first (the regex engine skips to it in C), the body in a look-ahead.
_BED_AT_START = re.compile(_BED_BODY)


def _bed_ends(text: str) -> list[int]:
    """Ends of the bed numbers that open the text or follow a mark, in order.

    Every such number holds a 床 with only spaces, signs and digits between it and the mark, so the
    scan walks back from each 床 to the mark instead of trying the body after every comma.
    """
    starts: list[int] = []
    k = text.find("床")
    while k >= 0:
        j = k - 1
        while j >= 0 and (text[j].isdecimal() or text[j] in " \t\u3000"):  # 12床, 12 床
            j -= 1
        while j >= 0 and text[j] in "-－":  # ICU-4床
            j -= 1
        while j >= 0 and "A" <= text[j] <= "Z":
            j -= 1
        while j >= 0 and text[j] in "+＋加":  # +3床, 加2床
            j -= 1
        if (j < 0 or text[j] in _BED_MARKS) and (not starts or starts[-1] != j + 1):
            starts.append(j + 1)
        k = text.find("床", k + 1)
    out: list[int] = []
    for s in starts:
        m = _BED_AT_START.match(text, s)
        if m is not None:
            out.append(m.end())
    return out
#: A parenthetical after a name in a list (李明（主治医师）、…).
_PAREN_AFTER = re.compile(r"[（(][^（()）\n]{1,16}[）)]")
#: Patterns whose span is re-cut by the name shape (surname + common given-name characters or 某).
_SHAPED = frozenset({"title_before", "kin_before", "relation_shape"})
#: What may stand between a cue word and the name it introduces (我老伴，吕桂芝; 护士 王丽; 女儿是王丽).
_GAP = frozenset(" \t\u3000，,:：")
_GAP_WORDS = frozenset("是叫名为")
_CUE_GAP = "(?:[ \\t\u3000]*[:：][ \\t\u3000]*|[ \\t\u3000，,]|是|叫|名叫|为)?"
#: Characters that precede a name as a preposition more often than they are its surname.
_LEADING_FUNCTION = "于和向及与"
#: Labels naming a person's role; after them any 2–3 name characters are taken (rare surnames too).
_ROLE_ENDINGS = ("者", "人", "医师", "医生", "护士", "药师", "技师", "主刀", "一助", "二助", "助手", "签名", "签字", "师",
                 "员", "专家", "主任", "翻译", "户名")
#: Between a label and the name: a colon with optional spaces, or spaces alone.
_SEP = "(?:[ \\t\\u3000]*[:：][ \\t\\u3000]*|[ \\t\\u3000]+)"
#: Characters that cannot start a name even after a role label.
_NOT_FIRST = "的了是在有无不因和与及等为已未见详同拒本患家签盖待空缺"
#: Patterns whose only cue is a bare word before the name (患者, 其母) or a title after it (肇事司机):
#: checked against the name model.
_RELATION = frozenset({"relation", "relation_shape"})
_MODEL_CHECKED = frozenset({*_RELATION, "title"})
#: A given character at or below this learned bucket almost never stands in a name (哌, 埃).
WORD_WEAKEST = -3
#: What may stand right before a married woman's name (妻贾王氏, 其母钟吴氏).
_MARRIED_BEFORE = frozenset("妻母婆嫂奶姥之其")
#: A speaker label of two characters opening a line (晓雯：…), after an optional time stamp.
_GIVEN_SPEAKER = re.compile(r"\n[ \t\u3000]*(?:[\[【(（]?\d{1,2}[:：]\d{2}[\]】)）]?[ \t\u3000]*)?(?P<g>[\u4e00-\u9fff]{2})[ \t\u3000]*[:：]")
_GIVEN_SPEAKER_AT = re.compile(r"[ \t\u3000]*(?:[\[【(（]?\d{1,2}[:：]\d{2}[\]】)）]?[ \t\u3000]*)?(?P<g>[\u4e00-\u9fff]{2})[ \t\u3000]*[:：]")
#: Each character of a given-name-only speaker must be at least this name-like (晓, 雯: 5).
GIVEN_SPEAKER_BUCKET = 4
FLOOR_BUCKET = -4
#: Punctuation or a line end right after a candidate: the name visibly ends there.
_VISIBLE_END = re.compile(r"[ \t\u3000]*(?:$|[\n，,。；;、：:（(）)])")
#: Least learned log-ratio bucket of a given character that counts as common in names (data/name_model.yaml).
GIVEN_BUCKET = 3
#: Least name score (namescore.NameScorer.score) of a name with no cue but its place in a clause and a
#: person's word after it (…，邬蔓菁诉夜间胸闷), and the least bucket of each of its given characters.
FREE_SCORE = 2.0
FREE_WEAKEST = -1
#: Least name score of a name followed by its sex (患儿，左小麦，男，3岁): the sex says a person is meant.
SEX_SCORE = -1.0
#: Marks after which a value stands in a field (值班：冼浩然, | 纪晓岚 |) and may end at the field's end.
_FIELD_MARKS = "：:|\t、"
#: The visible end of a field value: line end, a cell border, a clause mark, or a gap before the next field.
_FIELD_END = re.compile(r"[ \t\u3000]*(?:$|\n|[|，,、；;。）)])|[ \t\u3000]+\S")
#: Score above which a found name is propagated to its other occurrences.
PROPAGATE_MIN = 0.75


def _char_class(chars: str) -> str:
    return "[" + "".join(re.escape(c) for c in chars) + "]"


def _alt(words: list[str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


def _merged(d: PersonData) -> PersonData:
    """Word lists with ``people_titles`` and ``kin_words`` spread to every position they cue a name in:
    a title may stand before a name (护士王丽), after it (王丽护士), alone after a surname (王护士) or as
    a label (护士：王丽); a kinship word before a name (表哥王刚) or as a label (表哥：王刚)."""
    def union(a: list[str], b: list[str]) -> list[str]:
        return list(dict.fromkeys([*a, *b]))

    return d.model_copy(update={
        "title_before": union(d.title_before, d.people_titles),
        "after_labels": union(d.after_labels, d.people_titles),
        "surname_titles": union(d.surname_titles, d.people_titles),
        "colon_labels": union(d.colon_labels, [*d.people_titles, *d.kin_words]),
        "kin_before": union(d.kin_before, d.kin_words),
    })


class PersonRecognizer(Recognizer):
    """Chinese person names in labelled, relational and titled positions."""

    name = "phi.person.v1"
    entity = PHIType.PERSON.value
    description = "person names: patients, relatives, clinicians, signatures"

    def __init__(self, data: PersonData | None = None) -> None:
        d = _merged(data or load_data("person.yaml", PersonData))
        self.data = d
        self.source = d.source
        surname = f"(?:{_alt(d.compound_surnames)[3:-1]}|{_char_class(d.surnames)})"
        given = f"(?:(?!{_char_class(d.nonname_chars)})[{_CJK}])"
        name = f"{surname}{given}{{1,2}}"
        end = f"(?=[^{_CJK}]|$|{_alt(d.follow_words)})"
        header_labels = [x for x in d.colon_labels if "姓名" in x]
        colon_labels = [x for x in d.colon_labels if "姓名" not in x]
        role_labels = [x for x in d.colon_labels if "姓名" in x or x.endswith(_ROLE_ENDINGS)]
        relaxed = f"(?:(?!{_char_class(''.join(c for c in d.nonname_chars if c not in _TRANSLITERATION))})[{_CJK}])"
        any_name = f"(?![{_NOT_FIRST}])[{_CJK}]{relaxed}{{1,3}}"
        self._name_re = re.compile(f"{name}{end}")
        self._header_labels = set(header_labels)
        sep = frozenset(" \t\u3000:：")
        starts = frozenset(d.surnames) | {c[0] for c in d.compound_surnames} | {":", "："}
        nonname = set(d.nonname_chars)
        name_chars = frozenset(chr(c) for c in range(0x4E00, 0xA000) if chr(c) not in nonname)
        title_chars = frozenset(d.title_surnames)
        patterns = [
            Pattern("header", f"{_SEP}(?P<phi>{name}){end}", 0.9, labels=tuple(header_labels), adjacent=sep,
                    spaced_labels=True),
            Pattern("colon", f"{_SEP}(?P<phi>{name}){end}", 0.85, labels=tuple(colon_labels), adjacent=sep,
                    spaced_labels=True),
            Pattern(
                "role_any_surname",
                f"[ \\t\\u3000]*[:：][ \\t\\u3000]*(?P<phi>{any_name}){end}",
                0.7,
                labels=tuple(role_labels),
                adjacent=sep,
                spaced_labels=True,
            ),
            Pattern(
                "relation",
                f"[:：]?(?![{_LEADING_FUNCTION}经从由同对])(?P<phi>{name}){end}",
                0.8,
                labels=tuple(d.bare_labels),
                adjacent=starts,
            ),
            Pattern(
                "title", name, 0.8, labels=tuple(d.after_labels), label_position="after", window=5, adjacent=name_chars
            ),
            Pattern(
                "title_spaced", f"(?P<phi>{name})[ \\t\u3000]{{1,2}}", 0.8, labels=tuple(d.after_labels),
                label_position="after", window=7, adjacent=frozenset(" \t\u3000"),
            ),
            Pattern(
                "title_surname",
                _char_class(d.title_surnames),
                0.7,
                labels=tuple(d.surname_titles),
                label_position="after",
                window=1,
                adjacent=title_chars,
            ),
        ]
        given_class = _char_class(d.given_chars) if d.given_chars else given
        shape = f"(?P<phi>{surname}(?:某{{1,2}}|{given_class}{{1,2}}))"
        surname_start = frozenset(starts - {":", "："})
        # names padded with alignment spaces in printed forms (姓名:林  娜    性别:女)
        patterns.append(Pattern(
            "spaced",
            f"(?:[ \\t\u3000]*[:：][ \\t\u3000]*|[ \\t\u3000]{{1,4}})"
            f"(?P<phi>{surname}[ \\t\u3000]{{1,3}}{given}(?:[ \\t\u3000]{{0,3}}{given})?)"
            f"(?=[ \\t\u3000]{{2,}}|\u3000|[ \\t\u3000]+\\d|[ \\t\u3000]*(?:$|\\n)|[，,。;；（(、|｜]|{_alt([*d.follow_words, *d.after_labels])})",
            0.9,
            labels=tuple(header_labels + colon_labels),
            adjacent=sep,
            spaced_labels=True,
        ))
        self._spaced_re = re.compile(
            f"{surname}[ \\t\u3000]{{1,3}}{given}(?:[ \\t\u3000]{{0,3}}{given})?"
            f"(?=[ \\t\u3000]{{2,}}|\u3000|[ \\t\u3000]+\\d|[ \\t\u3000]*(?:$|\\n)|[，,。;；（(、|｜]|{_alt([*d.follow_words, *d.after_labels])})"
        )
        patterns.append(Pattern("relation_shape", f"[:：]?(?P<phi>{surname}[{_CJK}])", 0.8,
                                labels=tuple(d.bare_labels), adjacent=starts))
        if d.title_before:
            patterns.append(Pattern("title_before", f"{_CUE_GAP}(?P<phi>{surname}[{_CJK}])", 0.8,
                                    labels=tuple(d.title_before), adjacent=surname_start | _GAP | _GAP_WORDS))
        if d.kin_before:
            patterns.append(Pattern("kin_before", f"{_CUE_GAP}(?P<phi>{surname}[{_CJK}])", 0.8,
                                    labels=tuple(d.kin_before), adjacent=surname_start | _GAP | _GAP_WORDS))
        if d.verb_after:
            patterns.append(Pattern("verb_after", shape, 0.8, labels=tuple(d.verb_after), label_position="after",
                                    window=4, adjacent=frozenset(d.given_chars) | {"某"}))
        super().__init__(patterns)
        self._surnames = frozenset(d.surnames)
        self._name_firsts = self._surnames | {c[0] for c in d.compound_surnames}
        self._compounds = frozenset(d.compound_surnames)
        self._score: NameScorer = scorer()
        self._latin_surnames = frozenset(x.lower() for x in d.latin_surnames)
        self._latin_other = frozenset(x.lower() for x in d.latin_surnames if not _PINYIN_WORD.fullmatch(x))
        # common given characters: the hand list plus every character the learned model rates at
        # least GIVEN_BUCKET (given names use it far more than text does), less the non-name characters
        learned = {c for c, k in self._score.given.items() if k >= GIVEN_BUCKET}
        self._given = frozenset(d.given_chars) | (learned - set(d.nonname_chars))
        self._weak = frozenset(d.weak_surnames)
        self._roles = frozenset(d.role_words)
        self._role_endings = tuple(sorted(self._roles, key=len, reverse=True))
        self._title_words = tuple(w for w in {*d.people_titles, *d.role_words} if len(w) >= 2)
        self._paren_roles = frozenset([*d.role_words, *d.kin_words, *d.people_titles, *d.kin_before])
        self._paren_role_re = re.compile(_alt(list(self._paren_roles)))
        self._role_before_re = re.compile(_alt([w for w in self._paren_roles if len(w) >= 2]) + "$")
        self._follow = tuple(sorted(d.follow_words, key=len, reverse=True))
        self._verbs = tuple(sorted((v for v in d.verb_after if not v.startswith("的")), key=len, reverse=True))
        self._nonname = frozenset(d.nonname_chars)
        # a turn opens a line (after an optional time stamp) or follows the end of a sentence:
        # 梁淑芬：…, [09:15] 梁淑芬：…, 梁淑芬（患者）：…, 【梁淑芬】…
        # a speaker's name starts with a surname (the scan then skips 主诉：, 现病史： at once)
        name_first = _char_class("".join(dict.fromkeys([*d.surnames, *(c[0] for c in d.compound_surnames)])))
        stamp = "(?:[>＞][ \\t\u3000]*)?(?:[\\[【(（]?\\d{1,2}[:：]\\d{2}(?:[:：]\\d{2})?[\\]】)）]?[ \\t\u3000]*)?"
        turn = (
            # a turn ends in a colon or a closing bracket on its line: one quick look for it first
            f"(?=[^\\n:：】\\]]{{0,60}}[:：】\\]])[ \\t\u3000]*"
            f"(?:(?:[【\\[][^】\\]\\n]{{1,6}}[】\\]][ \\t\u3000]*)?"  # 【患者】王建国：
            f"(?:[{_CJK}]{{1,8}}?[科室部组][ \\t\u3000]*"  # 心内科王建国：
            # a role before the name, set off by brackets, spaces or a dash (家属（女儿）梁小燕：, 呼救人 梁小燕：, 医生-王建国：)
            f"|[{_CJK}0-9]{{1,6}}?(?:[（(][^）)\\n]{{1,6}}[）)][ \\t\u3000\\-－—]*|[ \\t\u3000\\-－—]+))?(?P<n>(?={name_first})[{_CJK}]{{2,4}}?)(?:[ \\t\u3000]?(?:说|问|答|讲|道))?[ \\t\u3000]*"
            f"(?:[（(][^）)\\n]{{1,8}}[）)][ \\t\u3000]*)?[:：]"
            f"|[【\\[](?P<b>(?={name_first})[{_CJK}]{{2,4}})[】\\]])"
        )
        # three scans that each start with a literal or a class (the engine skips to it in C): the
        # text's start, a line start (with an optional time stamp), the end of a sentence
        self._speaker_scans = (
            re.compile(f"{stamp}{turn}"),
            re.compile(f"\\n(?={stamp}{turn})"),
            re.compile(f"[。！？!?；;”」](?={turn})"),
        )
        hard = _char_class("".join(c for c in d.nonname_chars if c not in _TRANSLITERATION) + _DOTS)
        dots = _char_class(_DOTS)
        self._dotted_re = re.compile(
            f"(?:(?!{hard})[{_CJK}]){{2,8}}(?:{dots}(?:(?!{hard})[{_CJK}]){{1,12}}){{1,2}}"
        )
        self._lead_trim = frozenset(d.nonname_chars) - frozenset(_TRANSLITERATION)
        parts = sorted(d.minority_name_parts, key=len, reverse=True)
        self._minority_re = (
            re.compile(f"{_char_class(''.join(dict.fromkeys(x[0] for x in parts)))}"
                       f"(?<=(?=(?P<m>(?:{'|'.join(map(re.escape, parts))}){{2,3}})).)") if parts else None
        )
        # a first-character class, then the parts in a look-ahead: the engine skips to candidates in C
        self._minority_one_re = re.compile(
            f"{_char_class(''.join(dict.fromkeys(x[0] for x in parts)))}"
            f"(?<=(?=(?P<m>(?:{'|'.join(map(re.escape, parts))}){{1,2}})).)" if parts else "(?!)"
        )
        strong_sur = _char_class("".join(c for c in d.surnames if c not in self._weak))
        self._married_re = re.compile(f"{strong_sur}{strong_sur}氏")
        self._kin_cues = tuple(sorted({*d.kin_before, *d.kin_words, *d.title_before, "其侄", "侄", "一女", "一子"},
                                      key=len, reverse=True))
        self._familiar_re = re.compile(
            f"[老小](?<=(?<![{_CJK}])[老小]|(?<=[叫找问跟和让是给请对壁士的\"“])[老小])(?P<s>{_char_class(d.title_surnames)})"
            f"(?=[，。！？、,.!?\\s”」）)\":：]|说|讲|叫|来|去|也|呢|啊|呀|吧|护士|医生|大夫|师傅|他|她|吃|进行|还|就|都|刚|帮|发现|在|已|把|将|告诉|看|拿|打|给)"
        )
        firsts = _char_class("".join(dict.fromkeys([*d.surnames, *(c[0] for c in d.compound_surnames)])))
        self._sentence_re = re.compile(f"[\\n。！？!?；;](?=(?P<v>[ \\t\u3000]*)(?={firsts}))")
        self._sentence_start = re.compile(f"[ \\t\u3000]*(?={firsts})")
        strong_firsts = _char_class("".join(dict.fromkeys(
            [*(c for c in d.surnames if c not in self._weak), *(c[0] for c in d.compound_surnames)])))
        # a name inside a sentence with no cue word: after a clause mark, a cell border or a word that
        # hands something to a person (建议王芳明日复查), scored by the learned name model
        # two scans that each start with a class or literals the engine skips to in C: marks, hand-over words
        self._clause_res = (
            re.compile(f"[，,、：:“‘「|\\t（(@＠>＞_](?=(?P<v>[ \\u3000]*)(?={strong_firsts}))"),
            re.compile(f"{_alt(d.lead_words) if d.lead_words else '(?!)'}(?=(?P<v>[ \\u3000]*)(?={strong_firsts}))"),
        )
        all_firsts = _char_class("".join(dict.fromkeys(d.surnames)))
        self._spaced_list_re = re.compile(
            f"[：:、][ \\u3000]*(?=(?:{_alt(d.compound_surnames)}|{all_firsts})[ \\t\u3000])"
        )
        self._person_next = tuple(sorted({*_SUBJECT_VERBS_STRICT, *self._verbs, *d.after_labels, *d.lead_words,
                                          *d.clause_verbs}, key=len, reverse=True))
        # first characters of whatever may follow a name in a clause (a person's word, the sex, a field end)
        self._colon_labels = tuple(sorted({*header_labels, *colon_labels}, key=len, reverse=True))
        self._after_firsts = frozenset(
            {w[0] for w in self._person_next} | set(" \t\u3000\n，,、；;。！？!?：:（()）|｜”’」_＿") | {""}
        )
        self._paren_re = re.compile("[（(](?P<r>[^（()）\\n]{1,10})[）)]")
        by_first: dict[str, list[str]] = {}
        for w in d.blocklist:
            by_first.setdefault(w[0], []).append(w)
        self._blocklist = {k: sorted(v, key=len, reverse=True) for k, v in by_first.items()}
        self._title_blockers = set(d.surname_title_blockers)
        self._clinical_titles = tuple(sorted(
            (t for t in d.after_labels if any(k in t for k in ("医", "护", "主任", "教授", "大夫", "院长", "药师", "技师"))),
            key=len, reverse=True))
        self._short_titles = frozenset(t for t in d.surname_titles if len(t) == 1)
        self._long_titles = tuple(sorted((t for t in d.surname_titles if len(t) > 1), key=len, reverse=True))
        self._not_names = set(d.not_names)

    # ------------------------------------------------------------------ hooks
    def blocked(self, text: str, start: int) -> str | None:
        """The blocklisted word that starts at ``start``, if any."""
        for w in self._blocklist.get(text[start:start + 1], ()):
            if text.startswith(w, start):
                return w
        return None

    def adjust(self, text: str, start: int, end: int, pattern: Pattern) -> tuple[int, int] | None:
        """Drop clinical words and words that end before a title (每周主任); re-cut weakly cued names.

        A candidate like 于王芳 (before 医师) is kept whole: 于 and 向 are also surnames, and masking
        one character too many is safer than leaking one.
        """
        pname = pattern.name
        if pname == "title_surname":
            if text[max(0, start - 1):start + 1] in self._title_blockers:
                return None
            # a one-character title (老, 总) must end the name: 梁老今天…, but 王老吉 is a drink
            if text[end:end + 1] in self._short_titles and not text.startswith(self._long_titles, end) \
                    and not self._ends_name(text, end + 1):
                return None
        if pname != "header" and text[start:start + 1] in self._blocklist and self.blocked(text, start):
            return None
        if pname in _MODEL_CHECKED and self._wordlike(text, start, end) and not (
            pname == "title" and text.startswith(self._clinical_titles, end)
        ):  # a clinical title vouches for a rare name (经周想主任同意); a job title does not (肇事司机)
            return None
        if pname in _SHAPED:
            cut = self.shape_end(text, start)
            if cut is None and pname == "relation_shape" and text[start] in self._weak:
                # after 患者/家属 a function-word surname starts a name when two common given
                # characters follow it (患者万丽娜, but not 患者明天 or 患者和家属)
                cut = self.shape_end(text, start, weak_ok=True)
                if cut is not None and (cut - start != 3 or not all(c in self._given for c in text[start + 1:cut])):
                    cut = None
            if cut is None or text[start:cut] in self._roles or text[start:cut] in self._not_names:
                return None
            if pname in _RELATION and self._wordlike(text, start, cut):
                return None
            return start, cut
        if pname != "header" and (text[start:end] in self._roles or text[start:end] in self._not_names):
            return None
        if pname == "title" and end - start >= 2 and text.endswith(self._title_words, 0, start + 1):
            # 药师柴老师: 师 ends the title 药师, the name is 柴
            return start + 1, end
        if pname == "verb_after":
            if text[start] in self._weak and "某" not in text[start:end]:
                return None
            return start, end
        if pname == "role_any_surname":
            value = text[start:end]
            if any(c in _UTTERANCE for c in value[1:]) or (text[start] not in self._surnames and value[0] in _UTTERANCE):
                return None
        return start, end

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

    # ------------------------------------------------------------------ the name shape
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

    def extra(self, text: str) -> list[Entity]:
        """Withheld names (梁某某) anywhere, and names that open a dialogue turn (梁建华：医生，我…)."""
        out: list[Entity] = []
        if "某" in text:
            for m in _MOU_RUN.finditer(text):
                q, e = m.start(), min(m.end(), m.start() + 2)
                if m.end() - q > 2 or (m.end() < len(text) and text[m.end()] in _PSEUDONYM_NOT_BEFORE):
                    continue
                if q >= 2 and text[q - 2:q] in self._compounds:
                    s = q - 2
                elif q >= 1 and text[q - 1] in self._surnames and text[q - 1] not in _PSEUDONYM_FIRST_NOT:
                    s = q - 1
                else:
                    continue
                out.append(self._entity(text, s, e, "pseudonym", 0.85, "surname + 某"))
        for m in self._familiar_re.finditer(text):  # 老王, 小李, 阿珍 in speech
            s = m.start("s")
            if text[s] not in self._weak and not self.blocked(text, s):
                out.append(self._entity(text, m.start(), m.end(), "familiar", 0.75, "老/小 + surname"))
        for m in _signature_lines(text):
            base = m.start("names")
            for part in re.finditer(r"[\u4e00-\u9fff]+", m.group("names")):
                s, e = base + part.start(), base + part.end()
                if self.shape_end(text, s) == e and not self.blocked(text, s) and text[s:e] not in self._roles:
                    out.append(self._entity(text, s, e, "signature_line", 0.8, "a line that is only a signature"))
        if self._minority_re is not None:  # 扎西次仁, 次仁卓玛, 斯琴高娃: names without a Han surname
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
        if "床" in text:  # handover lists: 3床 柴永利，男，71岁
            for s in _bed_ends(text):
                e = self.shape_end(text, s)
                if e is not None and e - s >= 2 and not self.blocked(text, s):
                    out.append(self._entity(text, s, e, "after_bed", 0.8, "name after a bed number"))
        if any(d in text for d in _DOTS):
            for m in self._dotted_re.finditer(text):
                s, dot = m.start(), m.start() + min(text.find(c, m.start()) % (len(text) + 1) for c in _DOTS)
                while dot - s > 2 and text[s] in _DOTTED_LEAD:  # 由其女古丽娜尔·艾力: the name starts after 由其女
                    s += 1
                out.append(self._entity(text, s, m.end(), "dotted", 0.85, "transliterated name with a middle dot"))
        if "（" in text or "(" in text:  # chat exports: 丁慧（随访护士） / 阳光明媚（宋晓光）
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
                    if at_line_start:  # 丁慧（随访护士）at the start of a line
                        s = text.index(head, line)
                        e = s + len(head)
                    elif 2 <= run <= 4:  # …，严冬梅（患者女儿）陪同
                        s, e = q - run, q
                    else:
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
        # a name opening a sentence and acting in it (梁淑芬诉头痛, 王建国今日出院): the shape must be
        # whole (surname + common given characters) and a person's verb must follow
        for s in _ends(self._sentence_start, self._sentence_re, text):
            e = self.shape_end(text, s)
            if e is None or e - s < 2 or self.blocked(text, s) or text[s:e] in self._roles or self._wordlike(text, s, e):
                continue
            sex = _SEX_AFTER.match(text, e) is not None or text.startswith(_SEX_WORDS, e)
            if not sex and not all(c in self._given for c in text[s + (2 if text[s:s + 2] in self._compounds else 1):e]):
                continue
            verbs = _SUBJECT_VERBS if e - s >= 3 else _SUBJECT_VERBS_STRICT
            k = 2 if text[s:s + 2] in self._compounds else 1
            if sex or text.startswith(verbs, e) or (
                text.startswith(self._person_next, e) and self._score.score(text[s:s + k], text[s + k:e]) >= FREE_SCORE
            ):
                out.append(self._entity(text, s, e, "subject", 0.8, "name opening a sentence before a verb of a person"))
        out.extend(self._clause_names(text))
        m0 = _GIVEN_SPEAKER_AT.match(text)
        for m in ([m0] if m0 is not None else []) + list(_GIVEN_SPEAKER.finditer(text)):  # 晓雯：妈，我来了
            g = m.group("g")
            if g not in self._roles and all(self._score.given.get(c, FLOOR_BUCKET) >= GIVEN_SPEAKER_BUCKET for c in g):
                out.append(self._entity(text, m.start("g"), m.end("g"), "given_speaker", 0.75,
                                        "a speaker label of two given-name characters"))
        if "\n" in text:
            out.extend(self._table_names(text))
        if "氏" in text:  # 贾王氏: a married woman's own surname after her husband's
            for m in self._married_re.finditer(text):
                s, e = m.span()
                before, after = text[s - 1:s], text[e:e + 1]
                if ((not before or not "\u4e00" <= before <= "\u9fff" or before in _MARRIED_BEFORE)
                        and (not after or not "\u4e00" <= after <= "\u9fff" or self._ends_name(text, e))
                        and not self.blocked(text, s)):
                    out.append(self._entity(text, s, e, "married_name", 0.8, "surname + surname + 氏"))
        if "姓" in text:
            for m in _SAID_SURNAME.finditer(text):  # 我姓秦。
                q = m.end()
                k = 2 if text[q:q + 2] in self._compounds else 1
                if (text[q:q + k] in self._compounds or text[q:q + 1] in self._surnames) and self._ends_name(text, q + k):
                    out.append(self._entity(text, q, q + k, "said_surname", 0.75, "a surname said after 姓"))
        if _HAS_CAPITAL.search(text) is not None:
            out.extend(self._latin_names(text))
        if "：" in text or ":" in text or "【" in text or "[" in text:
            # any label that ends in a role word (主持人：, 参加人员：, 上级医师审签：, 接警员：) names a person
            for m in _KIN_LABEL.finditer(text):  # 子：黄文达 in a list of relatives
                s = m.end()
                e = self.shape_end(text, s)
                if e is not None and e - s >= 2 and self._ends_name(text, e) and not self.blocked(text, s):
                    out.append(self._entity(text, s, e, "kin_label", 0.8, f"after the kinship label {m.group(0).strip()!r}"))
            for m in _ROLE_LABEL.finditer(text):
                s = m.end()
                spaced = self._spaced_re.match(text, s)
                if spaced is not None and not self.blocked(text, s):  # 主持人：聂  峰（胸外科）
                    out.append(self._entity(text, s, spaced.end(), "role_label_spaced", 0.8,
                                            f"alignment-spaced name after {m.group(0).strip()!r}"))
                    continue
                if text[s:s + 1] in self._surnames and _PADDED_END.match(text, s + 1):  # 受理人：乔  审核：
                    out.append(self._entity(text, s, s + 1, "role_label_surname", 0.75,
                                            f"a surname alone after {m.group(0).strip()!r}"))
                    continue
                e = self.shape_end(text, s)
                if e is None and text[s:s + 1] in self._weak:  # 执行者：单丹: a weak surname the model vouches for
                    e = self.shape_end(text, s, weak_ok=True)
                    if e is not None and self._score.score(text[s], text[s + 1:e]) < FREE_SCORE:
                        e = None
                if e is None or text[s:e] in self._roles or text[s:e] in self._not_names or self.blocked(text, s):
                    continue
                if self._ends_name(text, e) or text[e:e + 1] in "、/":
                    out.append(self._entity(text, s, e, "role_label", 0.8, f"after the role label {m.group(0).strip()!r}"))
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

    def _speaker_turns(self, text: str) -> list[re.Match[str]]:
        """Speaker labels opening a turn, in text order (groups ``n`` or ``b`` hold the name)."""
        first, lines, sentences = self._speaker_scans
        found = [*lines.finditer(text), *sentences.finditer(text)]
        found.sort(key=_start)
        m0 = first.match(text)
        return found if m0 is None else [m0, *found]

    def refine(self, text: str, found: list[Entity]) -> list[Entity]:
        """Add names listed after a found one (王五、赵六) and every other occurrence of a found name."""
        # a value after a role label that runs to a visible end outranks a shorter cut of it by a
        # cue word at the same place (签名：古丽娜尔 over 古丽娜)
        cut_at = {e.start: e.end for e in found if e.score >= 0.8}
        out = [
            e._replace(score=0.85) if e.explanation.pattern == "role_any_surname" and cut_at.get(e.start, e.end) < e.end else e
            for e in found
        ]
        for e in list(out):
            out.extend(self._listed_after(text, e))
        names = {e.text for e in out if e.score >= PROPAGATE_MIN and len(e.text) >= 2}
        if not names:
            return out
        taken = _Intervals((e.start, e.end) for e in out)
        for nm in sorted(names, key=len, reverse=True):
            pos = text.find(nm)
            while pos >= 0:
                end = pos + len(nm)
                # a longer name replaces a shorter cut inside it (侄子项东来 after 项东来：)
                if not taken.overlaps_outside(pos, end) and not self.blocked(text, pos):
                    out.append(self._entity(text, pos, end, "propagated", 0.85, f"same as {nm!r} found earlier"))
                    taken.add(pos, end)
                pos = text.find(nm, end)
        return out

    # ------------------------------------------------------------------ helpers
    def _listed_after(self, text: str, e: Entity) -> list[Entity]:
        """Names listed after a found one: 王五、赵六; 李明/王芳; 李明（主治医师），王芳（住院医师）."""
        out: list[Entity] = []
        pos = e.end
        while e.score >= 0.5:
            paren = _PAREN_AFTER.match(text, pos)
            if paren is not None:
                pos = paren.end()
            sep = text[pos:pos + 1]
            if sep in ("、", "/"):
                m = self._name_re.match(text, pos + 1)
                if m is not None:
                    s, t = m.span()
                else:  # 伍思远、鲍一凡两位医师: the shape, ending before a person's word
                    s = pos + 1
                    t = self.shape_end(text, s)
                    if t is None or t - s < 2 or not self._ends_name(text, t):
                        break
                if self.blocked(text, s):
                    break
            elif sep in ("，", ",", "；", ";", " ", "\u3000"):
                s = pos + 1
                while text[s:s + 1] in (" ", "\u3000"):
                    s += 1
                t = self.shape_end(text, s)
                if t is None or self.blocked(text, s) or not (self._ends_name(text, t) or text[t:t + 1] in "（(、"):
                    break
                # names listed with spaces (出席：王建国 李强 张华) stand alone between spaces
                if sep in (" ", "\u3000", "；", ";") and paren is None and text[t:t + 1] not in ("", " ", "\u3000", "\n"):
                    break
                whole = all(c in self._given for c in text[s + 1:t]) or text[t:t + 1] in "（(、"
                if not whole or text[s:t] in self._roles:
                    break
            else:
                break
            out.append(self._entity(text, s, t, "list", e.score, f"listed after {e.text!r}"))
            pos = t
        return out

    def _entity(self, text: str, start: int, end: int, pattern: str, score: float, note: str) -> Entity:
        return Entity(
            type=self.entity,
            start=start,
            end=end,
            text=text[start:end],
            recognizer=self.name,
            score=score,
            explanation=Explanation(self.name, pattern, score, note=note),
        )


_start = methodcaller("start")

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


def _ends(at_start: re.Pattern[str], after_mark: re.Pattern[str], text: str) -> Iterable[int]:
    """Ends of a body that opens the text or follows a mark character, in order.

    ``after_mark`` is ``[marks](?=(?P<v>body))``: it starts with a character class, so the regex
    engine skips to the next mark in C instead of trying an anchor at every position, and the body
    in the look-ahead lets matches after neighbouring marks overlap as a look-behind scan would.
    """
    m0 = at_start.match(text)
    if m0 is not None:
        yield m0.end()
    for m in after_mark.finditer(text):
        yield m.end("v")


class _Intervals:
    """Spans already taken, for overlap tests in O(log n) (spans may overlap each other)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self._spans = sorted(spans)
        self._max_len = max((e - s for s, e in self._spans), default=0)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._spans, (start - self._max_len, -1))
        for s, e in self._spans[i:]:
            if s >= end:
                return False
            if e > start:
                return True
        return False

    def overlaps_outside(self, start: int, end: int) -> bool:
        """True when a span overlapping [start, end) reaches outside it."""
        i = bisect.bisect_left(self._spans, (start - self._max_len, -1))
        for s, e in self._spans[i:]:
            if s >= end:
                return False
            if e > start and (s < start or e > end or (s, e) == (start, end)):
                return True
        return False

    def add(self, start: int, end: int) -> None:
        bisect.insort(self._spans, (start, end))
        self._max_len = max(self._max_len, end - start)
