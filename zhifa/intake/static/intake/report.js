/* Zhifa intake: the report forms (staff /intake/report/ and public /report/).
 *
 * - Keeps what was typed in localStorage (per form: data-draft-key) until the server confirms, so a
 *   failed send or a reload loses nothing but the chosen photos (files cannot be stored).
 * - The hidden client_key (a UUID) is kept with the draft: sending again after a lost answer gives the
 *   server the same key and it returns the clue already created instead of a second one.
 * - Position: browser geolocation (WGS84) or a pin dropped/dragged on a Leaflet map. Tiles come from
 *   data-tile-url (ZHIFA_MAP_TILE_URL); without it the map shows the grid outlines only.
 * - Sends with XMLHttpRequest (upload progress on slow connections); large photos are scaled down
 *   before sending; server errors are shown next to each field.
 * Texts come from the page (json_script "report-messages"), translated by Django.
 */
(function () {
  "use strict";
  var form = document.querySelector("form[data-report-form]");
  if (!form) { return; }
  var text = JSON.parse(document.getElementById("report-messages").textContent);
  var outlines = JSON.parse(document.getElementById("report-outlines").textContent);
  var draftKey = form.dataset.draftKey || "zhifa.report";
  var SKIP = {csrfmiddlewaretoken: true, photos: true, website: true};
  var SHRINK_ABOVE = 1.5 * 1024 * 1024;  // bytes; smaller photos are sent as they are
  var SHRINK_EDGE = 1920;  // px, the longer edge after scaling
  var statusBox = form.querySelector("[data-status]");
  var progress = form.querySelector("[data-progress]");
  var submitButton = form.querySelector("[type=submit]");
  var spinner = form.querySelector("[data-spinner]");
  var positionText = document.getElementById("position-text");
  var photoInput = form.querySelector("input[type=file][name=photos]");
  var latInput = form.elements.lat;
  var lngInput = form.elements.lng;
  var keyInput = form.elements.client_key;
  var map = null;
  var marker = null;
  var sending = false;

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  // --- the client key ------------------------------------------------------------------------------
  function uuid4() {
    // crypto.randomUUID needs a secure context; intranets often serve plain http.
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // --- the draft -----------------------------------------------------------------------------------
  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !SKIP[el.name] && el.type !== "file" && el.type !== "submit" && el.type !== "button";
    });
  }

  function saveDraft() {
    var store = storage();
    if (!store) { return; }
    if (!keyInput.value) { keyInput.value = uuid4(); }
    var values = {};
    fields().forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) { values[el.name] = el.value; }
      } else {
        values[el.name] = el.value;
      }
    });
    try { store.setItem(draftKey, JSON.stringify({savedAt: Date.now(), values: values})); } catch (e) { /* full */ }
  }

  function clearDraft() {
    var store = storage();
    if (store) { store.removeItem(draftKey); }
  }

  function restoreDraft() {
    var store = storage();
    var raw = store && store.getItem(draftKey);
    if (!raw) { return false; }
    var draft;
    try { draft = JSON.parse(raw); } catch (e) { return false; }
    var values = (draft && draft.values) || {};
    var restored = false;
    fields().forEach(function (el) {
      if (!(el.name in values)) { return; }
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = values[el.name] === el.value;
      } else if (el.value !== values[el.name]) {
        el.value = values[el.name];
        if (el.name !== "client_key" && values[el.name]) { restored = true; }
      }
    });
    if (values.client_key) { keyInput.value = values.client_key; }
    return restored;
  }

  // --- messages and errors -------------------------------------------------------------------------
  function say(message, kind) {
    statusBox.className = "alert alert-" + (kind || "info");
    statusBox.textContent = message;
  }

  function clearErrors() {
    form.querySelectorAll("[data-error-for]").forEach(function (box) {
      box.textContent = "";
      if (box.dataset.errorFor === "__all__") { box.classList.add("d-none"); }
    });
    form.querySelectorAll(".zf-invalid").forEach(function (el) { el.classList.remove("zf-invalid"); });
  }

  function showErrors(errors) {
    var first = null;
    Object.keys(errors).forEach(function (name) {
      var target = name === "lng" ? "lat" : name;
      var box = form.querySelector('[data-error-for="' + target + '"]') ||
        form.querySelector('[data-error-for="__all__"]');
      errors[name].forEach(function (message) {
        var line = document.createElement("div");
        line.textContent = message;
        box.appendChild(line);
      });
      box.classList.remove("d-none");
      var wrapper = box.closest("[data-field]");
      if (wrapper) { wrapper.classList.add("zf-invalid"); }
      first = first || box;
    });
    if (first) { first.scrollIntoView({block: "center"}); }
  }

  // --- position ------------------------------------------------------------------------------------
  function showPosition(lat, lng, template, accuracy) {
    var label = format(template, {lat: lat.toFixed(6), lng: lng.toFixed(6)});
    if (accuracy) { label += format(text.accuracy, {acc: Math.round(accuracy)}); }
    positionText.textContent = label;
    positionText.dataset.lat = lat.toFixed(6);
    positionText.dataset.lng = lng.toFixed(6);
  }

  function setPosition(lat, lng, template, accuracy) {
    latInput.value = lat.toFixed(6);
    lngInput.value = lng.toFixed(6);
    showPosition(lat, lng, template, accuracy);
    if (map) {
      var point = L.latLng(lat, lng);
      if (marker) { marker.setLatLng(point); } else { addMarker(point); }
      if (template === text.located) { map.setView(point, Math.max(map.getZoom() || 0, 17)); }
    }
    var box = form.querySelector('[data-error-for="lat"]');
    if (box) { box.textContent = ""; box.closest("[data-field]").classList.remove("zf-invalid"); }
    saveDraft();
  }

  function clearPosition() {
    latInput.value = "";
    lngInput.value = "";
    positionText.textContent = text.none;
    delete positionText.dataset.lat;
    delete positionText.dataset.lng;
    if (marker) { map.removeLayer(marker); marker = null; }
    saveDraft();
  }

  function locate() {
    if (!navigator.geolocation) { positionText.textContent = text.unsupported; return; }
    positionText.textContent = text.locating;
    navigator.geolocation.getCurrentPosition(function (pos) {
      setPosition(pos.coords.latitude, pos.coords.longitude, text.located, pos.coords.accuracy);
    }, function (error) {
      positionText.textContent = error.code === 1 ? text.denied : text.failed;
    }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
  }

  function addMarker(point) {
    marker = L.marker(point, {draggable: true, autoPan: true}).addTo(map);
    marker.on("dragend", function () {
      var p = marker.getLatLng();
      setPosition(p.lat, p.lng, text.picked);
    });
  }

  function setUpMap() {
    var box = document.getElementById("report-map");
    if (!box || box.hidden || typeof L === "undefined") { return; }
    map = L.map(box, {attributionControl: false});
    var tileUrl = form.dataset.tileUrl;
    if (tileUrl) { L.tileLayer(tileUrl, {maxZoom: 19}).addTo(map); }
    var layer = L.geoJSON(outlines, {
      style: function () { return {color: "#1d4f85", weight: 2, fillOpacity: 0.05}; },
      onEachFeature: function (f, l) { l.bindTooltip(f.properties.name); },
      interactive: false
    }).addTo(map);
    var bounds = layer.getBounds();
    if (latInput.value && lngInput.value) {
      map.setView([parseFloat(latInput.value), parseFloat(lngInput.value)], 17);
    } else if (bounds.isValid()) {
      map.fitBounds(bounds, {padding: [12, 12]});
    } else {
      map.setView([35, 105], 4);
    }
    map.on("click", function (e) { setPosition(e.latlng.lat, e.latlng.lng, text.picked); });
    box.dataset.ready = "1";
  }

  // --- photos --------------------------------------------------------------------------------------
  function showPhotos() {
    var previews = form.querySelector("[data-photo-previews]");
    var counter = form.querySelector("[data-photo-count]");
    previews.textContent = "";
    var files = Array.prototype.slice.call(photoInput.files || []);
    var total = 0;
    files.forEach(function (file) {
      total += file.size;
      var img = document.createElement("img");
      img.className = "zf-preview";
      img.alt = file.name;
      img.src = URL.createObjectURL(file);
      previews.appendChild(img);
    });
    counter.textContent = files.length ? format(text.photos, {n: files.length, size: (total / 1048576).toFixed(1) + " MB"}) : "";
  }

  function shrink(file) {
    // Scale big JPEG/PNG/WebP photos down (longer edge SHRINK_EDGE) so they get through a weak signal.
    if (file.size <= SHRINK_ABOVE || !window.createImageBitmap || !/^image\/(jpeg|png|webp)$/.test(file.type)) {
      return Promise.resolve(file);
    }
    return createImageBitmap(file, {imageOrientation: "from-image"}).then(function (bitmap) {
      var scale = Math.min(1, SHRINK_EDGE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) { resolve(file); return; }
          resolve(new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", {type: "image/jpeg"}));
        }, "image/jpeg", 0.85);
      });
    }).catch(function () { return file; });
  }

  // --- sending -------------------------------------------------------------------------------------
  function busy(on) {
    sending = on;
    submitButton.disabled = on;
    spinner.classList.toggle("d-none", !on);
    progress.classList.toggle("d-none", !on);
    if (on) { progress.firstElementChild.style.width = "0%"; }
  }

  function send(data) {
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.timeout = 180000;
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) { progress.firstElementChild.style.width = Math.round(100 * e.loaded / e.total) + "%"; }
    };
    xhr.onload = function () {
      busy(false);
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      if ((xhr.status === 200 || xhr.status === 201) && body && body.url) {
        clearDraft();
        say(text.sent, "success");
        window.location.assign(body.url);
      } else if (body && body.errors) {
        say(text.fix, "danger");
        showErrors(body.errors);
      } else if (xhr.status === 403 || (xhr.status === 200 && !body)) {
        say(text.expired, "warning");  // CSRF token or login expired: the answer is a page, not JSON
      } else {
        say(text.server, "warning");
      }
    };
    xhr.onerror = xhr.ontimeout = xhr.onabort = function () {
      busy(false);
      say(text.network, "warning");
    };
    xhr.send(data);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sending) { return; }
    saveDraft();
    clearErrors();
    busy(true);
    say(text.sending, "info");
    var data = new FormData(form);
    var files = Array.prototype.slice.call((photoInput && photoInput.files) || []);
    data.delete("photos");
    Promise.all(files.map(shrink)).then(function (photos) {
      photos.forEach(function (photo) { data.append("photos", photo, photo.name); });
      send(data);
    });
  });

  form.addEventListener("input", saveDraft);
  form.addEventListener("change", function (event) {
    if (event.target === photoInput) { showPhotos(); } else { saveDraft(); }
  });
  form.querySelector("[data-action=locate]").addEventListener("click", locate);
  form.querySelector("[data-action=clear-position]").addEventListener("click", clearPosition);

  // --- start ---------------------------------------------------------------------------------------
  if (!keyInput.value) { keyInput.value = uuid4(); }
  var restored = restoreDraft();
  setUpMap();
  if (latInput.value && lngInput.value) {
    var lat = parseFloat(latInput.value);
    var lng = parseFloat(lngInput.value);
    if (isFinite(lat) && isFinite(lng)) { setPosition(lat, lng, text.picked); }
  } else if (form.dataset.autoLocate) {
    locate();
  }
  if (restored) { say(text.restored, "info"); }
  form.dataset.ready = "1";
})();
