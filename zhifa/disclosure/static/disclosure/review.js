/* The publication review page: "遮盖所选内容" appends the text selected in the original to the extra
   masks (one per line); buttons and forms with data-confirm ask before they submit. No framework. */
(function () {
  "use strict";
  var original = document.getElementById("original-text");
  var button = document.getElementById("mask-selection");
  var textarea = document.getElementById("id_extra_masks");
  var chosen = "";

  function selectedInOriginal() {
    var selection = window.getSelection();
    if (!original || !selection || selection.rangeCount === 0 || selection.isCollapsed) return "";
    var range = selection.getRangeAt(0);
    if (!original.contains(range.commonAncestorContainer)) return "";
    return selection.toString().trim();
  }

  if (original && button && textarea) {
    document.addEventListener("selectionchange", function () {
      var text = selectedInOriginal();
      if (text) chosen = text;
      button.disabled = !(text || chosen);
    });
    button.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep the selection while the button is pressed
    });
    button.addEventListener("click", function () {
      var text = selectedInOriginal() || chosen;
      if (!text) return;
      var lines = textarea.value.split("\n").map(function (l) { return l.trim(); }).filter(Boolean);
      text.split("\n").map(function (l) { return l.trim(); }).filter(Boolean).forEach(function (line) {
        if (lines.indexOf(line) === -1) lines.push(line);
      });
      textarea.value = lines.join("\n");
      chosen = "";
      button.disabled = true;
      var selection = window.getSelection();
      if (selection) selection.removeAllRanges();
      textarea.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (target && (target.type === "submit" || target.tagName === "A") && !window.confirm(target.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
