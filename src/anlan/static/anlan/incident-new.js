/* Pick the incident's location on a map: fills longitude and latitude. */
(function () {
  var el = document.getElementById("pick-map"), lon = document.getElementById("id_longitude"), lat = document.getElementById("id_latitude");
  if (!el || !lon || !lat) return;
  var map = L.map(el).setView([lat.value || 30.0, lon.value || 120.0], 10), marker = null;
  if (el.dataset.tiles) { L.tileLayer(el.dataset.tiles, {maxZoom: 18}).addTo(map); }
  function place(latlng) { if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); } }
  if (lat.value && lon.value) { place([lat.value, lon.value]); }
  map.on("click", function (e) { lat.value = e.latlng.lat.toFixed(6); lon.value = e.latlng.lng.toFixed(6); place(e.latlng); });
})();
