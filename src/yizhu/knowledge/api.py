"""HTTP routes of the knowledge services: code, extract, drug, search (readers); import (admin).

The lead mounts ``router`` in the app factory. Everything runs over ``settings.data_dir`` of the app,
so a test app on a temporary directory sees only what was imported into it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Response, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from yizhu.api.deps import Admin, Reader, SettingsDep
from yizhu.errors import InputError
from yizhu.knowledge.imported import IMPORT_KINDS, KnowledgeStore
from yizhu.knowledge.importers import import_file
from yizhu.knowledge.terminology import ENTITY_TYPES, terminology
from yizhu.knowledge.terminology.extract import EntityType

router = APIRouter(prefix="/v1/knowledge", tags=["knowledge"])
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class CodeIn(BaseModel):
    """One diagnosis text, or many (batch); ``top`` candidates each."""

    model_config = ConfigDict(extra="forbid")
    text: str | None = Field(default=None, max_length=2_000)
    texts: list[Annotated[str, Field(max_length=2_000)]] | None = Field(default=None, max_length=10_000)
    top: int = Field(default=5, ge=1, le=50)


class ExtractIn(BaseModel):
    """A clinical text; optionally only some entity types."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=200_000)
    types: list[EntityType] | None = None


class DrugIn(BaseModel):
    """A drug string as written on an order (brand, salt, dose form, strength)."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=500)


class CandidateOut(BaseModel):
    code: str
    name: str
    score: float
    matched: str
    via: str
    segment: str
    id: str | None


class EntityOut(BaseModel):
    text: str
    type: str
    start: int
    end: int
    negated: bool
    uncertain: bool
    code: str | None
    historical: bool
    family: bool
    id: str | None
    name: str | None
    value: str | None = None
    unit: str | None = None
    flag: str | None = None
    rules: list[str]


class SearchOut(BaseModel):
    """Hits (each with its citation), the mode (hybrid or bm25) and why it is degraded, if it is."""

    hits: list[dict[str, Any]]
    mode: str
    degraded: list[str]
    note: str | None = None


class DecideIn(BaseModel):
    """One diagnosis text, or many (batch)."""

    model_config = ConfigDict(extra="forbid")
    text: str | None = Field(default=None, max_length=2_000)
    texts: list[Annotated[str, Field(max_length=2_000)]] | None = Field(default=None, max_length=10_000)


@router.post("/code", response_model=list[CandidateOut] | list[list[CandidateOut]])
def code(body: CodeIn, _: Reader, settings: SettingsDep) -> Any:
    """Diagnosis text → ranked ICD-10 candidates; ``texts`` gives one list per text, in order."""
    if (body.text is None) == (body.texts is None):
        raise InputError("give exactly one of: text, texts")
    dx = terminology(settings.data_dir).diagnoses
    if body.text is not None:
        return [c.to_dict() for c in dx.normalise(body.text, body.top)]
    return [[c.to_dict() for c in dx.normalise(t, body.top)] for t in body.texts or []]


@router.post("/code/decide")
def code_decide(body: DecideIn, _: Reader, settings: SettingsDep) -> Any:
    """The concepts each diagnosis text contains: ``{"concepts": [...], "mode"}`` (a list of them for ``texts``)."""
    if (body.text is None) == (body.texts is None):
        raise InputError("give exactly one of: text, texts")
    coder = terminology(settings.data_dir).coder
    if body.text is not None:
        return coder.code(body.text).to_dict()
    return [r.to_dict() for r in coder.code_many(body.texts or [])]


@router.post("/extract", response_model=list[EntityOut])
def extract(body: ExtractIn, _: Reader, settings: SettingsDep, response: Response) -> Any:
    """Clinical entities with negation, uncertainty, history and family (and the rules that decided).

    The ``X-Yizhu-Extract-Mode`` header says which answered: ``rules`` or ``model <version>``.
    """
    ex = terminology(settings.data_dir).extractor
    ents = ex.extract(body.text, types=body.types)
    response.headers["X-Yizhu-Extract-Mode"] = ex.mode
    return [e.to_dict() for e in ents]


@router.post("/drug")
def drug(body: DrugIn, _: Reader, settings: SettingsDep) -> dict[str, Any] | None:
    """A drug string → the generic drug (null when nothing plausible is known)."""
    m = terminology(settings.data_dir).drugs.match(body.text)
    return m.to_dict() if m else None


@router.get("/search", response_model=SearchOut)
def search(
    _: Reader,
    settings: SettingsDep,
    q: Annotated[str, Query(min_length=1, max_length=1_000, description="the question or keywords")],
    top: Annotated[int, Query(ge=1, le=50)] = 5,
) -> SearchOut:
    """Hybrid search over guideline cards and imported documents; every hit carries a citation."""
    from yizhu.knowledge.retrieval import retriever

    res = retriever(settings.data_dir, settings).search(q, top)
    return SearchOut(hits=[h.to_dict() for h in res.hits], mode=res.mode, degraded=res.degraded, note=res.note)


@router.post("/import")
def import_(
    who: Admin,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="ICD table, formulary CSV, or a Markdown/PDF/DOCX document")],
    kind: Annotated[Literal["icd", "formulary", "document"] | None, Form()] = None,
    name: Annotated[str | None, Form(max_length=80)] = None,
    source: Annotated[str | None, Form(max_length=300)] = None,
) -> dict[str, Any]:
    """Import a hospital's own knowledge; bad rows are listed with file and line, the rest loads."""
    filename = Path(file.filename or "upload").name
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(f"{filename}: larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; import it with `yizhu kb import`")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / filename
        path.write_bytes(data)
        report = import_file(path, kind, data_dir=settings.data_dir, name=name, source=source)
    if not report.unchanged:  # who imported it, for the admin's knowledge page
        facts = {"imported_by": who.name, **({"source_note": source.strip()} if source and source.strip() else {})}
        KnowledgeStore(settings.data_dir).annotate(report.kind, report.source_id, **facts)
    return report.to_dict()


@router.get("/imports")
def imports(_: Reader, settings: SettingsDep) -> dict[str, Any]:
    """What has been imported into this installation (kinds, files, row counts, errors)."""
    return {"imports": list(KnowledgeStore(settings.data_dir).manifest().values()), "kinds": list(IMPORT_KINDS),
            "entity_types": list(ENTITY_TYPES)}
