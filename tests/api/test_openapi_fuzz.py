"""A bounded schemathesis run over the whole OpenAPI: 0 server errors, 0 schema violations.

Every operation gets ``EXAMPLES`` generated requests (valid and invalid bodies, parameters, headers)
as an admin, derandomized so CI sees the same run; each response is checked for a 5xx, for a status
the document does not list, for a content type it does not declare, and against its response schema.
Bounded to stay well under two minutes on two cores (``EXAMPLES`` × operations requests in all).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

import yizhu.store as store  # noqa: E402
from yizhu.api.app import create_app  # noqa: E402
from yizhu.config import Settings  # noqa: E402

EXAMPLES = 12
#: operations that start background work (an evaluation run, a probe of every configured model), and the
#: knowledge search, whose first call builds the retrieval index (a minute; tests/knowledge covers it)
SKIP = {"POST /v1/eval/runs", "POST /v1/models/{name}/check", "GET /v1/knowledge/search"}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def app_and_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, str]]:
    tmp: Path = tmp_path_factory.mktemp("fuzz")
    settings = Settings(data_dir=tmp, database_url=f"sqlite:///{tmp / 'fuzz.db'}", max_body_bytes=256_000)
    engine = store.init_db(settings.resolved_database_url)
    key = store.create_api_key(engine, role="admin", name="fuzz")
    yield create_app(settings, engine=engine), key


def test_the_openapi_holds_under_fuzzing(app_and_key) -> None:
    app, key = app_and_key
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
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
            response = case.call(headers={"X-API-Key": key}, timeout=60)
            case.validate_response(response, checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # one entry per failing operation, naming the check
            lines = [x.strip(" |") for x in str(exc).splitlines() if x.strip(" |")]
            failures.append(f"{label}: " + " / ".join(lines[:8]))
    elapsed = time.monotonic() - t0
    print(f"schemathesis: {calls} requests over the OpenAPI in {elapsed:.1f} s; {len(failures)} failing operations")
    assert not failures, "\n".join(failures)
