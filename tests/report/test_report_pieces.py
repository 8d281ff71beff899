"""Small pieces of the reports: number formats, the vendored assets, the places table."""

from __future__ import annotations

import re

import polars as pl
import pytest

from millnet.case import load_example
from millnet.report.assets import ASSET_DIR, ASSETS, asset_path, asset_text, countries
from millnet.report.columns import header
from millnet.report.format import and_list, cell, mass, money, plural
from millnet.report.tables import html_table
from millnet.results.places import places_table


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (1_875_402.73, "USD 1.9 M"),
        (-126_258.4, "-USD 126,258"),
        (1_132_412_700.0, "USD 1.13 bn"),
        (0.4, "USD 0"),
    ],
)
def test_money(amount, text):
    assert money(amount, "USD") == text


def test_mass_plural_and_list():
    assert mass(620_000, "lb") == "620,000 lb"
    assert mass(9_900_000, "lb") == "9.9 M lb"
    assert plural(1, "customer") == "1 customer"
    assert plural(1617, "demand row") == "1,617 demand rows"
    assert and_list(["A"]) == "A"
    assert and_list(["A", "B", "C"]) == "A, B and C"


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        (1234567.8, "money", "1,234,568"),
        (0.123456, "rate", "0.1235"),
        (0.875, "share", "87.5%"),
        (-1e-9, "money", "0"),
        (-0.0004, "share", "0.0%"),
        (-12.0, "money", "-12"),
        (None, "money", "–"),
        (float("nan"), "mass", "–"),
        (True, None, "yes"),
        ("camden-ny", None, "camden-ny"),
    ],
)
def test_cell(value, kind, text):
    assert cell(value, kind) == text


def test_headers_name_units():
    assert header("flows", "quantity", "USD", "lb") == "quantity [lb]"
    assert header("flows", "freight", "EUR", "kg") == "freight [EUR/kg]"
    assert header("costs", "amount", "USD", "lb") == "amount [USD]"
    assert header("costs", "term", "USD", "lb") == "term"
    assert header("capacity_value", "shadow_price", "USD", "lb") == "shadow_price"


def test_html_table_escapes_and_sorts_by_value():
    frame = pl.DataFrame({"customer": ["<b>Acme</b> & Co"], "quantity": [1500.5]})
    table = str(html_table(frame, "moves", "USD", "lb"))
    assert "&lt;b&gt;Acme&lt;/b&gt; &amp; Co" in table
    assert '<td class="num" data-v="1500.5">1,500</td>' in table
    assert '<th scope="col" class="num" title="Quantity shipped by the new plant.">' in table
    assert "quantity [lb]" in table
    empty = str(html_table(frame.clear(), "moves", "USD", "lb", empty="Nobody moves."))
    assert empty == '<p class="empty">Nobody moves.</p>'


def test_vendored_assets_match_vendor_md():
    for name in ASSETS:
        assert asset_path(name).is_file(), name
    vendor = (ASSET_DIR / "VENDOR.md").read_text(encoding="utf-8")
    assert "| `leaflet` | 1.9.4 | BSD-2-Clause" in vendor
    assert "| `plotly.js-cartesian-dist-min` | 4.1.1 | MIT" in vendor
    assert "world-atlas" in vendor
    assert "plotly.js (cartesian - minified) v4.1.1" in asset_text("plotly.js")[:200]
    assert re.search(r'version\s*=\s*"1\.9\.4"', asset_text("leaflet.js"))
    for licence in ("leaflet/LICENSE", "plotly/LICENSE", "natural-earth/LICENSE"):
        assert (ASSET_DIR / licence).is_file()


def test_inlined_leaflet_css_asks_for_no_images():
    css = asset_text("leaflet.css")
    assert "images/" not in css
    assert "images/" in asset_path("leaflet.css").read_text(encoding="utf-8")


def test_countries_near_bounds_only():
    world = countries()
    assert len(world["features"]) > 200
    assert "Antarctica" not in {f["properties"]["name"] for f in world["features"]}
    # Belgium and its surroundings: no Americas
    belgium = countries((3.0, 50.0, 5.0, 51.0), margin=2.0)["features"]
    near = {f["properties"]["name"] for f in belgium}
    assert {"Belgium", "France", "Netherlands", "Luxembourg"} <= near
    assert "United States of America" not in near
    assert "Brazil" not in near
    # coordinates are rounded to 0.01 degree
    points = [p for f in belgium for poly in f["geometry"]["coordinates"] for r in poly for p in r]
    assert all(round(x, 2) == x and round(y, 2) == y for x, y in points)


def test_places_table_from_the_mini_case():
    places = places_table(load_example("mini"))
    assert places.schema == pl.Schema(
        {
            "id": pl.String,
            "kind": pl.String,
            "name": pl.String,
            "country": pl.String,
            "lat": pl.Float64,
            "lon": pl.Float64,
        }
    )
    assert places["kind"].to_list() == ["plant"] * 4 + ["customer"] * 4
    assert places.row(3) == ("mons-be", "plant", "Mons BE", "BE", 50.4542, 3.9567)
    assert places.row(7) == ("eurocab", "customer", "Eurocab (synthetic)", "FR", 48.8566, 2.3522)


def test_solved_results_carry_places(mini_results):
    assert mini_results["places"].height == 8
