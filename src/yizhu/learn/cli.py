"""``yizhu train KIND --data FILE``: the one training command every small model shares."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from yizhu.cli.common import OutputFormat, console, err_console, fail, print_json
from yizhu.errors import YizhuError


def train_cmd(
    kind: Annotated[str, typer.Argument(help="What to train: normaliser (diagnosis coding), or another registered kind.")],
    data: Annotated[Path, typer.Option("--data", help="Labelled file (normaliser: CHIP-CDN JSON, or JSONL/CSV "
                                       "with text and names/codes; see docs/terminology.md).")],
    out: Annotated[Path | None, typer.Option("--out", help="Models directory (default <data_dir>/models, where "
                                             "engines look for the active model).")] = None,
    layout: Annotated[str | None, typer.Option("--layout", help="Force the data layout (default: recognised).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    test_fraction: Annotated[float, typer.Option("--test-fraction", help="Share held back for the model card "
                                                 "metrics (hash split of the text).")] = 0.2,
    param: Annotated[list[str] | None, typer.Option("--param", help="Trainer hyper-parameter KEY=VALUE "
                                                    "(repeatable), e.g. --param rounds=200.")] = None,
    no_activate: Annotated[bool, typer.Option("--no-activate", help="Write the model but keep the active one.")] = False,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="json or text.")] = OutputFormat.text,
) -> None:
    """Train a small model on CPU, measure it on a held-back part, write it with a model card, activate it.

    Example: yizhu train normaliser --data CHIP-CDN_train.json
    """
    from yizhu.learn.registry import run_training

    def say(msg: str) -> None:
        err_console.print(msg, highlight=False, soft_wrap=True)

    params: dict[str, object] = {}
    for p in param or []:
        k, sep, v = p.partition("=")
        if not sep or not k.strip():
            fail(f"--param needs KEY=VALUE, got '{p}'")
        try:
            params[k.strip()] = json.loads(v)
        except json.JSONDecodeError:
            params[k.strip()] = v
    try:
        outcome = run_training(kind, data, out=out, layout=layout, seed=seed, test_fraction=test_fraction,
                               activate=not no_activate, progress=say, **params)
    except YizhuError as exc:
        fail(str(exc))
    ref = outcome.model
    if fmt is OutputFormat.json:
        print_json({"kind": ref.kind, "version": ref.version, "path": str(ref.path), "active": ref.active,
                    "metrics": outcome.metrics, "card": ref.card.model_dump(mode="json")})
        return
    console.print(f"{ref.kind} model {ref.version} → {ref.path}" + (" (active)" if ref.active else ""),
                  highlight=False, soft_wrap=True)
    console.print(f"held-back metrics ({ref.card.data.held_back} records):", highlight=False)
    for k, v in outcome.metrics.items():
        console.print(f"  {k:<24} {v:.4f}", highlight=False)
