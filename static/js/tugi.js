// Tables too wide for the screen scroll sideways inside their .table-responsive box. Such
// a box becomes a focusable region named after the table's caption (or the section's
// heading), so it can be scrolled with the keyboard too (WCAG 2.1.1).
(function () {
  "use strict";

  function nameOf(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var table = box.querySelector("table");
    if (table && table.getAttribute("aria-label")) return table.getAttribute("aria-label");
    var section = box.closest("section, main");
    var heading = section && section.querySelector("h1, h2, h3, h4");
    return heading ? heading.textContent.trim() : document.title;
  }

  function mark(root) {
    (root || document).querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.hasAttribute("tabindex") || box.scrollWidth <= box.clientWidth) return;
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-labelledby") && !box.hasAttribute("aria-label")) {
        box.setAttribute("aria-label", nameOf(box));
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { mark(document); });
  window.addEventListener("resize", function () { mark(document); });
  document.addEventListener("htmx:afterSwap", function (event) { mark(event.target); });
})();

// A form or its submit button with data-confirm asks before it is sent. Kept here, not in
// onclick/onsubmit attributes: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
