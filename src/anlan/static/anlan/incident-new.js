/* Pick the incident's location on a map of the user's towns: fills longitude and latitude. */
(function () {
  var el = document.getElementById("pick-map"), lon = document.getElementById("id_longitude"), lat = document.getElementById("id_latitude");
  if (!el || !lon || !lat) return;
  var map = AnlanMap.create(el), marker = null;
  function place(latlng) { if (marker) { marker.setLatLng(latlng); } else { marker = L.circleMarker(latlng, {radius: 8, color: "#fff", weight: 2, fillColor: "#d63939", fillOpacity: 1, className: "picked-point"}).addTo(map); } }
  AnlanMap.towns(map, el).then(function (layer) {
    if (lat.value && lon.value) {
      place([lat.value, lon.value]);
      if (!layer) { map.setView([lat.value, lon.value], 13); }
    }
  });
  map.on("click", function (e) { lat.value = e.latlng.lat.toFixed(6); lon.value = e.latlng.lng.toFixed(6); place(e.latlng); });
})();
