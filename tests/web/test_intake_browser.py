"""预问诊 in a real headless Chromium at 390 px: a clinician opens an interview (link + QR), the patient
goes through consent and every question on a phone (closing the page half-way and reopening the link
resumes), and the doctor reads the traced record on the encounter page. A second patient whose answers
contain a red flag sees the 急诊/120 screen. Synthetic patient; Chromium and the CJK font as in
test_browser.py (skipped with the reason when they are missing)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_browser import CHROMIUM_ARGS, LiveApp, chromium, live_app  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} is {overflow}px wider than a 390 px phone"


def _every_control_is_labelled(page) -> None:  # type: ignore[no-untyped-def]
    unlabeled = page.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden]), textarea, button')]
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !(el.textContent || '').trim())
        .map(el => el.outerHTML)""")
    assert not unlabeled, unlabeled


def _answer_current(page, choose: str | None = None, text: str | None = None) -> None:  # type: ignore[no-untyped-def]
    if choose:
        page.locator("label.opt", has_text=choose).first.click()
    elif page.locator("label.opt.none").count():
        page.locator("label.opt.none").first.click()
    elif page.locator("label.opt").count() and not text:
        page.locator("label.opt").first.click()
    if text:
        page.fill("#text", text)
    with page.expect_navigation():  # the form posts (no script): read the next page only once it is there
        page.click("#next")


def test_patient_answers_on_a_phone_and_the_doctor_reads_the_record(
    chromium: Path, live_app: LiveApp, tmp_path: Path  # noqa: F811
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base = live_app.base_url
    enc = live_app.hospital.outpatient_encounter_id
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        try:
            desk = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            desk.set_default_timeout(10_000)
            desk.goto(f"{base}/login")
            desk.fill("#key", live_app.hospital.clinician_key)
            desk.click("button[type=submit]")
            expect(desk).to_have_url(f"{base}/doctor")  # a clinician's home
            desk.goto(f"{base}/intake/new?encounter={enc}")
            desk.fill("input[name=age]", "45")
            desk.select_option("select[name=sex]", "female")
            desk.click("form[action='/intake/new'] button[type=submit]")
            expect(desk.locator(".qr svg")).to_be_visible()
            url = desk.locator("#visit-url").inner_text().strip()
            assert "/intake/v/" in url

            # The patient's phone: no cookie, no key; the link is all it has.
            ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
            phone = ctx.new_page()
            phone.set_default_timeout(10_000)
            blocked: list[str] = []
            phone.route("**/*", lambda route: (blocked.append(route.request.url), route.abort())
                        if not route.request.url.startswith(base) else route.continue_())
            phone.goto(url)
            expect(phone.locator("h1")).to_contain_text("回答几个问题")  # consent first
            _no_sideways_scroll(phone)
            _every_control_is_labelled(phone)
            phone.click("#start")
            expect(phone.get_by_role("alert")).to_contain_text("我已阅读并同意")
            phone.get_by_label("我已阅读并同意").check()
            phone.click("#start")

            expect(phone.locator("#prompt")).to_contain_text("哪里不舒服")
            phone.wait_for_load_state("load")  # the stylesheet has applied before type size is read
            font = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
            assert font >= 18, f"body text is {font}px; the patient page uses large type"
            _every_control_is_labelled(phone)
            _answer_current(phone, text="肚子疼，拉肚子")
            expect(phone.locator("#prompt")).to_contain_text("多长时间")
            phone.click("#next")  # nothing chosen: told what to do, nothing lost
            expect(phone.get_by_role("alert")).to_contain_text("请点选")
            _answer_current(phone, text="两天了")
            expect(phone.locator(".progress")).to_contain_text("第 3 题")

            # Closing the page and opening the link again resumes at the same question.
            phone.close()
            phone = ctx.new_page()
            phone.set_default_timeout(10_000)
            phone.goto(url)
            expect(phone.locator(".progress")).to_contain_text("第 3 题")
            shots = []
            answered = 2
            while phone.locator("#next").count():
                prompt = phone.locator("#prompt").inner_text()
                _no_sideways_scroll(phone)
                if answered == 2:
                    shots.append(tmp_path / "question-phone.png")
                    phone.screenshot(path=str(shots[-1]), full_page=True)
                if "还有下面这些情况" in prompt:
                    _answer_current(phone, choose="恶心呕吐")
                elif "长期吃什么药" in prompt:
                    _answer_current(phone, text="没有")
                elif "月经" in prompt:
                    _answer_current(phone, choose="已经绝经")
                else:
                    _answer_current(phone)
                answered += 1
                assert answered <= 16, "the interview did not stop"
            expect(phone.locator("#done")).to_contain_text("已完成")
            expect(phone.locator(".rec")).to_contain_text("腹痛、腹泻2天")
            _no_sideways_scroll(phone)
            shots.append(tmp_path / "done-phone.png")
            phone.screenshot(path=str(shots[-1]), full_page=True)
            assert not blocked, f"the patient page asked for something outside the hospital server: {blocked}"

            # The doctor's view: the record on the encounter page, each sentence with its answers.
            desk.goto(f"{base}/encounters/{enc}")
            card = desk.locator("#intake")
            expect(card).to_contain_text("主诉")
            expect(card).to_contain_text("腹痛、腹泻2天")
            expect(card).to_contain_text("伴恶心、呕吐、腹泻")  # said in the complaint: not a negative
            expect(card.locator("sup.src").first).to_be_visible()
            card.locator("details summary").click()
            expect(card.locator("ol.answers")).to_contain_text("两天了")
            shots.append(tmp_path / "doctor-record.png")
            desk.screenshot(path=str(shots[-1]), full_page=True)

            # A second patient whose answers hold a red flag: the 120 screen, and the interview stops.
            desk.goto(f"{base}/intake/new")
            desk.fill("input[name=complaint]", "胸口疼")
            desk.fill("input[name=age]", "60")
            desk.select_option("select[name=sex]", "male")
            desk.click("form[action='/intake/new'] button[type=submit]")
            url2 = desk.locator("#visit-url").inner_text().strip()
            p2 = ctx.new_page()
            p2.set_default_timeout(10_000)
            p2.goto(url2)
            p2.get_by_label("我已阅读并同意").check()
            p2.click("#start")
            for _ in range(10):  # duration … modifiers, then the associated-symptoms checklist
                if "还有下面这些情况" in p2.locator("#prompt").inner_text():
                    break
                _answer_current(p2)
            expect(p2.locator("#prompt")).to_contain_text("还有下面这些情况")
            p2.locator("label.opt", has_text="出冷汗").click()
            p2.click("#next")
            expect(p2.get_by_role("alert")).to_contain_text("120")
            expect(p2.locator("a.call")).to_have_attribute("href", "tel:120")
            _no_sideways_scroll(p2)

            # A wrong or expired link says so, and shows nothing else.
            p2.goto(f"{base}/intake/v/not-a-real-token")
            expect(p2.locator("h1")).to_have_text("这个链接已失效")
        finally:
            browser.close()
    for shot in shots:
        assert shot.stat().st_size > 10_000, f"{shot} is suspiciously small"
