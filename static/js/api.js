// What the pages that must not lose work share: the exam page and the role-play chat.
// Both talk JSON to /api/v1 with the page's CSRF token, keep unsent work in localStorage,
// retry failed sends with capped backoff and show the same offline and problem banners.
// Loaded before the page's own script; no inline scripts: the CSP forbids them.
(function () {
  "use strict";

  var MAX_BACKOFF = 30000;             // ms: the longest wait between two retries
  var CSRF_REFRESH_EVERY = 20 * 60 * 1000;

  // JSON requests resolving to {status, body}; a network failure rejects.
  // CSRF tokens expire (an hour) and these pages may stay open longer: a fresh one is fetched
  // from csrfUrl every twenty minutes, and on demand after the server refused a stale one.
  function client(csrfUrl) {
    var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

    function request(method, url, body, keepalive) {
      var options = {
        method: method,
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
        keepalive: !!keepalive,
      };
      if (body !== undefined) { options.body = JSON.stringify(body); }
      return fetch(url, options).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          return { status: response.status, body: data };
        });
      });
    }

    // Resolves true when a fresh token is in use.
    function refreshCsrf() {
      return request("GET", csrfUrl).then(function (reply) {
        if (reply.status === 200 && reply.body.csrf_token) { csrf = reply.body.csrf_token; return true; }
        return false;
      }, function () { return false; });
    }
    window.setInterval(refreshCsrf, CSRF_REFRESH_EVERY);

    return { request: request, refreshCsrf: refreshCsrf };
  }

  // Calls send again after each failure, waiting twice as long each time (up to MAX_BACKOFF),
  // with jitter so a room full of browsers coming back online does not retry in step.
  function backoff(send) {
    var failures = 0;
    var timer = null;
    return {
      failed: function () {
        failures += 1;
        var delay = Math.min(MAX_BACKOFF, 1000 * Math.pow(2, failures - 1)) + Math.random() * 500;
        window.clearTimeout(timer);
        timer = window.setTimeout(send, delay);
      },
      // A send went through; true when it ends a run of failures (the connection is back).
      succeeded: function () {
        var recovered = failures > 0;
        failures = 0;
        return recovered;
      },
      cancel: function () { window.clearTimeout(timer); },
    };
  }

  // A JSON object kept in localStorage under key, so a crash, reload or network cut loses
  // nothing; fields missing from what was saved take their values from empty.
  function localStore(key, empty) {
    return {
      load: function () {
        try {
          var saved = JSON.parse(window.localStorage.getItem(key) || "null");
          return saved && typeof saved === "object" ? Object.assign(empty, saved) : empty;
        } catch (error) {
          return empty;
        }
      },
      save: function (value) {
        try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (error) { /* full or disabled */ }
      },
      forget: function () {
        try { window.localStorage.removeItem(key); } catch (error) { /* ignore */ }
      },
    };
  }

  // The page's translated messages, from an element's data-* attributes; {n} is filled in.
  function messages(element) {
    return function (name, n) {
      return (element.getAttribute("data-" + name) || "").replace("{n}", n);
    };
  }

  // The offline banner with its connection icon, and the problem banner, inside root.
  function banners(root) {
    return {
      offline: function (offline) {
        root.querySelector("[data-offline-banner]").classList.toggle("d-none", !offline);
        root.querySelector("[data-connection]").setAttribute("data-connection", offline ? "offline" : "online");
      },
      problem: function (message) {
        var banner = root.querySelector("[data-problem-banner]");
        banner.textContent = message;
        banner.classList.toggle("d-none", !message);
      },
    };
  }

  window.ServiceCoachApi = {
    MAX_BACKOFF: MAX_BACKOFF,
    client: client,
    backoff: backoff,
    localStore: localStore,
    messages: messages,
    banners: banners,
  };
})();
