/* The coordinator dashboard: charts and map drawn from the platform's own API (/api/v1/stats/…), with the
 * Chart.js and Leaflet copies served by the platform. The page already shows every number in tables; this
 * script only adds the pictures, so a failed request leaves the tables as they are.
 * [data-chart="sankey|funnel|trends|projects"] canvases read the endpoint in data-url.
 * [data-dashboard-map] reads the sites, matches and pooling layers, filtered by family and direction.
 * Without a tile URL the map keeps a plain background: markers and lines still show, nothing is fetched. */
(function () {
  "use strict";
  var KIND_COLOURS = {
    ess_enterprise: "#1b7f4c", classic_enterprise: "#2f5fb3", local_authority: "#b5480a",
    research_centre: "#7b3fa0", training_body: "#9c6b00", other: "#5f6b7a"
  };
  var STATUS_STYLES = {
    introduced: { color: "#b5480a", dashArray: "2 6" },
    in_discussion: { color: "#b5480a", dashArray: "8 6" },
    implemented: { color: "#1e6b32", dashArray: null }
  };
  var FAMILY_PALETTE = ["#0b6e4f", "#2f5fb3", "#b5480a", "#7b3fa0", "#9c6b00", "#a4161a", "#256d85", "#5f6b7a"];
  var VALLEY = [49.33, 6.07];
  var language = document.documentElement.lang || "fr";
  var number = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) { throw new Error(response.status + " " + url); }
      return response.json();
    });
  }

  function failed(canvas) {
    return function () {
      var note = document.createElement("p");
      note.className = "chart-error";
      note.textContent = canvas.getAttribute("aria-label") + " — " + (language.indexOf("en") === 0 ? "unavailable, see the table." : "indisponible, voir le tableau.");
      canvas.parentNode.replaceChild(note, canvas);
    };
  }

  // --- Charts ------------------------------------------------------------------------------------------

  function sankeyChart(canvas, data) {
    var labels = {}, colours = {}, family = 0;
    data.nodes.forEach(function (node) {
      labels[node.id] = node.label;
      colours[node.id] = node.layer === 0 ? FAMILY_PALETTE[family++ % FAMILY_PALETTE.length] : node.id.indexOf("route:local") === 0 ? "#1e6b32" : "#5f6b7a";
    });
    return new Chart(canvas, {
      type: "sankey",
      data: { datasets: [{
        data: data.links.map(function (link) { return { from: link.source, to: link.target, flow: link.tonnes }; }),
        labels: labels,
        colorFrom: function (context) { return colours[context.dataset.data[context.dataIndex].from]; },
        colorTo: function (context) { return colours[context.dataset.data[context.dataIndex].to]; },
        colorMode: "gradient",
        size: "max"
      }] },
      options: { maintainAspectRatio: false, plugins: { tooltip: { callbacks: { label: function (item) {
        var flow = item.raw;
        return labels[flow.from] + " → " + labels[flow.to] + " : " + number.format(flow.flow) + " t/an";
      } } } } }
    });
  }

  function funnelChart(canvas, data) {
    var stages = data.kinds.length ? data.kinds[0].stages.map(function (stage) { return stage.label; }) : [];
    return new Chart(canvas, {
      type: "bar",
      data: { labels: stages, datasets: data.kinds.map(function (kind, index) {
        return { label: kind.label.split(" (")[0], data: kind.stages.map(function (stage) { return stage.reached; }), backgroundColor: FAMILY_PALETTE[index] };
      }) },
      options: { indexAxis: "y", maintainAspectRatio: false, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }

  function trendsChart(canvas, data) {
    var years = data.years.map(function (point) { return point.year; });
    function series(name) { return data.years.map(function (point) { return point[name]; }); }
    return new Chart(canvas, {
      type: "line",
      data: { labels: years, datasets: [
        { label: canvas.dataset.labelMembers, data: series("members"), borderColor: "#0b6e4f", backgroundColor: "#0b6e4f", yAxisID: "members" },
        { label: canvas.dataset.labelFte, data: data.years.map(function (p) { return p.permanent_fte === null || p.insertion_fte === null ? null : p.permanent_fte + p.insertion_fte; }), borderColor: "#2f5fb3", backgroundColor: "#2f5fb3", yAxisID: "fte" },
        { label: canvas.dataset.labelTonnes, data: series("tonnes_diverted"), borderColor: "#b5480a", backgroundColor: "#b5480a", yAxisID: "tonnes" }
      ] },
      // Three scales of different sizes (tens of members, thousands of FTE and tonnes): one axis each, coloured like its line.
      options: { maintainAspectRatio: false, scales: {
        members: { position: "left", beginAtZero: true, ticks: { color: "#0b6e4f", precision: 0 } },
        fte: { position: "right", beginAtZero: true, ticks: { color: "#2f5fb3" }, grid: { drawOnChartArea: false } },
        tonnes: { position: "right", beginAtZero: true, ticks: { color: "#b5480a" }, grid: { drawOnChartArea: false } }
      } }
    });
  }

  function projectsChart(canvas, data) {
    return new Chart(canvas, {
      type: "bar",
      data: { labels: data.by_status.map(function (row) { return row.label; }),
              datasets: [{ label: canvas.getAttribute("aria-label"), data: data.by_status.map(function (row) { return row.count; }), backgroundColor: "#0b6e4f" }] },
      options: { maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }

  var CHARTS = { sankey: sankeyChart, funnel: funnelChart, trends: trendsChart, projects: projectsChart };

  function drawCharts() {
    if (typeof Chart === "undefined") { return; }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var draw = CHARTS[canvas.dataset.chart];
      getJson(canvas.dataset.url).then(function (data) { draw(canvas, data); }).catch(failed(canvas));
    });
  }

  // --- Map ---------------------------------------------------------------------------------------------

  function baseMap(element) {
    var map = L.map(element, { scrollWheelZoom: false });
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, { maxZoom: 18, attribution: element.dataset.tileAttribution || "" }).addTo(map);
    } else {
      element.classList.add("map-plain");
    }
    map.setView(VALLEY, 10);
    return map;
  }

  function siteMarker(feature, latlng) {
    var properties = feature.properties;
    // Tonnages span five orders of magnitude (a café's 2 t, a steelworks' 50,000 t): a log scale keeps both visible.
    var radius = 3 + 3 * Math.log10(1 + (properties.tonnes || 0));
    return L.circleMarker(latlng, { radius: radius, weight: 1, color: "#1b2430", fillColor: KIND_COLOURS[properties.kind] || "#5f6b7a", fillOpacity: 0.75 });
  }

  function describeSite(feature, layer, tonnesLabel) {
    var p = feature.properties;
    layer.bindTooltip(p.member_name + " — " + p.name + " (" + p.commune + ")<br>" + p.kind_label + " · " + number.format(p.tonnes) + " " + tonnesLabel);
    if (p.url) { layer.on("click", function () { window.location.href = p.url; }); }
  }

  function matchLine(feature) {
    var style = STATUS_STYLES[feature.properties.status] || STATUS_STYLES.introduced;
    return { color: style.color, dashArray: style.dashArray, weight: 2 + Math.min(Math.sqrt(feature.properties.tonnes || 0) / 2, 6), opacity: 0.8 };
  }

  function poolingCluster(feature, poolingLabel) {
    var hub = L.latLng(feature.geometry.coordinates[1], feature.geometry.coordinates[0]);
    var group = L.featureGroup();
    feature.properties.contributors.forEach(function (position) {
      var site = L.latLng(position[1], position[0]);
      L.polyline([site, hub], { color: "#7b3fa0", weight: 1, opacity: 0.7 }).addTo(group);
      L.circleMarker(site, { radius: 3, color: "#7b3fa0", fillOpacity: 1 }).addTo(group);
    });
    L.circleMarker(hub, { radius: 9, weight: 3, color: "#7b3fa0", fillColor: "#fff", fillOpacity: 1 })
      .bindTooltip(poolingLabel + " · " + feature.properties.material + " · " + feature.properties.hub)
      .on("click", function () { window.location.href = feature.properties.url; })
      .addTo(group);
    return group;
  }

  function dashboardMap(element) {
    var map = baseMap(element);
    var layers = { sites: L.featureGroup().addTo(map), matches: L.featureGroup().addTo(map), pooling: L.featureGroup().addTo(map) };
    var family = document.getElementById("map-family");
    var direction = document.getElementById("map-direction");
    var fitted = false;
    L.control.layers(null, layers, { collapsed: true }).addTo(map);

    function query(withDirection) {
      var params = new URLSearchParams(element.dataset.query);
      if (family.value) { params.set("family", family.value); }
      if (withDirection && direction.value) { params.set("direction", direction.value); }
      return "?" + params.toString();
    }

    function load() {
      getJson(element.dataset.sitesUrl + query(true)).then(function (data) {
        layers.sites.clearLayers();
        L.geoJSON(data, { pointToLayer: siteMarker, onEachFeature: function (f, l) { describeSite(f, l, element.dataset.labelTonnes); } }).addTo(layers.sites);
        if (!fitted && layers.sites.getLayers().length && layers.sites.getBounds().isValid()) {
          map.fitBounds(layers.sites.getBounds().pad(0.1), { maxZoom: 13 });
          fitted = true;
        }
      });
      getJson(element.dataset.matchesUrl + query(false)).then(function (data) {
        layers.matches.clearLayers();
        L.geoJSON(data, { style: matchLine, onEachFeature: function (f, l) {
          l.bindTooltip(f.properties.material + " · " + f.properties.from + " → " + f.properties.to + " · " + f.properties.status_label);
          l.on("click", function () { window.location.href = f.properties.url; });
        } }).addTo(layers.matches);
      });
      getJson(element.dataset.poolingUrl + query(false)).then(function (data) {
        layers.pooling.clearLayers();
        data.features.forEach(function (feature) { poolingCluster(feature, element.dataset.labelPooling).addTo(layers.pooling); });
      });
    }

    family.addEventListener("change", load);
    direction.addEventListener("change", load);
    document.querySelector("[data-map-filters]").hidden = false;
    load();
  }

  drawCharts();
  if (typeof L !== "undefined") {
    document.querySelectorAll("[data-dashboard-map]").forEach(dashboardMap);
  }
})();
