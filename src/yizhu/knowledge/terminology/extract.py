"""Clinical entity extraction from Chinese text: dictionary matching, lab values, ConText assertions.

Mentions of diseases, symptoms, drugs, exams, procedures and labs are found with one Aho–Corasick
automaton (leftmost-longest) over every name and synonym in the packs, the imported ICD table and
formulary, and the shipped lexicon of exams and procedures. Short Chinese terms (two characters) must
also be whole words for a segmenter that knows the same dictionary (中风险 is not 中风), English
abbreviations must not sit inside longer ASCII words, and one-character or two-letter lab names (钾, K,
PT) count only when a value follows. Lab values (``血红蛋白 85 g/L ↓``) are read into value, unit and
flag. Each mention then gets negation, uncertainty, history and family from the ConText engine, with
the ids of the rules that decided it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import ahocorasick
import yaml

from yizhu.errors import ConfigError
from yizhu.knowledge.imported import IcdRow
from yizhu.knowledge.packs import KnowledgeBase
from yizhu.knowledge.terminology import learned_lexicon
from yizhu.knowledge.terminology.context import ConTextEngine
from yizhu.knowledge.terminology.learned_lexicon import load_learned
from yizhu.knowledge.terminology.normalise import nos_variants
from yizhu.knowledge.terminology.text import Segmenter, fold, key

EntityType = Literal["disease", "symptom", "drug", "exam", "procedure", "lab", "drug_category", "body_part", "device",
                     "microorganism", "department"]
ENTITY_TYPES: tuple[EntityType, ...] = ("disease", "symptom", "drug", "exam", "procedure", "lab", "drug_category",
                                        "body_part", "device", "microorganism", "department")
#: lexicon sections that list names of one entity type
_LEXICON_TYPES = ("symptom", "exam", "procedure", "lab", "body_part", "device", "microorganism", "drug_category")
#: colloquial lexicon kind → entity type (lay words patients use: 拉肚子, 后脑勺, 消炎药, 妈咪爱)
_COLLOQUIAL_TYPES = {"symptom": "symptom", "sign": "symptom", "disease": "disease", "body_part": "body_part",
                     "drug_category": "drug_category", "brand": "drug", "exam": "exam"}
LEXICON_PATH = Path(__file__).with_name("lexicon.yaml")

#: When one term names items of several kinds, the earlier kind wins (发热 is a symptom, not R50.9);
#: "ignore" phrases (抗血小板) win over everything and yield no mention.
_PRIORITY = {"ignore": -1, "symptom": 0, "lab": 1, "drug": 2, "drug_category": 3, "exam": 4, "procedure": 5,
             "microorganism": 6, "device": 7, "department": 8, "body_part": 9, "disease": 10}
_SKIP_ICD = re.compile(r"^(其他|未特指|未分类|未知|不明|不详|特指)|[,，、;；:：()（）]")
_UNCERTAIN_TAILS = ("待查", "待排", "待排除", "可能", "?")
_LEAD_TRIM = "行予于经在做施并及和后前年月日曾患因已拟再需示"


@dataclass(slots=True)
class Entity:
    """One mention: where, what type, its code, and what ConText says about it."""

    text: str
    type: EntityType
    start: int
    end: int
    negated: bool = False
    uncertain: bool = False
    historical: bool = False
    family: bool = False
    code: str | None = None
    id: str | None = None
    name: str | None = None
    value: str | None = None
    unit: str | None = None
    flag: str | None = None
    rules: list[str] = field(default_factory=list)
    #: where the analyte's name ends when ``end`` also covers its value (血红蛋白|85 g/L ↓): the span the
    #: annotation standards (CMeEE ite, IMCS Medical_Examination) mark
    analyte_end: int | None = None

    @property
    def name_span(self) -> tuple[int, int]:
        """(start, end) of the mention without a lab value: what the standards annotate."""
        return self.start, self.analyte_end if self.analyte_end is not None else self.end

    def to_dict(self) -> dict[str, Any]:
        """The CLI/API shape: contract keys first, then extras (lab keys only for labs)."""
        d: dict[str, Any] = {
            "text": self.text, "type": self.type, "start": self.start, "end": self.end,
            "negated": self.negated, "uncertain": self.uncertain, "code": self.code,
            "historical": self.historical, "family": self.family, "id": self.id, "name": self.name,
        }
        if self.type == "lab":
            d.update(value=self.value, unit=self.unit, flag=self.flag)
        d["rules"] = self.rules
        return d


@dataclass(frozen=True, slots=True)
class _Entry:
    type: str  # an EntityType, or "ignore"
    id: str | None
    code: str | None
    name: str
    needs_value: bool = False
    source: str = "pack"
    alt: _Entry | None = None  # a lab term that is also a drug (胰岛素): the drug unless a value follows


_VALUE = re.compile(
    r"\s*(?:[:=]|为|是|:\s*)?\s*"
    r"(?:(?P<val>[<>≤≥]?\s*-?\d+(?:\.\d+)?)\s*(?P<unit>(?:[a-zμ%‰°]|×10\^?\d+|\*10\^?\d+)[a-zμ%‰/\d^.×*]*)?"
    r"|(?P<qual>弱阳性|阳性|阴性|\(\+{1,4}\)|\(-\)|\(±\)|\+{1,4}(?![\d]))"
    r")\s*(?P<flag>[↑↓]|\((?:h|l|hh|ll)\)|(?:h|l)(?![a-z]))?"
)


class Extractor:
    """Find and assess mentions in text; build once (``Extractor.build``) and reuse."""

    def __init__(self, entries: dict[str, _Entry], patterns: dict[EntityType, list[re.Pattern[str]]],
                 context: ConTextEngine, segmenter: Segmenter | None) -> None:
        self._auto = ahocorasick.Automaton()
        for k, e in entries.items():
            self._auto.add_word(k, (len(k), e))
        if entries:
            self._auto.make_automaton()
        self.size = len(entries)
        #: the automaton's terms and values again, for the compiled every-term walk over the same trie (``_index``:
        #: built on first use, shared by the copies ``with_model`` makes)
        self._terms: list[tuple[str, tuple[int, _Entry]]] = [(k, (len(k), e)) for k, e in entries.items()]
        self._term_index: list[Any] = []
        self.patterns = patterns
        self.context = context
        self.segmenter = segmenter
        #: one-character lay forms (咳, 烧, 吐) with the longer words they must not sit in (吐痰)
        self.single: dict[str, tuple[_Entry, tuple[str, ...]]] = {}
        self._single_rx: re.Pattern[str] | None = None
        #: (tails regex, type, keep the head nested, head type): 输尿管 + 结石 → a disease mention
        self.compose: list[tuple[re.Pattern[str], str, bool, str]] = []
        #: (first type, then type, keep the first nested): 膀胱 + 横纹肌肉瘤 → one disease mention
        self.attach: list[tuple[str, str, bool, tuple[str, ...]]] = []
        #: type → modifiers that belong to a mention of that type right after them (慢性 + 肾脏疾病)
        self.prefixes: dict[str, tuple[str, ...]] = {}
        #: type → last character → the modifiers ending in it, longest first (a cheap first test)
        self._prefix_index: dict[str, dict[str, tuple[str, ...]]] = {}
        #: the trained sequence model, when one is active (``yizhu train extractor``)
        self.model: Any = None
        #: why the active trained model is not used (unreadable, older feature version), if it is not
        self.problem: str | None = None

    @property
    def mode(self) -> str:
        """Which answers: ``model <version>`` (trained CRF + dictionary) or ``rules``."""
        if self.model is not None:
            return f"model {self.model.version}"
        return f"rules (trained model not used: {self.problem})" if self.problem else "rules"

    def with_model(self, model: Any) -> Extractor:
        """A copy of this extractor that answers with a trained model (None: rules only)."""
        other = Extractor.__new__(Extractor)
        for name in ("_auto", "size", "_terms", "_term_index", "patterns", "context", "segmenter", "single", "_single_rx", "compose", "attach",
                     "prefixes", "_prefix_index"):
            setattr(other, name, getattr(self, name))
        if model is not None:
            model.matches = self.all_matches
            model.segment = self.segmenter.boundaries if self.segmenter is not None else None
        other.model = model
        other.problem = None
        return other

    @classmethod
    def build(cls, kb: KnowledgeBase, icd_rows: Iterable[IcdRow] = (), formulary: Iterable[Any] = (),
              *, context: ConTextEngine | None = None, segment: bool = True,
              learned: Path | bool | None = True) -> Extractor:
        """The extractor for these packs and imported tables, and a learned lexicon: ``learned`` is its path,
        True for the shipped one (``LEARNED_PATH``, read when called), None or False for none."""
        entries: dict[str, _Entry] = {}

        def add(term: str, entry: _Entry) -> None:
            k = key(term)
            if not k or k.isdigit() or k.endswith(_UNCERTAIN_TAILS):
                return  # 发热待查 is 发热 + the trigger 待查, so ConText can see it
            short = len(k) < 2 or (k.isascii() and len(k) <= 2)
            if short:
                if entry.type != "lab":
                    return
                entry = _Entry(entry.type, entry.id, entry.code, entry.name, True, entry.source)
            old = entries.get(k)
            if old is None:
                entries[k] = entry
            elif _PRIORITY[entry.type] < _PRIORITY[old.type] or (
                old.type == entry.type == "disease" and old.source == "import" and entry.source == "pack"
            ):
                entries[k] = entry
                if entry.type == "lab" and old.type != "lab" and not entry.needs_value:
                    entries[k] = replace(entry, alt=old)
            elif old.type == "lab" and entry.type != "lab" and old.alt is None and not old.needs_value:
                entries[k] = replace(old, alt=entry)

        for item in kb.pack("symptom"):
            for t in item.terms():
                add(t, _Entry("symptom", item.id, None, item.name))
        for item in kb.pack("lab"):
            for t in item.terms():
                add(t, _Entry("lab", item.id, item.loinc, item.name))
        for item in kb.pack("drug"):
            for t in item.terms():
                add(t, _Entry("drug", item.id, getattr(item, "atc", None), item.name))
        for f in formulary:
            for t in (f.generic, f.brand):
                if t:
                    add(t, _Entry("drug", None, f.atc, f.generic or t, source="import"))
        lex = load_lexicon()
        for t in lex.get("ignore", []):
            add(t, _Entry("ignore", None, None, t, source="lexicon"))
        for typ in _LEXICON_TYPES:
            for names in lex.get(typ, []):
                for t in names:
                    add(t, _Entry(typ, None, None, names[0], source="lexicon"))
        for item in kb.pack("department"):
            for t in item.terms():
                add(t, _Entry("department", item.id, getattr(item, "code", None), item.name))
        from yizhu.knowledge.terminology.colloquial import colloquial

        single: list[tuple[str, _Entry, tuple[str, ...]]] = []
        for ce in colloquial().entries:
            typ = _COLLOQUIAL_TYPES.get(ce.kind)
            if typ is None:
                continue
            entry = _Entry(typ, ce.concept, None, ce.standard, source="colloquial")
            if len(key(ce.lay)) == 1:
                single.append((key(ce.lay), entry, tuple(key(x) for x in ce.exclude)))
            else:
                add(ce.lay, entry)
        for item in kb.pack("diagnosis"):
            for t in (*item.terms(), *nos_variants(item.name)):
                add(t, _Entry("disease", item.id, item.code, item.name))
        best: dict[str, IcdRow] = {}
        for row in icd_rows:
            if row.morphology:
                continue
            # a bracket inside a name is an optional part (肺[部分]后天性缺失), not a synonym of the whole
            spelled = row.display or row.name
            syns = [x for x in row.synonyms if not re.search(re.escape(f"[{x}]") + r".", spelled)]
            for t in (row.name, *syns, *nos_variants(row.name)):
                if 2 <= len(t) <= 20 and not _SKIP_ICD.search(t):
                    k = key(t)
                    prev = best.get(k)
                    if prev is None or len(row.code) > len(prev.code):
                        best[k] = row
        for k, row in best.items():
            chapter = row.code[:1].upper()
            if chapter == "Z" and not row.name.endswith("史"):
                continue  # encounter reasons and status (实验室检查, 恢复期) are not findings; 药物过敏史 is kept
            # ICD-10 chapter XVIII (R00–R99) lists symptoms and signs, not diseases (休克, 惊厥, 窒息)
            add(k, _Entry("symptom" if chapter == "R" else "disease", None, row.code, row.name, source="import"))
        path = learned_lexicon.LEARNED_PATH if learned is True else learned or None
        lexicon = load_learned(path) if path is not None else None
        context = context or ConTextEngine.default()
        if lexicon is not None:
            # a learned term that begins or ends with a ConText trigger or is a record heading (无水肿, 光反应消失,
            # 体格检查:) would hide the trigger from ConText (triggers inside a mention are ignored): skipped
            triggers = tuple({key(r.literal).rstrip(":：") for r in context.rules.rules} - {""})
            for lt in lexicon.terms:
                k = key(lt.term)
                old = entries.get(k)
                if k.startswith(triggers) or k.endswith(triggers):
                    continue
                if old is None:
                    add(k, _Entry(lt.type, None, None, lt.term, source="learned"))
                elif {old.type, lt.type} == {"disease", "symptom"}:
                    entries[k] = replace(old, type=lt.type)  # a finding the annotators mark the other way; same code
            for nm in lexicon.not_mentions:
                entries[key(nm.term)] = _Entry("ignore", None, None, nm.term, source="learned")

        patterns = {typ: [re.compile(p) for p in ps] for typ, ps in lex.get("patterns", {}).items()}
        compose = [(re.compile("|".join(re.escape(t) for t in sorted(r["tails"], key=len, reverse=True))), r["type"],
                    r["keep_part"], r.get("head", "body_part")) for r in lex.get("compose", [])]
        seg = None
        if segment:
            seg = Segmenter(k for k in entries if len(k) >= 2 and not k.isascii())
        ext = cls(entries, patterns, context, seg)
        ext.single = {k: (e, ex) for k, e, ex in single if k not in entries}
        ext.compose = compose
        ext.attach = [(r["first"], r["then"], r["keep_first"], tuple(r.get("joiners", ()))) for r in lex.get("attach", [])]
        ext.prefixes = {typ: tuple(sorted(ps, key=len, reverse=True)) for typ, ps in lex.get("prefixes", {}).items()}
        ext._prefix_index = {typ: {c: tuple(m for m in ps if m[-1] == c) for c in {m[-1] for m in ps}}
                             for typ, ps in ext.prefixes.items()}
        return ext

    def extract(self, text: str, *, types: Iterable[str] | None = None) -> list[Entity]:
        """Mentions in order of position, with assertions; ``types`` keeps only those types."""
        if not text:
            return []
        t = fold(text)
        out = self.mentions(text, t)
        out = self.model.merge(text, t, out) if self.model is not None else self._nest_parts(text, t, out)
        return self._assess(t, out, types)

    def _nest_parts(self, text: str, t: str, found: list[Entity]) -> list[Entity]:
        """Body parts named inside a symptom mention (阴道出血 → 阴道) as nested mentions, as the standards
        annotate them. Only in rules mode: a trained model decides body parts itself."""
        extra: list[Entity] = []
        have = {(f.start, f.end) for f in found}
        for f in found:
            if f.type != "symptom" or f.end - f.start < 3:
                continue
            parts = [(end - length + 1, end + 1, e) for end, (length, e) in self._auto.iter(t, f.start, f.end)
                     if e.type == "body_part" and length < f.end - f.start]
            for a, b, e in parts:  # the longest parts only (下肢 in 双下肢水肿, not 肢 too)
                if (a, b) in have or any(x <= a and b <= y and (x, y) != (a, b) for x, y, _ in parts):
                    continue
                extra.append(Entity(text[a:b], "body_part", a, b, id=e.id, name=e.name))
                have.add((a, b))
        if not extra:
            return found
        return sorted(found + extra, key=lambda x: (x.start, -x.end))

    def all_matches(self, t: str) -> list[tuple[int, int, str]]:
        """Every dictionary term in folded text ``t``, overlapping ones too (features for the model)."""
        if not self.size:
            return []
        index = self._index()
        if index is None:
            return [(end - length + 1, end + 1, e.type) for end, (length, e) in self._auto.iter(t) if e.type != "ignore"]
        s, e, ids = index.matches(t)
        terms = self._terms
        return [(a, b, v[1].type) for a, b, v in zip(s.tolist(), e.tolist(), [terms[i][1] for i in ids.tolist()],
                                                       strict=True) if v[1].type != "ignore"]

    def _index(self) -> Any:
        """The compiled every-term walk over this dictionary (``crf_compiled.TermIndex``), or None without numba."""
        if not self._term_index:
            from yizhu.knowledge.terminology import crf_compiled

            index = None
            if crf_compiled._viterbi_jit is not None:
                index = crf_compiled.TermIndex([k for k, _ in self._terms])
            self._term_index[:] = [index]
        return self._term_index[0]

    def mentions(self, text: str, t: str | None = None) -> list[Entity]:
        """Dictionary, lay-form and pattern mentions (no model, no ConText), in order of position."""
        if t is None:
            t = fold(text)
        n = len(t)
        bounds: bytearray | None = None
        out: list[Entity] = []
        if self.size:
            for end, (length, e) in self._auto.iter_long(t):
                start = end - length + 1
                end += 1
                first, last = t[start], t[end - 1]
                # is_word_char written out (ASCII letter or digit): this loop runs once per dictionary hit
                if start > 0 and first < "\x80" and first.isalnum():
                    c = t[start - 1]
                    if c < "\x80" and c.isalnum():
                        continue
                if end < n and last < "\x80" and last.isalnum():
                    c = t[end]
                    if c < "\x80" and c.isalnum():
                        continue
                if length == 2 and "\u4e00" <= first <= "\u9fff" and self.segmenter is not None:
                    # 中风险 segments as 中|风险: a boundary inside the term means it is not a word here
                    if bounds is None:
                        bounds = self.segmenter.boundaries(t)
                    if bounds[start + 1]:
                        continue
                if e.type == "ignore":
                    continue
                if e.type == "lab" and e.alt is not None:
                    m = _VALUE.match(t, end, min(n, end + 40))
                    if not (m and (m.group("val") or m.group("qual"))):
                        e = e.alt
                ent = Entity(text[start:end], e.type, start, end, code=e.code, id=e.id, name=e.name)  # type: ignore[arg-type]
                if e.type == "lab":
                    m = _VALUE.match(t, end, min(n, end + 40))
                    if m and (m.group("val") or m.group("qual")):
                        ent.value = (m.group("val") or m.group("qual")).replace(" ", "")
                        u = m.group("unit")
                        ent.unit = text[m.start("unit"):m.end("unit")] if u else None
                        fl = m.group("flag")
                        ent.flag = _flag(fl) if fl else None
                        ent.analyte_end = end
                        ent.end = m.end("flag") if fl else m.end("unit") if u else m.end("val") if m.group(
                            "val") else m.end("qual")
                        ent.text = text[start:ent.end]
                    elif e.needs_value:
                        continue
                out.append(ent)
        if self.single:
            out = self._add_single(text, t, out)
        if self.compose:
            out = self._compose(text, t, out)
        if self.attach or self.prefixes:
            out = self._extend(text, t, out)
        if self.patterns:
            out = self._add_patterns(text, t, out)
        return out

    def _assess(self, t: str, out: list[Entity], types: Iterable[str] | None) -> list[Entity]:
        if types is not None:
            wanted = set(types)
            out = [e for e in out if e.type in wanted]
        if out:
            for ent, a in zip(out, self.context.assess(t, [(e.start, e.end) for e in out],
                                                      [e.type for e in out], folded=True), strict=True):
                ent.negated, ent.uncertain, ent.historical, ent.family = a.negated, a.uncertain, a.historical, a.family
                if a.modifiers:
                    ent.rules = a.rule_ids
                if ent.text.endswith("史") and not ent.historical:  # 药物过敏史 (Z88) names a history itself
                    ent.historical = True
                    ent.rules.append("extract.term_names_history")
        return out

    def _compose(self, text: str, t: str, found: list[Entity]) -> list[Entity]:
        """Body part + morphological tail → one disease/symptom mention (the part kept nested for symptoms)."""
        out: list[Entity] = []
        changed = False
        starts = {f.start for f in found}
        spans = {(f.start, f.end) for f in found}
        heads = {h for _, _, _, h in self.compose}
        for f in found:
            if f.type not in heads:
                out.append(f)
                continue
            for rx, typ, keep, head in self.compose:
                if head != f.type:
                    continue
                m = rx.match(t, f.end)
                if m is None or (m.end() in starts and m.end() != f.end):
                    continue
                # the tail must not itself begin a longer mention (输尿管 + 炎症反应 is not 输尿管炎)
                if any(g.start == f.end and g.end > m.end() for g in found):
                    continue
                out.append(Entity(text[f.start:m.end()], typ, f.start, m.end()))  # type: ignore[arg-type]
                if keep:
                    out.append(f)
                changed = True
                break
            else:
                out.append(f)
        if not changed:
            return found
        # a composed mention swallows the shorter mentions it covers (水肿 inside 下肢水肿), except a body part
        # kept nested in a symptom
        composed = [e for e in out if e.id is None and e.code is None and (e.start, e.end) not in spans]
        keep_out = [e for e in out if not any(c is not e and c.start <= e.start and e.end <= c.end
                                              and not (e.type == "body_part" and c.type == "symptom")
                                              for c in composed)]
        return sorted(keep_out, key=lambda x: (x.start, -x.end))

    def _extend(self, text: str, t: str, found: list[Entity]) -> list[Entity]:
        """Spans as the standards draw them: a mention of ``then`` right after one of ``first`` takes it in
        (膀胱 + 横纹肌肉瘤 is one disease; a body part stays nested in a symptom), and modifiers right before a
        mention belong to it (慢性 + 肾脏疾病, 反复 + 咳嗽). The longer mention keeps the head's code."""
        out = sorted(found, key=lambda x: (x.start, -x.end))
        if self.attach:
            by_end: dict[int, list[Entity]] = {}
            for f in out:
                by_end.setdefault(f.end, []).append(f)
            drop: set[int] = set()
            extra: list[Entity] = []
            for f in out:
                for first, then, keep, joiners in self.attach:
                    if f.type != then:
                        continue
                    g = None
                    for jn in ("", *joiners):  # 松果体 + 区 + 肿瘤, 脊髓 + 内 + 肿瘤
                        before = by_end.get(f.start - len(jn))
                        if not before or (jn and not t.startswith(jn, f.start - len(jn))):
                            continue
                        g = next((g for g in before if g.type == first and id(g) not in drop), None)
                        if g is not None:
                            break
                    if g is None:
                        continue
                    extra.append(replace(f, text=text[g.start:f.end], start=g.start, rules=list(f.rules)))
                    drop.add(id(f))
                    if not keep:
                        drop.add(id(g))
                    break
            if extra:
                out = sorted([f for f in out if id(f) not in drop] + extra, key=lambda x: (x.start, -x.end))
        if self.prefixes:
            ends = {f.end for f in out}
            for i, f in enumerate(out):
                by_last = self._prefix_index.get(f.type)
                if not by_last:
                    continue
                s = f.start
                for _ in range(3):  # 反复发作性 + 严重 + …: a few modifiers at most
                    mods = by_last.get(t[s - 1]) if s > 0 else None
                    p = next((m for m in mods if s >= len(m) and t.startswith(m, s - len(m))), None) if mods else None
                    if p is None or any(g is not f and g.start < s and s - len(p) < g.end for g in out):
                        break
                    s -= len(p)
                    if s in ends:
                        break
                if s != f.start:
                    out[i] = replace(f, text=text[s:f.end], start=s, rules=list(f.rules))
        return out

    def _add_single(self, text: str, t: str, found: list[Entity]) -> list[Entity]:
        extra: list[Entity] = []
        if self._single_rx is None:
            self._single_rx = re.compile("[" + "".join(re.escape(c) for c in sorted(self.single)) + "]")
        for m in self._single_rx.finditer(t):
            i, ch = m.start(), m.group()
            hit = self.single[ch]
            e, exclude = hit
            if any(x[j] == ch and j <= i and t.startswith(x, i - j) for x in exclude for j in range(len(x))):
                continue
            if any(f.start <= i < f.end for f in found):
                continue
            extra.append(Entity(text[i:i + 1], e.type, i, i + 1, id=e.id, name=e.name))  # type: ignore[arg-type]
        if not extra:
            return found
        return sorted(found + extra, key=lambda x: x.start)

    def _add_patterns(self, text: str, t: str, found: list[Entity]) -> list[Entity]:
        taken = bytearray(len(t))
        for e in found:
            taken[e.start:e.end] = b"\x01" * (e.end - e.start)
        extra: list[Entity] = []
        for typ, pats in self.patterns.items():
            for p in pats:
                for m in p.finditer(t):
                    s, e = m.start(), m.end()
                    while s < e - 3 and t[s] in _LEAD_TRIM:
                        s += 1
                    if taken.find(1, s, e) != -1:
                        continue
                    taken[s:e] = b"\x01" * (e - s)
                    extra.append(Entity(text[s:e], typ, s, e))
        if not extra:
            return found
        return sorted(found + extra, key=lambda x: x.start)


def _flag(raw: str) -> str:
    r = raw.strip("()")
    return {"↑": "H", "↓": "L", "h": "H", "l": "L", "hh": "HH", "ll": "LL"}.get(r, r.upper())


_lexicon_cache: dict[str, Any] | None = None


def load_lexicon(path: Path = LEXICON_PATH) -> dict[str, Any]:
    """The shipped exam/procedure/lab-panel lexicon (validated: lists of names, regex patterns)."""
    global _lexicon_cache
    if path == LEXICON_PATH and _lexicon_cache is not None:
        return _lexicon_cache
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the extraction lexicon ({exc})") from exc
    unknown = set(data) - {"_meta", "ignore", "patterns", "compose", "attach", "prefixes", *_LEXICON_TYPES}
    if unknown:
        raise ConfigError(f"{path}: unknown keys {sorted(unknown)}; use {', '.join(_LEXICON_TYPES)}, ignore, patterns")
    if not all(isinstance(t, str) and t for t in data.get("ignore", [])):
        raise ConfigError(f"{path}: ignore: a list of phrases")
    for typ in _LEXICON_TYPES:
        for names in data.get(typ, []):
            if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
                raise ConfigError(f"{path}: {typ}: each entry is a list of names, got {names!r}")
    for rule in data.get("compose", []):
        if (not isinstance(rule, dict) or not {"type", "keep_part", "tails"} <= set(rule) <= {"type", "keep_part", "tails",
                                                                                              "head"}
                or rule["type"] not in ENTITY_TYPES or rule.get("head", "body_part") not in ENTITY_TYPES
                or not isinstance(rule["keep_part"], bool) or not all(isinstance(t, str) and t for t in rule["tails"])):
            raise ConfigError(f"{path}: compose: each rule is {{type, keep_part, tails: [..], head?}}, got {rule!r}")
    for rule in data.get("attach", []):
        if (not isinstance(rule, dict) or not {"first", "then", "keep_first"} <= set(rule) <= {"first", "then", "keep_first",
                                                                                              "joiners"}
                or rule["first"] not in ENTITY_TYPES or rule["then"] not in ENTITY_TYPES
                or not isinstance(rule["keep_first"], bool)
                or not all(isinstance(j, str) and j for j in rule.get("joiners", []))):
            raise ConfigError(f"{path}: attach: each rule is {{first, then, keep_first, joiners?}} with entity types, "
                              f"got {rule!r}")
    for typ, mods in data.get("prefixes", {}).items():
        if typ not in ENTITY_TYPES or not isinstance(mods, list) or not all(isinstance(m, str) and m for m in mods):
            raise ConfigError(f"{path}: prefixes.{typ}: a list of modifiers of an entity type, got {mods!r}")
    for typ, pats in data.get("patterns", {}).items():
        if typ not in ENTITY_TYPES:
            raise ConfigError(f"{path}: patterns.{typ}: not an entity type ({', '.join(ENTITY_TYPES)})")
        for p in pats:
            try:
                re.compile(p)
            except re.error as exc:
                raise ConfigError(f"{path}: patterns.{typ}: bad regex {p!r} ({exc})") from exc
    if path == LEXICON_PATH:
        _lexicon_cache = data
    return data
