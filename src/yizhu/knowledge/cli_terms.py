"""Terminology and retrieval commands: ``yizhu code``, ``yizhu extract``, ``yizhu kb search``, ``yizhu kb import``.

``code_cmd`` and ``extract_cmd`` are plain Typer command functions the lead registers at top level
(``app.command("code")(code_cmd)``); ``search_cmd`` and ``import_cmd`` are registered on the ``kb``
app in ``yizhu.knowledge.cli``. JSON goes to stdout; errors are one line on stderr with exit code 2.
Batch mode (``--file F``, ``-`` for stdin) reads one text per line and prints one JSON result per line.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from yizhu.errors import InputError, YizhuError


class Fmt(StrEnum):
    json = "json"
    text = "text"


class ImportKindOpt(StrEnum):
    icd = "icd"
    formulary = "formulary"
    document = "document"


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _dump(obj: Any, indent: int | None = 2) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=indent, default=str)


def _lines(file: Path) -> Iterator[str]:
    if str(file) == "-":
        for line in sys.stdin:
            yield line.rstrip("\r\n")
        return
    if not file.is_file():
        raise InputError(f"{file}: no such file")
    with file.open(encoding="utf-8-sig", errors="replace") as fh:
        for line in fh:
            yield line.rstrip("\r\n")


def _batch(file: Path, one: Callable[[str], Any]) -> None:
    out = sys.stdout
    for line in _lines(file):
        out.write(_dump(one(line) if line.strip() else [], indent=None))
        out.write("\n")
    out.flush()


def code_cmd(
    text: Annotated[str | None, typer.Argument(help="Diagnosis text, e.g. '2型糖尿病 高血压3级'.")] = None,
    top: Annotated[int, typer.Option("--top", min=1, max=50, help="Candidates to show.")] = 5,
    file: Annotated[Path | None, typer.Option("--file", help="One diagnosis text per line (- for stdin); "
                                              "prints one JSON array per line.")] = None,
    fmt: Annotated[Fmt, typer.Option("--format", help="json or text.")] = Fmt.text,
    decide: Annotated[bool, typer.Option("--decide", help="Decide the set of concepts in each string (spans, "
                                         "exact dictionary names, codes, scores, alternatives; nothing below the "
                                         "threshold) instead of ranking candidates.")] = False,
) -> None:
    """Code diagnosis text to ranked ICD-10 candidates, or (--decide) to the concepts it contains.

    Example: yizhu code '慢阻肺急性加重' --top 3 --format json
    Example: yizhu code --file diagnoses.txt --decide --format json
    """
    from yizhu.knowledge.terminology import terminology

    if decide:
        _code_decide(text, file, fmt)
        return
    try:
        dx = terminology().diagnoses
        if file is not None:
            _batch(file, lambda t: [c.to_dict() for c in dx.normalise(t, top)])
            return
        if not text:
            _fail("give a diagnosis text or --file F")
        cands = dx.normalise(text, top)
    except YizhuError as exc:
        _fail(str(exc))
    if fmt is Fmt.json:
        typer.echo(_dump([c.to_dict() for c in cands]))
        return
    if not cands:
        typer.echo("no candidate")
    for c in cands:
        typer.echo(f"{c.code:<16} {c.score:.3f}  {c.name}   [{c.via}: {c.matched} ← {c.segment}]")


def _code_decide(text: str | None, file: Path | None, fmt: Fmt) -> None:
    from yizhu.knowledge.terminology import terminology

    try:
        coder = terminology().coder
        from yizhu.clinical.coding import (  # adapter: the LLM mode lives in clinical
            code_with_llm,
            llm_available,
        )

        if llm_available():
            class _LLMCoder:  # the same interface, one string at a time through the model
                mode = "llm"

                def code(self, t: str) -> Any:
                    return code_with_llm(coder, t)

                def code_many(self, ts: list[str]) -> list[Any]:
                    return [code_with_llm(coder, t) for t in ts]

            coder = _LLMCoder()  # type: ignore[assignment]
        if file is not None:
            out = sys.stdout
            batch: list[str] = []

            def flush() -> None:
                results = iter(coder.code_many([t for t in batch if t.strip()]))
                for t in batch:
                    res = next(results).to_dict() if t.strip() else {"concepts": [], "mode": coder.mode}
                    out.write(_dump(res, indent=None) + "\n")
                batch.clear()

            for line in _lines(file):
                batch.append(line)
                if len(batch) >= 256:
                    flush()
            flush()
            out.flush()
            return
        if not text:
            _fail("give a diagnosis text or --file F")
        res = coder.code(text)
    except YizhuError as exc:
        _fail(str(exc))
    if fmt is Fmt.json:
        typer.echo(_dump(res.to_dict()))
        return
    typer.echo(f"mode: {res.mode}")
    if not res.concepts:
        typer.echo("no standard term")
    for c in res.concepts:
        alts = "; ".join(f"{a.name} {a.score:.2f}" for a in c.alternatives[:3])
        typer.echo(f"{c.start:>3}-{c.end:<3} {c.text}  →  {c.code}  {c.name}  {c.score:.3f}" + (f"   (or: {alts})" if alts else ""))


def extract_cmd(
    text: Annotated[str | None, typer.Argument(help="Clinical text, e.g. '无发热，咳嗽3天，肺炎可能'.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="One text per line (- for stdin); prints one "
                                              "JSON array per line.")] = None,
    types: Annotated[list[str] | None, typer.Option("--type", help="Only these types (repeatable): disease, "
                                                    "symptom, drug, exam, procedure, lab, drug_category, "
                                                    "body_part, device, microorganism, department.")] = None,
    fmt: Annotated[Fmt, typer.Option("--format", help="json or text.")] = Fmt.text,
) -> None:
    """Extract diseases, symptoms, drugs, exams, procedures, lab values, body parts and more, with negation.

    Says on stderr which answered: the trained model (`yizhu train extractor`) or the rules.

    Example: yizhu extract '否认高血压病史，血红蛋白 85 g/L ↓' --format json
    """
    from yizhu.knowledge.terminology import ENTITY_TYPES, terminology

    bad = [t for t in types or [] if t not in ENTITY_TYPES]
    if bad:
        _fail(f"unknown type(s) {', '.join(bad)}; use {', '.join(ENTITY_TYPES)}")
    try:
        ex = terminology().extractor
        typer.echo(f"mode: {ex.mode}", err=True)
        if file is not None:
            _batch(file, lambda t: [e.to_dict() for e in ex.extract(t, types=types)])
            return
        if not text:
            _fail("give a text or --file F")
        ents = ex.extract(text, types=types)
    except YizhuError as exc:
        _fail(str(exc))
    if fmt is Fmt.json:
        typer.echo(_dump([e.to_dict() for e in ents]))
        return
    for e in ents:
        flags = [f for f, on in (("negated", e.negated), ("uncertain", e.uncertain), ("historical", e.historical),
                                 ("family", e.family)) if on]
        extra = f" = {e.value}{e.unit or ''}{' ' + e.flag if e.flag else ''}" if e.value else ""
        typer.echo(f"{e.start:>5}-{e.end:<5} {e.type:<9} {e.text}{extra}  {e.code or ''} {' '.join(flags)}")


def search_cmd(
    query: Annotated[str, typer.Argument(help="A question or keywords, e.g. '高血压 一线用药'.")],
    top: Annotated[int, typer.Option("--top", min=1, max=50, help="Hits to show.")] = 5,
    fmt: Annotated[Fmt, typer.Option("--format", help="json or text.")] = Fmt.text,
) -> None:
    """Search guideline cards and imported documents; every hit names its source and section.

    Example: yizhu kb search '社区获得性肺炎 抗菌药物' --top 3 --format json
    """
    from yizhu.config import get_settings, user_cache_dir
    from yizhu.knowledge.retrieval import retriever

    settings = get_settings()
    data_dir = settings.locate_data_dir()[0]
    if not data_dir.is_dir():  # never litter the working directory with an index of the shipped cards
        data_dir = user_cache_dir()
        typer.echo(f"note: no yizhu data directory here or above; the index of the shipped guideline cards is "
                   f"kept in {data_dir} (set YIZHU_DATA_DIR to use another)", err=True)
    try:
        res = retriever(data_dir, settings).search(query, top)
    except YizhuError as exc:
        _fail(str(exc))
    for d in res.degraded:
        typer.echo(f"note: {d}", err=True)
    if fmt is Fmt.json:
        typer.echo(_dump([h.to_dict() for h in res.hits]))
        return
    if not res.hits:
        typer.echo(res.note or "no hit (import guidelines with `yizhu kb import FILE --kind document`)")
    for i, h in enumerate(res.hits, start=1):
        typer.echo(f"{i}. {h.title} — {h.citation.locator}   [{h.score:.4f}]")
        typer.echo(f"   {h.text[:200]}")
        typer.echo(f"   出处: {h.source}")


def import_cmd(
    file: Annotated[Path, typer.Argument(help="ICD table (CSV/TSV), formulary CSV, or Markdown/PDF/DOCX/TXT.")],
    kind: Annotated[ImportKindOpt | None, typer.Option("--kind", help="icd, formulary or document "
                                                       "(documents are recognised by suffix).")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Source name (default: file stem); "
                                             "re-importing under the same name replaces it.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Citation text for a document, e.g. "
                                               "'中国高血压防治指南(2024年修订版)'.")] = None,
    fmt: Annotated[Fmt, typer.Option("--format", help="json or text.")] = Fmt.text,
) -> None:
    """Import a hospital's ICD table, formulary or guideline document (idempotent; bad rows reported).

    Example: yizhu kb import icd10.tsv --kind icd
    """
    from yizhu.knowledge.importers import import_file

    try:
        report = import_file(file, kind.value if kind else None, name=name, source=source)
    except YizhuError as exc:
        _fail(str(exc))
    for e in report.errors:
        typer.echo(f"{e}", err=True)
    for w in report.warnings:
        typer.echo(f"warning: {w}", err=True)
    if fmt is Fmt.json:
        typer.echo(_dump(report.to_dict()))
        return
    state = "unchanged (same file already imported)" if report.unchanged else "imported"
    typer.echo(f"{report.file}: {state} as {report.kind}/{report.source_id}: {report.loaded} of {report.rows} "
               f"row(s) loaded, {report.skipped} skipped")
