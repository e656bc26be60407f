"""Names in the forms of chats and spoken Cantonese/Hong Kong usage (session deidnames5).

Group chats and messages name people in ways no label or title of a record shows:

* a mention: ``@`` then the member's display name up to a space or a mark (@老马识途 马叔, @好运来 你发的…). A display
  name is a person's handle whatever it spells, so it is masked whole (and then wherever it recurs, such as the
  speaker label of the same member: 老马识途：请问…); ``@所有人``/``@全体成员`` address everyone;
* an English given name written before a Chinese surname (Kelvin陈：…, 找Mary李), as Hong Kong and Guangdong speakers
  name colleagues;
* a surname before the English title ``sir`` or ``Madam`` (张sir, 王Sir, 李madam), the Cantonese way of addressing a
  doctor, a teacher or a policeman.

Session deidnames6 added the speaker labels of a chat or a transcript: in a document where several lines open with a
label and a colon, some speaker speaks twice and two speakers or more say words of speech (我, 你, 吗, ？ …), every
such label of two to six characters that is no role, no generic speaker word and no field label is a person's name or
display name whatever it spells (小敏：…, 向日葵：…).

It also added familiar forms wherever they stand as a person: 小/老 + a surname (or a compound surname: 小诸葛) that
no dictionary word spells, with no word formed across either edge (not 小心, 老是, 从小, 小周末, 老王八), before the
end, a mark, a particle or a word a person does (助手小何很细心, 是小何吗, 找老谭).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from yizhu.privacy.recognizers.person_cues import _AFTER_NAME
from yizhu.privacy.recognizers.person_ner import SOUND_CHARS
from yizhu.privacy.recognizers.words import lexicon
from yizhu.privacy.types import Entity

if TYPE_CHECKING:
    from collections.abc import Callable

#: What a mention addresses that is no person: everyone in the group, or a bot.
_NOT_MEMBERS = frozenset({"所有人", "全体成员", "全体", "全员", "大家", "all", "All", "ALL", "everyone"})
#: A display name after @: two to eight characters (Chinese, Latin letters, digits, _ - ·), up to a space or a mark;
#: the @ opens a line or follows a space or a mark (not 颅内高压@作用迅速, a separator of a text export, nor a@b.com).
_MENTION = re.compile(r"(?<![A-Za-z0-9_.\u4e00-\u9fff])[@＠](?P<n>[\u4e00-\u9fffA-Za-z0-9_\-·]{2,8})(?=[\s，,。：:！!？?、）)]|$)")
#: An English title written after a surname (张sir, 李Madam): Cantonese usage.
_LATIN_TITLES = r"(?:[Ss]ir|SIR|[Mm]adam|MADAM|[Mm]iss)(?![A-Za-z])"


#: A line opened by a speaker label: an optional time stamp, the label, an optional bracketed note or time, a colon.
_SPEAKER_LINE = re.compile(
    r"(?m)^[ \t\u3000]*(?:[\[【(（]?\d{1,2}[:：]\d{2}(?:[:：]\d{2})?[\]】)）]?[ \t\u3000]*)?"
    r"(?P<v>[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9_]{1,5})"
    r"(?:[（(][^（()）\n]{1,10}[）)])?[ \t\u3000]*(?:\d{1,2}[:：]\d{2}[ \t\u3000]*)?[：:](?P<b>[^\n]*\S[^\n]*)"
)
#: Words of speech in a turn (a field's value holds none): pronouns, sentence particles, a question, an emoji.
_SPEECH = re.compile("[我你您咱吗呢吧啊呀哈嘛哦嗯噢？?！!～~\U0001F300-\U0001FAFF]|好的|收到|谢谢")
#: Labels that open turns and name no person: generic speakers of chats, interviews and records.
_GENERIC_SPEAKERS = frozenset({
    "系统", "系统消息", "系统提示", "群主", "群管理", "管理员", "群助手", "小助手", "助手", "智能助手", "机器人", "客服",
    "主持人", "旁白", "记者", "提问", "回答", "问题", "答复", "对方", "本人", "自己", "访谈者", "受访者", "采访者",
    "主播", "听众", "观众", "网友", "匿名", "匿名用户", "用户", "游客", "楼主", "我", "你", "他", "她", "大家", "全体",
    "医院", "科室", "门诊", "病房", "护士站", "前台", "导医", "分诊台", "药房", "收费处", "家长", "孩子", "学生", "老师",
    "宝宝", "宝妈", "宝爸", "老人", "丈夫", "妻子", "老公", "老婆", "儿子", "女儿", "爸爸", "妈妈", "病友", "群友",
    "来电", "去电", "录音", "转写", "备注", "原文", "译文", "翻译", "口译", "补充", "更正", "附言", "注", "问", "答",
    "陪同", "陪护", "陪诊", "监护", "代理", "同伴", "坐席", "热线", "话务", "接警", "主叫", "被叫", "客户", "顾问", "Q", "A", "AI", "Bot", "bot",
})
#: Endings of labels that are fields, not speakers (既往史：, 初步诊断：, 处理意见：, 复查时间：).
_FIELD_ENDS = (
    "史", "诊断", "记录", "意见", "建议", "结果", "检查", "时间", "日期", "地点", "备注", "说明", "处理", "计划", "医嘱",
    "签名", "签字", "主诉", "内容", "原因", "情况", "方式", "目的", "要求", "注意", "提示", "总结", "结论", "评估",
    "小结", "问题", "回复", "留言", "通知", "公告", "事项", "附件", "电话", "地址", "号", "码", "名称", "类型", "标题",
    "主题", "科", "室", "部", "组", "中心", "医院", "群", "消息", "方案", "治疗", "用药", "费用", "病情", "症状",
)
#: Last characters of role nouns that open turns (调度员：, 呼救人：, 记录者：, 药师：, 接线医：, 民警：, 顾客：, 病友：).
_ROLE_LAST = frozenset("员人者师医警官长士属客友方生手")


#: A familiar form: 小/老 and a surname of one character or a compound surname (filled in per recognizer).
_FAMILIAR_WORD_FREQ = 20  # (a dictionary word at least this frequent is a word, as WEAK_WORD_FREQ of person_words)
#: What may follow a familiar form beyond the words of ``_AFTER_NAME``: a question particle, an adverb, a time word.
_FAMILIAR_AFTER = (*"说讲来去在给帮带送让叫问打也都就还又已正刚陪", "吗", "很", "今天", "昨天", "明天", "刚才", "和", "跟", "也", "又", "还", "都", "会", "要", "没", "不",
                   "最近", "那边", "这边", "上次", "一直", "挺", "真", "负责", "值班", "休息", "下班", "上班", "请假")
#: Characters before a familiar form that lead to a person (是小何吗, 找老谭, 助手小何, 谢谢小周, 问了小诸葛).
#: Time words a familiar form may follow as the subject (今天小何来了, 昨天老谭来过).
_TIME_WORDS = ("今天", "昨天", "明天", "前天", "刚才", "早上", "上午", "中午", "下午", "晚上", "昨晚", "今早")
_FAMILIAR_BEFORE = frozenset("是找问跟和让叫请给对谢了个位说见同与及手事友喊有")


#: Words a family member's nickname follows directly (我孙子小石头, 外孙女朵朵, 孙女妞妞照看, 她家小宝要打疫苗, 我家果果两岁半).
_NICK_LEADS = ("外孙女", "外孙子", "外孙", "孙女", "孙子", "重孙", "儿子", "女儿", "闺女", "侄子", "侄女", "外甥女", "外甥",
               "小儿子", "大儿子", "二儿子", "小女儿", "大女儿", "二女儿", "大宝", "二宝", "老大", "老二", "老幺",
               "我家", "她家", "他家", "你家", "咱家", "俺家", "屋企", "徒弟", "同学", "邻居")
#: The first characters of a nickname that is no reduplication (小石头, 二蛋, 大刚, 阿朗).
_NICK_FIRSTS = frozenset("小二大阿幺")
#: Least jieba frequency of a word that runs across a nickname candidate's end (小石|头住 reads 小石头).
_NICK_WORD_FREQ = 3
#: Least jieba frequency of a word that the first two characters of a candidate spell to be no nickname (小孩, 大学).
_NICK_WORD_FREQ_2 = 20


#: Compound surnames that spell no word of their own (not 东方, 司马, 长孙, 单于, 第五, 百里, 濮阳 …): one standing alone is a
#: person called by the surname, as staff call each other (夏侯你们夜班…, 我和呼延处理的, 调度淳于：, 钟离工).
_PLAIN_COMPOUNDS = ("欧阳", "诸葛", "皇甫", "令狐", "慕容", "尉迟", "宇文", "夏侯", "端木", "独孤", "呼延", "澹台", "公冶",
                    "申屠", "万俟", "赫连", "钟离", "宗政", "淳于", "鲜于", "闾丘", "梁丘", "羊舌", "巫马", "拓跋", "完颜",
                    "仲孙", "亓官")


class ChatNames:
    """Mixin of :class:`PersonRecognizer` (needs ``_surnames``, ``_roles`` and ``_entity``)."""

    _surnames: frozenset[str]
    _weak: frozenset[str]
    _roles: frozenset[str]
    _entity: Callable[..., Entity]
    _paren_roles: frozenset[str]
    _colon_label_set: frozenset[str]
    _not_names: set[str]
    _slot_not: frozenset[str]
    _title_words: tuple[str, ...]
    _weak: frozenset[str]
    _compounds: frozenset[str]
    _reduplicated: frozenset[str]
    blocked: Callable[[str, int], bool]

    def _chat_res(self) -> tuple[re.Pattern[str], re.Pattern[str]]:
        res: tuple[re.Pattern[str], re.Pattern[str]] | None = getattr(self, "_chat_compiled", None)
        if res is None:
            sur = "[" + "".join(sorted(self._surnames - self._weak)) + "]"  # (not Horn和Enterline: 和 is weak)
            after = "".join(sorted(_AFTER_NAME))  # (what may follow the surname: a mark, or 就, 说, 来 …)
            res = (
                # Kelvin陈：, 找Mary李就得 (a capitalised English given name of three letters or more, then one surname)
                re.compile(f"(?<![A-Za-z])[A-Z][a-z]{{2,11}}{sur}(?![A-Za-z]|(?![{after}])[\u4e00-\u9fff])"),
                re.compile(f"{sur}(?={_LATIN_TITLES})"),
            )
            self._chat_compiled = res
        return res

    def _chat_names(self, text: str) -> list[Entity]:
        """Mentions (@老马识途), English given names before a surname (Kelvin陈) and surnames before sir (张sir)."""
        out: list[Entity] = []
        if "@" in text or "＠" in text:
            for m in _MENTION.finditer(text):
                name = m.group("n")
                if name in _NOT_MEMBERS or name in self._roles or name.isdigit():
                    continue
                out.append(self._entity(text, m.start("n"), m.end("n"), "mention", 0.85, "a member named after @"))
        latin_surname, latin_title = self._chat_res()
        if any("A" <= c <= "Z" for c in text):
            for m in latin_surname.finditer(text):
                out.append(self._entity(text, m.start(), m.end(), "latin_given_surname", 0.9,
                                        "an English given name before a Chinese surname"))
        if "sir" in text or "Sir" in text or "SIR" in text or "adam" in text or "ADAM" in text or "iss" in text:
            for m in latin_title.finditer(text):
                out.append(self._entity(text, m.start(), m.end(), "surname_latin_title", 0.75,
                                        "a surname before sir or madam"))
        return out

    def _speaker_labels(self, text: str, found: list[Entity]) -> list[Entity]:
        """In a chat or a transcript, the speaker labels that are no role, generic speaker or field (小敏：…)."""
        if "\n" not in text or ("：" not in text and ":" not in text):
            return []
        lines = list(_SPEAKER_LINE.finditer(text))
        if len(lines) < 4:
            return []
        counts: dict[str, int] = {}
        speaking: set[str] = set()
        for m in lines:
            v = m.group("v")
            counts[v] = counts.get(v, 0) + 1
            if _SPEECH.search(m.group("b")) is not None:
                speaking.add(v)
        # a dialogue: someone speaks twice, and two speakers or more say words of speech
        if max(counts.values()) < 2 or len(speaking) < 2:
            return []
        out: list[Entity] = []
        for m in lines:
            v = m.group("v")
            s, e = m.span("v")
            if (v not in speaking or v in _GENERIC_SPEAKERS or v in self._roles or v in self._paren_roles
                    or v in self._colon_label_set or v in self._not_names or v in self._slot_not
                    or v.endswith(_FIELD_ENDS) or v.endswith(self._title_words) or v[-1] in "甲乙丙丁戊某"
                    or v[-1] in _ROLE_LAST or v.startswith(self._title_words)
                    or "某" in v or v[-1].isdigit() or any(x.start <= s and e <= x.end for x in found)):
                continue
            if v.isascii() and not (v[0].isupper() and len(v) >= 3):  # (Latin display names: a capitalised word)
                continue
            out.append(self._entity(text, s, e, "speaker_label", 0.8, "a speaker label in a chat or a transcript"))
        return out

    def _compound_alone(self, text: str, found: list[Entity]) -> list[Entity]:
        """A compound surname of ``_PLAIN_COMPOUNDS`` that no found name covers: the surname is masked (a given name
        after it is another rule's)."""
        out: list[Entity] = []
        for sur in _PLAIN_COMPOUNDS:
            pos = text.find(sur)
            while pos >= 0:
                end = pos + len(sur)
                if not any(x.start < end and pos < x.end for x in (*found, *out)):
                    out.append(self._entity(text, pos, end, "compound_alone", 0.75, "a compound surname that is no word"))
                pos = text.find(sur, end)
        return out

    def _kin_nicknames(self, text: str, found: list[Entity]) -> list[Entity]:
        """A nickname right after a word for a family member or a household (我孙子小石头, 外孙女朵朵, 她家小宝): a child's
        reduplicated name (no adverb, kinship word or sound: not 天天, 宝宝, 咔咔) or 小/二/大/阿/幺 and one or two
        characters that spell no dictionary word (not 小孩, 大学, 二年级) and run into none."""
        lex = lexicon()
        out: list[Entity] = []
        for lead in _NICK_LEADS:
            pos = text.find(lead)
            while pos >= 0:
                s = pos + len(lead)
                pos = text.find(lead, s)
                if any(x.start <= s < x.end for x in found):
                    continue
                for k in (2, 3):
                    v = text[s:s + k]
                    if len(v) < k or not all("\u4e00" <= c <= "\u9fff" for c in v):
                        break
                    if lex.crossing(text, s + k, min_freq=_NICK_WORD_FREQ) is not None:
                        continue  # 小石|头: the nickname runs on
                    if k == 2 and v[0] == v[1]:
                        ok = v not in self._reduplicated and v[0] not in SOUND_CHARS and v not in self._paren_roles
                    elif v[0] in _NICK_FIRSTS:
                        ok = v[1:] not in self._reduplicated and v not in self._paren_roles and not (
                            lex.freq(v[:2]) >= _NICK_WORD_FREQ_2
                            and not lex.tag(v[:2]).startswith("nr"))  # (not 小宝宝: 小 and a word for a baby)
                    else:
                        ok = False
                    if ok and not self.blocked(text, s):
                        out.append(self._entity(text, s, s + k, "kin_nickname", 0.75, f"a nickname after {lead!r}"))
                    break
        return out

    def _familiar_wide(self, text: str, found: list[Entity]) -> list[Entity]:
        """小/老 + a surname standing as a person where the narrow familiar pattern did not look (助手小何很细心)."""
        if "小" not in text and "老" not in text:
            return []
        lex = lexicon()
        after = tuple(sorted(set(_FAMILIAR_AFTER), key=len, reverse=True))
        out: list[Entity] = []
        pos = -1
        while True:
            pos = min((p for p in (text.find("小", pos + 1), text.find("老", pos + 1)) if p >= 0), default=-1)
            if pos < 0:
                break
            k = 2 if text[pos + 1:pos + 3] in self._compounds else 1
            sur = text[pos + 1:pos + 1 + k]
            e = pos + 1 + k
            if not sur or (k == 1 and (sur not in self._surnames or sur in self._weak)):
                continue
            core = text[pos:e]
            nxt = text[e:e + 1]
            if any(x.start <= pos < x.end or x.start < e <= x.end for x in found):
                continue
            if lex.freq(core) >= _FAMILIAR_WORD_FREQ and not lex.tag(core).startswith("nr"):
                continue  # 小心, 老是, 小便, 老年
            prev = text[pos - 1:pos]
            if "\u4e00" <= prev <= "\u9fff" and prev not in _FAMILIAR_BEFORE and not text.endswith(_TIME_WORDS, 0, pos):
                continue  # 肾小管, 近曲小管 (a word of a longer term, not a person led to)
            if prev and "\u4e00" <= prev <= "\u9fff" and (
                    lex.freq(prev + text[pos]) >= _FAMILIAR_WORD_FREQ or lex.freq(prev + core) > 0):
                continue  # 从小, 大小, 古老, 养老; 王老吉 (a word across the left edge)
            if "\u4e00" <= nxt <= "\u9fff":
                if not text.startswith(after, e) or (lex.freq(text[e - 1:e + 1]) >= _FAMILIAR_WORD_FREQ and not (
                        text.startswith(("和", "跟", "也", "很", "吗"), e))):
                    continue  # 小周末, 老王八, 小高兴 (a word across the right edge)
                if lex.freq(core + nxt) > 0:
                    continue
            elif nxt and (nxt.isalnum() or nxt in "·"):
                continue
            if self.blocked(text, pos + 1):
                continue
            out.append(self._entity(text, pos, e, "familiar_wide", 0.75, "小/老 + a surname standing as a person"))
        return out
