"""Drug names as doctors write them → drug-pack items.

An order line is first split into its products (:func:`~yizhu.clinical.rx.parsing.split_order_line`):
carriers (0.9%氯化钠, 5%葡萄糖, 灭菌注射用水 — ``rules/carriers.yaml``) are recognised and set aside, or
become the hypertonic drug they are above their carrier concentration (10%氯化钠, 50%葡萄糖); each active
product is then resolved. Order of attempts for one product (first hit wins): the name and its variants
(brackets, strength, packaging, dose form, premix carrier and salt removed,
:func:`~yizhu.clinical.rx.parsing.name_variants`) looked up by name, synonym, brand and salt in the pack;
a compound product of ``rules/compound_products.yaml`` (复方氨酚烷胺 → its ingredients); a brand in
brackets; the drug code (ATC); a combination written as known names and the ingredient abbreviations of
compound names (氨氯地平贝那普利片, 洛芬待因); the shared normaliser
``yizhu.knowledge.terminology.normalise_drug`` (trusted only for exact and stripped matches). A name that
resolves to nothing — or to several drugs equally — is *unknown* and the review says so: an unrecognised
drug is never passed as safe.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Any

from yizhu.clinical.rx.parsing import OrderLine, name_variants, split_order_line
from yizhu.clinical.rx.tables import table
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
    how: str | None = None  # name | variant | product | bracket | code | combination | terminology | carrier | concentration | line
    ambiguous: tuple[str, ...] = ()
    carrier: str | None = None  # the carrier written with (or around) the active, e.g. 氯化钠注射液（0.9%）
    other: tuple[str, ...] = ()  # ingredients of a compound product that the pack does not hold
    unresolved: tuple[str, ...] = ()  # products of a multi-product line that resolved to nothing

    @cached_property
    def items(self) -> tuple[DrugItem, ...]:
        """The drug items this order gives (one, or each component of a combination)."""
        if self.drug is not None:
            return (self.drug,)
        return self.components

    @property
    def known(self) -> bool:
        """Resolved to drugs, or a carrier only; an order line with an unresolved product is not known."""
        return (bool(self.items) or (self.carrier is not None and self.how == "carrier")) and not self.unresolved


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
    _abbrev: dict[str, tuple[DrugItem | None, str | None]] = field(default_factory=dict, repr=False)
    _products: dict[str, tuple[tuple[DrugItem, ...], tuple[str, ...]]] = field(default_factory=dict, repr=False)
    _form_stripped: dict[str, DrugItem] = field(default_factory=dict, repr=False)
    _max_term: int = 0

    def __post_init__(self) -> None:
        for item in self.kb.pack("drug"):
            if item.atc and len(item.atc) == 7:
                self._by_atc.setdefault(item.atc, item)
        for term, items in self.kb.terms("drug").items():
            uniq = {i.id for i in items}
            if len(uniq) == 1 and len(term) >= 2 and not term.isascii():
                self._segment_terms[term] = items[0]  # type: ignore[assignment]
        # pack names that carry a dose form (蒙脱石散, 复方丹参滴丸): also found by the name without it; names
        # with a strength (10%氯化钠注射液) are not, because the concentration is what tells those drugs apart
        stripped: dict[str, set[str]] = {}
        by_id: dict[str, DrugItem] = {}
        for term, items in self.kb.terms("drug").items():
            if term.isascii() or any(ch.isdigit() for ch in term):
                continue
            v = name_variants(term)
            if v.base and v.base != term and len(v.base) >= 2:
                key = normalize_term(v.base)
                for it in items:
                    stripped.setdefault(key, set()).add(it.id)
                    by_id[it.id] = it  # type: ignore[assignment]
        self._form_stripped = {k: by_id[next(iter(ids))] for k, ids in stripped.items() if len(ids) == 1}
        pack = self.kb.pack("drug")
        for row in table("compound_products").values():
            if row.get("kind") == "product":
                comps = tuple(pack.get(c) for c in row.get("components", []) if c in pack)
                for n in row.get("names", []):
                    self._products[normalize_term(n)] = (comps, tuple(row.get("other", [])))
            elif row.get("kind") == "abbreviation":
                drug = pack.get(row["drug"]) if row.get("drug") in pack else None
                self._abbrev[normalize_term(row["abbr"])] = (drug, row.get("ingredient"))
        self._max_term = max((len(t) for t in [*self._segment_terms, *self._abbrev]), default=0)
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
        matched = getattr(out, "matched", None)
        if isinstance(matched, str) and matched.isascii() and len(matched.replace(" ", "")) <= 3 and (
            normalize_term(matched) != normalize_term(text)
        ):
            return None, None  # "AD钙" stripped to "AD" (epinephrine): a short abbreviation inside a longer name
        if via in CONFIDENT_VIA:
            return self.kb.pack("drug").get(item_id), None
        return None, item_id

    def _combination(self, base: str) -> tuple[tuple[DrugItem, ...], tuple[str, ...]]:
        """Split a name into known drug names and compound-name abbreviations covering it entirely
        (氨氯地平贝那普利 → amlodipine + benazepril; 洛芬待因 → ibuprofen + codeine): (drugs, other ingredients).

        A one-character abbreviation (酚麻美敏) counts only in a name made of abbreviations alone, three or
        more of them, so an unknown name is not read as a drug plus a stray character."""
        s = normalize_term(_JOINERS.sub("", base.removeprefix("复方")))
        n = len(s)
        if n < 2 or not (self._segment_terms or self._abbrev):
            return (), ()
        # best[i]: the fewest segments covering s[:i]; a segment is (drug or None, ingredient or None, is_abbrev, len)
        best: list[list[tuple[DrugItem | None, str | None, bool, int]] | None] = [None] * (n + 1)
        best[0] = []
        for i in range(n):
            if best[i] is None:
                continue
            for j in range(min(n, i + self._max_term), i, -1):
                piece = s[i:j]
                seg: tuple[DrugItem | None, str | None, bool, int] | None = None
                if j - i >= 2 and piece in self._segment_terms:
                    seg = (self._segment_terms[piece], None, False, j - i)
                elif piece in self._abbrev:
                    drug, ingredient = self._abbrev[piece]
                    seg = (drug, ingredient, True, j - i)
                if seg is not None:
                    cand = [*best[i], seg]  # type: ignore[misc]
                    if best[j] is None or len(cand) < len(best[j]):  # type: ignore[arg-type]
                        best[j] = cand
        parts = best[n]
        if not parts or len(parts) < 2:
            return (), ()
        if any(p[3] == 1 for p in parts) and (len(parts) < 3 or not all(p[2] for p in parts)):
            return (), ()
        unique: dict[str, DrugItem] = {}
        other: list[str] = []
        for drug, ingredient, _, _ in parts:
            if drug is not None:
                unique.setdefault(drug.id, drug)
            if ingredient and ingredient not in other:
                other.append(ingredient)
        if not unique or (len(unique) < 2 and not other):
            return (), ()
        return tuple(unique.values()), tuple(other)

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
        item, _ = self._lookup(text)
        if item is not None:
            return Resolution(text, item, matched=text, how="name")
        line = split_order_line(text)
        if line.carriers or len(line.actives) > 1:
            return self._resolve_line(text, code, line)
        return self._resolve_product(text, code)

    def _resolve_line(self, text: str, code: str | None, line: OrderLine) -> Resolution:
        """An order line of several products, or with a carrier: each active resolved, carriers set aside
        (or reviewed as the hypertonic drug they are above their carrier concentration)."""
        pack = self.kb.pack("drug")
        items: dict[str, DrugItem] = {}
        carrier: str | None = None
        for c, pct in line.carriers:
            if pct is not None and c.max_percent is not None and pct > c.max_percent and c.above in pack:
                strong = pack.get(c.above)
                items.setdefault(strong.id, strong)
            elif carrier is None:
                carrier = c.label
        parts = [self.resolve(a, code if len(line.actives) == 1 else None) for a in line.actives]
        unresolved = tuple(p.text for p in parts if not p.known)
        other: list[str] = []
        for p in parts:
            for i in p.items:
                items.setdefault(i.id, i)
            other.extend(x for x in p.other if x not in other)
        if not items:
            if not line.actives:
                return Resolution(text, None, matched=carrier, how="carrier", carrier=carrier)
            amb = parts[0].ambiguous if len(parts) == 1 else ()
            return Resolution(text, None, ambiguous=amb, carrier=carrier, unresolved=unresolved)
        if len(parts) == 1 and not line.carriers[1:] and len(items) == len(parts[0].items):
            return replace(parts[0], text=text, carrier=carrier)  # one active with its carrier
        values = tuple(items.values())
        if len(values) == 1 and not unresolved:
            how = "concentration" if not line.actives else "line"
            return Resolution(text, values[0], matched=values[0].name, how=how, carrier=carrier)
        return Resolution(text, None, components=values, matched="+".join(i.name for i in values), how="line",
                          carrier=carrier, other=tuple(other), unresolved=unresolved)

    def _product(self, candidates: tuple[str, ...]) -> tuple[str, tuple[DrugItem, ...], tuple[str, ...]] | None:
        for cand in candidates:
            key = normalize_term(cand)
            hit = self._products.get(key) or self._products.get(key.removeprefix("复方"))
            if hit is not None:
                return cand, *hit
        return None

    def _resolve_product(self, text: str, code: str | None) -> Resolution:
        variants = name_variants(text)
        ambiguous: tuple[str, ...] = ()
        core = normalize_term(variants.core)
        for i, cand in enumerate(variants.candidates):
            if i and cand.isascii() and len(cand.replace(" ", "")) <= 3 and normalize_term(cand) != core:
                continue  # a short abbreviation left after removing words (AD滴剂 → "AD") is not that drug
            item, amb = self._lookup(cand)
            if item is not None:
                return Resolution(text, item, matched=cand, how="name" if i == 0 else "variant")
            ambiguous = ambiguous or amb
        for cand in variants.candidates:
            item = self._form_stripped.get(normalize_term(cand))
            if item is not None and not ambiguous:
                return Resolution(text, item, matched=cand, how="variant")
        product = self._product(variants.candidates)
        if product is not None:
            matched, comps, other = product
            # a compound product is never one drug for dose checks, even when the pack holds one ingredient
            return Resolution(text, None, components=comps, matched=matched, how="product", other=other)
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
            for base in dict.fromkeys(reversed(variants.candidates[-3:])):
                parts, other = self._combination(base)
                if parts:
                    return Resolution(text, None, components=parts, matched=base, how="combination", other=other)
            parts = self._english_combination(variants.candidates)
            if parts:
                return Resolution(text, None, components=parts, matched=text, how="combination")
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
