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

// Error summary (GOV.UK pattern, templates/includes/error_summary.html): focus moves to the
// summary when the page opens, so a screen reader reads it first; each link focuses its
// field and scrolls its label into view.
(function () {
  "use strict";

  function focusField(link, event) {
    var id = decodeURIComponent(link.hash.slice(1));
    var input = document.getElementById(id);
    if (!input) return;
    event.preventDefault();
    var label = document.querySelector('label[for="' + id + '"]') || input.closest("fieldset");
    (label || input).scrollIntoView();
    input.focus({ preventScroll: true });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (link) focusField(link, event);
  });
})();

// A table wider than its place (a list on a phone) becomes stacked rows: it gets the class
// table-stack (static/css/tugi.css), each cell the name of its column as data-label, and
// explicit table roles, since display:block would otherwise hide the table from screen
// readers. Tables inside a .table-responsive box scroll instead. Checked again on resize.
(function () {
  "use strict";

  function columnNames(table) {
    var row = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    var names = [];
    if (!row) return names;
    Array.prototype.forEach.call(row.cells, function (cell) {
      for (var i = 0; i < (cell.colSpan || 1); i++) names.push(cell.textContent.trim());
    });
    return names;
  }

  function label(table) {
    var names = columnNames(table);
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.querySelectorAll(":scope > thead, :scope > tbody, :scope > tfoot"), function (group) {
      group.setAttribute("role", "rowgroup");
    });
    Array.prototype.forEach.call(table.rows, function (row) {
      row.setAttribute("role", "row");
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        if (cell.tagName === "TH") {
          cell.setAttribute("role", cell.getAttribute("scope") === "row" ? "rowheader" : "columnheader");
        } else {
          cell.setAttribute("role", "cell");
        }
        if (!cell.hasAttribute("data-label") && row.parentNode !== table.tHead) {
          cell.setAttribute("data-label", cell.getAttribute("scope") === "row" ? "" : names[column] || "");
        }
        column += cell.colSpan || 1;
      });
    });
  }

  function fit(root) {
    (root || document).querySelectorAll("main table").forEach(function (table) {
      if (table.closest(".table-responsive")) return;
      if (table.dataset.stacked === "auto") {
        table.classList.remove("table-stack");
      }
      var place = table.parentElement;
      if (table.classList.contains("table-stack") || table.offsetWidth > place.clientWidth + 1) {
        if (!table.classList.contains("table-stack")) {
          table.classList.add("table-stack");
          table.dataset.stacked = "auto";
        }
        label(table);
      }
    });
  }

  var pending;
  document.addEventListener("DOMContentLoaded", function () { fit(document); });
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { fit(document); }, 100);
  });
  document.addEventListener("htmx:afterSwap", function (event) { fit(event.target); });
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
