// Report exports: progress bars drawn from data-width, and the job page following its job
// (polls the JSON status until the file is ready or the job failed). No inline scripts (CSP).
(function () {
  "use strict";

  var POLL_MS = 1000;

  function drawBar(bar, percent) {
    bar.style.width = percent + "%";
    bar.parentElement.setAttribute("aria-valuenow", String(percent));
  }

  document.querySelectorAll(".sc-job-progress .progress-bar[data-width]").forEach(function (bar) {
    drawBar(bar, parseInt(bar.getAttribute("data-width"), 10) || 0);
  });

  var card = document.querySelector("[data-status-url]");
  if (!card) { return; }

  function show(selector, visible) {
    card.querySelectorAll(selector).forEach(function (element) {
      element.classList.toggle("d-none", !visible);
    });
  }

  function render(job) {
    var bar = card.querySelector(".sc-job-progress .progress-bar");
    drawBar(bar, job.progress);
    card.querySelector(".sc-job-percent").textContent = job.progress + "%";
    card.querySelectorAll("[data-status-badge]").forEach(function (badge) {
      badge.classList.toggle("d-none", badge.getAttribute("data-status-badge") !== job.status);
    });
    var finished = job.status === "done" || job.status === "failed";
    card.setAttribute("data-status", job.status);
    bar.classList.toggle("progress-bar-striped", !finished);
    bar.classList.toggle("progress-bar-animated", !finished);
    bar.classList.toggle("bg-success", job.status === "done");
    bar.classList.toggle("bg-danger", job.status === "failed");
    show("[data-job-waiting]", !finished);
    if (job.status === "failed") {
      card.querySelector("[data-job-error]").textContent = job.error || "";
      show("[data-job-error]", true);
    }
    if (job.status === "done") {
      card.querySelector("[data-job-filename]").textContent = job.filename || "";
      card.querySelector("[data-job-download]").setAttribute("href", job.download_url);
      show("[data-job-download]", true);
    }
    return finished;
  }

  function poll() {
    fetch(card.getAttribute("data-status-url"), { headers: { Accept: "application/json" },
                                                  credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (job) {
        if (!render(job)) { window.setTimeout(poll, POLL_MS); }
      })
      .catch(function () { window.setTimeout(poll, POLL_MS * 5); });
  }

  var status = card.getAttribute("data-status");
  if (status !== "done" && status !== "failed") { window.setTimeout(poll, POLL_MS); }
})();
