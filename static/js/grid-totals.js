// The week grid's running total (billing/my_attendance.html): each line's "recorded / plan"
// figure adds the minutes typed in the line's cells of that month to what is already recorded,
// as they are typed. Without JavaScript the server's figure is right after saving.
(function () {
  "use strict";

  function hours(minutes, lang) {
    return new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(minutes / 60);
  }

  function update(row, lang) {
    row.querySelectorAll("[data-grid-total]").forEach(function (total) {
      var month = total.getAttribute("data-month");
      var minutes = parseInt(total.getAttribute("data-recorded-minutes"), 10) || 0;
      row.querySelectorAll('input[data-grid-month="' + month + '"]').forEach(function (input) {
        var typed = parseInt(input.value, 10);
        if (typed > 0) minutes += typed;
      });
      var planned = parseInt(total.getAttribute("data-planned-minutes"), 10) || 0;
      total.querySelector("[data-grid-recorded]").textContent = hours(minutes, lang);
      total.classList.toggle("text-danger", minutes > planned);
      total.classList.toggle("fw-semibold", minutes > planned);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var grid = document.querySelector('[data-testid="week-grid"]');
    if (!grid) return;
    var lang = document.documentElement.lang || "et";
    grid.addEventListener("input", function (event) {
      var row = event.target.closest("tr");
      if (row && event.target.hasAttribute("data-grid-month")) update(row, lang);
    });
    grid.querySelectorAll("tr").forEach(function (row) { update(row, lang); });
  });
})();
