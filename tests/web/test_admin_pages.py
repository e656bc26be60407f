"""管理 · API 密钥 page: an admin lists, creates and revokes keys; navigation follows the role."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from yizhu.api.app import create_app
from yizhu.config import Settings
from yizhu.store import authenticate_api_key, create_api_key

from .conftest import Hospital
from .signin import post_form, sign_in


def test_an_admin_creates_lists_and_revokes_a_key(hospital: Hospital, tmp_path: Path) -> None:
    admin = create_api_key(hospital.engine, "admin", "keys-page-admin")
    with TestClient(create_app(Settings(env="test", data_dir=tmp_path), engine=hospital.engine)) as c:
        assert sign_in(c, admin, "/admin/keys").status_code == 303
        page = c.get("/admin/keys")
        assert page.status_code == 200 and "keys-page-admin" in page.text and "密钥管理" in page.text
        made = post_form(c, "/admin/keys", {"name": "药剂科工作站", "role": "pharmacist"}, page="/admin/keys")
        assert made.status_code == 200 and "只显示这一次" in made.text
        key = re.search(r'<code class="key">([^<]+)</code>', made.text).group(1)  # type: ignore[union-attr]
        assert authenticate_api_key(hospital.engine, key) is not None
        key_id = key.split("_")[1]
        assert post_form(c, f"/admin/keys/{key_id}/revoke", {}, page="/admin/keys").status_code == 303
        assert authenticate_api_key(hospital.engine, key) is None
        assert "已吊销" in c.get("/admin/keys").text
        bad = post_form(c, "/admin/keys", {"name": "x", "role": "root"}, page="/admin/keys")
        assert bad.status_code == 400 and "角色应为" in bad.text


def test_other_roles_may_not_manage_keys_and_see_their_own_navigation(hospital: Hospital, tmp_path: Path) -> None:
    ph = create_api_key(hospital.engine, "pharmacist", "nav-pharmacist")
    with TestClient(create_app(Settings(env="test", data_dir=tmp_path), engine=hospital.engine)) as c:
        sign_in(c, ph)
        assert c.get("/admin/keys").status_code == 403
        nav = c.get("/patients").text.split('<nav class="nav">', 1)[1].split("</nav>", 1)[0]
        assert 'href="/rx"' in nav and 'href="/admin/keys"' not in nav and 'href="/notes/new"' not in nav
        assert 'href="/value"' not in nav
