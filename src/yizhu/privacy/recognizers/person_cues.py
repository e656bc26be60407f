"""Cue words, labels and the scans that find where a person's name stands (for ``person.py``).

Titles and roles (主治医师, 责任护士, 主持人：), kinship (其母, 子：), signature lines, bed numbers of a
handover list (3床 柴永利), verbs a person does (诉, 签字), the sex after a name (，男), chat stamps:
each is a compiled pattern or word set here; ``person.PersonRecognizer`` reads names at them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from yizhu.privacy.recognizers._data import PersonData

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

#: A date and time stamp opening a line of a chat export ([2024-03-05 10:15], 2024/3/5 10:15:02) or a time range
#: opening a line of a schedule (08:30-09:00).
_LINE_STAMP = re.compile(
    r"[ \t\u3000]*[\[【(（]?(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?[ \t\u3000]*)?"
    r"(?:\d{1,2}[:：]\d{2}(?:[:：]\d{2})?(?:[ \t\u3000]*[-–~～至][ \t\u3000]*\d{1,2}[:：]\d{2})?)?[\]】)）]?[ \t\u3000]*"
)

#: A one-character kinship label opening a field (子：, 妻：, 母：), not the end of a word (因子：).
_KIN_LABEL = re.compile(r"[父母妻夫子女兄弟姐妹](?<![\u4e00-\u9fff].)[ \t\u3000]*[:：][ \t\u3000]*")

#: A surname said alone after 姓 (我姓秦, 免贵姓王).
#: 姓 said before a surname (我姓秦, 一个姓吴的医生, 邻居，姓罗。, 好像姓聂): not 老百姓, 同姓 (session deidner: only 我/他/她/贵姓 before).
_SAID_SURNAME = re.compile("姓(?<![百同]姓)")
#: Runs of 某 (梁某某 is a surname before a run of one or two).
_MOU_RUN = re.compile("某某*")  # a literal first, so the engine skips to it in C
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
    r"[ \t\u3000]*(?:(?:[A-Z]{2,5}-?|[+＋加])?\d{1,3}[ \t\u3000]*床|[零一二三四五六七八九十百两]{1,4}床"
    r"|床号?[ \t\u3000]*[:：]?[ \t\u3000]*\d{1,3}床?)"
    r"[ \t\u3000]*[:：]?[ \t\u3000]*"
)
#: Where a bed number may open a list item: a line start or after a sentence, clause or label mark.
_BED_MARKS = "\n；;。，,：: \u3000\t"
#: The scan: a mark character first (the regex engine skips to it in C), the body in a look-ahead.
_BED_AT_START = re.compile(_BED_BODY)


#: Chinese numerals of a bed said aloud (二十二床, 三十一床).
_CN_BED_DIGITS = frozenset("零一二三四五六七八九十百两")


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
        spoken = j == k - 1 and j >= 0 and text[j] in _CN_BED_DIGITS  # 二十二床钟国庆 (said, so after any word)
        if spoken:
            while j >= 0 and text[j] in _CN_BED_DIGITS:
                j -= 1
        if (j < 0 or text[j] in _BED_MARKS or spoken) and (not starts or starts[-1] != j + 1):
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
                 "员", "专家", "主任", "翻译", "户名", "乳名", "小名", "曾用名", "别名", "昵称", "绰号", "外号")
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


#: Possessives before a kinship word (他爸王志勇, 她妈李秀兰, 我家老头张德明, 你哥赵强): every pairing is a cue.
_POSSESSIVES = ("我", "他", "她", "你", "我家", "他家", "她家", "俺", "俺家", "我们家", "他的", "她的", "我的")
_POSSESSED = ("爸", "妈", "哥", "姐", "弟", "妹", "爷爷", "奶奶", "老公", "老婆", "媳妇", "媳妇儿", "儿子", "女儿", "爱人",
              "丈夫", "妻子", "老头", "老头子", "老太", "老太婆", "老伴", "闺女", "孙子", "孙女", "外婆", "外公", "爸爸", "妈妈",
              "哥哥", "姐姐", "弟弟", "妹妹", "男人", "女人", "对象", "室友", "同事", "朋友", "同学", "邻居", "姥姥", "姥爷")

#: The generated pairings: cues before a name only (the label scan), not roles in brackets or look-behind words.
POSSESSIVE_KIN = frozenset(p + k for p in _POSSESSIVES for k in _POSSESSED)


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
        "kin_before": union(d.kin_before, [*d.kin_words, *sorted(POSSESSIVE_KIN)]),
    })


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

#: A dose after a word: a herb or a drug, not a person (郁金10g, 甘松 6 g, 何首乌15g).
DOSE = re.compile(r"[ \t\u3000]*\d+(?:\.\d+)?[ \t]*(?:g|mg|ml|mL|kg|μg|ug|IU|U|克|毫克|片|粒|支|袋|包|丸|剂|钱)(?![A-Za-z])")
#: A hyphen joining two names into an eponym (吉兰-巴雷, 史-约): what follows a tagged span that is not a person.
EPONYM_NEXT = re.compile("[-－‐–][\u4e00-\u9fff]")
