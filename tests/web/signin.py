"""Signing in as a browser does: fetch the login form, send the key with the form's CSRF token.

Page POSTs after that carry the session's CSRF token, read from any signed-in page (``form_token``).
"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from httpx import Response

_TOKEN = re.compile(r'name="csrf" value="([^"]*)"')


def token_in(html: str) -> str:
    m = _TOKEN.search(html)
    assert m is not None, "the page has no CSRF field"
    return m.group(1)


def sign_in(client: TestClient, key: str, next: str = "/patients") -> Response:
    """POST /login with the key and the login form's token; returns the response (303 on success)."""
    form = client.get("/login")
    return client.post("/login", data={"key": key, "next": next, "csrf": token_in(form.text)},
                       follow_redirects=False)


def form_token(client: TestClient, page: str = "/patients") -> str:
    """The signed-in session's CSRF token, as every form on ``page`` carries it."""
    return token_in(client.get(page, follow_redirects=False).text)


def post_form(client: TestClient, url: str, data: dict[str, str], *, page: str = "/patients") -> Response:
    """A page form POST with the session's CSRF token (as the browser sends it: same origin)."""
    return client.post(url, data={**data, "csrf": form_token(client, page)}, follow_redirects=False)
