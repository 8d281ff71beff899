#!/usr/bin/env bash
# Fetches the pinned browser assets the HTML report and the web app inline or serve, from the npm
# registry (`npm pack`, no install scripts run), and copies them under
# src/millnet/report/assets/ with their licences. The country boundaries are converted once, here,
# from Natural Earth TopoJSON (world-atlas) to simplified, rounded GeoJSON, so that nothing has to
# decode TopoJSON at report time. Run it from anywhere; re-run it after changing a version below
# and update VENDOR.md to match.
set -euo pipefail

LEAFLET_VERSION=1.9.4
# the plotly.js that the installed Python plotly package is built against (plotly 7.1 → 4.1.1);
# the cartesian partial bundle has every trace type the report draws (bar, heatmap, scatter)
PLOTLY_VERSION=4.1.1
WORLD_ATLAS_VERSION=2.0.2
# Douglas-Peucker tolerance and rounding of the boundaries, in degrees (0.01° ≈ 1 km)
SIMPLIFY_DEGREES=0.03
ROUND_DIGITS=2

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ASSETS="$ROOT/src/millnet/report/assets"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
[[ -x "$PYTHON" ]] || PYTHON=python3

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

fetch() {
    # npm pack downloads the published tarball only; extract it into a folder named after $1
    local spec=$1 dir=$2 tarball
    tarball=$(npm pack --silent "$spec" | tail -n 1)
    mkdir -p "$dir"
    tar -xzf "$tarball" -C "$dir" --strip-components=1
}

fetch "leaflet@$LEAFLET_VERSION" leaflet
fetch "plotly.js-cartesian-dist-min@$PLOTLY_VERSION" plotly
fetch "world-atlas@$WORLD_ATLAS_VERSION" world-atlas

mkdir -p "$ASSETS/leaflet" "$ASSETS/plotly" "$ASSETS/natural-earth"
cp leaflet/dist/leaflet.js leaflet/dist/leaflet.css "$ASSETS/leaflet/"
cp leaflet/LICENSE "$ASSETS/leaflet/LICENSE"
cp plotly/plotly-cartesian.min.js "$ASSETS/plotly/"
cp plotly/LICENSE "$ASSETS/plotly/LICENSE"
cp world-atlas/LICENSE "$ASSETS/natural-earth/LICENSE"

"$PYTHON" - world-atlas/countries-50m.json "$ASSETS/natural-earth/countries-50m.geojson" \
    "$SIMPLIFY_DEGREES" "$ROUND_DIGITS" <<'PY'
"""TopoJSON (world-atlas) → GeoJSON FeatureCollection of country polygons.

Arcs are decoded (quantised, delta-encoded), simplified with Douglas-Peucker once per arc so
that neighbouring countries keep the same shared border, rounded, and stitched into rings.
Antarctica is dropped: nothing in a supply network ships there and it is a large polygon.
"""

import json
import sys

source, target, tolerance, digits = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
topology = json.load(open(source, encoding="utf-8"))
scale = topology["transform"]["scale"]
translate = topology["transform"]["translate"]


def decode(arc):
    x = y = 0
    points = []
    for dx, dy in arc:
        x += dx
        y += dy
        points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
    return points


def simplify(points):
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        best, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if norm == 0:
                d = ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
            else:
                d = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [p for p, k in zip(points, keep) if k]


arcs = [
    [(round(x, digits), round(y, digits)) for x, y in simplify(decode(a))]
    for a in topology["arcs"]
]


def ring(indexes):
    points = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    cleaned = [p for k, p in enumerate(points) if k == 0 or p != points[k - 1]]
    return [list(p) for p in cleaned] if len(cleaned) >= 4 else None


def polygon(rings):
    decoded = [ring(r) for r in rings]
    return [r for r in decoded if r] if decoded and decoded[0] else None


features = []
for geometry in topology["objects"]["countries"]["geometries"]:
    name = geometry.get("properties", {}).get("name", "")
    if name == "Antarctica" or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        continue
    parts = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
    polygons = [p for p in (polygon(rings) for rings in parts) if p]
    if not polygons:
        continue
    features.append(
        {
            "type": "Feature",
            "properties": {"name": name},
            "geometry": {"type": "MultiPolygon", "coordinates": polygons},
        }
    )
document = {"type": "FeatureCollection", "features": features}
with open(target, "w", encoding="utf-8") as out:
    json.dump(document, out, separators=(",", ":"))
    out.write("\n")
print(f"{target}: {len(features)} countries")
PY

echo "assets in $ASSETS:"
(cd "$ASSETS" && find . -type f ! -name VENDOR.md -exec ls -l {} + | awk '{print "  " $5 "\t" $9}')
