"""Offline by construction: every page, /docs and /redoc load in headless Chromium with every request
that leaves the loopback address blocked — and any such request fails the test.

The app runs under uvicorn on 127.0.0.1 over a small synthetic demo hospital (合成) with the demo's
first-start activity seeded, so the pages show drafts, reviews, decisions and an evaluation run. The
pages are found by following the site's own links from the patient list (GET only, sign-out
excepted), up to ``MAX_PAGES``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tests.web.live import serving
from yizhu.api.app import create_app
from yizhu.api.services import load_demo
from yizhu.config import Settings
from yizhu.demo.seed import seed_activity
from yizhu.store import create_api_key, init_db

pytestmark = pytest.mark.browser

ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
MAX_PAGES = 60
#: links to files (downloads, standalone reports) rather than pages
FILES = (".csv", ".html", ".json", ".txt", ".pdf", ".png")
NEVER = ("/logout",)
#: pages the links do not reach (API docs) — always loaded
EXTRA = ("/docs", "/redoc", "/value", "/eval", "/rx", "/notes/new", "/doctor")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    tmp = tmp_path_factory.mktemp("offline")
    engine = init_db(f"sqlite:///{(tmp / 'yizhu.db').as_posix()}")
    settings = Settings(env="test", data_dir=tmp)
    load_demo(engine, n_patients=6)
    seed_activity(engine, settings)
    key = create_api_key(engine, "admin", "offline-admin")
    app = create_app(settings, engine=engine)
    with serving(app) as url:
        yield url, key


def test_every_page_loads_with_the_network_beyond_loopback_blocked(browser_path: Path, served, tmp_path: Path) -> None:
    from playwright.sync_api import Route, sync_playwright

    base, key = served
    blocked: list[str] = []
    failed: list[str] = []

    def guard(route: Route) -> None:
        url = route.request.url
        host = urlsplit(url).hostname or ""
        if url.startswith(("data:", "blob:", "about:")) or host in LOOPBACK:
            route.continue_()
        else:
            blocked.append(f"{url} (from {route.request.frame.url})")
            route.abort("blockedbyclient")

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(browser_path), headless=True, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
            context.route("**/*", guard)
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 500 else None)
            # a Content-Security-Policy refusal is a request the page tried to make: it counts as blocked
            page.on("console", lambda m: blocked.append(f"{m.text} (at {page.url})")
                    if "Content Security Policy" in m.text else None)
            page.goto(f"{base}/login")
            page.fill("#key", key)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/patients")

            seen: set[str] = set()
            todo = [f"{base}/patients", *(base + p for p in EXTRA)]
            while todo and len(seen) < MAX_PAGES:
                url = todo.pop(0).split("#", 1)[0]
                if url in seen or any(urlsplit(url).path.startswith(p) for p in NEVER):
                    continue
                seen.add(url)
                resp = page.goto(url, wait_until="networkidle" if urlsplit(url).path in ("/docs", "/redoc") else "load")
                assert resp is not None and resp.status < 500, f"{url}: {resp.status if resp else 'no response'}"
                if urlsplit(url).path in ("/docs", "/redoc"):
                    # the docs render from the local bundles: the API title appears in the page
                    page.wait_for_selector("text=yizhu", timeout=15_000)
                    continue
                for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
                    nxt = urljoin(url, href)
                    if nxt.startswith(base) and not urlsplit(nxt).path.endswith(FILES) and nxt not in seen:
                        todo.append(nxt)
            page.screenshot(path=str(tmp_path / "last-page.png"))
        finally:
            browser.close()

    assert not blocked, "pages asked for the network beyond loopback:\n" + "\n".join(blocked[:20])
    assert not failed, "server errors:\n" + "\n".join(failed[:20])
    paths = {urlsplit(u).path for u in seen}
    assert {"/docs", "/redoc", "/value", "/patients", "/rx", "/doctor"} <= paths
    assert any(p.startswith("/encounters/") for p in paths), sorted(paths)
    assert len(seen) >= 15, sorted(paths)


#: groups of elements that must not overlap one another (each selector: siblings compared pairwise)
NO_OVERLAP = (".facts > div", "h1 > *", ".nav > a, .nav > .who, .nav > form", "thead th", ".filters > label")
OVERLAP_JS = """(sels) => {
  const out = [];
  for (const sel of sels) {
    const els = [...document.querySelectorAll(sel)].filter(e => e.offsetParent !== null);
    const boxes = els.map(e => [e, e.getBoundingClientRect()]);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [a, ra] = boxes[i], [b, rb] = boxes[j];
      if (a.parentElement !== b.parentElement) continue;
      const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (w > 1 && h > 1) out.push(`${sel}: "${a.textContent.trim().slice(0, 20)}" overlaps "${b.textContent.trim().slice(0, 20)}"`);
    }
  }
  return out;
}"""


@pytest.mark.parametrize("width", [1366, 390])
def test_key_elements_do_not_overlap_at_desktop_and_phone_width(browser_path: Path, served, tmp_path: Path,
                                                                 width: int) -> None:
    from playwright.sync_api import sync_playwright

    base, key = served
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(browser_path), headless=True, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN",
                                          extra_http_headers={"X-API-Key": key})
            page = context.new_page()
            page.goto(f"{base}/patients")
            enc = page.eval_on_selector_all("a[href^='/patients/']", "els => els.map(e => e.getAttribute('href'))")
            assert enc, "the patient list links no patient"
            page.goto(base + enc[0])
            encounter = page.eval_on_selector("a[href^='/encounters/']", "e => e.getAttribute('href')")
            problems: list[str] = []
            for path in ("/patients", encounter, "/rx", "/value", "/eval", "/admin/keys", "/doctor"):
                page.goto(base + path)
                problems += [f"{path} @{width}px: {p}" for p in page.evaluate(OVERLAP_JS, list(NO_OVERLAP))]
                wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                if wide > 1:
                    problems.append(f"{path} @{width}px: page is {wide}px wider than the screen")
                page.screenshot(path=str(tmp_path / f"{path.strip('/').replace('/', '_')}-{width}.png"), full_page=True)
        finally:
            browser.close()
    assert not problems, "\n".join(problems)
