"""The pages in a real headless Chromium: sign in, patient list → patient → encounter → document.

Uses Debian's ``chromium`` and the WenQuanYi Micro Hei font (without a CJK font Chinese renders as
boxes). The session fixture installs both with apt-get when they are missing and we are root;
otherwise the test is skipped with the reason. Playwright's own browser download is not used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from yizhu.api.app import create_app
from yizhu.config import Settings

from .conftest import Hospital, build_hospital
from .live import serving

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
FONT_PACKAGE = "fonts-wqy-microhei"
FONT_FAMILY = "WenQuanYi Micro Hei"
APT_TIMEOUT_S = 900
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _font_installed() -> bool:
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", ":family"], capture_output=True, text=True, timeout=30).stdout
    return FONT_FAMILY.lower() in out.lower()


def _apt_install() -> str | None:
    """Install chromium and the CJK font; None on success, else why not."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "not root, so cannot apt-get install"
    if shutil.which("apt-get") is None:
        return "no apt-get on this system"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    steps = (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium", FONT_PACKAGE],
    )
    for cmd in steps:
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=APT_TIMEOUT_S, env=env)
        except subprocess.TimeoutExpired:
            return f"`{' '.join(cmd)}` took longer than {APT_TIMEOUT_S} s"
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            return f"`{' '.join(cmd)}` failed: {' | '.join(tail)}"
    return None


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium with a CJK font, installed here when missing; skip when that cannot be done."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("Python Playwright is not installed: pip install -e '.[dev]'")
    if not (CHROMIUM.is_file() and _font_installed()):
        problem = _apt_install()
        if problem is not None:
            pytest.skip(f"headless Chromium test needs {CHROMIUM} and {FONT_PACKAGE}: {problem}")
        subprocess.run(["fc-cache", "-f"], capture_output=True, timeout=120)
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is still missing after installing the chromium package")
    if not _font_installed():
        pytest.skip(f"font {FONT_FAMILY!r} is still missing after installing {FONT_PACKAGE}")
    return CHROMIUM


@dataclass(frozen=True)
class LiveApp:
    """The real app served by uvicorn on a loopback port."""

    base_url: str
    hospital: Hospital


def _demo_loader() -> object | None:
    """``services.load_demo`` when the demo hospital generator is present in this tree."""
    try:
        from yizhu.demo import generate_hospital  # noqa: F401
    except ImportError:
        return None
    from yizhu.api.services import load_demo

    return load_demo


@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    """uvicorn in a background thread over a temporary SQLite database with synthetic patients."""
    tmp = tmp_path_factory.mktemp("browser")
    hospital = build_hospital(tmp / "yizhu.db")
    load_demo = _demo_loader()
    if load_demo is not None:
        load_demo(hospital.engine)  # type: ignore[operator]
    app = create_app(Settings(env="test", data_dir=tmp), engine=hospital.engine)
    with serving(app) as url:
        yield LiveApp(url, hospital)


def test_clinician_walks_from_patient_list_to_findings(
    chromium: Path, live_app: LiveApp, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base = live_app.base_url
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page.set_default_timeout(10_000)

            # Not signed in: the patient list sends us to the login form.
            page.goto(f"{base}/patients")
            expect(page).to_have_url(f"{base}/login")
            page.fill("#key", "yz_000000000000_" + "x" * 40)
            page.click("button[type=submit]")
            expect(page.get_by_role("alert")).to_contain_text("密钥无效")
            page.fill("#key", live_app.hospital.clinician_key)
            page.click("button[type=submit]")
            expect(page).to_have_url(f"{base}/doctor")  # a clinician lands on the doctor's worklist
            page.get_by_role("link", name="患者列表").first.click()
            expect(page).to_have_url(f"{base}/patients")
            expect(page.locator("h1")).to_have_text("患者列表")

            # Search, then open the patient.
            page.fill("input[name=q]", "张测试")
            page.get_by_role("button", name="搜索").click()
            expect(page.locator("#patients tbody tr")).to_have_count(1)
            page.get_by_role("link", name="张测试").click()
            expect(page.locator("h1")).to_contain_text("张测试")
            expect(page.locator("h1 .synthetic")).to_have_text("合成")

            # The inpatient stay: diagnoses, labs, documents with sections, findings.
            page.locator("#encounters").get_by_role("link", name="心内科", exact=True).click()
            expect(page).to_have_url(f"{base}/encounters/{live_app.hospital.encounter_id}")
            expect(page.locator("#diagnoses")).to_contain_text("I20.0")
            expect(page.locator("#labs tr.abnormal")).to_contain_text("肌钙蛋白I")
            chief = page.locator("details.section", has=page.locator(".heading", has_text="主诉")).first
            expect(chief.locator(".section-text")).to_be_hidden()
            chief.locator("summary").click()
            expect(chief.locator(".section-text")).to_be_visible()
            expect(chief.locator(".section-text")).to_have_text("反复胸闷3年，加重2天。")
            expect(page.locator("details.section.unknown .badge")).to_have_text("非标准标题")
            runs = page.locator("#runs")
            expect(runs).to_contain_text("文书结构检查")
            missing = runs.locator("li.finding", has_text="入院记录缺少「家族史」")
            expect(missing).to_be_visible()
            expect(missing.locator(".sev")).to_have_class("sev sev-major")
            expect(missing).to_contain_text("structure.admission.required_section.v1")

            desktop = tmp_path / "encounter-desktop.png"
            page.screenshot(path=str(desktop), full_page=True)

            # The document itself, the evidence highlighted in its text.
            page.get_by_role("link", name="查看全文与标注").first.click()
            expect(page.locator("mark.sev-info")).to_have_text("心理评估：")

            # A phone: nothing may force sideways scrolling of the whole page.
            phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
            phone.context.add_cookies(page.context.cookies())
            phone.goto(f"{base}/encounters/{live_app.hospital.encounter_id}")
            expect(phone.locator("#runs")).to_contain_text("家族史")
            overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"the encounter page is {overflow}px wider than a phone screen"
            mobile = tmp_path / "encounter-phone.png"
            phone.screenshot(path=str(mobile), full_page=True)
        finally:
            browser.close()

    for shot in (desktop, mobile):
        assert shot.stat().st_size > 30_000, f"{shot} is suspiciously small: {shot.stat().st_size} bytes"
