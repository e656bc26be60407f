"""The pharmacist pages: pending reviews, a review with accept/override forms, the override report."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

import yizhu.store as store
from tests.web.signin import post_form, sign_in
from yizhu.api.app import create_app
from yizhu.clinical.registry import register
from yizhu.clinical.rx import RxReviewTask, load_payload
from yizhu.clinical.rx.api import review_context
from yizhu.config import Settings
from yizhu.knowledge.packs import KnowledgeBase
from yizhu.web.rx_pages import router as rx_pages

from .conftest import document, order

DOC = document([order("克拉霉素", 0.5, "g", frequency="bid"), order("辛伐他汀片", 20, "mg", frequency="qn")])


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase) -> Iterator[tuple[TestClient, dict[str, str], object]]:
    tmp = tmp_path_factory.mktemp("rx-pages")
    settings = Settings(data_dir=tmp, database_url=f"sqlite:///{tmp / 'p.db'}")
    engine = store.init_db(settings.resolved_database_url)
    keys = {r: store.create_api_key(engine, role=r, name=f"page-{r}") for r in ("pharmacist", "clinician", "patient_app")}
    register(RxReviewTask(kb=kb))
    app = create_app(settings, engine=engine)
    app.include_router(rx_pages)
    with TestClient(app, follow_redirects=False) as client:
        yield client, keys, engine
    register(RxReviewTask())


class _Signed:
    """A signed-in browser: page POSTs carry the session's CSRF token, as the forms do."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def get(self, url: str, **kw: object):
        return self.client.get(url, **kw)

    def post(self, url: str, data: dict[str, str]):
        return post_form(self.client, url, data, page="/rx")


def as_user(client: TestClient, key: str) -> _Signed:
    client.cookies.clear()
    assert sign_in(client, key).status_code in (303, 403)
    return _Signed(client)


def test_pages_need_a_login(env) -> None:
    client, _, _ = env
    client.cookies.clear()
    r = client.get("/rx")
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_pending_review_override_and_report(env) -> None:
    client, keys, engine = env
    _, run_id = review_context(engine, load_payload(DOC), actor="dr-synthetic")
    c = as_user(client, keys["pharmacist"])
    page = c.get("/rx")
    assert page.status_code == 200 and run_id in page.text and "禁忌" in page.text
    detail = c.get(f"/rx/reviews/{run_id}")
    assert detail.status_code == 200 and "rx.interaction.pair.v1" in detail.text and "放行（超越提示）" in detail.text
    assert detail.headers["content-security-policy"].startswith("default-src 'self'")

    missing = c.post(f"/rx/reviews/{run_id}/decide",
                     data={"alert": "rx.interaction.pair.v1:o1+o2", "decision": "override", "reason": ""})
    assert missing.status_code == 200 and "需要填写理由" in missing.text  # in Chinese on the page

    done = c.post(f"/rx/reviews/{run_id}/decide",
                  data={"alert": "rx.interaction.pair.v1:o1+o2", "decision": "override", "reason": "已沟通，合成理由"})
    assert done.status_code == 303
    assert "已放行" in c.get(f"/rx/reviews/{run_id}").text
    assert run_id not in c.get("/rx").text
    report = c.get("/rx/overrides")
    assert report.status_code == 200 and "已沟通，合成理由" in report.text


def test_clinicians_see_but_do_not_decide(env) -> None:
    client, keys, engine = env
    _, run_id = review_context(engine, load_payload(DOC), actor="dr-synthetic")
    c = as_user(client, keys["clinician"])
    assert "待药师处理" in c.get(f"/rx/reviews/{run_id}").text
    r = c.post(f"/rx/reviews/{run_id}/decide", data={"alert": "rx.interaction.pair.v1:o1+o2", "decision": "accept"})
    assert r.status_code == 403


def test_submit_a_pasted_order(env) -> None:
    client, keys, _ = env
    c = as_user(client, keys["pharmacist"])
    r = c.post("/rx/review", data={"document": json.dumps(DOC, ensure_ascii=False)})
    assert r.status_code == 303 and r.headers["location"].startswith("/rx/reviews/")
    bad = c.post("/rx/review", data={"document": "{oops"})
    assert bad.status_code == 422 and "无法审核" in bad.text


def test_patient_app_keys_are_refused(env) -> None:
    client, keys, _ = env
    assert as_user(client, keys["patient_app"]).get("/rx").status_code == 303  # no session: sign-in refused
    assert client.get("/rx", headers={"X-API-Key": keys["patient_app"]}).status_code == 403
