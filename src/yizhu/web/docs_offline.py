"""/docs (Swagger UI) and /redoc served with the app's own assets: nothing is fetched from a CDN.

FastAPI's default docs pages load their scripts and styles from a public CDN, which an intranet cannot
reach (a blank page). The bundles ship in the ``fastapi-offline`` package from PyPI; this module
serves them under ``/docs-static/`` and builds both pages on them with FastAPI's own page builders.
Call ``install(app)`` on an app made with ``docs_url=None, redoc_url=None``.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse, Response

from yizhu.errors import ConfigError, NotFoundError

PREFIX = "/docs-static"
#: the asset roles and the file names fastapi-offline ships them under
ASSETS = {
    "swagger_js": "swagger-ui-bundle.js",
    "swagger_css": "swagger-ui.css",
    "redoc_js": "redoc.standalone.js",
    "favicon": "favicon.png",
}

#: URLs inside the shipped bundles that would reach the internet, and the local file served instead
#: (ReDoc's sidebar shows Redocly's logo from their CDN, unconditionally)
REWRITES = {"redoc.standalone.js": (("https://cdn.redoc.ly/redoc/logo-mini.svg", f"{PREFIX}/favicon.png"),)}
#: the docs pages may load only from this origin (inline script and style are FastAPI's page builders')
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")


@cache
def _rewritten(path: Path) -> bytes:
    data = path.read_text(encoding="utf-8")
    for old, new in REWRITES.get(path.name, ()):
        data = data.replace(old, new)
    return data.encode("utf-8")


def asset_dir() -> Path:
    """The directory holding the shipped Swagger UI / ReDoc bundles (fastapi-offline's ``static``)."""
    try:
        root = Path(str(files("fastapi_offline")))
    except ModuleNotFoundError:
        raise ConfigError("the offline API docs need the fastapi-offline package: pip install fastapi-offline") from None
    for cand in (root / "static", root):
        if all((cand / name).is_file() for name in ASSETS.values()):
            return cand
    raise ConfigError(f"fastapi-offline at {root} does not hold {', '.join(ASSETS.values())}")


def _locked(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = CSP
    return page


def install(app: FastAPI) -> None:
    """Add /docs, /docs/oauth2-redirect, /redoc and the asset route to ``app``."""
    base = asset_dir()
    shipped = set(ASSETS.values())
    title = app.title
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get(PREFIX + "/{name}", include_in_schema=False, response_model=None)
    def docs_asset(name: str) -> Response:
        if name not in shipped:
            raise NotFoundError(f"no documentation asset {name!r}")
        headers = {"Cache-Control": "public, max-age=86400"}
        if name in REWRITES:
            return Response(_rewritten(base / name), media_type="text/javascript", headers=headers)
        return FileResponse(base / name, headers=headers)

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return _locked(get_swagger_ui_html(
            openapi_url=openapi_url, title=f"{title} · Swagger UI",
            swagger_js_url=f"{PREFIX}/{ASSETS['swagger_js']}", swagger_css_url=f"{PREFIX}/{ASSETS['swagger_css']}",
            swagger_favicon_url=f"{PREFIX}/{ASSETS['favicon']}", oauth2_redirect_url="/docs/oauth2-redirect",
            # validatorUrl null: Swagger UI would otherwise send the spec to validator.swagger.io
            swagger_ui_parameters={"validatorUrl": None},
        ))

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    def oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        # with_google_fonts=False: ReDoc falls back to the system fonts instead of fetching Google's
        return _locked(get_redoc_html(openapi_url=openapi_url, title=f"{title} · ReDoc",
                                      redoc_js_url=f"{PREFIX}/{ASSETS['redoc_js']}",
                                      redoc_favicon_url=f"{PREFIX}/{ASSETS['favicon']}", with_google_fonts=False))
