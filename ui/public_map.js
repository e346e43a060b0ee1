// SafePlay's public map (/map): Leaflet on a plain page, data from /map/data.json.
// Every text from the data is put in the page with textContent, never as HTML, so a
// place named "<img onerror=…>" reads as those characters. No inline script is needed:
// the page's Content-Security-Policy allows scripts from this app only. Its words come
// from the server in the page's language (the data's "words" and "status"; the page's
// data-failed): the script holds none of its own.
(function () {
  "use strict";

  var PLACE_COLOURS = {
    playground: "#d9480f", park: "#2b8a3e", school_yard: "#1971c2",
    play_street: "#e8590c", youth_space: "#7048e8", games_area: "#c2255c",
    skate_park: "#495057", water_play: "#0c8599", adventure_playground: "#a61e4d"
  };
  var INITIATIVE_COLOUR = "#9c36b5";

  var box = document.getElementById("map");
  var statusLine = document.getElementById("status");
  var factsBox = document.getElementById("facts");
  var list = document.getElementById("list");
  var map = L.map(box, { preferCanvas: true, maxZoom: 19, zoomControl: true });
  if (box.dataset.tiles) {
    L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution })
      .addTo(map);
  }
  var wardLayer = L.layerGroup().addTo(map);
  var placeLayer = L.layerGroup().addTo(map);
  var initiativeLayer = L.layerGroup().addTo(map);
  var summary = null; // the first answer, when a city's places come as per-ward counts
  var words = {}; // the labels, from the first answer
  var lang = ""; // the page's language, passed on to the app

  // The page names its data (with the options it was opened with) and has the browser
  // fetch it early; the same address is asked here, so the preloaded answer is used.
  function address(extra) {
    var url = new URL(box.dataset.source, window.location.href);
    Object.keys(extra || {}).forEach(function (name) { url.searchParams.set(name, extra[name]); });
    return url.pathname + url.search;
  }

  function load(extra) {
    return fetch(address(extra)).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) { throw new Error(body.detail || body.title || box.dataset.failed); }
        return body;
      });
    });
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function facts(p) {
    var rows = [];
    if (p.t === "place") {
      rows = [[words.kind, p.kind], [words.ages, p.ages], [words.ward, p.ward]];
    } else if (p.t === "initiative") {
      rows = [[words.kind, p.kind], [words.status, p.status], [words.ward, p.ward],
        [words.feedback, p.feedback]];
    } else if (p.t === "count") {
      rows = [[words.play_areas, p.counted]];
    }
    return rows.filter(function (row) { return row[1]; });
  }

  function show(p) {
    factsBox.replaceChildren();
    factsBox.appendChild(element("h2", p.name || words.unnamed));
    var table = element("dl");
    facts(p).forEach(function (row) {
      table.appendChild(element("dt", row[0]));
      table.appendChild(element("dd", row[1]));
    });
    factsBox.appendChild(table);
    if (p.t === "place" || p.t === "initiative") {
      var link = element("a", words.open, "open");
      link.href = "/?" + p.t + "=" + encodeURIComponent(p.id) +
        (lang ? "&lang=" + encodeURIComponent(lang) : "");
      link.target = "_blank";
      link.rel = "noopener";
      factsBox.appendChild(link);
    } else if (p.t === "count") {
      factsBox.appendChild(element("p", words.zoom_in));
    }
    factsBox.hidden = false;
    // On a phone the facts are below the map: bring them into sight, no further.
    factsBox.scrollIntoView({ block: "nearest" });
  }

  function style(p) {
    if (p.t === "ward") {
      return { color: "#364fc7", weight: 2, fillOpacity: 0.03, dashArray: "6 4" };
    }
    var colour = p.t === "initiative" ? INITIATIVE_COLOUR : PLACE_COLOURS[p.k] || "#343a40";
    return { color: colour, weight: p.t === "initiative" ? 4 : 2, fillColor: colour,
      fillOpacity: p.t === "initiative" ? 0.25 : 0.6 };
  }

  function point(feature, latlng) {
    var p = feature.properties;
    var radius = p.t === "count" ? 10 + Math.min(20, Math.sqrt(p.count)) : 7;
    return L.circleMarker(latlng, Object.assign(style(p), { radius: radius }));
  }

  function layerOf(features, into) {
    into.clearLayers();
    var layer = L.geoJSON(features, {
      style: function (f) { return style(f.properties); },
      pointToLayer: point,
      interactive: true,
      onEachFeature: function (f, shown) {
        if (f.properties.t !== "ward") {
          shown.on("click", function () { show(f.properties); });
        }
      }
    });
    into.addLayer(layer);
    return layer;
  }

  // Built when the reader opens it: 800 buttons nobody asked for would delay the map.
  var listBox = document.getElementById("list-box");
  var toList = [];
  listBox.addEventListener("toggle", function () { if (listBox.open) { listed(toList); } });

  function listed(features) {
    toList = features;
    if (!listBox.open) { return; }
    list.replaceChildren();
    features.forEach(function (f) {
      var item = element("li");
      var button = element("button", f.properties.name || words.unnamed);
      button.type = "button";
      var about = [f.properties.kind, f.properties.counted].filter(Boolean).join(" · ");
      if (about) { button.appendChild(element("span", " · " + about, "about")); }
      button.addEventListener("click", function () {
        show(f.properties);
        var shape = L.geoJSON(f);
        map.fitBounds(shape.getBounds(), { maxZoom: 17 });
      });
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  function paint(body) {
    var byType = { ward: [], place: [], initiative: [], count: [] };
    body.features.forEach(function (f) { byType[f.properties.t].push(f); });
    layerOf(byType.ward, wardLayer);
    layerOf(byType.place.concat(byType.count), placeLayer);
    layerOf(byType.initiative, initiativeLayer);
    listed(byType.count.concat(byType.place, byType.initiative));
    var shown = byType.place.length + byType.initiative.length + byType.count.length;
    statusLine.textContent = body.status;
    document.body.dataset.painted = String(shown);
  }

  function detail() {
    if (!summary) { return; }
    if (map.getZoom() < summary.detail_zoom) {
      if (document.body.dataset.detail) { delete document.body.dataset.detail; paint(summary); }
      return;
    }
    var b = map.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
      .map(function (v) { return v.toFixed(5); }).join(",");
    load({ bbox: bbox, zoom: String(map.getZoom()) }).then(function (body) {
      document.body.dataset.detail = "1";
      paint(body);
    }).catch(failed);
  }

  function failed(error) {
    statusLine.textContent = error.message;
    document.body.dataset.failed = "1";
  }

  load().then(function (body) {
    words = body.words;
    lang = body.lang || "";
    var bb = body.bbox;
    map.fitBounds([[bb[1], bb[0]], [bb[3], bb[2]]]);
    if (body.summarised) {
      summary = body;
      map.on("moveend", detail);
    }
    paint(body);
  }).catch(failed);
})();
