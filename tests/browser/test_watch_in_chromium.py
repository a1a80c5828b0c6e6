"""`journey watch` in real headless Chromium: the page draws the map, a save shows the new
label without a reload, a broken save shows the diagnostics over the old picture, and the
page's strict policy lets its own script run (no console errors, nothing fetched elsewhere)."""

from __future__ import annotations

import pytest

from browser.test_lanes_and_report_in_chromium import CHROMIUM_FLAGS, DESKTOP
from conftest import require_executable, require_tool
from watch.helpers import MAP, MORE, Watch


@pytest.fixture
def page(tmp_path_factory):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require_tool(sync_playwright is not None, "Playwright's Python package (pip install playwright)")
    executable = require_executable("chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": DESKTOP[0], "height": DESKTOP[1]})
            page.errors, page.requests = [], []
            page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: page.errors.append(str(error)))
            page.on("request", lambda request: page.requests.append(request.url))
            yield page
        finally:
            browser.close()


def _picture_text(page) -> str:
    frame = page.locator("iframe:not([hidden])").element_handle().content_frame()
    return frame.evaluate("document.documentElement.textContent")


@pytest.mark.parametrize("view", ["flow", "lanes", "html"])
def test_the_page_follows_the_saves(page, tmp_path, view):
    (tmp_path / "map.journey").write_text(MAP, encoding="utf-8")
    (tmp_path / "more.journey").write_text(MORE, encoding="utf-8")
    watch = Watch(tmp_path, "--view", view)
    try:
        page.goto(watch.url)
        page.wait_for_selector("body[data-version='1']")
        assert "Searches flights" in _picture_text(page)
        assert page.locator("#problems").is_hidden()

        watch.write("map.journey", MAP.replace("Searches flights", "Finds a fare"))
        page.wait_for_selector("body[data-version='2']")
        assert "Finds a fare" in _picture_text(page)
        assert page.locator("iframe:not([hidden])").count() == 1

        watch.write("more.journey", MORE.replace("Arrives on time", "Lands early"))
        page.wait_for_selector("body[data-version='3']")
        assert "Lands early" in _picture_text(page)

        watch.write("map.journey", MAP.replace("search -> pay", "search -> pya"))
        page.wait_for_selector("body[data-failed='yes']")
        problems = page.locator("#problem-text").inner_text()
        assert "map.journey:10:11: error[E011]: unknown touchpoint 'pya'" in problems
        assert "10 | search -> pya -> arrive" in problems
        assert page.locator("#problems").is_visible()
        assert "showing the last good picture" in page.locator("#status").inner_text()
        text = _picture_text(page)
        assert "Lands early" in text and "Finds a fare" in text  # the last good picture stays

        watch.write("map.journey", MAP)
        page.wait_for_selector("body[data-failed='no'][data-version='4']")
        assert page.locator("#problems").is_hidden()
        assert page.errors == []
        assert all(url.startswith(watch.url) for url in page.requests), page.requests
    finally:
        watch.stop()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.journey", "more.journey"]


def test_a_script_in_a_label_never_runs_in_the_preview(page, tmp_path):
    hostile = MAP.replace('"Searches flights"', '"<script>document.title=\'owned\'</script><img src=x onerror=alert(1)>"')
    (tmp_path / "map.journey").write_text(hostile, encoding="utf-8")
    (tmp_path / "more.journey").write_text(MORE, encoding="utf-8")
    watch = Watch(tmp_path, "--view", "html")
    try:
        page.goto(watch.url)
        page.wait_for_selector("body[data-version='1']")
        assert "<script>document.title" in _picture_text(page)  # shown as text
        assert page.title() == "map.journey - journey watch"
        assert page.errors == []
    finally:
        watch.stop()
