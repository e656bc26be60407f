"""A bounded schemathesis run over the whole OpenAPI: 0 server errors, 0 schema violations.

Every operation gets ``EXAMPLES`` generated requests (valid and invalid bodies, parameters, headers)
as an admin, derandomized so CI sees the same run; each response is checked for a 5xx, for a status
the document does not list, for a content type it does not declare, and against its response schema.
Bounded to stay well under two minutes on two cores (``EXAMPLES`` × operations requests in all).

Every operation is fuzzed, the three with background or model work too, kept fast and real:

- ``POST /v1/models/{name}/check`` and chat probe models configured on a purpose-built misbehaving
  OpenAI-compatible server on loopback (``yizhu.llm.testing``): one answers, one fails by turns (500,
  malformed JSON, a cut-off body, 429, a reset connection); every other case names a configured model
  (check: both; chat: the one that answers, since a failing model is a documented 502/503 there);
- ``POST /v1/eval/runs`` gets, every other case, a real run of a fast suite limited to one case (the runs
  finish in the background and are waited for);
- ``GET /v1/knowledge/search`` searches a retriever over the hypertension and diabetes cards only
  (its index builds in seconds; the full index is tests/knowledge's).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

import yizhu.evaluation.api as eval_api  # noqa: E402
import yizhu.knowledge.retrieval as retrieval  # noqa: E402
import yizhu.store as store  # noqa: E402
from yizhu.api.app import create_app  # noqa: E402
from yizhu.config import Settings  # noqa: E402
from yizhu.knowledge.packs import KnowledgeBase, Pack, get_kb  # noqa: E402
from yizhu.llm.testing import FakeOpenAIServer, Script  # noqa: E402

EXAMPLES = 12
SKIP: set[str] = set()  # every operation is fuzzed
MODELS = ("steady", "flaky")
FAST_SUITES = ("qc", "deid", "rx", "triage")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _small_kb() -> KnowledgeBase:
    kb = get_kb()
    cards = [c for c in kb.pack("guideline") if c.id.startswith(("gl:htn", "gl:dm", "gl:t2dm"))]
    return KnowledgeBase({**kb.packs, "guideline": Pack("guideline", cards, kb.pack("guideline").files)})


@pytest.fixture(scope="module")
def app_and_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, str]]:
    tmp: Path = tmp_path_factory.mktemp("fuzz")
    with FakeOpenAIServer() as fake:
        fake.scripts["steady"] = Script(["ok"])
        fake.scripts["flaky"] = Script(["500", "malformed", "ok", "truncate", "429", "reset"] * 50)
        settings = Settings(data_dir=tmp, database_url=f"sqlite:///{tmp / 'fuzz.db'}", max_body_bytes=256_000)
        settings.extra_sections = {"models": {
            name: {"base_url": fake.base_url, "model": name, "backoff_s": 0.001, "retries": 0} for name in MODELS}}
        engine = store.init_db(settings.resolved_database_url)
        key = store.create_api_key(engine, role="admin", name="fuzz")
        root = retrieval.knowledge_dir(tmp).resolve()
        retrieval._cache[root] = retrieval.Retriever(tmp, settings=settings, kb=_small_kb())  # the app's retriever
        try:
            yield create_app(settings, engine=engine), key
        finally:
            retrieval.invalidate(tmp)
            _wait_for_eval_runs()


def _wait_for_eval_runs(timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with eval_api._lock:
            if not any(v.get("state") == "running" for v in eval_api._live.values()):
                return
        time.sleep(0.2)


def _aim(label: str, case: Any, n: int) -> None:
    """Every other case of the model and evaluation operations names what is configured (random names
    would all be 404s): a configured model, or a fast suite limited to one case."""
    if n % 2:
        return
    if label == "POST /v1/models/{name}/check":  # a failing model is a report saying so, never a 5xx
        case.path_parameters = {**(case.path_parameters or {}), "name": MODELS[(n // 2) % len(MODELS)]}
    elif label == "POST /v1/models/{name}/chat":  # a failing model is a documented 502/503 (tests/llm)
        case.path_parameters = {**(case.path_parameters or {}), "name": "steady"}
    elif label == "POST /v1/eval/runs":
        case.body = {"suite": FAST_SUITES[(n // 2) % len(FAST_SUITES)], "limit": 1, "models": ["none"]}


def test_the_openapi_holds_under_fuzzing(app_and_key) -> None:
    app, key = app_and_key
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    statuses: dict[str, set[int]] = {}
    calls = 0
    t0 = time.monotonic()
    for result in schema.get_all_operations():
        op = result.ok()
        label = f"{op.method.upper()} {op.path}"
        if label in SKIP:
            continue

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=op.as_strategy())
        def run(case) -> None:
            nonlocal calls
            calls += 1
            name = f"{case.operation.method.upper()} {case.operation.path}"
            _aim(name, case, calls)
            response = case.call(headers={"X-API-Key": key}, timeout=60)
            statuses.setdefault(name, set()).add(response.status_code)
            case.validate_response(response, checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # one entry per failing operation, naming the check
            lines = [x.strip(" |") for x in str(exc).splitlines() if x.strip(" |")]
            failures.append(f"{label}: " + " / ".join(lines[:8]))
    _wait_for_eval_runs()
    elapsed = time.monotonic() - t0
    print(f"schemathesis: {calls} requests over the OpenAPI in {elapsed:.1f} s; {len(failures)} failing operations")
    assert not failures, "\n".join(failures)
    # the aimed cases reached the work itself, not only the validation in front of it
    assert 202 in statuses["POST /v1/eval/runs"], statuses["POST /v1/eval/runs"]
    assert 200 in statuses["POST /v1/models/{name}/check"], statuses["POST /v1/models/{name}/check"]
    assert 200 in statuses["POST /v1/models/{name}/chat"], statuses["POST /v1/models/{name}/chat"]
    assert 200 in statuses["GET /v1/knowledge/search"], statuses["GET /v1/knowledge/search"]
