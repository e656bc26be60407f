"""Every text field a caller can send is bounded, as the OpenAPI shows it (maxLength, enum or pattern).

Unbounded text let one request run quadratic work for minutes; the body limit alone does not stop a
5 MB identifier. The notes API is bounded by its own owner (docs/notes.md); path parameters are bounded
by the HTTP server's line limit; an uploaded file by the body limit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from yizhu.api.app import create_app
from yizhu.config import Settings

EXEMPT_PREFIXES = ("/v1/notes/",)
EXEMPT_FIELDS = {("POST /v1/knowledge/import", "body.file")}


def _unbounded(schema: dict[str, Any], comps: dict[str, Any], path: str, seen: frozenset[str], out: list[str]) -> None:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name not in seen:
            _unbounded(comps[name], comps, path, seen | {name}, out)
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            _unbounded(sub, comps, path, seen, out)
    bounded = any(k in schema for k in ("maxLength", "enum", "const", "pattern"))
    if schema.get("format") in ("date", "date-time", "time", "binary", "uuid"):  # parsed, not stored as given
        bounded = True
    if schema.get("type") == "string" and not bounded:
        out.append(path)
    for name, sub in schema.get("properties", {}).items():
        _unbounded(sub, comps, f"{path}.{name}", seen, out)
    if isinstance(schema.get("additionalProperties"), dict):
        _unbounded(schema["additionalProperties"], comps, f"{path}.*", seen, out)
    if isinstance(schema.get("items"), dict):
        _unbounded(schema["items"], comps, f"{path}[]", seen, out)


def test_every_text_field_of_the_api_is_bounded(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'b.db'}"))
    spec = app.openapi()
    comps = spec["components"]["schemas"]
    found: list[str] = []
    for route, ops in spec["paths"].items():
        if route.startswith(EXEMPT_PREFIXES):
            continue
        for method, op in ops.items():
            label = f"{method.upper()} {route}"
            fields: list[str] = []
            for content in op.get("requestBody", {}).get("content", {}).values():
                _unbounded(content.get("schema", {}), comps, "body", frozenset(), fields)
            for prm in op.get("parameters", []):
                if prm["in"] in ("query", "header"):
                    _unbounded(prm.get("schema", {}), comps, f"{prm['in']}.{prm['name']}", frozenset(), fields)
            found += [f"{label} {f}" for f in fields if (label, f) not in EXEMPT_FIELDS]
    assert not found, "unbounded text fields:\n" + "\n".join(found)


def test_a_bound_is_enforced_with_a_problem(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    import yizhu.store as store

    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'b.db'}")
    engine = store.init_db(settings.resolved_database_url)
    key = store.create_api_key(engine, role="admin", name="b")
    with TestClient(create_app(settings, engine=engine)) as c:
        r = c.put("/v1/patients/p1", json={"id": "p1", "name": "王" * 30_000, "sex": "male", "synthetic": True},
                  headers={"X-API-Key": key})
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
