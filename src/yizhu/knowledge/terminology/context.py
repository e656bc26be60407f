"""ConText for Chinese clinical text: is a mention negated, uncertain, historical, or about the family?

Usable on its own (QC and grounding call it with their own spans)::

    >>> from yizhu.knowledge.terminology.context import ConTextEngine
    >>> eng = ConTextEngine.default()
    >>> text = "无发热，咳嗽3天，肺炎可能"
    >>> [a.negated for a in eng.assess(text, [(1, 3), (4, 6)])]
    [True, False]
    >>> eng.assess(text, [(9, 11)])[0].uncertain
    True

Rules are data (``context_rules.yaml``): trigger literal, category, direction, scope. Triggers are found
with one Aho–Corasick automaton; a trigger that overlaps a mention is ignored (无痛性血尿 is not negated
by its own 无), and the longest non-overlapping trigger wins (无明显诱因 is a pseudo-trigger, not 无).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import ahocorasick
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from yizhu.errors import ConfigError
from yizhu.knowledge.terminology.text import fold

Category = Literal["NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HISTORICAL", "FAMILY", "TERMINATE", "PSEUDO", "SECTION"]
Direction = Literal["FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"]
Scope = Literal["clause", "sentence", "section"]
MODIFIER_CATEGORIES = ("NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HISTORICAL", "FAMILY")

DEFAULT_RULES = Path(__file__).resolve().parent.parent / "context_rules.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ContextRule(_Strict):
    """One trigger: a literal with a category, a direction and a scope."""

    literal: str = Field(min_length=1)
    category: Category
    direction: Direction
    scope: Scope = "clause"
    max_scope: int | None = Field(default=None, gt=0, description="characters; default per direction")
    allowed_types: list[str] | None = Field(default=None, description="entity types it may modify")
    id: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ContextRule:
        if (self.category in ("TERMINATE", "SECTION")) != (self.direction == "TERMINATE"):
            raise ValueError(f"'{self.literal}': TERMINATE direction goes with TERMINATE/SECTION category only")
        if (self.category == "PSEUDO") != (self.direction == "PSEUDO"):
            raise ValueError(f"'{self.literal}': PSEUDO direction goes with PSEUDO category only")
        return self

    @property
    def rule_id(self) -> str:
        """Versioned id shown with every assertion this rule makes."""
        return self.id or f"context.{self.category.lower()}.{fold(self.literal)}"


class ContextMeta(_Strict):
    name: str
    version: str
    source: str


class ContextDefaults(_Strict):
    max_scope: dict[Literal["FORWARD", "BACKWARD"], int] = Field(default_factory=lambda: {"FORWARD": 40, "BACKWARD": 20})
    clause_terminators: str = ",;。!?\n"
    sentence_terminators: str = ";。!?\n"


class ContextRuleSet(_Strict):
    """A rules file: header, defaults, which categories cut each other's scope, the rules."""

    meta: ContextMeta = Field(alias="_meta")
    defaults: ContextDefaults = Field(default_factory=ContextDefaults)
    terminated_by: dict[Category, list[Category]] = Field(default_factory=dict)
    rules: list[ContextRule]

    @model_validator(mode="after")
    def _unique(self) -> ContextRuleSet:
        seen: dict[str, str] = {}
        for r in self.rules:
            k = fold(r.literal)
            if k in seen:
                raise ValueError(f"literal '{r.literal}' appears twice (also as '{seen[k]}'); keep one rule per literal")
            seen[k] = r.literal
        return self

    @classmethod
    def from_yaml(cls, path: Path | str) -> ContextRuleSet:
        """Load and validate a rules file; errors name the file and the rule."""
        path = Path(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"{path}: cannot read ConText rules ({exc}); fix the file") from exc
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(x) for x in err["loc"])
            raise ConfigError(f"{path}: {loc}: {err['msg']}; fix the rule") from exc


@dataclass(frozen=True, slots=True)
class Trigger:
    """A rule matched in a text."""

    rule: ContextRule
    start: int
    end: int


@dataclass(slots=True)
class Assertion:
    """What ConText says about one mention, and which triggers said it."""

    negated: bool = False
    uncertain: bool = False
    historical: bool = False
    family: bool = False
    modifiers: list[Trigger] = field(default_factory=list)

    @property
    def rule_ids(self) -> list[str]:
        """The rule ids that modified the mention (provenance)."""
        return [t.rule.rule_id for t in self.modifiers]


_FLAG = {"NEGATED_EXISTENCE": "negated", "POSSIBLE_EXISTENCE": "uncertain", "HISTORICAL": "historical",
         "FAMILY": "family"}


def _span(s: Any) -> tuple[int, int]:
    if isinstance(s, tuple):
        return s[0], s[1]
    return s.start, s.end


class ConTextEngine:
    """Assign negation, uncertainty, history and family to mention spans, by rule."""

    def __init__(self, rules: ContextRuleSet) -> None:
        self.rules = rules
        self._auto = ahocorasick.Automaton()
        for i, r in enumerate(rules.rules):
            k = fold(r.literal)
            self._auto.add_word(k, (len(k), i))
        self._auto.make_automaton()
        d = rules.defaults
        self._clause = re.compile("[" + re.escape(d.clause_terminators) + "]")
        self._sentence = re.compile("[" + re.escape(d.sentence_terminators) + "]")
        self._max = {"FORWARD": d.max_scope.get("FORWARD", 40), "BACKWARD": d.max_scope.get("BACKWARD", 20)}
        self._cut_by = {c: set(v) for c, v in rules.terminated_by.items()}

    @classmethod
    def default(cls) -> ConTextEngine:
        """The engine of the shipped rules (cached)."""
        return _default_engine()

    @classmethod
    def from_yaml(cls, path: Path | str) -> ConTextEngine:
        """An engine from a hospital's own rules file."""
        return cls(ContextRuleSet.from_yaml(path))

    def triggers(self, text: str, spans: Sequence[Any] = (), *, folded: bool = False) -> list[Trigger]:
        """Triggers in the text, longest first, ignoring any that overlap a mention span."""
        t = text if folded else fold(text)
        covered = bytearray(len(t))
        for s in spans:
            a, b = _span(s)
            covered[a:b] = b"\x01" * (b - a)
        found: list[tuple[int, int, int]] = []
        for end, (length, idx) in self._auto.iter(t):
            start = end - length + 1
            if covered.find(1, start, end + 1) == -1:
                found.append((start, -length, idx))
        found.sort()
        out: list[Trigger] = []
        last = 0
        rules = self.rules.rules
        for start, neg_len, idx in found:
            if start >= last:
                out.append(Trigger(rules[idx], start, start - neg_len))
                last = start - neg_len
        return out

    def assess(
        self,
        text: str,
        spans: Sequence[Any],
        types: Sequence[str | None] | None = None,
        *,
        folded: bool = False,
    ) -> list[Assertion]:
        """One Assertion per span (``(start, end)`` pairs or objects with start/end), in input order."""
        n = len(spans)
        result = [Assertion() for _ in range(n)]
        if not n:
            return result
        t = text if folded else fold(text)
        pairs = [_span(s) for s in spans]
        trig = self.triggers(t, pairs, folded=True)
        if not trig:
            return result
        order = sorted(range(n), key=lambda i: pairs[i][0])
        starts = [pairs[i][0] for i in order]

        clause_at = [m.start() for m in self._clause.finditer(t)]
        sent_at = [m.start() for m in self._sentence.finditer(t)]
        clause_fwd = list(clause_at)
        sent_fwd = list(sent_at)
        section_fwd: list[int] = []
        by_cat_start: dict[str, list[int]] = {}
        by_cat_end: dict[str, list[int]] = {}
        for tr in trig:
            cat = tr.rule.category
            if cat in ("TERMINATE", "SECTION"):
                clause_fwd.append(tr.start)
                sent_fwd.append(tr.start)
            if cat == "SECTION" or tr.rule.scope == "section":
                section_fwd.append(tr.start)
            by_cat_start.setdefault(cat, []).append(tr.start)
            by_cat_end.setdefault(cat, []).append(tr.end)
        clause_fwd.sort()
        sent_fwd.sort()
        # A backward scope starts just after a stop; a TERMINATE trigger's stop is its end.
        clause_bwd = sorted([p + 1 for p in clause_at] +
                            [tr.end for tr in trig if tr.rule.category in ("TERMINATE", "SECTION")])
        sent_bwd = sorted([p + 1 for p in sent_at] +
                          [tr.end for tr in trig if tr.rule.category in ("TERMINATE", "SECTION")])
        fwd_stops = {"clause": clause_fwd, "sentence": sent_fwd, "section": section_fwd}
        bwd_stops = {"clause": clause_bwd, "sentence": sent_bwd, "section": [0]}
        size = len(t)

        for tr in trig:
            rule = tr.rule
            if rule.category not in _FLAG:
                continue
            flag = _FLAG[rule.category]
            cut_cats = self._cut_by.get(rule.category, ())
            if rule.direction in ("FORWARD", "BIDIRECTIONAL"):
                s = tr.end
                limit = size if rule.scope == "section" else s + (rule.max_scope or self._max["FORWARD"])
                e = limit
                stops = fwd_stops[rule.scope]
                k = bisect_left(stops, s)
                if k < len(stops):
                    e = min(e, stops[k])
                for c in cut_cats:
                    cs = by_cat_start.get(c, ())
                    k = bisect_left(cs, s)
                    if k < len(cs):
                        e = min(e, cs[k])
                self._mark(result, order, starts, pairs, types, s, e, tr, flag)
            if rule.direction in ("BACKWARD", "BIDIRECTIONAL"):
                e = tr.start
                s = max(0, e - (rule.max_scope or self._max["BACKWARD"]))
                stops = bwd_stops[rule.scope]
                k = bisect_right(stops, e) - 1
                if k >= 0:
                    s = max(s, stops[k])
                for c in cut_cats:
                    ce = sorted(by_cat_end.get(c, ()))
                    k = bisect_right(ce, e) - 1
                    if k >= 0:
                        s = max(s, ce[k])
                self._mark(result, order, starts, pairs, types, s, e, tr, flag)
        return result

    @staticmethod
    def _mark(result: list[Assertion], order: list[int], starts: list[int], pairs: list[tuple[int, int]],
              types: Sequence[str | None] | None, s: int, e: int, tr: Trigger, flag: str) -> None:
        if e <= s:
            return
        allowed = tr.rule.allowed_types
        for k in range(bisect_left(starts, s), bisect_left(starts, e)):
            i = order[k]
            if pairs[i][1] > e and tr.rule.direction == "BACKWARD":
                continue
            if allowed is not None and (types is None or types[i] not in allowed):
                continue
            a = result[i]
            setattr(a, flag, True)
            a.modifiers.append(tr)

    def is_negated(self, text: str, start: int, end: int) -> bool:
        """Whether the mention ``text[start:end]`` is negated (for QC and grounding checks)."""
        return self.assess(text, [(start, end)])[0].negated


@lru_cache(maxsize=1)
def _default_engine() -> ConTextEngine:
    return ConTextEngine(ContextRuleSet.from_yaml(DEFAULT_RULES))
