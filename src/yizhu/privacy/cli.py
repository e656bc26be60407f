"""``yizhu deid``: de-identify a note, stdin, or a directory of notes.

Mounted by the main CLI (``app.command()(deid)``). Bad or missing input prints one line on stderr
and exits with code 2, as every yizhu command does.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from yizhu.cli.common import err_console, fail, read_text
from yizhu.errors import YizhuError

if TYPE_CHECKING:
    from yizhu.privacy.deid import Deidentifier


class DeidFormat(StrEnum):
    """Output of ``yizhu deid``."""

    text = "text"
    json = "json"


class DeidMode(StrEnum):
    """How PHI is replaced."""

    redact = "redact"
    surrogate = "surrogate"


def _render(result_text: str, payload: dict[str, object], fmt: DeidFormat) -> str:
    if fmt is DeidFormat.json:
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    return result_text if result_text.endswith("\n") else result_text + "\n"


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not any(x.startswith(".") for x in p.relative_to(root).parts))


def deid(
    path: Annotated[str, typer.Argument(help="A text file, a directory of files, or '-' for stdin.")],
    mode: Annotated[DeidMode, typer.Option("--mode", help="redact: typed placeholders; surrogate: realistic consistent values.")] = DeidMode.redact,
    fmt: Annotated[DeidFormat, typer.Option("--format", help="text: the de-identified text; json: text plus entities.")] = DeidFormat.text,
    out: Annotated[Path | None, typer.Option("--out", help="Output directory (required when PATH is a directory).")] = None,
    patient: Annotated[str | None, typer.Option("--patient", help="Patient key: same surrogates and date shift across files and runs.")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="With --format json: add why each span was taken.")] = False,
) -> None:
    """De-identify clinical text: names, ID numbers, phones, addresses, dates, record numbers …

    Entity offsets in JSON point into the original text. Surrogate mode without --patient uses a
    fresh random key per file (consistent within the file only).

    Example: yizhu deid note.txt --format json
    Example: cat note.txt | yizhu deid - --mode surrogate --patient P0001
    Example: yizhu deid notes/ --out deid/ --format json
    """
    from yizhu.config import get_settings
    from yizhu.privacy.deid import Deidentifier

    try:
        settings = get_settings()
        source = Path(path)
        if path != "-" and source.is_dir():
            if out is None:
                fail(f"{path} is a directory: pass --out DIR for the de-identified files.")
            _directory(source, out, Deidentifier(settings), mode, fmt, patient, explain)
            return
        text = read_text(path)
        result = Deidentifier(settings).run(text, mode=mode.value, patient_key=patient)
        rendered = _render(result.text, result.to_dict(explain=explain), fmt)
        if out is not None:
            name = "stdin" if path == "-" else source.name
            target = out / (name + (".json" if fmt is DeidFormat.json else ""))
            out.mkdir(parents=True, exist_ok=True)
            target.write_text(rendered, encoding="utf-8")
            err_console.print(f"wrote {target}", highlight=False)
        else:
            sys.stdout.write(rendered)
    except YizhuError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{exc.filename or path}: {exc.strerror}")


def _directory(
    root: Path, out: Path, deidentifier: Deidentifier, mode: DeidMode, fmt: DeidFormat, patient: str | None, explain: bool
) -> None:
    files = _files(root)
    if not files:
        fail(f"{root}: no files to de-identify.")
    out_resolved = out.resolve()
    files = [f for f in files if out_resolved not in f.resolve().parents]
    out.mkdir(parents=True, exist_ok=True)
    entities = 0
    with Progress(
        TextColumn("[bold]de-identifying"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=False,
    ) as progress:
        task = progress.add_task("deid", total=len(files))
        for f in files:
            text = read_text(str(f))
            result = deidentifier.run(text, mode=mode.value, patient_key=patient)
            entities += len(result.entities)
            rel = f.relative_to(root)
            target = out / rel.parent / (rel.name + (".json" if fmt is DeidFormat.json else ""))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_render(result.text, result.to_dict(explain=explain), fmt), encoding="utf-8")
            progress.advance(task)
    err_console.print(f"{len(files)} files, {entities} PHI spans → {out}", highlight=False)
