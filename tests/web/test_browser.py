"""The app in a real browser: Debian's Chromium driven by Playwright, against `millnet serve`
started on a free port. Screenshots land in tests/web/artifacts/ for a person to look at."""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
REPO = Path(__file__).resolve().parents[2]
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

if not CHROMIUM.exists():
    reason = f"{CHROMIUM} is missing; `bash tools/test-browser.sh` installs Debian's chromium"
    if os.environ.get("MILLNET_REQUIRE_BROWSER"):
        raise RuntimeError(f"browser tests required (make test): {reason}")
    pytest.skip(reason, allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`millnet serve` on a free loopback port with a fresh workspace; stopped afterwards."""
    workspace = tmp_path_factory.mktemp("web") / "workspace"
    port = free_port()
    log = (tmp_path_factory.getbasetemp() / f"serve-{port}.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from millnet.cli.app import main; main()",
            "serve",
            "--port",
            str(port),
            "--workspace",
            str(workspace),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=REPO,
        env={**os.environ, "MILLNET_TOKEN": ""},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/cases", timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"millnet serve did not start (see {log.name})") from None
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server: str) -> Iterator[object]:
    """A page that may reach only the server: any other request fails the test."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, base_url=server)
    outside: list[str] = []

    def guard(route) -> None:
        if route.request.url.startswith(server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert outside == [], f"the app asked for files outside the server: {outside}"
    assert errors == [], f"script errors: {errors}"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def case_zip(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            if path.suffix in (".csv", ".toml"):
                archive.write(path, f"{folder.name}/{path.name}")
    return buffer.getvalue()


def run_solve_and_open(page, timeout_s: float = 600) -> str:
    """Wait for the job panel to finish and open the run; the run's id."""
    from playwright.sync_api import expect

    link = page.locator("[data-run-link]")
    expect(link).to_be_visible(timeout=timeout_s * 1000)
    href = link.get_attribute("href")
    link.click()
    page.wait_for_load_state("load")
    return href.rsplit("/", 1)[-1]


def test_docs_work_offline_and_the_case_pages_draw(page):
    from playwright.sync_api import expect

    page.goto("/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("millnet")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    shot(page, "docs")
    page.goto("/cases/mini")
    expect(page.locator("#case-map .leaflet-interactive").first).to_be_visible()
    expect(page.locator("#demand-chart .main-svg").first).to_be_visible()
    shot(page, "case-mini")


@pytest.mark.slow
def test_reference_case_upload_solve_scenario_and_compare(page, tmp_path):
    """The analyst's path on the reference case: upload, plan, see the two idled plants, cut
    aerospace by 40 %, plan again, compare."""
    from playwright.sync_api import expect

    archive = tmp_path / "iwg2009.zip"
    archive.write_bytes(case_zip(REPO / "cases" / "iwg2009"))
    page.goto("/")
    shot(page, "cases")
    page.set_input_files("#upload-form input[type=file]", str(archive))
    page.click("#upload-form button[type=submit]")
    opened = page.locator("#upload-result a.button")
    expect(opened).to_be_visible(timeout=60_000)
    expect(page.locator("#upload-result .alert.ok")).to_contain_text("uploaded and valid")
    shot(page, "upload")
    opened.click()
    case_url = page.url
    case_id = case_url.rsplit("/", 1)[-1]
    assert re.fullmatch(r"iwg2009-[0-9a-f]{8}", case_id)
    expect(page.locator("#case-map .leaflet-interactive").first).to_be_visible()
    shot(page, "case-iwg2009")

    page.fill("#solve-form input[name=time_limit]", "240")
    page.click("#solve-form button[type=submit]")
    expect(page.locator(".job-panel")).to_be_visible()
    shot(page, "job-running")
    base_run = run_solve_and_open(page)
    for plant in ("jewett-city-ct", "littleton-nh"):
        cell = page.locator(f'#timeline tr[data-plant="{plant}"] td[data-period="2009Q1"]')
        expect(cell).to_have_attribute("data-state", "idle")
        expect(page.locator(f'#run-map-states li[data-plant="{plant}"]')).to_have_attribute(
            "data-state", "idle"
        )
    expect(page.locator("#run-map .leaflet-interactive").first).to_be_visible()
    expect(page.locator("#story")).to_contain_text("Jewett City")
    idle_2009q1 = page.locator('#timeline td[data-period="2009Q1"][data-state="idle"]')
    expect(idle_2009q1).to_have_count(2)
    shot(page, "run-base")

    page.goto(f"/cases/{case_id}/scenario")
    page.fill("#scenario-form input[name=name]", "aerospace-minus-40")
    page.fill("#scenario-form input[name=description]", "What if aerospace demand falls 40 %?")
    page.select_option("#scenario-form select[name=demand-0-segment]", "aerospace")
    page.fill("#scenario-form input[name=demand-0-change]", "-40")
    page.click("#scenario-form button[type=submit]")
    saved = page.locator('[data-scenario-saved="aerospace-minus-40"]')
    expect(saved).to_be_visible(timeout=60_000)
    shot(page, "scenario-saved")
    saved.locator("button[type=submit]").click()
    scenario_run = run_solve_and_open(page)
    expect(page.locator("h1")).to_contain_text("aerospace-minus-40")
    shot(page, "run-aerospace")

    page.goto(f"/compare?a={base_run}&b={scenario_run}")
    expect(page.locator("#kpi-diff tbody tr").first).to_be_visible()
    expect(page.locator("#compare-decisions")).to_be_visible()
    shot(page, "compare")
