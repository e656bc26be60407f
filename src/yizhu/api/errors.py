"""Errors as RFC 9457 ``application/problem+json``; the only place HTTP errors are shaped."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from yizhu.errors import YizhuError

PROBLEM = "application/problem+json"
#: paths of the machine API; everything else is a page address, whose errors are said in Chinese
API_PREFIXES = ("/v1/", "/cds-services", "/openapi.json", "/healthz", "/metrics", "/docs", "/redoc")
PAGE_ERRORS = {
    404: ("未找到", "没有这个页面，请检查地址或从导航进入。"),
    405: ("方法不被允许", "此页面不接受这种请求方式。"),
    413: ("请求内容过大", "提交的内容超过了允许的大小。"),
}


def problem(status: int, title: str, detail: str | None = None, **extra: Any) -> JSONResponse:
    """A problem+json response."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    headers = {"WWW-Authenticate": "ApiKey"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into problem+json."""

    @app.exception_handler(YizhuError)
    async def _ours(request: Request, exc: YizhuError) -> JSONResponse:
        return problem(exc.status, exc.title, str(exc), instance=str(request.url.path))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": [str(x) for x in e.get("loc", ())], "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        detail = f"{'.'.join(first['loc'])}: {first['msg']}"
        return problem(422, "Invalid request", detail, errors=errors, instance=str(request.url.path))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if not request.url.path.startswith(API_PREFIXES):  # a page address: say it in Chinese (docs/web.md)
            title, detail = PAGE_ERRORS.get(exc.status_code, ("请求失败", str(exc.detail)))
            return problem(exc.status_code, title, detail, instance=str(request.url.path))
        titles = {404: "Not found", 405: "Method not allowed", 413: "Request body too large"}
        return problem(exc.status_code, titles.get(exc.status_code, "HTTP error"), str(exc.detail))
