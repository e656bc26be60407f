"""The one allergy model: what an allergy as written covers, and whether a drug conflicts with it.

Prescription review (``clinical/rx``) and record QC (``clinical/qc``) both ask it, so they can never
disagree on an allergy × drug pair. It is built from

* the drug pack: each drug's ``allergy_group`` and ``cross_reactivity`` (risk and note, from the label),
* ``allergy_groups.yaml`` beside this file: how each group is written in Chinese records (头孢类,
  头孢菌素类, 青霉素类, 磺胺类, 喹诺酮类 …), umbrella terms (β-内酰胺类) and the ICD-10 Z88 codes.

Three questions:

* :meth:`AllergyModel.resolve` — the drug and/or groups an allergy names (头孢类过敏 → cephalosporin;
  青霉素 → penicillin and 青霉素 itself; 阿莫西林克拉维酸钾 → that drug and the penicillin group).
* :meth:`AllergyModel.conflict` — the relation between an allergy and a drug: the same drug, the same
  group, or a group the label says may cross-react (with its risk), or none.
* :meth:`AllergyModel.statements` — allergies stated in free text anywhere in a record (主诉, 现病史,
  既往史, 入院情况, nursing notes), negation respected (否认药物过敏史, 无青霉素过敏, 皮试(-)), relatives'
  allergies left out (其母对青霉素过敏).

Drug names are resolved by a resolver the caller passes (the prescription-review resolver, which knows
salts, dose forms, premixed infusions and combinations), so both engines read a name the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from yizhu.core import ClinicalDocument
from yizhu.datafile import load_yaml_model
from yizhu.errors import ConfigError
from yizhu.knowledge.packs import KnowledgeBase, normalize_term
from yizhu.knowledge.schema import DrugItem

GROUPS_FILE = Path(__file__).with_name("allergy_groups.yaml")
Relation = Literal["same_drug", "same_group", "cross"]
RISK_ORDER = {"high": 0, "moderate": 1, "low": 2, "rare": 3}
RELATION_NAMES = {"same_drug": "同一药物", "same_group": "同类药物", "cross": "可能交叉过敏"}


# ── data ───────────────────────────────────────────────────────────────────────────────────


class AllergyGroup(BaseModel):
    """One allergy group as written in records."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    aliases: list[str] = Field(min_length=1)
    includes: list[str] = Field(default_factory=list)
    icd10: list[str] = Field(default_factory=list)
    source: str = Field(min_length=2)


class AllergyGroupTable(BaseModel):
    """The whole ``allergy_groups.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    description: str = ""
    entries: dict[str, AllergyGroup]


def load_groups(path: Path | None = None) -> AllergyGroupTable:
    """Read and validate an allergy-group table; a broken file fails naming the entry."""
    path = path or GROUPS_FILE
    table = load_yaml_model(path, AllergyGroupTable, "allergy groups")
    for name, g in table.entries.items():
        unknown = [i for i in g.includes if i not in table.entries]
        if unknown:
            raise ConfigError(f"{path}: entries.{name}.includes names unknown groups: {', '.join(unknown)}")
    return table


@lru_cache(maxsize=1)
def default_groups() -> AllergyGroupTable:
    """The shipped allergy groups, read once."""
    return load_groups()


# ── results ────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Allergen:
    """An allergy as written, resolved: the drug it names (if one) and the groups it covers."""

    text: str
    drug: DrugItem | None
    groups: frozenset[str]

    @property
    def is_drug(self) -> bool:
        """A drug or drug-class allergy (pollen, seafood … resolve to neither)."""
        return self.drug is not None or bool(self.groups)


@dataclass(frozen=True)
class Conflict:
    """Why a drug conflicts with an allergy."""

    relation: Relation
    drug_group: str | None = None
    allergen_group: str | None = None
    risk: str | None = None  # for cross-reactivity: high | moderate | low | rare
    note: str = ""

    @property
    def label(self) -> str:
        """同一药物 / 同类药物 / 可能交叉过敏 (with the risk)."""
        base = RELATION_NAMES[self.relation]
        return f"{base}，风险{_RISK_NAMES.get(self.risk or '', self.risk)}" if self.relation == "cross" else base


_RISK_NAMES = {"high": "高", "moderate": "中", "low": "低", "rare": "罕见"}


@dataclass(frozen=True)
class Mention:
    """An allergen named in a piece of text, at ``start:end`` of that text."""

    start: int
    end: int
    allergen: Allergen


@dataclass(frozen=True)
class Statement:
    """A clause that states an allergy (or denies one): its span and the allergens it names."""

    start: int
    end: int
    negated: bool
    mentions: tuple[Mention, ...] = ()


class DrugNameResolver(Protocol):
    """What the model needs to read a drug name: ``resolve(text).items`` → the drug items it means."""

    def resolve(self, text: str, code: str | None = None) -> Any: ...


# ── free-text patterns ─────────────────────────────────────────────────────────────────────

#: an allergy cue: 过敏 (not 过敏性鼻炎 and other diseases named after allergy), or a positive skin test
_CUE = re.compile(
    r"过敏(?!性(?:鼻炎|紫癜|皮炎|哮喘|结膜炎|体质|疾病|咳嗽|肺炎|肠炎))(?!试验|原)"
    r"|(?:皮试|过敏试验|皮肤试验)\s*(?:阳性|[(（]\s*[+＋]\s*[)）]|[+＋])"
)
#: a conditional or a warning, not a statement (如出现皮疹等过敏反应及时就诊, 注意观察有无过敏)
_HYPOTHETICAL = re.compile(r"如有|如出现|如发生|若|如果|一旦|警惕|注意|观察|监测|有无|是否|预防|以防|防止|谨防")
#: negation before the cue in the same clause (无青霉素过敏, 否认药物过敏史, 未发现过敏)
_NEG_BEFORE = re.compile(r"否认|(?<!有)无(?!明显诱因)|未发现|未见|未诉|未出现|未再|没有|不详|未曾|排除")
#: negation right after the cue (过敏史：无, 过敏(-), 药物过敏：否认, 过敏史不详)
_NEG_AFTER = re.compile(r"^\s*(?:史|反应|药物)?\s*[:：]?\s*(?:无|否认|不详|未知|阴性|[(（]\s*[-－—]\s*[)）]|[-－—](?![\u4e00-\u9fff]))")
#: the cue opens a list (过敏史：青霉素、头孢类 / 药物过敏：磺胺)
_LIST_AFTER = re.compile(r"^\s*(?:史|药物|原)?\s*[:：]")
#: 除青霉素外无其他药物过敏: what 除…外 names is an allergy although the clause denies the rest
_EXCEPT = re.compile(r"除(.{1,30}?)[以之]?外")
#: another person's allergy (其母对青霉素过敏), unless the relative only reports the patient's (家属代诉患者…)
_OTHER_PERSON = re.compile(r"母亲|父亲|之母|之父|其母|其父|妻子|丈夫|儿子|女儿|家属|兄弟|姐妹|哥哥|弟弟|姐姐|妹妹|配偶|爱人|家族")
_REPORTS_PATIENT = re.compile(r"^(?:代诉|诉|述|告知|代述|称|反映)|患者|患儿|本人")
_SENTENCE = re.compile(r"[。；;！!？?\n]")
_CLAUSE = re.compile(r"[，,]")
_GROUP_SUFFIXES = ("类药物", "类药", "类抗生素", "类抗菌药物", "类抗菌药", "类", "过敏", "药物")


def _spans(text: str, rx: re.Pattern[str], start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    end = len(text) if end is None else end
    pos = start
    for m in rx.finditer(text, start, end):
        if m.start() > pos:
            yield pos, m.start()
        pos = m.end()
    if pos < end:
        yield pos, end


# ── the model ──────────────────────────────────────────────────────────────────────────────


@dataclass
class AllergyModel:
    """Allergy groups, aliases and cross-reactivity over one knowledge base (see the module docstring)."""

    kb: KnowledgeBase
    resolver: DrugNameResolver | None = None
    groups: AllergyGroupTable = field(default_factory=default_groups)
    _resolved: dict[str, Allergen] = field(default_factory=dict, repr=False)

    @cached_property
    def _aliases(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, g in self.groups.entries.items():
            for alias in [name, *g.aliases]:
                out[normalize_term(alias)] = name
        return out

    @cached_property
    def group_cross(self) -> dict[tuple[str, str], tuple[str, str]]:
        """(allergen group, drug group) → (risk, note): the highest risk any drug of the group states."""
        out: dict[tuple[str, str], tuple[str, str]] = {}
        for item in self.kb.pack("drug"):
            if not item.allergy_group:
                continue
            for x in item.cross_reactivity:
                k = (item.allergy_group, x.group)
                if k not in out or RISK_ORDER[x.risk] < RISK_ORDER[out[k][0]]:
                    out[k] = (x.risk, x.note)
        return out

    @cached_property
    def _terms(self) -> tuple[dict[str, str], frozenset[str], tuple[int, ...], re.Pattern[str] | None]:
        """Group aliases and drug names: (term as found → term to resolve, first characters, lengths longest
        first) for a longest-match scan of Chinese text, and one small pattern for the Latin aliases (PCN)."""
        terms: dict[str, str] = {}
        latin: set[str] = set()
        for g in self.groups.entries.values():
            for alias in g.aliases:
                if alias.isascii():
                    if len(alias) >= 3:
                        latin.add(alias)
                else:
                    terms.setdefault(alias, alias)
        for term, items in self.kb.terms("drug").items():
            if len(term) >= 2 and not term.isascii():
                terms.setdefault(term, term)
                for item in items:  # the pack's own spelling too (terms() keys are normalised)
                    for t in item.terms():
                        if normalize_term(t) == term and not t.isascii():
                            terms.setdefault(t, t)
        rx = None
        if latin:
            alt = "|".join(re.escape(t) for t in sorted(latin, key=len, reverse=True))
            rx = re.compile(rf"(?<![A-Za-z])(?:{alt})(?![A-Za-z])", re.IGNORECASE)
        lengths = tuple(sorted({len(t) for t in terms}, reverse=True))
        return terms, frozenset(t[0] for t in terms), lengths, rx

    # ── names ─────────────────────────────────────────────────────────────────────────────

    def drugs(self, name: str) -> tuple[DrugItem, ...]:
        """The drug items a written drug name means (a combination gives each component)."""
        if self.resolver is not None:
            items = tuple(getattr(self.resolver.resolve(name), "items", ()) or ())
            if items:
                return items
        item = self.kb.resolve(name, "drug")
        if isinstance(item, DrugItem):
            return (item,)
        hits = {h.id: h for h in self.kb.find(name, "drug") if isinstance(h, DrugItem)}
        return tuple(hits.values()) if len(hits) == 1 else ()

    def resolve(self, text: str) -> Allergen:
        """The drug and/or allergy groups an allergy as written names (头孢类过敏 → cephalosporin)."""
        hit = self._resolved.get(text)
        if hit is None:
            hit = self._resolve(text)
            if len(self._resolved) < 20000:
                self._resolved[text] = hit
        return hit

    def _resolve(self, text: str) -> Allergen:
        t = re.sub(r"[（(].*?[)）]", "", text).strip()
        t = re.sub(r"^(?:对|有|曾对|既往对)", "", t)
        t = re.sub(r"(?:过敏史|过敏反应|过敏)$", "", t).strip() or t
        stems = [t]
        for suf in _GROUP_SUFFIXES:
            if t.endswith(suf) and len(t) > len(suf):
                stems.append(t[: -len(suf)])
        groups: set[str] = set()
        for s in stems:
            name = self._aliases.get(normalize_term(s))
            if name is not None:
                groups.add(name)
                groups.update(self.groups.entries[name].includes)
        drug: DrugItem | None = None
        for s in stems:
            items = self.drugs(s)
            if len(items) == 1:
                drug = items[0]
                break
        if drug is not None and drug.allergy_group and not groups:
            groups.add(drug.allergy_group)
        return Allergen(text, drug, frozenset(groups))

    def from_codes(self, code: str, text: str) -> Allergen | None:
        """An allergy implied by an ICD-10 Z88 history code (Z88.0 → penicillin), if any."""
        c = code.strip().upper()
        for name, g in self.groups.entries.items():
            if g.icd10 and c.startswith(tuple(g.icd10)):
                return Allergen(text, None, frozenset({name}))
        return None

    # ── the relation ──────────────────────────────────────────────────────────────────────

    def conflict(self, allergen: Allergen, drug: DrugItem) -> Conflict | None:
        """Same drug, same group, or a cross-reacting group (the highest risk the label states); else None."""
        if allergen.drug is not None and allergen.drug.id == drug.id:
            return Conflict("same_drug", drug_group=drug.allergy_group)
        if drug.allergy_group and drug.allergy_group in allergen.groups:
            return Conflict("same_group", drug_group=drug.allergy_group, allergen_group=drug.allergy_group)
        hit: tuple[str, str, str] | None = None  # (risk, note, allergen group)
        for x in drug.cross_reactivity:
            if x.group in allergen.groups and (hit is None or RISK_ORDER[x.risk] < RISK_ORDER[hit[0]]):
                hit = (x.risk, x.note, x.group)
        if hit is None and drug.allergy_group:
            for g in sorted(allergen.groups):
                found = self.group_cross.get((g, drug.allergy_group))
                if found and (hit is None or RISK_ORDER[found[0]] < RISK_ORDER[hit[0]]):
                    hit = (found[0], found[1], g)
        if hit is None:
            return None
        return Conflict("cross", drug_group=drug.allergy_group, allergen_group=hit[2], risk=hit[0], note=hit[1])

    # ── free text ─────────────────────────────────────────────────────────────────────────

    def allergen_terms(self, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
        """Drug and allergy-group names in ``text[start:end]`` (longest first) that resolve to a drug allergen."""
        terms, firsts, lengths, latin = self._terms
        end = len(text) if end is None else end
        found: list[tuple[int, int, str]] = []
        i = start
        while i < end:
            if text[i] in firsts:
                for n in lengths:
                    if i + n <= end and text[i : i + n] in terms:
                        found.append((i, i + n, terms[text[i : i + n]]))
                        i += n
                        break
                else:
                    i += 1
                continue
            i += 1
        if latin is not None:
            taken = [(a, b) for a, b, _ in found]
            for m in latin.finditer(text, start, end):
                if not any(a < m.end() and m.start() < b for a, b in taken):
                    found.append((m.start(), m.end(), m.group(0)))
            found.sort()
        out = []
        for a, b, term in found:
            allergen = self.resolve(term)
            if allergen.is_drug:
                out.append(Mention(a, b, Allergen(text[a:b], allergen.drug, allergen.groups)))
        return out

    def statements(self, text: str, *, as_list: bool = False) -> list[Statement]:
        """Allergy statements in free text: each clause that states or denies an allergy.

        ``as_list``: the text is a 过敏史 section, where a bare list (青霉素、磺胺类) states allergies.
        A relative's allergy (其母对青霉素过敏) is not the patient's and is left out.
        """
        out: list[Statement] = []
        if not as_list and _CUE.search(text) is None:
            return out  # most sections state no allergy at all
        for s0, s1 in _spans(text, _SENTENCE):
            clauses = list(_spans(text, _CLAUSE, s0, s1))
            listing = False  # inside 过敏史：A，B，C
            for c0, c1 in clauses:
                clause = text[c0:c1]
                rel = _OTHER_PERSON.search(clause)
                if rel is not None and not _REPORTS_PATIENT.search(clause[rel.end():]):
                    listing = False
                    continue
                cues = list(_CUE.finditer(text, c0, c1))
                if not cues:
                    if listing or as_list:
                        neg = bool(_NEG_BEFORE.search(clause))
                        mentions = () if neg else tuple(self.allergen_terms(text, c0, c1))
                        if mentions or neg:
                            out.append(Statement(c0, c1, neg, mentions))
                    continue
                listing = False
                prev = c0
                for cue in cues:
                    before = text[prev : cue.start()]
                    after = text[cue.end() : c1]
                    negated = bool(_NEG_BEFORE.search(before) or _NEG_AFTER.search(after))
                    if _HYPOTHETICAL.search(before):
                        prev = cue.end()
                        continue
                    mentions: list[Mention] = []
                    exc = _EXCEPT.search(before)
                    if exc is not None:
                        mentions += self.allergen_terms(text, prev + exc.start(1), prev + exc.end(1))
                        negated = False if mentions else negated
                    elif not negated:
                        mentions += self.allergen_terms(text, prev, cue.start())
                    if _LIST_AFTER.match(after) and not negated:
                        mentions += self.allergen_terms(text, cue.end(), c1)
                        listing = True
                    out.append(Statement(prev, c1 if listing else cue.end(), negated and not mentions, tuple(mentions)))
                    prev = cue.end()
        return out

    def allergens_in(self, text: str, *, as_list: bool = False) -> list[Mention]:
        """The positive allergen mentions of :meth:`statements`."""
        return [m for s in self.statements(text, as_list=as_list) if not s.negated for m in s.mentions]


#: sections whose allergies are not the patient's
NOT_PATIENT_SECTIONS = frozenset({"家族史"})


def document_allergies(
    model: AllergyModel, documents: Sequence[ClinicalDocument]
) -> tuple[list[tuple[str, Allergen]], list[tuple[str, int, int]]]:
    """Allergies stated anywhere in a record's documents (every section but 家族史; the whole text of a note
    without sections), negation respected: ([(document id, allergen)], [(document id, start, end) of every
    allergy statement]). QC and prescription review both read a record's notes through this."""
    from yizhu.core.parsing import parse_document

    found: list[tuple[str, Allergen]] = []
    spans: list[tuple[str, int, int]] = []
    for doc in documents:
        sections = doc.sections or (parse_document(doc.text, doc_id=doc.id).sections if doc.text else [])
        parts = [(s.name, s.start, s.end) for s in sections] or [("", 0, len(doc.text))]
        for name, a, b in parts:
            if name in NOT_PATIENT_SECTIONS:
                continue
            for st in model.statements(doc.text[a:b], as_list=name == "过敏史"):
                spans.append((doc.id, a + st.start, a + st.end))
                if not st.negated:
                    found.extend((doc.id, m.allergen) for m in st.mentions)
    return found, spans


_MODELS: dict[tuple[int, int], AllergyModel] = {}


def model_for(kb: KnowledgeBase, resolver: DrugNameResolver | None = None) -> AllergyModel:
    """The allergy model of a knowledge base and drug-name resolver, built once per pair."""
    key = (id(kb), id(resolver))
    model = _MODELS.get(key)
    if model is None or model.kb is not kb or model.resolver is not resolver:
        if len(_MODELS) > 8:
            _MODELS.clear()
        model = AllergyModel(kb, resolver)
        _MODELS[key] = model
    return model


def conflicts(
    model: AllergyModel, allergens: Sequence[Allergen], drug: DrugItem
) -> list[tuple[Allergen, Conflict]]:
    """Every allergen the drug conflicts with, and how."""
    out = []
    for a in allergens:
        c = model.conflict(a, drug)
        if c is not None:
            out.append((a, c))
    return out
