"""管理 · API 密钥 (/admin/keys): list, create and revoke keys from the page (admin only).

The same store functions as ``yizhu keys …``. A new key is shown once, on the page that created it;
the store keeps only its salted digest. Forms carry the session's CSRF token (``PageUser`` checks it).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

import yizhu.store as store
from yizhu.api.deps import EngineDep
from yizhu.errors import InputError, PermissionDenied
from yizhu.store.keys import Role
from yizhu.web.pages import ROLE, PageRoute, PageUser, templates

router = APIRouter(route_class=PageRoute, include_in_schema=False)
ROLE_LABEL = {**ROLE, "patient_app": "患者端应用"}


def _admin(user: object) -> None:
    if getattr(user, "role", None) != "admin":
        raise PermissionDenied("密钥管理仅限管理员")


def _page(request: Request, engine: object, user: object, *, new_key: str | None = None,
          message: str | None = None, status: int = 200) -> HTMLResponse:
    keys = store.list_api_keys(engine, include_revoked=True)  # type: ignore[arg-type]
    return templates.TemplateResponse(request, "admin_keys.html", {
        "user": user, "keys": keys, "new_key": new_key, "message": message, "ROLE_LABEL": ROLE_LABEL,
        "roles": [r.value for r in Role]}, status_code=status)


@router.get("/admin/keys")
def keys_page(request: Request, engine: EngineDep, user: PageUser) -> HTMLResponse:
    """Every key: name, role, created, revoked."""
    _admin(user)
    return _page(request, engine, user)


@router.post("/admin/keys")
def create_key(request: Request, engine: EngineDep, user: PageUser,
               name: Annotated[str, Form(max_length=128)] = "", role: Annotated[str, Form(max_length=32)] = "") -> Response:
    """Create a key; the page shows it once."""
    _admin(user)
    name = name.strip()
    if not name:
        raise InputError("请填写密钥名称（例如使用者或系统名）")
    if role not in {r.value for r in Role}:
        raise InputError(f"角色应为 {'、'.join(ROLE_LABEL.get(r.value, r.value) for r in Role)} 之一")
    key = store.create_api_key(engine, role, name)
    return _page(request, engine, user, new_key=key, message=f"已创建密钥「{name}」（{ROLE_LABEL.get(role, role)}）")


@router.post("/admin/keys/{key_id}/revoke")
def revoke_key(key_id: str, engine: EngineDep, user: PageUser) -> Response:
    """Revoke one key (its page sessions end at once)."""
    _admin(user)
    store.revoke_api_key(engine, key_id)
    return RedirectResponse("/admin/keys", status_code=303)
