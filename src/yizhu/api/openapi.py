"""The OpenAPI document as the service really behaves: every error is ``application/problem+json``.

FastAPI documents only the success response and a 422 in its own validation-error shape; our errors
are RFC 9457 problem documents (``yizhu.api.errors``) with these statuses. ``honest_openapi`` adds them
to every operation, replaces FastAPI's 422 schema with the problem schema, and says how to authenticate.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details; every error of the service has this shape.",
    "properties": {
        "type": {"type": "string", "description": "about:blank"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object"}, "description": "422: one entry per invalid field"},
    },
    "required": ["type", "title", "status"],
}

#: status → description, for every operation
COMMON = {
    "400": "Bad request: unusable text (NUL, lone surrogate), JSON nested too deep, or a bad Idempotency-Key",
    "404": "Not found: no such record, run or task",
    "422": "Invalid input: the body or a parameter fails validation",
    "429": "Too many requests: the caller's rate limit (per API key, page session, or client address without "
           "either; see docs/deploy.md) or a model's capacity is used up; retry after Retry-After seconds",
    "500": "Internal or configuration error",
    "502": "A model backend failed",
    "503": "The database or every model on the route is unavailable",
}
SECURED = {
    "401": "Missing, invalid or revoked API key",
    "403": "The key's role may not do this (see the roles matrix in docs/store.md)",
}
WITH_BODY = {
    "408": "The request body did not arrive in time",
    "409": "A request with this Idempotency-Key is still running",
    "413": "Request body too large",
}
PUBLIC = {("get", "/healthz"), ("get", "/cds-services"), ("get", "/v1/rx/schema")}


def _int_header(description: str) -> dict[str, Any]:
    return {"description": description, "schema": {"type": "integer", "minimum": 0}}


#: sent with a 429 (and the RateLimit-* ones with every rate-limited response)
RATE_LIMIT_HEADERS: dict[str, Any] = {
    "Retry-After": _int_header("Seconds until the caller's window resets"),
    "RateLimit-Limit": _int_header("Requests allowed in the window"),
    "RateLimit-Remaining": _int_header("Requests left in the window"),
    "RateLimit-Reset": _int_header("Seconds until the window resets"),
    "RateLimit-Policy": {"description": "The limit and window, e.g. 3000;w=60", "schema": {"type": "string"}},
}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def honest_openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for name in ("HTTPValidationError", "ValidationError"):
        components["schemas"].pop(name, None)
    components["securitySchemes"] = {
        "ApiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
        "Bearer": {"type": "http", "scheme": "bearer"},
    }
    for path, ops in schema.get("paths", {}).items():
        for method, op in ops.items():
            if not isinstance(op, dict) or method not in ("get", "post", "put", "delete", "patch"):
                continue
            responses = op.setdefault("responses", {})
            wanted = dict(COMMON)
            if (method, path) not in PUBLIC:
                wanted.update(SECURED)
                op["security"] = [{"ApiKey": []}, {"Bearer": []}]
            if method in ("post", "put", "patch"):
                wanted.update(WITH_BODY)
                op.setdefault("parameters", []).append({
                    "name": "Idempotency-Key", "in": "header", "required": False,
                    "description": "Retry-safe POST: a retry with the same key and body returns the first answer",
                    "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[!-~]+$"},
                })
            for status, description in wanted.items():
                responses[status] = _problem(description)  # replaces FastAPI's own 422 shape too
            if path != "/healthz":
                responses["429"]["headers"] = RATE_LIMIT_HEADERS
    app.openapi_schema = schema
    return schema


def install(app: FastAPI) -> None:
    app.openapi = lambda: honest_openapi(app)  # type: ignore[method-assign]
