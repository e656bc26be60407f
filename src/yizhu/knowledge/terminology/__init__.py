"""Terminology services: diagnosis and drug normalisation, clinical entity extraction with ConText.

The public functions other engines call::

    normalise_diagnosis(text, top=5) -> list[Candidate]    # ranked ICD-10 candidates
    normalise_drug(text) -> DrugMatch | None                # brand/salt/dose form → generic
    extract(text) -> list[Entity]                           # mentions with negated/uncertain/…
    ConTextEngine.default().assess(text, spans)             # negation etc. for your own spans

Each works over the shipped packs plus whatever the hospital imported into ``data_dir`` (default
``Settings.data_dir``). Services are built once per data directory and rebuilt when an import changes
the manifest (checked by file stat, so a million calls cost nothing extra).
"""

from __future__ import annotations

import gc
import re
import threading
from pathlib import Path
from typing import Any

from yizhu.errors import ConfigError
from yizhu.knowledge.imported import KnowledgeStore, changed, knowledge_dir, on_change
from yizhu.knowledge.packs import KnowledgeBase, get_kb
from yizhu.knowledge.terminology.coding import CodingDictionary, CodingResult, Concept, DiagnosisCoder
from yizhu.knowledge.terminology.context import Assertion, ConTextEngine, ContextRule, Trigger
from yizhu.knowledge.terminology.extract import ENTITY_TYPES, Entity, Extractor
from yizhu.knowledge.terminology.normalise import (
    Candidate,
    DiagnosisNormaliser,
    DrugMatch,
    DrugNormaliser,
    SegmentResult,
)

__all__ = [
    "ENTITY_TYPES",
    "Assertion",
    "Candidate",
    "CodingResult",
    "ConTextEngine",
    "Concept",
    "ContextRule",
    "DiagnosisCoder",
    "DiagnosisNormaliser",
    "DrugMatch",
    "DrugNormaliser",
    "Entity",
    "Extractor",
    "SegmentResult",
    "Terminology",
    "Trigger",
    "code_diagnosis",
    "diagnosis_normalises",
    "extract",
    "invalidate",
    "normalise_diagnosis",
    "normalise_drug",
    "terminology",
]


class Terminology:
    """The normalisers and the extractor for one data directory, each built on first use."""

    def __init__(self, data_dir: Path | str | None = None, kb: KnowledgeBase | None = None) -> None:
        self.store = KnowledgeStore(data_dir)
        self.kb = kb or get_kb()
        self._lock = threading.Lock()
        self._dx: DiagnosisNormaliser | None = None
        self._drug: DrugNormaliser | None = None
        self._ext: Extractor | None = None
        self._ext_model: Extractor | None = None
        self._ext_model_stamp: tuple[int, int] | None = None
        self._cdict: Any = None
        self._coder: Any = None
        self._coder_stamp: tuple[int, int] | None = None

    @property
    def diagnoses(self) -> DiagnosisNormaliser:
        """Curated pack + imported ICD tables."""
        if self._dx is None:
            with self._lock:
                if self._dx is None:
                    self._dx = DiagnosisNormaliser(self.kb, self.store.icd_rows())
        return self._dx

    @property
    def coding_dictionary(self) -> CodingDictionary:
        """The imported ICD table's exact names (the shipped pack when none is imported), with lookup keys."""
        if self._cdict is None:
            with self._lock:
                if self._cdict is None:
                    self._cdict = CodingDictionary.build(self.kb, self.store.icd_rows())
        return self._cdict

    @property
    def coder(self) -> DiagnosisCoder:
        """Decides the concepts in a diagnosis string; uses the active trained normaliser when there is one."""
        from yizhu.learn.registry import load_model
        from yizhu.learn.store import active_model, active_stamp

        data_dir = self.store.root.parent
        stamp = active_stamp("normaliser", data_dir)
        if self._coder is None or stamp != self._coder_stamp:
            with self._lock:
                if self._coder is None or stamp != self._coder_stamp:
                    model = None
                    ref = active_model("normaliser", data_dir)
                    if ref is not None:
                        model = load_model(ref)
                    cdict = self._cdict
                    if cdict is None:
                        cdict = self._cdict = CodingDictionary.build(self.kb, self.store.icd_rows())
                    self._coder = DiagnosisCoder(cdict, model)
                    self._coder_stamp = stamp
                    # one full pass now, not in the first requests: it stops tracking the look-up tables'
                    # tuples (~10^5 objects, see coding.KeyHit), so later passes skip them (no gc.freeze:
                    # nothing stays exempt from the collector process-wide)
                    gc.collect()
        return self._coder

    @property
    def rules_coder(self) -> DiagnosisCoder:
        """The coder in rules mode over the same dictionary (deterministic checks such as QC's)."""
        c = getattr(self, "_rules_coder", None)
        if c is None or c.d is not self.coding_dictionary:
            c = self._rules_coder = DiagnosisCoder(self.coding_dictionary)
        return c

    @property
    def drugs(self) -> DrugNormaliser:
        """Drug pack + imported formulary."""
        if self._drug is None:
            with self._lock:
                if self._drug is None:
                    self._drug = DrugNormaliser(self.kb, self.store.formulary())
        return self._drug

    @property
    def rules_extractor(self) -> Extractor:
        """Packs + imported ICD names and formulary + the lexicons (dictionary and rules, no trained model)."""
        if self._ext is None:
            with self._lock:
                if self._ext is None:
                    self._ext = Extractor.build(self.kb, self.store.icd_rows(), self.store.formulary())
        return self._ext

    @property
    def extractor(self) -> Extractor:
        """The extractor that answers: the active trained model (``yizhu train extractor``) or the rules."""
        from yizhu.learn.registry import load_model
        from yizhu.learn.store import active_model, active_stamp

        data_dir = self.store.root.parent
        stamp = active_stamp("extractor", data_dir)
        if self._ext_model is None or stamp != self._ext_model_stamp:
            with self._lock:
                if self._ext_model is None or stamp != self._ext_model_stamp:
                    ref = active_model("extractor", data_dir)
                    model = None
                    problem = None
                    if ref is not None:
                        try:
                            model = load_model(ref)
                        except ConfigError as exc:  # an old or damaged model: answer with the rules and say so
                            problem = str(exc)
                    rules = self._ext
                    if rules is None:
                        rules = self._ext = Extractor.build(self.kb, self.store.icd_rows(), self.store.formulary())
                    self._ext_model = rules.with_model(model)
                    self._ext_model.problem = problem
                    self._ext_model_stamp = stamp
        return self._ext_model


_services: dict[Path, tuple[tuple[int, int], Terminology]] = {}
_services_lock = threading.Lock()


def _stamp(root: Path) -> tuple[int, int]:
    try:
        st = (root / "manifest.json").stat()
        return st.st_mtime_ns, st.st_size
    except OSError:
        return 0, 0


def terminology(data_dir: Path | str | None = None) -> Terminology:
    """The services for a data directory (default from Settings), rebuilt after an import."""
    root = knowledge_dir(data_dir).resolve()
    stamp = _stamp(root)
    cached = _services.get(root)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _services_lock:
        cached = _services.get(root)
        if cached is None or cached[0] != stamp:
            cached = (stamp, Terminology(root.parent))
            _services[root] = cached
    return cached[1]


@on_change
def _forget(data_dir: Path | str | None = None) -> None:
    if data_dir is None:
        _services.clear()
    else:
        _services.pop(knowledge_dir(data_dir).resolve(), None)


def invalidate(data_dir: Path | str | None = None) -> None:
    """Forget the services of a data directory, and every other cache built from what it imported (the
    retrieval index among them); None forgets every one."""
    changed(data_dir)


def normalise_diagnosis(text: str, top: int = 5, *, data_dir: Path | str | None = None) -> list[Candidate]:
    """Raw diagnosis text → ranked ICD-10 candidates (code, name, score, what matched), best first."""
    return terminology(data_dir).diagnoses.normalise(text, top)


def code_diagnosis(text: str, *, data_dir: Path | str | None = None) -> CodingResult:
    """The set of standard concepts in a diagnosis string (spans, exact dictionary names, codes, scores)."""
    return terminology(data_dir).coder.code(text)


_REMARK = re.compile(r"[（(\[［【][^（()）\]］【】]*[）)\]］】]")


def diagnosis_normalises(text: str, *, min_fuzzy: float = 0.8, data_dir: Path | str | None = None) -> bool:
    """Whether a written diagnosis names a standard (non-morphology) concept of the dictionary outside its
    bracketed remarks: side, grade, 术后 remarks and an appended code (左桡骨远端粉碎性骨折（AO C2型）（S52.5）)
    neither count for it nor block it. Rules mode, so the answer does not depend on a trained model; a
    fuzzy match counts from ``min_fuzzy``."""
    t = terminology(data_dir)
    res = t.rules_coder.code(text)
    remarks = [m.span() for m in _REMARK.finditer(text)]
    entries = t.coding_dictionary.by_name
    d = t.coding_dictionary
    for c in res.concepts:
        if any(a <= c.start and c.end <= b for a, b in remarks):
            continue
        i = entries.get(c.name)
        if i is not None and d.entries[i].morphology:
            continue
        if c.via != "fuzzy" or c.score >= min_fuzzy:
            return True
    return False


def normalise_drug(text: str, *, data_dir: Path | str | None = None) -> DrugMatch | None:
    """A brand, salt or dose-form string → the generic drug, or None."""
    return terminology(data_dir).drugs.match(text)


def extract(text: str, *, types: list[str] | None = None, data_dir: Path | str | None = None) -> list[Entity]:
    """Diseases, symptoms, drugs, exams, procedures and lab values in text, with ConText assertions."""
    return terminology(data_dir).extractor.extract(text, types=types)
