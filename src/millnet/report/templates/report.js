/* millnet report: draws the charts and the map from the page's embedded data, and sorts tables.
   Everything it needs is inlined in the page; it never fetches anything. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("millnet-data").textContent);
  var plotConfig = { displaylogo: false, responsive: true, displayModeBar: false };

  function drawCharts() {
    if (typeof Plotly === "undefined") { return; }
    Object.keys(data.charts).forEach(function (id) {
      var node = document.getElementById(id);
      if (node) { Plotly.newPlot(node, data.charts[id].data, data.charts[id].layout, plotConfig); }
    });
  }

  function formatMass(value, unit) {
    var text = value >= 1e6 ? (value / 1e6).toFixed(1) + " M" : Math.round(value).toLocaleString("en-US");
    return text + " " + unit;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  function drawMap() {
    var m = data.map;
    var node = document.getElementById("map");
    if (!m || !node || typeof L === "undefined") { return; }
    var map = L.map(node, { zoomSnap: 0.25, worldCopyJump: false, preferCanvas: true });
    map.attributionControl.setPrefix("Leaflet");
    map.attributionControl.addAttribution("Boundaries: Natural Earth");
    L.geoJSON(m.countries, {
      interactive: false,
      style: { color: "#b8b2a6", weight: 0.7, fillColor: "#f7f4ee", fillOpacity: 1 }
    }).addTo(map);
    var flowLayer = L.layerGroup().addTo(map);
    var customerLayer = L.layerGroup().addTo(map);
    var plantLayer = L.layerGroup().addTo(map);
    m.customers.forEach(function (c) {
      L.circleMarker([c[1], c[2]], {
        radius: 2.5, color: "#455a64", weight: 0, fillColor: "#455a64", fillOpacity: 0.75
      }).bindTooltip(escapeHtml(c[0])).addTo(customerLayer);
    });
    var plantMarkers = m.plants.map(function (p) {
      return L.circleMarker([p.lat, p.lon], { radius: 8, weight: 2, color: "#ffffff", fillOpacity: 0.95 })
        .addTo(plantLayer);
    });
    var points = m.plants.map(function (p) { return [p.lat, p.lon]; })
      .concat(m.customers.map(function (c) { return [c[1], c[2]]; }));
    if (points.length) { map.fitBounds(L.latLngBounds(points).pad(0.08)); } else { map.setView([30, 0], 2); }

    var slider = document.getElementById("map-period");
    var label = document.getElementById("map-period-label");
    var caption = document.getElementById("map-caption");

    function show(index) {
      var period = m.periods[index];
      label.textContent = period;
      flowLayer.clearLayers();
      var flows = m.flows[period] || [];
      var largest = flows.reduce(function (a, f) { return Math.max(a, f[2]); }, 0) || 1;
      flows.slice().reverse().forEach(function (f) {
        var plant = m.plants[f[0]];
        var customer = m.customers[f[1]];
        L.polyline([[plant.lat, plant.lon], [customer[1], customer[2]]], {
          color: "#1e5aa8", opacity: 0.45, weight: 0.6 + 7 * f[2] / largest
        }).bindTooltip(escapeHtml(plant.name) + " → " + escapeHtml(customer[0]) + ": " +
          formatMass(f[2], m.mass_unit)).addTo(flowLayer);
      });
      m.plants.forEach(function (p, i) {
        var state = p.states[period] || "running";
        var change = p.changes[period];
        plantMarkers[i].setStyle({
          fillColor: m.state_colours[state] || "#78909c",
          color: change ? "#14324f" : "#ffffff",
          weight: change ? 3.5 : 2
        });
        plantMarkers[i].bindTooltip("<b>" + escapeHtml(p.name) + "</b> (" + escapeHtml(p.country) +
          ")<br>" + period + ": " + state + (change ? " — " + change + " this period" : ""));
      });
      var count = m.flow_counts[period] || 0;
      var shown = Math.min(count, m.top);
      var total = m.flow_totals[period] || 0;
      var drawn = flows.reduce(function (a, f) { return a + f[2]; }, 0);
      caption.textContent = period + ": " + (shown < count ?
        "the largest " + shown + " of " + count + " plant → customer flows (" +
        Math.round(100 * drawn / (total || 1)) + " % of " + formatMass(total, m.mass_unit) + ")" :
        "all " + count + " plant → customer flows (" + formatMass(total, m.mass_unit) + ")") +
        "; line width follows volume.";
    }
    slider.max = String(Math.max(0, m.periods.length - 1));
    slider.value = "0";
    slider.addEventListener("input", function () { show(Number(slider.value)); });
    show(0);
  }

  function sortable() {
    document.querySelectorAll("table.sortable").forEach(function (table) {
      table.querySelectorAll("thead th").forEach(function (th, column) {
        th.addEventListener("click", function () {
          var ascending = th.getAttribute("aria-sort") !== "ascending";
          table.querySelectorAll("thead th").forEach(function (other) { other.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          var numeric = th.classList.contains("num");
          rows.sort(function (a, b) {
            var x = a.cells[column], y = b.cells[column];
            var cmp;
            if (numeric) {
              var u = x.hasAttribute("data-v") ? Number(x.getAttribute("data-v")) : -Infinity;
              var v = y.hasAttribute("data-v") ? Number(y.getAttribute("data-v")) : -Infinity;
              cmp = u < v ? -1 : u > v ? 1 : 0;
            } else {
              cmp = x.textContent.localeCompare(y.textContent, undefined, { numeric: true });
            }
            return ascending ? cmp : -cmp;
          });
          rows.forEach(function (row) { body.appendChild(row); });
        });
      });
    });
  }

  sortable();
  drawCharts();
  drawMap();
})();
