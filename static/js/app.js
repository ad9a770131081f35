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
})();
