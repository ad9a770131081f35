// Behaviour shared by every page. No inline scripts: the CSP forbids them.
(function () {
  "use strict";

  // Widths of bars come from data attributes, since inline style attributes are blocked by CSP.
  document.querySelectorAll("[data-width]").forEach(function (el) {
    el.style.width = el.getAttribute("data-width") + "%";
  });

  // Buttons with data-confirm ask before submitting their form.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // Forms with data-progress show a progress bar while the server works (imports, reports).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-progress") || event.defaultPrevented) { return; }
    var overlay = document.createElement("div");
    overlay.className = "sc-progress-overlay";
    overlay.setAttribute("role", "status");
    var box = document.createElement("div");
    box.className = "sc-progress-box";
    box.textContent = form.getAttribute("data-progress");
    var bar = document.createElement("div");
    bar.className = "progress mt-2";
    bar.innerHTML = '<div class="progress-bar progress-bar-striped progress-bar-animated w-100"></div>';
    box.appendChild(bar);
    overlay.appendChild(box);
    document.body.appendChild(overlay);
  });
})();
