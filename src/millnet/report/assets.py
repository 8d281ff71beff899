"""The vendored browser assets (Leaflet, Plotly, Natural Earth boundaries), in one place.

The HTML report inlines them and the web app serves them from :data:`ASSET_DIR`; see
``assets/VENDOR.md`` for versions and licences and ``tools/vendor-assets.sh`` for how they are
fetched. Nothing here touches the network.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

#: Folder holding the vendored files (package data).
ASSET_DIR = Path(str(files("millnet.report") / "assets"))

#: Every vendored file a page may use, by the name pages refer to it with.
ASSETS = {
    "leaflet.js": "leaflet/leaflet.js",
    "leaflet.css": "leaflet/leaflet.css",
    "plotly.js": "plotly/plotly-cartesian.min.js",
    "countries.geojson": "natural-earth/countries-50m.geojson",
}

#: Leaflet's CSS points at marker and layer-control images that are not vendored (the report
#: draws circle markers only); inlined as ``none`` so the page never asks for a missing file.
_IMAGE_URL = re.compile(r"url\(images/[^)]*\)")


def asset_path(name: str) -> Path:
    """Where the vendored file ``name`` (a key of :data:`ASSETS`) is on disk."""
    return ASSET_DIR / ASSETS[name]


@cache
def asset_text(name: str) -> str:
    """The vendored file ``name`` as text, ready to inline."""
    text = asset_path(name).read_text(encoding="utf-8")
    if name == "leaflet.css":
        text = _IMAGE_URL.sub("none", text)
    return text


Box = tuple[float, float, float, float]


@cache
def _countries() -> tuple[tuple[str, tuple[tuple[Box, Any], ...]], ...]:
    """Each country's name and its polygons, each with its box (min lon, min lat, max lon,
    max lat)."""
    document = json.loads(asset_text("countries.geojson"))
    indexed = []
    for feature in document["features"]:
        polygons = []
        for polygon in feature["geometry"]["coordinates"]:
            lons = [p[0] for p in polygon[0]]
            lats = [p[1] for p in polygon[0]]
            polygons.append(((min(lons), min(lats), max(lons), max(lats)), polygon))
        indexed.append((feature["properties"]["name"], tuple(polygons)))
    return tuple(indexed)


def countries(bounds: Box | None = None, margin: float = 10.0) -> dict[str, Any]:
    """Natural Earth countries as a GeoJSON FeatureCollection; with ``bounds`` (min lon, min lat,
    max lon, max lat), only the polygons whose box comes within ``margin`` degrees of it, which
    keeps a report of a regional network small (Alaska's islands stay out of a map of Europe)."""
    features = []
    for name, polygons in _countries():
        kept = [
            polygon
            for (x0, y0, x1, y1), polygon in polygons
            if bounds is None
            or not (
                x1 < bounds[0] - margin
                or x0 > bounds[2] + margin
                or y1 < bounds[1] - margin
                or y0 > bounds[3] + margin
            )
        ]
        if kept:
            features.append(
                {
                    "type": "Feature",
                    "properties": {"name": name},
                    "geometry": {"type": "MultiPolygon", "coordinates": kept},
                }
            )
    return {"type": "FeatureCollection", "features": features}
