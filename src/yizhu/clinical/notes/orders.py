"""What a doctor orders or advises in a dialogue: drafted into the plan, or listed as left out (``orders.yaml``).

The general plan vocabulary (``safety/plan_terms.yaml``) knows the tests, procedures and instructions of an
outpatient visit; this adds what it misses — devices and procedures said in ward words (上无创呼吸机, 溶栓),
and advice said in everyday words (把烟戒了, 防螨床罩, 戴腰围; spoken forms are written in record wording
through the shared colloquial lexicon) — and lists every order of a doctor's
turn (a drug given with a dose, route or ordering word; a term of either vocabulary) as an item of the
omission check, so an order the draft has no place for (入院记录 has no plan) is shown as left out.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from yizhu.clinical.notes.sources import SourceSet
from yizhu.datafile import load_yaml_model
from yizhu.knowledge.terminology.text import fold
from yizhu.safety.entities import drug_key, drug_not_ordered, extract
from yizhu.safety.grounding import split_sentences
from yizhu.safety.omission import SourceItem, clauses, plan_terms, plan_terms_in

ORDERS_FILE = Path(__file__).parent / "orders.yaml"


class OrderTerm(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(min_length=1)
    kind: Literal["procedure", "test", "instruction", "follow_up", "vaccination", "treatment"]
    said: tuple[str, ...] = Field(min_length=1)
    record: str = Field(min_length=1)


class OrderTerms(BaseModel):
    """``orders.yaml``: order terms with the forms that name them and their record wording."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=10)
    not_ordered: tuple[str, ...] = ()
    drug_cues: tuple[str, ...] = Field(min_length=1)
    advice: tuple[str, ...] = ()
    terms: tuple[OrderTerm, ...] = Field(min_length=1)


@lru_cache(maxsize=1)
def order_vocabulary() -> OrderTerms:
    v = load_yaml_model(ORDERS_FILE, OrderTerms, "order terms")
    for t in v.terms:
        if t.key not in t.record:
            raise ValueError(f"orders.yaml: record wording {t.record!r} does not carry the key {t.key!r}")
    return v


@lru_cache(maxsize=1)
def _forms() -> tuple[re.Pattern[str], dict[str, OrderTerm]]:
    by_form: dict[str, OrderTerm] = {}
    for t in order_vocabulary().terms:
        for f in t.said:
            by_form.setdefault(f, t)
    return re.compile("|".join(re.escape(f) for f in sorted(by_form, key=len, reverse=True))), by_form


_QUESTION = re.compile(r"[?？吗]|有没有|是不是|会不会|要不要|能不能|可不可以|行不行")


def _not_an_order(clause: str) -> bool:
    v = order_vocabulary()
    return bool(_QUESTION.search(clause) or any(w in clause for w in plan_terms().past)
                or any(w in clause for w in v.not_ordered))


def order_terms(clause: str) -> list[OrderTerm]:
    """The order terms a clause orders (上无创呼吸机, 把烟戒了, 用防螨床罩); [] for a question, history, or a
    term said as not needed (鼻窦CT暂时不用做)."""
    if _not_an_order(clause):
        return []
    rx, by_form = _forms()
    return list({id(by_form[m.group(0)]): by_form[m.group(0)] for m in rx.finditer(clause)}.values())


@lru_cache(maxsize=1)
def _advice() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in order_vocabulary().advice)


def advice_in(clause: str) -> str | None:
    """最近别吃海鲜 → 吃海鲜, 多晒太阳 → 晒太阳: what a clause advises to avoid or to do; None when it advises
    nothing (a question, 别担心)."""
    if _QUESTION.search(clause):
        return None
    for rx in _advice():
        m = rx.match(clause.strip())
        if m:
            return m.group("what")
    return None


def is_advice(clause: str) -> bool:
    return advice_in(clause) is not None


_GIVEN_BEFORE = re.compile(r"(?:予以?|给予|改用|加用|换用|使用)\s*$")
_THEN_GIVE = re.compile(r"(?:就|的话|则|再|便)\s*(?:用|上|打|给|予|开|加|换)?\s*$")
_DENIED_GIVING = re.compile(r"(?:未|不|暂不|没有?|无需|无须)\s*(?:予以?|给予|使用|用)\s*$")
_DENIED_RIGHT_BEFORE = re.compile(r"(?:未|无|没有?|不|停|停用|禁用|避免)\s*(?:予以?|给予|使用|用)?\s*$")
#: a route or purpose said right after a drug: it is being given (缩宫素静滴引产, 低分子肝素皮下注射)
_USE_AFTER = re.compile(r"\s*(?:注射液|片|胶囊)?\s*(?:\d|静滴|静推|静注|泵入|口服|皮下|肌注|静脉|引产|催产|抗凝|抗感染|解痉|止血)")
#: words that are part of a product's name before the pack's generic (低分子肝素, 重组人胰岛素, 注射用头孢曲松)
_PRODUCT_PREFIX = re.compile(r"(?:低分子|普通|重组人?|注射用|长效|短效|速效|精蛋白)$")


def order_items(S: SourceSet) -> list[SourceItem]:
    """Every order of a doctor's turn as an omission item: each drug given (a dose, a route or an ordering word
    in its clause) and each order term of either vocabulary (keys the draft must carry)."""
    v = order_vocabulary()
    out: list[SourceItem] = []
    for src in S.of_kind("turn"):
        if src.speaker != "doctor":
            continue
        t = src.text
        for a, b in split_sentences(t):
            s = t[a:b]
            # the drugs of the sentence, read once (a clause's own reading would see the same names)
            drugs = [m for m in extract(s) if m.type == "drug"] if any(c in s for c in v.drug_cues) else []
            starts = sorted(m.start for m in drugs)
            for c0, c1 in clauses(s):
                clause = s[c0:c1]
                at = a + c0
                if _not_an_order(clause):
                    continue
                for m in drugs:
                    # 无宫缩予缩宫素引产: a drug right after a word of giving is given, whatever was denied before it
                    # (若12小时未临产，缩宫素静滴引产: the drug with its route or purpose after it, no denial right before)
                    before = s[max(c0, m.start - 6):m.start]
                    # (12小时还没发动就打催产素: what follows 就 after a condition is given, the condition's 没 is not its)
                    given = (bool(_GIVEN_BEFORE.search(before)) and not _DENIED_GIVING.search(before)) or bool(
                        _THEN_GIVE.search(before)) or (
                        not _DENIED_RIGHT_BEFORE.search(before) and bool(_USE_AFTER.match(s, m.end)))
                    if not (c0 <= m.start and m.end <= c1) or (m.negated and not given) or _DENIED_GIVING.search(before) \
                            or drug_not_ordered(s, m.start, m.end):
                        continue
                    # 硫酸镁解痉，首剂4克静推: the dose and route may follow in the next clauses, up to the next drug
                    upto = next((x for x in starts if x > m.end), len(s))
                    if any(c in s[c0:upto] for c in v.drug_cues):
                        # 低分子肝素: the product is named whole, with the word before the pack's name
                        pre = _PRODUCT_PREFIX.search(s[c0:m.start])
                        m0 = m.start - (len(pre.group(0)) if pre else 0)
                        said = s[m0:m.end]
                        # 催产素 is the pack's 缩宫素: the item names both, so a reader finds it under either name
                        pack = m.concept.split(":", 1)[1] if m.concept.startswith("drug:") else ""
                        if pack and not re.search(r"[A-Za-z]", pack) and pack not in said and said not in pack:
                            said = f"{said}（{pack}）"
                        out.append(SourceItem("medication", said, src.id, a + m0, a + m.end,
                                              frozenset({m.concept, "drugkey:" + drug_key(m.text)})))
                terms = order_terms(clause)
                what = None if terms else advice_in(clause)
                if what:
                    # the thing advised (提重物 of 这两周不要提重物) is what the draft must carry, in any wording
                    core = re.sub(r"[一二两三四五六七八九十半几\d].*$", "", what)[:4]
                    keys = frozenset({f"plan:instruction:{fold(core)}"}) if len(core) >= 2 else frozenset()
                    out.append(SourceItem("plan", clause.strip(), src.id, at, at + len(clause), keys))
                if terms:
                    keys = {f"plan:{x.kind}:{fold(x.key)}" for x in terms}
                    keys |= {f"plan:{k}:{fold(w)}" for k, w in plan_terms_in(clause)}
                    out.append(SourceItem("plan", clause.strip(), src.id, at, at + len(clause), frozenset(keys)))
    return out


__all__ = ["OrderTerm", "OrderTerms", "advice_in", "is_advice", "order_items", "order_terms", "order_vocabulary"]
