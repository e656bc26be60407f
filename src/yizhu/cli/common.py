"""Shared helpers for CLI commands: reading input, printing JSON, failing with one line."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console

from yizhu.core.context import decode_text
from yizhu.errors import InputError

console = Console()
err_console = Console(stderr=True)


class OutputFormat(StrEnum):
    """Output formats most commands offer."""

    json = "json"
    text = "text"


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line on stderr and exit (2: bad input or usage)."""
    err_console.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def read_text(path: str) -> str:
    """Read a UTF-8 (or GB18030) text file, or stdin for ``-``; unreadable input is an InputError."""
    if path == "-":
        return sys.stdin.read()
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file")
    if p.is_dir():
        raise InputError(f"{path}: is a directory, expected a file")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    text = decode_text(data)
    if text is not None:
        return text
    raise InputError(f"{path}: not UTF-8 or GB18030 text")


def print_json(obj: Any) -> None:
    """Print JSON to stdout unformatted by Rich (so it pipes cleanly), keeping Chinese readable."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str))
    sys.stdout.write("\n")
