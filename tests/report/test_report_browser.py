"""The report in a real browser (Debian's Chromium, driven by Playwright): it draws its charts
and map, asks the network for nothing, and its slider and sortable tables work."""

from __future__ import annotations

from pathlib import Path

import pytest

from millnet.report.html import write_html

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} is missing; tools/test-browser.sh installs it for the browser tests",
    ),
]


def test_report_draws_offline_and_reacts(mini_results, tmp_path):
    from playwright.sync_api import sync_playwright

    path = write_html(mini_results, tmp_path / "report.html")
    requests: list[str] = []
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on(
                "console",
                lambda m: (
                    problems.append(f"{m.type}: {m.text}")
                    if m.type in ("error", "warning")
                    else None
                ),
            )
            page.goto(path.as_uri())
            for chart in ("chart-timeline", "chart-bridge", "chart-terms", "chart-utilisation"):
                page.wait_for_selector(f"#{chart} .main-svg", timeout=20_000)
            page.wait_for_selector("#map canvas", timeout=20_000)
            assert page.locator("#map .leaflet-control-attribution").inner_text() == (
                "Leaflet | Boundaries: Natural Earth"
            )
            assert page.locator("#map-period-label").inner_text() == "2009Q1"
            assert "all 5 plant → customer flows" in page.locator("#map-caption").inner_text()
            page.locator("#map-period").fill("1")
            assert page.locator("#map-period-label").inner_text() == "2009Q2"
            assert page.locator("#map-caption").inner_text().startswith("2009Q2:")

            # the moves detail table, sorted by quantity ascending on a click
            table = page.locator("#moves table.data").nth(1)
            table.locator("th", has_text="quantity").click()
            quantities = table.locator("tbody tr td:last-child").all_inner_texts()
            assert quantities == ["300,000", "320,000"]
            table.locator("th", has_text="quantity").click()
            assert table.locator("tbody tr td:last-child").all_inner_texts() == [
                "320,000",
                "300,000",
            ]
        finally:
            browser.close()
    assert requests == [path.as_uri()]
    assert problems == []
