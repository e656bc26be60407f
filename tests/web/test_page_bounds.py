"""Every text a page route takes (query, form field, header) is bounded, like the API's (tests/api/
test_text_bounds.py reads the OpenAPI, which leaves the pages out): a 5 MB query parameter is refused
before any page code runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotated_types import MaxLen
from fastapi.routing import APIRoute

from yizhu.api.app import create_app
from yizhu.config import Settings
from yizhu.web.pages import PageRoute


def _unbounded(route: APIRoute) -> list[str]:
    out = []
    dep = route.dependant

    def walk(d: Any) -> None:
        for kind in ("query_params", "header_params", "cookie_params", "body_params"):
            for f in getattr(d, kind):
                info = f.field_info
                annotation = getattr(info, "annotation", None) or f.type_
                texty = annotation is str or "str" in str(annotation)
                if texty and not any(isinstance(m, MaxLen) for m in info.metadata):
                    out.append(f"{kind[:-7]} {f.alias}")
        for sub in d.dependencies:
            walk(sub)

    walk(dep)
    return out


def test_every_text_a_page_takes_is_bounded(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'b.db'}"))
    try:  # FastAPI >= 0.165 includes routers lazily; this walks them (as tests/api/test_roles_matrix.py does)
        from fastapi.routing import iter_route_contexts
    except ImportError:
        routes: list[Any] = list(app.routes)
    else:
        routes = [getattr(c, "original_route", c) for c in iter_route_contexts(app.routes)]
    pages = [r for r in routes if isinstance(r, PageRoute)]
    assert len(pages) >= 20, "the page routes were not found"
    found = []
    for route in pages:
        found += [f"{sorted(route.methods)[0]} {route.path}: {f}" for f in _unbounded(route)]
    assert not found, "unbounded page inputs:\n" + "\n".join(sorted(set(found)))
