"""Name slots: places where only a person's name can stand (for ``person.py``).

In a slot the value is a name even when its characters also spell a word (黎明, 安然, 顾念), a herb or a drug
(金银花, 黄芩芳, 贾 半夏) or a historical figure (屈原松): the place says a person is meant, so the name
model and the clinical blocklist are not asked. The same characters outside a slot stay (麻醉后黎明时分,
杜仲10g). The slots:

* the whole value of a field whose label names a person's role (麻醉医师：黎明　安宁, 抄方：贾 半夏, 记录：郁金,
  心内科：江河, 医 师：谢⏎文君 — one span per line), but not a speaker's words after a turn label (调度员：别慌，…);
* a person noun written straight before the name, with or without a colon (接种者顾念, 探视人员：区伟雄, 主刀应急,
  胸牌写的是常欢): the located pattern ``slot_noun`` of ``person.py``, its nouns being labels of the analyzer;
* a name before a personal document it owns (把高峰的身份证);
* a nickname after 小名/乳名/昵称 (小名"豆豆"), in quotes before a note that calls it one ("果果"（姐姐的小名）) or
  after a word that calls someone by it (叫她“容嬷嬷”, 邻居“幺妹”);
* in a document that is a dialogue or a chat (two speaker labels or more are roles or found names, one speaks
  twice), every other speaker label opening a line (黎明：麻醉科这边…) and a reduplicated given name called out
  (静静你告诉他);
* a staff list of department + name items (放疗科屈原松；影像科谭菁；病理科冷月) where one item is a found name;
* the given name alone of a found full name, before a relative or an address (我是美兰家属 beside 黄美兰).

Bed rosters (11床 双喜，男), numbered rows of spaced names (1 葛 佑 ZY…) and 某-masked names (刘某华) are read in
``person.py`` and ``person_tables.py`` with the same rule: the place decides.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from yizhu.privacy.recognizers.namescore import FLOOR, NameScorer
from yizhu.privacy.recognizers.person_cues import _VISIBLE_END
from yizhu.privacy.recognizers.words import lexicon
from yizhu.privacy.types import Entity

_HAN = "\u4e00-\u9fff"
#: Characters a name never holds past its first: spoken words and function words (医生：您好, 护士：好的).
_SLOT_UTTERANCE = frozenset("好谢您你我他她吗呢吧啊哦嗯呀啦么没的了是在有无不")
#: What follows a role label: an optional note in brackets, a required-field star, the colon, and a kinship word
#: before the name it introduces.
_SLOT_LABEL_TAIL = (
    r"[ \t\u3000]*(?:[（(][^）)\n]{1,6}[）)][ \t\u3000]*)?[*＊]?[ \t\u3000]*[:：][ \t\u3000]*"
    # a relative named inside the value (咨询人：妈妈黎明月): the kinship word is skipped
    r"(?:(?:妈妈|爸爸|母亲|父亲|奶奶|爷爷|外婆|外公|姥姥|姥爷|妻子|丈夫|女儿|儿子|老伴|爱人)"
    r"(?=[\u4e00-\u9fff]{2,4}(?:[ \t\u3000\n，,（(]|$)))?"
)
#: A role label and its colon: the label ends in a word naming a person's role (literals first: the engine
#: skips to them in C). 麻醉 alone is not here (麻醉：全麻 names the method).
_SLOT_LABEL = re.compile(
    r"(?:师|医生|护士|者|人员|人|员|助理|人事|秘书|干事|社工|抄方|主刀|一助|二助|三助|助手|签名|签字|审签|主检|审核|复核|核对|"
    r"调配|发药|经办|带教|记录|执行|排班|科|"
    # (session deidnames5: 村医, 校医; 社工督导; 分管副校长, 护士长, 队长; 新生儿科接诊; 医师值班)
    r"医|督导|长|接诊|值班)"
    + _SLOT_LABEL_TAIL
)
#: Name fields, sign-offs and a head of department (姓名*：钱有福, 制表：佴可, 科主任：蔺相如): labels of the pattern
#: ``slot_field_more`` (the analyzer's automaton finds them; ``_field_more_at`` reads the value).
SLOT_FIELD_MORE_LABELS = ("姓名", "制表", "填表", "主任")
#: A field value that runs to the field's end: two to four characters, or a surname, spaces and one or two
#: characters (贾 半夏), or a surname alone before a line break (谢⏎文君).
_SLOT_VALUE = re.compile(
    f"(?P<sp>[{_HAN}]{{1,2}}[ \\u3000]{{1,2}}[{_HAN}]{{1,2}}|[{_HAN}](?:[ \\u3000][{_HAN}]){{2,3}})"
    f"(?=[ \\t\\u3000]{{2,}}|\\u3000|[ \\t]*(?:\\n|$)|[ \\t]*[，,。；;、（(])"
    f"|(?P<v>[{_HAN}]{{2,4}})(?=[ \\t\\u3000]|$|[\\n，,。；;、/／（(）)|｜])"
    f"|(?P<one>[{_HAN}])[ \\t\\u3000]*\\n(?P<more>[{_HAN}]{{1,2}})[ \\t\\u3000]*(?=\\n|$)"
)
#: A label that opens its line (after an optional time stamp): a field's or a speaker's turn.
_TURN_OPENING = re.compile(
    f"[ \\t\\u3000]*(?:[\\[【(（]?\\d{{1,2}}[:：]\\d{{2}}(?:[:：]\\d{{2}})?[\\]】)）]?[ \\t\\u3000]*)?[{_HAN}]{{0,8}}"
)
#: What follows words said in a turn, not a field's value (别慌，地址…; 对对。; 可以吃，饭后吃): a clause or sentence
#: mark that the sex or an age does not follow.
_SAID = re.compile(r"[，,](?![ \t]*(?:[男女]|\d))|[。！？!?…~～]")
#: A space and the next field's label after a value (姓名：钱有福 性别：男).
_NEXT_FIELD = re.compile(f"[ \\t\\u3000]+[{_HAN}]{{1,4}}[:：]")
#: The unspaced value alone (黎明　安宁: two names, not one spaced name).
_SLOT_WORD = re.compile(f"(?P<v>[{_HAN}]{{2,4}})(?=[ \\t\\u3000]|$|[\\n，,。；;、/／（(）)|｜])")
#: A second name in the same field, after an ideographic space or spaces, ending the line (麻醉医师：黎明　安宁).
_SLOT_SECOND = re.compile(f"(?:\\u3000|[ \\t]{{1,4}})(?P<v>[{_HAN}]{{2,3}})[ \\t\\u3000]*(?=\\n|$)")
#: Between a person noun and its name: spaces, or a colon.
_NOUN_GAP = re.compile(r"[ \t\u3000]*(?:[:：][ \t\u3000]*)?")
#: The visible end of a value after a person noun without a colon (接种者顾念⏎, 主管医师纳海林。).
_NOUN_END = re.compile(r"[ \t\u3000]*(?:$|\n|[，,。；;、（(）)])|\u3000|[ \t]{2,}")
#: A nickname after its label (小名"豆豆", 乳名叫贝贝, 昵称：糖糖).
_NICKNAME = re.compile(
    f"(?:小名|乳名|昵称|绰号|外号|爱称)(?:叫做|叫|是|为)?[:：]?[ \\t\\u3000]*[“\"‘「『]?(?P<v>[{_HAN}]{{1,3}})"
    f"(?:[”\"’」』]|(?=[，,。；;、（(）)\\s]|$))"
)
#: The words that call a name a nickname.
_NICK_HINT = re.compile("[名称号](?<=小名|乳名|昵称|绰号|外号|爱称)")
#: A quoted word that a bracketed note right after calls a nickname ("果果"（姐姐的小名）).
_QUOTED_NICKNAME = re.compile(
    f"[“\"‘「](?P<v>[{_HAN}]{{2,3}})[”\"’」][（(][^（()）\\n]{{0,8}}(?:小名|乳名|昵称|外号|绰号)"
)
#: A name in quotes after a word that calls someone by it or a person it stands for (叫她“容嬷嬷”, 邻居“幺妹”).
_CALLED = re.compile(
    "[“\"「『](?<=(?:叫她|叫他|叫我|称她|称他|称呼|喊她|喊他|人称|外号|绰号|室友|邻居|朋友|同事|同学|发小|网友).)"
    f"(?P<v>[{_HAN}]{{2,3}})[”\"」』]"
)
#: A line that opens with a label and a colon, then words (a speaker's turn or a field).
_LINE_LABEL_BODY = (
    f"[ \\t\\u3000]*(?:[\\[【(（]?\\d{{1,2}}[:：]\\d{{2}}(?:[:：]\\d{{2}})?[\\]】)）]?[ \\t\\u3000]*)?"
    f"(?P<v>[{_HAN}]{{2,6}})[ \\t\\u3000]*[:：](?=[ \\t\\u3000]*[^\\s])"
)
_LINE_LABEL = re.compile("\n" + _LINE_LABEL_BODY)
_LINE_LABEL_AT = re.compile(_LINE_LABEL_BODY)
#: A reduplicated given name called out at a clause start (静静你告诉他, 豆豆，过来).
_VOCATIVE = re.compile(
    f"[\\n，,。！？!?：:…—“\"-](?P<v>([{_HAN}])\\2)(?=[，,]?(?:你|快|过来|别|听))"
)
#: A chat line opened by its speaker and a time (黎明月 20:14：…, 小满 08:22：…, 龙腾（护士长）07:45：…, 黎明月 次日 08:02).
_CHAT_LINE = re.compile(
    f"\n(?P<v>[{_HAN}]{{2,4}})(?:[（(][^（()）\n]{{1,8}}[）)])?[ \t\u3000]*(?:(?:次日|昨天|今天|前天|昨日|今日)[ \t\u3000]*)?"
    r"\d{1,2}[:：]\d{2}"
)
#: What follows a chat line's speaker: an optional bracketed role, a day word, a time.
_CHAT_AFTER = re.compile(
    r"(?:[（(][^（()）\n]{1,8}[）)])?[ \t\u3000]*(?:(?:次日|昨天|今天|前天|昨日|今日)[ \t\u3000]*)?\d{1,2}[:：]\d{2}")
#: A parent word after a child's reduplicated name (凡凡妈妈, 朵朵爸爸): labels of the located pattern ``child_parent``.
PARENT_WORDS = ("妈妈", "爸爸", "妈咪", "爹地", "麻麻", "粑粑")  # (妈咪, 麻麻: how parents sign in chats)
#: A department and a name, one item of a staff list (放疗科屈原松；影像科谭菁).
_DEPT_ITEM = re.compile(
    f"(?P<d>科|室|组|部|中心)(?<=[{_HAN}].)(?P<v>(?:(?!副)[{_HAN}]){{2,3}})"
    f"(?=[；;、，,。]|[ \\t\\u3000]*(?:\\n|$)|(?:副?主任|副?教授|医师|医生|护士长|护士|治疗师))"
)
#: A name before a document or contact it owns (把高峰的身份证发群里, 是安然的手机号): after a mark or a word that
#: hands something over, so the value starts there.
_OWNED = re.compile("的(?=身份证|医保卡|社保卡|就诊卡|手机|电话|微信|银行卡|住址|家属)")
#: What stands before such a name.
_OWNED_BEFORE = frozenset("把给是将和与跟向找，,、：: \t\n\u3000“\"（(")
#: What follows a given name said alone (我是美兰家属, 美兰你…, 美兰姐): a relative, a kinship word or an address.
_GIVEN_ALONE_AFTER = re.compile(
    r"(?:家属|的(?:家属|丈夫|妻子|老公|爱人|女儿|儿子|母亲|父亲|妈妈|爸爸)|姐|哥|阿姨|妈|爸|你)"
)
#: What follows a part of a found name said alone after a word that hands a task to a person (让秋实签, 先让令狐谈):
#: a verb of signing or talking.
_PART_ACTS = re.compile(r"(?:签|谈|来签|去谈|去签|来谈)(?![\u4e00-\u9fff])|(?:签字|签名|谈话|沟通)")
#: Words before such a part.
_PART_BEFORE = ("让", "叫", "请", "由", "找")
_PART_BEFORE_LAST = frozenset("让叫请由找")
#: The words of ``_GIVEN_ALONE_AFTER`` and ``_PART_ACTS`` as plain substrings (a text holding none is not searched).
_GIVEN_ALONE_HINTS = ("家属", "姐", "哥", "阿姨", "妈", "爸", "你", "的", "签", "谈", "沟通")
#: A given name said with a kinship word after a word that calls someone by it (大家都叫她桂花姨, 喊他建军哥).
_CALLED_KIN = re.compile(
    f"(?:叫她|叫他|喊她|喊他|称她|称他|称呼她|称呼他)(?P<v>[{_HAN}]{{2}})(?=(?:姨|姐|哥|叔|婶|嫂|伯)(?![{_HAN}]|[妈父夫])|"
    f"(?:姨|姐|哥|叔|婶|嫂|伯)[）)”\"」，,。；;！!])"
)
#: Two names joined by 和 in quoted speech, before a word of what people do (“兰兰和孟可欣总是一起…”).
_QUOTED_PAIR = re.compile(f"[“\"「](?P<a>[{_HAN}]{{2,3}})和(?P<b>[{_HAN}]{{2,3}}?)(?=总是|一起|都|也|经常|常常|一直|又|还|天天)")
#: Colons that end a speaker label.
_COLONS = frozenset("：:")
#: Roles that open the turns of a transcribed dialogue (医生：…, 患者：…).
_ROLE_TURNS = re.compile("\n(?:医生|患者|家属|护士|医师|患儿|病人|调度员|呼救人)：")
#: The last characters of a department before a name in a staff list.
_DEPT_ENDS = frozenset("科室组部心")
#: The end of a value after a role written with spaces (科主任 宁静   主任医师 佟瑶): a cell's gap, the line end, a
#: clause mark or a bracket.
_CELL_VALUE_END = re.compile(r"[ \t\u3000]{2,}|\u3000|[ \t]*(?:\n|$)|[，,。；;、（(]")
#: The end of a value written straight after a role or a department (主治医师沐晨。, 本院医务科李想⏎): as a cell's,
#: or a closing bracket.
_TIGHT_VALUE_END = re.compile(r"[ \t\u3000]{2,}|\u3000|[ \t]*(?:\n|$)|[，,。；;、（(）)！？!?:：]")
#: A hard end: a cell's gap or the line end (a value such as 于是 that is also a function word ends there).
_HARD_END = re.compile(r"[ \t\u3000]{2,}|\u3000|[ \t]*(?:\n|$)")
#: A department or a unit written straight before a name (本院医务科李想, ICU帅可, 疾控中心…).
_UNIT_BEFORE = re.compile(r"(?:科|室|中心|ICU|CCU|PACU|NICU|PICU|EICU|SICU|RICU)")
#: Characters before 科/室 that make a word, not a department's name (我科, 本科, 全科, 各科室).
_NOT_UNIT = frozenset("我本该全专学各分此贵")
#: What a person does right after such a name (贝贝接收, 郑佳佳帮我办的, …负责追踪).
_SLOT_ACTS = ("接收", "帮", "负责", "签", "谈", "追踪", "联系", "随访", "协助", "陪同", "核对", "执行", "交接", "通知",
              "告知", "确认", "接诊", "评估", "经手", "办理", "处理", "送", "说", "讲", "表示", "同意", "回复",
              "审阅", "审核", "审签", "备案", "会打", "会来", "会给", "会联系", "打电话", "不管")
#: A row of a register or a bed list opening a line: a bed, a time, a date, a number or a code, then spaces, then the
#: name (15床 连城璧 胃癌术后, 02:45 张三 ZY…, 1100023 孔令辉 男, 4 钱多多 女).
_ROW_HEAD = re.compile(
    r"[ \t\u3000]*(?:(?:新入|新收|加床|转入|转出)[ \t\u3000]*)?"
    r"(?:(?:\d{4}[-/.])?\d{1,2}[-/／.]\d{1,2}[ \t\u3000]+)?"  # a date before a time (11/22 02:45 张三 ZY…)
    r"(?P<k>(?:[A-Z]{1,5}-?|[+＋加])?\d{1,3}[ \t]*床|\d{1,2}[:：]\d{2}(?:[:：]\d{2})?|\d{1,2}[/／]\d{1,2}"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|[A-Z]{0,5}[-]?\d{1,14})[.、．)）]?[ \t\u3000]+"
    f"(?P<v>[{_HAN}]{{2,4}})(?=[ \\t\\u3000]+(?P<t>.))"
)
#: Such a row after a line break (the scan skips to each line break in C).
_ROW_LINE = re.compile("\n(?=[ \t\u3000]*[0-9A-Z新加转+＋])" + _ROW_HEAD.pattern)
#: What the cell after a row's name holds: the sex, a record number or code, a number.
_ROW_NEXT = re.compile(r"[男女](?:[ \t\u3000,，]|$)|[A-Z]{1,4}-?\d|\d")
#: Least given-name bucket of the given characters of a value written straight after a role or a unit and ended by
#: a clause mark or a verb (沐晨: 1, 4; 通知: -1, -2 is a verb).
TIGHT_GIVEN_BUCKET = -1
#: Least given-name bucket of the given characters of a blocklisted word taken as a name straight after a role
#: (高山: 山 0; 查房: 房 -2 stays a round).
WORD_NAME_BUCKET = 0
#: The slots where such a word is taken: after a role, a register row's name cell, a cell next to names.
_WORD_NAME_SLOTS = frozenset({"slot_role", "slot_row", "slot_kin_cell"})
#: A cell of a row split by spaces: two to four characters between spaces or the line's ends.
_ROSTER_CELL = re.compile(f"(?<![^ \\t\\u3000\\n])(?P<v>[{_HAN}]{{2,4}})(?=[ \\t\\u3000]|\\n|$)")
#: What stands either side of a whole cell of such a row.
_CELL_GAPS = " \t\u3000\n"
#: What a weekday cell holds (周一 … 周日): not a name.
_DAY_CHARS = frozenset("一二三四五六日天末")
#: Least given-name bucket of the character of a child's reduplicated name before a parent word (凡凡 2, 图图 -2).
CHILD_NAME_BUCKET = -2
#: Least given-name bucket of each given character of a relative's name listed after another's (向东: 2).
KIN_ITEM_BUCKET = 0
#: Least given-name bucket of each character of a slot's value that does not start with a surname (晓雯: 5, 6).
GIVEN_ONLY_BUCKET = 2
#: Least jieba frequency of a verb after a role's name (补充 3,398, 调阅 56): a rare "verb" is often a word's tail.
VERB_AFTER_FREQ = 50
#: Least given-name bucket of a reduplicated character called out (静: 5; 慢, 刚 and other adverbs are listed).
VOCATIVE_BUCKET = 3


def _verb_after(text: str, s: int, e: int) -> bool:
    """The dictionary segments ``text`` from ``s`` with a boundary at ``e`` and a verb of two characters right after it
    (护士长任重|补充, 住院医师常青|记录 is a noun; 实习生文静|解释): a person acting after a role written before the name
    (session deidnames5)."""
    lex = lexicon()
    k = s
    cut = lex.cut(text[s:min(len(text), e + 4)])
    for i, w in enumerate(cut):
        k += len(w)
        if k == e:
            nxt = cut[i + 1] if i + 1 < len(cut) else ""
            return len(nxt) >= 2 and lex.tag(nxt) == "v" and lex.freq(nxt) >= VERB_AFTER_FREQ
        if k > e:
            return False
    return False


class SlotNames:
    """The slot scans of ``PersonRecognizer``."""

    _surnames: frozenset[str]
    _compounds: frozenset[str]
    _weak: frozenset[str]
    _roles: frozenset[str]
    _paren_roles: frozenset[str]
    _not_names: set[str]
    _score: NameScorer
    _slot_not: frozenset[str]
    _reduplicated: frozenset[str]
    _colon_label_set: frozenset[str]
    _slot_firsts: frozenset[str]
    _nonname: frozenset[str]
    _slot_next: tuple[str, ...]
    _slot_nouns_at: dict[str, tuple[str, ...]]
    _slot_role_re: re.Pattern[str]
    _slot_roles_set: frozenset[str]
    _kin_cell_re: re.Pattern[str]
    _unit_re: re.Pattern[str]
    _kin_item_re: re.Pattern[str]
    _kin_item_cues: tuple[str, ...]
    _slot_paren_re: re.Pattern[str]
    _paren_re: re.Pattern[str]
    _title_words: tuple[str, ...]

    if TYPE_CHECKING:
        def blocked(self, text: str, start: int) -> str | None: ...
        def _entity(self, text: str, start: int, end: int, pattern: str, score: float, note: str) -> Entity: ...

    def _slot_value_ok(self, value: str, *, given_only: bool = False, hard: bool = False, named: bool = False) -> bool:
        """A slot's value is a name unless it is a role, a kinship word, a placeholder or a spoken word, or
        does not start with a surname; with ``given_only`` (a role field, a person noun) two or three characters
        that names use (each rated at least ``GIVEN_ONLY_BUCKET`` by the name model: 晓雯, 冬梅) are a given name
        written alone or a name whose surname the list lacks."""
        core = value.replace(" ", "").replace("\u3000", "").replace("\n", "")
        if not 1 <= len(core) <= 4:
            return False
        k = 2 if core[:2] in self._compounds else 1
        if k == 1 and core[0] not in self._surnames and core[0] not in self._weak:
            if not (given_only and 2 <= len(core) <= 3
                    and all(self._score.given.get(c, FLOOR) >= GIVEN_ONLY_BUCKET for c in core)):
                return False
            k = 0
        if len(core) == 4 and k == 1:
            return False
        if core in self._paren_roles or core in self._not_names or core in self._slot_not or core in self._roles:
            return False
        # a spoken word (您好, 好的) is no name; with ``hard`` (the value fills a cell to its gap or the line end) a
        # surname and a function word (审核：于是␣␣) is one; so is any value that fills a name field (姓名：钱有福␣)
        return ((hard and ((k == 1 and len(core) == 2) or (named and k >= 1)))
                or not any(c in _SLOT_UTTERANCE for c in core[max(k, 1):])) \
            and not core.endswith(self._slot_role_ends)

    def _spaced_ok(self, value: str) -> bool:
        """A spaced value is one name when its first part is a surname (贾 半夏), a compound surname (司徒 静), or
        each of its characters stands alone (梁 家 俊)."""
        first = re.split(r"[ \u3000]+", value)[0]
        return len(first) == 1 or first in self._compounds

    _slot_role_ends = ("科", "室", "医师", "医生", "护士", "主任", "家属", "本人")

    def _slot_names(self, text: str, found: list[Entity]) -> list[Entity]:
        """Field values after a role label (see the module doc), where no rule found the whole value."""
        out: list[Entity] = []
        if "：" in text or ":" in text:
            whole: set[int] | None = None
            firsts = self._slot_firsts
            for m in _SLOT_LABEL.finditer(text):
                s = m.end()
                if text[s:s + 1] not in firsts:
                    continue  # no name starts there
                if m.group(0).startswith("姓名") and not any(c in self._nonname for c in text[s + 1:s + 4]):
                    continue  # a name field's value of name characters is the header pattern's
                if whole is None:
                    whole = {e.start for e in found
                             if e.score >= 0.8 and not ("\u4e00" <= text[e.end:e.end + 1] <= "\u9fff")}
                if s in whole:
                    continue  # found whole by a rule already
                v = _SLOT_VALUE.match(text, s)
                if v is None:
                    continue
                label = m.group(0)
                if v.group("one") is not None:  # 医 师：谢⏎文君: a name broken by a line break
                    one, more = v.group("one"), v.group("more")
                    if one in self._surnames and self._slot_value_ok(one + more) and not any(
                            self._score.given.get(c, FLOOR) < -1 for c in more):
                        out.append(self._entity(text, v.start("one"), v.end("one"), "slot_field", 0.85,
                                                f"a name broken by a line break after {label.strip()!r}"))
                        out.append(self._entity(text, v.start("more"), v.end("more"), "slot_field", 0.85,
                                                f"the rest of a name after {label.strip()!r}"))
                    continue
                span = self._field_value(text, m.start(), s, v, named=False)
                if span is None:
                    continue
                out.append(self._entity(text, span[0], span[1], "slot_field", 0.85,
                                        f"the value of the role field {label.strip()!r}"))
                second = _SLOT_SECOND.match(text, span[1])
                if second is not None and self._slot_value_ok(second.group("v")):
                    out.append(self._entity(text, second.start("v"), second.end("v"), "slot_field", 0.85,
                                            f"a second name in the role field {label.strip()!r}"))
        if "的" in text:
            for m in _OWNED.finditer(text):
                k = m.start()
                for vs in (k - 3, k - 2):
                    if vs < 0 or (vs > 0 and text[vs - 1] not in _OWNED_BEFORE):
                        continue
                    value = text[vs:k]
                    w = self.blocked(text, vs)
                    if (all("\u4e00" <= c <= "\u9fff" for c in value) and self._slot_value_ok(value)
                            and (w is None or len(w) <= len(value))):
                        out.append(self._entity(text, vs, k, "slot_owner", 0.8,
                                                "a name before a document or contact it owns"))
                    break
        if "叫她" in text or "叫他" in text or "喊她" in text or "喊他" in text or "称她" in text or "称他" in text \
                or "称呼" in text:
            for m in _CALLED_KIN.finditer(text):
                value = m.group("v")
                if value not in self._paren_roles and self._slot_value_ok(value, given_only=True):
                    out.append(self._entity(text, m.start("v"), m.end("v"), "called_kin", 0.8,
                                            "a given name called with a kinship word"))
        quoted = "“" in text or '"' in text or "「" in text
        if quoted and "和" in text:
            for m in _QUOTED_PAIR.finditer(text):
                a, b = m.group("a"), m.group("b")
                k = 2 if b[:2] in self._compounds else 1
                if not (b[0] in self._surnames and len(b) > k and self._score.score(b[:k], b[k:]) >= 0
                        and self._slot_value_ok(b) and not self.blocked(text, m.start("b"))):
                    continue
                out.append(self._entity(text, m.start("b"), m.end("b"), "quoted_pair", 0.8,
                                        "a name joined by 和 to another in quoted speech"))
                if (a not in self._reduplicated and ((len(a) == 2 and a[0] == a[1]
                        and self._score.given.get(a[0], FLOOR) >= GIVEN_ONLY_BUCKET) or self._slot_value_ok(a))):
                    out.append(self._entity(text, m.start("a"), m.end("a"), "quoted_pair", 0.8,
                                            "a name joined by 和 to another in quoted speech"))
        nick = _NICK_HINT.search(text) is not None
        if quoted or nick:
            for rx in (*((_NICKNAME, _QUOTED_NICKNAME) if nick else ()), *((_CALLED,) if quoted else ())):
                for m in rx.finditer(text):
                    value = m.group("v")
                    if value not in self._paren_roles and value not in self._not_names and value not in self._slot_not:
                        out.append(self._entity(text, m.start("v"), m.end("v"), "nickname", 0.85, "a nickname"))
        return out

    def _field_value(self, text: str, label_start: int, s: int, v: re.Match[str] | None, *,
                     named: bool) -> tuple[int, int] | None:
        """The span of a role field's value at ``s`` (``v``: its ``_SLOT_VALUE`` match), unless it is no name by
        ``_slot_value_ok`` or words said after a turn label (调度员：别慌，地址在哪？); a name field's value (``named``,
        姓名：钱有福 性别：男) ends at the next field's label too and may hold any character after its surname."""
        if v is None or v.group("one") is not None:
            return None
        key = "v" if v.group("v") is not None else "sp"
        value = v.group(key)
        if key == "sp" and not self._spaced_ok(value):
            v = _SLOT_WORD.match(text, s)
            if v is None:
                return None
            key, value = "v", v.group("v")
        e = v.end(key)
        hard = key == "v" and (_HARD_END.match(text, e) is not None or (named and _NEXT_FIELD.match(text, e) is not None))
        if not self._slot_value_ok(value, given_only=key == "v", hard=hard, named=named) or (
                _SAID.match(text, e) and _TURN_OPENING.fullmatch(
                    text, text.rfind("\n", 0, label_start) + 1, label_start) is not None):
            return None
        return v.start(key), e

    def _field_more_at(self, text: str, s: int) -> tuple[int, int] | None:
        """The value at ``s`` of a name field, a sign-off or a head of department's field (姓名*：钱有福, 制表：佴可,
        科主任：蔺相如): the pattern ``slot_field_more`` of ``person.py`` (its words are labels of the analyzer's
        automaton). A name field's value of name characters only is the header pattern's (not read again here)."""
        if text[s:s + 1] not in self._slot_firsts:
            return None
        ls = text.rfind("\n", 0, s) + 1
        start, named = -1, False
        for w in SLOT_FIELD_MORE_LABELS:
            k = text.rfind(w, max(ls, s - 16), s)
            if k > start:
                start, named = k, w == "姓名"
        if start < 0:
            return None
        if named and not any(c in self._nonname for c in text[s + 1:s + 4]):
            return None
        return self._field_value(text, start, s, _SLOT_VALUE.match(text, s), named=named)

    def _role_slots(self, text: str, found: list[Entity]) -> list[Entity]:
        """Names written after a role or a department without a colon, and rows of registers and bed lists: a
        sign-off row (科主任 宁静   质控护士 双喜), a role straight before a name that ends visibly or acts (主治医师沐晨。,
        PACU护士贝贝接收, 人事郑佳佳帮我办的), a department before a name at the line end or acting (本院医务科李想,
        ICU帅可), a name before a role in brackets (言若水（副麻）), the name cell of a row opened by a bed, a time, a
        date or a number (15床 连城璧 胃癌术后, 02:45 张三 ZY…, 4 钱多多 女) and a name before a kinship cell of a visitor
        register (许愿 外孙女). The value must be a name by ``_slot_value_ok``; a clinical word of the blocklist
        (主治医师查房。) is not taken, nor a function word (于是) unless a cell's gap or the line end closes it."""
        out: list[Entity] = []
        taken: set[tuple[int, int]] = set()
        n_text = len(text)

        def take(s: int, e: int, pattern: str, note: str, *, given_only: bool, hard: bool, tight: bool = False,
                 spaced_cell: bool = False, strong: bool = False) -> bool:
            value = text[s:e]
            if ((s, e) in taken or any(x.start == s and x.end == e for x in found) or not all("\u4e00" <= c <= "\u9fff" for c in value) or value in self._slot_roles_set
                    or value in self._paren_roles):
                return False
            if tight and not hard:  # 护士通知。: a verb; 主治医师沐晨。: a name (its given characters are names')
                k = 2 if value[:2] in self._compounds else (1 if value[0] in self._slot_firsts else 0)
                if self._score.weakest(value[k:]) < TIGHT_GIVEN_BUCKET:
                    return False
            # a word of the blocklist is no name (上级医师查房⏎); but a cell of a sign-off row (科主任 宁静␣␣) or a
            # function word that cannot end a sentence (治疗师于是⏎) closed by a gap or the line end is one
            # a word whose given characters names use, acting or ending visibly after a clinician's role, is a name
            # there (主治医师高山审阅, 医务部宁静备案: a landscape or a mood word; not 上级医师查房)
            w = self.blocked(text, s)
            if w is not None and len(w) >= len(value) and not (hard and len(w) == len(value) and (
                    spaced_cell or any(c in _SLOT_UTTERANCE for c in value[1:]))) and not (
                    len(w) == len(value) and pattern in _WORD_NAME_SLOTS and value[0] in self._surnames
                    and (strong or self._score.weakest(value[1:]) >= WORD_NAME_BUCKET)):
                return False
            if not self._slot_value_ok(value, given_only=given_only, hard=hard):
                return False
            out.append(self._entity(text, s, e, pattern, 0.8, note))
            taken.add((s, e))
            return True

        for m in self._slot_role_re.finditer(text):
            s = m.end()
            spaced = m.end("g") > m.start("g")
            for n in (3, 2, 4):
                e = s + n
                if e > n_text:
                    continue
                if spaced:
                    ok = _CELL_VALUE_END.match(text, e) is not None
                else:
                    ok = _TIGHT_VALUE_END.match(text, e) is not None or text.startswith(_SLOT_ACTS, e) or (
                        text.startswith(self._slot_next, e) and n >= 2) or (n >= 2 and _verb_after(text, s, e))
                if ok and take(s, e, "slot_role", f"a name after the role {m.group('r')!r}", given_only=True,
                               hard=_HARD_END.match(text, e) is not None or text.startswith(self._title_words, e),
                               tight=not spaced, spaced_cell=spaced):
                    break
        if "科" in text or "室" in text or "中心" in text or "ICU" in text or "CCU" in text:
            for m in self._unit_re.finditer(text):
                s = m.end()
                if text[m.start() - 1:m.start()] in _NOT_UNIT:
                    continue
                for n in (3, 2):
                    e = s + n
                    value = text[s:e]
                    if len(value) < n or value in self._score.words:
                        continue
                    if (_TIGHT_VALUE_END.match(text, e) is not None or text.startswith(_SLOT_ACTS, e)) and take(
                            s, e, "slot_unit", f"a name after the unit {m.group(0)!r}", given_only=False,
                            hard=_HARD_END.match(text, e) is not None, tight=True):
                        break
        if "（" in text or "(" in text:
            for m in self._slot_paren_re.finditer(text):
                role = m.group("r")
                if not (role in self._slot_roles_set or role.endswith(("麻", "助", "医师", "护士"))):
                    continue
                q = m.start()
                if any(e.start < q <= e.end + 1 and e.end > q - 4 for e in found):
                    continue  # a name found already before the bracket (刘洋述（同班护士）)
                for n in (3, 2):
                    s = q - n
                    if s < 0 or ("\u4e00" <= text[s - 1:s] <= "\u9fff"):
                        continue
                    if take(s, q, "slot_paren_role", f"a name before the role {role!r}", given_only=True, hard=False):
                        break
        r0 = _ROW_HEAD.match(text)
        found_starts: set[int] | None = None
        for r in (*((r0,) if r0 is not None else ()), *_ROW_LINE.finditer(text)):
            bed = r.group("k").endswith("床")
            if not bed and _ROW_NEXT.match(text, r.start("t")) is None:
                # (or another name stands in the next cell: ICU-7 宁静 宁远山 父亲)
                if found_starts is None:
                    found_starts = {e.start for e in found if e.score >= 0.75}
                if r.start("t") not in found_starts:
                    continue
            take(r.start("v"), r.end("v"), "slot_row", "the name cell of a row", given_only=False, hard=False)
        if "、" in text:  # 其妻桂兰芝、其子向东: a relative listed after another relative whose name was found
            ends = {e.end for e in found if e.score >= 0.75}
            for m in self._kin_item_re.finditer(text):
                if m.start() not in ends:
                    continue
                prev = next((e for e in found if e.end == m.start()), None)
                if prev is None or not text.endswith(self._kin_item_cues, 0, prev.start):
                    continue  # the item before is a relative too (其妻X、)
                s = m.end()
                for n in (3, 2):
                    e = s + n
                    value = text[s:e]
                    k = 2 if value[:2] in self._compounds else 1
                    if len(value) < n or any(self._score.given.get(c, FLOOR) < KIN_ITEM_BUCKET for c in value[k:]):
                        continue
                    if n == 3 and _VISIBLE_END.match(text, e) is None:
                        continue
                    if take(s, e, "slot_kin_item", "a relative's name listed after another relative's",
                            given_only=False, hard=False):
                        break
        kin_cells = list(self._kin_cell_re.finditer(text))
        ends = {e.end for e in found if e.score >= 0.75} if kin_cells else set()
        known = {e.text for e in found if e.score >= 0.75 and len(e.text) >= 2} if kin_cells else set()
        for m in kin_cells:
            s = m.start("v")
            # the cell before is a found name, here or elsewhere in the text
            after_name = s - 1 in ends or text[max(text.rfind(" ", 0, s - 1), text.rfind("\n", 0, s - 1)) + 1:s - 1] in known
            if s > 0 and "\u4e00" <= text[s - 2:s - 1] <= "\u9fff" and not after_name:
                continue  # the cell before is words, not a register's (but a found name's: 尚德明 尚可 女儿)
            take(s, m.end("v"), "slot_kin_cell", "a name before a kinship cell", given_only=False, hard=False,
                 strong=after_name)
        return out

    def _roster_cells(self, text: str, found: list[Entity]) -> list[Entity]:
        """Cells of a row split by spaces that holds two found names or more, whole cells each (a duty roster: 12/07
        周一 邢飞 佴可 何必; a visitors' register: ICU-2 尚德明 尚可 女儿), or one in a row opened by a bed, a time or a
        number (ICU-7 宁静 宁远山 父亲): every other cell of two to four characters that starts with a surname and whose
        given characters names use is a name too, even one that is a word (尚可, 宁静), not a weekday (周一)."""
        out: list[Entity] = []
        lines: dict[int, int] = {}
        n_text = len(text)
        seen: set[int] = set()
        for e in found:
            p, q = e.start, e.end
            if (p and text[p - 1] not in _CELL_GAPS) or (q < n_text and text[q] not in _CELL_GAPS) or p in seen \
                    or e.score < 0.75:
                continue
            seen.add(p)
            ls = text.rfind("\n", 0, p) + 1
            lines[ls] = lines.get(ls, 0) + 1
        for ls, n in lines.items():
            if n < 2 and (n < 1 or _ROW_HEAD.match(text, ls) is None):
                continue  # (one found name is enough in a row opened by a bed, a time or a number: ICU-7 宁静 宁远山)
            le = text.find("\n", ls)
            le = len(text) if le < 0 else le
            for m in _ROSTER_CELL.finditer(text, ls, le):
                s, e = m.span("v")
                value = m.group("v")
                k = 2 if value[:2] in self._compounds else 1
                if value[0] not in self._surnames or any(c in _DAY_CHARS for c in value[k:]) or (
                        self._score.weakest(value[k:]) < TIGHT_GIVEN_BUCKET) or any(
                        x.start < e and s < x.end for x in found):
                    continue
                w = self.blocked(text, s)
                if (value in self._slot_roles_set or value in self._paren_roles
                        or not self._slot_value_ok(value, hard=True)
                        or (w is not None and len(w) >= len(value) and self._score.weakest(value[k:]) < WORD_NAME_BUCKET)):
                    continue
                out.append(self._entity(text, s, e, "slot_roster", 0.8, "a cell of a row of names"))
        return out

    def _locate_slot_noun(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """The name after a person noun (接种者顾念, 探视人员：区伟雄（朋友）, 主管高远总是…): the located pattern
        ``slot_noun`` of the label scan (the nouns are its labels, found by the analyzer's automaton)."""
        # the analyzer tries one label per start: take the longest noun there (主管医师 over 主管)
        for noun in self._slot_nouns_at.get(text[start], ()):
            if text.startswith(noun, start):
                end = start + len(noun)
                break
        m = _NOUN_GAP.match(text, end)
        s = m.end() if m is not None else end
        role = text[start:end] in self._slot_roles_set  # 二线, 校医, 医务部: a role's value (see _role_value_ok)
        for n in (3, 2, 4):
            value = text[s:s + n]
            if (len(value) == n and value.isalpha() and all("\u4e00" <= c <= "\u9fff" for c in value)
                    and (_NOUN_END.match(text, s + n) is not None or (n < 4 and text.startswith(self._slot_next, s + n))
                         or (role and n < 4 and (text.startswith(_SLOT_ACTS, s + n) or (
                             n >= 2 and _verb_after(text, s, s + n)))))
                    and self._slot_value_ok(value, given_only=True)
                    and (not role or self._role_value_ok(text, s, s + n, tight=s == end))):
                return s, s + n
        return None

    def _role_value_ok(self, text: str, s: int, e: int, *, tight: bool) -> bool:
        """A value right after a role (二线宁远。, 医务部春晖备案) is a name unless a clinical word of the blocklist (二线
        药物) or, written tight, a word whose given characters names never use (二线方案); a word whose given
        characters names use is one (医务部宁静备案)."""
        value = text[s:e]
        k = 2 if value[:2] in self._compounds else (1 if value[0] in self._slot_firsts else 0)
        given = self._score.weakest(value[k:])
        if tight and given < TIGHT_GIVEN_BUCKET:
            return False
        w = self.blocked(text, s)
        return w is None or len(w) < len(value) or (len(w) == len(value) and value[0] in self._surnames
                                                      and given >= WORD_NAME_BUCKET)

    def _given_alone(self, text: str, found: list[Entity]) -> list[Entity]:
        """A found name of a surname and two given characters (黄美兰) also masks its given name said alone
        before a relative, a kinship word or an address (我是美兰家属, 美兰姐, 美兰你…); the given name alone
        elsewhere (建国以来 beside 张建国) stays."""
        out: list[Entity] = []
        if not any(h in text for h in _GIVEN_ALONE_HINTS):
            return out
        givens = {e.text[1:] for e in found if len(e.text) == 3 and e.score >= 0.75 and e.text[0] in self._surnames
                  and e.text.isalpha() and e.text[:2] not in self._compounds}
        # the compound surname or the given name of a found name, said alone before signing or talking (让秋实签,
        # 先让令狐谈 beside 梁秋实 and 令狐超)
        parts = givens | {e.text[:2] for e in found if len(e.text) >= 3 and e.score >= 0.75 and e.text[:2] in self._compounds}
        for g in parts:
            pos = text.find(g)
            while pos >= 0:
                end = pos + 2
                prev = text[pos - 1:pos]
                if prev in _PART_BEFORE_LAST and text.endswith(_PART_BEFORE, 0, pos) and _PART_ACTS.match(text, end):
                    out.append(self._entity(text, pos, end, "part_alone", 0.8,
                                            f"a part of a name found in this text ({g!r}) before signing or talking"))
                elif g in givens and (not ("\u4e00" <= prev <= "\u9fff") or prev in "是叫找问给跟和让") \
                        and _GIVEN_ALONE_AFTER.match(text, end):
                    out.append(self._entity(text, pos, end, "given_alone", 0.8,
                                            f"the given name of a name found in this text ({g!r})"))
                pos = text.find(g, end)
        return out

    def _chat_speakers(self, text: str, found: list[Entity]) -> list[Entity]:
        """In a chat whose lines open with a speaker and a time, two speakers being found names, every other such
        speaker (小满 08:22：…)."""
        out: list[Entity] = []
        # (two found names must open chat lines: checked on the found names first, the lines scanned only then)
        # (the found names are few: each is looked up after a line break first, the lines scanned only then)
        names = {e.text for e in found if e.score >= 0.75 and len(e.text) >= 2} if "\n" in text else set()
        speakers = 0
        for nm in names:
            pos = text.find("\n" + nm)
            while pos >= 0 and _CHAT_AFTER.match(text, pos + 1 + len(nm)) is None:
                pos = text.find("\n" + nm, pos + 1)
            speakers += pos >= 0
        if speakers >= 2:
            lines = list(_CHAT_LINE.finditer("\n" + text))  # (offsets shifted by the leading line break)
            if len(lines) >= 3:
                for m in lines:
                    value = m.group("v")
                    s = m.start("v") - 1
                    if value in names or any(x.start <= s < x.end for x in found):
                        continue
                    if (value in self._roles or value in self._paren_roles or value in self._not_names
                            or value in self._slot_not or value.endswith(self._slot_role_ends)
                            or any(c in _SLOT_UTTERANCE for c in value)):
                        continue
                    k = 2 if value[:2] in self._compounds else 1
                    if not (value[0] in self._surnames or value[0] in self._weak or value[0] in "小阿老") or (
                            len(value) > 3) or self._score.weakest(value[k:]) < TIGHT_GIVEN_BUCKET:
                        continue
                    out.append(self._entity(text, s, s + len(value), "chat_speaker", 0.8,
                                            "a speaker opening a chat line beside found speakers"))
        return out

    def _locate_child_name(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """A child's reduplicated name before a parent word (我是凡凡妈妈, 图图爸爸): the located pattern
        ``child_parent`` of ``person.py`` (妈妈 and 爸爸 are labels of the analyzer's automaton); its character one
        that given names use, not a reduplicated word (宝宝妈妈, 星星)."""
        a = text[start - 2:start]
        if (len(a) == 2 and a[0] == a[1] and "\u4e00" <= a[0] <= "\u9fff" and text[start - 3:start - 2] != a[0]
                and a not in self._reduplicated and a[0] not in self._nonname and a[0] not in _SLOT_UTTERANCE
                and self._score.given.get(a[0], FLOOR) >= CHILD_NAME_BUCKET):
            return start - 2, start
        return None

    def _dialogue_slots(self, text: str, found: list[Entity]) -> list[Entity]:
        """In a dialogue or a chat (two or more line-opening speaker labels are roles or found names): the other
        speaker labels (黎明：麻醉科这边…) and reduplicated given names called out (静静你告诉他); and in a staff
        list of department + name items, each name when a neighbour item holds a found name."""
        out: list[Entity] = []
        names: set[str] = set()
        if ("：" in text or ":" in text) and "\n" in text and (
                len(_ROLE_TURNS.findall(text)) + sum(1 for e in found if text[e.end:e.end + 1] in _COLONS) >= 2):
            names = {e.text for e in found if e.score >= 0.75}
            m0 = _LINE_LABEL_AT.match(text)  # a label opening the text, then one opening each line
            labels = ([m0] if m0 is not None else []) + list(_LINE_LABEL.finditer(text))
            firsts = self._slot_firsts
            counts: dict[str, int] = {}
            for m in labels:
                counts[m.group("v")] = counts.get(m.group("v"), 0) + 1
            # a label that speaks twice or more is a person whatever characters its given name holds (钱有福：…)
            wanted = [m for m in labels if (v := m.group("v"))[0] in firsts and len(v) <= 3 and v not in names
                      and v not in self._colon_label_set and (
                          (not any(c in self._nonname for c in v[1:]) and self._slot_value_ok(v))
                          or (len(v) == 3 and counts[v] >= 2 and v[0] in self._surnames and v[0] not in self._weak
                              and v not in self._roles and v not in self._not_names and v not in self._slot_not
                              and v[1:] not in self._paren_roles and not v.endswith(self._title_words)
                              and not self.blocked(text, m.start("v"))))]
            long_names = [x for x in names if len(x) >= 2]
            known = sum(1 for m in labels if m.group("v") in self._roles or m.group("v") in names
                        or any(m.group("v").endswith(x) for x in long_names)) if wanted or "你" in text else 0
            speakers = [m.group("v") for m in labels]
            if known >= 2 and len(set(speakers)) < len(speakers):  # a dialogue: someone speaks twice
                for m in wanted:
                    out.append(self._entity(text, m.start("v"), m.end("v"), "slot_speaker", 0.8,
                                            "a speaker label in a dialogue"))
                for m in _VOCATIVE.finditer(text):
                    value = m.group("v")
                    if value not in self._reduplicated and self._score.given.get(value[0], FLOOR) >= VOCATIVE_BUCKET:
                        out.append(self._entity(text, m.start("v"), m.end("v"), "vocative", 0.8,
                                                "a reduplicated given name called out in a dialogue"))
        if any(text[e.start - 1:e.start] in _DEPT_ENDS for e in found):  # a found name after a department
            names = names or {e.text for e in found if e.score >= 0.75}
            line_items: dict[int, list[re.Match[str]]] = {}
            for m in _DEPT_ITEM.finditer(text):
                line_items.setdefault(text.rfind("\n", 0, m.start()), []).append(m)
            for items in line_items.values():
                if len(items) < 2 or not any(m.group("v") in names for m in items):
                    continue
                for m in items:
                    value = m.group("v")
                    if value not in names and self._slot_value_ok(value):
                        out.append(self._entity(text, m.start("v"), m.end("v"), "slot_staff_list", 0.8,
                                                f"a name after the department {m.group('d')!r} in a staff list"))
        return out
