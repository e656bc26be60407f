"""Names outside the Han surname + given-name pattern (for ``person.py``).

Tibetan, Mongolian and Uyghur name parts written without a surname (扎西次仁, 斯琴高娃, 巴特尔),
transliterated names with a middle dot (阿依古丽·买买提), names in Latin letters (Dr. Chen, Li Na,
ZHANG Xiaoming, Vivian Chow, Sarah Mitchell, KIM JIYEON, Tanaka Yuki), Japanese names in Chinese characters
(佐藤健太郎, 山田由纪) and minority names transliterated into Chinese characters as one whole run (吉克曲布,
乌云其木格, 努尔兰别克, 经名阿伊莎). The word lists are ``data/person_foreign.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from yizhu.privacy.recognizers._data import PersonData, load_data
from yizhu.privacy.recognizers.person_cues import _VISIBLE_END, _alt
from yizhu.privacy.recognizers.person_slots import _verb_after
from yizhu.privacy.types import Entity

#: Characters of transliterated (Uyghur, Tibetan …) names that elsewhere rarely stand in a name (次仁, 买买提, 多吉).
_TRANSLITERATION = "次提多加拉吉桑央珠丹尔买木克不都热合吐"
#: Characters of Western names in Chinese (玛格丽特, 皮埃尔) that elsewhere rarely stand in a name: a dotted name may hold them.
_WESTERN_TRANSLITERATION = "特皮"
#: Characters that start a cue rather than a dotted name (由其女古丽娜尔·艾力).
_DOTTED_LEAD = frozenset("由其之女子母父妻夫儿及和与向请嘱经患者家属联系人翻译医师护士名叫是为")
#: Middle dots between the parts of a transliterated name (阿依古丽·买买提).
_DOTS = "·•・‧"
#: One Hanyu Pinyin syllable (initial + final), for names written in Latin letters (Zhang Xiaoming).
_PINYIN_SYLLABLE = (
    "(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    "(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|er|ia|ie|iu|in|ua|uo|ui|un|ue|ve|a|o|e|i|u|v)"
)
_PINYIN_WORD = re.compile(f"(?:{_PINYIN_SYLLABLE}){{1,3}}", re.I)
#: Titles written before a name in Latin letters (Dr. Chen, Prof. Wang Li).
_LATIN_TITLE = re.compile(r"[DPMN](?<![A-Za-z].)(?:r|rof|s|rs|iss|urse|octor)\.?[ \t]+(?P<n>[A-Z][A-Za-zß-öø-ÿ'-]+(?:[ \t]+[A-Z][A-Za-zß-öø-ÿ'-]+){0,2})")
#: Two capitalised words, either of which may be the surname (Li Na, ZHANG Xiaoming, Xiaoming Zhang).
_LATIN_PAIR = re.compile(
    r"[A-Z](?<![A-Za-z].)(?:[a-z]+|[A-Z]+)[ \t](?P<b>[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?|[A-Z]{2,})"
    r"(?:[ \t](?P<c>[A-Z][a-z]+|[A-Z]{2,}))?(?![A-Za-z])"
)
_LATIN_TITLES = frozenset({"Dr", "Prof", "Mr", "Mrs", "Ms", "Miss", "Nurse", "Doctor"})
_TITLE_ENDS = tuple(_LATIN_TITLES)
#: Characters after a run of capitalised words before which a title's name or a name particle may follow.
_AFTER_RUN = (".", " ", "\t")
_HAS_CAPITAL = re.compile("[A-Z][a-z]*\\.?[ \t]+[A-Z]")


class ForeignNameData(BaseModel):
    """Word lists of ``data/person_foreign.yaml``."""

    model_config = ConfigDict(extra="forbid")

    source: str
    english_given: list[str]
    korean_surnames: list[str]
    japanese_surnames: list[str]
    english_not_names: list[str]
    kanji_surnames: list[str]
    kanji_given_chars: str
    yi_clans: list[str]
    whole_names: list[str]
    transliteration_chars: str
    transliteration_starts: str
    transliteration_strong: str
    transliteration_endings: list[str]
    transliteration_not_names: list[str]
    drug_stems: list[str]
    vietnamese_surnames: list[str]
    western_names_han: list[str]
    western_titles_after: list[str]
    english_surname_eponyms: list[str]
    hangul_surnames: list[str]
    hangul_not_names: list[str]
    hangul_cues: list[str]
    dotted_given_heads: list[str]
    mongol_roots: list[str]
    signoffs: list[str]
    latin_particles: list[str]
    korean_given_chars: str


#: One word of a name in Latin letters: Title case (with O'/Mc/Mac and hyphens: O'Brien, McDonald,
#: Smith-Jones, Seo-yeon) or all capitals (KIM, JIYEON).
_LATIN_WORD = r"(?:O['’][A-Z][a-z]+|Ma?c[A-Z][a-z]+|[A-Z][a-zß-öø-ÿ]+(?:-[A-Za-z][a-zß-öø-ÿ]+)?|[A-Z]{2,}(?:-[A-Z]{2,})?)"
#: A run of such words (at most four) with nothing in Latin letters touching it.
_LATIN_RUN = re.compile(rf"[A-Z](?<![A-Za-z'’.\-][A-Z])(?<=(?={_LATIN_WORD}(?:[ \t]{_LATIN_WORD}){{0,3}}(?![A-Za-zß-öø-ÿ'’0-9])).)")
_LATIN_RUN_BODY = re.compile(rf"{_LATIN_WORD}(?:[ \t]{_LATIN_WORD}){{0,3}}")
#: A given name after a comma or slash that follows a surname in Latin letters (JOHNSON, Mary; WANG/XIAOMING).
_LATIN_AFTER_MARK = re.compile(rf"[ \t]*[,/，][ \t]*(?P<w>{_LATIN_WORD}(?:[ \t]{_LATIN_WORD})?)(?![A-Za-z'’])")
#: One syllable of Revised Romanization of Korean (initial, vowel, final), and of modified Hepburn Japanese.
_KOREAN_SYLLABLE = (
    "(?:kk|tt|pp|ss|jj|ch|[gkndtrlmbpsjh])?"
    "(?:yae|yeo|wae|ae|ya|eo|ye|wa|oe|yo|wo|we|wi|yu|eu|ui|oo|ee|a|e|o|u|i)(?:ng|[knlmpt])?"
)
_KOREAN_WORD = re.compile(f"(?:{_KOREAN_SYLLABLE}){{1,3}}(?:-(?:{_KOREAN_SYLLABLE}){{1,2}})?", re.I)
_JAPANESE_SYLLABLE = "(?:(?:ky|gy|sh|ch|ny|hy|by|py|my|ry|ts|[kgsztdnhbpmrjf])[aiueo]|[aiueo]|y[auo]|w[ao]|n(?![aiueoy]))"
_JAPANESE_WORD = re.compile(f"(?:{_JAPANESE_SYLLABLE}){{2,6}}", re.I)
#: English and French kinship and companion words before a name, with a space before them so that they stand as
#: words (Our son Daniel; My husband, Pierre Laurent; mon mari Pierre).
_ENGLISH_KIN = tuple(f"{sp}{w}{c}" for w in (
    "son", "daughter", "husband", "wife", "mother", "father", "brother", "sister", "partner", "friend", "colleague",
    "mum", "mom", "dad", "grandson", "granddaughter", "fiance", "fiancee", "nurse", "interpreter", "mari", "femme",
    "fils", "fille", "amie", "ami",
    # session deidforeign3: English role words before a name (The patient, Aarav Sharma, is…; our driver Xu Wei)
    "patient", "client", "caregiver", "carer", "guardian", "driver", "coordinator", "translator", "neighbour",
    "neighbor", "roommate", "uncle", "aunt", "cousin", "nephew", "niece", "grandmother", "grandfather", "boyfriend",
    "girlfriend", "spouse", "employer", "boss", "nanny", "maid") for c in ("", ",") for sp in (" ", "\n"))
_ENGLISH_KIN_WORDS = tuple(x.strip(" \n,") for x in _ENGLISH_KIN)
#: A word of a proper name in Latin letters: a capital and two or more small letters (Pierre, O'Neil, Price-Wood).
_PROPER_WORD = re.compile(r"(?:O['’]|Ma?c)?[A-Z][a-zß-öø-ÿ]{2,}(?:-[A-Z][a-zß-öø-ÿ]+)?")
#: Characters that go on a Western name in Chinese characters (史蒂文|斯, 劳拉|西泮, 泰勒|宁): the known name is cut.
_WESTERN_GOES_ON = frozenset("斯西宁尔特克德恩姆娜莉丽亚拉伦顿森逊曼诺维夫卡科奇泮坦普布泽唑")
#: Words before a name in Latin letters that say a person follows (Name/姓名：, 丈夫, Dear, From:).
_LATIN_CUES = (
    "志愿者", "义工",
    "Name", "NAME", "name", "姓名", "英文名", "护照姓名", "患者", "病人", "受检者", "就诊人", "陪同", "陪同人", "联系人",
    "家属", "丈夫", "妻子", "老公", "老婆", "男友", "女友", "男朋友", "女朋友", "朋友", "同事", "翻译", "室友", "邻居",
    "那个", "这个", "那位", "这位", "From", "To", "Cc", "Dear", "Hi", "Hello", "发件人", "收件人", "抄送", "签名", "签字",
    *_ENGLISH_KIN,
)
#: Words that name whoever follows them, even one unknown word in Latin letters (同事Yusuf, 那个Oliver).
_NAMING_CUES = (*_ENGLISH_KIN, "Dear", "Hi", "Hello", "陪同", "陪同人", "联系人", "翻译", "同事", "朋友", "男友", "女友", "男朋友", "女朋友",
                "室友", "邻居", "丈夫", "妻子", "老公", "老婆", "那个", "这个", "那位", "这位", "英文名", "签名", "签字")
#: Function words before a name (是, 和, 由 …): a name in Latin letters after them must hold a known name word.
#: What follows a Western name standing as a person without a cue: a particle, a verb of a person, a possessive.
_WESTERN_PERSON_NEXT = frozenset("说讲来去在给帮带送让叫问打也都就还又已正刚今昨明陪吗呢的和跟与是要会想能今")
_LATIN_WEAK_CUES = ("叫", "是", "和", "与", "及", "由", "给", "跟", "同", "让")
#: Words after a capitalised word that make it an eponym (Paget病, Romberg征, Babinski征阳性), not a person.
_EPONYM_AFTER = ("病", "征", "综合征", "综合症", "症", "试验", "手术", "反射", "评分", "分级", "分期", "分型", "量表",
                 "骨折", "氏", "效应", "现象", "指数", "法则", "定律", "公式", "结节", "细胞", "小体", "囊肿", "瘤", "环",
                 "线", "点", "区", "管", "体位", "手法", "标准", "方案", "疗法", "菌", "病毒", "抗原", "抗体", "杂音",
                 "窝", "动作", "分类", "陷凹", "三角", "韧带", "孔", "裂", "膜")
#: After a found name in Latin letters: a bracket or slash and Chinese characters (its Han form: KIM JIYEON / 金知妍).
_TWIN_NEAR = re.compile(r"[ \t]*(?:[（(]|[/／])[ \t]*[\u4e00-\u9fff]")
#: The sex after a name in a table row (Rajesh Kumar 男 38; | Amina Diallo | F |), and a row's start before the name
#: (a number, an identifier, a cell border or the line's start).
_SEX_AFTER = re.compile(
    r"[ \t]*[|｜,，]?[ \t]*(?:[0-9]{1,3}[ \t]*(?:岁|y|yo|Y)?[ \t]*[|｜,，/]?[ \t]*)?(?:男|女|M|F|Male|Female|male|female)(?![A-Za-z])")
_ROW_BEFORE = re.compile(r"(?:^|\n|[0-9A-Za-z][ \t]+|[|｜][ \t]*)$")
#: An English title before a name in Chinese characters (Dr. 张蓓蕾 has…).
_TITLE_HAN = re.compile(r"\.?[ \t]?(?P<n>[\u4e00-\u9fff]{1,4})")
#: Characters of Uyghur and Kazakh transliterations that Han names rarely hold (肉孜, 再努尔, 如克亚, 开赛尔): a dotted
#: name's second part may hold them.
_DOTTED_EXTRA = frozenset("肉再如色别开日那其夏尼亚孜力甫汗江丽古娜")
_DOT_RE = re.compile(f"[{_DOTS}]")
#: Transliteration characters that are also function words: a dotted name does not reach back over them.
_DOTTED_STOP = frozenset("的了在是有来和与及多加")
#: "Of" kinship words inside a dotted run (马海燕之母阿依夏·马): the name starts after them.
_OF_KIN = ("之母", "之父", "之妻", "之夫", "之子", "之女", "之兄", "之弟", "之姐", "之妹", "之孙", "之孙女", "之外孙")
#: Characters that make bracketed Chinese after a foreign name a note, not its Han form (（患者之女）, （韩国籍）).
_TWIN_NOT = frozenset("的了是有无不和与及或患者病科院室床号等为系诊查术药籍语文名人女男岁")
#: Hangul syllables, and a run of them standing as one word.
_HANGUL = re.compile("[\uac00-\ud7a3]")
_HANGUL_RUN = re.compile("(?<![\uac00-\ud7a3])[\uac00-\ud7a3]{2,6}(?![\uac00-\ud7a3])")
#: Hangul or katakana (one scan decides whether either name scan runs).
_HANGUL_OR_KANA = re.compile("[\uac00-\ud7a3\u30a1-\u30fa]")
#: A run of katakana (with the middle dot or a space between given name and surname: サトウ ケンジ, ヤマダ・ハナコ).
_KANA_RUN = re.compile("[\u30a1-\u30fa\u30fc]{2,}(?:[ \u3000\u30fb·][\u30a1-\u30fa\u30fc]{2,})?")
#: Words before katakana that say it spells a person's name (日文读音：サトウ ケンジ).
_KANA_CUES = ("片假名", "假名", "日文", "日文名", "日语", "读音", "读法", "注音", "フリガナ", "ふりがな", "カナ")
#: Words inside the last part of a dotted run that make it an eponym (拉姆齐·亨特综合征), not a name.
_EPONYM_INSIDE = ("综合征", "综合症", "病", "征", "试验", "反射", "手术", "畸形", "现象", "定律")
#: A Chinese character or Chinese punctuation beside a lone English given name (那个Sarah，; ，Oliver，).
_CJK_SIDE = re.compile("[\u4e00-\u9fff，。：；、（）“”！？]")
#: Characters after a minority transliteration that make it a place (阿巴嘎旗, 阿克苏市) or a thing, not a person.
_PLACE_AFTER = frozenset("旗盟县市州乡镇村区路街嘎苏河湖山省沟屯寨庄片胶丸液霉素族语文国")
#: Characters that may stand right before a Japanese name in Chinese characters without a cue word.
_KANJI_NAME_BEFORE = frozenset("是叫由给和与及、，,：:（(“\"「 \t\u3000\n")
#: Characters of Japanese surnames that Chinese words rarely hold (佐藤, 铃木, 渡边): such a surname needs no cue.
_KANJI_DISTINCT = frozenset("藤铃渡斋崎岛冢樱菅邉辺")
#: Characters after 氏 that make it a clan, an eponym or a word, not a middle name (王氏家族, 李氏综合征).
_VIET_NOT_GIVEN = frozenset("家族宗祠病症征综试法反手效现的之是为在有和与及等来去说讲诉称述到已也又均都诊陪签")
#: Words of a person's role or a group of people right before a name (志愿者迪力夏提, 只有古丽米拉).
_PERSON_WORDS = ("志愿者", "义工", "社工", "翻译员", "只有", "还有", "包括", "以及", "联系了", "通知了", "找到了")


def _table_cell(text: str, s: int, e: int) -> bool:
    """A name standing alone in a table row: spaces or a cell border before it, with a number, a time or a cell
    border before those (02:45 巴特尔 ZY26…, | 巴特尔 |), and spaces, a border or the line's end after it."""
    k = s
    while k > 0 and text[k - 1] in " \t\u3000":
        k -= 1
    if k == s and text[s - 1:s] not in "|｜":
        return False
    if k > 0 and not (text[k - 1].isdigit() or text[k - 1] in "|｜"):
        return False
    return e >= len(text) or text[e] in " \t\u3000|｜\n"


def _speaker(text: str, s: int, e: int) -> bool:
    """A name as a speaker's label at a line's start (央宗：我们家…)."""
    return (s == 0 or text[s - 1] == "\n") and text[e:e + 1] in ":："


@dataclass(frozen=True)
class _Foreign:
    english_given: frozenset[str]
    name_surnames: frozenset[str]  # Korean and Japanese surnames in Latin letters, lower case
    korean: frozenset[str]
    japanese: frozenset[str]
    not_names: frozenset[str]
    kanji_re: re.Pattern[str]
    pair: re.Pattern[str]  # a first character of a Japanese surname or a known minority name before a second one
    kanji_heads: dict[str, tuple[str, ...]]  # first two characters -> surnames, longest first
    kanji_given: frozenset[str]
    trans: frozenset[str]
    trans_heads: frozenset[str]
    trans_body: re.Pattern[str]
    starts: frozenset[str]  # first characters of a transliteration of no known part
    strong: frozenset[str]  # characters transliterations use far more than Han names
    trans_run: re.Pattern[str]
    trans_not: tuple[str, ...]
    endings: tuple[str, ...]
    whole: frozenset[str]
    drug_stems: tuple[str, ...]
    clinical: frozenset[str]  # English words of the knowledge packs (data/english_clinical_words.txt), lower case
    viet: re.Pattern[str]  # a Vietnamese surname and 氏 (阮氏)
    western_heads: dict[str, tuple[str, ...]]  # first two characters -> Western names in Chinese, longest first
    western_chars: frozenset[str]
    western_titles: tuple[str, ...]
    eponym_surnames: frozenset[str]  # lower case
    hangul_surnames: tuple[str, ...]
    hangul_not: frozenset[str]
    cues: tuple[str, ...]  # words before a person: _LATIN_CUES and the person data's bare labels and titles
    hangul_cues: tuple[str, ...]
    dotted_heads: frozenset[str]  # given names that open a dotted name (阿米娜·肉孜)
    known3: frozenset[str]  # known minority names and parts of three characters or more (乌日娜, 额尔德木)
    han_surnames: frozenset[str]  # first characters of Han surnames (a name's Han twin: KIM JIYEON / 金知妍)
    han_given: frozenset[str]  # characters of Han given names (person.yaml) and of Korean ones
    korean_given: frozenset[str]  # characters of Korean given names in their Han form (李在民: 在 is rare in Chinese names)
    hard: frozenset[str]  # characters Han names do not hold (person.yaml nonname_chars)
    signoffs: tuple[str, ...]
    particle_re: re.Pattern[str]  # Jan van der Berg, Omar al-Rashid, Ahmed bin Salman
    particle_quick: re.Pattern[str]  # a particle between words (the places particle_re can match)


def _pair_scan(words: list[str], extra_firsts: str = "", extra_seconds: str = "") -> re.Pattern[str]:
    """A scan for the places where some word's first character stands before some word's second one: two classes
    the regex engine checks in C, far fewer places than an alternation of the words tried at each first character
    (one pattern of one branch: an alternation of two such scans is tried at every character)."""
    firsts = "".join(dict.fromkeys([*(w[0] for w in words), *extra_firsts]))
    seconds = "".join(dict.fromkeys([*(w[1] for w in words), *extra_seconds]))
    return re.compile(f"[{re.escape(firsts)}](?=[{re.escape(seconds)}])")


@cache
def _foreign() -> _Foreign:
    d = load_data("person_foreign.yaml", ForeignNameData)
    trans = frozenset(d.transliteration_chars.replace(" ", "").replace("\n", ""))
    pd = load_data("person.yaml", PersonData)
    parts = pd.minority_name_parts
    known = sorted({*d.yi_clans, *d.whole_names, *d.mongol_roots, *(p for p in parts if len(p) >= 3 or p[0] in trans)},
                   key=len, reverse=True)
    tclass = "".join(sorted(trans))
    # a known name, then transliteration characters or known parts (巴图 + 孟和: 和 is no transliteration character)
    alt = "|".join(map(re.escape, known))
    trans_body = re.compile(f"(?:{alt})(?:{'|'.join(map(re.escape, (k for k in known if k[-1] not in trans)))}|[{tclass}]){{0,6}}")
    surnames = sorted(d.kanji_surnames, key=len, reverse=True)
    kanji_re = re.compile(_alt(surnames))
    kanji_heads: dict[str, tuple[str, ...]] = {}
    for x in surnames:  # longest first
        kanji_heads[x[:2]] = (*kanji_heads.get(x[:2], ()), x)
    western_heads: dict[str, tuple[str, ...]] = {}
    for x in sorted(d.western_names_han, key=len, reverse=True):
        western_heads[x[:2]] = (*western_heads.get(x[:2], ()), x)
    return _Foreign(
        western_heads=western_heads,
        western_chars=frozenset("".join(d.western_names_han)),
        western_titles=tuple(d.western_titles_after),
        hangul_surnames=tuple(sorted(d.hangul_surnames, key=len, reverse=True)),
        hangul_not=frozenset(d.hangul_not_names),
        eponym_surnames=frozenset(w.lower() for w in d.english_surname_eponyms),
        english_given=frozenset(d.english_given),
        name_surnames=frozenset(x.lower() for x in (*d.korean_surnames, *d.japanese_surnames)),
        korean=frozenset(x.lower() for x in d.korean_surnames),
        japanese=frozenset(x.lower() for x in d.japanese_surnames),
        not_names=frozenset(w.lower() for w in d.english_not_names),
        kanji_re=kanji_re,
        pair=_pair_scan([*surnames, *known, *d.western_names_han], extra_firsts=d.transliteration_starts, extra_seconds=tclass),
        kanji_heads=kanji_heads,
        kanji_given=frozenset(d.kanji_given_chars.replace(" ", "").replace("\n", "")),
        trans=trans,
        trans_heads=frozenset(x[:2] for x in known),
        trans_body=trans_body,
        starts=frozenset(d.transliteration_starts),
        strong=frozenset(d.transliteration_strong),
        trans_run=re.compile(f"[{tclass}]{{3,8}}"),
        trans_not=tuple(sorted(d.transliteration_not_names, key=len, reverse=True)),
        endings=tuple(sorted(d.transliteration_endings, key=len, reverse=True)),
        whole=frozenset(d.whole_names),
        drug_stems=tuple(sorted(d.drug_stems, key=len, reverse=True)),
        clinical=frozenset(
            w for w in (files("yizhu.privacy.recognizers") / "data" / "english_clinical_words.txt")
            .read_text(encoding="utf-8").split() if not w.startswith("#") and w.isalpha()),
        viet=re.compile(f"[{''.join(d.vietnamese_surnames)}]氏"),
        cues=tuple(sorted({*_LATIN_CUES, *pd.bare_labels, *pd.people_titles, *pd.kin_words}, key=len, reverse=True)),
        hangul_cues=tuple(sorted(d.hangul_cues, key=len, reverse=True)),
        dotted_heads=frozenset(d.dotted_given_heads) | frozenset(w for w in (*d.whole_names, *parts) if len(w) >= 2),
        known3=frozenset(w for w in (*d.whole_names, *d.mongol_roots, *parts) if len(w) >= 3),
        han_surnames=frozenset(pd.surnames) | frozenset(x[0] for x in pd.compound_surnames),
        han_given=frozenset(pd.given_chars) | frozenset(d.korean_given_chars),
        korean_given=frozenset(d.korean_given_chars),
        hard=frozenset(pd.nonname_chars) - trans,
        signoffs=tuple(d.signoffs),
        # a particle right after a capitalised word (matched at each run's end)
        particle_quick=re.compile(
            rf"\.?[ \t](?:(?:{'|'.join(x for x in d.latin_particles if x not in ('al', 'el'))})[ \t]|(?:al|el)-)"),
        particle_re=re.compile(
            rf"(?:(?<![A-Za-z'’-])(?P<a>{_LATIN_WORD}(?:[ \t]{_LATIN_WORD})?)|(?<=[DPM]r\.[ \t])|(?<=[DPM]rs\.[ \t])|(?<=Prof\.[ \t])|(?<=Ms\.[ \t]))[ \t]?"
            rf"(?P<p>(?:(?:{'|'.join(x for x in d.latin_particles if x not in ('al', 'el'))})[ \t]){{1,2}}|(?:al|el)-)"
            rf"(?P<b>[A-Z][a-zß-öø-ÿ'’]+(?:-[A-Z][a-zß-öø-ÿ]+)?)(?![A-Za-z])"),
    )


def foreign_blocklist() -> tuple[str, ...]:
    """Words of the transliteration characters that are never names (扎西德勒, 阿克苏, 乐卫玛), three characters or
    more, for the person recognizer's blocklist (a shorter one, 林芝 or 和田, may also be a Han name)."""
    return tuple(w for w in load_data("person_foreign.yaml", ForeignNameData).transliteration_not_names if len(w) >= 3)


class ForeignNames:
    """Scans of ``PersonRecognizer`` for minority, dotted and Latin-letter names."""

    _minority_re: re.Pattern[str] | None
    _minority_one_re: re.Pattern[str]
    _dotted_re: re.Pattern[str]
    _kin_cues: tuple[str, ...]
    _latin_surnames: frozenset[str]
    _latin_other: frozenset[str]
    _title_words: tuple[str, ...]

    if TYPE_CHECKING:
        def _entity(self, text: str, start: int, end: int, pattern: str, score: float, note: str) -> Entity: ...

        def _ends_name(self, text: str, pos: int) -> bool: ...

        def blocked(self, text: str, start: int) -> str | None: ...

        def _wordlike(self, text: str, start: int, end: int) -> bool: ...

    def _minority_names(self, text: str) -> list[Entity]:
        """扎西次仁, 次仁卓玛, 斯琴高娃: names without a Han surname, two or three known parts in a row, or
        one part after a cue."""
        out: list[Entity] = []
        if self._minority_re is None:
            return out
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
                         or text[max(0, s - 4):s].rstrip(" \t\u3000").endswith("床")
                         or _table_cell(text, s, e) or _speaker(text, s, e)
                         or text.endswith(_PERSON_WORDS, 0, s) or text.startswith(self._title_words, e)
                         or text[s - 1:s] == "者")  # 放牧者图门, 接诊者次旦: a person noun
                    # (or before a verb of the dictionary: 儿子孟和|需要, session deidnames5)
                    and (_VISIBLE_END.match(text, e) is not None or self._ends_name(text, e)
                         or text.startswith(self._title_words, e) or _verb_after(text, s, e))):
                out.append(self._entity(text, s, e, "minority_one", 0.8, "one Tibetan, Mongolian or Uyghur name after a cue"))
        return out

    def _dotted_names(self, text: str) -> list[Entity]:
        """Transliterated names with a middle dot (阿依古丽·买买提), without a cue word before them."""
        out: list[Entity] = []
        trans = _foreign().trans
        for m in self._dotted_re.finditer(text):
            s = m.start()
            dot = _DOT_RE.search(text, s, m.end()).start()  # type: ignore[union-attr]  # the match holds a dot
            head = text[s:dot]
            # the name starts after the last kinship word inside the run (婆婆帕提古丽·…, 其儿媳米热古丽·…, 马海燕之母阿依夏·…)
            cut = max((head.rfind(w) + len(w) for w in (*self._kin_cues, *_OF_KIN) if len(w) >= 2 and w in head), default=0)
            if dot - s - cut >= 2:
                s += cut
            while dot - s > 2 and text[s] in _DOTTED_LEAD:  # 由其女古丽娜尔·艾力: the name starts after 由其女
                s += 1
            e = m.end()
            tail = text[max(text.rfind(c, s, e) for c in _DOTS) + 1:e]
            if text.startswith(_EPONYM_AFTER, e) or any(w in tail for w in _EPONYM_INSIDE):
                continue  # 冯·维勒布兰德病, 拉姆齐·亨特综合征: an eponym
            if "\u4e00" <= text[e:e + 1] <= "\u9fff" and not self._ends_name(text, e):
                # the match stops inside a word: the name ends earlier where a person's word follows (买买提·吐尔逊|陪护),
                # or it is an eponym (拉姆齐·亨|特综合征), not a name
                last_dot = max(text.rfind(c, s, e) for c in _DOTS)
                e = next((c for c in range(e - 1, last_dot + 1, -1) if self._ends_name(text, c)), -1)
                if e < 0:
                    continue
            last_dot = max(text.rfind(c, s, e) for c in _DOTS)
            # a person's word of two characters or more inside the last part ends the name (古丽娜尔·司马义|陪同。)
            e = next((c for c in range(last_dot + 3, e) if text[c] not in trans and self._ends_name(text, c)), e)
            # as sure as a header's name, so that the whole dotted name outranks a header's cut of its first part
            out.append(self._entity(text, s, e, "dotted", 0.9, "transliterated name with a middle dot"))
        return out

    def _latin_names(self, text: str) -> list[Entity]:
        """Names in Latin letters: after a title (Dr. Chen), or two capitalised words of which one is a
        Pinyin surname and the other a run of one to three Pinyin syllables (Li Na, ZHANG Xiaoming)."""
        out: list[Entity] = []
        for m in _LATIN_TITLE.finditer(text):
            if text[m.start():m.start("n")].split()[0].rstrip(".") not in _LATIN_TITLES:
                continue
            f = _foreign()
            if all(w.lower() in f.not_names and w.lower() not in f.eponym_surnames and w.lower() not in f.name_surnames
                   and w not in f.english_given for w in m.group("n").split()):
                continue  # Dr. Appointment, Mr. Chest: a word that is never a name's (but Dr. Wilson, Dr. Kawasaki)
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

    # ------------------------------------------------------------ names outside the Han pattern (session deidforeign)
    def _foreign_names(self, text: str) -> list[Entity]:
        """Latin-letter names after a cue or of a known shape, Japanese names in Chinese characters, and minority
        names transliterated into Chinese characters taken whole."""
        f = _foreign()
        out = self._latin_person_names(text, f)
        # one scan finds the places of both (each class check costs a pass over the text)
        kanji: list[int] = []
        trans: list[int] = []
        other: list[int] = []
        western: list[int] = []
        for p in f.pair.finditer(text):
            s = p.start()
            head = text[s:s + 2]
            if head in f.western_heads:
                western.append(s)
            if head in f.kanji_heads:
                kanji.append(s)
            if head in f.trans_heads:
                trans.append(s)
                if f.trans_body.match(text, s) is None and text[s] in f.starts:
                    other.append(s)  # 额尔德木图: the first two of a known name (额尔敦) but not one
            elif text[s] in f.starts:
                other.append(s)
        if kanji:
            out.extend(self._kanji_names(text, f, kanji))
        if trans:
            out.extend(self._transliterated_names(text, f, trans))
        if other:
            out.extend(self._scored_transliterations(text, f, other))
        if "氏" in text:
            out.extend(self._vietnamese_names(text, f))
        script = _HANGUL_OR_KANA.search(text)
        if script is not None:
            if _HANGUL.search(text, script.start()) is not None:
                out.extend(self._hangul_names(text, f))
            if _KANA_RUN.search(text, script.start()) is not None:
                out.extend(self._katakana_names(text, f))
        dotted = "·" in text or any(c in text for c in _DOTS[1:])
        if western or dotted:
            out.extend(self._western_han_names(text, f, western))
        if dotted:
            out.extend(self._dotted_known(text, f))
        return out

    def _western_alone(self, text: str, s: int, e: int) -> bool:
        """A Western name in Chinese characters of two parts or three characters or more standing as a person
        without a cue word (您是大卫布朗先生, 娜塔莎说她头疼): after a mark, the start or a weak cue (是, 叫, 和 …),
        and before a mark, the end or a word a person does; not before an eponym's word (布朗运动 has none)."""
        prev = text[s - 1:s]
        if prev and "\u4e00" <= prev <= "\u9fff" and prev not in _LATIN_WEAK_CUES and prev not in "请问找谢":
            return False
        nxt = text[e:e + 1]
        if (prev and prev in _DOTS) or (nxt and nxt in _DOTS):
            return False  # a part of a dotted name (史密斯·约翰): the dotted scan takes it whole
        if text.startswith(_EPONYM_AFTER, e):
            return False
        return not nxt or not ("\u4e00" <= nxt <= "\u9fff" or nxt.isalnum()) or nxt in _WESTERN_PERSON_NEXT

    def _western_han_names(self, text: str, f: _Foreign, starts: list[int]) -> list[Entity]:
        """丹尼尔, 威尔逊太太: a Western name in Chinese characters (a known given name or surname) after a person cue
        (我老公丹尼尔, 家属：劳伦) or before a title (威尔逊太太, 皮埃尔先生); and each part of a dotted name of the text
        (玛格丽特·威尔逊) where it stands alone before a title or as a speaker (威尔逊太太，您好; 威尔逊：…)."""
        out: list[Entity] = []
        for s in starts:
            if s > 0 and text[s - 1] in f.western_chars and not self._cue_before(text, s, f.cues):
                continue  # inside a longer transliteration (the dotted scan takes it whole)
            name = next((h for h in f.western_heads[text[s:s + 2]] if text.startswith(h, s)), "")
            e = s + len(name)
            # a given name and a surname written together with no dot (大卫布朗, 娜塔莎伊万诺夫): one name
            second = next((h for h in f.western_heads.get(text[e:e + 2], ()) if text.startswith(h, e)), "") \
                if name else ""
            if second:
                e += len(second)
            if not name or (not text.startswith(f.western_titles, e) and (
                    text[e:e + 1] in _WESTERN_GOES_ON or text.startswith(f.drug_stems, e))):
                continue
            if text.startswith(f.western_titles, e) or (
                    self._cue_level(text, s, f.cues) == 2 and not text.startswith(_EPONYM_AFTER, e)) or (
                    (second or len(name) >= 3) and self._western_alone(text, s, e)):
                out.append(self._entity(text, s, e, "western_han", 0.85, "a Western name in Chinese characters"))
        if any(c in text for c in _DOTS):
            parts = {p for ent in self._dotted_names(text) for p in re.split(f"[{_DOTS}]", text[ent.start:ent.end])
                     if len(p) >= 2}
            for p in parts:
                pos = text.find(p)
                while pos >= 0:
                    e = pos + len(p)
                    if text[e:e + 1] not in _DOTS and text[pos - 1:pos] not in _DOTS and (
                            text.startswith(f.western_titles, e) or _speaker(text, pos, e)):
                        out.append(self._entity(text, pos, e, "dotted_part", 0.85,
                                                "a part of a dotted name of this text, before a title"))
                    pos = text.find(p, e)
        return out

    def _hangul_names(self, text: str, f: _Foreign) -> list[Entity]:
        """김민호: two to four Hangul syllables that open with a Korean surname, in brackets right after a name in
        Chinese characters (金敏浩（김민호）) or after a person cue (患者：김민호, 보호자 이서연); not a Hangul word of the list
        (한국어, 환자) nor a run inside a Korean sentence."""
        out: list[Entity] = []
        for m in _HANGUL_RUN.finditer(text):
            s, e = m.span()
            word = m.group(0)
            honorific = text.startswith((" 님", " 씨", "님", "씨"), e)
            if word.endswith(("님", "씨")) and len(word) >= 3:  # 이서연님: the name and its honorific
                word, e, honorific = word[:-1], e - 1, True
            if word in f.hangul_not or not (2 <= e - s <= 4) or not word.startswith(f.hangul_surnames):
                continue
            before, after = text[s - 1:s], text[e:e + 1]
            bracketed = before in "（(" and s >= 2 and "\u4e00" <= text[s - 2] <= "\u9fff" and after in "）),，/ "
            if bracketed or (honorific and e - s == 3) or (self._cue_level(text, s, f.cues) == 2 and not _HANGUL.match(text, e + 1)) or (
                    before in ":：" and (after == "" or not _HANGUL.match(after))) or (
                    # session deidforeign3: after 韩文/朝鲜文, in brackets, or a full name of three syllables (four with a
                    # two-syllable surname) standing alone, no other Hangul word beside it (not inside a Korean sentence)
                    text[:s].rstrip(" \t:：").endswith(f.hangul_cues) or (before in "（(" and after in "）)")
                    or (e - s >= 3 and not _HANGUL.search(text[max(0, s - 3):s]) and not _HANGUL.search(text[e:e + 3])
                        and not (e - s == 4 and word[:2] not in f.hangul_surnames))):
                out.append(self._entity(text, s, e, "hangul", 0.9, "a Korean name in Hangul"))
                out.extend(self._han_twin(text, s, e, f))
        return out

    def _han_name_like(self, text: str, s: int, e: int, f: _Foreign) -> bool:
        """A Han surname and one or two characters of given names (Chinese or Korean: 金知妍, 朴英淑), no character of a
        note (籍, 女), not a blocklisted word nor one the name model reads as a word (阿莫西林, 利福平, 闭经)."""
        h = text[s:e]
        return (len(h) <= 3 and h[0] in f.han_surnames and not any(c in _TWIN_NOT for c in h)
                and all(c in f.han_given or c in f.kanji_given or c in f.han_surnames for c in h[1:])
                and self.blocked(text, s) is None
                and (all(c in f.korean_given for c in h[1:]) or not self._wordlike(text, s, e)))

    def _han_twin(self, text: str, s: int, e: int, f: _Foreign) -> list[Entity]:
        """The Han form written beside a name in Latin letters or Hangul (KIM JIYEON / 金知妍, 박영숙（朴英淑）, 金知妍（KIM
        JIYEON）): two to four Chinese characters that open with a Han surname and hold no character Han names do not
        hold, between a bracket or a slash and the bracket's close or the field's end."""
        out: list[Entity] = []
        m = re.compile(r"[ \t]*(?:[（(]|[/／][ \t]*)(?P<h>[\u4e00-\u9fff]{2,4})(?=[）)]|[ \t]*(?:$|[\n,，;；。|｜/]|[ \t]{2}))").match(text, e)
        if m is not None:
            h = m.group("h")
            if self._han_name_like(text, m.start("h"), m.end("h"), f):
                out.append(self._entity(text, m.start("h"), m.end("h"), "han_twin", 0.85,
                                        "the Han form beside a foreign name"))
        k = s
        while k > 0 and text[k - 1] in " \t":
            k -= 1
        if k > 0 and (text[k - 1] in "/／" or (text[k - 1] in "（(" and text[e:e + 1] in "）)")):
            j = k - 1
            while j > 0 and text[j - 1] in " \t":
                j -= 1
            i = j
            while i > 0 and j - i < 4 and "\u4e00" <= text[i - 1] <= "\u9fff":
                i -= 1
            h = text[i:j]
            if 2 <= len(h) <= 4 and (i == 0 or not ("\u4e00" <= text[i - 1] <= "\u9fff") or self._cue_before(text, i, f.cues)) \
                    and self._han_name_like(text, i, j, f):
                out.append(self._entity(text, i, j, "han_twin", 0.85, "the Han form beside a foreign name"))
        return out

    def _katakana_names(self, text: str, f: _Foreign) -> list[Entity]:
        """サトウ ケンジ: a name's reading in katakana, in brackets after a Japanese name (佐藤健二（サトウケンジ）), after a
        person cue or a reading label (家属：, 日文读音，フリガナ), or a given name and surname in katakana with a space or a
        dot between them; not a drug's Japanese brand (洛索洛芬钠（ロキソニン）, 服用ロキソニン)."""
        out: list[Entity] = []
        for m in _KANA_RUN.finditer(text):
            s, e = m.span()
            before = text[:s].rstrip(" \t:：")
            two = len(m.group(0).split()) == 2 or "・" in m.group(0) or "·" in m.group(0)  # サトウ ケンジ, タナカ・ユキ
            after_kanji_name = text[s - 1:s] in "（(" and f.kanji_re.search(text, max(0, s - 8), s) is not None
            if two or after_kanji_name or before.endswith(_KANA_CUES) or self._cue_level(text, s, f.cues) == 2:
                out.append(self._entity(text, s, e, "katakana", 0.85, "a name's reading in katakana"))
        return out

    def _vietnamese_names(self, text: str, f: _Foreign) -> list[Entity]:
        """阮氏芳, 黎氏秋香: a Vietnamese surname, 氏 (Thị, a woman's middle name) and one or two characters that
        visibly end or stand before a person's word; not 氏 of an eponym or a clan (李氏综合征, 王氏家族)."""
        out: list[Entity] = []
        for m in f.viet.finditer(text):
            q = m.end()
            if not ("\u4e00" <= text[q:q + 1] <= "\u9fff") or text[q] in _VIET_NOT_GIVEN:
                continue
            for cut in (q + 2, q + 1):
                if (cut <= len(text) and all("\u4e00" <= c <= "\u9fff" and c not in _VIET_NOT_GIVEN for c in text[q:cut])
                        and not text.startswith(_EPONYM_AFTER, q) and not text.startswith(_EPONYM_AFTER, cut)
                        and (_VISIBLE_END.match(text, cut) is not None or _table_cell(text, cut, cut)
                             or (cut < len(text) and text[cut] in " \t\u3000") or self._ends_name(text, cut))):
                    out.append(self._entity(text, m.start(), cut, "vietnamese", 0.85,
                                            "a Vietnamese surname, 氏 and a given name"))
                    break
        return out

    def _cue_before(self, text: str, s: int, cues: tuple[str, ...]) -> bool:
        """A person cue or a field colon ends right before ``s`` (spaces between them allowed)."""
        return self._cue_level(text, s, cues) > 0

    def _naming_cue(self, text: str, s: int) -> bool:
        """A cue that names whoever follows: a person label and its colon (患者：, 陪同：), an e-mail header, or a
        companion word (同事, 翻译, 丈夫, 那个); a bare 患者 or 其母 before one unknown word is not enough."""
        k = s
        while k > 0 and text[k - 1] in " \t\u3000":
            k -= 1
        return (k > 0 and text[k - 1] in ":：") or text.endswith(_NAMING_CUES, 0, k)

    def _cue_level(self, text: str, s: int, cues: tuple[str, ...]) -> int:
        """2 where a person cue word ends right before ``s`` (姓名：, 丈夫, 同事, From:, Dear; spaces and a colon
        between them allowed), 1 where only a field colon does (备注：), else 0."""
        k = s
        while k > 0 and text[k - 1] in " \t\u3000":
            k -= 1
        colon = k > 0 and text[k - 1] in ":："
        if colon:
            k -= 1
            while k > 0 and text[k - 1] in " \t\u3000":
                k -= 1
        if text.endswith(cues, 0, k) or text.endswith(self._kin_cues, 0, k):
            return 2
        return 1 if colon else 0

    def _latin_person_names(self, text: str, f: _Foreign) -> list[Entity]:
        """Sarah Mitchell, James O'Brien, KIM JIYEON, Park Junho, SATO KENTARO, Tanaka Yuki: a known English
        given name before a capitalised word; a Korean or Japanese surname beside a word of that language's
        romanisation; any capitalised words after a person cue (Name/姓名：, 丈夫, 同事, From:, Dear), before an
        e-mail address (Tanaka Yuki <…@…>) or in brackets right after Chinese characters (朴俊浩（Park Junho）);
        a known English given name alone beside Chinese characters (英国那个Sarah，18床)."""
        out: list[Entity] = []
        last = -1
        particles = False
        for m in _LATIN_RUN.finditer(text):
            body = _LATIN_RUN_BODY.match(text, m.start())
            if body is None or m.start() < last:
                continue
            last = body.end()
            chunk = body.group(0)
            if text[last:last + 1] in _AFTER_RUN:
                if chunk.endswith(_TITLE_ENDS) and chunk.rsplit(None, 1)[-1] in _LATIN_TITLES:
                    # Dr. 张蓓蕾 has…, Mr.李 will…: the title's run ends before Chinese characters (no scan of its own)
                    th = _TITLE_HAN.match(text, last)
                    if th is not None:
                        out.extend(self._title_han_name(text, th))
                if not particles and f.particle_quick.match(text, last) is not None:
                    particles = True  # Jan| van der Berg, Omar| al-Rashid, Dr| van der Berg
            if " " not in chunk and "\t" not in chunk:
                low = chunk.lower()
                if low in f.not_names or (_LATIN_AFTER_MARK.match(text, last) is None and (
                    chunk.isupper() or (
                        chunk not in f.english_given and low not in f.name_surnames and low not in self._latin_surnames
                        and not self._naming_cue(text, body.start()) and not text[last:last + 3].lstrip().startswith(("<", "＜"))
                        and not text.startswith(f.western_titles, last)
                    )
                )):
                    # one abbreviation (BP, CT, NYHA), a word that is never a name (Holter) or one unknown word with
                    # no naming cue (Murphy, Dix-Hallpike): the common case, settled here
                    continue
            # split the run at words that are never a name's (Dear, Chest, Lipitor …)
            pos = body.start()
            segs: list[tuple[int, int, list[str]]] = []
            cur: list[str] = []
            cur_s = pos
            for w in re.finditer(r"\S+", body.group(0)):
                ws, word = pos + w.start(), w.group(0)
                if (word.lower() in f.eponym_surnames and cur and cur[-1] in f.english_given
                        and not re.match(r"['’]s\b|\s+(?:disease|syndrome|palsy|sign)\b", text[ws + len(word):], re.I)
                        and not text.startswith(_EPONYM_AFTER, ws + len(word))):
                    cur.append(word)  # Margaret Wilson: an eponym's surname after a known given name
                    continue
                if word.lower() in f.not_names or word.lower().replace("’", "'") in f.not_names:
                    if cur:
                        segs.append((cur_s, ws, cur))
                    cur = []
                    cur_s = pos + w.end()
                    continue
                if not cur:
                    cur_s = ws
                cur.append(word)
            if cur:
                segs.append((cur_s, body.end(), cur))
            for s, e, words in segs:
                e = s + len(text[s:e].rstrip())
                more = _LATIN_AFTER_MARK.match(text, e) if len(words) == 1 else None
                if more is not None and more.group("w").lower() not in f.not_names:
                    # SURNAME, Given / SURNAME/GIVEN (passports, registration forms): read as one name after a cue
                    why = self._latin_why(text, s, more.end(), [*words, *more.group("w").split()], f)
                    if why:
                        e = more.end()
                        last = max(last, e)
                    else:
                        why = self._latin_why(text, s, e, words, f)
                else:
                    why = self._latin_why(text, s, e, words, f)
                if why:
                    out.append(self._entity(text, s, e, "latin_person", 0.9, why))
                    if "Korean" in why or "Japanese" in why or _TWIN_NEAR.match(text, e) or text[max(0, s - 2):s].strip(" \t") in "（(/／":
                        out.extend(self._han_twin(text, s, e, f))
        if particles:
            out.extend(self._particle_names(text, f))
        if out:
            out.extend(self._latin_again(text, f, [x for x in out if x.explanation.pattern != "han_twin"]))
        return out

    def _particle_names(self, text: str, f: _Foreign) -> list[Entity]:
        """Jan van der Berg, Omar al-Rashid, Ahmed bin Salman, Maria de la Cruz: capitalised words, a name particle
        (van, der, de, von, bin, ibn, al-) and a capitalised word, none of them an English word that is never a name's
        nor clinical English."""
        out: list[Entity] = []
        for m in f.particle_re.finditer(text):
            words = [*(m.group("a") or "").split(), m.group("b")]
            if len(m.group("b")) < 3:
                continue  # Jan van Hb: a lab symbol
            low = [w.lower().replace("’", "'") for w in words]
            if (any(w in f.not_names or y in f.not_names for w in low for y in w.split("-")) or self._clinical(low, f)
                    or low[-1].endswith("'s") or text.startswith(_EPONYM_AFTER, m.end())):
                continue
            out.append(self._entity(text, m.start(), m.end(), "latin_particle", 0.92,
                                    "a name in Latin letters with a particle (van der, bin, al-)"))
        return out

    def _latin_again(self, text: str, f: _Foreign, found: list[Entity]) -> list[Entity]:
        """Each word of a Latin name found in this text (Sophie Laurent) is masked wherever else it stands as a word
        (Sophie alone in the signature, Laurent女士, Pierre先生); words that are never names' stay."""
        words = {w for ent in found for w in re.split(r"[\s,/，]+", text[ent.start:ent.end])
                 if len(w) >= 3 and w[0].isupper() and w.lower() not in f.not_names and w.lower() not in f.clinical}
        if not words:
            return []
        spans = [(ent.start, ent.end) for ent in found]
        out: list[Entity] = []
        for m in re.finditer(rf"(?<![A-Za-z'’-])(?:{'|'.join(map(re.escape, sorted(words, key=len, reverse=True)))})(?![A-Za-z'’-])", text):
            if not any(a <= m.start() < b for a, b in spans) and not text.startswith(_EPONYM_AFTER, m.end()):
                out.append(self._entity(text, m.start(), m.end(), "latin_again", 0.85,
                                        "a word of a Latin name found in this text"))
        return out

    def _latin_why(self, text: str, s: int, e: int, words: list[str], f: _Foreign) -> str:
        low = [w.lower() for w in words]
        n = len(words)
        name_like = all(len(w) >= 2 and (w[1:].islower() or w.isupper() or "'" in w or "’" in w or "-" in w
                                         or w.startswith(("Mc", "Mac"))) for w in words)
        if not name_like:
            return ""
        known = any(w in f.english_given for w in words) or any(x in f.name_surnames for x in low) or any(
            x in self._latin_surnames for x in low)
        if text.startswith(_EPONYM_AFTER, e):
            return ""  # Paget病, Romberg征, Ann Arbor分期: an eponym, not a person
        # a name with no cue must visibly end or stand before a person's word (Douglas|窝 is a place in the body)
        ends = not ("\u4e00" <= text[e:e + 1] <= "\u9fff") or self._ends_name(text, e)
        if 2 <= n <= 3 and ends:
            if words[0] in f.english_given or words[0].title() in f.english_given:
                return "an English given name before a surname"
            for i, x in enumerate(low):
                rest = [y for j, y in enumerate(low) if j != i]
                if x in f.korean and all(_KOREAN_WORD.fullmatch(y) and len(y) >= 3 for y in rest):
                    return "a Korean surname and given name in Latin letters"
                if x in f.japanese and all(_JAPANESE_WORD.fullmatch(y) and len(y) >= 3 for y in rest):
                    return "a Japanese surname and given name in Latin letters"
        proper = all(_PROPER_WORD.fullmatch(w) for w in words)  # Laurent, Price-Wood: not Na, Hb, HBV, Self-harm
        if n <= 3 and proper and text.startswith(f.western_titles, e) and not any(x in f.clinical for x in low):
            return "a name in Latin letters before a title (Laurent女士, Pierre先生)"
        if n <= 2 and (known or words[0] in f.english_given) and (s == 0 or text[s - 1] == "\n") and (
                e == len(text) or text[e] in "\r\n"):
            return "a known name alone on a line (a signature)"
        after = text[e:e + 40].lstrip(" \t")
        if after.startswith(("<", "＜")) and "@" in after[:40].split(">")[0]:
            return "a name before an e-mail address"
        if proper and n <= 3:
            if n >= 2 and _SEX_AFTER.match(text, e) and _ROW_BEFORE.search(text[max(0, s - 24):s]) and not self._clinical(low, f):
                return "capitalised words in a table row before the sex (| 12 | Rajesh Kumar | 男 |)"
            if (s == 0 or text[s - 1] == "\n") and (e == len(text) or text[e] in "\r\n,，"):
                prev = text[:max(0, s - 1)].rstrip(" \t\r")
                prev = prev[prev.rfind("\n") + 1:].rstrip(",，.!！ ")
                if prev.endswith(f.signoffs) and len(prev) <= 30 and not self._clinical(low, f):
                    return "the name on the line after a letter's closing words (Best regards,)"
        cue = self._cue_level(text, s, f.cues) if n <= 3 else 0
        if cue == 2 and not proper and text[:s].rstrip(" \t,").endswith((*_ENGLISH_KIN_WORDS, "志愿者", "义工")):
            cue = 0  # Our son Li / husband, HIV Ag / 志愿者Na: these cues name a proper name only
        if cue == 2 and not known and (
            any(y in f.clinical or y.removesuffix("s") in f.clinical for x in low for y in x.split("-"))
            # 患者：Abdominal …, 家属Acidosis, Alpha-fetoprotein: clinical English, not a person
            or (n == 1 and not self._naming_cue(text, s))  # one unknown word needs a naming cue (陪同：Yusuf)
        ):
            cue = 0
        if cue == 2 and (n >= 2 or known or (words[0][1:].islower() and len(words[0]) >= 3)) and not all(
            w.isupper() and w.lower() not in f.name_surnames and w.lower() not in self._latin_surnames and len(w) <= 4
            for w in words
        ):
            return "capitalised words after a person cue"
        if cue == 1 and known and (n >= 2 or words[0] in f.english_given):
            return "a known name in Latin letters after a field colon"
        if cue == 0 and known and text.endswith(_LATIN_WEAK_CUES, 0, s):
            return "a known name in Latin letters after 是/和/由 …"
        before = text[s - 1:s]
        if n >= 2 and before in "（(" and s >= 2 and "\u4e00" <= text[s - 2] <= "\u9fff" and known:
            return "a romanised name in brackets after a name in Chinese characters"
        if n == 1 and ends and words[0] in f.english_given and (
                _CJK_SIDE.match(before) or _CJK_SIDE.match(text[e:e + 1])):
            return "an English given name beside Chinese characters"
        return ""

    def _title_han_name(self, text: str, m: re.Match[str]) -> list[Entity]:
        """Dr. 张蓓蕾 has…, Mr. 王 will…: one to four Chinese characters after an English title, up to where the
        Chinese runs out or a person's word follows."""
        s, e = m.start("n"), m.end("n")
        if e < len(text) and "\u4e00" <= text[e] <= "\u9fff":
            e = next((c for c in range(e - 1, s + 1, -1) if self._ends_name(text, c)), -1)
            if e < 0:
                return []
        return [self._entity(text, s, e, "title_han", 0.85, "a name in Chinese characters after Dr./Mr./Prof.")]

    def _dotted_known(self, text: str, f: _Foreign) -> list[Entity]:
        """阿米娜·肉孜, 热依拉·沙吾提, 古丽巴哈尔·艾山: a common Uyghur, Kazakh or Hui given name before a middle dot makes
        the whole a name, both sides of the dot, whatever characters the second part holds (肉孜 holds 肉); the second
        part ends where transliteration characters end or a person's word follows (…·肉孜|商量后答复)."""
        out: list[Entity] = []
        for dm in _DOT_RE.finditer(text):
            d = dm.start()
            s = next((k for k in range(max(0, d - 8), d - 1) if text[k:d] in f.dotted_heads), -1)
            if s < 0 or not ("\u4e00" <= text[d + 1:d + 2] <= "\u9fff"):
                continue
            while s > 0 and d - s < 8 and (text[s - 1] in f.trans or text[s - 1] in _TRANSLITERATION) and text[s - 1] not in _DOTTED_LEAD and (
                    text[s - 1] not in _DOTTED_STOP):
                s -= 1  # 阿不都|热合曼·肉孜: transliteration characters before the known given name belong to it
            q = d + 1
            run = q
            while run < len(text) and run - q < 6 and (text[run] in f.trans or text[run] in _DOTTED_EXTRA):
                run += 1
            e = next((c for c in range(run, q + 1, -1) if _VISIBLE_END.match(text, c) is not None
                      or not ("\u4e00" <= text[c:c + 1] <= "\u9fff") or self._ends_name(text, c)), -1)
            if e < 0 and run - q >= 2:
                e = run  # the transliteration ends before a character none uses (肉孜|商量)
            if e < 0:
                e = next((c for c in range(q + 2, min(len(text), q + 5) + 1) if _VISIBLE_END.match(text, c) is not None
                          or not ("\u4e00" <= text[c:c + 1] <= "\u9fff") or self._ends_name(text, c)), -1)
            if e < 0 or text.startswith(_EPONYM_AFTER, e) or any(w in text[q:e] for w in _EPONYM_INSIDE):
                continue
            out.append(self._entity(text, s, e, "dotted_known", 0.9, "a common given name before a middle dot"))
        return out

    @staticmethod
    def _clinical(low: list[str], f: _Foreign) -> bool:
        """A word of clinical English among these (lower-case) words (Metformin, Capsules, Alpha-fetoprotein)."""
        return any(y in f.clinical or y.removesuffix("s") in f.clinical for x in low for y in x.split("-"))

    def _kanji_names(self, text: str, f: _Foreign, starts: list[int]) -> list[Entity]:
        """佐藤健太郎, 山田由纪, 父亲田中隆（…）: a Japanese surname in Chinese characters and one to three
        characters of Japanese given names, where the name visibly ends; the given name alone is then masked
        wherever else it stands in the text (由纪说…)."""
        out: list[Entity] = []
        given: set[str] = set()
        for s in starts:
            sur = next((h for h in f.kanji_heads.get(text[s:s + 2], ()) if text.startswith(h, s)), "")
            if not sur:
                continue
            q = s + len(sur)
            if s > 0 and "\u4e00" <= text[s - 1] <= "\u9fff" and text[s - 1] not in _KANJI_NAME_BEFORE and not (
                set(sur) & _KANJI_DISTINCT or self._cue_before(text, s, f.cues)
            ):
                continue
            k = q
            while k < len(text) and k - q < 3 and text[k] in f.kanji_given:
                k += 1
            e = None
            for cut in range(k, q, -1):
                nxt = text[cut:cut + 1]
                visible = _VISIBLE_END.match(text, cut) is not None
                row = cut - q == 1 and (_table_cell(text, s, cut) or _SEX_AFTER.match(text, cut) is not None) and (
                    text[cut:cut + 1] in " \t\u3000|｜")  # 08:30  森下隆  男: a one-character given name in a row
                if (visible or row or nxt in "（(“”\"'様さ君" or self._ends_name(text, cut)) and (
                        cut - q >= 2 or nxt in "（(" or visible or row):
                    e = cut
                    break
            if e is None:
                continue
            out.append(self._entity(text, s, e, "japanese_kanji", 0.9, f"a Japanese surname {sur!r} and given name"))
            if e - q >= 2:
                given.add(text[q:e])
        for g in given:
            pos = text.find(g)
            while pos >= 0:
                if not (pos >= 2 and text[pos - 3:pos] and f.kanji_re.search(text, max(0, pos - 3), pos)):
                    out.append(self._entity(text, pos, pos + len(g), "japanese_given", 0.85,
                                            "the given name of a Japanese name found in this text"))
                pos = text.find(g, pos + len(g))
        return out

    def _transliterated_names(self, text: str, f: _Foreign, starts: list[int]) -> list[Entity]:
        """吉克曲布, 沙马拉且, 乌云其木格, 努尔兰别克, 经名阿伊莎: a run of transliteration characters that opens with a
        Yi clan name or a known minority name, in a person's place (after a colon, a kinship or role word, a
        clause mark), taken whole up to where the name ends; not a greeting, a place or a drug (扎西德勒,
        阿巴嘎旗, 阿莫西林)."""
        out: list[Entity] = []
        last = -1
        for s in starts:
            if s < last or text.startswith(f.trans_not, s):
                continue
            m = f.trans_body.match(text, s)
            if m is None:
                continue
            if s > 0 and text[s - 1] in f.trans and not self._cue_before(text, s, f.cues):
                continue  # inside a longer run: the name (if any) starts earlier
            run = m.group(0)
            before = text[s - 1:s]
            cued = self._cue_before(text, s, f.cues) or text.endswith(("经名", "教名", "藏名", "小名", "乳名"), 0, s)
            inside = not cued and before and "\u4e00" <= before <= "\u9fff" and not text.endswith(_PERSON_WORDS, 0, s)
            best = None
            for cut in range(s + len(run), s + 1, -1):
                if text[cut - 1] in "的了" or any(
                        text.startswith(w, i) for i in range(s, cut) for w in f.trans_not if i > s and len(w) > 2):
                    continue  # 格桑德吉|的家属: a name does not end in a function word
                nxt = text[cut:cut + 1]
                if (nxt in _PLACE_AFTER and not self._ends_name(text, cut)) or text.startswith(f.drug_stems, cut) or (
                        cut - s > 2 and text.endswith(f.drug_stems, s, cut) and text[s:cut] not in f.whole):
                    continue
                ends = _VISIBLE_END.match(text, cut) is not None or not ("\u4e00" <= nxt <= "\u9fff")
                if ends or (self._ends_name(text, cut) and (text.endswith(f.endings, s, cut) or nxt not in f.trans)):
                    best = cut
                    break
                if nxt not in f.trans and best is None and cut - s >= 3:
                    best = cut  # the run ends before a character no transliteration uses (沙马拉且|抱来)
            if best is None or best - s < 2 or (best - s < 3 and text[s:best] not in f.whole):
                continue
            strong_end = (self._ends_name(text, best) and _VISIBLE_END.match(text, best) is None
                          and text[best:best + 1] not in "和与及、")
            known3 = best - s == 3 and text[s:best] in f.known3 and strong_end  # 随访时乌日娜诉头晕
            if not cued and best - s < 4 and text[s:best] not in f.whole and not known3:
                continue
            if inside and not (known3 or (best - s >= 4 and strong_end) or (
                    # session deidforeign3: a long name of a known head in running text (报告额尔德木图夜间…)
                    best - s >= 5 and text[best:best + 1] not in f.trans and "\u4e00" <= text[best:best + 1] <= "\u9fff")):
                # after a word (疾控中心海来阿呷负责…): four characters or more that a person's word follows
                continue
            out.append(self._entity(text, s, best, "transliterated", 0.9, "a minority name transliterated whole"))
            last = best
        return out

    def _scored_transliterations(self, text: str, f: _Foreign, starts: list[int]) -> list[Entity]:
        """吾买尔江, 库尔班江, 玛依拉: a transliteration of no known part is a name where a person cue (a kinship or
        role word, 姓名：, 患者) stands before a run of three to eight transliteration characters that opens with a
        character transliterations start with, holds two characters they use far more than Han names do, and
        visibly ends or stands before a person's word; not a place, a people, a drug or an eponym (库尔勒, 哈萨克族,
        阿米卡星, 帕金森病)."""
        out: list[Entity] = []
        last = -1
        for s in starts:
            if s < last:
                continue
            m = f.trans_run.match(text, s)
            if m is None or text.startswith(f.trans_not, s):
                continue
            best = None
            for cut in range(m.end(), s + 2, -1):
                nxt = text[cut:cut + 1]
                if (sum(c in f.strong for c in text[s:cut]) >= 2 and nxt not in _PLACE_AFTER
                        and not text.startswith(_EPONYM_AFTER, cut)
                        and (not ("\u4e00" <= nxt <= "\u9fff") or self._ends_name(text, cut))
                        and not any(w in text[s:cut] for w in f.trans_not if len(w) > 2)
                        and not text.endswith(f.drug_stems, s, cut) and not text.startswith(f.drug_stems, cut)):
                    best = cut
                    break
            if best is None or (self._cue_level(text, s, f.cues) < 2 and not (
                    text.endswith(("由", *_PERSON_WORDS), 0, s) and best - s >= 4 and "\u4e00" <= text[best:best + 1] <= "\u9fff"
                    and self._ends_name(text, best))):
                continue  # no cue (or only 由 before a run of fewer than four before a person's word), or inside a run
            out.append(self._entity(text, s, best, "transliterated_scored", 0.9,
                                    "a run of transliteration characters after a person cue"))
            last = best
        return out
