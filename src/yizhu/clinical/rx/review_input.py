"""What every check reads: the resolved orders (``OrderView``), the patient facts, the knowledge base and a
per-review cache (``RxInput``), and the interaction index built once per knowledge base.

The engine builds an ``RxInput`` (``engine.build_input``); the rule registry (``rules.py``) and every check
family (``checks/``) only read it, so this module sits below both and imports neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from yizhu.clinical.rx.facts import PatientFacts
from yizhu.clinical.rx.parsing import COUNT_UNITS, Frequency, Route, convert, fmt_num, strength_of, unit_key
from yizhu.clinical.rx.resolve import DrugResolver, Resolution
from yizhu.core import ClinicalContext, MedicationOrder
from yizhu.knowledge.packs import KnowledgeBase
from yizhu.knowledge.schema import DrugItem, InteractionItem


@dataclass
class OrderView:
    """One medication order as the checks see it: resolved drug(s), parsed route and frequency."""

    index: int
    order: MedicationOrder
    resolution: Resolution
    frequency: Frequency
    route: Route
    focus: bool = True  # alerts must involve at least one focus order (the new/draft ones)

    @property
    def id(self) -> str:
        return self.order.id or f"o{self.index + 1}"

    @property
    def name(self) -> str:
        """The drug as written."""
        return self.order.drug

    @cached_property
    def items(self) -> tuple[DrugItem, ...]:
        return self.resolution.items

    @property
    def drug(self) -> DrugItem | None:
        """The single resolved drug (None for unknown drugs and combination products)."""
        return self.resolution.drug

    @property
    def is_combination(self) -> bool:
        return self.resolution.drug is None and len(self.resolution.components) > 1

    def dose_in(self, unit: str | None) -> float | None:
        """The single dose expressed in ``unit`` (None when absent or not convertible); a dose written in
        dose-form units (1袋, 5 ml, 2粒) is read through the strength the product name states."""
        if self.order.dose is None or unit is None:
            return None
        direct = convert(self.order.dose, self.order.unit, unit)
        if direct is not None:
            return direct
        per = self.per_unit_strength
        return None if per is None else convert(self.order.dose * per[0], per[1], unit)

    @cached_property
    def per_unit_strength(self) -> tuple[float, str] | None:
        """(amount, mass unit) in one unit of the order (one 袋, one ml) when the order is written in
        dose-form units and the product name states its strength; None otherwise."""
        u = unit_key(self.order.unit)
        if u is None or self.is_combination:
            return None
        strength = strength_of(self.order.drug)
        if u in ("ml", "毫升"):
            return strength.get("ml")
        if u in COUNT_UNITS:
            return strength.get("count")
        return None

    def daily_in(self, unit: str | None) -> float | None:
        """Dose × administrations per day in ``unit`` (None when frequency or units do not allow it)."""
        single = self.dose_in(unit)
        count = self.frequency.daily_count
        if single is None or count is None:
            return None
        return single * count

    @property
    def dose_text(self) -> str:
        if self.order.dose is None:
            return "—"
        written = f"{self.order.dose:g} {self.order.unit or ''}".strip()
        per = self.per_unit_strength if convert(1.0, self.order.unit, "mg") is None else None
        if per is None:
            return written
        return f"{written}（≈{fmt_num(self.order.dose * per[0])} {per[1]}）"


@dataclass
class RxInput:
    """What every check reads: orders, patient facts, the knowledge base and a per-review cache."""

    ctx: ClinicalContext
    orders: list[OrderView]
    facts: PatientFacts
    kb: KnowledgeBase
    resolver: DrugResolver
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def known(self) -> list[OrderView]:
        return [o for o in self.orders if o.items]

    @cached_property
    def interactions(self) -> InteractionIndex:
        return interaction_index(self.kb)


class InteractionIndex:
    """Interaction items with each side expanded to the drug ids it covers (built once per KB), so a pair
    lookup is a set intersection; results are cached per drug pair."""

    def __init__(self, items: list[InteractionItem], drugs: list[DrugItem]) -> None:
        self.items = items
        by_tag: dict[str, set[str]] = {}
        for d in drugs:
            for t in d.class_tags:
                by_tag.setdefault(t, set()).add(d.id)
        self.sides: list[tuple[frozenset[str], frozenset[str]]] = []
        self.by_drug: dict[str, set[int]] = {}
        for i, it in enumerate(items):
            expanded = tuple(
                frozenset(by_tag.get(side[6:], ())) if side.startswith("class:") else frozenset({side})
                for side in it.drugs
            )
            self.sides.append(expanded)  # type: ignore[arg-type]
            for drug_id in expanded[0] | expanded[1]:
                self.by_drug.setdefault(drug_id, set()).add(i)
        self._pairs: dict[tuple[str, str], list[InteractionItem]] = {}

    def between(self, a: DrugItem, b: DrugItem) -> list[InteractionItem]:
        """Every interaction item that applies to the pair (either order of sides)."""
        key = (a.id, b.id) if a.id <= b.id else (b.id, a.id)
        hit = self._pairs.get(key)
        if hit is not None:
            return hit
        out = []
        for i in sorted(self.by_drug.get(a.id, set()) & self.by_drug.get(b.id, set())):
            s0, s1 = self.sides[i]
            if (a.id in s0 and b.id in s1) or (b.id in s0 and a.id in s1):
                out.append(self.items[i])
        if len(self._pairs) < 200_000:
            self._pairs[key] = out
        return out


_INDEXES: dict[int, InteractionIndex] = {}


def interaction_index(kb: KnowledgeBase) -> InteractionIndex:
    """The interaction index of a knowledge base (cached per KB object)."""
    idx = _INDEXES.get(id(kb))
    if idx is None:
        idx = InteractionIndex(list(kb.pack("interaction")), list(kb.pack("drug")))
        _INDEXES.clear()  # one KB per process in practice; do not keep stale ones alive
        _INDEXES[id(kb)] = idx
    return idx
