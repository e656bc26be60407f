"""``yizhu triage``: 智能导诊 from the patient's words (one text, or a JSONL batch with ``--file``)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from yizhu.cli.common import OutputFormat, console, fail, print_json, read_text
from yizhu.errors import YizhuError

URGENCY_CN = {"emergency": "[red]紧急：请立即去急诊或拨打120[/red]", "urgent": "[yellow]尽快就诊[/yellow]",
              "routine": "普通门诊"}


def _print(out: dict[str, Any]) -> None:
    console.print(URGENCY_CN[out["urgency"]], highlight=False)
    for f in out["red_flags"]:
        console.print(f"  [red]红旗征[/red] {f['name']}：{f['message']}", highlight=False)
    for i, d in enumerate(out["departments"], 1):
        console.print(f"  {i}. {d['name']}  {d['score']:.2f}  {'；'.join(d['reasons'])}", highlight=False)
    for why in out.get("degraded") or []:
        console.print(f"  [yellow]降级[/yellow] {why}", highlight=False)


def triage_cmd(
    text: Annotated[str | None, typer.Argument(help="The complaint in the patient's words.")] = None,
    file: Annotated[str | None, typer.Option("--file", help="JSONL batch: one {\"text\", \"age\", \"sex\", "
                                             "\"id\"} per line ('-' for stdin); one JSON result per line out.")] = None,
    age: Annotated[float | None, typer.Option("--age", help="Age in years (default: read from the text).")] = None,
    sex: Annotated[str | None, typer.Option("--sex", help="male or female.")] = None,
    departments: Annotated[str | None, typer.Option("--departments", help="The hospital's department names, "
                                                    "comma-separated (default: the departments pack).")] = None,
    no_model: Annotated[bool, typer.Option("--no-model", help="Knowledge only, even if a model is trained.")] = False,
    no_llm: Annotated[bool, typer.Option("--no-llm", help="No LLM re-rank, even if a model is routed for "
                                         "triage.rerank.")] = False,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="json or text.")] = OutputFormat.text,
) -> None:
    """Departments ranked with scores and reasons, urgency (emergency/urgent/routine) and red flags."""
    from yizhu.clinical.triage import run_triage

    if (text is None) == (file is None):
        fail("give the complaint TEXT or --file FILE (one of them)")
    if sex is not None and sex not in ("male", "female"):
        fail(f"--sex must be male or female, got '{sex}'")
    depts = [d.strip() for d in departments.split(",") if d.strip()] if departments else None
    try:
        if text is not None:
            out = run_triage(text, age=age, sex=sex, departments=depts, use_model=not no_model, use_llm=not no_llm)
            print_json(out) if fmt == OutputFormat.json else _print(out)
            return
        assert file is not None
        lines = read_text(file).splitlines()
        batch: list[tuple[dict[str, Any], int]] = []
        for i, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                fail(f"{file}:{i}: not JSON ({exc.msg})")
            if not isinstance(obj, dict) or not isinstance(obj.get("text") or obj.get("complaint"), str):
                fail(f"{file}:{i}: each line needs a string 'text'")
            batch.append((obj, i))
        for obj, i in batch:
            try:
                res = run_triage(obj.get("text") or obj["complaint"],
                                 age=obj.get("age") if isinstance(obj.get("age"), int | float) else age,
                                 sex=obj.get("sex") if obj.get("sex") in ("male", "female") else sex,
                                 departments=depts, use_model=not no_model, use_llm=not no_llm)
            except YizhuError as exc:
                fail(f"{file}:{i}: {exc}")
            row = {"id": obj.get("id", i), **res}
            if fmt == OutputFormat.json:
                print(json.dumps(row, ensure_ascii=False))
            else:
                console.print(f"[bold]{row['id']}[/bold]", highlight=False)
                _print(res)
    except YizhuError as exc:
        fail(str(exc))
