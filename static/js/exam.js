// The exam page: server-owned countdown, lossless autosave, navigator, flags, submit.
// Also the grading queue's keyboard navigation (j/k). No inline scripts: the CSP forbids them.
//
// Autosave: every change bumps the question's sequence number and is written to localStorage
// at once (so a crash, reload or network cut loses nothing), then sent after a short pause.
// The server keeps the highest seq it has seen, so a late, reordered request cannot overwrite
// a newer answer. Failed sends are retried with exponential backoff and flushed as soon as the
// browser reports the connection is back.
(function () {
  "use strict";

  var root = document.querySelector("[data-exam]");
  if (root) { runExam(root); }
  var queue = document.querySelector("[data-grading-queue]");
  if (queue) { runGradingKeys(queue); }

  function runExam(root) {
    var api = window.ServiceCoachApi;
    var attemptId = root.getAttribute("data-attempt-id");
    var server = api.client(root.getAttribute("data-csrf-url"));
    var request = server.request;
    var refreshCsrf = server.refreshCsrf;
    var sequential = root.getAttribute("data-navigation") === "sequential";
    var text = api.messages(document.querySelector("[data-messages]"));
    var banners = api.banners(root);
    var storeKey = "servicecoach.exam." + attemptId;
    var SAVE_DELAY = 800;        // ms after the last keystroke
    var RESYNC_EVERY = 30000;    // ms between clock re-syncs with the server

    // The answer sheet and question anchors sit below the sticky bar, whatever its height.
    var bar = root.querySelector(".sc-exam-bar");
    var measureBar = function () { root.style.setProperty("--sc-bar-height", bar.offsetHeight + "px"); };
    if (window.ResizeObserver) { new window.ResizeObserver(measureBar).observe(bar); }
    measureBar();

    var cards = Array.prototype.slice.call(root.querySelectorAll("[data-question]"));
    var byId = {};
    cards.forEach(function (card) { byId[card.getAttribute("data-question")] = card; });

    // ------------------------------------------------------------ local store
    var local = api.localStore(storeKey, { seq: {}, pending: {}, acked: {}, flags: {}, events: [] });
    var store = local.load();
    function persist() { local.save(store); }

    // The server's seq wins when it is ahead (another device); local unsent answers win when
    // they are newer than what the server has. So do answers the server acknowledged after it
    // rendered this page (a reload while a save was in flight): the page is the older copy.
    cards.forEach(function (card) {
      var id = card.getAttribute("data-question");
      var serverSeq = parseInt(card.getAttribute("data-seq"), 10) || 0;
      store.seq[id] = Math.max(store.seq[id] || 0, serverSeq);
      var pending = store.pending[id];
      var acked = store.acked[id];
      if (pending && pending.seq > serverSeq) {
        writeResponse(card, pending.response);
        setSaveState(card, "unsaved");
      } else if (pending) {
        delete store.pending[id];
      }
      if (acked && acked.seq > serverSeq) {
        if (!store.pending[id]) { writeResponse(card, acked.response); }
        card.setAttribute("data-saved", JSON.stringify(acked.response));  // what the server holds
      } else if (acked) {
        delete store.acked[id];
      }
    });
    persist();

    // ------------------------------------------------------------ responses
    function inputs(card) { return Array.prototype.slice.call(card.querySelectorAll("input, textarea")); }

    // data-answer-kind comes from the question's type (choice|multi|bool|blanks|text).
    function readResponse(card) {
      var kind = card.getAttribute("data-answer-kind");
      var fields = inputs(card);
      if (kind === "choice" || kind === "multi") {
        return fields.filter(function (f) { return f.checked; }).map(function (f) { return f.value; });
      }
      if (kind === "bool") {
        var chosen = fields.filter(function (f) { return f.checked; })[0];
        return chosen ? chosen.value === "true" : null;
      }
      if (kind === "blanks") {
        return fields.map(function (f) { return f.value; });
      }
      return fields[0].value;
    }

    function writeResponse(card, response) {
      var kind = card.getAttribute("data-answer-kind");
      var fields = inputs(card);
      if (kind === "choice" || kind === "multi") {
        fields.forEach(function (f) { f.checked = (response || []).indexOf(f.value) !== -1; });
      } else if (kind === "bool") {
        fields.forEach(function (f) { f.checked = response !== null && String(response) === f.value; });
      } else if (kind === "blanks") {
        fields.forEach(function (f, i) { f.value = (response || [])[i] || ""; });
      } else {
        fields[0].value = response || "";
      }
    }

    function isAnswered(card) {
      var response = readResponse(card);
      if (response === null || response === undefined) { return false; }
      if (Array.isArray(response)) { return response.some(function (v) { return String(v).trim() !== ""; }); }
      if (typeof response === "string") { return response.trim() !== ""; }
      return true;
    }

    // ------------------------------------------------------------ navigator and flags
    function refreshNavigator() {
      cards.forEach(function (card) {
        var id = card.getAttribute("data-question");
        var link = root.querySelector('[data-nav="' + id + '"]');
        var flagged = !!store.flags[id];
        link.classList.toggle("sc-answered", isAnswered(card));
        link.classList.toggle("sc-flagged", flagged);
        var button = card.querySelector("[data-flag]");
        button.setAttribute("aria-pressed", flagged ? "true" : "false");
        button.classList.toggle("active", flagged);
        button.querySelector("span").textContent = flagged ? text("unflag") : text("flag");
      });
    }

    root.addEventListener("click", function (event) {
      var flag = event.target.closest("[data-flag]");
      if (flag) {
        var id = flag.closest("[data-question]").getAttribute("data-question");
        store.flags[id] = !store.flags[id];
        persist();
        refreshNavigator();
      }
    });

    // ------------------------------------------------------------ one-way navigation
    var current = 0;
    if (sequential) {
      var position = parseInt(root.getAttribute("data-position"), 10) || 1;
      current = Math.max(0, Math.min(cards.length - 1, position - 1));
      showOnly(current);
      root.querySelector("[data-navigator]").addEventListener("click", function (event) {
        if (event.target.closest("[data-nav]")) { event.preventDefault(); }
      });
      root.addEventListener("click", function (event) {
        if (!event.target.closest("[data-next]")) { return; }
        var next = cards[current + 1];
        if (!next) { return; }
        current += 1;
        showOnly(current);
        // Saving the next question (even empty) tells the server the previous one is closed;
        // sends go in question order, so the previous answer is stored first.
        changed(next, 0);
      });
    }
    function showOnly(index) {
      cards.forEach(function (card, i) { card.classList.toggle("d-none", i !== index); });
      root.querySelectorAll("[data-nav]").forEach(function (link, i) {
        link.classList.toggle("sc-current", i === index);
        link.classList.toggle("disabled", i !== index);
      });
      window.scrollTo(0, 0);
    }

    // ------------------------------------------------------------ autosave
    var timer = null;
    var sending = false;
    var retry = api.backoff(flush);
    var closed = false;

    function changed(card, delay) {
      var id = card.getAttribute("data-question");
      store.seq[id] = (store.seq[id] || 0) + 1;
      store.pending[id] = { response: readResponse(card), seq: store.seq[id] };
      persist();
      setSaveState(card, "unsaved");
      refreshNavigator();
      updateStatus();
      schedule(delay === undefined ? SAVE_DELAY : delay);
    }

    root.addEventListener("input", function (event) {
      var card = event.target.closest("[data-question]");
      var choice = event.target.type === "radio" || event.target.type === "checkbox";
      if (card && !choice) { changed(card); }  // choices are handled on "change"
    });
    root.addEventListener("change", function (event) {
      var card = event.target.closest("[data-question]");
      if (card && (event.target.type === "radio" || event.target.type === "checkbox")) { changed(card, 200); }
    });

    function schedule(delay) {
      window.clearTimeout(timer);
      timer = window.setTimeout(flush, delay);
    }

    function pendingIds() {
      return Object.keys(store.pending).sort(function (a, b) {
        return byId[a].getAttribute("data-ordinal") - byId[b].getAttribute("data-ordinal");
      });
    }

    function saveUrl(id) {
      return root.getAttribute("data-save-url").replace(/\/0$/, "/" + id);
    }

    // Send pending answers one at a time, in question order; resolves true when all are stored.
    function flush() {
      window.clearTimeout(timer);
      if (closed) { return Promise.resolve(false); }
      if (sending) { return sending; }
      sendEvents();
      var ids = pendingIds();
      if (!ids.length) {
        if (navigator.onLine) { showOffline(false); }
        updateStatus();
        return Promise.resolve(true);
      }
      setStatus(text("saving"));
      sending = ids.reduce(function (chain, id) {
        return chain.then(function (ok) { return ok ? sendOne(id) : false; });
      }, Promise.resolve(true)).then(function (ok) {
        sending = false;
        if (ok) {
          if (retry.succeeded()) { announce(text("reconnected")); }
          showOffline(false);
          if (pendingIds().length) { schedule(SAVE_DELAY); }
        }
        updateStatus();
        return ok && !pendingIds().length;
      });
      return sending;
    }

    function sendOne(id) {
      var sent = store.pending[id];
      if (!sent) { return Promise.resolve(true); }
      var card = byId[id];
      setSaveState(card, "saving");
      return request("PUT", saveUrl(id), { response: sent.response, seq: sent.seq }).then(function (reply) {
        if (reply.status === 200) {
          var stored = reply.body.seq || sent.seq;
          store.seq[id] = Math.max(store.seq[id] || 0, stored);
          var mine = store.pending[id];
          if (mine && stored > sent.seq && mine.seq === sent.seq) {
            // Another tab or device saved a newer seq; this change was made after it, so resend
            // it above that seq: the examinee's latest action wins.
            store.seq[id] = stored + 1;
            mine.seq = stored + 1;
          } else if (mine && mine.seq <= stored) {
            delete store.pending[id];
          }
          if (stored === sent.seq) { store.acked[id] = sent; }
          persist();
          setSaveState(card, store.pending[id] ? "unsaved" : "saved");
          showError(card, "");
          return true;
        }
        if (reply.status === 409 && reply.body.error === "question_closed") {
          delete store.pending[id];
          persist();
          showError(card, text("question-closed"));
          return true;
        }
        if (reply.status === 409) { attemptClosed(); return false; }
        if (reply.status === 422) {
          delete store.pending[id];
          persist();
          showError(card, reply.body.message || "");
          return true;
        }
        if (reply.status === 400 && reply.body.error === "csrf_failed") {
          return refreshCsrf().then(function (fresh) { return fresh ? sendOne(id) : retryLater(); });
        }
        if (reply.status === 401 || reply.status === 403 || reply.status === 400) {
          showProblem(text("session-lost"));
          return retryLater();
        }
        return retryLater();  // 5xx, 429: the server is struggling; keep the answer and retry
      }, function () {
        return retryLater();  // no connection at all
      });
    }

    function retryLater() {
      retry.failed();
      showOffline(true);
      return false;
    }

    window.addEventListener("online", function () { flush(); });
    // Another tab of this attempt wrote the store: keep the higher sequence numbers.
    window.addEventListener("storage", function (event) {
      if (event.key !== storeKey || !event.newValue) { return; }
      try {
        var other = JSON.parse(event.newValue);
        Object.keys(other.seq || {}).forEach(function (id) {
          store.seq[id] = Math.max(store.seq[id] || 0, other.seq[id]);
        });
      } catch (error) { /* ignore a damaged value */ }
    });
    window.addEventListener("offline", function () { showOffline(true); });

    // Leaving or hiding the page: send what is pending with keepalive, so it survives unload.
    function flushOnLeave() {
      pendingIds().forEach(function (id) {
        var sent = store.pending[id];
        request("PUT", saveUrl(id), { response: sent.response, seq: sent.seq }, true).catch(function () {});
      });
    }
    window.addEventListener("pagehide", flushOnLeave);

    // ------------------------------------------------------------ focus events
    var focused = document.visibilityState === "visible" && document.hasFocus();
    function focusChanged(nowFocused) {
      if (nowFocused === focused || closed) { return; }
      focused = nowFocused;
      store.events.push({ kind: nowFocused ? "focus_back" : "focus_lost", client_time: Date.now() });
      persist();
      if (!nowFocused) { flushOnLeave(); }
      sendEvents(!nowFocused);
    }
    document.addEventListener("visibilitychange", function () {
      focusChanged(document.visibilityState === "visible");
    });
    window.addEventListener("blur", function () { focusChanged(false); });
    window.addEventListener("focus", function () { focusChanged(true); });

    var sendingEvents = false;
    function sendEvents(keepalive) {
      if (sendingEvents || !store.events.length) { return; }
      sendingEvents = true;
      var event = store.events[0];
      request("POST", root.getAttribute("data-events-url"), event, keepalive).then(function (reply) {
        sendingEvents = false;
        if (reply.status < 500) {  // recorded, or refused for good (e.g. attempt finished)
          store.events.shift();
          persist();
          sendEvents(keepalive);
        }
      }, function () { sendingEvents = false; });
    }

    // ------------------------------------------------------------ status display
    function setSaveState(card, state) {
      var label = card.querySelector("[data-save-state]");
      label.textContent = state === "saved" ? text("saved") : state === "saving" ? text("saving") : text("unsaved");
      label.className = "small sc-save-state sc-save-" + state;
    }
    function setStatus(message) { root.querySelector("[data-save-status]").textContent = message; }
    function updateStatus() {
      var count = pendingIds().length;
      setStatus(count ? text("pending", count) : text("all-saved"));
      var unsent = root.querySelector("[data-unsent-count]");
      unsent.textContent = count ? text("unsent", count) : "";
    }
    function showOffline(offline) {
      banners.offline(offline);
      updateStatus();
    }
    function showProblem(message) { banners.problem(message); }
    function showError(card, message) { card.querySelector("[data-question-error]").textContent = message; }
    function announce(message) { setStatus(message); showProblem(""); }

    // ------------------------------------------------------------ server-owned countdown
    // Remaining time comes from the server; between syncs it counts down on the monotonic
    // performance clock, so changing the computer's clock changes nothing.
    var remaining = parseFloat(root.getAttribute("data-remaining")) || 0;
    var syncedAt = performance.now();
    var countdown = root.querySelector("[data-countdown]");
    var countdownText = root.querySelector("[data-countdown-text]");
    var timeUpStarted = false;

    function secondsLeft() { return Math.max(0, remaining - (performance.now() - syncedAt) / 1000); }
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    function tick() {
      var left = Math.ceil(secondsLeft());
      var hours = Math.floor(left / 3600);
      var minutes = Math.floor((left % 3600) / 60);
      var seconds = left % 60;
      countdownText.textContent = (hours ? hours + ":" + pad(minutes) : pad(minutes)) + ":" + pad(seconds);
      countdown.classList.toggle("sc-countdown-warning", left <= 300);
      countdown.classList.toggle("sc-countdown-danger", left <= 60);
      if (left <= 0 && !timeUpStarted) { timeUp(); }
    }
    window.setInterval(tick, 250);
    tick();

    function resync() {
      if (closed) { return; }
      var sentAt = performance.now();
      request("GET", root.getAttribute("data-state-url")).then(function (reply) {
        if (reply.status !== 200) { return; }
        if (reply.body.state !== "in_progress") { attemptClosed(); return; }
        var latency = (performance.now() - sentAt) / 2000;
        remaining = Math.max(0, reply.body.remaining_seconds - latency);
        syncedAt = performance.now();
      }, function () { /* offline: keep counting locally */ });
    }
    window.setInterval(resync, RESYNC_EVERY);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") { resync(); }  // timers sleep in background tabs
    });

    // ------------------------------------------------------------ submit
    var dialogElement = document.getElementById("submit-dialog");
    var dialog = window.bootstrap ? new window.bootstrap.Modal(dialogElement) : null;

    root.querySelector("[data-submit-open]").addEventListener("click", function () {
      var unanswered = cards.filter(function (c) { return !isAnswered(c); })
        .map(function (c) { return c.getAttribute("data-ordinal"); });
      var flagged = cards.filter(function (c) { return store.flags[c.getAttribute("data-question")]; })
        .map(function (c) { return c.getAttribute("data-ordinal"); });
      dialogElement.querySelector("[data-unanswered-list]").textContent = unanswered.join("、");
      dialogElement.querySelector("[data-unanswered-some]").classList.toggle("d-none", !unanswered.length);
      dialogElement.querySelector("[data-unanswered-none]").classList.toggle("d-none", !!unanswered.length);
      dialogElement.querySelector("[data-flagged-list]").textContent = flagged.join("、");
      dialogElement.querySelector("[data-flagged-some]").classList.toggle("d-none", !flagged.length);
      dialogElement.querySelector("[data-submit-error]").classList.add("d-none");
      if (dialog) { dialog.show(); }
    });

    dialogElement.querySelector("[data-submit-confirm]").addEventListener("click", function (event) {
      var button = event.currentTarget;
      button.disabled = true;
      button.textContent = text("submitting");
      flush().then(function (allSaved) {
        if (!allSaved && !closed) {
          var error = dialogElement.querySelector("[data-submit-error]");
          error.textContent = text("not-saved-submit");
          error.classList.remove("d-none");
          button.disabled = false;
          button.textContent = dialogElement.querySelector("#submit-title").textContent;
          return;
        }
        submit();
      });
    });

    function submit() {
      return request("POST", root.getAttribute("data-submit-url")).then(function (reply) {
        if (reply.status === 200 || reply.status === 409) { finish(); return true; }
        if (reply.status === 400 && reply.body.error === "csrf_failed") {
          return refreshCsrf().then(function (fresh) { return fresh ? submit() : false; });
        }
        return false;
      }, function () { return false; });
    }

    function finish() {
      closed = true;
      local.forget();
      window.location.assign(root.getAttribute("data-result-url"));
    }

    function attemptClosed() {
      if (closed) { return; }
      showProblem(text("closed"));
      finish();
    }

    // Time is up: send what is pending (the server allows a few seconds' grace), then submit;
    // while offline keep trying — the server closes the attempt at its deadline anyway.
    function timeUp() {
      timeUpStarted = true;
      root.querySelector("[data-timeup]").classList.remove("d-none");
      if (dialog) { dialog.hide(); }
      var attempt = function (delay) {
        if (closed) { return; }
        flush().then(function () { return submit(); }).then(function (done) {
          if (!done) {
            root.querySelector("[data-timeup-text]").textContent = text("timeup-offline");
            window.setTimeout(function () { attempt(Math.min(api.MAX_BACKOFF, delay * 2)); }, delay);
          }
        });
      };
      attempt(1000);
    }

    // Anything chosen before this script ran (or restored by the browser) counts as a change.
    cards.forEach(function (card) {
      var id = card.getAttribute("data-question");
      var rendered = JSON.parse(card.getAttribute("data-saved") || "null");
      if (!store.pending[id] && comparable(readResponse(card)) !== comparable(rendered)) { changed(card, 0); }
    });
    function comparable(response) {
      var blank = response === null || response === undefined || response === "" ||
        (Array.isArray(response) && !response.some(function (v) { return String(v).trim() !== ""; }));
      return JSON.stringify(blank ? null : response);
    }

    refreshNavigator();
    updateStatus();
    root.setAttribute("data-ready", "1");
    if (!navigator.onLine) { showOffline(true); }
    if (pendingIds().length) { flush(); }
    sendEvents();
  }

  // ------------------------------------------------------------ grading queue: j/k, Enter
  function runGradingKeys(queue) {
    var items = Array.prototype.slice.call(queue.querySelectorAll("[data-grading-item]"));
    var index = 0;
    function select(i) {
      if (!items.length) { return; }
      index = Math.max(0, Math.min(items.length - 1, i));
      items.forEach(function (item, n) { item.classList.toggle("sc-grading-current", n === index); });
      items[index].scrollIntoView({ block: "center" });
      var points = items[index].querySelector('input[name="points"]');
      if (points) { points.focus({ preventScroll: true }); points.select(); }
    }
    document.addEventListener("keydown", function (event) {
      var typing = /^(TEXTAREA|SELECT)$/.test(event.target.tagName) ||
        (event.target.tagName === "INPUT" && event.target.name !== "points");
      if (typing || event.ctrlKey || event.metaKey || event.altKey) { return; }
      if (event.key === "j" || event.key === "k") {
        event.preventDefault();
        select(index + (event.key === "j" ? 1 : -1));
      }
    });
    items.forEach(function (item, n) {
      item.addEventListener("focusin", function () {
        index = n;
        items.forEach(function (other, m) { other.classList.toggle("sc-grading-current", m === n); });
      });
    });
    select(0);
  }
})();
