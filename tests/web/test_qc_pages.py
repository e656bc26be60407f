"""质控科 pages: the worklist from stored QC results, batch QC from the page, dashboards, CSV, drill-down.

A 6-patient synthetic demo (合成) is loaded once: every encounter with notes gets its QC run at load, and the
demo's drafts carry QC findings of their own (the "before signing" figure).
"""

from __future__ import annotations

import csv
import io
import re
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from yizhu.api.app import create_app
from yizhu.api.services import load_demo, run_task
from yizhu.clinical.qc.engine import QC_MODE_KEY
from yizhu.config import Settings
from yizhu.demo.seed import seed_activity
from yizhu.store import create_api_key, init_db, list_runs, load_context, qcindex
from yizhu.store.db import transaction, utcnow
from yizhu.store.schema import qc_batches, qc_results

from .signin import post_form, sign_in


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("qcdemo")
    engine = init_db(f"sqlite:///{(tmp / 'qc.db').as_posix()}")
    settings = Settings(env="test", data_dir=tmp / "data")
    load_demo(engine, n_patients=6)
    seed_activity(engine, settings)
    keys = {role: create_api_key(engine, role, f"qc-test-{role}") for role in ("qc_officer", "admin", "clinician", "pharmacist")}
    with TestClient(create_app(settings, engine=engine)) as client:
        yield engine, client, keys


def get(client: TestClient, keys: dict[str, str], url: str, role: str = "qc_officer"):
    return client.get(url, headers={"X-API-Key": keys[role]}, follow_redirects=False)


def test_the_worklist_lists_every_qc_checked_encounter_worst_first_from_the_audit_log(demo) -> None:
    engine, client, keys = demo
    page = get(client, keys, "/qc")
    assert page.status_code == 200 and "质控工作台" in page.text
    qc_runs = {r.encounter_id for r in list_runs(engine, task="qc.record", limit=1000)}
    rows, total = qcindex.worklist(engine, qcindex.WorklistFilter(), limit=100, offset=0)
    assert total == len(qc_runs) and {r["encounter_id"] for r in rows} == qc_runs
    scores = [r["score"] for r in rows if r["score"] is not None]
    assert scores == sorted(scores)  # worst first
    for r in rows:  # every row links its encounter, and ids sit behind 详情
        assert f'href="/encounters/{r["encounter_id"]}"' in page.text
    assert "<summary>详情</summary>" in page.text
    assert not re.search(r'<td class="num">\d+\.0</td>', page.text), "no spurious .0 in scores"


def test_running_and_terminal_records_are_told_apart(demo) -> None:
    engine, client, keys = demo
    running = get(client, keys, "/qc?kind=running").text
    terminal = get(client, keys, "/qc?kind=terminal").text
    r_rows, r_total = qcindex.worklist(engine, qcindex.WorklistFilter(kind="running"), limit=100, offset=0)
    t_rows, t_total = qcindex.worklist(engine, qcindex.WorklistFilter(kind="terminal"), limit=100, offset=0)
    assert r_total + t_total == qcindex.worklist(engine, qcindex.WorklistFilter(), limit=1, offset=0)[1]
    assert all(not r["discharged"] for r in r_rows) and all(r["discharged"] for r in t_rows)
    assert t_total > 0
    assert f"共 {r_total} 份病历" in running and f"共 {t_total} 份病历" in terminal
    bad = get(client, keys, "/qc?kind=everything")
    assert bad.status_code == 400 and "病历范围" in bad.text


def test_worklist_csv_is_utf8_with_bom_and_chinese_headers(demo) -> None:
    engine, client, keys = demo
    r = get(client, keys, "/qc/worklist.csv?kind=terminal")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["患者", "科室", "主治医师", "状态"]
    assert len(rows) - 1 == qcindex.worklist(engine, qcindex.WorklistFilter(kind="terminal"), limit=1, offset=0)[1]
    assert all(row[3] == "出院" for row in rows[1:])
    assert not any(re.fullmatch(r"\d+\.0", row[4]) for row in rows[1:])


def test_a_newer_qc_run_replaces_the_encounters_row_and_its_defects(demo) -> None:
    engine, _, _ = demo
    rows, _ = qcindex.worklist(engine, qcindex.WorklistFilter(kind="terminal"), limit=1, offset=0)
    enc = rows[0]["encounter_id"]
    ctx = load_context(engine, enc)
    ctx = ctx.model_copy(update={"extra": {**ctx.extra, QC_MODE_KEY: "encounter"}})
    _, run_id = run_task(engine, "qc.record", ctx, actor="qc-test", encounter_id=enc)
    assert qcindex.sync(engine) >= 1
    with transaction(engine) as conn:
        row = conn.execute(sa.select(qc_results).where(qc_results.c.encounter_id == enc)).one()
    assert row.run_id == run_id
    assert all(d["run_id"] == run_id for d in qcindex.defects_of(engine, enc))
    assert qcindex.sync(engine) == 0  # nothing new: nothing read


def test_a_batch_started_from_the_page_runs_to_the_end_with_progress(demo) -> None:
    engine, client, keys = demo
    sign_in(client, keys["qc_officer"], "/qc")
    try:
        before = {r.id for r in list_runs(engine, task="qc.record", limit=1000)}
        started = post_form(client, "/qc/batch", {"scope": "terminal"}, page="/qc")
        assert started.status_code == 303
        url = started.headers["location"]
        assert re.fullmatch(r"/qc/batch/[0-9a-f]{32}", url)
        deadline = time.monotonic() + 60
        while True:
            page = client.get(url)
            assert page.status_code == 200
            if 'data-state="running"' not in page.text:
                break
            assert '<meta http-equiv="refresh" content="2">' in page.text  # polls itself while running
            assert time.monotonic() < deadline, "batch did not finish in 60 s"
            time.sleep(0.2)
        assert 'data-state="done"' in page.text and "http-equiv" not in page.text
        batch = qcindex.get_batch(engine, url.rsplit("/", 1)[1])
        assert batch is not None and batch["total"] == len(qcindex.encounters_to_check(engine, "terminal"))
        assert batch["done"] == batch["total"] and batch["failed"] == 0
        new = [r for r in list_runs(engine, task="qc.record", limit=1000) if r.id not in before]
        assert len(new) == batch["total"] and all(r.actor == "qc-test-qc_officer" for r in new)
        # the page after a reload still shows the finished batch
        assert "已完成" in client.get("/qc").text
    finally:
        client.post("/logout", data={"csrf": ""})
        client.cookies.clear()


def test_a_second_batch_while_one_runs_is_refused_clearly(demo) -> None:
    engine, client, keys = demo
    running = qcindex.start_batch(engine, scope="all", started_by="另一位质控员", total=40)
    try:
        r = client.post("/qc/batch", data={"scope": "terminal"}, headers={"X-API-Key": keys["qc_officer"]},
                        follow_redirects=False)
        assert r.status_code == 409
        assert "已有一个批量质控正在运行" in r.text and "另一位质控员" in r.text
        assert 'data-state="running"' in r.text  # the running one is shown instead
        assert qcindex.get_batch(engine, running)["state"] == "running"  # type: ignore[index]
    finally:
        qcindex.finish_batch(engine, running, state="done")


def test_a_batch_whose_process_died_is_shown_as_interrupted_and_frees_the_slot(demo) -> None:
    engine, client, keys = demo
    dead = qcindex.start_batch(engine, scope="running", started_by="qc", total=10)
    with transaction(engine) as conn:
        conn.execute(qc_batches.update().where(qc_batches.c.id == dead)
                     .values(updated_at=utcnow() - timedelta(seconds=qcindex.BATCH_STALE_S + 5)))
    page = get(client, keys, f"/qc/batch/{dead}")
    assert "已中断" in page.text and "http-equiv" not in page.text
    again = qcindex.start_batch(engine, scope="running", started_by="qc", total=0)
    qcindex.finish_batch(engine, again, state="done")


@pytest.mark.parametrize("by", ["department", "doctor", "rule", "month"])
def test_dashboards_draw_their_charts_on_the_server_and_export_csv(demo, by: str) -> None:
    engine, client, keys = demo
    page = get(client, keys, f"/qc/dashboard?by={by}")
    assert page.status_code == 200
    for chart in ("chart-dist", "chart-grades", "chart-trend", "chart-jia-trend", "chart-top"):
        assert f'<svg class="chart" id="{chart}"' in page.text
    assert "<script" not in page.text and "http://" not in page.text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    r = get(client, keys, f"/qc/dashboard.csv?by={by}")
    assert r.status_code == 200 and r.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) > 1
    if by == "rule":
        assert rows[0][0] == "缺陷"
        total = sum(int(x[2]) for x in rows[1:])
        with transaction(engine) as conn:
            assert total == conn.execute(sa.text("SELECT count(*) FROM qc_defects")).scalar()
    else:
        assert rows[0][1] == "病历数"
        assert sum(int(x[1]) for x in rows[1:]) == qcindex.worklist(engine, qcindex.WorklistFilter(), limit=1, offset=0)[1]


def test_grade_rates_are_computed_over_graded_records(demo) -> None:
    engine, client, keys = demo
    groups = {g["group"]: g for g in qcindex.by_group(engine, "department", qcindex.WorklistFilter())}
    page = get(client, keys, "/qc/dashboard?by=department").text
    for name, g in groups.items():
        graded = (g["jia"] or 0) + (g["yi"] or 0) + (g["bing"] or 0)
        if graded:
            assert f"{round(100 * (g['jia'] or 0) / graded)}%" in page, name


def test_drill_down_shows_the_sentence_highlighted_and_links_to_the_mark_in_the_note(demo) -> None:
    engine, client, keys = demo
    with transaction(engine) as conn:
        row = conn.execute(sa.text("SELECT rule_id, document_id, start, \"end\" FROM qc_defects "
                                   "WHERE start IS NOT NULL AND document_id IS NOT NULL LIMIT 1")).first()
    assert row is not None, "the demo has at least one finding with a place in the text"
    page = get(client, keys, f"/qc/rules/{row.rule_id}")
    assert page.status_code == 200 and "<mark>" in page.text
    link = f"/documents/{row.document_id}#ev-{row.start}"
    assert link in page.text
    doc = get(client, keys, f"/documents/{row.document_id}")
    assert f'<mark id="ev-{row.start}"' in doc.text
    r = get(client, keys, f"/qc/rules/{row.rule_id}.csv")
    assert r.status_code == 200 and r.content.startswith("\ufeff".encode()) and "缺陷描述" in r.content.decode("utf-8-sig")


def test_the_sentence_snippet_stops_at_sentence_ends() -> None:
    from yizhu.web.qc_pages import sentence_of

    text = "主诉：胸闷3天。现病史：患者孕2产1，否认外伤。既往体健。"
    start = text.index("孕2")
    out = str(sentence_of(text, start, start + 2))
    assert out == "现病史：患者<mark>孕2</mark>产1，否认外伤。"
    assert sentence_of(text, None, None) is None
    assert "&lt;b&gt;" in str(sentence_of("<b>x</b>。", 3, 4))  # escaped


def test_before_signing_vs_terminal_figure_comes_from_stored_drafts(demo) -> None:
    engine, client, keys = demo
    drafts = qcindex.draft_qc_defects(engine)
    page = get(client, keys, "/qc/dashboard?by=rule").text
    section = page.split('id="dash-caught"', 1)[1].split("</section>", 1)[0]
    if drafts:
        assert f"<strong>{sum(drafts.values())}</strong>" in section
    assert "不落库" in section  # says what is not stored


@pytest.mark.parametrize("role", ["clinician", "pharmacist"])
def test_other_roles_may_not_open_the_qc_office_pages(demo, role: str) -> None:
    _, client, keys = demo
    for url in ("/qc", "/qc/dashboard", "/qc/worklist.csv"):
        r = get(client, keys, url, role)
        assert r.status_code == 403 and "仅限质控员与管理员" in r.text
    assert client.post("/qc/batch", data={"scope": "all"}, headers={"X-API-Key": keys[role]}).status_code == 403


def test_admin_sees_the_qc_office_and_the_nav_links_it(demo) -> None:
    _, client, keys = demo
    page = get(client, keys, "/qc", "admin")
    assert page.status_code == 200
    nav = page.text.split('<nav class="nav">', 1)[1].split("</nav>", 1)[0]
    assert 'href="/qc"' in nav


def test_bad_filters_get_a_chinese_400_page(demo) -> None:
    _, client, keys = demo
    for url, words in (("/qc?grade=A", "等级"), ("/qc?month=2026/01", "月份"), ("/qc?sort=name", "排序"),
                       ("/qc/dashboard?by=nurse", "分组")):
        r = get(client, keys, url)
        assert r.status_code == 400 and words in r.text, url


def test_rule_names_never_show_template_placeholders(demo) -> None:
    from yizhu.web.qc_pages import rule_label, rule_labels

    assert rule_label("过敏与用药冲突：患者对“{allergen}”过敏，但{where}含“{drug}”。") == "过敏与用药冲突"
    assert rule_label("{sex}患者出现“{term}”") == "…患者出现“…”"
    assert rule_label("入院记录缺少主诉。") == "入院记录缺少主诉"
    assert not [k for k, v in rule_labels().items() if "{" in v["label"]]
    _, client, keys = demo
    assert "{" not in get(client, keys, "/qc/dashboard?by=rule").text.split('id="dash-table"', 1)[1].split("</section>", 1)[0]
