"""``yizhu note``: draft a note (出院记录, 门诊病历, 入院记录, 首次病程记录) or verify any draft against its source.

The lead mounts ``app`` as ``yizhu note``.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from yizhu.cli.common import OutputFormat, console, fail, print_json, read_text
from yizhu.errors import YizhuError

app = typer.Typer(help="病历生成: grounded note drafts, and grounding checks of any draft.", no_args_is_help=True)

STATUS_MARK = {"supported": "", "unsupported": "[yellow]⚠ 无依据[/yellow] ", "contradicted": "[red]✗ 矛盾[/red] "}


class NoteKind(StrEnum):
    discharge = "discharge"
    outpatient = "outpatient"
    admission = "admission"
    progress = "progress"


def load_input(spec: str, *, pre: str | None = None) -> tuple[Any, str | None]:
    """INPUT → (ClinicalContext, encounter id if stored): a transcript, a note, a FHIR bundle, a directory or an id."""
    from yizhu.api.services import context_from_payload
    from yizhu.clinical.notes import dialogue_context, looks_like_transcript
    from yizhu.core import ClinicalContext
    from yizhu.core.context import context_from_note, decode_text
    from yizhu.core.parsing import parse_document
    from yizhu.errors import InputError

    path = Path(spec)
    pre_text = read_text(pre) if pre else None
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in (".txt", ".json", ".md"))
        if not files:
            raise InputError(f"{spec}: no .txt or .json notes in this directory")
        ctx: ClinicalContext | None = None
        transcripts: list[str] = []
        for f in files:
            text = decode_text(f.read_bytes())
            if text is None:
                raise InputError(f"{f}: not UTF-8 or GB18030 text")
            if looks_like_transcript(text):
                transcripts.append(text)
                continue
            part = context_from_payload(text) if text.lstrip().startswith("{") else context_from_note(
                parse_document(text, doc_id=f.stem))
            if ctx is None:
                ctx = part
            else:
                ctx = ctx.model_copy(update={
                    "documents": ctx.documents + part.documents, "orders": ctx.orders + part.orders,
                    "labs": ctx.labs + part.labs, "diagnoses": ctx.diagnoses + part.diagnoses,
                    "allergies": ctx.allergies + part.allergies,
                })
        if transcripts:
            return dialogue_context("\n".join(transcripts), pre_consultation=pre_text, base=ctx), None
        assert ctx is not None
        return ctx, None
    if path.is_file() or spec == "-":
        text = read_text(spec)
        if looks_like_transcript(text):
            return dialogue_context(text, pre_consultation=pre_text), None
        ctx = context_from_payload(text)
        if pre_text:
            ctx = dialogue_context(None, pre_consultation=pre_text, base=ctx)
        return ctx, None
    if "/" in spec or "\\" in spec or path.suffix:
        raise InputError(f"{spec}: no such file or directory")
    from yizhu.cli.common import stored_context

    return stored_context(spec), spec


def _print_omissions(rows: list[dict[str, Any]], coverage: dict[str, int]) -> None:
    """Source items the draft leaves out (omitted) or says it leaves out (left_out)."""
    if not coverage:
        return
    n = {k: coverage.get(k, 0) for k in ("included", "left_out", "omitted")}
    console.print(f"[bold]omission check[/bold] included {n['included']} · left out {n['left_out']} · "
                  f"omitted {n['omitted']}")
    for r in rows:
        if r["status"] != "included":  # the lists hold only what is left out
            mark = "[red]✗ omitted[/red]" if r["status"] == "omitted" else "[yellow]– left out[/yellow]"
            console.print(f"  {mark} {r['kind']}: {r['text']}  [dim]({r['source']})[/dim]", highlight=False)


def _print_text(draft: dict[str, Any]) -> None:
    console.print(f"[bold]{draft['doc_type']}[/bold]  model: {draft.get('model') or '—'}"
                  + (f"  [yellow]degraded: {', '.join(draft['degraded'])}[/yellow]" if draft["degraded"] else ""))
    for sec in draft["sections"]:
        console.print(f"[bold cyan]{sec['name']}[/bold cyan]：", end="")
        if not sec["sentences"]:
            console.print(f"[dim]（{sec.get('note') or '待补充'}）[/dim]")
            continue
        console.print()
        for s in sec["sentences"]:
            why = f" [dim]({'；'.join(s['reasons'])})[/dim]" if s["reasons"] else ""
            console.print(f"  {STATUS_MARK[s['status']]}{s['text']}{why}", highlight=False)
    _print_omissions(draft.get("omissions") or [], draft.get("coverage") or {})
    if draft["findings"]:
        console.print("[bold]findings[/bold]")
        for f in draft["findings"]:
            console.print(f"  {f['severity']:<8} {f['message']}  ({f['rule_id']})", highlight=False)


@app.command("draft")
def draft(
    input: Annotated[str, typer.Argument(help="A stored encounter id, a FHIR bundle, a directory of an admission's notes, or a dialogue transcript file.")],
    type: Annotated[NoteKind, typer.Option("--type", help="discharge | outpatient | admission | progress")] = NoteKind.discharge,
    model: Annotated[str | None, typer.Option("--model", help="A configured model name (default: the task's route).")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="json or text.")] = OutputFormat.text,
    pre: Annotated[str | None, typer.Option("--pre", help="A pre-consultation record (预问诊) to use with a transcript.")] = None,
    no_llm: Annotated[bool, typer.Option("--no-llm", help="Rule-based (extractive) draft even when a model is configured.")] = False,
    audit: Annotated[bool, typer.Option("--audit/--no-audit", help="Record the run in the audit log (the store).")] = True,
    out: Annotated[Path | None, typer.Option("--out", help="Also write the draft text (the printed note) to this file.")] = None,
) -> None:
    """Draft a note; every sentence carries its source spans and a grounding status, QC findings included.

    Example: yizhu note draft visit.txt --type outpatient --format json
    Example: yizhu note draft P0001-E1 --type discharge
    """
    from yizhu.clinical.notes import drafting
    from yizhu.clinical.notes.engine import TASKS

    try:
        ctx, encounter_id = load_input(input, pre=pre)
        run_id = None
        with drafting(model=model, use_llm=not no_llm, gateway=_gateway(no_llm)):
            if audit:
                from yizhu.api.services import run_task
                from yizhu.cli.common import database
                from yizhu.clinical.registry import register

                task = TASKS[type.value]()
                register(task)
                engine = database(create=True)
                result, run_id = run_task(engine, task.name, ctx, actor="cli", encounter_id=encounter_id)
                output = result.output
            else:
                from yizhu.clinical.notes import draft_note

                d = draft_note(type.value, ctx, gateway=_gateway(no_llm), model=model, use_llm=not no_llm)
                output = d.model_dump(mode="json")
    except YizhuError as exc:
        fail(str(exc))
    if out is not None:
        out.write_text(output["text"], encoding="utf-8")
    if fmt == OutputFormat.json:
        print_json({**output, "run_id": run_id})
    else:
        _print_text(output)
        if run_id:
            console.print(f"[dim]audit run {run_id}[/dim]")


def _gateway(no_llm: bool) -> Any:
    if no_llm:
        return None
    from yizhu.clinical.notes.engine import default_gateway

    return default_gateway()


@app.command("verify")
def verify(
    source: Annotated[list[str], typer.Option("--source", help="The source: a dialogue transcript or a note (repeat for several).")],
    draft_file: Annotated[str, typer.Option("--draft", help="The draft: a plain-text note with section headings.")],
    fmt: Annotated[OutputFormat, typer.Option("--format", help="json or text.")] = OutputFormat.json,
) -> None:
    """Check a draft from any model against its source without generating anything.

    Exit code 1 when a sentence is contradicted or unsupported (useful in batch audits).
    Example: yizhu note verify --source visit.txt --draft vendor-note.txt --format json
    """
    from yizhu.clinical.notes import verify_note

    try:
        report = verify_note([read_text(s) for s in source], read_text(draft_file))
    except YizhuError as exc:
        fail(str(exc))
    if fmt == OutputFormat.json:
        print_json({"sentences": report["sentences"], "summary": report["summary"], "omissions": report["omissions"],
                    "coverage": report["coverage"]})
    else:
        for r in report["sentences"]:
            why = f" [dim]({'；'.join(r['reasons'])})[/dim]" if r["reasons"] else ""
            console.print(f"[cyan]{r['section']}[/cyan] {STATUS_MARK[r['status']]}{r['text']}{why}", highlight=False)
        _print_omissions(report["omissions"], report["coverage"])
        s = report["summary"]
        console.print(f"supported {s['supported']} · unsupported {s['unsupported']} · contradicted {s['contradicted']}"
                      f" · omitted {s['omitted']}")
    if report["summary"]["unsupported"] or report["summary"]["contradicted"]:
        raise typer.Exit(1)
