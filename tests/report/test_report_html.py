"""The HTML report: self-contained, offline, and telling the mini plan correctly."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest

from millnet.report.assets import asset_text
from millnet.report.html import render_html, write_html
from millnet.report.story import story

MADE = datetime(2009, 3, 2, 9, 30, tzinfo=UTC)
VENDORED = ("leaflet.js", "plotly.js", "leaflet.css")


@pytest.fixture(scope="module")
def page(mini_results) -> str:
    return render_html(mini_results, generated=MADE)


def own_markup(page: str) -> str:
    """The page without the vendored libraries' code (which mentions URLs in comments and
    strings but never loads them)."""
    for name in VENDORED:
        page = page.replace(asset_text(name), "")
    return page


def embedded(page: str) -> dict:
    match = re.search(
        r'<script type="application/json" id="millnet-data">(.*?)</script>', page, re.S
    )
    assert match is not None
    return json.loads(match.group(1))


def test_page_loads_nothing_from_anywhere(page):
    assert "<script src" not in page.lower()
    assert "<link" not in page.lower()
    assert "<iframe" not in page.lower()
    assert "@import" not in page
    own = own_markup(page)
    # not one address in the page's own markup, styles, script or data: no CDN, no tiles
    assert re.findall(r"https?://", own) == []
    assert "{z}" not in own
    assert re.findall(r"url\((?!#)", own) == []


def test_page_inlines_leaflet_plotly_and_the_boundaries(page):
    assert page.count(asset_text("leaflet.js")) == 1
    assert page.count(asset_text("plotly.js")) == 1
    assert "plotly.js (cartesian - minified) v4.1.1" in page
    assert asset_text("leaflet.css") in page
    countries = embedded(page)["map"]["countries"]
    names = {f["properties"]["name"] for f in countries["features"]}
    # the mini plants and customers are in the US, Belgium and France
    assert {"United States of America", "Belgium", "France"} <= names
    # far from every place of the case: left out to keep the file small
    assert "Australia" not in names
    assert "New Zealand" not in names


def test_headline_names_the_idled_plants(page, mini_results):
    first = re.search(r'<ul class="story">\s*<li>(.*?)</li>', page, re.S)
    assert first is not None
    assert first.group(1) == (
        "Idle Camden NY and Mons BE in 2009Q1; the other 2 plants keep their state through 2009Q2."
    )
    assert story(mini_results)[1] == (
        "Mons BE's 1 customer (620,000 lb) is served from Jewett City CT (100%)."
    )


def test_cards_give_cost_savings_and_service(page):
    # 13,142,943.50 planned against 15,018,346.23 all running: 1,875,402.73 saved (12.5 %)
    for text in (
        "USD 13.1 M",
        "USD 15.0 M",
        "USD 1.9 M",
        "12.5% of the all-running plan",
        "2 idled",
        "100.0%",
        "all demand served",
    ):
        assert text in page


def test_moves_table_has_the_two_eurocab_rows(page):
    section = page[page.index('id="moves"') : page.index('id="unmet"')]
    rows = re.findall(r"<tr>(.*?)</tr>", section.split("Demand rows that move")[1], re.S)
    cells = [c for c in (re.findall(r"<td[^>]*>(.*?)</td>", r) for r in rows) if c]
    assert cells == [
        ["Eurocab (synthetic)", "tin-22-19x34", "2009Q2", "Mons BE", "Jewett City CT", "320,000"],
        ["Eurocab (synthetic)", "tin-22-19x34", "2009Q1", "Mons BE", "Jewett City CT", "300,000"],
    ]
    assert 'data-v="320000.0"' in section
    assert "quantity [lb]" in section


def test_cost_by_term_table_has_hand_computed_fixed_costs(page):
    section = page[page.index('id="costs"') : page.index('id="utilisation"')]
    rows = {
        cells[0]: cells[1:]
        for cells in (
            re.findall(r"<td[^>]*>(.*?)</td>", r) for r in re.findall(r"<tr>(.*?)</tr>", section)
        )
        if cells
    }
    # columns: all running, plan, change, share
    assert "all running [USD]" in section
    assert "plan [USD]" in section
    # running: jewett 600,000 + littleton 700,000, two quarters
    assert rows["Fixed (running)"][1] == "2,600,000"
    # idle: camden 2 × 250,000; mons 140,000 EUR at 1.30 and 1.36 USD/EUR
    assert rows["Fixed (idle)"][1] == "872,400"
    # going idle: camden 150,000; mons 90,000 EUR at 1.30; nothing idles when all run
    assert rows["Idling"][:2] == ["0", "267,000"]


def test_embedded_data_draws_the_map_and_every_chart(page):
    data = embedded(page)
    assert set(data["charts"]) == {
        "chart-timeline",
        "chart-bridge",
        "chart-terms",
        "chart-utilisation",
    }
    plants = {p["id"]: p for p in data["map"]["plants"]}
    assert plants["camden-ny"]["states"] == {"2009Q1": "idle", "2009Q2": "idle"}
    assert plants["camden-ny"]["changes"] == {"2009Q1": "idle"}
    assert plants["mons-be"]["lat"] == 50.4542
    assert len(data["map"]["customers"]) == 4
    for name in data["charts"]:
        assert f'id="{name}"' in page


def test_no_places_gives_a_notice_instead_of_a_map(no_places):
    page = render_html(no_places, generated=MADE)
    assert embedded(page)["map"] is None
    assert "carry no coordinates" in page
    assert 'id="map"' not in page
    # ids stand in for names
    assert "Idle camden-ny and mons-be in 2009Q1" in page


def test_no_plan_says_why_and_draws_nothing(no_plan):
    page = render_html(no_plan, generated=MADE)
    assert "No plan: Infeasible." in page
    assert "Acme Cable needs 9,000,000 lb of bare wire" in page
    assert embedded(page) == {"charts": {}, "map": None}
    assert 'id="timeline"' not in page


def test_unmet_demand_rows_and_share_served(short_results):
    unmet = short_results["unmet"]
    assert unmet.height > 0
    page = render_html(short_results, generated=MADE)
    section = page[page.index('id="unmet"') : page.index('id="metal"')]
    assert "All demand is served" not in section
    assert "chart-unmet" in embedded(page)["charts"]
    biggest = unmet.sort("unmet", descending=True).row(0, named=True)
    assert f"{biggest['unmet']:,.0f}" in section
    shipped = short_results["flows"]["quantity"].sum()
    served = shipped / (shipped + unmet["unmet"].sum())
    assert f"{served:.1%}" in page


def test_limit_keeps_long_tables_short(mini_results, monkeypatch):
    import millnet.report.html as html

    monkeypatch.setattr(html, "TABLE_ROWS", 1)
    page = render_html(mini_results, generated=MADE)
    assert "Showing the first 1 of 2 rows" in page


def test_write_html_creates_folders(tmp_path, mini_results):
    path = write_html(mini_results, tmp_path / "a" / "b" / "report.html", generated=MADE)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "made 2009-03-02 09:30 UTC" in text


def test_without_reference_there_is_no_bridge(mini_results):
    import dataclasses

    alone = dataclasses.replace(mini_results, reference_objective=None)
    page = render_html(alone, generated=MADE)
    assert "chart-bridge" not in embedded(page)["charts"]
    assert 'id="chart-bridge"' not in page
    assert "solved without the reference" in page
    assert "All plants running" not in page
