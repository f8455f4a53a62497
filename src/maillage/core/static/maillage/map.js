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
    var bounds = [];
    var largest = Math.max.apply(null, points.neighbourhoods.map(function (h) { return h.needs; }).concat([1]));
    points.neighbourhoods.forEach(function (hood) {
      L.circleMarker([hood.lat, hood.lon], {
        radius: 8 + 24 * Math.sqrt(hood.needs / largest), color: "#0b5d6b", fillOpacity: 0.35,
      }).bindTooltip(hood.name + " : " + hood.needs).addTo(map);
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
    if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
  });
})();
