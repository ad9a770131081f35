// Question bank pages: bulk selection, keying shortcuts, the editor's live preview.
(function () {
  "use strict";

  // "Select all" ticks every checkbox of the named group on the page.
  document.querySelectorAll("[data-select-all]").forEach(function (master) {
    master.addEventListener("change", function () {
      var name = master.getAttribute("data-select-all");
      document.querySelectorAll('input[name="' + name + '"]').forEach(function (box) {
        box.checked = master.checked;
      });
    });
  });

  // Keying mode: letter keys pick answers, Enter saves, the right arrow skips.
  var keyingForm = document.querySelector("[data-keying]");
  if (keyingForm) {
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      var key = event.key.toUpperCase();
      if (event.key === "Enter") {
        event.preventDefault();
        keyingForm.requestSubmit();
        return;
      }
      if (event.key === "ArrowRight") {
        window.location.href = keyingForm.querySelector("[data-keying-skip]").href;
        return;
      }
      var choice = keyingForm.querySelector('[data-key="' + key + '"] input');
      if (!choice) { return; }
      event.preventDefault();
      choice.checked = choice.type === "checkbox" ? !choice.checked : true;
      choice.dispatchEvent(new Event("change", { bubbles: true }));
    });
    keyingForm.addEventListener("change", function () {
      keyingForm.querySelectorAll(".sc-key-choice").forEach(function (label) {
        label.classList.toggle("active", label.querySelector("input").checked);
      });
    });
  }

  // Editor: show the fields the chosen type uses and preview the question as examinees see it.
  // What each type uses comes from its capabilities (data-capabilities), not from its name.
  var editor = document.querySelector("[data-question-editor]");
  if (editor) {
    var capabilities = JSON.parse(editor.getAttribute("data-capabilities"));
    var preview = document.getElementById("question-preview");
    var field = function (name) { return editor.querySelector('[name="' + name + '"]'); };
    var element = function (tag, className, text) {
      var node = document.createElement(tag);
      if (className) { node.className = className; }
      if (text) { node.textContent = text; }  // textContent: typed text is never parsed as HTML
      return node;
    };
    var render = function () {
      var type = capabilities[field("type").value] || {};
      editor.querySelectorAll("[data-show-if]").forEach(function (block) {
        block.hidden = !type[block.getAttribute("data-show-if")];
      });
      preview.replaceChildren();
      if (type.case_material && field("case_material").value.trim()) {
        preview.appendChild(element("div", "sc-case-material", field("case_material").value));
      }
      preview.appendChild(element("div", "sc-stem", field("stem").value));
      if (type.choice) {
        var list = element("ol", "sc-options list-unstyled");
        var key = field("answer").value.toUpperCase();
        field("options").value.split("\n").filter(function (line) { return line.trim(); })
          .forEach(function (line) {
            var label = line.trim().charAt(0).toUpperCase();
            list.appendChild(element("li", /[A-Z]/.test(label) && key.indexOf(label) >= 0 ? "sc-correct" : "", line.trim()));
          });
        preview.appendChild(list);
      } else if (type.answer_kind === "bool") {
        var pair = element("ol", "sc-options list-unstyled");
        pair.appendChild(element("li", "", preview.getAttribute("data-true") || "√"));
        pair.appendChild(element("li", "", preview.getAttribute("data-false") || "×"));
        preview.appendChild(pair);
      }
    };
    editor.addEventListener("input", render);
    editor.addEventListener("change", render);
    render();
  }
})();
