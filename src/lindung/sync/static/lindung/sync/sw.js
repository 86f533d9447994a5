// Lindung's service worker. Served by the app at /sw.js (see lindung.sync.views), which
// writes LINDUNG_SHELL (what to keep offline) and LINDUNG_VERSION before this code.
//
// Static files: from the cache first (their names change when they do, and the cache is
// replaced with each new version). Pages: from the network; the offline forms' page is
// kept, and shown for any page asked while there is no connection. Nothing else a page
// shows is kept: personal data stays on the server, the records waiting stay in IndexedDB.
/* global LINDUNG_SHELL, LINDUNG_VERSION */
"use strict";

var CACHE = "lindung-shell-" + LINDUNG_VERSION;
var OFFLINE_PAGE = LINDUNG_SHELL[0];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      // One by one, so that a missing file does not stop the rest being kept.
      return Promise.all(
        LINDUNG_SHELL.map(function (url) {
          return fetch(url, { credentials: "same-origin", redirect: "manual" })
            .then(function (response) {
              if (response.ok) {
                return cache.put(url, response);
              }
              return null;
            })
            .catch(function () {
              return null;
            });
        })
      );
    }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(
        names.filter(function (name) {
          return name.indexOf("lindung-shell-") === 0 && name !== CACHE;
        }).map(function (name) {
          return caches.delete(name);
        })
      );
    }).then(function () {
      return self.clients.claim();
    })
  );
});

function fromCacheFirst(request) {
  return caches.match(request).then(function (hit) {
    return hit || fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) {
          cache.put(request, copy);
        });
      }
      return response;
    });
  });
}

function pageFromNetwork(request) {
  var url = new URL(request.url);
  return fetch(request).then(function (response) {
    // Keep the offline page as last seen (it holds no personal data).
    if (url.pathname === OFFLINE_PAGE && response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) {
        cache.put(OFFLINE_PAGE, copy);
      });
    }
    return response;
  }).catch(function () {
    return caches.match(OFFLINE_PAGE).then(function (page) {
      return page || new Response(
        "<!doctype html><meta charset=utf-8><title>Lindung</title>" +
          "<p>Tidak ada sambungan. Buka Lindung sekali saat daring agar formulir luring tersimpan.</p>",
        { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } }
      );
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return;
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) {
    return;
  }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(fromCacheFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(pageFromNetwork(request));
  }
});

// The page asks for the cache to be emptied (at sign-out, or when another user signs in).
self.addEventListener("message", function (event) {
  if (event.data === "lindung-clear") {
    event.waitUntil(caches.keys().then(function (names) {
      return Promise.all(names.map(function (name) {
        return caches.delete(name);
      }));
    }));
  }
});
