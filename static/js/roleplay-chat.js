// The role-play chat page: customer bubbles, reply options or a text box, the mood meter and
// the per-reply countdown, all through the JSON API (/api/v1/runs/...). No inline scripts: the
// CSP forbids them.
//
// Like the exam page, nothing the employee does is lost: a reply is written to localStorage
// before it is sent, and sent again after a reload or when the connection comes back. The
// server treats a reply for a step it has already answered as a no-op returning the current
// state, so a resend (or a double click) counts once. A typed reply's draft is kept per step.
(function () {
  "use strict";

  var root = document.querySelector("[data-roleplay-chat]");
  if (!root) { return; }

  var api = window.ServiceCoachApi;
  var server = api.client(root.getAttribute("data-csrf-url"));
  var request = server.request;
  var text = api.messages(root.querySelector("[data-messages]"));
  var banners = api.banners(root);
  var log = root.querySelector("[data-chat-log]");
  var replyArea = root.querySelector("[data-reply-area]");
  var storeKey = "servicecoach.roleplay." + root.getAttribute("data-run-id");
  var CONTINUE_DELAY = 500;    // ms a customer line or narration stays before the talk goes on
  var replySeconds = parseInt(root.getAttribute("data-reply-seconds"), 10) || 0;

  var state = JSON.parse(root.getAttribute("data-state"));
  var shownStep = 0;           // the step whose node is on screen
  var sending = false;
  var retry = api.backoff(flush);
  var finished = false;

  // ------------------------------------------------------------ local store
  var local = api.localStore(storeKey, { pending: null, drafts: {} });
  var store = local.load();
  function persist() { local.save(store); }

  // ------------------------------------------------------------ bubbles
  function bubble(kind, content, extra) {
    var item = document.createElement("div");
    item.className = "sc-bubble sc-bubble-" + kind + (extra ? " " + extra : "");
    item.setAttribute("data-bubble", kind);
    var body = document.createElement("div");
    body.className = "sc-bubble-text";
    body.textContent = content;
    item.appendChild(body);
    log.appendChild(item);
    scrollToEnd();
    return item;
  }

  // The newest line sits just above the reply area, which stays at the bottom of the screen.
  function scrollToEnd() {
    window.scrollTo({ top: document.documentElement.scrollHeight, behavior: "smooth" });
  }

  // On a phone the brief would push the talk off the screen: fold it once the talk is going.
  var brief = root.querySelector("[data-brief]");
  function foldBrief() {
    if (brief && log.children.length > 1 && window.matchMedia("(max-width: 576px)").matches) {
      brief.open = false;
    }
  }

  function myBubble(payload) {
    var content = payload.text;
    if (payload.option_id !== undefined) {
      var option = (state.node.options || []).filter(function (o) { return o.id === payload.option_id; })[0];
      content = option ? option.text : "";
    }
    var item = bubble("me", content, "sc-bubble-sending");
    item.setAttribute("data-step", payload.step);
    return item;
  }

  // ------------------------------------------------------------ the reply area
  function clearReplyArea() {
    replyArea.textContent = "";
    replyArea.classList.add("d-none");
  }

  function showOptions(node) {
    clearReplyArea();
    if (node.text) { replyArea.appendChild(prompt(node.text)); }
    var list = document.createElement("div");
    list.className = "sc-options-list";
    list.setAttribute("role", "group");
    list.setAttribute("aria-label", text("your-reply"));
    node.options.forEach(function (option, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-outline-primary sc-reply-option";
      button.setAttribute("data-option", option.id);
      var letter = document.createElement("span");
      letter.className = "sc-reply-letter";
      letter.textContent = String.fromCharCode(65 + index);
      button.appendChild(letter);
      button.appendChild(document.createTextNode(option.text));
      button.addEventListener("click", function () {
        choose({ step: state.step, option_id: option.id });
      });
      list.appendChild(button);
    });
    replyArea.appendChild(list);
    replyArea.classList.remove("d-none");
    scrollToEnd();
  }

  function showTextBox(node) {
    clearReplyArea();
    if (node.text) { replyArea.appendChild(prompt(node.text)); }
    var form = document.createElement("form");
    form.className = "sc-text-reply";
    var box = document.createElement("textarea");
    box.className = "form-control";
    box.rows = 3;
    box.maxLength = 2000;
    box.setAttribute("aria-label", text("your-reply"));
    box.setAttribute("placeholder", text("type-here"));
    box.setAttribute("data-reply-text", "");
    box.value = store.drafts[state.step] || "";
    var step = state.step;
    box.addEventListener("input", function () {
      store.drafts[step] = box.value;
      persist();
    });
    var send = document.createElement("button");
    send.type = "submit";
    send.className = "btn btn-primary";
    send.setAttribute("data-reply-send", "");
    send.textContent = text("send");
    form.appendChild(box);
    form.appendChild(send);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var reply = box.value.trim();
      if (!reply) { box.focus(); return; }
      choose({ step: state.step, text: reply });
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { form.requestSubmit(); }
    });
    replyArea.appendChild(form);
    replyArea.classList.remove("d-none");
    box.focus({ preventScroll: true });
    scrollToEnd();
  }

  function prompt(content) {
    var p = document.createElement("p");
    p.className = "sc-reply-prompt small text-muted mb-2";
    p.textContent = content;
    return p;
  }

  // ------------------------------------------------------------ showing a state
  function show(next) {
    state = next;
    setMood(state.mood);
    if (state.state === "ended" || state.state === "pending_review") { end(state.node); return; }
    if (state.step === shownStep) { return; }  // a resend answered with the state on screen
    shownStep = state.step;
    var node = state.node;
    stopCountdown();
    if (node.kind === "customer" || node.kind === "narration") {
      clearReplyArea();
      bubble(node.kind, node.text);
      var step = state.step;
      window.setTimeout(function () {
        if (state.step === step && !store.pending) { choose({ step: step }); }
      }, CONTINUE_DELAY);
    } else if (node.kind === "decision") {
      showOptions(node);
      startCountdown(0);
    } else if (node.kind === "free_text") {
      showTextBox(node);
      startCountdown(0);
    } else if (node.kind === "end") {
      end(node);
    }
  }

  function end(node) {
    if (finished) { return; }
    finished = true;
    stopCountdown();
    clearReplyArea();
    if (node && node.text) { bubble("customer", node.text); }
    local.forget();
    root.querySelector("[data-finished]").classList.remove("d-none");
    root.querySelector("[data-finished] a").focus({ preventScroll: true });
    scrollToEnd();
  }

  // ------------------------------------------------------------ replying
  function choose(payload) {
    if (sending || store.pending || finished) { return; }  // a double click counts once
    store.pending = payload;
    persist();
    if (payload.option_id !== undefined || payload.text !== undefined) {
      myBubble(payload);
      clearReplyArea();
      stopCountdown();
      foldBrief();
    }
    flush();
  }

  function flush() {
    retry.cancel();
    var sent = store.pending;
    if (!sent || sending) { return; }
    sending = true;
    setWaiting(true);
    request("POST", root.getAttribute("data-reply-url"), sent).then(function (reply) {
      sending = false;
      if (reply.status === 200) { return accepted(sent, reply.body); }
      if (reply.status === 409) { return resync(); }  // the server is elsewhere: ask it where
      if (reply.status === 400 && reply.body.error === "csrf_failed") {
        return server.refreshCsrf().then(function (fresh) { if (fresh) { flush(); } else { retryLater(); } });
      }
      if (reply.status === 422) { return refused(reply.body.message || ""); }
      if (reply.status === 401 || reply.status === 403 || reply.status === 404) {
        showProblem(text("session-lost"));
        return retryLater();
      }
      return retryLater();  // 5xx, 429: keep the reply and try again
    }, function () {
      sending = false;
      retryLater();  // no connection at all
    });
  }

  function accepted(sent, next) {
    if (store.pending === sent) { store.pending = null; }
    delete store.drafts[sent.step];
    persist();
    markSent();
    online();
    show(next);
  }

  function refused(message) {
    // The server will never take this reply (e.g. an empty text): give the step back.
    store.pending = null;
    persist();
    var mine = log.querySelector(".sc-bubble-sending");
    if (mine) { mine.remove(); }
    shownStep = 0;
    show(state);
    showProblem(message);
    setWaiting(false);
  }

  function resync() {
    return request("GET", root.getAttribute("data-state-url")).then(function (reply) {
      if (reply.status !== 200) { retryLater(); return; }
      var sent = store.pending;
      if (sent && sent.step < reply.body.step) { store.pending = null; persist(); markSent(); }
      online();
      show(reply.body);
      if (store.pending) { flush(); }
    }, retryLater);
  }

  function retryLater() {
    retry.failed();
    showOffline(true);
  }

  function online() {
    retry.succeeded();
    showOffline(false);
    showProblem("");
    setWaiting(false);
  }

  function markSent() {
    log.querySelectorAll(".sc-bubble-sending").forEach(function (item) { item.classList.remove("sc-bubble-sending"); });
  }

  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { showOffline(true); });

  // ------------------------------------------------------------ status display
  function setWaiting(waiting) {
    root.querySelector("[data-typing]").classList.toggle("d-none", !waiting || !store.pending);
  }
  function showOffline(offline) { banners.offline(offline); }
  function showProblem(message) { banners.problem(message); }

  var meter = root.querySelector("[data-mood]");
  function setMood(mood) {
    var value = Math.max(0, Math.min(100, Math.round(mood)));
    var level = value < 35 ? "low" : value < 65 ? "mid" : "high";
    meter.setAttribute("data-mood", value);
    meter.setAttribute("data-level", level);
    meter.querySelector("[data-mood-bar]").style.width = value + "%";
    meter.querySelector("[data-mood-value]").textContent = value;
    meter.querySelector("[data-mood-word]").textContent = text("mood-" + level);
    meter.querySelector("[role=meter]").setAttribute("aria-valuenow", value);
  }

  // ------------------------------------------------------------ per-reply countdown
  // Advisory: a late reply still counts, but the employee sees how long the customer waits.
  // It restarts from the server's clock after a reload (data-step-elapsed).
  var countdown = root.querySelector("[data-countdown]");
  var countdownText = root.querySelector("[data-countdown-text]");
  var countdownTimer = null;
  var startedAt = 0;
  function startCountdown(elapsed) {
    if (!replySeconds) { return; }
    startedAt = performance.now() - elapsed * 1000;
    countdown.classList.remove("d-none");
    tick();
    countdownTimer = window.setInterval(tick, 250);
  }
  function stopCountdown() {
    window.clearInterval(countdownTimer);
    countdownTimer = null;
    if (countdown) { countdown.classList.add("d-none"); }
  }
  function tick() {
    var left = Math.max(0, Math.ceil(replySeconds - (performance.now() - startedAt) / 1000));
    countdownText.textContent = left ? text("seconds-left", left) : text("time-up");
    countdown.classList.toggle("sc-countdown-warning", left <= 15);
    countdown.classList.toggle("sc-countdown-danger", left === 0);
  }

  // ------------------------------------------------------------ start
  setMood(state.mood);
  var pending = store.pending;
  if (pending && pending.step < state.step) {
    store.pending = null;  // the server took it before the reload; the page already shows it
    persist();
    pending = null;
  }
  if (pending) {
    // The reply was made but not yet stored: show it again and send it.
    shownStep = state.step;
    setMood(state.mood);
    if (state.node.kind === "customer" || state.node.kind === "narration") { bubble(state.node.kind, state.node.text); }
    if (pending.option_id !== undefined || pending.text !== undefined) { myBubble(pending); }
    flush();
  } else {
    show(state);
    if (countdownTimer) {
      stopCountdown();
      startCountdown(parseFloat(root.getAttribute("data-step-elapsed")) || 0);
    }
  }
  foldBrief();
  if (!navigator.onLine) { showOffline(true); }
  root.setAttribute("data-ready", "1");
})();
