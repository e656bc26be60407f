"""The Suite seam: one class per evaluated task, with its data, its per-case scoring and its metrics.

A suite answers four questions: is the engine there (``unavailable``), which cases
(``dataset``), what happened on one case with one model (``run_case`` → ``Outcome``), and what
the numbers are over all cases (``summarise`` → ``Summary``). The runner does the rest
(models, concurrency, caching, resuming, settings, reports), so a suite stays small.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from yizhu.errors import ConfigError, ModelUnavailable
from yizhu.evaluation.dataset import Case, Dataset, shipped
from yizhu.evaluation.loaders import load_dataset
from yizhu.evaluation.metrics import Calibration, ConfusionMatrix, MetricValue, mean_metric

PROMPTS_DIR = Path(__file__).resolve().parents[1] / "prompts"
#: The model label of suites that test a deterministic engine (no model is involved).
ENGINE = "engine"
#: The no-LLM path: every model-backed suite can be run against it (it abstains).
NO_LLM = "none"

Status = Literal["ok", "abstained", "error"]


@dataclass
class RunEnv:
    """What a suite may use for one case: the gateway, the model under test and fixed sampling."""

    model: str | None
    gateway: Any = None
    temperature: float = 0.0
    seed: int = 0
    max_tokens: int | None = None
    grader: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def params(self) -> Any:
        """The GenParams of every call of the run (deterministic settings)."""
        from yizhu.llm import GenParams

        return GenParams(temperature=self.temperature, seed=self.seed, max_tokens=self.max_tokens)

    def require_model(self) -> str:
        """The model name, or ModelUnavailable (recorded as an abstention) on the no-LLM path."""
        if self.model is None or self.model == NO_LLM or self.gateway is None:
            raise ModelUnavailable("no model: the no-LLM path abstains", degraded="no_llm")
        return self.model


class Outcome(BaseModel):
    """What happened on one case: output, per-case scores and the facts the summary needs."""

    model_config = ConfigDict(extra="forbid")

    status: Status = "ok"
    output: Any = None
    scores: dict[str, float | None] = Field(default_factory=dict)
    data: dict[str, Any] = Field(default_factory=dict, description="counts, labels, confidences, grader reasoning")
    model_id: str | None = None
    error: str | None = None
    degraded: list[str] = Field(default_factory=list)


class Table(BaseModel):
    """An extra table for the report (per-type counts, per-rule misses …)."""

    model_config = ConfigDict(extra="forbid")
    title: str
    columns: list[str]
    rows: list[list[Any]]


class Summary(BaseModel):
    """A suite's numbers for one model."""

    model_config = ConfigDict(extra="forbid")

    metrics: dict[str, MetricValue] = Field(default_factory=dict)
    breakdown: dict[str, dict[str, MetricValue]] = Field(default_factory=dict)
    breakdown_title: str = "category"
    confusion: ConfusionMatrix | None = None
    calibration: Calibration | None = None
    tables: list[Table] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    failures: list[str] = Field(default_factory=list, description="a few failed cases, for reading")


class ResultView(BaseModel):
    """The part of a stored case result a suite reads back when summarising."""

    model_config = ConfigDict(extra="ignore")

    case_id: str
    category: str | None = None
    status: Status
    output: Any = None
    scores: dict[str, float | None] = Field(default_factory=dict)
    data: dict[str, Any] = Field(default_factory=dict)
    error: str | None = None


class Suite:
    """Base class of evaluation suites; subclasses set the class attributes and two methods."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    version: ClassVar[str] = "1"
    #: what is under test, in words (a task name, a component)
    engine: ClassVar[str] = ""
    #: True: run once per model (and the no-LLM path); False: a deterministic engine, run once
    uses_model: ClassVar[bool] = False
    #: dataset layouts the suite reads (yizhu's own is always accepted)
    formats: ClassVar[tuple[str, ...]] = ("yizhu",)
    #: shipped synthetic dataset used when no --data is given
    default_data: ClassVar[str | None] = None
    #: prompt template ids (evaluation/prompts) whose hashes go into the run settings and cache keys
    prompt_ids: ClassVar[tuple[str, ...]] = ()
    #: metrics shown in the per-model comparison plot, in order
    headline: ClassVar[tuple[str, ...]] = ()
    #: needs a grader model (rubric grading)
    needs_grader: ClassVar[bool] = False
    #: cases that may run at once per model (deterministic engines: 1)
    parallel: ClassVar[int] = 1

    def unavailable(self) -> str | None:
        """Why the engine cannot be evaluated here (``None``: it can)."""
        return None

    def dataset(self, path: Path | None = None, *, format: str | None = None, seed: int = 0) -> Dataset:
        """The cases: the user's file, or the shipped synthetic default."""
        if path is None:
            if self.default_data is None:
                raise ConfigError(f"suite '{self.name}' ships no default data; pass --data FILE")
            path = shipped(self.default_data)
        return load_dataset(path, format=format, accept=self.formats)

    def prompts(self) -> dict[str, dict[str, str]]:
        """Identity of every prompt the suite sends: {id: {version, sha256}} of the newest template file."""
        return {pid: prompt_identity(pid) for pid in self.prompt_ids}

    def versions(self) -> dict[str, str]:
        """Versions of what is under test (task, rule set), recorded with the run."""
        return {}

    def run_case(self, case: Case, env: RunEnv, dataset: Dataset) -> Outcome:
        """Run and score one case."""
        raise NotImplementedError

    def summarise(self, dataset: Dataset, results: Sequence[ResultView], *, seed: int = 0) -> Summary:
        """The suite's metrics over all results of one model."""
        raise NotImplementedError


_library: Any = None
_TEMPLATE = re.compile(r"^(?P<id>.+)\.v(?P<version>[0-9]+)\.j2$")


def prompt_identity(template_id: str) -> dict[str, str]:
    """{version, sha256} of the newest version of an evaluation prompt (the hash the audit records)."""
    versions = []
    for p in PROMPTS_DIR.glob(f"{template_id}.v*.j2"):
        m = _TEMPLATE.match(p.name)
        if m and m["id"] == template_id:
            versions.append((int(m["version"]), p))
    if not versions:
        raise ConfigError(f"no evaluation prompt '{template_id}' in {PROMPTS_DIR}")
    version, path = max(versions)
    return {"version": f"v{version}", "sha256": hashlib.sha256(path.read_text(encoding="utf-8").encode("utf-8")).hexdigest()}


def prompt_library() -> Any:
    """The evaluation prompts (versioned templates in ``evaluation/prompts``)."""
    global _library
    if _library is None:
        from yizhu.llm.prompts import PromptLibrary

        _library = PromptLibrary(PROMPTS_DIR)
    return _library


def render(template_id: str, **variables: Any) -> Any:
    """Render an evaluation prompt (a RenderedPrompt with id, version and sha256)."""
    return prompt_library().render(template_id, **variables)


# ── helpers shared by suites ─────────────────────────────────────────────────────────────


def abstention_metric(results: Sequence[ResultView], *, seed: int = 0) -> MetricValue:
    """Share of cases the system declined or could not answer (the no-LLM path: all of them)."""
    return mean_metric("abstention_rate", [1.0 if r.status == "abstained" else 0.0 for r in results],
                       higher_is_better=False, gate=False, title="abstention rate", seed=seed)


def by_category(results: Sequence[ResultView]) -> dict[str, list[ResultView]]:
    """Results grouped by case category (cases without one are left out)."""
    groups: dict[str, list[ResultView]] = defaultdict(list)
    for r in results:
        if r.category:
            groups[r.category].append(r)
    return dict(sorted(groups.items()))


def breakdown(results: Sequence[ResultView], fn: Callable[[Sequence[ResultView]], dict[str, MetricValue]]
              ) -> dict[str, dict[str, MetricValue]]:
    """Per-category metrics computed by ``fn`` on each group."""
    return {cat: fn(group) for cat, group in by_category(results).items()}


def failures(results: Sequence[ResultView], limit: int = 20) -> list[str]:
    """A few errored cases, for the report."""
    return [f"{r.case_id}: {r.error}" for r in results if r.status == "error"][:limit]


def stable_hash(text: str) -> str:
    """Short sha256 of a text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
