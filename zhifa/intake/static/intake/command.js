/* Command centre, clue and team pages (issue 4).
 *
 * - Countdowns: every [data-due] element shows "剩余 12 分钟" / "超时 5 分钟" (red), recomputed every
 *   second in the browser without requests; the phrases come from #zf-countdown-labels (translated by
 *   the server) and the clock is corrected by the server's time ([data-server-now]).
 * - Command map: open clues as markers coloured by status, refreshed every data-refresh seconds with
 *   the chosen filters (JSON from data-markers-url); clues outside every grid get a dashed red ring.
 * - Filters: changing one updates the address bar, the queue (htmx event "zf-filters") and the map.
 * - Rows with data-href open the clue with one click.
 * - Classifying: [data-add-item] buttons (suggestions, search results) add an item to the chosen list.
 */
(function () {
  "use strict";

  var labelsEl = document.getElementById("zf-countdown-labels");
  var labels = labelsEl ? JSON.parse(labelsEl.textContent) : {};
  var offset = 0; // server clock minus browser clock, in ms

  function fill(template, values) {
    return String(template || "").replace(/\{(\w)\}/g, function (_m, key) {
      return values[key] !== undefined ? values[key] : "";
    });
  }

  function duration(seconds) {
    seconds = Math.floor(Math.abs(seconds));
    var minutes = Math.floor(seconds / 60), hours = Math.floor(seconds / 3600), days = Math.floor(seconds / 86400);
    if (minutes < 1) { return fill(labels.s, {n: seconds}); }
    if (hours < 1) { return fill(labels.m, {n: minutes}); }
    if (days < 1) { return fill(labels.h, {h: hours, m: minutes % 60}); }
    return fill(labels.d, {d: days, h: hours % 24});
  }

  function syncClock(root) {
    var nodes = (root || document).querySelectorAll("[data-server-now]");
    var node = nodes.length ? nodes[nodes.length - 1] : null;
    if (!node) { return; }
    var server = Date.parse(node.getAttribute("data-server-now"));
    if (!isNaN(server)) { offset = server - Date.now(); }
  }

  function tick() {
    var now = Date.now() + offset;
    var nodes = document.querySelectorAll("[data-due]");
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i];
      var due = Date.parse(node.getAttribute("data-due"));
      if (isNaN(due)) { continue; }
      var left = (due - now) / 1000;
      var over = left < 0;
      node.textContent = fill(over ? labels.over : labels.left, {t: duration(left)});
      node.classList.toggle("zf-deadline-over", over);
      var row = node.closest("tr");
      if (row) { row.classList.toggle("zf-row-over", over); }
    }
  }

  syncClock(document);
  tick();
  setInterval(tick, 1000);

  document.body.addEventListener("htmx:afterSwap", function (event) {
    syncClock(event.target);
    tick();
  });

  // One click from a row to the clue.
  document.addEventListener("click", function (event) {
    var row = event.target.closest("tr[data-href]");
    if (!row || event.target.closest("a, button, input, select, label")) { return; }
    window.location.href = row.getAttribute("data-href");
  });

  function tileLayer(map, el) {
    var url = el.getAttribute("data-tile-url");
    if (url) { L.tileLayer(url, {maxZoom: 19}).addTo(map); }
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  // --- The command centre's map -------------------------------------------------------------------
  var mapEl = document.getElementById("command-map");
  var filters = document.getElementById("command-filters");
  if (mapEl && window.L) {
    var map = L.map(mapEl, {attributionControl: false});
    tileLayer(map, mapEl);
    var outlinesEl = document.getElementById("command-outlines");
    var outlines = L.geoJSON(outlinesEl ? JSON.parse(outlinesEl.textContent) : null, {
      style: {color: "#1d4f85", weight: 1, fillOpacity: 0.03},
      onEachFeature: function (f, l) { l.bindTooltip(f.properties.name); }
    }).addTo(map);
    var markers = L.layerGroup().addTo(map);
    var fitted = false;
    var hasOutlines = outlines.getBounds().isValid();
    if (hasOutlines) { map.fitBounds(outlines.getBounds()); } else { map.setView([26.0, 118.0], 9); }

    var query = function () {
      return new URLSearchParams(filters ? new FormData(filters) : undefined).toString();
    };

    var loadMarkers = function (refit) {
      var url = mapEl.getAttribute("data-markers-url") + "?" + query();
      return fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
        .then(function (data) {
          markers.clearLayers();
          var bounds = [];  // the county's outlines frame the map; a clue outside every grid does not
          data.markers.forEach(function (m) {
            var marker = L.circleMarker([m.lat, m.lng], {
              radius: m.overdue ? 9 : 7,
              color: m.outside ? "#c92a2a" : (m.overdue ? "#c82333" : "#ffffff"),
              weight: m.outside || m.overdue ? 3 : 1.5,
              dashArray: m.outside ? "3 3" : null,
              fillColor: m.colour,
              fillOpacity: 0.9
            });
            marker.bindPopup(
              '<a href="' + escapeHtml(m.url) + '" class="font-monospace">' + escapeHtml(m.code) + "</a><br>" +
              escapeHtml(m.status_label) + " · " + escapeHtml(m.category) +
              (m.countdown ? '<br><span class="' + (m.overdue ? "text-danger" : "") + '">' + escapeHtml(m.countdown) + "</span>" : "")
            );
            marker.addTo(markers);
            if (!m.outside) { bounds.push([m.lat, m.lng]); }
          });
          if ((refit || (!fitted && !hasOutlines)) && bounds.length) {
            map.fitBounds(bounds, {padding: [24, 24], maxZoom: 15});
            fitted = true;
          }
          mapEl.setAttribute("data-markers", String(data.markers.length));
          mapEl.setAttribute("data-ready", "1");
        })
        .catch(function () { mapEl.setAttribute("data-error", "1"); });
    };

    loadMarkers(false);
    var seconds = parseInt(mapEl.getAttribute("data-refresh"), 10) || 15;
    setInterval(function () { loadMarkers(false); }, seconds * 1000);

    if (filters) {
      filters.addEventListener("change", function () {
        var qs = query();
        window.history.replaceState(null, "", window.location.pathname + (qs ? "?" + qs : ""));
        if (window.htmx) { window.htmx.trigger(document.body, "zf-filters"); }
        loadMarkers(true);
      });
    }
  }

  // --- A clue's map: its point and its micro grid ---------------------------------------------------
  var clueMapEl = document.getElementById("clue-map");
  var clueData = document.getElementById("clue-map-data");
  if (clueMapEl && clueData && window.L) {
    var data = JSON.parse(clueData.textContent);
    var clueMap = L.map(clueMapEl, {attributionControl: false});
    tileLayer(clueMap, clueMapEl);
    var layer = L.geoJSON(data, {
      style: function (f) {
        return f.properties.role === "clue"
          ? {color: "#ffffff", weight: 2, fillColor: f.properties.colour, fillOpacity: 1}
          : {color: "#12375f", weight: 2, fillOpacity: 0.06};
      },
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, {radius: 8}); },
      onEachFeature: function (f, l) { l.bindTooltip(f.properties.name); }
    }).addTo(clueMap);
    var b = layer.getBounds();
    if (b.isValid()) { clueMap.fitBounds(b, {padding: [16, 16], maxZoom: 17}); } else { clueMap.setView([26.0, 118.0], 8); }
    clueMapEl.setAttribute("data-ready", "1");
  }

  // --- Classifying: add suggested or found items to the chosen list ---------------------------------
  function chosenBox() { return document.getElementById("chosen-items"); }

  function refreshChosen() {
    var box = chosenBox();
    if (!box) { return; }
    var empty = box.querySelector(".zf-chosen-empty");
    if (empty) { empty.hidden = box.querySelectorAll(".zf-chosen").length > 0; }
    var chosen = {};
    box.querySelectorAll(".zf-chosen").forEach(function (row) { chosen[row.getAttribute("data-item")] = true; });
    document.querySelectorAll("[data-add-item]").forEach(function (button) {
      var added = !!chosen[button.getAttribute("data-add-item")];
      button.disabled = added;
      if (!button.hasAttribute("data-label")) { button.setAttribute("data-label", button.textContent); }
      button.textContent = added ? (labels.added || "✓") : button.getAttribute("data-label");
    });
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-item]");
    var box = chosenBox();
    if (add && box) {
      event.preventDefault();
      var id = add.getAttribute("data-add-item");
      if (!box.querySelector('.zf-chosen[data-item="' + id + '"]')) {
        var row = document.createElement("div");
        row.className = "zf-chosen";
        row.setAttribute("data-item", id);
        row.innerHTML = '<input type="hidden" name="' + escapeHtml(box.getAttribute("data-field-name")) +
          '" value="' + escapeHtml(id) + '"><span class="small"><span class="font-monospace">' +
          escapeHtml(add.getAttribute("data-code")) + "</span> " + escapeHtml(add.getAttribute("data-name")) +
          '</span><button type="button" class="btn btn-sm btn-link text-danger ms-auto p-0" data-remove-item aria-label="' +
          escapeHtml(labels.remove || "") + '"><i class="bi bi-x-lg"></i></button>';
        var empty = box.querySelector(".zf-chosen-empty");
        box.insertBefore(row, empty);
      }
      refreshChosen();
      return;
    }
    var remove = event.target.closest("[data-remove-item]");
    if (remove) {
      event.preventDefault();
      remove.closest(".zf-chosen").remove();
      refreshChosen();
    }
  });

  // Enter in the item search looks up items; it must not submit the classification.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches && event.target.matches("[data-classify-form] input[type=search]")) {
      event.preventDefault();
    }
  });

  document.body.addEventListener("htmx:afterSwap", refreshChosen);
  refreshChosen();
})();
