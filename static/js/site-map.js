/* Maps of member sites, drawn with the Leaflet copy served by the platform.
 * [data-site-map] shows the points of the JSON script #site-points.
 * [data-site-picker] lets the user click to fill the latitude/longitude inputs of the form.
 * Without a tile URL the map keeps a plain background: markers still show, nothing is fetched. */
(function () {
  "use strict";
  var VALLEY = [49.33, 6.07];

  function baseMap(element) {
    var map = L.map(element, { scrollWheelZoom: false });
    var tiles = element.dataset.tileUrl;
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 18, attribution: element.dataset.tileAttribution || "" }).addTo(map);
    } else {
      element.classList.add("map-plain");
    }
    return map;
  }

  function showSites(element) {
    var source = document.getElementById("site-points");
    var points = source ? JSON.parse(source.textContent) : [];
    var map = baseMap(element);
    var markers = points.map(function (point) {
      return L.circleMarker([point.lat, point.lon], {
        radius: point.main ? 9 : 6, weight: 2, color: "#084f39", fillColor: point.main ? "#0b6e4f" : "#b5480a", fillOpacity: 0.85
      }).bindTooltip(point.name).addTo(map);
    });
    if (markers.length) {
      map.fitBounds(L.featureGroup(markers).getBounds().pad(0.5), { maxZoom: 13 });
    } else {
      map.setView(VALLEY, 11);
    }
  }

  function pickSite(element) {
    var latitude = document.getElementById("id_latitude");
    var longitude = document.getElementById("id_longitude");
    var map = baseMap(element);
    var marker = null;
    function place(lat, lon) {
      if (marker) { marker.setLatLng([lat, lon]); } else { marker = L.circleMarker([lat, lon], { radius: 9, color: "#084f39" }).addTo(map); }
    }
    var lat = parseFloat(latitude.value), lon = parseFloat(longitude.value);
    if (!isNaN(lat) && !isNaN(lon)) { place(lat, lon); map.setView([lat, lon], 14); } else { map.setView(VALLEY, 11); }
    map.on("click", function (event) {
      latitude.value = event.latlng.lat.toFixed(6);
      longitude.value = event.latlng.lng.toFixed(6);
      place(event.latlng.lat, event.latlng.lng);
    });
    [latitude, longitude].forEach(function (input) {
      input.addEventListener("change", function () {
        var a = parseFloat(latitude.value), b = parseFloat(longitude.value);
        if (!isNaN(a) && !isNaN(b)) { place(a, b); map.panTo([a, b]); }
      });
    });
  }

  if (typeof L === "undefined") { return; }
  document.querySelectorAll("[data-site-map]").forEach(showSites);
  document.querySelectorAll("[data-site-picker]").forEach(pickSite);
})();
