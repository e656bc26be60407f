"""Each role's main flow on its worklist in real headless Chromium, at desktop (1366 px) and phone (390 px)
width, with the bounding-box overlap check and full-page screenshots kept in the test's tmp directory.

- 医生: sign in → lands on /doctor → sign a draft (1366) or reject a QC finding with a reason (390) as a
  partial update (the page is not reloaded) → jump from a QC finding to its highlighted sentence.
- 药师: sign in → lands on /rx → sort by drug → override with a reason (1366) or uphold (390), partial →
  the rule's override history shows the reason.

The app runs under uvicorn on loopback over a synthetic demo hospital (合成) with its first-start activity.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.web.live import serving
from tests.web.test_offline import ARGS, NO_OVERLAP, OVERLAP_JS
from yizhu import store
from yizhu.api.app import create_app
from yizhu.api.services import load_demo
from yizhu.config import Settings
from yizhu.demo.seed import seed_activity
from yizhu.web import worklist

pytestmark = pytest.mark.browser

#: the worklists' own groups of siblings that must not overlap
WORKLIST_OVERLAP = (*NO_OVERLAP, ".wl-head > *", ".wl-actions > *", "form.decide > *", ".tabs > a", ".pager > *",
                    "#rx-filters > *", ".page-head > *")


@dataclass
class Served:
    base: str
    engine: object
    keys: dict[str, str]
    drafting: str
    qc: str


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("worklist-browser")
    settings = Settings(env="test", data_dir=tmp, database_url=f"sqlite:///{(tmp / 'y.db').as_posix()}")
    engine = store.init_db(settings.resolved_database_url)
    load_demo(engine, n_patients=16)
    seed_activity(engine, settings)
    worklist.sync(engine)
    drafting = worklist.list_items(engine, "draft", limit=1)[0][0].doctor
    qc_rows = worklist.list_items(engine, "qc_finding", limit=100)[0]
    qc = next(r.doctor for r in qc_rows if r.data.get("evidence"))
    keys = {name: store.create_api_key(engine, "clinician", name) for name in {drafting, qc}}
    keys["pharmacist"] = store.create_api_key(engine, "pharmacist", "合成药师")
    with serving(create_app(settings, engine=engine)) as base:
        yield Served(base, engine, keys, drafting, qc)


def _sign_in(page, base: str, key: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#key", key)
    page.click("button[type=submit]")


def _check_layout(page, name: str, width: int, tmp_path: Path, problems: list[str]) -> None:
    problems += [f"{name} @{width}px: {p}" for p in page.evaluate(OVERLAP_JS, list(WORKLIST_OVERLAP))]
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if wide > 1:
        problems.append(f"{name} @{width}px: page is {wide}px wider than the screen")
    shot = tmp_path / f"{name}-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000, f"{shot} looks empty"


def _no_reload_marker(page) -> None:
    page.evaluate("window.__stillHere = 'yes'")


def _still_same_page(page) -> bool:
    return page.evaluate("window.__stillHere") == "yes"


@pytest.mark.parametrize("width", [1366, 390])
def test_the_doctor_decides_from_the_worklist_and_jumps_to_the_sentence(
    browser_path: Path, served: Served, tmp_path: Path, width: int
) -> None:
    from playwright.sync_api import expect, sync_playwright

    doctor = served.drafting if width == 1366 else served.qc
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(browser_path), headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900}, locale="zh-CN")
            page.set_default_timeout(15_000)
            _sign_in(page, served.base, served.keys[doctor])
            expect(page).to_have_url(f"{served.base}/doctor")
            expect(page.locator("h1")).to_contain_text(f"医生工作台 · {doctor}")
            _check_layout(page, "doctor", width, tmp_path, problems)

            if width == 1366:  # sign a waiting draft in place
                page.goto(f"{served.base}/doctor?tab=drafts")
                row = page.locator("li.wl-row").first
                row_id = row.get_attribute("id")
                _no_reload_marker(page)
                row.get_by_role("button", name="签署").click()
                expect(page.locator(f"#{row_id} .decided")).to_have_text("已签署")
                assert _still_same_page(page), "the decision reloaded the page"
                assert page.url == f"{served.base}/doctor?tab=drafts"
            else:  # reject a QC finding: the reason is required, then recorded
                page.goto(f"{served.base}/doctor?tab=qc")
                row = page.locator("li.wl-row").first
                row_id = row.get_attribute("id")
                _no_reload_marker(page)
                row.get_by_role("button", name="不成立").click()
                expect(page.locator(f"#{row_id} [role=alert]")).to_contain_text("理由")
                page.locator(f"#{row_id} input[name=reason]").fill("合成：已在病程记录中说明")
                page.locator(f"#{row_id}").get_by_role("button", name="不成立").click()
                expect(page.locator(f"#{row_id} .decided")).to_have_text("不成立")
                assert _still_same_page(page)

            # a QC finding jumps to its highlighted sentence in the note (as the doctor who has one)
            if doctor != served.qc:
                page.context.clear_cookies()
                _sign_in(page, served.base, served.keys[served.qc])
            page.goto(f"{served.base}/doctor?tab=qc&status=all")
            jump = page.locator("a.jump[href*='#ev-']").first
            expect(jump).to_be_visible()
            jump.click()
            page.wait_for_url("**/documents/**#ev-*")
            target = page.evaluate("""() => { const t = document.querySelector(':target');
                if (!t) return null; const r = t.getBoundingClientRect();
                return {tag: t.tagName, top: r.top, bottom: r.bottom, h: innerHeight}; }""")
            assert target and target["tag"] == "MARK", target
            assert 0 <= target["top"] < target["h"], f"the sentence is not on screen: {target}"
            _check_layout(page, "document-jump", width, tmp_path, problems)
        finally:
            browser.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", [1366, 390])
def test_the_pharmacist_sorts_decides_and_reads_a_rules_overrides(
    browser_path: Path, served: Served, tmp_path: Path, width: int
) -> None:
    from playwright.sync_api import expect, sync_playwright

    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(browser_path), headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900}, locale="zh-CN")
            page.set_default_timeout(15_000)
            _sign_in(page, served.base, served.keys["pharmacist"])
            expect(page).to_have_url(f"{served.base}/rx")
            page.goto(f"{served.base}/rx?floor=all")
            if width == 1366:  # the column header sorts; on a phone (no header row) the 排序 menu does
                page.get_by_role("link", name="药品").click()
            else:
                page.select_option("select[name=sort]", "drug")
                page.get_by_role("button", name="筛选").click()
            page.wait_for_url("**sort=drug**")
            drugs = page.eval_on_selector_all("#rx-worklist td.drug", "els => els.map(e => e.textContent.trim())")
            assert drugs and drugs == sorted(drugs), drugs
            _check_layout(page, "rx", width, tmp_path, problems)
            if width == 390:  # one card per alert: the list itself does not scroll sideways on a phone
                over = page.evaluate("(() => { const w = document.querySelector('.table-wrap'); "
                                     "return w.scrollWidth - w.clientWidth; })()")
                assert over <= 1, f"the worklist is {over}px wider than the phone"

            row = page.locator("#rx-worklist tr[data-row]").first
            row_id = row.get_attribute("id")
            _no_reload_marker(page)
            if width == 1366:
                row.locator("input[name=reason]").fill("合成：已与医师沟通，加强监测")
                row.get_by_role("button", name="放行").click()
                expect(page.locator(f"#{row_id} .decided")).to_have_text("药师已放行")
                assert _still_same_page(page)
                page.locator(f"#{row_id}").get_by_role("link", name="此规则的放行记录").click()
                expect(page.locator("h1")).to_have_text("规则放行记录")
                expect(page.locator("#overrides")).to_contain_text("合成：已与医师沟通，加强监测")
                _check_layout(page, "rule-overrides", width, tmp_path, problems)
            else:
                row.get_by_role("button", name="确认提示").click()
                expect(page.locator(f"#{row_id} .decided")).to_contain_text("药师已确认")
                assert _still_same_page(page)
        finally:
            browser.close()
    assert not problems, "\n".join(problems)
