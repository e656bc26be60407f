"""De-identify text: find PHI, then redact it or replace it with consistent surrogates.

``redact`` writes a typed placeholder (``[姓名]``, ``[身份证号]`` …) for each span: fast and final.
``surrogate`` writes realistic values instead, the same for the same value of the same patient,
with every date of the patient shifted by one secret offset so intervals survive; the returned
:class:`~yizhu.privacy.mapping.Mapping` reverses it. Entity offsets always point into the
*original* text.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from yizhu.config import Settings, get_settings
from yizhu.errors import InputError
from yizhu.privacy.analyzer import Analyzer, fold_fullwidth, resolve_overlaps
from yizhu.privacy.keys import date_offset, deid_secret
from yizhu.privacy.mapping import Mapping, MappingEntry
from yizhu.privacy.recognizers import default_recognizers, on_change
from yizhu.privacy.surrogates import SurrogateFactory
from yizhu.privacy.types import PLACEHOLDERS, Entity, Explanation, PHIType

Mode = Literal["redact", "surrogate"]
#: Recognizer name of spans found because the value was mapped earlier for the same patient.
KNOWN_VALUE = "phi.known_value.v1"
MODES: tuple[str, ...] = ("redact", "surrogate")


@dataclass(frozen=True)
class DeidResult:
    """De-identified text, the entities found (offsets into the original) and, for surrogate mode,
    the mapping that reverses it."""

    text: str
    entities: list[Entity]
    mode: str
    mapping: Mapping | None = None

    def to_dict(self, *, explain: bool = False) -> dict[str, Any]:
        """The CLI/API JSON shape: ``{"text", "entities": [{type, start, end, text, recognizer, score}]}``."""
        return {"text": self.text, "entities": [e.to_dict(explain=explain) for e in self.entities]}


@lru_cache(maxsize=4)
def default_analyzer(scan: Literal["combined", "naive"] = "combined") -> Analyzer:
    """The analyzer with every registered recognizer (built once per process)."""
    return Analyzer(default_recognizers(), scan=scan)


def redact_text(text: str, entities: list[Entity]) -> str:
    """Replace each entity with its typed placeholder."""
    out: list[str] = []
    pos = 0
    for e in entities:
        out.append(text[pos:e.start])
        out.append(PLACEHOLDERS.get(e.type) or f"[{e.type}]")  # the fallback is formatted only when needed
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


class Deidentifier:
    """Analyzer + surrogate factory bound to one secret; reuse it, it compiles once."""

    def __init__(self, settings: Settings | None = None, *, analyzer: Analyzer | None = None) -> None:
        self.settings = settings or get_settings()
        self.analyzer = analyzer or default_analyzer()
        self._secret = deid_secret(self.settings)
        self._factory: SurrogateFactory | None = None

    @property
    def factory(self) -> SurrogateFactory:
        """The surrogate factory (created on first surrogate use: Faker is slow to start)."""
        if self._factory is None:
            self._factory = SurrogateFactory(self._secret)
        return self._factory

    def date_offset(self, patient_key: str) -> int:
        """The secret date shift of a patient, in days."""
        return date_offset(self._secret, patient_key)

    def run(
        self,
        text: str,
        *,
        mode: Mode = "redact",
        patient_key: str | None = None,
        mapping: Mapping | None = None,
        known: Iterable[tuple[str, str]] = (),
    ) -> DeidResult:
        """De-identify one text; surrogate mode adds to ``mapping`` (a new one when None).

        ``known`` are (type, value) pairs known to identify the patient (the record's header, the
        patient registry): every occurrence is masked even where no recognizer fires.
        """
        return self.run_many([text], mode=mode, patient_key=patient_key, mapping=mapping, known=known)[0]

    def run_many(
        self,
        texts: Sequence[str],
        *,
        mode: Mode = "redact",
        patient_key: str | None = None,
        mapping: Mapping | None = None,
        known: Iterable[tuple[str, str]] = (),
        fail_closed: bool = False,
    ) -> list[DeidResult]:
        """De-identify several texts as one document (the messages of one request).

        They are analysed together, so a name found in one (姓名：王建国 in the system prompt) is
        masked in all of them (王建国 in 现病史 of another message), and they share one mapping.
        ``fail_closed`` (the egress guard) also replaces an original value wherever else it still
        stands in the output, even where a recognizer chose not to take it.
        """
        if mode not in MODES:
            raise InputError(f"unknown de-identification mode {mode!r}; use one of: {', '.join(MODES)}.")
        if isinstance(texts, str) or any(not isinstance(t, str) for t in texts):
            raise InputError("text to de-identify must be a string.")
        joined = _SEP.join(texts)
        entities = self.analyzer.analyze(joined)
        values: dict[str, str] = {}
        for typ, value in known:
            if isinstance(value, str) and len(value.strip()) >= _MIN_KNOWN:
                values.setdefault(value.strip(), str(typ))
        if mapping is not None and patient_key is not None:
            for m in mapping:
                if m.patient == patient_key and len(m.original) >= _MIN_KNOWN and m.type not in _NOT_SEARCHED:
                    values.setdefault(m.original, m.type)
        if values:
            entities = _with_known_values(joined, entities, values)
        patient = ""
        if mode == "surrogate":
            mapping = mapping if mapping is not None else Mapping()
            patient = patient_key if patient_key is not None else f"anon-{secrets.token_hex(8)}"
        results: list[DeidResult] = []
        pos = 0
        for text in texts:
            end = pos + len(text)
            if len(texts) == 1:  # one text: the entities already index it
                own = entities
            else:
                own = [
                    e._replace(start=max(e.start, pos) - pos, end=min(e.end, end) - pos,
                               text=joined[max(e.start, pos):min(e.end, end)])
                    for e in entities
                    if e.start < end and e.end > pos and min(e.end, end) > max(e.start, pos)
                ]
            if mode == "redact":
                out = redact_text(text, own)
                results.append(DeidResult(_no_leak(out, entities, None) if fail_closed else out, own, mode))
            else:
                assert mapping is not None
                out = self._surrogate_text(text, own, patient, mapping)
                out = _no_leak(out, entities, mapping) if fail_closed else out
                results.append(DeidResult(out, own, mode, mapping))
            pos = end + len(_SEP)
        return results

    def _surrogate_text(self, text: str, entities: list[Entity], patient: str, mapping: Mapping) -> str:
        offset = mapping.date_offsets.setdefault(patient, self.date_offset(patient))
        originals = {e.text for e in entities}
        out: list[str] = []
        pos = 0
        for e in entities:
            out.append(text[pos:e.start])
            out.append(self._surrogate(e, patient, offset, mapping, originals))
            pos = e.end
        out.append(text[pos:])
        return "".join(out)

    def _surrogate(self, e: Entity, patient: str, offset: int, mapping: Mapping, originals: set[str]) -> str:
        known = mapping.get(patient, e.type, e.text)
        if known is not None:
            return self.factory.conform(e.type, e.text, known)
        sur = self.factory.make(e.type, e.text, patient, date_offset=offset)
        if e.type not in (PHIType.DATE, PHIType.TIME):  # shifted dates are a bijection already
            for attempt in range(1, 50):
                # a surrogate must not stand for two values, nor look like a real value of this text
                owner = mapping.original_of(sur)
                if (owner is None or owner == e.text) and sur not in originals:
                    break
                sur = self.factory.make(e.type, e.text, patient, date_offset=offset, attempt=attempt)
        mapping.add(MappingEntry(patient, e.type, e.text, sur))
        return sur


#: Between texts analysed together: no recognizer reads a name, number or address across it.
_SEP = "\n\n\n"
#: Known values shorter than this are not searched for (a one-character surname is everywhere).
_MIN_KNOWN = 2
#: Types whose values are not searched for verbatim (dates shift; a time of day is not unique).
_NOT_SEARCHED = (PHIType.DATE, PHIType.TIME)


def _with_known_values(text: str, entities: list[Entity], values: dict[str, str]) -> list[Entity]:
    """Also mask every occurrence of values known to identify the patient (full-width forms too)."""
    folded = fold_fullwidth(text)
    extra: list[Entity] = []
    for raw, typ in values.items():
        value = fold_fullwidth(raw)
        pos = folded.find(value)
        while pos >= 0:
            end = pos + len(value)
            extra.append(
                Entity(typ, pos, end, text[pos:end], KNOWN_VALUE, 0.9,
                       Explanation(KNOWN_VALUE, "known_value", 0.9, note="value known to identify this patient"))
            )
            pos = folded.find(value, end)
    return resolve_overlaps([*entities, *extra]) if extra else entities


def _no_leak(out: str, entities: list[Entity], mapping: Mapping | None) -> str:
    """Fail closed: an original value still in the output (it also stood where no span was taken)
    is replaced there too, by its surrogate or its placeholder."""
    types: dict[str, str] = {}
    for e in entities:
        if len(e.text) >= _MIN_KNOWN and e.type not in _NOT_SEARCHED:
            types.setdefault(e.text, e.type)
    for value in sorted(types, key=len, reverse=True):
        if value not in out:
            continue
        typ = types[value]
        new = next((m.surrogate for m in mapping if m.original == value and m.type == typ), None) if mapping else None
        out = out.replace(value, new if new and value not in new else PLACEHOLDERS.get(typ, f"[{typ}]"))
    return out


_deidentifiers: dict[tuple[str, str | None, str], Deidentifier] = {}


@on_change
def reset_caches() -> None:
    """Forget built analyzers (after a recognizer is registered at run time)."""
    default_analyzer.cache_clear()
    _deidentifiers.clear()


def _deidentifier(settings: Settings) -> Deidentifier:
    key = (settings.env, settings.deid_key, settings.secret_key)
    if key not in _deidentifiers:
        _deidentifiers[key] = Deidentifier(settings)
    return _deidentifiers[key]


def deidentify(
    text: str,
    *,
    mode: Literal["redact", "surrogate"] = "redact",
    patient_key: str | None = None,
    settings: Settings | None = None,
) -> DeidResult:
    """De-identify ``text``: typed placeholders (redact) or consistent surrogates (surrogate).

    ``patient_key`` makes surrogates and the date shift the same across calls for one patient;
    without it each call uses a fresh random key (consistent within the call only). The secret
    comes from ``settings.deid_key`` (default: the process settings).
    """
    return _deidentifier(settings or get_settings()).run(text, mode=mode, patient_key=patient_key)
