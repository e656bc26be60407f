"""Drug names as doctors write them → drug-pack items.

Order of attempts (first hit wins): the shared normaliser ``yizhu.knowledge.terminology.normalise_drug``
when it is installed; the name and its variants (brackets, strength, packaging, dose form and salt removed,
:func:`~yizhu.clinical.rx.parsing.name_variants`) looked up by name, synonym, brand and salt in the pack; a
brand in brackets; the drug code (ATC); and last a combination product written as two or more known
names (氨氯地平贝那普利片). A name that resolves to nothing — or to several drugs equally — is *unknown*
and the review says so: an unrecognised drug is never passed as safe.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from yizhu.clinical.rx.parsing import name_variants
from yizhu.knowledge.packs import KnowledgeBase, normalize_term
from yizhu.knowledge.schema import DrugItem

#: How the shared normaliser matched that is trusted for review (not substring or fuzzy matches).
CONFIDENT_VIA = frozenset({"name", "synonym", "brand", "salt", "formulary", "stripped"})
_JOINERS = re.compile(r"[/、+＋和与及·\-]")


@dataclass(frozen=True)
class Resolution:
    """What a written name resolved to: one drug, or the components of a combination, and how."""

    text: str
    drug: DrugItem | None = None
    components: tuple[DrugItem, ...] = ()
    matched: str | None = None
    how: str | None = None  # name | variant | bracket | code | terminology | combination
    ambiguous: tuple[str, ...] = ()

    @cached_property
    def items(self) -> tuple[DrugItem, ...]:
        """The drug items this order gives (one, or each component of a combination)."""
        if self.drug is not None:
            return (self.drug,)
        return self.components

    @property
    def known(self) -> bool:
        return bool(self.items)


def _load_normaliser() -> Callable[[str], Any] | None:
    try:
        from yizhu.knowledge import terminology  # type: ignore[attr-defined]
    except ImportError:
        return None
    fn = getattr(terminology, "normalise_drug", None)
    return fn if callable(fn) else None


@dataclass
class DrugResolver:
    """Resolves written names against one knowledge base, with a cache (orders repeat the same names)."""

    kb: KnowledgeBase
    use_terminology: bool = True
    _cache: dict[tuple[str, str | None], Resolution] = field(default_factory=dict, repr=False)
    _by_atc: dict[str, DrugItem] = field(default_factory=dict, repr=False)
    _segment_terms: dict[str, DrugItem] = field(default_factory=dict, repr=False)
    _max_term: int = 0

    def __post_init__(self) -> None:
        for item in self.kb.pack("drug"):
            if item.atc and len(item.atc) == 7:
                self._by_atc.setdefault(item.atc, item)
        for term, items in self.kb.terms("drug").items():
            uniq = {i.id for i in items}
            if len(uniq) == 1 and len(term) >= 2 and not term.isascii():
                self._segment_terms[term] = items[0]  # type: ignore[assignment]
        self._max_term = max((len(t) for t in self._segment_terms), default=0)
        self._normaliser = _load_normaliser() if self.use_terminology else None

    def _lookup(self, term: str) -> tuple[DrugItem | None, tuple[str, ...]]:
        hits = [h for h in self.kb.find(term, "drug") if isinstance(h, DrugItem)]
        if not hits:
            return None, ()
        ids = {h.id for h in hits}
        if len(ids) == 1:
            return hits[0], ()
        key = normalize_term(term)
        primary = [h for h in hits if normalize_term(h.name) == key]
        if len({h.id for h in primary}) == 1:
            return primary[0], ()
        return None, tuple(sorted(ids))

    def _terminology(self, text: str) -> tuple[DrugItem | None, str | None]:
        """(drug, suggestion): a confident match of the shared normaliser (it also knows the hospital's
        imported formulary), or only a suggestion when it matched by substring or fuzzily — a review must
        not check the wrong drug."""
        if self._normaliser is None:
            return None, None
        try:
            out = self._normaliser(text)
        except Exception:  # a broken shared normaliser must not stop the review; fall back to ours
            return None, None
        if out is None:
            return None, None
        item_id = getattr(out, "id", None)
        via = getattr(out, "via", None)
        if not isinstance(item_id, str) or item_id not in self.kb.pack("drug"):
            return None, None
        if via in CONFIDENT_VIA:
            return self.kb.pack("drug").get(item_id), None
        return None, item_id

    def _combination(self, base: str) -> tuple[DrugItem, ...]:
        """Split a name into two or more known drug names covering it entirely, or nothing."""
        s = normalize_term(_JOINERS.sub("", base.removeprefix("复方")))
        n = len(s)
        if n < 4 or not self._segment_terms:
            return ()
        best: list[list[DrugItem] | None] = [None] * (n + 1)
        best[0] = []
        for i in range(n):
            if best[i] is None:
                continue
            for j in range(min(n, i + self._max_term), i + 1, -1):
                item = self._segment_terms.get(s[i:j])
                if item is not None:
                    cand = [*best[i], item]  # type: ignore[misc]
                    if best[j] is None or len(cand) < len(best[j]):  # type: ignore[arg-type]
                        best[j] = cand
        parts = best[n]
        if parts is None or len({p.id for p in parts}) < 2:
            return ()
        unique: dict[str, DrugItem] = {}
        for p in parts:
            unique.setdefault(p.id, p)
        return tuple(unique.values())

    def _english_combination(self, candidates: tuple[str, ...]) -> tuple[DrugItem, ...]:
        """``amoxicillin/clavulanate`` → each ingredient, when every one is a known drug."""
        for cand in candidates:
            if not cand.isascii() or "/" not in cand:
                continue
            found: dict[str, DrugItem] = {}
            for part in (p.strip() for p in cand.split("/")):
                item, _ = self._lookup(part) if part else (None, ())
                if item is None:
                    break
                found.setdefault(item.id, item)
            else:
                if len(found) >= 2:
                    return tuple(found.values())
        return ()

    def resolve(self, text: str, code: str | None = None) -> Resolution:
        """The drug a written name means; see the module docstring for the order of attempts."""
        key = (text, code)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        res = self._resolve(text, code)
        if len(self._cache) < 20000:
            self._cache[key] = res
        return res

    def _resolve(self, text: str, code: str | None) -> Resolution:
        variants = name_variants(text)
        ambiguous: tuple[str, ...] = ()
        for i, cand in enumerate(variants.candidates):
            item, amb = self._lookup(cand)
            if item is not None:
                return Resolution(text, item, matched=cand, how="name" if i == 0 else "variant")
            ambiguous = ambiguous or amb
        for b in variants.bracketed:
            for cand in name_variants(b).candidates:
                item, _ = self._lookup(cand)
                if item is not None:
                    return Resolution(text, item, matched=b, how="bracket")
        if code:
            atc = unicodedata.normalize("NFKC", code).strip().upper()
            if atc in self._by_atc:
                return Resolution(text, self._by_atc[atc], matched=atc, how="code")
        if not ambiguous:
            base = variants.candidates[-1] if variants.candidates else text
            parts = self._combination(base) or self._english_combination(variants.candidates)
            if parts:
                return Resolution(text, None, components=parts, matched=base, how="combination")
        item, suggestion = self._terminology(text)
        if item is not None:
            return Resolution(text, item, matched=text, how="terminology")
        if suggestion and not ambiguous:
            ambiguous = (suggestion,)
        return Resolution(text, None, ambiguous=ambiguous)


@lru_cache(maxsize=4)
def resolver_for(kb: KnowledgeBase) -> DrugResolver:
    """One cached resolver per knowledge base (the process normally has one)."""
    return DrugResolver(kb)
