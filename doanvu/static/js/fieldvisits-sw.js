/* The service worker of the field-visit pages (issue 13): served at /di-co-so/sw.js so its scope
   is /di-co-so/. Pages under the scope and our static files are fetched from the network first
   and kept; without a connection the kept copy answers, so the log form opens in a hamlet with
   no signal (fieldvisits-offline.js then keeps the visit on the phone). Nothing from elsewhere
   is fetched or kept. */
"use strict";
var CACHE = "doanvu-fieldvisits-v1";
var SCOPE = new URL("./", self.location.href).pathname;
var FORM = SCOPE + "chuyen-di/moi/";

function keep(request, response) {
  if (response && response.ok && response.type === "basic" && !response.redirected) {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
  }
  return response;
}

self.addEventListener("install", function (event) {
  // the log form and the CSS/JS it names, read while there is a connection
  event.waitUntil(fetch(FORM, { credentials: "same-origin" }).then(function (resp) {
    if (!resp.ok || resp.redirected) { return null; }
    return resp.clone().text().then(function (html) {
      var assets = (html.match(/\/static\/[^"'?\s]+/g) || []).filter(function (u, i, a) {
        return a.indexOf(u) === i;
      });
      return caches.open(CACHE).then(function (cache) {
        return cache.put(FORM, resp).then(function () {
          return Promise.all(assets.map(function (u) {
            return fetch(u).then(function (r) { return r.ok ? cache.put(u, r) : null; });
          }));
        });
      });
    });
  })["catch"](function () { return null; }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return k.indexOf("doanvu-fieldvisits-") === 0 && k !== CACHE;
    }).map(function (k) { return caches["delete"](k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  var page = request.mode === "navigate" && url.pathname.indexOf(SCOPE) === 0;
  var asset = url.pathname.indexOf("/static/") === 0;
  if (!page && !asset) { return; }
  event.respondWith(fetch(request).then(function (resp) { return keep(request, resp); },
    function () {
      return caches.match(request, { ignoreSearch: page }).then(function (hit) {
        if (hit) { return hit; }
        if (!page) { return Response.error(); }
        return caches.match(FORM).then(function (form) { return form || Response.error(); });
      });
    }));
});
