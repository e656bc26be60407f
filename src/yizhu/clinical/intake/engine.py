"""预问诊 interview engine (rule path): the next question from the complaint and the question bank, each
answer parsed and kept with its question, a red-flag check on every answer, and a stop rule.

State is a plain pydantic object (``Interview``) so the store can keep it as JSON and resume it. The
engine never guesses an answer: a free-text answer is matched to the question's options (with negation:
没有发烧 is a negative), numbers and durations are read from the words, and what is not understood is kept
verbatim in the patient's words.

Red flags are the triage engine's (``clinical/triage/red_flags.yaml``): after every answer the complaint and
every statement so far (the options' lay ``says`` and the free text) are checked together; a red flag stops
the interview with its plain-Chinese 急诊/120 message.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from yizhu.clinical.intake.bank import Bank, Known, Option, Profile, load_bank
from yizhu.errors import InputError

#: the longest free-text answer accepted (characters)
MAX_ANSWER = 1000
Status = Literal["open", "complete", "red_flag"]
RULE_MODE = "rules"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AnswerIn(_Model):
    """One answer: the question it answers, the tapped options, and/or free text."""

    question_id: str = Field(min_length=1, max_length=32)
    options: list[Annotated[str, Field(min_length=1, max_length=32)]] = Field(default_factory=list, max_length=20)
    text: str | None = Field(default=None, max_length=MAX_ANSWER)


class Answered(_Model):
    """An answer as stored: with the question exactly as it was asked, and what was read from it."""

    seq: int
    slot: str
    question: str
    rule_question: str | None = Field(default=None, description="the bank's wording, when a model's wording was shown")
    options: list[str] = Field(default_factory=list)
    labels: list[str] = Field(default_factory=list)
    text: str | None = None
    positives: list[str] = Field(default_factory=list, description="clinical wording of what is present")
    negatives: list[str] = Field(default_factory=list, description="clinical wording of what is absent")
    says: list[str] = Field(default_factory=list, description="the statements in lay words (red-flag checks)")
    days: float | None = None
    duration: str | None = None
    score: int | None = None
    none: bool = False
    unknown: bool = Field(default=False, description="the patient said they do not know (不知道, 记不清): not a denial")
    values: dict[str, Any] = Field(default_factory=dict, description=(
        "numbers read from the words: temperature (℃), lmp (ISO date) and lmp_days, gravida/para/abortion, "
        "birth_weeks and birth_weight_g"))
    read_by: str = Field(default=RULE_MODE, description="rules, or llm:<model> when a model read the free text")
    at: str


class Interview(_Model):
    """One patient's interview: who (age, sex), the complaint, the profile, every answer, the status."""

    complaint: str | None = None
    age: float | None = None
    age_source: Literal["visit", "stated"] | None = None
    child: bool = Field(default=False, description="a child's interview: a parent answers, the child's questions")
    sex: Literal["male", "female"] | None = None
    profile: str | None = None
    answers: list[Answered] = Field(default_factory=list)
    status: Status = "open"
    red_flag: dict[str, Any] | None = None
    mode: str = RULE_MODE
    phrasing: dict[str, str] | None = Field(default=None, description=(
        "the model's wording of the current question: {slot, text, by}; the bank's wording when absent"))
    degraded: list[str] = Field(default_factory=list, description=(
        "where a routed model failed or was overruled and the rule path answered (phrase:<slot>/parse:<slot>: why)"))


class QuestionOut(_Model):
    id: str
    prompt: str
    kind: str
    options: list[dict[str, Any]]
    allow_text: bool = True
    number: int
    max_questions: int
    rule_prompt: str | None = Field(default=None, description="the bank's wording when the prompt is a model's")
    phrased_by: str | None = None


_UNIT_DAYS = {"分钟": 1 / 1440, "小时": 1 / 24, "天": 1, "日": 1, "周": 7, "星期": 7, "礼拜": 7, "个月": 30, "月": 30,
              "年": 365}
_DURATION = re.compile(r"(\d+(?:\.\d+)?|半|几|两|十来|十几)\s*(?:多)?\s*(?:个)?\s*(?:多)?\s*(分钟|小时|个多月|个月|多月|天|日|周|星期|礼拜|月|年)")
_CN_NUM = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NONE_WORDS = ("没有", "没", "无", "都没有", "不是", "否认", "没吃", "没用", "不过敏")
#: a whole answer that says "none" (没有, 都没有, 没有过敏, 没什么病, 不吃药)
_NONE_SAID = re.compile(r"(都|也|从来|从)?(没有|没|无|不)(什么|任何)?(过敏|病|药|吃药|长期吃药|吃什么药|用药)?(史)?(了|的|啊|呢)?")
#: not knowing is not denying: 不知道 / 记不得 is written as unknown, never as 否认 or 无
UNSURE = re.compile(r"不知道|不晓得|不清楚|记不得|记不清|不记得|忘了|说不清|说不准|不确定|搞不清|没注意|没留意|没量过|没测过")
_YESTERDAY = {"今天": 0.3, "昨天": 1, "前天": 2}


def _now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def _cn_digits(text: str) -> str:
    """Spoken small numbers as digits (三天 → 3天, 十五天 → 15天, 两周 → 2周)."""

    def conv(m: re.Match[str]) -> str:
        s = m.group(0)
        if s == "十":
            return "10"
        if s.startswith("十"):
            return str(10 + _CN_NUM.get(s[1:], 0))
        if "十" in s:
            a, _, b = s.partition("十")
            return str(_CN_NUM.get(a, 1) * 10 + (_CN_NUM.get(b, 0) if b else 0))
        return str(_CN_NUM.get(s, s))

    return re.sub(r"[一二两三四五六七八九十]{1,3}(?=\s*(?:多)?\s*(?:分钟|小时|个|天|日|号|周|星期|礼拜|月|年|分|次|胎|斤|两|度))",
                  conv, text)


def parse_duration(text: str) -> tuple[float, str] | None:
    """(days, note wording) read from words such as 三天了, 两个多月, 半年, 十来天; None when absent."""
    t = _cn_digits(text)
    m = _DURATION.search(t)
    if m:
        num, unit = m.group(1), m.group(2)
        unit_n = "个月" if unit in ("个多月", "多月", "月") else unit
        more = "余" if "多" in m.group(0) or t[m.end():m.end() + 1] == "多" or num in ("十来", "十几") else ""
        if num == "半":
            value, shown = 0.5, "半"
        elif num in ("几",):
            value, shown = 3.0, "数"
        elif num in ("十来", "十几"):
            value, shown = 10.0, "10"
        else:
            value = float(num)
            shown = num.rstrip("0").rstrip(".") if "." in num else num
        days = value * _UNIT_DAYS[unit_n]
        word = {"星期": "周", "礼拜": "周", "日": "天"}.get(unit_n, unit_n)
        if shown == "半" and word == "年":
            return days, "半年"
        return days, f"{shown}{word}{more}"
    for w, d in _YESTERDAY.items():
        if w in text:
            return d, "1天" if d == 1 else ("2天" if d == 2 else "数小时")
    return None


def parse_severity(text: str) -> int | None:
    t = _cn_digits(text)
    m = re.search(r"(\d{1,2})\s*分", t) or re.fullmatch(r"\s*(\d{1,2})\s*", t)
    if m and 0 <= int(m.group(1)) <= 10:
        return int(m.group(1))
    if any(w in text for w in ("受不了", "剧烈", "特别疼", "非常", "厉害", "很重")):
        return 8
    if any(w in text for w in ("还行", "轻微", "一点点", "不太", "有点")):
        return 2
    return None


_TEMP = re.compile(r"(3[4-9]|4[0-2])(?:\s*[.点]\s*(\d))?\s*(?:度|℃|°C|°)\s*(\d)?(?![\d.])")


_TEMP_BARE = re.compile(r"(?<![\d.])(3[5-9]|4[0-2])\s*[.点]\s*(\d)(?![\d.])")


def parse_temperature(text: str) -> float | None:
    """The temperature in ℃ from words such as 39度5, 38.6℃, 三十九度 (None when absent)."""
    t = _cn_digits(text.replace("三十", "3").replace("四十", "4")) if re.search(r"[三四]十", text) else _cn_digits(text)
    m = _TEMP.search(t)
    if not m:
        # a number told as a temperature without its unit (有点低烧37.8, 体温38.5)
        if re.search(r"烧|热|体温|温度", text) and (m := _TEMP_BARE.search(t)) is not None:
            return float(f"{m.group(1)}.{m.group(2)}")
        return None
    tenth = m.group(2) or m.group(3)
    return float(f"{m.group(1)}.{tenth}") if tenth else float(m.group(1))


def _temperature_option(temp: float, options: list[Option]) -> Option | None:
    """The option band a temperature falls in (below 37.3 ℃ is no fever: the exclusive option)."""
    if temp < 37.3:
        return next((o for o in options if o.exclusive), None)
    want = 3 if temp < 38 else (5 if temp < 39 else 8)
    scored = [o for o in options if o.score is not None]
    return min(scored, key=lambda o: abs((o.score or 0) - want)) if scored else None


_DATE_FULL = re.compile(r"(20\d\d)\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})")
_DATE_MD = re.compile(r"(上个?月|这个?月|本月)?\s*(?:(\d{1,2})\s*月)?\s*(\d{1,2})\s*[日号]")


def parse_lmp(text: str, today: date) -> tuple[date, int] | None:
    """(date, days before ``today``) of the last menstrual period from 2026-11-20, 11月20号, 上个月20号, 20号,
    半个月前, 十来天前, 上周; None when the words give no date. A day later than today is last month's/year's."""
    t = _cn_digits(text)
    m = _DATE_FULL.search(t)
    d: date | None = None
    try:
        if m:
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        elif (m := _DATE_MD.search(t)) is not None:
            month = int(m.group(2)) if m.group(2) else today.month
            if m.group(1) and m.group(1).startswith("上"):
                month = today.month - 1 or 12
            year = today.year if month <= today.month else today.year - 1
            d = date(year, month, int(m.group(3)))
            if d > today and not m.group(2):  # 25号 said on the 10th: last month's 25th
                prev = today.replace(day=1) - timedelta(days=1)
                d = date(prev.year, prev.month, int(m.group(3)))
    except ValueError:
        return None
    if d is None:
        if "上周" in t or "上个星期" in t or "上礼拜" in t:
            d = today - timedelta(days=7)
        elif "前" in t and (got := parse_duration(text)) is not None:
            d = today - timedelta(days=round(got[0]))
    if d is None or d > today or (today - d).days > 3 * 365:
        return None
    return d, (today - d).days


_GEST = re.compile(r"(?:怀孕|怀了|(?<![避备])孕|妊娠)\s*(?:已经|快|有|了|满)?\s*(\d{1,2})\s*(?:\+\s*(\d))?\s*(?:多)?\s*(个多月|个月|周|星期|礼拜)")
_TEST_BY = re.compile(r"验孕|测孕|试纸|早早孕|妊娠试验|孕检|验血|抽血|[Hh][Cc][Gg]|验尿|尿检|测了|测过")
_TEST_NEG = re.compile(r"一条杠|一道杠|一条线|一道线|单杠|阴性|没怀孕|没有怀孕|未孕|不是怀孕|没怀上")
_TEST_POS = re.compile(r"两条杠|两道杠|两条线|两道线|双杠|阳性|怀上了|是怀孕")
_MENSES = re.compile(r"月经|例假|大姨妈|来事|倒霉")


def parse_pregnancy(text: str, today: date) -> dict[str, Any]:
    """Pregnancy facts from a patient's words: the gestational age (孕20周, 怀孕5个月 → ``gestation_weeks`` /
    ``gestation_months``), a pregnancy test and its result (验孕棒一条杠 → ``pregnancy_test``: negative, by urine;
    验血HCG阳性 → positive, by blood), and the last menstrual period told in a clause about the period (末次月经是
    两个月前, 月经7月20号来的 → ``lmp``, ``lmp_days``). Only what the words give."""
    t = _cn_digits(text)
    out: dict[str, Any] = {}
    if (m := _GEST.search(t)) is not None:
        n, unit = int(m.group(1)), m.group(3)
        if "月" in unit and 1 <= n <= 10:
            out["gestation_months"] = n
        elif "月" not in unit and 4 <= n <= 42:
            out["gestation_weeks"] = n + (int(m.group(2)) / 7 if m.group(2) else 0)
    for clause in re.split(r"[，,。；;！!？?\n]", text):
        if _TEST_BY.search(clause) or re.search(r"杠|道线|条线", clause):
            neg, pos = _TEST_NEG.search(clause), _TEST_POS.search(clause)
            if neg or pos:
                out["pregnancy_test"] = "negative" if neg and not pos else ("positive" if pos and not neg else "unclear")
                out["pregnancy_test_by"] = "blood" if re.search(r"验血|抽血|[Hh][Cc][Gg]", clause) else "urine"
    # 验孕棒测了一下，一条杠: the test and its result in separate clauses
    if "pregnancy_test" not in out and _TEST_BY.search(t) and re.search(r"杠|条线|道线|阴性|阳性", t):
        neg, pos = _TEST_NEG.search(t), _TEST_POS.search(t)
        if bool(neg) != bool(pos):
            out["pregnancy_test"] = "negative" if neg else "positive"
            out["pregnancy_test_by"] = "blood" if re.search(r"验血|抽血|[Hh][Cc][Gg]", t) else "urine"
    for clause in re.split(r"[，,。；;！!？?\n]", text):
        if _MENSES.search(clause) and not _GEST.search(_cn_digits(clause)):
            got = parse_lmp(clause, today)
            if got is not None:
                out["lmp"], out["lmp_days"] = got[0].isoformat(), got[1]
                break
    return out


_NUM = r"(\d{1,2})"


def parse_obstetric(text: str) -> dict[str, int]:
    """Pregnancies and births from G2P1, 怀过2次生过1个, 生了两个孩子, 流产过一次, 没生过: keys gravida, para,
    abortion (only those the words give; gravida is births + losses when not said)."""
    t = _cn_digits(text)
    out: dict[str, int] = {}
    if m := re.search(r"[Gg]\s*(\d{1,2})\s*[Pp]\s*(\d{1,2})(?:\s*[Aa]\s*(\d{1,2}))?", t):
        out["gravida"], out["para"] = int(m.group(1)), int(m.group(2))
        if m.group(3):
            out["abortion"] = int(m.group(3))
        return out
    if m := re.search(r"怀(?:过|孕|了)?(?:过)?\s*" + _NUM + r"\s*(?:次|胎|回)", t):
        out["gravida"] = int(m.group(1))
    if m := re.search(r"(?:生过|生了|生育|生育过|有|顺产|剖宫产|剖腹产)\s*" + _NUM + r"\s*(?:个|胎|次)", t) or \
            re.search(_NUM + r"\s*个(?:孩子|小孩|娃)", t):
        out["para"] = int(m.group(1))
    elif re.search(r"没(?:有)?生过|没(?:有)?生孩子|还没生|未生育|没有孩子|没孩子", t):
        out["para"] = 0
    if m := re.search(r"(?:流产|流过|人流|药流|打掉|胎停)(?:过)?\s*" + _NUM + r"\s*(?:次|个|回)", t):
        out["abortion"] = int(m.group(1))
    elif re.search(r"流产过|流过产|做过人流|打掉过", t):
        out["abortion"] = 1
    if re.search(r"没(?:有)?怀过|从没怀孕|没怀孕过", t):
        return {"gravida": 0, "para": 0}
    if "gravida" not in out and "para" in out:
        out["gravida"] = out["para"] + out.get("abortion", 0)
    return out


def parse_birth(text: str) -> dict[str, float]:
    """Gestational age (weeks) and birth weight (grams) from 38周, 孕36+5周, 3.2公斤, 3200克, 6斤4两, 六斤半."""
    t = _cn_digits(text)
    out: dict[str, float] = {}
    if m := re.search(r"(2[4-9]|3\d|4[0-4])\s*(?:\+\s*(\d))?\s*周", t):
        out["birth_weeks"] = int(m.group(1)) + (int(m.group(2)) / 7 if m.group(2) else 0)
    if m := re.search(r"(\d(?:\.\d+)?)\s*(?:公斤|千克|kg|KG|Kg)", t):
        out["birth_weight_g"] = float(m.group(1)) * 1000
    elif m := re.search(r"(\d{3,4})\s*(?:克|g)", t):
        out["birth_weight_g"] = float(m.group(1))
    elif m := re.search(r"(\d{1,2})\s*斤\s*(?:(\d)\s*两|(半))?", t):
        jin = int(m.group(1)) + (int(m.group(2)) / 10 if m.group(2) else (0.5 if m.group(3) else 0))
        out["birth_weight_g"] = jin * 500
    w = out.get("birth_weight_g")
    if w is not None and not 300 <= w <= 6500:
        del out["birth_weight_g"]
    return out


_COMMON_BIGRAMS = {"以上", "没有", "都没", "有点", "一点", "时候", "的时", "什么", "感觉"}


def _overlap(text: str, phrase: str) -> int:
    """Character bigrams of ``phrase`` found in ``text`` (common function bigrams left out)."""
    grams = {phrase[i:i + 2] for i in range(len(phrase) - 1)} - _COMMON_BIGRAMS
    return sum(1 for g in grams if g in text)


def _severity_option(score: int, opts: list[Option]) -> Option | None:
    scored = [o for o in opts if o.score is not None]
    return min(scored, key=lambda o: abs((o.score or 0) - score)) if scored else None


LLM_TASK = "intake.parse"
PHRASE_TASK = "intake.phrase"
PROMPTS = Path(__file__).resolve().parent.parent / "prompts"


class Phrased(BaseModel):
    """A model's wording of one question (checked by ``phrasing.problem`` before it is shown)."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=400)


class LLMPick(BaseModel):
    """What a model may say about a free-text answer: which of the shown options it states, which it denies."""

    model_config = ConfigDict(extra="forbid")
    present: list[str] = Field(default_factory=list, max_length=20)
    absent: list[str] = Field(default_factory=list, max_length=20)


class Engine:
    """The rule path over one question bank. Stateless: every call takes and returns an ``Interview``.

    With a ``gateway`` whose route for ``intake.parse`` names a model, a free-text answer that the rules
    could not match to any option is also read by the model (which options it states or denies, among the
    ones shown — nothing else is accepted); when no model answers, the rule reading stands and the
    interview's ``mode`` stays ``rules``.
    """

    def __init__(self, bank: Bank | None = None, gateway: Any = None) -> None:
        self.bank = bank or load_bank()
        self._profiles = {p.id: p for p in self.bank.profiles}
        self.gateway = gateway
        self._llm_used: str | None = None
        self._llm_problem: str | None = None

    def _llm_read(self, slot: str, prompt: str, kind: str, options: list[Option],
                  text: str) -> tuple[list[Option], list[Option], str] | None:
        """(present, absent, model) from the model for a free-text answer, or None (no model, or it failed:
        then ``_llm_problem`` says why). Only the shown options' ids are accepted; a one-choice question
        answered with several options is not a reading."""
        gw = self.gateway
        if gw is None or not gw.has_model(LLM_TASK):
            return None
        from yizhu.errors import ModelError
        from yizhu.llm import PromptLibrary
        from yizhu.llm.types import GenParams

        listed = [{"id": o.id, "label": o.label} for o in options if not o.exclusive]
        ask = PromptLibrary(PROMPTS).render(LLM_TASK, question=prompt, text=text, options=listed,
                                            single=kind == "single")
        try:
            reply = gw.structured(LLM_TASK, ask, LLMPick, params=GenParams(temperature=0.0, max_tokens=200))
        except ModelError as exc:
            self._llm_problem = f"parse:{slot}: {getattr(exc, 'degraded', None) or type(exc).__name__}"
            return None
        by = {o.id: o for o in options if not o.exclusive}
        said = list(reply.value.present) + list(reply.value.absent)
        present = [by[i] for i in dict.fromkeys(reply.value.present) if i in by]
        absent = [by[i] for i in dict.fromkeys(reply.value.absent) if i in by and by[i] not in present]
        if said and not present and not absent:
            self._llm_problem = f"parse:{slot}: rejected (no option of the question named)"
            return None
        if kind == "single" and len(present) > 1:
            self._llm_problem = f"parse:{slot}: rejected (several options for a one-choice question)"
            return None
        return present, absent, str(reply.completion.model)

    def _phrase(self, iv: Interview) -> None:
        """Ask the routed model (``intake.phrase``) to reword the next question; keep the wording only if it
        passes ``phrasing.yaml`` (same slot, a question, no new number, no diagnosis or advice, not too long).
        No model: the bank's wording, not degraded; a failing or overruled model: the bank's wording, and
        ``degraded`` says why."""
        q = self._rule_question(iv)
        if q is None:
            iv.phrasing = None
            return
        if iv.phrasing is not None and iv.phrasing.get("slot") == q.id:
            return
        iv.phrasing = None
        gw = self.gateway
        if gw is None or not gw.has_model(PHRASE_TASK):
            return
        from yizhu.clinical.intake.phrasing import clean, problem
        from yizhu.errors import ModelError
        from yizhu.llm import PromptLibrary
        from yizhu.llm.types import GenParams

        ask = PromptLibrary(PROMPTS).render(PHRASE_TASK, question=q.prompt, child=iv.child,
                                            options=[o["label"] for o in q.options])
        try:
            reply = gw.structured(PHRASE_TASK, ask, Phrased, params=GenParams(temperature=0.3, max_tokens=160))
        except ModelError as exc:
            iv.degraded.append(f"phrase:{q.id}: {getattr(exc, 'degraded', None) or type(exc).__name__}")
            return
        why = problem(reply.value.text, q.prompt, q.id)
        if why is not None:
            iv.degraded.append(f"phrase:{q.id}: rejected ({why})")
            return
        iv.phrasing = {"slot": q.id, "text": clean(reply.value.text), "by": f"llm:{reply.completion.model}"}
        iv.mode = f"{RULE_MODE}+llm"

    # ── which questions ────────────────────────────────────────────────────────────────────────────
    def profile(self, iv: Interview) -> Profile:
        if iv.profile and iv.profile in self._profiles:
            return self._profiles[iv.profile]
        return self.bank.profile_for(iv.complaint or "")

    def is_child(self, iv: Interview) -> bool:
        """A child's interview: the age (from the visit, or said in the complaint) under the paediatric age."""
        ped = self.bank.paediatric
        return ped is not None and iv.age is not None and iv.age < ped.age_max

    def max_questions(self, iv: Interview) -> int:
        ped = self.bank.paediatric
        return ped.max_questions if ped is not None and iv.child else self.bank.max_questions

    def applicable(self, iv: Interview) -> list[str]:
        """The slots this interview asks, in order (the complaint first when it is not known yet)."""
        slots = [] if iv.complaint else ["complaint"]
        if not iv.complaint:
            return slots
        prof = self.profile(iv)
        wanted: list[str] = list(prof.slots)
        ped = self.bank.paediatric
        if ped is not None and iv.child:
            wanted = [ped.replace.get(s, s) for s in wanted]  # type: ignore[call-overload]
            extra = [s for s in ped.slots if s not in wanted]
            at = wanted.index(ped.insert_before) if ped.insert_before in wanted else len(wanted)
            wanted[at:at] = extra
            wanted = [s for s in wanted if ped.keeps(s, prof.id, iv.age)]
        taps = {a.slot: set(a.options) for a in iv.answers}
        done = {a.slot for a in iv.answers}
        for s in wanted:
            q = self.bank.questions.get(s)  # type: ignore[call-overload]
            if q is None:
                continue
            w = q.when
            if w is not None:
                if w.sex is not None and iv.sex != w.sex:
                    continue
                # an unknown age does not skip a question meant for the patient's sex (the safe side: ask)
                if w.age_min is not None and iv.age is not None and iv.age < w.age_min:
                    continue
                if w.age_max is not None and iv.age is not None and iv.age > w.age_max:
                    continue
            if q.unless is not None and taps.get(q.unless.slot, set()) & set(q.unless.options):
                continue
            if q.known is not None and s not in done and self._known(iv, q.known):
                continue
            slots.append(s)
        return slots

    @staticmethod
    def _known(iv: Interview, known: Known) -> bool:
        """Whether earlier answers already gave what a question asks: the number (a temperature read from
        有点低烧37.8) or the symptom written as absent (不发烧 → 无发热)."""
        for a in iv.answers:
            if known.value is not None and a.values.get(known.value) is not None:
                return True
            if any(d in n for d in known.denied for n in a.negatives):
                return True
        return False

    def pending(self, iv: Interview) -> list[str]:
        done = {a.slot for a in iv.answers}
        return [s for s in self.applicable(iv) if s not in done]

    def asked(self, iv: Interview) -> int:
        """Questions the patient has answered (the complaint given at check-in is not a question asked)."""
        return sum(1 for a in iv.answers if a.question != CHECKIN_QUESTION)

    def next_question(self, iv: Interview) -> QuestionOut | None:
        """The question to show: the rule engine's slot and options, in the model's wording when one was
        accepted for this slot (``phrased_by``; ``rule_prompt`` keeps the bank's)."""
        q = self._rule_question(iv)
        if q is not None and iv.phrasing is not None and iv.phrasing.get("slot") == q.id:
            q = q.model_copy(update={"rule_prompt": q.prompt, "prompt": iv.phrasing["text"],
                                     "phrased_by": iv.phrasing.get("by")})
        return q

    def _rule_question(self, iv: Interview) -> QuestionOut | None:
        if iv.status != "open":
            return None
        pend = self.pending(iv)
        if not pend or self.asked(iv) >= self.max_questions(iv):
            return None
        slot = pend[0]
        prof = self.profile(iv)
        q = self.bank.questions[slot]  # type: ignore[index]
        prompt = q.child_prompt if iv.child and q.child_prompt else q.prompt
        if slot in prof.prompts:
            prompt = prof.prompts[slot]  # type: ignore[index]
        elif slot in ("site", "character", "severity", "modifiers") and iv.complaint and prof.id != "general":
            prompt = prompt.replace("是什么样的感觉", f"{prof.name}是什么样的感觉").replace("具体是哪个部位", f"{prof.name}具体在哪个部位")
        opts = self.bank.options(slot, prof)
        return QuestionOut(id=slot, prompt=prompt, kind=q.kind,
                           options=[{"id": o.id, "label": o.label, "exclusive": o.exclusive,
                                     **({"group": o.group} if o.group else {})} for o in opts],
                           number=self.asked(iv) + 1, max_questions=self.max_questions(iv))

    def completeness(self, iv: Interview) -> float:
        slots = self.applicable(iv)
        if not slots:
            return 0.0
        done = {a.slot for a in iv.answers}
        return round(sum(1 for s in slots if s in done) / len(slots), 3)

    # ── answers ────────────────────────────────────────────────────────────────────────────────────
    def start(self, complaint: str | None = None, *, age: float | None = None, sex: str | None = None) -> Interview:
        if sex is not None and sex not in ("male", "female"):
            raise InputError("sex must be male or female")
        if age is not None and not 0 <= age <= 130:
            raise InputError("age must be between 0 and 130 years")
        iv = Interview(age=age, sex=sex, age_source="visit" if age is not None else None)  # type: ignore[arg-type]
        iv.child = self.is_child(iv)
        if complaint is not None and complaint.strip():
            self._set_complaint(iv, complaint.strip(), CHECKIN_QUESTION)
            self._check_red_flags(iv)
        self._phrase(iv)
        return iv

    def _set_complaint(self, iv: Interview, text: str, question: str, options: list[str] | None = None,
                       labels: list[str] | None = None) -> None:
        if len(text) > MAX_ANSWER:
            raise InputError(f"the complaint is {len(text)} characters; at most {MAX_ANSWER} are accepted")
        iv.complaint = text
        iv.profile = self.bank.profile_for(text).id
        self._age_from_complaint(iv, text)
        temp = parse_temperature(text)
        values: dict[str, Any] = {"temperature": temp} if temp is not None else {}
        if not iv.child and iv.sex != "male":  # 尿频尿痛，怀孕20周: the gestational age told with the complaint
            values.update(parse_pregnancy(text, datetime.now(UTC).date()))
        iv.answers.append(Answered(seq=len(iv.answers), slot="complaint", question=question, options=options or [],
                                   labels=labels or [], text=text, says=[text], at=_now(),
                                   values=values))

    def _age_from_complaint(self, iv: Interview, text: str) -> None:
        """A child's age said in the complaint (宝宝8个月, 孩子3岁) when the visit gave none; a message about a
        child (孩子发烧) makes it a child's interview even without the age."""
        from yizhu.clinical.triage.engine import _age_from_text
        from yizhu.knowledge.terminology.colloquial import normalise
        from yizhu.knowledge.terminology.text import fold

        said, about_child = _age_from_text(fold(normalise(text).text))
        if iv.age is None and said is not None:
            iv.age, iv.age_source = said, "stated"
        ped = self.bank.paediatric
        iv.child = self.is_child(iv) or (about_child and iv.age is None and ped is not None)

    def answer(self, iv: Interview, ans: AnswerIn) -> Interview:
        """Record one answer to the current question; re-check red flags; close when complete."""
        if iv.status != "open":
            raise InputError(f"the interview is {iv.status}; no more answers are taken")
        q = self.next_question(iv)
        if q is None:
            raise InputError("the interview has no open question")
        if ans.question_id != q.id:
            raise InputError(f"this answers '{ans.question_id}', but the current question is '{q.id}'")
        text = (ans.text or "").strip() or None
        if not ans.options and not text:
            raise InputError("an answer needs a tapped option or some text")
        prof = self.profile(iv)
        opts = {o.id: o for o in self.bank.options(q.id, prof)}
        unknown = [o for o in ans.options if o not in opts]
        if unknown:
            raise InputError(f"unknown option(s) {', '.join(unknown)} for question '{q.id}'; "
                             f"known: {', '.join(opts)}")
        if len(set(ans.options)) != len(ans.options):
            raise InputError("an option is given twice")
        chosen = [opts[o] for o in ans.options]
        if q.kind in ("single", "duration", "severity", "date", "temperature", "obstetric") and len(chosen) > 1:
            raise InputError(f"question '{q.id}' takes one option")
        if any(o.exclusive for o in chosen) and len(chosen) > 1:
            raise InputError("'none of these' cannot be chosen together with other options")
        if q.id == "complaint":
            base = "，".join([o.says for o in chosen] + ([text] if text else []))
            self._set_complaint(iv, base, q.prompt, [o.id for o in chosen], [o.label for o in chosen])
            iv.answers[-1].text = text
        else:
            self._llm_used = self._llm_problem = None
            iv.answers.append(self._read(q.id, q.prompt, q.kind, chosen, list(opts.values()), text, len(iv.answers),
                                         prior=self.statements(iv)))
            if self._llm_used:
                iv.answers[-1].read_by = f"llm:{self._llm_used}"
                iv.mode = f"{RULE_MODE}+llm"
            if self._llm_problem:
                iv.degraded.append(self._llm_problem)
        iv.answers[-1].rule_question = q.rule_prompt
        self._check_red_flags(iv)
        if iv.status == "open" and self._rule_question(iv) is None:
            iv.status = "complete"
        self._phrase(iv)
        return iv

    def _read(self, slot: str, prompt: str, kind: str, chosen: list[Option], options: list[Option], text: str | None,
              seq: int, prior: str = "") -> Answered:
        from yizhu.clinical.triage.knowledge import find_terms
        from yizhu.knowledge.terminology.text import fold

        a = Answered(seq=seq, slot=slot, question=prompt, options=[o.id for o in chosen],
                     labels=[o.label for o in chosen], text=text, at=_now())
        picked = list(chosen)
        negated: list[Option] = []
        if text:
            folded = fold(text)
            if kind == "duration":
                got = parse_duration(text)
                if got is not None:
                    a.days, a.duration = got
            elif kind == "date":
                day = datetime.fromisoformat(a.at).date()
                got_d = parse_lmp(text, day)
                if got_d is not None:
                    a.values = {"lmp": got_d[0].isoformat(), "lmp_days": got_d[1]}
                    a.days = float(got_d[1])
                    band = min((o for o in options if o.days is not None), default=None,
                               key=lambda o: abs((o.days or 0) - got_d[1]))
                    if band is not None and not picked and got_d[1] >= 35:
                        picked.append(band)  # a period more than five weeks ago is a late period: said as such
            elif kind == "obstetric":
                a.values = dict(parse_obstetric(text))
                if a.values.get("gravida") == 0:
                    picked.append(next(o for o in options if o.exclusive))
            elif kind == "birth":
                a.values = dict(parse_birth(text))
            elif kind == "temperature" or (kind == "severity" and parse_temperature(text) is not None):
                temp = parse_temperature(text)
                if temp is not None:
                    if not re.search(r"以上|以下|多|左右|差不多|大概", text):  # 39度以上 is the band, not 39.0 ℃
                        a.values = {"temperature": temp}
                    opt = _temperature_option(temp, options)
                    if opt is not None and not picked:
                        picked.append(opt)
            elif kind == "severity":
                sc = parse_severity(text)
                if sc is not None:
                    a.score = sc
                    opt = _severity_option(sc, options)
                    if opt is not None and not picked:
                        picked.append(opt)
            if kind in ("single", "multi", "severity", "birth") or slot == "meds":
                for o in options:
                    if o.exclusive or o in picked:
                        continue
                    pieces = [p for w in (o.label, o.note) for p in re.split(r"[/、，,（）()]", w)]
                    terms = sorted({fold(t) for t in (o.label, o.says, o.note, *pieces)
                                    if len(fold(t)) >= 2 and t != "none"}, key=len, reverse=True)
                    if len(o.label) == 1 and folded.strip("。，. ") == fold(o.label):
                        picked.append(o)  # a one-character answer that is the option itself (腰)
                        continue
                    hits = find_terms(folded, terms)
                    if any(not h.negated for h in hits):
                        picked.append(o)
                    elif hits:
                        negated.append(o)
                    elif not any(c in folded for c in ("没", "不", "无", "否")) and _overlap(folded, fold(o.says)) >= 2:
                        picked.append(o)  # the same words in another order (像有石头压着 ~ 像压着石头)
            stripped = folded.strip("。，. ")
            if not picked and not negated and UNSURE.search(stripped) and slot not in ("lmp", "birth"):
                a.unknown = True
            if not picked and not negated and not a.unknown and (stripped in _NONE_WORDS or _NONE_SAID.fullmatch(stripped)):
                none = next((o for o in options if o.exclusive), None)
                if none is not None:
                    picked.append(none)
            if not picked and not negated and not a.unknown and kind in ("single", "multi"):
                got = self._llm_read(slot, prompt, kind, options, text)
                if got is not None:
                    picked, negated, model = list(got[0]), list(got[1]), got[2]
                    self._llm_used = model
            if kind == "single" and len(picked) > 1:
                picked = picked[:1]
        if kind == "birth" and a.values and not any(o.exclusive for o in picked):
            by = {o.id: o for o in options}
            weeks, grams = a.values.get("birth_weeks"), a.values.get("birth_weight_g")
            derived = (["preterm"] if weeks is not None and weeks < 37 else []) + \
                      (["lbw"] if grams is not None and grams < 2500 else [])
            if not derived and weeks is not None and grams is not None:
                derived = ["term"]
            picked = [o for o in picked if o.id not in ("term",) or not derived or derived == ["term"]]
            picked += [by[i] for i in derived if i in by and by[i] not in picked]
        for o in picked:
            if o.exclusive:
                a.none = True
            else:
                a.positives.append(o.note)
            if o.says and not o.exclusive:
                a.says.append(o.says)
            if o.days is not None and a.days is None:
                a.days, a.duration = o.days, o.note
            if o.score is not None and a.score is None:
                a.score = o.score
        a.negatives = [o.note for o in negated]
        if text and slot == "associated":
            _polarise(a, text, picked, options)
        if text and slot == "site":
            _site_sides(a, text)
        if text and slot == "associated":
            _symptom_sides(a, text)
        if slot == "associated" and (chosen or a.none):
            # the checklist asks to tick what is present ("都没有就点以上都没有"), so the options shown and not
            # ticked are the pertinent negatives of this complaint — except what the patient has already said
            # (肚子疼，拉肚子 then not ticking 拉肚子 is not 无腹泻). A typed answer alone denies nothing unsaid.
            said = fold(prior)
            for o in options:
                if o.exclusive or o in picked or o.note in a.negatives:
                    continue
                pieces = [p for w in (o.label, o.says, o.note) for p in re.split(r"[/、，,（）()]", w) if len(p) >= 2]
                if said and any(not h.negated for h in find_terms(said, [fold(p) for p in pieces])):
                    a.positives.append(o.note)
                else:
                    a.negatives.append(o.note)
        if text and kind not in ("temperature", "date", "birth", "obstetric") and "temperature" not in a.values \
                and (temp := parse_temperature(text)) is not None and not re.search(r"以上|以下|左右|差不多|大概", text):
            a.values["temperature"] = temp  # told in passing (有点低烧37.8): the child's fever question is not asked again
        if text and slot in PREGNANCY_SLOTS:
            for k, v in parse_pregnancy(text, datetime.fromisoformat(a.at).date()).items():
                a.values.setdefault(k, v)
            self._late_period(a, picked)
        if text and kind != "duration":
            a.says.append(text)
        a.options = [o.id for o in picked]
        a.labels = [o.label for o in picked]
        return a

    def _late_period(self, a: Answered, picked: list[Option]) -> None:
        """An LMP told outside its own question (末次月经是两个月前, in the 月经 answer) more than five weeks ago
        is a late period for the red-flag check, as the LMP question's band would say — unless pregnant."""
        lmp_q = self.bank.questions.get("lmp")  # type: ignore[call-overload]
        days = a.values.get("lmp_days")
        if a.slot == "lmp" or lmp_q is None or days is None or days < 35 or any(o.id == "pregnant" for o in picked):
            return
        band = min((o for o in lmp_q.options if o.days is not None), default=None, key=lambda o: abs((o.days or 0) - days))
        if band is not None and band.says not in a.says:
            a.says.append(band.says)

    # ── red flags ──────────────────────────────────────────────────────────────────────────────────
    def statements(self, iv: Interview) -> str:
        """The complaint and every statement so far, in lay words, one sentence each."""
        parts = [s for a in iv.answers for s in a.says]
        return "。".join(p.strip("。") for p in parts if p.strip())

    def flag_text(self, iv: Interview) -> str:
        """What the red-flag check reads: every statement, with the answers about the past (过敏史, 既往史,
        用药史 …) marked as history, so that 磺胺过敏 told as an allergy is not an allergic reaction now; a
        recent word inside such an answer (刚才, 现在) leaves it as told: it may be happening now."""
        from yizhu.clinical.triage.knowledge import RECENT

        parts = []
        for a in iv.answers:
            for s in a.says:
                s = s.strip().strip("。")
                if s:
                    past = a.slot in HISTORY_SLOTS and not any(r in s for r in RECENT)
                    parts.append(f"{HISTORY_MARK}{s}" if past else s)
        return "。".join(parts)

    def pregnant(self, iv: Interview) -> bool | None:
        for a in iv.answers:
            if a.slot == "menstrual" and a.options:
                return any(o in ("pregnant", "maybe") for o in a.options)
        return None

    def _check_red_flags(self, iv: Interview) -> None:
        from yizhu.clinical.triage.engine import engine_for

        text = self.flag_text(iv)
        if not text:
            return
        res = engine_for(None, use_model=False).triage(text[:4000], age=iv.age, sex=iv.sex, pregnant=self.pregnant(iv))
        if res.red_flags:
            f = res.red_flags[0]
            iv.status = "red_flag"
            iv.red_flag = {"id": f["id"], "name": f["name"], "message": f["message"], "evidence": f["evidence"],
                           "source": f["source"], "after_answer": iv.answers[-1].seq if iv.answers else None}


#: answers about the past: read by the red-flag check as history (a far-past cue of the triage knowledge)
HISTORY_SLOTS = frozenset({"past", "past_child", "allergy", "meds", "obstetric", "vaccination", "birth", "development"})
HISTORY_MARK = "既往"
#: answers whose words may carry pregnancy facts (孕周, 验孕 result, LMP told in passing)
PREGNANCY_SLOTS = frozenset({"menstrual", "lmp", "obstetric"})

#: how the complaint given at check-in (by staff or the triage step) is recorded as an answer
CHECKIN_QUESTION = "主诉（建档或导诊时填写）"

_SIDES = {"左": "左侧", "右": "右侧", "双": "双侧", "两": "双侧"}
_PIECE = re.compile(r"[、/，,]|或")


def _site_sides(a: Answered, text: str) -> None:
    """The site as the patient named it, with its side (laterality.py): a tapped or matched site takes the side
    attached to its part (两个膝盖都疼，右边重 → 双侧膝关节（右侧为重）; 左边太阳穴 → 左侧颞部); a lateral part the
    options do not list is added (腰，左边屁股也疼 → 腰部, 左侧臀部); a lone side word with one site (左边, 太阳穴
    tapped) goes to that site."""
    from yizhu.clinical.intake import laterality

    sides = laterality.read(text)
    positives = list(a.positives)
    used: set[int] = set()
    for i, p in enumerate(positives):
        for n, sd in enumerate(sides):
            if p.startswith(("左", "右", "双")) and (sd.part in p or p in sd.part):
                used.add(n)  # the option is sided already (左胸)
                break
            if sd.part in p or p in sd.part:
                positives[i] = p.replace(sd.part, sd.wording("long")) if sd.part in p else sd.wording("long")
                used.add(n)
                break
    negated = re.compile(r"不是|没有|没|不")
    for part, at in laterality.parts_named(text):
        c0, _c1 = laterality.clause_of(text, at)
        if negated.search(text[c0:at]) or any(part in p for p in a.positives):
            continue
        sd = next((x for x in sides if x.start <= at < x.end), None)
        if sd is not None and sides.index(sd) in used:
            continue
        positives.append(sd.wording("long") if sd is not None else part)
    if not sides and len(a.positives) == 1:
        lone = {_SIDES[m[1]] for m in re.finditer(r"(左|右|双|两)(?:边|侧|面)", text.replace("左右", ""))}
        if len(lone) == 1:  # 左边 with 太阳穴 tapped → 左侧颞部
            side = lone.pop()
            positives = [p if p.startswith(("左", "右", "双")) else
                         (p.replace("单侧", side, 1) if p.startswith("单侧") else f"{side}{p}") for p in positives]
    a.positives = list(dict.fromkeys(positives))


def _symptom_sides(a: Answered, text: str) -> None:
    """A symptom told with the side of a limb or paired organ keeps it (左腿有点麻 → 左下肢麻木; 右眼红 → 右眼…):
    the side in the same clause as the symptom word."""
    from yizhu.clinical.intake import laterality, polarity
    from yizhu.clinical.triage.engine import _symptom_terms

    sides = laterality.read(text)
    if not sides:
        return
    terms = [(t, n) for t, n, _d, _r in _symptom_terms()]
    terms += [(p, p) for x in a.positives for p in _PIECE.split(x) if len(p) >= 2]
    found = [f for f in polarity.read(text, terms) if not f.negated]
    out = []
    for p in a.positives:
        f = next((f for f in found if f.name == p or f.name in p or p in f.name), None)
        sd = None
        if f is not None:
            c0, c1 = laterality.clause_of(text, f.start)
            sd = next((x for x in sides if c0 <= x.start < c1), None)
        if sd is None or sd.part in p:
            out.append(p.replace(sd.part, sd.wording(), 1) if sd is not None else p)
        else:
            out.append(f"{sd.wording()}{p}")
    a.positives = list(dict.fromkeys(out))


def _polarise(a: Answered, text: str, picked: list[Option], options: list[Option]) -> None:
    """Every symptom word in a typed answer keeps the polarity of its own clause (polarity.py): an option
    whose note joins several symptoms (恶心、呕吐) is written piece by piece, a negated piece as a negative;
    symptoms the options do not name are written too; 'normal' statements become record negatives."""
    from yizhu.clinical.intake import polarity
    from yizhu.clinical.triage.engine import _symptom_terms

    terms = [(t, n) for t, n, _d, _r in _symptom_terms()]
    for o in options:
        if o.exclusive:
            continue
        for p in _PIECE.split(o.note):
            if len(p.strip()) >= 2:
                terms.append((p.strip(), p.strip()))
    found = {f.name: f for f in polarity.read(text, terms)}
    positives: list[str] = []
    negatives = list(a.negatives)
    for o in picked:
        if o.exclusive:
            continue
        pieces = [p.strip() for p in _PIECE.split(o.note) if len(p.strip()) >= 2]
        told = [p for p in pieces if p in found]
        if not told:
            positives.append(o.note)  # tapped, or matched as a whole: as the option says
            continue
        positives += [p for p in told if not found[p].negated]
        negatives += [p for p in told if found[p].negated]
    for f in found.values():
        covered = any(f.name in x or x in f.name for x in positives + negatives)
        if not covered:
            (negatives if f.negated else positives).append(f.name)
    for n in polarity.normal_negatives(text):
        if not any(n in x for x in negatives):
            negatives.append(n)
    a.positives = list(dict.fromkeys(p for p in positives if p not in negatives))
    a.negatives = list(dict.fromkeys(negatives))


def default_engine() -> Engine:
    """An engine over the shipped bank with the gateway installed now (the app's, or one from yizhu.toml);
    the rule path alone when no model is routed. Cheap: the bank is loaded once."""
    try:
        from yizhu.llm.runtime import current_gateway

        gw = current_gateway()
    except Exception:  # a broken model config must not stop the interview: the rule path needs none
        gw = None
    return Engine(gateway=gw)
