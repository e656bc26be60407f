"""The 质控科 and 管理员/信息科 main flows in real headless Chromium at 1366 px and 390 px.

Each flow signs in through the login form, works through its pages the way the role would, checks that
key elements do not overlap (bounding boxes, the same check as test_offline) and that no page scrolls
sideways, and keeps full-page screenshots under the test's tmp_path. A 6-patient synthetic demo (合成) with
its first-start activity is served by uvicorn on loopback; every request beyond loopback is blocked and
fails the test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.web.live import serving
from tests.web.test_offline import LOOPBACK, NO_OVERLAP, OVERLAP_JS
from yizhu.api.app import create_app
from yizhu.api.services import load_demo
from yizhu.config import Settings
from yizhu.demo.seed import seed_activity
from yizhu.store import create_api_key, init_db

pytestmark = pytest.mark.browser

ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
#: more groups that must not overlap on these pages
MORE = (".tabs > a", "#dash-totals .facts > div", "svg.chart text")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    tmp = tmp_path_factory.mktemp("office")
    engine = init_db(f"sqlite:///{(tmp / 'yizhu.db').as_posix()}")
    settings = Settings(env="test", data_dir=tmp)
    load_demo(engine, n_patients=6)
    seed_activity(engine, settings)
    keys = {"qc_officer": create_api_key(engine, "qc_officer", "质控科·合成"),
            "admin": create_api_key(engine, "admin", "信息科·合成")}
    with serving(create_app(settings, engine=engine)) as url:
        yield url, keys


class Checked:
    """One browser page with the network beyond loopback blocked and a layout check per visited page."""

    def __init__(self, context, base: str, width: int, shots: Path) -> None:  # type: ignore[no-untyped-def]
        self.base, self.width, self.shots = base, width, shots
        self.blocked: list[str] = []
        self.problems: list[str] = []
        context.route("**/*", self._guard)
        self.page = context.new_page()
        self.page.set_default_timeout(20_000)

    def _guard(self, route) -> None:  # type: ignore[no-untyped-def]
        url = route.request.url
        if url.startswith(("data:", "blob:", "about:")) or (urlsplit(url).hostname or "") in LOOPBACK:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def check(self, name: str) -> None:
        p = self.page
        p.wait_for_load_state("load")
        self.problems += [f"{name} @{self.width}px: {x}" for x in p.evaluate(OVERLAP_JS, [*NO_OVERLAP, *MORE])]
        wide = p.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if wide > 1:
            self.problems.append(f"{name} @{self.width}px: page is {wide}px wider than the screen")
        shot = self.shots / f"{name}-{self.width}.png"
        p.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000, f"{shot} is suspiciously small"

    def sign_in(self, key: str, next_path: str) -> None:
        p = self.page
        p.goto(f"{self.base}/login?next={next_path}")
        p.fill("#key", key)
        p.click("button[type=submit]")
        p.wait_for_url(f"{self.base}{next_path}")


@pytest.mark.parametrize("width", [1366, 390])
def test_qc_officer_runs_a_batch_reads_the_dashboards_and_drills_down_to_the_sentence(
    browser_path: Path, served, tmp_path: Path, width: int
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, keys = served
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(browser_path), headless=True, args=ARGS)
        try:
            ctx = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
            b = Checked(ctx, base, width, tmp_path)
            p = b.page
            b.sign_in(keys["qc_officer"], "/qc")
            expect(p.locator("h1")).to_have_text("质控工作台")
            expect(p.locator("#qc-worklist tbody tr").first).to_be_visible()
            b.check("qc")

            # a batch of 终末质控 from the page; its page refreshes itself until done
            p.select_option("#batch-form select[name=scope]", "terminal")
            p.click("#batch-form button[type=submit]")
            expect(p).to_have_url(re.compile(r".*/qc/batch/[0-9a-f]{32}$"))
            expect(p.locator("#batch")).to_have_attribute("data-state", "done", timeout=60_000)
            expect(p.locator("#batch-state")).to_have_text("已完成")
            b.check("qc-batch")

            # filter to 出院, then the dashboards
            p.goto(f"{base}/qc?kind=terminal")
            expect(p.locator("#qc-summary")).to_contain_text("份病历")
            for by in ("department", "doctor", "month", "rule"):
                p.goto(f"{base}/qc/dashboard?by={by}")
                expect(p.locator("svg#chart-dist")).to_be_visible()
                expect(p.locator("svg#chart-trend")).to_be_visible()
                b.check(f"qc-dashboard-{by}")

            # drill down from the most frequent defect with a place in the text to the sentence, then the note
            links = p.locator("#rule-table tbody a")
            assert links.count() > 0
            found = False
            for i in range(links.count()):
                p.goto(f"{base}/qc/dashboard?by=rule")
                p.locator("#rule-table tbody a").nth(i).click()
                if p.locator("#rule-findings .snippet mark").count():
                    found = True
                    break
            assert found, "no defect with a sentence to highlight"
            expect(p.locator("#rule-findings .snippet mark").first).to_be_visible()
            b.check("qc-rule")
            p.locator("#rule-findings a", has_text="查看文书").first.click()
            anchor = urlsplit(p.url).fragment
            assert anchor.startswith("ev-")
            expect(p.locator(f"mark#{anchor}")).to_be_in_viewport()  # the highlight itself carries the anchor
            b.check("qc-document")
        finally:
            browser.close()
    assert not b.blocked, b.blocked
    assert not b.problems, "\n".join(b.problems)


@pytest.mark.parametrize("width", [1366, 390])
def test_admin_manages_keys_checks_models_verifies_the_audit_chain_and_reads_the_packs(
    browser_path: Path, served, tmp_path: Path, width: int
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, keys = served
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(browser_path), headless=True, args=ARGS)
        try:
            ctx = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
            b = Checked(ctx, base, width, tmp_path)
            p = b.page
            b.sign_in(keys["admin"], "/admin/keys")
            expect(p.locator("h1")).to_contain_text("API 密钥")
            own = p.locator("#keys tbody tr", has_text="信息科·合成")
            expect(own.locator("td").nth(3)).not_to_contain_text("从未使用")  # this very sign-in
            name = f"护士站-{width}"
            p.fill("#create-key input[name=name]", name)
            p.select_option("#create-key select[name=role]", "clinician")
            p.click("#create-key button[type=submit]")
            expect(p.locator("#new-key code.key")).to_contain_text("yz_")
            made = p.locator("#keys tbody tr", has_text=name)
            expect(made.locator("td").nth(3)).to_have_text("从未使用")
            b.check("admin-keys")
            made.get_by_role("button", name="吊销").click()
            expect(p.locator("#keys tbody tr", has_text=name)).to_contain_text("已吊销")

            p.click(".tabs a[href='/admin/models']")
            expect(p.locator("h1")).to_contain_text("模型与健康")
            b.check("admin-models")

            p.click(".tabs a[href='/admin/audit']")
            p.click("#audit-head button[type=submit]")
            expect(p.locator("#audit-verify")).to_have_attribute("data-state", "ok", timeout=60_000)
            expect(p.locator("#audit-ok")).to_contain_text("全部核对无误")
            b.check("admin-audit")

            p.click(".tabs a[href='/admin/knowledge']")
            expect(p.locator("#packs tbody tr").first).to_be_visible()
            expect(p.locator("#packs")).to_contain_text("药品")
            b.check("admin-knowledge")
        finally:
            browser.close()
    assert not b.blocked, b.blocked
    assert not b.problems, "\n".join(b.problems)
