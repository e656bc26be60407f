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
from yizhu.privacy.recognizers.namescore import FLOOR, NameScorer, scorer
from yizhu.privacy.recognizers.person_chat import ChatNames
from yizhu.privacy.recognizers.person_cues import (
    _AFTER_NAME,
    _CJK,
    _CUE_GAP,
    _GAP,
    _GAP_WORDS,
    _KIN_LABEL,
    _LEADING_FUNCTION,
    _MARRIED_BEFORE,
    _MODEL_CHECKED,
    _MOU_RUN,
    _NOT_FIRST,
    _PADDED_END,
    _PAREN_AFTER,
    _PSEUDONYM_FIRST_NOT,
    _PSEUDONYM_NOT_BEFORE,
    _RELATION,
    _ROLE_ENDINGS,
    _ROLE_LABEL,
    _SAID_SURNAME,
    _SEP,
    _SEX_AFTER,
    _SEX_WORDS,
    _SHAPED,
    _SUBJECT_VERBS,
    _SUBJECT_VERBS_STRICT,
    _UTTERANCE,
    _VISIBLE_END,
    DOSE,
    EPONYM_NEXT,
    FREE_SCORE,
    GIVEN_BUCKET,
    POSSESSIVE_KIN,
    PROPAGATE_MIN,
    _alt,
    _bed_ends,
    _char_class,
    _ends,
    _merged,
    _signature_lines,
)
from yizhu.privacy.recognizers.person_foreign import (
    _DOTS,
    _HAS_CAPITAL,
    _PINYIN_WORD,
    _TRANSLITERATION,
    _WESTERN_TRANSLITERATION,
    ForeignNames,
    foreign_blocklist,
)
from yizhu.privacy.recognizers.person_ner import NerNames
from yizhu.privacy.recognizers.person_shape import NameShape
from yizhu.privacy.recognizers.person_slots import (
    _SLOT_ACTS,
    _SLOT_LABEL_TAIL,
    _UNIT_BEFORE,
    CHILD_NAME_BUCKET,
    GIVEN_ONLY_BUCKET,
    PARENT_WORDS,
    SLOT_FIELD_MORE_LABELS,
    TIGHT_GIVEN_BUCKET,
    SlotNames,
)
from yizhu.privacy.recognizers.person_speech import SpeechNames
from yizhu.privacy.recognizers.person_tables import SPACED_CELL_BUCKET, TableNames
from yizhu.privacy.recognizers.person_tagger import DOSAGE_FORMS, PersonTagger, tagger
from yizhu.privacy.recognizers.person_words import SLOT_PATTERNS, WordGuards
from yizhu.privacy.recognizers.words import drug_at, lexicon
from yizhu.privacy.types import Entity, Explanation, PHIType

_start = methodcaller("start")
#: A dose after a herb or a drug (郁金10g, 黄芩 15 g, 杜仲 3片): a name the same as the word is not masked there.
#: A numbered row whose first cell is a spaced name (1 葛 佑 ZY…): the spaced-cell scan runs on such text too.
_NUMBERED_SPACED = re.compile(r"\n[ \t]*\d{1,3}[.、．)）]?[ \t]+[\u4e00-\u9fff] [\u4e00-\u9fff]")
#: Least mean marginal of a tagger span for the engine to take it, and the one above which it is sure
#: (a sure span may be a word the name model dislikes, and is propagated like a rule's name).
TAGGER_MIN = 0.6
TAGGER_SURE = 0.8
#: Least mean marginal of a span that starts inside a run of Chinese characters with no cue word before it.
TAGGER_MIDWORD = 0.9
#: Least mean marginal of a span taken where no word that follows names comes next, because the dictionary
#: segments the text after it as words of their own (格桑|轮流陪护, 于洋|换了班, 阮丽|登记; not 马海毛|毛衣).
TAGGER_SEGMENTED = 0.9
#: Least mean marginal of a span taken even when it is a preposition surname before a word (于海, 于洋): the context
#: alone made the tagger this sure. (Not for a name that spells a common word, 方正, 文静: on real text the tagger is as
#: sure of 蓝光, 水银, 高兴.)
TAGGER_WORD_SURE = 0.97
#: A run of Chinese characters.
_CJK_RUN = re.compile("[\u4e00-\u9fff]+")
#: A verb of calling a person something, then the name (大家叫她芳芳。 叫我晓雯就行 喊他豆豆吧).
_NAMED_AS = re.compile(
    r"(?:叫她|叫他|叫我|叫佢|喊她|喊他|喊我|称她|称他|称我)(?P<v>[\u4e00-\u9fff]{2,3})(?=[。！!？?，,、…~～]|就行|就好|吧|$|\n)"
)
#: A patient called in at a clinic: 下一位/下一个 (or 请), a comma, two or three characters, then the end of the call
#: (下一位，方正。 下一个，温暖—— 请宁静到3号诊室; the analyzer folds —— to --).
_CALLED = re.compile(
    r"(?:下一位|下一个)[，,：:\s]*(?P<v>[\u4e00-\u9fff]{2,3})(?=[。！!？?，,.]|——|--|…|$|\n)"
    r"|请(?P<w>[\u4e00-\u9fff]{2,3})(?=到\d{1,2}号?诊室|到\d{1,2}号?窗口)"
)
#: A patient's label, then two or three characters, then the sex (患者高峰，男，45岁; 患儿丁一 男 3岁).
_PATIENT_SEX = re.compile(
    r"(?:患者|病人|患儿|伤者|死者|产妇|孕妇|病员)(?P<v>[\u4e00-\u9fff]{2,3})(?=(?:[，,（(]|[ \t\u3000]+)[男女](?:[ \t\u3000,，）)性。；;]|$|\d))"
)
#: What continues a field's name after a line break: one or two characters (a single space between them, as
#: OCR prints) before a gap, a bracket or the line end.
_LINE_CONTINUED = re.compile(r"\n([\u4e00-\u9fff](?:[ \u3000]?[\u4e00-\u9fff])?)(?=[ \t\u3000]{2,}|\u3000|[（(]|[ \t]*(?:\n|$))")
#: One-character titles after which a surname outside ``title_surnames`` may still stand alone (任嫂).
_RARE_SHORT_TITLES = frozenset("嫂")
#: Characters before such a surname that end a word leading to a person (找, 问, 位) or a department (科, 室).
#: Surnames that open a clause as a preposition or conjunction far more often (和医生沟通, 由护士执行).
_FUNCTION_SURNAMES = frozenset(_LEADING_FUNCTION + "由从对经同将把被给让")
_BEFORE_RARE_TITLE = frozenset("找问叫请是跟给让的位科室组和同把将替帮陪")
#: Words after which a surname that is mostly a preposition or an adverb (于, 常) before a title is a person's
#: (谢谢于护士, 我们于护士, 那个常大爷); and places named by a title (护士站, 医生办公室).
_LEADS_TO_PERSON = ("谢谢", "感谢", "多谢", "我们", "咱们", "你们", "他们", "那个", "这个", "那位", "这位", "找", "问", "请",
                    "叫", "跟", "给", "让", "是")
#: Surnames that are conjunctions before a title far more often (你们和大夫沟通): never taken after those words.
_CONJUNCTIONS = frozenset("和与及跟同")
_TITLE_PLACES = ("护士站", "医生站", "医生办", "护士办", "医生办公室", "护士长办公室", "主任办公室")
#: The last characters of a department before a surname and a title (重症医学科伏主任, 护理部台护士长).
_DEPT_BEFORE_TITLE = frozenset("科室")
#: Titles that only a person's surname stands before (门先生, 水女士): a weak surname is taken before them after a
#: word that leads to a person.
_FORMAL_TITLES = ("先生", "女士")
#: Between a name header and its value: a colon (after an optional required-field star), spaces, or the close of a
#: bracketed title (姓名*：杜若, 【姓名】青松).
_HEADER_SEP = "(?:[*＊]?[ \\t\\u3000]*[:：][ \\t\\u3000]*|[ \\t\\u3000]+|[】\\]][ \\t\\u3000]*)"

#: Particles and a greeting that may follow a one-character title before a mark or the end (刘姨吗？ 王总好！).
_TITLE_PARTICLES = frozenset("吗呢啊呀吧了好")


class PersonRecognizer(NameShape, SpeechNames, TableNames, SlotNames, ForeignNames, WordGuards, ChatNames, NerNames,
                       Recognizer):
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
            # a header may be decorated: a required-field star or a bracketed title (姓名*：杜若, 【姓名】青松)
            Pattern("header", f"{_HEADER_SEP}(?P<phi>{name}){end}", 0.9, labels=tuple(header_labels),
                    adjacent=sep | frozenset("*＊】]"), spaced_labels=True),
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
                _char_class(d.surnames),
                0.7,
                labels=tuple(d.surname_titles),
                label_position="after",
                window=1,
                adjacent=frozenset(d.surnames),
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
        if d.slot_nouns:  # 接种者顾念, 探视人员：区伟雄: a person noun, then the name it introduces (person_slots)
            patterns.append(Pattern("slot_noun", "", 0.85, labels=tuple(d.slot_nouns), locate=self._locate_slot_noun))
        # 姓名*：钱有福, 制表：佴可, 科主任：蔺相如: a field's value whatever its characters (person_slots)
        # (a value pattern whose keys hold the next character: the automaton stops only where a colon, a star or a
        # space follows the word, and ``adjust`` reads the value)
        patterns.append(Pattern("slot_field_more", f"{_SLOT_LABEL_TAIL}(?P<phi>[{_CJK}])", 0.85,
                                labels=SLOT_FIELD_MORE_LABELS, adjacent=frozenset(" \t\u3000:：*＊（(")))
        # 凡凡妈妈: a child's reduplicated name before a parent word (person_slots)
        patterns.append(Pattern("child_parent", "", 0.8, labels=PARENT_WORDS, locate=self._locate_child_name))
        super().__init__(patterns)
        self._surnames = frozenset(d.surnames)
        self._name_firsts = self._surnames | {c[0] for c in d.compound_surnames}
        self._compounds = frozenset(d.compound_surnames)
        self._kin = frozenset(d.kin_words)  # (a kinship word alone is no name: person_ner)
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
        self._minority_parts = frozenset(d.minority_name_parts)
        kin_before = [w for w in d.kin_before if w not in POSSESSIVE_KIN]  # 他爸, 我家老头: the label scan's only
        self._paren_roles = frozenset([*d.role_words, *d.kin_words, *d.people_titles, *kin_before])
        self._paren_role_re = re.compile(_alt(list(self._paren_roles)))
        # person words of two characters or more that a name may follow straight (家属于涛, 护士长任重): person_words
        self._person_before = tuple(sorted((w for w in self._paren_roles if len(w) >= 2), key=len, reverse=True))
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
        hard = _char_class("".join(c for c in d.nonname_chars if c not in _TRANSLITERATION + _WESTERN_TRANSLITERATION) + _DOTS)
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
        self._kin_cues = tuple(sorted({*kin_before, *d.kin_words, *d.title_before, "其侄", "侄", "一女", "一子"},
                                      key=len, reverse=True))
        self._familiar_re = re.compile(
            f"[老小](?<=(?<![{_CJK}])[老小]|(?<=[叫找问跟和让是给请对壁士的个位\"“])[老小])(?P<s>{_char_class(d.title_surnames)})"
            f"(?=[，。！？、,.!?\\s”」）)\":：—…]|--|是个|是我|说|讲|叫|来|去|也|呢|啊|呀|吧|护士|医生|大夫|师傅|他|她|吃|进行|还|就|都|刚|帮|发现|在|已|把|将|告诉|看|拿|打|给|你)"
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
        for w in (*d.blocklist, *foreign_blocklist()):  # 扎西德勒, 乐卫玛: person_foreign.yaml
            by_first.setdefault(w[0], []).append(w)
        self._blocklist = {k: sorted(v, key=len, reverse=True) for k, v in by_first.items()}
        self._title_blockers = set(d.surname_title_blockers)
        self._clinical_titles = tuple(sorted(
            (t for t in d.after_labels if any(k in t for k in ("医", "护", "主任", "教授", "大夫", "院长", "药师", "技师"))),
            key=len, reverse=True))
        self._title_chars = title_chars
        # a surname, then one or two given characters, each after the same single space (陶　然, 刘 子 峰)
        # (one scan per space character: each starts with a literal the engine skips to in C, then looks back at
        # the surname; a class of both spaces is twice as slow)
        self._spaced_cell_res = tuple(
            re.compile(f"{sp}(?<={_char_class(d.surnames)}{sp})[{_CJK}](?![{_CJK}])") for sp in ("\u3000", " "))
        self._rare_title_leads = tuple(sorted({*d.lead_words, *d.clause_verbs, "那个", "这个", "那位", "这位", "一位"},
                                              key=len, reverse=True))
        self._short_titles = frozenset(t for t in d.surname_titles if len(t) == 1)
        self._long_titles = tuple(sorted((t for t in d.surname_titles if len(t) > 1), key=len, reverse=True))
        self._not_names = set(d.not_names)
        # words of two or more characters that follow a person (他 alone also starts a drug: 曲美他嗪)
        self._tagger_next = tuple(w for w in (*self._person_next, *self._follow) if len(w) >= 2)
        self._tagger: PersonTagger | bool | None = False  # loaded on first use (False: not yet)
        self._slot_not = frozenset(d.slot_not_values)
        self._colon_label_set = frozenset(self._colon_labels)
        nouns: dict[str, list[str]] = {}
        for w in d.slot_nouns:
            nouns.setdefault(w[0], []).append(w)
        self._slot_nouns_at = {k: tuple(sorted(v, key=len, reverse=True)) for k, v in nouns.items()}
        self._slot_firsts = self._surnames | self._weak | {c[0] for c in d.compound_surnames}
        # what a person does right after a name (接种者顾念说, 主管高远总是): the strict subject verbs and adverbs
        self._slot_next = tuple(sorted({*_SUBJECT_VERBS_STRICT, "总是", "总", "一直", "经常", "常", "又", "也", "还",
                                        "已", "正在", "曾", "打电话", "打了", "借", "商量"}, key=len, reverse=True))
        self._reduplicated = frozenset(d.reduplicated_words)
        # a role written straight before a name, no colon (科主任 宁静, 主治医师沐晨。): person_slots._role_slots
        self._slot_roles_set = frozenset(d.slot_roles)
        # (what may start a name there, checked in C: a surname, or a character given names use)
        slot_starts = _char_class("".join(sorted(self._slot_firsts | {
            c for c, k in self._score.given.items() if k >= GIVEN_ONLY_BUCKET and len(c) == 1})))
        # (and a value of two to four characters, then a visible end, a person's act or verb: checked in C too)
        # (the acts are checked again in Python: the look-ahead needs only their first characters, one class)
        tail = (f"[{_CJK}]{{2,4}}(?:[ \\t\u3000\\n，,。；;、（(）)！？!?:：]|$|"
                f"{_char_class(''.join(sorted({w[0] for w in (*_SLOT_ACTS, *self._slot_next)})))})")
        # (roles that are person nouns too — 二线, 校医, 医务部 — are labels of the automaton: not scanned again)
        scanned_roles = [r for r in d.slot_roles if r not in set(d.slot_nouns)]
        self._slot_role_re = re.compile(
            f"(?P<r>{_alt(scanned_roles) if scanned_roles else '(?!)'})(?P<g>[ \\t\u3000]*)(?={slot_starts})(?={tail})")
        # a role in brackets after a name (言若水（副麻）): the bracket's last character ends a role (checked in C)
        self._slot_paren_re = re.compile(
            "[（(](?P<r>[^（()）\n]{1,10})(?<=" + _char_class("".join(sorted({w[-1] for w in (*d.slot_roles, "助")})))
            + ")[）)]")
        self._unit_re = re.compile(
            f"{_UNIT_BEFORE.pattern}(?={_char_class(''.join(sorted(self._slot_firsts)))})(?={tail})")
        # a relative listed after another (其妻桂兰芝、其子向东): 、 and a kinship word (the name is read in person_slots)
        self._kin_item_cues = tuple(sorted({*self._kin_cues, *(w for w in d.bare_labels if w.startswith(("其", "之")))},
                                           key=len, reverse=True))
        self._kin_item_re = re.compile(
            "、" + _alt([w for w in self._kin_item_cues if len(w) >= 2 and w not in ("联系", "告知", "叫")]))
        # a name cell before a kinship cell of a register (许愿 外孙女)
        self._kin_cell_re = re.compile(
            f"[ \\t\u3000](?P<v>[{_CJK}]{{2,3}})[ \\t\u3000]+{_alt(d.kin_words)}(?=[ \\t\u3000]|$)")

    # ------------------------------------------------------------------ hooks
    def adjust(self, text: str, start: int, end: int, pattern: Pattern) -> tuple[int, int] | None:
        """Drop clinical words and words that end before a title (每周主任); re-cut weakly cued names.

        A candidate like 于王芳 (before 医师) is kept whole: 于 and 向 are also surnames, and masking
        one character too many is safer than leaking one.
        """
        pname = pattern.name
        if pname == "slot_field_more":
            return self._field_more_at(text, start)
        if pname in ("slot_noun", "child_parent"):  # located by person_slots: the place says a name stands there
            return start, end
        if pname == "title_surname":
            if text[max(0, start - 1):start + 1] in self._title_blockers:
                return None
            if text[start] not in self._title_chars and not self._rare_title_surname(text, start, end):
                return None
            # a one-character title (老, 总) must end the name: 梁老今天…, but 王老吉 is a drink
            # (a kinship or job title of one character may also end before a particle or a greeting: 请问是刘姨吗,
            # 王总好, 问过钱婶了; not 老, which ends words: 越老了)
            if text[end:end + 1] in self._short_titles and not text.startswith(self._long_titles, end) \
                    and not self._ends_name(text, end + 1) and not (
                        text[end] != "老" and text[end + 1:end + 2] in _TITLE_PARTICLES
                        and not "\u4e00" <= text[end + 2:end + 3] <= "\u9fff"):
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
            elif cut is None and pname == "kin_before" and text[start] in self._weak and start > 0 \
                    and "\u4e00" <= text[start - 1] <= "\u9fff":
                # right after a kinship word a function-word surname starts a name when its given characters are
                # common in names and the name visibly ends (妻子区美玲说明, 我室友向晴说; not 丈夫向来体健)
                cut = self.shape_end(text, start, weak_ok=True)
                if cut is not None and not (
                        cut - start in (2, 3) and all(c in self._given for c in text[start + 1:cut])
                        and (cut - start == 3 or _VISIBLE_END.match(text, cut) is not None
                             or text[cut:cut + 1] in _AFTER_NAME)
                        and not self._wordlike(text, start, cut)):
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
                # 刘某华, 王某婷: one given character left visible after a single 某 belongs to the name
                g = text[e:e + 1]
                if (m.end() - q == 1 and g in self._given and g not in self._nonname and g not in _AFTER_NAME
                        and self._paren_role_re.match(text, e) is None):
                    e += 1
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
        out.extend(self._chat_names(text))  # @老马识途, Kelvin陈, 张sir (person_chat)
        out.extend(self._minority_names(text))  # 扎西次仁, 次仁卓玛, 斯琴高娃: names without a Han surname
        if "床" in text:  # handover lists: 3床 柴永利，男，71岁
            for s in _bed_ends(text):
                e = self.shape_end(text, s)
                if e is not None and e - s >= 2 and not self.blocked(text, s):
                    out.append(self._entity(text, s, e, "after_bed", 0.8, "name after a bed number"))
                    continue
                # a slot: a bed number, two or three characters, then the sex (11床 双喜，男): a name whatever it spells
                for n in (3, 2):
                    value = text[s:s + n]
                    if (len(value) == n and value.isalpha() and all("\u4e00" <= c <= "\u9fff" for c in value)
                            and (text.startswith(_SEX_WORDS, s + n) or _SEX_AFTER.match(text, s + n) is not None)
                            and self._slot_value_ok(value)):
                        out.append(self._entity(text, s, s + n, "after_bed_sex", 0.8, "name after a bed, before its sex"))
                        break
        if "叫" in text or "喊" in text or "称" in text:  # 大家叫她芳芳。 叫我晓雯就行: the name a person goes by
            for m in _NAMED_AS.finditer(text):
                s, e = m.span("v")
                if self._called_name_ok(text, s, e):
                    out.append(self._entity(text, s, e, "named_as", 0.8, "the name a person is called by"))
        if "下一" in text or "请" in text:  # 下一位，方正。: a patient called in, whatever the name spells
            for m in _CALLED.finditer(text):
                s, e = m.span("v") if m.group("v") is not None else m.span("w")
                w = self.blocked(text, s)  # (a clinical word as long as the value is a name here: 下一位，高峰。)
                if self._slot_value_ok(text[s:e]) and (w is None or len(w) <= e - s):
                    out.append(self._entity(text, s, e, "called", 0.85, "a patient called in by name"))
        if "男" in text or "女" in text:  # 患者高峰，男，45岁: a patient's name before the sex, whatever it spells
            for m in _PATIENT_SEX.finditer(text):
                s, e = m.span("v")
                if self._slot_value_ok(text[s:e]):
                    out.append(self._entity(text, s, e, "patient_sex", 0.85, "a patient's name before the sex"))
        if any(d in text for d in _DOTS):
            out.extend(self._dotted_names(text))
        if "（" in text or "(" in text:  # chat exports: 丁慧（随访护士） / 阳光明媚（宋晓光）
            out.extend(self._paren_names(text))
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
        out.extend(self._given_speakers(text))
        if "\n" in text:
            out.extend(self._table_names(text))
        if ("\u3000" in text or "  " in text or "床 " in text or _NUMBERED_SPACED.match("\n" + text[:20]) is not None
                or _NUMBERED_SPACED.search(text) is not None):
            out.extend(self._spaced_cells(text))
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
        out.extend(self._foreign_names(text))  # Sarah Mitchell, 佐藤健太郎, 吉克曲布 (person_foreign.py)
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
            out.extend(self._speaker_names(text))
        return out

    def refine(self, text: str, found: list[Entity]) -> list[Entity]:
        """Add names listed after a found one (王五、赵六) and every other occurrence of a found name."""
        # a value after a role label that runs to a visible end outranks a shorter cut of it by a
        # cue word at the same place (签名：古丽娜尔 over 古丽娜)
        # ordinary words of real text (谢谢|李医生, 那医生, 和宝宝, 蓝光, 在吃金振): trimmed or dropped (person_words)
        found = [g for g in (self._word_guard(text, e) for e in found) if g is not None]
        cut_at = {e.start: e.end for e in found if e.score >= 0.8}
        out = [
            e._replace(score=0.85) if e.explanation.pattern == "role_any_surname" and cut_at.get(e.start, e.end) < e.end else e
            for e in found
        ]
        out.extend(self._slot_names(text, out))
        out.extend(self._role_slots(text, out))
        out.extend(self._tagged_names(text, out))
        if " " in text or "\u3000" in text:
            out.extend(self._roster_cells(text, out))
        out.extend(self._dialogue_slots(text, out))
        out.extend(self._given_alone(text, out))
        for e in list(out):
            out.extend(self._listed_after(text, e))
        out.extend(self._chat_speakers(text, out))
        out.extend(self._speaker_labels(text, out))  # (person_chat.py)
        out.extend(self._familiar_wide(text, out))
        out.extend(self._kin_nicknames(text, out))  # 我孙子小石头, 她家小宝 (person_chat)
        out.extend(self._compound_alone(text, out))  # 夏侯你们夜班… (person_chat)
        out.extend(self._ner_names(text, out))  # what a general lexical analyser reads as a person (person_ner)
        if "\n" in text:  # (a slot's value broken by a line is already two spans, one per line)
            out = [self._broken_by_line(text, e) if text[e.end:e.end + 1] == "\n" and e.explanation.pattern != "slot_field"
                   else e for e in out]
        # role slots written tight are read after the guards above: a particle or pronoun shows a phrase (医生对吗)
        out = [e for e in out if e.explanation.pattern not in SLOT_PATTERNS or self._slot_ok(text, e.start, e.end)]
        names = {e.text for e in out if e.score >= PROPAGATE_MIN and len(e.text) >= 2}
        if not names:
            return out
        taken = _Intervals((e.start, e.end) for e in out)
        for nm in sorted(names, key=len, reverse=True):
            pos = text.find(nm)
            while pos >= 0:
                end = pos + len(nm)
                # a longer name replaces a shorter cut inside it (侄子项东来 after 项东来：)
                if not taken.overlaps_outside(pos, end) and self._propagates_at(text, pos, end):
                    out.append(self._entity(text, pos, end, "propagated", 0.85, f"same as {nm!r} found earlier"))
                    taken.add(pos, end)
                pos = text.find(nm, end)
        return out

    def _propagates_at(self, text: str, pos: int, end: int) -> bool:
        """A found name is masked again at ``pos`` unless a longer clinical word starts there (高峰期 for 高峰; but
        杜仲明 stays a name beside the herb 杜仲); a name that is also a word or a herb (黎明, 郁金) must end where a
        name ends (not 安宁疗护) and not before a dose (郁金10g)."""
        w = self.blocked(text, pos)
        if (w is not None and len(w) > end - pos) or DOSE.match(text, end) is not None:
            return False
        if w is not None or text[pos:pos + 2] in self._score.words:
            # a herb or a word the same as the name: not before a dose (郁金10g), and ending where a name ends or before
            # a person's possessive, word or act the dictionary reads as a word of its own (高峰|之妻, 高峰|家属)
            return self._ends_name(text, end) or self._person_after_word(text, pos, end)
        return True

    def _person_after_word(self, text: str, s: int, e: int) -> bool:
        """The dictionary reads ``text[s:e]`` as a word of its own (no word across its left edge, a boundary at
        ``e``) and what follows is a possessive (之, 的), a person's word (家属, 大爷) or a verb of two characters
        (高峰之妻, 高峰的肌钙蛋白, 高峰家属; not 方圆|十公里, 黄连|本次未用: the words themselves)."""
        lex = lexicon()
        if s > 0 and lex.crossing(text, s) is not None:
            return False
        k = s
        cut = lex.cut(text[s:min(len(text), e + 4)])
        for i, w in enumerate(cut):
            k += len(w)
            if k == e:
                nxt = cut[i + 1] if i + 1 < len(cut) else ""
                return nxt in ("之", "的") or nxt in self._paren_roles or nxt in self._long_titles or (
                    len(nxt) >= 2 and lex.tag(nxt) == "v")
            if k > e:
                return False
        return False

    def _tagged_names(self, text: str, found: list[Entity]) -> list[Entity]:
        """Names the character tagger proposes where no rule found one, kept only where the rules'
        negative guards allow a name: it visibly ends (punctuation, a space, a word that follows names); its first character (a surname, a compound surname, a
        minority name part) or a middle dot, two to four name characters (a dotted or minority name up
        to twelve), not a blocklisted clinical word, a role word or a placeholder, and no character
        that never stands in a name; a candidate the name model reads as a word needs a sure tagger."""
        tg = self._tagger if self._tagger is not False else self._load_tagger()
        if tg is None:
            return []
        out: list[Entity] = []
        starts = tg.lex.starts
        for s, e, p in tg.propose(text, [(x.start, x.end) for x in found]):
            if p < TAGGER_MIN:
                continue
            value = text[s:e]
            if s > 0 and "\u4e00" <= text[s - 1] <= "\u9fff" and not text.endswith(tg.lex.left_cue_words, 0, s) and (
                    p < TAGGER_MIDWORD or any(c in self._nonname for c in value[1:])):
                continue  # 六味地|黄丸: inside a run of characters with no cue before it
            core = value.replace(" ", "").replace("\u3000", "")
            dotted = any(c in _DOTS for c in core)
            if not core or not all("\u4e00" <= c <= "\u9fff" or c in _DOTS for c in core):
                continue
            if value[0] not in starts and not dotted:
                continue
            if not (2 <= len(core) <= 4 or ((dotted or value[:2] in tg.lex.minority) and len(core) <= 12)):
                continue
            if (p < TAGGER_SURE and any(c in self._nonname for c in core[1:]) and not dotted
                    and value[:2] not in tg.lex.minority):
                continue
            if core in self._roles or core in self._not_names or self.blocked(text, s) or (core != value and any(
                    core.startswith(w) for w in self._blocklist.get(core[0], ()))):  # 金　银　花 spaced in a prescription
                continue
            # a name ends where a word of its own may start (not 张仲|景); an unsure one visibly (not 曲美|他嗪)
            if not (self._ends_name(text, e) or (p >= TAGGER_SEGMENTED and self._segmented_end(text, s, e))) or (p < TAGGER_SURE and _VISIBLE_END.match(text, e) is None and not (
                    text.startswith(self._tagger_next, e))):
                continue
            if p < TAGGER_SURE and " " not in value and "\u3000" not in value and self._wordlike(text, s, e):
                continue
            if DOSE.match(text, e) is not None:  # 甘松 6 g: a herb before its dose
                continue
            # 杜鹃|吉兰-巴雷综合征: the first name of an eponym (but 王芳-护士长: a chat name before its role)
            if EPONYM_NEXT.match(text, e) is not None and not text.startswith(self._title_words, e + 1):
                continue
            if not self._weak_ok(text, s, e, "tagger", sure=p >= TAGGER_WORD_SURE):  # 水平, 连锁, 澳大|利亚, 口服艾畅, 和泰诺林 (person_words)
                continue
            score = 0.8 if p >= TAGGER_SURE else 0.7
            out.append(self._entity(text, s, e, "tagger", score, f"character tagger (p={p:.2f})"))
        return out

    def _called_name_ok(self, text: str, s: int, e: int) -> bool:
        """A name after a verb of calling (叫她芳芳): a child's reduplicated name (芳芳, 豆豆; not 宝宝, 姐姐), given
        characters names use (晓雯), or a surname and given characters (叫我李娜); never a role, a kinship word or
        a placeholder (叫我妈妈, 叫他医生)."""
        value = text[s:e]
        if value in self._paren_roles or value in self._roles or value in self._not_names or value in self._reduplicated:
            return False
        if len(value) == 2 and value[0] == value[1]:
            return value[0] not in self._nonname and self._score.given.get(value[0], FLOOR) >= CHILD_NAME_BUCKET
        if all(self._score.given.get(c, FLOOR) >= GIVEN_ONLY_BUCKET for c in value):
            return True
        return self.shape_end(text, s) == e and not self.blocked(text, s)

    def _segmented_end(self, text: str, s: int, e: int) -> bool:
        """The dictionary segments ``text`` from ``s`` with a word boundary at ``e`` and a word of two characters or
        more right after it (格桑|轮流, 阮丽|登记, 常乐|大爷, 王平安|汇报), and no pack drug starts in the span (万古|霉素,
        罗库|溴铵) nor does a product in a dosage form follow (张仲景|六味地黄丸): what follows is a word of its own, not
        the rest of the span's word (马海毛|毛衣, 常青下|周)."""
        if drug_at(text, s, e):
            return False
        k = s
        cut = lexicon().cut(text[s:min(len(text), e + 4)])
        for i, w in enumerate(cut):
            k += len(w)
            if k == e:
                nxt = cut[i + 1] if i + 1 < len(cut) else ""
                if len(nxt) < 2 or not all("\u4e00" <= c <= "\u9fff" for c in nxt):
                    return False
                run = _CJK_RUN.match(text, e, min(len(text), e + 10))
                if run is not None and run.group(0).endswith(DOSAGE_FORMS):
                    return False  # 张仲景|六味地黄丸: a maker's brand before its product
                # a common noun of a thing after it reads as a brand or a material (燕婷|品牌, 马海毛|毛衣), a person's
                # word as a name (常乐|大爷, 阿杰|爸爸)
                return lexicon().tag(nxt) != "n" or nxt in self._paren_roles or nxt in self._long_titles or nxt.startswith(self._title_words)
            if k > e:
                return False
        return False

    def _broken_by_line(self, text: str, e: Entity) -> Entity:
        """A field's name that a printed form or OCR broke at the line end (姓名：蔡少⏎鸿　　性别, 投保人：许⏎文 雅（妻）):
        a name of one or two characters right after a field's colon and before a line break, continued by one or
        two characters that names use and then a field's end (a gap, a bracket, the line end), is taken whole."""
        m = _LINE_CONTINUED.match(text, e.end)
        if m is None or text[max(0, e.start - 8):e.start].rstrip(" \t\u3000")[-1:] not in (":", "："):
            return e
        core = e.text.replace(" ", "").replace("\u3000", "")
        if not 1 <= len(core) <= 2:
            return e
        more = m.group(1).replace(" ", "").replace("\u3000", "")
        if len(core) + len(more) > 4 or any(
                c in self._nonname or self._score.given.get(c, FLOOR) < SPACED_CELL_BUCKET for c in more):
            return e
        return self._entity(text, e.start, m.end(1), e.explanation.pattern, e.score,
                            (e.explanation.note or "") + "; continued after a line break")

    def _rare_title_surname(self, text: str, start: int, end: int) -> bool:
        """A surname outside ``title_surnames`` alone before a title (费主任查房, 满师傅, 护士于护士, 任嫂): the
        title has two or more characters (or is 嫂), and the surname stands after no Chinese character, right
        after a person's word (护工甘阿姨, 保姆任嫂), or (not a function-word surname such as 常, 伏)
        after a word that leads to a person (今日费主任, 那个麻医生, 总务科满师傅) — not inside a word (收费主任,
        值班医生, 主任医师). A surname that is mostly a preposition (于, 向, 和) is never taken here after a Chinese
        character (女儿向医生询问)."""
        if not text.startswith(self._long_titles, end) and text[end:end + 1] not in _RARE_SHORT_TITLES:
            return False
        prev = text[start - 1:start]
        if not prev or not ("\u4e00" <= prev <= "\u9fff"):
            return text[start] not in _FUNCTION_SURNAMES  # 和医生沟通 opens a line with a conjunction
        if text[start] in _FUNCTION_SURNAMES:  # 女儿向医生询问, 护士于护士站
            # (but 谢谢于护士, 我们于护士, 那个常大爷, 中心常护士: a word that leads to a person or a unit, no word across
            # the surname's left edge — not 对于|护士, 经常|护士 — and no place after the title: 于护士站)
            return text[start] not in _CONJUNCTIONS and (text.endswith(_LEADS_TO_PERSON, 0, start) or text.endswith(("中心", "科", "室"), 0, start)) and (
                lexicon().crossing(text, start) is None and text[end:end + 3] not in _TITLE_PLACES
                and not text.startswith(_TITLE_PLACES, end))

        if text.endswith(self._kin_cues, 0, start):
            return True
        if prev in _DEPT_BEFORE_TITLE:  # 重症医学科伏主任: a department, then a rare (even a weak) surname and a title
            return True
        if prev in _BEFORE_RARE_TITLE and text.startswith(_FORMAL_TITLES, end):  # 把门先生叫醒: a weak surname too
            return True
        return text[start] not in self._weak and (prev in _BEFORE_RARE_TITLE or text.endswith(self._rare_title_leads, 0, start))

    def _load_tagger(self) -> PersonTagger | None:
        self._tagger = tagger()
        return self._tagger

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
                        t = self._list_item_end(text, s)  # 夏雨、秋菊、许先进: an item of a list of names
                        if t is None:
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

    def _list_item_end(self, text: str, s: int) -> int | None:
        """The end of an item of two or three characters in a list of names after a found one (夏雨、秋菊、许先进⏎,
        喻春生、雷大勇借款): it ends at the next 、 or / or visibly, or (three characters) before a person's act; it is
        a surname and given characters names use (not a word of the blocklist), or characters that given names use
        much more than text does (秋菊)."""
        for n in (3, 2):
            t = s + n
            value = text[s:t]
            if len(value) < n or not all("\u4e00" <= c <= "\u9fff" for c in value):
                continue
            if not (text[t:t + 1] in ("、", "/") or _VISIBLE_END.match(text, t) is not None
                    or (n == 3 and text.startswith(self._slot_next, t))):
                continue
            if value in self._roles or value in self._not_names or value in self._paren_roles or self.blocked(text, s):
                return None
            k = 2 if value[:2] in self._compounds else 1
            if (value[0] in self._surnames and value[0] not in self._weak
                    and self._score.weakest(value[k:]) >= TIGHT_GIVEN_BUCKET) or all(
                    self._score.given.get(c, FLOOR) >= GIVEN_ONLY_BUCKET for c in value):
                return t
            return None
        return None

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
