/* The risk map: the user's towns, one point per enterprise in its level colour, the legend counts. */
(function () {
  var el = document.getElementById("risk-map");
  var map = AnlanMap.create(el);
  var towns = AnlanMap.towns(map, el);
  var points = fetch(el.dataset.url, {credentials: "same-origin"}).then(function (r) { return r.json(); });
  Promise.all([towns, points]).then(function (loaded) {
    var layer = loaded[0], data = loaded[1], counts = {}, bounds = [];
    var order = {none: 0, low: 1, general: 2, larger: 3, major: 4};  /* worst drawn on top */
    data.points.sort(function (a, b) { return order[a.level] - order[b.level]; });
    data.points.forEach(function (p) {
      counts[p.level] = (counts[p.level] || 0) + 1;
      var marker = L.circleMarker([p.lat, p.lng], {radius: p.level === "none" ? 4 : 7, color: "#fff", weight: 1, fillColor: p.colour, fillOpacity: 0.9, className: "risk-point risk-" + p.level});
      marker.bindPopup('<a href="/risks/enterprises/' + p.id + '/">' + p.name.replace(/</g, "&lt;") + "</a>");
      marker.addTo(map); bounds.push([p.lat, p.lng]);
    });
    if (!layer && bounds.length) { map.fitBounds(bounds, {padding: [20, 20]}); }  /* no towns drawn: fit the points */
    if (layer && el.dataset.town) {  /* filtered to one town: show that town */
      layer.eachLayer(function (town) { if (town.feature.id === el.dataset.town) { map.fitBounds(town.getBounds(), {padding: [10, 10]}); } });
    }
    ["major", "larger", "general", "low", "none"].forEach(function (k) {
      var slot = document.querySelector('[data-testid="legend-' + k + '"]'); if (slot) slot.textContent = counts[k] || 0;
    });
    el.dataset.loaded = data.points.length;
  });
})();
