"""Values known to identify a patient, gathered before a request leaves the hospital.

Recognizers find what the text itself marks (姓名：王建国). A request to a model often carries text
without its header: a 现病史 section that names the patient with no cue, a dialogue whose speakers
are only known from the registration desk. The egress guard therefore also masks, everywhere in
the request, every value known to identify the patient:

* from the **record** the engine works on (:func:`record_identifiers`): the patient's and the
  attending's names, numbers and address in the structured fields, and every identifier the
  recognizers find anywhere in the record's documents (headers included);
* from the **patient registry** (:func:`registry_identifiers`): the stored patient with this key and
  the attending clinicians of the patient's encounters.

Each is a list of ``(PHI type, value)`` pairs; :meth:`yizhu.privacy.Deidentifier.run_many` masks
every occurrence of each value.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from yizhu.config import Settings
from yizhu.privacy.types import PHIType

log = logging.getLogger(__name__)

Known = list[tuple[str, str]]

#: Types whose values found in a record are masked wherever they recur in a request.
_RECURRING = frozenset({
    PHIType.PERSON, PHIType.ID_CARD, PHIType.PHONE, PHIType.ADDRESS, PHIType.RECORD_ID, PHIType.BED,
    PHIType.INSURANCE_ID, PHIType.BANK_CARD, PHIType.EMAIL, PHIType.URL, PHIType.IP, PHIType.PLATE,
    PHIType.POSTCODE, PHIType.ORG, PHIType.SOCIAL_ID,
})
#: Header fields of a parsed document whose values are names.
_NAME_FIELDS = ("姓名", "医师", "医生", "护士", "签名", "记录", "联系人", "家属", "代理人", "监护人")
_ID_FIELDS = {"住院号": PHIType.RECORD_ID, "门诊号": PHIType.RECORD_ID, "病案号": PHIType.RECORD_ID,
              "身份证": PHIType.ID_CARD, "电话": PHIType.PHONE, "手机": PHIType.PHONE, "住址": PHIType.ADDRESS,
              "地址": PHIType.ADDRESS, "床号": PHIType.BED, "医保": PHIType.INSURANCE_ID}


def _add(out: Known, typ: str, value: Any) -> None:
    if isinstance(value, str) and len(value.strip()) >= 2:
        out.append((str(typ), value.strip()))


def patient_identifiers(patient: Any, encounters: Iterable[Any] = ()) -> Known:
    """The identifying fields of a patient (and the attending names of encounters), duck-typed."""
    out: Known = []
    if patient is not None:
        _add(out, PHIType.PERSON, getattr(patient, "name", None))
        _add(out, PHIType.RECORD_ID, getattr(patient, "mrn", None))
        _add(out, PHIType.PHONE, getattr(patient, "phone", None))
        _add(out, PHIType.ADDRESS, getattr(patient, "address", None))
        pid = getattr(patient, "id", None)
        # an id that looks like a record number (not a random key) identifies too
        if isinstance(pid, str) and any(c.isdigit() for c in pid) and len(pid) >= 4:
            _add(out, PHIType.RECORD_ID, pid)
    for enc in encounters:
        _add(out, PHIType.PERSON, getattr(enc, "attending", None))
        _add(out, PHIType.BED, getattr(enc, "bed", None) if len(str(getattr(enc, "bed", "") or "")) >= 3 else None)
    return out


def record_identifiers(ctx: Any) -> Known:
    """Identifiers of a clinical context: structured fields, document headers, and every identifier
    the recognizers find in its documents (a ``yizhu.core.ClinicalContext``, duck-typed)."""
    from yizhu.privacy.deid import default_analyzer

    if ctx is None:
        return []
    enc = getattr(ctx, "encounter", None)
    out = patient_identifiers(getattr(ctx, "patient", None), [enc] if enc is not None else [])
    analyzer = default_analyzer()
    for doc in getattr(ctx, "documents", None) or []:
        _add(out, PHIType.PERSON, getattr(doc, "author", None))
        for key, value in (getattr(doc, "header", None) or {}).items():
            if any(f in key for f in _NAME_FIELDS):
                _add(out, PHIType.PERSON, value)
            else:
                typ = next((t for f, t in _ID_FIELDS.items() if f in key), None)
                if typ is not None:
                    _add(out, typ, value)
        text = getattr(doc, "text", "") or ""
        if text:
            for e in analyzer.analyze(text):
                if e.type in _RECURRING:
                    _add(out, e.type, e.text)
    return list(dict.fromkeys(out))


def registry_identifiers(settings: Settings, patient_key: str | None) -> Known:
    """Identifiers of the stored patient with this key (empty when there is no such patient or store).

    Never creates a database: a SQLite file that does not exist is skipped.
    """
    if not patient_key:
        return []
    url = getattr(settings, "resolved_database_url", None)
    if not url:
        return []
    try:
        return list(_registry_lookup(url, patient_key))
    except Exception as exc:  # the registry adds to the recognizers; its absence is not an error
        log.debug("patient registry lookup for de-identification failed: %s", exc)
        return []


@lru_cache(maxsize=4)
def _engine(url: str) -> Any:
    from yizhu.store import make_engine

    return make_engine(url)


def _registry_lookup(url: str, patient_key: str) -> tuple[tuple[str, str], ...]:
    import sqlalchemy as sa

    from yizhu.errors import NotFoundError
    from yizhu.store.repo import get_patient, list_encounters

    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        db = parsed.database or ""
        if db in ("", ":memory:") or not Path(db).expanduser().is_file():
            return ()
    engine = _engine(url)
    try:
        patient = get_patient(engine, patient_key)
    except NotFoundError:
        return ()
    return tuple(patient_identifiers(patient, list_encounters(engine, patient_key, limit=100)))
