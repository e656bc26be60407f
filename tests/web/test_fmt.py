"""Numbers, units, routes and frequencies as a Chinese chart writes them, and page errors in Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from yizhu import store
from yizhu.api.app import create_app
from yizhu.config import Settings
from yizhu.web.fmt import (
    clean_numbers,
    fmt_days,
    fmt_frequency,
    fmt_number,
    fmt_quantity,
    fmt_route,
    fmt_unit,
    plain_message,
)


@pytest.mark.parametrize(("value", "shown"), [
    (6.0, "6"), (0.30, "0.3"), (5.06, "5.06"), (1234.5, "1234.5"), (3, "3"), (None, "—"), (0.1 + 0.2, "0.3"),
    (0.00001, "1e-05"), ("阴性", "阴性"), (float("nan"), "—"),
])
def test_numbers_have_no_spurious_point_zero(value: object, shown: str) -> None:
    assert fmt_number(value) == shown


@pytest.mark.parametrize(("unit", "shown"), [
    ("×10^9/L", "×10⁹/L"), ("10^12/L", "×10¹²/L"), ("10*9/L", "×10⁹/L"), ("x10E9/l", "×10⁹/L"), ("g/l", "g/L"),
    ("mmol/l", "mmol/L"), ("ml", "mL"), ("umol/L", "μmol/L"), ("mL/min/1.73m2", "mL/min/1.73m²"), ("%", "%"),
    ("U/L", "U/L"), (None, ""),
])
def test_units_are_written_as_on_a_chart(unit: str | None, shown: str) -> None:
    assert fmt_unit(unit) == shown


def test_quantities_routes_frequencies_and_days() -> None:
    assert fmt_quantity(5.06, "×10^9/L") == "5.06 ×10⁹/L"
    assert fmt_quantity(134.0, "g/L") == "134 g/L"
    assert fmt_quantity(None, "mg") == "—"
    assert fmt_route("po") == "口服" and fmt_route("ivgtt") == "静脉滴注" and fmt_route("口服") == "口服"
    assert fmt_frequency("tid") == "tid（每日3次）" and fmt_frequency("每日三次") == "每日三次"
    assert fmt_days(30.0) == "30天" and fmt_days(None) == "—"


def test_engine_messages_lose_point_zero_and_bracketed_internal_names() -> None:
    assert clean_numbers("间隔 5.0 天，相差 35.3 小时，INR 2.50") == "间隔 5 天，相差 35.3 小时，INR 2.50"
    assert plain_message("克拉仙 与 辛伐他汀片 存在类别相互作用（statin_cyp3a4_sensitive × cyp3a4_strong_inhibitor）：横纹肌溶解") \
        == "克拉仙 与 辛伐他汀片 存在类别相互作用：横纹肌溶解"
    assert plain_message("存在类别相互作用（antiplatelet × antiplatelet）：出血") == "存在类别相互作用：出血"
    assert plain_message("说明书（国内上市产品）") == "说明书（国内上市产品）"  # Chinese brackets stay
    assert plain_message("属同一类（penicillin）") == "属同一类（penicillin）"  # a plain word is information


def test_page_routes_say_what_was_wrong_in_chinese(tmp_path: Path) -> None:
    settings = Settings(env="test", data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'f.db'}")
    engine = store.init_db(settings.resolved_database_url)
    key = store.create_api_key(engine, "pharmacist", "合成药师")
    with TestClient(create_app(settings, engine=engine)) as c:
        r = c.get("/doctor?page=abc", headers={"X-API-Key": key})
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["title"] == "请求有误" and r.json()["detail"] == "查询参数「page」应为整数"
        r = c.get("/rx?ward=" + "科" * 200, headers={"X-API-Key": key, "Accept": "text/html"})
        assert r.status_code == 422 and "查询参数「ward」过长（最多 128 个字符）" in r.text
        r = c.get("/no-such-page", headers={"X-API-Key": key})
        assert r.status_code == 404 and r.json()["title"] == "未找到"
        assert c.get("/v1/no-such-thing", headers={"X-API-Key": key}).json()["title"] == "Not found"  # the API's own
