// Paper pages: "select all" in the builder's search, and rule titles that default to the type.
(function () {
  "use strict";

  document.querySelectorAll("[data-select-all]").forEach(function (master) {
    master.addEventListener("change", function () {
      var name = master.getAttribute("data-select-all");
      master.form.querySelectorAll('input[name="' + name + '"]:not(:disabled)').forEach(function (box) {
        box.checked = master.checked;
      });
    });
  });

  // A rule section left untitled is named after its type; the placeholder shows that name.
  document.querySelectorAll("[data-rule-form]").forEach(function (form) {
    var type = form.querySelector('select[name$="type"]');
    var title = form.querySelector('input[name$="title"]');
    if (!type || !title) { return; }
    var follow = function () { title.placeholder = type.options[type.selectedIndex].text; };
    type.addEventListener("change", follow);
    follow();
  });
})();
