"""管理员/信息科 pages: key last-used, model health (never blocking), audit verification with progress,
knowledge packs and imports (who, when, source)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

import yizhu.store as store
from tests.llm.conftest import endpoint
from yizhu.api.app import create_app
from yizhu.config import Settings
from yizhu.llm import Gateway, parse_llm_config
from yizhu.llm.testing import FakeOpenAIServer, Script
from yizhu.store.db import transaction
from yizhu.store.keys import forget_key_use_cache
from yizhu.web.sys_pages import Health

from .signin import post_form, sign_in


@pytest.fixture
def fake() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture
def site(tmp_path: Path, fake: FakeOpenAIServer) -> Iterator[tuple[TestClient, dict[str, str], object]]:
    fake.scripts["good"] = Script(["say:{\"answer\": \"是\"}"])
    fake.scripts["slow"] = Script(["hang"])
    gateway = Gateway(parse_llm_config(
        {"good": endpoint(fake, "good", retries=0, label="院内大模型"),
         "slow": endpoint(fake, "slow", retries=0, timeout_s=2.0)},
        {"default": ["good"]},
    ))
    settings = Settings(env="test", data_dir=tmp_path / "data", database_url=f"sqlite:///{tmp_path / 'sys.db'}")
    engine = store.init_db(settings.resolved_database_url)
    app = create_app(settings, engine=engine)
    app.state.gateway = gateway
    keys = {r: store.create_api_key(engine, r, f"sys-{r}") for r in ("admin", "qc_officer", "clinician")}
    try:
        with TestClient(app) as client:
            yield client, keys, engine
    finally:
        gateway.close()


def h(keys: dict[str, str], role: str = "admin") -> dict[str, str]:
    return {"X-API-Key": keys[role]}


def test_keys_page_shows_last_used(site) -> None:
    client, keys, engine = site
    forget_key_use_cache()
    unused = store.create_api_key(engine, "clinician", "从未使用的密钥")
    assert unused
    page = client.get("/admin/keys", headers=h(keys)).text.split('id="keys"', 1)[1]
    row = page.split("从未使用的密钥", 1)[1].split("</tr>", 1)[0]
    assert "从未使用" in row
    admin_row = page.split("sys-admin", 1)[1].split("</tr>", 1)[0]
    assert "从未使用" not in admin_row and datetime.now().strftime("%Y-%m-%d") in admin_row  # this request


def test_a_page_session_counts_as_use_of_its_key(site) -> None:
    client, keys, engine = site
    forget_key_use_cache()
    sign_in(client, keys["qc_officer"])
    forget_key_use_cache()
    with transaction(engine) as conn:
        conn.execute(sa.text("UPDATE api_keys SET last_used_at = NULL WHERE name = 'sys-qc_officer'"))
    assert client.get("/patients").status_code == 200  # cookie, no key header
    used = next(k for k in store.list_api_keys(engine) if k.name == "sys-qc_officer")
    assert used.last_used_at is not None


def test_model_health_is_checked_in_the_background_and_the_page_never_waits(site) -> None:
    client, keys, _ = site
    page = client.get("/admin/models", headers=h(keys))
    assert page.status_code == 200 and "院内大模型" in page.text and "尚未检查" in page.text
    t0 = time.monotonic()
    r = client.post("/admin/models/check", headers=h(keys), follow_redirects=False)
    assert r.status_code == 303
    page = client.get("/admin/models", headers=h(keys))
    assert time.monotonic() - t0 < 1.5, "starting the checks and showing the page must not wait for a model"
    slow_row = page.text.split('data-model="slow"', 1)[1].split("</tr>", 1)[0]
    assert "检查中" in slow_row  # the hanging model is still being checked
    assert '<meta http-equiv="refresh" content="2">' in page.text
    deadline = time.monotonic() + 30
    while True:
        page = client.get("/admin/models", headers=h(keys))
        if 'class="state-running"' not in page.text:
            break
        assert time.monotonic() < deadline, page.text.split('id="models"', 1)[1]
        time.sleep(0.2)
    good_row = page.text.split('data-model="good"', 1)[1].split("</tr>", 1)[0]
    slow_row = page.text.split('data-model="slow"', 1)[1].split("</tr>", 1)[0]
    assert "正常" in good_row and "毫秒" in good_row
    assert "异常" in slow_row and "结构化输出探测失败" in slow_row
    assert "http-equiv" not in page.text


def test_a_check_past_its_deadline_shows_as_timed_out() -> None:
    late = Health(started=time.monotonic() - 100, started_at=datetime.now(UTC), deadline_s=12, by="admin")
    assert late.state == "timeout"
    assert Health(started=time.monotonic(), started_at=datetime.now(UTC), deadline_s=12, by="a").state == "checking"


def test_audit_verification_runs_with_progress_and_reports_the_result(site) -> None:
    client, keys, engine = site
    for i in range(30):
        store.record_run(engine, task="demo.task", task_version="1", input_obj={"i": i}, output_obj={"ok": i},
                         actor="sys-test", duration_ms=1)
    assert client.post("/admin/audit/verify", headers=h(keys), follow_redirects=False).status_code == 303
    deadline = time.monotonic() + 30
    while True:
        page = client.get("/admin/audit", headers=h(keys)).text
        if 'data-state="running"' not in page:
            break
        assert "已核对" in page and "<progress" in page
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert 'data-state="ok"' in page and "30 条记录全部核对无误" in page


def test_a_tampered_chain_is_reported_on_the_page(site) -> None:
    client, keys, engine = site
    for i in range(3):
        store.record_run(engine, task="demo.task", task_version="1", input_obj={"i": i}, output_obj={"ok": i},
                         actor="sys-test", duration_ms=1)
    with transaction(engine) as conn:  # bypass the append-only trigger as an attacker with file access would
        conn.execute(sa.text("DROP TRIGGER IF EXISTS task_runs_no_update"))
        names = [r[0] for r in conn.execute(sa.text("SELECT name FROM sqlite_master WHERE type='trigger'"))]
        for n in names:
            if "task_runs" in n:
                conn.execute(sa.text(f"DROP TRIGGER {n}"))
        conn.execute(sa.text("UPDATE task_runs SET actor = 'mallory' WHERE seq = 2"))
    client.post("/admin/audit/verify", headers=h(keys))
    deadline = time.monotonic() + 30
    while 'data-state="running"' in (page := client.get("/admin/audit", headers=h(keys)).text):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert 'data-state="broken"' in page and "审计链被改动" in page and "seq 2" in page


def test_knowledge_page_lists_packs_and_records_who_imported_what(site, tmp_path: Path) -> None:
    client, keys, _ = site
    page = client.get("/admin/knowledge", headers=h(keys)).text
    assert "生效的知识包" in page, page[page.find("<main"):] and "药品" in page and "诊断（ICD-10）" in page
    assert "还没有导入" in page
    sign_in(client, keys["admin"], "/admin/knowledge")
    from .signin import form_token

    token = form_token(client, "/admin/knowledge")
    doc = "# 本院抗菌药物分级管理制度（合成）\n\n限制使用级抗菌药物须经主治医师以上审批。\n".encode()
    r = client.post("/admin/knowledge/import", data={"csrf": token, "kind": "document", "source": "本院药事委员会 2026"},
                    files={"file": ("抗菌药物制度.md", doc, "text/markdown")})
    assert r.status_code == 200, r.text
    assert "已导入「抗菌药物制度.md」" in r.text
    table = r.text.split('id="import-table"', 1)[1]
    assert "抗菌药物制度.md" in table and "sys-admin" in table and "指南/制度文档" in table
    assert "本院药事委员会 2026" in table
    again = client.post("/admin/knowledge/import", data={"csrf": token, "kind": "document", "source": "本院药事委员会 2026"},
                        files={"file": ("抗菌药物制度.md", doc, "text/markdown")})
    assert "未改变" in again.text and "sys-admin" in again.text.split('id="import-table"', 1)[1]
    bad = client.post("/admin/knowledge/import", data={"csrf": token, "kind": "spreadsheet"},
                      files={"file": ("x.md", b"x", "text/markdown")})
    assert bad.status_code == 400 and "导入类型" in bad.text


@pytest.mark.parametrize("role", ["qc_officer", "clinician"])
def test_only_the_admin_opens_the_system_pages(site, role: str) -> None:
    client, keys, _ = site
    for url in ("/admin", "/admin/models", "/admin/audit", "/admin/knowledge"):
        assert client.get(url, headers=h(keys, role), follow_redirects=False).status_code == 403, url
    assert client.post("/admin/audit/verify", headers=h(keys, role)).status_code == 403
    assert client.post("/admin/models/check", headers=h(keys, role)).status_code == 403


def test_admin_nav_links_the_system_pages(site) -> None:
    client, keys, _ = site
    r = client.get("/admin", headers=h(keys), follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/admin/keys"
    nav = client.get("/admin/keys", headers=h(keys)).text.split('<nav class="nav">', 1)[1].split("</nav>", 1)[0]
    assert 'href="/admin"' in nav and 'href="/qc"' in nav


def test_the_page_form_posts_need_the_session_token(site) -> None:
    client, keys, _ = site
    sign_in(client, keys["admin"], "/admin/audit")
    assert client.post("/admin/audit/verify", data={"csrf": "wrong"}, follow_redirects=False).status_code == 403
    assert post_form(client, "/admin/audit/verify", {}, page="/admin/audit").status_code == 303


def test_an_import_through_the_api_records_who_made_it(site) -> None:
    client, keys, _ = site
    doc = "# 本院输血管理规定（合成）\n\n输血前须双人核对。\n".encode()
    r = client.post("/v1/knowledge/import", headers=h(keys), data={"kind": "document", "source": "本院 2026"},
                    files={"file": ("输血规定.md", doc, "text/markdown")})
    assert r.status_code == 200, r.text
    table = client.get("/admin/knowledge", headers=h(keys)).text.split('id="import-table"', 1)[1]
    row = table.split("输血规定.md", 1)[1].split("</tr>", 1)[0]
    assert "sys-admin" in row
