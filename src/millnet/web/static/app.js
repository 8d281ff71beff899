// millnet web app: maps and charts drawn from the JSON blocks the pages carry.
// No inline scripts (the content security policy forbids them); everything starts here.
"use strict";

const STATE_COLOURS = { running: "#1b873f", idle: "#d98e04", closed: "#c62828" };
const SEGMENT_COLOURS = ["#183b56", "#1f6feb", "#6cb4ee", "#d98e04", "#8e5ac8", "#2a9d8f", "#e76f51", "#7a869a"];
let countries = null;

function readJson(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

async function countryLayer(url) {
  if (!countries) {
    try {
      const answer = await fetch(url);
      countries = answer.ok ? await answer.json() : { type: "FeatureCollection", features: [] };
    } catch (error) {
      countries = { type: "FeatureCollection", features: [] };
    }
  }
  return L.geoJSON(countries, {
    style: { color: "#9fb3c8", weight: 0.7, fillColor: "#f7f5ef", fillOpacity: 1 },
    interactive: false,
  });
}

function baseMap(node) {
  const map = L.map(node, { zoomSnap: 0.25, worldCopyJump: true, attributionControl: false });
  map.getContainer().style.background = "#dbe7f0";
  return map;
}

function fit(map, points) {
  if (!points.length) { map.setView([30, 0], 2); return; }
  map.fitBounds(L.latLngBounds(points.map((p) => [p.lat, p.lon])).pad(0.15));
}

async function drawCaseMap() {
  const node = document.getElementById("case-map");
  const data = readJson("case-map-data");
  if (!node || !data || typeof L === "undefined" || node.dataset.drawn) return;
  node.dataset.drawn = "1";
  const map = baseMap(node);
  fit(map, data.plants); // a view first: Leaflet cannot draw layers on a map without one
  (await countryLayer(node.dataset.geojson)).addTo(map);
  for (const c of data.customers || []) {
    L.circleMarker([c.lat, c.lon], { radius: 2, color: "#7a869a", weight: 0, fillOpacity: 0.55 })
      .bindTooltip(`${c.name} (${c.segment})`).addTo(map);
  }
  for (const p of data.plants) {
    L.circleMarker([p.lat, p.lon], {
      radius: 7, color: "#fff", weight: 1.5, fillColor: STATE_COLOURS[p.initial_state] || "#555", fillOpacity: 1,
    }).bindTooltip(`<strong>${p.id}</strong><br>${p.name}, ${p.country}<br>${p.initial_state}`).addTo(map);
  }
}

function drawDemandChart() {
  const node = document.getElementById("demand-chart");
  const data = readJson("demand-data");
  if (!node || !data || typeof Plotly === "undefined" || node.dataset.drawn) return;
  node.dataset.drawn = "1";
  const traces = data.rows.map((row, i) => ({
    type: "bar", name: row.segment, x: data.periods, y: data.periods.map((p) => row[p] || 0),
    marker: { color: SEGMENT_COLOURS[i % SEGMENT_COLOURS.length] },
    hovertemplate: `${row.segment}<br>%{x}: %{y:,.0f} ${data.unit}<extra></extra>`,
  }));
  const shapes = [];
  if (data.plan_from && data.periods.includes(data.plan_from)) {
    const at = data.periods.indexOf(data.plan_from) - 0.5;
    shapes.push({ type: "line", x0: at, x1: at, yref: "paper", y0: 0, y1: 1, line: { dash: "dot", color: "#5f6b7a" } });
  }
  Plotly.newPlot(node, traces, {
    barmode: "stack", margin: { t: 10, r: 10, b: 40, l: 70 }, height: 340,
    legend: { orientation: "h", y: -0.15 }, yaxis: { title: data.unit, tickformat: ",.0s" },
    xaxis: { type: "category" }, shapes,
    annotations: shapes.length ? [{ x: data.plan_from, y: 1, yref: "paper", text: "planned →", showarrow: false, xanchor: "left", font: { size: 11, color: "#5f6b7a" } }] : [],
    font: { family: "DejaVu Sans, sans-serif", size: 12 },
  }, { displaylogo: false, responsive: true });
}

function drawRunMap() {
  // The map data is the report's (millnet.report.maps.map_data): plants with their state by
  // period, customers as [name, lat, lon], each period's largest flows as [plant, customer, qty].
  const node = document.getElementById("run-map");
  const data = readJson("run-map-data");
  if (!node || !data || typeof L === "undefined" || node.dataset.drawn) return;
  node.dataset.drawn = "1";
  const map = baseMap(node);
  if (data.bounds) {
    // a view first: Leaflet cannot draw layers on a map without one
    const [w, s, e, n] = data.bounds;
    map.fitBounds([[s, w], [n, e]], { padding: [20, 20] });
  } else {
    fit(map, data.plants);
  }
  if (data.countries) {
    L.geoJSON(data.countries, {
      style: { color: "#9fb3c8", weight: 0.7, fillColor: "#f7f5ef", fillOpacity: 1 }, interactive: false,
    }).addTo(map);
  }
  const customers = L.layerGroup().addTo(map);
  for (const [name, lat, lon] of data.customers) {
    L.circleMarker([lat, lon], { radius: 2, color: "#7a869a", weight: 0, fillOpacity: 0.5 }).bindTooltip(name).addTo(customers);
  }
  const flows = L.layerGroup().addTo(map);
  const plants = L.layerGroup().addTo(map);
  const slider = document.getElementById("run-map-period");
  const label = document.getElementById("run-map-period-label");
  const list = document.getElementById("run-map-states");
  function draw(period) {
    flows.clearLayers();
    plants.clearLayers();
    const rows = (data.flows[period] || []);
    const biggest = Math.max(1, ...rows.map((f) => f[2]));
    for (const [pi, ci, qty] of rows) {
      const a = data.plants[pi], c = data.customers[ci];
      L.polyline([[a.lat, a.lon], [c[1], c[2]]], {
        color: "#1f6feb", opacity: 0.3, weight: 0.5 + 3.5 * (qty / biggest), interactive: false,
      }).addTo(flows);
    }
    const states = [];
    for (const p of data.plants) {
      const state = p.states[period] || "closed";
      const change = p.changes[period];
      L.circleMarker([p.lat, p.lon], {
        radius: 8, color: change ? "#1c2430" : "#fff", weight: change ? 2.5 : 1.5,
        fillColor: STATE_COLOURS[state] || "#555", fillOpacity: 1,
      }).bindTooltip(`<strong>${p.id}</strong><br>${p.name}<br>${period}: ${state}${change ? " (" + change + ")" : ""}`).addTo(plants);
      states.push({ id: p.id, state });
    }
    node.dataset.period = period;
    if (label) label.textContent = period;
    if (list) {
      // The same states as text beside the map: readable without hovering, and testable.
      list.replaceChildren(...states.filter((s) => s.state !== "running").map((s) => {
        const item = document.createElement("li");
        item.dataset.plant = s.id;
        item.dataset.state = s.state;
        item.innerHTML = `<span class="badge ${s.state}">${s.state}</span> ${s.id}`;
        return item;
      }));
      if (!list.children.length) list.innerHTML = '<li class="muted">every plant running</li>';
    }
  }
  const periods = data.periods;
  if (slider) {
    slider.max = String(periods.length - 1);
    const start = periods.indexOf(node.dataset.first || periods[0]);
    slider.value = String(Math.max(0, start));
    slider.addEventListener("input", () => draw(periods[Number(slider.value)]));
  }
  draw(periods[slider ? Number(slider.value) : 0]);
}

function drawCharts() {
  if (typeof Plotly === "undefined") return;
  for (const node of document.querySelectorAll("[data-plotly]")) {
    if (node.dataset.drawn) continue;
    const spec = readJson(node.dataset.plotly);
    if (!spec) continue;
    node.dataset.drawn = "1";
    const layout = Object.assign({ margin: { t: 10, r: 10, b: 40, l: 70 }, font: { family: "DejaVu Sans, sans-serif", size: 12 } }, spec.layout || {});
    Plotly.newPlot(node, spec.data, layout, { displaylogo: false, responsive: true });
  }
}

function drawAll() {
  drawCaseMap();
  drawDemandChart();
  drawRunMap();
  drawCharts();
}

document.addEventListener("DOMContentLoaded", drawAll);
document.addEventListener("htmx:afterSettle", drawAll);
document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.dataset.confirm)) event.preventDefault();
});
