/* The maps' common ground: tile layers only when the site configures them (ANLAN_MAP_TILES),
   and always the outlines and names of the user's towns, from the site itself, so a map on a
   closed intranet still shows where things are. Reads the data attributes of map_attributes. */
window.AnlanMap = (function () {
  function create(el, options) {
    var map = L.map(el, options || {zoomSnap: 0.25}).setView([29.65, 117.6], 10);
    var urls = (el.dataset.tiles || "").split(/\s+/).filter(Boolean);
    urls.forEach(function (url, i) {
      L.tileLayer(url, {maxZoom: 18, subdomains: el.dataset.subdomains || "abc", attribution: i === 0 ? el.dataset.attribution || "" : ""}).addTo(map);
    });
    if (!urls.length) { el.classList.add("map-offline"); }
    return map;
  }
  /* Draws the towns (outline and a permanent name label) and fits the map to them; resolves
     to the layer, or null when there are none to draw. */
  function towns(map, el) {
    return fetch(el.dataset.boundaries, {credentials: "same-origin"}).then(function (r) {
      return r.ok ? r.json() : {features: []};
    }).then(function (data) {
      el.dataset.towns = data.features.length;
      if (!data.features.length) { return null; }
      var layer = L.geoJSON(data, {
        interactive: false,
        style: {className: "town-boundary", color: "#206bc4", weight: 1.5, opacity: 0.8, fillColor: "#206bc4", fillOpacity: 0.05},
        onEachFeature: function (feature, path) {
          path.bindTooltip(feature.properties.name, {permanent: true, direction: "center", className: "town-label"});
        }
      }).addTo(map);
      map.fitBounds(layer.getBounds(), {padding: [10, 10]});
      return layer;
    });
  }
  return {create: create, towns: towns};
})();
