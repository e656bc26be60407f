"""The clinician pages over HTTP: sign-in, patient list → patient → encounter → document, errors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from yizhu.api.app import create_app
from yizhu.config import Settings
from yizhu.core import Finding, Patient, Severity, Span
from yizhu.core.models import Sex
from yizhu.web.pages import Mark, age_text, marked

from .conftest import Hospital
from .signin import post_form, sign_in


@pytest.fixture(scope="module")
def anon(hospital: Hospital, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A client without a key."""
    settings = Settings(env="test", data_dir=tmp_path_factory.mktemp("web-data"))
    with TestClient(create_app(settings, engine=hospital.engine)) as client:
        yield client


@pytest.fixture(scope="module")
def client(hospital: Hospital, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A client signed in through the login form as a clinician."""
    settings = Settings(env="test", data_dir=tmp_path_factory.mktemp("web-data"))
    with TestClient(create_app(settings, engine=hospital.engine)) as c:
        r = sign_in(c, hospital.clinician_key)
        assert r.status_code == 303
        yield c


def _text(html: str) -> str:
    """The visible text, roughly: tags dropped, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- sign-in ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/", "/login"),
        ("/patients", "/login"),
        ("/patients?q=张", "/login?next=%2Fpatients%3Fq%3D%25E5%25BC%25A0"),
        ("/patients/pat-web-zhang", "/login?next=%2Fpatients%2Fpat-web-zhang"),
        ("/encounters/enc-web-zhang-1", "/login?next=%2Fencounters%2Fenc-web-zhang-1"),
        ("/documents/nope", "/login?next=%2Fdocuments%2Fnope"),
    ],
)
def test_pages_without_a_key_go_to_login(anon: TestClient, path: str, location: str) -> None:
    r = anon.get(path, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == location


def test_login_page_is_a_chinese_form(anon: TestClient) -> None:
    r = anon.get("/login")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "登录医助" in r.text and 'name="key"' in r.text and 'type="password"' in r.text


@pytest.mark.parametrize(
    ("key", "status", "message"),
    [
        ("", 401, "请粘贴 API 密钥"),
        ("not-a-key", 401, "密钥无效或已被吊销"),
        ("yz_000000000000_" + "x" * 40, 401, "密钥无效或已被吊销"),
    ],
)
def test_wrong_key_stays_on_the_login_page(anon: TestClient, key: str, status: int, message: str) -> None:
    r = sign_in(anon, key)
    assert r.status_code == status
    assert message in r.text
    assert "yizhu_session" not in r.headers.get("set-cookie", "")


def test_patient_app_key_may_not_read_records(anon: TestClient, hospital: Hospital) -> None:
    r = sign_in(anon, hospital.patient_app_key)
    assert r.status_code == 403
    assert "不能查看病历" in r.text
    r = anon.get("/patients", headers={"X-API-Key": hospital.patient_app_key})
    assert r.status_code == 403 and "无权访问" in r.text and 'href="/logout"' in r.text


def test_good_key_sets_a_session_cookie_not_the_key(anon: TestClient, hospital: Hospital) -> None:
    r = sign_in(anon, f"  {hospital.clinician_key}\n", next="/patients/pat-web-zhang")
    assert r.status_code == 303
    assert r.headers["location"] == "/patients/pat-web-zhang"
    cookie = next(c for c in r.headers.get_list("set-cookie") if c.startswith("yizhu_session="))
    assert hospital.clinician_key not in cookie and hospital.clinician_key not in str(r.headers)
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower() and "Path=/" in cookie
    session_id = cookie.split(";", 1)[0].split("=", 1)[1]
    assert len(session_id) >= 32
    # the session id is no API key: the API refuses it as one
    assert anon.post("/v1/documents/parse", json={"text": "x"}, headers={"X-API-Key": session_id}).status_code == 401
    anon.cookies.clear()


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "/login", ""])
def test_login_never_redirects_off_site(anon: TestClient, hospital: Hospital, target: str) -> None:
    r = sign_in(anon, hospital.clinician_key, next=target)
    assert r.headers["location"] == "/"  # the role's home page
    anon.cookies.clear()


def test_home_and_logout(hospital: Hospital, tmp_path: Path) -> None:
    with TestClient(create_app(Settings(env="test", data_dir=tmp_path), engine=hospital.engine)) as c:
        sign_in(c, hospital.clinician_key)
        # a clinician's home is the doctor's worklist
        assert c.get("/", follow_redirects=False).headers["location"] == "/doctor"
        session_id = c.cookies["yizhu_session"]
        r = post_form(c, "/logout", {})
        assert r.status_code == 303 and r.headers["location"] == "/login"
        assert 'yizhu_session=""' in r.headers["set-cookie"] and "Max-Age=0" in r.headers["set-cookie"]
        c.cookies.clear()
        assert c.get("/patients", follow_redirects=False).headers["location"] == "/login"
        # the server ended the session: the old id no longer signs anyone in
        c.cookies.set("yizhu_session", session_id)
        assert c.get("/patients", follow_redirects=False).headers["location"] == "/login"
        c.cookies.clear()


def test_api_key_header_also_opens_pages(anon: TestClient, hospital: Hospital) -> None:
    r = anon.get("/patients", headers={"X-API-Key": hospital.clinician_key})
    assert r.status_code == 200 and "患者列表" in r.text


# --- patient list ----------------------------------------------------------------------------------


def test_patient_list_first_page(client: TestClient, hospital: Hospital) -> None:
    r = client.get("/patients")
    assert r.status_code == 200
    text = _text(r.text)
    assert f"共 {hospital.n_patients} 位患者" in text
    assert r.text.count("<tr>") == 1 + 20  # header + a full page
    assert "第 1 / 2 页" in text and "下一页" in text and "上一页" not in text
    # The columns of a row, in order: 姓名 合成, 性别, 年龄, 病案号, 科室, 就诊次数.
    assert "合成患者01 合成 女 21岁 MZ1001 急诊科 1" in text


def test_patient_list_second_page(client: TestClient, hospital: Hospital) -> None:
    r = client.get("/patients?page=2")
    assert r.text.count("<tr>") == 1 + hospital.n_patients - 20
    assert "上一页" in r.text and "下一页" not in r.text
    expected_age = age_text(Patient(id="x", birth_date=date(1967, 5, 12)))
    assert f"张测试 合成 男 {expected_age} ZY0001 心内科门诊、心内科 2" in _text(r.text)


@pytest.mark.parametrize(
    ("q", "found", "absent"),
    [
        ("张测试", ["张测试"], ["合成患者01"]),
        ("zy0001", ["张测试"], ["合成患者01"]),  # 病案号, case-insensitive
        ("MZ1003", ["合成患者03"], ["张测试"]),
        ("合成患者1", ["合成患者10", "合成患者19"], ["合成患者09", "张测试"]),
    ],
)
def test_patient_search_by_name_or_mrn(client: TestClient, q: str, found: list[str], absent: list[str]) -> None:
    r = client.get("/patients", params={"q": q})
    assert r.status_code == 200
    for name in found:
        assert name in r.text
    for name in absent:
        assert name not in r.text


def test_search_with_no_match_says_so(client: TestClient) -> None:
    r = client.get("/patients", params={"q": "无此人"})
    assert "没有找到匹配的患者" in r.text and "匹配 0 位患者" in r.text


@pytest.mark.parametrize(
    ("page", "shown"), [("0", "第 1 / 2 页"), ("-3", "第 1 / 2 页"), ("abc", "第 1 / 2 页"), ("999", "第 2 / 2 页")]
)
def test_odd_page_numbers_still_render(client: TestClient, page: str, shown: str) -> None:
    r = client.get("/patients", params={"page": page})
    assert r.status_code == 200 and shown in r.text


def test_names_are_escaped(client: TestClient) -> None:
    r = client.get("/patients", params={"q": "XSS1"})
    assert "&lt;b&gt;合成&lt;/b&gt;" in r.text and "<b>合成</b>" not in r.text


# --- patient, encounter, document ------------------------------------------------------------------


def test_patient_page(client: TestClient, hospital: Hospital) -> None:
    r = client.get(f"/patients/{hospital.patient_id}")
    assert r.status_code == 200
    text = _text(r.text)
    assert "张测试 合成" in text and "1967-05-12" in text and "ZY0001" in text
    assert "青霉素 ：皮疹 中度" in text
    # encounters newest first, with class, department, times, main diagnosis and document count
    assert re.search(r"住院 心内科 2026-03-01 09:30 — 不稳定型心绞痛 2 .*门诊 心内科门诊 2025-11-02 08:15 — 高血压病 0", text)
    assert f'href="/encounters/{hospital.encounter_id}"' in r.text


def test_encounter_page_header_diagnoses_orders_labs(client: TestClient, hospital: Hospital) -> None:
    r = client.get(f"/encounters/{hospital.encounter_id}")
    assert r.status_code == 200
    text = _text(r.text)
    for expected in (
        "住院", "病重", "心内科", "12床", "王合成", "2026-03-01 09:30", "过敏： 青霉素（皮疹）",
        "不稳定型心绞痛 主要 I20.0 初步诊断", "高血压病3级（很高危） I10",
        "阿司匹林肠溶片 100 mg 口服 qd（每日1次） 7天 执行中 2026-03-01 10:00 · 李合成",  # frequencies glossed
        "阿托伐他汀钙片 20 mg 口服 qn（每晚1次）", "冠状动脉造影",
    ):
        assert expected in text, expected
    # the abnormal lab is flagged, the normal one is not
    assert re.search(r'<tr class="abnormal">\s*<td>肌钙蛋白I</td>', r.text)
    assert "↑ 偏高" in text
    assert re.search(r'<tr class="">\s*<td>血钾</td>', r.text)


def test_encounter_page_documents_with_sections(client: TestClient, hospital: Hospital) -> None:
    r = client.get(f"/encounters/{hospital.encounter_id}")
    text = _text(r.text)
    assert "病历文书（2）" in text
    assert "入院记录 合成 2026-03-01 11:00 · 李合成" in text and "首次病程记录" in text
    assert f'href="/documents/{hospital.admission_doc_id}"' in r.text
    assert "主诉 反复胸闷3年，加重2天。" in text
    assert re.search(r'<details class="section unknown">\s*<summary>\s*<span class="heading">心理评估</span>', r.text)
    assert "非标准标题" in text
    assert r.text.count('<details class="section unknown">') == 1


def test_encounter_page_shows_the_task_results(client: TestClient, hospital: Hospital) -> None:
    r = client.get(f"/encounters/{hospital.encounter_id}")
    text = _text(r.text)
    assert "任务结果（1）" in text
    assert "文书结构检查 document.structure v1.0.0" in text
    assert "操作者 web-test" in text
    assert '<span class="sev sev-major">严重</span> <span class="finding-msg">入院记录缺少「家族史」。</span>' in r.text
    assert "structure.admission.required_section.v1" in text
    assert "structure.unknown_heading.v1" in text
    assert "依据：《病历书写基本规范》" in text
    # the more severe finding is listed first
    assert text.index("缺少「家族史」") < text.index("非标准段落标题「心理评估」")


def test_encounter_without_runs_or_documents(client: TestClient, hospital: Hospital) -> None:
    r = client.get(f"/encounters/{hospital.outpatient_encounter_id}")
    assert r.status_code == 200
    assert "此次就诊没有文书" in r.text and "尚未对此次就诊运行任何任务" in r.text


def test_document_page_highlights_findings(client: TestClient, hospital: Hospital) -> None:
    r = client.get(f"/documents/{hospital.admission_doc_id}")
    assert r.status_code == 200
    text = _text(r.text)
    assert "当前发现（2）" in text
    # the unknown heading is marked in the text itself, with the message as its tooltip
    # (with an anchor at the evidence's start, which a worklist's "定位到原文" jumps to)
    assert re.search(r'<mark id="ev-\d+" class="sev-info" title="非标准段落标题「心理评估」，已保留原文。">心理评估：</mark>', r.text)
    # the missing section has no place in the text: it is listed for the document as a whole
    assert "文书整体" in text and "入院记录缺少「家族史」" in text
    assert "住院号 ZY0001" in text and "体格检查：" in text
    assert "任务运行记录（1）" in text


def test_document_without_runs(client: TestClient, hospital: Hospital) -> None:
    r = client.get(f"/documents/{hospital.progress_doc_id}")
    assert r.status_code == 200
    text = _text(r.text)
    assert "首次病程记录" in text and "病例特点：" in text and "暂无发现" in text


@pytest.mark.parametrize(
    "path", ["/patients/nope", "/encounters/nope", "/documents/nope", "/web/static/nope.css", "/web/static/..%2Fpages.py"]
)
def test_unknown_ids_get_a_chinese_404_page(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "未找到" in r.text and "返回患者列表" in r.text


def test_stylesheet_is_served_locally(client: TestClient) -> None:
    r = client.get("/web/static/style.css")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/css")
    assert "--critical" in r.text


@pytest.mark.parametrize("path", ["/login", "/patients", "/encounters/enc-web-zhang-1"])
def test_pages_are_not_cached_and_load_nothing_from_elsewhere(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.headers["cache-control"] == "no-store"
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert "http://" not in r.text and "https://" not in r.text


# --- helpers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "age_years", "expected"),
    [
        (date(1967, 5, 12), None, "58岁"),
        (date(2025, 9, 1), None, "6月"),
        (date(2026, 3, 1), None, "10天"),
        (None, 42.0, "42岁"),
        (None, None, "—"),
    ],
)
def test_age_text(birth: date | None, age_years: float | None, expected: str) -> None:
    patient = Patient(id="p", sex=Sex.male, birth_date=birth, age_years=age_years)
    assert age_text(patient, today=date(2026, 3, 11)) == expected


def test_marked_escapes_and_wraps_evidence() -> None:
    finding = Finding(
        rule_id="r.v1", severity=Severity.major, category="c", message="a<b", source="s",
        evidence=Span(start=12, end=15, text="<x>"),
    )
    html = marked("ab<x>cd", 10, [Mark(12, 15, [finding])])
    assert str(html) == 'ab<mark id="ev-12" class="sev-major" title="a&lt;b">&lt;x&gt;</mark>cd'


# --- cross-site requests -----------------------------------------------------------------------------


def test_cookie_posts_need_this_origin_and_the_session_token(hospital: Hospital, tmp_path: Path) -> None:
    """A form on another site cannot make a signed-in browser act: no token, a wrong token or a foreign
    Origin each get a 403 page, and the session survives."""
    from .signin import form_token

    with TestClient(create_app(Settings(env="test", data_dir=tmp_path), engine=hospital.engine)) as c:
        assert sign_in(c, hospital.clinician_key).status_code == 303
        token = form_token(c)
        for data, headers in [
            ({}, {}),
            ({"csrf": "forged"}, {}),
            ({"csrf": token}, {"Origin": "https://evil.example"}),
            ({"csrf": token}, {"Origin": "null"}),
            ({"csrf": token}, {"Referer": "https://evil.example/page"}),
        ]:
            r = c.post("/logout", data=data, headers=headers, follow_redirects=False)
            assert r.status_code == 403 and "请求来源不明" in r.text, (data, headers)
        assert c.get("/patients", follow_redirects=False).status_code == 200  # still signed in
        same = c.post("/logout", data={"csrf": token}, headers={"Origin": "http://testserver"}, follow_redirects=False)
        assert same.status_code == 303 and same.headers["location"] == "/login"
        c.cookies.clear()


def test_login_form_needs_its_token_and_this_origin(anon: TestClient, hospital: Hospital) -> None:
    r = anon.post("/login", data={"key": hospital.clinician_key}, follow_redirects=False)
    assert r.status_code == 403 and "yizhu_session=" not in r.headers.get("set-cookie", "")
    page = anon.get("/login")
    from .signin import token_in

    r = anon.post("/login", data={"key": hospital.clinician_key, "csrf": token_in(page.text)},
                  headers={"Origin": "https://evil.example"}, follow_redirects=False)
    assert r.status_code == 403
    anon.cookies.clear()


def test_a_revoked_key_ends_its_sessions(hospital: Hospital, tmp_path: Path) -> None:
    import yizhu.store as store

    key = store.create_api_key(hospital.engine, role="clinician", name="to-revoke")
    with TestClient(create_app(Settings(env="test", data_dir=tmp_path), engine=hospital.engine)) as c:
        assert sign_in(c, key).status_code == 303
        assert c.get("/patients", follow_redirects=False).status_code == 200
        store.revoke_api_key(hospital.engine, key)
        assert c.get("/patients", follow_redirects=False).headers["location"] == "/login"
        c.cookies.clear()
