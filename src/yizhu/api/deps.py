"""FastAPI dependencies as ``Annotated`` aliases: settings, engine, the authenticated principal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Request
from sqlalchemy.engine import Engine

import yizhu.store as repo
from yizhu.clinical.registry import ROLES, task_roles
from yizhu.config import Settings
from yizhu.errors import AuthError, PermissionDenied

__all__ = ["ROLES"]
#: roles that may read clinical records
READERS = ("admin", "clinician", "pharmacist", "qc_officer")
#: roles that may write clinical records
WRITERS = ("admin", "clinician")
#: the page sign-in cookie: a random session id (never the API key), see yizhu.store.sessions
COOKIE = "yizhu_session"


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key's name and role."""

    name: str
    role: str


# Dependencies that do no I/O are ``async def``: FastAPI runs a plain ``def`` dependency on the threadpool,
# one thread hop (and event-loop wake-up) per dependency per request. Those that touch the database stay
# ``def`` so they never block the event loop.


async def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


async def get_engine(request: Request) -> Engine:
    return request.app.state.engine


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
EngineDep = Annotated[Engine, Depends(get_engine)]


def _key_from(request: Request) -> str | None:
    key = request.headers.get("x-api-key")
    if key:
        return key.strip()
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return None


def get_principal(request: Request, engine: EngineDep) -> Principal:
    """Authenticate by ``X-API-Key`` or ``Authorization: Bearer``; a page session cookie authenticates reads
    only (GET/HEAD), so a cross-site form cannot make a signed-in browser write through the API."""
    key = _key_from(request)
    if not key:
        session = request.cookies.get(COOKIE) if request.method in ("GET", "HEAD") else None
        found_session = repo.session_principal(engine, session) if session else None
        if found_session is not None:
            return Principal(name=found_session[0], role=found_session[1])
        raise AuthError("missing API key: send it as the X-API-Key header (create one with `yizhu keys create`)")
    found = repo.authenticate_api_key(engine, key)
    if found is None:
        raise AuthError("invalid or revoked API key")
    name, role = found
    return Principal(name=name, role=role)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require(*roles: str):
    """A dependency that admits only the given roles (admin always)."""

    async def _check(principal: PrincipalDep) -> Principal:
        if principal.role != "admin" and principal.role not in roles:
            raise PermissionDenied(f"role '{principal.role}' may not do this; needs one of: {', '.join(roles)}")
        return principal

    return Depends(_check)


def ensure_may(principal: Principal, task: str, action: Literal["run", "decide"]) -> None:
    """Raise PermissionDenied unless the task's declaration lets this role run it / decide on its output."""
    roles = task_roles(task)
    allowed = roles.run if action == "run" else roles.decide
    if principal.role != "admin" and principal.role not in allowed:
        verb = "run" if action == "run" else "decide on the output of"
        raise PermissionDenied(
            f"role '{principal.role}' may not {verb} task '{task}'; needs one of: {', '.join(('admin', *allowed))}"
        )


def task_role(task: str, action: Literal["run", "decide"]):
    """A dependency that admits the roles a task declares for ``action`` (admin always)."""

    async def _check(principal: PrincipalDep) -> Principal:
        ensure_may(principal, task, action)
        return principal

    return Depends(_check)


Reader = Annotated[Principal, require(*READERS)]
Writer = Annotated[Principal, require(*WRITERS)]
Admin = Annotated[Principal, require("admin")]
AuditReader = Annotated[Principal, require("admin", "qc_officer")]
