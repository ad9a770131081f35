// The role-play editor (templates/roleplay/manage/edit.html): fit the conversation graph to its
// column on demand, and bring the node being edited into view inside the scrolling graph.
(function () {
  "use strict";
  var wrap = document.querySelector(".rp-graph-wrap");
  if (!wrap) {
    return;
  }
  var fit = document.querySelector("[data-graph-fit]");
  var key = "rp-graph-fit";
  function apply(on) {
    wrap.classList.toggle("rp-fit", on);
    if (fit) {
      fit.classList.toggle("active", on);
      fit.setAttribute("aria-pressed", on ? "true" : "false");
    }
  }
  if (fit) {
    fit.hidden = false;
    apply(window.localStorage.getItem(key) === "1");
    fit.addEventListener("click", function () {
      var on = !wrap.classList.contains("rp-fit");
      window.localStorage.setItem(key, on ? "1" : "0");
      apply(on);
    });
  }
  var selected = wrap.querySelector(".rp-selected rect");
  if (selected && !wrap.classList.contains("rp-fit")) {
    var box = selected.getBBox();
    wrap.scrollTop = Math.max(0, box.y - wrap.clientHeight / 3);
    wrap.scrollLeft = Math.max(0, box.x + box.width / 2 - wrap.clientWidth / 2);
  }
})();
