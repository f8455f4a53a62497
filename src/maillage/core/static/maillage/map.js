// The observatory's map, drawn by Leaflet (served from here) from the figures in the page.
// Tiles come from the server configured (MAP_TILES_URL); without one, the points stand on a
// plain background. The tables below the map carry the same figures for everyone.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("map");
    var data = document.getElementById("map-points");
    if (!box || !data || !window.L) return;
    var points = JSON.parse(data.textContent);
    var map = L.map(box, { scrollWheelZoom: false }).setView([43.405, 5.048], 13);
    if (box.dataset.tiles) {
      L.tileLayer(box.dataset.tiles, { maxZoom: 18, attribution: box.dataset.attribution }).addTo(map);
    }
    var bounds = [], labels = [];
    var largest = Math.max.apply(null, points.neighbourhoods.map(function (h) { return h.needs; }).concat([1]));
    // Largest first (the server sends them so): when labels would overlap, the larger keeps its own.
    points.neighbourhoods.forEach(function (hood) {
      var circle = L.circleMarker([hood.lat, hood.lon], {
        radius: 6 + 16 * Math.sqrt(hood.needs / largest), color: "#0b5d6b", fillOpacity: 0.35,
      }).bindTooltip(hood.name + " · " + hood.needs, {
        permanent: true, direction: "center", className: "map-label",
      }).addTo(map);
      labels.push(circle.getTooltip());
      bounds.push([hood.lat, hood.lon]);
    });
    points.places.forEach(function (place) {
      var link = document.createElement("a");
      link.href = place.url;
      link.textContent = place.name;
      L.circleMarker([place.lat, place.lon], { radius: 6, color: "#a34f00", fillOpacity: 0.9 })
        .bindPopup(link).addTo(map);
      bounds.push([place.lat, place.lon]);
    });
    // A label hidden behind a larger one is dropped until the reader zooms in (the table has all).
    function declutter() {
      var kept = [];
      labels.forEach(function (label) {
        var box = label.getElement();
        if (!box) return;
        box.style.visibility = "";
        var r = box.getBoundingClientRect();
        var hits = kept.some(function (k) {
          return r.left < k.right && k.left < r.right && r.top < k.bottom && k.top < r.bottom;
        });
        if (hits) box.style.visibility = "hidden";
        else kept.push(r);
      });
    }
    map.on("zoomend", declutter);
    if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
    declutter();
  });
})();
