// The minutes editor's service worker (served by meetings.views.minutes at
// {{ scope }}minutes-sw.js). It answers only for the editor's pages, at
// {{ scope }}<meeting>/minutes/, and for the static files those pages load:
// the page comes from the network when there is one and from the copy kept
// here when there is not, so a reload at a meeting with no signal still
// shows the editor (the text typed since is restored by the page from this
// device). Saves are not queued here: the page keeps them on the device and
// sends them when the network returns. Signing out clears all of it
// (Clear-Site-Data).
"use strict";

var CACHE = "chibo-minutes-{{ version }}";
var STATIC = "{{ static_url }}";
var EDITOR = new RegExp("^{{ scope }}\\d+/minutes/$");

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("chibo-minutes-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function keep(url) {
  return fetch(url, { credentials: "same-origin" }).then(function (response) {
    if (!response.ok || response.redirected) { return; }
    return caches.open(CACHE).then(function (cache) { return cache.put(url, response); });
  }).catch(function () { /* offline already: keep what we have */ });
}

// The page lists what it loaded (itself and its static files) once the
// worker is ready, since the first visit happened before the worker existed.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "keep") { return; }
  var urls = (data.urls || []).filter(function (url) {
    var path = new URL(url, self.location.href).pathname;
    return EDITOR.test(path) || path.indexOf(STATIC) === 0;
  });
  event.waitUntil(Promise.all(urls.map(keep)).then(function () {
    if (event.source) { event.source.postMessage({ type: "kept" }); }
  }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (EDITOR.test(url.pathname)) {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        event.waitUntil(caches.open(CACHE).then(function (cache) {
          return cache.put(url.pathname, copy);
        }));
      }
      return response;
    }).catch(function () {
      return caches.match(url.pathname).then(function (kept) { return kept || Response.error(); });
    }));
  } else if (url.pathname.indexOf(STATIC) === 0) {
    event.respondWith(fetch(request).catch(function () {
      return caches.match(request, { ignoreSearch: true }).then(function (kept) {
        return kept || Response.error();
      });
    }));
  }
});
