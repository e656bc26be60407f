"""The register gate of the rule path: a patient's clause is written into the record only when it reads as
clinical register; otherwise it is rebuilt from the findings in it, or left out and listed.

A clause (one piece of a patient's or relative's sentence between ，；, after the dialect, lexicon and
spoken-form rewrites) *reads as record* when every word of it is a term of the knowledge packs (symptoms,
diagnoses, drugs, labs: names, and synonyms that are no lay form), a standard form of the colloquial lexicon,
a word of the medical register (``register.yaml``), a function word, a number or a unit — and it carries no
spoken marker (particles, pronoun and kinship subjects, 都/老/一直 before a verb, verb complements such as
降不下来, ideophones, dialect endings). This does not depend on knowing the lay words: a writer's new lay word
is simply not in the vocabulary, so the clause is not copied.

A clause that fails is *rebuilt* from what is found in it: findings (pack terms, the lexicon's standard forms
and the finding forms of ``register.yaml``), with their site and side, the time of day, posture or trigger
(夜间, 平卧时, 遇冷空气后, 外伤后), the course (反复, 持续, 加重), a duration, a value with its unit (the subject
taken from the question when the clause names none: 血糖 … 八九左右 → 空腹血糖8-9 mmol/L), a drug with its dose,
and negation (无X). When nothing clinical is found the clause is *left out*: the caller lists it for the
clinician with the sentence it came from (never silently).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from yizhu.datafile import Regex, load_yaml_model
from yizhu.errors import ConfigError

REGISTER_FILE = Path(__file__).parent / "register.yaml"


class _Marker(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    pattern: Regex
    example: str = Field(min_length=1)


class _Form(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    said: Regex
    to: str = Field(min_length=1)
    example: str = Field(min_length=1)


class _LookAlike(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    word: str = Field(min_length=2)
    means: str = Field(min_length=3)


class RegisterData(BaseModel):
    """``register.yaml``: the medical-register words, the spoken markers and the forms a rebuild writes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=10)
    register_words: tuple[str, ...]
    spoken: tuple[_Marker, ...]
    findings: tuple[_Form, ...]
    sites: tuple[_Form, ...]
    when: tuple[_Form, ...]
    course: tuple[_Form, ...]
    look_alikes: tuple[_LookAlike, ...]
    frame_words: tuple[_LookAlike, ...]
    qualities: tuple[str, ...]
    fillers: tuple[str, ...]
    quality_subjects: tuple[str, ...]


@lru_cache(maxsize=1)
def register_data() -> RegisterData:
    data = load_yaml_model(REGISTER_FILE, RegisterData, "register gate")
    for m in data.spoken:
        if not re.search(m.pattern, m.example):
            raise ConfigError(f"{REGISTER_FILE}: marker {m.pattern!r} does not match its example {m.example!r}")
    for f in (*data.findings, *data.sites, *data.when, *data.course):
        if not re.search(f.said, f.example):
            raise ConfigError(f"{REGISTER_FILE}: form {f.said!r} does not match its example {f.example!r}")
    return data


# ---- the vocabulary


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """Every word that reads as clinical register: the packs' terms (a synonym that is a lay form of the
    colloquial lexicon excepted), the lexicon's standard forms, and ``register.yaml``'s words."""
    from yizhu.knowledge.packs import get_kb
    from yizhu.knowledge.terminology.colloquial import colloquial

    lex = colloquial()
    lay = {e.lay for e in lex.entries if e.lay != e.standard}
    words: set[str] = set(register_data().register_words)
    words |= {e.standard for e in lex.entries if e.standard and not e.standard.isascii()}
    data = register_data()
    words |= {f.to for f in (*data.findings, *data.sites, *data.when, *data.course)}
    kb = get_kb()
    for kind in ("symptom", "diagnosis", "drug", "lab"):
        for item in kb.pack(kind):
            for i, term in enumerate(item.terms()):
                # a symptom's synonyms are mostly lay (发烧, 流口水): only its name is record wording
                if i == 0 or (kind != "symptom" and term not in lay):
                    words.add(term)
    return frozenset(w for w in words if w and len(w) <= 20)


@lru_cache(maxsize=1)
def _finding_terms() -> dict[str, str]:
    """The words that name a finding, each with the record term it is written as: symptom names (a symptom's
    synonym — 流口水 — is written as its name, 流涎), the lexicon's symptom/sign/disease standards, and diagnoses."""
    from yizhu.knowledge.packs import get_kb
    from yizhu.knowledge.terminology.colloquial import colloquial

    lay = {e.lay for e in colloquial().entries if e.lay != e.standard}
    out: dict[str, str] = {}
    kb = get_kb()
    for item in kb.pack("diagnosis"):
        for term in item.terms():
            if term not in lay:
                out[term] = term
    for e in colloquial().entries:
        if e.kind in ("symptom", "sign", "disease"):
            out[e.standard] = e.standard
    for item in kb.pack("symptom"):
        for term in item.terms():
            # a lexicon standard (气促) or a diagnosis is record wording itself and is written as said
            out.setdefault(term, item.name)
    # a word of the history's frame that a pack or the lexicon files as a finding (偶有, 体检) is no finding
    frame = {w.word for w in register_data().frame_words}
    return {w: to for w, to in out.items() if 2 <= len(w) <= 12 and not w.isascii() and w not in frame}


_NUMERIC = re.compile(r"[\d.\-~～/+%℃×^<>≥≤±\s]+|[A-Za-z][A-Za-z0-9/.\-^]*|[，,、；;。:：()（）\"'“”‘’！!？?…]+")
_MAX_WORD = 12


def _decomposes(tok: str, vocab: frozenset[str]) -> bool:
    """Whether a token is a run of vocabulary words, numbers and units (segmenters split differently)."""
    n = len(tok)
    ok = [False] * (n + 1)
    ok[0] = True
    for i in range(n):
        if not ok[i]:
            continue
        m = _NUMERIC.match(tok, i)
        if m and m.end() > i:
            ok[m.end()] = True
        for j in range(min(n, i + _MAX_WORD), i, -1):
            if not ok[j] and tok[i:j] in vocab:
                ok[j] = True
    return ok[n]


_TAIL = re.compile(r"(?<=[\u4e00-\u9fff])的(?=[，,。；;！!？?]|$)")
_HEDGE = re.compile(r"有点儿?|有一点儿?|有些|稍微|稍稍|一点儿?(?=[，,。；;！!]|$)")


def spoken_tail(clause: str, context: str = "") -> str:
    """A clause without the spoken 的 that ends it (黄色的 → 黄色; 下午开始发热的 → 下午开始发热) and without a
    hedge of degree (血压有点高 → 血压高, then read again through the lexicon: 高血压)."""
    from yizhu.knowledge.terminology.colloquial import colloquial

    out = re.sub(r"得(?:了|过)(?=[\u4e00-\u9fff])", "患", _TAIL.sub("", clause))
    bare = _HEDGE.sub("", out)
    if bare != out and bare.strip():
        out = colloquial().normalise(bare, context=context).text
    return out


def spoken_in(clause: str) -> str | None:
    """The class of spoken marker a clause carries (particle, pronoun subject …), or None."""
    return next((m.name for m in register_data().spoken if re.search(m.pattern, clause)), None)


def foreign_words(clause: str) -> list[str]:
    """The stretches of a clause that are not clinical register: what is left when the clause is read as a
    run of vocabulary words, numbers and units (longest words first, so a segmenter's cut does not matter)."""
    vocab = vocabulary()
    n = len(clause)
    # best[i]: fewest foreign characters to read clause[:i]; back[i]: where the last piece began, and whether
    # it was foreign
    inf = n + 1
    best = [0] + [inf] * n
    back: list[tuple[int, bool]] = [(0, False)] * (n + 1)
    for i in range(n):
        if best[i] == inf:
            continue
        m = _NUMERIC.match(clause, i)
        if m and m.end() > i and best[i] < best[m.end()]:
            best[m.end()], back[m.end()] = best[i], (i, False)
        for j in range(min(n, i + _MAX_WORD), i, -1):
            if clause[i:j] in vocab and best[i] < best[j]:
                best[j], back[j] = best[i], (i, False)
        if best[i] + 1 < best[i + 1]:
            best[i + 1], back[i + 1] = best[i] + 1, (i, True)
    spans: list[str] = []
    j = n
    run = ""
    while j > 0:
        i, foreign = back[j]
        if foreign:
            run = clause[i:j] + run
        elif run:
            spans.append(run)
            run = ""
        j = i
    if run:
        spans.append(run)
    return [x for x in reversed(spans) if x.strip()]


QUALITY_ALONE = "quality without its subject"
_QUALITY_FRAME = re.compile(r"^(?:颜色|色)?(?:是|呈|为)?(?:有一?点儿?|比较|较|稍|偏|很|挺)?|(?:色|的)$")


def quality_only(clause: str) -> str | None:
    """The quality a clause says when it says nothing else (黄 after 有点 is taken, 颜色偏黄 → 偏黄, 稀的 → 稀): a colour,
    consistency, amount or smell without what it describes; None when the clause says more."""
    said = clause.strip(" ，,；;。！!")
    bare = _QUALITY_FRAME.sub("", _QUALITY_FRAME.sub("", said))
    if not bare or bare not in register_data().qualities:
        return None
    # the quality as said, without its frame words (颜色偏黄色的 → 偏黄色; 黄色的 → 黄色)
    return re.sub(r"^(?:颜色|色)?(?:是|呈|为)?(?:有一?点儿?)?|的$", "", said) or bare


def with_subject(quality: str, before: str) -> str | None:
    """A quality written with the subject the words before it name (咳痰，… 黄 → 痰黄), or None. When the clause
    just before opens with that subject (大便如常，黄色), the quality continues its description as a record
    lists qualities after their subject, and is written as said."""
    subjects = sorted(register_data().quality_subjects, key=len, reverse=True)
    at = [(before.rfind(s), s) for s in subjects if s in before]
    if not at:
        return None
    subject = max(at)[1]
    last = [c for c in re.split(r"[，,；;。]", before) if c.strip()]
    if last and last[-1].strip().startswith(subject):
        return quality
    return subject + quality


def reads_as_record(clause: str) -> str | None:
    """None when a clause reads as clinical register; else why not (the spoken marker, a quality said without
    its subject, or the first word outside the vocabulary)."""
    marker = spoken_in(clause)
    if marker is not None:
        return marker
    if quality_only(clause) is not None:
        return QUALITY_ALONE
    if _bare_value(clause):
        return "value without its subject or unit"
    foreign = foreign_words(clause)
    return f"word outside the record register: {foreign[0]}" if foreign else None


_MEASURED = re.compile(r"(?<![\d.\-])\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?)?(?:左右|上下)?(?![\d.\-]|\s*(?:余|多)?(?:天|日|周|个|月|年|小时|分钟|秒|次|回|趟|岁|号|点|度|℃|%|[A-Za-z]|/|[片粒支袋剂枚处喷滴斤两杯瓶包根颗块]|公斤|千克|kg|厘米|cm|米)|\s*(?:毫|微|单位))")


def _bare_value(clause: str) -> bool:
    """A number said without a unit and without the item it measures (空腹一般8-9左右): not record wording."""
    from yizhu.safety.entities import extract

    if not _MEASURED.search(clause):
        return False
    if any(m.type in ("lab", "vital") for m in extract(clause)):
        return False
    return not any(s in clause for s in _SUBJECT_UNITS)


# ---- the rebuild


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    kind: str  # finding | site | when | course | negation
    to: str
    negated: bool = False


_SIDE = re.compile(r"(左|右|双|两)(?:侧|边|面)?$")
_SIDE_ANY = re.compile(r"(左|右)(?:侧|边|面)")
_DURATION = re.compile(r"(?:近|约|已)?(\d+(?:\.\d+)?(?:-\d+)?)\s*(余)?(天|日|周|个月|月|年|小时|分钟)(余)?(前)?|数(?:天|日|周|月|年)(?:前)?|半(?:天|个月|年)(?:前)?")
_UNIT = r"mmol/L|mg/dL|mmHg|g/L|mg|ml|mL|g|℃|次/分|%|U|IU|单位|毫克|克|毫升|片|粒|支|袋|喷|滴"
_VALUE = re.compile(rf"(\d+(?:\.\d+)?(?:[-~～/]\d+(?:\.\d+)?)?)\s*({_UNIT})?")
#: a denial just before a finding, also across 会/再/曾 and 出现/有/见 (不会出现发热, 没有再发热, 未见溃疡)
_NEG = re.compile(r"(?:无|未|没有?|不|否认)(?:会|再|曾)?(?:出现|发生|有|见|发现|看到|看见|查到)?$")
_CN_RANGE = re.compile(r"([一二两三四五六七八九])([二三四五六七八九十])(?=左右|上下|[，,。；;]|$|个|度|点)")
_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_SUBJECT_UNITS = {"体重": "kg", "身高": "cm", "血糖": "mmol/L", "空腹血糖": "mmol/L", "餐后血糖": "mmol/L", "血压": "mmHg", "体温": "℃",
                  "心率": "次/分", "脉搏": "次/分"}


_DOSE = re.compile(rf"(?:\d+(?:\.\d+)?|半)\s*(?:{_UNIT})|\d+(?:\.\d+)?\s*(?:mcg|μg|ug|微克)")
_COUNT = re.compile(r"(?<!第)(?<![\d.])(\d+(?:-\d+)?)\s*(?:次|回|趟|遍|阵)")  # 第1次 is which time, no count
_FREQ = re.compile(r"(?:每天|每日|每晚|每周)(?:早上|早晨|晚上|睡前|[一二两三四1-4]次)?|睡前|qd|bid|tid|qid|qn|qw|prn")
_KIN = re.compile(r"其?(?:父亲|母亲|祖父|祖母|外祖父|外祖母|哥哥|姐姐|弟弟|妹妹|儿子|女儿|兄|姐|弟|妹)")


def _spoken_numbers(t: str) -> str:
    """八九左右 → 8-9左右: a spoken range of two digits said together, in digits."""
    return _CN_RANGE.sub(lambda m: f"{_CN[m.group(1)]}-{_CN[m.group(2)]}" if _CN[m.group(1)] < _CN[m.group(2)] else m.group(0), t)


def _hits(t: str) -> list[_Hit]:
    data = register_data()
    found: list[_Hit] = []
    terms = _finding_terms()
    taken = [False] * (len(t) + 1)

    def free(a: int, b: int) -> bool:
        return not any(taken[a:b])

    def take(h: _Hit) -> None:
        for i in range(h.start, h.end):
            taken[i] = True
        denied = h.negated or h.to.startswith(("无", "未", "不"))
        if h.kind == "finding" and (_MEDICINE.match(t, h.end) or (denied and _DENIED_AMOUNT.match(t, h.end))
                                    or _NOT_DONE.match(t, h.end)
                                    or (h.to == "腹泻" and _STOOL_PASSED.search(t[:h.start]))
                                    or (t[h.end - 1:h.end] == "吐" and _SPAT.match(t, h.end))):
            return  # 咳嗽药 names a medicine; 没有腹泻次数很多 denies an amount; 吐不出来 did not happen
        found.append(h)

    # no finding, site or time is read from inside a drug's name (止痛…, 头孢…) or an everyday word whose
    # character means something else (吐口水, 烧饭, 心疼): the span is taken with no hit
    from yizhu.safety.entities import extract

    for d in extract(t):
        if d.type == "drug":
            for i in range(d.start, d.end):
                taken[i] = True
    for la in data.look_alikes:
        if la.word in terms:
            continue  # a look-alike the packs name as a finding (烫伤) is read as that finding
        for m in re.finditer(re.escape(la.word), t):
            for i in range(m.start(), m.end()):
                taken[i] = True
    for b in _body_words():  # the lexicon's standard body words are sites, read first (第一跖趾关节 | 肿胀)
        for m in re.finditer(re.escape(b), t):
            if free(m.start(), m.end()):
                take(_Hit(m.start(), m.end(), "site", b))
    for f in data.sites:  # a lay site of two characters or more first (蛋蛋 is no 蛋肿)
        for m in re.finditer(f.said, t):
            if m.end() - m.start() >= 2 and free(m.start(), m.end()):
                take(_Hit(m.start(), m.end(), "site", f.to))
    # pack and lexicon finding terms, longest at each position
    i = 0
    while i < len(t):
        for j in range(min(len(t), i + 12), i + 1, -1):
            if t[i:j] in terms and free(i, j):
                neg = bool(_NEG.search(t[max(0, i - 6):i]))
                obj = _object_after(t, j) if t[j - 1] in _ASPECT else None
                if obj is not None:
                    # a verb said with 了 and an object is read with its object: 吐了口痰 is 吐痰 (咳痰),
                    # 吐了一口血 is 吐血 (呕血); an object the packs name no finding with (吐了口水) gives none
                    a, b = obj
                    stem = t[i:j - 1]
                    said = next((stem + t[a:k] for k in (b, a + 1) if stem + t[a:k] in terms), None)
                    if said is not None:
                        take(_Hit(i, b if said == stem + t[a:b] else a + 1, "finding", terms[said], neg))
                    else:
                        for x in range(i, b):
                            taken[x] = True
                    i = b - 1
                    break
                take(_Hit(i, j, "finding", terms[t[i:j]], neg))
                i = j - 1
                break
        i += 1
    for kind, forms in (("finding", data.findings), ("when", data.when), ("course", data.course),
                        ("site", data.sites)):
        for f in forms:
            for m in re.finditer(f.said, t):
                if m.end() > m.start() and free(m.start(), m.end()):
                    denied = bool(_NEG.search(t[max(0, m.start() - 6):m.start()]))
                    if kind == "course" and denied:
                        # 没有好转 is no easing, 不严重 no severity: written 未见好转, or not at all
                        to = m.expand(f.to)
                        if to == "好转":
                            take(_Hit(m.start(), m.end(), kind, "未见好转"))
                        else:
                            for x in range(m.start(), m.end()):
                                taken[x] = True
                        continue
                    take(_Hit(m.start(), m.end(), kind, m.expand(f.to), kind == "finding" and denied))
    found.sort(key=lambda h: h.start)
    # a denial covers the run of findings that follows it (没有咳嗽吐痰过, 无发热、咳嗽)
    for k in range(1, len(found)):
        a, b = found[k - 1], found[k]
        denied = a.negated or a.to.startswith("无")
        if a.kind == b.kind == "finding" and denied and not b.negated and re.fullmatch(r"[、和及或与也]?",
                                                                                     t[a.end:b.start]):
            found[k] = _Hit(b.start, b.end, b.kind, b.to, True)
    return found


_ASPECT = "了过"
#: what follows a verb with 了: a numeral and measure (一口, 点), then its object (痰, 口水, 东西) — unless it is a
#: count, a time or a complement (吐了两次, 吐了三天, 吐了就好)
_AFTER_VERB = re.compile(r"[一二两三四五六七八九十几半\d]*[口点些块滩碗杯]?(?=[\u4e00-\u9fff])")
_NO_OBJECT = set("次回遍阵下天日周月年小分个好很得就又都也还完出起上不没后时的了啊吧呢嘛，。")


def _object_after(t: str, j: int) -> tuple[int, int] | None:
    """The object of a verb that ends at ``j`` (its span, up to two characters), or None when none follows."""
    m = _AFTER_VERB.match(t, j)
    if m is None or m.end() >= len(t) or t[m.end()] in _NO_OBJECT:
        return None
    a = m.end()
    b = a + 1
    if b < len(t) and re.match(r"[\u4e00-\u9fff]", t[b]) and t[b] not in _NO_OBJECT:
        b += 1
    return a, b


@lru_cache(maxsize=1)
def _body_words() -> tuple[str, ...]:
    from yizhu.knowledge.terminology.colloquial import colloquial

    words = {e.standard for e in colloquial().entries if e.kind == "body_part" and len(e.standard) >= 2}
    return tuple(sorted(words - {"左侧", "右侧", "双侧", "放射"}, key=len, reverse=True))


def _subject(around: str) -> str | None:
    return next((s for s in sorted(_SUBJECT_UNITS, key=len, reverse=True) if s in around), None)


#: findings that take a site (左小腿肿胀, 阴囊肿胀, 体重无明显变化); any other finding is written without one
_SITED = ("呈", "疼痛", "水肿", "肿痛", "肿胀", "红肿", "瘙痒", "麻木", "发红", "无力", "酸胀", "胀感", "皮温升高", "渗液", "出血",
          "无明显变化", "可", "次数增多", "无黑便", "伴血块", "酸痛", "胀痛", "刺痛", "隐痛", "绞痛")
#: findings that say a colour and name no place: written only with the site they are seen at (咽部发红)
_NEEDS_SITE = ("发红",)
#: a question (有没有…？ 精神怎么样？), advice (不要吃东西, 一定要…) or a guess (可能是…, 像是…, 估计…): asked,
#: advised or guessed, not told — never rebuilt into a finding, a denial or a certainty
_QUESTION = re.compile(r"[？?]|[吗么嘛]$|有没有|是不是|会不会|要不要|能不能|怎么样|怎样|多少|多长|多久|(?<!没)(?<!没有)什么|哪|几[天次岁个度]"
                       r"|不要|别|一定要|要避免|应该|需要|可能|像是|好像|估计|怀疑|以为|担心|怕是|如果|要是"
                       r"|有无|是否|害怕|(?<!恐)怕(?![冷热凉光风声吵痒])|看着是|看着像|看起来|看样子|看来"
                       r"|怎么回事|怎么办|为什么|咋回事|正常吗|吗(?=[\u4e00-\u9fff]{0,3}$)|是[^，,。]{1,12}还是"
                       r"|([\u4e00-\u9fff])不\1|小心|注意(?!到)|警惕|预防(?!接种|针)|以防|防止|避免|的话"
                       r"|等[^，,。]{1,10}再|看看|查查|查一下|(?<=[\u4e00-\u9fff])不$"
                       r"|(?:超过|高于|大于|达到|到了?)\d+(?:\.\d+)?[^，,。]{0,4}(?:给|就|时|再|才|要)|的表现"
                       r"|(?<=[\u4e00-\u9fff])呢$|(?:以前|上次|过去)[^，,。]*(?:就|都|也)好"
                       r"|(?<=[\u4e00-\u9fff])没有?$|(?:患儿|孩子|宝宝|小孩)[^，,。]{0,6}(?:太多|很多|比较多|挺多)了?$"
                       r"|(?:及时|马上|赶紧|尽快|立即)(?:去|到|来)?(?:医院|就医|就诊|看)|^(?:或是|或者)")


#: what a clause tells of no finding of the patient's: a rarity or a hedged denial (很少有…, 不是太勤: a finding
#: neither present nor denied), a statement about children in general or about what a disease causes (这个年龄段的
#: 孩子…, 贫血会导致…, 感冒多是…引起), and another person's illness (小朋友/同学/邻居: a contact, not the patient)
_NOT_TOLD = re.compile(r"很少|极少|少有|不太|不是太|不是很|不怎么|不大(?=[\u4e00-\u9fff])"
                       r"|会导致|导致|引起|多是|多为|往往|一般会|容易|可能会|还会|年龄段|这个年龄|(?:小孩子|孩子|宝宝)们?都"
                       r"|(?:有的|很多|一般|别的|其他)(?:患儿|孩子|宝宝|小孩)|(?:患儿|孩子|宝宝)们?都|对[^，,。]{0,8}的(?:患儿|孩子)"
                       r"|都表现为|也是表现|是一?种|症状之一|肯定会|成分|的作用|有一定的?效果|证明|会出现"
                       r"|针对|比如|例如|譬如|有关系|的关系|有关|相关|常见|多见|所以会|会导致|其实|不能说|不是说|并不是"
                       r"|于[^，,。]{0,8}的(?:患儿|孩子|宝宝)"
                       r"|(?<![跟和与同陪])(?:小朋友|同学|朋友|邻居|别人|同事|室友)")
#: children of a kind, in general (乳糖不耐受的孩子，…; 心肌损伤的患儿就会…), or the child in contact: not this patient
GENERIC_SUBJECT = re.compile(r"接触的|年龄段|这个年龄|对于|大部分|大多数|多数|(?:患儿|孩子|宝宝)(?:也|都|一般)会有|(?:孩子|宝宝|小孩|患儿)(?:太多|很多|多的是)|(?<![我你他她家们])的(?:孩子|宝宝|小孩|患儿)"
                             r"(?=[，,。]|$|由于|就|会|都|一般|往往|在|最好|应该|需要|要|可以|容易)")
#: a sentence about children in general or about what something causes or shows (感冒了，孩子也会有发烧; 大部分肺炎…;
#: 缺乏会导致…，哭闹; …，就是精神不好的表现): none of its clauses is told of this patient
GENERIC_SENTENCE = re.compile(r"(?:患儿|孩子|宝宝|小孩)(?:也|都|一般)会有|大部分|大多数|会导致|的表现"
                              r"|(?:有的|有些|很多|不少|一般的?)(?:患儿|孩子|宝宝|小孩)|小孩子的|表现(?:[，,：:]|为|是)")
#: a person other than the patient named as the subject: what follows in the sentence is theirs, not the patient's
#: (跟朋友喝了酒: a companion, the patient is still the subject; 家属 as the subject, not as the one who tells)
OTHER_PERSON = re.compile(r"家属(?!诉|述|代诉|发现|说|注意到|觉得|观察|看到|测)|家的(?:患儿|孩子|宝宝|小孩)|(?<![跟和与同陪])(?:小朋友|同学|朋友|邻居|别人|同事|室友|别的孩子|婆婆|公公|奶奶|爷爷|姥姥|姥爷|外婆"
                          r"|外公|舅舅|姑姑|阿姨|叔叔|伯伯|表哥|表姐|堂哥|堂姐)")
#: a condition (如果…, 一旦…), advice to watch (观察…, 注意…) or examples (比如…): the clause and the rest of its
#: sentence are what would happen or what to look for, not what happened
CONDITION = re.compile(r"如果|要是|假如|万一|一旦|的话|(?<![\u4e00-\u9fff])若|观察|留意|注意(?!到)|建议|比如|例如|随着"
                       r"|这样(?:就|才)?(?:能|可以|会)")
#: a finding word that names a medicine (咳嗽药, 肺力咳合剂, 退热贴) is the medicine's, not a finding told
_MEDICINE = re.compile(r"(?:的)?(?:药|糖浆|合剂|冲剂|颗粒|贴|片|口服液|喷剂|胶囊|栓)")
#: what is spat out (吐黄痰, 吐口水 after the lexicon read 吐 as 呕吐): expectoration or spitting, no vomiting
_SPAT = re.compile(r"[一两几]?口?(?:黄|白|绿|脓)?(?:痰|口水|唾沫|泡泡|泡沫)")
#: 大便(才)拉了一次 is a bowel movement, which the lexicon reads as 腹泻 (拉): no diarrhoea is told
_STOOL_PASSED = re.compile(r"大便[才就又只也还]{0,2}$")
#: a verb with a denied result (吐不出来, 咳不出, 拉不下来): what it names did not happen
_NOT_DONE = re.compile(r"不(?:出来|出|了|下来|下去)")
#: a denial of how much or how often (没有腹泻次数很多): neither the finding nor its denial
_DENIED_AMOUNT = re.compile(r"次数|很多|那么|太|特别|这么|不多|频繁")
def names_patient(clause: str) -> bool:
    """Whether a clause names the patient as its subject (患儿…), not as whose relative it is (患儿爷爷, 患儿的奶奶)."""
    return re.search(r"患者|患儿", OTHER_PERSON.sub("", re.sub(r"(?:患者|患儿)的?(?=" + OTHER_PERSON.pattern + ")", "",
                                                                   clause))) is not None


#: an alternative question (黄痰还是白痰, 白天严重还是夜间严重): two choices sharing a word
_EITHER = re.compile(r"([\u4e00-\u9fff]{1,6})还是([\u4e00-\u9fff]{1,6})$")


#: an either-or question across two clauses (是运动后出汗多，还是睡眠后出汗多): the whole sentence is asked
EITHER_ACROSS = re.compile(r"(?:^|[，,。；;])(?:[^，,。；;]{0,6})是[^，,。；;]{1,14}[，,]\s*还是")


def _either_findings(clause: str) -> bool:
    """An either-or question between two findings (有喘息还是声音嘶哑): a finding on each side of 还是."""
    left, sep, right = clause.partition("还是")
    if not sep or not left.strip() or not right.strip():
        return False
    return any(h.kind == "finding" for h in _hits(left)) and any(h.kind == "finding" for h in _hits(right))


def _either_or(clause: str) -> bool:
    m = _EITHER.search(clause)
    return m is not None and bool(set(m.group(1)) & set(m.group(2)))


#: a drug is history of use only when said with a use verb (开: prescribed) or a dose, and neither denied, intended
#: nor stopped
_USE = re.compile(r"(?:口服|服用|服|吃|喝|用|使用|打|输|注射|静滴|肌注|涂|抹|外用|喷|雾化|贴|含服|予|给予|加用|改用|换用|开)"
                  r"(?:了|过|的是|着)?[^，,。；;]{0,6}$")
_DRUG_NOT_TAKEN = re.compile(r"(?:没|未|不|从没|从未|别|不要|不能|想|准备|打算|要不要|能不能|是否|家里有|停|还有)[^，,。；;]{0,6}$")
_DRUG_STOPPED = re.compile(r"^(?:也|都)?(?:停|不吃|没吃|不用|没用)")


def rebuild(clause: str, around: str = "", written: str = "") -> str:
    """The clinical content of a clause in record wording (左小腿肿胀、皮温升高; 夜间平卧时反复呛咳; 遇冷空气后咳嗽;
    空腹血糖8-9 mmol/L), or "" when the clause names no finding, drug or value. ``around`` is the question and
    turn the clause was said in: the subject of a bare value or of 控制不佳 (血糖, 血压) comes from there.
    ``written`` is what the record already says of the same sentence: a finding written there is not written
    again (气促半个月，爬两层楼就气促 → 气促半个月，活动后明显)."""
    from yizhu.safety.entities import extract

    if _QUESTION.search(clause) or _NOT_TOLD.search(clause) or _either_or(clause) or quality_only(clause) is not None:
        return ""  # a question, advice or guess; no finding of the patient's told; a quality alone
    if _either_findings(clause):
        return ""  # 有喘息还是声音嘶哑: asked which, not told
    if GENERIC_SUBJECT.search(clause) or (OTHER_PERSON.search(clause) and not names_patient(clause)):
        return ""  # another person's illness (家属婆婆感冒): for the clinician to place, never the patient's
    t = _spoken_numbers(clause)
    hits = _hits(t)
    findings = [h for h in hits if h.kind == "finding"]
    drugs = [m for m in extract(t) if m.type == "drug"]
    labs = [m for m in extract(t) if m.type == "lab"]
    if not _accounted(t, hits, [(m.start, m.end) for m in (*drugs, *labs)]):
        return ""  # words the rules cannot read may say whose, when or whether: the clause is listed, not rebuilt
    if "咳" in written and re.search(r"吐出来?", t):
        # 咳得太厉害，吐出来: brought up after coughing — sputum or vomit, the clinician asks which
        findings = [h for h in findings if h.to != "呕吐"]
        hits = [h for h in hits if h.to != "呕吐"]
    parts: list[str] = []
    # a value: the lab named in the clause, else the subject the question asked about; a value with its
    # unit is kept whatever it measures (最高39.5℃ → 体温最高39.5℃)
    value = next((v for v in _VALUE.finditer(t) if not _DURATION.match(t, v.start())
                  and not any(d.start <= v.start() < d.end + 12 for d in drugs)), None)
    subject = labs[0].text if labs else None
    if subject is None:
        asked = _subject(around + t)
        if asked is not None:
            subject = ("空腹" + asked) if "空腹" in t and not asked.startswith("空腹") else asked
    if value is not None and subject is None and value.group(2) == "℃":
        subject = "体温"
    if value is not None and subject is not None:
        unit = value.group(2) or _SUBJECT_UNITS.get(subject, _SUBJECT_UNITS.get(subject[-2:], ""))
        peak = "最高" if "最高" in t[:value.start()] else "超过" if re.search(r"超过$", t[:value.start()]) else ""
        parts.append(f"{subject}{peak}{value.group(1)}{' ' + unit if unit and unit[0].isascii() else unit}")
    for d in drugs:
        rest = t[d.end:]
        dose = _DOSE.search(t[:d.start]) or _DOSE.search(rest)
        freq = _FREQ.search(t[:d.start]) or _FREQ.search(rest)
        before = t[max(0, d.start - 8):d.start]
        if "过敏" in t or "皮疹" in t:
            pass  # a drug said with a reaction (阿司匹林过敏, 吃了…起皮疹) is an allergen: written as said
        elif (_USE.search(before) is None and dose is None and freq is None) or _DRUG_NOT_TAKEN.search(before) \
                or _DRUG_STOPPED.match(rest):
            continue  # a drug named, denied, wished for or stopped is no drug taken: the clause is listed
        words = [d.text]
        if freq is not None:
            words.append(freq.group(0))
        if dose is not None:
            words.append(dose.group(0))
        parts.append("".join(words))
    kin = _KIN.search(t)
    if kin is not None and findings:
        disease = [h.to for h in findings if not h.negated]
        if disease:
            return f"{kin.group(0)}有" + "、".join(_unique(disease)) + "史"
    if findings:
        when = _unique(h.to for h in hits if h.kind == "when")
        course = _unique(h.to for h in hits if h.kind == "course" and h.to not in _AFTER)
        if re.search(r"偶尔|偶有|有时", clause):
            course = ["偶有"]  # 一直偶尔咳嗽: occasional, never 持续 or 反复
        # an easing or a worsening says more than 明显 (症状明显的缓解了 is 好转)
        after = sorted(_unique(h.to for h in hits if h.kind == "course" and h.to in _AFTER), key=_AFTER.index)[:1]
        site_hits = [h for h in hits if h.kind == "site"]
        site = ""
        if site_hits:
            s = max(site_hits, key=lambda h: h.end - h.start)  # the most specific place said
            side = _SIDE.search(t[max(0, s.start - 2):s.start])
            if s.to.startswith(("双", "左", "右")):
                side = None
            if not side and not s.to.startswith(("双", "左", "右")):
                side = re.search(r"(左|右|双)(?=[\u4e00-\u9fff]{0,3}$)", t[:s.start])
            site = (("双" if side and side.group(1) in "双两" else side.group(1)) if side else "") + s.to
            if not side:
                anyside = _SIDE_ANY.search(t)
                if anyside and not s.to.startswith(("双", "左", "右")):
                    site = anyside.group(1) + site
        # a denial form read as one term (无咳嗽) is a denial
        positive = _unique(h.to for h in findings if not h.negated and not h.to.startswith("无"))
        negative = _unique(h.to if h.negated else h.to[1:] for h in findings
                           if h.negated or h.to.startswith("无"))
        if not site:  # a colour or a quality without the place or the thing it is said of (有点红, 像水样)
            qualities = register_data().qualities
            positive = [w for w in positive if w not in _NEEDS_SITE and w not in qualities and not w.startswith("呈")]
        # a finding the record already says of this sentence is not said twice; what the clause adds (a
        # trigger, a time) is written of it (活动后明显)
        said_before = [w for w in positive if w in written.replace("无" + w, "")]
        positive = [w for w in positive if w not in said_before]
        negative = [w for w in negative if "无" + w not in written]
        if said_before and not positive and when:
            positive = ["明显"]
            course = [c for c in course if c != "明显"]
            after = []
        if "控制不佳" in positive:  # 降不下来: of the 血糖/血压 asked about, else nothing
            positive = [(subject + x if subject is not None and value is None else "") if x == "控制不佳" else x
                        for x in positive]
            positive = [x for x in positive if x]
        if positive:
            words = [w for w in positive if not (site and w in site)]
            # a site is written only before a finding that takes one (左小腿肿胀; never 腹部呕吐)
            if site and words and all(w in _SITED or w.startswith(_SITED) for w in words):
                body = site + "、".join(words)
            else:
                body = "、".join(words)
            if not words:
                body = ""
            if not site and words:
                side = re.search(r"(左|右|双)侧?$", t[:findings[0].start])
                if side and not words[0].startswith(("左", "右", "双")):
                    body = side.group(1) + "侧" + body
            if body:
                when = [w for w in when if not (w == "夜间" and body.startswith("夜"))]
                parts.append("".join(when) + "".join(course) + body + "".join(after))
        if negative:
            parts.append("无" + "、".join(negative))
    if not parts:
        return ""
    text = "，".join(parts)
    count = _COUNT.search(t)
    # a count is the finding's only when said right after it (呕吐了2次); 发热后大便了3次 counts the stools
    if count is not None and findings and count.group(1) + "次" not in text and any(
            re.fullmatch(r"(?:了|过)?(?:[一两几]?[口下声阵])?", t[h.end:count.start()]) for h in findings):
        text += count.group(1) + "次"
    dur = _DURATION.search(t)
    if dur is not None and (re.match(r"份|时|的时候|\d|[一二三四五六七八九十]+[日号]|大|以后|之后", t[dur.end():])
                            or re.search(r"(?:出生|生后|在|第|满|患儿|患者|孩子|宝宝|小孩)$", t[:dur.start()])
                            or re.search(r"(?:出院|住院|入院|手术|术后|输液|打针|吃药|用药|服药|治疗|断奶)[有了已经]*$",
                                         t[:dur.start()])):
        # 10月份 is a month, 在2个月时, 出生5天, 患儿8个月 an age, 第3天 a day, 从42天以后 a start, 出院有15天
        # another event's time:
        # no duration of the finding
        dur = None
    if dur is not None and (findings or drugs):
        said = dur.group(0).lstrip("近约已")
        text = said + text if said.endswith("前") else text + said  # an onset first: 3天前咳嗽; a duration after
    return text


_AFTER = ("加重", "未见好转", "好转", "明显")


def _accounted(t: str, hits: list[_Hit], spans: list[tuple[int, int]]) -> bool:
    """Whether every word of a clause is read: a finding, site, time or course the rebuild took, a drug or lab,
    a number, duration, dose or count, a word of the record's vocabulary, or a spoken filler that carries no
    meaning of its own (``register.yaml`` fillers: particles, degree, 都/还/又, 患儿/家属 as the one who tells).
    A rebuild is made only of a clause read whole (closed world): a word left unread (看看, 影响, 等…再, 减少,
    使) may make the clause a question, advice, a condition or another person's, so the clause is listed."""
    covered = [False] * len(t)
    for a, b in [*((h.start, h.end) for h in hits), *spans]:
        for i in range(a, b):
            covered[i] = True
    for rx in (_DURATION, _VALUE, _COUNT, _FREQ, _DOSE):
        for m in rx.finditer(t):
            for i in range(m.start(), m.end()):
                covered[i] = True
    vocab = vocabulary() | _fillers()
    rest = re.split(r"\x00+", "".join("\x00" if c else ch for ch, c in zip(t, covered, strict=True)))
    return all(_decomposes(seg, vocab) for seg in rest if seg.strip(" ，,；;。！!？?"))


@lru_cache(maxsize=1)
def _fillers() -> frozenset[str]:
    return frozenset(register_data().fillers)


def _unique(words: object) -> list[str]:
    out: list[str] = []
    for w in words:  # type: ignore[attr-defined]
        if w not in out:
            out.append(w)
    return out


Verdict = Literal["kept", "rebuilt", "left_out"]


def gate(clause: str, around: str = "") -> tuple[Verdict, str, str | None]:
    """(verdict, text to write, reason): ``kept`` when the clause reads as record, ``rebuilt`` with its
    clinical content when it does not, ``left_out`` (text "") when nothing clinical is found in it."""
    clause = spoken_tail(clause)
    why = reads_as_record(clause)
    if why is None:
        return "kept", clause, None
    built = rebuild(clause, around)
    if built and spoken_in(built) is None:
        return "rebuilt", built, why
    return "left_out", "", why
