// Courses: the reading countdown, the lesson form's kind-dependent fields, and image upload.
// No inline scripts: the CSP forbids them.
(function () {
  "use strict";

  // The server decides whether reading time is up; this only counts down what it said is left
  // and enables "完成阅读" at zero (the server refuses an early click anyway).
  function startCountdown(box) {
    var left = parseInt(box.getAttribute("data-seconds-left"), 10) || 0;
    var text = box.querySelector("[data-reading-countdown]");
    var button = document.querySelector("[data-complete-reading]");
    var wait = box.querySelector("[data-reading-wait]");
    var ready = box.querySelector("[data-reading-ready]");
    var endsAt = Date.now() + left * 1000;
    function tick() {
      left = Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
      text.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left > 0) { window.setTimeout(tick, 250); return; }
      wait.hidden = true;
      ready.hidden = false;
      if (button) { button.disabled = false; }
    }
    tick();
  }
  document.querySelectorAll("[data-reading]").forEach(startCountdown);

  // Lesson form: show only the fields of the chosen kind, and the minimum time when needed.
  var form = document.querySelector("[data-lesson-form]");
  if (form) {
    var kind = form.querySelector("[name=kind]");
    var completion = form.querySelector("[name=completion]");
    var minTime = form.querySelector("[data-min-time]");
    var update = function () {
      form.querySelectorAll("[data-kind-field]").forEach(function (el) {
        el.hidden = el.getAttribute("data-kind-field").split(" ").indexOf(kind.value) < 0;
      });
      if (minTime && completion) { minTime.hidden = completion.value !== "min_time"; }
    };
    if (kind) { kind.addEventListener("change", update); }
    if (completion) { completion.addEventListener("change", update); }
    update();
  }

  // Image upload: send the file, then put its Markdown where the cursor is in the editor.
  function insertAtCursor(area, text) {
    var start = area.selectionStart || 0;
    var end = area.selectionEnd || 0;
    var before = area.value.slice(0, start);
    // The image gets a paragraph of its own: a blank line before and after it.
    var lead = !before || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    area.value = before + lead + text + "\n\n" + area.value.slice(end);
    area.focus();
    area.selectionStart = area.selectionEnd = start + lead.length + text.length + 2;
  }
  document.querySelectorAll("[data-image-upload]").forEach(function (upload) {
    var status = document.querySelector("[data-image-status]");
    upload.addEventListener("submit", function (event) {
      event.preventDefault();
      var file = document.querySelector("input[form='" + upload.id + "'][type=file]");
      var area = document.querySelector(upload.getAttribute("data-target"));
      if (!file.files.length) {
        status.className = "small text-danger";
        status.textContent = status.getAttribute("data-none");
        return;
      }
      var body = new FormData(upload);  // the file input belongs to this form (form="...")
      status.className = "small text-muted";
      status.textContent = "…";
      fetch(upload.action, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) {
          return response.json().then(function (data) { return { ok: response.ok, data: data }; });
        })
        .then(function (result) {
          if (!result.ok) { throw new Error(result.data.error); }
          insertAtCursor(area, result.data.markdown);
          file.value = "";
          status.className = "small text-success";
          status.textContent = "✓ " + result.data.url;
        })
        .catch(function (error) {
          status.className = "small text-danger";
          status.textContent = error.message;
        });
    });
  });
})();
